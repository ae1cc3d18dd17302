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
    # The attributes the rules read (``gklint.kinds.attributes_read``; None: all): the others are
    # not kept in ``events`` (their columns would be most of a large log's table), and asking
    # for one is a bug (:meth:`attribute`).
    read: frozenset[str] | None = None
    dropped: set[str] = field(default_factory=set)  # attributes of the files left out of ``events``
    headers: dict[str, None] = field(default_factory=dict)  # every header cell as written (GK011 hints)
    declared: dict[str, dict[Any, Any]] = field(default_factory=dict)  # the vocabulary's declared values
    parts: list[str] = field(default_factory=list)  # queries giving the events of each file
    cleanup: list[str] = field(default_factory=list)  # what to drop once they are in ``events``

    def attribute(self, name: str) -> int | None:
        """The ``i`` of the attribute's columns ``k<i>``, ``t<i>``, ``r<i>``; None when no file has it."""
        if name in self.dropped:
            raise AssertionError(f"the attribute {name!r} was left out of the events table, but a rule reads it: "
                                 "gklint.kinds.attributes_read misses it")
        return self.attributes.get(name)

    def keeps(self, name: str) -> bool:
        """Whether the attribute goes into ``events`` (else it is noted as dropped)."""
        if self.read is None or name in self.read:
            return True
        self.dropped.add(name)
        return False


