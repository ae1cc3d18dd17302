"""precedence: every ``event`` needs a ``requires`` event with the same ``match`` values
dated on or before it (strictly before when both carry times).

PASS::

    2019-03-01 09:00,secrecy_review_passed,XX-1
    2019-03-01 15:00,information_published,XX-1

FAIL (published before its review)::

    2019-03-01 15:00,information_published,XX-1
    2019-03-02,secrecy_review_passed,XX-1
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from gklint.kinds.base import (
    EVENT_REF_SCHEMA,
    CompileContext,
    EvalContext,
    EventRef,
    Problem,
    columns_zh,
    match_key,
)
from gklint.model import Event, msg

NAME = "precedence"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["event", "requires"],
    "additionalProperties": False,
    "properties": {
        "event": EVENT_REF_SCHEMA,
        "requires": EVENT_REF_SCHEMA,
        "match": {"type": "array", "items": {"type": "string"}},
    },
}


class Precedence(NamedTuple):
    event: EventRef
    requires: EventRef
    match: tuple[str, ...]


def compile(spec: dict[str, Any], ctx: CompileContext) -> Precedence:
    return Precedence(ctx.ref(spec["event"], ["event"]), ctx.ref(spec["requires"], ["requires"]),
                      ctx.columns(spec.get("match"), ["case"]))


def describe(rule: Precedence, lang: str, label: Any) -> str:
    event = rule.event.describe(lambda n: label(n, lang), lang)
    requires = rule.requires.describe(lambda n: label(n, lang), lang)
    if lang == "zh":
        return f"每个“{event}”之前（或同日），须已有相同{columns_zh(rule.match)}的“{requires}”。"
    return f"Every '{event}' needs a '{requires}' with the same {', '.join(rule.match)} on or before it."


def _precedes(before: Event, after: Event) -> bool:
    if before.time is not None and after.time is not None:
        return (before.date, before.time) < (after.date, after.time)
    return before.date <= after.date


def evaluate(rule: Precedence, ctx: EvalContext) -> Iterator[Problem]:
    required = ctx.index.grouped(rule.requires, rule.match)
    key_of = match_key(rule.match)
    for ev in ctx.index.select(rule.event):
        if not ctx.in_window(ev.date):
            continue
        key = key_of(ev)
        candidates = required.get(key, [])  # in date order: the first is the earliest
        if any(_precedes(r, ev) for r in candidates if r.date <= ev.date):
            continue  # (a timed and a date-only row of one day: either may be the one that precedes)
        yield unpreceded(rule, ctx.label, ev, candidates[0] if candidates else None)


def unpreceded(rule: Precedence, label: Any, ev: Event, earliest: Event | None) -> Problem:
    """The finding on ``ev``, which no ``requires`` event precedes; ``earliest`` is the case's
    earliest one (dated after it), if any."""
    req_zh, req_en = label(rule.requires.event, "zh"), label(rule.requires.event, "en")
    ev_zh, ev_en = label(rule.event.event, "zh"), label(rule.event.event, "en")
    found_zh = f"（“{req_zh}”记录于{earliest.date.isoformat()}）" if earliest else ""
    found_en = f" (the '{req_en}' is dated {earliest.date.isoformat()})" if earliest else ""
    return Problem("unpreceded", msg(
        f"“{ev_zh}”（{ev.date.isoformat()}）之前没有“{req_zh}”{found_zh}",
        f"'{ev_en}' on {ev.date.isoformat()} has no '{req_en}' before it{found_en}"),
        file=ev.file, line=ev.line, column=ev.column, case=ev.case, unit=ev.unit, start=ev.date.isoformat(),
        actual=earliest.date.isoformat() if earliest else None,
        response={"file": earliest.file, "line": earliest.line} if earliest else None)
