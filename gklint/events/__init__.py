"""Event logs in, ``Event`` values and data findings (GK001-GK007) out.

Readers by suffix live in :mod:`gklint.events.readers`; this module maps headers to the
contract's columns (section 2), types attribute values, and turns unusable rows into findings
so that the rest of the file is still checked.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gklint.errors import InputError, closest
from gklint.events.readers import SUFFIXES, RawFile, ReadOnce, log_suffix, open_raw, readable
from gklint.model import Event, Finding, msg

# Each column's names; after gklint's own, the XES and pm4py keys (contract section 13), so that an
# XES log or a pm4py CSV export reads with no configuration.
STANDARD_COLUMNS = {
    "date": ("date", "日期", "time:timestamp"),
    "event": ("event", "事件", "concept:name"),
    "case": ("case", "编号", "case:concept:name"),
    "unit": ("unit", "部门", "org:group"),
}
REQUIRED = ("date", "event")

_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "是": True, "否": False}
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def column_key(name: str) -> str:
    """The one spelling of a column (attribute) name: column names are case-insensitive (section 2).

    Readers key attributes by it and rule kinds fold the names rulesets write with it.
    """
    return name.strip().lstrip("\ufeff").casefold()


@lru_cache(maxsize=4096)
def type_value(text: str) -> Any:
    """Contract section 2: 是/否, yes/no, true/false are booleans; numerals are numbers."""
    text = text.strip()
    lowered = text.lower()
    if lowered in _BOOLEANS:
        return _BOOLEANS[lowered]
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


# A footer row's cells each start with one of these labels and a colon: 填表人：张三, 审核人：李四.
_FOOTER = re.compile(r"\s*(填表人|填报人|制表人|审核人|审核|负责人|统计人|经办人|填表日期|填报日期|制表日期|填报单位|"
                     r"联系人|联系电话|单位负责人|部门负责人)\s*[:：]")


def is_blank_or_footer(cells: list[Any]) -> bool:
    """A row that holds nothing (``,,,,``) or only a signature footer (``填表人：张三``): skipped,
    not an error, in every format (contract section 14)."""
    filled = [str(c) for c in cells if str(c).strip()]
    return all(_FOOTER.match(c) for c in filled)


def _content_rows(rows: Iterable[tuple[int, list[Any], str | None]]) -> Iterator[tuple[int, list[Any], str | None]]:
    for row in rows:
        cells = row[1]
        if cells and (first := cells[0]) and first.__class__ is str and not first[0].isspace() \
                and first[0] not in "填制审负统经联单" or row[2] or not is_blank_or_footer(cells):
            yield row  # (the first test is the fast path: a row that starts with a value)


_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "(": "〔",
                           ")": "〕", "（": "〔", "）": "〕", "〖": "〔", "〗": "〕"})


_ASCII_FOLDED = re.compile(r"[\s()\[\]]")


@lru_cache(maxsize=1 << 16)
def fold_case(text: str | None) -> str | None:
    """A case value as cases are compared (contract section 14): full-width forms folded (NFKC),
    blanks removed, and the bracket pairs 〔〕 ［］ [] 【】 () （） written as 〔〕: 依申[2019]22号
    and 依申〔2019〕 22号 are one case. Findings show the case as its row writes it. None for
    an empty cell."""
    if text is None:
        return None
    if text.isascii() and not _ASCII_FOLDED.search(text) or _SELF_FOLDED.fullmatch(text):
        return text or None  # (the fast paths: most case numbers, 依申请〔2022〕19号 too)
    return _fold(text)


# Characters _fold leaves as they are, whatever surrounds them: printable ASCII but blanks and the
# brackets ()[], CJK unified ideographs (NFKC maps none of them, and none composes with what
# follows it) and 〔〕. A value made of these alone is its own folded form (the columnar engine's
# _UNFOLDED is the same class in RE2's syntax).
_SELF_FOLDED = re.compile(r"[!-'*-Z\\^-~\u4e00-\u9fff〔〕]*")


def _fold(text: str) -> str | None:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).translate(_BRACKETS) or None


def value_key(value: Any) -> Any:
    """An attribute value as declared values are compared: typed (是 is true), text folded
    (full-width forms, case, blanks)."""
    if isinstance(value, str):
        import unicodedata

        value = type_value(unicodedata.normalize("NFKC", value).replace(" ", ""))
        return value.casefold() if isinstance(value, str) else value
    return value


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and every event file under directories named, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = walk(path)
            if not inside:
                # Checking nothing and reporting "0 findings" would pass a compliance gate silently.
                raise InputError("the folder holds no event logs (.csv, .tsv, .jsonl, .xlsx, .xls, .et or .parquet files)",
                                 file=str(path),
                                 hint="Name the folder the logs are in, or the files themselves.")
            found.extend(inside)
        elif path.name.startswith("~$") and path.suffix.lower() in SUFFIXES and path.exists():
            # Named (a commit's staged files, a shell's *.xlsx): said as what it is, not as a
            # damaged workbook; folder walks leave it out.
            raise InputError(f"this is the lock file Excel or WPS keeps while {path.name[2:]} is open, "
                             "not a workbook", file=str(path),
                             hint=f"Close the workbook and name {path.name[2:]}. In a records repository add "
                             "~$* to .gitignore (git rm --cached the lock file if it was committed).")
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or directory", file=str(path),
                             hint="Check the path; gklint reads .csv, .tsv, .jsonl, .xlsx, .xls, .et and .parquet files.")
    return found


def walk(folder: Path) -> list[Path]:
    """The event files under ``folder``, sorted, hidden files and folders left out.

    Nothing else is left out silently (contract section 14): a folder that cannot be listed, a
    symbolic link to a folder (not followed: a link in a repository must not make the check read
    outside it, and a link cannot loop), a link that leads nowhere and an event file that is not a
    regular file (a named pipe would block the run) are each a warning on stderr naming the path.
    ``Path.rglob`` would skip the first two without a word. A symbolic link to a file is read.
    """
    import os

    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        if exc.filename is not None and os.path.abspath(exc.filename) == os.path.abspath(folder):
            raise InputError(f"cannot read the folder: {exc.strerror or exc}", file=str(folder),
                             hint="Check its permissions.")
        warn(f"{Path(exc.filename)}: cannot read the folder ({exc.strerror or exc}); the logs in it are not checked")

    for root, dirs, files in os.walk(folder, onerror=unreadable, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(dirs):
            if os.path.islink(os.path.join(root, name)):
                warn(f"{Path(root, name)}: a symbolic link to a folder is not followed; "
                     "name the folder itself to check the logs in it")
        for name in files:
            # Hidden files and Office's lock files (~$台账.xlsx, there while the book is open) hold
            # no records (contract section 14).
            if name.startswith((".", "~$")) or log_suffix(name) not in SUFFIXES:
                continue
            path = Path(root, name)
            if path.is_file():
                found.append(path)
            elif not path.exists():
                warn(f"{path}: a symbolic link that leads nowhere; not checked")
            else:
                warn(f"{path}: not a regular file (a pipe or device) inside a folder; not checked")
    return sorted(found)


def warn(text: str) -> None:
    """A warning on stderr (``gklint: warning: ...``) in the command line's language, escaped
    for the terminal."""
    import sys

    from gklint.display import for_terminal

    cli = sys.modules.get("gklint.cli")
    if cli is not None and getattr(cli, "_LANG", None) == "zh":
        from gklint.i18n import translate

        sys.stderr.write(f"gklint: 警告：{for_terminal(translate(text))}\n")
        return
    sys.stderr.write(f"gklint: warning: {for_terminal(text)}\n")


# Words without which no row is a report table's header (its indicator column, the template's note
# over it, or table 四's first group heading): the table reader is imported only for a file with one
# of them in its first rows.
_TABLE_HINTS = ("indicator", "统计指标", "项目", "勾稽关系", "行政复议")


def is_table_header(header: list[str]) -> bool:
    """A report table (contract section 7) rather than an event log, told apart by its header."""
    from gklint.tables.labels import unify  # (light: the reader itself imports decimal)

    folded = unify("|".join(header)).casefold()  # as the reader folds a header cell: blanks too
    if not any(hint in folded for hint in _TABLE_HINTS) and (not header or unify(str(header[0]))):
        return False  # no indicator column: an event log (and no need to import the table reader)
    from gklint.tables.reader import is_report_table

    return is_report_table(header)


@dataclass
class Vocabulary:
    """Event names, labels and aliases of the rulesets in force -> canonical event name."""

    names: dict[str, str] = field(default_factory=dict)  # folded spelling -> canonical name
    spellings: dict[str, str] = field(default_factory=dict)  # folded spelling -> as declared
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {zh, en}
    # Ledger date columns (contract section 10): folded header -> the kinds that declare it.
    columns: dict[str, list[str]] = field(default_factory=dict)
    # Attributes the rules read (contract section 14): folded header (name or alias) -> name,
    # and for those that declare their values: folded value -> the value as rules compare it.
    attributes: dict[str, str] = field(default_factory=dict)
    attribute_values: dict[str, dict[Any, Any]] = field(default_factory=dict)
    # Kinds that some rule names together (received and answered of one deadline).
    related: dict[str, set[str]] = field(default_factory=dict)
    _closest: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    # Every ruleset in force is `vocabulary: open` (contract section 13): a kind no ruleset
    # declares is a kind of its own, named as the row writes it (trimmed), not GK002.
    open: bool = False

    def add(self, name: str, label: dict[str, str], aliases: Iterable[str]) -> str | None:
        """Declare an event; returns a clash message when an alias names two events."""
        self.labels.setdefault(name, label)
        for spelling in (name, label.get("zh", ""), *aliases):
            key = spelling.strip().casefold()
            if not key:
                continue
            self._closest.clear()
            other = self.names.setdefault(key, name)
            self.spellings.setdefault(key, spelling.strip())
            if other != name:
                return f"{spelling!r} names both {other!r} and {name!r}"
        return None

    def add_columns(self, name: str, columns: Iterable[str]) -> None:
        """Ledger date columns of the event ``name``; a header two kinds declare is ambiguous
        until a ledger's other columns or config ``[ledger.events]`` settle it."""
        for header in columns:
            kinds = self.columns.setdefault(column_key(header), [])
            if name not in kinds:
                kinds.append(name)

    def relate(self, kinds: set[str]) -> None:
        for kind in kinds:
            self.related.setdefault(kind, set()).update(kinds - {kind})

    def add_attribute(self, name: str, decl: Any) -> str | None:
        """An attribute declared under an event; returns a clash message when one header names
        two attributes. ``decl`` is a description, or ``{description, aliases, values}``."""
        key = column_key(name)
        aliases = decl.get("aliases") or [] if isinstance(decl, dict) else []
        for spelling in (name, *aliases):
            other = self.attributes.setdefault(column_key(spelling), key)
            if other != key:
                return f"the header {spelling!r} names both attributes {other!r} and {key!r}"
        values = decl.get("values") if isinstance(decl, dict) else None
        if values:
            table = self.attribute_values.setdefault(key, {})
            pairs = values.items() if isinstance(values, dict) else ((v, ()) for v in values)
            for value, others in pairs:
                typed = value_key(value)
                table[typed] = typed
                for other_spelling in others or ():
                    table[value_key(other_spelling)] = typed
        return None

    def resolve(self, text: str) -> str | None:
        name = self.names.get(text.strip().casefold())
        if name is None and self.open:
            return text.strip() or None
        return name

    def suggest(self, text: str) -> str | None:
        """The event name whose name, label or alias is closest to ``text``."""
        spelling = self.closest(text)
        return self.names[spelling.casefold()] if spelling else None

    def closest(self, text: str) -> str | None:
        """The declared spelling (name, label or alias) closest to ``text`` (remembered: a log
        repeats its misspellings)."""
        key = text.strip().casefold()
        if key not in self._closest:
            close = closest(key, self.names, cutoff=0.5)
            self._closest[key] = self.spellings.get(close, close) if close else None
        return self._closest[key]

    def label(self, name: str, lang: str) -> str:
        label = self.labels.get(name, {})
        return label.get(lang) or label.get("zh") or name


