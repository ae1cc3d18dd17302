"""A small on-disk cache for work that does not change between runs: validated rulesets and
the calendar tables taken from the ``holidays`` package.

Safety first (docs/security.md):

- An entry's key covers everything its value depends on -- the bytes of the files read, the
  gklint code (version and the size and modification time of every module), the installed
  ``holidays`` package and the Python version -- so a stale entry is never found, only missed.
- An entry is plain data: JSON (numbers, strings, lists, objects), never pickle or marshal, so
  loading one cannot run code. Each caller turns the data back into its values with a decoder
  that checks the shape and raises on anything else; an entry that is truncated, corrupt, of
  another shape, of another kind or key, or whose checksum does not match its bytes is a miss.
- The folder is ``$GKLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/gklint``, else
  ``~/.cache/gklint``. It is created mode 0700; a folder (or kind subfolder) that is not owned
  by the user running gklint, or that group or others may write, is not used, with one warning.
- Entries are written to a temporary file and renamed into place, so a reader sees a whole
  entry or none; concurrent runs sharing the folder each write whole entries.

``GKLINT_NO_CACHE`` set (to anything but empty) turns the cache off. Any other problem with the
cache (unwritable folder, a miss of any kind) is silent: the cache never makes a run fail.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

_FORMAT = 2  # the layout of an entry; part of every key
_SUFFIX = ".json"
_MAX_ENTRY = 64 << 20  # bytes: a larger file is not an entry gklint wrote (the largest is ~100 KB)

T = TypeVar("T")


def cache_dir() -> Path | None:
    if os.environ.get("GKLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("GKLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    # XDG: a relative $XDG_CACHE_HOME is invalid and ignored. With no usable home ($HOME empty,
    # "/", or relative, as in some containers and CI jobs) there is no cache rather than one in
    # /.cache or in the working directory; never a shared temporary folder, where another user
    # could plant entries (a planted entry is data, never code, but it could change a result).
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "gklint"
    home = os.path.expanduser("~")
    if not os.path.isabs(home) or os.path.dirname(home) == home:
        return None
    return Path(home) / ".cache" / "gklint"


_warned: set[str] = set()


def _warn_once(folder: Path, why: str) -> None:
    if str(folder) in _warned:
        return
    _warned.add(str(folder))
    from gklint.events import warn

    warn(f"{folder}: not using the cache folder: {why}; running without a cache. Make it your own "
         f"(chmod 700), or set GKLINT_CACHE_DIR to a private folder or GKLINT_NO_CACHE=1.")


def _private(folder: Path) -> bool:
    """``folder`` exists (made 0700 when missing) and only the current user can write it.

    A folder others can write is one where anyone could plant entries; gklint then runs without
    the cache (one warning) rather than read them."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            st = os.stat(folder)
        except OSError:
            return False  # unwritable: a silent miss, as before
    except OSError:
        return False
    import stat

    if not stat.S_ISDIR(st.st_mode):
        _warn_once(folder, "it is not a folder")
        return False
    if os.name != "posix":  # Windows: ownership and mode bits do not describe its ACLs
        return True
    if st.st_uid != os.geteuid():
        _warn_once(folder, f"it belongs to another user (uid {st.st_uid})")
        return False
    if st.st_mode & 0o022:
        _warn_once(folder, f"group or others may write to it (mode {stat.S_IMODE(st.st_mode):o})")
        return False
    return True


def _folder(kind: str) -> Path | None:
    """The folder of ``kind``'s entries, or None when the cache is off or not private (checked
    on every use: a few stat calls, and a folder whose mode changes mid-run is noticed)."""
    root = cache_dir()
    if root is None:
        return None
    target = root / kind
    return target if _private(root) and _private(target) else None


def _stat_stamp(root: Path, suffix: str) -> list[tuple[str, int, int]]:
    """(path, mtime, size) of every ``suffix`` file under ``root``: an edited module changes it."""
    stamp = []
    folders = [str(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith((".", "__")):
                        folders.append(entry.path)
                elif entry.name.endswith(suffix):
                    st = entry.stat()
                    stamp.append((entry.path, st.st_mtime_ns, st.st_size))
    return sorted(stamp)


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """gklint's version and code, the Python version and the installed holidays package."""
    import importlib.util

    from gklint import __version__

    parts: list[Any] = [_FORMAT, __version__, sys.version, _stat_stamp(Path(__file__).parent, ".py")]
    spec = importlib.util.find_spec("holidays")
    if spec and spec.origin:
        holidays_root = Path(spec.origin).parent
        china = holidays_root / "countries" / "china.py"
        for f in (Path(spec.origin), china, holidays_root / "version.py"):
            if f.exists():
                st = f.stat()
                parts.append((str(f), st.st_mtime_ns, st.st_size))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def key_of(*parts: Any) -> str:
    return hashlib.sha256(repr((code_stamp(), parts)).encode()).hexdigest()


def _header(kind: str, key: str, body: bytes) -> dict[str, Any]:
    return {"gklint-cache": _FORMAT, "kind": kind, "key": key, "sha256": hashlib.sha256(body).hexdigest()}


def load(kind: str, key: str, decode: Callable[[Any], T]) -> T | None:
    """The value stored under ``kind``/``key``, turned back by ``decode``; None for a miss.

    An entry is two lines: a header (format, kind, key, checksum of the body) and the body, the
    JSON of the value. ``decode`` receives the parsed body and raises (any exception) when its
    shape is not the one stored; that, and every other problem, is a miss."""
    folder = _folder(kind)
    if folder is None:
        return None
    try:
        with open(folder / f"{key}{_SUFFIX}", "rb") as fh:
            data = fh.read(_MAX_ENTRY + 1)
        if len(data) > _MAX_ENTRY:
            return None
        head, sep, body = data.partition(b"\n")
        if not sep or json.loads(head) != _header(kind, key, body):
            return None
        return decode(json.loads(body))
    except Exception:  # missing, unreadable, corrupt, foreign or of another shape: a miss
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Write ``value`` (JSON data: dicts with string keys, lists, strings, numbers, booleans,
    None) as the entry ``kind``/``key``, atomically; a value JSON cannot hold is not stored."""
    folder = _folder(kind)
    if folder is None:
        return
    tmp = None
    try:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = json.dumps(_header(kind, key, body)).encode()
        import tempfile  # (only a miss writes an entry)

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + b"\n" + body)
        os.replace(tmp, folder / f"{key}{_SUFFIX}")
        tmp = None
    except Exception:  # the cache is an optimisation: never a reason to fail
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def file_digest(path: Path, limit: int = 8 << 20) -> str:
    """The SHA-256 of ``path``'s first ``limit`` + 1 bytes (read in chunks): a YAML file longer
    than the limit is refused by its loader (gklint.ruleset.yamlio.MAX_BYTES) and is never
    read whole here either."""
    digest = hashlib.sha256()
    left = limit + 1
    with open(path, "rb") as fh:
        while left > 0 and (chunk := fh.read(min(left, 1 << 20))):
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()
