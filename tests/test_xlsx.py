"""Excel logs (.xlsx, read with openpyxl) and CSV as Excel saves it in China (GBK, CRLF).

Workbooks are built with openpyxl in ``tmp_path``. Line numbers are Excel's row numbers.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

from gklint.errors import InputError

openpyxl = pytest.importorskip("openpyxl")

from gklint.events.xlsx import cell_text, xlsx_rows  # noqa: E402

RULES = """\
- id: R-REPLY
  title: {zh: 答复期限, en: Reply deadline}
  severity: error
  deadline: {after: received, expect: answered, within: 5 working days}
"""


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def rows_of(path: Path, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    raw = xlsx_rows(path, sheet)
    return raw.header, [(r.line, r.cells) for r in raw.rows]


# --- cells --------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (None, ""),
    ("2018年5月17日", "2018年5月17日"),
    (dt.datetime(2018, 5, 17), "2018-05-17"),
    (dt.datetime(2018, 5, 17, 9, 30), "2018-05-17 09:30"),
    (dt.datetime(2018, 5, 17, 9, 30, 5), "2018-05-17 09:30:05"),
    (dt.datetime(2018, 5, 17, 9, 29, 59, 999_500), "2018-05-17 09:30"),  # Excel's day fractions
    (dt.datetime(2018, 5, 17, 23, 59, 59, 999_999), "2018-05-18"),
    (dt.date(2018, 5, 17), "2018-05-17"),
    (dt.time(9, 30), "09:30:00"),
    (12.0, "12"),
    (12, "12"),
    (0.6, "0.6"),
    (True, "true"),
    (False, "false"),
])
def test_cell_text(value: Any, text: str) -> None:
    assert cell_text(value) == text


def test_dates_numbers_and_text_read_right(tmp_path: Path) -> None:
    path = workbook(tmp_path / "log.xlsx", {"台账": [
        ["日期", "事件", "编号", "部门", "份数"],
        [dt.datetime(2018, 5, 17), "收到", 1001.0, "办公室", 3.0],
        [dt.datetime(2018, 5, 18, 9, 30), "答复", "1001", "办公室", 2.5],
        ["2018年5月19日", "收到", "A-1", None, None],
        ["2018/5/20", "收到", "A-2", "条法司", True],
    ]})
    header, rows = rows_of(path)
    assert header == ["日期", "事件", "编号", "部门", "份数"]
    assert rows == [
        (2, ["2018-05-17", "收到", "1001", "办公室", "3"]),
        (3, ["2018-05-18 09:30", "答复", "1001", "办公室", "2.5"]),
        (4, ["2018年5月19日", "收到", "A-1", "", ""]),
        (5, ["2018/5/20", "收到", "A-2", "条法司", "true"]),
    ]


def test_line_numbers_are_excel_rows_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "event", "case", None, None])  # trailing empty header cells are dropped
    ws.append(["2018-05-17", "收到", "A"])
    ws.cell(row=5, column=1, value="2018-05-18")     # rows 3 and 4 left empty
    ws.cell(row=5, column=2, value="收到")
    for row in range(6, 40):                            # formatted but empty trailing rows
        ws.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        ws.cell(row=row, column=2, value="")
    wb.save(tmp_path / "log.xlsx")
    header, rows = rows_of(tmp_path / "log.xlsx")
    assert header == ["date", "event", "case"]
    assert [line for line, _ in rows] == [2, 5]


def test_a_check_on_xlsx_points_at_excel_rows(ws: Workspace) -> None:
    ws.ruleset(RULES)
    workbook(ws.root / "log.xlsx", {"Sheet1": [
        ["日期", "事件", "编号"],
        [],
        [dt.datetime(2018, 6, 1), "收到", 7.0],
        [dt.datetime(2018, 6, 20), "答复", 7],
        ["2018-13-01", "收到", 8],
        [None, None, None],
    ]})
    result = ws.cli("check", "log.xlsx", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", "json")
    assert result.exit_code == 1, stderr_of(result)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["line"], f["case"], f["status"]) for f in findings] == [
        ("R-REPLY", 3, "7", "late"), ("GK001", 5, None, "invalid")]


def test_a_folder_includes_its_xlsx_files(ws: Workspace) -> None:
    ws.ruleset(RULES)
    (ws.root / "records").mkdir()
    workbook(ws.root / "records" / "a.xlsx", {"S": [["date", "event", "case"], ["2018-06-01", "收到", "A"]]})
    ws.log("date,event,case\n2018-06-04,答复,A\n", name="records/b.csv")
    doc = json.loads(ws.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", "json").stdout)
    assert doc["summary"]["files"] == 2 and doc["findings"] == []


# --- sheets -------------------------------------------------------------------

def test_first_sheet_by_default_and_sheet_by_name(tmp_path: Path) -> None:
    path = workbook(tmp_path / "log.xlsx", {
        "说明": [["date", "event"], ["2018-01-01", "收到"]],
        "2018年台账": [["date", "event"], ["2018-02-02", "答复"]],
    })
    assert rows_of(path)[1] == [(2, ["2018-01-01", "收到"])]
    assert rows_of(path, "2018年台账")[1] == [(2, ["2018-02-02", "答复"])]


def test_an_unknown_sheet_is_exit_2_listing_the_sheets(ws: Workspace) -> None:
    ws.ruleset(RULES)
    workbook(ws.root / "log.xlsx", {"说明": [["date", "event"]], "台账": [["date", "event"]]})
    result = ws.cli("check", "log.xlsx", "-r", "rs.yaml", "--sheet", "Sheet9", "--as-of", "2018-12-31")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "log.xlsx" in err and "'Sheet9'" in err and "说明, 台账" in err


def test_sheet_from_config(ws: Workspace) -> None:
    ws.ruleset(RULES)
    workbook(ws.root / "log.xlsx", {"说明": [["x"]], "台账": [["date", "event", "case"], ["2018-06-01", "收到", "A"]]})
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\nsheet = "台账"\nas_of = "2018-12-31"\n',
                                         encoding="utf-8")
    doc = json.loads(ws.cli("check", "log.xlsx", "--format", "json").stdout)
    assert [(f["line"], f["status"]) for f in doc["findings"]] == [(2, "missing")]


def test_an_empty_first_row_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "log.xlsx", {"S": [[None, None], ["2018-01-01", "收到"]]})
    with pytest.raises(InputError, match="no header in row 1"):
        xlsx_rows(path)


# --- damaged files --------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b"date,event\n2018-01-01,x\n",       # a CSV renamed .xlsx
    b"PK\x03\x04 truncated zip",          # a half-copied file
    b"",                                  # empty
])
def test_a_damaged_xlsx_is_exit_2_naming_the_file(ws: Workspace, content: bytes) -> None:
    ws.ruleset(RULES)
    (ws.root / "坏.xlsx").write_bytes(content)
    result = ws.cli("check", "坏.xlsx", "-r", "rs.yaml", "--as-of", "2018-12-31")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "坏.xlsx" in err and "cannot read the Excel file" in err and "Traceback" not in err


def test_a_zip_that_is_not_a_workbook_is_exit_2(ws: Workspace) -> None:
    import zipfile

    ws.ruleset(RULES)
    with zipfile.ZipFile(ws.root / "x.xlsx", "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    result = ws.cli("check", "x.xlsx", "-r", "rs.yaml", "--as-of", "2018-12-31")
    assert result.exit_code == 2 and "x.xlsx" in stderr_of(result)


# --- CSV as Excel saves it ---------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_saved_by_excel_reads(ws: Workspace, encoding: str) -> None:
    """Excel in China saves "CSV (逗号分隔)" as GBK with CRLF line ends; "CSV UTF-8" adds a BOM."""
    ws.ruleset(RULES)
    text = "日期,事件,编号,部门\r\n2018/6/1,收到申请,依申请〔2018〕1号,办公室\r\n2018/6/20,答复,依申请〔2018〕1号,办公室\r\n"
    (ws.root / "台账.csv").write_bytes(text.encode(encoding))
    result = ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", "json")
    assert result.exit_code == 1, stderr_of(result)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["line"], f["case"], f["unit"], f["status"]) for f in findings] == [
        (2, "依申请〔2018〕1号", "办公室", "late")]


def test_cells_right_of_the_header_are_a_malformed_row(ws: Workspace) -> None:
    ws.ruleset(RULES)
    workbook(ws.root / "log.xlsx", {"S": [["date", "event", "case"],
                                          ["2018-06-01", "收到", "A", None, "备注写在表外"],
                                          ["2018-06-02", "答复", "A", None, None]]})
    doc = json.loads(ws.cli("check", "log.xlsx", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", "json").stdout)
    assert [(f["rule"], f["line"]) for f in doc["findings"]] == [("GK007", 2)]
