"""``gklint calendar …``: working-day arithmetic on the command line (contract section 1).

Each function prints its answer to ``out`` and returns the exit code (0). Dates may be written in
any form the contract accepts (``2018-05-17``, ``2018/5/17``, ``2018年5月17日`` …). A date in a year
the calendar does not cover adds one warning per such year on ``err`` (stderr by default): the
answer is then computed on weekends and statutory holidays only. Bad input raises
:class:`~gklint.errors.GklintError`, which the CLI turns into exit status 2.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from gklint.calendar import WorkCalendar
from gklint.dates import parse_when
from gklint.display import for_terminal
from gklint.errors import ConfigError

_WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _date(text: str, what: str) -> date:
    try:
        return parse_when(text).date
    except ValueError as exc:
        raise ConfigError(f"{what}: {exc}", hint="give a date such as 2018-05-17") from None


def _warn_uncovered(cal: WorkCalendar, years: Iterable[int], err: TextIO | None) -> None:
    stream = err or sys.stderr
    for year in sorted(set(years)):
        if not cal.covers(year):
            print(f"警告/warning: {cal.coverage_warning(year)}", file=stream)


def _years(a: date, b: date) -> range:
    return range(min(a, b).year, max(a, b).year + 1)


def is_workday(cal: WorkCalendar, date_text: str, out: TextIO, err: TextIO | None = None) -> int:
    """Print ``yes`` when DATE is a working day, else ``no``."""
    day = _date(date_text, "DATE")
    _warn_uncovered(cal, [day.year], err)
    print("yes" if cal.is_workday(day) else "no", file=out)
    return 0


def add(cal: WorkCalendar, date_text: str, n: int | str, out: TextIO, err: TextIO | None = None) -> int:
    """Print the N-th working day strictly after DATE (N = 0 prints DATE)."""
    day = _date(date_text, "DATE")
    try:
        count = int(n)
    except ValueError:
        raise ConfigError(f"N must be a whole number of working days, got {n!r}", hint="e.g. 15") from None
    if count < 0:
        raise ConfigError(f"N must not be negative, got {count}",
                          hint="N counts working days after DATE; use 'calendar count' for the days between")
    from gklint.durations import MAX_VALUE

    if count > MAX_VALUE["working_days"]:
        raise ConfigError(f"N must be at most {MAX_VALUE['working_days']} (the days of the calendar's span, "
                          f"1900–2999), got {count}")
    try:
        result = cal.add_workdays(day, count)
    except (ValueError, OverflowError) as exc:
        raise ConfigError(f"cannot add {count} working days to {day.isoformat()}: {exc}") from None
    _warn_uncovered(cal, _years(day, result), err)
    print(result.isoformat(), file=out)
    return 0


def count(cal: WorkCalendar, start_text: str, end_text: str, out: TextIO, err: TextIO | None = None) -> int:
    """Print the number of working days in (START, END] (negative when END is before START)."""
    start, end = _date(start_text, "START"), _date(end_text, "END")
    _warn_uncovered(cal, _years(start, end), err)
    print(cal.workdays_between(start, end), file=out)
    return 0


def year(cal: WorkCalendar, year: int | str, out: TextIO, lang: str | None = None,
         err: TextIO | None = None) -> int:
    """Print the year's days off (with names) and make-up working days, headed in Chinese and English.

    ``lang`` (``zh`` or ``en``) picks the language of holiday names and weekdays; ``None`` gives both.
    """
    try:
        number = int(year)
    except ValueError:
        raise ConfigError(f"YEAR must be a year such as 2018, got {year!r}") from None
    if not date.min.year <= number <= date.max.year:
        raise ConfigError(f"YEAR must be between {date.min.year} and {date.max.year}, got {number}")
    _warn_uncovered(cal, [number], err)

    def weekday(d: date) -> str:
        names = [_WEEKDAYS[k][d.weekday()] for k in ("zh", "en") if lang in (None, k)]
        return " ".join(names)

    print(f"{number} 放假 Days off:", file=out)
    for d, name in cal.days_off(number, lang):
        print(f"  {d.isoformat()} {weekday(d)}  {for_terminal(name)}", file=out)  # an overlay's name
    makeup = cal.makeup_workdays(number)
    print(f"{number} 调休上班 Make-up working days:", file=out)
    for d in makeup:
        print(f"  {d.isoformat()} {weekday(d)}", file=out)
    if not makeup:
        print("  (无 none)", file=out)
    return 0
