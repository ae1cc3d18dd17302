"""The engine indexes the log once, by event kind and then by (reference, match values).

Timing tests are flaky and prove little; these count operations instead. ``Event.get`` is how
every kind reads an attribute column (standard columns are read as fields, in C), so the rules
here match by an attribute, ``ref``: counting its reads shows whether a rule rescans the log per
trigger (quadratic) or looks each trigger's responses up in the index (linear).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Workspace

from gklint.kinds import base
from gklint.model import Event

DEADLINE = """
- id: R
  deadline: {after: received, expect: answered, within: 5 working days, match: [ref],
             extend: {by: extended, up_to: 5 working days}, restart: supplemented}
"""


@pytest.fixture
def get_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts ``Event.get`` calls by column name."""
    calls: Counter[str] = Counter()
    real = Event.get

    def counting_get(self: Event, name: str) -> object:
        calls[name] += 1
        return real(self, name)

    monkeypatch.setattr(Event, "get", counting_get)
    return calls


def cases_log(n: int) -> str:
    rows = ["date,event,case,unit,ref"]
    for i in range(n):
        rows += [f"2018-06-04,received,C{i},办公室,R{i}", f"2018-06-05,supplemented,C{i},办公室,R{i}",
                 f"2018-06-06,extended,C{i},办公室,R{i}", f"2018-06-20,answered,C{i},办公室,R{i}"]
    return "\n".join(rows) + "\n"


def events_read(ws: Workspace, n: int) -> int:
    ws.log(cases_log(n))
    return ws.check("2018-12-31").events


def test_deadline_reads_each_event_a_bounded_number_of_times(ws: Workspace, get_calls: Counter[str]) -> None:
    ws.ruleset(DEADLINE)
    for n in (50, 400):
        get_calls.clear()
        events = events_read(ws, n)
        assert events == 4 * n
        # Each event's ref is read once when its group is built, each trigger's once for its key:
        # a per-trigger scan of the responses would be 400 * 1600 reads here.
        assert 0 < get_calls["ref"] <= 2 * events, (n, get_calls)


def test_deadline_work_grows_linearly(ws: Workspace, get_calls: Counter[str]) -> None:
    ws.ruleset(DEADLINE)
    totals = []
    for n in (100, 800):
        get_calls.clear()
        events_read(ws, n)
        totals.append(sum(get_calls.values()))
    assert 0 < totals[1] <= 8 * totals[0] * 1.1, totals  # 8x the log: ~8x the reads, not 64x


def test_log_is_indexed_once_per_run_and_groups_are_shared(ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                           get_calls: Counter[str]) -> None:
    built: list[int] = []
    grouped_builds: Counter[tuple[str, tuple[str, ...]]] = Counter()
    real_init, real_select = base.EventIndex.__init__, base.EventIndex.select

    def counting_init(self: base.EventIndex, events: Iterator[Event], **kwargs: bool) -> None:
        built.append(1)
        real_init(self, events, **kwargs)

    def counting_select(self: base.EventIndex, ref: base.EventRef) -> list[Event]:
        if ref not in self._selected:
            grouped_builds[(ref.event, tuple(a for a, _ in ref.where))] += 1
        return real_select(self, ref)

    monkeypatch.setattr(base.EventIndex, "__init__", counting_init)
    monkeypatch.setattr(base.EventIndex, "select", counting_select)
    # Three rules that all look at `answered` by case: the log is indexed once, `answered` selected once.
    ws.ruleset("""
        - id: A
          deadline: {after: received, expect: answered, within: 5 working days, match: [ref]}
        - id: B
          deadline: {after: supplemented, expect: answered, within: 10 working days, match: [ref]}
        - id: C
          precedence: {event: answered, requires: received, match: [ref]}
        """)
    ws.log(cases_log(100))
    ws.check("2018-12-31")
    assert built == [1]
    assert grouped_builds[("answered", ())] == 1
    assert max(grouped_builds.values()) == 1
    # `answered` rows are read for their ref once (grouping) + once as C's subjects, not once per rule.
    assert 0 < get_calls["ref"] <= 100 * (1 + 1 + 1 + 1 + 1), get_calls


class CountingList(list):  # type: ignore[type-arg]
    """One kind's events in ``EventIndex.by_kind`` that counts the events read from it: by
    iteration (a walk) or by index and slice (bisection and the slice of a period)."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for item in super().__iter__():
            CountingList.reads += 1
            yield item

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        found = super().__getitem__(key)
        CountingList.reads += len(found) if isinstance(key, slice) else 1
        return found


def test_per_unit_periods_do_not_rescan_the_log(ws: Workspace, get_calls: Counter[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """count/due `for_each: unit` over many periods: the units of a period come from the index."""
    real_init = base.EventIndex.__init__

    def init(self: base.EventIndex, events: Iterator[Event], **kwargs: bool) -> None:
        real_init(self, events, **kwargs)
        self.by_kind = {kind: CountingList(evs) for kind, evs in self.by_kind.items()}

    monkeypatch.setattr(base.EventIndex, "__init__", init)
    ws.ruleset("""
        - id: M
          count: {event: meeting, at_least: 1, per: month, for_each: unit}
        """)
    rows = ["date,event,unit"] + [f"2010-{m:02d}-{d:02d},meeting,U{d % 7}"
                                  for m in range(1, 13) for d in range(1, 29)]
    ws.log("\n".join(rows) + "\n")
    CountingList.reads = 0
    result = ws.check("2019-12-31")  # 120 monthly periods, 336 events
    assert result.events == 336
    # Each period's units come from bisecting the date-sorted events and reading only that
    # period's slice: a few reads per event and per period, not 120 periods x 336 events.
    assert CountingList.reads <= 4 * 336 + 120 * 20, CountingList.reads
    assert get_calls["unit"] <= 3 * 336, get_calls
    assert not [f for f in result.findings if f.period.startswith("2010-")]  # every unit met monthly
    # No unit appears in 2011-01: no group to check there (the log has units, so it is not one
    # group as a whole; contract section 13's far as-of date gave a finding per empty period).
    assert not [f for f in result.findings if f.period == "2011-01"]


def test_index_orders_events_by_date_then_time_then_file_line(tmp_path: Path) -> None:
    def ev(day: int, time: str | None, line: int) -> Event:
        import datetime as dt

        t = dt.time.fromisoformat(time) if time else None
        return Event("f.csv", line, "answered", dt.date(2018, 6, day), t, "A", None, {})

    index = base.EventIndex([ev(5, None, 2), ev(4, "10:00", 3), ev(4, None, 4), ev(4, "09:00", 5)])
    assert [e.line for e in index.by_kind["answered"]] == [4, 5, 3, 2]
    ref = base.EventRef("answered")
    assert index.grouped(ref, ("case",)) is index.grouped(ref, ("case",))
