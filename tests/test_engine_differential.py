"""Contract section 12: every engine gives the reference engine's report, byte for byte.

Hypothesis writes logs (plain and quoted CSV, so both of the columnar engine's readers run; damaged
rows, duplicates, times of day, attributes typed in every way) and rulesets of every kind, with the
features the columnar plans compile and those they leave to the reference engine; the JSON reports
of ``--engine python`` and ``--engine columnar`` must be the same text.

The rules cover every line of contract sections 4 and 9: working days across make-up working days,
N = 0, calendar days that roll or not (``roll: false``), hours, extension (the same day as the
trigger too), restart, pause (with an extension judged against the moved date), cancel, a start
date read from an attribute, time of day (timestamps with and without offsets), no time limit,
periods (count, ratio, due), and calendar coverage (a date in 2030). Blank and footer rows,
declared attribute values and undeclared ones (GK001) come from the readers' side.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EVENTS, SPARK_FULL
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gklint.engine import CheckOptions, run_check
from gklint.reporters import get_reporter
from gklint.ruleset import load_rulesets

pytest.importorskip("duckdb")

KINDS = ["received", "answered", "received", "answered", "extended", "review", "published", "meeting", "summary",
         "收到", "recieved"]
DATES = ["2018-09-27", "2018-09-28", "2018-09-29", "2018-09-30", "2018-10-01", "2018-10-08", "2018-10-09",
         "2018-10-12", "2018-12-29", "2019-01-02", "2019-01-07", "2019/1/8", "2018-02-30", "", "2030-01-01",
         "2018年10月10日"]
TIMES = ["", "", "", " 09:30", " 16:00", "T09:30:00.250+02:00", "T20:15:00-05:00", " 07:00:00Z"]
CASES = ["A", "B", "C", "", " A"]
UNITS = ["办公室", "二处", "", "办公室 "]
SIMPLE = ["是", "否", "", "1", "1.0", "true", "是　", "简单", "复杂"]
PERIODS = ["", "2018", "2018-10", "2018-Q4", "x", "2018-10-08", "2018-09-29T10:00:00+08:00"]  # (also a start date)

ROW = st.tuples(st.sampled_from(DATES), st.sampled_from(TIMES), st.sampled_from(KINDS), st.sampled_from(CASES),
                st.sampled_from(UNITS), st.sampled_from(SIMPLE), st.sampled_from(PERIODS),
                st.sampled_from(["", "", "", "", "", "extra", "wide", "footer", "blank", "spaced"]))

DEADLINES = [
    "within: 3 working days",
    "within: 5 days",
    "within: 5 days\nroll: false",
    "within: 0 working days",
    "within: 2 working days\nextend: {by: extended, up_to: 3 working days}",
    "within: 4 days\nextend: {by: extended, up_to: 2 days}",
    "within: 3 working days\nmatch: [case, unit]",
    "within: 3 working days\nmatch: [simple]",
    "within: 3 working days\nrestart: extended",
    "within: 24 hours",
    "within: 30 hours\nextend: {by: extended, up_to: 24 hours}\nrestart: review\ncancel: [published, meeting]",
    "within: 1 working days\nextend: {by: extended, up_to: 12 hours}",
    "within: 3 working days\npause: {from: review, to: published}",
    "within: 3 working days\nextend: {by: extended, up_to: 2 working days}\npause: {from: review, to: published}",
    "within: 3 working days\ncancel: [review, published]",
    "match: [case]",  # no time limit
    "match: [case]\ncancel: review",
    "within: 0 working days\npause: {from: review, to: published}",
    "within: 5 days\nrestart: review\ncancel: published",
    "within: 2 working days\nrestart: extended\npause: [{from: review, to: published}, {from: meeting, to: summary}]",
    # the 2019 regulation's request rule: extension, restart, two pauses, cancel
    "within: 2 working days\nextend: {by: extended, up_to: 3 working days}\nrestart: summary\n"
    "pause: [{from: review, to: published}, {from: meeting, to: summary}]\ncancel: [meeting, review]",
    "within: 1 working days\nextend: {by: extended, up_to: 1 working days}\n"
    "pause: [{from: review, to: published}, {from: review, to: summary}]\nmatch: [unit]",
    "within: 3 days\npause: {from: review, to: published}",  # (calendar days: left to the reference)
]
# The deadlines the columnar engine must run as SQL, times of day or not (the test fails if its
# `supports` stops compiling one of them).
COMPILED = {d for d in DEADLINES if not ("days" in d.split("\n")[0] and "working" not in d and "pause" in d)}
AFTER = ["received", "{event: received, where: {simple: 是}}", "{event: received, where: {simple: 1}}",
         "{event: received, where: {unit: 办公室}}", "{event: received, where: {simple: [true, 否]}}",
         "{event: received, date: [period]}"]
OTHERS = [
    "precedence: {event: published, requires: review}",
    "precedence: {event: published, requires: {event: review, where: {simple: 是}}, match: [case, unit]}",
    "precedence: {event: published, requires: review, match: [simple]}",
    "count: {event: meeting, at_least: 2, per: month, for_each: unit}",
    "count: {event: meeting, at_most: 1, per: quarter}",
    "ratio: {of: received, matching: {simple: 是}, at_least: 0.5, per: month}",
    "due: {expect: summary, period: year, offset: 1, by: 01-05, for_each: unit}",
    "due: {expect: summary, period: quarter, offset: -1, by: 1-10, roll: true}",
    "due: {expect: {event: summary, where: {simple: 是}}, period: month, by: 28, for_each: unit}",
]


def write_log(path: Path, rows: list[tuple[str, ...]], quoted: bool, timed: bool) -> None:
    lines = ["date,event,case,unit,simple,period"]
    for date, time, kind, case, unit, simple, period, damage in rows:
        cells = [date + (time if date and timed else ""), kind, case, unit, simple, period]
        if damage == "extra":
            cells = cells[:3]  # a short row
        elif damage == "wide":
            cells.append("x")  # a cell past the header
        elif damage == "footer":
            cells = [f"填表人：{case}", "", "", "审核：李四"]  # skipped by the readers
        elif damage == "blank":
            cells = ["", " ", "", "　"]  # skipped too
        elif damage == "spaced":
            cells[0] = " " + cells[0]  # read (the row starts with a blank, but is not blank)
        lines.append(",".join(f'"{c}"' for c in cells) if quoted else ",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report(paths: list[Path], ruleset: Path, engine: str, as_of: dt.date, lang: str, encoded: bool = False) -> str:
    """The JSON report; ``encoded``: the engine may write its findings as JSON (``CheckOptions.encoded``,
    as ``gklint check --format json`` asks)."""
    result = run_check([str(p) for p in paths], load_rulesets([str(ruleset)]),
                       CheckOptions(as_of=as_of, engine=engine, show_pending=True, encoded=lang if encoded else None))
    out = io.StringIO()
    get_reporter("json")(out, lang=lang, color=False, rules={}).report(result)
    return out.getvalue()


STRATEGIES: dict[str, Any] = dict(plain_rows=st.lists(ROW, max_size=40), quoted_rows=st.lists(ROW, max_size=8),
       deadlines=st.lists(st.tuples(st.sampled_from(AFTER), st.sampled_from(DEADLINES)), min_size=1, max_size=3),
       others=st.lists(st.sampled_from(OTHERS), max_size=3, unique=True),
       as_of=st.sampled_from([dt.date(2018, 10, 10), dt.date(2019, 3, 1)]), lang=st.sampled_from(["en", "zh"]),
       duplicate=st.booleans(), timed=st.booleans(), declared=st.booleans(), encoded=st.booleans())
EXAMPLE: dict[str, Any] = dict(plain_rows=[("2018-09-27", "", "received", "A", "办公室", "是", "", ""),
                     ("2018-10-08", "", "answered", "A", "办公室", "", "", ""),  # 1 working day late
                     ("2018-09-28", "", "received", "B", "办公室", "1", "", ""),
                     ("2018-09-28", "", "extended", "B", "办公室", "", "", ""),  # the same day extends it
                     ("2018-10-12", "", "answered", "B", "办公室", "", "", ""),
                     ("2018-09-20", "", "answered", "C", "", "", "", ""),  # GK005
                     ("2018-09-29", "", "received", "C", "", "", "", ""),
                     ("2018-09-29", "", "received", "C", "", "", "", ""),  # GK004
                     ("2018-10-01", "", "published", "A", "办公室", "", "", ""),
                     ("2018-10-01", "", "review", "A", "办公室", "是", "", ""),
                     ("2018-10-02", "", "received", "", "", "", "", "")],  # GK003: no case
         quoted_rows=[("2018-10-09", "", "answered", "C", "", "", "", "")],
         deadlines=[("received", "within: 3 working days"),
                    ("received", "within: 2 working days\nextend: {by: extended, up_to: 3 working days}"),
                    ("received", "within: 5 days\nroll: false")],
         others=["precedence: {event: published, requires: review}",
                 "count: {event: received, at_least: 2, per: month, for_each: unit}",
                 "ratio: {of: received, matching: {simple: 是}, at_least: 0.5, per: month, for_each: unit}"],
         as_of=dt.date(2018, 10, 10), lang="en",
         duplicate=False, timed=False, declared=True, encoded=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**STRATEGIES)
@example(**EXAMPLE)
def test_columnar_reports_what_the_reference_engine_reports(tmp_path: Path, **kwargs: Any) -> None:
    same_report(tmp_path, "columnar", **kwargs)


# Spark runs each query as jobs of its own (2-5 s a check): a few examples by default, the
# columnar engine's 60 with GKLINT_SPARK_FULL=1 (tests/conftest.py).
@pytest.mark.spark
@settings(max_examples=60 if SPARK_FULL else 5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**STRATEGIES)
@example(**EXAMPLE)
def test_spark_reports_what_the_reference_engine_reports(spark_session: Any, tmp_path_factory: pytest.TempPathFactory,
                                                         **kwargs: Any) -> None:
    same_report(tmp_path_factory.mktemp("log"), "spark", **kwargs)


def same_report(tmp_path: Path, engine: str, plain_rows: list[Any], quoted_rows: list[Any], deadlines: list[Any],
                others: list[str], as_of: dt.date, lang: str, duplicate: bool, timed: bool, declared: bool,
                encoded: bool) -> None:
    """``timed``: rows carry times of day (the clock decides hours, and which response comes first);
    ``declared``: the vocabulary declares the values of ``simple`` (简单 is 是; 1 is GK001);
    ``encoded``: the engine may write its findings as JSON."""
    if duplicate and plain_rows:
        plain_rows = plain_rows + plain_rows[:3]
    write_log(tmp_path / "a.csv", plain_rows, quoted=False, timed=timed)
    write_log(tmp_path / "b.csv", quoted_rows, quoted=True, timed=timed)
    rules = [f"- id: D{i}\n  deadline:\n    after: {after}\n    expect: answered\n" + textwrap.indent(body, "    ")
             for i, (after, body) in enumerate(deadlines)]
    rules += [f"- id: O{i}\n  {kind}" for i, kind in enumerate(others)]
    ruleset = tmp_path / "rs.yaml"
    ruleset.write_text("ruleset: diff\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n"
                       + (EVENTS.replace("aliases: [收到]}", "aliases: [收到], attributes: {simple: {description: 简单, values: "
                                         "{是: [简单], 否: [复杂]}}}}") if declared else EVENTS)
                       + "rules:\n" + textwrap.indent("\n".join(rules), "  ") + "\n", encoding="utf-8")
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    expected = report(paths, ruleset, "python", as_of, lang)
    if engine != "columnar":  # (the plans are the columnar engine's; spark runs the same ones)
        assert report(paths, ruleset, engine, as_of, lang, encoded) == expected
        return
    with planned() as plans:
        assert report(paths, ruleset, "columnar", as_of, lang, encoded) == expected
    for i, kind in enumerate(others):  # (due rules run as SQL whatever the log holds)
        assert f"O{i}" not in plans or not kind.startswith("due:") or plans[f"O{i}"] is None, plans[f"O{i}"]
    for i, (_, body) in enumerate(deadlines):
        assert f"D{i}" not in plans or body not in COMPILED or plans[f"D{i}"] is None, plans[f"D{i}"]


@contextlib.contextmanager
def planned() -> Iterator[dict[str, str | None]]:
    """Which rules the columnar engine ran as SQL: rule id -> None, or why the reference ran it."""
    from gklint.engines import columnar

    plans: dict[str, str | None] = {}
    plan_of = columnar.plan_of

    def spy(rule: Any, ctx: Any) -> Any:
        module, reason = plan_of(rule, ctx)
        plans[rule.id] = reason
        return module, reason

    columnar.plan_of = spy
    try:
        yield plans
    finally:
        columnar.plan_of = plan_of


@pytest.mark.parametrize("engine", ["columnar", pytest.param("spark", marks=pytest.mark.spark)])
@pytest.mark.parametrize("rows", [30, 400])
def test_a_generated_log_gives_the_same_report(tmp_path: Path, rows: int, engine: str,
                                               request: pytest.FixtureRequest) -> None:
    """The benchmark generator's log (every bundled ruleset, late and unsorted rows)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import write_log as generate

    from gklint.commands.check import rulesets_in_force

    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        generate(fh, rows)
    reports = []
    if engine == "spark":
        if rows > 30 and not SPARK_FULL:
            pytest.skip("a minute and more on spark: GKLINT_SPARK_FULL=1 runs it")
        request.getfixturevalue("spark_session")
    for name in ("python", engine):
        result = run_check([str(path)], rulesets_in_force([]), CheckOptions(as_of=dt.date(2024, 6, 30),
                                                                            engine=name, show_pending=True))
        out = io.StringIO()
        get_reporter("json")(out, lang="zh", color=False, rules={}).report(result)
        reports.append(out.getvalue())
    assert reports[0] == reports[1]
    assert reports[0].count('"rule"') > 3


