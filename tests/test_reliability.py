"""Smaller ways to an internal error or a silent pass (issue 19's point 13 and related): each
test runs the real code path a user hits."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of


def test_the_console_script_is_gklint_console() -> None:
    from importlib.metadata import entry_points

    scripts = {e.name: e.value for e in entry_points(group="console_scripts") if e.name == "gklint"}
    assert scripts == {"gklint": "gklint.console:entry"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_gklint_loads_is_exit_130_without_a_traceback() -> None:
    """The signal lands after the console module is imported and before the command line is:
    the window in which Python would print a traceback from inside an import."""
    code = ("import os, signal\n"
            "import gklint.console\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "import gklint.cli\n"
            "gklint.console.entry()\n")
    proc = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == b"gklint: interrupted\n" and proc.stdout == b""


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_click_parses_is_exit_130_without_a_traceback() -> None:
    code = ("import os, signal, click\n"
            "from gklint import console\n"
            "real = click.Group.main\n"
            "def main(self, *a, **k):\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    return real(self, *a, **k)\n"
            "click.Group.main = main\n"
            "console.entry()\n")
    proc = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert b"Traceback" not in proc.stderr and b"gklint: interrupted" in proc.stderr
