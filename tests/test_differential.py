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
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

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


def test_rows_keep_their_attribute_text(tmp_path: Path, rulesets) -> None:  # type: ignore[no-untyped-def]
    """An event keeps its attribute cells as text, split on demand, and rows with the same
    attribute text share one string; the values equal the reference's typed dict."""
    rows = ["date,event,case,simple,note"]
    for i in range(1200):
        rows.append(f"2021-06-{i % 28 + 1:02d},inquiry_received,Q{i},{'是' if i % 3 else '否'},备注{i % 7}")
    log = tmp_path / "events.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    vocab = build_vocabulary(rulesets)
    fast = read_events([log], vocab, as_of=AS_OF)
    slow = read_events([log], vocab, as_of=AS_OF, fast=False)
    assert plain(fast.events) == plain(slow.events)
    assert fast.events[5].attrs["note"] == "备注5" and fast.events[5].attrs["simple"] is True
    assert all(ev.attribute_text == line.split(",", 3)[3] for ev, line in zip(fast.events, rows[1:]))
    assert len({id(ev.attribute_text) for ev in fast.events}) == 14  # 2 x 7 distinct texts


def shuffled_columns(path: Path, order: list[int]) -> Path:
    """The same log with its columns in another order (standard columns not first)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        if len(cells) < 4:
            out.append(line)  # a short row stays short
        else:
            out.append(",".join([cells[i] if i < len(cells) else "" for i in order] + cells[len(order):]))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("order", [[4, 0, 1, 2, 3, 5, 6, 7, 8], [1, 0, 3, 2, 4, 5, 6, 7, 8], [0, 1, 2, 3]])
def test_column_orders_equal_reference(tmp_path: Path, rulesets, order: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Standard columns first (in any order), after an attribute, or alone: the same events and
    findings as the reference, duplicates and short rows included."""
    log = shuffled_columns(generated_log(tmp_path / "events.csv", 3000, 31), order)
    vocab = build_vocabulary(rulesets)
    fast = read_events([log], vocab, as_of=AS_OF)
    slow = read_events([log], vocab, as_of=AS_OF, fast=False)
    assert {"GK004", "GK007"} <= {f.rule for f in fast.findings}
    assert plain(fast.events) == plain(slow.events)
    assert fast.findings == slow.findings and fast.rows == slow.rows


def quoted_log(path: Path, events: int, seed: int, share: float) -> Path:
    """A generated log in which a ``share`` of the rows quote their cells, some of them holding
    commas, doubled quotes or line breaks, as Excel writes them."""
    rng = random.Random(seed)
    stream = cases(seed)
    lines = [",".join(HEADER) + ",note"]
    for _ in range(events):
        row = next(stream) + [rng.choice(["", "备注", "a,b", 'say ""hi""', "两行\n备注", "x\r\ny"])]
        if rng.random() < share or any(c in row[-1] for c in ',"\n'):
            text = ",".join(f'"{c}"' for c in row)
        else:
            text = ",".join(row)
        lines.append(text)
        if rng.random() > 0.99:
            lines.append(",".join(row))  # the same cells unquoted: a duplicate all the same
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


@pytest.mark.parametrize("share", [0.0, 0.02, 0.9])
def test_quoted_rows_equal_reference(tmp_path: Path, rulesets, share: float) -> None:  # type: ignore[no-untyped-def]
    log = quoted_log(tmp_path / "events.csv", 3000, 11, share)
    vocab = build_vocabulary(rulesets)
    fast = read_events([log], vocab, as_of=AS_OF)
    slow = read_events([log], vocab, as_of=AS_OF, fast=False)
    assert len(fast.events) > 2000
    assert any(f.rule == "GK004" for f in fast.findings)
    assert plain(fast.events) == plain(slow.events)
    assert fast.findings == slow.findings
    assert fast.rows == slow.rows


@pytest.mark.parametrize("suffix", [".jsonl", ".xlsx"])
def test_other_readers_equal_reference(tmp_path: Path, rulesets, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """Records that come as lists of cells (JSON Lines, Excel) take the same loop, joined."""
    import json

    rng = random.Random(3)
    stream = cases(3)
    records = []
    for i in range(800):
        row = dict(zip(HEADER, next(stream)))
        row["note"] = rng.choice(["", "a,b", 'q"uote', "两行\n备注"] + (["x\x1fy", "nul\x00"] if suffix == ".jsonl" else []))
        if i % 97 == 0:
            row["date"] = "2018-02-30"
        records.append(row)
        if i % 101 == 0:
            records.append(row)
    path = tmp_path / f"events{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    else:
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append([*HEADER, "note"])
        for r in records:
            sheet.append([r.get(k, "") for k in [*HEADER, "note"]])
        book.save(path)
    vocab = build_vocabulary(rulesets)
    fast = read_events([path], vocab, as_of=AS_OF)
    slow = read_events([path], vocab, as_of=AS_OF, fast=False)
    assert {f.rule for f in fast.findings} >= {"GK001", "GK004"}
    assert plain(fast.events) == plain(slow.events)
    assert fast.findings == slow.findings
    assert fast.rows == slow.rows


LINES = [
    "2021-03-01,inquiry_received,Q1,办公室,否,,,网上咨询,",
    "2021-03-02,inquiry_replied,Q1,办公室,,,,,",
    '"2021-03-03","inquiry_received","Q,2","办公室","否","","","网上咨询",""',
    '2021-03-04,inquiry_replied,"Q,2",办公室,,,,"两行\n说明",',
    '2021-03-05,"inquiry_replied",Q3,"办公室\r\n二处",,,,,',
    "2021-03-06,inquiry_replied,Q3,办公室,,,",  # short
    '2021-03-07,inquiry_received,"Q4,"x",办公室,,,,,',  # a stray quote
    '"2021-03-08,inquiry_received,Q5,办公室,,,,,',  # an unclosed quote
    "2021-02-30,inquiry_received,Q6,办公室,,,,,",  # impossible date
    "",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.sampled_from(LINES), max_size=25), newline=st.sampled_from(["\n", "\r\n"]))
def test_damaged_lines_equal_reference(tmp_path: Path, rulesets, picks: list[str], newline: str) -> None:  # type: ignore[no-untyped-def]
    """Hand-damaged lines, quoted records over line breaks and repeated rows, in any order."""
    log = tmp_path / "events.csv"
    log.write_bytes((newline.join([",".join(HEADER), *picks]) + newline).encode("utf-8"))
    vocab = build_vocabulary(rulesets)
    fast = read_events([log], vocab, as_of=AS_OF)
    slow = read_events([log], vocab, as_of=AS_OF, fast=False)
    assert plain(fast.events) == plain(slow.events)
    assert fast.findings == slow.findings and fast.rows == slow.rows


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