DENSE_KINDS = ["received", "answered", "extended", "review", "published", "meeting", "summary"]
DENSE_RULES = [
    "after: {event: received, date: period}\nexpect: answered\nwithin: 36 hours\n"
    "extend: {by: extended, up_to: 24 hours}\nrestart: summary\ncancel: [review, meeting]",
    "after: received\nexpect: answered\nwithin: 2 working days\nextend: {by: extended, up_to: 10 hours}",
    "after: received\nexpect: answered\nwithin: 2 working days\nextend: {by: extended, up_to: 2 working days}",
    "after: received\nexpect: answered\nwithin: 1 days\nmatch: [unit]",
    # the 2019 regulation's request rule, and its parts alone
    "after: {event: received, date: [simple, period]}\nexpect: answered\nwithin: 3 working days\n"
    "extend: {by: extended, up_to: 2 working days}\nrestart: summary\n"
    "pause: [{from: review, to: published}, {from: meeting, to: summary}]\ncancel: [meeting, review]",
    "after: received\nexpect: answered\nwithin: 0 working days\nextend: {by: extended, up_to: 1 working days}\n"
    "pause: [{from: review, to: published}, {from: review, to: summary}]\nmatch: [unit]",
    "after: {event: received, date: period}\nexpect: answered\nwithin: 4 days\nroll: false\nrestart: review\n"
    "extend: {by: extended, up_to: 1 days}\ncancel: published",
    "after: {event: received, date: period}\nexpect: answered\ncancel: [review, meeting]",
]


