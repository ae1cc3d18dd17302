"""``-o`` never destroys an input, and a run killed while writing leaves nothing behind."""
from __future__ import annotations

import os
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