@dataclass
class LogData:
    """What was read: events, findings about rows, report tables, and counts."""

    events: list[Event] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)  # ReportTable values
    rows: int = 0
    headers: dict[str, None] = field(default_factory=dict)  # every header cell as written (GK011 hints)


def _data_finding(rule: str, severity: str, file: str, line: int, zh: str, en: str,
                  **extra: Any) -> Finding:
    return Finding(rule=rule, severity=severity, status="invalid", message=msg(zh, en),
                   file=file, line=line, **extra)


def rename_attributes(raw: RawFile, columns: dict[str, str] | None, vocabulary: Vocabulary | None = None) -> RawFile:
    """Config ``[columns]`` keys other than the standard ones name attributes: a header written
    as ``简单问题`` becomes the attribute ``simple`` that rules filter on. So do the headers the
    vocabulary declares for an attribute (``aliases`` of ``simple``: 是否简单问题, contract
    section 14); config wins."""
    renames = dict(vocabulary.attributes) if vocabulary is not None else {}
    renames.update({column_key(header): name for name, header in (columns or {}).items()
                    if name not in STANDARD_COLUMNS})
    if not renames:
        return raw
    header = [renames.get(column_key(str(h)), h) for h in raw.header]
    return raw if header == raw.header else raw._replace(header=header)


