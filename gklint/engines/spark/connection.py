"""A DuckDB-like connection over a Spark session: the columnar engine's SQL, run by Spark.

The columnar engine's plans (:mod:`gklint.engines.columnar`) are written in DuckDB's SQL and call
``con.execute(sql, params).fetchall()``, ``con.register(name, arrow_table)`` and
``con.unregister(name)``. :class:`Connection` answers the same calls: each statement is parsed as
DuckDB SQL by sqlglot, rewritten where DuckDB has a function Spark lacks (:func:`_portable`),
written as Spark SQL and run by ``spark.sql``. So every rule kind has one definition, in the
columnar engine, and this module only translates.

DuckDB's tables become Spark temporary views: ``CREATE TEMP TABLE x AS q`` is ``q`` computed once
(checkpointed in the executors, so a query plan does not grow with each step), a table built by
``INSERT INTO x BY NAME q`` is the union of its parts, the calendar is broadcast to every
executor, and ``read_csv(path, ...)`` is the file's lines read by Spark, numbered as in the file.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

_names = itertools.count()


def _unreadable() -> type[Exception]:
    import duckdb

    class UnreadableText(duckdb.Error):
        """A file Spark cannot read as UTF-8 text: the load leaves it to the reference readers
        (as it does a file DuckDB cannot read), which try GB18030."""

    return UnreadableText


def dialect() -> Any:
    """Spark SQL as sqlglot writes it, with Spark 4's TIME type (sqlglot's Spark has none and
    would write TIMESTAMP: a time of day must compare as a time of day)."""
    from sqlglot import exp
    from sqlglot.dialects.spark import Spark

    class GklintSpark(Spark):
        class Generator(Spark.Generator):
            TYPE_MAPPING = {**Spark.Generator.TYPE_MAPPING, exp.DataType.Type.TIME: "TIME"}

    return GklintSpark


def _literal(value: Any) -> Any:
    from sqlglot import exp

    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, dt.date):
        return exp.Cast(this=exp.Literal.string(value.isoformat()), to=exp.DataType.build("DATE"))
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def _call(name: str, *args: Any) -> Any:
    from sqlglot import exp

    return exp.Anonymous(this=name, expressions=list(args))


def _portable(tree: Any) -> Any:
    """Rewrite the DuckDB functions the columnar SQL uses that sqlglot does not translate to
    Spark, into Spark functions of the same meaning."""
    from sqlglot import exp

    def rewrite(node: Any) -> Any:
        if isinstance(node, exp.Anonymous):
            name = node.name.lower()
            args = node.expressions
            if name == "strlen":  # bytes, as DuckDB counts them
                return _call("OCTET_LENGTH", *args)
            if name == "list_resize":  # pad with the fill value or cut, to the length
                items, length, fill = args
                size = exp.ArraySize(this=items.copy())
                return exp.Case(ifs=[exp.If(this=exp.GTE(this=size, expression=length.copy()),
                                             true=_call("SLICE", items.copy(), exp.Literal.number(1), length.copy()))],
                                default=exp.ArrayConcat(this=items.copy(), expressions=[
                                    _call("ARRAY_REPEAT", fill.copy(), exp.Sub(this=length.copy(), expression=size))]))
        if isinstance(node, exp.RegexpFullMatch) or (isinstance(node, exp.Anonymous)
                                                      and node.name.lower() == "regexp_full_match"):
            # Java's \z: the very end (its $ may stop before a line end)
            text, pattern = (node.this, node.expression) if isinstance(node, exp.RegexpFullMatch) else node.expressions
            return exp.RegexpLike(this=text.copy(), expression=exp.Literal.string(f"^(?:{pattern.name})\\z"))
        if isinstance(node, exp.Length) and isinstance(node.this, (exp.Column, exp.ArrayFilter, exp.Bracket)):
            # DuckDB's len() of a list (the load's split cells) is Spark's size()
            if not isinstance(node.this, exp.Column) or node.this.name == "c":
                return exp.ArraySize(this=node.this)
        if isinstance(node, exp.Bracket) and len(node.expressions) == 1 and isinstance(node.expressions[0], exp.Slice):
            # DuckDB's list[i:] (from 1) is Spark's slice(list, i, ...)
            start = node.expressions[0].this
            return _call("SLICE", node.this, start, exp.Literal.number(1 << 30))
        return node

    while True:  # to a fixed point: a rewritten node's arguments may need rewriting too
        before = tree.sql()
        tree = tree.transform(rewrite)
        if tree.sql() == before:
            return tree


class Result:
    """A query's rows, made into tuples as they are fetched (``fetchmany``, as ``sql.rows`` reads
    them): a rule's findings at 10^8 events are millions of rows, which as one list of tuples took
    gigabytes of the driver's memory beside the query's result."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows = iter(rows)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self.rows)

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        return list(itertools.islice(self.rows, size))