def dense_rows(times: list[str]) -> Any:
    """Rows of a dense log (day, kind, case, unit, simple, period, time of day), their times from ``times``."""
    return st.lists(st.tuples(st.integers(0, 30), st.sampled_from(DENSE_KINDS), st.sampled_from(["A", "B"]),
                              st.sampled_from(["办公室", "二处"]), st.sampled_from(["", "", "2018-10-08", "x"]),
                              st.sampled_from(["", "", "2018-09-29", "2018-10-09T10:00:00+08:00"]),
                              st.sampled_from(times)), max_size=40)


DENSE: dict[str, Any] = dict(rows=dense_rows(["", "", "", " 00:00", " 09:30", " 16:00", "T23:30:00+08:00"]),
                             body=st.sampled_from(DENSE_RULES),
                             as_of=st.sampled_from([dt.date(2018, 10, 10), dt.date(2018, 12, 1)]))
# Every row with a time, as an export of timestamps writes them: the plan's one window over moments.
TIMESTAMPED: dict[str, Any] = {**DENSE, "rows": dense_rows(
    [" 00:00", " 09:30", " 16:00", "T23:30:00+08:00", "T09:30:00+09:00", "T16:00:00.5+08:00"])}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**DENSE)
def test_restart_pause_cancel_and_date_starts_run_as_sql(tmp_path: Path, rows: list[Any], body: str,
                                                         as_of: dt.date) -> None:
    """Dense cases around the 2018 National Day holiday (make-up working days 09-29 and 09-30), some
    rows with a time of day (00:00 too, which date order puts beside a row without one): the deadline
    plan's response by the clock, restart, pauses, extension, cancel and ``date:`` starts give the
    reference's report."""
    dense_report(tmp_path, rows, body, as_of, "columnar")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**TIMESTAMPED)
