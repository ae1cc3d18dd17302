"""Report tables (contract section 7): reading, indicator names, and the assert language.

* :mod:`gklint.tables.labels` -- label normalisation, the enumerator hierarchy, names;
* :mod:`gklint.tables.reader` -- ``is_report_table``, ``read_table``, ``ReportTable``;
* :mod:`gklint.tables.expr` -- the arithmetic language of ``table: {assert: ...}`` rules.

The rule kind that uses them is :mod:`gklint.kinds.table`.
"""
from __future__ import annotations

from gklint.tables.reader import (
    BadValue,
    ReportTable,
    Resolution,
    TableRow,
    is_report_table,
    read_table,
    read_table_file,
)

__all__ = [
    "BadValue", "ReportTable", "Resolution", "TableRow", "is_report_table", "read_table", "read_table_file",
]
