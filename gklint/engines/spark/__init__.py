"""``--engine spark``: the columnar engine's relational plans, run on a Spark session (contract
section 12).

The log is loaded into a Spark view ``events`` by the columnar engine's own load
(:mod:`gklint.engines.columnar.load`) and the rules run by its own plans
(:func:`gklint.engines.columnar.run`), through :class:`.connection.Connection`, which writes their
DuckDB SQL as Spark SQL. The report is then made on the driver exactly as the other engines make
it, so it is the reference engine's, byte for byte. docs/design.md says what runs where.

pyspark is imported only when this engine is chosen; a missing pyspark or Java is exit 2 saying
how to install them (:func:`missing`).
"""
from __future__ import annotations

import contextlib
import os
import shutil
from typing import Any

NAME = "spark"
DEFAULT_MASTER = "local[*]"
SMALL = 16 * 1024 * 1024
INSTALL_PYSPARK = "pip install 'gklint[spark]'"
INSTALL_JAVA = "apt-get install openjdk-17-jre-headless (or any Java 17 or later, on PATH or in JAVA_HOME)"


def java() -> str | None:
    """The java command Spark will start: JAVA_HOME's when that is set (Spark's own rule), else
    the first on PATH; None when there is none."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "java")
        return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def missing() -> str | None:
    from importlib.util import find_spec

    for package in ("pyspark", "sqlglot"):
        try:
            found = find_spec(package) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return f"the {package} package is not installed; install it with: {INSTALL_PYSPARK}"
    if java() is None:
        where = (f"JAVA_HOME ({os.environ['JAVA_HOME']}) holds no bin/java" if os.environ.get("JAVA_HOME")
                 else "no java command on PATH")
        return f"Spark needs Java, and {where}; install it with: {INSTALL_JAVA}"
    return None


_session: Any = None


def driver_memory() -> str:
    """The heap of a local session's JVM (driver and executors in one process): a quarter of the
    machine's memory, at least 1 GiB and at most 8 GiB. Spark's own default (1 GiB) fails a
    10^6-event log's aggregates (AGGREGATE_OUT_OF_MEMORY) when other work shares the machine."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: Spark's default is raised to 2 GiB
        return "2g"
    return f"{max(1024, min(8192, total // 4 // 2**20))}m"


def local_defaults() -> dict[str, str]:
    """What gklint sets on a session it starts in local mode (a cluster's session is configured
    by spark-submit, and gklint sets none of these there). SPARK_DRIVER_MEMORY, Spark's own
    variable, wins over gklint's driver memory."""
    conf = {
        # one machine: a shuffle in a few partitions, not Spark's 200 (each a task to schedule);
        # a small log's check sets one (see check)
        "spark.sql.shuffle.partitions": str(2 * (os.cpu_count() or 1)),
    }
    if not os.environ.get("SPARK_DRIVER_MEMORY"):
        conf["spark.driver.memory"] = driver_memory()
    return conf