def has_event_column(header: list[str], columns: dict[str, str] | None) -> bool:
    folded = {column_key(str(h)) for h in header}
    return any(column_key(s) in folded for s in (*STANDARD_COLUMNS["event"], *((columns or {}).get("event", ""),)) if s)


def checked_values(items: Iterable[Event | Finding], headers: dict[str, str],
                   vocabulary: Vocabulary) -> Iterator[Event | Finding]:
    """Attribute values read as the vocabulary declares them (简单 is 是 for ``simple``); a value
    it does not declare is GK001 on its row (contract section 14), once per row and column, in the
    order of the columns, and the event keeps the value as written (rules comparing it will not
    match it). ``headers`` (attribute -> the header as written) is in column order."""
    declared = vocabulary.attribute_values
    present = [name for name in headers if name in declared]
    if not present:
        yield from items
        return
    reported: set[tuple[int, str]] = set()  # (a ledger row is one event per dated cell)
    for item in items:
        if isinstance(item, Event) and any(name in item.attrs for name in present):
            attrs = dict(item.attrs)
            for name in present:
                if name not in attrs:
                    continue
                value = declared[name].get(value_key(attrs[name]))
                if value is not None:
                    attrs[name] = value
                elif (item.line, name) not in reported:
                    reported.add((item.line, name))
                    yield undeclared_value(vocabulary, name, headers[name], attrs[name], item)
            item = item._replace(attrs=attrs)
        yield item


