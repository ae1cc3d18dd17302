"""Where reports go: stdout, or a file written atomically (temp file, then rename)."""
from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from gklint.display import ERRORS
from gklint.errors import ConfigError


@contextlib.contextmanager
def open_output(path: str | None, inputs: Iterable[str | os.PathLike[str] | None] = (), *,
                binary: bool = False) -> Iterator[IO[Any]]:
    """stdout when ``path`` is None or ``-``; otherwise a file that appears whole or not at all.

    A path that is not a regular file (``/dev/null``, a named pipe, a terminal) is written to as
    it is: renaming a temporary file over it would replace the device or pipe with a file.
    ``inputs`` are the files the run read: ``-o`` naming one of them is refused (below).
    ``binary``: a byte stream (an .xlsx workbook), stdout's buffer for ``-``.
    """
    if path is not None and path != "-":
        refuse_input(path, inputs)
    if path is None or path == "-":
        # What the reporters missed of a file name's non-UTF-8 bytes is written as \xNN, not as
        # a byte no UTF-8 reader takes (gklint.display).
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(errors=ERRORS)  # type: ignore[union-attr]
        yield sys.stdout.buffer if binary else sys.stdout  # (a full disk behind a redirection: gklint.cli.run)
        return
    target = Path(path)
    if target.is_dir():
        raise ConfigError("-o names a folder, not a file", file=str(target),
                          hint="Give a file name, such as report.json.")
    try:
        special = not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        special = False  # no such file yet (or unreadable): the atomic write says what is wrong
    if special:
        try:
            fh = (open(target, "wb") if binary else  # noqa: SIM115 - closed below
                  open(target, "w", encoding="utf-8", errors=ERRORS, newline=""))  # noqa: SIM115
        except OSError as exc:
            raise _unwritable(target, exc) from None
        try:
            with fh:
                yield fh
        except OSError as exc:  # /dev/full, a pipe whose reader went away
            raise _unwritable(target, exc) from None
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ConfigError("the output folder does not exist", file=str(target),
                          hint="Create the folder first, or choose another -o path.")
    remove_stale_temporaries(directory, target.name)
    with _termination_unwinds():
        try:
            # The process id in the name lets a later write tell a temporary left by a killed
            # run (kill -9 cannot be caught) from one being written now. A signal is held back
            # while the file is made: between its creation and ``tmp`` being set, nothing would
            # know to remove it.
            import tempfile

            with _signals_held():
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise _unwritable(target, exc) from None
        try:
            with (open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", errors=ERRORS, newline="")) as fh:
                yield fh
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it owner-only; a report is an ordinary file
            os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise _unwritable(target, exc) from None
            raise


@contextlib.contextmanager
def _termination_unwinds() -> Iterator[None]:
    """SIGTERM and SIGHUP raise ``SystemExit(128 + signal)`` meanwhile, so the temporary file is
    removed on the way out (their default action ends the process on the spot). Ctrl-C already
    raises KeyboardInterrupt. Only the main thread may set handlers; elsewhere nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def unwind(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signals = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, unwind) for s in signals}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP are delivered when the block ends, not inside it (POSIX)."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def remove_stale_temporaries(directory: Path, name: str) -> None:
    """Remove ``.NAME.PID.XXXX.tmp`` files that a run killed outright (kill -9, a power cut) left
    beside ``NAME``: those whose process is gone. One whose process still runs (on this machine)
    is left alone; a name that does not parse is not ours."""
    prefix = f".{name}."
    try:
        entries = [e for e in os.listdir(directory) if e.startswith(prefix) and e.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        pid_text = entry[len(prefix):].split(".", 1)[0]
        if not (pid_text.isascii() and pid_text.isdigit()) or int(pid_text) == os.getpid():
            continue
        if _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(directory / entry)


def _alive(pid: int) -> bool:
    if pid <= 0 or os.name != "posix":
        return True  # (on Windows os.kill(pid, 0) would end the process, not ask about it)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's live process (or a number no process can have)
    return True


def refuse_input(path: str, inputs: Iterable[str | os.PathLike[str] | None]) -> None:
    """ConfigError when ``path`` is one of ``inputs``: by name, through a symbolic link, or as
    another hard link to the same file (the same device and inode), so ``-o log.csv`` never
    replaces the log it reports on."""
    try:
        target = os.stat(path)
    except OSError:
        return  # no such file yet: it cannot be an input
    if not stat.S_ISREG(target.st_mode):
        return  # /dev/null, a pipe: written to, never replaced
    for name in inputs:
        if name is None:
            continue
        try:
            same = os.path.samestat(target, os.stat(name))
        except OSError:
            continue
        if same:
            shown_as = "" if os.path.abspath(name) == os.path.abspath(path) else f" (it is {os.fspath(name)})"
            raise ConfigError(f"-o names a file this run reads{shown_as}; writing the report would replace it",
                              file=path, hint="Choose another -o path, such as report.txt.")


def _unwritable(target: Path, exc: OSError) -> ConfigError:
    return ConfigError(f"cannot write the report: {exc.strerror or exc}", file=str(target),
                       hint="Choose an -o path in a folder you can write to.")


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
