"""deadline as SQL, for the rules and logs whose dates alone decide (``gklint.kinds.deadline``).

Compiled: ``within`` in working days or days (``roll`` either way), ``match`` on case, unit or
attributes, ``where`` filters, and ``extend`` (by working days or days). A trigger's response is
the first ``expect`` event of its match values dated on or after it (a window over triggers and
responses, ordered by date with triggers first, taking the least response row after each); its
due date is the calendar table's working day so many ordinals on (or D + N days, rolled); an
extension dated from the trigger's day to the due date moves it once; GK005 is every response
dated before its case's first trigger.

Left to the reference engine (``supports`` says why): ``restart``, ``pause``, ``cancel``, a start
read from attributes (``date:``), no ``within``, hours, and any rule whose trigger, response or
extension events carry a time of day in this log (the clock then decides, not dates).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.load import quote
from gklint.engines.columnar.sql import after, column, where, window
from gklint.kinds import deadline
from gklint.kinds.base import Problem
from gklint.model import Event

# The fields of gklint.kinds.deadline.Deadline this plan was written for: a rule of another shape
# (a feature added to the kind) is left to the reference engine until the plan knows it.
_FIELDS = ("after", "expect", "within", "match", "extend_by", "extend_up_to", "restart", "pauses", "cancel", "roll")
_UNITS = ("working_days", "days")


def supports(rule: Any, ctx: Any) -> str | None:
    if rule._fields != _FIELDS:
        return "a deadline rule with features the plan does not know"
    if rule.within is None or rule.within.unit not in _UNITS:
        return "a deadline without a time limit in working days or days"
    if rule.restart or rule.pauses or rule.cancel or rule.after.date_attrs:
        return "restart, pause, cancel or a start read from attributes"
    if rule.extend_by and rule.extend_up_to.unit not in _UNITS:
        return "an extension in hours"
    for m in rule.match:
        column(m, ctx.loaded)
    refs = [r for r in (rule.after, rule.expect, rule.extend_by) if r]
    for ref in refs:
        where(ref, ctx.loaded)
    kinds = ", ".join(quote(r.event) for r in refs)
    if ctx.con.execute(f"SELECT count(*) FROM events WHERE kind IN ({kinds}) AND time IS NOT NULL").fetchall()[0][0]:
        return "events with a time of day"
    return None


def evaluate(rule: Any, ctx: Any) -> Iterator[Problem]:
    from gklint.dates import When
    from gklint.deadlines import Judgement

    ctx.calendar_table()
    loaded, con = ctx.loaded, ctx.con
    keys = [column(m, loaded) for m in rule.match]
    m = ", ".join(f"{k} AS m{i}" for i, k in enumerate(keys))
    names = ", ".join(f"m{i}" for i in range(len(keys)))
    complete = " AND ".join(f"m{i} IS NOT NULL AND m{i} <> ''" for i in range(len(keys)))

    def same(a: str, b: str) -> str:
        return " AND ".join(f"{a}.m{i} = {b}.m{i}" for i in range(len(keys)))

    def first_after(others: str, value: str) -> str:
        """Per trigger, the least ``value`` of the ``others`` rows of its key dated on or after it."""
        return (f"SELECT file, line, r FROM (SELECT side, file, line, min(CASE WHEN side = 1 THEN {value} END) OVER "
                f"(PARTITION BY {names} ORDER BY date, side, file, line ROWS BETWEEN CURRENT ROW AND UNBOUNDED "
                f"FOLLOWING) AS r FROM (SELECT {names}, date, 0 AS side, file, line FROM ok UNION ALL "
                f"SELECT {names}, date, 1 AS side, file, line FROM {others})) WHERE side = 0")

    roll = rule.roll
    extended = "d0.due"
    extension_sql = ""
    if rule.extend_by:
        extension_sql = (f", ext AS (SELECT file, line, date, {m} FROM events WHERE {where(rule.extend_by, loaded)}), "
                         f"first_ext AS ({first_after('ext', 'date')}), "
                         f"d1 AS ({after('SELECT DISTINCT due AS date FROM d0', rule.extend_up_to, roll)})")
        extended = "CASE WHEN x.r IS NOT NULL AND x.r <= d0.due THEN d1.due ELSE d0.due END"
    as_of = f"DATE '{ctx.as_of.isoformat()}'"
    lateness = ("greatest(1, cr.workday_ordinal - cd.workday_ordinal)" if rule.within.unit == "working_days"
                else "date_diff('day', due, rd)")
    query = f"""
        WITH trig AS (SELECT file, line, date, "case", unit, {m} FROM events
                      WHERE {where(rule.after, loaded)} AND {window(*ctx.window)}),
        ok AS (SELECT * FROM trig WHERE {complete}),
        resp AS (SELECT file, line, date, {m} FROM events WHERE {where(rule.expect, loaded)}),
        first_resp AS ({first_after('resp', "struct_pack(d := date, f := file, l := line)")}),
        d0 AS ({after('SELECT DISTINCT date FROM ok', rule.within, roll)}){extension_sql},
        judged AS (
            SELECT t.file, t.line, t.date, t."case", t.unit, fr.r.d AS rd, fr.r.f AS rf, fr.r.l AS rl,
                   {extended} AS due
            FROM ok t JOIN first_resp fr ON fr.file = t.file AND fr.line = t.line
            JOIN d0 ON d0.date = t.date
            {"LEFT JOIN first_ext x ON x.file = t.file AND x.line = t.line LEFT JOIN d1 ON d1.date = d0.due"
             if rule.extend_by else ""})
        SELECT j.file, j.line, j.date, j."case", j.unit, rd, rf, rl, due,
               CASE WHEN rd IS NULL THEN (CASE WHEN {as_of} > due THEN 'missing' ELSE 'pending' END)
                    ELSE 'late' END AS status,
               CASE WHEN rd IS NOT NULL THEN {lateness} END AS overdue
        FROM judged j LEFT JOIN calendar cd ON cd.date = due LEFT JOIN calendar cr ON cr.date = rd
        WHERE rd IS NULL OR rd > due
        ORDER BY j.date, j.file, j.line"""
    wording = deadline._wording(rule, ctx)
    unit = rule.within.unit
    for file, line, date, case, unit_, rd, rf, rl, due, status, overdue in con.execute(query).fetchall():
        trigger = Event(file, line, rule.after.event, date, None, case, unit_, {})
        response = Event(rf, rl, rule.expect.event, rd, None, None, None, {}) if rd else None
        verdict = Judgement(status, overdue, unit) if status == "late" else Judgement(status)
        yield deadline.judged(wording, ctx, trigger, When(date, None), When(due, None), response, verdict)
    incomplete = " OR ".join(f"m{i} IS NULL OR m{i} = ''" for i in range(len(keys)))
    for file, line, values in con.execute(
            f"SELECT file, line, [{names}] FROM (SELECT file, line, date, {m} FROM events WHERE "
            f"{where(rule.after, loaded)} AND {window(*ctx.window)}) WHERE {incomplete} ORDER BY date, file, line").fetchall():
        missing = [name for name, v in zip(rule.match, values) if v is None or v == ""]
        yield deadline.unmatched(Event(file, line, rule.after.event, None, None, None, None, {}), missing)  # type: ignore[arg-type]
    for file, line, date, case, unit_, first in con.execute(f"""
            WITH ok AS (SELECT date, {m} FROM events WHERE {where(rule.after, loaded)} AND {window(*ctx.window)}),
            firsts AS (SELECT {names}, min(date) AS first FROM ok WHERE {complete} GROUP BY {names})
            SELECT r.file, r.line, r.date, r."case", r.unit, f.first
            FROM (SELECT file, line, date, "case", unit, {m} FROM events WHERE {where(rule.expect, loaded)}) r
            JOIN firsts f ON {same('r', 'f')} WHERE r.date < f.first ORDER BY r.date, r.file, r.line""").fetchall():
        ev = Event(file, line, rule.expect.event, date, None, case, unit_, {})
        yield deadline.too_early(rule, ctx.label, ev, When(first, None))