def undeclared_value(vocabulary: Vocabulary, name: str, header: str, value: Any, item: Event) -> Finding:
    """GK001: the attribute ``name`` (column ``header``) of ``item`` holds ``value``, which the
    vocabulary does not declare for it."""
    declared = vocabulary.attribute_values[name]
    shown = {True: "是", False: "否"}
    allowed = "、".join(dict.fromkeys(shown.get(v, str(v)) for v in declared.values()))
    return _data_finding(
        "GK001", "error", item.file, item.line,
        f"“{header}”列的值“{value}”不是规定的取值（{allowed}）",
        f"the value {str(value)!r} in column {header!r} is not one of its declared "
        f"values ({allowed})", case=item.case, unit=item.unit,
        column=header if item.column is not None else None)


def map_header(raw: RawFile, columns: dict[str, str] | None) -> dict[str, int]:
    """Header cell positions of the standard columns; InputError when a required one is absent."""
    folded = [column_key(h) for h in raw.header]
    positions: dict[str, int] = {}
    for column, spellings in STANDARD_COLUMNS.items():
        wanted = [column_key(s) for s in spellings]
        if columns and column in columns:
            wanted.insert(0, column_key(columns[column]))
        for spelling in wanted:
            if spelling in folded:
                positions[column] = folded.index(spelling)
                break
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        names = ", ".join(f"'{c}' ({STANDARD_COLUMNS[c][1]})" for c in missing)
        raise InputError(
            f"the header has no {names} column (header: {', '.join(raw.header) or 'empty'})",
            file=raw.path, line=1,
            hint="Name the columns date/日期 and event/事件, or map your headers in gklint.toml [columns].")
    return positions


