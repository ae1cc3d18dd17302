"""The ``table`` rule kind (gklint.kinds.table): compile, evaluate_table, the registry entry point."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gklint.kinds.base import CompileContext, EvalContext, EventIndex
from gklint.kinds.table import (
    SCHEMA,
    CompiledTable,
    TableRuleError,
    compile,
    describe,
    evaluate,
    evaluate_table,
    needs_event_log,
)
from gklint.model import Event
from gklint.tables import ReportTable, read_table

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["统计指标", "单位", "统计数"]


def table(*rows: tuple[str, object], year: object = "2018") -> ReportTable:
    """Rows (label, value) after a 年度 row: the first given row is on line 3."""
    body = [("年度", year)] if year is not None else []
    body += rows
    start = 2 if year is not None else 3
    return read_table("t.csv", [(i, {"统计指标": label, "单位": "件", "统计数": value})
                                for i, (label, value) in enumerate(body, start=start)], HEADER)


STAFF = table(("（三）从事政府信息公开工作人员数", "0"), ("1.专职人员数（不包括政府公报及政府网站工作人员数）", "0"),
              ("2.兼职人员数", "2"))


def check(spec: dict[str, Any], t: ReportTable, events: Any = None) -> list[Any]:
    return list(evaluate_table(compile(spec, "R1"), t, events))


# --- compile ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "position", "fragment"), [
    ({"assert": "收到申请数 = 当面申请数"}, 6, "'=='"),
    ({"assert": "收到申请数 == 当面申请数 +"}, 16, "ends too early"),
    ({"assert": "收到申请数 + 当面申请数"}, 0, "comparison"),
    ({"assert": "__import__('os')"}, 10, "function"),
    ({"reconcile": {"indicator": "a + b", "count": "request_received"}}, 0, "one indicator name"),
    ({"reconcile": {"indicator": "a +", "count": "request_received"}}, 3, "ends too early"),
])
def test_compile_errors_name_rule_and_position(spec: dict[str, Any], position: int, fragment: str) -> None:
    with pytest.raises(TableRuleError) as err:
        compile(spec, "AR08-X")
    assert isinstance(err.value, ValueError)
    assert (err.value.rule_id, err.value.position) == ("AR08-X", position)
    assert str(err.value).startswith("rule AR08-X: table.") and fragment in str(err.value)
    assert f"column {position + 1}" in str(err.value) and "^" in (err.value.hint or "")


@pytest.mark.parametrize("spec", [
    {}, {"assert": "a == b", "reconcile": {"indicator": "a", "count": "x"}}, {"assert": "a == b", "extra": 1},
    {"assert": "a == b", "blank": "skip"}, {"reconcile": {"indicator": "a"}}, "a == b",
])
def test_compile_refuses_malformed_values(spec: Any) -> None:
    with pytest.raises(TableRuleError, match="rule R9"):
        compile(spec, "R9")


def test_compiled_rule() -> None:
    rule = compile({"assert": "收到申请数 == 当面申请数 + 网络申请数", "blank": "error"}, "R1")
    assert isinstance(rule, CompiledTable) and rule.blank == "error" and not needs_event_log(rule)
    assert [(n.name, n.pos) for n in rule.names] == [("收到申请数", 0), ("当面申请数", 9), ("网络申请数", 17)]
    recon = compile({"reconcile": {"indicator": "收到申请数", "count": "request_received"}}, "R2")
    assert needs_event_log(recon) and recon.count == "request_received" and recon.blank == "zero"
    assert describe(rule, "zh") == "报告统计表须满足：收到申请数 == 当面申请数 + 网络申请数"
    assert "request_received" in describe(recon, "en")


def test_compile_with_the_loader_context_checks_the_event() -> None:
    ctx = CompileContext(events={"request_received": {}}, suggest=lambda n: "request_received")
    rule = compile({"reconcile": {"indicator": "收到申请数", "count": {"event": "request_received",
                                                                      "where": {"channel": "网络"}}}}, ctx)
    assert rule.count.event == "request_received" and rule.rule_id == ""
    with pytest.raises(ValueError, match="not declared"):
        compile({"reconcile": {"indicator": "收到申请数", "count": "request_recieved"}}, ctx)
    with pytest.raises(TableRuleError) as err:
        compile({"assert": "a =="}, ctx)
    assert str(err.value).startswith("table.assert:") and err.value.path == ("assert",)


def test_schema_validates_the_table_value() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    ok = [{"assert": "a == b"}, {"assert": "a == b", "blank": "error"},
          {"reconcile": {"indicator": "a", "count": "request_received"}},
          {"reconcile": {"indicator": "a", "count": {"event": "request_received", "where": {"c": ["x", "y"]}}}}]
    bad = [{}, {"assert": ""}, {"assert": "a == b", "reconcile": {"indicator": "a", "count": "x"}},
           {"assert": "a == b", "blank": "skip"}, {"assert": "a == b", "x": 1}, {"reconcile": {"indicator": "a"}}]
    for value in ok:
        jsonschema.validate(value, SCHEMA)
    for value in bad:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(value, SCHEMA)


# --- evaluate_table ---------------------------------------------------------------------------------

def test_a_failing_assert_points_at_the_first_indicator_of_its_left_side() -> None:
    [problem] = check({"assert": "从事政府信息公开工作人员数 == 专职人员数 + 兼职人员数"}, STAFF)
    assert (problem.status, problem.line, problem.period, problem.file) == ("invalid", 3, "2018", "t.csv")
    assert problem.message == {"zh": "从事政府信息公开工作人员数 = 0，但 专职人员数 0 + 兼职人员数 2 = 2",
                               "en": "从事政府信息公开工作人员数 = 0, but 专职人员数 0 + 兼职人员数 2 = 2"}
    [flipped] = check({"assert": "专职人员数 + 兼职人员数 == 从事政府信息公开工作人员数"}, STAFF)
    assert flipped.line == 4
    assert check({"assert": "从事政府信息公开工作人员数 + 2 == 专职人员数 + 兼职人员数"}, STAFF) == []


def test_each_part_of_a_top_level_and_is_reported_on_its_own() -> None:
    t = table(("甲", "5"), ("乙", "1"), ("丙", "9"), ("丁", "7"))
    problems = check({"assert": "乙 <= 甲 and 丙 <= 甲 and 丁 <= 甲 and (甲 == 1 or 甲 == 5)"}, t)
    assert [(p.line, p.message["zh"]) for p in problems] == [
        (5, "丙 = 9，应不大于 甲 = 5"), (6, "丁 = 7，应不大于 甲 = 5")]


def test_blank_is_zero_by_default_and_an_error_when_the_rule_says_so() -> None:
    t = table(("四、行政复议数量", ""), ("（一）维持具体行政行为数", "0"), ("（二）被依法纠错数", "1"))
    [zero] = check({"assert": "行政复议数量 == 维持具体行政行为数 + 被依法纠错数"}, t)
    assert zero.line == 3 and zero.message["zh"].startswith("行政复议数量 = 0（空），但")
    [blank] = check({"assert": "行政复议数量 == 维持具体行政行为数 + 被依法纠错数", "blank": "error"}, t)
    assert (blank.status, blank.line) == ("invalid", 3) and "为空" in blank.message["zh"]
    assert check({"assert": "行政复议数量 + 1 == 维持具体行政行为数 + 被依法纠错数"}, t) == []


def test_a_rule_none_of_whose_indicators_is_in_the_table_does_not_apply() -> None:
    assert check({"assert": "本年新收政府信息公开申请数量[总计] == 0"}, STAFF) == []
    assert check({"reconcile": {"indicator": "收到申请数", "count": "request_received"}}, STAFF, lambda r, y: 1) == []


def test_missing_and_ambiguous_names_are_unknown_with_help() -> None:
    [missing] = check({"assert": "从事政府信息公开工作人员数 == 专职人员 + 兼职人员数"}, STAFF)
    assert (missing.status, missing.line) == ("unknown", None)
    # Named as the rule writes it, without parser jargon (no "expression column 18")
    assert "专职人员" in missing.message["zh"] and "列" not in missing.message["zh"]
    assert "column" not in missing.message["en"]
    assert "did you mean '专职人员数'" in missing.message["en"]
    t = table(("四、行政复议数量", "1"), ("（二）被依法纠错数", "1"), ("五、行政诉讼数量", "0"), ("（二）被依法纠错数", "0"))
    [ambiguous] = check({"assert": "行政复议数量 == 被依法纠错数"}, t)
    assert ambiguous.status == "unknown" and "行政复议数量/被依法纠错数" in ambiguous.message["zh"]
    assert check({"assert": "被依法纠错数 == 1"}, t)[0].status == "unknown"  # ambiguous alone still applies
    assert len(check({"assert": "行政复议数量 >= 甲 and 行政复议数量 <= 甲 + 1"}, t)) == 1  # once per name
    assert check({"assert": "行政复议数量 == 行政复议数量/被依法纠错数"}, t) == []


def test_bad_cells_are_left_to_the_reader() -> None:
    t = table(("甲", "—"), ("乙", "1"), ("丙", "2"))
    assert [b.line for b in t.bad_values] == [3]
    assert check({"assert": "甲 == 乙 and 丙 == 乙"}, t)[0].line == 5  # only the part without 甲


def test_division_by_zero_is_unknown() -> None:
    t = table(("甲", "1"), ("乙", "0"))
    [problem] = check({"assert": "甲 / 乙 >= 0.5"}, t)
    assert (problem.status, problem.line) == ("unknown", 3) and "除数为零" in problem.message["zh"]


def test_decimals_compare_at_two_places() -> None:
    t = table(("七、依申请公开信息收取的费用", "0.35"), ("1.检索费", "0.1"), ("2.复制费", "0.25"))
    assert check({"assert": "依申请公开信息收取的费用 == 检索费 + 复制费"}, t) == []


# --- reconcile --------------------------------------------------------------------------------------

RECEIVED = {"reconcile": {"indicator": "收到申请数", "count": "request_received"}}


def test_reconcile_against_the_events_of_the_report_year() -> None:
    t = table(("（一）收到申请数", "12"))
    calls: list[tuple[Any, int]] = []

    def events(ref: Any, year: int) -> int:
        calls.append((ref, year))
        return 15

    [problem] = check(RECEIVED, t, events)
    assert calls == [("request_received", 2018)]
    assert (problem.status, problem.line, problem.period) == ("invalid", 3, "2018")
    assert problem.message["zh"] == "收到申请数 = 12，但事件记录中 request_received 为 15 条（2018年）"
    assert problem.message["en"] == "收到申请数 = 12, but the event log has 15 request_received events in 2018"
    assert check(RECEIVED, t, lambda ref, year: 12) == []


def test_reconcile_without_a_log_is_skipped_and_without_a_year_is_unknown() -> None:
    assert check(RECEIVED, table(("收到申请数", "12")), None) == []
    [problem] = check(RECEIVED, table(("收到申请数", "12"), year=None), lambda ref, year: 12)
    assert problem.status == "unknown" and "年度" in problem.message["zh"] and "--period" in problem.message["en"]
    assert check(RECEIVED, table(("收到申请数", "")), lambda ref, year: 0) == []  # blank = 0 = no events


def test_reconcile_where_filter_in_the_message() -> None:
    spec = {"reconcile": {"indicator": "网络申请数", "count": {"event": "request_received", "where": {"channel": "网络"}}}}
    [problem] = check(spec, table(("3.网络申请数", "8")), lambda ref, year: 9)
    assert "request_received（channel=网络） 为 9 条（2018年）" in problem.message["zh"]


# --- the registry entry point -----------------------------------------------------------------------

def _event(day: dt.date, line: int) -> Event:
    return Event("log.csv", line, "request_received", day, None, f"Q{line}", None, {})


def _ctx(tables: list[Any], events: list[Event], window: tuple[dt.date | None, dt.date | None]) -> EvalContext:
    return EvalContext(calendar=None, as_of=dt.date(2019, 3, 1), index=EventIndex(events), window_from=window[0],
                       window_until=window[1], label=lambda name, lang: name, tables=tables)


def test_registry_evaluate_counts_events_of_the_year_and_respects_the_window() -> None:
    rule = compile(RECEIVED, "R1")
    t = table(("收到申请数", "2"))
    events = [_event(dt.date(2018, 3, 1), 2), _event(dt.date(2018, 12, 31), 3), _event(dt.date(2019, 1, 2), 4)]
    whole = (None, None)
    assert list(evaluate(rule, _ctx([t], events, whole))) == []
    [problem] = list(evaluate(rule, _ctx([t], events[:1], whole)))
    assert "为 1 条（2018年）" in problem.message["zh"]
    assert list(evaluate(rule, _ctx([t], [], whole))) == []  # no event log: skipped
    later = (dt.date(2019, 1, 1), None)
    assert list(evaluate(rule, _ctx([t], events[:1], later))) == []  # the 2018 table is outside the window
    staff = compile({"assert": "从事政府信息公开工作人员数 == 专职人员数 + 兼职人员数"}, "R2")
    assert len(list(evaluate(staff, _ctx([STAFF], [], (dt.date(2008, 5, 1), dt.date(2018, 12, 31)))))) == 1
    with pytest.raises(TypeError):
        list(evaluate(staff, _ctx(["not a table"], [], whole)))


def test_bundled_rulesets_load_through_the_ruleset_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("jsonschema")
    from gklint.ruleset import load_ruleset

    for name in ("annual-report-2008-table", "annual-report-2019-table"):
        ruleset = load_ruleset(str(ROOT / "rulesets" / f"{name}.yaml"))
        assert ruleset.id == name and all(rule.kind == "table" for rule in ruleset.rules)

