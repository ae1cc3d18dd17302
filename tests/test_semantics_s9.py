"""Contract section 9 (deadlines: what the 2019 regulation also says), one test per line,
through the real engine.

Each test quotes its line. The issue's examples use 2019 dates: Dragon Boat was Fri 2019-06-07,
National Day 2019-10-01..07 (make-up working days Sun 09-29 and Sat 10-12). Every date a test
relies on is checked against the official calendar first (``official``), so that a test fails
for the engine, never for a mistaken expectation.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from conftest import EVENTS, Workspace, only, statuses
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gklint.model import Event

# Every semantic line holds on every engine (contract section 12).
pytestmark = pytest.mark.usefixtures("both_engines")

S9_EVENTS = EVENTS + """\
  consulted: {label: 征求第三方意见}
  consult_answered: {label: 收到第三方意见}
  withdrawn: {label: 申请人撤回}
  abandoned: {label: 视为放弃申请}
"""


def rule(within: str | None = "20 working days", **extra: str) -> str:
    parts = [f"after: {extra.pop('after', 'received')}", f"expect: {extra.pop('expect', 'answered')}",
             *([f"within: {within}"] if within else []), *(f"{k}: {v}" for k, v in extra.items())]
    return f"- id: R\n  deadline: {{{', '.join(parts)}}}\n"


def official(start: str, n: int) -> str:
    """``start`` + ``n`` working days on the official calendar, checked against the holidays package."""
    import holidays

    from gklint.calendar import load_calendar

    cal = load_calendar("CN")
    days = holidays.China(years=[2019])
    assert days.get(dt.date(2019, 6, 7)) and days.get(dt.date(2019, 10, 1))  # Dragon Boat, National Day
    return cal.add_workdays(dt.date.fromisoformat(start), n).isoformat()


# --- Extension on the day of receipt ----------------------------------------------------------

def test_extension_on_the_day_of_receipt_applies__issue_example(ws: Workspace) -> None:
    """Extension on the day of receipt: an extension event dated on or after the start (the same
    day counts) and on or before the due date applies.
    Example: received 2019-06-10, extended the same day, answered 2019-08-01: due 2019-08-05, ok."""
    assert official("2019-06-10", 20) == "2019-07-08"
    assert official("2019-07-08", 20) == "2019-08-05"
    ws.ruleset(rule(extend="{by: extended, up_to: 20 working days}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,ANSWERED
        2019-06-10,extended,ANSWERED
        2019-08-01,answered,ANSWERED
        2019-06-10,received,UNANSWERED
        2019-06-10,extended,UNANSWERED
        """)
    result = ws.check("2019-12-31")
    assert statuses(result) == [("R", "UNANSWERED", "missing")]
    assert only(result, "R", "UNANSWERED").due == "2019-08-05"


