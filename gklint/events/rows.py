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
                 as_of: dt.date, parse_when: Callable[[str], Any], seen: set[Any],
                 key_of: Callable[[list[Any]], Any] | None = None) -> None:
        self.key_of = key_of or (lambda cells: record_key(cells, raw.delimiter))
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
        key = self.key_of(cells)
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
    joined by ``raw.delimiter`` (:func:`readers.record_key`). A log repeats a few thousand
    dates and a few dozen event spellings a million times, so each is parsed or resolved once.
    A row that needs a finding, or whose cells are not plain text, leaves the loop for the
    reference conversion of that single row.

    What a row keeps is small. When the standard columns come first (date, event, case, unit in
    any order, as logs are written), an event keeps only the text of its attribute cells, and
    rows with the same attribute text share one string; rules split attributes out of it when
    they ask. Its duplicate-row key is made of objects shared between rows (one per distinct
    date, event and unit cell), its case cell and its attribute text. Otherwise an event keeps
    the row's text, which is also its key.
    """
    file = raw.path
    sep = raw.delimiter
    width = len(raw.header)
    date_at, event_at = positions["date"], positions["event"]
    case_at, unit_at = positions.get("case"), positions.get("unit")
    standard = set(positions.values())
    lead = len(standard)
    tail_mode = sorted(standard) == list(range(lead)) and width > lead
    attr_seps = width - lead - 1  # separators inside the attribute text of a row of the header's width
    columns = TextColumns()
    columns.sep = sep
    for i, h in enumerate(raw.header):
        name = column_key(str(h))
        if i not in standard and name:
            columns[name] = i - lead if tail_mode else i  # a repeated header: the last column wins
    text_event = text_event_class(columns)
    # Per distinct cell text: an entry holding the cell's first copy, the same for every row.
    kinds: dict[str, Any] = {}  # event cell -> (event name, cell), _BAD, or _SKIP (a kind not owned)
    whens: dict[str, Any] = {}  # date cell -> (date, time, cell), or _BAD (unreadable or after as-of)
    units: dict[str, Any] = {}  # unit cell -> (unit stripped or None, cell)
    tails: dict[str, str] = {}  # attribute text -> its first copy
    resolve = vocabulary.resolve

    def kind_entry(cell: str) -> Any:
        text = cell.strip()
        name = resolve(text) if text else None
        entry = kinds[cell] = (_SKIP if owns is not None and not owns(name)
                               else _BAD if name is None else (name, cell))
        return entry

    def when_entry(cell: str) -> Any:
        text = cell.strip()
        try:
            parsed = parse_when(text) if text else None
        except ValueError:
            parsed = None
        entry = whens[cell] = (parsed.date, parsed.time, cell) if parsed and parsed.date <= as_of else _BAD
        return entry

    def unit_entry(cell: str) -> Any:
        entry = units[cell] = (cell.strip() or None, cell)
        return entry

    def shared_tail(text: str) -> str:
        kept = tails.get(text)
        if kept is None:
            kept = text
            if len(tails) < _SHARED_TAILS:
                tails[text] = text
        return kept

    def row_key(cells: list[Any]) -> Any:
        """The key of a row the reference conversion accepts, made as the loop makes it."""
        if not tail_mode:
            return record_key(cells, sep)
        attrs = record_key(cells[lead:], sep)
        return ((kinds.get(cells[event_at]) or kind_entry(cells[event_at]))[1],
                (whens.get(cells[date_at]) or when_entry(cells[date_at]))[2],
                cells[case_at] if case_at is not None else None,
                (units.get(cells[unit_at]) or unit_entry(cells[unit_at]))[1] if unit_at is not None else None,
                shared_tail(attrs) if attrs.__class__ is str else attrs)

    seen: set[Any] = set()
    slow = _SingleRow(raw, positions, vocabulary, as_of, parse_when, events, findings, seen, owns, row_key)
    add_event = events.append
    remember = seen.add
    first = len(events)
    duplicates = 0
    splits = lead if tail_mode else -1
    pieces = lead + 1 if tail_mode else width
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
                cells = text.split(sep, splits)
                if len(cells) != pieces:
                    slow.convert(line, text, None)  # not the header's width
                    continue
                kind = kinds.get(cells[event_at]) or kind_entry(cells[event_at])
                if kind is _SKIP:
                    continue  # the reference conversion decides it by the same cell
                if tail_mode and cells[lead].count(sep) != attr_seps:
                    slow.convert(line, text, None)  # not the header's width
                    continue
                when = whens.get(cells[date_at]) or when_entry(cells[date_at])
                if kind is _BAD or when is _BAD:
                    slow.convert(line, text, None)
                    continue
                case = cells[case_at] if case_at is not None else None
                unit = (units.get(cells[unit_at]) or unit_entry(cells[unit_at])) if unit_at is not None else None
                if tail_mode:
                    # The row's cells, by objects whose hashes are kept: the first copy of each
                    # distinct date, event and unit cell, the case cell, the attribute text.
                    attrs = tails.get(cells[lead]) or shared_tail(cells[lead])
                    key: Any = (kind[1], when[2], case, unit[1] if unit is not None else None, attrs)
                else:
                    attrs = key = text
                known = len(seen)
                remember(key)  # hashes the key once; the set not growing means it was there
                if len(seen) == known:  # a usable row (the reference's checks before this one pass)
                    findings.append(duplicate_row(file, line))
                    duplicates += 1
                    continue
                add_event(new_event(text_event, (
                    file, line, kind[0], when[0], when[1], (case.strip() or None) if case is not None else None,
                    unit[0] if unit is not None else None, attrs)))
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
_SHARED_TAILS = 1 << 16  # attribute texts kept for sharing; past this many, a log's are free text
_BAD: Any = object()
_SKIP: Any = object()


class _SingleRow:
    """The reference conversion of single rows (those that raise a finding, or whose cells are
    not plain text), counting the rows it was given and the events it made."""

    def __init__(self, raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary, as_of: dt.date,
                 parse_when: Callable[[str], Any], events: list[Event], findings: list[Finding],
                 seen: set[Any], owns: Callable[[str | None], bool] | None = None,
                 key_of: Callable[[list[Any]], Any] | None = None) -> None:
        self.reference = ReferenceRow(raw, positions, vocabulary, as_of, parse_when, seen, key_of)
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
