"""Time limits: ``20 working days``, ``三个工作日``, ``30日``, ``24小时`` (contract section 3)."""
from __future__ import annotations

import pytest

from gklint.durations import Duration, DurationError, chinese_number, parse_duration

WD, DAYS, HOURS = "working_days", "days", "hours"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 working days", Duration(3, WD)),
        ("1 working day", Duration(1, WD)),
        ("30 days", Duration(30, DAYS)),
        ("1 day", Duration(1, DAYS)),
        ("24 hours", Duration(24, HOURS)),
        ("1 hour", Duration(1, HOURS)),
        ("20 Working Days", Duration(20, WD)),
        ("20working days", Duration(20, WD)),
        ("  15   working   days ", Duration(15, WD)),
        ("5 workdays", Duration(5, WD)),
        ("30 calendar days", Duration(30, DAYS)),
        ("0 working days", Duration(0, WD)),
        ("3个工作日", Duration(3, WD)),
        ("三个工作日", Duration(3, WD)),
        ("二十个工作日", Duration(20, WD)),
        ("十五个工作日", Duration(15, WD)),
        ("15 个工作日", Duration(15, WD)),
        ("15个 工作日", Duration(15, WD)),
        ("5工作日", Duration(5, WD)),
        ("20个工作日内", Duration(20, WD)),
        ("30日", Duration(30, DAYS)),
        ("30天", Duration(30, DAYS)),
        ("三十日", Duration(30, DAYS)),
        ("30个自然日", Duration(30, DAYS)),
        ("24小时", Duration(24, HOURS)),
        ("24个小时", Duration(24, HOURS)),
        ("两小时", Duration(2, HOURS)),
        ("零个工作日", Duration(0, WD)),
        ("３０日", Duration(30, DAYS)),
        ("一百零五日", Duration(105, DAYS)),
        ("九百九十九小时", Duration(999, HOURS)),
    ],
)
def test_accepted(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("零", 0), ("〇", 0), ("一", 1), ("两", 2), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20),
     ("二十五", 25), ("九十九", 99), ("一百", 100), ("两百", 200), ("一百零五", 105), ("一百一十", 110),
     ("一百十", 110), ("三百四十五", 345), ("九百九十九", 999)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "百", "十十", "零五", "一零", "一千", "二百零", "五一"])
def test_bad_chinese_numerals(text: str) -> None:
    with pytest.raises(DurationError):
        chinese_number(text)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "three days", "3", "3 weeks", "3.5 days", "3 months", "-3 days", "-3个工作日",
     "3个日", "一千日", "百日", "零五个工作日", "working days", "个工作日", "3 working", "3 days 4 hours"],
)
def test_rejected(text: str) -> None:
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    message = str(info.value)
    assert repr(text) in message
    assert "working days" in message and "个工作日" in message  # says what is accepted
    assert isinstance(info.value, ValueError)


def test_negative_says_negative() -> None:
    with pytest.raises(DurationError, match="negative"):
        parse_duration("-5 working days")


@pytest.mark.parametrize("value", [3, 3.0, None, ["3 days"]])
def test_non_text_rejected(value: object) -> None:
    with pytest.raises(DurationError, match="write it as text"):
        parse_duration(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("duration", "zh", "en"),
    [
        (Duration(3, WD), "3个工作日", "3 working days"),
        (Duration(1, WD), "1个工作日", "1 working day"),
        (Duration(0, WD), "0个工作日", "0 working days"),
        (Duration(30, DAYS), "30日", "30 days"),
        (Duration(1, DAYS), "1日", "1 day"),
        (Duration(24, HOURS), "24小时", "24 hours"),
        (Duration(1, HOURS), "1小时", "1 hour"),
    ],
)
def test_describe(duration: Duration, zh: str, en: str) -> None:
    assert duration.describe("zh") == zh
    assert duration.describe("en") == en
    assert parse_duration(zh) == duration == parse_duration(en)