def test_a_log_of_timestamps_runs_as_sql(tmp_path: Path, rows: list[Any], body: str, as_of: dt.date) -> None:
    """Every row with a time of day, as an export of timestamps writes them (several at one moment,
    a trigger and a response of the same minute, offsets that move a row to another day): the
    plan's one window over moments finds the reference's response."""
    dense_report(tmp_path, rows, body, as_of, "columnar")


@pytest.mark.spark
@settings(max_examples=120 if SPARK_FULL else 4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**{**DENSE, "rows": st.one_of(DENSE["rows"], TIMESTAMPED["rows"])})
@example(rows=[(0, "received", "A", "办公室", "", "", " 09:30"), (0, "answered", "A", "办公室", "", "", " 09:30"),
               (1, "received", "A", "办公室", "", "", " 16:00"), (1, "answered", "A", "办公室", "", "", " 09:30"),
               (6, "answered", "A", "办公室", "", "", "T23:30:00+08:00")],
         body=DENSE_RULES[2], as_of=dt.date(2018, 12, 1))  # every row with a time: one window over moments
@example(rows=[(0, "received", "A", "办公室", "2018-10-08", "", ""), (2, "review", "A", "办公室", "", "", " 09:30"),
               (5, "published", "A", "办公室", "", "2018-09-29", ""), (9, "extended", "A", "办公室", "", "", ""),
               (12, "summary", "A", "办公室", "", "", " 16:00"), (14, "received", "B", "二处", "x", "", ""),
               (15, "meeting", "B", "二处", "", "", ""), (20, "answered", "A", "办公室", "", "", " 00:00")],
         body=DENSE_RULES[4], as_of=dt.date(2018, 12, 1))
