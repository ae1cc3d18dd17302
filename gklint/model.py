"""The values that flow between readers, rule kinds, the engine and reporters."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, NamedTuple

from gklint.display import shown

SEVERITIES = ("error", "warning", "info")
STATUSES = (
    "late", "missing", "too_few", "too_many", "below_ratio", "unpreceded",
    "invalid", "pending", "unknown", "waived",
)
PERIODS = ("year", "quarter", "month")


class Event(NamedTuple):
    """One row of an event log. ``line`` is 1-based; the header is line 1."""

    file: str
    line: int
    kind: str
    date: dt.date
    time: dt.time | None
    case: str | None
    unit: str | None
    attrs: Mapping[str, Any]  # folded column name -> typed value; empty cells are absent
    # The ledger (台账) column whose date this event is (contract section 10); None in event logs.
    column: str | None = None

    def get(self, name: str) -> Any:
        """An attribute or one of the standard columns, by name."""
        i = _STANDARD_AT.get(name)
        if i is not None:
            return self[i]
        return self.attrs.get(name)


# The contract's standard columns (section 2) and the Event field each is kept in; the one place
# that says which names are columns rather than attributes.
STANDARD_FIELDS = {"case": "case", "unit": "unit", "event": "kind", "date": "date"}
_STANDARD_AT = {name: Event._fields.index(field) for name, field in STANDARD_FIELDS.items()}


# A finding's ``extra`` when it has none: one shared mapping that cannot change, not an empty
# dict per finding (a large log's report holds millions of findings at once).
_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


def _no_extra() -> Mapping[str, Any]:
    return _NO_EXTRA


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check found. Immutable; only reporters turn it into text.

    Slotted: a finding is about 300 bytes instead of about 500 with an instance dict, which
    decides the peak memory of a log with millions of findings (docs/performance.md, Memory)."""

    rule: str
    severity: str
    status: str
    message: dict[str, str]
    file: str | None = None
    line: int | None = None  # 1-based line of the trigger row; None for period findings
    ruleset: str | None = None
    case: str | None = None
    unit: str | None = None
    period: str | None = None
    start: str | None = None
    due: str | None = None
    actual: str | None = None
    overdue: dict[str, Any] | None = None
    # The response row a deadline or precedence finding is about (contract section 14):
    # {"file": F, "line": N}; it ties the finding to that file too (pre-commit across files).
    response: dict[str, Any] | None = None
    # The header of the ledger cell the finding is about (contract section 10).
    column: str | None = None
    # The group a finding of a rule with for_each is about: {"ATTR": "VALUE"} (contract section 13).
    group: dict[str, Any] | None = None
    extra: Mapping[str, Any] = field(default_factory=_no_extra, compare=False, hash=False)

    def text(self, lang: str) -> str:
        return self.message.get(lang) or self.message.get("en") or next(iter(self.message.values()), "")

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "\uffff", self.line or 0, self.rule, self.case or "", self.period or "")

    def to_json(self, lang: str) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "ruleset": self.ruleset,
            "severity": self.severity,
            "status": self.status,
            "message": self.text(lang),
            "file": None if self.file is None else shown(self.file),  # a non-UTF-8 byte as \xNN
            "line": self.line,
            "case": self.case,
            "unit": self.unit,
            "period": self.period,
            "start": self.start,
            "due": self.due,
            "actual": self.actual,
            "overdue": self.overdue,
        }
        # Optional keys (contract sections 10, 13, 14), written only when they apply, after
        # "overdue" in this order: "column", "group", "response".
        if self.column is not None:
            out["column"] = self.column
        if self.group is not None:
            out["group"] = self.group
        response = self.response
        if response is not None:
            file = response.get("file") if isinstance(response, dict) else None
            out["response"] = {**response, "file": shown(file)} if isinstance(file, str) else response
        return out


