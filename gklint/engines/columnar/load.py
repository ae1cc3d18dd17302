"""The log as one DuckDB table, ``events``, and the findings about its rows (GK001-GK007, GK011).

A CSV/TSV file whose every record is one line without quotes (what most exports are) is read by
DuckDB itself, and its rows are checked by SQL in the contract's order: too many cells (GK007), an
empty date or event cell (GK003), an unreadable date (GK001), an unknown event (GK002), a date
after the as-of date (GK006), a duplicate row (GK004). What a check needs Python for -- reading a
date, resolving an event name, typing an attribute value -- is worked out once per distinct cell
text by the same functions the reference engine uses, and joined. Any other file (quoted cells,
GB18030, .xlsx, .jsonl, .parquet, report tables) is read by the reference readers and its events
added to the table, so every file gives what the reference engine makes of it.

``events`` has one row per event: file, line, kind, date, time, case, unit, and for each attribute
column ``a<i>`` of any file: ``k<i>`` (the value as filters and match keys compare it, :func:`key`),
``t<i>`` (its text, as ``str`` of the typed value) and ``r<i>`` (the cell as written, for rows read
by DuckDB). Rows read by the reference readers keep their ``Event`` values (:attr:`Loaded.python`).
"""
from __future__ import annotations

import mmap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gklint.model import Event, Finding

# Python's str.strip() set, for SQL: a cell is blank, and case and unit cells are stripped, exactly
# as the reference readers do it (RE2's \s is ASCII only).
_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())  # U+3000 is the last
SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACE) + "]"


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def key(value: Any) -> str | None:
    """A typed value as filters and match keys compare it (``kinds.base.comparable``): booleans
    apart from numbers, numbers equal whatever their type (3 == 3.0), text as itself."""
    if value is None:
        return None
    if value.__class__ is bool:
        return "b:1" if value else "b:0"
    if isinstance(value, int):
        return f"n:{value}"
    if isinstance(value, float):
        return f"n:{int(value)}" if value.is_integer() else f"n:{value!r}"
    return f"s:{value}"


@dataclass
class Loaded:
    data: list[Finding] = field(default_factory=list)  # findings about rows and report tables
    files: list[str] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)
    python: list[Event] = field(default_factory=list)  # events read by the reference readers
    python_files: set[str] = field(default_factory=set)  # the files they come from
    attributes: dict[str, int] = field(default_factory=dict)  # folded column name -> i (columns k<i>, t<i>, r<i>)
    headers: dict[str, None] = field(default_factory=dict)  # every header cell as written (GK011 hints)
    parts: list[str] = field(default_factory=list)  # queries giving the events of each file
    cleanup: list[str] = field(default_factory=list)  # what to drop once they are in ``events``


def load(con: Any, job: Any) -> Loaded:
    """Read every file of ``job`` into the table ``events``."""
    loaded = Loaded()
    for number, path in enumerate(job.files):
        if not _scan(con, job, path, number, loaded):
            _read_in_python(con, job, path, number, loaded)
    base = ("file VARCHAR, line INTEGER, kind VARCHAR, date DATE, time TIME, \"case\" VARCHAR, unit VARCHAR"
            + "".join(f", k{i} VARCHAR, t{i} VARCHAR, r{i} VARCHAR" for i in loaded.attributes.values()))
    con.execute(f"CREATE OR REPLACE TEMP TABLE events ({base})")
    for part in loaded.parts:
        con.execute(f"INSERT INTO events BY NAME {part}")
    for step in loaded.cleanup:
        if step.startswith("UNREGISTER "):
            con.unregister(step.split()[1])
        else:
            con.execute(step)
    return loaded


def _attribute(loaded: Loaded, name: str) -> int:
    return loaded.attributes.setdefault(name, len(loaded.attributes))


# --- files DuckDB reads ---------------------------------------------------------------------

_DELIMITERS = {".csv": ",", ".tsv": "\t"}


