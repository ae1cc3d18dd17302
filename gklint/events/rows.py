"""Rows of an event log -> ``Event`` values, or data findings (GK001-GK007) on their line."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from gklint.events import Vocabulary, _data_finding, column_key, type_value
from gklint.events.readers import RawFile
from gklint.model import Event, Finding


def convert_rows(raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary,
                 as_of: dt.date, parse_when: Callable[[str], Any]) -> Iterator[Event | Finding]:
    """Each record of ``raw`` as an ``Event`` or the data finding on its line."""
    convert = RowConverter(raw, positions, vocabulary, as_of, parse_when)
    for line, cells, error in raw.rows:
        yield convert(line, cells, error)


class RowConverter:
    """One row -> an ``Event`` or the data finding on its line, the checks in the contract's
    order; what does not change from row to row is worked out once per file. A log repeats a few
    thousand dates and a few dozen event spellings, so each distinct cell is parsed once."""

    def __init__(self, raw: RawFile, positions: dict[str, int], vocabulary: Vocabulary,
                 as_of: dt.date, parse_when: Callable[[str], Any]) -> None:
        self.file = raw.path
        self.width = len(raw.header)
        self.date_at, self.event_at = positions["date"], positions["event"]
        self.case_at, self.unit_at = positions.get("case"), positions.get("unit")
        standard = set(positions.values())
        self.attr_columns = [(i, column_key(h)) for i, h in enumerate(raw.header)
                             if i not in standard and column_key(h)]
        self.vocabulary, self.as_of = vocabulary, as_of
        self.parse_when = lru_cache(maxsize=1 << 16)(parse_when)
        self.seen: set[tuple[Any, ...]] = set()

    def __call__(self, line: int, cells: list[Any], error: str | None) -> Event | Finding:
        file, width, vocabulary, as_of = self.file, self.width, self.vocabulary, self.as_of
        if error:
            return _data_finding("GK007", "error", file, line, f"无法读取该行：{error}",
                                 f"malformed row: {error}")
        if len(cells) != width:
            if len(cells) > width and any(str(c).strip() for c in cells[width:]):
                return too_wide(file, line, len(cells), width)
            cells = list(cells[:width]) + [""] * (width - len(cells))
        date_text = str(cells[self.date_at]).strip()
        kind_text = str(cells[self.event_at]).strip()
        if not date_text or not kind_text:
            return empty_required(file, line, "date" if not date_text else "event")
        try:
            when = self.parse_when(date_text)
        except ValueError:
            return unreadable_date(file, line, date_text)
        kind = vocabulary.resolve(kind_text)
        if kind is None:
            return unknown_kind(vocabulary, file, line, kind_text)
        if when.date > as_of:
            return after_as_of(file, line, when.date, as_of)
        key = tuple(cells)
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


# The data findings on a row, in the order they are checked (every engine makes them with these).

def too_wide(file: str, line: int, cells: int, width: int) -> Finding:
    return _data_finding("GK007", "error", file, line,
                         f"该行有{cells}个单元格，表头只有{width}列；请检查是否有多余的逗号或未加引号的单元格",
                         f"the row has {cells} cells but the header has {width}; "
                         "look for a stray comma or an unquoted cell")


def empty_required(file: str, line: int, column: str) -> Finding:
    """GK003 for an empty ``date`` or ``event`` cell (the date is named when both are empty)."""
    name = {"date": "date（日期）", "event": "event（事件）"}[column]
    return _data_finding("GK003", "error", file, line, f"必填单元格为空：{name}", f"required cell is empty: {name}")


def unreadable_date(file: str, line: int, text: str) -> Finding:
    from gklint.dates import CALENDAR_YEARS, parse_when

    try:
        parse_when(text)
    except ValueError as exc:
        if "outside the calendar" in str(exc):  # a real date past the span the calendar covers
            first, last = CALENDAR_YEARS
            return _data_finding(
                "GK001", "error", file, line, f"日期{text!r}超出日历范围（{first}–{last}年）",
                f"date {text!r} is outside the years {first}–{last} that gklint's calendar covers")
    return _data_finding(
        "GK001", "error", file, line, f"无法识别的日期：{text!r}（应为 2018-05-17、2018/5/17 或 2018年5月17日）",
        f"unreadable date {text!r} (use 2018-05-17, 2018/5/17 or 2018年5月17日)")


def unknown_kind(vocabulary: Vocabulary, file: str, line: int, text: str) -> Finding:
    spelling = vocabulary.closest(text)
    suggestion = vocabulary.suggest(text)
    also = f"（{suggestion}）" if suggestion and spelling != suggestion else ""
    hint_zh = f"，是否应为“{spelling}”{also}？" if suggestion else ""
    hint_en = (f"; did you mean {spelling!r}" + (f" ({suggestion})" if also else "") + "?") if suggestion else ""
    return _data_finding("GK002", "error", file, line, f"未知的事件类型“{text}”{hint_zh}",
                         f"unknown event kind {text!r}{hint_en}")


def after_as_of(file: str, line: int, date: dt.date, as_of: dt.date) -> Finding:
    return _data_finding("GK006", "warning", file, line,
                         f"事件日期{date.isoformat()}晚于检查日期{as_of.isoformat()}，未纳入检查",
                         f"the event is dated {date.isoformat()}, after the as-of date "
                         f"{as_of.isoformat()}; it was not checked")


def duplicate_row(file: str, line: int) -> Finding:
    return _data_finding("GK004", "warning", file, line, "重复的行（与前面某行完全相同），未重复计数",
                         "duplicate row (identical to an earlier row); counted once")
