"""Dates and times of event logs (contract section 2)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from gklint.dates import When, format_when, parse_date, parse_when, to_datetime, today_cst

D = date(2018, 5, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the contract's forms
        ("2018-05-17", When(D, None)),
        ("2018-05-17T09:30", When(D, time(9, 30))),
        ("2018-05-17 09:30", When(D, time(9, 30))),
        ("2018-05-17 09:30:00", When(D, time(9, 30))),
        ("2018/5/17", When(D, None)),
        ("2018.5.17", When(D, None)),
        ("2018年5月17日", When(D, None)),
        ("2018年5月17日 9:30", When(D, time(9, 30))),
        ("2018年5月17日9时30分", When(D, time(9, 30))),
        ("2018年05月17日 09:30:15", When(D, time(9, 30, 15))),
        ("2018年5月17日 9时", When(D, time(9))),
        ("2018年5月17日9点30分", When(D, time(9, 30))),
        ("2018-05-17T09:30:15.250", When(D, time(9, 30, 15, 250000))),
        ("2018-05-17T09:30:15,5", When(D, time(9, 30, 15, 500000))),
        ("2018-05-17T09:30:15.123456789", When(D, time(9, 30, 15, 123456))),
        ("2018-05-17T09:30:00+08:00", When(D, time(9, 30))),
        ("2018-05-17T09:30:00+0800", When(D, time(9, 30))),
        ("2018-05-17T09:30+08", When(D, time(9, 30))),
        # zones are converted to China Standard Time before the date is taken
        ("2018-05-16T20:00:00Z", When(D, time(4, 0))),
        ("2018-05-16T16:00:00Z", When(D, time(0, 0))),
        ("2018-05-16T15:59:59.999Z", When(date(2018, 5, 16), time(23, 59, 59, 999000))),
        ("2018-05-17T20:00:00-05:00", When(date(2018, 5, 18), time(9, 0))),
        ("2018-05-17T01:00:00+09:00", When(date(2018, 5, 17), time(0, 0))),
        ("2018-05-17T00:30:00+09:00", When(date(2018, 5, 16), time(23, 30))),
        # lenient variants
        ("2018-5-7", When(date(2018, 5, 7), None)),
        ("2018/05/17 09:30", When(D, time(9, 30))),
        ("  2018-05-17  ", When(D, None)),
        ("２０１８年５月１７日 ９：３０", When(D, time(9, 30))),
        ("2018-05-17t09:30z", When(D, time(17, 30))),
    ],
)
def test_accepted_forms(text: str, expected: When) -> None:
    assert parse_when(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "garbage", "2018-02-30", "2018-13-01", "2018-00-10", "2019-02-29",
        "2018/2/30", "2018年2月30日", "2018-05-17T24:00", "2018-05-17T09:60", "2018-05-17T09:30:61",
        "18-05-17", "2018-05", "2018-05-17T", "2018/05/17Z", "2018-05-17 9:30 PM",
        "2018-05-17T09:30+25:00", "2018年5月17", "May 17, 2018", "2018_05_17", "+018-05-17",
    ],
)
def test_rejected_with_a_readable_message(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_when(text)
    message = str(info.value)
    assert "2018-05-17T09:30" in message and "2018年5月17日" in message  # lists the accepted forms
    if text.strip():
        assert repr(text) in message


def test_impossible_date_says_so() -> None:
    with pytest.raises(ValueError, match="impossible date .*'2018-02-30'"):
        parse_when("2018-02-30")


def test_leap_day() -> None:
    assert parse_when("2020-02-29").date == date(2020, 2, 29)


def test_parse_date_returns_the_date_part() -> None:
    assert parse_date("2018-05-17 09:30") == D
    assert parse_date("2018-05-16T20:00:00Z") == D
    assert parse_date("2018年5月17日") == D


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (When(D, None), "2018-05-17"),
        (When(D, time(9, 30)), "2018-05-17T09:30"),
        (When(D, time(9, 30, 15)), "2018-05-17T09:30:15"),
        (When(D, time(9, 30, 15, 500000)), "2018-05-17T09:30:15.500000"),
    ],
)
def test_format_when_round_trips(when: When, text: str) -> None:
    assert format_when(when) == text
    assert parse_when(text) == when


def test_to_datetime() -> None:
    assert to_datetime(When(D, None)) == datetime(2018, 5, 17)
    assert to_datetime(When(D, time(9, 30))) == datetime(2018, 5, 17, 9, 30)


def test_today_cst() -> None:
    before = datetime.now(timezone(timedelta(hours=8))).date()
    today = today_cst()
    after = datetime.now(timezone(timedelta(hours=8))).date()
    assert before <= today <= after


def test_repeated_text_gives_equal_values() -> None:
    assert parse_when("2018/5/17") == parse_when("2018/5/17") == parse_when("2018-05-17")


@pytest.mark.parametrize("text, wanted", [
    ("20191030", date(2019, 10, 30)),
    ("二〇一九年十月八日", date(2019, 10, 8)),
    ("二〇一九年十二月三十一日", date(2019, 12, 31)),
    ("二○二○年一月二十日", date(2020, 1, 20)),
])
def test_compact_and_chinese_numeral_dates(text: str, wanted: date) -> None:
    """Contract section 14: dates also as 20191030 and 二〇一九年十月八日."""
    assert parse_when(text) == When(wanted, None)


@pytest.mark.parametrize("text", ["20191330", "二〇一九年二月三十日", "二〇一九年十三月一日", "2019103"])
def test_impossible_compact_and_chinese_numeral_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_when(text)


def test_excel_serials_are_dates_only_where_excel_keeps_them() -> None:
    from gklint.dates import parse_when_excel

    assert parse_when_excel("43647") == When(date(2019, 7, 1), None)
    assert parse_when_excel("43647.375") == When(date(2019, 7, 1), time(9, 0))
    with pytest.raises(ValueError):
        parse_when("43647")  # in a CSV file it is a number