def _plain(path: Path) -> bool:
    """Whether every record of the file is one line that ``str.split`` cuts as ``csv`` would, and
    DuckDB numbers its lines as they are numbered in the file: no quote, no NUL byte (a binary
    file, which the reference reader refuses), no blank line (DuckDB skips those), line ends all
    LF or all CRLF, and no \\x01 (the separator DuckDB is given, so that a line is one value)."""
    if path.suffix.lower() not in _DELIMITERS:
        return False
    with path.open("rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return False
        with data:
            if any(data.find(b) != -1 for b in (b'"', b"\x00", b"\x01", b"\n\n", b"\r\n\r\n")):
                return False
            lone_cr = data.find(b"\r") != -1
            if lone_cr:  # CRLF throughout, else the reference reader's line numbers are its own
                crlf, lf, cr = (_count(data, b) for b in (b"\r\n", b"\n", b"\r"))
                return crlf == lf == cr
            return True


def _count(data: mmap.mmap, needle: bytes) -> int:
    n, at = 0, data.find(needle)
    while at != -1:
        n += 1
        at = data.find(needle, at + 1)
    return n


def _header(path: Path, delimiter: str) -> list[str] | None:
    with path.open("rb") as fh:
        first = fh.readline()
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.rstrip("\r\n").split(delimiter)


def _scan(con: Any, job: Any, path: Path, number: int, loaded: Loaded) -> bool:
    """Read ``path`` with DuckDB when it is plain (:func:`_plain`); False to leave it to Python."""
    import duckdb

    from gklint.events import RawFile, is_table_header, map_header, rename_attributes
    from gklint.events.readers import MAX_CELL

    if not _plain(path):
        return False
    delimiter = _DELIMITERS[path.suffix.lower()]
    header = _header(path, delimiter)
    if header is None or is_table_header(header) or not header or header == [""]:
        return False
    if not _event_log_as_is(path, header, job):
        return False
    loaded.headers.update(dict.fromkeys(header))
    raw = rename_attributes(RawFile(str(path), header, iter(())), job.options.columns, job.vocab)
    positions = map_header(raw, job.options.columns)  # InputError (exit 2), as the reference reader says
    from gklint.events import column_key

    standard = set(positions.values())
    attrs = [(i, column_key(str(h))) for i, h in enumerate(raw.header) if i not in standard and column_key(str(h))]
    if len({name for _, name in attrs}) != len(attrs):
        return False  # a repeated attribute name: the reference keeps the last non-empty cell
    lines = f"lines{number}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT text FROM read_csv({quote(str(path))}, "
            "columns={'text': 'VARCHAR'}, header=false, delim='\x01', quote='', escape='', skip=1, "
            "auto_detect=false, strict_mode=false, null_padding=false, allow_quoted_nulls=false, "
            "nullstr='\x02')")
    except duckdb.Error:
        return False  # not UTF-8 (the reference reader tries GB18030), or unreadable
    longest = con.execute(f"SELECT coalesce(max(strlen(text)), 0) FROM {lines}").fetchall()[0][0]
    if longest > MAX_CELL:
        con.execute(f"DROP TABLE {lines}")
        return False  # a cell may be over the limit: the reference reader says which row
    _check_rows(con, job, str(path), number, lines, delimiter, len(raw.header), positions, attrs, loaded)
    return True


# A row that is blank (,,,,) or a signature footer (填表人：...) starts with the delimiter or one
# of these labels; the reference readers skip such rows.
_FOOTER_LABELS = tuple(label.encode() for label in ("填", "制表", "审核", "负责人", "统计人", "经办人", "联系", "单位负责人",
                                                   "部门负责人"))


def _event_log_as_is(path: Path, header: list[str], job: Any) -> bool:
    """Whether the reference readers read ``path`` row for row as the SQL does: an event log's
    header in line 1 (not a case ledger or a title row, contract section 10), no header the
    vocabulary reads as an attribute with declared values (checked in Python, section 14), and
    no row that may be blank or a footer (skipped by the reference readers)."""
    from gklint.events import column_key, has_event_column

    columns = job.options.columns
    if not has_event_column(header, columns):
        return False
    vocab = job.vocab
    if any(vocab.attributes.get(column_key(h)) in vocab.attribute_values for h in header):
        return False
    delimiter = _DELIMITERS[path.suffix.lower()].encode()
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"\n" + delimiter) != -1 or any(data.find(b"\n" + label) != -1 for label in _FOOTER_LABELS):
            return False
    return True


