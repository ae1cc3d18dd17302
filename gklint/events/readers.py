"""Raw readers: a file in, (line, cells) rows out, with its header.

Each reader knows only its format. Decoding rules (contract section 2): UTF-8 with or
without BOM, else GB18030 (a superset of GBK, which Excel in China saves), detected.
"""
from __future__ import annotations

import codecs
import csv
import json
import operator
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from gklint.errors import InputError

SUFFIXES = (".csv", ".tsv", ".jsonl", ".xlsx")
MAX_CELL = 1 << 20  # a cell over 1 MiB is a malformed row (GK007), not a reason to stop
_CHUNK = 1 << 20

# A cell over the limit is a csv.Error on its row (GK007), and the rest of the file is still read.
csv.field_size_limit(MAX_CELL)


KEY_SEPARATOR = "\x1f"  # the ASCII unit separator: joins the cells of records from .xlsx and .jsonl


class RawRow(NamedTuple):
    """Cells of one record. ``line`` is the 1-based line the record starts on.

    ``cells`` is a list, or -- from the CSV/TSV reader, for a record written without quotes --
    the record's text without its line ending, which is the cells joined by the file's
    delimiter: :func:`split_cells` (or ``str.split``) gives the list. Readers that know the text
    give it so that nothing is split or kept twice (docs/performance.md).
    """

    line: int
    cells: list[Any] | str
    error: str | None = None  # why the record could not be split into cells


class RawFile(NamedTuple):
    path: str
    header: list[str]
    rows: Iterator[tuple[int, Any, str | None]]  # RawRow or plain tuples: unpack, no attributes
    position: Callable[[], int] | None = None  # bytes read so far, for a progress line
    # Text records (CSV/TSV) are the cells joined by this; other readers' keys join by it too.
    delimiter: str = KEY_SEPARATOR
    lines: CsvLines | None = None  # CSV/TSV: the lines after the header, for a reader that splits them itself



def split_cells(cells: list[Any] | str, delimiter: str) -> list[Any]:
    """A record's cells as a list, whichever form the reader gave them in."""
    return cells.split(delimiter) if isinstance(cells, str) else cells


def record_key(cells: list[Any], delimiter: str) -> Any:
    """What two identical records share and two different ones do not, in one form for every
    reader: a record whose cells are text free of the delimiter, quotes and line breaks is keyed
    by its text as an unquoted line would hold it (the form the CSV reader gives it in); any
    other by the tuple of its cells (never equal to a string)."""
    if all(c.__class__ is str for c in cells):
        text = delimiter.join(cells)
        if '"' not in text and "\r" not in text and "\n" not in text and text.count(delimiter) == len(cells) - 1:
            return text
    return tuple(cells)


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file is UTF-8, else ``gb18030``; InputError otherwise."""
    binary = _binary(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(_CHUNK)
            if not head.strip():
                raise InputError("the file is empty; a header row is required", file=str(path),
                                 hint="Add a header row such as: date,event,case,unit")
            for encoding in ("utf-8-sig", "gb18030"):
                fh.seek(0)
                decoder = codecs.getincrementaldecoder(encoding)()
                try:
                    while chunk := fh.read(_CHUNK):
                        if b"\x00" in chunk:
                            raise binary
                        decoder.decode(chunk)
                    decoder.decode(b"", final=True)
                    return encoding
                except UnicodeDecodeError:
                    continue
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    raise InputError("the file is neither UTF-8 nor GB18030/GBK text", file=str(path),
                     hint="Save it from Excel as 'CSV UTF-8' or as .xlsx.")


_SECOND = operator.itemgetter(1)
_QUOTED_SHARE = 4  # switch to one csv reader when more than 1 record in 4 is quoted ...
_QUOTED_MIN = 256  # ... and at least this many were


def _binary(path: Path | str) -> InputError:
    return InputError("the file contains NUL bytes: it looks binary, not a text log", file=str(path),
                      hint="Export the sheet as CSV (UTF-8 or GBK) or as .xlsx.")


def _open_utf8(path: Path) -> Any:
    """The file as UTF-8 text (``utf-8-sig``), decoded strictly as it is read: a byte that is not
    UTF-8 raises UnicodeDecodeError wherever it is (the caller then reads it as ``detect_encoding``
    says). ``detect_encoding``'s other checks are made on the first megabyte here, and on each
    line as it is read for NUL bytes (``CsvLines``)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_CHUNK)
        if not head.strip():
            raise InputError("the file is empty; a header row is required", file=str(path),
                             hint="Add a header row such as: date,event,case,unit")
        if b"\x00" in head:
            raise _binary(path)
        return path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None