def test_spark_runs_restart_pause_cancel_and_date_starts(spark_session: Any, tmp_path_factory: pytest.TempPathFactory,
                                                         rows: list[Any], body: str, as_of: dt.date) -> None:
    """The dense cases of the columnar tests above, some logs of timestamps among them, on spark."""
    dense_report(tmp_path_factory.mktemp("log"), rows, body, as_of, "spark")


def dense_report(tmp_path: Path, rows: list[Any], body: str, as_of: dt.date, engine: str) -> None:
    base = dt.date(2018, 9, 20)
    log = tmp_path / "a.csv"
    log.write_text("date,event,case,unit,simple,period\n" + "".join(
        f"{base + dt.timedelta(days=d)}{t},{k},{c},{u},{s},{p}\n" for d, k, c, u, s, p, t in rows), encoding="utf-8")
    ruleset = tmp_path / "rs.yaml"
    ruleset.write_text("ruleset: diff\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n" + EVENTS
                       + "rules:\n  - id: D\n    deadline:\n" + textwrap.indent(body, "      ") + "\n", encoding="utf-8")
    expected = report([log], ruleset, "python", as_of, "en")
    with planned() as plans:
        assert report([log], ruleset, engine, as_of, "en") == expected
    assert plans.get("D", "not asked") is None


