"""The 2019 national template rules on a table written wide and long (synthetic, consistent figures)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gklint.kinds.table import compile, evaluate_table
from gklint.tables import ReportTable, read_table

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

# The rows of table 三 as the template prints them; None = a heading with no numbers of its own.
TEMPLATE: list[tuple[str, list[int] | None]] = [
    ("一、本年新收政府信息公开申请数量", [20, 3, 1, 0, 2, 1]),
    ("二、上年结转政府信息公开申请数量", [2, 1, 0, 0, 0, 0]),
    ("三、本年度办理结果", None),
    ("（一）予以公开", [8, 2, 1, 0, 0, 0]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [3, 1, 0, 0, 0, 0]),
    ("（三）不予公开", None),
    ("1.属于国家秘密", [1, 0, 0, 0, 0, 0]),
    ("2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0]),
    ("3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0]),
    ("4.保护第三方合法权益", [1, 0, 0, 0, 0, 0]),
    ("5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0]),
    ("6.属于四类过程性信息", [0, 0, 0, 0, 0, 0]),
    ("7.属于行政执法案卷", [0, 0, 0, 0, 0, 0]),
    ("8.属于行政查询事项", [0, 0, 0, 0, 0, 0]),
    ("（四）无法提供", None),
    ("1.本机关不掌握相关政府信息", [4, 1, 0, 0, 1, 0]),
    ("2.没有现成信息需要另行制作", [0, 0, 0, 0, 0, 0]),
    ("3.补正后申请内容仍不明确", [0, 0, 0, 0, 0, 0]),
    ("（五）不予处理", None),
    ("1.信访举报投诉类申请", [0, 0, 0, 0, 0, 0]),
    ("2.重复申请", [1, 0, 0, 0, 0, 0]),
    ("3.要求提供公开出版物", [0, 0, 0, 0, 0, 0]),
    ("4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0]),
    ("5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0]),
    ("（六）其他处理", [2, 0, 0, 0, 0, 1]),
    ("（七）总计", [20, 4, 1, 0, 1, 1]),
    ("四、结转下年度继续办理", [2, 0, 0, 0, 1, 0]),
]


def rules() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "rulesets" / "annual-report-2019-table.yaml").read_text(encoding="utf-8"))
    return {rule["id"]: compile(rule["table"], rule["id"]) for rule in doc["rules"]}


RULES = rules()


def wide(changes: dict[tuple[int, str], str] | None = None) -> ReportTable:
    """The template wide: 年度 on line 2, template row i on line i + 3. ``changes``: (row, column) -> cell."""
    header = ["统计指标", *COLUMNS, "总计"]
    rows = [(2, dict(zip(header, ["年度", "2019"])))]
    for i, (label, values) in enumerate(TEMPLATE):
        cells = [str(v) for v in values] + [str(sum(values))] if values else [""] * 7
        row = dict(zip(header, [label, *cells]))
        for (at, column), cell in (changes or {}).items():
            if at == i:
                row[column] = cell
        rows.append((i + 3, row))
    return read_table("wide.csv", rows, header)


def long(changes: dict[tuple[int, str], str] | None = None) -> ReportTable:
    """The same table long: one line per cell, row by row."""
    header = ["indicator", "column", "value"]
    source = wide(changes)
    out, line = [(2, {"indicator": "year", "column": "", "value": "2019"})], 3
    for label, _ in TEMPLATE:
        for column in [*COLUMNS, "总计"]:
            cell = next((r for r in source.rows if r.label == label and r.column == column), None)
            value = "" if cell is None or cell.value is None else str(cell.value)
            if cell is not None and cell.bad:
                value = next(b.raw for b in source.bad_values if b.indicator == cell.name)
            out.append((line, {"indicator": label, "column": column, "value": value}))
            line += 1
    return read_table("long.csv", out, header)


def findings(table: ReportTable) -> list[tuple[str, str, int | None]]:
    return [(rule_id, p.status, p.line) for rule_id, rule in RULES.items()
            for p in evaluate_table(rule, table, lambda ref, year: 27 if year == 2019 else 0)]


@pytest.mark.parametrize("shape", [wide, long])
def test_a_consistent_table_passes_every_rule(shape: Any) -> None:
    table = shape()
    assert table.year == 2019 and not table.bad_values
    assert findings(table) == []


TABLE_FOUR = "AR19-REVIEW-LITIGATION-TOTALS"


def test_every_name_in_the_rules_is_a_cell_of_the_template() -> None:
    table = wide()
    for rule_id, rule in RULES.items():
        if rule_id == TABLE_FOUR:
            continue  # table 四 (below)
        for name in rule.names:
            assert table.lookup(name.text) is not None, name.text


def table_four(cells: dict[str, list[str]]) -> ReportTable:
    header = ["统计指标", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [(2, dict(zip(header, ["年度", "2019"])))]
    rows += [(i + 3, dict(zip(header, [label, *values]))) for i, (label, values) in enumerate(cells.items())]
    return read_table("four.csv", rows, header)


def test_table_four_has_fifteen_cells_and_three_total_identities() -> None:
    """Table 四: 行政复议 5 columns, 行政诉讼 split into 未经复议直接起诉 and 复议后起诉 with 5 each."""
    rule = RULES[TABLE_FOUR]
    assert len({n.name for n in rule.names}) == 15
    ok = table_four({"行政复议": ["5", "", "", "2", "7"], "未经复议直接起诉": ["8", "", "", "1", "9"],
                     "复议后起诉": ["", "", "", "", ""]})
    for name in rule.names:
        assert ok.lookup(name.text) is not None, name.text
    assert list(evaluate_table(rule, ok)) == []
    bad = table_four({"行政复议": ["5", "1", "", "2", "7"], "未经复议直接起诉": ["8", "", "", "1", "9"],
                      "复议后起诉": ["1", "0", "1", "0", "3"]})
    assert [(p.status, p.line) for p in evaluate_table(rule, bad)] == [("invalid", 3), ("invalid", 5)]
    # The table 三 rules do not apply to a table 四 (none of their indicators is in it), nor the reverse.
    assert all(list(evaluate_table(r, ok)) == [] for i, r in RULES.items() if i != TABLE_FOUR)
    assert list(evaluate_table(rule, wide())) == []


def test_a_wrong_total_cell_is_reported_by_row_and_by_column() -> None:
    # 予以公开[总计] 11 -> 12: its row no longer adds up, nor does the 总计 column of the results
    found = findings(wide({(3, "总计"): "12"}))
    assert found == [("AR19-ROW-TOTALS", "invalid", 6), ("AR19-RESULTS-TOTAL", "invalid", 28)]


def test_a_wrong_carried_forward_is_reported_by_row_and_by_balance() -> None:
    found = findings(wide({(26, "自然人"): "3"}))
    assert found == [("AR19-ROW-TOTALS", "invalid", 29), ("AR19-BALANCE", "invalid", 3)]
    [balance] = [p for p in evaluate_table(RULES["AR19-BALANCE"], wide({(26, "自然人"): "3"}))]
    assert balance.message["zh"] == (
        "本年新收政府信息公开申请数量[自然人] 20 + 上年结转政府信息公开申请数量[自然人] 2 = 22，"
        "但 总计[自然人] 20 + 结转下年度继续办理[自然人] 3 = 23")


def test_long_form_findings_point_at_the_cell_line() -> None:
    # in the long table, row i column j is on line 3 + 7 * i + j
    found = findings(long({(26, "自然人"): "3"}))
    assert found == [("AR19-ROW-TOTALS", "invalid", 3 + 7 * 26 + 6), ("AR19-BALANCE", "invalid", 3)]


def test_blank_cells_count_as_zero() -> None:
    blank = {(i, c): "" for i in (7, 8, 16) for c in [*COLUMNS, "总计"]}
    assert findings(wide(blank)) == []


def test_a_bad_cell_is_left_to_the_reader() -> None:
    table = wide({(6, "自然人"): "—"})
    assert [(b.line, b.indicator) for b in table.bad_values] == [(9, "属于国家秘密[自然人]")]
    # the parts that use the cell are skipped; the others still pass
    assert findings(table) == []


def test_reconcile_with_the_log() -> None:
    rule = RULES["AR19-NEW-RECEIVED-MATCHES-LOG"]
    assert list(evaluate_table(rule, wide(), lambda ref, year: 27)) == []
    [problem] = evaluate_table(rule, wide(), lambda ref, year: 30)
    assert problem.line == 3 and problem.message["zh"] == (
        "本年新收政府信息公开申请数量[总计] = 27，但事件记录中 request_received 为 30 条（2019年）")


def test_the_2008_rules_do_not_apply_to_the_new_table() -> None:
    doc = yaml.safe_load((ROOT / "rulesets" / "annual-report-2008-table.yaml").read_text(encoding="utf-8"))
    table = wide()
    for rule in doc["rules"]:
        assert list(evaluate_table(compile(rule["table"], rule["id"]), table, lambda ref, year: 0)) == []
