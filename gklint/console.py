"""The ``gklint`` console script: Ctrl-C while gklint starts ends it quietly.

Python turns Ctrl-C into KeyboardInterrupt wherever it lands; during the first few dozen
milliseconds that is inside an import (click, the command modules) and prints a traceback.
This module is the first of gklint's own that the console script imports, and it stays tiny:
its handler ends the process with status 130 and one line until :mod:`gklint.cli` is loaded;
from then on Ctrl-C is KeyboardInterrupt again, which the command line turns into the same
line and status (and which lets ``-o`` remove its temporary file).
"""
from __future__ import annotations

import os
import signal
import sys
from typing import Any


def _interrupted(signum: int, frame: Any) -> None:
    try:
        sys.stderr.write("gklint: interrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(130)


try:
    signal.signal(signal.SIGINT, _interrupted)
except ValueError:  # pragma: no cover - imported outside the main thread: not the console script
    pass


def entry() -> None:
    from gklint.cli import entry as run

    signal.signal(signal.SIGINT, signal.default_int_handler)
    run()
