"""Reading and writing the dates and times of event logs (contract section 2).

Every value is brought to China Standard Time (UTC+8): a time without a zone *is* CST, a time
with a zone (``Z``, ``+08:00``, ``-0500``) is converted to CST before its date is taken, because
the legal day a deadline counts from is the day in Beijing (民法典 art. 201: the day the period
starts is not counted; the count begins the next day, a calendar day in China).

Accepted (the contract's list, plus the lenient variants noted):

- ``2018-05-17`` (fast path; ``2018-5-17`` is also accepted)
- ``2018-05-17T09:30``, ``2018-05-17 09:30``, ``2018-05-17 09:30:00``
- full ISO 8601 date-time: fractional seconds, ``Z`` or an offset such as ``+08:00``
- ``2018/5/17`` and ``2018.5.17`` (each may also be followed by a time, as spreadsheets export)
- ``2018年5月17日``, optionally followed by a time: ``9:30``, ``9:30:15``, ``9时30分``, ``9点30分``
- full-width digits and colons (``２０１８年５月１７日``, ``９：３０``) are folded with NFKC
- ``20191030`` (eight digits) and ``二〇一九年十月八日`` (Chinese numerals, date only); in .xlsx
  sheets also Excel serial numbers of cells in General format (:func:`parse_when_excel`)
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple

CST = timezone(timedelta(hours=8), "CST")
"""China Standard Time, the zone every date and time in gklint is read in."""

ACCEPTED_FORMS = (
    "2018-05-17, 2018-05-17T09:30, 2018-05-17 09:30[:00], 2018/5/17, 2018.5.17, 20180517, 二〇一八年五月十七日, "
    "2018年5月17日 [9:30 | 9时30分], or ISO 8601 with seconds and a zone "
    "(2018-05-17T09:30:00.5+08:00, ...Z)"
)


CALENDAR_YEARS = (1900, 2999)
"""The years of every date gklint reads (logs, rulesets, waivers, overlays, --as-of): the span
its working-day calendar is built over. Past it a date is an error (a bad row is a finding),
so that no input can make the calendar's tables grow without bound (docs/security.md). Limits
on time limits and offsets derive from it (:mod:`gklint.durations`)."""
SPAN_DAYS = date(CALENDAR_YEARS[1], 12, 31).toordinal() - date(CALENDAR_YEARS[0], 1, 1).toordinal() + 1


def _in_calendar(text: str, when: When) -> When:
    if not CALENDAR_YEARS[0] <= when.date.year <= CALENDAR_YEARS[1]:
        raise _error(text, "date outside the calendar",
                     f"gklint reads dates in the years {CALENDAR_YEARS[0]}–{CALENDAR_YEARS[1]}")
    return when


class When(NamedTuple):
    """A moment as an event log gives it: a CST date and, when the log has one, a CST time.

    ``time`` is ``None`` for a date-only value, which stands for "some time on that day".
    """

    date: date
    time: time | None


_TIME = (
    r"(?P<hh>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<ss>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    r"(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?"
)
# ISO-like: 2018-05-17[T| ]09:30[:00[.123]][Z|+08:00]; also / and . separators.
_NUMERIC_RE = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|\s+)" + _TIME + r")?"
)
# 2018年5月17日, then optionally 9:30[:15], 9时[30分[15秒]] or 9点[30[分]].
_CHINESE_RE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"(?:\s*(?:"
    r"(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?"
    r"|(?P<ch>\d{1,2})\s*[时點点](?:\s*(?P<cm>\d{1,2})\s*分?(?:\s*(?P<cs>\d{1,2})\s*秒)?)?"
    r"))?"
)


def _error(text: str, why: str = "unreadable date", detail: str = "") -> ValueError:
    detail = f" ({detail})" if detail else ""
    return ValueError(f"{why} {text!r}{detail}: expected one of {ACCEPTED_FORMS}")


def _zone(tz: str) -> timezone:
    if tz in ("Z", "z"):
        return timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def _build(text: str, y: str, m: str, d: str, hh: str | None, mi: str | None,
           ss: str | None, frac: str | None, tz: str | None, target: tzinfo = CST) -> When:
    try:
        day = date(int(y), int(m), int(d))
        moment = None
        if hh is not None:
            micro = int((frac or "0")[:6].ljust(6, "0"))
            moment = time(int(hh), int(mi or 0), int(ss or 0), micro)
    except ValueError as exc:
        raise _error(text, "impossible date or time", str(exc)) from None
    if tz is not None and moment is not None:
        try:
            aware = datetime.combine(day, moment, tzinfo=_zone(tz)).astimezone(target)
        except (ValueError, OverflowError) as exc:
            raise _error(text, "impossible zone offset", str(exc)) from None
        day, moment = aware.date(), aware.time().replace(tzinfo=None)
    return _in_calendar(text, When(day, moment))


@lru_cache(maxsize=4096)
def parse_when(text: str) -> When:
    """Read one date or date-time cell as a CST :class:`When`.

    Raises ``ValueError`` naming the text and listing the accepted forms when the text is empty,
    unreadable, or an impossible date such as ``2018-02-30``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_when expects a string, got {type(text).__name__}")
    # Fast path: the plain ISO date that nearly every row carries.
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            day = date.fromisoformat(text)
            if CALENDAR_YEARS[0] <= day.year <= CALENDAR_YEARS[1]:
                return When(day, None)
        except ValueError:
            pass  # not digits, impossible, or out of range: the full reader below says which
    return parse_when_general(text)


