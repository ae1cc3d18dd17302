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
from gklint.events.readers import MAX_CELL, RawFile, record_key, split_cells
from gklint.model import Event, Finding, TextColumns, text_event_class


def reference_events(raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary,
                     as_of: dt.date, parse_when: Callable[[str], Any],
                     seen: set[Any] | None = None) -> Iterator[Event | Finding]:
    convert = ReferenceRow(raw, positions, vocabulary, as_of, parse_when, set() if seen is None else seen)
    for line, cells, error in raw.rows:
        yield convert(line, cells, error)


class ReferenceRow:
    """One row -> an ``Event`` or the data finding on its line, the checks in the contract's
    order; what does not change from row to row is worked out once per file."""

    def __init__(self, raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary,
                 as_of: dt.date, parse_when: Callable[[str], Any], seen: set[Any]) -> None:
        self.file = raw.path
        self.delimiter = raw.delimiter
        self.width = len(raw.header)
        self.date_at, self.event_at = positions["date"], positions["event"]
        self.case_at, self.unit_at = positions.get("case"), positions.get("unit")
        standard = set(positions.values())
        self.attr_columns = [(i, column_key(h)) for i, h in enumerate(raw.header)
                             if i not in standard and column_key(h)]
        self.vocabulary, self.as_of, self.parse_when, self.seen = vocabulary, as_of, parse_when, seen

    def __call__(self, line: int, cells: list[Any] | str, error: str | None) -> Event | Finding:
        file, width, vocabulary, as_of = self.file, self.width, self.vocabulary, self.as_of
        if error:
            return _data_finding("GK007", "error", file, line, f"无法读取该行：{error}",
                                 f"malformed row: {error}")
        cells = split_cells(cells, self.delimiter)
        if len(cells) != width:
            if len(cells) > width and any(str(c).strip() for c in cells[width:]):
                return _data_finding(
                    "GK007", "error", file, line,
                    f"该行有{len(cells)}个单元格，表头只有{width}列；请检查是否有多余的逗号或未加引号的单元格",
                    f"the row has {len(cells)} cells but the header has {width}; "
                    "look for a stray comma or an unquoted cell")
            cells = list(cells[:width]) + [""] * (width - len(cells))
        date_text = str(cells[self.date_at]).strip()
        kind_text = str(cells[self.event_at]).strip()
        if not date_text or not kind_text:
            column = "date（日期）" if not date_text else "event（事件）"
            return _data_finding("GK003", "error", file, line, f"必填单元格为空：{column}",
                                 f"required cell is empty: {column}")
        try:
            when = self.parse_when(date_text)
        except ValueError:
            return _data_finding(
                "GK001", "error", file, line, f"无法识别的日期：{date_text!r}（应为 2018-05-17、2018/5/17 或 2018年5月17日）",
                f"unreadable date {date_text!r} (use 2018-05-17, 2018/5/17 or 2018年5月17日)")
        kind = vocabulary.resolve(kind_text)
        if kind is None:
            spelling = vocabulary.closest(kind_text)
            suggestion = vocabulary.suggest(kind_text)
            also = f"（{suggestion}）" if suggestion and spelling != suggestion else ""
            hint_zh = f"，是否应为“{spelling}”{also}？" if suggestion else ""
            hint_en = (f"; did you mean {spelling!r}" + (f" ({suggestion})" if also else "") + "?") if suggestion else ""
            return _data_finding("GK002", "error", file, line,
                                 f"未知的事件类型“{kind_text}”{hint_zh}",
                                 f"unknown event kind {kind_text!r}{hint_en}")
        if when.date > as_of:
            return _data_finding("GK006", "warning", file, line,
                                 f"事件日期{when.date.isoformat()}晚于检查日期{as_of.isoformat()}，未纳入检查",
                                 f"the event is dated {when.date.isoformat()}, after the as-of date "
                                 f"{as_of.isoformat()}; it was not checked")
        key = record_key(cells, self.delimiter)
        if key in self.seen:
            return duplicate_row(file, line)
        self.seen.add(key)
        case_at, unit_at = self.case_at, self.unit_at
        case = str(cells[case_at]).strip() or None if case_at is not None else None
        unit = str(cells[unit_at]).strip() or None if unit_at is not None else None
        attrs: dict[str, Any] = {}
        for i, name in self.attr_columns:
            value = cells[i]
            if isinstance(value, str):
                if not value.strip():
                    continue
                value = type_value(value)
            elif value is None:
                continue
            attrs[name] = value
        return Event(file, line, kind, when.date, when.time, case, unit, attrs)


