"""``--format parquet -o DIR``: the findings as a Parquet dataset, for an audit too large to read
as one JSON document (docs/formats.md, "parquet").

DIR holds the findings in ``part-*.parquet`` files, one row per finding in the JSON report's
order (``seq``), with the JSON finding's fields as columns (:data:`FIELDS`), and ``_gklint.json``:
the JSON report without its findings (``gklint``, ``as_of``, ``summary``). Parquet readers
(Spark, pyarrow.dataset, DuckDB, pandas) leave files whose names start with ``_`` out of the data.

The spark engine's session writes the part files (its executors, in parallel); the other engines
write one part file with pyarrow. Either way DIR appears whole: the dataset is written into a
temporary folder beside it, which is then renamed to DIR. DIR must not exist, be empty, or be a
dataset gklint wrote before (it has ``_gklint.json``), which is replaced.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from gklint import __version__
from gklint.errors import ConfigError
from gklint.reporters.base import Reporter, ruleset_ids

MARKER = "_gklint.json"

# (column, Arrow type): the JSON finding's fields (contract section 5; the optional ones of
# sections 10, 13, 14 are null where they do not apply), after ``seq``, the place in the report.
FIELDS = ("seq", "rule", "ruleset", "severity", "status", "message", "file", "line", "case", "unit", "period",
          "start", "due", "actual", "overdue", "column", "group", "response")


def schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        pa.field("seq", pa.int64(), nullable=False),
        pa.field("rule", pa.string(), nullable=False),
        ("ruleset", pa.string()),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        ("message", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("case", pa.string()),
        ("unit", pa.string()),
        ("period", pa.string()),
        ("start", pa.string()),
        ("due", pa.string()),
        ("actual", pa.string()),
        ("overdue", pa.struct([("value", pa.int64()), ("unit", pa.string())])),
        ("column", pa.string()),
        ("group", pa.map_(pa.string(), pa.string())),
        ("response", pa.struct([("file", pa.string()), ("line", pa.int64())])),
    ])


def _text(value: Any) -> str | None:
    """A group's value as text: a string as it is, another value as JSON writes it (true, 3)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def rows(findings: Any, lang: str, first: int = 1) -> dict[str, list[Any]]:
    """The findings as columns; ``seq`` counts from ``first``."""
    columns: dict[str, list[Any]] = {name: [] for name in FIELDS}
    for seq, finding in enumerate(findings, first):
        record = finding.to_json(lang)
        columns["seq"].append(seq)
        for name in FIELDS[1:]:
            value = record.get(name)
            if name == "group" and value is not None:
                value = [(str(k), _text(v)) for k, v in value.items()]
            elif name == "response" and value is not None:
                value = {"file": value.get("file"), "line": value.get("line")}
            elif name == "overdue" and value is not None:
                value = {"value": value.get("value"), "unit": value.get("unit")}
            columns[name].append(value)
    return columns


# Findings per Arrow table written: a report is written a batch at a time, so that a large one
# (held on disk by gklint.spool) is not brought into memory whole to be written.
BATCH = 100_000


def tables(result: Any, lang: str) -> Iterator[Any]:
    """The findings as Arrow tables of up to :data:`BATCH` rows, in report order; one empty table
    for a report without findings."""
    import pyarrow as pa

    findings = iter(result.findings)
    first = 1
    while True:
        batch = list(islice(findings, BATCH))
        if batch or first == 1:
            yield pa.table(rows(batch, lang, first), schema=schema())
        if len(batch) < BATCH:
            return
        first += len(batch)


def summary(result: Any) -> dict[str, Any]:
    return {"gklint": __version__, "as_of": result.as_of.isoformat(),
            "summary": {**result.counts(), "rulesets": ruleset_ids(result)}}


def _target(path: str) -> Path:
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise ConfigError("--format parquet writes a folder, and -o names a file", file=str(target),
                          hint="Give a folder that does not exist yet, e.g. -o findings.parquet/.")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise ConfigError("-o names a folder that holds other files: gklint replaces only a folder it wrote",
                          file=str(target), hint="Give a new or empty folder.")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ConfigError("the output folder's parent does not exist", file=str(target),
                          hint="Create it first, or choose another -o path.")
    return target


def write(result: Any, path: str, lang: str, spark: Any = None) -> None:
    """Write ``result``'s findings as a Parquet dataset in ``path`` (see the module's docstring);
    ``spark``: the session that checked, whose executors write the part files."""
    import tempfile

    if spark is not None and "://" in path:
        _write_uri(result, path, lang, spark)
        return
    if spark is not None and not spark.sparkContext.master.startswith("local"):
        spark = None  # a cluster's executors would each write to their own disk: the driver writes it
    target = _target(path)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."))
    try:
        if spark is not None:
            for number, data in enumerate(tables(result, lang)):
                folder = work / "data"
                # (an Arrow table becomes a DataFrame in slices, in order: part files keep seq order,
                # and each batch's are named after the batch's number: part-BATCH-PART-...)
                spark.createDataFrame(data).write.parquet("file://" + str(folder.resolve()))
                for entry in folder.iterdir():
                    if entry.name.startswith(".") or entry.name == "_SUCCESS":
                        entry.unlink()  # Hadoop's .crc checksums and the commit marker
                    else:
                        entry.rename(work / f"part-{number:05d}{entry.name.removeprefix('part')}")
                folder.rmdir()
        else:
            import pyarrow.parquet as pq

            with pq.ParquetWriter(work / "part-00000.parquet", schema()) as writer:
                for data in tables(result, lang):  # (a row group each)
                    writer.write_table(data)
        (work / MARKER).write_text(json.dumps(summary(result), ensure_ascii=False) + "\n", encoding="utf-8")
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes it owner-only; a report is an ordinary folder
        old = None
        if target.is_dir() and any(target.iterdir()):
            old = target.with_name(f".{target.name}.{os.getpid()}.old")
            os.replace(target, old)
        os.replace(work, target)  # (over an empty folder, or where none was)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ConfigError(f"cannot write the Parquet dataset: {exc.strerror or exc}", file=str(target),
                          hint="Check that the folder can be written and the disk has room.") from None
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _write_uri(result: Any, uri: str, lang: str, spark: Any) -> None:
    """A dataset at a URI the cluster's file system takes (hdfs://, s3a://, abfss://, file://),
    written by Spark, which refuses a folder that exists; ``_gklint.json`` beside the part files
    through Hadoop's FileSystem API."""
    try:
        for number, data in enumerate(tables(result, lang)):  # (the first refuses a folder that exists)
            spark.createDataFrame(data).write.mode("append" if number else "errorifexists").parquet(uri)
        jvm = spark.sparkContext._jvm
        marker = jvm.org.apache.hadoop.fs.Path(uri.rstrip("/") + "/" + MARKER)
        stream = marker.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).create(marker, False)
        try:
            stream.write(bytearray((json.dumps(summary(result), ensure_ascii=False) + "\n").encode("utf-8")))
        finally:
            stream.close()
    except Exception as exc:  # noqa: BLE001 - pyspark's and py4j's errors: an existing folder, no permission
        said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"Spark cannot write the Parquet dataset: {said}", file=uri,
                          hint="Give a folder that does not exist yet, where the cluster can write.") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class ParquetReporter(Reporter):
    """The registry's entry (``--format parquet``): the check command calls :func:`write` with
    the folder; as a stream (no folder) it cannot be written."""

    name = "parquet"
    needs_file = True
    folder = True
