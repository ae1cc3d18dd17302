"""``--format parquet -o DIR``: the findings as a Parquet dataset (docs/formats.md, "parquet"),
read back with pyarrow and held to the JSON report field by field; on the spark engine Spark
writes the part files."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

LOG = ("date,event,case,unit,simple\n2021-06-01,收到,A,办公室,是\n2021-06-15,答复,A,办公室,\n"
       "2021-06-02,收到,B,二处,否\n2021-13-01,收到,C,,\n2021-03-01,信息发布,X,,\n2021-03-05,保密审查,X,,\n"
       "2021-06-02,收到,B,二处,否\n")
RULES = """\
    - id: R-REPLY
      title: {zh: 答复, en: Reply}
      deadline: {after: received, expect: answered, within: 5 working days}
    - id: R-REVIEW
      title: {zh: 先审后发, en: Review first}
      precedence: {event: published, requires: review, match: [case]}
    - id: R-SIMPLE
      title: {zh: 简易, en: Simple}
      ratio: {of: received, matching: {simple: 是}, at_least: 0.9, per: year, for_each: unit}
    """
ARGS = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2022-03-31", "--lang", "zh")


def read_back(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The dataset's rows in seq order, as JSON findings (null optional fields left out), and
    _gklint.json."""
    import pyarrow.dataset as ds

    table = ds.dataset(str(folder), format="parquet").to_table()
    rows = sorted(table.to_pylist(), key=lambda r: r["seq"])
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    findings = []
    for row in rows:
        del row["seq"]
        if row["group"] is not None:
            row["group"] = dict(row["group"])
        for name in ("column", "group", "response"):
            if row[name] is None:
                del row[name]
        findings.append(row)
    return findings, json.loads((folder / "_gklint.json").read_text(encoding="utf-8"))


def same_as_json(ws: Workspace, *engine: str) -> Path:
    ws.log(LOG)
    ws.ruleset(RULES)
    report = ws.cli(*ARGS, "--format", "json", *engine)
    assert report.exit_code == 1, stderr_of(report)
    expected = json.loads(report.stdout)
    result = ws.cli(*ARGS, "--format", "parquet", "-o", "findings", *engine)
    assert (result.exit_code, result.stdout, stderr_of(result)) == (1, "", "")
    findings, summary = read_back(ws.root / "findings")
    assert findings == expected["findings"]
    assert summary == {k: v for k, v in expected.items() if k != "findings"}
    kinds = {k for f in findings for k in f}
    assert {"group", "response", "overdue"} <= kinds and any(f["line"] is None for f in findings)
    return ws.root / "findings"


def test_the_dataset_holds_the_json_reports_findings(ws: Workspace) -> None:
    import pyarrow.parquet as pq

    folder = same_as_json(ws, "--engine", "python")
    assert sorted(p.name for p in folder.iterdir()) == ["_gklint.json", "part-00000.parquet"]
    schema = pq.read_schema(folder / "part-00000.parquet")
    assert schema.names[:3] == ["seq", "rule", "ruleset"] and str(schema.field("line").type) == "int64"
    assert str(schema.field("group").type).startswith("map<string, string")


def test_a_second_run_replaces_the_dataset_it_wrote(ws: Workspace) -> None:
    same_as_json(ws, "--engine", "python")
    (ws.root / "events.csv").write_text(LOG.splitlines()[0] + "\n2021-06-01,收到,A,办公室,是\n", encoding="utf-8")
    result = ws.cli(*ARGS, "--format", "parquet", "-o", "findings")
    assert result.exit_code == 1
    findings, summary = read_back(ws.root / "findings")
    assert [f["rule"] for f in findings] == ["R-REPLY"] and summary["summary"]["events"] == 1
    assert not [p for p in ws.root.iterdir() if p.name.startswith(".findings")]  # no temporary left


@pytest.mark.parametrize("where, said", [
    (None, "-o DIR is required"),
    ("events.csv", "writes a folder, and -o names a file"),
    ("other", "holds other files"),
    ("missing/deeper", "parent does not exist"),
])
def test_where_it_cannot_write_is_exit_2(ws: Workspace, where: str | None, said: str) -> None:
    ws.log(LOG)
    ws.ruleset(RULES)
    (ws.root / "other").mkdir()
    (ws.root / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    result = ws.cli(*ARGS[:-2], "--lang", "en", "--format", "parquet", *(("-o", where) if where else ()))
    assert result.exit_code == 2
    assert said in stderr_of(result) and "Traceback" not in stderr_of(result)
    assert (ws.root / "other" / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.spark
def test_spark_writes_the_part_files(ws: Workspace, spark_session: Any) -> None:
    folder = same_as_json(ws, "--engine", "spark")
    parts = sorted(p.name for p in folder.glob("part-*.parquet"))
    assert parts and not list(folder.glob(".*")) and not (folder / "_SUCCESS").exists()


@pytest.mark.parametrize("engine", ["python", pytest.param("spark", marks=pytest.mark.spark)])
def test_a_report_is_written_a_batch_at_a_time(ws: Workspace, monkeypatch: pytest.MonkeyPatch, engine: str,
                                               request: pytest.FixtureRequest) -> None:
    """The findings go to Parquet a batch at a time (a report spilled to disk by gklint.spool is
    not brought into memory whole): the same dataset, in row groups (pyarrow) or in part files
    named in seq order (spark)."""
    import pyarrow.parquet as pq

    from gklint import spool
    from gklint.reporters import parquet

    monkeypatch.setattr(parquet, "BATCH", 2)
    monkeypatch.setattr(spool, "SPILL_AFTER", 3)
    if engine == "spark":
        request.getfixturevalue("spark_session")
    folder = same_as_json(ws, "--engine", engine)
    parts = sorted(folder.glob("part-*.parquet"))
    if engine == "python":
        assert [p.name for p in parts] == ["part-00000.parquet"] and pq.ParquetFile(parts[0]).num_row_groups > 2
    seqs = [seq for part in parts for seq in pq.read_table(part).column("seq").to_pylist()]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) > 4
