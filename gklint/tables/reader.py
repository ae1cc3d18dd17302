"""Report tables: rows of (indicator, value) in, a ``ReportTable`` with names and values out.

Contract section 7. A header is a report table's when it has ``indicator`` (统计指标) and
``value`` (统计数) -- optionally ``unit`` (单位), ``code`` (代码) and ``column`` (申请人类型) --
or ``indicator`` and the applicant-type columns of the 2019 national template. Header cells
are compared case-insensitively and without blanks (``统 计 指 标`` is ``统计指标``).

Three shapes are read:

* **narrow** -- ``统计指标,单位,统计数``: one value per row (the template in use until 2019);
* **long** -- ``indicator,column,value``: one cell of a multi-column table per row;
* **wide** -- ``统计指标,自然人,商业企业,…,总计``: a row per indicator, as people copy the
  2019 template's table "三、收到和处理政府信息公开申请情况" out of the report. Every column
  other than indicator, unit, code and remarks (备注/note) holds values.

The header is read as the published templates lay it out (contract section 14): its first cell
may be ``项目``, blank, or the 2019/2021 template's note "（本列数据的勾稽关系为：…）" (then the
first column holds the indicators); it may be two or three rows deep, a group heading such as
申请人情况 or 法人或其他组织 spanning its sub-columns (merged cells in a workbook, a blank or
repeated cell in CSV), each column taking its lowest heading; and title rows may stand above it
("2024年政府信息公开工作年度报告 统计表"), whose year is the report's when no ``年度`` row says
it. The label area may span several columns, as the template's does (三、本年度办理结果 |
（三）不予公开 | 1.属于国家秘密): a heading written once (merged down) or on every row is read
once, as a row of its own, before the rows under it. :func:`find_header` finds the header.
Table 四 as the template lays it out -- one row of fifteen figures under 行政复议 / 行政诉讼,
未经复议直接起诉 and 复议后起诉, and 结果维持 … 总计 -- is read across by :func:`find_across`: a
row per group, as the rules name its cells (``行政复议[结果维持]``).

In the long and wide shapes the cell (row, column) is named ``LABEL[COLUMN]``, e.g.
``本年新收政府信息公开申请数量[自然人]`` (``PARENT/LABEL[COLUMN]`` when the label repeats).

Values: integers, decimals (``0.35`` 万元), thousands separators (``1,234``, ``1，234``),
full-width digits, a leading sign. A blank cell is blank (``None``; rules count it as 0 unless
they say ``blank: error``). Anything else (``—``, ``/``, ``10件``, ``1e3``) is a :class:`BadValue`
on its line, which the engine reports as ``invalid``. A row labelled ``年度``/``报告年度``/``year``
gives the report's year (``2018``, ``2018年``, ``2018年度``) and is not an indicator.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from gklint.tables.labels import NameIndex, normalise, paths, unify

ROLES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "统计指标", "项目"),
    "value": ("value", "统计数"),
    "unit": ("unit", "单位"),
    "code": ("code", "代码"),
    "column": ("column", "申请人类型"),
}
APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
REMARK_COLUMNS = ("备注", "说明", "note", "notes", "remark", "remarks")
YEAR_LABELS = ("年度", "报告年度", "year")
# The 2019 and 2021 templates' top-left header cell (merged over the label columns): a note on the
# table's arithmetic, standing where other tables write 统计指标 or 项目.
TEMPLATE_NOTE = "勾稽关系"
# An event log's headers: a header with one of them is not a table's, whatever its first cell.
_LOG_KEYS = frozenset({"date", "event", "日期", "事件"})
HEADER_SEARCH = 10  # rows looked at for a table's header below title rows (as for a ledger's)
HEADER_DEPTH = 3  # rows a header may span: 申请人情况 / 自然人, 法人或其他组织 / 商业企业 …

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_YEAR = re.compile(r"((?:19|20|21)\d\d)(?:年度?)?")
_TITLE_YEAR = re.compile(r"((?:19|20|21)\d\d)\s*年")


def _header_key(cell: object) -> str:
    return unify(str(cell or "")).lstrip("\ufeff").casefold()


def header_roles(header: Sequence[object]) -> dict[str, int]:
    """Positions of the known columns (indicator, value, unit, code, column) in ``header``."""
    keys = [_header_key(h) for h in header]
    found: dict[str, int] = {}
    for role, spellings in ROLES.items():
        for i, key in enumerate(keys):
            if key in spellings:
                found[role] = i
                break
    if "indicator" not in found and keys and (not keys[0] or TEMPLATE_NOTE in keys[0]) \
            and not _LOG_KEYS.intersection(keys):
        found["indicator"] = 0  # the templates' first column: a blank or noted header cell
    return found


def _wide_columns(header: Sequence[object], roles: Mapping[str, int]) -> list[int]:
    keys = [_header_key(h) for h in header]
    if "value" in roles or not any(key in APPLICANT_COLUMNS for key in keys):
        return []
    return [i for i, key in enumerate(keys)
            if i not in roles.values() and key and key not in REMARK_COLUMNS]


def is_report_table(header: Sequence[object]) -> bool:
    """True for a report table's header (narrow, long or wide), False for an event log's."""
    roles = header_roles(header)
    if "indicator" not in roles:
        return False
    if "value" in roles:
        return True
    # An indicator column told only by its place or by 项目 (a ledger may have 项目 or a blank
    # first cell, and a 其他 column): two applicant columns make it a table's.
    named = _header_key(header[roles["indicator"]]) in ("indicator", "统计指标")
    keys = [_header_key(h) for h in header]
    return bool(_wide_columns(header, roles)) and len(set(keys) & set(APPLICANT_COLUMNS)) >= (1 if named else 2)


class TableHeader(NamedTuple):
    """Where a report table's header is: its rows, the header they make, and the title above it."""

    header: list[str]  # one cell per column: the column's lowest heading
    first: int  # line of the header's first row
    last: int  # line of its last row (the table's rows follow it)
    title: tuple[tuple[int, str], ...] = ()  # (line, text) of each title row above the header
    column_lines: tuple[int, ...] = ()  # the line each column's heading was taken from


