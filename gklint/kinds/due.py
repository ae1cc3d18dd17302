"""due: per period (optionally per unit), an ``expect`` event by a fixed date.

The due date is ``by`` (``MM-DD`` for year periods, ``DD`` for month periods, ``M-DD`` -- the
month within the quarter -- for quarter periods) in the period ``offset`` periods after the
checked one. An ``expect`` event belongs to the period named by its ``period`` attribute
(``2018``, ``2018-06``, ``2018-Q2``) when it has one, else to the period containing its date
minus ``offset``. The date stays where it is on a day off unless ``roll: true``.

PASS (``period: year, offset: 1, by: 01-15``): ``2019-01-14,annual_summary_submitted`` for 2018.
FAIL: ``2019-01-16,annual_summary_submitted`` -> ``late`` by 1 day for period 2018.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from gklint.kinds.base import (
    EVENT_REF_SCHEMA,
    FOR_EACH_SCHEMA,
    PERIOD_SCHEMA,
    CompileContext,
    CompileError,
    EvalContext,
    EventRef,
    Problem,
)
from gklint.kinds.duty import SCHEMA as UNITS_SCHEMA

# Attributes the kind reads that its rules do not name (``gklint.kinds.attributes_read``): an
# ``expect`` event's period is its ``period`` cell.
READS = ("period",)
from gklint.kinds.duty import Units, compile_units, describe_units, duty_units, no_units_problem
from gklint.model import Event, Period, msg, parse_period, period_of

NAME = "due"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["expect", "period", "by"],
    "additionalProperties": False,
    "properties": {
        "expect": EVENT_REF_SCHEMA,
        "period": PERIOD_SCHEMA,
        "offset": {"type": "integer"},
        "by": {"type": ["string", "integer"]},
        "for_each": FOR_EACH_SCHEMA,
        "roll": {"type": "boolean"},
        "units": UNITS_SCHEMA,
    },
}
_BY = {"year": re.compile(r"(\d{1,2})-(\d{1,2})"), "quarter": re.compile(r"([1-3])-(\d{1,2})"),
       "month": re.compile(r"(\d{1,2})")}


class Due(NamedTuple):
    expect: EventRef
    period: str
    offset: int
    by: tuple[int, ...]
    for_each: str | None
    roll: bool
    units: Units | None = None  # whose duty it is (gklint.kinds.duty); None: every unit seen


def compile(spec: dict[str, Any], ctx: CompileContext) -> Due:
    period = spec["period"]
    by_text = str(spec["by"]).strip()
    m = _BY[period].fullmatch(by_text)
    forms = {"year": "MM-DD, e.g. 01-15", "quarter": "M-DD (month within the quarter), e.g. 1-15",
             "month": "DD, e.g. 05"}
    if not m:
        raise CompileError(f"'by: {by_text}' is not a day of a {period} period", ["by"],
                           hint=f"Write it as {forms[period]}.")
    by = tuple(int(g) for g in m.groups())
    try:
        if period == "year":
            dt.date(2000, by[0], by[1])  # a leap year, so 02-29 is allowed
        elif not 1 <= by[-1] <= 31:
            raise ValueError
    except ValueError:
        raise CompileError(f"'by: {by_text}' is not a real date", ["by"], hint=f"Write it as {forms[period]}.") from None
    offset = int(spec.get("offset", 0))
    from gklint.dates import CALENDAR_YEARS

    # The periods of the calendar's span (1900–2999): a larger offset names no date gklint counts on.
    most = (CALENDAR_YEARS[1] - CALENDAR_YEARS[0] + 1) * {"year": 1, "quarter": 4, "month": 12}[period]
    if abs(offset) > most:
        raise CompileError(f"'offset: {offset}' is more {period}s than the calendar's span "
                           f"({CALENDAR_YEARS[0]}–{CALENDAR_YEARS[1]}) holds", ["offset"],
                           hint=f"Write an offset from -{most} to {most}; 1 is the next {period}.")
    for_each = ctx.column(spec.get("for_each"))
    return Due(ctx.ref(spec["expect"], ["expect"]), period, offset, by,
               for_each, bool(spec.get("roll", False)), compile_units(spec, ctx, for_each))


def due_date(rule: Due, period: Period, calendar: Any) -> dt.date:
    target = period.shift(rule.offset)
    if rule.period == "year":
        month, day = rule.by
        day = min(day, _cal.monthrange(target.year, month)[1])
        d = dt.date(target.year, month, day)
    elif rule.period == "quarter":
        month = target.start.month + rule.by[0] - 1
        d = dt.date(target.year, month, min(rule.by[1], _cal.monthrange(target.year, month)[1]))
    else:
        d = dt.date(target.year, target.index, min(rule.by[0], _cal.monthrange(target.year, target.index)[1]))
    if rule.roll:
        d = calendar.next_workday_on_or_after(d)
    return d


def describe(rule: Due, lang: str, label: Any) -> str:
    expect = rule.expect.describe(lambda n: label(n, lang), lang)
    by = "-".join(f"{x:02d}" for x in rule.by)
    if lang == "zh":
        which = {0: "当期", 1: "下一期"}.get(rule.offset, f"其后第{rule.offset}期")
        per = {"year": "每年", "quarter": "每季度", "month": "每月"}[rule.period]
        each = "（各部门分别）" if rule.for_each == "unit" else ""
        roll = "；遇节假日顺延" if rule.roll else ""
        return f"{per}的“{expect}”须在{which}的{by}前完成{each}{describe_units(rule.units, lang, label)}{roll}。"
    each = f", for each {rule.for_each}" if rule.for_each else ""
    roll = "; rolled to the next working day when that is a day off" if rule.roll else ""
    return (f"For each {rule.period}{each}{describe_units(rule.units, lang, label)}, '{expect}' by {by} "
            f"of the period {rule.offset} after it{roll}.")


def _period_of_event(rule: Due, ev: Event) -> Period | None:
    named = ev.get("period")
    if named is not None and named != "":
        return parse_period(rule.period, named)
    return period_of(rule.period, ev.date).shift(-rule.offset)


def evaluate(rule: Due, ctx: EvalContext) -> Iterator[Problem]:
    firsts: dict[tuple[Period, Any], Event] = {}
    for ev in ctx.index.select(rule.expect):
        period = _period_of_event(rule, ev)
        if period is None:  # a `period` cell that names no period: say so on its row
            yield unreadable_period(ev, ev.get("period"))
            continue
        group = ev.get(rule.for_each) if rule.for_each else None
        firsts.setdefault((period, str(group) if group is not None else None), ev)  # date order: first wins
    yield from judge(rule, ctx, firsts)


def unreadable_period(ev: Event, named: Any) -> Problem:
    """GK001 on an ``expect`` event whose ``period`` cell (``named``) names no period."""
    return Problem("invalid", msg(
        f"无法识别的所属期间“{named}”（应如 2018、2018年度、2018-06、2018年第2季度）",
        f"unreadable period {named!r} (write e.g. 2018, 2018-06 or 2018-Q2)"),
        file=ev.file, line=ev.line, column=ev.column, case=ev.case, unit=ev.unit, rule="GK001", severity="error")


def judge(rule: Due, ctx: EvalContext, firsts: dict[tuple[Period, Any], Event]) -> Iterator[Problem]:
    """The findings of each checked period (and group), given the first ``expect`` event of each
    (period, group) it was submitted for (``str`` of the group's value, or None)."""
    # A unit whose submission for a period is dated in a later period still has that period to answer
    # for, even when it has no other event dated inside it.
    submitters: dict[Period, set[str]] = {}
    for period, group in firsts:
        if group is not None:
            submitters.setdefault(period, set()).add(group)
    name_zh, name_en = ctx.label(rule.expect.event, "zh"), ctx.label(rule.expect.event, "en")
    for period in ctx.periods(rule.period):
        due = due_date(rule, period, ctx.calendar)
        groups = ctx.groups_for_each(rule.for_each, period)
        if rule.units is not None:
            # Only the units whose duty it is; one that submitted without being obliged is no finding.
            groups = list(duty_units(rule.units, ctx, period))
            if not groups:
                if ctx.as_of > due:  # (before the due date nobody is late yet, whoever it binds)
                    yield no_units_problem(rule.units, period, ctx.label)
                continue
        elif rule.for_each and submitters.get(period):
            groups = [*sorted(submitters[period] | {g for g in groups if g is not None})]
        for group in groups:
            submitted = firsts.get((period, group))
            who_zh = f"{group}" if group else ""
            who_en = f" ({group})" if group else ""
            unit = group if rule.for_each == "unit" else None
            base: dict[str, Any] = dict(unit=unit, period=str(period), due=due.isoformat(),
                                        start=period.start.isoformat(),
                                        group={rule.for_each: group} if rule.for_each and group is not None else None)
            if submitted is not None and submitted.date <= due:
                continue
            if submitted is not None:
                days = (submitted.date - due).days
                yield Problem("late", msg(
                    f"{who_zh}{period.label('zh')}的“{name_zh}”应于{due.isoformat()}前完成，"
                    f"实际{submitted.date.isoformat()}完成，逾期{days}日",
                    f"'{name_en}' for {period}{who_en} was due by {due.isoformat()}, happened on "
                    f"{submitted.date.isoformat()}: {days} day{'s' if days != 1 else ''} late"),
                    file=submitted.file, line=submitted.line, column=submitted.column, case=submitted.case,
                    actual=submitted.date.isoformat(),
                    overdue={"value": days, "unit": "days"}, **base)
            elif ctx.as_of > due:
                yield Problem("missing", msg(
                    f"{who_zh}{period.label('zh')}的“{name_zh}”应于{due.isoformat()}前完成，"
                    f"截至{ctx.as_of.isoformat()}没有记录",
                    f"'{name_en}' for {period}{who_en} was due by {due.isoformat()}; none recorded by "
                    f"{ctx.as_of.isoformat()}"), **base)
            else:
                yield Problem("pending", msg(
                    f"{who_zh}{period.label('zh')}的“{name_zh}”应于{due.isoformat()}前完成，尚未到期",
                    f"'{name_en}' for {period}{who_en} is due by {due.isoformat()}; not yet due"), **base)
