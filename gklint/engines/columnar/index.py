"""The reference engine's view of the ``events`` table, for the rules the columnar plans leave to it.

An ``EventIndex`` whose event kinds are made into ``Event`` values only when a rule asks for them
(``by_kind``), and whose log-wide questions -- the first date, the values of a column in a period
-- are answered by SQL over every event.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from gklint.engines.columnar.load import Loaded, events_of
from gklint.kinds.base import EventIndex, date_order
from gklint.model import STANDARD_FIELDS, Event


class _Kinds(Mapping[str, list[Event]]):
    def __init__(self, con: Any, loaded: Loaded) -> None:
        self.con, self.loaded = con, loaded
        self.names = sorted(row[0] for row in con.execute("SELECT DISTINCT kind FROM events").fetchall())
        self.made: dict[str, list[Event]] = {}

    def __getitem__(self, kind: str) -> list[Event]:
        if kind not in self.names:
            raise KeyError(kind)
        events = self.made.get(kind)
        if events is None:
            events = self.made[kind] = sorted(events_of(self.con, self.loaded, kind), key=date_order)
        return events

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


_COLUMN_SQL = {"case": '"case"', "unit": "unit", "event": "kind", "date": "date"}


class TableIndex(EventIndex):
    def __init__(self, con: Any, loaded: Loaded, first_date: dt.date | None) -> None:
        super().__init__(())
        self.con, self.loaded = con, loaded
        self.by_kind = _Kinds(con, loaded)  # type: ignore[assignment]
        self.first_date = first_date

    def values_in(self, column: str, start: dt.date, end: dt.date) -> set[str]:
        if column in STANDARD_FIELDS:
            expr = _COLUMN_SQL[column]
        elif column in self.loaded.attributes:
            expr = f"t{self.loaded.attributes[column]}"
        else:
            return set()
        rows = self.con.execute(f"SELECT DISTINCT {expr} FROM events WHERE date BETWEEN ? AND ?", [start, end])
        return {str(v) for (v,) in rows.fetchall() if v is not None and v != ""}