def _plain(value: Any) -> Any:
    """A Spark value as DuckDB's Python client gives it (a Row is a tuple; lists stay lists)."""
    from pyspark.sql import Row

    if isinstance(value, Row):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _arrow_plain(kind: Any) -> bool:
    """Whether Arrow brings a column of this Spark type to Python as ``collect`` does: text,
    integers, booleans, doubles, dates, times of day, NULLs and lists of these (a struct would
    come as a dict, a timestamp with the session's zone)."""
    from pyspark.sql import types as t

    if isinstance(kind, t.ArrayType):
        return _arrow_plain(kind.elementType)
    return isinstance(kind, (t.StringType, t.IntegerType, t.LongType, t.ShortType, t.ByteType, t.BooleanType,
                             t.DoubleType, t.DateType, t.TimeType, t.NullType))


def fetch(frame: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a query, as DuckDB's Python client gives them: through Arrow when every
    column's type comes through it unchanged (a column at a time, without a Python object per
    row on the way), else by ``collect``. The query runs now; its rows become tuples as they are
    read, 10,000 at a time from the Arrow table (which holds them in far less memory)."""
    if all(_arrow_plain(field.dataType) for field in frame.schema.fields):
        table = frame.toArrow()
        return (row for batch in table.to_batches(max_chunksize=10_000)
                for row in zip(*(column.to_pylist() for column in batch.columns)))
    collected = frame.collect()
    return (tuple(_plain(v) for v in row) for row in collected)


def release(frames: list[Any]) -> None:
    """Free the blocks of checkpointed DataFrames (``localCheckpoint``): Spark keeps them until
    their RDD is unpersisted, which no DataFrame method does for a checkpoint."""
    for frame in frames:
        plan = frame._jdf.queryExecution().logical()
        if plan.getClass().getSimpleName() == "LogicalRDD":
            plan.rdd().unpersist(False)


class Connection:
    """What the columnar engine asks of a DuckDB connection, done by ``spark``."""

    def __init__(self, spark: Any, broadcast: tuple[str, ...] = ("calendar",)) -> None:
        self.spark = spark
        self.broadcast = broadcast
        self.dialect = dialect()
        self.built: dict[str, tuple[list[tuple[str, str]], list[Any]]] = {}  # CREATE TABLE x (cols) + INSERTs
        # The computed frames (checkpoints) each table holds, released when it is dropped or
        # replaced: Spark keeps a checkpoint's blocks until told, and a log's tables add up.
        self.kept: dict[str, list[Any]] = {}
        self.fresh: list[Any] = []  # the files' lines read (checkpointed) by the statement being run
        self.views: set[str] = set()  # the temporary views made in the session, dropped by close()
        # Spark's constraint propagation fails on a union of checkpoints of constant columns (each
        # file's events are one, their ``file`` a constant: "key not found" in Union's
        # rewriteConstraints, Spark 4.3); it only adds filters that the plans' joins imply.
        spark.conf.set("spark.sql.constraintPropagation.enabled", "false")

    # --- DuckDB's connection API -------------------------------------------------------------

    def execute(self, sql: str, params: list[Any] | None = None) -> Result:
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(sql, read="duckdb")
        if params:
            values = iter(params)
            tree = tree.transform(lambda n: _literal(next(values)) if isinstance(n, exp.Placeholder) else n)
        if isinstance(tree, exp.Create):
            self._create(tree)
            return Result([])
        if isinstance(tree, exp.Insert):
            self._insert(tree)
            return Result([])
        if isinstance(tree, exp.Drop):
            for table in tree.args.get("tables") or [tree.this]:
                self.drop(table.name)
            return Result([])
        return Result(fetch(self.sql(tree)))

    def register(self, name: str, table: Any) -> None:
        self._view(name, self.frame(table))

    def unregister(self, name: str) -> None:
        self.drop(name)

    # --- Spark -------------------------------------------------------------------------------

    def sql(self, tree: Any) -> Any:
        """The DataFrame of a DuckDB query (a sqlglot tree)."""
        tree = self._read_csv(tree)
        return self.spark.sql(_portable(tree).sql(dialect=self.dialect))

    def frame(self, table: Any) -> Any:
        """A Spark DataFrame of an Arrow table made on the driver (a lookup of distinct cells,
        the events the reference readers read, the calendar)."""
        return self.spark.createDataFrame(table)

    def drop(self, name: str) -> None:
        self.built.pop(name, None)
        release(self.kept.pop(name, []))
        self.views.discard(name)
        self.spark.catalog.dropTempView(name)

    def close(self) -> None:
        """Leave the session as this connection found it: every table's computed frames released
        and every temporary view it made dropped. A session outlives a check (a notebook, a
        service or a test run checking log after log); what a check left stayed in the
        executors' memory until the session ran out of it ("Not enough memory to build and
        broadcast the table", after some hundred checks of small logs in a 4 GiB session)."""
        for name in list(self.kept):
            release(self.kept.pop(name))
        release(self.fresh)
        self.fresh = []
        for name in sorted(self.views):
            self.spark.catalog.dropTempView(name)
        self.views.clear()
        self.built.clear()

    def materialize(self, name: str) -> Any:
        """Compute the table ``name`` once, for the queries to come. A table built by INSERTs is
        its parts, each computed when inserted: one part is the table; more are computed once
        more as one (a union of many parts is a plan of many scans)."""
        frame = self.spark.table(name)
        columns, parts = self.built.get(name, ([], []))
        if name in self.built and len(parts) <= 1:
            return frame
        frame = frame.localCheckpoint()
        self._keep(name, [frame])
        self._view(name, frame)
        if name in self.built:
            self.built[name] = (columns, [frame])
        return frame

    def _keep(self, name: str, frames: list[Any]) -> None:
        """``name`` holds ``frames`` from now on; what it held before is released."""
        release(self.kept.pop(name, []))
        self.kept[name] = frames

    def _view(self, name: str, frame: Any) -> None:
        if name in self.broadcast:
            from pyspark.sql.functions import broadcast

            frame = broadcast(frame)
        frame.createOrReplaceTempView(name)
        self.views.add(name)

    def _create(self, tree: Any) -> None:
        from sqlglot import exp

        name = tree.this.this.name if isinstance(tree.this, exp.Schema) else tree.this.name
        query = tree.expression
        if query is None:  # CREATE TABLE x (column type, ...): filled by INSERT ... BY NAME
            columns = [(c.name, c.args["kind"].sql(dialect=self.dialect)) for c in tree.this.expressions]
            self.built[name] = (columns, [])
            self._keep(name, [])
            self._view(name, self.spark.createDataFrame([], ", ".join(f"`{c}` {t}" for c, t in columns)))
            return
        self.fresh = []
        frame = self.sql(query)
        if tree.args.get("kind", "").upper() == "TABLE":
            if self.fresh:
                # a file's lines, read and numbered: they were computed once when read (lines()),
                # and are the table's until it is dropped
                kept = self.fresh
            else:
                # computed now, and later plans start from it (left as views, the deadline
                # plans' steps nest into one plan that Spark's optimizer takes minutes over)
                frame = frame.localCheckpoint()
                kept = [frame]
            self._keep(name, kept)
        else:
            self._keep(name, [])  # (a view: computed by each query that reads it)
        self.fresh = []
        self._view(name, frame)

    def _insert(self, tree: Any) -> None:
        from pyspark.sql.functions import col, lit

        name = tree.this.name
        columns, parts = self.built[name]
        frame = self.sql(tree.expression)
        have = set(frame.columns)
        # The rows are computed when inserted, as DuckDB inserts them: the tables the query reads
        # may be dropped next (the load drops each file's tables once its events are in).
        part = frame.select(*[(col(f"`{c}`") if c in have else lit(None)).cast(t).alias(c)
                              for c, t in columns]).localCheckpoint()
        parts.append(part)
        self.kept.setdefault(name, []).append(part)
        union = parts[0]
        for other in parts[1:]:
            union = union.unionAll(other)
        self._view(name, union)

    def _read_csv(self, tree: Any) -> Any:
        """``read_csv(path, ...)`` as the load uses it (one column ``text``, the header skipped) is
        a view of the file's lines with DuckDB's ``rowid``: the line's number in the file less two."""
        from sqlglot import exp

        def rewrite(node: Any) -> Any:
            if isinstance(node, exp.ReadCSV) or (isinstance(node, exp.Anonymous) and node.name.lower() == "read_csv"):
                path = node.this.name if isinstance(node, exp.ReadCSV) else node.expressions[0].name
                name = f"gklint_lines_{next(_names)}"
                self._view(name, self.lines(path))
                return exp.to_table(name)
            return node

        tree = tree.transform(rewrite)
        for select in tree.find_all(exp.Select):
            source = select.args.get("from_") or select.args.get("from")
            table = source.this if source is not None else None
            if isinstance(table, exp.Table) and table.name.startswith("gklint_lines_"):
                select.select("rowid", copy=False)  # DuckDB's implicit row id, kept in the table made
        return tree

    def parquet_lines(self, path: str, name: str) -> tuple[list[str], str] | None:
        """A Parquet file read by Spark as the view ``name`` of (rowid, text), as ``read_csv``'s
        lines are: ``rowid`` is the row's place in the file from 0 (Spark's
        ``_metadata.row_index``), ``text`` its cells as the reference reader writes them
        (``gklint.events.readers.parquet_cell``) joined by the returned delimiter; with the
        header (the column names). None leaves the file to the reference reader: a column of a
        type whose text Spark would write otherwise (floats, decimals, bytes, times of day,
        nested values, timestamps in nanoseconds or in a zone other than UTC), or a cell that
        holds the delimiter."""
        import os
        import re

        import pyarrow as pa
        import pyarrow.parquet as pq
        from pyspark.errors import PySparkException
        from pyspark.sql import functions as f

        try:
            arrow = pq.read_schema(path)  # the footer only: the types as the reference reader sees them
        except Exception:  # noqa: BLE001 - not Parquet: the reference reader says so
            return None
        cells = []
        for i, field in enumerate(arrow):
            kind = field.type
            if pa.types.is_string(kind) or pa.types.is_large_string(kind):
                text = "c"
            elif pa.types.is_boolean(kind) or pa.types.is_signed_integer(kind) or pa.types.is_date32(kind):
                text = "cast"
            elif pa.types.is_timestamp(kind) and kind.unit != "ns" and kind.tz in (None, "UTC", "+00:00", "Etc/UTC"):
                text = "utc" if kind.tz else "naive"
            else:
                return None
            cells.append(text)
        location = "file://" + re.sub(r"([*?\[\]{}\\])", r"\\\1", os.path.abspath(path))
        try:
            frame = self.spark.read.parquet(location)
        except PySparkException:
            return None
        if len(frame.columns) != len(arrow.names):
            return None
        exprs = []
        for (column, how) in zip(frame.columns, cells):
            c = frame[column]
            if how == "c":
                e = c
            elif how == "cast":
                e = c.cast("string")
            else:
                whole = f.date_format(c, "yyyy-MM-dd'T'HH:mm:ss")
                e = f.when(f.date_format(c, "SSSSSS") == "000000", whole).otherwise(
                    f.concat(whole, f.lit("."), f.date_format(c, "SSSSSS")))
                if how == "utc":
                    e = f.concat(e, f.lit("+00:00"))
            exprs.append(f.coalesce(e, f.lit("")))
        sep = "\x1f"
        lines = frame.select(f.col("_metadata.row_index").alias("rowid"), f.concat_ws(sep, *exprs).alias("text"))
        if lines.where(f.size(f.split(f.col("text"), sep, -1)) != len(exprs)).limit(1).count():
            return None
        self._view(name, lines)
        return list(arrow.names), sep

    def lines(self, path: str) -> Any:
        """The lines of a text file after the first, as (rowid from 0, text), in file order.

        Spark reads a large file in splits, one partition each; a row's number in the file is
        the rows of the splits before its own plus its place in its split
        (``monotonically_increasing_id`` is the partition id << 33 plus that place). UTF-8
        only: a file Spark decodes with replacement characters is left to the reference readers
        (they try GB18030).
        """
        import os
        import re

        from pyspark.errors import PySparkException

        # The JVM's working folder is where it started, not the process's now; Hadoop reads
        # * ? [ ] { } \ in a path as a glob, so they are escaped.
        location = "file://" + re.sub(r"([*?\[\]{}\\])", r"\\\1", os.path.abspath(path))
        try:
            return self._lines(location)
        except PySparkException as exc:  # a path Hadoop cannot take: the reference readers read it
            raise _unreadable()(f"{path}: {exc}") from None

    def _lines(self, location: str) -> Any:
        from pyspark.sql import functions as f

        raw = self.spark.read.text(location).select(
            "value", f.spark_partition_id().alias("part"), f.monotonically_increasing_id().alias("id"),
            f.col("_metadata.file_block_start").alias("start"))
        raw = raw.localCheckpoint()  # one read; partition ids and ids fixed from here on
        splits = raw.groupBy("part").agg(f.min("start").alias("start"), f.count(f.lit(1)).alias("n"),
                                         f.max(f.col("value").contains("\ufffd").cast("int")).alias("bad")).collect()
        if any(row["bad"] for row in splits):
            release([raw])
            raise _unreadable()(location)
        self.fresh.append(raw)  # the table made of these lines holds them (_create)
        offsets, before = [], 0
        for row in sorted(splits, key=lambda r: r["start"]):
            offsets.append((row["part"], before))
            before += row["n"]
        table = self.spark.createDataFrame(offsets or [(0, 0)], "part INT, offset BIGINT")
        numbered = raw.join(f.broadcast(table), "part").select(
            (f.col("offset") + f.col("id") - f.shiftleft(f.col("part").cast("bigint"), 33) - 1).alias("rowid"),
            f.col("value").alias("text"))
        return numbered.where(f.col("rowid") >= 0)
