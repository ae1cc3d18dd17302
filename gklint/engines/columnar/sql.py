"""What every plan shares: event references and match keys as SQL, and the calendar table.

The calendar table ``calendar(date, is_workday, workday_ordinal)`` numbers the working days: a
working day's ordinal counts the working days up to and including it, so "N working days after D"
is the working day whose ordinal is D's plus N -- an equi-join, on any SQL engine.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from gklint.engines.columnar.load import Loaded, key, quote
from gklint.kinds.base import EventRef

_STANDARD = {"case": '"case"', "unit": "unit"}


BATCH = 10_000  # rows fetched at a time by :func:`rows`
_READING: set[int] = set()  # id() of the connections whose rows :func:`rows` is reading


def rows(con: Any, query: str, params: list[Any] | None = None) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query``, fetched :data:`BATCH` at a time: a plan's findings are made as its
    rows arrive, not after a list of millions of rows is built beside them. Nothing else may run
    on ``con`` until the rows are all read: DuckDB ends a result when the connection runs another
    query, and its next fetch then gives no rows, silently (:func:`reading` says when that is). A
    connection whose results have no ``fetchmany`` gives them all at once."""
    result = con.execute(query, params) if params is not None else con.execute(query)
    fetch = getattr(result, "fetchmany", None)
    if fetch is None:
        yield from result.fetchall()
        return
    _READING.add(id(con))
    try:
        while chunk := fetch(BATCH):
            yield from chunk
    finally:
        _READING.discard(id(con))


def reading(con: Any) -> bool:
    """Whether :func:`rows` is in the middle of reading a result of ``con``."""
    return id(con) in _READING


class Unsupported(Exception):
    """A rule (or a column it names) the plans do not compile: the reference engine runs it."""


def column(name: str, loaded: Loaded) -> str:
    """The SQL value of a column as match keys compare it (a standard column, or ``k<i>``)."""
    if name in _STANDARD:
        return _STANDARD[name]
    if name in ("event", "date"):
        raise Unsupported(f"matching or filtering on the {name!r} column")
    a = loaded.attribute(name)
    return "CAST(NULL AS VARCHAR)" if a is None else f"k{a}"


def where(ref: EventRef, loaded: Loaded) -> str:
    """The condition selecting ``ref``'s events: its kind and its ``where`` (``kinds.base._filter``)."""
    return " AND ".join([f"kind = {quote(ref.event)}", *(condition(attr, allowed, loaded) for attr, allowed in ref.where)])


def condition(attr: str, allowed: frozenset[Any], loaded: Loaded) -> str:
    """``comparable(ev.get(attr)) in allowed`` (values compiled by ``CompileContext.conditions``)."""
    keys = sorted(k for k in (key(value) for _, value in allowed) if k is not None)
    value = column(attr, loaded)
    if attr in _STANDARD:
        value = f"('s:' || {value})"
    return f"coalesce({value} IN ({', '.join(map(quote, keys))}), FALSE)" if keys else "FALSE"


def text(name: str, loaded: Loaded) -> str:
    """The SQL value of ``str(ev.get(name))`` (NULL when None), as per-unit rules group by it."""
    if name in _STANDARD:
        return _STANDARD[name]
    if name in ("event", "date"):
        raise Unsupported(f"grouping by the {name!r} column")
    a = loaded.attribute(name)
    return "CAST(NULL AS VARCHAR)" if a is None else f"t{a}"


def window(start: dt.date | None, end: dt.date | None) -> str:
    parts = [f"date >= DATE '{start.isoformat()}'" if start else "", f"date <= DATE '{end.isoformat()}'" if end else ""]
    return " AND ".join(p for p in parts if p) or "TRUE"


