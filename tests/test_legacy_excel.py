"""Contract section 14: .xls and .et workbooks are read (python-calamine), in folders and named."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

FIXTURE = Path(__file__).parent / "data" / "ledger-legacy.xls"  # written with xlwt: Excel 97-2003
RULES = """\
- id: REPLY-20WD
  title: 20个工作日内答复
  deadline: {after: received, expect: answered, within: 20 working days}
"""
EVENTS = """\
events:
  received: {label: 收到申请, columns: [收到申请日期]}
  answered: {label: 答复, columns: [答复日期]}
"""


@pytest.mark.parametrize("name", ["台账.xls", "台账.et", "records/台账.xls"])
def test_a_legacy_workbook_is_read_like_xlsx(ws: Workspace, name: str) -> None:
    pytest.importorskip("python_calamine")
    ws.ruleset(RULES, events=EVENTS)
    (ws.root / name).parent.mkdir(exist_ok=True)
    shutil.copy(FIXTURE, ws.root / name)
    target = name.split("/")[0] if "/" in name else name
    out = ws.cli_json("check", target, "-r", "rs.yaml", "--as-of", "2019-12-31")
    # Row 3 (Excel's row number) is answered late; row 4's answer is a serial number in a General
    # cell (43648, 2019-07-02) and is read as that date; the title row and the footer are skipped.
    assert [(f["rule"], f["line"], f["column"], f["status"], f["actual"]) for f in out["findings"]] == [
        ("REPLY-20WD", 3, "收到申请日期", "late", "2019-07-30")]
    assert out["summary"]["events"] == 4


def test_a_damaged_legacy_workbook_is_exit_2_naming_it(ws: Workspace) -> None:
    pytest.importorskip("python_calamine")
    ws.ruleset(RULES, events=EVENTS)
    (ws.root / "台账.xls").write_bytes(b"not a workbook")
    result = ws.cli("check", "台账.xls", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 2
    assert "台账.xls" in stderr_of(result) and "cannot read the workbook" in stderr_of(result)


def test_sheet_given_twice_is_exit_2(ws: Workspace) -> None:
    """Several --sheet options: one worksheet is read per workbook (lines of two sheets would
    collide in the findings); giving two is an error, not the last one silently."""
    ws.ruleset(RULES, events=EVENTS)
    ws.log("date,event,case\n2019-06-10,received,A\n")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--sheet", "一月", "--sheet", "二月")
    assert result.exit_code == 2
    assert "--sheet" in stderr_of(result) and "一月" in stderr_of(result)
