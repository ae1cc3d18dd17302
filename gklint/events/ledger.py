"""Case ledgers (台账, contract section 10): one row per case, a date column per step.

A file whose header has no ``event`` (事件) column is read here (imported only then). Its header
row is looked for in the first rows (ledgers often start with a merged title row such as
"2019年依申请公开登记台账"); the row taken is said on stderr. A header is a ledger's when some of
its cells are date columns: declared by the vocabulary (``columns:`` of an event kind) or mapped
by config ``[ledger.events]``. Each non-empty date cell is one event of its column's kind at the
row's line, carrying ``column``; every other cell is an attribute of each event of the row.

A header that two kinds declare (答复日期: a request's answer, an inquiry's reply) is settled by
config, else by the ledger's other date columns: the one kind that a rule in force names together
with a kind another column names alone (答复日期 beside 收到申请日期 is request_answered, as
a deadline runs from request_received to it; beside 留言日期 it is inquiry_replied). What stays ambiguous is exit 2
naming both kinds and the ``[ledger.events]`` line that settles it.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from gklint.errors import ConfigError, InputError
from gklint.events import (
    STANDARD_COLUMNS,
    Vocabulary,
    _data_finding,
    column_key,
    has_event_column,
    is_table_header,
    map_header,
    type_value,
)
from gklint.events.readers import RawFile
from gklint.model import Event, Finding

# The case and unit columns a ledger is read with when config names none: the contract's
# (case/编号/序号) and the headers offices' ledger templates use.
CASE_SPELLINGS = ("case", "编号", "序号", "申请编号", "登记编号", "受理编号", "留言编号", "文号", "案件编号")
UNIT_SPELLINGS = (*STANDARD_COLUMNS["unit"], "承办部门", "办理部门", "责任部门", "承办单位", "办理单位")
HEADER_SEARCH = 10  # rows looked at for a header below title rows


class LedgerColumn(NamedTuple):
    at: int  # position in the header
    header: str  # as written
    kind: str  # the event kind its dates are


class Layout(NamedTuple):
    """What each column of a ledger header is."""

    dates: list[LedgerColumn]
    case_at: int | None
    unit_at: int | None
    unsettled: tuple[tuple[int, list[str]], ...] = ()  # (position, kinds) left open (``strict=False``)


def _folded(names: Any) -> list[str]:
    return [column_key(str(n)) for n in names]


def layout(raw: RawFile, header: list[str], vocabulary: Vocabulary, ledger: Mapping[str, Any] | None,
           columns: Mapping[str, str] | None, line: int = 1, strict: bool = True) -> Layout | None:
    """The ledger layout of ``header``, or None when it has no date column of any event kind.
    A header two kinds declare that nothing settles is an InputError (exit 2), or with
    ``strict=False`` left in ``Layout.unsettled`` (for ``gklint init``)."""
    ledger = ledger or {}
    configured = {column_key(h): k for h, k in (ledger.get("events") or {}).items()}
    folded = _folded(header)
    dates: list[LedgerColumn] = []
    open_: list[tuple[int, list[str]]] = []  # (position, candidate kinds) not yet settled
    for i, key in enumerate(folded):
        if not key:
            continue
        if key in configured:
            kind = vocabulary.resolve(configured[key])
            if kind is None:
                close = vocabulary.closest(configured[key])
                raise ConfigError(
                    f"[ledger.events] maps {header[i]!r} to {configured[key]!r}, which no ruleset in force declares",
                    file=ledger.get("__file__"),
                    hint=(f"Did you mean {close!r}? " if close else "") + "Name an event kind (gklint rules lists them).")
            dates.append(LedgerColumn(i, header[i], kind))
        elif key in vocabulary.columns:
            kinds = vocabulary.columns[key]
            if len(kinds) == 1:
                dates.append(LedgerColumn(i, header[i], kinds[0]))
            else:
                open_.append((i, kinds))
    if not dates and not open_:
        return None
    settled = {c.kind for c in dates}
    unsettled: list[tuple[int, list[str]]] = []
    for i, kinds in open_:
        fitting = [k for k in kinds if vocabulary.related.get(k, set()) & settled]
        if len(fitting) != 1 and not strict:
            unsettled.append((i, kinds))
            continue
        if len(fitting) != 1:
            shown = " and ".join(repr(k) for k in kinds)
            raise InputError(
                f"the ledger column {header[i]!r} is the date of {shown} (both declare it), and the other "
                "columns do not say which", file=raw.path, line=line,
                hint=f'Settle it in gklint.toml: [ledger.events] "{header[i]}" = "{kinds[0]}" (or "{kinds[1]}").')
        dates.append(LedgerColumn(i, header[i], fitting[0]))
    dates.sort()
    taken = {c.at for c in dates}

    def find(column: str, defaults: tuple[str, ...]) -> int | None:
        wanted = [ledger[column]] if ledger.get(column) else []
        if columns and column in columns:
            wanted.append(columns[column])
        for spelling in (*wanted, *defaults):
            key = column_key(spelling)
            if key in folded and folded.index(key) not in taken:
                return folded.index(key)
        if ledger.get(column):
            raise InputError(f"the ledger has no column {ledger[column]!r} ([ledger] {column})", file=raw.path,
                             line=line, hint=f"Its header is: {', '.join(h for h in header if h)}.")
        return None

    return Layout(dates, find("case", CASE_SPELLINGS), find("unit", UNIT_SPELLINGS), tuple(unsettled))


def _note(en: str, zh: str) -> None:
    """An information line on stderr, in the command line's language (as ``events.warn``)."""
    import sys

    from gklint.display import for_terminal

    cli = sys.modules.get("gklint.cli")
    if cli is not None and getattr(cli, "_LANG", None) == "zh":
        sys.stderr.write(f"gklint：说明：{for_terminal(zh)}\n")
    else:
        sys.stderr.write(f"gklint: note: {for_terminal(en)}\n")


