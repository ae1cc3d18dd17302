"""Contract section 12: engines are chosen by --engine or config `engine`, from one registry; one
that cannot run here is exit 2 saying why; `--jobs` is accepted and changes nothing."""
from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import EVENTS, Workspace, _stderr
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gklint import cli, config, engines

LOG = """\
    date,event,case
    2018-06-01,received,A
    2018-06-20,answered,A
    2018-06-04,received,B
    """
RULES = """\
    - id: R
      deadline: {after: received, expect: answered, within: 5 working days}
    """


@pytest.fixture
def ws_log(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    ws.log(LOG)
    return ws


def test_the_cli_and_the_configuration_take_the_registry_names() -> None:
    option = next(p for p in cli.check.params if p.name == "engine")
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == engines.NAMES == config.CHOICES["engine"]
    assert set(engines.NAMES) == {"auto", *engines.ENGINES, *engines.ALIASES}


@pytest.mark.parametrize("name", ["python", "auto"])
def test_the_reference_engine_checks(ws_log: Workspace, name: str) -> None:
    report = ws_log.cli_json("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--engine", name)
    assert [(f["rule"], f["line"], f["status"]) for f in report["findings"]] == [("R", 2, "late"), ("R", 4, "missing")]


def test_an_engine_that_cannot_run_here_is_exit_2_saying_why(ws_log: Workspace,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The spark engine without its library (as on a machine without the spark extra)."""
    monkeypatch.setitem(sys.modules, "pyspark", None)  # unimportable: find_spec raises
    result = ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--engine", "spark")
    assert result.exit_code == 2
    err = _stderr(result)
    assert "spark engine cannot run" in err and "pyspark" in err and "pip install 'gklint[spark]'" in err
    assert "Traceback" not in err


def test_the_configured_engine_is_used_and_checked(ws_log: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    ws_log.write("gklint.toml", 'engine = "spark"\n')
    result = ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31")
    # the configured engine was chosen: the reference engine would have checked (exit 1)
    assert result.exit_code == 2 and "spark engine cannot run" in _stderr(result)
    # the command line wins over the file
    assert ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31",
                      "--engine", "python").exit_code == 1
    ws_log.write("gklint.toml", 'engine = "fast"\n')
    result = ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31")
    assert result.exit_code == 2 and "'engine' must be one of auto, python" in _stderr(result)


@pytest.mark.spark
def test_the_configured_spark_engine_checks(ws_log: Workspace, spark_session: Any) -> None:
    """With pyspark and Java here, the configured spark engine gives the reference engine's report."""
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--format", "json")
    reference = ws_log.cli(*args, "--engine", "python")
    ws_log.write("gklint.toml", 'engine = "spark"\nspark_master = "local[2]"\n')
    result = ws_log.cli(*args)
    assert (result.exit_code, result.stdout) == (reference.exit_code, reference.stdout) == (1, reference.stdout)
    assert '"line": 4' in result.stdout


def test_jobs_is_accepted_and_changes_nothing(ws_log: Workspace) -> None:
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--format", "json")
    plain = ws_log.cli(*args)
    assert ws_log.cli(*args, "--jobs", "2").stdout == plain.stdout
    assert ws_log.cli(*args, env={"GKLINT_JOBS": "x"}).stdout == plain.stdout


def test_a_small_check_imports_no_columnar_library(ws_log: Workspace) -> None:
    """A pre-commit hook's check must never pay for a columnar library's import."""
    code = ("import sys\nfrom gklint.cli import main\n"
            "try:\n    main(['check', 'events.csv', '-r', 'rs.yaml', '--as-of', '2018-07-31'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('duckdb', 'polars', 'pyarrow', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ws_log.root, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_warm_small_check_imports_only_what_it_uses(ws_log: Workspace) -> None:
    """Start-up of a pre-commit hook: with the cache warm, a 20-row check beside a pyproject.toml
    that is not gklint's imports neither the report-table reader, nor a TOML parser, nor what only
    writing a file needs."""
    (ws_log.root / "gklint.toml").unlink()  # (the workspace's own, empty, would be parsed)
    ws_log.write("pyproject.toml", '[project]\nname = "records"\n')
    code = ("import sys\nfrom gklint.cli import main\n"
            "try:\n    main(['check', 'events.csv', '-r', 'rs.yaml', '--as-of', '2018-07-31'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('gklint.tables.reader', 'decimal', 'tomllib', 'tomli', 'tempfile')"
            " if m in sys.modules))")
    for _ in range(2):  # the first run fills the cache
        out = subprocess.run([sys.executable, "-c", code], cwd=ws_log.root, capture_output=True, text=True,
                             check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_unknown_engine_names_are_refused() -> None:
    from gklint.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown engine 'fast'"):
        engines.get("fast")
    assert Path(engines.get("python").__file__).name == "python.py"


def plans_of(ws: Workspace) -> dict[str, str | None]:
    """Each rule of the workspace's ruleset: None when the columnar engine compiles it over the
    workspace's log, else why the reference engine runs it."""
    import datetime as dt

    import duckdb

    from gklint.calendar import load_calendar
    from gklint.engine import CheckOptions, build_vocabulary
    from gklint.engines import Job
    from gklint.engines.columnar import Context, plan_of
    from gklint.engines.columnar.load import load
    from gklint.progress import Silent
    from gklint.ruleset import load_rulesets

    rulesets = load_rulesets([str(ws.root / "rs.yaml")])
    rules = rulesets[0].rules
    job = Job(CheckOptions(as_of=dt.date(2018, 7, 1)), load_calendar("CN"), build_vocabulary(rulesets),
              [ws.root / "events.csv"], rules, Silent())
    con = duckdb.connect()
    ctx = Context(con, load(con, job), job)
    return {rule.id: plan_of(rule, ctx)[1] for rule in rules}


def test_what_the_columnar_engine_compiles_and_what_it_leaves_to_the_reference(ws: Workspace) -> None:
    """``supports`` per kind: deadlines (times of day too), precedence, count and due are compiled; a
    rule with a feature the plans lack runs on the reference engine."""
    pytest.importorskip("duckdb")
    ws.ruleset("""
        - id: PLAIN
          deadline: {after: received, expect: answered, within: 5 working days, match: [case, unit]}
        - id: EXTENDED
          deadline: {after: received, expect: answered, within: 5 days, extend: {by: extended, up_to: 5 days}}
        - id: RESTART
          deadline: {after: received, expect: answered, within: 5 working days, restart: supplemented}
        - id: HOURS
          deadline: {after: received, expect: answered, within: 24 hours}
        - id: REQUEST
          deadline: {after: {event: received, date: confirmed_on}, expect: answered, within: 5 working days,
                     extend: {by: extended, up_to: 5 working days}, restart: supplemented, cancel: [meeting, summary],
                     pause: [{from: review, to: published}, {from: meeting, to: summary}]}
        - id: DAYS_PAUSED
          deadline: {after: received, expect: answered, within: 5 days, pause: {from: review, to: published}}
        - id: ORDER
          precedence: {event: published, requires: review}
        - id: COUNT
          count: {event: meeting, at_least: 1, per: year, for_each: unit}
        - id: SUMMARY
          due: {expect: summary, period: year, offset: 1, by: 01-15}
        - id: TIMED
          deadline: {after: task, expect: done, within: 1 working day}
        """)
    ws.log("date,event,case,unit\n2018-06-01,received,A,x\n2018-06-01 09:00,task,T,x\n")
    reasons = plans_of(ws)
    assert [r for r in ("PLAIN", "EXTENDED", "RESTART", "REQUEST", "HOURS", "TIMED", "ORDER", "COUNT", "SUMMARY")
            if reasons[r] is not None] == []
    assert reasons["DAYS_PAUSED"] == "a pause in a deadline counted (or extended) in calendar days or hours"


def test_parquet_is_read_by_every_engine(ws_log: Workspace) -> None:
    """Contract section 12: .parquet is an input format like CSV (row N is line N + 1)."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"date": ["2018-06-01", "2018-06-20", "2018-06-04"], "event": ["received", "answered", "received"],
                      "case": ["A", "A", "B"]})
    pq.write_table(table, ws_log.root / "events.parquet")
    reports = {engine: ws_log.cli_json("check", "events.parquet", "-r", "rs.yaml", "--as-of", "2018-07-31",
                                       "--engine", engine) for engine in ("python", "columnar")}
    assert reports["python"] == reports["columnar"]
    assert [(f["file"], f["line"], f["status"]) for f in reports["python"]["findings"]] == [
        ("events.parquet", 2, "late"), ("events.parquet", 4, "missing")]


def test_auto_chooses_by_the_size_of_the_input(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text("date,event\n", encoding="utf-8")
    assert engines.auto([small], 1000) == "python"
    assert engines.auto([large], engines.AUTO_COLUMNAR_BYTES) == "columnar"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7e), st.sampled_from(
    "〔〕［］【】（）\u3000\u00a0\u0301\u4e00\u9fff\u9fa5号依申ＡＢ１\uf900\u2f00")), max_size=8))
def test_a_case_value_the_sql_calls_unfolded_is_its_own_folded_form(text: str) -> None:
    """The columnar engine asks Python about the case values its pattern does not pass (the
    rest need no folding); the pattern must never pass one that folds."""
    import duckdb

    from gklint.engines.columnar import _UNFOLDED
    from gklint.events import fold_case

    con = duckdb.connect()
    if con.execute(f"SELECT regexp_full_match(?, '{_UNFOLDED}')", [text]).fetchall()[0][0]:
        assert fold_case(text) in (text, None)


STAMPS = st.builds(
    lambda y, m, d, sep, hh, mi, ss, frac, zone: f"{y:04d}-{m:02d}-{d:02d}{sep}{hh:02d}:{mi:02d}:{ss:02d}{frac}{zone}",
    st.integers(1899, 3001), st.integers(0, 13), st.integers(0, 32), st.sampled_from(["T", "t", " ", "  "]),
    st.integers(0, 24), st.integers(0, 60), st.integers(0, 60),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=10).map(lambda f: "." + f)),
    st.one_of(st.sampled_from(["", "Z", "z", "+08:00", "+0200"]), st.builds(
        lambda sign, h, m: f"{sign}{h:02d}:{m:02d}", st.sampled_from("+-"), st.integers(0, 25), st.integers(0, 61))))


@settings(max_examples=400, deadline=None)
@given(text=STAMPS)
@example(text="2011-10-01T00:38:44.546+02:00")
def test_timestamps_read_in_sql_are_read_as_python_reads_them(text: str) -> None:
    """The columnar engine reads timestamps such as XES exports write in SQL (the rest in Python):
    what the SQL reads must be what ``parse_when`` reads, in China Standard Time."""
    import duckdb

    from gklint.dates import parse_when
    from gklint.engines.columnar.load import moment_sql, when_sql

    con = duckdb.connect()
    (read,) = con.execute(f"SELECT {when_sql('m')} FROM (SELECT {moment_sql('x')} AS m FROM (SELECT ? AS x))",
                          [text]).fetchall()[0]
    if text == "2011-10-01T00:38:44.546+02:00":
        assert read == {"d": dt.date(2011, 10, 1), "t": dt.time(6, 38, 44, 546000)}
    if read is not None:
        assert parse_when(text) == (read["d"], read["t"])


def test_the_pause_walk_is_left_to_the_reference_when_one_match_value_has_too_many_pairs(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk joins each trigger with the pauses of its match values: beyond PAIRS_LIMIT pairs
    (one unit with many requests and consultations) the reference's bisection runs the rule."""
    pytest.importorskip("duckdb")
    from gklint.engines.columnar import deadline

    ws.ruleset("""
        - id: UNIT
          deadline: {after: received, expect: answered, within: 5 working days, match: [unit],
                     pause: {from: review, to: published}}
        """)
    ws.log("date,event,case,unit\n" + "".join(f"2018-06-{d:02d},{k},C{d},x\n" for d in range(1, 29)
                                              for k in ("received", "review", "published", "answered")))
    for limit, engine_runs in ((28 * 28, "sql"), (28 * 28 - 1, "reference")):
        monkeypatch.setattr(deadline, "PAIRS_LIMIT", limit)
        reasons = plans_of(ws)
        assert (reasons["UNIT"] is None) == (engine_runs == "sql"), reasons


def test_duckdb_memory_limit_follows_the_input_and_the_machine() -> None:
    """One and a half times the input, at least 512 MiB, at most a quarter of the machine and 4 GiB
    (2 GiB when the machine's memory is not known): docs/performance.md, "Memory"."""
    pytest.importorskip("duckdb")
    from gklint.engines.columnar import GIB, memory_limit

    assert memory_limit(1000, 24 * GIB) == GIB // 2
    assert memory_limit(GIB, 24 * GIB) == 3 * GIB // 2
    assert memory_limit(100 * GIB, 24 * GIB) == 4 * GIB
    assert memory_limit(100 * GIB, 8 * GIB) == 2 * GIB
    assert memory_limit(100 * GIB, None) == 2 * GIB
    assert memory_limit(1000, GIB) == GIB // 4  # a small machine: its quarter, even below 512 MiB


def test_findings_hold_no_instance_dict_and_share_an_empty_extra() -> None:
    """A report of millions of findings is held at once: each is slotted (no ``__dict__``) and
    one that carries nothing extra shares one read-only mapping instead of a dict of its own."""
    from gklint.model import Finding

    a = Finding(rule="R", severity="error", status="late", message={"zh": "晚", "en": "late"}, line=1)
    b = Finding(rule="R", severity="error", status="late", message={"zh": "晚", "en": "late"}, line=2)
    assert not hasattr(a, "__dict__")
    assert a.extra is b.extra and dict(a.extra) == {}
    with pytest.raises(TypeError):
        a.extra["waiver"] = {}  # type: ignore[index]
    waived = a.with_(status="waived", extra={**a.extra, "waived_status": a.status})
    assert waived.extra == {"waived_status": "late"} and a.extra == {}


def test_the_columnar_connection_has_its_memory_limit_and_draws_no_progress_bar(ws_log: Workspace) -> None:
    """DuckDB's limit is the rule's for this input (512 MiB for a small log on a machine of 2 GiB
    or more), and DuckDB's own progress bar, which it draws on stderr for a statement over 2 s,
    is off (a report's stderr is gklint's)."""
    pytest.importorskip("duckdb")
    from gklint.engine import CheckOptions, run_check
    from gklint.engines.columnar import memory_limit, physical_memory
    from gklint.ruleset import load_rulesets

    result = run_check([str(ws_log.root / "events.csv")], load_rulesets([str(ws_log.root / "rs.yaml")]),
                       CheckOptions(as_of=dt.date(2018, 12, 31), engine="columnar"))
    con = result.index  # the engine's connection, kept with the result
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0] is False
    limit = memory_limit((ws_log.root / "events.csv").stat().st_size, physical_memory())
    assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == \
        con.execute(f"SET memory_limit = '{limit >> 20}MiB'; SELECT current_setting('memory_limit')").fetchall()[0][0]


def test_plan_rows_are_fetched_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan's findings are made as its rows arrive (sql.rows), not from one list of every row;
    while they are being read, ``reading`` says so (another query on the connection would end
    the result); a connection whose results only have fetchall (as Spark's) gives them all at once."""
    duckdb = pytest.importorskip("duckdb")
    from gklint.engines.columnar import sql
    from gklint.engines.columnar.sql import reading, rows

    monkeypatch.setattr(sql, "BATCH", 10)
    con = duckdb.connect()
    got = rows(con, "SELECT range AS n FROM range(25) ORDER BY n")
    assert not reading(con)
    assert next(got) == (0,)
    assert reading(con)
    # only the first batch has been read from DuckDB yet
    assert len(con.fetchmany(100)) == 25 - 10
    assert [n for (n,) in rows(con, "SELECT range FROM range(?)", [25])] == list(range(25))
    assert not reading(con)

    class Whole:
        def execute(self, query: str) -> Whole:
            return self

        def fetchall(self) -> list[tuple[int]]:
            return [(1,), (2,)]

    assert list(rows(Whole(), "SELECT")) == [(1,), (2,)]


def _plain_at_once(data: bytes, counted: bool) -> int | None:
    """``load._plain``'s definition on the whole file at once."""
    if not data or any(b in data for b in (b'"', b"\x00", b"\x01")):
        return None
    if not counted and (b"\n\n" in data or b"\r\n\r\n" in data):
        return None
    if b"\r" in data and not data.count(b"\r\n") == data.count(b"\n") == data.count(b"\r"):
        return None
    return data.count(b"\n") + (not data.endswith(b"\n"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"a", b",", b"\n", b"\r", b"\r\n", b"\n\n", b'"', b"\x00", b"\x01", b"\r\n\r\n"]),
                max_size=40).map(b"".join), st.integers(1, 6), st.booleans())
def test_the_plain_file_scan_reads_chunks_as_the_whole_file(tmp_path_factory: pytest.TempPathFactory,
                                                              data: bytes, chunk: int, counted: bool) -> None:
    """The scan reads the file a chunk at a time (a mapped 7.8 GB file counted 7.8 GB in the
    process's resident memory); a pattern cut by a chunk boundary is found all the same."""
    from gklint.engines.columnar import load

    path = tmp_path_factory.mktemp("plain") / "events.csv"
    path.write_bytes(data)
    saved = load._CHUNK
    load._CHUNK = chunk
    try:
        assert load._plain(path, counted=counted) == _plain_at_once(data, counted)
    finally:
        load._CHUNK = saved


@pytest.mark.parametrize("when", ["expected", "measured", None])
def test_the_events_table_is_compressed_when_it_would_crowd_duckdb(
        ws_log: Workspace, monkeypatch: pytest.MonkeyPatch, when: str | None) -> None:
    """A log's table that takes more than COMPRESS_ABOVE of DuckDB's memory limit is held in an
    in-memory database DuckDB compresses (a temporary table is never compressed: at 10^7 events
    1.4 GiB of DuckDB's buffer pool beside the findings), checkpointed once loaded: loaded there
    when the input's size says so beforehand (TABLE_PER_BYTE), else moved there when the loaded
    table turns out to be that large; a small one stays a temporary table (compressing costs
    time). The plans read it either way."""
    pytest.importorskip("duckdb")
    from gklint.engine import CheckOptions, run_check
    from gklint.engines import columnar
    from gklint.engines.columnar import load
    from gklint.ruleset import load_rulesets

    compressed = when is not None
    if when == "expected":
        monkeypatch.setattr(columnar, "TABLE_PER_BYTE", 10**9)
    elif when == "measured":
        monkeypatch.setattr(columnar, "TABLE_PER_BYTE", 0)
        monkeypatch.setattr(columnar, "COMPRESS_ABOVE", 0.0)
    copied: list[Any] = []
    real = columnar.compress
    monkeypatch.setattr(columnar, "compress", lambda con, limit: copied.append(real(con, limit)) or copied[-1])
    loads: list[Any] = []
    real_load = load.load
    monkeypatch.setattr(load, "load", lambda con, job, **kw: loads.append(kw) or real_load(con, job, **kw))
    result = run_check([str(ws_log.root / "events.csv")], load_rulesets([str(ws_log.root / "rs.yaml")]),
                       CheckOptions(as_of=dt.date(2018, 12, 31), engine="columnar"))
    assert [(f.rule, f.line) for f in result.findings] == [("R", 2), ("R", 4)]
    con = result.index
    assert con.execute("SELECT database_name, temporary FROM duckdb_tables() WHERE table_name = 'events'"
                       ).fetchall() == [("log", False) if compressed else ("temp", True)]
    assert con.execute("SELECT count(*) FROM events").fetchall() == [(3,)]
    if compressed:
        segments = con.execute("SELECT DISTINCT compression FROM pragma_storage_info('log.events') "
                               "WHERE segment_type <> 'VALIDITY'").fetchall()
        assert {"Constant", "DICT_FSST"} <= {c for (c,) in segments}, segments  # (the file; the cases)
    assert loads == [{"temporary": False}] if when == "expected" else [{}]
    assert copied == ([] if when == "expected" else [when == "measured"])  # (moved once loaded)


def orphans_both_ways(rows: list[tuple[str, str | None]]) -> tuple[list[Any], list[Any]]:
    """``gklint.engine.orphans`` over ``rows`` (kind, case), and the columnar engine's anti-join."""
    import duckdb

    from gklint import engine
    from gklint.engines.columnar import orphans

    events = [(kind, case, "log.csv", line) for line, (kind, case) in enumerate(rows, 2)]
    con = duckdb.connect()
    con.execute('CREATE TABLE events (kind VARCHAR, "case" VARCHAR, file VARCHAR, line INTEGER)')
    if events:
        con.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", events)

    def rows_of(kind: str) -> list[tuple[str | None, str, int]]:
        return [(c, f, n) for k, c, f, n in events if k == kind]

    return sorted(engine.orphans(rows_of, "t", "r")), sorted(orphans(con, False, "t", "r"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("tr"), st.one_of(st.none(), st.sampled_from(["", "A1", "A2", "b", "依申〔2019〕22号"]))),
                max_size=12))
def test_the_columnar_engine_finds_the_replies_that_answer_nothing_by_an_anti_join(
        rows: list[tuple[str, str | None]]) -> None:
    """The case hints ask an engine for the responses whose case answers no trigger: when no case
    value folds (each its own folded form), the columnar engine finds them in SQL, the same rows
    as the reference's definition, and brings only them to Python."""
    pytest.importorskip("duckdb")
    reference, sql = orphans_both_ways(rows)
    assert sql == reference


def test_the_columnar_engine_brings_only_the_orphans_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("duckdb")
    from gklint import engine

    calls: list[Any] = []
    monkeypatch.setattr(engine, "orphans", lambda *args: calls.append(args) or iter(()))
    reference, sql = orphans_both_ways([("t", "A1"), ("r", "A1"), ("r", "A2")])
    assert sql == [("A2", "log.csv", 4)] and len(calls) == 1  # (the one call: the reference's, above)


def test_the_findings_of_a_large_report_share_their_repeated_strings(ws: Workspace) -> None:
    """Every finding is held at once: each one's file, unit and dates are one string per value
    (rows fetched from DuckDB give new strings each), not one per finding (docs/performance.md,
    "Memory")."""
    pytest.importorskip("duckdb")
    from gklint.engine import CheckOptions, run_check
    from gklint.ruleset import load_rulesets

    ws.ruleset(RULES)
    ws.log("date,event,case,unit\n2018-06-01,received,A,办公厅\n2018-06-01,received,B,办公厅\n"
           "2018-06-20,answered,A,办公厅\n2018-06-20,answered,B,办公厅\n")
    result = run_check([str(ws.root / "events.csv")], load_rulesets([str(ws.root / "rs.yaml")]),
                       CheckOptions(as_of=dt.date(2018, 12, 31), engine="columnar"))
    a, b = result.findings
    assert (a.case, b.case, a.status, b.status) == ("A", "B", "late", "late")
    for name in ("file", "unit", "start", "due", "actual"):
        assert getattr(a, name) is getattr(b, name), name
    assert a.response["file"] is b.response["file"] is a.file  # type: ignore[index]


@pytest.mark.parametrize("fails", [False, True], ids=["reported", "report-failed"])
def test_an_engines_close_runs_once_after_the_report(ws_log: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                     fails: bool) -> None:
    """``Checked.close`` (the spark engine frees its tables in the session with it) is called once
    the report is made. When making the report fails, it is still called, and a failure of its
    own does not hide the error that stopped the check."""
    from gklint import engine
    from gklint.engine import CheckOptions, run_check
    from gklint.engines import python
    from gklint.ruleset import load_rulesets

    calls = []

    def close() -> None:
        calls.append("close")
        raise RuntimeError("the session is gone too")

    check = python.check
    monkeypatch.setattr(python, "check", lambda job: replace(check(job), close=close))
    if fails:
        def broken(*args: Any) -> Any:
            raise ValueError("the report failed")

        monkeypatch.setattr(engine, "_result", broken)
    run = functools.partial(run_check, [str(ws_log.root / "events.csv")], load_rulesets([str(ws_log.root / "rs.yaml")]),
                            CheckOptions(as_of=dt.date(2018, 12, 31), engine="python"))
    with pytest.raises(ValueError if fails else RuntimeError, match="report failed" if fails else "session is gone"):
        run()
    assert calls == ["close"]


def test_an_engine_explains_only_what_it_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    """gklint.engines.explain asks the engines this process loaded; an error that is no engine's
    resource stays a bug (None), and an engine not loaded is not imported to ask it."""
    from gklint import engines

    monkeypatch.delitem(sys.modules, "gklint.engines.spark", raising=False)
    assert engines.explain(ValueError("x")) is None
    assert "gklint.engines.spark" not in sys.modules


def _spark_error(text: str, module: str = "py4j.protocol") -> Exception:
    kind = type("Py4JError", (Exception,), {"__module__": module})
    return kind(text)


@pytest.mark.parametrize(("error", "said"), [
    (_spark_error("An error occurred while calling o12.collect.\n: java.lang.OutOfMemoryError: Java heap space"),
     "Spark ran out of memory while checking: OutOfMemoryError: Java heap space"),
    (_spark_error("[UNABLE_TO_ACQUIRE_MEMORY] Unable to acquire 65536 bytes of memory, got 0.",
                  "pyspark.errors.exceptions.captured"),
     "Spark ran out of memory while checking: [UNABLE_TO_ACQUIRE_MEMORY] Unable to acquire 65536 bytes of memory, got 0."),
    (_spark_error("[UNRESOLVED_COLUMN] A column cannot be resolved"), None),
    (MemoryError("Not enough memory"), None),  # (not Spark's: Python's own)
], ids=["heap", "aggregate", "a-bug", "not-spark"])
def test_what_the_spark_engine_says_of_an_error(monkeypatch: pytest.MonkeyPatch, error: Exception,
                                                said: str | None) -> None:
    """Spark's lack of memory is exit 2 quoting Spark's line; any other error of Spark's, with no
    session whose JVM has ended, is left a bug (None). Needs neither pyspark nor Java."""
    from gklint.engines import spark

    monkeypatch.setattr(spark, "_session", None)
    found = spark.explain(error)
    assert (found.message if found is not None else None) == said
    if found is not None:
        assert found.exit_code == 2 and "SPARK_DRIVER_MEMORY" in found.hint


@pytest.mark.parametrize("builtin", [False, True])
def test_stamp_gives_each_field_of_a_problem_to_the_finding_field_of_its_name(builtin: bool) -> None:
    """``stamp`` reads a problem by position (a large report stamps millions): each field lands in
    the finding's field of the same name, whatever order either type lists them in."""
    from types import SimpleNamespace

    from gklint.engines.python import stamp
    from gklint.kinds.base import Problem

    values = {name: f"<{name}>" for name in Problem._fields}
    if not builtin:
        values["rule"] = values["severity"] = None
    rule = SimpleNamespace(id="R1", severity="warning", ruleset=SimpleNamespace(id="RS"))
    finding = stamp(rule, Problem(**values))
    for name in Problem._fields:
        if name not in ("rule", "severity"):
            assert getattr(finding, name) == f"<{name}>", name
    assert (finding.rule, finding.severity, finding.ruleset) == (
        ("<rule>", "<severity>", None) if builtin else ("R1", "warning", "RS"))


PRUNED_LOG = """\
    date,event,case,simple,period,channel
    2018-06-01,received,A,是,2018,网上
    2018-06-20,answered,A,,,
    2018-06-04,received,B,也许,,电话
    2018-06-05,summary,,,2018,
    """


@pytest.mark.parametrize("rules, kept", [
    (RULES, []),
    ("- id: R\n  deadline: {after: {event: received, where: {Simple: 是}}, expect: answered, within: 5 working days}\n",
     ["simple"]),
    ("- id: R\n  deadline: {after: {event: received, date: channel}, expect: answered, within: 5 working days}\n",
     ["channel"]),
    ("- id: R\n  due: {expect: summary, period: year, offset: 1, by: 01-15}\n", ["period"]),
    ("- id: R\n  ratio: {of: received, matching: {channel: 网上}, at_least: 0.5, per: year, for_each: simple}\n",
     ["simple", "channel"]),
])
def test_the_events_table_keeps_the_attributes_the_rules_read(ws: Workspace, rules: str, kept: list[str]) -> None:
    """The columnar engine keeps in ``events`` only the attribute columns some rule reads (its
    filters, match, ``date:``, ``for_each``, ``matching``, and the ``period`` a due rule reads of
    its own accord): at 10^7 events the others were most of the table. A value the vocabulary
    does not declare is GK001 whether or not a rule reads its column, and the report is the
    reference engine's."""
    pytest.importorskip("duckdb")
    from gklint.engine import CheckOptions, run_check
    from gklint.ruleset import load_rulesets

    ws.ruleset(rules, events=EVENTS.replace("aliases: [收到]}", "aliases: [收到], attributes: {simple: {description: 简单, "
                                                                "values: {是: [简单], 否: [复杂]}}}}"))
    ws.log(PRUNED_LOG)
    reports = {}
    for engine in ("python", "columnar"):
        result = run_check([str(ws.root / "events.csv")], load_rulesets([str(ws.root / "rs.yaml")]),
                           CheckOptions(as_of=dt.date(2019, 12, 31), engine=engine, show_pending=True))
        reports[engine] = [f.to_json("en") for f in result.findings]
    assert reports["columnar"] == reports["python"]
    assert ("GK001", 4) in [(f["rule"], f["line"]) for f in reports["python"]]  # 也许 is no declared value
    con = result.index
    columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'events'").fetchall()]
    attribute_columns = [c for c in columns if c[0] in "ktr" and c[1:].isdigit()]
    assert len(attribute_columns) == 3 * len(kept), columns


def test_attributes_read_names_every_column_a_rule_reads(ws: Workspace) -> None:
    """``attributes_read``: the filters', match, ``date:``, ``for_each`` and ``matching`` columns of
    every rule, folded as headers are (Simple is simple), and a due rule's ``period``; report-table
    rules read no event."""
    from gklint.kinds import attributes_read
    from gklint.ruleset import load_rulesets

    ws.ruleset("""\
        - id: D
          deadline: {after: {event: received, where: {Simple: 是}, date: [Start]}, expect: answered,
                     within: 5 working days, match: [case, Form]}
        - id: C
          count: {event: meeting, at_least: 1, per: year, for_each: Office}
        - id: Q
          ratio: {of: received, matching: {Channel: 网上}, at_least: 0.5, per: year}
        - id: U
          due: {expect: summary, period: year, offset: 1, by: 01-15}
        """)
    read = attributes_read([r for rs in load_rulesets([str(ws.root / "rs.yaml")]) for r in rs.rules])
    assert {"simple", "start", "case", "form", "office", "channel", "period"} <= read
    assert "stakeholders_attended" not in read


def test_asking_for_an_attribute_left_out_of_the_table_is_a_bug_not_an_absent_column() -> None:
    """An attribute column left out of ``events`` reads as a bug (exit 3 from the command line),
    never as a column no row fills, which would judge silently wrong."""
    pytest.importorskip("duckdb")
    from gklint.engines.columnar.load import Loaded

    loaded = Loaded(read=frozenset({"simple"}))
    assert loaded.keeps("simple") and not loaded.keeps("channel")
    loaded.attributes["simple"] = 0
    assert loaded.attribute("simple") == 0 and loaded.attribute("form") is None
    with pytest.raises(AssertionError, match="channel"):
        loaded.attribute("channel")


def test_a_row_key_orders_as_the_row_and_gives_it_back() -> None:
    """``sql.row_key`` packs a row's date, time of day, file place and line into one HUGEINT for
    the response window on DuckDB: its order is the struct's (date, time, file, line), from the
    first to the last day of the calendar's years, midnight to the last microsecond, the first
    to the last file a key tells apart and lines up to the table's largest; and it unpacks to
    the same values (a row without a time at 00:00). ``sql.moment_key`` orders as (date, time)."""
    import itertools
    import random

    from gklint.engines.columnar import sql

    rng = random.Random(7)
    dates = [dt.date(1900, 1, 1), dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2999, 12, 31), dt.date(1, 1, 1)]
    times = [None, dt.time(0, 0), dt.time(0, 0, 0, 1), dt.time(12, 30), dt.time(23, 59, 59, 999999)]
    ranks = [1, 2, sql.FILE_RANKS - 1]
    lines = [1, 2, 2**31 - 1]
    rows = [(d, t, f, n) for d, t, f, n in itertools.product(dates, times, ranks, lines)]
    rng.shuffle(rows)
    con = pytest.importorskip("duckdb").connect()
    con.execute("CREATE TABLE r (d DATE, t TIME, f INTEGER, l INTEGER)")
    con.executemany("INSERT INTO r VALUES (?, ?, ?, ?)", rows)
    key = sql.row_key("d", "t", "f", "l")
    got = con.execute(f"SELECT d, coalesce(t, TIME '00:00'), f, l FROM r ORDER BY {key}").fetchall()
    # (a row without a time is at 00:00: no window holds both, as a log's rows all have times or none)
    assert got == sorted((d, t or dt.time(0, 0), f, n) for d, t, f, n in rows)
    back = con.execute(f"SELECT {sql.key_date('k')}, {sql.key_time('k')}, {sql.key_rank('k')}, {sql.key_line('k')} "
                       f"FROM (SELECT {key} AS k FROM r)").fetchall()
    assert sorted(back) == sorted((d, t or dt.time(0, 0), f, n) for d, t, f, n in rows)
    moments = con.execute(f"SELECT d, t FROM r WHERE t IS NOT NULL ORDER BY {sql.moment_key('d', 't')}").fetchall()
    assert moments == sorted(moments)