def load(con: Any, job: Any, temporary: bool = True) -> Loaded:
    """Read every file of ``job`` into the table ``events``: a temporary table, or (not
    ``temporary``) one of the connection's current database."""
    from gklint.kinds import attributes_read

    loaded = Loaded(declared=job.vocab.attribute_values, read=attributes_read(job.rules))
    for number, path in enumerate(job.files):
        if not _scan(con, job, path, number, loaded):
            _read_in_python(con, job, path, number, loaded)
    base = ("file VARCHAR, line INTEGER, kind VARCHAR, date DATE, time TIME, \"case\" VARCHAR, unit VARCHAR"
            + "".join(f", k{i} VARCHAR, t{i} VARCHAR, r{i} VARCHAR" for i in loaded.attributes.values()))
    con.execute(f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE events ({base})")
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


_CHUNK = 1 << 24


def _plain(path: Path, counted: bool = True) -> int | None:
    """The number of lines of the file when every record of it is one line that ``str.split``
    cuts as ``csv`` would: no quote, no NUL byte (a binary file, which the reference reader
    refuses), line ends all LF or all CRLF (else the reference reader's line numbers are its own),
    and no \\x01 (the separator DuckDB is given when it reads whole lines); else None. DuckDB
    skips blank lines, and the reference reader numbers them: a file whose rows DuckDB reads are
    fewer than its lines after the header has one, and is left to the reference reader
    (:func:`_whole`). Spark reads a blank line as an empty row: where the rows are not
    ``counted``, a file with a blank line is not plain."""
    if path.suffix.lower() not in _DELIMITERS:
        return None
    lf = cr = crlf = 0
    last = tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if b'"' in chunk or b"\x00" in chunk or b"\x01" in chunk:
                return None
            if not counted and any(b in chunk or b in tail + chunk[:3] for b in (b"\n\n", b"\r\n\r\n")):
                return None
            tail = (tail + chunk)[-3:]  # the last 3 bytes read, however small the chunks
            lf += chunk.count(b"\n")
            crlf += last == b"\r" and chunk[:1] == b"\n"  # a CRLF across two chunks
            if b"\r" in chunk:
                cr += chunk.count(b"\r")
                crlf += chunk.count(b"\r\n")
            last = chunk[-1:]
    if not last or (cr and not crlf == lf == cr):
        return None  # an empty file; a lone CR
    return lf + (last != b"\n")


def _whole(con: Any, table: str, lines: int) -> bool:
    """Whether DuckDB read a row of ``table`` for each line of the file after the header (none
    was blank); else the table is dropped."""
    if con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == lines - 1:
        return True
    con.execute(f"DROP TABLE {table}")
    return False


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

    if job.options.timezone is not None:
        return False  # (the SQL reads times in China's zone; another zone's are read by the reference)
    lines = f"lines{number}"
    # A connection that reads a Parquet file's rows as lines (the spark engine's, so that Spark
    # reads it): its lines are a view from here on, dropped when the file is left to Python.
    source = getattr(con, "parquet_lines", None)
    parquet = path.suffix.lower() == ".parquet" and source is not None
    if parquet:
        read = source(str(path), lines)
        if read is None:
            return False
        header, delimiter = read
    elif (lines_in_file := _plain(path, counted=_own(con))) is not None:
        delimiter = _DELIMITERS[path.suffix.lower()]
        header = _header(path, delimiter)
    else:
        return False

    def leave() -> bool:
        if parquet:
            con.execute(f"DROP TABLE {lines}")
        return False

    if header is None or is_table_header(header) or not header or header == [""]:
        return leave()
    if not _event_log_as_is(header, job):
        return leave()
    loaded.headers.update(dict.fromkeys(header))
    raw = rename_attributes(RawFile(str(path), header, iter(())), job.options.columns, job.vocab)
    positions = map_header(raw, job.options.columns)  # InputError (exit 2), as the reference reader says
    from gklint.events import column_key

    standard = set(positions.values())
    attrs = [(i, column_key(str(h))) for i, h in enumerate(raw.header) if i not in standard and column_key(str(h))]
    if len({name for _, name in attrs}) != len(attrs):
        return leave()  # a repeated attribute name: the reference keeps the last non-empty cell
    if not parquet and _own(con) and _read_cells(con, str(path), number, delimiter, header, positions["date"]):
        if not _whole(con, f"cells{number}", lines_in_file):
            return False
        _check_rows(con, job, str(path), number, None, delimiter, header, positions, attrs, loaded)
        return True
    if not parquet:
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT text FROM read_csv({quote(str(path))}, "
                "columns={'text': 'VARCHAR'}, header=false, delim='\x01', quote='', escape='', skip=1, "
                "auto_detect=false, strict_mode=false, null_padding=false, allow_quoted_nulls=false, "
                "nullstr='\x02')")
        except duckdb.Error:
            return False  # not UTF-8 (the reference reader tries GB18030), or unreadable
        if _own(con) and not _whole(con, lines, lines_in_file):
            return False
    longest = con.execute(f"SELECT coalesce(max(strlen(text)), 0) FROM {lines}").fetchall()[0][0]
    if longest > MAX_CELL:
        con.execute(f"DROP TABLE {lines}")
        return False  # a cell may be over the limit: the reference reader says which row
    _check_rows(con, job, str(path), number, lines, delimiter, header, positions, attrs, loaded)
    return True


def _own(con: Any) -> bool:
    """Whether ``con`` is DuckDB's own connection (not the spark engine's, which translates the
    SQL and reads a file as its lines)."""
    return not hasattr(con, "parquet_lines")


_HASH = "hash({})"  # SQL: a hash of the cells (a test makes them all collide)


def _read_cells(con: Any, file: str, number: int, delimiter: str, header: list[str], date: int) -> bool:
    """The table ``cells<number>``: the rows of a plain file as its header's width of cells
    ``c0``, ``c1``, ..., read by DuckDB's parallel CSV reader (without splitting lines in SQL);
    with ``m`` and ``w``, the date cell read as a timestamp (:func:`moment_sql`), ``h``, a hash
    of the cells (duplicates are looked for among the rows that share one), and ``skip``, the
    rows the reference readers skip (:func:`_skipped`). A row is line ``rowid + 2`` (DuckDB
    keeps the file's order in the table it makes). False, and no table, when a row has more or
    fewer cells than the header or a line is longer than a cell may be (the reader is strict and
    raises): the lines are then split in SQL, which says which rows are wrong (GK007)."""
    import duckdb

    from gklint.events.readers import MAX_CELL

    width = len(header)
    cells = [f"c{i}" for i in range(width)]
    names = ", ".join(f"{quote(c)}: 'VARCHAR'" for c in cells)
    try:
        # quote and escape '' (a plain file has none), nullstr a newline (no cell holds one, so
        # an empty cell is '' and no cell is NULL), strict: a row of another width raises.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE cells{number} AS SELECT *, {when_sql('m')} AS w FROM (SELECT *, "
            f"{moment_sql(cells[date], cast=True)} AS m, {_HASH.format(', '.join(cells))} AS h, "
            f"{_skipped(cells[0], '[' + ', '.join(cells) + ']', delimiter, first=True)} AS skip "
            f"FROM read_csv({quote(file)}, columns={{{names}}}, header=false, skip=1, delim={quote(delimiter)}, "
            "quote='', escape='', auto_detect=false, strict_mode=true, null_padding=false, "
            f"allow_quoted_nulls=false, nullstr='\n', max_line_size={MAX_CELL}))")
    except duckdb.Error:
        return False
    return True


