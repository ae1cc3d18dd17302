"""Contract section 4 (time semantics), one test per semantic line, through the real engine.

Each test is named after the line it checks and quotes that line in its docstring. Rulesets
and logs are written into ``tmp_path`` (see ``conftest.Workspace``); dates are chosen around
the 2018 National Day holiday, whose make-up working days were Sat 09-29 and Sun 09-30.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import Workspace, only, statuses

# Every semantic line holds on every engine (contract section 12).
pytestmark = pytest.mark.usefixtures("both_engines")


def deadline_rule(within: str, **extra: str) -> str:
    """One deadline rule ``R`` from ``received`` to ``answered`` plus extra keys (extend, restart...)."""
    parts = [f"after: {extra.pop('after', 'received')}", f"expect: {extra.pop('expect', 'answered')}",
             f"within: {within}", *(f"{k}: {v}" for k, v in extra.items())]
    return f"- id: R\n  deadline: {{{', '.join(parts)}}}\n"


# --- Working day ------------------------------------------------------------------------------

def test_working_day__makeup_weekend_days_are_working_days(ws: Workspace) -> None:
    """Working day: a day that is not a statutory day off on the official calendar. Weekend days
    that the State Council makes working days (调休上班) ARE working days."""
    ws.ruleset(deadline_rule("1 working day"))
    ws.log("""
        date,event,case
        2018-09-28,received,A
        2018-09-29,answered,A
        2018-09-28,received,B
        2018-10-08,answered,B
        """)
    result = ws.check("2018-12-31")
    # A: Saturday 09-29 was a make-up working day, so it is the 1st working day after Fri 09-28.
    late = only(result, "R", "B")
    assert statuses(result) == [("R", "B", "late")]
    assert late.due == "2018-09-29"
    # (09-29, 10-08] holds two working days: Sun 09-30 (make-up) and Mon 10-08; 10-01..07 are off.
    assert late.overdue == {"value": 2, "unit": "working_days"}


# --- N working days after D -------------------------------------------------------------------

def test_n_working_days_after_d__contract_example(ws: Workspace) -> None:
    """N working days after D is the N-th working day strictly after the date D.
    Example: 2018-09-28 + 3 working days = 2018-10-08 (09-29 and 09-30 were make-up working days)."""
    ws.ruleset(deadline_rule("3 working days"))
    ws.log("""
        date,event,case
        2018-09-28,received,OK
        2018-10-08,answered,OK
        2018-09-28,received,LATE
        2018-10-09,answered,LATE
        """)
    result = ws.check("2018-12-31")
    assert statuses(result) == [("R", "LATE", "late")]
    assert only(result, "R").due == "2018-10-08"


def test_n_working_days_after_d__d_itself_never_counts_even_a_day_off(ws: Workspace) -> None:
    """D itself never counts, whether or not it is a working day."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-10-01,received,HOLIDAY
        2018-09-29,received,MAKEUP
        """)
    result = ws.check("2018-12-31")
    # From a day off (National Day): 10-08..10-12 are the five working days.
    assert only(result, "R", "HOLIDAY").due == "2018-10-12"
    # From a make-up working day: 09-30, 10-08, 10-09, 10-10, 10-11 (D=09-29 itself not counted).
    assert only(result, "R", "MAKEUP").due == "2018-10-11"


def test_n_working_days_after_d__zero_means_same_day(ws: Workspace) -> None:
    """N = 0 means the same day (同步)."""
    ws.ruleset(deadline_rule("0 working days"))
    ws.log("""
        date,event,case
        2018-06-01,received,SAME
        2018-06-01,answered,SAME
        2018-06-01,received,NEXT
        2018-06-04,answered,NEXT
        2018-10-01,received,DAYOFF
        """)
    result = ws.check("2018-12-31")
    assert statuses(result) == [("R", "NEXT", "late"), ("R", "DAYOFF", "missing")]
    assert only(result, "R", "NEXT").due == "2018-06-01"
    assert only(result, "R", "NEXT").overdue == {"value": 1, "unit": "working_days"}
    assert only(result, "R", "DAYOFF").due == "2018-10-01"  # same day even when it is a day off


# --- N days after D ---------------------------------------------------------------------------

def test_n_days_after_d__rolled_to_next_working_day_civil_code_203(ws: Workspace) -> None:
    """N days after D: D + N calendar days; when that day is not a working day the deadline moves
    to the next working day (民法典 art. 203)."""
    ws.ruleset(deadline_rule("7 days"))
    ws.log("""
        date,event,case
        2018-09-24,received,ROLLED
        2018-10-08,answered,ROLLED
        2018-06-04,received,PLAIN
        2018-06-12,answered,PLAIN
        """)
    result = ws.check("2018-12-31")
    # 09-24 + 7 = 10-01 (National Day) -> rolled to Mon 10-08: answered in time.
    # 06-04 + 7 = 06-11, a Monday: not rolled; answered 06-12 is one calendar day late.
    assert statuses(result) == [("R", "PLAIN", "late")]
    assert only(result, "R", "PLAIN").due == "2018-06-11"
    assert only(result, "R", "PLAIN").overdue == {"value": 1, "unit": "days"}

    ws.log("""
        date,event,case
        2018-09-24,received,ROLLED
        """)
    assert only(ws.check("2018-12-31"), "R", "ROLLED").due == "2018-10-08"


# --- N hours after T --------------------------------------------------------------------------

def test_n_hours_after_t__with_times(ws: Workspace) -> None:
    """N hours after T: T + N hours."""
    ws.ruleset(deadline_rule("24 hours"))
    ws.log("""
        date,event,case
        2018-06-01 09:00,received,IN
        2018-06-02 09:00,answered,IN
        2018-06-01 09:00,received,LATE
        2018-06-02 10:30,answered,LATE
        """)
    result = ws.check("2018-12-31")
    assert statuses(result) == [("R", "LATE", "late")]
    late = only(result, "R", "LATE")
    assert late.due == "2018-06-02T09:00"
    assert late.overdue == {"value": 2, "unit": "hours"}  # 1.5 hours, rounded up


def test_n_hours_after_t__date_only_is_unknown(ws: Workspace) -> None:
    """When either side has only a date, the result is decided only where the dates alone decide
    it; otherwise the status is `unknown`."""
    ws.ruleset(deadline_rule("24 hours"))
    ws.log("""
        date,event,case
        2018-06-01,received,BOTH
        2018-06-02,answered,BOTH
        2018-06-01 09:00,received,RESPONSE
        2018-06-02,answered,RESPONSE
        2018-06-01,received,TRIGGER
        2018-06-02 08:00,answered,TRIGGER
        """)
    result = ws.check("2018-12-31")
    assert sorted(statuses(result)) == [("R", "BOTH", "unknown"), ("R", "RESPONSE", "unknown"),
                                        ("R", "TRIGGER", "unknown")]


def test_n_hours_after_t__date_only_decided_by_dates_alone(ws: Workspace) -> None:
    """When either side has only a date, the result is decided only where the dates alone decide it."""
    ws.ruleset(deadline_rule("24 hours"))
    ws.log("""
        date,event,case
        2018-06-01,received,SAMEDAY
        2018-06-01,answered,SAMEDAY
        2018-06-01,received,THREEDAYS
        2018-06-04,answered,THREEDAYS
        2018-06-01 09:00,received,MIXED
        2018-06-03,answered,MIXED
        """)
    result = ws.check("2018-12-31")
    # Any time on 06-01 + 24 h is on 06-02 at the latest, so 06-04 is late whatever the hours were.
    assert sorted(statuses(result)) == [("R", "MIXED", "late"), ("R", "THREEDAYS", "late")]
    # Certain lateness: latest due (06-02 24:00) to earliest response (06-04 00:00).
    assert only(result, "R", "THREEDAYS").overdue == {"value": 24, "unit": "hours"}
    # Due 06-02 09:00; the response is at 06-03 00:00 at the earliest: 15 hours late at least.
    assert only(result, "R", "MIXED").overdue == {"value": 15, "unit": "hours"}


# --- deadline -------------------------------------------------------------------------------

def test_deadline__each_trigger_gets_earliest_expect_on_or_after_its_date(ws: Workspace) -> None:
    """deadline: for each trigger T (in the effective window), the response is the earliest
    `expect` event with the same `match` values dated on or after T's date. Due date D = T's
    date + `within`."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        2018-06-05,answered,A
        2018-06-20,received,A
        2018-07-10,answered,A
        2018-06-04,answered,OTHER
        """)
    result = ws.check("2018-12-31")
    # The second trigger is not answered by the earlier response of 06-05 but by 07-10.
    late = only(result, "R", "A")
    assert (late.line, late.status, late.start, late.actual) == (4, "late", "2018-06-20", "2018-07-10")
    assert late.due == "2018-06-27"


def test_deadline__two_triggers_share_one_response(ws: Workspace) -> None:
    """deadline: the response is the earliest `expect` event on or after T's date -- documented
    consequence: one response answers every earlier trigger of its case that it follows."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        2018-06-06,received,A
        2018-06-08,answered,A
        """)
    # Both triggers take the 06-08 response: neither is missing (responses are not consumed).
    assert statuses(ws.check("2018-12-31")) == []


def test_deadline__response_before_trigger_is_gk005_and_trigger_unanswered(ws: Workspace) -> None:
    """deadline: the response is dated on or after T's date -- a response dated before its trigger
    is GK005 (response dated before its trigger) and does not answer it."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-01,answered,A
        2018-06-04,received,A
        """)
    result = ws.check("2018-12-31")
    assert sorted(statuses(result)) == [("GK005", "A", "invalid"), ("R", "A", "missing")]
    assert only(result, "GK005").line == 2
    assert only(result, "R").line == 3
    assert only(ws.check("2018-06-05"), "GK005").severity == "warning"
    assert ("R", "A", "pending") in statuses(ws.check("2018-06-05", show_pending=True))


def test_deadline__match_on_an_attribute_keeps_booleans_apart_from_numbers(ws: Workspace) -> None:
    """`match` values compare as `where` values do (docs/contract.md): 是 is not the number 1,
    while 7 and 7.0 are one number."""
    ws.ruleset(deadline_rule("5 working days", match="[ref]"))
    ws.log("""
        date,event,ref
        2018-06-04,received,是
        2018-06-05,answered,1
        2018-06-04,received,7
        2018-06-05,answered,7.0
        """)
    result = ws.check("2018-12-31")
    assert [(f.rule, f.line, f.status) for f in result.findings] == [("R", 2, "missing")]


def test_deadline__a_response_on_the_triggers_date_is_not_before_it(ws: Workspace) -> None:
    """GK005 is a response dated *before* its trigger: one on the same day answers it."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-04,answered,A
        2018-06-04,received,A
        """)
    assert statuses(ws.check("2018-12-31")) == []


def test_builtin_finding_raised_by_several_rules_is_reported_once(ws: Workspace) -> None:
    """A row two rules cannot use (GK003: no case to match by) is one finding, not one per rule."""
    ws.ruleset(deadline_rule("5 working days") + "- id: R2\n  deadline: {after: received, expect: answered, "
               "within: 10 working days}\n")
    ws.log("""
        date,event,case
        2018-06-04,received,
        """)
    result = ws.check("2018-12-31")
    assert [(f.rule, f.line) for f in result.findings] == [("GK003", 2)]


def test_deadline__gk005_compares_the_earliest_response_with_the_first_trigger(ws: Workspace) -> None:
    """deadline: a response dated before its trigger is GK005 -- the case's earliest response
    against its first trigger: still so when a later response answers the trigger in time (A),
    and not so when the early-looking response answers an earlier trigger of the case (B)."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-01,answered,A
        2018-06-04,received,A
        2018-06-05,answered,A
        2018-06-01,received,B
        2018-06-04,answered,B
        2018-06-11,received,B
        2018-06-12,answered,B
        """)
    result = ws.check("2018-12-31")
    assert statuses(result) == [("GK005", "A", "invalid")]
    assert only(result, "GK005").line == 2


@pytest.mark.parametrize("order", [0, 1])
def test_precedence__requires_on_or_before_the_event(ws: Workspace, order: int) -> None:
    """precedence: every `event` needs a `requires` event with the same `match` values dated on
    or before it (with times on both, strictly before). A timed and a date-only `requires` on
    one day: the date-only one precedes a same-day event, whichever row comes first."""
    ws.ruleset("- id: P\n  precedence: {event: published, requires: review}\n")
    same_day = ["2018-06-01 00:00,review,T", "2018-06-01,review,T"]
    ws.log("date,event,case\n" + "\n".join([
        "2018-06-01,review,SAME", "2018-06-01,published,SAME",            # same day: on or before
        "2018-06-02 10:00,review,TIMED", "2018-06-02 10:00,published,TIMED",  # same minute: not before
        "2018-06-03,published,LATE", "2018-06-04,review,LATE",            # the review came after
        "2018-06-05,published,NONE",
        *(same_day if order == 0 else same_day[::-1]), "2018-06-01 00:00,published,T",
    ]) + "\n")
    result = ws.check("2018-12-31")
    assert statuses(result) == [("P", "TIMED", "unpreceded"), ("P", "LATE", "unpreceded"),
                                ("P", "NONE", "unpreceded")]
    assert only(result, "P", "LATE").actual == "2018-06-04"


def test_deadline__extension_within_due_extends(ws: Workspace) -> None:
    """`extend`: an extension event dated after T and on or before D moves D to D + `up_to`."""
    ws.ruleset(deadline_rule("5 working days", extend="{by: extended, up_to: 5 working days}"))
    ws.log("""
        date,event,case
        2018-06-04,received,ON_DUE
        2018-06-11,extended,ON_DUE
        2018-06-15,answered,ON_DUE
        2018-06-04,received,LATE_ANYWAY
        2018-06-05,extended,LATE_ANYWAY
        2018-06-20,answered,LATE_ANYWAY
        """)
    result = ws.check("2018-12-31")
    # D = 06-11 (extension on D itself counts) -> 06-11 + 5 working days = 06-19 (06-18 Dragon Boat).
    assert statuses(result) == [("R", "LATE_ANYWAY", "late")]
    assert only(result, "R", "LATE_ANYWAY").due == "2018-06-19"


def test_deadline__extension_after_due_does_not_extend(ws: Workspace) -> None:
    """`extend`: only an extension dated on or before D moves D (one on T's own day does:
    contract section 9, tests/test_semantics_s9.py)."""
    ws.ruleset(deadline_rule("5 working days", extend="{by: extended, up_to: 5 working days}"))
    ws.log("""
        date,event,case
        2018-06-04,received,AFTER_DUE
        2018-06-12,extended,AFTER_DUE
        2018-06-14,answered,AFTER_DUE
        """)
    result = ws.check("2018-12-31")
    assert statuses(result) == [("R", "AFTER_DUE", "late")]
    assert {f.due for f in result.findings} == {"2018-06-11"}


def test_deadline__extension_is_dated_after_t_even_when_start_is_an_attribute(ws: Workspace) -> None:
    """`extend`: an extension event dated after T (T's date, not the start taken from a `date:`
    attribute) and on or before D moves D to D + `up_to`."""
    ws.ruleset(deadline_rule("0 working days", after="{event: task, date: due_on}", expect="done",
                             extend="{by: extended, up_to: 5 working days}"))
    ws.log("""
        date,event,case,due_on
        2018-03-01,task,T1,2018-03-30
        2018-03-15,extended,T1,
        2018-04-04,done,T1,
        2018-03-01,task,T2,
        """)
    result = ws.check("2018-12-31")
    # T1: D = 03-30, extended by 5 working days to 04-09 (04-05/06 Qingming): 04-04 is in time.
    # T2's cell is empty: it counts from its row's date (section 9), due that day, never answered.
    assert statuses(result) == [("R", "T2", "missing")]
    assert only(result, "R", "T2").due == "2018-03-01"


def test_deadline__restart_latest_after_t_replaces_start(ws: Workspace) -> None:
    """`restart`: the latest restart event after T (and before the response) replaces T's date as
    the start of counting."""
    ws.ruleset(deadline_rule("5 working days", restart="supplemented"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        2018-06-06,supplemented,A
        2018-06-08,supplemented,A
        2018-06-15,answered,A
        2018-06-20,supplemented,A
        2018-06-04,received,B
        2018-06-06,supplemented,B
        2018-06-20,answered,B
        """)
    result = ws.check("2018-12-31")
    # A restarts from 06-08 (the latest before the response; 06-20 comes after it): due 06-15.
    # B restarts from 06-06: due 06-13, answered 06-20 -> late.
    assert statuses(result) == [("R", "B", "late")]
    late = only(result, "R", "B")
    assert (late.start, late.due) == ("2018-06-06", "2018-06-13")