def _blank(cell: object) -> bool:
    return cell is None or not str(cell).strip()


def _is_number(cell: object) -> bool:
    try:
        return parse_value(cell) is not None
    except ValueError:
        return False


# A note of the figures' unit (单位：件, （单位：个）), which templates print beside the title or
# just under the header: not a heading.
_UNIT_NOTE = re.compile(r"[（(]?\s*计?量?单位\s*[:：]\s*[^\s:：()（）]{1,6}\s*[)）]?")


def unit_note(cell: object) -> bool:
    """Whether ``cell`` is a note of the unit of the figures (单位：件)."""
    return not _blank(cell) and _UNIT_NOTE.fullmatch(str(cell).strip()) is not None


def _unit_row(cells: Sequence[object]) -> bool:
    """Whether a row holds a note of the unit and nothing else: neither a header row nor a row of figures."""
    return all(_blank(c) or unit_note(c) for c in cells) and not all(_blank(c) for c in cells)


def _continues(first: Sequence[object], row: Sequence[object]) -> bool:
    """Whether ``row`` is one more row of a header whose first row is ``first``: its first cell is
    blank (merged down from the row above) or repeats the first row's, and it holds no number and
    not only a note of the unit (单位：件 under the header is no heading of its column)."""
    if all(_blank(c) for c in row) or _unit_row(row) or any(_is_number(c) for c in row):
        return False
    return _blank(row[0] if row else None) or str(row[0]).strip() == str(first[0] if first else "").strip()


