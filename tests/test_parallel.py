"""A check split over two processes (gklint.parallel) reports exactly what one process reports.

The split is forced (``jobs=2``) on generated logs with the damage real logs have, over two
files, with rows in an uncovered year (GK010), units seen only in one side's kinds (per-unit
period rules), duplicates and rows of undeclared kinds.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import stderr_of

from gklint import parallel
from gklint.cli import main
from gklint.commands.check import rulesets_in_force
from gklint.engine import CheckOptions, build_vocabulary, run_check
from gklint.events import discover
from gklint.parallel import sample_kinds

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_differential import generated_log

pytestmark = pytest.mark.skipif(not parallel.available(), reason="needs fork and two CPUs")
AS_OF = dt.date(2022, 6, 30)


@pytest.fixture(scope="module")
def rulesets():  # type: ignore[no-untyped-def]
    return rulesets_in_force([])


def logs(tmp_path: Path, seed: int) -> list[Path]:
    first = generated_log(tmp_path / "a.csv", 5000, seed)
    second = generated_log(tmp_path / "b.csv", 3000, seed + 1)
    with second.open("a", encoding="utf-8") as fh:
        fh.write("2000-03-01,inquiry_received,OLD-1,办公室,否,,,网上咨询,\n")  # 2000: not covered
        fh.write("2000-03-09,inquiry_replied,OLD-1,办公室,,,,,\n")
        for month in (3, 5):  # a unit that only answers inquiries: it held no meetings
            fh.write(f"2021-0{month}-03,inquiry_received,LONE-{month},孤立司,否,,,网上咨询,\n")
    return [first, second]


def both(paths: list[Path], rulesets, **options):  # type: ignore[no-untyped-def]
    one = run_check(paths, rulesets, CheckOptions(as_of=AS_OF, jobs=1, show_pending=True, **options))
    two = run_check(paths, rulesets, CheckOptions(as_of=AS_OF, jobs=2, show_pending=True, **options))
    return one, two


@pytest.mark.parametrize("seed", [21, 22])
def test_split_check_equals_one_process(tmp_path: Path, rulesets, seed: int) -> None:  # type: ignore[no-untyped-def]
    paths = logs(tmp_path, seed)
    split = parallel.plan([r for rs in rulesets for r in rs.rules], discover(paths),
                          lambda fs: sample_kinds(fs, build_vocabulary(rulesets), None), jobs=2)
    assert split is not None and split.helper_kinds and split.helper_rules  # the helper has work
    one, two = both(paths, rulesets)
    rules = {f.rule for f in one.findings}
    assert {"GK001", "GK002", "GK004", "GK006", "GK007", "GK010"} <= rules
    # A per-unit period rule of the other side's kinds reports the unit seen only in inquiries.
    assert any(f.unit == "孤立司" and f.line is None and f.period for f in one.findings)
    assert len(one.findings) > 100
    assert two.findings == one.findings
    assert (two.events, two.pending, two.rules, two.files) == (one.events, one.pending, one.rules, one.files)


def test_the_summary_carries_what_period_rules_ask_of_the_other_side(tmp_path: Path, rulesets,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With the inquiries on the helper's side and the meeting rules on the main one, the main
    process learns from the helper's summary every unit seen in a month (not only the month's
    first row's) and the log's first date (the helper's kinds start earliest here)."""
    paths = logs(tmp_path, 30)
    with paths[1].open("a", encoding="utf-8") as fh:
        fh.write("2015-06-01,inquiry_received,EARLY-1,办公室,否,,,网上咨询,\n")  # before every other row
    inquiries = frozenset({"inquiry_received", "inquiry_replied"})
    rules = [r for rs in rulesets for r in rs.rules]
    forced = parallel.Plan(frozenset(r.id for r in rules if parallel.referenced_events(r.compiled()) and
                                     parallel.referenced_events(r.compiled()) <= inquiries), inquiries)
    monkeypatch.setattr(parallel, "plan", lambda *args, **kwargs: forced)
    one, two = both(paths, rulesets)
    assert any(f.unit == "孤立司" and f.line is None and f.period for f in one.findings)
    assert min(f.period for f in one.findings if f.period and f.period[:4].isdigit()) <= "2015-12"
    assert two.findings == one.findings


def test_split_check_with_selection_and_units(tmp_path: Path, rulesets) -> None:  # type: ignore[no-untyped-def]
    paths = logs(tmp_path, 23)
    one, two = both(paths, rulesets, select=["SH21-*", "GK*", "OGI19-*"], units=["无记录司"])
    assert any(f.unit == "无记录司" for f in one.findings)
    assert two.findings == one.findings


