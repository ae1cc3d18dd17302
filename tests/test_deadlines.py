"""Deadline arithmetic and verdicts: every line of contract section 4 on deadlines."""
from __future__ import annotations

from datetime import date

import pytest

from gklint.calendar import WorkCalendar, load_calendar
from gklint.dates import When, parse_when
from gklint.deadlines import Judgement, compute_due, extend_due, judge
from gklint.durations import parse_duration

AS_OF = date(2030, 1, 1)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return load_calendar("CN")


def due(start: str, within: str, cal: WorkCalendar) -> When:
    return compute_due(parse_when(start), parse_duration(within), cal)


def verdict(start: str, within: str, response: str | None, cal: WorkCalendar,
            as_of: date = AS_OF) -> Judgement:
    limit = parse_duration(within)
    begin = parse_when(start)
    return judge(begin, compute_due(begin, limit, cal), parse_when(response) if response else None,
                 limit, cal, as_of)


# -- N working days after D -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        ("2018-09-28", "3 working days", "2018-10-08"),  # the contract's example
        ("2018-09-28 17:45", "3个工作日", "2018-10-08"),  # a time does not change the count
        ("2018-10-01", "1 working day", "2018-10-08"),  # D a holiday: still not counted
        ("2018-09-29", "1 working day", "2018-09-30"),  # D a make-up Saturday: not counted either
        ("2018-10-01", "0 working days", "2018-10-01"),  # N = 0: the same day (同步)
        ("2018-12-28", "15 working days", "2019-01-21"),
    ],
)
def test_working_days(cal: WorkCalendar, start: str, within: str, expected: str) -> None:
    assert due(start, within, cal) == When(date.fromisoformat(expected), None)


# -- N days after D (民法典 art. 203) -----------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        ("2018-05-02", "30 days", "2018-06-01"),  # lands on a working day (Friday)
        ("2018-05-17", "2 days", "2018-05-21"),  # lands on Saturday -> Monday
        ("2018-09-21", "10日", "2018-10-08"),  # lands on National Day -> next working day
        ("2018-09-19", "10天", "2018-09-29"),  # lands on a make-up Saturday: a working day, stays
        ("2018-10-01", "0 days", "2018-10-01"),  # N = 0: the same day, not rolled
        ("2019-04-20", "11 days", "2019-05-05"),  # 05-01 off, 5/2-5/4 off, Sunday 5/5 a make-up day
    ],
)
def test_calendar_days_roll_to_next_working_day(cal: WorkCalendar, start: str, within: str,
                                                expected: str) -> None:
    assert due(start, within, cal) == When(date.fromisoformat(expected), None)


# -- N hours after T ------------------------------------------------------------------------
def test_hours_with_times(cal: WorkCalendar) -> None:
    assert due("2018-05-17T09:30", "24 hours", cal) == When(date(2018, 5, 18), parse_when("2018-05-18 09:30").time)
    assert due("2018-05-17 22:00", "3小时", cal) == parse_when("2018-05-18T01:00")
    # Hours run through days off: no roll.
    assert due("2018-09-30 12:00", "24 hours", cal) == parse_when("2018-10-01T12:00")


def test_hours_from_a_date_only_start(cal: WorkCalendar) -> None:
    assert due("2018-05-17", "24 hours", cal) == When(date(2018, 5, 18), None)  # some time that day
    assert due("2018-05-17", "12 hours", cal) == parse_when("2018-05-17T12:00")  # earliest possible


@pytest.mark.parametrize(
    ("start", "within", "response", "status", "overdue"),
    [
        # both sides carry times: compare moments
        ("2018-05-17 09:00", "24 hours", "2018-05-18 09:00", "ok", None),
        ("2018-05-17 09:00", "24 hours", "2018-05-18 09:01", "late", 1),
        ("2018-05-17 09:00", "24 hours", "2018-05-18 11:30", "late", 3),  # whole hours rounded up
        ("2018-05-17T01:00:00Z", "2 hours", "2018-05-17 11:00", "ok", None),  # 09:00 CST + 2 h
        # a date-only side: decided only where the dates alone decide it
        ("2018-05-17", "24 hours", "2018-05-17", "ok", None),
        ("2018-05-17", "24 hours", "2018-05-17 23:00", "ok", None),
        ("2018-05-17", "24 hours", "2018-05-18", "unknown", None),
        ("2018-05-17", "24 hours", "2018-05-18 08:00", "unknown", None),
        ("2018-05-17", "24 hours", "2018-05-19", "late", 1),
        ("2018-05-17", "24 hours", "2018-05-19 05:30", "late", 6),  # certain lateness, rounded up
        ("2018-05-17 09:00", "2 hours", "2018-05-17", "unknown", None),
        ("2018-05-17 09:00", "2 hours", "2018-05-18", "late", 13),  # 11:00 -> next day 00:00
        ("2018-05-17 09:00", "48 hours", "2018-05-18", "ok", None),
        ("2018-05-17", "12 hours", "2018-05-17 11:00", "ok", None),  # before the earliest due (12:00)
        ("2018-05-17", "12 hours", "2018-05-17 13:00", "unknown", None),
        ("2018-05-17", "12 hours", "2018-05-18 12:00", "late", 1),
        ("2018-05-17", "0 hours", "2018-05-17", "unknown", None),
    ],
)
def test_hour_verdicts(cal: WorkCalendar, start: str, within: str, response: str, status: str,
                       overdue: int | None) -> None:
    got = verdict(start, within, response, cal)
    assert got.status == status
    assert got.overdue == overdue
    assert got.unit == ("hours" if overdue is not None else None)


