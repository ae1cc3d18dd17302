"""Shared helpers: small rulesets and logs written into ``tmp_path``, run through the real engine.

Tests use their own tiny rulesets (never the bundled ones, which are still being written), so a
failing test points at the engine, not at a ruleset.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from dataclasses import replace
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gklint.cli import main
from gklint.engine import CheckOptions, CheckResult, run_check
from gklint.model import Finding
from gklint.ruleset import load_rulesets

# The vocabulary every test ruleset declares (labels in Chinese, one alias to exercise resolution).
EVENTS = """\
events:
  received: {label: 收到申请, aliases: [收到]}
  answered: {label: 答复}
  extended: {label: 延期答复告知}
  supplemented: {label: 补正材料}
  task: {label: 任务下达}
  done: {label: 任务完成}
  meeting: {label: 会议}
  summary: {label: 年度总结}
  interp: {label: 解读}
  review: {label: 保密审查}
  published: {label: 信息发布}
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


class Workspace:
    """A folder holding one test's rulesets and logs, with ways to run gklint on them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.engine = "python"  # the engine check() runs (the both_engines fixture sets it)

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding=encoding)
        return path

    def ruleset(self, rules: str, *, name: str = "rs.yaml", ruleset_id: str = "test-rs",
                effective: str | None = None, events: str = EVENTS, extra: str = "") -> Path:
        """A ruleset file with the standard header; ``rules`` is the YAML list under ``rules:``."""
        head = dedent(f"""
            ruleset: {ruleset_id}
            title: {{zh: 测试规则集, en: Test ruleset}}
            document: 测试〔2018〕1号
            issued: 2018-01-01
            """)
        if effective:
            head += f"effective: {effective}\n"
        body = head + extra + events + "rules:\n" + textwrap.indent(dedent(rules), "  ")
        path = self.root / name
        path.write_text(body, encoding="utf-8")
        return path

    def log(self, text: str, name: str = "events.csv") -> Path:
        return self.write(name, text)

    def check(self, as_of: str, *, rulesets: Sequence[Path | str] | None = None,
              paths: Sequence[Path | str] | None = None, **options: Any) -> CheckResult:
        """``run_check`` on the workspace's log(s) with the given rulesets (default ``rs.yaml``)."""
        names = [str(r) for r in (rulesets or [self.root / "rs.yaml"])]
        opts = CheckOptions(as_of=dt.date.fromisoformat(as_of), **{"engine": self.engine, **options})
        files = [str(p) for p in (paths or [self.root / "events.csv"])]
        result = run_check(files, load_rulesets(names), opts)
        if self.engine == "spark":  # held byte for byte to the reference engine's report
            reference = run_check(files, load_rulesets(names), replace(opts, engine="python"))
            assert json_report(result) == json_report(reference)
        return result

    def cli(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """``gklint ARGS`` run with the workspace as the working directory (no config found above it)."""
        runner = _runner()
        with _chdir(self.root):
            return runner.invoke(main, list(args), env={"GKLINT_LANG": "en", **(env or {})},
                                 catch_exceptions=False)

    def cli_json(self, *args: str) -> dict[str, Any]:
        result = self.cli(*args, "--format", "json")
        assert result.exit_code in (0, 1), (result.exit_code, result.output, _stderr(result))
        return json.loads(result.stdout)


class _chdir:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        import os

        os.chdir(self.old)


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click 8.2+: stderr is kept apart already


def _stderr(result: Result) -> str:
    try:
        return result.stderr
    except ValueError:  # pragma: no cover - stderr mixed in
        return ""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    # A config file above tmp_path must not leak in: gklint walks up from the working directory.
    (tmp_path / "gklint.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("GKLINT_LANG", "en")
    return Workspace(tmp_path)


def json_report(result: CheckResult, lang: str = "en") -> str:
    """The JSON report of ``result``, as ``gklint check --format json`` writes it."""
    import io

    from gklint.reporters import get_reporter

    out = io.StringIO()
    get_reporter("json")(out, lang=lang, color=False, rules={}).report(result)
    return out.getvalue()


# Spark's cost: a session takes ~6 s to start and its first check ~15 s more (the JVM warming up);
# then a check of a few rows takes 2-5 s (each query is Spark jobs of its own). So one session
# serves each test module (spark_session), and by default the spark engine runs a sample of each
# engine-parametrised module (every SPARK_STRIDE-th test, from the first) and a few examples of the
# differential suite; GKLINT_SPARK_FULL=1 runs every test on spark (docs/scale.md gives its figures).
SPARK_FULL = os.environ.get("GKLINT_SPARK_FULL", "") not in ("", "0")
SPARK_STRIDE = 4


@pytest.fixture(scope="module")
def spark_session() -> Iterator[Any]:
    """A Spark session (local mode, 2 threads, a 4 GiB heap) for the tests of one module, in a JVM
    of its own that ends with the module; the tests skip where pyspark or Java is missing.

    One session per module, as issue 16 asks: what one module's tests do to the JVM (a heap
    filled by old plans, a session a test broke) ends with the module."""
    from gklint.engines import spark

    problem = spark.missing()
    if problem:
        pytest.skip(f"the spark engine cannot run here: {problem}")
    session = spark.session("local[2]", {"spark.driver.memory": "4g"})
    yield session
    spark.stop()
    _end_jvm()


def _end_jvm() -> None:
    """End the JVM pyspark started (it exits when its standard input closes), so that the next
    module's session starts in a new one."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    proc = getattr(gateway, "proc", None)
    gateway.shutdown()
    SparkContext._gateway = SparkContext._jvm = None
    if proc is not None:
        proc.stdin.close()
        proc.wait(timeout=120)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: runs the spark engine (GKLINT_SPARK_FULL=1 runs every one)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The spark sample: of the tests run on the spark engine by ``both_engines``, each module keeps
    every SPARK_STRIDE-th (in file order, so the sample spans the module's topics), unless
    GKLINT_SPARK_FULL is set."""
    if SPARK_FULL:
        return
    seen: dict[str, int] = {}
    keep, drop = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        if spec is not None and spec.params.get("both_engines") == "spark":
            index = seen.get(item.module.__name__, 0)
            seen[item.module.__name__] = index + 1
            if index % SPARK_STRIDE:
                drop.append(item)
                continue
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


ENGINES = ["python", "columnar", pytest.param("spark", marks=pytest.mark.spark)]


@pytest.fixture(params=ENGINES)
def both_engines(request: pytest.FixtureRequest, ws: Workspace) -> str:
    """Run the test on each engine (contract section 12: the same report from every engine):
    ``ws.check`` uses it, and so does ``ws.cli`` through the workspace's gklint.toml. On the
    spark engine ``ws.check`` also holds the JSON report to the reference engine's."""
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    ws.engine = request.param
    (ws.root / "gklint.toml").write_text(f'engine = "{request.param}"\n', encoding="utf-8")
    return str(request.param)


def statuses(result: CheckResult, rule: str | None = None) -> list[tuple[str, str | None, str]]:
    """(rule, case or period, status) of each finding, optionally of one rule only."""
    return [(f.rule, f.case if f.case is not None else f.period, f.status)
            for f in result.findings if rule is None or f.rule == rule]


def only(result: CheckResult, rule: str, key: str | None = None) -> Finding:
    """The one finding of ``rule`` (about case/period ``key``); fails when there is not exactly one."""
    found = [f for f in result.findings
             if f.rule == rule and (key is None or key in (f.case, f.period))]
    assert len(found) == 1, f"expected one {rule} finding for {key}, got {statuses(result)}"
    return found[0]


def stderr_of(result: Result) -> str:
    return _stderr(result)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The on-disk cache of the test session lives in a temporary folder, not the user's."""
    import os

    old = os.environ.get("GKLINT_CACHE_DIR")
    os.environ["GKLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("gklint-cache"))
    yield
    if old is None:
        os.environ.pop("GKLINT_CACHE_DIR", None)
    else:
        os.environ["GKLINT_CACHE_DIR"] = old


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The number of fuzz cases run (tests/test_fuzz.py), when it ran."""
    import sys

    fuzz = sys.modules.get("test_fuzz")
    cases = getattr(fuzz, "CASES", None)
    if cases:
        terminalreporter.write_line(
            f"fuzz: {sum(cases.values())} cases ran ({', '.join(f'{k} {v}' for k, v in sorted(cases.items()))})")