def _event_log_as_is(header: list[str], job: Any) -> bool:
    """Whether the reference readers read the file row for row as the SQL does: an event log's
    header in line 1 (not a case ledger or a title row, contract section 10)."""
    from gklint.events import has_event_column

    return has_event_column(header, job.options.columns)


def _skipped(text: str, cells: str, delimiter: str, first: bool = False) -> str:
    """SQL: the line ``text`` (cells ``cells``) is blank (,,,,) or a signature footer (填表人：张三),
    which the reference readers skip (``gklint.events.is_blank_or_footer``, asked only of a row
    whose first cell is empty or starts with a blank or one of the labels' first characters; the
    CASE keeps the cells of every other row from being looked at). ``first``: ``text`` is the
    row's first cell, not its line (DuckDB's SQL; an empty cell's first character is '', which
    every string contains)."""
    from gklint.events import _FOOTER

    footer = "^" + _FOOTER.pattern.replace(r"\s", SPACE_CLASS)
    labels = _SPACE + "填制审负统经联单"
    test = (f"contains({quote(labels)}, left({text}, 1))" if first
            else starts_with_any(text, delimiter + labels))
    return (f"CASE WHEN {test} THEN "
            f"len(list_filter({cells}, lambda x: NOT (regexp_full_match(x, '{SPACE_CLASS}*') "
            f"OR regexp_matches(x, {quote(footer)})))) = 0 ELSE false END")


def starts_with_any(text: str, chars: str) -> str:
    """SQL: ``text`` starts with one of ``chars`` (NULL for NULL)."""
    return f"left({text}, 1) IN ({', '.join(quote(c) for c in chars)})"


def ends_with_any(text: str, chars: str) -> str:
    return f"right({text}, 1) IN ({', '.join(quote(c) for c in chars)})"


# A timestamp as ISO 8601 and XES exports write it: 2011-10-01T00:38:44.546+02:00, seconds with
# up to nine decimals, Z or an offset +HH:MM, or none (the time is then China's already).
_STAMP = (r"\d{4}-\d{2}-\d{2}[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?"
          r"(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)?")


def moment_sql(cell: str, cast: bool = False) -> str:
    """SQL: the cell as a TIMESTAMP in China Standard Time, when it is a timestamp of the form
    :data:`_STAMP` (the date may be impossible: then NULL); else NULL (Python reads the cell).

    ``cast`` (DuckDB only): a cell with T between date and time and no lower-case z is read by a
    cast (one to TIMESTAMPTZ when it has a zone, whose instant is moved to China's time; else one
    to TIMESTAMP), not sliced (DuckDB's casts read up to nine decimals and keep six, as the
    slicing does; a quarter of the cost at 10^6 stamped cells). Spark's casts read such a text
    in the session's zone, so its SQL slices."""
    tail = f"right({cell}, 6)"  # +HH:MM when the cell ends with an offset (the form allows no other sign there)
    shift = (f"CASE WHEN right({cell}, 1) IN ('Z', 'z') THEN 480 WHEN left({tail}, 1) IN ('+', '-') THEN 480 - "
             f"(CASE WHEN left({tail}, 1) = '-' THEN -1 ELSE 1 END) * (CAST(substr({tail}, 2, 2) AS INTEGER) * 60 "
             f"+ CAST(substr({tail}, 5, 2) AS INTEGER)) ELSE 0 END")
    micro = f"CAST(rpad(left(regexp_extract({cell}, '\\.(\\d{{1,9}})', 1), 6), 6, '0') AS INTEGER)"
    local = f"try_cast(substr({cell}, 1, 10) || ' ' || substr({cell}, 12, 8) AS TIMESTAMP)"
    read = f"{local} + ({micro}) * INTERVAL '1 microsecond' + ({shift}) * INTERVAL '1 minute'"
    if cast:
        last = f"substr({cell}, -1, 1)"
        read = (f"CASE WHEN substr({cell}, 11, 1) <> 'T' OR {last} = 'z' THEN {read} "
                f"WHEN {last} = 'Z' OR substr({cell}, -6, 1) IN ('+', '-') THEN "
                f"make_timestamp(epoch_us(try_cast({cell} AS TIMESTAMPTZ)) + {8 * 3600 * 10**6}) "
                f"ELSE try_cast({cell} AS TIMESTAMP) END")
    return f"CASE WHEN strlen({cell}) > 10 AND regexp_full_match({cell}, '{_STAMP}') THEN {read} END"


