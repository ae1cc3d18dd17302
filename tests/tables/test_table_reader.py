"""Reading report tables (gklint.tables.reader): headers, values, years, the three shapes."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from gklint.tables import ReportTable, TableRow, is_report_table, read_table, read_table_file
from gklint.tables.reader import parse_value

BEIJING = Path(__file__).resolve().parents[2] / "examples" / "beijing-ipo-2018-table" / "统计表.csv"


def row(table: ReportTable, name: str) -> TableRow:
    found = table.lookup(name)
    assert found is not None, name
    return found


def narrow(*rows: tuple[str, str, object], header: tuple[str, ...] = ("统计指标", "单位", "统计数")) -> ReportTable:
    """A table from (label, unit, value) rows; the header is line 1, so rows start on line 2."""
    return read_table("t.csv", [(i, dict(zip(header, row))) for i, row in enumerate(rows, start=2)], list(header))


@pytest.mark.parametrize(("header", "expected"), [
    (["统计指标", "单位", "统计数"], True),
    (["统 计 指 标", "单位", "统计数"], True),  # as the Beijing table prints it
    (["统计　指标", "统 计 数"], True),  # an ideographic space
    (["ＩＮＤＩＣＡＴＯＲ", "Value"], True),  # full-width letters
    (["\ufeff统计指标", "统计数"], True),
    (["Indicator", "VALUE"], True),
    (["indicator", "unit", "value", "code"], True),
    (["代码", "统计指标", "单位", "统计数"], True),
    (["indicator", "column", "value"], True),  # 2019 long form
    (["统计指标", "申请人类型", "统计数"], True),
    (["统计指标", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], True),  # wide
    (["indicator", "总计"], True),
    (["统计指标", "单位"], False),
    (["统计数"], False),
    (["date", "event", "case"], False),
    (["日期", "事件", "indicator"], False),
    ([], False),
])
def test_is_report_table(header: list[str], expected: bool) -> None:
    from gklint.events import is_table_header

    assert is_report_table(header) is expected
    assert is_table_header(header) is expected  # what reading a file asks first


@pytest.mark.parametrize(("cell", "expected"), [
    ("12", Decimal(12)),
    (" 12 ", Decimal(12)),
    ("0", Decimal(0)),
    ("0.35", Decimal("0.35")),
    ("1,234", Decimal(1234)),
    ("1，234", Decimal(1234)),
    ("12,345,678.5", Decimal("12345678.5")),
    ("１２", Decimal(12)),
    ("１２．５", Decimal("12.5")),
    ("-3", Decimal(-3)),
    ("−3", Decimal(-3)),
    ("+3", Decimal(3)),
    (7, Decimal(7)),
    (0.35, Decimal("0.35")),
    (Decimal("1.5"), Decimal("1.5")),
    ("", None),
    ("   ", None),
    ("\u3000", None),
    (None, None),
])
def test_values(cell: object, expected: Decimal | None) -> None:
    assert parse_value(cell) == expected


@pytest.mark.parametrize("cell", ["—", "-", "/", "无", "10件", "1e3", "1,23", "1,2345", "1 234", "12.", ".5",
                                  "0x10", "NaN", "Infinity", "100%", True])
def test_bad_values(cell: object) -> None:
    with pytest.raises(ValueError):
        parse_value(cell)


def test_narrow_table_values_blanks_and_bad_values_with_their_lines() -> None:
    table = narrow(
        ("年度", "", "2018年度"),
        ("一、依申请公开情况", "", ""),
        ("（一）收到申请数", "件", "1,234"),
        ("1.当面申请数", "件", ""),
        ("2.网络申请数", "件", "—"),
        ("二、收取的费用", "万元", "0.35"),
    )
    assert table.form == "narrow"
    assert (table.year, table.year_line) == (2018, 2)
    assert [(r.line, r.name, r.value, r.unit) for r in table.rows] == [
        (3, "依申请公开情况", None, None),
        (4, "收到申请数", Decimal(1234), "件"),
        (5, "当面申请数", None, "件"),
        (6, "网络申请数", None, "件"),
        (7, "收取的费用", Decimal("0.35"), "万元"),
    ]
    assert row(table, "网络申请数").bad and not row(table, "当面申请数").bad
    [bad] = table.bad_values
    assert (bad.line, bad.indicator, bad.raw) == (6, "网络申请数", "—")
    assert "不是数字" in bad.message["zh"] and "not a number" in bad.message["en"]


@pytest.mark.parametrize(("cell", "year"), [("2018", 2018), ("2018年", 2018), ("2018年度", 2018), ("２０１８", 2018),
                                            (2019, 2019), (2019.0, 2019)])
def test_year_row(cell: object, year: int) -> None:
    for label in ("年度", "year", "Year", "报告年度"):
        assert narrow((label, "", cell), ("收到申请数", "件", "1")).year == year


def test_year_problems() -> None:
    assert narrow(("收到申请数", "件", "1")).year is None
    bad = narrow(("年度", "", "去年"), ("收到申请数", "件", "1"))
    assert bad.year is None and [b.line for b in bad.bad_values] == [2]
    clash = narrow(("年度", "", "2018"), ("年度", "", "2019"))
    assert clash.year == 2018 and [b.line for b in clash.bad_values] == [3]
    assert "年度" not in clash.names()


def test_duplicate_indicator_is_reported_and_the_first_kept() -> None:
    table = narrow(("收到申请数", "件", "1"), ("收到申请数", "件", "2"))
    assert row(table, "收到申请数").value == 1
    assert [(b.line, b.indicator) for b in table.bad_values] == [(3, "收到申请数")]
    assert "重复" in table.bad_values[0].message["zh"]


def test_value_without_indicator_and_spacer_rows() -> None:
    table = narrow(("", "", ""), ("", "件", "5"), ("收到申请数", "件", "1"))
    assert [b.line for b in table.bad_values] == [3]
    assert [r.line for r in table.rows] == [4]


def test_repeated_labels_in_a_table() -> None:
    table = narrow(("四、行政复议数量", "件", "1"), ("（一）被依法纠错数", "件", "1"),
                   ("五、行政诉讼数量", "件", "0"), ("（一）被依法纠错数", "件", "0"))
    assert [r.name for r in table.rows] == ["行政复议数量", "行政复议数量/被依法纠错数", "行政诉讼数量",
                                            "行政诉讼数量/被依法纠错数"]
    assert [r.parent for r in table.rows] == [None, "行政复议数量", None, "行政诉讼数量"]
    assert table.lookup("被依法纠错数") is None
    assert table.resolve("被依法纠错数").candidates == ("行政复议数量/被依法纠错数", "行政诉讼数量/被依法纠错数")
    assert row(table, "行政诉讼数量/被依法纠错数").line == 5
    assert table.lookup("没有这一行") is None and table.resolve("没有这一行").candidates == ()


WIDE_HEADER = ("统计指标", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计", "备注")


def test_wide_form_names_each_cell_label_column() -> None:
    rows = [
        (2, dict(zip(WIDE_HEADER, ["年度", "2019", "", "", "", "", "", "", ""]))),
        (3, dict(zip(WIDE_HEADER, ["一、本年新收政府信息公开申请数量", "10", "2", "0", "0", "1", "0", "13", "含网上"]))),
        (4, dict(zip(WIDE_HEADER, ["三、本年度办理结果", "", "", "", "", "", "", "", ""]))),
        (5, dict(zip(WIDE_HEADER, ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1", "", "", "", "", "", "1", ""]))),
    ]
    table = read_table("w.csv", rows, list(WIDE_HEADER))
    assert table.form == "wide" and table.year == 2019
    assert table.columns == WIDE_HEADER[1:8]
    cell = row(table, "本年新收政府信息公开申请数量[自然人]")
    assert (cell.line, cell.value, cell.column) == (3, Decimal(10), "自然人")
    assert cell.name == "本年新收政府信息公开申请数量[自然人]"
    assert row(table, "本年新收政府信息公开申请数量[总计]").value == 13
    assert table.lookup("本年新收政府信息公开申请数量") is None  # a row of a wide table has no single value
    assert row(table, "部分公开[自然人]").value == 1
    assert row(table, "本年度办理结果/部分公开【总计】").value == 1
    assert row(table, "部分公开[商业企业]").value is None  # blank
    assert not table.bad_values  # the remarks column is not read


def test_long_form_one_cell_per_line() -> None:
    header = ["indicator", "column", "value"]
    cells = [("年度", "", "2019"),
             ("一、本年新收政府信息公开申请数量", "自然人", "10"),
             ("一、本年新收政府信息公开申请数量", "商业企业", "2"),
             ("一、本年新收政府信息公开申请数量", "总计", "12"),
             ("二、上年结转政府信息公开申请数量", "自然人", "1"),
             ("二、上年结转政府信息公开申请数量", "总计", "x")]
    table = read_table("l.csv", [(i, dict(zip(header, c))) for i, c in enumerate(cells, start=2)], header)
    assert table.form == "long" and table.year == 2019
    assert [(r.line, r.name) for r in table.rows] == [
        (3, "本年新收政府信息公开申请数量[自然人]"), (4, "本年新收政府信息公开申请数量[商业企业]"),
        (5, "本年新收政府信息公开申请数量[总计]"), (6, "上年结转政府信息公开申请数量[自然人]"),
        (7, "上年结转政府信息公开申请数量[总计]")]
    assert [(b.line, b.indicator) for b in table.bad_values] == [(7, "上年结转政府信息公开申请数量[总计]")]


def test_long_form_in_column_major_order() -> None:
    header = ["统计指标", "申请人类型", "统计数"]
    cells = [("一、甲", "自然人", "1"), ("（一）乙", "自然人", "2"), ("一、甲", "总计", "3"), ("（一）乙", "总计", "4")]
    table = read_table("l.csv", [(i, dict(zip(header, c))) for i, c in enumerate(cells, start=2)], header)
    assert not table.bad_values
    assert row(table, "甲/乙[总计]").value == 4 and row(table, "乙[自然人]").line == 3


def test_read_table_file_encodings_and_quoted_newlines(tmp_path: Path) -> None:
    text = '统计指标,单位,统计数\n年度,,2018\n"（一）主动公开政府信息数\n（不同渠道和方式公开相同信息计1条）",条,566\n1.政府网站,条,467\n'
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        path = tmp_path / f"t-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        table = read_table_file(path)
        assert table.year == 2018
        assert [(r.line, r.name) for r in table.rows] == [
            (3, "主动公开政府信息数(不同渠道和方式公开相同信息计1条)"), (5, "政府网站")]
        assert row(table, "主动公开政府信息数").value == 566
    tsv = tmp_path / "t.tsv"
    tsv.write_text("indicator\tvalue\n收到申请数\t1,234\n", encoding="utf-8")
    assert row(read_table_file(tsv), "收到申请数").value == 1234


def test_not_a_report_table() -> None:
    with pytest.raises(ValueError, match="not a report table"):
        read_table("e.csv", [(2, {"date": "2018-01-01", "event": "x"})])


def test_period_override_by_replace() -> None:
    table = narrow(("收到申请数", "件", "1"))
    assert dataclasses.replace(table, year=2018).year == 2018
    assert row(dataclasses.replace(table, year=2018), "收到申请数").value == 1


def test_the_beijing_table_as_published() -> None:
    table = read_table_file(BEIJING)
    assert (table.year, table.form, table.bad_values) == (2018, "narrow", ())
    assert len(table.rows) == 78  # 80 lines: the header, the 年度 row, 78 rows as printed
    by_line = {r.line: r for r in table.rows}
    assert by_line[60].name == "行政复议数量" and by_line[60].value is None and by_line[60].unit == "件"
    assert by_line[62].name == "行政复议数量/被依法纠错数" and by_line[66].name == "行政诉讼数量/被依法纠错数"
    assert by_line[63].name == "行政复议数量/其他情形数" and by_line[67].name == "行政诉讼数量/其他情形数"
    assert by_line[51].parent == "不同意公开答复数"  # an unnumbered row in a 其中 list
    assert by_line[6].parent == by_line[5].parent == "主动公开政府信息数(不同渠道和方式公开相同信息计1条)"
    assert by_line[30].parent == "参加或举办新闻发布会总次数" and by_line[31].parent == "通过不同渠道和方式回应解读的情况"
    assert by_line[26].unit is None  # a full-width space is blank
    assert row(table, "从事政府信息公开工作人员数/专职人员数").line == 74
    assert row(table, "政务微博公开政府信息数").value == 2970