def read_events(
    paths: Iterable[Path],
    vocabulary: Vocabulary,
    *,
    as_of: dt.date,
    columns: dict[str, str] | None = None,
    parse_when: Callable[[str], Any] | None = None,
    sheet: str | None = None,
    progress: Any = None,
    ledger: dict[str, Any] | None = None,
    zone: str | None = None,
) -> LogData:
    """Read every file; rows that cannot be used become findings on their line. ``zone``: the
    IANA zone times are read in (``--timezone``, contract section 13); None is China's."""
    excel_dates = parse_when is None
    if parse_when is None:
        from gklint.dates import parser_in

        parse_when = parser_in(zone)
    data = LogData()
    for given in paths:
        path = readable(Path(given))  # a pipe is read once, here, whichever reader then reads it
        if excel_dates and path.suffix.lower() in (".xlsx", ".xls", ".et"):
            # A date typed into a cell of General format is kept as its serial number (43647).
            from gklint.dates import parse_when_excel

            read_date: Callable[[str], Any] = parse_when_excel if zone is None else \
                lambda text: parse_when_excel(text, parse_when)
        else:
            read_date = parse_when
        marks = (len(data.events), len(data.findings), len(data.tables), len(data.files), data.rows)
        try:
            # Most logs are UTF-8: read as UTF-8 at once, checking the bytes while reading them,
            # rather than decoding the whole file once to check it and again to read it.
            _read_file(data, open_raw(path, sheet, assume_utf8=True), path, vocabulary, as_of, columns,
                       read_date, progress, ledger)
        except UnicodeDecodeError:
            # Not UTF-8 after all: forget what was read of it and read it in the encoding found
            # by checking the whole file (GB18030), or say that it has none.
            del data.events[marks[0]:], data.findings[marks[1]:], data.tables[marks[2]:], data.files[marks[3]:]
            data.rows = marks[4]
            _read_file(data, open_raw(path, sheet), path, vocabulary, as_of, columns, read_date, progress, ledger)
    return data


def _read_file(data: LogData, raw: RawFile, path: Path | ReadOnce, vocabulary: Vocabulary, as_of: dt.date,
               columns: dict[str, str] | None, parse_when: Callable[[str], Any], progress: Any,
               ledger: dict[str, Any] | None = None) -> None:
    from gklint.events.rows import convert_rows

    data.files.append(raw.path)
    header = [str(h) for h in raw.header]
    if is_table_header(header) or not has_event_column(header, columns):
        # A report table's header may be below title rows and span rows (contract section 14).
        raw, found = _table_header(raw)
        if found is not None:
            data.tables.append(_read_table(raw, data, found))
            return
    source = raw.rows
    raw = raw._replace(rows=_content_rows(raw.rows))
    items: Iterable[Event | Finding]
    lay = None
    try:
        if not has_event_column(raw.header, columns):
            # A case ledger, or a header below title rows (contract section 10): read only then.
            from gklint.events.ledger import find_header

            raw, lay = find_header(raw, vocabulary, ledger, columns)
        written = raw.header
        data.headers.update(dict.fromkeys(str(h) for h in written))
        raw = rename_attributes(raw, columns, vocabulary)
        if lay is not None:
            from gklint.events.ledger import convert_ledger

            items = convert_ledger(raw, lay, vocabulary, as_of, parse_when)
        else:
            items = convert_rows(raw, map_header(raw, columns), vocabulary, as_of, parse_when)
    except BaseException:
        _discard(source)
        raise
    if vocabulary.attribute_values:
        items = checked_values(items, {column_key(str(h)): str(w) for h, w in zip(raw.header, written)}, vocabulary)
    showing = progress is not None and progress.enabled and raw.position is not None
    size = max(1, path.stat().st_size) if showing else 1
    for item in items:
        data.rows += 1
        if isinstance(item, Event):
            data.events.append(item)
        else:
            data.findings.append(item)
        if showing and not data.rows & 0xFFFF:
            progress.show(f"gklint: reading {path.name} {min(100, 100 * raw.position() // size)}% "
                          f"({data.rows:,} rows)")


