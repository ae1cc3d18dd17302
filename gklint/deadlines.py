"""Deadline arithmetic and verdicts (contract section 4), as pure functions.

- **N working days after D**: the N-th working day strictly after the date D (D never counts;
  N = 0 is D itself, 同步).
- **N days after D**: D + N calendar days (民法典 art. 201: the first day is not counted); when that
  day is not a working day the deadline moves to the next working day (民法典 art. 203: 期间的最后一日
  是法定休假日的，以法定休假日结束的次日为期间的最后一日). N = 0 is D itself, not rolled.
- **N hours after T**: T + N hours.

``roll=False`` (a rule's ``roll: false``, contract section 9) keeps an ``N days`` due date on a day
off. :class:`Due` moves a due date later as pauses (条例 art. 33 ¶2) and an extension move it.

Working-day and calendar-day deadlines are dates (``When(date, None)``): any response dated on or
before the due date is in time. An hour deadline is a moment. When the start has only a date, the
real start is some instant of that day, so the due moment is only known to within 24 hours:
:func:`compute_due` then returns the *earliest* possible due moment (``start 00:00 + N h``; written
as a plain date when N is a whole number of days, since the due is then "some time on that day").
:func:`judge` knows from the date-only start that the latest possible due is 24 hours later, and
decides only where the dates alone decide it; otherwise the verdict is ``unknown``.
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from gklint.dates import When, to_datetime
from gklint.durations import Duration

if TYPE_CHECKING:
    from gklint.calendar import WorkCalendar

_DAY = timedelta(days=1)
_HOUR = timedelta(hours=1)


class Judgement(NamedTuple):
    """The verdict on one trigger: ``status`` and, when late, by how much in the rule's unit."""

    status: str  # ok | late | missing | pending | unknown
    overdue: int | None = None
    unit: str | None = None  # working_days | days | hours, with ``overdue``


def _after(start: When, within: Duration, cal: WorkCalendar, roll: bool = True) -> When:
    n = within.value
    if within.unit == "working_days":
        return When(cal.add_workdays(start.date, n), None)
    if within.unit == "days":
        end = start.date + timedelta(days=n)
        # 民法典 art. 203: a period ending on a day off ends on the next working day.
        return When(cal.next_workday_on_or_after(end) if roll and n else end, None)
    if within.unit == "hours":
        if start.time is None and n % 24 == 0:
            return When(start.date + timedelta(days=n // 24), None)
        moment = to_datetime(start) + timedelta(hours=n)
        return When(moment.date(), moment.time())
    raise ValueError(f"unknown duration unit {within.unit!r}")


def compute_due(start: When, within: Duration, cal: WorkCalendar, roll: bool = True) -> When:
    """The due date (or moment) for a trigger at ``start`` with time limit ``within``.

    For hours from a date-only start this is the earliest possible due moment (see module doc).
    """
    return _after(start, within, cal, roll)


def extend_due(due: When, up_to: Duration, cal: WorkCalendar, roll: bool = True) -> When:
    """The due date after an extension of ``up_to`` (D + up_to, counted like the original limit)."""
    return _after(due, up_to, cal, roll)


class Due:
    """One trigger's due date as pauses and an extension move it (contract section 9).

    ``end`` is the last day (or moment) of the period before 民法典 art. 203's roll; ``when`` is
    the due date a response must come by (``end`` rolled to a working day for ``N days`` limits
    unless ``roll`` is false). A pause adds the time it stopped the clock to ``end``, so that
    the roll is applied once, to the period's real last day.
    """

    def __init__(self, start: When, within: Duration, cal: WorkCalendar, roll: bool = True) -> None:
        self.cal = cal
        self.within = within
        self.roll = roll
        self.end = _after(start, within, cal, roll=False)
        self._rolls = roll and within.unit == "days" and within.value > 0  # 0 days: the day itself
        self.when = self._settle()

    def _settle(self) -> When:
        if self._rolls:
            return When(self.cal.next_workday_on_or_after(self.end.date), None)
        return self.end

    def pause(self, since: When, until: When) -> None:
        """The clock stood still in (since, until]: the due date moves later by the working days
        in it (a working-day limit), its calendar days (``N days``), or the time between the two
        (hours: by the clock when both carry a time, else whole days)."""
        unit = self.within.unit
        if unit == "working_days":
            self.end = When(self.cal.add_workdays(self.when.date, self.cal.workdays_between(since.date, until.date)),
                            None)
        elif unit == "days":
            self.end = When(self.end.date + (until.date - since.date), None)
            self._rolls = self.roll
        else:
            if since.time is not None and until.time is not None:
                gap = to_datetime(until) - to_datetime(since)
            else:
                gap = until.date - since.date
            moment = to_datetime(self.end) + gap
            self.end = When(moment.date(), moment.time() if self.end.time is not None or gap % _DAY else None)
        self.when = self._settle()

    def extend(self, up_to: Duration) -> None:
        """An extension: D + ``up_to``, counted from the due date as it stands."""
        self.end = _after(self.when, up_to, self.cal, roll=False)
        self._rolls = self.roll and up_to.unit == "days" and up_to.value > 0
        self.when = self._settle()


def _judge_hours(start: When, due: When, response: When) -> Judgement:
    """Hours: compare moments; with a date-only side, decide only what every possibility agrees on."""
    due_lo = to_datetime(due)
    # A due counted from a date-only start (or itself date-only) is some instant of
    # [due_lo, due_lo + 1 day); otherwise it is exactly due_lo.
    uncertain_due = start.time is None or due.time is None
    due_sup = due_lo + _DAY if uncertain_due else due_lo
    resp_lo = to_datetime(response)
    resp_sup = resp_lo + _DAY if response.time is None else resp_lo  # date-only: any instant of the day
    if resp_sup <= due_lo:  # the latest possible response is no later than the earliest due
        return Judgement("ok")
    if resp_lo > due_sup or (uncertain_due and resp_lo == due_sup):  # earliest response after latest due
        # Overdue: whole hours, rounded up, from the latest possible due to the earliest possible
        # response (the lateness that is certain), at least 1.
        return Judgement("late", max(1, math.ceil((resp_lo - due_sup) / _HOUR)), "hours")
    return Judgement("unknown")


def _last_due_date(start: When, due: When, within: Duration) -> date:
    """The last date the due can fall on (for missing vs pending)."""
    if within.unit == "hours" and (start.time is None or due.time is None):
        return (to_datetime(due) + _DAY - timedelta(microseconds=1)).date()
    return due.date


def judge(
    start: When,
    due: When,
    response: When | None,
    within: Duration,
    cal: WorkCalendar,
    as_of: date,
) -> Judgement:
    """Verdict on one trigger (contract section 4, deadline).

    - ``ok``: response ≤ due (by date for working days and days);
    - ``late``: response > due; ``overdue`` is the working days in (due, response] but at least
      1, the calendar days response − due, or the whole hours rounded up;
    - ``missing``: no response and ``as_of`` is after the (last possible) due date;
    - ``pending``: no response and ``as_of`` is on or before it;
    - ``unknown``: an hour limit that dates alone cannot decide.
    """
    if response is None:
        return Judgement("missing" if as_of > _last_due_date(start, due, within) else "pending")
    if within.unit == "hours":
        return _judge_hours(start, due, response)
    if response.date <= due.date:
        return Judgement("ok")
    if within.unit == "working_days":
        return Judgement("late", max(1, cal.workdays_between(due.date, response.date)), "working_days")
    return Judgement("late", (response.date - due.date).days, "days")


__all__ = ["Due", "Judgement", "compute_due", "extend_due", "judge"]
