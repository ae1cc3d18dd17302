"""Report tables laid out as the published templates lay them out (contract section 14).

Each test reproduces what users saw: a table whose header's first cell is 项目 or blank, a table
below a title row, or one with the template's merged two- or three-row header was read as a broken
event log ("the header has no 'date' (日期), 'event' (事件) column", exit 2). The figures are the
published ones of the 2021-format fixture AR21-TABLE-THREE-fail, whose 3.其他 row does not add up
(AR21-ROW-TOTALS on its line) and so the （七）总计 row does not either (AR21-RESULTS-TOTAL).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, _stderr

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "rulesets" / "tests" / "annual-report-2021-table" / "AR21-TABLE-THREE-fail" / "events.csv"
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
COMPANIES = APPLICANTS[1:6]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TITLE = "2025年政府信息公开工作年度报告 统计表"
BROKEN = "has no 'date'"  # what the event-log reader said of every one of these tables


def published() -> list[list[str]]:
    """The fixture's rows under its header: the 年度 row, then label and seven values."""
    rows = list(csv.reader(io.StringIO(FIXTURE.read_text(encoding="utf-8"))))
    assert rows[0] == ["统计指标", *APPLICANTS] and rows[1][0] == "年度"
    return rows[1:]


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def line_of(rows: list[list[Any]], label: str) -> int:
    """The 1-based line of the row whose last non-blank label cell is ``label``."""
    for number, row in enumerate(rows, start=1):
        if label in [str(c) for c in row[:3] if c]:
            return number
    raise AssertionError(label)


def expected(rows: list[list[Any]]) -> list[tuple[str, int]]:
    return [("AR21-ROW-TOTALS", line_of(rows, "3.其他")), ("AR21-RESULTS-TOTAL", line_of(rows, "（七）总计"))]


def findings(ws: Workspace, name: str, *args: str) -> tuple[list[tuple[str, int]], str]:
    result = ws.cli("check", name, "--as-of", "2026-03-01", "--format", "json", *args)
    assert result.exit_code == 1, (result.exit_code, result.output, _stderr(result))
    return [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]], _stderr(result)


@pytest.mark.parametrize("first", ["项目", ""])
def test_a_header_whose_first_cell_is_xiangmu_or_blank(ws: Workspace, first: str) -> None:
    rows = [[first, *APPLICANTS], *published()]
    ws.write("表三.csv", to_csv(rows))
    found, err = findings(ws, "表三.csv")
    assert found == expected(rows) and BROKEN not in err
    assert "note" not in err  # line 1 alone: nothing to say


def test_a_gbk_table_with_a_blank_first_cell(ws: Workspace) -> None:
    rows = [["", *APPLICANTS], *published()]
    ws.write("表三.csv", to_csv(rows), encoding="gbk")
    assert findings(ws, "表三.csv")[0] == expected(rows)


def test_title_rows_above_the_header_give_the_year(ws: Workspace) -> None:
    """No 年度 row: the title's 2025 chooses the 2021 format, as a 年度 row would."""
    body = [r for r in published() if r[0] != "年度"]
    rows = [[TITLE, *[""] * 7], ["单位：件", *[""] * 7], ["项目", *APPLICANTS], *body]
    ws.write("表三.csv", to_csv(rows))
    found, err = findings(ws, "表三.csv")
    assert found == expected(rows)
    assert f"the report table's header is line 3; the lines above it are taken for a title ('{TITLE} / 单位：件')" \
        in err
    # Said in the command line's language; the 2019 format alone in force: 2025 is no year of it.
    result = ws.cli("check", "表三.csv", "--as-of", "2026-03-01", "--lang", "zh", "-r", "annual-report-2019-table")
    assert f"统计表的表头在第3行，其上的行作为标题（“{TITLE} / 单位：件”）" in _stderr(result)
    assert "GK015" in result.stdout and "2025" in result.stdout


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "repeated"])
def test_a_merged_two_row_header_in_csv(ws: Workspace, filled: bool) -> None:
    """申请人情况 over the seven columns: written once with blanks after it, or in every cell (as a
    merged cell is unmerged and filled); 项目 merged down: blank below, or repeated."""
    top = ["项目", *(["申请人情况"] * 7 if filled else ["申请人情况", *[""] * 6])]
    rows = [top, ["项目" if filled else "", *APPLICANTS], *published()]
    ws.write("表三.csv", to_csv(rows))
    found, err = findings(ws, "表三.csv")
    assert found == expected(rows)
    assert "the report table's header is lines 1-2" in err and "title" not in err