def test_deadline__restart_edges(ws: Workspace) -> None:
    """`restart`: a restart *after* T (not on T's date) counts; one on the response's date counts
    (dates alone cannot tell which came first that day: docs/contract.md); with no response,
    every restart up to as-of counts."""
    ws.ruleset(deadline_rule("5 working days", restart="supplemented"))
    ws.log("""
        date,event,case
        2018-06-04,received,ON_T
        2018-06-04,supplemented,ON_T
        2018-06-12,answered,ON_T
        2018-06-04,received,ON_RESPONSE
        2018-06-14,supplemented,ON_RESPONSE
        2018-06-14,answered,ON_RESPONSE
        2018-06-04,received,NO_RESPONSE
        2018-06-25,supplemented,NO_RESPONSE
        """)
    result = ws.check("2018-06-28", show_pending=True)
    # ON_T: the same-day supplement does not restart: due 06-11, answered 06-12 -> late.
    # ON_RESPONSE: restarts from 06-14, answered that day -> ok.
    # NO_RESPONSE: restarts from 06-25: due 07-02, still pending on 06-28 (it would be missing
    # counted from 06-04).
    assert statuses(result) == [("R", "ON_T", "late"), ("R", "NO_RESPONSE", "pending")]
    assert only(result, "R", "NO_RESPONSE").start == "2018-06-25"