def _check_rows(con: Any, job: Any, file: str, number: int, lines: str, delimiter: str, width: int,
                positions: dict[str, int], attrs: list[tuple[int, str]], loaded: Loaded) -> None:
    """The checks of ``gklint.events.rows.RowConverter`` in SQL, over the lines of one file."""
    import pyarrow as pa

    from gklint.events import type_value
    from gklint.events.rows import (
        after_as_of,
        duplicate_row,
        empty_required,
        too_wide,
        unknown_kind,
        unreadable_date,
    )

    loaded.files.append(file)
    as_of = job.options.as_of
    cells = f"cells{number}"
    blank = f"regexp_full_match(x, '{SPACE_CLASS}*')"
    sep = quote(delimiter)
    wanted = sorted({*positions.values(), *(i for i, _ in attrs)})
    # rowid is the order rows were read in: the header is line 1, so a row is rowid + 2. A short
    # row's missing cells are empty (a list index past the end is NULL); a row's duplicate key is
    # its cells padded or cut to the header's width, joined by the delimiter (no cell holds it).
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {cells} AS SELECT line, n, "
        f"CASE WHEN n > {width} THEN len(list_filter(c[{width + 1}:], lambda x: NOT {blank})) > 0 "
        "ELSE false END AS wide, "
        f"CASE WHEN n = {width} THEN text ELSE array_to_string(list_resize(c, {width}, ''), {sep}) END AS row_key"
        + "".join(f", coalesce(c[{i + 1}], '') AS c{i}" for i in wanted)
        + f" FROM (SELECT rowid + 2 AS line, text, string_split(text, {sep}) AS c, len(c) AS n FROM {lines})")
    con.execute(f"DROP TABLE {lines}")
    d, e = f"c{positions['date']}", f"c{positions['event']}"

    def distinct(expr: str) -> list[str]:
        return [row[0] for row in con.execute(f"SELECT DISTINCT {expr} FROM {cells} WHERE NOT wide").fetchall()]

    from gklint.dates import parse_when

    dates: dict[str, list[Any]] = {"raw": [], "empty": [], "bad": [], "date": [], "time": []}
    for text in distinct(d):
        stripped = text.strip()
        try:
            when = parse_when(stripped) if stripped else None
        except ValueError:
            when = None
        for column, value in zip(dates, (text, not stripped, bool(stripped) and when is None,
                                         when.date if when else None, when.time if when else None)):
            dates[column].append(value)
    kinds: dict[str, list[Any]] = {"raw": [], "empty": [], "kind": []}
    for text in distinct(e):
        stripped = text.strip()
        for column, value in zip(kinds, (text, not stripped, job.vocab.resolve(stripped) if stripped else None)):
            kinds[column].append(value)
    values: dict[str, list[Any]] = {"raw": [], "k": [], "t": []}
    if attrs:
        for text in distinct(f"unnest([{', '.join(f'c{i}' for i, _ in attrs)}])"):
            typed = type_value(text) if text.strip() else None
            for column, value in zip(values, (text, key(typed), None if typed is None else str(typed))):
                values[column].append(value)
    con.register(f"dates{number}", pa.table(dates, schema=pa.schema(
        [("raw", pa.string()), ("empty", pa.bool_()), ("bad", pa.bool_()), ("date", pa.date32()), ("time", pa.time64("us"))])))
    con.register(f"kinds{number}", pa.table(kinds, schema=pa.schema(
        [("raw", pa.string()), ("empty", pa.bool_()), ("kind", pa.string())])))
    con.register(f"values{number}", pa.table(values, schema=pa.schema(
        [("raw", pa.string()), ("k", pa.string()), ("t", pa.string())])))
    checked = f"checked{number}"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {checked} AS SELECT c.*, dt.date, dt.time, kd.kind, "
        "CASE WHEN wide THEN 'GK007' WHEN dt.empty OR kd.empty THEN 'GK003' WHEN dt.bad THEN 'GK001' "
        f"WHEN kd.kind IS NULL THEN 'GK002' WHEN dt.date > DATE '{as_of.isoformat()}' THEN 'GK006' END AS problem "
        f"FROM {cells} c LEFT JOIN dates{number} dt ON dt.raw = c.{d} LEFT JOIN kinds{number} kd ON kd.raw = c.{e}")
    # GK004: a usable row whose cells (padded or cut to the header's width) are all those of an
    # earlier usable row.
    dups = f"dups{number}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {dups} AS SELECT row_key, min(line) AS first FROM {checked} "
                "WHERE problem IS NULL GROUP BY row_key HAVING count(*) > 1")
    for line, problem, n, date_raw, kind_raw, date in con.execute(
            f"SELECT line, problem, n, {d}, {e}, date FROM {checked} WHERE problem IS NOT NULL UNION ALL "
            f"SELECT c.line, 'GK004', n, {d}, {e}, date FROM {checked} c JOIN {dups} f ON f.row_key = c.row_key "
            "AND c.line > f.first WHERE problem IS NULL ORDER BY line").fetchall():
        if problem == "GK007":
            loaded.data.append(too_wide(file, line, n, width))
        elif problem == "GK003":
            loaded.data.append(empty_required(file, line, "date" if not date_raw.strip() else "event"))
        elif problem == "GK001":
            loaded.data.append(unreadable_date(file, line, date_raw.strip()))
        elif problem == "GK002":
            loaded.data.append(unknown_kind(job.vocab, file, line, kind_raw.strip()))
        elif problem == "GK006":
            loaded.data.append(after_as_of(file, line, date, as_of))
        else:
            loaded.data.append(duplicate_row(file, line))

    def stripped(i: int | None) -> str:
        if i is None:
            return "NULL"
        cell = f"c{i}"
        return (f"nullif(CASE WHEN regexp_matches({cell}, '^{SPACE_CLASS}|{SPACE_CLASS}$') "
                f"THEN regexp_replace({cell}, '^{SPACE_CLASS}+|{SPACE_CLASS}+$', '', 'g') ELSE {cell} END, '')")

    columns = [quote(file) + " AS file", "c.line", "kind", "date", "time",
               stripped(positions.get("case")) + ' AS "case"', stripped(positions.get("unit")) + " AS unit"]
    joins = []
    for j, (i, name) in enumerate(attrs):
        a = _attribute(loaded, name)
        columns += [f"v{j}.k AS k{a}", f"v{j}.t AS t{a}", f"c{i} AS r{a}"]
        joins.append(f"LEFT JOIN values{number} v{j} ON v{j}.raw = c{i}")
    loaded.parts.append(f"SELECT {', '.join(columns)} FROM {checked} c LEFT JOIN {dups} f ON f.row_key = c.row_key "
                        f"{' '.join(joins)} WHERE problem IS NULL AND (f.first IS NULL OR c.line = f.first)")
    loaded.cleanup += [f"DROP VIEW {checked}", f"DROP TABLE {dups}", f"DROP TABLE {cells}",
                       *(f"UNREGISTER {name}{number}" for name in ("dates", "kinds", "values"))]