def _compose(stack: Sequence[tuple[int, Sequence[object]]]) -> tuple[list[str], list[int]]:
    """A header of rows stacked: each column's lowest non-blank cell (自然人 under 申请人情况,
    商业企业 under 法人或其他组织), and the line it stands on. A cell that repeats the one left of
    it is a merged cell filled across (the note over the template's label columns), so blank."""
    width = max(len(cells) for _, cells in stack)
    header, lines = [], []
    for j in range(width):
        cell, at = "", stack[0][0]
        for line, cells in stack:
            if j < len(cells) and not _blank(cells[j]) \
                    and not (j and str(cells[j]).strip() == str(cells[j - 1] or "").strip()):
                cell, at = str(cells[j]).strip(), line
        header.append(cell)
        lines.append(at)
    while header and not header[-1]:
        header.pop()
        lines.pop()
    return header, lines


def find_header(rows: Sequence[tuple[int, Sequence[object]]]) -> TableHeader | None:
    """A report table's header among a file's first rows ``(line, cells)``, header row first, or
    None. The first row from which one to :data:`HEADER_DEPTH` rows (:func:`_continues`) make a
    table's header starts it, the deepest reading winning (the template's three rows read two deep
    would make 法人或其他组织 a column); the non-blank rows above it are its title."""
    rows = [(line, list(cells)) for line, cells in rows[:HEADER_SEARCH + 1]]
    for start, (line, cells) in enumerate(rows):
        if all(_blank(c) for c in cells):
            continue
        stack = [(line, cells)]
        for more in rows[start + 1:start + HEADER_DEPTH]:
            if not _continues(cells, more[1]):
                break
            stack.append(more)
        for depth in range(len(stack), 0, -1):
            header, lines = _compose(stack[:depth])
            if is_report_table(header):
                title = tuple((at, " ".join(dict.fromkeys(str(c).strip() for c in above if not _blank(c))))
                              for at, above in rows[:start] if not all(_blank(c) for c in above))
                return TableHeader(header, line, stack[depth - 1][0], title, tuple(lines))
    return None


def find_across(rows: Sequence[tuple[int, Sequence[object]]]) -> tuple[TableHeader, list[tuple[int, list[str]]]] | None:
    """Table 四 as the templates lay it out, among a file's rows ``(line, cells)`` (all of them:
    it is a table only when nothing but blank rows follows its one row of figures): two or three
    header rows and no indicator column, each column's lowest heading (结果维持 … 总计) under a
    group heading (行政复议, 未经复议直接起诉, 复议后起诉; merged across, or repeated). Read across:
    one row per group, at the figures' line, under the header ``统计指标`` and the lowest headings;
    or None."""
    rows = [(line, ["" if _blank(c) else str(c).strip() for c in cells]) for line, cells in rows]
    for start in range(min(len(rows), HEADER_SEARCH)):
        end = start
        while end < len(rows) and not any(_is_number(c) for c in rows[end][1]):
            end += 1
        if end >= len(rows) or not 2 <= end - start <= HEADER_DEPTH:
            continue
        line, figures = rows[end]
        if any(c and not _is_number(c) for c in figures) or any(any(c for c in r) for _, r in rows[end + 1:]):
            continue
        stack = [cells for _, cells in rows[start:end]]
        width = max(len(figures), *(len(cells) for cells in stack))
        filled = []  # each header row with a merged cell's text carried right over its blanks
        for cells in stack:
            carried, last = [], ""
            for j in range(width):
                last = (cells[j] if j < len(cells) else "") or last
                carried.append(last)
            filled.append(carried)
        groups: dict[str, dict[str, str]] = {}
        for j in range(width):
            depths = [d for d, cells in enumerate(stack) if j < len(cells) and cells[j]]
            leaf = stack[depths[-1]][j] if depths else ""
            # the group: the nearest heading above the leaf that is not the leaf merged down
            group = next((filled[d][j] for d in range(depths[-1] - 1, -1, -1)
                          if filled[d][j] and filled[d][j] != leaf), "") if depths else ""
            if not group:
                groups = {}
                break
            groups.setdefault(group, {})[leaf] = figures[j] if j < len(figures) else ""
        leaves = list(dict.fromkeys(leaf for cells in groups.values() for leaf in cells))
        header = ["统计指标", *leaves]
        if len(groups) < 2 or not is_report_table(header):
            continue
        title = tuple((at, " ".join(dict.fromkeys(c for c in above if c))) for at, above in rows[:start] if any(above))
        return (TableHeader(header, rows[start][0], rows[end - 1][0], title),
                [(line, [group, *(cells.get(leaf, "") for leaf in leaves)]) for group, cells in groups.items()])
    return None


