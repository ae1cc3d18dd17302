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


def session(master: str | None) -> Any:
    """The Spark session of this process, started on first use (one per process: Spark allows
    one SparkContext). Spark's console chatter is kept off stderr below errors."""
    global _session
    if _session is not None:
        return _session
    from gklint.errors import ConfigError

    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # a broken install: find_spec found it, importing failed
        raise ConfigError(f"the spark engine cannot run: pyspark cannot be imported ({exc})",
                          hint=f"Reinstall it: {INSTALL_PYSPARK}") from None
    builder = (SparkSession.builder.master(master or DEFAULT_MASTER).appName("gklint")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               # DuckDB's reading of the plans: a list index past the end is NULL, not an error
               .config("spark.sql.ansi.enabled", "false")
               # a time of day is a TIME, as in DuckDB (Spark 4.1 and later)
               .config("spark.sql.timeType.enabled", "true")
               .config("spark.sql.session.timeZone", "UTC"))
    if (master or DEFAULT_MASTER).startswith("local"):
        # one machine: a shuffle in a few partitions, not Spark's 200 (each a task to schedule)
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - py4j and pyspark raise several kinds when Java cannot start
        raise ConfigError(f"the spark engine cannot start a Spark session on {master or DEFAULT_MASTER}: "
                          f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
                          hint=f"Check Java ({INSTALL_JAVA}) and the --spark-master URL.") from None
    spark.sparkContext.setLogLevel("ERROR")
    _session = spark
    return spark


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
    con = Connection(session(job.options.spark_master), checkpoint=not small)
    loaded = load(con, job)
    con.materialize("events")
    return columnar.run(job, con, loaded)
