"""The reference engine's view of the ``events`` table, for the rules the columnar plans leave to it.

An ``EventIndex`` whose event kinds are made into ``Event`` values only when a rule asks for them
(``by_kind``), and whose log-wide questions -- the first date, the values of a column in a period
-- are answered by SQL over every event.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
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
        # column's SQL -> (dates, values): each distinct (date, value) of the column, in date order
        self._dated: dict[str, tuple[list[dt.date], list[str]]] = {}

    def values_in(self, column: str, start: dt.date, end: dt.date) -> set[str]:
        if column in STANDARD_FIELDS:
            expr = _COLUMN_SQL[column]
        elif (a := self.loaded.attribute(column)) is not None:
            expr = f"t{a}"
        else:
            return set()
        dated = self._dated.get(expr)
        if dated is None:
            # One query for every period a rule asks about (a quarterly count over 8 years asks 34
            # times; each a scan of the whole log, 10^8 events on Spark took minutes each): the
            # distinct (date, value) pairs, a few thousand days times the column's values.
            pairs = sorted((d, str(v)) for d, v in self.con.execute(
                f"SELECT DISTINCT date, {expr} FROM events WHERE date IS NOT NULL").fetchall()
                if v is not None and v != "")
            dated = self._dated[expr] = ([d for d, _ in pairs], [v for _, v in pairs])
        dates, values = dated
        return set(values[bisect_left(dates, start):bisect_right(dates, end)])
