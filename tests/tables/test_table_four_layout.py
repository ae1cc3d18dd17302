"""Table 四 (行政复议、行政诉讼) as the 2019 and 2021 templates lay it out: one row of fifteen
numbers under a three-row merged header (行政复议 over five columns, 行政诉讼 over ten:
未经复议直接起诉 and 复议后起诉 over five each; 结果维持 … 总计 under each). It was read as a broken
event log (exit 2); with only blank first cells read, as a table whose indicators were its figures
(GK012 "the indicator '5[结果维持]' appears twice"). Read across, each group is the row the rules name
(行政复议[结果维持] …)."""
from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import Workspace, _stderr

RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TITLE = "2021年政府信息公开工作年度报告 表四"
# Review: 5 + 0 + 0 + 2 = 7, but 总计 says 8. Sued directly: 8 + 1 = 9. After review: 1 + 1 = 2, not 3.
FIGURES = [5, 0, 0, 2, 8, 8, 0, 0, 1, 9, 1, 1, 0, 0, 3]


def layout(filled: bool) -> list[list[Any]]:
    """Title, the three header rows and the figures; ``filled``: merged cells' text in each cell."""
    top = ["行政复议"] * 5 + ["行政诉讼"] * 10 if filled else ["行政复议", *[None] * 4, "行政诉讼", *[None] * 9]
    middle = [*RESULTS, *(["未经复议直接起诉"] * 5 if filled else ["未经复议直接起诉", *[None] * 4]),
              *(["复议后起诉"] * 5 if filled else ["复议后起诉", *[None] * 4])]
    bottom = [*(RESULTS if filled else [None] * 5), *RESULTS, *RESULTS]
    return [[TITLE, *([TITLE] * 14 if filled else [None] * 14)], top, middle, bottom, FIGURES]


def check(ws: Workspace, name: str) -> tuple[list[tuple[str, int, str]], str]:
    result = ws.cli("check", name, "--as-of", "2022-03-01", "--format", "json", "-r", "annual-report-2021-table")
    assert result.exit_code == 1, (result.output, _stderr(result))
    return [(f["rule"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]], _stderr(result)


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "repeated"])
def test_table_four_as_the_template_lays_it_out_in_csv(ws: Workspace, filled: bool) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["" if c is None else c for c in row] for row in layout(filled)])
    ws.write("表四.csv", out.getvalue())
    found, err = check(ws, "表四.csv")
    assert [(rule, line) for rule, line, _ in found] == [("AR21-REVIEW-LITIGATION-TOTALS", 5)] * 2
    assert "行政复议[总计] = 8" in found[0][2] and "复议后起诉[总计] = 3" in found[1][2]
    assert "the report table's header is lines 2-4" in err


def test_table_four_in_a_workbook_with_merged_cells(ws: Workspace) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in layout(filled=False):
        sheet.append(row)
    for cells in ("A1:O1", "A2:E2", "F2:O2", "F3:J3", "K3:O3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4"):
        sheet.merge_cells(cells)
    book.save(ws.root / "表四.xlsx")
    found, _ = check(ws, "表四.xlsx")
    assert [(rule, line) for rule, line, _ in found] == [("AR21-REVIEW-LITIGATION-TOTALS", 5)] * 2


def test_a_ledger_under_a_title_is_not_read_across(ws: Workspace) -> None:
    """A title over a ledger's header is no group heading: the ledger stays a ledger."""
    ws.write("台账.csv", "2021年依申请公开台账,,,\n编号,收到申请日期,答复日期,总计\n"
                        "A-1,2021-06-01,2021-08-30,1\n")
    out = ws.cli("check", "台账.csv", "-r", "ogi-regulation-2019", "--as-of", "2021-12-31", "--format", "json")
    assert "OGI19-REPLY-20WD" in out.stdout, (out.stdout, _stderr(out))