def title_year(title: Iterable[tuple[int, str]]) -> tuple[int, int] | None:
    """(year, line) of the first year a title row names ("2024年…", "（2018年度）"), or None."""
    for line, text in title:
        found = _TITLE_YEAR.search(unify(text))
        if found:
            return int(found.group(1)), line
    return None


class TableRow(NamedTuple):
    """One value of the table. ``line`` is 1-based (the header is line 1)."""

    line: int
    label: str  # the label as written
    name: str  # canonical name: LABEL, PARENT/LABEL, …, plus [COLUMN] for a multi-column table
    parent: str | None  # the parent's canonical name (without column)
    value: Decimal | None  # None: blank (or bad: see ``bad``)
    unit: str | None
    column: str | None = None
    code: str | None = None
    bad: bool = False  # the cell holds something that is not a number (see ReportTable.bad_values)


class BadValue(NamedTuple):
    """A cell that is not a number, a duplicate indicator, or an unreadable year."""

    line: int
    indicator: str
    raw: str
    message: dict[str, str]  # {"zh": ..., "en": ...}


class Resolution(NamedTuple):
    """What a name means in a table: one row, several candidate names, or nothing."""

    row: TableRow | None
    candidates: tuple[str, ...] = ()  # canonical names when the name is ambiguous


@dataclass(frozen=True)
class ReportTable:
    """A report table, read. Replace ``year`` (dataclasses.replace) to apply ``--period``."""

    path: str
    form: str  # narrow | long | wide
    year: int | None
    rows: tuple[TableRow, ...]
    bad_values: tuple[BadValue, ...] = ()
    year_line: int | None = None
    columns: tuple[str, ...] = ()
    _index: NameIndex = field(default_factory=lambda: NameIndex(()), repr=False, compare=False)
    _cells: Mapping[tuple[tuple[str, ...], str | None], TableRow] = field(
        default_factory=dict, repr=False, compare=False)
    header_line: int = 1  # the line of the header row (after any title rows)
    column_lines: Mapping[str, int] = field(default_factory=dict, compare=False)  # a column's heading's line

    def resolve(self, name: str) -> Resolution:
        """``name`` as a rule writes it (``收到申请数``, ``行政复议数量/被依法纠错数``, ``X[自然人]``)."""
        readings: list[tuple[str, str | None]] = [(name, None)]
        written = unify(name)
        if written.endswith("]") and "[" in written:
            base, _, column = written[:-1].rpartition("[")
            readings.append((base, normalise(column)))
        rows: list[TableRow] = []
        for reading, col in readings:
            rows = [self._cells[(p, col)] for p in self._index.resolve(reading) if (p, col) in self._cells]
            if rows:
                break
        if len(rows) == 1:
            return Resolution(rows[0])
        return Resolution(None, tuple(row.name for row in rows))

    def lookup(self, name: str) -> TableRow | None:
        """The row ``name`` names, or None when it names no row or several."""
        return self.resolve(name).row

    @cached_property
    def _spellings(self) -> list[str]:
        columns: dict[tuple[str, ...], list[str | None]] = {}
        for ancestry, column in self._cells:
            columns.setdefault(ancestry, []).append(column)
        return [name if column is None else f"{name}[{column}]"
                for name in self._index.names() for column in columns.get(self._index.resolve(name)[0], ())]

    def names(self) -> list[str]:
        """Every name that names one cell -- bare, PARENT/LABEL, short forms (for did-you-mean)."""
        return list(self._spellings)