_COMPACT_RE = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0}
_HAN_DATE_RE = re.compile(r"(?P<y>[〇○零Oo一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,2})\s*月"
                          r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*[日号]")


def _han_number(text: str) -> int:
    """一 .. 三十一 as written in dates: 十 is 10, 十二 is 12, 二十 is 20, 二十三 is 23."""
    if "十" not in text:
        return _HAN_DIGITS[text] if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return -1
    return (_HAN_DIGITS[tens] if tens else 1) * 10 + (_HAN_DIGITS[units] if units else 0)


def parse_when_general(text: str, target: tzinfo = CST) -> When:
    """:func:`parse_when` without its fast path (the differential test compares the two); a time
    with an offset is converted to ``target`` (:func:`parser_in`)."""
    clean = unicodedata.normalize("NFKC", text).strip()
    if not clean:
        raise ValueError(f"empty date: expected one of {ACCEPTED_FORMS}")
    if len(clean) == 8:  # 20191030, as date stamps and some systems write dates
        match = _COMPACT_RE.fullmatch(clean)
        if match:
            return _build(text, match["y"], match["m"], match["d"], None, None, None, None, None)
    if "年" in clean and not clean[0].isdigit():  # 二〇一九年十月八日, as documents date themselves
        match = _HAN_DATE_RE.fullmatch(clean)
        if match:
            year = "".join(str(_HAN_DIGITS[c]) for c in match["y"])
            return _build(text, year, str(_han_number(match["m"])), str(_han_number(match["d"])),
                          None, None, None, None, None)
    match = _NUMERIC_RE.fullmatch(clean)
    if match:
        g = match.group
        if g("tz") and g("sep") != "-":
            raise _error(text)  # zones only with ISO 8601 dates
        return _build(text, g("y"), g("m"), g("d"), g("hh"), g("mi"), g("ss"), g("frac"), g("tz"), target)
    match = _CHINESE_RE.fullmatch(clean)
    if match:
        g = match.group
        hh, mi, ss = (g("hh"), g("mi"), g("ss")) if g("hh") else (g("ch"), g("cm"), g("cs"))
        return _build(text, g("y"), g("m"), g("d"), hh, mi, ss, None, None)
    raise _error(text)


DEFAULT_ZONE = "Asia/Shanghai"


def zone_info(name: str) -> tzinfo:
    """The IANA zone ``name`` (``Europe/Amsterdam``); ValueError naming it when unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r}: expected an IANA name such as Asia/Shanghai "
                         "or Europe/Amsterdam") from None


def parser_in(zone: str | None) -> Callable[[str], When]:
    """:func:`parse_when` for a log read in ``zone`` (``--timezone``, contract section 13): a time
    with an offset is converted to the zone, a time without one is in it already. For
    ``Asia/Shanghai`` it is :func:`parse_when` itself, which reads China's times at UTC+8 (CST)
    as contract section 2 says (the zone database also knows the summer time of 1986-1991)."""
    if zone is None or zone == DEFAULT_ZONE:
        return parse_when
    target = zone_info(zone)

    @lru_cache(maxsize=4096)
    def parse(text: str) -> When:
        if not isinstance(text, str):
            raise TypeError(f"parse_when expects a string, got {type(text).__name__}")
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return parse_when(text)  # a date alone has no zone to convert from
        return parse_when_general(text, target)

    return parse


_SERIAL_RE = re.compile(r"\d{5}(\.\d+)?")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 in Excel's (1900 leap-year) system


def parse_when_excel(text: str, parse: Callable[[str], When] | None = None) -> When:
    """``parse`` (:func:`parse_when`, or :func:`parser_in`'s for a zone), and an Excel serial date number (``43647``, ``43647.5``) as a cell of
    General format holds a date in an .xlsx sheet: five digits, 1927-05-18 to 2173-10-14, a
    fraction being the time of day. Used for .xlsx cells only: in a CSV file 43647 is a number."""
    try:
        return (parse or parse_when)(text)
    except ValueError:
        if not _SERIAL_RE.fullmatch(text.strip()):
            raise
    serial = float(text)
    day = _EXCEL_EPOCH + timedelta(days=int(serial))
    seconds = round((serial - int(serial)) * 86400)
    if seconds == 0:
        return When(day, None)
    if seconds >= 86400:
        return When(day + timedelta(days=1), None)
    return When(day, time(seconds // 3600, seconds // 60 % 60, seconds % 60))


AS_OF_YEARS = CALENDAR_YEARS


def parse_as_of(text: str) -> date:
    """The date a check is made on: any accepted form, in a sane range (deadlines and periods
    are counted past it, so a typo such as 9999-12-31 would overflow the calendar)."""
    day = parse_when(str(text).strip()).date
    if not AS_OF_YEARS[0] <= day.year <= AS_OF_YEARS[1]:
        raise ValueError(f"{text!r} is outside {AS_OF_YEARS[0]}–{AS_OF_YEARS[1]}")
    return day


def parse_date(text: str) -> date:
    """The CST date of ``text`` (any accepted form); a time, if given, only moves the date by its zone."""
    return parse_when(text).date


def format_when(when: When) -> str:
    """ISO text for a :class:`When`: ``2018-05-17``, ``2018-05-17T09:30``, ``…T09:30:15[.5]``.

    Times are CST and written without a zone, as the logs give them.
    """
    if when.time is None:
        return when.date.isoformat()
    t = when.time
    spec = "minutes" if not (t.second or t.microsecond) else "seconds" if not t.microsecond else "auto"
    return f"{when.date.isoformat()}T{t.isoformat(timespec=spec)}"


def today_cst() -> date:
    """Today's date in China Standard Time (the default ``--as-of``)."""
    return datetime.now(CST).date()


def to_datetime(when: When) -> datetime:
    """The naive CST datetime of ``when``; a date-only value gives the start of its day."""
    return datetime.combine(when.date, when.time or time())