VERDICTS_LOG = """\
date,event,case,unit
2018-09-27,received,A,办公室
2018-10-08,answered,A,办公室
2018-09-27,received,B,办公室
2018-10-10,answered,B,二处
2018-10-08,received,C,办公室
2018-11-29,received,D,办公室
2018-10-08,received,E,办公室
2018-10-09 09:30,review,E,办公室
2018-10-08,received,F,二处
2018-10-09,meeting,F,二处
2018-11-01,received,G,办公室
2018-11-07,answered,G,办公室
"""
VERDICT_RULES = """\
  - id: PAUSED
    deadline: {after: received, expect: answered, within: 3 working days,
               pause: [{from: review, to: published}, {from: meeting, to: summary}]}
  - id: DAYS
    deadline: {after: received, expect: answered, within: 5 days, match: [case]}
  - id: UNTIMED
    deadline: {after: received, expect: answered}
"""


# Labels that SQL and str.format could misread: quotes, a backslash, braces, placeholders.
HOSTILE_EVENTS = (EVENTS.replace("answered: {label: 答复}",
                                 """answered: {label: {zh: "答'复\\\\{x}%s?", en: "it's \\\\ {0} %d $1 ''"}}""")
                  .replace("received: {label: 收到申请", """received: {label: "收{到}'\""""))


def verdict_report(tmp_path: Path, engine: str, lang: str, events: str = EVENTS) -> tuple[str, str]:
    """The reference engine's report of VERDICTS_LOG and ``engine``'s, after checking that the
    engine ran every rule as SQL."""
    log = tmp_path / "a.csv"
    log.write_text(VERDICTS_LOG, encoding="utf-8")
    ruleset = tmp_path / "rs.yaml"
    ruleset.write_text("ruleset: diff\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n" + events
                       + "rules:\n" + VERDICT_RULES, encoding="utf-8")
    expected = report([log], ruleset, "python", dt.date(2018, 12, 1), lang)
    with planned() as plans:
        got = report([log], ruleset, engine, dt.date(2018, 12, 1), lang)
    if engine == "columnar":
        assert plans == {"PAUSED": None, "DAYS": None, "UNTIMED": None}
        # (the findings written as JSON by the engine: the same report)
        assert report([log], ruleset, engine, dt.date(2018, 12, 1), lang, encoded=True) == got
    return expected, got


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_verdict_is_worded_as_the_reference_words_it(tmp_path: Path, lang: str) -> None:
    """The plan words its findings in SQL from the kind's message templates: late by one working
    day and by several (1 working day, 3 working days), late in calendar days, missing, pending,
    the clock stopped by each of two pauses (each pair's own events named), and no response with
    no time limit give the reference's report, in both languages."""
    expected, got = verdict_report(tmp_path, "columnar", lang)
    assert got == expected
    statuses = [line.split('"status": "')[1].split('"')[0] for line in expected.splitlines() if '"rule": "' in line]
    assert sorted(set(statuses)) == ["late", "missing", "pending"]
    words = {"en": [": 1 working day late\"", ": 3 working days late\"", ": 1 day late\"", ": 2 days late\"",
                    "stood still since 'review' on 2018-10-09T09:30, with no 'published' yet",
                    "stood still since 'meeting' on 2018-10-09, with no 'summary' yet", "no 'answered' recorded",
                    "none recorded by 2018-12-01", "; not yet due"],
             "zh": ["逾期1个工作日", "逾期3个工作日", "逾期1日", "逾期2日", "自2018-10-09T09:30“保密审查”起暂停计算，尚无“信息发布”",
                    "自2018-10-09“会议”起暂停计算，尚无“年度总结”", "“答复”没有记录", "截至2018-12-01没有记录",
                    "，尚未到期\""]}[lang]
    for word in words:
        assert word in expected, word