def _csv_rows(path: Path, delimiter: str, assume_utf8: bool = False) -> RawFile:
    """Records of a CSV/TSV file, as the ``csv`` module splits them.

    A line without a quote character is one record whose cells are the line split at the
    delimiter -- exactly what ``csv`` makes of it -- and is given as its text (see ``RawRow``);
    a line with one is read by ``csv``, with as many following lines as its quoted cells span.
    A file that quotes most records is read by one ``csv`` reader from there on. ``rows`` and
    ``lines`` read the same lines: a caller takes one of them. ``assume_utf8``: see ``_open_utf8``.
    """
    if assume_utf8:
        fh = _open_utf8(path)
    else:
        fh = path.open("r", encoding=detect_encoding(path), newline="")
    numbered = enumerate(fh, 1)  # physical line numbers; csv readers take lines from the same iterator
    try:
        header = next(csv.reader(map(_SECOND, numbered), delimiter=delimiter))
    except StopIteration:
        fh.close()
        raise InputError("the file is empty; a header row is required", file=str(path),
                         hint="Add a header row such as: date,event,case,unit") from None
    except csv.Error as exc:
        fh.close()
        raise InputError(f"the header row cannot be read: {exc}", file=str(path)) from None
    except UnicodeDecodeError:  # not UTF-8 after all: the caller opens it again
        fh.close()
        raise
    lines = CsvLines(fh, numbered, delimiter)
    return RawFile(str(path), header, _records(lines), fh.buffer.tell, delimiter, lines)  # type: ignore[attr-defined]


def _problem(exc: csv.Error) -> str:
    return (f"a cell is larger than {MAX_CELL // (1 << 20)} MiB" if "field limit" in str(exc)
            else f"cannot split the row into cells: {exc}")


class CsvLines:
    """The physical lines of a CSV/TSV file after its header, and how to read the records that
    are not one unquoted line. A line from ``numbered`` ends in \\r\\n, \\n or \\r (the file is
    opened with ``newline=""``) and holds no line break before its end."""

    def __init__(self, fh: Any, numbered: Iterator[tuple[int, str]], delimiter: str) -> None:
        self.file = fh  # closed by whoever reads the lines
        self.numbered = numbered  # (line number, line)
        self.delimiter = delimiter
        self.quoted = 0

    @staticmethod
    def plain(text: str) -> bool:
        """Whether the line is a record of its own that ``str.split`` cuts as ``csv`` would."""
        return '"' not in text and "\x00" not in text and len(text) <= MAX_CELL

    def record(self, text: str) -> tuple[list[str], str | None]:
        """The record that starts with ``text`` (a line that is not plain), read by ``csv`` with
        the lines its quoted cells span: (cells, None), or ([], why it cannot be read). A NUL
        byte is a binary file (InputError), as ``detect_encoding`` says of it."""
        reader = csv.reader(self._checked(text), delimiter=self.delimiter)
        try:
            return next(reader), None
        except csv.Error as exc:
            return [], _problem(exc)

    def mostly_quoted(self, line: int) -> bool:
        """Counts a line that is not plain; true once such lines are common enough that one
        ``csv`` reader for the rest of the file (:meth:`rest`) is cheaper than one per record."""
        self.quoted += 1
        return self.quoted >= _QUOTED_MIN and self.quoted * _QUOTED_SHARE > line

    def rest(self, line: int, text: str) -> Iterator[tuple[int, Any, str | None]]:
        """The records from ``text`` (line ``line``) to the end, through one ``csv`` reader."""
        return _csv_records(self._checked(text), line - 1, self.delimiter)

    def _checked(self, text: str) -> Iterator[str]:
        """``text`` and the lines after it, for a csv reader; a NUL byte on any of them is a
        binary file (the plain lines are checked where they are split)."""
        for line in chain((text,), map(_SECOND, self.numbered)):
            if "\x00" in line:
                raise _binary(self.file.name)
            yield line