def _discard(rows: Any) -> None:
    """Close a reader's rows that will not be read (its file is closed by its generator's
    ``with``, which only a started generator has entered)."""
    import contextlib
    import inspect

    if inspect.isgenerator(rows):
        # (the file is being given up on: an error reading its first row is not the one to report)
        with contextlib.suppress(Exception):
            if inspect.getgeneratorstate(rows) == inspect.GEN_CREATED:
                next(rows, None)
        rows.close()


def _table_header(raw: RawFile) -> tuple[RawFile, Any]:
    """``raw`` with the rows after a report table's header, and where the header is
    (:class:`gklint.tables.reader.TableHeader`); or ``raw`` as it was and None. The header and its
    title are looked for in the first rows, as a ledger's are; a header other than line 1 alone
    is said on stderr, in the command line's language."""
    import itertools

    from gklint.tables.reader import HEADER_SEARCH

    rows = iter(raw.rows)
    first = list(itertools.islice(rows, HEADER_SEARCH))
    candidates = [(1, list(raw.header)), *((line, cells) for line, cells, error in first if not error)]
    if not is_table_header(list(raw.header)) and not any(
            is_table_header([str(c) for c in cells]) or _hinted(cells) for _, cells in candidates[1:]):
        return raw._replace(rows=itertools.chain(first, rows)), None
    from gklint.tables.reader import find_across, find_header

    found = find_header(candidates)
    if found is None:
        # Table 四 read across: only a file that ends within the rows looked at can be one.
        across = find_across(candidates) if len(first) < HEADER_SEARCH else None
        if across is None:
            return raw._replace(rows=itertools.chain(first, rows)), None
        found, lines = across
        first = [(line, cells, None) for line, cells in lines]
    if found.last > 1:
        from gklint.events.ledger import _note

        where_en = f"line {found.first}" if found.first == found.last else f"lines {found.first}-{found.last}"
        where_zh = f"第{found.first}行" if found.first == found.last else f"第{found.first}—{found.last}行"
        title = " / ".join(text for _, text in found.title)
        _note(f"{raw.path}: the report table's header is {where_en}"
              + (f"; the line{'s' if found.first > 2 else ''} above it {'are' if found.first > 2 else 'is'} "
                 f"taken for a title ({title!r})" if found.title else ""),
              f"{raw.path}：统计表的表头在{where_zh}" + (f"，其上的行作为标题（“{title}”）" if found.title else ""))
    rest = itertools.chain(((line, cells, error) for line, cells, error in first if line > found.last), rows)
    return raw._replace(header=found.header, rows=rest), found


def _hinted(cells: list[Any]) -> bool:
    """A row with a word of a report table's header in it (:data:`_TABLE_HINTS`)."""
    from gklint.tables.labels import unify

    folded = unify("|".join(str(c) for c in cells)).casefold()
    return any(hint in folded for hint in _TABLE_HINTS)


def _read_table(raw: RawFile, data: LogData, found: Any) -> Any:
    """A report table, read once; its unusable values become GK012 findings on their line."""
    from gklint.tables.reader import read_table

    table = read_table(raw.path, [(line, cells) for line, cells, error in raw.rows if not error], found.header,
                       header_line=found.last, title=found.title, column_lines=found.column_lines)
    for bad in table.bad_values:
        data.findings.append(Finding(rule="GK012", severity="error", status="invalid", message=bad.message,
                                     file=raw.path, line=bad.line, period=str(table.year) if table.year else None))
    return table


