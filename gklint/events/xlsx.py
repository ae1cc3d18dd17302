"""``.xlsx`` event logs, read with openpyxl (imported only when an .xlsx file is read).

The first worksheet (or ``--sheet NAME``), header in row 1; line numbers are Excel's row
numbers, so a finding at line 14 is row 14 in Excel. Cells become the text the CSV reader
would have produced from the same sheet saved as CSV: a date cell becomes ``2018-05-17`` (with
`` 09:30`` when it has a time), a whole number ``12.0`` becomes ``12``, a formula its last
calculated value. Empty rows are skipped, as blank lines are in CSV.

``read_only=True`` streams the sheet (constant memory on large logs); its dimensions are reset
because some writers record them wrongly, which would otherwise cut rows off.

Limits (docs/security.md): before openpyxl parses anything, the zip directory is read and a
part that would expand past :data:`MAX_PART` at more than :data:`MAX_RATIO`:1 is refused (a
410 KB workbook expanded to 1.6 GB); ``zipfile`` never yields more bytes than the directory
declares. A cell longer than :data:`~gklint.events.readers.MAX_CELL` is a malformed row (GK007),
as in CSV and JSONL.
"""
from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gklint.errors import InputError
from gklint.events.readers import MAX_CELL, RawFile, RawRow, ReadOnce

MAX_PART = 16 << 20  # bytes a workbook part may expand to at a zip-bomb ratio
MAX_RATIO = 100  # spreadsheet XML compresses 5-30:1; a bomb 1000:1

_HINT_RESAVE = "Open it in Excel or WPS and save it again as .xlsx (Excel Workbook), or export it as CSV."


def cell_text(value: Any) -> str:
    """One cell value as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        # Excel stores times as fractions of a day; 09:30 may come back as 09:29:59.999999.
        if value.microsecond:
            value = value.replace(microsecond=0) + dt.timedelta(seconds=round(value.microsecond / 1e6))
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _check_parts(path: Path | ReadOnce) -> None:
    """Refuse a zip bomb from the zip directory, before anything is decompressed."""
    import zipfile

    try:
        with zipfile.ZipFile(path if isinstance(path, Path) else path.open("rb")) as archive:  # (a pipe's copy)
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: openpyxl says so below, as for any damaged file
    for part in parts:
        if part.file_size > MAX_PART and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise InputError(
                f"the workbook's part {part.filename!r} expands from {part.compress_size} bytes to "
                f"{part.file_size} bytes ({part.file_size // max(part.compress_size, 1)}:1): this looks like a "
                "zip bomb, not a spreadsheet; it was not read", file=str(path),
                hint=f"gklint reads parts over {MAX_PART >> 20} MiB only when they compress less than "
                f"{MAX_RATIO}:1. " + _HINT_RESAVE)


def _open_workbook(path: Path | ReadOnce) -> Any:
    _check_parts(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputError("reading .xlsx files needs the openpyxl package", file=str(path),
                         hint="pip install openpyxl, or export the sheet as CSV.") from None
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style", unsupported extensions (WPS, data validation):
            # noise about formatting that gklint does not read.
            warnings.simplefilter("ignore")
            source = path if isinstance(path, Path) else path.open("rb")  # (a ReadOnce copy of a pipe)
            return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors all mean "unreadable"
        reason = str(exc) or type(exc).__name__
        raise InputError(f"cannot read the Excel file ({type(exc).__name__}: {reason}); it may be damaged, "
                         "password-protected, or not really an .xlsx file", file=str(path),
                         hint=_HINT_RESAVE) from None


def _pick_sheet(workbook: Any, path: Path | ReadOnce, sheet: str | None) -> Any:
    sheets = workbook.worksheets
    if not sheets:
        raise InputError("the workbook has no worksheet", file=str(path), hint=_HINT_RESAVE)
    if sheet is None:
        return sheets[0]
    names = [ws.title for ws in sheets]
    if sheet in names:
        return sheets[names.index(sheet)]
    folded = [n.strip().casefold() for n in names]
    if sheet.strip().casefold() in folded:
        return sheets[folded.index(sheet.strip().casefold())]
    raise InputError(f"no worksheet named {sheet!r}; the workbook has: {', '.join(names)}", file=str(path),
                     hint="Give one of those names to --sheet (or sheet = \"...\" in gklint.toml).")


def xlsx_rows(path: Path | ReadOnce, sheet: str | None = None) -> RawFile:
    """The header and rows of one worksheet. Damaged files are an InputError naming the file."""
    workbook = _open_workbook(path)
    try:
        worksheet = _pick_sheet(workbook, path, sheet)
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        header_row = next(rows, None)
    except InputError:
        workbook.close()
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        workbook.close()
        raise InputError(f"cannot read the Excel sheet ({type(exc).__name__}: {exc})", file=str(path),
                         hint=_HINT_RESAVE) from None
    header = [cell_text(v).strip() for v in header_row or ()]
    while header and not header[-1]:
        header.pop()
    if not header:
        workbook.close()
        raise InputError(f"the worksheet {worksheet.title!r} has no header in row 1", file=str(path), line=1,
                         hint="Put the column names (date, event, case, unit) in row 1.")

    width = len(header)

    def records() -> Iterator[RawRow]:
        line = 1
        try:
            for values in rows:
                line += 1
                cells = [cell_text(v) for v in values]
                if any(len(c) > MAX_CELL for c in cells):
                    yield RawRow(line, [], f"a cell is larger than {MAX_CELL // (1 << 20)} MiB")
                    continue
                if not any(c.strip() for c in cells):
                    continue
                while len(cells) > width and not cells[-1].strip():
                    cells.pop()  # formatted but empty cells right of the table
                yield RawRow(line, cells + [""] * (width - len(cells)))
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - damage found half-way through the sheet
            raise InputError(f"cannot read the Excel sheet after row {line - 1} ({type(exc).__name__}: {exc})",
                             file=str(path), hint=_HINT_RESAVE) from None
        finally:
            workbook.close()

    return RawFile(str(path), header, records())
