"""Report tables (contract section 7): reading, indicator names, and the assert language.

* :mod:`gklint.tables.labels` -- label normalisation, the enumerator hierarchy, names;
* :mod:`gklint.tables.reader` -- ``is_report_table``, ``read_table``, ``ReportTable``;
* :mod:`gklint.tables.expr` -- the arithmetic language of ``table: {assert: ...}`` rules.

The rule kind that uses them is :mod:`gklint.kinds.table`.
"""
from __future__ import annotations

from typing import Any

# The reader's names are re-exported lazily (PEP 562): ``gklint.tables.labels`` is imported on every
# check to tell a report table's header from an event log's, and importing the package must not
# import the reader (and decimal) with it.
__all__ = [
    "BadValue", "ReportTable", "Resolution", "TableRow", "is_report_table", "read_table", "read_table_file",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from gklint.tables import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