def test_deadline__extension_applies_once(ws: Workspace) -> None:
    """`extend`: the first extension dated after the start and on or before D applies, once
    (docs/contract.md: the regulation allows one extension)."""
    ws.ruleset(deadline_rule("5 working days", extend="{by: extended, up_to: 5 working days}"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        2018-06-05,extended,A
        2018-06-08,extended,A
        2018-06-25,answered,A
        """)
    result = ws.check("2018-12-31")
    # D = 06-11, extended once to 06-19 (06-18 Dragon Boat); a second extension does not move it.
    assert statuses(result) == [("R", "A", "late")]
    assert only(result, "R", "A").due == "2018-06-19"


def test_deadline__after_with_date_starts_from_attribute(ws: Workspace) -> None:
    """deadline `after: {event: task_assigned, date: due}`: start from an attribute's date."""
    ws.ruleset(deadline_rule("0 working days", after="{event: task, date: due_on}", expect="done"))
    ws.log("""
        date,event,case,due_on
        2018-03-01,task,T1,2018-03-30
        2018-03-29,done,T1,
        2018-03-01,task,T2,2018年4月2日
        2018-04-04,done,T2,
        2018-03-12,task,T3,2018-03-05
        2018-03-12,done,T3,
        2018-03-01,task,T4,
        2018-03-01,done,T4,
        """)
    result = ws.check("2018-12-31")
    late = only(result, "R", "T2")
    # T3 counts from 03-05 (before its row's date): answered 03-12, late, though on its row's day.
    # T4's cell is empty: it counts from its row's date (section 9) and is answered that day.
    assert statuses(result) == [("R", "T2", "late"), ("R", "T3", "late")]
    assert (late.start, late.due, late.overdue) == ("2018-04-02", "2018-04-02",
                                                    {"value": 2, "unit": "working_days"})


def test_deadline__where_filters_with_chinese_and_english_booleans(ws: Workspace) -> None:
    """An event reference is `{event: NAME, where: {ATTR: VALUE | [VALUES]}}`; attribute values
    `true/false/yes/no/是/否` compare equal to booleans (section 2)."""
    ws.ruleset(deadline_rule("1 working day", after="{event: received, where: {urgent: true}}"))
    ws.log("""
        date,event,case,Urgent
        2018-06-04,received,ZH_YES,是
        2018-06-04,received,EN_YES,Yes
        2018-06-04,received,TRUE,TRUE
        2018-06-04,received,ZH_NO,否
        2018-06-04,received,EMPTY,
        2018-06-04,received,ONE,1
        """)
    result = ws.check("2018-12-31")
    # The number 1 is not "true": Python's True == 1 must not leak into filters.
    assert sorted(statuses(result)) == [("R", "EN_YES", "missing"), ("R", "TRUE", "missing"),
                                        ("R", "ZH_YES", "missing")]


def test_deadline__match_on_other_columns(ws: Workspace) -> None:
    """deadline: the response has the same `match` values (default `[case]`)."""
    ws.ruleset(deadline_rule("5 working days", match="[case, unit]"))
    ws.log("""
        date,event,case,unit
        2018-06-04,received,A,办公室
        2018-06-05,answered,A,条法司
        2018-06-04,received,B,条法司
        2018-06-05,answered,B,条法司
        """)
    result = ws.check("2018-12-31")
    assert statuses(result) == [("R", "A", "missing")]


def test_deadline__status_ok_when_response_on_due_date(ws: Workspace) -> None:
    """Status: `ok` (response ≤ D) -- ok findings are not reported."""
    ws.ruleset(deadline_rule("3 working days"))
    ws.log("""
        date,event,case
        2018-09-28,received,A
        2018-10-08,answered,A
        """)
    result = ws.check("2018-12-31", show_pending=True)
    assert result.findings == []


def test_deadline__late_overdue_working_days_at_least_one(ws: Workspace) -> None:
    """`late` (response > D; `overdue` says by how much in the rule's unit: working days in
    (D, response] but at least 1)."""
    ws.ruleset(deadline_rule("2 working days"))
    ws.log("""
        date,event,case
        2018-09-28,received,DAYOFF
        2018-10-01,answered,DAYOFF
        2018-06-04,received,THREE
        2018-06-11,answered,THREE
        """)
    result = ws.check("2018-12-31")
    # DAYOFF: D = Sun 09-30 (make-up); answered on National Day: (D, 10-01] has no working day.
    assert only(result, "R", "DAYOFF").overdue == {"value": 1, "unit": "working_days"}
    # THREE: D = 06-06; (06-06, 06-11] = 06-07, 06-08, 06-11.
    assert only(result, "R", "THREE").overdue == {"value": 3, "unit": "working_days"}


def test_deadline__late_overdue_calendar_days(ws: Workspace) -> None:
    """`late`: `overdue` in calendar days for an N-days limit."""
    ws.ruleset(deadline_rule("15 days"))
    ws.log("""
        date,event,case
        2018-06-01,received,A
        2018-06-25,answered,A
        """)
    late = only(ws.check("2018-12-31"), "R", "A")
    assert (late.due, late.overdue) == ("2018-06-19", {"value": 6, "unit": "days"})  # 06-16 Sat -> 06-19


def test_deadline__late_overdue_hours_rounded_up(ws: Workspace) -> None:
    """`late`: `overdue` in whole hours rounded up for an N-hours limit."""
    ws.ruleset(deadline_rule("2 hours"))
    ws.log("""
        date,event,case
        2018-06-01 09:00,received,A
        2018-06-01 11:01,answered,A
        """)
    assert only(ws.check("2018-12-31"), "R", "A").overdue == {"value": 1, "unit": "hours"}


def test_deadline__missing_when_no_response_and_as_of_after_due(ws: Workspace) -> None:
    """`missing` (no response and as-of > D)."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        """)
    missing = only(ws.check("2018-06-12"), "R", "A")
    assert (missing.status, missing.due, missing.actual, missing.overdue) == ("missing", "2018-06-11", None, None)


def test_deadline__pending_when_no_response_and_as_of_on_or_before_due(ws: Workspace) -> None:
    """`pending` (no response and as-of ≤ D)."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        """)
    assert only(ws.check("2018-06-11", show_pending=True), "R", "A").status == "pending"
    assert ws.check("2018-06-11").findings == []


