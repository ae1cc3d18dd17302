"""The spark engine (contract section 12): a missing pyspark or Java is exit 2 saying how to install
them; logs read by Spark (a CSV file, a folder of part files as Spark writes them) give the
reference engine's report byte for byte. One Spark session (local mode) for the module; the tests
that need it skip where pyspark or Java is missing."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, json_report, stderr_of

from gklint.engine import CheckOptions, run_check
from gklint.ruleset import load_rulesets

pytestmark = pytest.mark.spark

RULES = """\
    - id: R-REPLY
      title: {zh: 答复, en: Reply}
      deadline: {after: received, expect: answered, within: 5 working days}
    - id: R-REVIEW
      title: {zh: 先审后发, en: Review first}
      precedence: {event: published, requires: review, match: [case]}
    """
LOG = ("date,event,case,unit\n2021-06-01,收到,A,办公室\n2021-06-15,答复,A,办公室\n2021-06-02,收到,B,二处\n"
       "2021-13-01,收到,C,\n2021-06-03,收到,,\n2021-03-01,信息发布,X,\n2021-03-05,保密审查,X,\n"
       "2021-06-02,收到,B,二处\n2021-06-04,收到,D,办公室,extra\n")


def test_no_pyspark_is_exit_2_saying_how_to_install_it(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # unimportable, as if not installed
    ws.log(LOG)
    ws.ruleset(RULES)
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--engine", "spark", "--as-of", "2021-12-31")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "pyspark" in err and "pip install 'gklint[spark]'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("how", ["JAVA_HOME", "PATH"])
def test_no_java_is_exit_2_saying_how_to_install_it(ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path, how: str) -> None:
    from importlib.util import find_spec

    if find_spec("pyspark") is None or find_spec("sqlglot") is None:
        pytest.skip("pyspark is not installed (its absence is said first)")
    if how == "JAVA_HOME":
        monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    else:
        monkeypatch.delenv("JAVA_HOME", raising=False)
        monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without java
    ws.log(LOG)
    ws.ruleset(RULES)
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--engine", "spark", "--as-of", "2021-12-31")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "Java" in err and "apt-get install openjdk-17-jre-headless" in err
    assert ("holds no bin/java" in err) == (how == "JAVA_HOME")
    assert "Traceback" not in err


def reports(paths: list[Path], ruleset: Path, as_of: str = "2021-12-31") -> tuple[str, str]:
    out = []
    for engine in ("python", "spark"):
        result = run_check([str(p) for p in paths], load_rulesets([str(ruleset)]),
                           CheckOptions(as_of=dt.date.fromisoformat(as_of), engine=engine, show_pending=True))
        out.append(json_report(result))
    return out[0], out[1]


def test_a_csv_log_gives_the_reference_report(ws: Workspace, spark_session: Any) -> None:
    log = ws.log(LOG)
    reference, spark = reports([log], ws.ruleset(RULES))
    assert spark == reference
    assert reference.count('"rule"') >= 5


def test_a_folder_of_part_files_as_spark_writes_it(ws: Workspace, spark_session: Any) -> None:
    """``df.write.csv(DIR, header=True)``: part-*.csv files, each with its header, _SUCCESS and
    hidden .crc files beside them."""
    rows = [line.split(",")[:4] for line in LOG.splitlines()[1:]]
    frame = spark_session.createDataFrame(rows, "date STRING, event STRING, case STRING, unit STRING")
    folder = ws.root / "lake" / "events"
    frame.repartition(3).write.csv(str(folder), header=True)
    parts = sorted(folder.glob("part-*.csv"))
    assert len(parts) >= 2 and (folder / "_SUCCESS").exists()
    reference, spark = reports([folder], ws.ruleset(RULES))
    assert spark == reference
    assert all(str(p) in reference for p in parts if p.stat().st_size > 40)


def test_cli_with_spark_master(ws: Workspace, spark_session: Any) -> None:
    ws.log(LOG)
    ws.ruleset(RULES)
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2021-12-31", "--format", "json")
    reference = ws.cli(*args, "--engine", "python")
    spark = ws.cli(*args, "--engine", "spark", "--spark-master", "local[2]")
    assert (spark.exit_code, spark.stdout) == (reference.exit_code, reference.stdout)
    assert reference.exit_code == 1


def gklint_process(ws: Workspace, *args: str) -> Any:
    """``python ARGS`` (``-m gklint ...``, a script) as a process of its own (its own JVM), in the
    workspace, importing the gklint these tests imported."""
    import os
    import subprocess

    import gklint

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(gklint.__file__).parents[1]),
                                                        *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, *args], cwd=ws.root, capture_output=True, text=True, timeout=300, env=env)


def test_a_user_sees_only_gklints_messages(ws: Workspace, spark_session: Any, tmp_path: Path) -> None:
    """The JVM's console (log4j's start-up lines, Java's and Hadoop's warnings) is not on stderr,
    and no log file is left behind."""
    ws.log(LOG)
    ws.ruleset(RULES)
    before = set(Path(tmp_path).glob("gklint-spark-*"))
    import os

    env_tmp = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp_path)
    try:
        done = gklint_process(ws, "-m", "gklint", "check", "events.csv", "-r", "rs.yaml", "--engine", "spark",
                              "--spark-master", "local[1]", "--as-of", "2021-12-31", "--format", "json")
    finally:
        if env_tmp is None:
            os.environ.pop("TMPDIR")
        else:
            os.environ["TMPDIR"] = env_tmp
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert '"rule": "R-REPLY"' in done.stdout
    assert set(Path(tmp_path).glob("gklint-spark-*")) == before


def test_a_master_spark_refuses_is_exit_2_with_its_reason(ws: Workspace, spark_session: Any) -> None:
    ws.log(LOG)
    ws.ruleset(RULES)
    done = gklint_process(ws, "-m", "gklint", "check", "events.csv", "-r", "rs.yaml", "--engine", "spark",
                          "--spark-master", "nowhere://x", "--as-of", "2021-12-31")
    assert done.returncode == 2
    assert "cannot start a Spark session on nowhere://x: Master must" in done.stderr
    assert "Traceback" not in done.stderr
    log = done.stderr.split("the JVM's output is in ")[1].split(")")[0]
    assert "SparkException" in Path(log).read_text(encoding="utf-8")
    Path(log).unlink()


PARQUET_ROWS = [  # (date, event, case, unit, urgent, n, stamp)
    ("2021-06-01", "收到", "A", "办公室", True, 1, dt.datetime(2021, 6, 1, 9, 30)),
    ("2021-06-15", "答复", "A", "办公室", None, 2, dt.datetime(2021, 6, 15, 10, 0, 0, 250000)),
    ("2021-06-02", "收到", "B", "二处", False, None, None),
    ("2021-13-01", "收到", "C", None, None, 4, None),
    ("2021-06-03", "收到", None, None, True, 5, dt.datetime(2021, 6, 3)),
    ("2021-03-01", "信息发布", "X", None, None, None, None),
    ("2021-06-02", "收到", "B", "二处", False, None, None),
]


# the attributes' text matters: a start date read from the timestamps, a filter on the booleans
PARQUET_RULES = RULES.rstrip(" ") + """\
    - id: R-STAMP
      title: {zh: 时间, en: Stamp}
      deadline: {after: {event: received, date: stamp}, expect: answered, within: 5 working days}
    - id: R-URGENT
      title: {zh: 紧急, en: Urgent}
      ratio: {of: received, matching: {urgent: true}, at_least: 0.9, per: year}
    """


def parquet_table(rows: list[tuple[Any, ...]], zone: str | None = None) -> Any:
    import pyarrow as pa

    columns = list(zip(*rows))
    return pa.table({"date": pa.array(columns[0], pa.string()), "event": pa.array(columns[1], pa.string()),
                     "case": pa.array(columns[2], pa.string()), "unit": pa.array(columns[3], pa.string()),
                     "urgent": pa.array(columns[4], pa.bool_()), "n": pa.array(columns[5], pa.int64()),
                     "stamp": pa.array(columns[6], pa.timestamp("us", tz=zone))})


def spy_on_python_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the load leaves to the reference readers (read on the driver)."""
    from gklint.engines.columnar import load

    read: list[str] = []
    original = load._read_in_python

    def spy(con: Any, job: Any, path: Path, number: int, loaded: Any) -> None:
        read.append(path.name)
        original(con, job, path, number, loaded)

    monkeypatch.setattr(load, "_read_in_python", spy)
    return read


