"""deadline as SQL (``gklint.kinds.deadline``, contract sections 4 and 9), for limits in working days or days.

The reference engine counts each trigger's due date in steps; the plan makes each step a table
with one row per trigger (``dl_*``, temporary), in the same order:

1. ``dl_trig``: the triggers in the rule's window whose match values are all there (the others are
   GK003), and the cell their start is read from (``date:``: the first non-empty of the named cells).
2. ``dl_start``: the start (that cell read by the reference's date reader, once per distinct text;
   a cell that is not a date is GK001), and ``opens``, the earlier of the row's date and the start:
   extensions, pauses and cancels dated from then on belong to the trigger. A rule without
   ``date:`` cells makes its triggers ``dl_start`` at once (the start is the row's date).
3. ``dl_resp``: the response, the first ``expect`` event of the match values at or after the
   trigger: dated on or after it and, when both carry a time on its date, not earlier by the clock
   (windows over triggers and each day's responses; :func:`.sql.first_on_or_after`).
   A log whose triggers and responses all carry a time, or none does: one window ordered by the
   moment (the date).
4. ``dl_clock``: ``restart``, the latest restart event after the trigger and on or before the
   response (or the as-of date), replaces the start (:func:`.sql.last_on_or_before`).
5. ``dl_ext``, ``dl_cancel``: the first extension and the first cancel event dated from ``opens``.
6. ``dl_due``: the due date. Without pauses: the calendar table's working day so many ordinals on
   (or D + N days, rolled), moved once by an extension dated on or before it. With pauses the
   reference walks the pauses and the extension in date order, each judged against the due date as
   the earlier ones moved it, and stops at the first dated after it; for a working-day limit every
   step moves the due date's working-day ordinal by a number, so the walk is a running sum over the
   steps (``dl_steps``, ``dl_walk``) and the first step that stops it (a window and an aggregate).
7. The verdicts: a cancel dated from ``opens`` to the due date (or with the clock stopped) ends the
   obligation; the rest is late, missing, pending (the clock stopped by a pause with no `to`), or
   ok and not fetched. GK005 is every response dated before its case's first trigger.

A limit in working days or days ends on a date, so a time of day decides only which response
answers a trigger and which event comes first on a day; the start (and a restart, a pause with no
`to`, a response) keeps its time for the report.

A limit (or an extension) in hours ends at a moment, and the clock decides the verdict: SQL finds
each trigger's start, response, first extension and first cancel (steps 1-5), and the reference's
own arithmetic (``gklint.deadlines.Due`` and ``judge``) counts and judges each trigger in Python.

Left to the reference engine (``supports`` says why): pauses in a deadline counted in calendar
days or hours (or extended by them), and pauses when one match value's triggers and pauses make
more than ``PAIRS_LIMIT`` pairs for the walk to join.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.load import quote
from gklint.engines.columnar.sql import (
    Unsupported,
    after,
    column,
    first_on_or_after,
    iso,
    json_or_null,
    json_text,
    key_date,
    key_line,
    key_rank,
    key_time,
    last_on_or_before,
    moment_key,
    row_key,
    rows,
    text,
    where,
    window,
    worded,
)
from gklint.durations import unit_words
from gklint.kinds import deadline
from gklint.kinds.base import EventRef, Problem
from gklint.model import Encoded, Event

# The fields of gklint.kinds.deadline.Deadline this plan was written for: a rule of another shape
# (a feature added to the kind) is left to the reference engine until the plan knows it.
_FIELDS = ("after", "expect", "within", "match", "extend_by", "extend_up_to", "restart", "pauses", "cancel", "roll")
_UNITS = ("working_days", "days")
# The (trigger, pause) pairs the walk may join (``dl_steps``): every pause of a match value from
# each of its triggers. Beyond this (one match value shared by very many triggers and pauses, e.g.
# `match: [unit]`), the reference's bisection per trigger is the cheaper plan.
PAIRS_LIMIT = 20_000_000
_CLOCK = "coalesce(time, TIME '00:00:00')"  # date order within a day: a row without a time at 00:00
# The reference's order of a rule's findings: its triggers' in date order (``{}``: the table's prefix).
_ORDER = "{0}date, coalesce({0}time, TIME '00:00:00'), {0}file, {0}line, {0}id"
_TABLES = ("dl_trig", "dl_start", "dl_rday", "dl_rnext", "dl_rclock", "dl_resp", "dl_restart", "dl_clock", "dl_ext",
           "dl_cancel", "dl_from", "dl_steps",
           "dl_walk", "dl_due")


def _refs(rule: Any) -> list[EventRef]:
    """Every event reference of the rule: the events whose dates it reads."""
    refs = [rule.after, rule.expect, rule.extend_by, rule.restart, *rule.cancel]
    refs += [ref for pair in rule.pauses for ref in pair]
    return [r for r in refs if r]


def supports(rule: Any, ctx: Any) -> str | None:
    if rule._fields != _FIELDS:
        return "a deadline rule with features the plan does not know"
    if rule.pauses and (rule.within.unit != "working_days"
                        or (rule.extend_by and rule.extend_up_to.unit != "working_days")):
        return "a pause in a deadline counted (or extended) in calendar days or hours"
    for m in rule.match:
        column(m, ctx.loaded)
    for name in rule.after.date_attrs:
        text(name, ctx.loaded)
    refs = _refs(rule)
    for ref in refs:
        where(ref, ctx.loaded)
    if rule.pauses and _pairs(rule, ctx) > PAIRS_LIMIT:
        return "pauses shared by so many triggers of one match value that the walk would join too many pairs"
    if rule.after.date_attrs:
        ctx.calendar_table()
        first, last = ctx.con.execute("SELECT min(date), max(date) FROM calendar").fetchall()[0]
        if any(not bad and not first <= d <= last for _, d, _, bad in _start_texts(rule, ctx)):
            return "a start date outside the calendar table's years"
    return None


def _pairs(rule: Any, ctx: Any) -> int:
    """How many (trigger, pause `from`) pairs of the same match values the log holds."""
    keys = [column(m, ctx.loaded) for m in rule.match]
    m = ", ".join(f"{k} AS m{i}" for i, k in enumerate(keys))
    names = ", ".join(f"m{i}" for i in range(len(keys)))
    froms = " OR ".join(f"({where(f, ctx.loaded)})" for f, _ in rule.pauses)
    same = " AND ".join(f"t.m{i} = f.m{i}" for i in range(len(keys)))
    return int(ctx.con.execute(
        f"WITH t AS (SELECT {names}, count(*) AS n FROM (SELECT {m} FROM events WHERE {where(rule.after, ctx.loaded)} "
        f"AND {window(*ctx.window)}) GROUP BY {names}), f AS (SELECT {names}, count(*) AS n FROM (SELECT {m} FROM events "
        f"WHERE {froms}) GROUP BY {names}) SELECT coalesce(sum(t.n * f.n), 0) FROM t JOIN f ON {same}").fetchall()[0][0])


def _start_cell(rule: Any, ctx: Any) -> tuple[str, str]:
    """SQL: the text of the first non-empty ``date:`` cell (``str`` of its value, as the reference
    reads it), and which of the named cells that is (NULL when all are empty: the row's date)."""
    if not rule.after.date_attrs:
        return "CAST(NULL AS VARCHAR)", "CAST(NULL AS INTEGER)"
    cells = [text(name, ctx.loaded) for name in rule.after.date_attrs]
    filled = [f"{c} IS NOT NULL AND {c} <> ''" for c in cells]
    return ("CASE " + " ".join(f"WHEN {f} THEN {c}" for f, c in zip(filled, cells)) + " END",
            "CASE " + " ".join(f"WHEN {f} THEN {i}" for i, f in enumerate(filled)) + " END")


def _start_texts(rule: Any, ctx: Any) -> list[tuple[str, Any, Any, bool]]:
    """Each distinct start cell of the rule's triggers read by ``gklint.dates.parse_when`` (as
    ``kinds.deadline._start_of`` reads it): (text, date, time, not a date)."""
    from gklint.dates import parse_when

    cell, _ = _start_cell(rule, ctx)
    rows = []
    for (value,) in ctx.con.execute(f"SELECT DISTINCT {cell} FROM events WHERE {where(rule.after, ctx.loaded)} "
                                    f"AND {window(*ctx.window)}").fetchall():
        if value is None:
            continue
        try:
            when = parse_when(value)
            rows.append((value, when.date, when.time, False))
        except ValueError:
            rows.append((value, None, None, True))
    return rows


def evaluate(rule: Any, ctx: Any) -> Iterator[Problem]:
    ctx.calendar_table()
    plan = _Plan(rule, ctx)
    try:
        for statement in plan.statements():
            ctx.con.execute(statement)
        yield from plan.findings()
    finally:
        for table in _TABLES:
            ctx.con.execute(f"DROP TABLE IF EXISTS {table}")
        if rule.after.date_attrs:
            ctx.con.unregister("dl_start_texts")


class _Plan:
    """The statements of one rule's plan, and the findings read from their tables."""

    def __init__(self, rule: Any, ctx: Any) -> None:
        self.rule, self.ctx, self.loaded = rule, ctx, ctx.loaded
        # A limit (or an extension) in hours ends at a moment: each trigger's clock is the
        # reference's own arithmetic (``gklint.deadlines.Due``, ``judge``) over what SQL found.
        self.hours = rule.within is not None and "hours" in (
            rule.within.unit, rule.extend_up_to.unit if rule.extend_by else None)
        keys = [column(m, ctx.loaded) for m in rule.match]
        self.m = ", ".join(f"{k} AS m{i}" for i, k in enumerate(keys))
        self.names = ", ".join(f"m{i}" for i in range(len(keys)))
        self.complete = " AND ".join(f"m{i} IS NOT NULL AND m{i} <> ''" for i in range(len(keys)))
        self.incomplete = " OR ".join(f"m{i} IS NULL OR m{i} = ''" for i in range(len(keys)))
        self.as_of = f"DATE '{ctx.as_of.isoformat()}'"

    def same(self, a: str, b: str) -> str:
        return " AND ".join(f"{a}.m{i} = {b}.m{i}" for i in range(len(self.rule.match)))

    def events(self, ref: EventRef, value: str, on: str = "date") -> str:
        """The events of ``ref`` as the ``others`` of a window: match values, ``on_day`` (``on``: the
        date, or the moment), ``v``."""
        return f"SELECT {self.m}, {on} AS on_day, {value} AS v FROM events WHERE {where(ref, self.loaded)}"

    def statements(self) -> Iterator[str]:
        rule, names = self.rule, self.names
        # 1. The triggers in the window with all their match values (the others are GK003), and
        #    the `date:` cell their start is read from (contract 9, "Start date from an attribute").
        #    A trigger's id is its row: its line and its file's place among the files read (no
        #    sort of the triggers); where that is not unique (a file named twice, an XES file with
        #    two events on a line), its place in date order.
        cell, which = _start_cell(rule, self.ctx)
        # (without `date:` cells the triggers are the starts: ``dl_start`` at once, not a copy)
        table, starts = ("dl_trig", "") if rule.after.date_attrs else (
            "dl_start", ", date AS sd, time AS stime, date AS opens")

        def triggers(id_: str) -> str:
            return (f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {id_} AS id, *{starts} "
                    f"FROM (SELECT file, line, date, time, \"case\", unit, {self.m}, {cell} AS start_text, "
                    f"{which} AS start_cell FROM events WHERE {where(rule.after, self.loaded)} AND "
                    f"{window(*self.ctx.window)}) WHERE {self.complete}")

        files = list(dict.fromkeys(self.loaded.files))
        yield triggers("CAST(line AS BIGINT)" if len(files) <= 1 else "CASE file " + " ".join(
            f"WHEN {quote(f)} THEN {i << 32}" for i, f in enumerate(files)) + " END + line")
        # (a file DuckDB read has one row a line: only a file named twice, or one the reference
        # readers read, can give two triggers one row)
        if (len(files) < len(self.loaded.files) or self.loaded.python_files) and self.ctx.con.execute(
                f"SELECT count(*) FROM (SELECT id FROM {table} GROUP BY id HAVING count(*) > 1)").fetchall()[0][0]:
            yield triggers(f"row_number() OVER (ORDER BY date, {_CLOCK}, file, line)")
        # 2. The start: the first non-empty `date:` cell, or the row's own date when all are empty
        #    (art. 31); a cell that is not a date is GK001 (such triggers stop here).
        if rule.after.date_attrs:
            import pyarrow as pa

            texts = _start_texts(rule, self.ctx)
            self.ctx.con.register("dl_start_texts", pa.table(
                {"text": [t[0] for t in texts], "d": [t[1] for t in texts], "t": [t[2] for t in texts],
                 "bad": [t[3] for t in texts]},
                schema=pa.schema([("text", pa.string()), ("d", pa.date32()), ("t", pa.time64("us")),
                                  ("bad", pa.bool_())])))
            yield ("CREATE OR REPLACE TEMP TABLE dl_start AS SELECT t.*, coalesce(s.d, t.date) AS sd, "
                   "CASE WHEN t.start_text IS NULL THEN t.time ELSE s.t END AS stime, "
                   "least(t.date, coalesce(s.d, t.date)) AS opens "
                   "FROM dl_trig t LEFT JOIN dl_start_texts s ON s.text = t.start_text WHERE s.bad IS NOT TRUE")
        yield from self.response()
        # 4. restart (contract 4): the latest restart event after T and on or before the response
        #    (or the as-of date when there is none) replaces the start of counting.
        start = "s.sd", "s.stime"
        restart_join = ""
        if rule.restart:
            limits = (f"SELECT s.id, {', '.join(f's.m{i}' for i in range(len(rule.match)))}, "
                      f"coalesce(r.r.d, {self.as_of}) AS on_day FROM dl_start s JOIN dl_resp r ON r.id = s.id")
            restarts = self.events(rule.restart, f"struct_pack(d := date, tm := {_CLOCK}, f := file, l := line, t := time)")
            yield f"CREATE OR REPLACE TEMP TABLE dl_restart AS {last_on_or_before(limits, restarts, names)}"
            restart_join = "LEFT JOIN dl_restart x ON x.id = s.id"
            start = "CASE WHEN x.r.d > s.date THEN x.r.d ELSE s.sd END", "CASE WHEN x.r.d > s.date THEN x.r.t ELSE s.stime END"
        yield (f"CREATE OR REPLACE TEMP TABLE dl_clock AS SELECT s.id, s.file, s.line, s.date, s.\"case\", s.unit, "
               f"{', '.join(f's.m{i}' for i in range(len(rule.match)))}, s.opens, s.time, "
               "r.r.d AS rd, r.r.f AS rf, r.r.l AS rl, r.r.t AS rt, "
               f"{start[0]} AS cs, CAST({start[1]} AS TIME) AS ctime "
               f"FROM dl_start s JOIN dl_resp r ON r.id = s.id {restart_join}")
        # Each step's table is dropped once the next holds what is still needed of it: at 10^7
        # events a rule's tables take hundreds of MiB, held by DuckDB beside the findings.
        yield from (f"DROP TABLE IF EXISTS {t}" for t in ("dl_start", "dl_resp", "dl_restart"))
        # 5. The first extension and the first cancel event dated on or after `opens` (contract 9:
        #    "dated on or after the start (the same day counts)").
        #    By the clock, the first in date order, the time kept; several cancel kinds are one
        #    list in date order, the rule's first kind first on a day (as the reference merges them).
        opens = f"SELECT id, {names}, opens AS on_day FROM dl_clock"
        if rule.extend_by:
            value = f"struct_pack(d := date, tm := {_CLOCK}, f := file, l := line, t := time)" if self.hours else "date"
            yield (f"CREATE OR REPLACE TEMP TABLE dl_ext AS "
                   f"{first_on_or_after(opens, self.events(rule.extend_by, value), names)}")
        if rule.cancel:
            cancels = " UNION ALL ".join(
                self.events(c, f"struct_pack(d := date, k := {i}, tm := {_CLOCK}, f := file, l := line, t := time)"
                            if self.hours else "date") for i, c in enumerate(rule.cancel))
            yield f"CREATE OR REPLACE TEMP TABLE dl_cancel AS {first_on_or_after(opens, cancels, names)}"
        # 6. The due date.
        if rule.within is None or self.hours:
            return
        if rule.pauses:
            yield from self.walk()
            return
        yield ("CREATE OR REPLACE TEMP TABLE dl_due AS WITH "
               f"d0 AS ({after('SELECT DISTINCT cs AS date FROM dl_clock', rule.within, rule.roll)})"
               + (f", d1 AS ({after('SELECT DISTINCT due AS date FROM d0', rule.extend_up_to, rule.roll)})"
                  if rule.extend_by else "")
               + " SELECT c.id, "
               # extend (contract 4 and 9): an extension dated on or before D moves D to D + up_to, once.
               + ("CASE WHEN e.r IS NOT NULL AND e.r <= d0.due THEN d1.due ELSE d0.due END" if rule.extend_by
                  else "d0.due")
               + " AS due, FALSE AS open, CAST(NULL AS DATE) AS open_at, CAST(NULL AS TIME) AS open_time, "
               "CAST(NULL AS INTEGER) AS open_pair "
               "FROM dl_clock c JOIN d0 ON d0.date = c.cs"
               + (" LEFT JOIN dl_ext e ON e.id = c.id LEFT JOIN d1 ON d1.date = d0.due" if rule.extend_by else ""))

    def response(self) -> Iterator[str]:
        """3. The response: the earliest `expect` event of the match values at or after the trigger
        (contract 9, time of day: "dated on or after its date and, when both carry a time on the same
        date, not earlier than its time"), as the reference looks it up. For a trigger without a
        time, the first in date order (date, time, file, line; a row without a time at 00:00) of the
        first day with responses on or after its date. For a timed trigger whose day has responses: a
        response of that day without a time, else the first of that day at or after its time, else
        the first of the next day with responses, those without a time first. For a timed trigger
        whose day has none: the first of the next day with responses, in date order."""
        rule, names = self.rule, self.names
        kinds = ", ".join(sorted({quote(rule.after.event), quote(rule.expect.event)}))
        timed, untimed = self.ctx.con.execute(
            f"SELECT count(time), count(*) - count(time) FROM events WHERE kind IN ({kinds})").fetchall()[0]
        if not (timed and untimed):
            # No trigger or response carries a time, or every one does (a log of timestamps): "on
            # or after its date and, on the same date, not earlier than its time" is "at or after
            # its moment", and the first such response in date order (date, time, file, line)
            # answers: one window ordered by the moment (the date alone), a trigger before the
            # responses of its very moment.
            if self.ctx.duckdb and self.ctx.file_ranks():
                # (DuckDB: the least of one HUGEINT a row, its struct made for the winners only;
                # the moments as one BIGINT)
                moment = moment_key("date", "time") if timed else "date"
                probes = f"SELECT id, {names}, {moment} AS on_day FROM dl_start"
                responses = (f"SELECT {self.m}, {moment} AS on_day, {row_key('date', 'time', 'k.f', 'line')} AS v "
                             f"FROM events JOIN file_ranks k USING (file) WHERE {where(rule.expect, self.loaded)}")
                time = key_time("w.r") if timed else "CAST(NULL AS TIME)"
                yield (f"CREATE OR REPLACE TEMP TABLE dl_resp AS SELECT w.id, CASE WHEN w.r IS NOT NULL THEN "
                       f"struct_pack(d := {key_date('w.r')}, tm := {time}, f := k.file, l := {key_line('w.r')}, "
                       f"t := {time}) END AS r FROM ({first_on_or_after(probes, responses, names)}) w "
                       f"LEFT JOIN file_ranks k ON k.f = {key_rank('w.r')}")
                return
            moment = "struct_pack(d := date, tm := time)" if timed else "date"
            probes = f"SELECT id, {names}, {moment} AS on_day FROM dl_start"
            responses = self.events(rule.expect, "struct_pack(d := date, tm := time, f := file, l := line, t := time)",
                                    on=moment)
            yield f"CREATE OR REPLACE TEMP TABLE dl_resp AS {first_on_or_after(probes, responses, names)}"
            return
        # Each day's responses of each match value: the first in date order, the first with those
        # without a time first, and the first without a time.
        yield ("CREATE OR REPLACE TEMP TABLE dl_rday AS SELECT " + names + ", date, "
               f"min(struct_pack(tm := {_CLOCK}, f := file, l := line, t := time)) AS in_order, "
               f"min(struct_pack(timed := time IS NOT NULL, tm := {_CLOCK}, f := file, l := line, t := time)) AS untimed_first, "
               "min(CASE WHEN time IS NULL THEN struct_pack(f := file, l := line) END) AS untimed "
               f"FROM (SELECT {self.m}, date, time, file, line FROM events WHERE {where(rule.expect, self.loaded)}) "
               f"GROUP BY {names}, date")
        # The next day with responses after the trigger's day.
        probes = f"SELECT id, {names}, CAST(date + INTERVAL 1 DAY AS DATE) AS on_day FROM dl_start"
        days = (f"SELECT {names}, date AS on_day, struct_pack(d := date, in_order := in_order, "
                "untimed_first := untimed_first) AS v FROM dl_rday")
        yield f"CREATE OR REPLACE TEMP TABLE dl_rnext AS {first_on_or_after(probes, days, names)}"
        # A timed trigger's first timed response of its day at or after its time.
        probes = f"SELECT id, {names}, date AS day, time AS on_day FROM dl_start WHERE time IS NOT NULL"
        timed = (f"SELECT {self.m}, date AS day, time AS on_day, struct_pack(tm := time, f := file, l := line) AS v "
                 f"FROM events WHERE {where(rule.expect, self.loaded)} AND time IS NOT NULL")
        yield f"CREATE OR REPLACE TEMP TABLE dl_rclock AS {first_on_or_after(probes, timed, names + ', day')}"

        def row(d: str, of: str, t: str | None = None) -> str:
            return (f"struct_pack(d := {d}, f := {of}.f, l := {of}.l, "
                    f"t := {t or f'{of}.t'})")

        yield ("CREATE OR REPLACE TEMP TABLE dl_resp AS SELECT s.id, CASE "
               f"WHEN sd.date IS NULL THEN {row('n.r.d', 'n.r.in_order')} "
               f"WHEN s.time IS NULL THEN {row('s.date', 'sd.in_order')} "
               f"WHEN sd.untimed IS NOT NULL THEN {row('s.date', 'sd.untimed', 'CAST(NULL AS TIME)')} "
               f"WHEN c.r IS NOT NULL THEN {row('s.date', 'c.r', 'c.r.tm')} "
               f"ELSE {row('n.r.d', 'n.r.untimed_first')} END AS r "
               f"FROM dl_start s LEFT JOIN dl_rday sd ON {self.same('sd', 's')} AND sd.date = s.date "
               "LEFT JOIN dl_rnext n ON n.id = s.id LEFT JOIN dl_rclock c ON c.id = s.id")
        yield from (f"DROP TABLE {t}" for t in ("dl_rday", "dl_rnext", "dl_rclock"))

    def walk(self) -> Iterator[str]:
        """The due date of a working-day limit with pauses (contract 9, pause): the reference's walk
        in date order, as a running sum of working days over its steps."""
        rule, names = self.rule, self.names
        n = rule.within.value
        # Each pair's `from` events with the first `to` of the pair on or after each ("where `to` is
        # the first `to` event of the same match values on or after it"; NULL: none yet), and the
        # previous `from` of the pair: one dated on or before that `to` pauses nothing more (its
        # first `to` is the same), so the reference walks past it.
        froms = " UNION ALL ".join(self.events(f, f"struct_pack(p := {p}, tm := {_CLOCK}, f := file, l := line, t := time)")
                                   for p, (f, _) in enumerate(rule.pauses))
        tos = " UNION ALL ".join(f"SELECT {self.m}, date AS on_day, {p} AS p FROM events WHERE {where(t, self.loaded)}"
                                 for p, (_, t) in enumerate(rule.pauses))
        yield ("CREATE OR REPLACE TEMP TABLE dl_from AS "
               "SELECT *, lag(on_day) OVER (PARTITION BY " + names + ", p ORDER BY on_day, tm, f, l) AS prev_at, "
               "lag(until) OVER (PARTITION BY " + names + ", p ORDER BY on_day, tm, f, l) AS prev_until FROM ("
               "SELECT " + names + ", on_day, p, tm, f, l, t, until FROM (SELECT *, min(CASE WHEN side = 1 THEN on_day END) OVER "
               "(PARTITION BY " + names + ", p ORDER BY on_day, side ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) "
               "AS until FROM (SELECT " + names + ", on_day, v.p AS p, v.tm AS tm, v.f AS f, v.l AS l, v.t AS t, 0 AS side FROM (" + froms + ") "
               "UNION ALL SELECT " + names + ", on_day, p, NULL, NULL, NULL, NULL, 1 FROM (" + tos + "))) WHERE side = 0)")
        # The steps of each trigger's walk: the pauses dated from `opens` that the reference does not
        # walk past, and the extension; in date order, a pause before an extension of its day and
        # the rule's first pair before its second on the same day.
        yield ("CREATE OR REPLACE TEMP TABLE dl_steps AS "
               f"SELECT c.id, f.on_day, 0 AS kind, f.p, f.until, f.tm, f.f, f.l, f.t FROM dl_clock c JOIN dl_from f ON {self.same('f', 'c')} "
               "AND f.on_day >= c.opens WHERE f.prev_at IS NULL OR f.prev_at < c.opens OR f.prev_until < f.on_day"
               + (" UNION ALL SELECT id, r, 1, NULL, NULL, NULL, NULL, NULL, NULL FROM dl_ext WHERE r IS NOT NULL"
                  if rule.extend_by else ""))
        # Each step moves the due date by a number of working days: a pause by those in (from, to]
        # that the clock had not yet counted or stood still for (`counted`: the start, then the
        # latest `to` so far; overlapping pauses count once), an extension by `up_to`. A pause with
        # no `to` yet moves nothing: it stops the clock.
        order = "ORDER BY st.on_day, st.kind, st.p, st.tm, st.f, st.l"
        up_to = rule.extend_up_to.value if rule.extend_by else 0
        yield ("CREATE OR REPLACE TEMP TABLE dl_walk AS SELECT *, coalesce(sum(amount) OVER (PARTITION BY id ORDER BY seq "
               "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before FROM ("
               f"SELECT w.*, CASE WHEN kind = 1 THEN {up_to} WHEN until IS NULL THEN 0 "
               "ELSE cu.workday_ordinal - cf.workday_ordinal END AS amount FROM ("
               f"SELECT st.*, row_number() OVER (PARTITION BY st.id {order}) AS seq, "
               f"greatest(c.cs, coalesce(max(st.until) OVER (PARTITION BY st.id {order} ROWS BETWEEN UNBOUNDED "
               "PRECEDING AND 1 PRECEDING), c.cs)) AS counted FROM dl_steps st JOIN dl_clock c ON c.id = st.id) w "
               "LEFT JOIN calendar cf ON cf.date = greatest(w.on_day, w.counted) "
               "LEFT JOIN calendar cu ON cu.date = greatest(w.until, w.counted))")
        # The due date k working days on from the start (N = 0 and nothing moved: the start itself).
        def due_at(offset: str, cal: str) -> str:
            return f"CASE WHEN {offset} = 0 THEN c.cs ELSE {cal}.date END"

        # The walk stops at the first step dated after the due date as the steps before it moved it
        # (everything later is too late to move it), or at a pause with no `to` (the clock stops:
        # "a trigger with no response is then pending, whatever the as-of date").
        yield ("CREATE OR REPLACE TEMP TABLE dl_due AS WITH checked AS ("
               f"SELECT w.*, {due_at(f'{n} + w.before', 'wd')} AS due_before, "
               f"(w.on_day > {due_at(f'{n} + w.before', 'wd')}) OR (w.kind = 0 AND w.until IS NULL) AS stops "
               "FROM dl_walk w JOIN dl_clock c ON c.id = w.id JOIN calendar cc ON cc.date = c.cs "
               f"LEFT JOIN calendar wd ON wd.workday_ordinal = cc.workday_ordinal + {n} + w.before AND wd.is_workday), "
               "stopped AS (SELECT id, min(CASE WHEN stops THEN seq END) AS stop, sum(amount) AS total FROM checked "
               "GROUP BY id) "
               f"SELECT c.id, CASE WHEN s.seq IS NULL THEN {due_at(f'{n} + coalesce(t.total, 0)', 'wt')} "
               "ELSE s.due_before END AS due, coalesce(s.kind = 0 AND s.until IS NULL AND s.on_day <= s.due_before, FALSE) "
               "AS open, s.on_day AS open_at, s.t AS open_time, s.p AS open_pair "
               "FROM dl_clock c JOIN calendar cc ON cc.date = c.cs LEFT JOIN stopped t ON t.id = c.id "
               "LEFT JOIN checked s ON s.id = c.id AND s.seq = t.stop "
               f"LEFT JOIN calendar wt ON wt.workday_ordinal = cc.workday_ordinal + {n} + coalesce(t.total, 0) "
               "AND wt.is_workday")

    def findings(self) -> Iterator[Problem]:
        rule, con = self.rule, self.ctx.con
        kind = rule.after.event
        for file, line, case, unit, cell in con.execute(
                "SELECT t.file, t.line, t.\"case\", t.unit, t.start_cell FROM dl_trig t JOIN dl_start_texts s "
                "ON s.text = t.start_text WHERE s.bad" if rule.after.date_attrs else "SELECT 1 WHERE FALSE").fetchall():
            yield deadline.bad_start(Event(file, line, kind, None, None, case, unit, {}),  # type: ignore[arg-type]
                                     rule.after.date_attrs[cell])
        yield from self.by_clock() if self.hours else self.verdicts()
        for table in _TABLES:  # (GK003 and GK005 read the events and dl_clock)
            if table != "dl_clock":
                con.execute(f"DROP TABLE IF EXISTS {table}")
        yield from self.data_findings()

    def by_clock(self) -> Iterator[Problem]:
        """A limit or an extension in hours: every trigger's due moment, extension, cancel and
        verdict by the reference's arithmetic, over its start, response, first extension and
        first cancel found in SQL."""
        from gklint.dates import When
        from gklint.deadlines import Due, judge

        rule, ctx = self.rule, self.ctx
        wording = deadline._wording(rule, ctx)
        ext = ", e.r.d, e.r.t" if rule.extend_by else ", NULL, NULL"
        cancel = ", k.r.d, k.r.t" if rule.cancel else ", NULL, NULL"
        joins = (" LEFT JOIN dl_ext e ON e.id = c.id" if rule.extend_by else "") + (
            " LEFT JOIN dl_cancel k ON k.id = c.id" if rule.cancel else "")
        for file, line, date, time, case, unit, cs, ctime, rd, rf, rl, rt, ed, et, kd, kt in ctx.con.execute(
                "SELECT c.file, c.line, c.date, c.time, c.\"case\", c.unit, c.cs, c.ctime, c.rd, c.rf, c.rl, c.rt"
                f"{ext}{cancel} FROM dl_clock c{joins} ORDER BY {_ORDER.format('c.')}").fetchall():
            start = When(cs, ctime)
            due = Due(start, rule.within, ctx.calendar, rule.roll)
            if ed is not None and deadline._not_after(When(ed, et), due.when):
                due.extend(rule.extend_up_to)
            if kd is not None and deadline._not_after(When(kd, kt), due.when):
                continue  # cancelled (contract 9)
            response = Event(rf, rl, rule.expect.event, rd, rt, None, None, {}) if rd else None
            verdict = judge(start, due.when, When(rd, rt) if rd else None, rule.within, ctx.calendar, ctx.as_of)
            if verdict.status != "ok":
                trigger = Event(file, line, rule.after.event, date, time, case, unit, {})
                yield deadline.judged(wording, ctx, trigger, start, due.when, response, verdict)

    def verdicts(self) -> Iterator[Problem]:
        """A limit in working days or days (or none): the due dates of ``dl_due``, judged and worded
        in SQL (the kind's message templates, ``deadline.MESSAGES``)."""
        rule, ctx, con = self.rule, self.ctx, self.ctx.con
        w = deadline._wording(rule, ctx)
        # cancel (contract 9): a cancel event dated from the start to the due date (as moved), or
        # any with the clock stopped or no time limit, ends the obligation: no finding.
        if rule.within is None:
            due, joins, answered = "CAST(NULL AS DATE)", "", "c.rd IS NULL"
            cancelled = "k.r IS NOT NULL"
            is_open = "FALSE"
        else:
            due, joins = "d.due", "JOIN dl_due d ON d.id = c.id"
            answered = "CASE WHEN d.open THEN c.rd IS NULL ELSE c.rd IS NULL OR c.rd > d.due END"
            cancelled = "k.r IS NOT NULL AND (d.open OR k.r <= d.due)"
            is_open = "d.open"
        if rule.cancel:
            joins += " LEFT JOIN dl_cancel k ON k.id = c.id"
        else:
            cancelled = "FALSE"
        lateness = "CAST(NULL AS INTEGER)"
        if rule.within is not None:
            joins += " LEFT JOIN calendar cd ON cd.date = d.due LEFT JOIN calendar cr ON cr.date = c.rd"
            lateness = ("greatest(1, cr.workday_ordinal - cd.workday_ordinal)" if rule.within.unit == "working_days"
                        else "date_diff('day', d.due, c.rd)")
        # The verdict (as kinds.deadline: unfollowed, paused, or judged), then each language's
        # message, over the columns of the verdicts' query.
        verdict = ("'unfollowed'" if rule.within is None else
                   f"CASE WHEN {is_open} THEN 'paused' WHEN c.rd IS NOT NULL THEN 'late' "
                   f"WHEN {self.as_of} > {due} THEN 'missing' ELSE 'pending' END")
        open_ = ("d.open_pair, d.open_at, d.open_time" if rule.within is not None
                 else "CAST(NULL AS INTEGER) AS open_pair, CAST(NULL AS DATE) AS open_at, CAST(NULL AS TIME) AS open_time")
        fields = {"due": iso("due"), "actual": iso("rd", "rt"), "as_of": quote(ctx.as_of.isoformat()),
                  "n": "CAST(overdue AS VARCHAR)", "since": iso("open_at", "open_time")}
        messages = []
        for lang, (pauses, wording) in enumerate(((w.pauses_zh, (w.expect_zh, w.basis_zh)),
                                                  (w.pauses_en, (w.expect_en, w.basis_en)))):
            of_lang = {**fields, "expect": quote(wording[0]), "basis": quote(wording[1])}
            if rule.within is not None:  # 1 working day, 2 working days
                one_, more = (quote(unit_words(rule.within.unit, n)[lang]) for n in (1, 2))
                of_lang["unit"] = one_ if one_ == more else f"CASE WHEN overdue = 1 THEN {one_} ELSE {more} END"
            for name, i in (("pause_from", 0), ("pause_to", 1)):
                of_lang[name] = ("CASE open_pair " + " ".join(f"WHEN {p} THEN {quote(pair[i])}"
                                                             for p, pair in enumerate(pauses)) + " END"
                                 if pauses else "''")
            kinds = ("unfollowed",) if rule.within is None else ("late", "missing", "pending", "paused")
            messages.append("CASE verdict " + " ".join(
                f"WHEN '{key}' THEN {worded(deadline.MESSAGES[key][lang], of_lang)}" for key in kinds) + " END")
        late = "CASE WHEN verdict = 'late' THEN {} END".format
        inner = (f"SELECT c.id, c.file, c.line, c.date, c.time, c.\"case\", c.unit, {verdict} AS verdict, c.cs, "
                 f"c.ctime, {due} AS due, c.rd, c.rt, c.rf, c.rl, CASE WHEN c.rd IS NOT NULL THEN {lateness} END "
                 f"AS overdue, {open_} FROM dl_clock c {joins} WHERE NOT ({cancelled}) AND {answered}")
        start, actual = iso("cs", "ctime"), late(fields["actual"])
        unit_of_limit = rule.within.unit if rule.within is not None else None
        if ctx.encode is not None:
            yield from self.encoded(inner, messages[0 if ctx.encode == "zh" else 1], start, fields["due"], actual,
                                    unit_of_limit, ctx.encode)
            return
        one = {}.setdefault
        for file, line, case, unit, verdict_, zh, en, start, due_s, actual, overdue, rf, rl in rows(
                con, f"SELECT file, line, \"case\", unit, verdict, {messages[0]}, {messages[1]}, {start}, "
                f"{fields['due']}, {actual}, {late('overdue')}, {late('rf')}, {late('rl')} FROM ({inner}) "
                f"ORDER BY {_ORDER.format('')}"):
            # (each row's file, unit and dates are new strings: one of each kept for all the findings)
            file, unit, start, due_s = one(file, file), one(unit, unit), one(start, start), one(due_s, due_s)
            message = {"zh": zh, "en": en}
            if verdict_ == "unfollowed":
                yield Problem("missing", message, file, line, case, unit, start=start)
            elif verdict_ == "paused":
                yield Problem("pending", message, file, line, case, unit, start=start, due=due_s)
            elif verdict_ == "late":
                yield Problem("late", message, file, line, case, unit, start=start, due=due_s, actual=one(actual, actual),
                              overdue={"value": overdue, "unit": unit_of_limit}, response={"file": one(rf, rf), "line": rl})
            else:
                yield Problem(verdict_, message, file, line, case, unit, start=start, due=due_s)

    def encoded(self, inner: str, message: str, start: str, due: str, actual: str, unit_of_limit: str | None,
                lang: str) -> Iterator[Encoded]:
        """The findings :meth:`verdicts` makes of the rows of ``inner``, written in SQL as the JSON
        reporter writes them (``Finding.to_json`` in the language ``lang``, encoded): the stamp
        of ``engines.python.stamp`` and the same fields, in the same order. ``message``,
        ``start``, ``due``, ``actual``: SQL of each over the rows of ``inner`` (text, computed
        once a row: a JSON string names its value three times)."""
        from gklint.model import Finding
        from gklint.reporters.json import encode

        rule = self.ctx.rule  # (the Rule: self.rule is what it compiled to)
        rule_id, severity = rule.id, rule.severity
        status = "CASE verdict WHEN 'unfollowed' THEN 'missing' WHEN 'paused' THEN 'pending' ELSE verdict END"
        is_late = "verdict = 'late'"
        quoted = "'\"' || {} || '\"'".format  # (dates as ISO text: nothing in them to escape)
        overdue = (quote('{"value": ') + " || CAST(overdue AS VARCHAR) || "
                   + quote(f', "unit": {encode(unit_of_limit)}}}'))
        response = (quote(', "response": {"file": ') + f" || {json_text('rf')} || " + quote(', "line": ')
                    + " || CAST(rl AS VARCHAR) || '}'")
        # Each value as SQL giving its JSON text, under the keys of Finding.to_json, in its order.
        values = {
            "rule": quote(encode(rule_id)), "ruleset": quote(encode(rule.ruleset.id if rule.ruleset else None)),
            "severity": quote(encode(severity)), "status": quoted(status), "message": json_text("message"),
            "file": json_text("file"), "line": "CAST(line AS VARCHAR)", "case": json_or_null(json_text('"case"')),
            "unit": json_or_null(json_text("unit")), "period": "'null'", "start": json_or_null(quoted("start_")),
            "due": json_or_null(quoted("due_")), "actual": json_or_null(quoted("actual_")),
            "overdue": f"CASE WHEN {is_late} THEN {overdue} ELSE 'null' END"}
        keys = list(Finding(rule_id, severity, "late", {}).to_json(lang))  # (the keys every finding has)
        parts = [quote("{")]
        for i, key in enumerate(keys):
            parts += [quote(("" if i == 0 else ", ") + encode(key) + ": "), values.pop(key)]
        assert not values, f"keys Finding.to_json does not write: {sorted(values)}"
        # (of the optional keys, after "overdue", only "response" applies: a late finding's reply)
        parts.append(f"CASE WHEN {is_late} THEN {response} ELSE '' END")
        parts.append(quote("}"))
        written = " || ".join(parts)
        one = {}.setdefault
        for file, line, case, status_, rf, rl, text in rows(self.ctx.con, (
                f"SELECT file, line, \"case\", {status}, CASE WHEN {is_late} THEN rf END, "
                f"CASE WHEN {is_late} THEN rl END, {written} FROM (SELECT *, {message} AS message, {start} AS start_, "
                f"{due} AS due_, {actual} AS actual_ FROM ({inner})) ORDER BY {_ORDER.format('')}")):
            file = one(file, file)
            yield Encoded((file, line, rule_id, case or "", ""), rule_id, severity, one(status_, status_), file, line,
                          case, None, None if rf is None else {"file": one(rf, rf), "line": rl}, lang, text)

    def data_findings(self) -> Iterator[Problem]:
        """GK003 on triggers without their match values, GK005 on responses before their case's first trigger."""
        from gklint.dates import When

        rule, ctx, con = self.rule, self.ctx, self.ctx.con
        kind = rule.after.event
        for file, line, values in con.execute(
                f"SELECT file, line, [{self.names}] FROM (SELECT file, line, date, {self.m} FROM events WHERE "
                f"{where(rule.after, self.loaded)} AND {window(*ctx.window)}) WHERE {self.incomplete} "
                "ORDER BY date, file, line").fetchall():
            missing = [name for name, v in zip(rule.match, values) if v is None or v == ""]
            yield deadline.unmatched(Event(file, line, kind, None, None, None, None, {}), missing)  # type: ignore[arg-type]
        # GK005: a response before its case's first trigger, by date, or that day by the clock when
        # both carry a time (those whose start is GK001 are not triggers of the case). Only the
        # responses dated on or before their match values' first trigger date can be, and the
        # first trigger (in date order) is looked for among those values alone.
        m = ", ".join(f"c.m{i}" for i in range(len(rule.match)))
        for file, line, date, time, case, unit, first, first_time in con.execute(f"""
                WITH early AS (SELECT r.* FROM (SELECT file, line, date, time, "case", unit, {self.m} FROM events
                                                WHERE {where(rule.expect, self.loaded)}) r
                               JOIN (SELECT {self.names}, min(date) AS first FROM dl_clock GROUP BY {self.names}) f
                               ON {self.same('r', 'f')} AND r.date <= f.first),
                     firsts AS (SELECT {m}, min(struct_pack(d := c.date, tm := coalesce(c.time, TIME '00:00:00'),
                                f := c.file, l := c.line, t := c.time)) AS first FROM dl_clock c
                                JOIN (SELECT DISTINCT {self.names} FROM early) e ON {self.same('c', 'e')} GROUP BY {m})
                SELECT r.file, r.line, r.date, r.time, r."case", r.unit, f.first.d, f.first.t
                FROM early r JOIN firsts f ON {self.same('r', 'f')}
                WHERE r.date < f.first.d OR (r.date = f.first.d AND r.time < f.first.t)""").fetchall():
            ev = Event(file, line, rule.expect.event, date, time, case, unit, {})
            yield deadline.too_early(rule, ctx.label, ev, When(first, first_time))


__all__ = ["Unsupported", "evaluate", "supports"]