def test_deadline__trigger_outside_effective_window_ignored(ws: Workspace) -> None:
    """deadline: for each trigger T (in the effective window) -- on the ruleset and on the rule."""
    ws.ruleset(deadline_rule("5 working days", ) + "  effective: {until: 2018-06-30}\n",
               effective="{from: 2018-03-01}")
    ws.log("""
        date,event,case
        2018-02-28,received,BEFORE_RULESET
        2018-03-01,received,FIRST_DAY
        2018-06-30,received,LAST_DAY
        2018-07-02,received,AFTER_RULE
        """)
    result = ws.check("2018-12-31")
    assert sorted(statuses(result)) == [("R", "FIRST_DAY", "missing"), ("R", "LAST_DAY", "missing")]


# --- Periods -------------------------------------------------------------------------------

def test_periods__year_quarter_month(ws: Workspace) -> None:
    """Periods: `year`, `quarter`, `month` (calendar)."""
    ws.ruleset("""
        - id: Y
          count: {event: meeting, at_least: 1, per: year}
        - id: Q
          count: {event: meeting, at_least: 1, per: quarter}
        - id: M
          count: {event: meeting, at_least: 1, per: month}
        """)
    ws.log("""
        date,event
        2018-01-15,meeting
        2018-03-31,meeting
        2018-07-01,meeting
        """)
    result = ws.check("2019-01-01")
    assert statuses(result, "Y") == []
    assert [p for _, p, _ in statuses(result, "Q")] == ["2018-Q2", "2018-Q4"]
    assert [p for _, p, _ in statuses(result, "M")] == [
        "2018-02", "2018-04", "2018-05", "2018-06", "2018-08", "2018-09", "2018-10", "2018-11", "2018-12"]
    assert {f.line for f in result.findings} == {None}  # period findings have no line