def make_calendar(con: Any, calendar: Any, first: dt.date, last: dt.date) -> None:
    """``calendar`` over [first, last] (a year either side, so that counts near the ends are whole)."""
    import pyarrow as pa

    start, end = dt.date(first.year - 1, 1, 1), dt.date(last.year + 1, 12, 31)
    days, workdays, ordinals = [], [], []
    ordinal, day = 0, start
    while day <= end:
        working = calendar.is_workday(day)
        ordinal += working
        days.append(day)
        workdays.append(working)
        ordinals.append(ordinal)
        day += dt.timedelta(days=1)
    con.register("calendar_rows", pa.table({"date": days, "is_workday": workdays, "workday_ordinal": ordinals}))
    con.execute("CREATE OR REPLACE TEMP TABLE calendar AS SELECT * FROM calendar_rows")
    con.unregister("calendar_rows")


def after(dates: str, duration: Any, roll: bool = True) -> str:
    """A query mapping each ``date`` of the query ``dates`` to ``due``: ``duration`` after it
    (``gklint.deadlines``): N working days is the working day N ordinals on; N days is D + N,
    moved to the next working day when that is a day off (民法典 art. 203) unless ``roll`` is false."""
    n = duration.value
    if n == 0:
        return f"SELECT date, date AS due FROM ({dates})"
    if duration.unit == "working_days":
        return (f"SELECT d.date, w.date AS due FROM ({dates}) d JOIN calendar c ON c.date = d.date "
                f"JOIN calendar w ON w.workday_ordinal = c.workday_ordinal + {n} AND w.is_workday")
    if duration.unit == "days":
        if not roll:
            return f"SELECT date, CAST(date + INTERVAL {n} DAY AS DATE) AS due FROM ({dates})"
        return (f"SELECT d.date, CASE WHEN c.is_workday THEN c.date ELSE w.date END AS due FROM ({dates}) d "
                f"JOIN calendar c ON c.date = CAST(d.date + INTERVAL {n} DAY AS DATE) "
                "JOIN calendar w ON w.workday_ordinal = c.workday_ordinal + 1 AND w.is_workday")
    raise Unsupported(f"a time limit in {duration.unit}")


def first_on_or_after(probes: str, others: str, names: str) -> str:
    """A query giving, per row of the query ``probes`` (columns ``id``, the match values ``names``,
    ``on_day``), ``r``: the least ``v`` of the rows of ``others`` (the match values, ``on_day``, ``v``) with
    its match values dated on or after its ``on_day``. A window over both, ordered by date with the
    probes first on a date (an ASOF join would be shorter, but Spark has none)."""
    return (f"SELECT id, r FROM (SELECT side, id, min(v) OVER (PARTITION BY {names} ORDER BY on_day, side "
            "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS r FROM ("
            f"SELECT {names}, on_day, 0 AS side, id, NULL AS v FROM ({probes}) UNION ALL "
            f"SELECT {names}, on_day, 1 AS side, NULL AS id, v FROM ({others}))) WHERE side = 0")


