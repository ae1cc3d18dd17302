"""due as SQL: the first ``expect`` event of each period (and group) in one window; the periods,
the groups each answers for and the verdicts are the kind's own (``gklint.kinds.due.judge``), over
the table (:class:`..index.TableIndex`).

An ``expect`` event belongs to the period its ``period`` cell names (each distinct value read by
``gklint.model.parse_period``, as the kind reads it; one that names none is GK001), else to the
period of its date minus ``offset`` (contract section 4, due). Periods are numbered
``year * size + index - 1`` (size 1, 4 or 12), so that the offset is a subtraction.

Left to the reference engine: ``units`` (whose duty it is), and grouping by the event or date column.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.sql import text, where
from gklint.kinds import due
from gklint.kinds.base import Problem
from gklint.model import Event, Period, parse_period

_FIELDS = ("expect", "period", "offset", "by", "for_each", "roll", "units")
_SIZE = {"year": 1, "quarter": 4, "month": 12}
# The number of the period an event's date falls in.
_OF_DATE = {"year": "year(date)", "quarter": "year(date) * 4 + CAST(floor((month(date) - 1) / 3) AS INTEGER)",
            "month": "year(date) * 12 + month(date) - 1"}


def supports(rule: Any, ctx: Any) -> str | None:
    if rule._fields != _FIELDS:
        return "a due rule with features the plan does not know"
    if rule.units is not None:
        return "units (whose duty it is)"
    if rule.for_each:
        text(rule.for_each, ctx.loaded)
    where(rule.expect, ctx.loaded)
    return None


def _typed(k: str) -> Any:
    """The value a ``k<i>`` column keeps (``load.key``), as the kind reads it: booleans and numbers
    are themselves, anything else is its text."""
    kind, value = k[:2], k[2:]
    if kind == "b:":
        return value == "1"
    if kind == "n:":
        try:
            return int(value)
        except ValueError:
            return float(value)
    return value


def evaluate(rule: Any, ctx: Any) -> Iterator[Problem]:
    import pyarrow as pa

    con, loaded = ctx.con, ctx.loaded
    size = _SIZE[rule.period]
    a = loaded.attribute("period")
    named = f"k{a}" if a is not None else "CAST(NULL AS VARCHAR)"
    group = text(rule.for_each, loaded) if rule.for_each else "CAST(NULL AS VARCHAR)"
    events = f"SELECT file, line, date, time, \"case\", unit, {named} AS named, {group} AS g FROM events " \
             f"WHERE {where(rule.expect, loaded)}"
    # Each distinct `period` cell as the period it names (NULL: none, GK001 on its rows).
    periods: dict[str, list[Any]] = {"k": [], "n": []}
    for (k,) in con.execute(f"SELECT DISTINCT named FROM ({events}) WHERE named IS NOT NULL").fetchall():
        period = parse_period(rule.period, _typed(k))
        periods["k"].append(k)
        periods["n"].append(None if period is None else period.year * size + period.index - 1)
    con.register("due_periods", pa.table(periods, schema=pa.schema([("k", pa.string()), ("n", pa.int64())])))
    try:
        rows = con.execute(
            f"SELECT file, line, date, time, \"case\", unit, named, g, n FROM (SELECT e.*, "
            f"CASE WHEN e.named IS NULL THEN {_OF_DATE[rule.period]} - {rule.offset} "
            "ELSE p.n END AS n, row_number() OVER (PARTITION BY CASE WHEN e.named IS NULL THEN "
            f"{_OF_DATE[rule.period]} - {rule.offset} ELSE p.n END, e.g "
            "ORDER BY e.date, coalesce(e.time, TIME '00:00:00'), e.file, e.line) AS nth "
            f"FROM ({events}) e LEFT JOIN due_periods p ON p.k = e.named) "
            # the first event of each period and group (in date order, as the kind's loop keeps it),
            # and every event whose `period` cell names no period
            "WHERE n IS NULL OR nth = 1 ORDER BY date, coalesce(time, TIME '00:00:00'), file, line").fetchall()
    finally:
        con.unregister("due_periods")
    firsts: dict[tuple[Period, Any], Event] = {}
    kind = rule.expect.event
    for file, line, date, time, case, unit, k, g, n in rows:
        ev = Event(file, line, kind, date, time, case, unit, {})
        if n is None:
            yield due.unreadable_period(ev, _named(ctx, ev, k))
            continue
        firsts[(Period(rule.period, n // size, n % size + 1), g)] = ev
    yield from due.judge(rule, ctx.eval_context(), firsts)


def _named(ctx: Any, ev: Event, k: str) -> Any:
    """The ``period`` value of ``ev`` as the kind's message shows it: a row the reference readers
    read keeps its own value (a date of an .xlsx cell, a list of a JSON line); the table's
    rows are typed from the text."""
    if ev.file in ctx.loaded.python_files:
        for other in ctx.loaded.python:
            if other.file == ev.file and other.line == ev.line and other.kind == ev.kind:
                return other.get("period")
    return _typed(k)