def session(master: str | None, conf: dict[str, str] | None = None) -> Any:
    """The Spark session of this process, started on first use (one per process: Spark allows
    one SparkContext) with ``conf`` over gklint's defaults.

    The master is ``master``, else spark-submit's when gklint runs under it (a cluster: pyspark
    finds the JVM spark-submit started), else ``local[*]``. A JVM gklint starts writes its console
    (log4j's start-up lines, Java's warnings) to a log file, not to gklint's stderr, so that a
    user sees gklint's messages only; the file is named when the session cannot start and removed
    at exit otherwise (:func:`_jvm_log`).
    """
    global _session
    if _session is not None:
        return _session
    from gklint.errors import ConfigError

    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession
    except ImportError as exc:  # a broken install: find_spec found it, importing failed
        raise ConfigError(f"the spark engine cannot run: pyspark cannot be imported ({exc})",
                          hint=f"Reinstall it: {INSTALL_PYSPARK}") from None
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # run by spark-submit: its JVM, its master
    settings = {
        "spark.app.name": "gklint",
        "spark.ui.showConsoleProgress": "false",
        # DuckDB's reading of the plans: a list index past the end is NULL, not an error
        "spark.sql.ansi.enabled": "false",
        # a time of day is a TIME, as in DuckDB (Spark 4.1 and later)
        "spark.sql.timeType.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
    }
    if master or not submitted:
        settings["spark.master"] = master or DEFAULT_MASTER
    where = settings.get("spark.master", "spark-submit's master")
    if where.startswith("local"):
        settings["spark.ui.enabled"] = "false"
        settings.update(local_defaults())
    settings.update(conf or {})
    log = None
    try:
        spark_conf = SparkConf(loadDefaults=not submitted)
        for key, value in settings.items():
            spark_conf.set(key, value)
        if SparkContext._gateway is None and not submitted:
            from pyspark.java_gateway import launch_gateway

            log = _jvm_log()
            gateway = launch_gateway(spark_conf, popen_kwargs={"stdout": log, "stderr": log})
            SparkContext(conf=spark_conf, gateway=gateway)
        builder = SparkSession.builder
        for key, value in settings.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - py4j and pyspark raise several kinds when Java cannot start
        said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if log is not None:
            log.close()
            said = _jvm_error(log.name) or said
            said += f" (the JVM's output is in {log.name})"
        raise ConfigError(f"the spark engine cannot start a Spark session on {where}: {said}",
                          hint=f"Check Java ({INSTALL_JAVA}) and the --spark-master URL.") from None
    if log is not None:
        log.close()
        os.unlink(log.name)
    spark.sparkContext.setLogLevel("ERROR")
    if not os.environ.get("GKLINT_DEBUG"):
        _quiet(spark)
    _session = spark
    return spark


def _quiet(spark: Any) -> None:
    """Keep pyspark's and py4j's own tracebacks off the user's stderr when the JVM goes away in
    the middle of a check (gklint then says so in one line, :func:`explain`): py4j logs "Exception
    while sending command." with its traceback on the root logger, and pyspark's accumulator
    server prints the traceback of its broken connection. GKLINT_DEBUG=1 leaves both alone."""
    import logging

    logging.getLogger().addFilter(_not_py4j)
    server = getattr(spark.sparkContext, "_accumulatorServer", None)
    if server is not None:
        server.handle_error = lambda request, client_address: None


def _not_py4j(record: Any) -> bool:
    return f"{os.sep}py4j{os.sep}" not in record.pathname


def _jvm_error(path: str) -> str | None:
    """The JVM's own reason, from its log: the message of the first exception it printed."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if "Exception" in line and ": " in line and not line.lstrip().startswith("at "):
                    return line.split(": ", 1)[1].strip()
    except OSError:
        pass
    return None


def _jvm_log() -> Any:
    """The file the JVM gklint starts writes its console to. Once the session is up it is
    unlinked (the JVM keeps writing to it; the console script ends with ``os._exit``, which runs
    no clean-up); when the session cannot start it is kept and named."""
    import tempfile

    return tempfile.NamedTemporaryFile(prefix="gklint-spark-", suffix=".log", delete=False)


def current() -> Any:
    """This process's Spark session, or None when none was started."""
    return _session


def stop() -> None:
    """Stop this process's Spark session (the next check starts another)."""
    global _session
    if _session is not None:
        _session.stop()
        _session = None


def check(job: Any) -> Any:
    from gklint.engines import columnar
    from gklint.engines.columnar.load import load
    from gklint.engines.spark.connection import Connection

    # (a log of less than SMALL bytes is not worth a Spark job per intermediate table)
    small = sum(path.stat().st_size for path in job.files) < SMALL
    spark = session(job.options.spark_master)
    if spark.sparkContext.master.startswith("local"):
        # A small log on one machine: one shuffle partition and no adaptive re-planning (each is
        # a task or a job of its own, the most of a small check's time); a larger one, 2 per core.
        spark.conf.set("spark.sql.shuffle.partitions", "1" if small else local_defaults()["spark.sql.shuffle.partitions"])
        spark.conf.set("spark.sql.adaptive.enabled", "false" if small else "true")
    # Every temporary table is computed once (checkpointed), a small log's too: left as views, the
    # deadline plans' steps nest into one query plan that Spark's optimizer took minutes over
    # (a 30-row log with every bundled ruleset: over 4 minutes, against 106 s checkpointed).
    # The check's tables are the session's until closed: after the report (Checked.close), or
    # now when the check stops on an error (which gklint.cli then says: exit 2 when it is Spark's
    # resources, :func:`explain`, else a bug).
    con = Connection(spark)
    try:
        loaded = load(con, job)
        con.materialize("events")
        checked = columnar.run(job, con, loaded)
    except BaseException:
        with contextlib.suppress(Exception):  # (a session that failed may refuse this too; its error is the one to say)
            con.close()
        raise
    rules_close = checked.close

    def close() -> None:
        try:
            if rules_close is not None:
                rules_close()
        finally:
            con.close()

    checked.keep, checked.close = None, close
    return checked