def last_on_or_before(probes: str, others: str, names: str) -> str:
    """As :func:`first_on_or_after`, the greatest ``v`` of the rows dated on or before ``on_day``."""
    return (f"SELECT id, r FROM (SELECT side, id, max(v) OVER (PARTITION BY {names} ORDER BY on_day, side "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS r FROM ("
            f"SELECT {names}, on_day, 1 AS side, id, NULL AS v FROM ({probes}) UNION ALL "
            f"SELECT {names}, on_day, 0 AS side, NULL AS id, v FROM ({others}))) WHERE side = 1")


# A row (its date, time of day, file and line) as one HUGEINT that orders as the four do, for a
# window's min on DuckDB (``first_on_or_after``): a struct of the four is some 2.5 times slower to
# take the least of. Bits, from the top: the days since 0001-01-01 (22), the microseconds of the
# day (37; a row without a time at 0), the file's place among the log's file names in their
# order (20: ``Context.file_ranks``), the line (31: the table's INTEGER). Spark has no HUGEINT.
_ROW_BITS = {"date": 88, "time": 51, "file": 31}
FILE_RANKS = 1 << 20  # the files a row key can tell apart


def row_key(date: str, time: str, rank: str, line: str) -> str:
    """SQL: the HUGEINT key of a row (see :data:`_ROW_BITS`); ``rank``: its file's place."""
    return (f"((CAST({date} - DATE '0001-01-01' AS HUGEINT) << {_ROW_BITS['date']}) "
            f"| (CAST(coalesce(epoch_us({time}), 0) AS HUGEINT) << {_ROW_BITS['time']}) "
            f"| (CAST({rank} AS HUGEINT) << {_ROW_BITS['file']}) | CAST({line} AS HUGEINT))")


def moment_key(date: str, time: str) -> str:
    """SQL: a date and a time of day (not NULL) as one BIGINT in their order: microseconds since
    0001-01-01 (the moment of ``struct_pack(d := date, tm := time)``, cheaper to order by)."""
    return f"(CAST({date} - DATE '0001-01-01' AS BIGINT) * {86_400_000_000} + epoch_us({time}))"


def key_date(key: str) -> str:
    return f"CAST(DATE '0001-01-01' + CAST({key} >> {_ROW_BITS['date']} AS INTEGER) AS DATE)"


def key_time(key: str) -> str:
    return (f"(TIME '00:00:00' + to_microseconds(CAST(({key} >> {_ROW_BITS['time']}) & "
            f"{(1 << (_ROW_BITS['date'] - _ROW_BITS['time'])) - 1} AS BIGINT)))")


def key_rank(key: str) -> str:
    return f"CAST(({key} >> {_ROW_BITS['file']}) & {FILE_RANKS - 1} AS INTEGER)"


def key_line(key: str) -> str:
    return f"CAST({key} & {(1 << _ROW_BITS['file']) - 1} AS INTEGER)"


def worded(template: str, fields: dict[str, str]) -> str:
    """SQL: a message ``template`` of a kind module (``str.format`` fields, no format spec) with each
    field the SQL text ``fields`` gives it (none may be NULL). The reference engine fills the same
    template in Python, so the two word a finding alike."""
    import string

    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(quote(literal))
        if name is not None:
            parts.append(fields[name])
    return "(" + " || ".join(parts or ["''"]) + ")"


def iso(date: str, time: str | None = None) -> str:
    """SQL: a moment as findings write it (``gklint.kinds.deadline._iso``): the date, and ``THH:MM``
    when the time is not NULL."""
    if time is None:
        return f"CAST({date} AS VARCHAR)"
    return f"(CAST({date} AS VARCHAR) || coalesce('T' || left(CAST({time} AS VARCHAR), 5), ''))"


# JSON's escapes of the characters below U+0020, as Python's json module writes them (lower-case
# hex): the characters a JSON string may not hold as they are.
_JSON_ESCAPES = [("\\", "\\\\"), ('"', '\\"')] + [
    (chr(c), {8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}.get(c, f"\\u{c:04x}")) for c in range(1, 32)]


def json_text(value: str) -> str:
    """SQL: the VARCHAR ``value`` as a JSON string, as ``json.dumps(value, ensure_ascii=False)``
    writes it (NULL for NULL). Text with no character to escape (almost all) is quoted as it is;
    other text goes through one ``replace`` per escape. (DuckDB's ``to_json`` writes the hex of
    an escape in capitals, Python in small letters.) A NUL character never reaches a table: the
    loader reads a log holding one in Python, and such a row is GK007."""
    escaped = value
    for char, escape in _JSON_ESCAPES:
        escaped = f"replace({escaped}, {_char(char)}, {quote(escape)})"
    return (f"CASE WHEN regexp_matches({value}, '[\\x01-\\x1f\"\\\\]') THEN '\"' || {escaped} || '\"' "
            f"ELSE '\"' || {value} || '\"' END")


def _char(char: str) -> str:
    return quote(char) if " " <= char else f"chr({ord(char)})"


def json_or_null(text: str) -> str:
    """SQL: the JSON text ``text``, or ``null`` when it is NULL."""
    return f"coalesce({text}, 'null')"
