"""What every rule kind shares: event references, problems, and the contexts they run in.

A kind module exports ``NAME``, ``SCHEMA`` (the JSON Schema of its value), ``compile`` (checks
and prepares the value when the ruleset loads), ``evaluate`` (a generator that *only yields*
problems) and ``describe`` (the rule in words, for ``gklint explain``). The engine stamps the
rule id and severity onto each problem in one place.
"""
from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gklint.model import STANDARD_FIELDS, Event, Period, periods_between

EVENT_REF_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "required": ["event"],
            "additionalProperties": False,
            "properties": {
                "event": {"type": "string", "minLength": 1},
                "where": {"type": "object", "additionalProperties": {
                    "oneOf": [{"type": ["string", "number", "boolean"]},
                              {"type": "array", "items": {"type": ["string", "number", "boolean"]}}]}},
                "date": {"oneOf": [{"type": "string", "minLength": 1},
                                   {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]},
            },
        },
    ]
}
PERIOD_SCHEMA: dict[str, Any] = {"enum": ["year", "quarter", "month"]}
FOR_EACH_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1}


def norm_value(value: Any) -> Any:
    """One spelling for comparing log values with ruleset values (是 == true == yes)."""
    if isinstance(value, str):
        from gklint.events import type_value

        return type_value(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def comparable(value: Any) -> tuple[bool, Any]:
    """A value as filters compare it: booleans apart from numbers (Python has ``True == 1``,
    but 是 is not the number 1), numbers equal whatever their type (``3 == 3.0``)."""
    return (value.__class__ is bool, value)


class EventRef(NamedTuple):
    """``NAME`` or ``{event: NAME, where: {...}, date: ATTR | [ATTR, ...]}``, compiled and hashable.

    ``date_attrs`` are the columns a start date is read from, first non-empty cell first."""

    event: str
    where: tuple[tuple[str, frozenset[Any]], ...] = ()
    date_attrs: tuple[str, ...] = ()

    def describe(self, label: Callable[[str], str], lang: str) -> str:
        text = label(self.event)
        if self.where:
            conds = ", ".join(f"{a}={'/'.join(sorted(str(x[1]) for x in v))}" for a, v in self.where)
            text += f"（{conds}）" if lang == "zh" else f" ({conds})"
        return text


class Problem(NamedTuple):
    """What a kind found; the engine makes it a ``Finding`` with the rule's id and severity."""

    status: str
    message: dict[str, str]
    file: str | None = None
    line: int | None = None
    case: str | None = None
    unit: str | None = None
    period: str | None = None
    start: str | None = None
    due: str | None = None
    actual: str | None = None
    overdue: dict[str, Any] | None = None
    response: dict[str, Any] | None = None  # {"file": F, "line": N}: the response row (section 14)
    column: str | None = None  # the ledger column of the row's event (section 10): ``ev.column``
    group: dict[str, Any] | None = None  # {"ATTR": "VALUE"} of a rule with for_each (section 13)
    rule: str | None = None  # a built-in rule (GK005) raised while evaluating this rule
    severity: str | None = None


def match_key(match: tuple[str, ...]) -> Callable[[Event], Any]:
    """A function giving an event's values of ``match``: the value itself for one column, a
    tuple for several (standard columns are read as fields, attributes through ``get``).
    ``EventIndex.grouped`` keys its groups with the same function."""
    if "case" not in match and all(m in STANDARD_FIELDS for m in match):
        return operator.attrgetter(*(STANDARD_FIELDS[m] for m in match))
    getters = [_value_of(m) for m in match]
    if len(getters) == 1:
        return getters[0]
    return lambda ev: tuple(get(ev) for get in getters)


def _value_of(name: str) -> Callable[[Event], Any]:
    if name == "case":
        # Cases compare with brackets, blanks and full-width forms folded (依申[2019]22号 is
        # 依申〔2019〕22号, contract section 14).
        from gklint.events import fold_case

        case_of = operator.attrgetter("case")
        return lambda ev: fold_case(case_of(ev))
    if name in STANDARD_FIELDS:
        return operator.attrgetter(STANDARD_FIELDS[name])
    return lambda ev: _matchable(ev.get(name))


def _matchable(value: Any) -> Any:
    """An attribute value as match keys compare it, as filters do (:func:`comparable`): a
    boolean apart from the numbers 1 and 0; empty values stay as they are (``missing_in_key``)."""
    return (True, value) if value.__class__ is bool else value


_COLUMN_ZH = {"case": "编号", "unit": "部门", "date": "日期", "event": "事件"}


def columns_zh(names: Sequence[str]) -> str:
    """Column names for a Chinese sentence: 编号（case）、部门（unit）."""
    return "、".join(f"{_COLUMN_ZH[m]}（{m}）" if m in _COLUMN_ZH else m for m in names)


def missing_in_key(match: tuple[str, ...], key: Any) -> list[str]:
    """The columns of ``match`` that are empty in a ``match_key`` value."""
    values = key if len(match) > 1 else (key,)
    return [m for m, v in zip(match, values) if v is None or v == ""]


_DATE = operator.attrgetter("date")


def date_order(ev: Event) -> tuple[Any, ...]:
    """Date order; within a day a row without a time first, then by file and line."""
    return (ev.date, ev.time or dt.time.min, ev.file, ev.line)


def _filter(events: list[Event], attr: str, allowed: frozenset[Any]) -> list[Event]:
    """The events whose ``attr`` is one of ``allowed`` (a ``where`` condition)."""
    return [ev for ev in events if comparable(ev.get(attr)) in allowed]


class EventIndex:
    """The log indexed once: by event kind (each in date order, :func:`date_order`), then (lazily,
    cached) by filter and match key."""

    def __init__(self, events: Iterable[Event]) -> None:
        by_kind: dict[str, list[Event]] = {}
        for ev in events:
            by_kind.setdefault(ev.kind, []).append(ev)
        for bucket in by_kind.values():
            bucket.sort(key=date_order)
        self.by_kind = dict(sorted(by_kind.items()))
        self._selected: dict[EventRef, list[Event]] = {}
        self._dates: dict[EventRef, list[dt.date]] = {}
        self._grouped: dict[tuple[EventRef, tuple[str, ...]], dict[Any, list[Event]]] = {}
        all_dates = [evs[0].date for evs in self.by_kind.values()]
        self.first_date: dt.date | None = min(all_dates) if all_dates else None

    def case_rows(self, start: dt.date | None, end: dt.date | None) -> dict[str, tuple[str, int, str]]:
        """Each case with an event dated in [start, end] (either may be open): its folded value ->
        (file, line, case as written) of its first row by file and line, every event of the case
        looked at (``count`` with ``per: case``, contract section 13)."""
        from gklint.events import fold_case

        inside: set[str] = set()
        first: dict[str, tuple[str, int, str]] = {}
        for events in self.by_kind.values():
            for ev in events:
                key = fold_case(ev.case)
                if key is None:
                    continue
                row = (ev.file, ev.line, ev.case)
                if key not in first or row < first[key]:
                    first[key] = row
                if (start is None or ev.date >= start) and (end is None or ev.date <= end):
                    inside.add(key)
        return {key: first[key] for key in sorted(inside, key=first.__getitem__)}

    def select(self, ref: EventRef) -> list[Event]:
        """Events of ``ref``'s kind that pass its ``where``, in date order."""
        found = self._selected.get(ref)
        if found is None:
            found = self.by_kind.get(ref.event, [])
            for attr, allowed in ref.where:
                found = _filter(found, attr, allowed)
            self._selected[ref] = found
        return found

    def in_window(self, ref: EventRef, start: dt.date | None, end: dt.date | None) -> list[Event]:
        """``select(ref)`` dated in [start, end] (either may be open), by bisection."""
        events = self.select(ref)
        dates = self._dates.get(ref)
        if dates is None:
            dates = self._dates[ref] = list(map(_DATE, events))
        lo = bisect.bisect_left(dates, start) if start else 0
        hi = bisect.bisect_right(dates, end) if end else len(events)
        return events[lo:hi]

    def grouped(self, ref: EventRef, match: tuple[str, ...]) -> dict[Any, list[Event]]:
        """``select(ref)`` grouped by the values of ``match`` (:func:`match_key`), each group in date
        order, keys in the order first seen."""
        key = (ref, match)
        groups = self._grouped.get(key)
        if groups is None:
            groups = self._grouped[key] = {}
            key_of = match_key(match)
            for ev in self.select(ref):
                groups.setdefault(key_of(ev), []).append(ev)
        return groups

    def values_in(self, column: str, start: dt.date, end: dt.date) -> set[str]:
        """The values of ``column`` on events dated in [start, end] (e.g. the units seen in a period).

        Each kind's events are in date order, so the events of the period are found by bisection
        and only they are read: a rule checking many periods does not rescan the log.
        """
        getter = (operator.attrgetter(STANDARD_FIELDS[column]) if column in STANDARD_FIELDS
                  else lambda ev: ev.get(column))
        # Each value as text before it is put in the set: typed values would fold True with 1 (and
        # 1 with 1.0), so a column holding both 是 and 1 would be one group named by whichever came
        # first, and the other value's events would be counted in no group.
        values: set[str] = set()
        for events in self.by_kind.values():
            lo = bisect.bisect_left(events, start, key=_DATE)
            hi = bisect.bisect_right(events, end, lo=lo, key=_DATE)
            if lo < hi:
                values.update(str(v) for v in map(getter, events[lo:hi]) if v is not None and v != "")
        return values


@dataclass
class EvalContext:
    """Everything a kind may look at while evaluating one rule."""

    calendar: Any
    as_of: dt.date
    index: EventIndex
    window_from: dt.date | None
    window_until: dt.date | None
    label: Callable[[str, str], str]  # (event name, lang) -> label
    units: Sequence[str] = ()
    tables: Sequence[Any] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def in_window(self, d: dt.date) -> bool:
        return (self.window_from is None or d >= self.window_from) and (
            self.window_until is None or d <= self.window_until)

    def periods(self, kind: str) -> list[Period]:
        """Periods overlapping both the rule's window and the log (first event ... as-of)."""
        first = self.index.first_date
        if first is None:
            return []
        start = max(first, self.window_from) if self.window_from else first
        end = min(self.as_of, self.window_until) if self.window_until else self.as_of
        if start > end:
            return []
        return periods_between(kind, start, end)

    def groups_for_each(self, for_each: str | None, period: Period) -> list[str | None]:
        """The units (or other attribute values) a per-unit rule checks in ``period``: those seen
        in it (and configured units). A period with none has no group to check, unless the whole
        log has none (docs/contract.md): then the log is one group (``[None]``)."""
        if not for_each:
            return [None]
        names = self.index.values_in(for_each, period.start, period.end)
        if for_each == "unit":
            names |= set(self.units)
        if names:
            return [*sorted(names)]
        key = ("any value", for_each)
        if key not in self.extra:
            self.extra[key] = bool(self.index.values_in(for_each, dt.date.min, dt.date.max))
        return [] if self.extra[key] else [None]


class CompileError(ValueError):
    """A rule value that makes no sense; ``path`` is relative to the kind's value."""

    def __init__(self, message: str, path: Sequence[Any] = (), hint: str | None = None) -> None:
        super().__init__(message)
        self.path = tuple(path)
        self.hint = hint


@dataclass
class CompileContext:
    """What ``compile`` needs: the declared events (for references) and a place to complain."""

    events: dict[str, Any]
    suggest: Callable[[str], str | None]
    open: bool = False  # `vocabulary: open` (contract section 13): undeclared names are kinds too
    undeclared: dict[str, None] = field(default_factory=dict)  # the undeclared names rules use

    def ref(self, value: Any, path: Sequence[Any]) -> EventRef:
        where: dict[str, Any]
        dates: Any  # `date: ATTR` or `date: [ATTR, ...]`
        if isinstance(value, str):
            name, where, dates = value, {}, []
        else:
            name, where, dates = value["event"], value.get("where") or {}, value.get("date") or []
        if name not in self.events and self.open:
            self.undeclared[name] = None
        elif name not in self.events:
            close = self.suggest(name)
            raise CompileError(
                f"the event {name!r} is not declared in this ruleset's events",
                path, hint=f"Did you mean {close!r}?" if close else
                "Declare it under events: (or include: [vocabulary.yaml]).")
        dates = dates if isinstance(dates, list) else [dates]
        return EventRef(name, self.conditions(where), tuple(self.column(d) for d in dates))

    @staticmethod
    def column(name: Any) -> Any:
        """A column named by the ruleset (or None), folded as the readers fold headers: column
        names are case-insensitive (contract section 2)."""
        from gklint.events import column_key

        return column_key(str(name)) if name else None

    def columns(self, names: Any, default: Sequence[str] = ()) -> tuple[str, ...]:
        return tuple(self.column(n) for n in (names or default))

    def conditions(self, spec: dict[str, Any]) -> tuple[tuple[str, frozenset[Any]], ...]:
        """``{ATTR: VALUE | [VALUES]}`` as sorted (column, allowed values) pairs."""
        conds = []
        for attr, allowed in spec.items():
            values = allowed if isinstance(allowed, list) else [allowed]
            conds.append((self.column(attr), frozenset(comparable(norm_value(v)) for v in values)))
        return tuple(sorted(conds, key=lambda c: c[0]))

    def duration(self, value: Any, path: Sequence[Any]) -> Any:
        from gklint.durations import DurationError, parse_duration

        try:
            return parse_duration(str(value))
        except DurationError as exc:
            raise CompileError(str(exc), path) from None
