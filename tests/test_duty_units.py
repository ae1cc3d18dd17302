"""Whose duty a per-unit rule is: ``units`` on ``due`` and ``count`` (gklint.kinds.duty).

Without ``units`` every unit seen in the log is asked; the plans name who must report
(局机关各部门… / 各牵头部门), so a rule may say it: a list, the units on some events, or config.
"""
from __future__ import annotations

import pytest
from conftest import Workspace, statuses

from gklint.errors import GklintError

LOG = """
    date,event,case,unit
    2018-03-01,task,第1项,办公室
    2018-03-01,task,第2项,条法司
    2018-04-01,published,X,档案馆
    2019-01-10,summary,ZJ,办公室
    """


def due_rule(units: str | None) -> str:
    extra = f", units: {units}" if units is not None else ""
    return f"- id: S\n  due: {{expect: summary, period: year, offset: 1, by: 01-15, for_each: unit{extra}}}\n"


def test_without_units_every_unit_in_the_log_is_asked(ws: Workspace) -> None:
    ws.ruleset(due_rule(None))
    ws.log(LOG)
    assert sorted((f.unit, f.status) for f in ws.check("2019-02-28").findings) == [
        ("条法司", "missing"), ("档案馆", "missing")]


def test_a_list_names_exactly_whose_duty_it_is(ws: Workspace) -> None:
    ws.ruleset(due_rule("[办公室, 人事司]"))
    ws.log(LOG)
    # 人事司 is obliged though the log never names it; 条法司 and 档案馆 are not obliged.
    assert [(f.unit, f.status) for f in ws.check("2019-02-28").findings] == [("人事司", "missing")]


def test_units_from_events_are_the_units_named_on_them_in_the_period(ws: Workspace) -> None:
    ws.ruleset(due_rule("{event: task}"))
    ws.log(LOG)
    # 各牵头部门: the units assigned items in 2018 (办公室, 条法司), not 档案馆.
    assert [(f.unit, f.status) for f in ws.check("2019-02-28").findings] == [("条法司", "missing")]


def test_units_from_events_that_name_none_is_unknown_not_a_pass(ws: Workspace) -> None:
    ws.ruleset(due_rule("{event: task}"))
    ws.log("""
        date,event,case,unit
        2018-04-01,published,X,档案馆
        """)
    result = ws.check("2019-02-28")
    assert statuses(result) == [("S", "2018", "unknown")]
    assert "cannot tell" in result.findings[0].text("en")


def test_units_config_uses_the_config_list_and_says_so_when_it_is_empty(ws: Workspace) -> None:
    ws.ruleset(due_rule("config"))
    ws.log(LOG)
    assert [(f.unit, f.status) for f in ws.check("2019-02-28", units=["条法司"]).findings] == [
        ("条法司", "missing")]
    empty = ws.check("2019-02-28")
    assert [(f.status, f.period) for f in empty.findings] == [("unknown", "2018")]
    assert "units" in empty.findings[0].text("zh")


def test_count_takes_units_too(ws: Workspace) -> None:
    ws.ruleset("- id: C\n  count: {event: meeting, at_least: 1, per: year, for_each: unit, units: [办公室, 条法司]}\n")
    ws.log("""
        date,event,case,unit
        2018-03-01,meeting,M1,办公室
        2018-04-01,meeting,M2,档案馆
        """)
    assert [(f.unit, f.status) for f in ws.check("2019-02-28").findings] == [("条法司", "too_few")]


@pytest.mark.parametrize("units", ["[办公室]", "config", "{event: task}"])
def test_units_needs_for_each_unit(ws: Workspace, units: str) -> None:
    ws.ruleset(f"- id: S\n  due: {{expect: summary, period: year, offset: 1, by: 01-15, units: {units}}}\n")
    ws.log(LOG)
    with pytest.raises(GklintError, match="for_each: unit"):
        ws.check("2019-02-28")


def test_explain_names_whose_duty_it_is(ws: Workspace) -> None:
    ws.ruleset(due_rule("[办公室, 人事司]"))
    from gklint.kinds import due
    from gklint.ruleset import load_rulesets

    rule = load_rulesets([str(ws.root / "rs.yaml")])[0].rules[0]
    assert "办公室、人事司" in due.describe(rule.compiled(), "zh", lambda n, lang: n)
    assert "units: 办公室, 人事司" in due.describe(rule.compiled(), "en", lambda n, lang: n)
