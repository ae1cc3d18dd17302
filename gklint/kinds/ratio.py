"""ratio: the share of ``of`` events in a period that satisfy ``matching``.

A period that has not ended by the as-of date and is below the ratio is ``pending``.

PASS (``matching: {form: [video, graphic]}, at_least: 0.6``): 3 of 5 interpretations are videos
or graphics. FAIL: 2 of 5 -> ``below_ratio`` (40% < 60%).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from gklint.kinds.base import (
    EVENT_REF_SCHEMA,
    PERIOD_SCHEMA,
    CompileContext,
    CompileError,
    EvalContext,
    EventRef,
    Problem,
    comparable,
)
from gklint.model import Period, msg, period_of

NAME = "ratio"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["of", "matching", "at_least", "per"],
    "additionalProperties": False,
    "properties": {
        "of": EVENT_REF_SCHEMA,
        "matching": {"type": "object", "minProperties": 1, "additionalProperties": {
            "oneOf": [{"type": ["string", "number", "boolean"]},
                      {"type": "array", "items": {"type": ["string", "number", "boolean"]}}]}},
        "at_least": {"type": "number", "minimum": 0, "maximum": 1},
        "per": PERIOD_SCHEMA,
        "for_each": {"type": "string"},
    },
}


class Ratio(NamedTuple):
    of: EventRef
    matching: tuple[tuple[str, frozenset[Any]], ...]
    at_least: float
    per: str
    for_each: str | None


def compile(spec: dict[str, Any], ctx: CompileContext) -> Ratio:
    at_least = float(spec["at_least"])
    if not 0 <= at_least <= 1:  # (NaN passes the schema's minimum and maximum: no comparison holds)
        raise CompileError(f"at_least must be a share from 0 to 1, not {spec['at_least']!r}", ["at_least"],
                           hint="For example: at_least: 0.6 (60%).")
    return Ratio(ctx.ref(spec["of"], ["of"]), ctx.conditions(spec["matching"]), at_least,
                 spec["per"], ctx.column(spec.get("for_each")))


def _conds(rule: Ratio) -> str:
    return ", ".join(f"{a}={'/'.join(sorted(str(x[1]) for x in v))}" for a, v in rule.matching)


def describe(rule: Ratio, lang: str, label: Any) -> str:
    of = rule.of.describe(lambda n: label(n, lang), lang)
    per = {"year": "每年", "quarter": "每季度", "month": "每月"}[rule.per]
    if lang == "zh":
        return f"{per}“{of}”中满足 {_conds(rule)} 的比例不低于{rule.at_least:.0%}。"
    return f"Per {rule.per}, at least {rule.at_least:.0%} of '{of}' must have {_conds(rule)}."


def evaluate(rule: Ratio, ctx: EvalContext) -> Iterator[Problem]:
    totals: dict[tuple[Period, Any], list[int]] = {}
    periods = ctx.periods(rule.per)
    if not periods:
        return
    # Only the events of the periods checked are counted (found by bisection).
    for ev in ctx.index.in_window(rule.of, periods[0].start, periods[-1].end):
        group = ev.get(rule.for_each) if rule.for_each else None
        tally = totals.setdefault((period_of(rule.per, ev.date), str(group) if group is not None else None), [0, 0])
        tally[0] += 1
        if all(comparable(ev.get(attr)) in allowed for attr, allowed in rule.matching):
            tally[1] += 1
    yield from judge(rule, ctx, periods, totals)


def judge(rule: Ratio, ctx: EvalContext, periods: list[Period],
          totals: dict[tuple[Period, Any], list[int]]) -> Iterator[Problem]:
    """The problems of ``periods``, given [events, events matching] per (period, group text or None)."""
    name_zh, name_en = ctx.label(rule.of.event, "zh"), ctx.label(rule.of.event, "en")
    for period in periods:
        ended = ctx.as_of > period.end
        for (p, group), (total, hits) in sorted(totals.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or "")):
            if p != period or total == 0 or hits / total >= rule.at_least:
                continue
            share = hits / total
            tail_zh = "" if ended else f"（{period.label('zh')}尚未结束）"
            tail_en = "" if ended else f" ({period} has not ended)"
            who = f"{group}" if group else ""
            yield Problem("below_ratio" if ended else "pending", msg(
                f"{who}{period.label('zh')}“{name_zh}”{total}条中满足 {_conds(rule)} 的有{hits}条，"
                f"占{share:.0%}，低于{rule.at_least:.0%}{tail_zh}",
                f"{hits} of {total} '{name_en}' in {period}{' for ' + who if who else ''} have {_conds(rule)}: "
                f"{share:.0%}, below {rule.at_least:.0%}{tail_en}"),
                unit=group if rule.for_each == "unit" else None, period=str(period),
                group={rule.for_each: group} if rule.for_each and group is not None else None)