def template_rows(filled: bool = False) -> list[list[str]]:
    """Table 三 as the template lays it out: a title, the note over three label columns and three
    header rows (申请人情况 / 自然人, 法人或其他组织, 总计 / 商业企业 … 其他), no 年度 row, and
    headings (三、本年度办理结果, （三）不予公开 …) in the label columns of the rows under them.
    ``filled``: every merged cell's text in each of its cells (as unmerging and filling leaves it)."""
    head = [[TITLE, *[TITLE if filled else ""] * 9],
            [NOTE, *[NOTE if filled else ""] * 2, *(["申请人情况"] * 7 if filled else ["申请人情况", *[""] * 6])],
            [*([NOTE] * 3 if filled else [""] * 3), "自然人",
             *(["法人或其他组织"] * 5 if filled else ["法人或其他组织", *[""] * 4]), "总计"],
            [*([NOTE] * 3 if filled else [""] * 3), "自然人" if filled else "", *COMPANIES,
             "总计" if filled else ""]]
    body: list[list[str]] = []
    top = group = ""
    for label, *values in published()[1:]:
        if not any(values):  # a heading: written in the label columns of the rows under it
            if label.startswith("三、"):
                top, group = label, ""
            else:
                group = label
            continue
        if label[0] in "一二四":
            body.append([label, *([label] * 2 if filled else ["", ""]), *values])
            top = group = ""
        elif label.startswith("（"):
            body.append([top, label, label if filled else "", *values])
            group = ""
            top = top if filled else ""
        else:
            body.append([top, group, label, *values])
            top, group = (top, group) if filled else ("", "")
    return head + body


UNIT_ROWS = {
    "under-the-first-column": ["", "单位：件", *[""] * 6],
    "under-the-last-column": [*[""] * 7, "单位：件"],
    "in-the-label-column": ["单位：件", *[""] * 7],
    "in-brackets": ["", "（单位：件）", *[""] * 6],
    "among-the-figures": None,
}


@pytest.mark.parametrize("unit", UNIT_ROWS.values(), ids=UNIT_ROWS.keys())
def test_a_note_of_the_unit_under_the_header_is_neither_a_heading_nor_a_row(ws: Workspace,
                                                                           unit: list[str] | None) -> None:
    """单位：件 on a row of its own under the header: not a second header row (which made it the
    heading of its column, so that column's checks were skipped and GK016 said a column was
    missing), nor a row of figures with no indicator (GK012)."""
    body = published()
    rows = [["项目", *APPLICANTS], unit, *body] if unit else [["项目", *APPLICANTS], *body[:5], ["", "单位：件"], *body[5:]]
    ws.write("表三.csv", to_csv(rows))
    found, err = findings(ws, "表三.csv")
    assert found == expected(rows)
    assert "the report table's header is lines" not in err


def test_a_note_of_the_unit_under_the_templates_header(ws: Workspace) -> None:
    rows = template_rows()
    rows.insert(4, ["", "", "", "单位：件", *[""] * 6])
    ws.write("表三.csv", to_csv(rows))
    found, err = findings(ws, "表三.csv")
    assert found == expected(rows)
    assert "the report table's header is lines 2-4" in err


@pytest.mark.parametrize(("cell", "note"), [
    ("单位：件", True), ("单位:件", True), ("（单位：个）", True), ("(单位: 万元)", True), ("计量单位：件", True),
    ("单位", False), ("件", False), ("单位：件，其中网站留言20件", False), ("", False), (None, False), (3, False),
])
def test_what_is_a_note_of_the_unit(cell: object, note: bool) -> None:
    from gklint.tables.reader import unit_note

    assert unit_note(cell) is note


def test_the_template_layout_in_csv_with_filled_cells(ws: Workspace) -> None:
    rows = template_rows(filled=True)
    ws.write("表三.csv", to_csv(rows))
    found, err = findings(ws, "表三.csv")
    assert found == expected(rows)
    assert "the report table's header is lines 2-4; the line above it is taken for a title" in err


def _merge(sheet: Any, rows: list[list[str]]) -> None:
    """Merge the template's cells: the title across, the note over A2:C4, the group headings
    across, 自然人 and 总计 down; in the body a label across its empty label cells and a heading
    down over the rows under it."""
    from openpyxl.utils import get_column_letter as col

    sheet.merge_cells("A1:J1")
    sheet.merge_cells("A2:C4")
    sheet.merge_cells("D2:J2")
    sheet.merge_cells("D3:D4")
    sheet.merge_cells("E3:I3")
    sheet.merge_cells("J3:J4")
    for number, row in enumerate(rows[4:], start=5):
        label_at = max(i for i in range(3) if row[i])
        if label_at < 2:
            sheet.merge_cells(f"{col(label_at + 1)}{number}:C{number}")
    for column in (0, 1):  # a heading down to the row before the next heading of its column
        starts = [n for n, row in enumerate(rows[4:], start=5) if row[column]]
        for start, end in zip(starts, [*starts[1:], len(rows) + 1]):
            below = [n for n in range(start + 1, end) if not any(rows[n - 1][:column + 1])]
            if below and rows[start - 1][column + 1]:  # (a label merged across is not merged down)
                sheet.merge_cells(f"{col(column + 1)}{start}:{col(column + 1)}{below[-1]}")


