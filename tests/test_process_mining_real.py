"""examples/process-mining on the two real logs of ``../shared/data/real-logs/`` (skipped when that
folder is absent): gklint's verdicts, case by case, against the same constraints computed here
independently -- the CSV read with the csv module, the XES with ElementTree, times converted with
zoneinfo, Dutch working days counted from ``holidays.NL`` directly.

The semantics computed here are docs/process-mining.md's: a response at the same moment as its
trigger follows it; a precedence needs its required event strictly earlier (both carry times);
the timed constraint counts working days from the trigger's date in Europe/Amsterdam.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real-logs"
EXAMPLE = ROOT / "examples" / "process-mining"
RECEIPT, BPIC = REAL / "receipt.csv", REAL / "bpic2012.xes.gz"
pytestmark = pytest.mark.skipif(not (RECEIPT.is_file() and BPIC.is_file()),
                                reason="../shared/data/real-logs is not here")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AS_OF = dt.date(2012, 12, 31)


class Row(NamedTuple):
    case: str
    activity: str
    moment: dt.datetime  # in Europe/Amsterdam
    line: int | None


def amsterdam(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp).astimezone(AMSTERDAM)


def receipt_rows() -> list[Row]:
    with RECEIPT.open(encoding="utf-8", newline="") as fh:
        return [Row(r["case:concept:name"], r["concept:name"], amsterdam(r["time:timestamp"]), i)
                for i, r in enumerate(csv.DictReader(fh), start=2)]


def bpic_rows() -> list[Row]:
    import xml.etree.ElementTree as ET

    ns = "{http://www.xes-standard.org/}"
    rows: list[Row] = []
    with gzip.open(BPIC) as fh:
        for _, element in ET.iterparse(fh):
            if element.tag == ns + "trace":
                case = next(a.get("value") for a in element if a.get("key") == "concept:name")
                for event in element.iter(ns + "event"):
                    values = {a.get("key"): a.get("value") for a in event}
                    rows.append(Row(str(case), str(values["concept:name"]),
                                    amsterdam(str(values["time:timestamp"])), None))
                element.clear()
    return rows


def by_case(rows: Iterable[Row]) -> dict[str, list[Row]]:
    cases: dict[str, list[Row]] = {}
    for row in rows:
        cases.setdefault(row.case, []).append(row)
    return cases


def working_day(day: dt.date) -> bool:
    import holidays

    return day.weekday() < 5 and day not in holidays.NL(years=day.year)


def add_working_days(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= working_day(day)
    return day


def expected(rules: dict[str, Any], cases: dict[str, list[Row]]) -> Counter[tuple[str, str, str, Any]]:
    """(rule, case, status, line) of every finding the example's rules should give."""
    out: Counter[tuple[str, str, str, Any]] = Counter()
    for case, rows in cases.items():
        for rule_id, (kind, spec) in rules.items():
            if kind == "count":
                n = sum(r.activity == spec["event"] for r in rows)
                first = min((r.line for r in rows), default=None) if rows[0].line else None
                if "at_most" in spec and n > spec["at_most"]:
                    out[(rule_id, case, "too_many", first)] += 1
                if "at_least" in spec and n < spec["at_least"]:
                    out[(rule_id, case, "too_few", first)] += 1
            elif kind == "deadline":
                for trigger in (r for r in rows if r.activity == spec["after"]):
                    answers = [r.moment for r in rows if r.activity == spec["expect"] and r.moment >= trigger.moment]
                    answer = min(answers, default=None)
                    if "within" not in spec:
                        if answer is None:
                            out[(rule_id, case, "missing", trigger.line)] += 1
                        continue
                    due = add_working_days(trigger.moment.date(), int(spec["within"].split()[0]))
                    if answer is None:
                        out[(rule_id, case, "missing" if AS_OF > due else "pending", trigger.line)] += 1
                    elif answer.date() > due:
                        out[(rule_id, case, "late", trigger.line)] += 1
            elif kind == "precedence":
                for event in (r for r in rows if r.activity == spec["event"]):
                    if not any(r.activity == spec["requires"] and r.moment < event.moment for r in rows):
                        out[(rule_id, case, "unpreceded", event.line)] += 1
    return out


def example_rules(name: str) -> dict[str, Any]:
    import yaml

    doc = yaml.safe_load((EXAMPLE / name).read_text(encoding="utf-8"))
    return {r["id"]: next((k, v) for k, v in r.items() if k in ("count", "deadline", "precedence"))
            for r in doc["rules"]}


@lru_cache(maxsize=None)  # (one run per log and engine, whichever tests ask)
def gklint_findings(log: Path, ruleset: str, engine: str = "python") -> tuple[Any, Counter[tuple[str, str, str, Any]]]:
    from gklint.engine import CheckOptions, run_check
    from gklint.ruleset import load_rulesets

    result = run_check([str(log)], load_rulesets([str(EXAMPLE / ruleset)]),
                       CheckOptions(as_of=AS_OF, calendar="NL", timezone="Europe/Amsterdam", engine=engine))
    return result, Counter((f.rule, str(f.case), f.status, f.line if log.suffix == ".csv" else None)
                           for f in result.findings if not f.rule.startswith("GK"))


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_receipt__every_constraint_case_by_case(engine: str) -> None:
    rows = receipt_rows()
    result, found = gklint_findings(RECEIPT, "receipt.yaml", engine)
    assert result.events == len(rows) == 8577
    assert not [f for f in result.findings if f.rule.startswith("GK")]
    want = expected(example_rules("receipt.yaml"), by_case(rows))
    assert found == want
    assert {rule for rule, *_ in want} >= {"RCPT-ABSENCE", "RCPT-RESPONSE", "RCPT-CHECK-5WD"}  # (not vacuous)


def test_bpic2012__every_constraint_case_by_case() -> None:
    rows = bpic_rows()
    result, found = gklint_findings(BPIC, "bpic2012.yaml")
    assert result.events == len(rows) == 262_200
    assert not [f for f in result.findings if f.rule.startswith("GK")]
    want = expected(example_rules("bpic2012.yaml"), by_case(rows))
    assert found == want
    assert {rule for rule, *_ in want} >= {"LOAN-ABSENCE", "LOAN-RESPONSE", "LOAN-OFFER-2WD"}  # (not vacuous)


def test_bpic2012__xes_lines_are_the_event_elements() -> None:
    """Each finding's line is the line its <event> element starts on."""
    result, _ = gklint_findings(BPIC, "bpic2012.yaml")
    lines = {f.line for f in result.findings if f.line is not None}
    with gzip.open(BPIC, "rt", encoding="utf-8") as fh:
        starts = {number for number, text in enumerate(fh, start=1) if text.strip() == "<event>"}
    assert lines and lines <= starts