def duplicate_row(file: str, line: int) -> Finding:
    return _data_finding("GK004", "warning", file, line, "重复的行（与前面某行完全相同），未重复计数",
                         "duplicate row (identical to an earlier row); counted once")


def fast_events(raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary, as_of: dt.date,
                parse_when: Callable[[str], Any], events: list[Event], findings: list[Finding],
                progress: Callable[[int, int], None] | None = None,
                owns: Callable[[str | None], bool] | None = None) -> int:
    """The same rows as :func:`reference_events`, appended to ``events`` and ``findings``;
    returns the number of rows (records).

    ``owns`` (for a check split over processes, :mod:`gklint.parallel`) says, from the event
    kind a row names (None when it names none that is declared), whether this reader converts
    the row; the rows it does not own are skipped, uncounted. Identical rows name the same kind,
    so duplicate rows are found wherever their kind is owned.

    One loop over the rows' text: an unquoted CSV line as read (split here, so the reader
    makes no tuple per row), and any other record whose cells are plain text as its cells
    joined by ``raw.delimiter`` (:func:`readers.record_key`). The row's text is all it keeps:
    it is the duplicate-row key and the row's attributes, split out of it when a rule asks.
    A log repeats a few thousand dates and a few dozen event spellings a million times, so
    each is parsed or resolved once. A row that needs a finding, or whose cells are not plain
    text, leaves the loop for the reference conversion of that single row.
    """
    file = raw.path
    sep = raw.delimiter
    width = len(raw.header)
    date_at, event_at = positions["date"], positions["event"]
    case_at, unit_at = positions.get("case"), positions.get("unit")
    standard = set(positions.values())
    columns = TextColumns()
    columns.sep = sep
    for i, h in enumerate(raw.header):
        key = column_key(str(h))
        if i not in standard and key:
            columns[key] = i  # a repeated header: the last column wins, as in reference_events
    text_event = text_event_class(columns)
    kinds: dict[str, Any] = {}  # event cell -> event name, _BAD, or _SKIP (a kind not owned)
    whens: dict[str, Any] = {}  # date cell -> (date, time), or _BAD (unreadable or after as-of)
    units: dict[str, Any] = {}  # unit cell -> the unit (stripped, one copy) or None
    seen: set[Any] = set()  # record keys (readers.record_key): a plain row's text
    slow = _SingleRow(raw, positions, vocabulary, as_of, parse_when, events, findings, seen, owns)
    resolve = vocabulary.resolve
    add_event = events.append
    remember = seen.add
    first = len(events)
    duplicates = 0
    position = raw.position if progress is not None else None
    lines = raw.lines
    source: Iterator[tuple[int, str]] | None = (lines.numbered if lines is not None
                                                else _plain_texts(raw.rows, sep, slow))
    try:
        while source is not None:
            texts, source = source, None
            for line, text in texts:
                if '"' in text or "\x00" in text or len(text) > MAX_CELL:  # not plain (CsvLines.plain, inlined)
                    assert lines is not None  # _plain_texts gives no such text
                    if lines.mostly_quoted(line):
                        source = _plain_texts(lines.rest(line, text), sep, slow)
                        break
                    cells, error = lines.record(text)
                    if error is None and not cells:
                        continue  # a blank record
                    joined: Any = record_key(cells, sep) if error is None else None
                    if joined.__class__ is not str or not joined:
                        slow.convert(line, cells, error)
                        continue
                    text = joined
                if not line & 0xFFFF and position is not None:
                    progress(position(), line)  # type: ignore[misc]
                text = text.rstrip("\r\n")
                if not text:
                    continue  # a blank line
                cells = text.split(sep)
                if len(cells) != width:
                    slow.convert(line, text, None)
                    continue
                kind = kinds.get(cells[event_at])
                if kind is None:
                    cell = cells[event_at].strip()
                    kind = (resolve(cell) if cell else None) or _BAD
                    if owns is not None and not owns(None if kind is _BAD else kind):
                        kind = _SKIP
                    kinds[cells[event_at]] = kind
                if kind is _SKIP:
                    continue
                when = whens.get(cells[date_at])
                if when is None:
                    cell = cells[date_at].strip()
                    try:
                        parsed = parse_when(cell) if cell else None
                    except ValueError:
                        parsed = None
                    when = whens[cells[date_at]] = ((parsed.date, parsed.time)
                                                     if parsed and parsed.date <= as_of else _BAD)
                if kind is _BAD or when is _BAD:
                    slow.convert(line, text, None)
                    continue
                if text in seen:  # a usable row (the reference's checks before this one pass)
                    findings.append(duplicate_row(file, line))
                    duplicates += 1
                    continue
                remember(text)
                unit = None
                if unit_at is not None:
                    unit = units.get(cells[unit_at], _UNSEEN)
                    if unit is _UNSEEN:
                        unit = units[cells[unit_at]] = cells[unit_at].strip() or None
                add_event(new_event(text_event, (
                    file, line, kind, *when, (cells[case_at].strip() or None) if case_at is not None else None,
                    unit, text)))
    finally:
        if lines is not None:
            lines.file.close()
    return len(events) - first - slow.events + slow.rows + duplicates


