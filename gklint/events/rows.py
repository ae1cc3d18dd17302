"""Rows of an event log -> ``Event`` values, or data findings (GK001-GK007) on their line.

Two implementations with one meaning: :func:`reference_events`, written for clarity, and
:func:`fast_events`, the one ``gklint check`` runs (caches per distinct cell text, no per-row
attribute dict). ``tests/test_differential.py`` runs both on generated logs and requires the
same output.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from gklint.events import Vocabulary, _data_finding, column_key, type_value
from gklint.events.readers import RawFile
from gklint.model import Event, Finding, RowAttrs


def reference_events(raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary,
                     as_of: dt.date, parse_when: Callable[[str], Any],
                     seen: set[int] | None = None) -> Iterator[Event | Finding]:
    file = raw.path
    width = len(raw.header)
    date_at, event_at = positions["date"], positions["event"]
    case_at, unit_at = positions.get("case"), positions.get("unit")
    standard = set(positions.values())
    attr_columns = [(i, column_key(h)) for i, h in enumerate(raw.header)
                    if i not in standard and column_key(h)]
    seen = set() if seen is None else seen
    for line, cells, error in raw.rows:
        if error:
            yield _data_finding("GK007", "error", file, line, f"无法读取该行：{error}",
                                f"malformed row: {error}")
            continue
        if len(cells) != width:
            if len(cells) > width and any(str(c).strip() for c in cells[width:]):
                yield _data_finding(
                    "GK007", "error", file, line,
                    f"该行有{len(cells)}个单元格，表头只有{width}列；请检查是否有多余的逗号或未加引号的单元格",
                    f"the row has {len(cells)} cells but the header has {width}; "
                    "look for a stray comma or an unquoted cell")
                continue
            cells = list(cells[:width]) + [""] * (width - len(cells))
        date_text = str(cells[date_at]).strip()
        kind_text = str(cells[event_at]).strip()
        if not date_text or not kind_text:
            column = "date（日期）" if not date_text else "event（事件）"
            yield _data_finding("GK003", "error", file, line, f"必填单元格为空：{column}",
                                f"required cell is empty: {column}")
            continue
        try:
            when = parse_when(date_text)
        except ValueError:
            yield _data_finding(
                "GK001", "error", file, line, f"无法识别的日期：{date_text!r}（应为 2018-05-17、2018/5/17 或 2018年5月17日）",
                f"unreadable date {date_text!r} (use 2018-05-17, 2018/5/17 or 2018年5月17日)")
            continue
        kind = vocabulary.resolve(kind_text)
        if kind is None:
            spelling = vocabulary.closest(kind_text)
            suggestion = vocabulary.suggest(kind_text)
            also = f"（{suggestion}）" if suggestion and spelling != suggestion else ""
            hint_zh = f"，是否应为“{spelling}”{also}？" if suggestion else ""
            hint_en = (f"; did you mean {spelling!r}" + (f" ({suggestion})" if also else "") + "?") if suggestion else ""
            yield _data_finding("GK002", "error", file, line,
                                f"未知的事件类型“{kind_text}”{hint_zh}",
                                f"unknown event kind {kind_text!r}{hint_en}")
            continue
        if when.date > as_of:
            yield _data_finding("GK006", "warning", file, line,
                                f"事件日期{when.date.isoformat()}晚于检查日期{as_of.isoformat()}，未纳入检查",
                                f"the event is dated {when.date.isoformat()}, after the as-of date "
                                f"{as_of.isoformat()}; it was not checked")
            continue
        fingerprint = hash(tuple(cells))
        if fingerprint in seen:
            yield _data_finding("GK004", "warning", file, line, "重复的行（与前面某行完全相同），未重复计数",
                                "duplicate row (identical to an earlier row); counted once")
            continue
        seen.add(fingerprint)
        case = str(cells[case_at]).strip() or None if case_at is not None else None
        unit = str(cells[unit_at]).strip() or None if unit_at is not None else None
        attrs: dict[str, Any] = {}
        for i, name in attr_columns:
            value = cells[i]
            if isinstance(value, str):
                if not value.strip():
                    continue
                value = type_value(value)
            elif value is None:
                continue
            attrs[name] = value
        yield Event(file, line, kind, when.date, when.time, case, unit, attrs)


def fast_events(raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary, as_of: dt.date,
                parse_when: Callable[[str], Any], events: list[Event], findings: list[Finding],
                progress: Callable[[int, int], None] | None = None) -> int:
    """The same rows as :func:`reference_events`, converted with caches per distinct cell text,
    appended to ``events`` and ``findings``; returns the number of rows.

    A log repeats a few thousand dates and a few dozen event spellings a million times, so each
    is parsed or resolved once; rows that need a finding leave the fast path for the reference
    conversion of that single row. Readers give cells as ``str``.
    """
    file = raw.path
    width = len(raw.header)
    date_at, event_at = positions["date"], positions["event"]
    case_at, unit_at = positions.get("case"), positions.get("unit")
    standard = set(positions.values())
    columns: dict[str, int] = {}
    for i, h in enumerate(raw.header):
        key = column_key(str(h))
        if i not in standard and key:
            columns[key] = i  # a repeated header: the last column wins, as in reference_events
    kinds: dict[Any, Any] = {}  # event cell -> (event name or _BAD, the cell's first copy)
    units: dict[str, str] = {}
    shared_columns = [i for i in columns.values()]  # attribute columns whose values are shared
    shared: dict[int, dict[str, str]] = {i: {} for i in shared_columns}
    whens: dict[Any, Any] = {}  # date cell -> (date, time, first copy), or _BAD (unreadable/after as-of)
    seen: set[int] = set()
    slow = _SingleRow(raw, positions, vocabulary, as_of, parse_when, events, findings)
    resolve = vocabulary.resolve
    add_event = events.append
    remember = seen.add
    rows = 0
    position = raw.position if progress is not None else None
    for line, cells, error in raw.rows:
        rows += 1
        if not rows & 0xFFFF and position is not None:
            progress(position(), rows)  # type: ignore[misc]
        if error is not None or len(cells) != width:
            slow.convert(line, cells, error, seen)
            continue
        kind = kinds.get(cells[event_at])
        if kind is None:
            text = cells[event_at].strip()
            kind = kinds[cells[event_at]] = ((resolve(text) if text else None) or _BAD, cells[event_at])
        when = whens.get(cells[date_at])
        if when is None:
            text = cells[date_at].strip()
            try:
                parsed = parse_when(text) if text else None
            except ValueError:
                parsed = None
            when = whens[cells[date_at]] = ((parsed.date, parsed.time, cells[date_at])
                                             if parsed and parsed.date <= as_of else _BAD)
        if kind[0] is _BAD or when is _BAD:
            slow.convert(line, cells, error, seen)
            continue
        fingerprint = hash(tuple(cells))
        if fingerprint in seen:
            slow.convert(line, cells, error, seen)
            continue
        remember(fingerprint)
        # Keep one copy of each repeated text: the row's own copies of the date and event
        # cells (and of its unit) are replaced by the first one seen -- a quarter of the memory.
        cells[date_at] = when[2]
        cells[event_at] = kind[1]
        unit = None
        if unit_at is not None:
            unit = cells[unit_at].strip() or None
            if unit is not None:
                unit = cells[unit_at] = units.setdefault(unit, unit)
        for i in shared_columns:  # categorical attributes (是/否, channels): one copy per value
            value = cells[i]
            if value:
                kept = shared[i].get(value)
                if kept is None:
                    if len(shared[i]) >= _SHARED_VALUES:
                        shared_columns = [j for j in shared_columns if j != i]  # free text: stop
                        continue
                    kept = shared[i][value] = value
                cells[i] = kept
        add_event(new_event(Event, (
            file, line, kind[0], when[0], when[1],
            (cells[case_at].strip() or None) if case_at is not None else None,
            unit, new_attrs(RowAttrs, (cells, columns)))))
    return rows


_SHARED_VALUES = 256  # an attribute column with more distinct values is free text: not shared
new_event = tuple.__new__  # Event(...) and RowAttrs(...) without a Python-level constructor
new_attrs = tuple.__new__
_UNSEEN: Any = object()
_BAD: Any = object()


class _SingleRow:
    """The reference conversion, one row at a time (for rows that raise a finding)."""

    def __init__(self, raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary, as_of: dt.date,
                 parse_when: Callable[[str], Any], events: list[Event], findings: list[Finding]) -> None:
        self.args = (positions, vocabulary, as_of, parse_when)
        self.raw = raw
        self.events = events
        self.findings = findings

    def convert(self, line: int, cells: list[Any], error: str | None, seen: set[int]) -> None:
        one = RawFile(self.raw.path, self.raw.header, iter([(line, cells, error)]))  # type: ignore[list-item]
        for item in reference_events(one, *self.args, seen=seen):
            if isinstance(item, Event):
                self.events.append(item)
            else:
                self.findings.append(item)
