"""``-o`` never destroys an input, and a run killed while writing leaves nothing behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

RULES = """
- id: T-REPLY
  title: {en: Reply within 15 working days}
  deadline: {after: received, expect: answered, within: 15 working days}
"""
LOG = """\
date,event,case,unit
2018-01-02,received,A1,office
2018-13-40,received,A2,office
"""


@pytest.fixture
def logged(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    ws.log(LOG, name="log.csv")
    (ws.root / "records").mkdir()
    ws.log(LOG, name="records/b.csv")
    ws.write("waivers.yaml", "[]\n")
    return ws


@pytest.mark.parametrize(("output", "victim"), [
    ("log.csv", "log.csv"),                  # by name
    ("./records/../log.csv", "log.csv"),     # another spelling
    ("records/b.csv", "records/b.csv"),      # a file of a folder given
    ("rs.yaml", "rs.yaml"),                  # a ruleset
    ("waivers.yaml", "waivers.yaml"),        # the waivers file
])
def test_o_naming_an_input_is_refused(logged: Workspace, output: str, victim: str) -> None:
    before = (logged.root / victim).read_bytes()
    result = logged.cli("check", "log.csv", "records", "-r", "rs.yaml", "--waivers", "waivers.yaml",
                        "--as-of", "2018-06-30", "-o", output)
    assert result.exit_code == 2, (result.output, stderr_of(result))
    assert "-o names a file this run reads" in stderr_of(result)
    assert (logged.root / victim).read_bytes() == before


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_o_naming_an_input_through_a_link_is_refused(logged: Workspace, link: str) -> None:
    before = (logged.root / "log.csv").read_bytes()
    if link == "symlink":
        os.symlink("log.csv", logged.root / "other.csv")
    else:
        os.link(logged.root / "log.csv", logged.root / "other.csv")
    result = logged.cli("check", "log.csv", "-r", "rs.yaml", "--as-of", "2018-06-30", "-o", "other.csv")
    assert result.exit_code == 2, (result.output, stderr_of(result))
    assert "(it is log.csv)" in stderr_of(result)
    assert (logged.root / "log.csv").read_bytes() == before
    assert (logged.root / "other.csv").read_bytes() == before


def test_o_naming_a_file_of_config_paths_is_refused(logged: Workspace) -> None:
    """The pre-commit mode loads the whole record set: every file of it is an input."""
    (logged.root / "gklint.toml").write_text('paths = ["records/", "log.csv"]\nrulesets = ["rs.yaml"]\n',
                                             encoding="utf-8")
    before = (logged.root / "records" / "b.csv").read_bytes()
    result = logged.cli("check", "log.csv", "--as-of", "2018-06-30", "-o", "records/b.csv")
    assert result.exit_code == 2, (result.output, stderr_of(result))
    assert (logged.root / "records" / "b.csv").read_bytes() == before
    result = logged.cli("check", "--as-of", "2018-06-30", "-o", "gklint.toml")
    assert result.exit_code == 2 and "gklint.toml" in stderr_of(result)


def test_stats_o_naming_an_input_is_refused(ws: Workspace) -> None:
    ws.log("date,event,case\n2019-03-01,收到申请,A1\n", name="log.csv")
    before = (ws.root / "log.csv").read_bytes()
    os.symlink("log.csv", ws.root / "link.csv")
    result = ws.cli("stats", "--year", "2019", "log.csv", "-o", "link.csv")
    assert result.exit_code == 2, (result.output, stderr_of(result))
    assert "-o names a file this run reads" in stderr_of(result)
    assert (ws.root / "log.csv").read_bytes() == before


def test_o_beside_the_inputs_is_written(logged: Workspace) -> None:
    result = logged.cli("check", "log.csv", "-r", "rs.yaml", "--as-of", "2018-06-30", "-o", "report.txt")
    assert result.exit_code == 1, stderr_of(result)
    assert "GK001" in (logged.root / "report.txt").read_text(encoding="utf-8")
    assert Path(logged.root / "log.csv").read_text(encoding="utf-8") == LOG


def _big_log(folder: Path, rows: int) -> None:
    """A log whose report is large (one GK001 a row), so that writing it takes a while."""
    with open(folder / "big.csv", "w", encoding="utf-8") as fh:
        fh.write("date,event,case,unit\n")
        fh.writelines(f"2018-13-{i % 28 + 1:02d},received,C{i},office\n" for i in range(rows))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # removed meanwhile
        return 0


def _start_write(ws: Workspace) -> tuple[subprocess.Popen[bytes], list[Path]]:
    """``gklint check -o report.json`` in a real process, returned once its temporary file has
    content: the report is being written (a signal the moment the file appears can land before
    ``mkstemp`` has returned its name, with nothing yet to clean it up)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gklint.console import entry; entry()", "check", "big.csv", "-r", "rs.yaml",
         "--as-of", "2018-12-31", "--format", "json", "-o", "report.json"],
        cwd=ws.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (temporaries := sorted(p for p in ws.root.glob(".report.json.*.tmp") if _size(p))):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no temporary file appeared: {proc.communicate()}")
        time.sleep(0.002)
    return proc, temporaries


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_sigterm_during_o_leaves_no_temporary_file(ws: Workspace) -> None:
    ws.ruleset(RULES)
    rows = 60_000
    for _ in range(3):  # on a busy machine the write may finish before the signal lands: larger, again
        _big_log(ws.root, rows)
        proc, _ = _start_write(ws)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)  # returns: stdout and stderr were closed
        if not (ws.root / "report.json").exists():
            break
        (ws.root / "report.json").unlink()
        rows *= 2
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert out == b"" and b"Traceback" not in err
    assert not list(ws.root.glob(".report.json.*")) and not (ws.root / "report.json").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_a_temporary_file_left_by_kill_9_is_removed_by_the_next_write(ws: Workspace) -> None:
    ws.ruleset(RULES)
    rows = 60_000
    for _ in range(3):  # (as above: a write that finished before the signal is tried again, larger)
        _big_log(ws.root, rows)
        proc, temporaries = _start_write(ws)
        proc.kill()  # SIGKILL cannot be caught: its temporary file stays
        proc.communicate(timeout=60)
        if not (ws.root / "report.json").exists():
            break
        (ws.root / "report.json").unlink()
        rows *= 2
    assert [t for t in temporaries if t.exists()]
    ws.log(LOG, name="small.csv")
    result = ws.cli("check", "small.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "-o", "report.json")
    assert result.exit_code == 1, stderr_of(result)
    assert not list(ws.root.glob(".report.json.*")), "the dead run's temporary file is removed"
    assert "GK001" in (ws.root / "report.json").read_text(encoding="utf-8")


def test_a_temporary_file_of_a_live_process_is_left_alone(tmp_path: Path) -> None:
    from gklint.output import open_output

    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        (tmp_path / f".report.json.{live.pid}.abc123.tmp").write_text("half", encoding="utf-8")
        (tmp_path / f".report.json.{dead.pid}.def456.tmp").write_text("half", encoding="utf-8")
        (tmp_path / ".report.json.notapid.tmp").write_text("someone else's", encoding="utf-8")
        with open_output(str(tmp_path / "report.json")) as out:
            out.write("new\n")
    finally:
        live.kill()
        live.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".report.json.{live.pid}.abc123.tmp", ".report.json.notapid.tmp", "report.json"])
