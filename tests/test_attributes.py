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