def test_periods__checked_when_overlapping_window_and_log(ws: Workspace) -> None:
    """A period is checked when it overlaps the rule's effective window and the log (first event
    date … as-of)."""
    ws.ruleset("""
        - id: M
          count: {event: meeting, at_least: 1, per: month}
          effective: {from: 2018-03-15, until: 2018-06-10}
        """)
    ws.log("""
        date,event
        2018-01-10,published
        2018-04-20,meeting
        """)
    result = ws.check("2018-05-20", show_pending=True)
    # 03 overlaps the window (from 03-15), 04 is satisfied, 05 is cut by as-of (still running);
    # 06 starts after as-of; 01-02 are before the window.
    assert statuses(result) == [("M", "2018-03", "too_few"), ("M", "2018-05", "pending")]
    # Before the log's first event nothing is checked (03 and 04 would be short).
    ws.log("""
        date,event
        2018-05-02,meeting
        2018-06-01,meeting
        """)
    assert statuses(ws.check("2018-12-31")) == []


def test_count__short_in_unended_period_is_pending(ws: Workspace) -> None:
    """A count/ratio that is short in a period that has not ended by as-of is `pending` (shown
    only with --show-pending)."""
    ws.ruleset("""
        - id: C
          count: {event: meeting, at_least: 3, per: year}
        """)
    ws.log("""
        date,event
        2018-03-01,meeting
        """)
    assert ws.check("2018-12-31").findings == []  # last day of the period: not ended yet
    assert statuses(ws.check("2018-12-31", show_pending=True)) == [("C", "2018", "pending")]
    assert ws.check("2018-12-31").pending == 1


def test_count__short_in_ended_period_is_too_few(ws: Workspace) -> None:
    """A period has ended when as-of is after its last day: a short count is then `too_few`."""
    ws.ruleset("""
        - id: C
          count: {event: meeting, at_least: 3, per: quarter}
        """)
    ws.log("""
        date,event
        2018-03-01,meeting
        2018-03-30,meeting
        """)
    too_few = only(ws.check("2018-04-01"), "C", "2018-Q1")
    assert (too_few.status, too_few.file, too_few.line) == ("too_few", None, None)
    assert statuses(ws.check("2018-03-31", show_pending=True)) == [("C", "2018-Q1", "pending")]


def test_count__at_most_breaches_immediately(ws: Workspace) -> None:
    """`at_most` breaches are immediate (even in a period that has not ended)."""
    ws.ruleset("""
        - id: C
          count: {event: meeting, at_most: 1, per: year}
        """)
    ws.log("""
        date,event
        2018-03-01,meeting
        2018-03-02,meeting
        """)
    assert statuses(ws.check("2018-03-02")) == [("C", "2018", "too_many")]


def test_count__for_each_unit_seen_in_period_and_config_units(ws: Workspace) -> None:
    """count ... per period (optionally per unit): every unit that appears in the log during the
    period, or is listed in config `units`."""
    ws.ruleset("""
        - id: C
          count: {event: {event: meeting, where: {stakeholders: true}}, at_least: 1, per: year, for_each: unit}
        """)
    ws.log("""
        date,event,unit,stakeholders
        2018-03-01,meeting,办公室,是
        2018-03-01,meeting,条法司,否
        2018-05-01,published,宣传处,
        2019-05-01,published,人事处,
        """)
    result = ws.check("2019-01-01", units=["督查室"])
    # 人事处 appears only in 2019 (after as-of here, so not even read into 2018).
    assert sorted((f.unit, f.status) for f in result.findings if f.rule == "C") == [
        ("宣传处", "too_few"), ("条法司", "too_few"), ("督查室", "too_few")]


# --- due ----------------------------------------------------------------------------------

