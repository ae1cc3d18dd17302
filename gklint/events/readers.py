"""Raw readers: a file in, (line, cells) rows out, with its header.

Each reader knows only its format. Decoding rules (contract section 2): UTF-8 with or
without BOM, else GB18030 (a superset of GBK, which Excel in China saves), detected.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from gklint.errors import InputError

SUFFIXES = (".csv", ".tsv", ".jsonl", ".xlsx", ".xls", ".et", ".parquet", ".xes")
MAX_CELL = 1 << 20  # a cell over 1 MiB is a malformed row (GK007), not a reason to stop
_CHUNK = 1 << 20

# A cell over the limit is a csv.Error on its row (GK007), and the rest of the file is still read.
csv.field_size_limit(MAX_CELL)


def log_suffix(name: str | Path) -> str:
    """The suffix that says how a log is read: ``.xes`` for ``log.xes.gz`` (a gzip-compressed
    XES log, contract section 13), else the file name's last suffix, in lower case."""
    name = str(name).lower()
    if name.endswith(".xes.gz"):
        return ".xes"
    return Path(name).suffix


class RawRow(NamedTuple):
    """Cells of one record. ``line`` is the 1-based line the record starts on."""

    line: int
    cells: list[Any]
    error: str | None = None  # why the record could not be split into cells


class RawFile(NamedTuple):
    path: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any], str | None]]  # RawRow or plain tuples: unpack, no attributes
    position: Callable[[], int] | None = None  # bytes read so far, for a progress line


def detect_encoding(path: Path | ReadOnce) -> str:
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


def _binary(path: Path | ReadOnce | str) -> InputError:
    return InputError("the file contains NUL bytes: it looks binary, not a text log", file=str(path),
                      hint="Export the sheet as CSV (UTF-8 or GBK) or as .xlsx.")


def _open_utf8(path: Path | ReadOnce) -> Any:
    """The file as UTF-8 text (``utf-8-sig``), decoded strictly as it is read: a byte that is not
    UTF-8 raises UnicodeDecodeError wherever it is (the caller then reads it as ``detect_encoding``
    says). ``detect_encoding``'s other checks are made on the first megabyte here, and on each
    line as it is read for NUL bytes (``_checked``)."""
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


def _checked(fh: Any) -> Iterator[str]:
    """The file's lines; a NUL byte on any of them is a binary file, as ``detect_encoding`` says."""
    for line in fh:
        if "\x00" in line:
            raise _binary(fh.name)
        yield line