def _records(lines: CsvLines) -> Iterator[tuple[int, Any, str | None]]:
    with lines.file:
        plain = lines.plain
        for number, text in lines.numbered:
            if plain(text):
                body = text.rstrip("\r\n")
                if body:
                    yield (number, body, None)  # a RawRow's fields, without its constructor
                continue
            if lines.mostly_quoted(number):
                yield from lines.rest(number, text)
                return
            cells, error = lines.record(text)
            if cells or error:
                yield (number, cells, error)


def _csv_records(lines: Iterator[str], before: int, delimiter: str) -> Iterator[tuple[int, Any, str | None]]:
    """The rest of a file through one csv reader; ``before`` lines precede ``lines``."""
    reader = csv.reader(lines, delimiter=delimiter)
    previous_end = before
    while True:
        try:
            for cells in reader:
                start = previous_end + 1
                previous_end = before + reader.line_num
                if cells:
                    yield (start, cells, None)
            return
        except csv.Error as exc:
            yield (previous_end + 1, [], _problem(exc))
            previous_end = before + reader.line_num


def _jsonl_rows(path: Path) -> RawFile:
    """One JSON object per line. Records may differ in their keys, so the header is every key of
    every record, in the order first seen: a first pass reads the keys, the second yields rows."""
    encoding = detect_encoding(path)
    keys: dict[str, None] = {}
    records = 0
    with path.open("r", encoding=encoding) as fh:
        for text in fh:
            if not text.strip():
                continue
            records += 1
            try:
                obj = json.loads(text)
            except ValueError:
                continue
            if isinstance(obj, dict) and not _lone_surrogate(text, obj):
                keys.update(dict.fromkeys(obj))
    if not records:
        raise InputError("the file has no JSON records", file=str(path),
                         hint='Write one object per line: {"date": "2018-05-17", "event": "..."}')
    header = list(keys)

    def rows() -> Iterator[RawRow]:
        with path.open("r", encoding=encoding) as fh:
            for number, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    obj = json.loads(text)
                except ValueError as exc:
                    yield RawRow(number, [], f"not valid JSON: {exc}")
                    continue
                if not isinstance(obj, dict):
                    yield RawRow(number, [], "a JSON Lines record must be an object "
                                             '{"date": ..., "event": ...}')
                    continue
                if _lone_surrogate(text, obj):
                    yield RawRow(number, [], "a \\u escape is half of a surrogate pair, not a character")
                    continue
                cells = [_jsonl_cell(obj.get(k)) for k in header]
                if max(map(len, cells), default=0) > MAX_CELL:
                    yield RawRow(number, [], f"a cell is larger than {MAX_CELL // (1 << 20)} MiB")
                    continue
                yield RawRow(number, cells)

    return RawFile(str(path), header, rows())  # cells joined by KEY_SEPARATOR for keys


def _lone_surrogate(text: str, obj: Any) -> bool:
    """Whether a record's JSON escapes make half a UTF-16 surrogate pair (``"\\ud800"``): no
    character, and no report could be written with it."""
    if "\\u" not in text:
        return False  # a surrogate can only come from an escape (the file was decoded strictly)
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _jsonl_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else str(value)


def open_raw(path: Path, sheet: str | None = None, assume_utf8: bool = False) -> RawFile:
    """The reader for ``path``'s suffix. ``assume_utf8``: a CSV/TSV file is read as UTF-8 without
    checking the whole file first; reading it raises UnicodeDecodeError if it is not."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("no such file", file=str(path), hint="Check the path.")
    if suffix == ".csv":
        return _csv_rows(path, ",", assume_utf8)
    if suffix == ".tsv":
        return _csv_rows(path, "\t", assume_utf8)
    if suffix == ".jsonl":
        return _jsonl_rows(path)
    if suffix == ".xlsx":
        from gklint.events.xlsx import xlsx_rows

        return xlsx_rows(path, sheet)
    raise InputError(f"unsupported file type {suffix!r}", file=str(path),
                     hint="gklint reads .csv, .tsv, .jsonl and .xlsx files.")
