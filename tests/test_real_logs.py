"""gklint on a log nobody here wrote: the WABO receipt log (CoSeLoG project, 4TU.ResearchData),
from ``../shared/data/real-logs/``; skipped when that folder is absent.

Its columns use process-mining (XES) names and its timestamps carry European offsets, so this
checks column mapping, zone conversion to China Standard Time, and a deadline rule over 1,434
real cases -- against a count made here independently, with the csv module and the calendar.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import Workspace

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-logs" / "receipt.csv"
pytestmark = pytest.mark.skipif(not REAL.is_file(), reason="../shared/data/real-logs is not here")

RECEIVED, CHECKED = "Confirmation of receipt", "T02 Check confirmation of receipt"


def cst_date(stamp: str) -> dt.date:
    return dt.datetime.fromisoformat(stamp).astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def test_receipt_log_checked_against_an_independent_count(ws: Workspace) -> None:
    from gklint.calendar import load_calendar

    rows = list(csv.DictReader(REAL.open(encoding="utf-8")))
    kinds = sorted({r["concept:name"] for r in rows})
    events = "".join(f"  e{i}: {{label: {json.dumps(k)}}}\n" for i, k in enumerate(kinds))
    received, checked = f"e{kinds.index(RECEIVED)}", f"e{kinds.index(CHECKED)}"
    ws.ruleset(f"""
        - id: WABO-CHECK-5WD
          deadline: {{after: {received}, expect: {checked}, within: 5 working days}}
        """, events="events:\n" + events)
    (ws.root / "gklint.toml").write_text(
        'rulesets = ["rs.yaml"]\nas_of = "2012-12-31"\n'
        '[columns]\ndate = "time:timestamp"\nevent = "concept:name"\ncase = "case:concept:name"\n'
        'unit = "org:group"\n', encoding="utf-8")
    result = ws.cli("check", str(REAL), "--format", "json", "--select", "WABO-*,GK00*")
    assert result.exit_code in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"]["events"] == len(rows) == 8577
    assert not [f for f in doc["findings"] if f["rule"].startswith("GK")]  # every row read

    # The same rule counted here: first receipt per case, first check on or after it.
    cal = load_calendar("CN")
    first: dict[str, dt.date] = {}
    checks: dict[str, list[dt.date]] = {}
    for r in rows:
        day = cst_date(r["time:timestamp"])
        if r["concept:name"] == RECEIVED:
            first[r["case:concept:name"]] = min(day, first.get(r["case:concept:name"], day))
        elif r["concept:name"] == CHECKED:
            checks.setdefault(r["case:concept:name"], []).append(day)
    expected: dict[str, str] = {}
    for case, start in first.items():
        later = sorted(d for d in checks.get(case, []) if d >= start)
        due = cal.add_workdays(start, 5)
        if not later:
            expected[case] = "missing"
        elif later[0] > due:
            expected[case] = "late"
    found = {f["case"]: f["status"] for f in doc["findings"] if f["rule"] == "WABO-CHECK-5WD"}
    assert found == expected
    assert len(expected) > 10  # the rule bites on real data
