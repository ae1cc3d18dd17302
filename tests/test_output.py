"""Safe output: ``-o FILE`` appears whole or not at all; spreadsheet cells cannot run formulas."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

from gklint.errors import ConfigError
from gklint.output import escape_cell, open_output


def test_a_completed_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    with open_output(str(target)) as out:
        out.write("new 报告\n")
        assert target.read_text(encoding="utf-8") == "old"  # not visible until complete
    assert target.read_text(encoding="utf-8") == "new 报告\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("existing", [None, "old report"])
def test_an_exception_mid_write_leaves_no_file_and_no_temp_file(tmp_path: Path, existing: str | None) -> None:
    target = tmp_path / "report.sarif"
    if existing is not None:
        target.write_text(existing, encoding="utf-8")
    with pytest.raises(RuntimeError), open_output(str(target)) as out:
        out.write("half a report")
        raise RuntimeError("disk full")
    assert [p.name for p in tmp_path.iterdir()] == ([] if existing is None else ["report.sarif"])
    if existing is not None:
        assert target.read_text(encoding="utf-8") == existing  # the old report is untouched


def test_keyboard_interrupt_mid_write_leaves_no_temp_file(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), open_output(str(tmp_path / "r.txt")) as out:
        out.write("x")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="output folder does not exist"), \
            open_output(str(tmp_path / "nope" / "r.txt")):
        pass


def test_dash_means_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with open_output("-") as out:
        out.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_every_format_writes_its_report_to_o(ws: Workspace, fmt: str) -> None:
    ws.ruleset("""\
        - id: R
          title: {zh: 答复期限, en: Reply deadline}
          deadline: {after: received, expect: answered, within: 5 working days}
        """)
    ws.log("date,event,case\n2018-06-01,收到,A\n")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", fmt,
                    "-o", "out/report")
    assert result.exit_code == 2 and "output folder does not exist" in stderr_of(result)
    (ws.root / "out").mkdir()
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", fmt,
                    "-o", "out/report")
    assert result.exit_code == 1 and result.stdout == ""
    assert [p.name for p in (ws.root / "out").iterdir()] == ["report"]
    text = (ws.root / "out" / "report").read_text(encoding="utf-8")
    assert "R" in text
    if fmt in ("json", "sarif"):
        json.loads(text)


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("2018-05-17", "2018-05-17"),
    ("收到申请", "收到申请"),
    ("", ""),
    (None, ""),
    (12, "12"),
])
def test_escape_cell_defuses_formulas(value: object, cell: str) -> None:
    assert escape_cell(value) == cell


def test_a_written_report_has_the_usual_permissions(tmp_path: Path) -> None:
    """Not the owner-only mode of the temporary file it was written through."""
    import os

    target = tmp_path / "report.txt"
    with open_output(str(target)) as out:
        out.write("x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_o_dev_null_stays_a_device() -> None:
    """``-o /dev/null`` (how benchmarks discard a report) writes to the device: renaming a file
    over it, as root, would replace /dev/null itself with a regular file."""
    before = os.stat(os.devnull)
    assert stat.S_ISCHR(before.st_mode)
    with open_output(os.devnull) as out:
        out.write("report\n")
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_o_named_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    with open_output(str(fifo)) as out:
        out.write("第一行\n")
    reader.join(5)
    assert got == ["第一行\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_o_naming_a_folder_is_a_config_error(ws: Workspace) -> None:
    ws.log("date,event\n2021-01-01,x\n")
    (ws.root / "reports").mkdir()
    result = ws.cli("check", "events.csv", "-o", "reports", "--as-of", "2021-12-31")
    assert result.exit_code == 2
    assert "-o names a folder" in stderr_of(result) and "Traceback" not in stderr_of(result)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file can be made")
def test_o_where_no_file_can_be_written_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot write the report"), open_output("/proc/self/report.json"):
        pass


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--version"], ["--help"], ["rules"], ["calendar", "add", "2018-09-28", "3"],
                                  ["check", "examples/cnipa-2018", "--as-of", "2018-12-31", "--format", "json"],
                                  ["check", "examples/cnipa-2018", "--as-of", "2018-12-31", "-o", "/dev/full"]])
def test_output_to_a_full_device_is_exit_2_with_a_message(args: list[str]) -> None:
    """A full disk behind a redirection (here /dev/full) is said in one line, exit 2: not an
    internal error, not a traceback."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "gklint", *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=root, env={**os.environ, "GKLINT_LANG": "en"}, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("gklint: error: ") and "cannot write" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