def test_failed_helper_falls_back_to_one_process(tmp_path: Path, rulesets, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    paths = logs(tmp_path, 24)
    one = run_check(paths, rulesets, CheckOptions(as_of=AS_OF, jobs=1))
    start = parallel.start

    def broken(work):  # type: ignore[no-untyped-def]
        def fail(channel):  # type: ignore[no-untyped-def]
            raise RuntimeError("the helper broke")
        return start(fail)

    monkeypatch.setattr(parallel, "start", broken)
    two = run_check(paths, rulesets, CheckOptions(as_of=AS_OF, jobs=2))
    assert two.findings == one.findings and two.events == one.events


def test_cli_jobs_give_the_same_report(tmp_path: Path) -> None:
    paths = [str(p) for p in logs(tmp_path, 25)]
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        result = runner.invoke(main, ["check", *paths, "--as-of", AS_OF.isoformat(), "--format", "json",
                                      "-o", str(out), "--jobs", jobs])
        assert result.exit_code == 1, result.output
        outputs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1] and outputs[0]["findings"]


def test_small_or_other_logs_stay_in_one_process(tmp_path: Path, rulesets) -> None:  # type: ignore[no-untyped-def]
    rules = [r for rs in rulesets for r in rs.rules]
    weigh = lambda fs: ({"inquiry_received": 10, "request_received": 10}, False)
    small = generated_log(tmp_path / "small.csv", 200, 1)
    assert parallel.plan(rules, [small], weigh) is None  # below MIN_BYTES
    assert parallel.plan(rules, [small], weigh, jobs=2) is not None
    assert parallel.plan(rules, [small], weigh, jobs=1) is None
    jsonl = tmp_path / "log.jsonl"
    jsonl.write_text('{"date": "2021-01-01", "event": "inquiry_received"}\n', encoding="utf-8")
    assert parallel.plan(rules, [jsonl], weigh, jobs=2) is None  # not CSV: parsing is the cost


def test_kinds_read_by_one_rule_stay_together(rulesets) -> None:  # type: ignore[no-untyped-def]
    rules = [r for rs in rulesets for r in rs.rules]
    weights = {k: 100 for k in ("inquiry_received", "inquiry_replied", "request_received", "request_answered",
                                "policy_document_published", "interpretation_published")}
    split = parallel.plan(rules, [Path(__file__)], lambda fs: (weights, True), jobs=2)  # not read
    assert split is None  # a .py file is not a CSV log
    split = parallel.plan(rules, [Path("x.csv")], lambda fs: (weights, True), jobs=2)
    assert split is not None
    for rule in rules:
        kinds = parallel.referenced_events(rule.compiled())
        inside = kinds & split.helper_kinds
        assert not inside or inside == kinds, rule.id  # a rule's kinds are all on one side
        assert (rule.id in split.helper_rules) == bool(inside), rule.id
        if rule.kind == "table":
            assert not inside  # report tables are read by the main process only


def test_split_check_with_a_report_table(tmp_path: Path, rulesets) -> None:  # type: ignore[no-untyped-def]
    """A report table is read by the main process, with the kinds its rules count."""
    examples = Path(__file__).resolve().parents[1] / "examples" / "requests-2019"
    result = CliRunner().invoke(main, ["stats", "--year", "2019", str(examples / "events.csv"),
                                       "-o", str(tmp_path / "table.csv")])
    assert result.exit_code == 0, result.output
    table = tmp_path / "table.csv"
    text = table.read_text(encoding="utf-8").replace("一、本年新收政府信息公开申请数量,20,", "一、本年新收政府信息公开申请数量,21,")
    table.write_text(text, encoding="utf-8")
    paths = [*logs(tmp_path, 26), examples / "events.csv", table]
    one, two = both(paths, rulesets, select=["AR19-*", "OGI19-*", "SH21-*", "GK*"])
    assert any(f.rule.startswith("AR19") for f in one.findings)
    assert two.findings == one.findings


