"""count as SQL: the events of each date and group counted in one aggregate; the periods and the
groups each period answers for (every unit seen in it, plus configured units) are the kind's own
(``gklint.kinds.count.judge``), over the table (:class:`..index.TableIndex`).

Left to the reference engine: ``units`` (whose duty it is), and grouping by the event or date column.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.sql import text, where
from gklint.kinds import count
from gklint.kinds.base import Problem
from gklint.model import period_of

_FIELDS = ("event", "at_least", "at_most", "per", "for_each", "units")


def supports(rule: Any, ctx: Any) -> str | None:
    if rule._fields != _FIELDS:
        return "a count rule with features the plan does not know"
    if rule.units is not None:
        return "units (whose duty it is)"
    if rule.per == "case":
        return "per: case (each case over its whole life)"
    if rule.for_each:
        text(rule.for_each, ctx.loaded)
    where(rule.event, ctx.loaded)
    return None


def evaluate(rule: Any, ctx: Any) -> Iterator[Problem]:
    ectx = ctx.eval_context()
    periods = ectx.periods(rule.per)
    if not periods:
        return
    group = text(rule.for_each, ctx.loaded) if rule.for_each else "CAST(NULL AS VARCHAR)"
    counts: dict[Any, int] = {}
    for date, value, n in ctx.con.execute(
            f"SELECT date, {group}, count(*) FROM events WHERE {where(rule.event, ctx.loaded)} "
            "AND date BETWEEN ? AND ? GROUP BY ALL", [periods[0].start, periods[-1].end]).fetchall():
        key = (period_of(rule.per, date), value)
        counts[key] = counts.get(key, 0) + n
    yield from count.judge(rule, ectx, periods, counts)
