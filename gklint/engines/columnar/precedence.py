"""precedence as SQL: each ``event`` in the window with no ``requires`` event of its match values
on or before it (strictly before when both carry a time), as ``gklint.kinds.precedence`` says.

Per match key the earliest ``requires`` event (the one a finding names), and per key and day
whether one is date-only and the earliest time: an event is preceded when the key's earliest
``requires`` is on an earlier day, or one on its own day is date-only, or it is, or is earlier by
the clock. Equi-joins only (NULL match values are a key of their own, as in the reference).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.sql import column, rows, where, window
from gklint.kinds import precedence
from gklint.kinds.base import Problem
from gklint.model import Event

_FIELDS = ("event", "requires", "match")


def supports(rule: Any, ctx: Any) -> str | None:
    if rule._fields != _FIELDS:
        return "a precedence rule with features the plan does not know"
    for m in rule.match:
        column(m, ctx.loaded)  # Unsupported for a column the plan cannot match on
    where(rule.event, ctx.loaded)
    where(rule.requires, ctx.loaded)
    return None


def evaluate(rule: Any, ctx: Any) -> Iterator[Problem]:
    loaded = ctx.loaded
    keys = [column(m, loaded) for m in rule.match]
    m = ", ".join(f"{k} AS m{i}" for i, k in enumerate(keys))
    names = ", ".join(f"m{i}" for i in range(len(keys)))

    def same(a: str, b: str) -> str:
        return " AND ".join(f"{a}.m{i} IS NOT DISTINCT FROM {b}.m{i}" for i in range(len(keys)))

    query = f"""
        WITH ev AS (SELECT file, line, date, time, "case", unit, {m} FROM events
                    WHERE {where(rule.event, loaded)} AND {window(*ctx.window)}),
        req AS (SELECT file, line, date, time, {m} FROM events WHERE {where(rule.requires, loaded)}),
        earliest AS (SELECT * FROM (SELECT {names}, date, file, line, row_number() OVER (PARTITION BY {names}
                     ORDER BY date, coalesce(time, TIME '00:00:00'), file, line) AS n FROM req) WHERE n = 1),
        days AS (SELECT {names}, date, bool_or(time IS NULL) AS untimed, min(time) AS first_time
                 FROM req GROUP BY {names}, date)
        SELECT ev.file, ev.line, ev.date, ev.time, ev."case", ev.unit, e.date, e.file, e.line
        FROM ev LEFT JOIN earliest e ON {same('e', 'ev')}
        LEFT JOIN days d ON {same('d', 'ev')} AND d.date = ev.date
        WHERE NOT (coalesce(e.date < ev.date, FALSE)
                   OR (d.date IS NOT NULL AND (ev.time IS NULL OR d.untimed OR d.first_time < ev.time)))
        ORDER BY ev.date, coalesce(ev.time, TIME '00:00:00'), ev.file, ev.line"""
    for file, line, date, time, case, unit, e_date, e_file, e_line in rows(ctx.con, query):
        ev = Event(file, line, rule.event.event, date, time, case, unit, {})
        earliest = Event(e_file, e_line, rule.requires.event, e_date, None, None, None, {}) if e_date else None
        yield precedence.unpreceded(rule, ctx.label, ev, earliest)
