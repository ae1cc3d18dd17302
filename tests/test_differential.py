"""Shortcuts against the straightforward paths they stand for, on generated logs.

``parse_when`` / ``parse_when_general`` (the ISO date fast path), and the deadline kind's
date-only shortcut / ``judge``: each pair must agree exactly on logs made by
``benchmarks/generate.py`` with malformed rows mixed in.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gklint.commands.check import rulesets_in_force
from gklint.ruleset import bundled_ids
from gklint.dates import parse_when, parse_when_general
from gklint.engine import CheckOptions, run_check
from gklint.kinds import deadline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import HEADER, cases  # noqa: E402

AS_OF = dt.date(2022, 6, 30)


def generated_log(path: Path, events: int, seed: int) -> Path:
    """A generated log with the kinds of damage real logs have."""
    rng = random.Random(seed)
    stream = cases(seed)
    lines = [",".join(HEADER)]
    for _ in range(events):
        row = next(stream)
        roll = rng.random()
        if roll < 0.01:
            row[0] = "2018-02-30"  # impossible date
        elif roll < 0.02:
            row[1] = row[1][:-1]  # misspelt event kind
        elif roll < 0.03:
            row[0] = "2030-01-01"  # after as-of
        elif roll < 0.035:
            row = row[:3]  # short row
        elif roll < 0.04:
            row = row + ["extra"]  # long row
        elif roll < 0.05:
            row[0] = row[0].replace("-", "/")  # another date form
        elif roll < 0.055:
            row[0] = f"{row[0]} 09:30"  # with a time
        elif roll < 0.06:
            row[2] = ""  # no case
        lines.append(",".join(row))
        if roll > 0.995:
            lines.append(",".join(row))  # duplicate row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rulesets():  # type: ignore[no-untyped-def]
    return [rs for rs in rulesets_in_force(bundled_ids()) if "table" not in rs.id]


def test_iso_fast_path_equals_general_parser() -> None:
    rng = random.Random(7)
    texts = [f"{rng.randrange(1990, 2031)}-{rng.randrange(0, 14):02d}-{rng.randrange(0, 33):02d}"
             for _ in range(5000)] + ["2018-05-17", "2018-5-17x", "abcd-ef-gh", "2020-02-29", "2019-02-29"]
    for text in texts:
        try:
            fast = parse_when(text)
        except ValueError:
            fast = None
        try:
            general = parse_when_general(text)
        except ValueError:
            general = None
        assert fast == general, text


@pytest.mark.parametrize("seed", [8, 9])
def test_deadline_shortcut_equals_judge(tmp_path: Path, rulesets, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    log = generated_log(tmp_path / "events.csv", 6000, seed)
    options = CheckOptions(as_of=AS_OF, show_pending=True)
    shortcut = run_check([log], rulesets, options)
    monkeypatch.setattr(deadline, "FAST_PATH", False)
    judged = run_check([log], rulesets, options)
    assert len(shortcut.findings) > 50
    assert shortcut.findings == judged.findings


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(0, 25), st.sampled_from(["inquiry_received", "inquiry_replied",
                                                                     "request_received", "request_answered",
                                                                     "extension_notified"]),
                               st.sampled_from(["A", "B", ""])), max_size=30))
@example(rows=[(0, "inquiry_received", "A"), (1, "inquiry_replied", "A"), (7, "inquiry_received", "A"),
               (8, "inquiry_replied", "A")])  # a reply between two inquiries is not before the first
@example(rows=[(0, "inquiry_replied", "A"), (3, "inquiry_received", "A"), (4, "inquiry_replied", "A")])
def test_deadline_shortcut_equals_judge_on_any_order_of_dates(tmp_path: Path, rulesets,  # type: ignore[no-untyped-def]
                                                               rows: list[tuple[int, str, str]]) -> None:
    """Cases with several triggers and responses in any order of dates (responses before their
    triggers: GK005), through the date-only shortcut and through ``judge`` alone."""
    log = tmp_path / "events.csv"
    start = dt.date(2021, 9, 20)  # around the 2021 National Day holiday and its make-up days
    log.write_text("date,event,case,unit\n" + "".join(
        f"{start + dt.timedelta(days=d)},{kind},{case},办公室\n" for d, kind, case in rows), encoding="utf-8")
    options = CheckOptions(as_of=dt.date(2021, 12, 31), show_pending=True)
    shortcut = run_check([log], rulesets, options)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deadline, "FAST_PATH", False)
        judged = run_check([log], rulesets, options)
    assert shortcut.findings == judged.findings