@pytest.mark.parametrize("engine", ["columnar", pytest.param("spark", marks=pytest.mark.spark)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_labels_go_into_the_sql_wording_as_written(tmp_path: Path, lang: str, engine: str,
                                                   request: pytest.FixtureRequest) -> None:
    """Event labels are the vocabulary's, written by whoever writes the ruleset: quotes, a
    backslash, braces and placeholders in them reach the report as written, on DuckDB and as
    Spark SQL."""
    if engine == "spark":
        request.getfixturevalue("spark_session")
    expected, got = verdict_report(tmp_path, engine, lang, HOSTILE_EVENTS)
    assert got == expected
    assert ("'it's \\\\ {0} %d $1 ''' was due by" if lang == "en" else "“答'复\\\\{x}%s?”应于") in expected


ONE_LINE_XES = ('<?xml version="1.0" encoding="UTF-8" ?><log xes.version="1.0" xmlns="http://www.xes-standard.org/">'
                + "".join(f'<trace><string key="concept:name" value="{case}"/><event><string key="concept:name" '
                          f'value="received"/><date key="time:timestamp" value="{day}T10:00:00+08:00"/></event>'
                          f'<event><string key="concept:name" value="answered"/><date key="time:timestamp" '
                          f'value="{answered}T09:00:00+08:00"/></event></trace>'
                          for case, day, answered in [("A", "2018-09-27", "2018-10-10"), ("B", "2018-09-28", "2018-10-08"),
                                                      ("C", "2018-10-08", "2018-10-09")]) + "</log>\n")


@pytest.mark.parametrize("encoded", [False, True])
@pytest.mark.parametrize("files", [["a.csv", "a.csv"], ["a.csv", "b.csv", "a.csv"], ["one-line.xes"]])
def test_triggers_on_one_line_of_one_file_are_each_judged(tmp_path: Path, files: list[str], encoded: bool) -> None:
    """The plan numbers a trigger by its file and line; where two triggers share both (a file
    named twice, an XES file written on one line) it numbers them in date order instead: each
    is judged, as the reference judges it, and reported in its order (findings of one rule about
    one row, whether made as ``Finding``s or written as JSON by the engine)."""
    (tmp_path / "a.csv").write_text(VERDICTS_LOG, encoding="utf-8")
    (tmp_path / "b.csv").write_text(VERDICTS_LOG.replace("办公室", "三处"), encoding="utf-8")
    (tmp_path / "one-line.xes").write_text(ONE_LINE_XES, encoding="utf-8")
    ruleset = tmp_path / "rs.yaml"
    ruleset.write_text("ruleset: diff\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n" + EVENTS
                       + "rules:\n" + VERDICT_RULES, encoding="utf-8")
    paths = [tmp_path / name for name in files]
    expected = report(paths, ruleset, "python", dt.date(2018, 12, 1), "en")
    with planned() as plans:
        assert report(paths, ruleset, "columnar", dt.date(2018, 12, 1), "en", encoded) == expected
    assert plans == {"PAUSED": None, "DAYS": None, "UNTIMED": None}
    assert expected.count('"status": "late"') >= 2


@pytest.mark.parametrize("timed", [False, True])
def test_the_response_window_over_a_struct_gives_the_same_report(tmp_path: Path, timed: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB finds each trigger's response by a window over one HUGEINT a row (``sql.row_key``),
    and over a struct of the row when the log has more files than the key tells apart (and on
    Spark): forced here, the struct's report is the reference's too, with and without times."""
    from gklint.engines.columnar import sql

    monkeypatch.setattr(sql, "FILE_RANKS", 1)  # (no file fits: the struct)
    log = VERDICTS_LOG.replace("-27,", "-27 10:00,") if timed else VERDICTS_LOG
    if timed:  # (every trigger and response with a time: the one-window form)
        log = "\n".join(line if i == 0 or " " in line.split(",")[0] else line.replace(",", " 09:00,", 1)
                        for i, line in enumerate(log.splitlines())) + "\n"
    (tmp_path / "a.csv").write_text(log, encoding="utf-8")
    ruleset = tmp_path / "rs.yaml"
    ruleset.write_text("ruleset: diff\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n" + EVENTS
                       + "rules:\n" + VERDICT_RULES, encoding="utf-8")
    expected = report([tmp_path / "a.csv"], ruleset, "python", dt.date(2018, 12, 1), "en")
    with planned() as plans:
        assert report([tmp_path / "a.csv"], ruleset, "columnar", dt.date(2018, 12, 1), "en", True) == expected
    assert plans == {"PAUSED": None, "DAYS": None, "UNTIMED": None}
    assert expected.count('"status": "late"') >= 2