def when_sql(moment: str) -> str:
    """SQL: a :func:`moment_sql` as :func:`gklint.dates.parse_when` reads the cell, a struct (d DATE,
    t TIME), when it is a moment in the calendar's years; else NULL."""
    from gklint.dates import CALENDAR_YEARS

    return (f"CASE WHEN year({moment}) BETWEEN {CALENDAR_YEARS[0]} AND {CALENDAR_YEARS[1]} THEN "
            f"struct_pack(d := CAST({moment} AS DATE), t := CAST({moment} AS TIME)) END")


def _check_rows(con: Any, job: Any, file: str, number: int, lines: str | None, delimiter: str, header: list[str],
                positions: dict[str, int], attrs: list[tuple[int, str]], loaded: Loaded) -> None:
    """The checks of ``gklint.events.rows.RowConverter`` in SQL, over the rows of one file (the
    table ``cells<number>`` of :func:`_read_cells`, or the table ``lines``, split here), and
    those of ``gklint.events.checked_values`` (declared attribute values)."""
    import pyarrow as pa

    from gklint.events import type_value, undeclared_value, value_key
    from gklint.events.rows import (
        after_as_of,
        duplicate_row,
        empty_required,
        too_wide,
        unknown_kind,
        unreadable_date,
    )

    loaded.files.append(file)
    width = len(header)
    as_of = job.options.as_of
    split = lines is not None
    cells = f"cells{number}" if split else f"rows{number}"
    blank = f"regexp_full_match(x, '{SPACE_CLASS}*')"
    sep = quote(delimiter)
    wanted = sorted({*positions.values(), *(i for i, _ in attrs)})
    if split:
        # rowid is the order rows were read in: the header is line 1, so a row is rowid + 2. A
        # short row's missing cells are empty (a list index past the end is NULL); a row's
        # duplicate key is its cells padded or cut to the header's width, joined by the
        # delimiter (no cell holds it).
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {cells} AS SELECT *, {when_sql('m')} AS w FROM (SELECT *, "
            f"{moment_sql('c' + str(positions['date']))} AS m FROM (SELECT line, n, "
            f"CASE WHEN n > {width} THEN len(list_filter(c[{width + 1}:], lambda x: NOT {blank})) > 0 "
            "ELSE false END AS wide, "
            f"CASE WHEN n = {width} THEN text ELSE array_to_string(list_resize(c, {width}, ''), {sep}) END AS row_key"
            + "".join(f", coalesce(c[{i + 1}], '') AS c{i}" for i in wanted)
            + f" FROM (SELECT rowid + 2 AS line, text, string_split(text, {sep}) AS c, len(c) AS n FROM {lines}) "
            f"WHERE NOT {_skipped('text', 'c', delimiter)}))")
        con.execute(f"DROP TABLE {lines}")
    else:  # every row has the header's width of cells: none is too wide
        con.execute(f"CREATE OR REPLACE TEMP VIEW {cells} AS SELECT rowid + 2 AS line, {width} AS n, false AS wide, "
                    f"* EXCLUDE (skip) FROM cells{number} WHERE NOT skip")
    d, e = f"c{positions['date']}", f"c{positions['event']}"

    def distinct(expr: str, where: str = "") -> list[str]:
        return [row[0] for row in con.execute(f"SELECT DISTINCT {expr} FROM {cells} WHERE NOT wide {where}").fetchall()]

    from gklint.dates import parse_when

    dates: dict[str, list[Any]] = {"raw": [], "empty": [], "bad": [], "date": [], "time": []}
    for text in distinct(d, "AND w IS NULL"):  # (the timestamps SQL has read are not asked again)
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
    kept_attrs = [(j, i, name) for j, (i, name) in enumerate(attrs) if loaded.keeps(name)]  # (the rules read them)
    if kept_attrs:
        for text in distinct(f"unnest([{', '.join(f'c{i}' for _, i, _ in kept_attrs)}])"):
            typed = type_value(text) if text.strip() else None
            for column, value in zip(values, (text, key(typed), None if typed is None else str(typed))):
                values[column].append(value)
    # An attribute with declared values (contract section 14): each distinct cell of its column
    # read as the vocabulary declares it, or bad (GK001 on the rows that hold it).
    declared = job.vocab.attribute_values
    value_tables = {}
    for j, (i, name) in enumerate(attrs):
        if name not in declared:
            continue
        mapped: dict[str, list[Any]] = {"raw": [], "k": [], "t": [], "bad": []}
        for text in distinct(f"c{i}"):
            if not text.strip():
                continue
            typed = type_value(text)
            value = declared[name].get(value_key(typed))
            shown = typed if value is None else value
            for column, v in zip(mapped, (text, key(shown), str(shown), value is None)):
                mapped[column].append(v)
        value_tables[j] = f"declared{number}_{j}"
        con.register(value_tables[j], pa.table(mapped, schema=pa.schema(
            [("raw", pa.string()), ("k", pa.string()), ("t", pa.string()), ("bad", pa.bool_())])))
    con.register(f"dates{number}", pa.table(dates, schema=pa.schema(
        [("raw", pa.string()), ("empty", pa.bool_()), ("bad", pa.bool_()), ("date", pa.date32()), ("time", pa.time64("us"))])))
    con.register(f"kinds{number}", pa.table(kinds, schema=pa.schema(
        [("raw", pa.string()), ("empty", pa.bool_()), ("kind", pa.string())])))
    con.register(f"values{number}", pa.table(values, schema=pa.schema(
        [("raw", pa.string()), ("k", pa.string()), ("t", pa.string())])))
    checked = f"checked{number}"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {checked} AS SELECT c.*, coalesce(c.w.d, dt.date) AS date, "
        "CASE WHEN c.w IS NULL THEN dt.time ELSE c.w.t END AS time, kd.kind, "
        "CASE WHEN wide THEN 'GK007' WHEN dt.empty OR kd.empty THEN 'GK003' WHEN dt.bad THEN 'GK001' "
        f"WHEN kd.kind IS NULL THEN 'GK002' WHEN coalesce(c.w.d, dt.date) > DATE '{as_of.isoformat()}' THEN 'GK006' END AS problem "
        f"FROM {cells} c LEFT JOIN dates{number} dt ON dt.raw = c.{d} LEFT JOIN kinds{number} kd ON kd.raw = c.{e}")
    # GK004: a usable row whose cells (padded or cut to the header's width) are all those of an
    # earlier usable row.
    dups = f"dups{number}"
    if split:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {dups} AS SELECT row_key, min(line) AS first FROM {checked} "
                    "WHERE problem IS NULL GROUP BY row_key HAVING count(*) > 1")
        copies = f"JOIN {dups} f ON f.row_key = c.row_key AND c.line > f.first"
        kept = f"{checked} c LEFT JOIN {dups} f ON f.row_key = c.row_key"
        usable = "problem IS NULL AND (f.first IS NULL OR c.line = f.first)"  # the rows that are events
    else:
        # The lines of the rows whose cells are those of an earlier row, looked for among the
        # rows whose hash is another's. Whether a row is usable depends on its cells alone, so
        # a row and its copies are all usable or none is.
        every = ", ".join(f"c{i}" for i in range(width))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {dups} AS SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY {every}) "
            f"AS first FROM {cells} WHERE h IN (SELECT h FROM {cells} GROUP BY h HAVING count(*) > 1)) WHERE line > first")
        copies = f"JOIN {dups} f ON f.line = c.line"
        kept = f"{checked} c LEFT JOIN {dups} f ON f.line = c.line"
        usable = "problem IS NULL AND f.line IS NULL"
    for line, problem, n, date_raw, kind_raw, date in con.execute(
            f"SELECT line, problem, n, {d}, {e}, date FROM {checked} WHERE problem IS NOT NULL UNION ALL "
            f"SELECT c.line, 'GK004', n, {d}, {e}, date FROM {checked} c {copies} WHERE problem IS NULL "
            "ORDER BY line").fetchall():
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
        # (an IN list is a join in DuckDB's plan: the blanks are looked for in a string instead)
        ends = (f"contains({quote(_SPACE)}, left({cell}, 1)) OR contains({quote(_SPACE)}, right({cell}, 1))"
                if not split else f"{starts_with_any(cell, _SPACE)} OR {ends_with_any(cell, _SPACE)}")
        return (f"nullif(CASE WHEN {ends} "
                f"THEN regexp_replace({cell}, '^{SPACE_CLASS}+|{SPACE_CLASS}+$', '', 'g') ELSE {cell} END, '')")

    case, unit = stripped(positions.get("case")), stripped(positions.get("unit"))
    if value_tables:
        bad = " UNION ALL ".join(
            f"SELECT c.line, {j} AS j, c.c{attrs[j][0]} AS raw, {case} AS \"case\", {unit} AS unit FROM {kept} "
            f"JOIN {table} v ON v.raw = c.c{attrs[j][0]} WHERE {usable} AND v.bad" for j, table in value_tables.items())
        for line, j, raw, case_, unit_ in con.execute(f"{bad} ORDER BY line, j").fetchall():
            i, name = attrs[j]
            row = Event(file, line, "", None, None, case_, unit_, {})  # type: ignore[arg-type]
            loaded.data.append(undeclared_value(job.vocab, name, header[i], type_value(raw), row))
    columns = [quote(file) + " AS file", "c.line", "kind", "date", "time", case + ' AS "case"', unit + " AS unit"]
    joins = []
    for j, i, name in kept_attrs:
        a = _attribute(loaded, name)
        columns += [f"v{j}.k AS k{a}", f"v{j}.t AS t{a}", f"c{i} AS r{a}"]
        joins.append(f"LEFT JOIN {value_tables.get(j, f'values{number}')} v{j} ON v{j}.raw = c{i}")
    loaded.parts.append(f"SELECT {', '.join(columns)} FROM {kept} {' '.join(joins)} WHERE {usable}")
    loaded.cleanup += [f"DROP VIEW {checked}", f"DROP TABLE {dups}",
                       *([f"DROP TABLE {cells}"] if split else [f"DROP VIEW {cells}", f"DROP TABLE cells{number}"]),
                       *(f"UNREGISTER {name}{number}" for name in ("dates", "kinds", "values")),
                       *(f"UNREGISTER {table}" for table in value_tables.values())]