# -- verdicts on working days and days --------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "within", "response", "expected"),
    [
        ("2018-09-20", "5 working days", "2018-09-28", Judgement("ok")),  # response = D
        ("2018-09-20", "5 working days", "2018-09-20", Judgement("ok")),  # same day
        ("2018-09-20", "5 working days", "2018-09-28 23:59", Judgement("ok")),
        # D = 09-28; working days in (D, 10-08] = 09-29, 09-30, 10-08
        ("2018-09-20", "5 working days", "2018-10-08", Judgement("late", 3, "working_days")),
        ("2018-09-20", "5 working days", "2018-09-29", Judgement("late", 1, "working_days")),
        # answered on a day off after D: no working day in (D, response], but at least 1
        ("2018-05-10", "6 working days", "2018-05-19", Judgement("late", 1, "working_days")),
        ("2018-09-20", "5 working days", "2018-10-05", Judgement("late", 2, "working_days")),
        # calendar days: D = 2018-10-08 (rolled); late by calendar days
        ("2018-09-21", "10 days", "2018-10-08", Judgement("ok")),
        ("2018-09-21", "10 days", "2018-10-11", Judgement("late", 3, "days")),
    ],
)
def test_day_verdicts(cal: WorkCalendar, start: str, within: str, response: str, expected: Judgement) -> None:
    assert verdict(start, within, response, cal) == expected


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(date(2018, 10, 9), "missing"), (date(2018, 10, 8), "pending"), (date(2018, 9, 30), "pending")],
)
def test_missing_and_pending(cal: WorkCalendar, as_of: date, status: str) -> None:
    # 2018-09-28 + 3 working days = 2018-10-08
    assert verdict("2018-09-28", "3 working days", None, cal, as_of) == Judgement(status)
    assert verdict("2018-09-28", "3 working days", None, cal, as_of).overdue is None


@pytest.mark.parametrize(
    ("start", "within", "as_of", "status"),
    [
        ("2018-05-17 09:00", "24 hours", date(2018, 5, 18), "pending"),  # due during as-of
        ("2018-05-17 09:00", "24 hours", date(2018, 5, 19), "missing"),
        ("2018-05-17", "24 hours", date(2018, 5, 18), "pending"),
        ("2018-05-17", "24 hours", date(2018, 5, 19), "missing"),
        ("2018-05-17", "12 hours", date(2018, 5, 18), "pending"),  # due may be 05-18 11:59
        ("2018-05-17", "12 hours", date(2018, 5, 19), "missing"),
    ],
)
def test_hours_missing_and_pending(cal: WorkCalendar, start: str, within: str, as_of: date, status: str) -> None:
    assert verdict(start, within, None, cal, as_of).status == status


# -- extensions -----------------------------------------------------------------------------
def test_extend_working_days(cal: WorkCalendar) -> None:
    d = due("2018-09-07", "14 working days", cal)  # 09-24 Mid-Autumn off
    assert d == When(date(2018, 9, 28), None)
    assert extend_due(d, parse_duration("3 working days"), cal) == When(date(2018, 10, 8), None)


def test_extend_days_and_hours(cal: WorkCalendar) -> None:
    assert extend_due(When(date(2018, 9, 21), None), parse_duration("10 days"), cal) == When(date(2018, 10, 8), None)
    assert extend_due(parse_when("2018-05-17 09:00"), parse_duration("24小时"), cal) == parse_when("2018-05-18T09:00")
    # a date-only hour deadline stays uncertain by one day after an extension
    start = parse_when("2018-05-17")
    extended = extend_due(compute_due(start, parse_duration("24 hours"), cal), parse_duration("24 hours"), cal)
    assert extended == When(date(2018, 5, 19), None)
    assert judge(start, extended, parse_when("2018-05-19"), parse_duration("24 hours"), cal, AS_OF).status == "unknown"
    assert judge(start, extended, parse_when("2018-05-20"), parse_duration("24 hours"), cal, AS_OF).status == "late"