def _csv_rows(path: Path | ReadOnce, delimiter: str, assume_utf8: bool = False) -> RawFile:
    """Records of a CSV/TSV file, as the ``csv`` module splits them, each with the physical line
    it starts on (a quoted cell may span lines). ``assume_utf8``: see ``_open_utf8``."""
    if assume_utf8:
        fh = _open_utf8(path)
    else:
        fh = path.open("r", encoding=detect_encoding(path), newline="")
    reader = csv.reader(_checked(fh), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        fh.close()
        raise InputError("the file is empty; a header row is required", file=str(path),
                         hint="Add a header row such as: date,event,case,unit") from None
    except csv.Error as exc:
        fh.close()
        raise InputError(f"the header row cannot be read: {exc}", file=str(path)) from None
    except (UnicodeDecodeError, InputError):  # not UTF-8 after all (the caller opens it again), or binary
        fh.close()
        raise
    return RawFile(str(path), header, _csv_records(fh, reader), fh.buffer.tell)


def _problem(exc: csv.Error) -> str:
    return (f"a cell is larger than {MAX_CELL // (1 << 20)} MiB" if "field limit" in str(exc)
            else f"cannot split the row into cells: {exc}")


def _csv_records(fh: Any, reader: Any) -> Iterator[tuple[int, list[Any], str | None]]:
    """The records after the header; a record that cannot be split is an error on its line, and
    reading goes on after it. Blank records are skipped."""
    with fh:
        previous_end = reader.line_num
        while True:
            try:
                for cells in reader:
                    start = previous_end + 1
                    previous_end = reader.line_num
                    if cells:
                        yield (start, cells, None)
                return
            except csv.Error as exc:
                yield (previous_end + 1, [], _problem(exc))
                previous_end = reader.line_num


def _jsonl_rows(path: Path | ReadOnce) -> RawFile:
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
            except (ValueError, RecursionError):  # (RecursionError: arrays nested thousands deep)
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
                except RecursionError:
                    yield RawRow(number, [], "the JSON record is nested too deeply")
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

    return RawFile(str(path), header, rows())


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


class _NamedBytes(io.BytesIO):
    name = ""


class ReadOnce:
    """A named pipe, ``/dev/stdin`` or a process substitution ``<(...)``: a file that can be read
    once. It is read into memory at once, and each reader opens the copy as often as it needs
    (finding the encoding reads a file twice). Messages name the path as given.

    It stands in for the ``Path`` the readers take (``open``, ``suffix``, ``name``, ``stat``);
    with no event-file suffix (``/dev/fd/63``), the content says what it is: an Excel workbook
    (a zip archive), Parquet (``PAR1``), JSON Lines (a first ``{``), else CSV (TSV when the
    first line has tabs and no commas)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        try:
            with path.open("rb") as fh:
                self.data = fh.read()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
        suffix = log_suffix(path.name)
        self.suffix = suffix if suffix in SUFFIXES else self._sniff()

    def _sniff(self) -> str:
        if self.data.startswith(b"\x1f\x8b") or self.data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return ".xes"
        if self.data.startswith(b"PK\x03\x04"):
            return ".xlsx"
        if self.data.startswith(b"PAR1"):
            return ".parquet"
        if self.data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return ".jsonl"
        first = self.data.split(b"\n", 1)[0]
        return ".tsv" if b"\t" in first and b"," not in first else ".csv"

    def __str__(self) -> str:
        return str(self.path)

    def is_file(self) -> bool:
        return True

    def exists(self) -> bool:
        return True

    def stat(self) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(st_size=len(self.data))

    def open(self, mode: str = "r", encoding: str | None = None, newline: str | None = None,
             errors: str | None = None) -> Any:
        raw = _NamedBytes(self.data)
        raw.name = str(self.path)
        if "b" in mode:
            return raw
        text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)
        return text


def readable(path: Path) -> Path | ReadOnce:
    """``path`` itself when it is a regular file (read as often as a reader likes); a
    :class:`ReadOnce` copy when it is a pipe or a character device that can be read once."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return path  # open_raw says what is wrong
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
        return ReadOnce(path)
    return path


def open_raw(path: Path | ReadOnce, sheet: str | None = None, assume_utf8: bool = False) -> RawFile:
    """The reader for ``path``'s suffix. ``assume_utf8``: a CSV/TSV file is read as UTF-8 without
    checking the whole file first; reading it raises UnicodeDecodeError if it is not."""
    suffix = path.suffix if isinstance(path, ReadOnce) else log_suffix(path.name)
    if not path.is_file():
        if path.exists():
            raise InputError("not a file that can be read (a folder or a device)", file=str(path),
                             hint="Name an event log: a .csv, .tsv, .jsonl or .xlsx file, or a named pipe.")
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
    if suffix in (".xls", ".et"):  # Excel 97-2003 and WPS workbooks (contract section 14)
        from gklint.events.calamine import calamine_rows

        return calamine_rows(path, sheet)
    if suffix == ".parquet":
        return parquet_rows(path)
    if suffix == ".xes":
        from gklint.events.xes import xes_rows

        return xes_rows(path)
    raise InputError(f"unsupported file type {suffix!r}", file=str(path),
                     hint="gklint reads .csv, .tsv, .jsonl, .xlsx, .xls, .et, .parquet and .xes(.gz) files.")


def parquet_rows(path: Path | ReadOnce) -> RawFile:
    """The rows of a Parquet file, each cell as text (:func:`parquet_cell`). A Parquet file has
    no lines: row N (from 1) is called line N + 1, as if the column names were line 1."""
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - a dependency of gklint
        raise InputError("reading .parquet files needs the pyarrow package", file=str(path),
                         hint="Install it: pip install pyarrow") from None
    try:
        parquet = pq.ParquetFile(path if isinstance(path, Path) else path.open("rb"))  # (a pipe's copy)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a file that is not Parquet
        raise InputError(f"the file is not a readable Parquet file ({exc})", file=str(path),
                         hint="Write it with a Parquet writer (pandas, Polars, DuckDB, Spark).") from None
    header = list(parquet.schema_arrow.names)

    def rows() -> Iterator[RawRow]:
        line = 1
        for batch in parquet.iter_batches():
            for record in zip(*(column.to_pylist() for column in batch.columns)):
                line += 1
                yield RawRow(line, [parquet_cell(v) for v in record])

    return RawFile(str(path), header, rows())


def parquet_cell(value: Any) -> str:
    """A Parquet value as the text a CSV export would hold: null is an empty cell, booleans are
    true/false, dates and times ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