def test_the_template_layout_in_a_workbook_with_merged_cells(ws: Workspace) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rows = template_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    _merge(sheet, rows)
    book.save(ws.root / "表三.xlsx")
    # Read back: merged away cells are empty, as Excel and WPS write them.
    back = openpyxl.load_workbook(ws.root / "表三.xlsx")
    assert {str(r) for r in back.active.merged_cells.ranges} >= {"A1:J1", "A2:C4", "D2:J2", "E3:I3"}
    assert back.active["B2"].value is None and back.active["A8"].value is None and back.active["B10"].value is None
    assert back.active["A7"].value == "三、本年度办理结果" and back.active["B9"].value == "（三）不予公开"
    found, err = findings(ws, "表三.xlsx")
    assert found == expected(rows)
    assert "the report table's header is lines 2-4; the line above it is taken for a title" in err
    # The same table as the columnar engine reads it.
    if pytest.importorskip("duckdb"):
        assert findings(ws, "表三.xlsx", "--engine", "columnar")[0] == found


def test_the_template_workbook_read_by_calamine_reads_alike(ws: Workspace) -> None:
    """The .xls/.et reader (python-calamine) gives merged cells as the .xlsx reader does: the
    workbook above saved under .et (calamine reads the format it finds) gives the same report."""
    pytest.importorskip("python_calamine")
    openpyxl = pytest.importorskip("openpyxl")
    rows = template_rows()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([int(c) if c.isdigit() else (c or None) for c in row])
    _merge(book.active, rows)
    book.save(ws.root / "表三.et")
    found, err = findings(ws, "表三.et")
    assert found == expected(rows) and "lines 2-4" in err


def test_a_merged_two_row_header_in_a_workbook(ws: Workspace) -> None:
    """项目 merged over two rows, 申请人情况 across the seven columns, a title row above."""
    openpyxl = pytest.importorskip("openpyxl")
    rows: list[list[Any]] = [[TITLE], ["项目", "申请人情况"], [None, *APPLICANTS], *published()]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(c) if isinstance(c, str) and c.isdigit() else (c or None) for c in row])
    sheet.merge_cells("A1:H1")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:H2")
    book.save(ws.root / "表三.xlsx")
    found, err = findings(ws, "表三.xlsx")
    assert found == expected(rows)
    assert "the report table's header is lines 2-3" in err


def test_a_table_read_as_laid_out_names_its_columns_and_headings(tmp_path: Path) -> None:
    """The reader on its own: the template's columns are the applicant columns, its headings rows
    of their own, and a renamed column is found on the header row it is written on."""
    from gklint.tables.reader import read_table_file

    rows = template_rows()
    path = tmp_path / "t.csv"
    path.write_text(to_csv(rows), encoding="utf-8")
    table = read_table_file(path)
    assert table.form == "wide" and list(table.columns) == APPLICANTS and table.year == 2025 and table.year_line == 1
    assert table.lookup("不予公开/属于国家秘密[总计]").value == 13
    assert table.lookup("本年度办理结果[总计]").value is None  # a heading, as in the flat layout
    assert table.column_lines == {"自然人": 3, **{c: 4 for c in COMPANIES}, "总计": 3}


def test_an_event_log_with_a_blank_first_header_cell_is_still_an_event_log(ws: Workspace) -> None:
    """A pandas export's index column (a blank header cell) does not make a log a table."""
    ws.write("events.csv", ",date,event,value\n0,2019-06-10,收到申请,3\n")
    result = ws.cli("check", "events.csv", "--as-of", "2019-12-31", "-r", "ogi-regulation-2019", "--format", "json")
    assert result.exit_code in (0, 1), _stderr(result)
    assert json.loads(result.stdout)["summary"]["events"] == 1


def test_a_renamed_column_of_a_merged_header_is_found_on_its_row(ws: Workspace) -> None:
    """合计 for 总计, merged down over rows 3-4 of the template's header: GK016 on line 3."""
    rows = template_rows()
    rows[2][-1] = "合计"
    ws.write("表三.csv", to_csv(rows))
    found, _ = findings(ws, "表三.csv")
    assert ("GK016", 3) in found


@pytest.mark.parametrize("first", ["项目", ""])
def test_a_ledger_with_a_xiangmu_or_blank_first_column_and_an_other_column_is_a_ledger(
        ws: Workspace, first: str) -> None:
    """One applicant-type word among a ledger's headers (其他) does not make it a table."""
    ws.write("台账.csv", f"{first},编号,收到申请日期,答复日期,其他\n1,A-1,2019-06-10,2019-08-30,x\n")
    out = ws.cli_json("check", "台账.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31")
    assert ("OGI19-REPLY-20WD", "A-1") in [(f["rule"], f.get("case")) for f in out["findings"]]