def parse_value(cell: object) -> Decimal | None:
    """A cell's number; None when blank; ValueError when it is not a number."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(str(cell))
    if isinstance(cell, (int, Decimal)):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    written = str(cell).strip()
    if not written:
        return None
    text = unify(written.replace("\u2212", "-").replace("\ufe63", "-"))
    if not _NUMBER.fullmatch(text) or any(ch.isspace() for ch in written):
        raise ValueError(written)
    return Decimal(text.replace(",", ""))


def _bad(line: int, indicator: str, raw: str) -> BadValue:
    return BadValue(line, indicator, raw, {
        "zh": f"“{indicator}”的值“{raw}”不是数字：请填写整数或小数（如 12、0.35），没有就填 0 或留空",
        "en": f"the value {raw!r} of {indicator!r} is not a number: write an integer or a decimal "
              "(12, 0.35); write 0 or leave the cell blank for none",
    })


class _Occurrence(NamedTuple):
    line: int
    label: str
    unit: str | None
    code: str | None
    cells: list[tuple[str | None, object, int]]  # (column, raw cell, line)


def read_table(path: str, rows: Iterable[tuple[int, Mapping[str, object] | Sequence[object]]],
               header: Sequence[str] | None = None, *, header_line: int = 1,
               title: Sequence[tuple[int, str]] = (), column_lines: Sequence[int] = ()) -> ReportTable:
    """A report table from decoded rows: (1-based line, {header cell: value} or [cells]).

    ``header`` gives the column order; by default it is the keys of the first row. A row given
    as a list of cells is read by position (a header may repeat a cell, such as blanks over the
    template's label columns). ``header_line``, ``title`` and ``column_lines``: where the header
    and the title rows above it are (:func:`find_header`).
    """
    rows = list(rows)
    header = list(header) if header is not None else list(rows[0][1]) if rows else []
    roles = header_roles(header)
    if "indicator" not in roles:
        raise ValueError(f"{path}: not a report table (no indicator/统计指标 column)")
    wide = [(normalise(str(header[i])), i) for i in _wide_columns(header, roles)]
    form = "wide" if wide else "long" if "column" in roles else "narrow"
    # The label area: the indicator column and the blank-headed columns right of it (the
    # template's 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 under one merged heading).
    labels_at = [roles["indicator"]]
    while labels_at[-1] + 1 < len(header) and not _header_key(header[labels_at[-1] + 1]) \
            and labels_at[-1] + 1 not in roles.values():
        labels_at.append(labels_at[-1] + 1)
    seen: list[str | None] = [None] * len(labels_at)  # the label area's headings as last written

    def positional(row: Mapping[str, object] | Sequence[object]) -> Sequence[object]:
        return [row.get(h) for h in header] if isinstance(row, Mapping) else row

    def cell(got: Sequence[object], role: str) -> object:
        i = roles.get(role)
        return got[i] if i is not None and i < len(got) else None

    def text(value: object) -> str | None:
        return unify(str(value)) or None if value is not None else None

    bad: list[BadValue] = []
    years: list[tuple[int, int]] = []
    occurrences: list[_Occurrence] = []
    for line, row in rows:
        got = positional(row)
        if _unit_row(got):
            continue  # 单位：件 on a row of its own (under the header): a note, not a row of figures
        values: list[tuple[str | None, object, int]]
        if wide:
            values = [(col, got[i] if i < len(got) else None, line) for col, i in wide]
        else:
            column = cell(got, "column")
            values = [(normalise(str(column)) or None if column is not None else None, cell(got, "value"), line)]
        filled = [v for _, v, _ in values if v is not None and str(v).strip()]
        written: list[tuple[int, str]] = []  # (depth in the label area, text), a cell merged across once
        for depth, i in enumerate(labels_at):
            label = str(got[i] if i < len(got) and got[i] is not None else "").strip()
            if label and not (written and written[-1][1] == label):
                written.append((depth, label))
        for depth, label in written[:-1]:  # headings over the row's label, each read once
            if seen[depth] != label:
                occurrences.append(_Occurrence(line, label, None, None, [(c, None, line) for c, _, _ in values]))
                seen[depth:] = [label] + [None] * (len(seen) - depth - 1)
        if written:
            seen[written[-1][0]:] = [written[-1][1]] + [None] * (len(seen) - written[-1][0] - 1)
        raw_label = written[-1][1] if written else ""
        if not raw_label:
            if filled:
                bad.append(BadValue(line, "", str(filled[0]), {
                    "zh": "该行有数值但没有统计指标", "en": "the row has a value but no indicator"}))
            continue
        if unify(raw_label).casefold() in YEAR_LABELS:
            for value in filled[:1]:
                found = _YEAR.fullmatch(unify(str(value)).removesuffix(".0"))
                if found:
                    years.append((line, int(found.group(1))))
                else:
                    bad.append(BadValue(line, raw_label, str(value), {
                        "zh": f"无法识别的年度“{value}”（应为 2018、2018年 或 2018年度）",
                        "en": f"unreadable year {value!r} (write 2018, 2018年 or 2018年度)"}))
            continue
        last = occurrences[-1] if occurrences else None
        if (form == "long" and last is not None and last.label == raw_label
                and values[0][0] not in {c for c, _, _ in last.cells}):
            last.cells.extend(values)
        else:
            occurrences.append(_Occurrence(line, raw_label, text(cell(got, "unit")),
                                           text(cell(got, "code")), list(values)))

    all_paths = paths([o.label for o in occurrences])
    index = NameIndex(all_paths)
    cells: dict[tuple[tuple[str, ...], str | None], TableRow] = {}
    out: list[TableRow] = []
    for occ, ancestry in zip(occurrences, all_paths):
        name = index.canonical(ancestry)
        parent = index.canonical(ancestry[:-1]) if len(ancestry) > 1 else None
        for column, raw, line in occ.cells:
            try:
                value, is_bad = parse_value(raw), False
            except ValueError:
                value, is_bad = None, True
                bad.append(_bad(line, name if column is None else f"{name}[{column}]", str(raw)))
            entry = TableRow(line, occ.label, name if column is None else f"{name}[{column}]", parent,
                             value, occ.unit, column, occ.code, is_bad)
            if (ancestry, column) in cells:
                bad.append(BadValue(line, entry.name, str(raw), {
                    "zh": f"指标“{entry.name}”重复出现（第一次在第{cells[(ancestry, column)].line}行），此行未计入",
                    "en": f"the indicator {entry.name!r} appears twice (first on line "
                          f"{cells[(ancestry, column)].line}); this row was not used"}))
                continue
            cells[(ancestry, column)] = entry
            out.append(entry)
    if not years and (named := title_year(title)) is not None:
        years.append((named[1], named[0]))  # no 年度 row: the year the title names
    year, year_line = (years[0][1], years[0][0]) if years else (None, None)
    for line, other in years[1:]:
        if other != year:
            bad.append(BadValue(line, "年度", str(other), {
                "zh": f"年度与第{year_line}行的{year}年不一致", "en": f"the year differs from {year} on line {year_line}"}))
    columns = tuple(dict.fromkeys(r.column for r in out if r.column is not None))
    where = {normalise(str(header[i])): at for i, at in enumerate(column_lines) if i < len(header)}
    return ReportTable(path, form, year, tuple(out), tuple(sorted(bad, key=lambda b: b.line)), year_line,
                       columns, index, cells, header_line, {c: where[c] for c in columns if c in where})


def read_table_file(path: str | Path) -> ReportTable:
    """Read a ``.csv``/``.tsv`` report table on its own (UTF-8, UTF-8 with BOM, or GB18030)."""
    path = Path(path)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(f"{path}: neither UTF-8 nor GB18030 text")
    reader = csv.reader(text.splitlines(keepends=True), delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if cells:
            rows.append((start, cells))
    found = find_header(rows)
    if found is None:
        return read_table(str(path), rows[1:], rows[0][1] if rows else [])
    return read_table(str(path), [r for r in rows if r[0] > found.last], found.header, header_line=found.last,
                      title=found.title, column_lines=found.column_lines)
