"""Where reports go: stdout, or a file written atomically (temp file, then rename)."""
from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from gklint.errors import ConfigError


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """stdout when ``path`` is None or ``-``; otherwise a file that appears whole or not at all.

    A path that is not a regular file (``/dev/null``, a named pipe, a terminal) is written to as
    it is: renaming a temporary file over it would replace the device or pipe with a file.
    """
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    try:
        special = not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        special = False  # no such file yet (or unreadable): the atomic write says what is wrong
    if special:
        with open(target, "w", encoding="utf-8", newline="") as fh:
            yield fh
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ConfigError("the output folder does not exist", file=str(target),
                          hint="Create the folder first, or choose another -o path.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it owner-only; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def escape_cell(value: object) -> str:
    """A spreadsheet cell that cannot run as a formula (CSV/Markdown injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
