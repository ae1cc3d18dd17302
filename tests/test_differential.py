"""The optimised paths against the straightforward ones, on generated logs (issue: performance).

Each optimisation keeps a plain twin: ``fast_events`` / ``reference_events`` (row conversion),
``parse_when`` / ``parse_when_general`` (the ISO fast path), ``EventIndex(in_file_order=True)``
/ the full sort key, and the deadline kind's date-only shortcut / ``judge``. The twins must
agree exactly on logs made by ``benchmarks/generate.py`` with malformed rows mixed in.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

from gklint.commands.check import rulesets_in_force
from gklint.dates import parse_when, parse_when_general
from gklint.engine import CheckOptions, build_vocabulary, run_check
from gklint.events import read_events
from gklint.kinds import deadline
from gklint.kinds.base import EventIndex

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
    return [rs for rs in rulesets_in_force([]) if "table" not in rs.id]


def plain(events):  # type: ignore[no-untyped-def]
    return [(e.file, e.line, e.kind, e.date, e.time, e.case, e.unit, dict(e.attrs)) for e in events]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_row_conversion_equals_reference(tmp_path: Path, rulesets, seed: int) -> None:  # type: ignore[no-untyped-def]
    log = generated_log(tmp_path / "events.csv", 4000, seed)
    vocab = build_vocabulary(rulesets)
    fast = read_events([log], vocab, as_of=AS_OF)
    slow = read_events([log], vocab, as_of=AS_OF, fast=False)
    assert len(fast.events) > 3000
    assert {f.rule for f in fast.findings} >= {"GK001", "GK002", "GK004", "GK006", "GK007"}
    assert plain(fast.events) == plain(slow.events)
    assert fast.findings == slow.findings
    assert fast.rows == slow.rows


@pytest.mark.parametrize("seed", [4, 5])
def test_index_in_file_order_equals_full_sort(tmp_path: Path, rulesets, seed: int) -> None:  # type: ignore[no-untyped-def]
    logs = [generated_log(tmp_path / f"{name}.csv", 1500, seed + i) for i, name in enumerate("ab")]
    data = read_events(logs, build_vocabulary(rulesets), as_of=AS_OF)
    quick = EventIndex(data.events, in_file_order=True)
    shuffled = list(data.events)
    random.Random(seed).shuffle(shuffled)
    full = EventIndex(shuffled)
    assert list(quick.by_kind) == list(full.by_kind)
    for kind in quick.by_kind:
        assert plain(quick.by_kind[kind]) == plain(full.by_kind[kind])


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


def test_shared_attribute_values_and_free_text(tmp_path: Path, rulesets) -> None:  # type: ignore[no-untyped-def]
    """Categorical attribute values are shared between rows and free-text columns (more than a
    few hundred distinct values) are left alone: either way the events equal the reference's."""
    rows = ["date,event,case,simple,note"]
    for i in range(1200):
        rows.append(f"2021-06-{i % 28 + 1:02d},inquiry_received,Q{i},{'是' if i % 3 else '否'},备注{i}")
    log = tmp_path / "events.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    vocab = build_vocabulary(rulesets)
    fast = read_events([log], vocab, as_of=AS_OF)
    slow = read_events([log], vocab, as_of=AS_OF, fast=False)
    assert plain(fast.events) == plain(slow.events)
    assert fast.events[5].attrs["note"] == "备注5" and fast.events[5].attrs["simple"] is True
    simple_cells = {id(ev.attrs.raw("simple")) for ev in fast.events}
    assert len(simple_cells) == 2  # one 是 and one 否 string for 1,200 rows
