"""Contract section 14: the attributes rules read, with their Chinese headers and declared values,
and the warning (GK011) for a filter that no row can match."""
from __future__ import annotations

from conftest import Workspace

EVENTS = """\
events:
  inquiry:
    label: 收到留言
    attributes:
      simple: {description: 简单问题, aliases: [是否简单问题, 简单问题], values: {是: [简单], 否: [复杂]}}
  replied: {label: 回复留言}
"""
RULES = """\
- id: SIMPLE-1WD
  deadline: {after: {event: inquiry, where: {simple: true}}, expect: replied, within: 1 working days}
- id: ALL-5WD
  deadline: {after: inquiry, expect: replied, within: 5 working days}
"""


def _check(ws: Workspace, log: str) -> list[tuple[str, int | None, str]]:
    ws.ruleset(RULES, events=EVENTS)
    ws.log(log)
    return [(f.rule, f.line, f.status) for f in ws.check("2021-12-31").findings]


def test_a_chinese_header_and_value_reach_the_rule(ws: Workspace) -> None:
    """是否简单问题 is `simple`, and 简单 is 是: the simple-inquiry rule fires (it did not)."""
    assert _check(ws, """\
        date,event,case,是否简单问题
        2021-06-01,收到留言,Q-1,简单
        2021-06-03,回复留言,Q-1,
        2021-06-01,收到留言,Q-2,复杂
        2021-06-03,回复留言,Q-2,
        """) == [("SIMPLE-1WD", 2, "late")]


def test_a_value_the_vocabulary_does_not_declare_is_gk001_on_its_row(ws: Workspace) -> None:
    found = _check(ws, """\
        date,event,case,简单问题
        2021-06-01,收到留言,Q-1,也许
        2021-06-02,回复留言,Q-1,
        """)
    assert found == [("GK001", 2, "invalid")]
    ws_result = ws.cli_json("check", "events.csv", "-r", "rs.yaml", "--as-of", "2021-12-31")
    assert "也许" in ws_result["findings"][0]["message"] and "是、否" in ws.cli(
        "check", "events.csv", "-r", "rs.yaml", "--as-of", "2021-12-31", "--lang", "zh").stdout


def test_a_filter_on_an_attribute_no_row_carries_is_one_gk011_naming_close_headers(ws: Workspace) -> None:
    found = _check(ws, """\
        date,event,case,是否简单
        2021-06-01,收到留言,Q-1,是
        2021-06-03,回复留言,Q-1,
        2021-06-04,收到留言,Q-2,是
        2021-06-05,回复留言,Q-2,
        """)
    assert found == [("GK011", None, "unknown")]
    finding = ws.check("2021-12-31").findings[0]
    assert "SIMPLE-1WD" in finding.message["en"] and "'simple'" in finding.message["en"]
    assert "'是否简单'" in finding.message["en"] and finding.severity == "warning"


def test_no_gk011_when_the_log_has_no_events_of_the_filtered_kind(ws: Workspace) -> None:
    assert _check(ws, "date,event,case\n2021-06-03,回复留言,Q-1\n") == []


def test_the_bundled_supplement_rule_reads_the_natural_header_and_value(ws: Workspace) -> None:
    """Issue 18: with the header 是否需要补正 and the value 需要, OGI19-SUPPLEMENT-NOTICE-7WD never
    fired (0 findings, exit 0): it needed a column named `needs_supplement` holding 是."""
    ws.log("""\
        日期,事件,编号,是否需要补正
        2021-06-01,收到申请,A-1,需要
        2021-06-21,补正告知,A-1,
        2021-06-02,收到申请,A-2,不需要
        """)
    out = ws.cli_json("check", "events.csv", "-r", "ogi-regulation-2019", "--as-of", "2021-12-31",
                      "--select", "OGI19-SUPPLEMENT-NOTICE-7WD")
    assert [(f["rule"], f["line"], f["status"]) for f in out["findings"]] == [
        ("OGI19-SUPPLEMENT-NOTICE-7WD", 2, "late")]


def test_leftover_blank_and_signature_rows_of_a_csv_event_log_are_no_errors(ws: Workspace) -> None:
    """Issue 18: an event log saved from Excel ends with `,,,,` rows and a `填表人：` line; in CSV
    they were GK003 errors (the .xlsx reader skipped them)."""
    ws.log("""\
        日期,事件,编号,承办部门,是否需要补正
        2021-06-01,收到申请,A-1,办公室,否
        2021-06-03,答复申请,A-1,办公室,
        ,,,,
        ,,,,
        填表人：张三,,,,
        审核人：李四,联系电话：12345678,,,
        """)
    for engine in ("python", "columnar"):
        out = ws.cli_json("check", "events.csv", "-r", "ogi-regulation-2019", "--as-of", "2021-12-31",
                          "--engine", engine)
        assert out["findings"] == [] and out["summary"]["events"] == 2, (engine, out["findings"])
