"""Legacy Excel (``.xls``) and WPS (``.et``) workbooks, read with python-calamine (imported only
when such a file is read).

Offices that still save in Excel 97-2003 format, or in WPS's own, keep their logs and ledgers in
these files (contract section 14: they are read, not skipped). The first worksheet (or
``--sheet NAME``); line numbers are the sheet's row numbers, as in the .xlsx reader, and cells
become the text that reader makes of them (:func:`gklint.events.xlsx.cell_text`): a date cell
``2018-05-17``, a whole number ``12``. A date typed into a cell of General format stays a serial
number, read as a date in date columns (:func:`gklint.dates.parse_when_excel`). Empty rows are
skipped.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gklint.errors import InputError
from gklint.events.readers import RawFile, RawRow

_HINT = "Open it in Excel or WPS and save it again (as .xlsx, or as CSV)."


def _sheet(path: Path, sheet: str | None) -> Any:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - python-calamine is a dependency
        raise InputError("reading .xls and .et files needs the python-calamine package", file=str(path),
                         hint="pip install python-calamine, or save the workbook as .xlsx or CSV.") from None
    try:
        data = getattr(path, "data", None)  # a pipe, read once (readers.ReadOnce)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None else \
            CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine's errors all mean "unreadable"
        raise InputError(f"cannot read the workbook ({type(exc).__name__}: {exc}); it may be damaged, "
                         "password-protected, or not really an Excel or WPS file", file=str(path),
                         hint=_HINT) from None
    names = list(book.sheet_names)
    if not names:
        raise InputError("the workbook has no worksheet", file=str(path), hint=_HINT)
    if sheet is None:
        return book.get_sheet_by_index(0)
    folded = [n.strip().casefold() for n in names]
    if sheet.strip().casefold() in folded:
        return book.get_sheet_by_index(folded.index(sheet.strip().casefold()))
    raise InputError(f"no worksheet named {sheet!r}; the workbook has: {', '.join(names)}", file=str(path),
                     hint="Give one of those names to --sheet (or sheet = \"...\" in gklint.toml).")


def calamine_rows(path: Path, sheet: str | None = None) -> RawFile:
    """The header and rows of one worksheet of an .xls or .et workbook."""
    from gklint.events.xlsx import cell_text

    worksheet = _sheet(path, sheet)
    first_row, first_column = worksheet.start or (0, 0)
    try:
        rows = iter(worksheet.iter_rows())
        header_row = next(rows, None)
    except Exception as exc:  # noqa: BLE001 - a damaged sheet
        raise InputError(f"cannot read the sheet ({type(exc).__name__}: {exc})", file=str(path),
                         hint=_HINT) from None
    pad = [""] * first_column  # cells left of the used range: the header keeps its columns

    header = [*pad, *(cell_text(v).strip() for v in header_row or ())]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise InputError(f"the worksheet {worksheet.name!r} has no header in row {first_row + 1}", file=str(path),
                         line=first_row + 1, hint="Put the column names (date, event, case, unit) in the first row.")
    width = len(header)

    def records() -> Iterator[RawRow]:
        line = first_row + 1
        try:
            for values in rows:
                line += 1
                cells = [*pad, *(cell_text(v) for v in values)]
                if not any(c.strip() for c in cells):
                    continue
                while len(cells) > width and not cells[-1].strip():
                    cells.pop()
                yield RawRow(line, cells + [""] * (width - len(cells)))
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - damage found half-way through the sheet
            raise InputError(f"cannot read the sheet after row {line - 1} ({type(exc).__name__}: {exc})",
                             file=str(path), hint=_HINT) from None

    return RawFile(str(path), header, records())