def test_a_report_table_after_the_sampled_logs_is_still_seen(tmp_path: Path, rulesets,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample of the logs stops at a budget, but every file's header is read: a report table
    named after many logs keeps the kinds its rules count in the main process."""
    examples = Path(__file__).resolve().parents[1] / "examples" / "requests-2019"
    table = tmp_path / "z-table.csv"
    assert CliRunner().invoke(main, ["stats", "--year", "2019", str(examples / "events.csv"),
                                     "-o", str(table)]).exit_code == 0
    table.write_text(table.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量,20,", "一、本年新收政府信息公开申请数量,21,"), encoding="utf-8")
    monkeypatch.setenv("GKLINT_NO_CACHE", "1")  # a plan from the sample alone
    # Four logs spend the sample's budget (a quarter each), whatever its size.
    paths = [*logs(tmp_path, 28), generated_log(tmp_path / "c.csv", 2000, 29), examples / "events.csv", table]
    assert sample_kinds(paths, build_vocabulary(rulesets), None)[1]  # the table was seen
    one, two = both(paths, rulesets, select=["AR19-*", "OGI19-*", "GK*"])
    assert any(f.rule.startswith("AR19") for f in one.findings)
    assert two.findings == one.findings


def test_measured_rule_costs_guide_the_next_split(tmp_path: Path, rulesets, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A check of a large log remembers each rule's seconds per row read (the cache), and the
    next split weighs rules by them: here a rule measured 30 times slower than the default
    moves its kinds' group to the other side. Small measurements are not remembered."""
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = [r for rs in rulesets for r in rs.rules if r.kind != "table"]
    weights = {"inquiry_received": 100, "inquiry_replied": 100, "request_received": 100,
               "request_answered": 100, "policy_document_published": 40, "interpretation_published": 40}
    before = parallel.plan(rules, [Path("x.csv")], lambda fs: (weights, False), jobs=2, size=80_000_000)
    parallel.remember_costs({"SH21-REPLY-5WD": (0.5, 5), "OGI08-REPLY-15WD": (15.0, 1_000_000)}, 80_000_000)
    assert set(parallel.remembered_costs()) == {"OGI08-REPLY-15WD"}  # 5 rows: too few to trust
    after = parallel.plan(rules, [Path("x.csv")], lambda fs: (weights, False), jobs=2, size=80_000_000)
    assert before is not None and after is not None
    requests = {"request_received", "request_answered"}
    # Heavier than everything else together: the requests go to one side, all else to the other.
    others = {"inquiry_received", "policy_document_published"}
    assert after != before
    assert (requests <= after.helper_kinds and not others & after.helper_kinds) or (
        not requests & after.helper_kinds and others <= after.helper_kinds)


def test_a_large_check_remembers_rule_costs(tmp_path: Path, rulesets, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "MEASURED_ROWS", 100)
    paths = logs(tmp_path, 27)
    run_check(paths, rulesets, CheckOptions(as_of=AS_OF, jobs=2))
    costs = parallel.remembered_costs()
    assert {"SH21-REPLY-5WD", "OGI19-REPLY-20WD"} <= set(costs)  # from both processes
    size = parallel.scale(sum(p.stat().st_size for p in paths))
    assert all(set(by_scale) == {size} and 0 < by_scale[size] < 1 for by_scale in costs.values())


def test_rule_costs_are_kept_per_size_of_log(tmp_path: Path, rulesets, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A rule's time per row grows with the log, so a cost is remembered for the log's size
    class (order of magnitude of its bytes), and a plan uses the nearest class measured."""
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    parallel.remember_costs({"R": (1.0, 1_000_000)}, 70_000_000)  # class 8
    parallel.remember_costs({"R": (3.0, 1_000_000)}, 70_000_000)  # the same class: averaged
    parallel.remember_costs({"R": (20.0, 10_000_000)}, 700_000_000)  # class 9
    by_scale = parallel.remembered_costs()["R"]
    assert by_scale == {8: pytest.approx(2e-6), 9: pytest.approx(2e-6)}
    parallel.remember_costs({"R": (60.0, 10_000_000)}, 700_000_000)
    by_scale = parallel.remembered_costs()["R"]
    assert by_scale[9] == pytest.approx(4e-6) and by_scale[8] == pytest.approx(2e-6)
    assert parallel.cost_at(by_scale, 50_000_000) == pytest.approx(2e-6)  # 10^7.7 -> class 8
    assert parallel.cost_at(by_scale, 900_000_000) == pytest.approx(4e-6)
    assert parallel.cost_at(by_scale, 10 ** 12) == pytest.approx(4e-6)  # nearest: the largest measured
    assert parallel.cost_at(by_scale, 1000) == pytest.approx(2e-6)
    assert parallel.cost_at({}, 1000) is None


@pytest.mark.parametrize("value", ["two", "-1", "²", "1.5"])
def test_gklint_jobs_must_be_a_number(ws, value: str) -> None:  # type: ignore[no-untyped-def]
    ws.log("date,event\n2021-01-01,x\n")
    result = ws.cli("check", "events.csv", "--as-of", "2021-12-31", env={"GKLINT_JOBS": value})
    assert result.exit_code == 2
    assert f"GKLINT_JOBS={value!r} is not a number of processes" in stderr_of(result)
    assert ws.cli("check", "events.csv", "--as-of", "2021-12-31", "--jobs", "-1").exit_code == 2
