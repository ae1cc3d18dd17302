"""Time limits as rulesets write them: ``20 working days``, ``30日``, ``24小时`` (contract section 3).

A :class:`Duration` is a whole number of one of three units, and the unit decides how it is
counted (contract section 4, :mod:`gklint.deadlines`):

- ``working_days`` — the N-th working day strictly after the start date;
- ``days`` — calendar days, the last day rolled to the next working day (民法典 art. 203);
- ``hours`` — elapsed hours from the start time.

Accepted text (spaces anywhere between number and unit; full-width digits are folded):

- English: ``3 working days``, ``1 working day``, ``30 days``, ``1 day``, ``24 hours``, ``1 hour``
  (also ``workdays``, ``calendar days``; singular/plural not enforced);
- Chinese: ``3个工作日``, ``三个工作日``, ``二十个工作日``, ``15 个工作日``, ``30日``, ``30天``,
  ``30个自然日``, ``24小时``, ``24个小时``; an ending ``内``/``以内`` ("within") is allowed.
  Chinese numerals 零〇一二两三四五六七八九十百 up to 九百九十九.

Zero is allowed and means "the same day / at once" (同步); negative numbers are rejected, and so
is a limit longer than the calendar's span (:data:`gklint.dates.CALENDAR_YEARS`, 1900–2999):
at most :data:`MAX_VALUE` of each unit (401,767 days, working days or 9,642,408 hours), so that
every deadline falls within a date Python can hold (docs/security.md).
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from gklint.dates import SPAN_DAYS as _SPAN_DAYS

UNITS = ("working_days", "days", "hours")
# The days of the calendar's span (1900-01-01..2999-12-31); a working day is a day, an hour 1/24.
MAX_VALUE = {"working_days": _SPAN_DAYS, "days": _SPAN_DAYS, "hours": _SPAN_DAYS * 24}

ACCEPTED_FORMS = (
    "'N working days', 'N days', 'N hours' (N a whole number >= 0, e.g. '20 working days', "
    "'1 day', '24 hours') or Chinese 'N个工作日', 'N日', 'N天', 'N小时' (e.g. '20个工作日', "
    "'三个工作日', '30日', '24小时')"
)


class DurationError(ValueError):
    """A time limit that is not one of the accepted forms."""


class Duration(NamedTuple):
    """A time limit: ``value`` whole ``unit`` s (``working_days``, ``days`` or ``hours``)."""

    value: int
    unit: str

    def describe(self, lang: str = "en") -> str:
        """``3个工作日`` / ``3 working days`` (``1 working day``), ``30日`` / ``30 days``, ``24小时``."""
        zh, en = unit_words(self.unit, self.value)
        return f"{self.value}{zh}" if lang.startswith("zh") else f"{self.value} {en}"


def unit_words(unit: str, n: int) -> tuple[str, str]:
    """The words of ``n`` ``unit`` after the number, in Chinese and English: ``个工作日`` and
    ``working days`` (``working day`` for 1)."""
    return _ZH_UNIT[unit], _EN_UNIT[unit] + ("" if n == 1 else "s")


_ZH_UNIT = {"working_days": "个工作日", "days": "日", "hours": "小时"}
_EN_UNIT = {"working_days": "working day", "days": "day", "hours": "hour"}

_EN_RE = re.compile(
    r"(?P<n>-?\d+)\s*(?:(?P<wd>(?:working|work|business)[\s_-]*days?|workdays?)"
    r"|(?:calendar\s+)?(?P<d>days?)|(?P<h>hours?|hrs?))",
    re.IGNORECASE,
)
_ZH_RE = re.compile(
    r"(?P<n>-?\d+|[零〇一二两三四五六七八九十百]+)\s*"
    r"(?:个?\s*(?P<wd>工作日)|(?P<d>日|天|个?\s*自然日)|个?\s*(?P<h>小时))\s*(?:以内|之内|内)?"
)
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# [H百][零][T]十[U] with every part optional: 十五, 二十, 一百零五, 一百一十, 两百.
_CN_NUMBER_RE = re.compile(
    r"(?:(?P<h>[一二两三四五六七八九])百)?(?P<z>零)?(?:(?P<t>[一二两三四五六七八九])?(?P<ten>十))?"
    r"(?P<u>[一二两三四五六七八九])?"
)


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral from 零 to 九百九十九 (``二十`` → 20, ``一百零五`` → 105)."""
    if text in ("零", "〇"):
        return 0
    m = _CN_NUMBER_RE.fullmatch(text)
    # 零 only stands for an empty tens place between hundreds and units: 一百零五.
    if not text or not m or (m["z"] and not (m["h"] and m["u"] and not m["ten"])):
        raise DurationError(f"not a Chinese numeral from 零 to 九百九十九: {text!r}")
    hundreds = _CN_DIGIT[m["h"]] if m["h"] else 0
    tens = (_CN_DIGIT[m["t"]] if m["t"] else 1) if m["ten"] else 0
    units = _CN_DIGIT[m["u"]] if m["u"] else 0
    return hundreds * 100 + tens * 10 + units


def parse_duration(text: str) -> Duration:
    """Read a time limit; raise :class:`DurationError` saying what is accepted otherwise."""
    if not isinstance(text, str):
        raise DurationError(
            f"time limit {text!r} ({type(text).__name__}) has no unit: write it as text, {ACCEPTED_FORMS}"
        )
    clean = unicodedata.normalize("NFKC", text).strip()
    match = _EN_RE.fullmatch(clean) or _ZH_RE.fullmatch(clean)
    if not match:
        raise DurationError(f"unreadable time limit {text!r}: expected {ACCEPTED_FORMS}")
    number = match["n"]
    if number.startswith("-"):
        raise DurationError(f"negative time limit {text!r}: expected {ACCEPTED_FORMS}")
    try:
        value = int(number) if number.isdigit() else chinese_number(number)
    except DurationError as exc:
        raise DurationError(f"unreadable time limit {text!r} ({exc}): expected {ACCEPTED_FORMS}") from None
    unit = "working_days" if match["wd"] else "days" if match["d"] else "hours"
    if value > MAX_VALUE[unit]:
        raise DurationError(
            f"time limit {text!r} is longer than the calendar gklint counts on (the years 1900–2999): "
            f"at most {MAX_VALUE[unit]} {_EN_UNIT[unit]}s")
    return Duration(value, unit)