def test_extension_before_the_start_does_not_apply(ws: Workspace) -> None:
    """... an extension dated on or after the start: one before the trigger belongs to no count."""
    ws.ruleset(rule(extend="{by: extended, up_to: 20 working days}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-06,extended,A
        2019-06-10,received,A
        2019-08-01,answered,A
        """)
    late = only(ws.check("2019-12-31"), "R", "A")
    assert (late.status, late.due) == ("late", "2019-07-08")


# --- pause ------------------------------------------------------------------------------------

def test_pause__working_days_in_from_to_do_not_count(ws: Workspace) -> None:
    """pause: the days in (from, to] do not count ... The due date moves later by the working
    days in (from, to]."""
    # 2019-06-10 + 20 working days = 07-08; (06-20, 06-27] holds 5 working days: due 07-15.
    assert official("2019-06-10", 20) == "2019-07-08" and official("2019-07-08", 5) == "2019-07-15"
    ws.ruleset(rule(pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,IN_TIME
        2019-06-20,consulted,IN_TIME
        2019-06-27,consult_answered,IN_TIME
        2019-07-15,answered,IN_TIME
        2019-06-10,received,LATE
        2019-06-20,consulted,LATE
        2019-06-27,consult_answered,LATE
        2019-07-16,answered,LATE
        """)
    result = ws.check("2019-12-31")
    assert statuses(result) == [("R", "LATE", "late")]
    late = only(result, "R", "LATE")
    assert (late.due, late.overdue) == ("2019-07-15", {"value": 1, "unit": "working_days"})


def test_pause__calendar_days_for_n_days_limits(ws: Workspace) -> None:
    """pause: ... (calendar days for `N days` limits), the moved date rolled once (art. 203)."""
    ws.ruleset(rule("15 days", pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-09-02,received,A
        2019-09-05,consulted,A
        2019-09-07,consult_answered,A
        """)
    # 09-02 + 15 days = 09-17; two calendar days paused: 09-19 (a Thursday, no roll).
    assert only(ws.check("2019-12-31"), "R", "A").due == "2019-09-19"
    ws.log("""
        date,event,case
        2019-09-02,received,A
        2019-09-05,consulted,A
        2019-09-18,consult_answered,A
        """)
    # 13 days paused: 09-17 + 13 = 09-30 (a Monday, a working day).
    assert only(ws.check("2019-12-31"), "R", "A").due == "2019-09-30"
    ws.log("""
        date,event,case
        2019-09-02,received,A
        2019-09-05,consulted,A
        2019-09-19,consult_answered,A
        """)
    # 14 days paused: 10-01, National Day: rolled once to 10-08.
    assert only(ws.check("2019-12-31"), "R", "A").due == "2019-10-08"


def test_pause__to_is_the_first_to_on_or_after_from(ws: Workspace) -> None:
    """pause: ... where `to` is the first `to` event of the same match values on or after it;
    a `from` dated after the due date as it stands pauses nothing."""
    ws.ruleset(rule(pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-18,consult_answered,A
        2019-06-10,received,A
        2019-06-20,consulted,A
        2019-06-27,consult_answered,A
        2019-07-01,consult_answered,A
        2019-06-10,received,B
        2019-07-09,consulted,B
        2019-07-20,consult_answered,B
        """)
    result = ws.check("2019-12-31")
    assert only(result, "R", "A").due == "2019-07-15"  # paused to 06-27, not 07-01
    assert only(result, "R", "B").due == "2019-07-08"  # consulted after the due date: no pause


def test_pause__in_date_order_each_against_the_moved_due_date(ws: Workspace) -> None:
    """Pauses are applied in date order, each against the due date as the earlier ones moved it."""
    ws.ruleset(rule(pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,A
        2019-06-20,consulted,A
        2019-06-27,consult_answered,A
        2019-07-12,consulted,A
        2019-07-16,consult_answered,A
        """)
    # The first pause moves 07-08 to 07-15; the second, from 07-12 (after 07-08 but before 07-15),
    # applies: (07-12, 07-16] holds 07-15 and 07-16, two working days: due 07-17.
    assert official("2019-07-15", 2) == "2019-07-17"
    assert only(ws.check("2019-12-31"), "R", "A").due == "2019-07-17"


def test_pause__extend_is_judged_against_the_moved_date(ws: Workspace) -> None:
    """`extend` is judged against the moved date."""
    ws.ruleset(rule(pause="{from: consulted, to: consult_answered}",
                    extend="{by: extended, up_to: 20 working days}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,A
        2019-06-20,consulted,A
        2019-06-27,consult_answered,A
        2019-07-12,extended,A
        """)
    # Extended on 07-12: after the unmoved due date 07-08, before the moved one 07-15.
    assert only(ws.check("2019-12-31"), "R", "A").due == official("2019-07-15", 20)


def test_pause__open_pause_stops_the_clock_pending_whatever_the_as_of(ws: Workspace) -> None:
    """A pause with no `to` yet stops the clock: a trigger with no response is then `pending`,
    whatever the as-of date."""
    ws.ruleset(rule(pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,OPEN
        2019-06-20,consulted,OPEN
        2019-06-10,received,OPEN_ANSWERED
        2019-06-20,consulted,OPEN_ANSWERED
        2020-03-02,answered,OPEN_ANSWERED
        """)
    result = ws.check("2021-12-31", show_pending=True)
    assert statuses(result) == [("R", "OPEN", "pending")]
    assert "2019-06-20" in only(result, "R", "OPEN").message["en"]


def test_pause__before_the_start_pauses_nothing(ws: Workspace) -> None:
    """pause: for each `from` event ... dated on or after the start."""
    ws.ruleset(rule(pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-05,consulted,A
        2019-06-10,received,A
        2019-06-20,consult_answered,A
        """)
    assert only(ws.check("2019-12-31"), "R", "A").due == "2019-07-08"


# --- cancel -----------------------------------------------------------------------------------

def test_cancel__before_the_due_date_ends_the_obligation(ws: Workspace) -> None:
    """cancel: a cancel event with the same `match` values, dated on or after the start and on or
    before the due date (as moved), ends the obligation when no response precedes it: no finding.
    One dated after the due date excuses nothing."""
    ws.ruleset(rule(cancel="[withdrawn, abandoned]", pause="{from: consulted, to: consult_answered}"),
               events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,WITHDRAWN
        2019-06-12,withdrawn,WITHDRAWN
        2019-06-10,received,ON_DUE
        2019-07-08,abandoned,ON_DUE
        2019-06-10,received,MOVED
        2019-06-20,consulted,MOVED
        2019-06-27,consult_answered,MOVED
        2019-07-12,withdrawn,MOVED
        2019-06-10,received,AFTER_DUE
        2019-07-09,withdrawn,AFTER_DUE
        2019-06-10,received,LATE_THEN_WITHDRAWN
        2019-07-10,answered,LATE_THEN_WITHDRAWN
        2019-07-11,withdrawn,LATE_THEN_WITHDRAWN
        2019-06-10,received,BEFORE_START
        2019-06-05,withdrawn,BEFORE_START
        """)
    result = ws.check("2019-12-31")
    assert statuses(result) == [("R", "AFTER_DUE", "missing"), ("R", "LATE_THEN_WITHDRAWN", "late"),
                                ("R", "BEFORE_START", "missing")]


def test_cancel__also_for_a_rule_without_a_time_limit(ws: Workspace) -> None:
    """cancel (with no `within`, no due date limits it)."""
    ws.ruleset(rule(None, cancel="withdrawn"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,A
        2019-09-10,withdrawn,A
        2019-06-10,received,B
        """)
    assert statuses(ws.check("2019-12-31")) == [("R", "B", "missing")]


# --- Start date from an attribute -----------------------------------------------------------

def test_start_from_attribute__issue_example_online_request_confirmed_on_monday(ws: Workspace) -> None:
    """Start date from an attribute (`date: ATTR` or `date: [ATTR, ...]`): the first of the named
    cells that is not empty (art. 31: the day both sides confirmed an online request).
    Example: submitted Saturday 2019-06-15, confirmed Monday 06-17: due 07-15 (not 07-12)."""
    assert dt.date(2019, 6, 15).weekday() == 5
    assert official("2019-06-17", 20) == "2019-07-15" and official("2019-06-15", 20) == "2019-07-12"
    ws.ruleset(rule(after="{event: received, date: [confirmed_on, signed_on]}"), events=S9_EVENTS)
    ws.log("""
        date,event,case,confirmed_on,signed_on
        2019-06-15,received,ONLINE,2019-06-17,
        2019-07-15,answered,ONLINE,,
        2019-06-15,received,MAIL,,2019-06-17
        2019-06-15,received,BOTH,2019-06-17,2019-06-20
        2019-06-15,received,NEITHER,,
        """)
    result = ws.check("2019-12-31")
    assert statuses(result) == [("R", "MAIL", "missing"), ("R", "BOTH", "missing"), ("R", "NEITHER", "missing")]
    assert only(result, "R", "MAIL").due == "2019-07-15"
    assert only(result, "R", "BOTH").due == "2019-07-15"  # the first non-empty cell
    # when all are empty, the row's own date
    assert (only(result, "R", "NEITHER").start, only(result, "R", "NEITHER").due) == ("2019-06-15", "2019-07-12")


def test_start_from_attribute__a_cell_that_is_not_a_date_is_gk001(ws: Workspace) -> None:
    """A cell that is not a date is GK001."""
    ws.ruleset(rule(after="{event: received, date: confirmed_on}"), events=S9_EVENTS)
    ws.log("""
        date,event,case,confirmed_on
        2019-06-15,received,A,下周一
        """)
    result = ws.check("2019-12-31")
    assert statuses(result) == [("GK001", "A", "invalid")]
    assert "confirmed_on" in only(result, "GK001").message["en"]


# --- Time of day ------------------------------------------------------------------------------

def test_time_of_day__response_not_earlier_than_the_trigger_by_the_clock(ws: Workspace) -> None:
    """Time of day: the response is the earliest `expect` event at or after the trigger: dated on
    or after its date and, when both carry a time on the same date, not earlier than its time."""
    ws.ruleset(rule("1 working day"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10 10:00,received,EARLIER
        2019-06-10 09:00,answered,EARLIER
        2019-06-10 10:00,received,SAME_MINUTE
        2019-06-10 10:00,answered,SAME_MINUTE
        2019-06-10 10:00,received,DATE_ONLY
        2019-06-10,answered,DATE_ONLY
        2019-06-10 10:00,received,LATER_REPLY
        2019-06-10 09:00,answered,LATER_REPLY
        2019-06-12 09:00,answered,LATER_REPLY
        """)
    result = ws.check("2019-12-31")
    # EARLIER: the 09:00 reply precedes the 10:00 request, answers nothing (GK005), and none follows.
    # LATER_REPLY: the reply of 06-12 is its response, a working day late (due 06-11).
    assert sorted(statuses(result)) == [("GK005", "EARLIER", "invalid"), ("GK005", "LATER_REPLY", "invalid"),
                                        ("R", "EARLIER", "missing"), ("R", "LATER_REPLY", "late")]
    assert only(result, "R", "LATER_REPLY").actual == "2019-06-12T09:00"


# --- No time limit ----------------------------------------------------------------------------

def test_no_time_limit__ok_or_missing_whatever_the_as_of(ws: Workspace) -> None:
    """No time limit: a deadline without `within` asks only that a response follows (DECLARE
    *response*): `ok` or `missing`; the log is taken as complete."""
    ws.ruleset(rule(None), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10,received,FOLLOWED
        2019-11-20,answered,FOLLOWED
        2019-06-10,received,NEVER
        2019-12-30,received,YESTERDAY
        """)
    result = ws.check("2019-12-31", show_pending=True)
    assert statuses(result) == [("R", "NEVER", "missing"), ("R", "YESTERDAY", "missing")]
    assert only(result, "R", "NEVER").due is None
    # No due date is counted, so no year after the log is reached: no GK010 at all (the old
    # `within: 100000 days` stand-in counted into 2292 and warned for every year up to it).
    assert not [f for f in result.findings if f.rule == "GK010"]


def test_no_time_limit__keys_that_count_a_due_date_are_refused(ws: Workspace) -> None:
    """(docs/contract.md) `extend`, `pause`, `restart` and `roll` need `within`: exit 2, naming the key."""
    ws.ruleset(rule(None, extend="{by: extended, up_to: 20 working days}"), events=S9_EVENTS)
    ws.log("date,event,case\n2019-06-10,received,A\n")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 2
    assert "within" in result.stderr and "extend" in result.stderr


# --- roll: false ------------------------------------------------------------------------------

@pytest.mark.parametrize(("roll", "due", "status"), [("true", "2019-10-08", []),
                                                     ("false", "2019-10-01", [("R", "A", "late")])])
def test_roll_false_keeps_an_n_days_due_date_on_a_day_off(ws: Workspace, roll: str, due: str,
                                                          status: list[tuple[str, str, str]]) -> None:
    """Calendar days that do not roll: `roll: false` on a deadline keeps an `N days` due date on a
    day off (the default, `roll: true`, moves it to the next working day, 民法典 art. 203)."""
    from gklint.calendar import load_calendar

    cal = load_calendar("CN")
    assert not cal.is_workday(dt.date(2019, 10, 1)) and cal.next_workday_on_or_after(dt.date(2019, 10, 1)) == \
        dt.date(2019, 10, 8)
    ws.ruleset(rule("30 days", roll=roll), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-09-01,received,A
        2019-10-03,answered,A
        2019-09-01,received,UNANSWERED
        """)
    result = ws.check("2019-12-31")
    assert only(result, "R", "UNANSWERED").due == due
    assert [s for s in statuses(result) if s[1] == "A"] == status
    if status:
        assert only(result, "R", "A").overdue == {"value": 2, "unit": "days"}


# --- n log n (issue 19 item 9) ----------------------------------------------------------------

@pytest.fixture
def date_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts reads of ``Event.date``: every comparison of an event's date goes through it, so a
    per-trigger scan of a case's extensions or restarts shows as reads growing with n²."""
    reads: Counter[str] = Counter()
    getter = Event.date

    def counting(ev: Event) -> dt.date:
        reads["date"] += 1
        return getter.__get__(ev)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(Event, "date", property(counting))
    yield reads


def one_big_case(n: int) -> str:
    """One case with n of each: requests, extensions, restarts, pauses, answers and withdrawals."""
    start = dt.date(2019, 1, 2)
    rows = ["date,event,case,no"]  # (`no` keeps the rows apart: a repeated row is GK004)
    for i in range(n):
        day = start + dt.timedelta(days=(i * 7) % 300)
        rows += [f"{day + dt.timedelta(days=d)},{kind},A,{i}" for d, kind in [
            (0, "received"), (1, "extended"), (2, "supplemented"), (3, "consulted"), (5, "consult_answered"),
            (40, "answered"), (60, "withdrawn")]]
    return "\n".join(rows) + "\n"


def test_extend_restart_pause_cancel_are_n_log_n_in_one_case(ws: Workspace, date_reads: Counter[str]) -> None:
    """(issue 19) A case with n requests and n extensions, restarts, pauses and withdrawals costs
    O(n log n) date reads: 8x the events make ~11x the reads, not 64x. (The columnar engine runs
    the rule as SQL: it makes no events of the case, so it reads no dates.)"""
    ws.ruleset(rule("5 working days", extend="{by: extended, up_to: 5 working days}", restart="supplemented",
                    pause="{from: consulted, to: consult_answered}", cancel="withdrawn"), events=S9_EVENTS)
    totals = []
    for n in (250, 2000):
        ws.log(one_big_case(n))
        date_reads.clear()
        result = ws.check("2019-12-31")
        assert result.events == 7 * n
        totals.append(date_reads["date"])
    if ws.engine == "columnar":
        assert totals == [0, 0], totals
        return
    assert 0 < totals[1] <= 16 * totals[0], totals


# --- the walk against the contract's words, on random cases ---------------------------------

def contract_reading(rows: list[tuple[int, str, str]], base: dt.date, as_of: dt.date) -> set[tuple[str, str, str | None]]:
    """Section 9 read literally, by linear scans over each case's rows: (case, status, due) of
    each finding of a 5-working-day rule with extend, restart, two pauses and a cancel."""
    from gklint.calendar import load_calendar
    from gklint.dates import When
    from gklint.deadlines import Due, judge
    from gklint.durations import parse_duration

    cal, within = load_calendar("CN"), parse_duration("5 working days")
    found: set[tuple[str, str, str | None]] = set()
    for case in sorted({c for _, _, c in rows}):
        of = {kind: sorted(base + dt.timedelta(days=d) for d, k, c in rows if c == case and k == kind)
              for kind in ("received", "answered", "extended", "supplemented", "consulted", "consult_answered",
                           "supplement_asked", "withdrawn")}
        for t in of["received"]:
            response = next((r for r in of["answered"] if r >= t), None)
            start = When(t, None)
            restarts = [r for r in of["supplemented"] if t < r <= (response or as_of)]
            if restarts:
                start = When(restarts[-1], None)
            due, counted, stopped = Due(start, within, cal), start.date, False
            steps: list[tuple[dt.date, int, dt.date | None]] = []
            for froms, tos in (("consulted", "consult_answered"), ("supplement_asked", "supplemented")):
                steps += [(f, 0, next((x for x in of[tos] if x >= f), None)) for f in of[froms] if f >= t]
            steps += [(e, 1, None) for e in of["extended"] if e >= t][:1]
            steps.sort(key=lambda step: step[:2])
            for day, is_extension, to in steps:
                if day > due.when.date:
                    break
                if is_extension:
                    due.extend(within)
                elif to is None:
                    stopped = True
                    break
                else:
                    begin = max(day, counted)
                    if to > begin:
                        due.pause(When(begin, None), When(to, None))
                        counted = to
            withdrawn = next((w for w in of["withdrawn"] if w >= t), None)
            if withdrawn and (stopped or withdrawn <= due.when.date):
                continue
            if stopped:
                if response is None:
                    found.add((case, "pending", due.when.date.isoformat()))
                continue
            verdict = judge(start, due.when, When(response, None) if response else None, within, cal, as_of)
            if verdict.status != "ok":
                found.add((case, verdict.status, due.when.date.isoformat()))
        first = of["received"][0] if of["received"] else None
        found |= {(case, "GK005", None) for r in of["answered"] if first and r < first}
    return found


KINDS = ["received", "answered", "extended", "supplemented", "consulted", "consult_answered",
         "supplement_asked", "withdrawn"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(KINDS), st.sampled_from(["A", "B"])),
                     max_size=30, unique=True))
# An open pause on the extension's day stops the clock before the extension applies, and a closed
# pause before a restart pauses nothing while the open one after it still stops the clock.
@example(rows=[(0, "received", "A"), (0, "extended", "A"), (0, "consulted", "A"), (1, "supplemented", "A"),
               (1, "consulted", "A")])
@example(rows=[(0, "received", "A"), (0, "extended", "A"), (0, "consulted", "A"), (0, "consult_answered", "A"),
               (1, "supplemented", "A"), (1, "consulted", "A")])
def test_the_walk_equals_the_contract_read_literally(ws: Workspace, rows: list[tuple[int, str, str]]) -> None:
    """Bisection, the extension and pauses walked in date order, the jump past covered `from`
    events: equal to section 9 read literally, around the 2019 National Day holiday."""
    base, as_of = dt.date(2019, 9, 16), dt.date(2019, 12, 31)
    ws.ruleset(rule("5 working days", extend="{by: extended, up_to: 5 working days}", restart="supplemented",
                    pause="[{from: consulted, to: consult_answered}, {from: supplement_asked, to: supplemented}]",
                    cancel="withdrawn"),
               events=S9_EVENTS + "  supplement_asked: {label: 补正告知}\n")
    ws.log("date,event,case\n" + "".join(f"{base + dt.timedelta(days=d)},{k},{c}\n" for d, k, c in rows))
    result = ws.check(as_of.isoformat(), show_pending=True)
    engine = {(f.case, "GK005" if f.rule == "GK005" else f.status, None if f.rule == "GK005" else f.due)
              for f in result.findings}
    assert engine == contract_reading(rows, base, as_of)


# --- gklint explain ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["“征求第三方意见”之日（不含）至其后第一个“收到第三方意见”之日（含）不计入期限", "计时暂停",
            "“申请人撤回”或“视为放弃申请”", "义务终止", "confirmed_on 中第一个非空的日期", "都为空时取该行的日期"]),
    ("en", ["From a 'consulted' to the first 'consult answered' on or after it", "the clock is stopped",
            "'withdrawn' or 'abandoned'", "ends the obligation", "first non-empty cell of confirmed_on",
            "from the row's own date"]),
])
def test_explain_describes_pause_cancel_and_the_start_date_fallback(ws: Workspace, lang: str,
                                                                    words: list[str]) -> None:
    """`gklint explain` says what pause, cancel and `date:` do, in both languages."""
    ws.ruleset(rule(after="{event: received, date: confirmed_on}", pause="{from: consulted, to: consult_answered}",
                    cancel="[withdrawn, abandoned]"), events=S9_EVENTS)
    text = ws.cli("explain", "R", "-r", "rs.yaml", "--lang", lang).stdout
    for phrase in words:
        assert phrase in text, (phrase, text)


