"""Smaller ways to an internal error or a silent pass (issue 19's point 13 and related): each
test runs the real code path a user hits."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of


def test_the_console_script_is_gklint_console() -> None:
    """(Read from setup.cfg, not the installed metadata, which an editable install keeps as it
    was when installed.)"""
    import configparser

    setup = configparser.ConfigParser()
    setup.read(Path(__file__).parent.parent / "setup.cfg", encoding="utf-8")
    scripts = [line.strip() for line in setup["options.entry_points"]["console_scripts"].splitlines() if line.strip()]
    assert scripts == ["gklint = gklint.console:entry"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_gklint_loads_is_exit_130_without_a_traceback() -> None:
    """The signal lands after the console module is imported and before the command line is:
    the window in which Python would print a traceback from inside an import."""
    code = ("import os, signal\n"
            "import gklint.console\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "import gklint.cli\n"
            "gklint.console.entry()\n")
    proc = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, timeout=60, check=False)
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
    proc = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 130, proc.stderr
    assert b"Traceback" not in proc.stderr and b"gklint: interrupted" in proc.stderr


RULES = """
- id: T-REPLY
  title: {en: Reply within 15 working days}
  deadline: {after: received, expect: answered, within: 15 working days}
"""
BAD_ROW = "date,event,case,unit\n2018-13-40,received,A1,office\n"


@pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/stdin")
@pytest.mark.parametrize(("content", "name"), [
    (BAD_ROW.encode(), "pipe.csv"),
    (BAD_ROW.encode(), "pipe"),                                                       # no suffix: CSV
    (b'{"date": "2018-13-40", "event": "received", "case": "A1"}\n', "pipe"),         # JSON Lines
    (BAD_ROW.replace(",", "\t").replace("office", "办公室").encode("gb18030"), "pipe"),  # TSV in GBK
    (b"xlsx", "pipe"),                                                                 # a workbook
])
def test_a_named_pipe_is_read_once(ws: Workspace, content: bytes, name: str) -> None:
    """A real process with a real pipe: the reader must not need to read the file twice."""
    ws.ruleset(RULES)
    if content == b"xlsx":
        content = _workbook()
    os.mkfifo(ws.root / name)
    proc = subprocess.Popen([sys.executable, "-m", "gklint", "check", name, "-r", "rs.yaml", "--as-of",
                             "2018-06-30", "--format", "json"], cwd=ws.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    with open(ws.root / name, "wb") as writer:
        writer.write(content)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert b'"GK001"' in out and f'"file": "{name}"'.encode() in out


def _workbook() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in (["date", "event", "case"], ["2018-13-40", "received", "A1"]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.skipif(os.name != "posix", reason="/dev/stdin")
def test_dev_stdin_is_read(ws: Workspace) -> None:
    ws.ruleset(RULES)
    proc = subprocess.run([sys.executable, "-m", "gklint", "check", "/dev/stdin", "-r", "rs.yaml", "--as-of",
                           "2018-06-30"], cwd=ws.root, input=BAD_ROW.encode(), capture_output=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(b"/dev/stdin:2: GK001 error")


def test_a_folder_where_a_log_is_expected_says_so(ws: Workspace) -> None:
    from gklint.errors import InputError
    from gklint.events.readers import open_raw

    with pytest.raises(InputError, match="not a file that can be read"):
        open_raw(ws.root)


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "1.5", "-0.1"])
def test_ratio_at_least_must_be_a_share(ws: Workspace, value: str) -> None:
    ws.ruleset(f"""
        - id: T-SHARE
          ratio: {{of: interp, matching: {{form: video}}, at_least: {value}, per: year}}
        """)
    result = ws.cli("rules", "-r", "rs.yaml")
    err = stderr_of(result)
    assert result.exit_code == 2, (result.stdout, err)
    assert "rs.yaml:" in err and "at_least" in err and "internal error" not in err


HEAD = "ruleset: test-rs\ntitle: {en: Test}\n"
BODY = ("events:\n  received: {label: 收到}\n  answered: {label: 答复}\nrules:\n- id: T-REPLY\n"
        "  deadline: {after: received, expect: answered, within: 15 working days}\n")


@pytest.mark.parametrize(("text", "line"), [
    (HEAD + "effective: {from: 2019-01-01, until: 2018-12-31}\n" + BODY, 3),          # the ruleset's
    (HEAD + BODY + "  effective: {from: 2020-06-01, until: 2020-01-01}\n", 9),        # a rule's
    (HEAD + "effective: {until: 2018-12-31}\n" + BODY + "  effective: {from: 2019-01-01}\n", 10),  # disjoint
])
def test_an_empty_effective_window_is_exit_2_naming_its_line(ws: Workspace, text: str, line: int) -> None:
    (ws.root / "rs.yaml").write_text(text, encoding="utf-8")
    result = ws.cli("rules", "-r", "rs.yaml")
    err = stderr_of(result)
    assert result.exit_code == 2, (result.stdout, err)
    assert f"rs.yaml:{line}: " in err and "is empty" in err


@pytest.mark.parametrize(("home", "xdg", "expected"), [
    ("", None, None),                          # HOME='': no cache (it was .cache in the working directory)
    ("/", None, None),                         # nor /.cache
    ("relative/home", None, None),
    ("/home/u", None, "/home/u/.cache/gklint"),
    ("/home/u", "relative", "/home/u/.cache/gklint"),  # a relative XDG_CACHE_HOME is ignored (XDG spec)
    ("", "/var/cache/u", "/var/cache/u/gklint"),
])
def test_the_cache_folder_needs_an_absolute_home(monkeypatch: pytest.MonkeyPatch, home: str, xdg: str | None,
                                                 expected: str | None) -> None:
    from gklint.cache import cache_dir

    monkeypatch.delenv("GKLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("GKLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("HOME", home)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    found = cache_dir()
    assert (None if found is None else str(found)) == expected


@pytest.mark.parametrize("log, code", [("date,event,case\n2021-06-01,收到,A\n", 1),
                                       ("date,event,case\n2021-06-01,收到,A\n2021-06-02,答复,A\n", 0),
                                       (None, 2)], ids=["findings", "clean", "bad-input"])
@pytest.mark.parametrize("was_on", [True, False])
def test_a_command_leaves_the_garbage_collector_as_it_found_it(ws: Workspace, log: str | None, code: int,
                                                               was_on: bool) -> None:
    """The command turns Python's cycle collector off while it runs; in a longer process (click's
    test runner, an application calling ``main``) it is on again afterwards if it was on before.
    Left off, what each command made in cycles was never freed: on the spark engine, py4j objects
    whose query plans then filled the JVM's heap after some dozens of commands."""
    import gc

    ws.ruleset("- id: R\n  deadline: {after: received, expect: answered, within: 5 working days}\n")
    if log is not None:
        ws.log(log)
    (gc.enable if was_on else gc.disable)()
    try:
        result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2021-12-31")
        assert result.exit_code == code, stderr_of(result)
        assert gc.isenabled() is was_on
    finally:
        gc.enable()


def test_the_console_script_leaves_the_collector_off_to_the_end(ws: Workspace) -> None:
    """The console script ends the process right after the command (``os._exit``): turning the
    collector on first would only make it walk everything the command made (start-up is measured
    in benchmarks/run.py)."""
    ws.ruleset("- id: R\n  deadline: {after: received, expect: answered, within: 5 working days}\n")
    ws.log("date,event,case\n2021-06-01,收到,A\n")
    script = ("import gc, os, sys\nfrom gklint import cli\nleave = os._exit\n"
              "def ending(code):\n    sys.stderr.write(f'collector on: {gc.isenabled()}\\n')\n    leave(code)\n"
              "os._exit = ending\nsys.argv = ['gklint', 'check', 'events.csv', '-r', 'rs.yaml', '--as-of', '2021-12-31']\n"
              "cli.entry()\n")
    import gklint

    done = subprocess.run([sys.executable, "-c", script], cwd=ws.root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(gklint.__file__).parents[1])})
    assert done.returncode == 1, done.stderr
    assert done.stderr.endswith("collector on: False\n"), done.stderr
