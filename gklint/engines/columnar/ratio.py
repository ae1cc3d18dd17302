"""ratio as SQL: per date and group, the events and those matching, in one aggregate; the periods
and the verdicts are the kind's own (``gklint.kinds.ratio.judge``).

Left to the reference engine: grouping or matching on the event or date column.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.sql import condition, text, where
from gklint.kinds import ratio
from gklint.kinds.base import Problem
from gklint.model import period_of

_FIELDS = ("of", "matching", "at_least", "per", "for_each")


def supports(rule: Any, ctx: Any) -> str | None:
    if rule._fields != _FIELDS:
        return "a ratio rule with features the plan does not know"
    if rule.for_each:
        text(rule.for_each, ctx.loaded)
    where(rule.of, ctx.loaded)
    for attr, allowed in rule.matching:
        condition(attr, allowed, ctx.loaded)
    return None


def evaluate(rule: Any, ctx: Any) -> Iterator[Problem]:
    ectx = ctx.eval_context()
    periods = ectx.periods(rule.per)
    if not periods:
        return
    loaded = ctx.loaded
    group = text(rule.for_each, loaded) if rule.for_each else "CAST(NULL AS VARCHAR)"
    matching = " AND ".join(condition(attr, allowed, loaded) for attr, allowed in rule.matching) or "TRUE"
    totals: dict[Any, list[int]] = {}
    for date, value, n, hits in ctx.con.execute(
            f"SELECT date, {group}, count(*), count(*) FILTER (WHERE {matching}) FROM events "
            f"WHERE {where(rule.of, loaded)} AND date BETWEEN ? AND ? GROUP BY ALL",
            [periods[0].start, periods[-1].end]).fetchall():
        tally = totals.setdefault((period_of(rule.per, date), value), [0, 0])
        tally[0] += n
        tally[1] += hits
    yield from ratio.judge(rule, ectx, periods, totals)
