"""count: at least / at most N matching events per period (optionally per unit), or per case.

A period that has not ended by the as-of date and is still short is ``pending``; an
``at_most`` breach is reported at once (contract section 4). A period is checked when it
overlaps the rule's effective window, and then every event of the period counts -- a meeting
held in March counts towards the year of a plan issued in May (docs/contract.md).

PASS (``at_least: 3, per: year``): three ``meeting_held`` rows with ``stakeholders_attended=是``
dated in 2021. FAIL: two of them, checked as of 2022-01-05 -> ``too_few`` for period 2021.

``per: case`` (contract section 13) checks each case of the log over its whole life, as DECLARE's
existence, absence and exactly-once do: a case with an event dated in the rule's window, its
events of every date counted. Each finding is about one case, on its first row (by file and
line). The log is judged as it stands: a case short of its events is ``too_few`` whether or not it
has ended (gklint cannot tell), as DECLARE checkers judge completed traces.

PASS (``event: decided, at_least: 1, at_most: 1, per: case``): every case has one ``decided``
row. FAIL: case B has none -> ``too_few`` on B's first row; case C two -> ``too_many``.
"""
from __future__ import annotations

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
from gklint.kinds.duty import Units, compile_units, describe_units, duty_units, no_units_problem
from gklint.model import Period, msg, period_of

NAME = "count"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["event", "per"],
    "additionalProperties": False,
    "properties": {
        "event": EVENT_REF_SCHEMA,
        "at_least": {"type": "integer", "minimum": 0},
        "at_most": {"type": "integer", "minimum": 0},
        "per": {"enum": [*PERIOD_SCHEMA["enum"], "case"]},
        "for_each": FOR_EACH_SCHEMA,
        "units": UNITS_SCHEMA,
    },
}


class Count(NamedTuple):
    event: EventRef
    at_least: int | None
    at_most: int | None
    per: str
    for_each: str | None
    units: Units | None = None  # whose duty it is (gklint.kinds.duty); None: every unit seen


def compile(spec: dict[str, Any], ctx: CompileContext) -> Count:
    if "at_least" not in spec and "at_most" not in spec:
        raise CompileError("a count rule needs at_least or at_most", [])
    for_each = ctx.column(spec.get("for_each"))
    if spec["per"] == "case" and (for_each or "units" in spec):
        raise CompileError("per: case counts each case on its own: for_each and units do not apply",
                           ["for_each" if for_each else "units"], hint="Remove for_each/units, or count per year.")
    return Count(ctx.ref(spec["event"], ["event"]), spec.get("at_least"), spec.get("at_most"),
                 spec["per"], for_each, compile_units(spec, ctx, for_each))


_PER_ZH = {"year": "每年", "quarter": "每季度", "month": "每月", "case": "每个案件"}


def describe(rule: Count, lang: str, label: Any) -> str:
    event = rule.event.describe(lambda n: label(n, lang), lang)
    if lang == "zh":
        bounds = "，".join(p for p in (f"不少于{rule.at_least}次" if rule.at_least is not None else "",
                                       f"不多于{rule.at_most}次" if rule.at_most is not None else "") if p)
        each = "（各部门分别计算）" if rule.for_each == "unit" else (f"（按{rule.for_each}分别计算）" if rule.for_each else "")
        return f"“{event}”{_PER_ZH[rule.per]}{bounds}{each}{describe_units(rule.units, lang, label)}。"
    bounds = " and ".join(p for p in (f"at least {rule.at_least}" if rule.at_least is not None else "",
                                      f"at most {rule.at_most}" if rule.at_most is not None else "") if p)
    each = f", for each {rule.for_each}" if rule.for_each else ""
    return f"'{event}': {bounds} per {rule.per}{each}{describe_units(rule.units, lang, label)}."