# --- the schema and the remaining edges -----------------------------------------------------

@pytest.mark.parametrize(("deadline", "valid"), [
    ("{after: {event: received, date: confirmed_on}, expect: answered, within: 20 working days}", True),
    ("{after: {event: received, date: [confirmed_on, signed_on]}, expect: answered, within: 20 working days}", True),
    ("{after: {event: received, date: []}, expect: answered, within: 20 working days}", False),
    ("{after: received, expect: answered, within: 20 working days, pause: {from: consulted, to: consult_answered}}",
     True),
    (("{after: received, expect: answered, within: 20 working days, pause: [{from: consulted, to: consult_answered},"
      " {from: extended, to: supplemented}]}"), True),
    ("{after: received, expect: answered, within: 20 working days, pause: {from: consulted}}", False),
    ("{after: received, expect: answered, within: 20 working days, cancel: withdrawn}", True),
    ("{after: received, expect: answered, within: 20 working days, cancel: [withdrawn, abandoned]}", True),
    ("{after: received, expect: answered, within: 20 working days, cancel: []}", False),
    ("{after: received, expect: answered, within: 30 days, roll: false}", True),
    ("{after: received, expect: answered, within: 30 days, roll: 否}", False),
    ("{after: received, expect: answered}", True),
])
def test_the_json_schema_takes_the_section_9_keys(ws: Workspace, deadline: str, valid: bool) -> None:
    """The shipped JSON Schema (built from the kind's SCHEMA) accepts the keys of section 9 and
    refuses their malformed forms with exit 2."""
    import jsonschema

    from gklint.ruleset.schema import build_schema
    from gklint.ruleset.yamlio import load_yaml

    path = ws.ruleset(f"- id: R\n  deadline: {deadline}\n", events=S9_EVENTS)
    errors = list(jsonschema.Draft7Validator(build_schema()).iter_errors(load_yaml(path)))
    assert (not errors) == valid, errors
    ws.log("date,event,case\n2019-06-10,received,A\n")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == (1 if valid else 2), result.stderr


def test_pause_on_an_hour_limit_moves_the_due_moment_by_the_clock(ws: Workspace) -> None:
    """pause on an `N hours` limit (docs/contract.md): by the clock when both ends carry a time,
    else by whole days."""
    ws.ruleset(rule("24 hours", pause="{from: consulted, to: consult_answered}"), events=S9_EVENTS)
    ws.log("""
        date,event,case
        2019-06-10 09:00,received,CLOCK
        2019-06-10 15:00,consulted,CLOCK
        2019-06-10 18:30,consult_answered,CLOCK
        2019-06-10 09:00,received,DAYS
        2019-06-10,consulted,DAYS
        2019-06-12,consult_answered,DAYS
        """)
    result = ws.check("2019-12-31")
    assert only(result, "R", "CLOCK").due == "2019-06-11T12:30"  # 24 h + 3 h 30 min paused
    assert only(result, "R", "DAYS").due == "2019-06-13T09:00"  # 24 h + two whole days