# --- files the reference readers read -------------------------------------------------------

def _read_in_python(con: Any, job: Any, path: Path, number: int, loaded: Loaded) -> None:
    import pyarrow as pa

    from gklint.events import read_events

    options = job.options
    log = read_events([path], job.vocab, as_of=options.as_of, columns=options.columns, sheet=options.sheet,
                      progress=job.progress, ledger=options.ledger)
    loaded.headers.update(log.headers)
    loaded.data.extend(log.findings)
    loaded.files.extend(log.files)
    loaded.tables.extend(log.tables)
    loaded.python.extend(log.events)
    loaded.python_files.update(log.files)
    names = {name: _attribute(loaded, name) for ev in log.events for name in ev.attrs}
    columns: dict[str, list[Any]] = {name: [] for name in ("file", "line", "kind", "date", "time", "case", "unit")}
    for a in names.values():
        columns[f"k{a}"], columns[f"t{a}"] = [], []
    for ev in log.events:
        for name, value in zip(("file", "line", "kind", "date", "time", "case", "unit"), ev[:7]):
            columns[name].append(value)
        for name, a in names.items():
            value = ev.attrs.get(name)
            columns[f"k{a}"].append(key(value))
            columns[f"t{a}"].append(None if value is None else str(value))
    schema = pa.schema([("file", pa.string()), ("line", pa.int32()), ("kind", pa.string()), ("date", pa.date32()),
                        ("time", pa.time64("us")), ("case", pa.string()), ("unit", pa.string())]
                       + [(n, pa.string()) for n in columns if n[0] in "kt" and n[1:].isdigit()])
    con.register(f"py{number}", pa.table(columns, schema=schema))
    loaded.parts.append(f"SELECT * FROM py{number}")
    loaded.cleanup.append(f"UNREGISTER py{number}")


def events_of(con: Any, loaded: Loaded, kind: str) -> Iterator[Event]:
    """The events of ``kind`` as the reference readers make them (for rules run on the reference
    engine): those read by Python as they are, those read by DuckDB made from their cells."""
    from gklint.events import type_value

    yield from (ev for ev in loaded.python if ev.kind == kind)
    names = list(loaded.attributes.items())
    cells = "".join(f", k{a} IS NOT NULL, r{a}" for _, a in names)
    rows = con.execute(f"SELECT file, line, date, time, \"case\", unit{cells} FROM events WHERE kind = ?", [kind])
    for row in rows.fetchall():
        if row[0] in loaded.python_files:
            continue
        attrs = {name: type_value(row[7 + 2 * j]) for j, (name, _) in enumerate(names) if row[6 + 2 * j]}
        yield Event(row[0], row[1], kind, row[2], row[3], row[4], row[5], attrs)
