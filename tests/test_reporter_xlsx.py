"""``gklint check --format xlsx`` (contract section 11), read back with openpyxl."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

openpyxl = pytest.importorskip("openpyxl")

RULES = """\
- id: R-REPLY
  title: {zh: 申请5个工作日内答复, en: Reply within 5 working days}
  deadline: {after: received, expect: answered, within: 5 working days}
- id: R-HOURS
  title: {zh: 24小时内处理, en: Handled within 24 hours}
  severity: warning
  deadline: {after: task, expect: done, within: 24 hours}
"""
# Cells a spreadsheet would run as formulas, in the case and unit columns.
LOG = """\
date,event,case,unit
2019-05-06,received,=HYPERLINK("http://x"),办公室
2019-05-20,answered,"=HYPERLINK(""http://x"")",办公室
2019-05-06,received,B,+督查室
2019-05-07,answered,B,+督查室
2019-05-08,received,C,办公室
2019-05-20 09:30,task,T1,@法规司
2019-05-22 10:00,done,T1,@法规司
2019-05-09,received,D,办公室
"""


def report(ws: Workspace, tmp_path: Path, *args: str) -> Any:
    out = tmp_path / "report.xlsx"
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--format", "xlsx",
                    "-o", str(out), *args)
    assert result.exit_code == 1, (result.output, stderr_of(result))
    return openpyxl.load_workbook(out)


def test_xlsx_findings_sheet_has_every_json_field_dates_as_dates(ws: Workspace, tmp_path: Path) -> None:
    ws.ruleset(RULES)
    ws.log(LOG)
    records = ws.cli_json("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10")["findings"]
    sheet = report(ws, tmp_path, "--lang", "en")["Findings"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:15] == ("rule", "ruleset", "severity", "status", "message", "file", "line", "case", "unit",
                           "period", "start", "due", "actual", "overdue", "overdue unit")
    assert header[-1] == "rule title"  # after the optional fields findings carry (response, ...)
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records):
        cells = dict(zip(header, row))
        assert cells["rule"] == record["rule"] and cells["line"] == record["line"]
        assert cells["message"] == record["message"]
        for key in ("start", "due", "actual"):
            if record[key] is None:
                assert cells[key] is None
            else:  # an Excel date (a date-time when the log has times), not text
                assert isinstance(cells[key], dt.datetime)
                assert cells[key].isoformat().startswith(record[key]) or \
                    cells[key].strftime("%Y-%m-%dT%H:%M") == record[key]
        overdue = record["overdue"]
        assert cells["overdue"] == (overdue["value"] if overdue else None)
    hours = next(dict(zip(header, r)) for r in rows[1:] if r[0] == "R-HOURS")
    assert hours["start"] == dt.datetime(2019, 5, 20, 9, 30) and hours["overdue unit"] == "hours"
    assert sheet.freeze_panes == "A2"
    from openpyxl.utils import get_column_letter

    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(rows)}"
    date_cell = sheet.cell(row=2, column=header.index("start") + 1)
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"


def test_xlsx_no_cell_is_a_formula(ws: Workspace, tmp_path: Path) -> None:
    ws.ruleset(RULES)
    ws.log(LOG)
    wb = report(ws, tmp_path)
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in ("=", "+", "-", "@"), cell.value
    cases = [r[7] for r in wb["Findings"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in cases


def test_xlsx_summary_counts_findings_by_unit_and_rule(ws: Workspace, tmp_path: Path) -> None:
    ws.ruleset(RULES)
    ws.log(LOG)
    sheet = report(ws, tmp_path, "--lang", "zh")["汇总"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("检查日期 2019-06-10：")
    assert rows[2][:4] == ("部门", "R-REPLY", "R-HOURS", "合计")
    # 办公室: the first case late, C and D missing; 法规司: T1 late by hours; 督查室 answered in time.
    assert rows[3][:4] == ("办公室", 3, 0, 3)
    assert rows[4][:4] == ("'@法规司", 0, 1, 1)
    assert rows[5][:4] == ("合计", 3, 1, 4)
    assert (rows[7][0], rows[7][1]) == ("R-REPLY", "申请5个工作日内答复")
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:D5"


def test_xlsx_needs_o(ws: Workspace) -> None:
    ws.ruleset(RULES)
    ws.log(LOG)
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx writes a file" in stderr_of(result) and "-o" in stderr_of(result)
    assert result.stdout == ""


def test_xlsx_shows_optional_fields_when_findings_carry_them(tmp_path: Path) -> None:
    """Keys other parts add to a finding's JSON (column, group, response) become columns of
    their own, after overdue; a group and a response read as text."""
    from gklint.reporters.xlsx import finding_columns, finding_row

    record = {"rule": "R", "severity": "error", "status": "late", "message": "m", "file": "a.xlsx", "line": 3,
              "overdue": {"value": 2, "unit": "working_days"}, "column": "答复日期",
              "group": {"类别": "简单"}, "response": {"file": "b.csv", "line": 9}}
    columns = finding_columns([record])
    assert columns[columns.index("overdue_unit") + 1:] == ["column", "group", "response"]
    row = dict(zip(columns, finding_row(record, columns, "zh")))
    assert (row["overdue"], row["overdue_unit"], row["column"]) == (2, "工作日", "答复日期")
    assert row["group"] == {"类别": "简单"}  # written as text by write_table
    from gklint.reporters.labels import cell_text

    assert (cell_text(row["group"]), cell_text(row["response"])) == ("类别=简单", "b.csv:9")
    json.dumps(record)