def explain(exc: BaseException) -> Exception | None:
    """The error (exit 2) to say for a failure that is Spark's resources and not a bug of
    gklint's, wherever in a spark check it happened (the check, the report, the parquet writer):
    Spark out of memory, or its JVM ended (stopped by the system or by someone). None otherwise.
    ``gklint.cli`` asks it (through ``gklint.engines.explain``) about every error it would
    otherwise call a bug; a caller of ``run_check`` gets Spark's own exception."""
    from gklint.errors import ConfigError

    if not (_from_spark(exc) or isinstance(exc, ConnectionError)):
        return None
    # (a Java exception came from a JVM that was there to throw it; any other error of py4j's, or
    # a refused connection, may be the JVM going away, which the system takes a moment to tell)
    java = hasattr(exc, "java_exception") or type(exc).__module__.startswith("pyspark.errors.exceptions.captured")
    ended = jvm_ended(wait=0.0 if java else 2.0)
    if ended is not None:
        return ConfigError(f"Spark's JVM ended before the check did: {ended}", hint=JVM_ENDED)
    short = out_of_memory(exc)
    if short is not None:
        return ConfigError(f"Spark ran out of memory while checking: {short}", hint=MORE_MEMORY)
    return None


def jvm_ended(wait: float = 0.0) -> str | None:
    """How the JVM of this process's Spark session ended, when gklint started it and it has
    (waiting up to ``wait`` seconds for it to end); None while it runs, or when spark-submit
    started it (gklint does not hold that process)."""
    if _session is None:
        return None
    import signal
    import subprocess

    from pyspark import SparkContext

    proc = getattr(SparkContext._gateway, "proc", None)
    if proc is None:
        return None
    try:
        code = proc.wait(timeout=wait) if wait else proc.poll()
    except subprocess.TimeoutExpired:
        return None
    if code is None:
        return None
    if code >= 0:
        return f"it exited with status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = "an unknown signal"
    said = f"it was stopped by signal {-code} ({name})"
    return said + (", on Linux most often the system's out-of-memory killer" if -code == signal.SIGKILL else "")


def _from_spark(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in ("py4j", "pyspark")


JVM_ENDED = ("If the system stopped it for want of memory (dmesg says so), give the check a machine or a cluster "
             "with more memory, or set SPARK_DRIVER_MEMORY below the memory the machine has free; then run "
             "the check again.")
MORE_MEMORY = ("Give Spark more memory: in local mode set SPARK_DRIVER_MEMORY (e.g. SPARK_DRIVER_MEMORY=16g; "
               "gklint's default is a quarter of the machine's memory, at most 8g); on a cluster raise "
               "spark.driver.memory and spark.executor.memory in spark-submit's --conf.")
# What Spark says when its memory does not suffice: the JVM's heap, an aggregate's or a sort's
# memory, a broadcast table that does not fit.
_MEMORY = ("OutOfMemoryError", "Not enough memory", "AGGREGATE_OUT_OF_MEMORY", "UNABLE_TO_ACQUIRE_MEMORY")


def out_of_memory(exc: BaseException) -> str | None:
    """The line of Spark's error that says it ran out of memory, when that is why ``exc`` was
    raised (by py4j or pyspark): a resource to raise, not a bug to report."""
    if not _from_spark(exc):
        return None
    try:
        said = str(exc)  # (a Java exception's text is asked of the JVM)
    except Exception:  # noqa: BLE001 - py4j's errors when the JVM is gone
        return None
    for line in said.splitlines():
        for marker in _MEMORY:
            if marker in line:
                start = line.index(marker)
                start -= start > 0 and line[start - 1] == "["  # (Spark's error class, as Spark writes it)
                said = line[start:].strip()
                return said if len(said) <= 300 else said[:300] + "…"
    return None