def _plain_texts(rows: Iterator[tuple[int, Any, str | None]], sep: str, slow: _SingleRow) -> Iterator[tuple[int, str]]:
    """(line, text) of the records whose cells are plain text (text records as they are, cell
    lists joined by ``sep``); the others go to the reference conversion, in their turn."""
    for line, cells, error in rows:
        if cells.__class__ is str:
            yield line, cells
            continue
        key = record_key(cells, sep) if error is None else None
        if key.__class__ is str and key and "\x00" not in key and len(key) <= MAX_CELL:  # CsvLines.plain(key)
            yield line, key
        elif error is not None or cells:
            slow.convert(line, cells, error)


new_event = tuple.__new__  # an Event without the Python-level NamedTuple constructor
_UNSEEN: Any = object()
_BAD: Any = object()
_SKIP: Any = object()


class _SingleRow:
    """The reference conversion of single rows (those that raise a finding, or whose cells are
    not plain text), counting the rows it was given and the events it made."""

    def __init__(self, raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary, as_of: dt.date,
                 parse_when: Callable[[str], Any], events: list[Event], findings: list[Finding],
                 seen: set[Any], owns: Callable[[str | None], bool] | None = None) -> None:
        self.reference = ReferenceRow(raw, positions, vocabulary, as_of, parse_when, seen)
        self.owns = owns
        self.event_at = positions["event"]
        self.resolve = vocabulary.resolve
        self.delimiter = raw.delimiter
        self.events_out = events
        self.findings = findings
        self.rows = self.events = 0

    def convert(self, line: int, cells: list[Any] | str, error: str | None) -> None:
        if self.owns is not None:
            row = split_cells(cells, self.delimiter)
            cell = row[self.event_at] if not error and self.event_at < len(row) else None
            text = str(cell).strip() if cell is not None else ""
            if not self.owns(self.resolve(text) if text else None):
                return
        self.rows += 1
        item = self.reference(line, cells, error)
        if isinstance(item, Event):
            self.events += 1
            self.events_out.append(item)
        else:
            self.findings.append(item)