class Encoded(NamedTuple):
    """A finding an engine has already written as ``--format json`` writes it: ``json`` is its
    line of the report's ``findings`` (``json.dumps(finding.to_json(lang), ensure_ascii=False)``)
    in the language ``lang``. The other fields are those the steps between the engine and the
    reporter read (order, selection, pending, the tally, case hints, per-file ignores,
    ``report_only``), with a :class:`Finding`'s names and values.

    An engine makes these only when the run asks for them (``CheckOptions.encoded``: a JSON
    report without waivers): a large log's report then costs no ``Finding`` and no ``to_json``
    per finding, and the JSON reporter writes ``json`` as it is (docs/design.md, "Findings
    written by the engine")."""

    sort_key: tuple[Any, ...]  # as Finding.sort_key
    rule: str
    severity: str
    status: str
    file: str | None
    line: int | None
    case: str | None
    period: str | None
    response: dict[str, Any] | None
    lang: str
    json: str

    def to_json(self, lang: str) -> dict[str, Any]:
        """The finding as ``Finding.to_json`` gives it, in the language it was written in."""
        if lang != self.lang:
            raise ValueError(f"a finding written in {self.lang!r} was asked for in {lang!r}")
        import json

        return json.loads(self.json)  # type: ignore[no-any-return]


def msg(zh: str, en: str) -> dict[str, str]:
    """A message in both languages."""
    return {"zh": zh, "en": en}


# --- periods ---------------------------------------------------------------

class Period(NamedTuple):
    """A calendar period: ``2018``, ``2018-Q3`` or ``2018-06``."""

    kind: str
    year: int
    index: int  # type: ignore[assignment]  # 1 for year; quarter 1-4; month 1-12

    @property
    def start(self) -> dt.date:
        if self.kind == "year":
            return dt.date(self.year, 1, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.index - 2, 1)
        return dt.date(self.year, self.index, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return self.shift(1).start - dt.timedelta(days=1)

    def shift(self, n: int) -> Period:
        size = {"year": 1, "quarter": 4, "month": 12}[self.kind]
        if self.kind == "year":
            return Period("year", self.year + n, 1)
        total = self.year * size + (self.index - 1) + n
        return Period(self.kind, total // size, total % size + 1)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def label(self, lang: str) -> str:
        if lang == "zh":
            if self.kind == "year":
                return f"{self.year}年"
            if self.kind == "quarter":
                return f"{self.year}年第{self.index}季度"
            return f"{self.year}年{self.index}月"
        return str(self)


def period_of(kind: str, d: dt.date) -> Period:
    if kind == "year":
        return Period("year", d.year, 1)
    if kind == "quarter":
        return Period("quarter", d.year, (d.month - 1) // 3 + 1)
    return Period("month", d.year, d.month)


_PERIOD_TEXT = re.compile(r"(\d{4})(?:年度?)?(?:[-/.]?(第)?(Q)?(\d{1,2})(月|季度)?)?")


def parse_period(kind: str, text: Any) -> Period | None:
    """A ``period`` attribute value as a period of ``kind``, or None when it names none.

    Years ``2018``, ``2018年``, ``2018年度``; months ``2018-06``, ``2018/6``, ``2018.6``,
    ``2018年6月``; quarters ``2018-Q2``, ``2018Q2``, ``2018年第2季度``. A coarser rule takes the
    period that holds a finer one (a year rule the year of a month, a quarter rule the quarter
    of a month); a finer one names none in a coarser period (a quarter for a month rule). A
    number with a fraction (``2018.10`` typed as 2018.1) names none: which month it meant is lost.
    """
    if isinstance(text, float):
        if not text.is_integer():
            return None
        text = int(text)
    match = _PERIOD_TEXT.fullmatch(unicodedata.normalize("NFKC", str(text)).replace(" ", "").upper())
    if not match:
        return None
    year, nth, q, number, marker = match.groups()
    quarterly = q is not None or marker == "季度"
    if (nth is not None and marker != "季度") or (q is not None and marker == "月"):
        return None  # 第6月, Q2月: no period
    if number is not None and not 1 <= int(number) <= (4 if quarterly else 12):
        return None  # 2018-13, 2018-Q5
    if kind == "year":
        return Period("year", int(year), 1)
    if number is None:
        return None
    index = int(number)
    if kind == "quarter":
        return Period("quarter", int(year), index if quarterly else (index - 1) // 3 + 1)
    return None if quarterly else Period("month", int(year), index)


def periods_between(kind: str, first: dt.date, last: dt.date) -> list[Period]:
    """Every period of ``kind`` that overlaps [first, last]."""
    out: list[Period] = []
    p = period_of(kind, first)
    while p.start <= last:
        out.append(p)
        p = p.shift(1)
    return out
