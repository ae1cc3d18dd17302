"""``--engine columnar`` (also ``duckdb``): the rules as relational plans, run by DuckDB in process.

The log becomes one table (:mod:`.load`); each rule whose kind has a plan module here
(``gklint/engines/columnar/<kind>.py``) and whose features that module compiles (its
``supports``) runs as SQL over it and the calendar table (:mod:`.sql`). Any other rule runs on
the reference engine's own code over the same events (:mod:`.index`), so the report is the
reference engine's, byte for byte, whatever the rule uses. docs/design.md lists what is compiled.
"""
from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from gklint.engines import Checked, Job
from gklint.model import Encoded

if TYPE_CHECKING:
    from gklint.model import Finding

NAME = "columnar"
GIB = 1 << 30


def memory_limit(input_bytes: int, physical: int | None) -> int:
    """DuckDB's memory limit in bytes (it spills what does not fit to the temporary folder).

    One and a half times the input's size, at least 512 MiB, and at most a quarter of the
    machine's memory and 4 GiB; ``physical`` None (not known): 2 GiB at most. Reading a log
    takes a few times its size at once (its lines, their cells, the table), which spills
    beyond the limit; DuckDB allocates some 150-250 MiB beside its limit, and Python holds up
    to 100,000 findings (about 1.2 KB each; more are on disk, ``gklint.spool``): at 10^7
    events (780-970 MB of CSV) the check peaked under 1.7 GB, and at 10^8 (4.6 million
    findings) at 5.1 GiB (docs/performance.md, "Memory")."""
    cap = min(4 * GIB, physical // 4) if physical else 2 * GIB
    return max(min(input_bytes * 3 // 2, cap), min(GIB // 2, cap))


def physical_memory() -> int | None:
    """The machine's memory in bytes, or None where the system does not say."""
    import os

    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def missing() -> str | None:
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        return f"the {exc.name} package is not installed (pip install duckdb pyarrow)"
    return None


def plan_of(rule: Any, ctx: Any) -> tuple[ModuleType | None, str | None]:
    """The plan module that runs ``rule``, or (None, why the reference engine runs it)."""
    try:
        module = import_module(f"{__name__}.{rule.kind}")
    except ModuleNotFoundError:
        return None, f"no plan for {rule.kind} rules"
    from gklint.engines.columnar.sql import Unsupported

    try:
        reason = module.supports(rule.compiled(), ctx)
    except Unsupported as exc:
        reason = str(exc)
    return (None, reason) if reason else (module, None)


class Context:
    """What plans look at: the connection, what was loaded, the job, the rule's window."""

    def __init__(self, con: Any, loaded: Any, job: Job) -> None:
        self.con, self.loaded, self.job = con, loaded, job
        self.as_of = job.options.as_of
        self.calendar = job.calendar
        self.label = job.vocab.label
        self.window: tuple[Any, Any] = (None, None)
        self.first_date: Any = None
        self.tables: list[Any] = []
        self._calendar_made = False
        self._file_ranks: bool | None = None
        self._index: Any = None
        # The connection is DuckDB's own (``columnar.check``): plans may use its SQL that Spark's
        # lacks (HUGEINT row keys, findings written as JSON).
        self.duckdb = False
        # The rule being run (a ``Rule``: its id, severity and ruleset), and the language its plan
        # writes its findings in, already encoded (gklint.model.Encoded), or None for Problems.
        self.rule: Any = None
        self.encode: str | None = None

    @property
    def index(self) -> Any:
        """The reference engine's view of the table (:class:`.index.TableIndex`), made once."""
        if self._index is None:
            from gklint.engines.columnar.index import TableIndex

            self._index = TableIndex(self.con, self.loaded, self.first_date)
        return self._index

    def eval_context(self) -> Any:
        """The ``EvalContext`` a kind module gets for the current rule, over :attr:`index`."""
        from gklint.kinds.base import EvalContext

        return EvalContext(calendar=self.calendar, as_of=self.as_of, index=self.index, window_from=self.window[0],
                           window_until=self.window[1], label=self.label, units=self.job.options.units,
                           tables=self.tables)

    def calendar_table(self) -> None:
        """The calendar table, made once, over the log's dates and a margin for due dates."""
        if self._calendar_made:
            return
        from gklint.engines.columnar.sql import make_calendar

        first, last = self.con.execute("SELECT min(date), max(date) FROM events").fetchall()[0]
        first = first or self.as_of
        last = max(last or self.as_of, self.as_of)
        import datetime as dt

        make_calendar(self.con, self.calendar, first, dt.date(last.year + 10, 12, 31))
        self._calendar_made = True

    def file_ranks(self) -> bool:
        """The table ``file_ranks(file, f)``: each file name of the events and its place in the
        names' order (from 1), made once, for the row keys of ``sql.row_key``; False (no table)
        when there are more files than a key can tell apart."""
        if self._file_ranks is None:
            from gklint.engines.columnar.sql import FILE_RANKS

            self.con.execute("CREATE OR REPLACE TEMP TABLE file_ranks AS SELECT file, "
                             "CAST(row_number() OVER (ORDER BY file) AS INTEGER) AS f FROM (SELECT DISTINCT file FROM events)")
            (count,) = self.con.execute("SELECT count(*) FROM file_ranks").fetchall()[0]
            self._file_ranks = count < FILE_RANKS
        return self._file_ranks


def check(job: Job) -> Checked:
    import tempfile

    import duckdb

    from gklint.engines.columnar.load import load

    size = sum(f.stat().st_size for f in job.files)
    limit = memory_limit(size, physical_memory())
    # (DuckDB's own progress bar, drawn on stderr for a statement that runs over 2 s, is off:
    # --progress draws gklint's, and a report's stderr is for gklint's messages.)
    con = duckdb.connect(config={"memory_limit": f"{limit // (1 << 20)}MiB", "temp_directory": tempfile.gettempdir()})
    con.execute("SET enable_progress_bar = false")
    if size * TABLE_PER_BYTE > COMPRESS_ABOVE * limit:  # (a large log: loaded where it is compressed)
        _attach_compressed(con)
        loaded = load(con, job, temporary=False)
        con.execute("CHECKPOINT log")
    else:
        loaded = load(con, job)
        compress(con, limit)
    return run(job, con, loaded, duckdb=True)


# The share of DuckDB's memory limit the loaded events table may take before it is compressed.
COMPRESS_ABOVE = 0.5
# The bytes of the loaded events table per byte of input, about (the generator's logs at 10^7
# events: 1.4 GiB from 780-970 MB of CSV). A log expected to cross COMPRESS_ABOVE is loaded
# straight into the compressed database rather than copied there once loaded.
TABLE_PER_BYTE = 1.5


def _attach_compressed(con: Any) -> None:
    """An in-memory database DuckDB compresses when it is checkpointed, made the current one
    (``events`` is created in it; the plans' temporary tables stay temporary)."""
    con.execute("ATTACH ':memory:' AS log (COMPRESS)")
    con.execute("USE log")


def compress(con: Any, limit: int) -> bool:
    """Move the ``events`` table into an in-memory database that DuckDB compresses (dictionary,
    FSST, bit-packing, constants such as every row's file name) when the table takes more than
    ``COMPRESS_ABOVE`` of DuckDB's memory ``limit``: at 10^7 events it takes 1.4 GiB as loaded
    and about 120 MiB compressed, and left as it is it filled DuckDB's buffer pool beside the
    findings (docs/performance.md, "Memory"). Compressing costs about 1 s of CPU per 10^6 events,
    which a table that fits leaves unspent. DuckDB compresses a table of an in-memory database
    only when that database is attached with COMPRESS and checkpointed; a temporary table never.
    Whether it was moved."""
    (size,) = con.execute("SELECT coalesce(sum(memory_usage_bytes + temporary_storage_bytes), 0) "
                          "FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'").fetchall()[0]
    if size <= COMPRESS_ABOVE * limit:
        return False
    _attach_compressed(con)
    con.execute("CREATE TABLE log.events AS SELECT * FROM temp.events")
    con.execute("DROP TABLE temp.events")
    con.execute("CHECKPOINT log")
    return True


def run(job: Job, con: Any, loaded: Any, duckdb: bool = False) -> Checked:
    """The rules of ``job`` over the ``events`` table of ``con``: DuckDB's connection here, the
    spark engine's (:mod:`gklint.engines.spark`) there, which runs the same SQL on Spark.

    ``duckdb``: ``con`` is DuckDB's own, whose SQL the plans may use (``Context.duckdb``), and
    they may write their findings as JSON (``job.options.encoded``); a rule whose findings may
    get a case hint (``engine.hinted``) only when no response answers no trigger, since a hint
    rewrites the message. (A file name is written in a report as it is, ``display.shown``: a
    name it would write otherwise, not UTF-8, never reaches a columnar engine,
    ``engines.not_utf8``.)"""
    from gklint.engine import coverage_findings, hinted, rule_window, table_format_findings
    from gklint.engines import python
    from gklint.engines.columnar.sql import reading
    from gklint.filters import unmatched_filters

    tables = loaded.tables
    if job.options.report_year is not None:
        from dataclasses import replace

        tables = [replace(t, year=job.options.report_year) for t in tables]
    events, first_date, last_date = con.execute("SELECT count(*), min(date), max(date) FROM events").fetchall()[0]
    # GK010: each uncovered year's first row (by file and line) among the events dated in it,
    # looked for only when a year from the first date to the last is not covered (most logs
    # have none, and finding the first rows orders the whole table).
    first_by_year = {}
    if first_date is not None and not all(job.calendar.covers(y) for y in range(first_date.year, last_date.year + 1)):
        for year, file, line in con.execute(
                "SELECT y, f, l FROM (SELECT year(date) AS y, file AS f, line AS l, row_number() OVER "
                "(PARTITION BY year(date) ORDER BY file, line) AS n FROM events) WHERE n = 1").fetchall():
            if not job.calendar.covers(year):
                first_by_year[year] = (file, line)
    data = loaded.data + coverage_findings(first_by_year, first_date, job.calendar, job.options.as_of)
    data += unmatched_filters(job.rules, table_carries(con, loaded), loaded.headers, job.vocab.attributes)
    data += table_format_findings(job.rules, tables)  # which format checks each table (GK015/GK016)
    # Rows of a case ledger carry their column, and case values that fold (依申[2019]22号 is
    # 依申〔2019〕22号) match folded: the plans know neither, so the reference code runs the rules.
    folding = _folding_cases(con)
    reference_only = folding or any(ev.column is not None for ev in loaded.python)
    ctx = Context(con, loaded, job)
    ctx.duckdb = duckdb
    ctx.first_date, ctx.tables = first_date, tables
    found_orphans: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    lang = job.options.encoded if duckdb else None

    def orphans_of(trigger: str, response: str) -> list[tuple[str, str, int]]:
        if (trigger, response) not in found_orphans:
            if reading(con):  # (the query would end the plan's result, whose later rows would be lost)
                raise AssertionError(f"the orphans of {trigger} and {response} were asked while a plan's rows "
                                     "were being read: gklint.engine.hinted and the plan disagree")
            found_orphans[trigger, response] = list(orphans(con, folding, trigger, response))
        return found_orphans[trigger, response]

    def found() -> Iterator[Finding]:
        """The rules' findings, rule by rule, made as ``gklint.engine`` reads them: a large log's
        findings go straight into the report's spool, not through one of the engine's first.
        A plan's rows are read from the connection while its findings are: the orphans its case
        hints may ask for are found before it runs (``engine.hinted``); a rule the reference code
        runs gives its findings as a list, so the connection is free while they are read."""
        for number, rule in enumerate(job.rules, 1):
            job.progress.show(f"gklint: checking {rule.id} ({number}/{len(job.rules)})")
            ctx.window = rule_window(rule)
            module, _ = (None, None) if reference_only else plan_of(rule, ctx)
            if module is None:
                yield from python.evaluate(job, ctx.index, tables, [rule])
                continue
            ctx.rule, ctx.encode = rule, lang
            if (pair := hinted(rule)) is not None and orphans_of(*pair):
                ctx.encode = None
            yield from (p if type(p) is Encoded else python.stamp(rule, p) for p in module.evaluate(rule.compiled(), ctx))

    stream = found()
    # (close: a check stopped before its findings were all read ends the rule it was in, whose
    # plan drops its tables, while the connection is still open)
    return Checked(data=data, found=stream, files=loaded.files, events=events, keep=con, orphans_of=orphans_of,
                   close=stream.close)


def orphans(con: Any, folding: bool, trigger: str, response: str) -> Any:
    """``gklint.engine.orphans`` over the events table. When no case value folds (``folding``
    false: each is its own folded form), an anti-join in SQL: the rows come to Python, not every
    trigger's and response's case (at 10^7 events, millions of strings for a few orphans)."""
    from gklint import engine
    from gklint.engines.columnar.sql import rows

    if folding:
        return engine.orphans(lambda kind: rows(con, 'SELECT "case", file, line FROM events WHERE kind = ?', [kind]),
                              trigger, response)
    return rows(con, 'SELECT "case", file, line FROM events r WHERE kind = ? AND "case" IS NOT NULL AND "case" <> \'\' '
                'AND NOT EXISTS (SELECT 1 FROM events t WHERE t.kind = ? AND t."case" = r."case")', [response, trigger])


# Characters fold_case leaves as they are, whatever surrounds them: printable ASCII but blanks and
# the brackets ()[], CJK unified ideographs (NFKC maps none of them, and none composes with what
# follows it) and 〔〕. A case value made of these alone is its own folded form.
_UNFOLDED = r"[!-\x{27}*-Z\x{5c}^-~\x{4e00}-\x{9fff}〔〕]*"  # (RE2, inside a SQL string)


def _folding_cases(con: Any) -> bool:
    """Whether some case value is written with brackets, blanks or full-width forms that
    :func:`gklint.events.fold_case` folds (asked of the values made of other characters)."""
    from gklint.events import fold_case

    return any(fold_case(c) != c for (c,) in con.execute(
        'SELECT DISTINCT "case" FROM events WHERE "case" IS NOT NULL AND "case" <> \'\' '
        f"AND NOT regexp_full_match(\"case\", '{_UNFOLDED}')").fetchall())


def table_carries(con: Any, loaded: Any) -> Any:
    """``carries(kind, attribute, start, end)`` of :mod:`gklint.filters` over the events table."""
    def carries(kind: str, name: str, start: Any, end: Any) -> bool | None:
        where, params = ["kind = ?"], [kind]
        if start is not None:
            where.append("date >= ?")
            params.append(start)
        if end is not None:
            where.append("date <= ?")
            params.append(end)
        condition = " AND ".join(where)
        if not con.execute(f"SELECT count(*) FROM events WHERE {condition}", params).fetchall()[0][0]:
            return None
        if name in ("event", "date"):
            return True
        if name in ("case", "unit"):
            value = '"case"' if name == "case" else "unit"
            has = f"{value} IS NOT NULL AND {value} <> ''"
        elif (a := loaded.attribute(name)) is not None:
            has = f"k{a} IS NOT NULL"
        else:
            return False
        return bool(con.execute(f"SELECT count(*) FROM events WHERE {condition} AND {has}", params).fetchall()[0][0])

    return carries