def test_due__by_in_period_offset_after(ws: Workspace) -> None:
    """due: the due date is `by` (MM-DD for year periods, DD for month periods) in the period
    `offset` periods after the checked one."""
    ws.ruleset("""
        - id: Y
          due: {expect: summary, period: year, offset: 1, by: 01-15}
        - id: M
          due: {expect: published, period: month, by: 10}
        """)
    ws.log("""
        date,event
        2018-11-05,published
        2018-12-11,published
        2019-01-16,summary
        """)
    result = ws.check("2019-01-20")
    assert (only(result, "Y", "2018").due, only(result, "Y", "2018").status) == ("2019-01-15", "late")
    assert (only(result, "M", "2018-12").due, only(result, "M", "2018-12").status) == ("2018-12-10", "late")
    assert only(result, "M", "2018-12").overdue == {"value": 1, "unit": "days"}
    # 2019-01 is due 01-10, already past on 01-20 with nothing recorded.
    assert only(result, "M", "2019-01").status == "missing"


def test_due__event_attributed_by_period_attribute_else_by_date(ws: Workspace) -> None:
    """An `expect` event belongs to the period named by its `period` attribute when it has one
    (e.g. `2018`, `2018-06`), else to the period containing its date minus `offset`."""
    ws.ruleset("""
        - id: Y
          due: {expect: summary, period: year, offset: 1, by: 03-31}
        """)
    ws.log("""
        date,event,period
        2017-06-01,published,
        2018-01-20,summary,
        2019-02-01,summary,2017
        2019-03-01,summary,
        """)
    result = ws.check("2019-12-31")
    # 2017: the 2018-01-20 summary (date 2018, minus offset 1 = 2017) is in time; the 2019-02-01 row
    # names 2017 too but comes later. 2018: only the 2019-03-01 row, by its date. 2019: pending.
    assert statuses(result) == []
    ws.log("""
        date,event,period
        2017-06-01,published,
        2019-02-01,summary,2017
        """)
    result = ws.check("2019-12-31")
    assert statuses(result) == [("Y", "2017", "late"), ("Y", "2018", "missing")]
    assert only(result, "Y", "2017").line == 3


@pytest.mark.parametrize("named", ["2017", "2017年", "2017年度", "２０１７"])
def test_due__period_attribute_in_the_forms_offices_write(ws: Workspace, named: str) -> None:
    """The `period` attribute as offices write it (2017年度 is the usual Chinese form)."""
    ws.ruleset("""
        - id: Y
          due: {expect: summary, period: year, offset: 1, by: 03-31}
        """)
    ws.log(f"""
        date,event,period
        2017-06-01,published,
        2018-01-20,summary,{named}
        2019-01-20,summary,2018
        """)
    assert statuses(ws.check("2019-06-30")) == []


@pytest.mark.parametrize(("text", "year", "quarter", "month"), [
    ("2018", 2018, None, None), ("2018年度", 2018, None, None), (2018, 2018, None, None),
    ("2018-06", 2018, 2, 6), ("2018/6", 2018, 2, 6), ("2018.10", 2018, 4, 10), ("2018年6月", 2018, 2, 6),
    ("2018-Q2", 2018, 2, None), ("2018q2", 2018, 2, None), ("2018年第2季度", 2018, 2, None),
    ("2018-13", None, None, None), ("2018-Q5", None, None, None), ("2018年第6月", None, None, None),
    (2018.1, None, None, None),  # "2018.10" typed as a number: which month is lost
    ("去年", None, None, None),
])
def test_due__period_attribute_names_a_period_of_the_rules_kind(text: object, year: int | None,
                                                                 quarter: int | None, month: int | None) -> None:
    """The period named by a `period` attribute, for a year, a quarter and a month rule: a
    coarser rule takes the period holding a finer one; a quarter names no month."""
    from gklint.model import Period, parse_period

    assert parse_period("year", text) == (Period("year", year, 1) if year else None)
    assert parse_period("quarter", text) == (Period("quarter", 2018, quarter) if quarter else None)
    assert parse_period("month", text) == (Period("month", 2018, month) if month else None)


def test_due__unreadable_period_attribute_is_a_finding_on_its_row(ws: Workspace) -> None:
    """A `period` cell that names no period is not silently dropped: GK001 on its row."""
    ws.ruleset("""
        - id: Y
          due: {expect: summary, period: year, offset: 1, by: 03-31}
        """)
    ws.log("""
        date,event,period
        2017-06-01,published,
        2018-01-20,summary,去年
        """)
    result = ws.check("2018-06-30")
    assert [(f.rule, f.line, f.status) for f in result.findings] == [
        ("GK001", 3, "invalid"), ("Y", None, "missing")]


def test_due__for_each_unit_includes_units_of_the_due_events(ws: Workspace) -> None:
    """`for_each: unit` checks every unit that appears in the log during the period; a unit whose
    submission for the period is dated in the next period is checked for that period too."""
    ws.ruleset("""
        - id: Y
          due: {expect: summary, period: year, offset: 1, by: 01-15, for_each: unit}
        """)
    ws.log("""
        date,event,unit
        2018-05-01,published,办公室
        2019-01-10,summary,办公室
        2019-01-20,summary,条法司
        """)
    result = ws.check("2019-06-30")
    assert sorted((f.unit, f.period, f.status) for f in result.findings) == [("条法司", "2018", "late")]


def test_due__stays_on_day_off_unless_roll(ws: Workspace) -> None:
    """A `due` date stays where it is when it falls on a day off, unless the rule says `roll: true`."""
    ws.ruleset("""
        - id: STAY
          due: {expect: summary, period: year, by: 10-01}
        - id: ROLL
          due: {expect: summary, period: year, by: 10-01, roll: true}
        """)
    ws.log("""
        date,event
        2018-10-08,summary
        """)
    result = ws.check("2018-12-31")
    stay = only(result, "STAY", "2018")
    assert (stay.due, stay.status, stay.overdue) == ("2018-10-01", "late", {"value": 7, "unit": "days"})
    assert statuses(result, "ROLL") == []