@pytest.mark.parametrize("zone", [None, "UTC"])
def test_a_parquet_file_is_read_by_spark(ws: Workspace, spark_session: Any, monkeypatch: pytest.MonkeyPatch,
                                         zone: str | None) -> None:
    """Strings, booleans, integers, dates and timestamps (naive, or in UTC) become the text the
    reference reader makes of them; rows are numbered as docs/contract.md says (row N is line N + 1)."""
    import pyarrow.parquet as pq

    pq.write_table(parquet_table(PARQUET_ROWS, zone), ws.root / "events.parquet", row_group_size=3)
    read = spy_on_python_reads(monkeypatch)
    reference, spark = reports([ws.root / "events.parquet"], ws.ruleset(PARQUET_RULES))
    assert read == []  # nothing left to the reference readers: Spark read the file
    assert spark == reference
    assert '"line": 5' in reference and '"line": 8' in reference  # the bad date (row 4), the duplicate (row 7)
    assert '"rule": "R-STAMP"' in reference and '"rule": "R-URGENT"' in reference


def test_a_parquet_type_spark_would_write_otherwise_is_read_on_the_driver(
        ws: Workspace, spark_session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = parquet_table(PARQUET_ROWS).append_column("score", pa.array([0.1, 1e-05, None, 2.0, 3.5, 1e20, 0.0]))
    pq.write_table(table, ws.root / "events.parquet")
    read = spy_on_python_reads(monkeypatch)
    reference, spark = reports([ws.root / "events.parquet"], ws.ruleset(PARQUET_RULES))
    assert read == ["events.parquet"]  # a float column: Spark would write 1.0E-5 for 1e-05
    assert spark == reference


def test_a_folder_of_parquet_part_files_as_spark_writes_it(ws: Workspace, spark_session: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """``df.write.parquet(DIR)``: part-*.snappy.parquet, _SUCCESS and .crc files. Every engine reads
    the part files in name order, each finding naming its part file and row (row N, line N + 1)."""
    rows = [r[:4] for r in PARQUET_ROWS] * 3
    frame = spark_session.createDataFrame(rows, "date STRING, event STRING, case STRING, unit STRING")
    folder = ws.root / "lake" / "events"
    frame.repartition(3).write.parquet(str(folder))
    parts = sorted(folder.glob("part-*.parquet"))
    assert len(parts) >= 2 and (folder / "_SUCCESS").exists() and list(folder.glob(".*.crc"))
    read = spy_on_python_reads(monkeypatch)
    ruleset = ws.ruleset(RULES)
    reference, spark = reports([folder], ruleset)
    assert spark == reference
    assert read == []  # Spark read the part files itself
    result = run_check([str(folder)], load_rulesets([str(ruleset)]),
                       CheckOptions(as_of=dt.date(2021, 12, 31), engine="columnar", show_pending=True))
    assert json_report(result) == reference
    assert all(str(p) in reference for p in parts if pq_rows(p))


def pq_rows(path: Path) -> list[Any]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def persistent_rdds(spark_session: Any) -> set[int]:
    return set(spark_session.sparkContext._jsc.getPersistentRDDs().keys())


def test_a_table_is_computed_once_and_freed_when_replaced_or_dropped(spark_session: Any) -> None:
    """A temporary table is a checkpoint, and its blocks are released when the table is replaced
    or dropped: a check's tables (a file's lines, its cells, each rule's steps) would otherwise
    stay in the JVM's memory until the session ends."""
    from gklint.engines.spark.connection import Connection

    con = Connection(spark_session)
    before = persistent_rdds(spark_session)
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT 1 AS x UNION ALL SELECT 2 AS x")
    assert len(persistent_rdds(spark_session) - before) == 1
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT x + 1 AS x FROM t")  # (reads the table it replaces)
    assert len(persistent_rdds(spark_session) - before) == 1
    assert sorted(con.execute("SELECT x FROM t").fetchall()) == [(2,), (3,)]
    con.execute("DROP TABLE t")
    assert persistent_rdds(spark_session) == before


def test_inserted_rows_outlive_the_tables_they_came_from(spark_session: Any) -> None:
    """INSERT computes its rows, as DuckDB does: the load drops each file's tables once the file's
    events are in ``events``."""
    from gklint.engines.spark.connection import Connection

    con = Connection(spark_session)
    before = persistent_rdds(spark_session)
    con.execute("CREATE OR REPLACE TEMP TABLE e (x INTEGER, y VARCHAR)")
    for n in (1, 2):
        con.execute(f"CREATE OR REPLACE TEMP TABLE s AS SELECT {n} AS x")
        con.execute("INSERT INTO e BY NAME SELECT x FROM s")
        con.execute("DROP TABLE s")
    con.materialize("e")  # two parts: computed as one, the parts released
    assert sorted(con.execute("SELECT x, y FROM e").fetchall()) == [(1, None), (2, None)]
    assert len(persistent_rdds(spark_session) - before) == 1
    con.execute("DROP TABLE e")
    assert persistent_rdds(spark_session) == before


def test_a_query_reading_events_twice_reads_the_stored_table(ws: Workspace, spark_session: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``events`` is stored once loaded; a query that reads it twice (a precedence rule's events
    and its required events) reads the stored rows twice, not the load's plan (its lookups of
    distinct cells, its duplicate check) again. (A cached DataFrame over a checkpoint is found in
    Spark's cache only where it is read first in a query.)"""
    import sqlglot

    from gklint.engines.spark import connection

    plans = []
    close = connection.Connection.close

    def plan_then_close(self: Any) -> None:  # (the check's tables are gone once it is closed)
        self.materialize("events")
        frame = self.sql(sqlglot.parse_one("SELECT a.line FROM events a JOIN events b ON a.line = b.line",
                                           read="duckdb"))
        plans.append(frame._jdf.queryExecution().executedPlan().toString())
        close(self)

    monkeypatch.setattr(connection.Connection, "close", plan_then_close)
    log = ws.log(LOG)
    reference, spark = reports([log], ws.ruleset(RULES))
    assert spark == reference
    assert "Scan ExistingRDD" in plans[-1]
    assert "LocalTableScan" not in plans[-1]  # the load's lookup tables


def temp_views(spark_session: Any) -> set[str]:
    return {t.name for t in spark_session.catalog.listTables() if t.isTemporary}


@pytest.mark.parametrize("fails", [False, True], ids=["reported", "stopped-by-an-error"])
def test_a_check_leaves_the_session_as_it_found_it(ws: Workspace, spark_session: Any,
                                                  monkeypatch: pytest.MonkeyPatch, fails: bool) -> None:
    """A session outlives a check (a notebook, a service, a test run checking log after log).
    Once the report is made, or the check stops on an error, none of the check's tables is left
    in the session: no computed blocks, no temporary views. Left, they filled the executors'
    memory after some hundred checks ("Not enough memory to build and broadcast the table")."""
    from gklint.engines import columnar

    if fails:
        def boom(*args: Any) -> Any:
            raise RuntimeError("a rule failed")

        monkeypatch.setattr(columnar, "run", boom)
    rdds, views = persistent_rdds(spark_session), temp_views(spark_session)
    options = CheckOptions(as_of=dt.date(2021, 12, 31), engine="spark", show_pending=True)
    if fails:
        with pytest.raises(RuntimeError, match="a rule failed"):
            run_check([str(ws.log(LOG))], load_rulesets([str(ws.ruleset(RULES))]), options)
    else:
        result = run_check([str(ws.log(LOG))], load_rulesets([str(ws.ruleset(RULES))]), options)
        assert len(result.findings) >= 5
    assert persistent_rdds(spark_session) == rdds
    assert temp_views(spark_session) == views


def test_rows_come_back_as_collect_gives_them(spark_session: Any) -> None:
    """Query results come back through Arrow where it gives what ``collect`` gives, column type
    by column type; a struct (a dict through Arrow) and a timestamp (a zone through Arrow) by
    ``collect``."""
    from gklint.engines.spark.connection import _plain, fetch

    queries = [
        "SELECT CAST('12:30:01.5' AS TIME) t, CAST(NULL AS TIME) t0, DATE'2024-01-02' d, array('a', NULL) l, "
        "1 i, 2L b, true x, CAST(NULL AS STRING) s, NULL n, 1.5D f, '依申〔2019〕22号' c, count(*) OVER () k",
        "SELECT named_struct('d', DATE'2024-01-02', 'l', 3) s, TIMESTAMP'2024-01-01 08:00:00' ts",
        "SELECT 1 AS x WHERE false",
    ]
    for query in queries:
        frame = spark_session.sql(query)
        assert list(fetch(frame)) == [tuple(_plain(v) for v in row) for row in frame.collect()]
    assert list(fetch(spark_session.sql(queries[1]))) == [((dt.date(2024, 1, 2), 3), dt.datetime(2024, 1, 1, 8))]


def test_a_result_is_read_a_batch_at_a_time(spark_session: Any) -> None:
    """A query runs when executed, and its rows become tuples as they are fetched (sql.rows reads
    10,000 at a time): a rule's millions of rows are not one list on the driver."""
    from gklint.engines.spark.connection import Connection

    import pyarrow as pa

    con = Connection(spark_session)
    con.register("numbers", pa.table({"x": list(range(25_000))}))
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT x FROM numbers")
    result = con.execute("SELECT x FROM t ORDER BY x DESC")
    con.execute("DROP TABLE t")  # (its rows were computed when the query was executed)
    assert [x for (x,) in result.fetchmany(10_000)] == list(range(24_999, 14_999, -1))
    assert [x for (x,) in result.fetchall()] == list(range(14_999, -1, -1))
    assert result.fetchmany(10) == []


@pytest.mark.parametrize(("lang", "where"), [("en", "checking"), ("zh", "checking"), ("en", "reporting"),
                                           ("en", "writing")])
def test_spark_running_out_of_memory_is_exit_2_saying_how_to_give_it_more(
        ws: Workspace, spark_session: Any, monkeypatch: pytest.MonkeyPatch, lang: str, where: str) -> None:
    """A check that Spark cannot finish for want of memory is a resource to raise, not a bug of
    gklint's: exit 2 with Spark's own line and how to give it more, not "internal error", whether
    Spark fails while the rules run, while the report's findings are gathered, or while it writes
    the parquet report."""
    from pyspark.errors import PySparkException

    from gklint import engine
    from gklint.engines import columnar
    from gklint.reporters import parquet

    said = ("An error occurred while calling o168309.localCheckpoint.\n: java.util.concurrent.ExecutionException: "
            "org.apache.spark.util.SparkFatalException: org.apache.spark.SparkException: Not enough memory to "
            "build and broadcast the table to all worker nodes.\n\tat org.apache.spark.sql.errors.X(X.scala:1)")

    def spark_fails(*args: Any, **kwargs: Any) -> Any:
        raise PySparkException(said)

    failing = {"checking": (columnar, "run"), "reporting": (engine, "_result"), "writing": (parquet, "write")}
    monkeypatch.setattr(*failing[where], spark_fails)
    ws.log(LOG)
    ws.ruleset(RULES)
    output = ("--format", "parquet", "-o", "report") if where == "writing" else ()
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--engine", "spark", "--as-of", "2021-12-31",
                    "--lang", lang, *output)
    err = stderr_of(result)
    assert result.exit_code == 2, err
    assert "internal error" not in err and "Traceback" not in err
    assert "Not enough memory to build and broadcast the table to all worker nodes." in err
    assert "SPARK_DRIVER_MEMORY=16g" in err and "spark.executor.memory" in err
    assert ("Spark 在检查时内存不足" if lang == "zh" else "Spark ran out of memory while checking") in err


def test_an_error_of_ours_on_spark_is_still_an_internal_error(ws: Workspace, spark_session: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Only Spark's memory errors are said as such: a failing query of gklint's plans is a bug."""
    from pyspark.errors import PySparkException

    from gklint.engines import columnar

    def plan_fails(*args: Any) -> Any:
        raise PySparkException("[UNRESOLVED_COLUMN] A column cannot be resolved")

    monkeypatch.setattr(columnar, "run", plan_fails)
    ws.log(LOG)
    ws.ruleset(RULES)
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--engine", "spark", "--as-of", "2021-12-31")
    assert result.exit_code == 3 and "internal error" in stderr_of(result)


KILLS_ITS_JVM = """\
import os, signal, sys

from pyspark import SparkContext

from gklint.console import entry
from gklint.engines import columnar

checking = columnar.run


def run(*args):
    os.kill(SparkContext._gateway.proc.pid, signal.SIGKILL)  # (not waited for: as the system does it)
    return checking(*args)


columnar.run = run
sys.argv[0] = "gklint"
entry()
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_jvm_that_ends_in_the_middle_of_a_check_is_exit_2_saying_so(ws: Workspace, spark_session: Any,
                                                                      lang: str) -> None:
    """Spark's JVM stopped while the rules run (by the system's out-of-memory killer, or by
    someone): one line saying how it ended and what to do, exit 2; none of py4j's or pyspark's
    tracebacks on stderr."""
    ws.log(LOG)
    ws.ruleset(RULES)
    (ws.root / "kill.py").write_text(KILLS_ITS_JVM, encoding="utf-8")
    done = gklint_process(ws, "kill.py", "check", "events.csv", "-r", "rs.yaml", "--engine", "spark",
                          "--spark-master", "local[1]", "--as-of", "2021-12-31", "--lang", lang)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    said = ("Spark 的 JVM 在检查完成前已结束：它被信号 9（SIGKILL）终止" if lang == "zh"
            else "Spark's JVM ended before the check did: it was stopped by signal 9 (SIGKILL)")
    assert said in done.stderr
    assert "SPARK_DRIVER_MEMORY" in done.stderr
    assert done.stdout == ""