def evaluate(rule: Count, ctx: EvalContext) -> Iterator[Problem]:
    if rule.per == "case":
        yield from per_case(rule, ctx, case_counts(rule, ctx))
        return
    counts: dict[tuple[Period, Any], int] = {}
    periods = ctx.periods(rule.per)
    if not periods:
        return
    # Only the events of the periods checked are counted (found by bisection).
    for ev in ctx.index.in_window(rule.event, periods[0].start, periods[-1].end):
        group = ev.get(rule.for_each) if rule.for_each else None
        key = (period_of(rule.per, ev.date), str(group) if group is not None else None)
        counts[key] = counts.get(key, 0) + 1
    yield from judge(rule, ctx, periods, counts)


def judge(rule: Count, ctx: EvalContext, periods: list[Period], counts: dict[tuple[Period, Any], int]) -> Iterator[Problem]:
    """The problems of ``periods``, given the events counted per (period, group text or None)."""
    name_zh, name_en = ctx.label(rule.event.event, "zh"), ctx.label(rule.event.event, "en")
    for period in periods:
        ended = ctx.as_of > period.end
        groups = ctx.groups_for_each(rule.for_each, period)
        if rule.units is not None:
            groups = list(duty_units(rule.units, ctx, period))
            if not groups:
                if ended:
                    yield no_units_problem(rule.units, period, ctx.label)
                continue
        for group in groups:
            grouped = {rule.for_each: group} if rule.for_each and group is not None else None
            n = counts.get((period, group), 0)
            who_zh = f"{group}" if group else ""
            who_en = f" for {group}" if group else ""
            if rule.at_most is not None and n > rule.at_most:
                yield Problem("too_many", msg(
                    f"{who_zh}{period.label('zh')}“{name_zh}”{n}次，超过上限{rule.at_most}次",
                    f"{n} '{name_en}' in {period}{who_en}: more than the {rule.at_most} allowed"),
                    unit=group if rule.for_each == "unit" else None, period=str(period), group=grouped)
            if rule.at_least is not None and n < rule.at_least:
                status = "too_few" if ended else "pending"
                tail_zh = "" if ended else f"（{period.label('zh')}尚未结束）"
                tail_en = "" if ended else f" ({period} has not ended)"
                yield Problem(status, msg(
                    f"{who_zh}{period.label('zh')}“{name_zh}”{n}次，少于要求的{rule.at_least}次{tail_zh}",
                    f"{n} '{name_en}' in {period}{who_en}: fewer than the {rule.at_least} required{tail_en}"),
                    unit=group if rule.for_each == "unit" else None, period=str(period), group=grouped)


def case_counts(rule: Count, ctx: EvalContext) -> dict[str, int]:
    """The events of ``rule`` in each case (folded value), every date."""
    from gklint.events import fold_case

    counts: dict[str, int] = {}
    for ev in ctx.index.select(rule.event):
        key = fold_case(ev.case)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return counts


def per_case(rule: Count, ctx: EvalContext, counts: dict[str, int]) -> Iterator[Problem]:
    """The problems of each case with an event in the rule's window (as of the as-of date)."""
    name_zh, name_en = ctx.label(rule.event.event, "zh"), ctx.label(rule.event.event, "en")
    for key, (file, line, case) in ctx.index.case_rows(ctx.window_from, ctx.window_until).items():
        n = counts.get(key, 0)
        if rule.at_most is not None and n > rule.at_most:
            yield Problem("too_many", msg(f"案件{case}“{name_zh}”{n}次，超过上限{rule.at_most}次",
                                          f"case {case}: {n} '{name_en}', more than the {rule.at_most} allowed"),
                          file=file, line=line, case=case)
        if rule.at_least is not None and n < rule.at_least:
            yield Problem("too_few", msg(f"案件{case}“{name_zh}”{n}次，少于要求的{rule.at_least}次",
                                         f"case {case}: {n} '{name_en}', fewer than the {rule.at_least} required"),
                          file=file, line=line, case=case)