def test_due__statuses_ok_late_missing_pending(ws: Workspace) -> None:
    """due statuses: `ok`, `late`, `missing`, `pending`."""
    ws.ruleset("""
        - id: Q
          due: {expect: published, period: quarter, by: 3-15}
        """)
    ws.log("""
        date,event
        2018-03-15,published
        2018-06-16,published
        """)
    # Q1 ok (on the due date), Q2 late, Q3 missing (due 09-15), Q4 pending (due 12-15).
    result = ws.check("2018-10-01", show_pending=True)
    assert statuses(result) == [("Q", "2018-Q2", "late"), ("Q", "2018-Q3", "missing"),
                                ("Q", "2018-Q4", "pending")]
    assert only(result, "Q", "2018-Q4").due == "2018-12-15"


# --- ratio --------------------------------------------------------------------------------

def test_ratio__below_in_ended_period_pending_in_running_one(ws: Workspace) -> None:
    """ratio: share of `of` events in a period that satisfy `matching`; short in a period that has
    not ended by as-of is `pending`."""
    ws.ruleset("""
        - id: RT
          ratio: {of: interp, matching: {form: [video, graphic]}, at_least: 0.6, per: year}
        """)
    ws.log("""
        date,event,form
        2018-03-01,interp,video
        2018-03-02,interp,text
        2018-03-03,interp,graphic
        2018-03-04,interp,text
        2019-03-01,interp,text
        """)
    result = ws.check("2019-12-31", show_pending=True)
    assert statuses(result) == [("RT", "2018", "below_ratio"), ("RT", "2019", "pending")]
    assert "50%" in only(result, "RT", "2018").text("en")


def test_ratio__every_event_of_a_period_overlapping_the_window_counts(ws: Workspace) -> None:
    """As for count, the window selects periods, then every event of the period counts: a plan
    effective from July measures the whole year's interpretations (docs/contract.md)."""
    ws.ruleset("""
        - id: RT
          ratio: {of: interp, matching: {form: video}, at_least: 0.5, per: year}
          effective: {from: 2018-07-01}
        """)
    ws.log("""
        date,event,form
        2018-02-01,interp,text
        2018-03-01,interp,text
        2018-08-01,interp,video
        """)
    result = ws.check("2019-01-31")
    assert statuses(result) == [("RT", "2018", "below_ratio")]  # 1 of 3, not 1 of 1
    assert "33%" in only(result, "RT", "2018").text("en")


# --- effective windows ------------------------------------------------------------------------

def test_effective__period_overlapping_window_is_checked(ws: Workspace) -> None:
    """A period is checked when it overlaps the rule's effective window (the ruleset's and the
    rule's windows both apply); then every event of the period counts toward it -- the period,
    not the single event, is what the window selects (docs/contract.md)."""
    ws.ruleset("""
        - id: C
          count: {event: meeting, at_least: 2, per: year}
          effective: {from: 2018-06-01}
        """, effective="{until: 2019-06-30}")
    ws.log("""
        date,event
        2018-01-10,meeting
        2018-07-01,meeting
        2019-07-01,meeting
        2020-07-01,meeting
        """)
    result = ws.check("2021-01-01")
    # 2018 overlaps the window: both 2018 meetings count -> 2, enough. 2019 overlaps until 06-30:
    # its one meeting (07-01) counts -> 1 < 2. 2020 is outside the ruleset's window: not checked.
    assert statuses(result) == [("C", "2019", "too_few")]


# --- Calendar coverage ---------------------------------------------------------------------

def test_calendar_coverage__gk010_once_per_run_of_uncovered_years(ws: Workspace) -> None:
    """Calendar coverage: dates in years the calendar does not cover get one warning per run of
    consecutive years (`GK010`, contract section 13), on the run's first row."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2026-12-01,received,A
        2026-12-02,answered,A
        2027-03-01,received,B
        2027-03-02,answered,B
        2027-05-01,received,C
        2027-05-02,answered,C
        2028-01-03,received,D
        2028-01-04,answered,D
        """)
    result = ws.check("2028-12-31")
    gk010 = [(f.period, f.line, f.severity) for f in result.findings if f.rule == "GK010"]
    assert gk010 == [("2027..2028", 4, "warning")]


def test_calendar_coverage__as_of_year_uncovered_without_rows_in_it(ws: Workspace) -> None:
    """Calendar coverage: a due date counted into an uncovered year is warned about too. With no
    row dated in the as-of year, the warning is about the period (no line)."""
    ws.ruleset(deadline_rule("20 working days"))
    ws.log("""
        date,event,case
        2026-12-28,received,A
        """)
    gk010 = [(f.period, f.line) for f in ws.check("2027-03-01").findings if f.rule == "GK010"]
    assert gk010 == [("2027", None)]
    assert not [f for f in ws.check("2026-12-31").findings if f.rule == "GK010"]
    # A year between the last row and the as-of year: its due dates are warned about too, in one run.
    gk010 = [(f.period, f.line) for f in ws.check("2028-03-01").findings if f.rule == "GK010"]
    assert gk010 == [("2027..2028", None)]


def test_calendar_coverage__weekends_only_assumed(ws: Workspace) -> None:
    """... and weekends-only is assumed (for a year the calendar does not cover).

    gklint reads "weekends-only" as "no make-up working days and no bridging days are guessed";
    the statutory holidays of 《全国年节及纪念日放假办法》 stay days off, because they are fixed by law
    whatever the yearly notice says (docs/contract.md, "Uncovered years").
    """
    ws.ruleset(deadline_rule("1 working day"))
    ws.log("""
        date,event,case
        2027-09-30,received,A
        2027-09-24,received,B
        """)
    findings = ws.check("2027-12-31")
    # Thu 2027-09-30 + 1: 10-01..10-03 are statutory (Fri-Sun); Mon 10-04 is NOT guessed as a bridge day.
    assert only(findings, "R", "A").due == "2027-10-04"
    # Fri 2027-09-24 + 1: the weekend 09-25/26 stays a weekend (no make-up working day is guessed).
    assert only(findings, "R", "B").due == "2027-09-27"