# --- files the reference readers read -------------------------------------------------------

def _read_in_python(con: Any, job: Any, path: Path, number: int, loaded: Loaded) -> None:
    import pyarrow as pa

    from gklint.events import read_events

    options = job.options
    log = read_events([path], job.vocab, as_of=options.as_of, columns=options.columns, sheet=options.sheet,
                      progress=job.progress, ledger=options.ledger, zone=options.timezone)
    loaded.headers.update(log.headers)
    loaded.data.extend(log.findings)
    loaded.files.extend(log.files)
    loaded.tables.extend(log.tables)
    loaded.python.extend(log.events)
    loaded.python_files.update(log.files)
    names = {name: _attribute(loaded, name) for name in dict.fromkeys(n for ev in log.events for n in ev.attrs)
             if loaded.keeps(name)}
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
    from gklint.events import type_value, value_key

    yield from (ev for ev in loaded.python if ev.kind == kind)
    declared = loaded.declared
    names = list(loaded.attributes.items())
    cells = "".join(f", k{a} IS NOT NULL, r{a}" for _, a in names)
    rows = con.execute(f"SELECT file, line, date, time, \"case\", unit{cells} FROM events WHERE kind = ?", [kind])
    for row in rows.fetchall():
        if row[0] in loaded.python_files:
            continue
        attrs = {name: type_value(row[7 + 2 * j]) for j, (name, _) in enumerate(names) if row[6 + 2 * j]}
        for name in declared.keys() & attrs.keys():
            attrs[name] = declared[name].get(value_key(attrs[name]), attrs[name])
        yield Event(row[0], row[1], kind, row[2], row[3], row[4], row[5], attrs)