def _header_of(cells: list[Any]) -> list[str]:
    header = [str(c).strip() for c in cells]
    while header and not header[-1]:
        header.pop()
    return header


def find_header(raw: RawFile, vocabulary: Vocabulary, ledger: Mapping[str, Any] | None,
                columns: Mapping[str, str] | None, strict: bool = True) -> tuple[RawFile, Layout | None]:
    """``raw`` with its header row: row 1, or the first of the next rows that is an event log's
    or a ledger's header (the rows above it are a title), and the ledger layout when it is a
    ledger's. Neither: ``raw`` as it was (the caller says what its header lacks)."""
    found = _classify(raw, raw.header, vocabulary, ledger, columns, 1, strict)
    if found is not None:
        return raw, found or None
    above: list[tuple[int, list[Any], str | None]] = []
    rows = iter(raw.rows)
    for row in itertools.islice(rows, HEADER_SEARCH):
        above.append(row)
        line, cells, error = row
        if error:
            continue
        header = _header_of(cells)
        found = _classify(raw, header, vocabulary, ledger, columns, line, strict)
        if found is not None:
            title = " ".join(str(c).strip() for c in raw.header if str(c).strip())
            _note(f"{raw.path}: the header is line {line}; the line{'s' if line > 2 else ''} above it "
                  f"{'are' if line > 2 else 'is'} taken for a title ({title!r})",
                  f"{raw.path}：表头在第{line}行，其上的行作为标题（“{title}”）")
            return raw._replace(header=header, rows=rows), found or None
    return raw._replace(rows=itertools.chain(above, rows)), None


def _classify(raw: RawFile, header: list[str], vocabulary: Vocabulary, ledger: Mapping[str, Any] | None,
              columns: Mapping[str, str] | None, line: int, strict: bool = True) -> Layout | bool | None:
    """A ledger header (its layout), an event log's header (False), or neither (None)."""
    if has_event_column(header, dict(columns) if columns else None):
        try:
            map_header(raw._replace(header=header), dict(columns) if columns else None)
        except InputError:
            return None
        return False
    if line > 1 and is_table_header(header):
        return None
    return layout(raw, header, vocabulary, ledger, columns, line, strict)


def convert_ledger(raw: RawFile, lay: Layout, vocabulary: Vocabulary, as_of: dt.date,
                   parse_when: Callable[[str], Any]) -> Iterator[Event | Finding]:
    """Each row of a ledger as its events (one per non-empty date cell) and data findings."""
    from functools import lru_cache

    from gklint.events.rows import after_as_of, duplicate_row, too_wide, unreadable_date

    file, width = raw.path, len(raw.header)
    parse = lru_cache(maxsize=1 << 16)(parse_when)
    standard = {c.at for c in lay.dates} | {lay.case_at, lay.unit_at}
    attr_columns = [(i, column_key(h)) for i, h in enumerate(raw.header) if i not in standard and column_key(h)]
    step_names = "、".join(c.header for c in lay.dates)
    seen: set[tuple[Any, ...]] = set()
    for line, cells, error in raw.rows:
        if error:
            yield _data_finding("GK007", "error", file, line, f"无法读取该行：{error}", f"malformed row: {error}")
            continue
        if len(cells) > width and any(str(c).strip() for c in cells[width:]):
            yield too_wide(file, line, len(cells), width)
            continue
        cells = [str(c) for c in cells[:width]] + [""] * (width - len(cells))
        key = tuple(cells)
        if key in seen:
            yield duplicate_row(file, line)
            continue
        seen.add(key)
        case = cells[lay.case_at].strip() or None if lay.case_at is not None else None
        unit = cells[lay.unit_at].strip() or None if lay.unit_at is not None else None
        attrs = {name: type_value(cells[i]) for i, name in attr_columns if cells[i].strip()}
        dated = False
        for column in lay.dates:
            text = cells[column.at].strip()
            if not text:
                continue  # a step not yet taken
            dated = True
            # The data findings of an event log's row, on the cell's column (the text output shows
            # it: 台账.csv:10 [答复日期]: GK001 ...), so a ledger and its event log say the same.
            try:
                when = parse(text)
            except ValueError:
                yield unreadable_date(file, line, text).with_(column=column.header)
                continue
            if when.date > as_of:
                yield after_as_of(file, line, when.date, as_of).with_(column=column.header)
                continue
            yield Event(file, line, column.kind, when.date, when.time, case, unit, attrs, column.header)
        if not dated:
            # A case with no step dated cannot be checked at all: said, not passed over.
            yield _data_finding("GK003", "error", file, line, f"该行没有任何日期：{step_names}",
                                f"the row has no date in any step column ({step_names})")