def test_python_api__stable_calendar_functions() -> None:
    """Python API (stable): `from gklint.calendar import load_calendar`; `cal = load_calendar("CN")`;
    `cal.is_workday(d)`, `cal.add_workdays(d, n)` (the n-th working day strictly after d),
    `cal.workdays_between(a, b)` (working days in (a, b]), `cal.covers(year)`."""
    from gklint.calendar import load_calendar

    cal = load_calendar("CN")
    assert cal.is_workday(dt.date(2018, 9, 29)) and not cal.is_workday(dt.date(2018, 10, 1))
    assert cal.add_workdays(dt.date(2018, 9, 28), 3) == dt.date(2018, 10, 8)
    assert cal.workdays_between(dt.date(2018, 9, 28), dt.date(2018, 10, 8)) == 3
    assert cal.covers(2018) and not cal.covers(2027)


def test_calendar_overlay__local_days_off_and_workdays_move_deadlines(ws: Workspace) -> None:
    """Calendar overlays (`--calendar FILE` or config): `{extends: CN, days_off: [dates or ranges],
    workdays: [dates]}` for local holidays, closures, or a schedule newer than the package."""
    ws.ruleset(deadline_rule("3 working days"))
    ws.write("local.yaml", """
        extends: CN
        days_off: ['2018-06-05..2018-06-06']
        workdays: [2018-06-09]
        """)
    ws.log("""
        date,event,case
        2018-06-04,received,A
        """)
    official = only(ws.check("2018-12-31"), "R", "A")
    local = only(ws.check("2018-12-31", calendar=str(ws.root / "local.yaml")), "R", "A")
    # Officially 06-05, 06-06, 06-07; locally 06-05/06 are closed and Saturday 06-09 is worked.
    assert (official.due, local.due) == ("2018-06-07", "2018-06-09")
    cli = ws.cli_json("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--calendar", "local.yaml")
    assert cli["findings"][0]["due"] == "2018-06-09"


# --- as-of, pending, summary, exit status (sections 1 and 5) -------------------------------

def test_as_of__default_is_today_in_china_standard_time(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--as-of` (default: today in China Standard Time) is the date the check is made on."""
    import gklint.dates

    real = gklint.dates.datetime

    class FrozenDateTime(real):  # type: ignore[misc, valid-type]
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            # 17:30 UTC on 2021-12-31 is already 01:30 on 2022-01-01 in Beijing.
            moment = real(2021, 12, 31, 17, 30, tzinfo=dt.timezone.utc)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(gklint.dates, "datetime", FrozenDateTime)
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2021-12-01,received,A
        """)
    doc = ws.cli_json("check", "events.csv", "-r", "rs.yaml")
    assert doc["as_of"] == "2022-01-01"


def test_pending__only_with_show_pending(ws: Workspace) -> None:
    """`pending` findings appear only with `--show-pending` (section 5); they never fail the run."""
    ws.ruleset(deadline_rule("5 working days"))
    ws.log("""
        date,event,case
        2018-06-04,received,A
        """)
    hidden = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-06-05")
    shown = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-06-05", "--show-pending")
    assert (hidden.exit_code, shown.exit_code) == (0, 0)
    assert hidden.stdout.splitlines()[0].startswith("0 findings") and "1 pending" in hidden.stdout
    assert "events.csv:2: R error [pending] " in shown.stdout  # severity stays error|warning|info


def test_json__summary_counts(ws: Workspace) -> None:
    """`--format json` prints exactly one JSON object with a summary of files, events, rules,
    errors, warnings and pending."""
    ws.ruleset(deadline_rule("5 working days") + "- id: W\n  severity: warning\n"
               "  precedence: {event: published, requires: review}\n")
    ws.log("""
        date,event,case
        2018-06-04,received,A
        2018-06-20,received,B
        2018-06-21,published,P
        2018-06-21,answered,B
        """)
    ws.log("""
        date,event,case
        2018-06-20,received,C
        """, name="more.csv")
    result = ws.cli("check", ".", "-r", "rs.yaml", "--as-of", "2018-06-25", "--format", "json")
    doc = json.loads(result.stdout)  # exactly one object: json.loads fails on trailing data
    assert set(doc) == {"gklint", "as_of", "findings", "summary"}
    summary = doc["summary"]
    assert {k: summary[k] for k in ("files", "events", "rules", "errors", "warnings", "pending")} == {
        "files": 2, "events": 5, "rules": 2, "errors": 1, "warnings": 1, "pending": 1}
    assert [f["status"] for f in doc["findings"]] == ["missing", "unpreceded"]
    assert set(doc["findings"][0]) >= {"rule", "ruleset", "severity", "status", "message", "file", "line",
                                       "case", "unit", "period", "start", "due", "actual", "overdue"}


@pytest.mark.parametrize(("rows", "fail_on", "code"), [
    ("2018-06-04,received,A\n2018-06-05,answered,A\n", None, 0),            # nothing found
    ("2018-06-04,received,A\n", None, 1),                                   # an error
    ("2018-06-04,received,A\n2018-06-05,answered,A\n2018-06-05,answered,A\n", None, 0),  # GK004 warning
    ("2018-06-04,received,A\n2018-06-05,answered,A\n2018-06-05,answered,A\n", "warning", 1),
    ("2018-06-04,received,A\n", "warning", 1),
])
def test_exit_status__0_1_and_fail_on_warning(ws: Workspace, rows: str, fail_on: str | None, code: int) -> None:
    """Exit status: 0 = nothing at or above the fail level; 1 = findings at or above it
    (`--fail-on error|warning`); 2 = the run could not be done."""
    ws.ruleset(deadline_rule("5 working days"))
    (ws.root / "events.csv").write_text("date,event,case\n" + rows, encoding="utf-8")
    args = ["check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31"]
    if fail_on:
        args += ["--fail-on", fail_on]
    assert ws.cli(*args).exit_code == code
    assert ws.cli("check", "missing.csv", "-r", "rs.yaml", "--as-of", "2018-12-31").exit_code == 2
