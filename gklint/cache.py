"""A small on-disk cache for work that does not change between runs: validated rulesets and
the calendar tables taken from the ``holidays`` package.

Safety first: an entry's key covers everything its value depends on -- the bytes of the
files read, the gklint code (version and the size and modification time of every module),
the installed ``holidays`` package and the Python version -- so a stale entry is never found,
only missed. Entries are pickles written atomically in ``$GKLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/gklint``, else ``~/.cache/gklint``; ``GKLINT_NO_CACHE`` set (to anything but empty) turns the cache off.
Any problem with the cache (unwritable folder, corrupt entry) is silently a miss.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

_FORMAT = 1


def cache_dir() -> Path | None:
    if os.environ.get("GKLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("GKLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    # XDG: a relative $XDG_CACHE_HOME is invalid and ignored. With no usable home ($HOME empty,
    # "/", or relative, as in some containers and CI jobs) there is no cache rather than one in
    # /.cache or in the working directory; never a shared temporary folder, since entries are
    # pickles that another user could plant there.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "gklint"
    home = os.path.expanduser("~")
    if not os.path.isabs(home) or os.path.dirname(home) == home:
        return None
    return Path(home) / ".cache" / "gklint"


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


def load(kind: str, key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / kind / f"{key}.pickle", "rb") as fh:
            return pickle.load(fh)
    except Exception:  # a missing or unreadable entry is a miss
        return None


def store(kind: str, key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        target = folder / kind
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target / f"{key}.pickle")
    except Exception:  # the cache is an optimisation: never a reason to fail
        try:
            os.unlink(tmp)
        except Exception:
            pass


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
