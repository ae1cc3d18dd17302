"""The working-day calendar: which days count, and O(1) arithmetic over them (contract section 4).

A **working day** is a day that is not a day off on the official calendar; weekend days the State
Council makes working days (调休上班) are working days. The source is the ``holidays`` package
(``holidays.China``), whose tables are the State Council's yearly notices (国务院办公厅关于××年部分
节假日安排的通知): statutory holidays (全国年节及纪念日放假办法), their 补假 when they fall on a
weekend (the package's "observed" days), substituted days off and the weekend days worked for them.
No holiday table is typed here.

**Coverage.** A year is *covered* when the package has a notice for it, i.e. the year is a key of
``ChinaStaticHolidays.special_public_holidays`` (2001–2026 in holidays 0.109), or an overlay says
``covers: [YEAR]``. For an uncovered year (no notice yet, or before 2001) only weekends and the
statutory holiday dates themselves are days off: ``holidays.China(observed=False)`` for those
years, so neither the package's estimated 补假 nor any make-up working day is assumed. Callers
warn once per uncovered year (GK010).

**Other countries** (contract section 13): ``--calendar NL``, ``DE-BY``, ``US-CA`` -- any
country, optionally with a subdivision, that ``holidays`` knows -- takes that country's public
holidays (with the days the package observes in lieu), its weekend (``weekend``: Friday and
Saturday where that is the weekend) and the weekend days it knows are worked
(``weekend_workdays``), from the package as for China. Their holidays are computed by rule from
the law, not announced year by year, so a year is *covered* when it lies within the years the
package's class for the country supports (``start_year`` to ``end_year``; 1966-2100 for NL in
holidays 0.109); a one-off day off announced later is an overlay's to add, in any year alike.
The calendar's time zone (``zone``) is the one the tz database's ``zone.tab`` lists for the
country, or its first when every zone it lists keeps the same offsets; a country spanning
several offsets (US) needs ``--timezone``.

**Overlays** are YAML files ``{extends: CN, name: …, days_off: [...], workdays: [...], covers:
[2027]}`` for local holidays, closures, or a notice newer than the installed package. ``days_off``
items are dates, ranges ``"2027-02-05..2027-02-11"`` or ``{from:, to:, name:}`` / ``{date:, name:}``;
``workdays`` items are dates or ranges. An overlay decides over the package for the dates it names.

**Arithmetic** works on per-day tables over a span of whole years (1999 to three years after this
one by default, rebuilt wider when a date outside is asked for): a byte per day (1 = working day),
the cumulative count of working days, and the ordinals of the working days in order. Each query
is a few index operations.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gklint.errors import CalendarError

if TYPE_CHECKING:
    import yaml

OFFICIAL = "CN"
DEFAULT_FIRST_YEAR = 1999
YEARS_AHEAD = 3
_GROW_MARGIN = 5  # years added beyond the asked-for date when the span grows


@lru_cache(maxsize=1)
def official_years() -> frozenset[int]:
    """Years for which the installed ``holidays`` package has a State Council notice."""
    from gklint import cache

    key = cache.key_of("official_years")
    years = cache.load("calendar", key, _decode_years)
    if years is None:
        from holidays.countries.china import ChinaStaticHolidays

        years = frozenset(ChinaStaticHolidays.special_public_holidays)
        cache.store("calendar", key, sorted(years))
    return years


def _ints(value: object, lo: int, hi: int) -> list[int]:
    """``value`` when it is a list of ints in lo..hi (a cache entry's shape), else ValueError."""
    if not (isinstance(value, list) and all(v.__class__ is int and lo <= v <= hi for v in value)):
        raise ValueError("not a list of ints in range")
    return value


def _decode_years(value: object) -> frozenset[int]:
    return frozenset(_ints(value, date.min.year, date.max.year))


def _decode_tables(value: object) -> tuple[set[date], set[date]]:
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError("not two lists")
    lo, hi = date.min.toordinal(), date.max.toordinal()
    off, work = (set(map(date.fromordinal, _ints(days, lo, hi))) for days in value)
    return off, work


def holidays_version() -> str:
    """The installed ``holidays`` package version, named in coverage warnings."""
    import holidays

    return str(getattr(holidays, "__version__", "?"))


def _package_days(year: int, language: str, country: str = OFFICIAL, subdiv: str | None = None) -> dict[date, str]:
    """The package's named days off in ``year``: the notice's schedule, or statutory dates only."""
    if country != OFFICIAL:
        return dict(_country(country, subdiv, [year], language))
    from holidays.countries.china import China

    return dict(China(years=year, observed=year in official_years(), language=language))


def _country(country: str, subdiv: str | None, years: list[int], language: str | None = None) -> Any:
    """The package's holidays of ``country`` (and ``subdiv``) for ``years``, in ``language``
    when the package has it (else its default)."""
    import holidays

    entity = holidays.country_holidays(country, subdiv=subdiv, years=years)
    if language and language in (getattr(entity, "supported_languages", None) or ()):
        entity = holidays.country_holidays(country, subdiv=subdiv, years=years, language=language)
    return entity


def _package_tables(first: int, last: int, country: str = OFFICIAL,
                    subdiv: str | None = None) -> tuple[set[date], set[date]]:
    """(days off, weekend working days) from the package for the years first..last, kept in
    the on-disk cache (keyed by the installed package and gklint's code, :mod:`gklint.cache`)."""
    from gklint import cache

    key = cache.key_of("package_tables", first, last) if country == OFFICIAL else \
        cache.key_of("package_tables", first, last, country, subdiv)
    tables = cache.load("calendar", key, _decode_tables)
    if tables is None:
        if country == OFFICIAL:
            tables = _package_tables_uncached(first, last)
        else:
            entity = _country(country, subdiv, list(range(first, last + 1)))
            tables = set(entity), set(getattr(entity, "weekend_workdays", ()) or ())
        # Dates as day ordinals: a compact plain form (two lists of ints).
        cache.store("calendar", key, [sorted(d.toordinal() for d in days) for days in tables])
    return tables


def _package_tables_uncached(first: int, last: int) -> tuple[set[date], set[date]]:
    """(days off, weekend working days) from the package for the years first..last.

    Covered years take the notices' schedule (statutory days, their 补假, substituted days);
    uncovered years the statutory dates only (``observed=False``) and no weekend working day.
    """
    from holidays.countries.china import China

    official = official_years()
    covered = [y for y in range(first, last + 1) if y in official]
    uncovered = [y for y in range(first, last + 1) if y not in official]
    days_off: set[date] = set()
    weekend_workdays: set[date] = set()
    if covered:
        schedule = China(years=covered)
        days_off.update(schedule)
        weekend_workdays.update(schedule.weekend_workdays)
    if uncovered:
        days_off.update(China(years=uncovered, observed=False))
    return days_off, weekend_workdays


class _Span(NamedTuple):
    first_year: int
    last_year: int
    base: int  # ordinal of first_year-01-01; index i is the day base + i
    size: int
    workday: bytearray  # 1 = working day
    cumulative: array[int]  # cumulative[i] = working days among days 0..i
    ordinals: array[int]  # ordinal of each working day, ascending


_EMPTY = _Span(0, -1, 0, 0, bytearray(), array("i"), array("i"))


class WorkCalendar:
    """The official working-day calendar, optionally with an overlay's changes."""

    def __init__(
        self,
        name: str = OFFICIAL,
        *,
        days_off: Mapping[date, str | None] | None = None,
        workdays: Iterable[date] = (),
        covers: Iterable[int] = (),
        source: str | None = None,
        country: str = OFFICIAL,
        subdiv: str | None = None,
    ) -> None:
        self.name = name
        self.source = source
        self.country, self.subdiv = country, subdiv
        self.weekend: frozenset[int] = frozenset((5, 6))
        self._supported = (date.min.year, date.max.year)
        self.zone: str | None = "Asia/Shanghai"
        if country != OFFICIAL:
            entity = _country(country, subdiv, [])
            self.weekend = frozenset(entity.weekend)
            self._supported = (int(getattr(entity, "start_year", date.min.year)),
                               int(getattr(entity, "end_year", date.max.year)))
            self.zone = country_zone(country)
        self._extra_off: dict[date, str | None] = dict(days_off or {})
        self._extra_work = frozenset(workdays)
        self._extra_covered = frozenset(covers)
        self._span = _EMPTY

    def __repr__(self) -> str:
        return f"WorkCalendar({self.name!r}{', source=' + repr(self.source) if self.source else ''})"

    # -- coverage ---------------------------------------------------------------------------
    @property
    def official(self) -> bool:
        """Whether this is China's calendar (with its yearly State Council notices)."""
        return self.country == OFFICIAL

    @property
    def country_name(self) -> str:
        """``NL``, ``DE-BY``: the country (and subdivision) the calendar's package days are of."""
        return self.country + (f"-{self.subdiv}" if self.subdiv else "")

    def covers(self, year: int) -> bool:
        """Whether ``year`` is covered: for China, it has a State Council notice (in the package,
        or said so by an overlay); for another country, the package's rules span it."""
        if year in self._extra_covered:
            return True
        if self.country != OFFICIAL:
            return self._supported[0] <= year <= self._supported[1]
        return year in official_years()

    def uncovered_years(self, dates: Iterable[date]) -> list[int]:
        """The distinct years of ``dates`` that are not covered, ascending."""
        return sorted({d.year for d in dates if not self.covers(d.year)})

    def coverage_warning(self, year: int) -> str:
        """The one-line English warning for an uncovered year (used by the CLI and GK010)."""
        if self.country != OFFICIAL:
            return (f"{year} is not covered by the {self.country_name} calendar (holidays {holidays_version()} "
                    f"knows {self._supported[0]}-{self._supported[1]}); assuming weekends only — add an "
                    f"overlay with --calendar")
        return (
            f"{year} is not covered by the official calendar (no State Council notice in holidays "
            f"{holidays_version()}); assuming weekends and statutory holidays only — add an overlay "
            f"with --calendar"
        )

    # -- arithmetic -------------------------------------------------------------------------
    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day (调休上班 weekend days are)."""
        span = self._span
        i = d.toordinal() - span.base
        if not 0 <= i < span.size:
            span = self._ensure(d.year, d.year)
            i = d.toordinal() - span.base
        return bool(span.workday[i])

    def add_workdays(self, d: date, n: int) -> date:
        """The ``n``-th working day strictly after ``d``; ``n == 0`` gives ``d`` (同步).

        ``d`` itself never counts, whether or not it is a working day (民法典 art. 201: the day
        the period starts is not counted).
        """
        if n <= 0:
            if n == 0:
                return d
            raise ValueError(f"number of working days must be >= 0, got {n}")
        span = self._span
        i = d.toordinal() - span.base
        if 0 <= i < span.size:
            k = span.cumulative[i] + n - 1
            if k < len(span.ordinals):
                return date.fromordinal(span.ordinals[k])
        return self._add_slow(d, n)

    def _add_slow(self, d: date, n: int) -> date:
        last = d.year
        while True:
            span = self._ensure(d.year, last)
            k = span.cumulative[d.toordinal() - span.base] + n - 1
            if k < len(span.ordinals):
                return date.fromordinal(span.ordinals[k])
            if span.last_year >= date.max.year:
                raise ValueError(f"{d.isoformat()} + {n} working days is beyond {date.max.isoformat()}")
            # At least double the span: an overlay that takes every day off for centuries makes
            # this loop rebuild the tables a logarithmic number of times, not once per year.
            last = span.last_year + max(n // 240 + 1, span.last_year - span.first_year + 1)

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b < a."""
        span = self._span
        i, j = a.toordinal() - span.base, b.toordinal() - span.base
        if not (0 <= i < span.size and 0 <= j < span.size):
            span = self._ensure(min(a.year, b.year), max(a.year, b.year))
            i, j = a.toordinal() - span.base, b.toordinal() - span.base
        return span.cumulative[j] - span.cumulative[i]

    def next_workday_on_or_after(self, d: date) -> date:
        """``d`` when it is a working day, else the next one (民法典 art. 203 roll)."""
        return d if self.is_workday(d) else self.add_workdays(d, 1)

    # -- listings ---------------------------------------------------------------------------
    def days_off(self, year: int, lang: str | None = None) -> list[tuple[date, str]]:
        """The year's named days off (statutory, 补假, substituted, overlay), weekends included.

        Names come from the package in Chinese (``lang="zh"``), English (``"en"``) or both
        (``None``: ``"国庆节 National Day"``). Plain weekends are not listed.
        """
        languages = {"zh": ["zh_CN"], "en": ["en_US"]}.get(lang or "", ["zh_CN", "en_US"])
        names: dict[date, list[str]] = {}
        for language in languages:
            for d, name in _package_days(year, language, self.country, self.subdiv).items():
                names.setdefault(d, []).append(name)
        local = {"zh": "本地休息日", "en": "local day off"}.get(lang or "", "本地休息日 local day off")
        for d, label in self._extra_off.items():
            if d.year == year and (label or d not in names):
                names[d] = [label or local]
        return [(d, " ".join(dict.fromkeys(n))) for d, n in sorted(names.items()) if not self.is_workday(d)]

    def makeup_workdays(self, year: int) -> list[date]:
        """Weekend days of ``year`` that are working days (调休上班)."""
        span = self._ensure(year, year)
        start = date(year, 1, 1).toordinal()
        return [
            date.fromordinal(o)
            for o in range(start, date(year, 12, 31).toordinal() + 1)
            if span.workday[o - span.base] and date.fromordinal(o).weekday() in self.weekend
        ]

    # -- tables -----------------------------------------------------------------------------
    def _ensure(self, lo_year: int, hi_year: int) -> _Span:
        span = self._span
        if span.size and span.first_year <= lo_year and hi_year <= span.last_year:
            return span
        if span.size:
            first = span.first_year if lo_year >= span.first_year else lo_year - _GROW_MARGIN
            last = span.last_year if hi_year <= span.last_year else hi_year + _GROW_MARGIN
        else:
            from gklint.dates import today_cst

            first = min(DEFAULT_FIRST_YEAR, lo_year - _GROW_MARGIN)
            last = max(today_cst().year + YEARS_AHEAD, hi_year + _GROW_MARGIN)
        self._span = self._build(max(first, date.min.year), min(last, date.max.year))
        return self._span

    def _build(self, first: int, last: int) -> _Span:
        package_off, package_weekend_work = _package_tables(first, last, self.country, self.subdiv)
        base = date(first, 1, 1).toordinal()
        size = date(last, 12, 31).toordinal() + 1 - base
        weekday0 = date(first, 1, 1).weekday()
        week = bytes(0 if (weekday0 + i) % 7 in self.weekend else 1 for i in range(7))
        workday = bytearray((week * (size // 7 + 1))[:size])
        for d in package_off:  # a holiday on a weekend was a day off anyway
            workday[d.toordinal() - base] = 0
        for d in package_weekend_work:  # may include a date of the year before ``first``
            if 0 <= d.toordinal() - base < size:
                workday[d.toordinal() - base] = 1
        for d in self._extra_off:
            if first <= d.year <= last:
                workday[d.toordinal() - base] = 0
        for d in self._extra_work:
            if first <= d.year <= last:
                workday[d.toordinal() - base] = 1
        return _Span(
            first, last, base, size, workday,
            array("i", accumulate(workday)),
            array("i", compress(range(base, base + size), workday)),
        )


# -- loading ------------------------------------------------------------------------------------
_CACHE: dict[tuple[str, int], WorkCalendar] = {}
_OVERLAY_KEYS = ("extends", "name", "days_off", "workdays", "covers")
_OVERLAY_HINT = (
    "an overlay looks like: {extends: CN, name: 上海2027, covers: [2027], "
    "days_off: ['2027-02-05..2027-02-11', {date: 2027-06-01, name: 本地休息日}], workdays: [2027-02-13]}"
)


def country_of(name: str) -> tuple[str, str | None] | None:
    """(country, subdivision) for a calendar name the ``holidays`` package knows (``NL``,
    ``DE-BY``, ``us-ca``), else None. CN is China's official calendar."""
    import re

    match = re.fullmatch(r"([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,6}))?", name.strip())
    if not match:
        return None
    country, subdiv = match[1].upper(), match[2].upper() if match[2] else None
    if country == OFFICIAL and subdiv is None:
        return country, None
    import holidays

    supported = holidays.list_supported_countries()
    if country not in supported:
        return None
    if subdiv is not None and not supported[country]:
        raise CalendarError(f"the holidays package knows no subdivisions of {country}", hint=f"use {country} alone")
    if subdiv is not None and subdiv not in supported[country]:
        raise CalendarError(f"the holidays package knows no subdivision {subdiv!r} of {country}",
                            hint=f"use one of: {', '.join(supported[country][:40])}"
                            + (" ..." if len(supported[country]) > 40 else "") + f", or {country} alone")
    return country, subdiv


def country_zone(country: str) -> str | None:
    """The IANA zone of ``country`` from the tz database's ``zone.tab``: its only zone, or the
    first it lists when all its zones keep the same UTC offsets (DE: Europe/Berlin); None when
    they differ (US), and ``--timezone`` must say which."""
    from datetime import datetime

    zones = [fields[2] for fields in _zone_table() if fields[0] == country]
    if not zones:
        return None
    from zoneinfo import ZoneInfo

    year = date.today().year
    moments = [datetime(year, 1, 15, 12), datetime(year, 7, 15, 12)]

    def offsets(zone: str) -> list[Any]:
        return [m.replace(tzinfo=ZoneInfo(zone)).utcoffset() for m in moments]

    first = offsets(zones[0])
    return zones[0] if all(offsets(z) == first for z in zones[1:]) else None


@lru_cache(maxsize=1)
def _zone_table() -> list[list[str]]:
    """The rows of ``zone.tab`` (country code, coordinates, zone, comment): from the tzdata
    package when installed, else the system's tz database."""
    text = ""
    try:
        import importlib.resources

        text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ImportError, OSError, ModuleNotFoundError):
        import zoneinfo

        for folder in zoneinfo.TZPATH:
            try:
                text = Path(folder, "zone.tab").read_text("utf-8")
                break
            except OSError:
                continue
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def load_calendar(name_or_path: str | Path = OFFICIAL) -> WorkCalendar:
    """The calendar named ``CN``, a country (``NL``, ``DE-BY``) or the overlay YAML file at
    ``name_or_path``, cached.

    Overlays are cached by resolved path and modification time, so an edited file is re-read.
    Raises :class:`~gklint.errors.CalendarError` (file, line and a hint) for a bad overlay.
    """
    named = country_of(name_or_path) if isinstance(name_or_path, str) and not \
        name_or_path.endswith((".yaml", ".yml")) else None
    if named is not None:
        key = ("-".join(filter(None, named)), 0)
        if key not in _CACHE:
            _CACHE[key] = WorkCalendar(key[0], country=named[0], subdiv=named[1])
        return _CACHE[key]
    path = Path(name_or_path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise CalendarError(
            f"calendar {str(name_or_path)!r} not found: not a known calendar name and no such file",
            hint=f"use {OFFICIAL} (the official calendar), a country the holidays package knows (NL, DE-BY, "
            "US-CA) or the path of an overlay YAML file; "
            + _OVERLAY_HINT,
        ) from None
    key = (str(path.resolve()), mtime)
    if key not in _CACHE:
        _CACHE[key] = _load_overlay(path)
    return _CACHE[key]


def _load_overlay(path: Path) -> WorkCalendar:
    import yaml

    from gklint.ruleset.yamlio import compose_yaml

    file = str(path)
    # The limits of every YAML file (gklint.ruleset.yamlio): a regular file of bounded size, no
    # aliases, bounded nesting, no control characters; the error names the file and line.
    root = compose_yaml(path, CalendarError)
    if not isinstance(root, yaml.MappingNode):
        raise CalendarError("calendar overlay must be a YAML mapping", file=file,
                            line=root.start_mark.line + 1 if root else None, hint=_OVERLAY_HINT)
    reader = _OverlayReader(file)
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in _OVERLAY_KEYS:
            from gklint.errors import closest

            close = closest(str(key), _OVERLAY_KEYS)
            raise reader.error(key_node, f"unknown key {key!r} in calendar overlay",
                               (f"did you mean {close!r}? " if close else "")
                               + "allowed keys: " + ", ".join(_OVERLAY_KEYS))
        if key in fields:
            raise reader.error(key_node, f"duplicate key {key!r} in calendar overlay", "give each key once")
        fields[key] = value_node
    base = (OFFICIAL, None)
    if "extends" in fields:
        extends = reader.scalar(fields["extends"], "extends")
        try:
            named = country_of(extends)
        except CalendarError as exc:
            raise reader.error(fields["extends"], exc.message, exc.hint or _OVERLAY_HINT) from None
        if named is None:
            raise reader.error(fields["extends"], f"extends names no calendar gklint knows: {extends!r}",
                               f"write 'extends: {OFFICIAL}' (the official calendar) or a country the holidays "
                               "package knows, such as 'extends: NL' or 'extends: DE-BY'")
        base = named
    days_off: dict[date, str | None] = {}
    for node in reader.items(fields.get("days_off"), "days_off"):
        for d in reader.days(node, "days_off"):
            days_off[d] = reader.label
    workdays: dict[date, yaml.Node] = {}
    for node in reader.items(fields.get("workdays"), "workdays"):
        for d in reader.days(node, "workdays"):
            if d in days_off:
                raise reader.error(node, f"{d.isoformat()} is both in days_off and in workdays",
                                   "keep it in one of the two lists")
            workdays[d] = node
    covers = [reader.year(node) for node in reader.items(fields.get("covers"), "covers", scalar_ok=True)]
    name = reader.scalar(fields["name"], "name") if "name" in fields else path.stem
    return WorkCalendar(name, days_off=days_off, workdays=workdays, covers=covers, source=file,
                        country=base[0], subdiv=base[1])


class _OverlayReader:
    """Reads overlay nodes into values, raising CalendarError with the node's 1-based line."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.label: str | None = None  # name of the days_off item last read

    def error(self, node: yaml.Node, message: str, hint: str = _OVERLAY_HINT) -> CalendarError:
        return CalendarError(message, file=self.file, line=node.start_mark.line + 1, hint=hint)

    def scalar(self, node: yaml.Node, what: str) -> str:
        import yaml

        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            raise self.error(node, f"{what} must be a single value")
        return str(node.value)

    def items(self, node: yaml.Node | None, what: str, scalar_ok: bool = False) -> list[yaml.Node]:
        import yaml

        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return []
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if scalar_ok and isinstance(node, yaml.ScalarNode):
            return [node]
        raise self.error(node, f"{what} must be a list")

    def one_day(self, node: yaml.Node, what: str, text: str | None = None) -> date:
        from gklint.dates import parse_date

        text = self.scalar(node, what) if text is None else text
        try:
            return parse_date(text)
        except ValueError as exc:
            raise self.error(node, f"bad date in {what}: {exc}",
                             "write dates as 2027-02-05, ranges as '2027-02-05..2027-02-11'") from None

    def days(self, node: yaml.Node, what: str) -> list[date]:
        """The dates of one list item: a date, ``"A..B"``, ``{date:, name:}`` or ``{from:, to:, name:}``."""
        import yaml

        self.label = None
        if isinstance(node, yaml.MappingNode):
            parts = {self.scalar(k, what): v for k, v in node.value}
            unknown = set(parts) - {"date", "from", "to", "name"}
            if unknown or ("date" in parts) == ("from" in parts or "to" in parts) or (
                    "from" in parts) != ("to" in parts):
                raise self.error(node, f"a {what} entry must have either 'date' or both 'from' and 'to' "
                                 f"(and optionally 'name'), got keys {sorted(parts)}")
            self.label = self.scalar(parts["name"], "name") if "name" in parts else None
            if "date" in parts:
                return [self.one_day(parts["date"], what)]
            start, end = self.one_day(parts["from"], what), self.one_day(parts["to"], what)
        else:
            text = self.scalar(node, what)
            if ".." not in text:
                return [self.one_day(node, what)]
            first, _, second = text.partition("..")
            start, end = (self.one_day(node, what, part.strip()) for part in (first, second))
        if end < start:
            raise self.error(node, f"range in {what} ends before it starts: {start} .. {end}",
                             "write the earlier date first")
        return [date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1)]

    def year(self, node: yaml.Node) -> int:
        text = self.scalar(node, "covers")
        from gklint.dates import CALENDAR_YEARS

        if not (text.isdigit() and len(text) == 4) or not CALENDAR_YEARS[0] <= int(text) <= CALENDAR_YEARS[1]:
            raise self.error(node, f"covers must list years from {CALENDAR_YEARS[0]} to {CALENDAR_YEARS[1]} "
                             f"such as 2027 (the calendar's span), got {text!r}",
                             "write 'covers: [2027]' for a year whose State Council notice the overlay carries")
        return int(text)
