"""The official calendar against the State Council notices themselves.

The data in this file is typed from the notices (国务院办公厅关于××年部分节假日安排的通知), not
from the ``holidays`` package that the code uses: each year's days off (放假, as the notice gives
them, weekends inside a block included) and make-up working days (上班). The tests compare in both
directions: every weekday that is not a working day, and every weekend day that is, over the
whole year, must be exactly the notice's.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from gklint.calendar import load_calendar


def days(*items: str) -> set[date]:
    """Dates and inclusive ranges ``A..B`` as written in a notice."""
    out: set[date] = set()
    for item in items:
        first, _, last = item.partition("..")
        start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        out.update(start + timedelta(days=i) for i in range((end - start).days + 1))
    return out


NOTICES: dict[int, tuple[set[date], set[date]]] = {
    # 国办发明电〔2015〕18号 国务院办公厅关于2016年部分节假日安排的通知
    2016: (
        days(
            "2016-01-01",              # 元旦：1月1日放假，与周末连休。
            "2016-02-07..2016-02-13",  # 春节：2月7日至13日放假调休，共7天。
            "2016-04-04",              # 清明节：4月4日放假，与周末连休。
            "2016-05-01..2016-05-02",  # 劳动节：5月1日放假，5月2日（星期一）补休。
            "2016-06-09..2016-06-11",  # 端午节：6月9日至11日放假调休，共3天。
            "2016-09-15..2016-09-17",  # 中秋节：9月15日至17日放假调休，共3天。
            "2016-10-01..2016-10-07",  # 国庆节：10月1日至7日放假调休，共7天。
        ),
        days(
            "2016-02-06", "2016-02-14",  # 2月6日（星期六）、2月14日（星期日）上班。
            "2016-06-12",                # 6月12日（星期日）上班。
            "2016-09-18",                # 9月18日（星期日）上班。
            "2016-10-08", "2016-10-09",  # 10月8日（星期六）、10月9日（星期日）上班。
        ),
    ),
    # 国办发明电〔2017〕12号 国务院办公厅关于2018年部分节假日安排的通知
    # and, for the last days of 2018, 国办发明电〔2018〕15号 (the 2019 notice, 元旦).
    2018: (
        days(
            "2018-01-01",              # 元旦：1月1日放假，与周末连休。
            "2018-02-15..2018-02-21",  # 春节：2月15日至21日放假调休，共7天。
            "2018-04-05..2018-04-07",  # 清明节：4月5日至7日放假调休，共3天。
            "2018-04-29..2018-05-01",  # 劳动节：4月29日至5月1日放假调休，共3天。
            "2018-06-18",              # 端午节：6月18日放假，与周末连休。
            "2018-09-24",              # 中秋节：9月24日放假，与周末连休。
            "2018-10-01..2018-10-07",  # 国庆节：10月1日至7日放假调休，共7天。
            "2018-12-30..2018-12-31",  # 〔2018〕15号 元旦：2018年12月30日至2019年1月1日放假调休，共3天。
        ),
        days(
            "2018-02-11", "2018-02-24",  # 2月11日（星期日）、2月24日（星期六）上班。
            "2018-04-08",                # 4月8日（星期日）上班。
            "2018-04-28",                # 4月28日（星期六）上班。
            "2018-09-29", "2018-09-30",  # 9月29日（星期六）、9月30日（星期日）上班。
            "2018-12-29",                # 〔2018〕15号：2018年12月29日（星期六）上班。
        ),
    ),
    # 国办发明电〔2018〕15号 国务院办公厅关于2019年部分节假日安排的通知, with the May Day
    # change of 国办发明电〔2019〕3号 国务院办公厅关于调整2019年劳动节假期安排的通知.
    2019: (
        days(
            "2019-01-01",              # 元旦：2018年12月30日至2019年1月1日放假调休，共3天。
            "2019-02-04..2019-02-10",  # 春节：2月4日至10日放假调休，共7天。
            "2019-04-05",              # 清明节：4月5日放假，与周末连休。
            "2019-05-01..2019-05-04",  # 〔2019〕3号 劳动节：5月1日至4日放假调休，共4天。
            "2019-06-07",              # 端午节：6月7日放假，与周末连休。
            "2019-09-13",              # 中秋节：9月13日放假，与周末连休。
            "2019-10-01..2019-10-07",  # 国庆节：10月1日至7日放假调休，共7天。
        ),
        days(
            "2019-02-02", "2019-02-03",  # 2月2日（星期六）、2月3日（星期日）上班。
            "2019-04-28", "2019-05-05",  # 〔2019〕3号：4月28日（星期日）、5月5日（星期日）上班。
            "2019-09-29", "2019-10-12",  # 9月29日（星期日）、10月12日（星期六）上班。
        ),
    ),
    # 国办发明电〔2020〕27号 国务院办公厅关于2021年部分节假日安排的通知
    2021: (
        days(
            "2021-01-01..2021-01-03",  # 元旦：2021年1月1日至3日放假，共3天。
            "2021-02-11..2021-02-17",  # 春节：2月11日至17日放假调休，共7天。
            "2021-04-03..2021-04-05",  # 清明节：4月3日至5日放假调休，共3天。
            "2021-05-01..2021-05-05",  # 劳动节：5月1日至5日放假调休，共5天。
            "2021-06-12..2021-06-14",  # 端午节：6月12日至14日放假，共3天。
            "2021-09-19..2021-09-21",  # 中秋节：9月19日至21日放假调休，共3天。
            "2021-10-01..2021-10-07",  # 国庆节：10月1日至7日放假调休，共7天。
        ),
        days(
            "2021-02-07", "2021-02-20",  # 2月7日（星期日）、2月20日（星期六）上班。
            "2021-04-25", "2021-05-08",  # 4月25日（星期日）、5月8日（星期六）上班。
            "2021-09-18",                # 9月18日（星期六）上班。
            "2021-09-26", "2021-10-09",  # 9月26日（星期日）、10月9日（星期六）上班。
        ),
    ),
}


def year_days(year: int) -> list[date]:
    start = date(year, 1, 1)
    return [start + timedelta(days=i) for i in range((date(year + 1, 1, 1) - start).days)]


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_weekday_days_off_are_exactly_the_notices(year: int) -> None:
    cal = load_calendar("CN")
    notice_off, _ = NOTICES[year]
    expected = {d for d in notice_off if d.weekday() < 5}
    actual = {d for d in year_days(year) if d.weekday() < 5 and not cal.is_workday(d)}
    assert actual == expected


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_make_up_working_days_are_exactly_the_notices(year: int) -> None:
    cal = load_calendar("CN")
    _, notice_work = NOTICES[year]
    actual = {d for d in year_days(year) if d.weekday() >= 5 and cal.is_workday(d)}
    assert actual == notice_work
    assert cal.makeup_workdays(year) == sorted(notice_work)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_every_day_of_every_block_is_off(year: int) -> None:
    cal = load_calendar("CN")
    notice_off, notice_work = NOTICES[year]
    assert not any(cal.is_workday(d) for d in notice_off)
    assert all(cal.is_workday(d) for d in notice_work)
    assert all(cal.covers(d.year) for d in notice_off | notice_work)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_days_off_listing_names_every_weekday_off(year: int) -> None:
    cal = load_calendar("CN")
    notice_off, _ = NOTICES[year]
    listed = {d for d, name in cal.days_off(year) if name}
    assert {d for d in notice_off if d.weekday() < 5} <= listed
    assert all(d.year == year and not cal.is_workday(d) for d in listed)


def test_2019_may_day_change() -> None:
    """国办发明电〔2019〕3号: 5月1日至4日放假调休；4月28日（星期日）、5月5日（星期日）上班."""
    cal = load_calendar("CN")
    assert [cal.is_workday(date(2019, 5, d)) for d in range(1, 6)] == [False, False, False, False, True]
    assert cal.is_workday(date(2019, 4, 28))
    assert cal.add_workdays(date(2019, 4, 30), 1) == date(2019, 5, 5)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2018-09-28", 3, "2018-10-08"),   # 9/29, 9/30 make-up days; 10/1-7 off
        ("2016-09-30", 15, "2016-10-26"),  # 10/1-7 off; 10/8, 10/9 make-up days
        ("2018-12-28", 15, "2019-01-21"),  # 12/29 make-up; 12/30-1/1 off
        ("2019-09-27", 20, "2019-10-30"),  # 9/29, 10/12 make-up; 10/1-7 off
        ("2021-02-05", 20, "2021-03-10"),  # 2/7, 2/20 make-up; 2/11-17 off
        ("2019-04-26", 7, "2019-05-08"),   # 4/28, 5/5 make-up; 5/1-4 off
    ],
)
def test_notice_vectors(start: str, n: int, expected: str) -> None:
    cal = load_calendar("CN")
    assert cal.add_workdays(date.fromisoformat(start), n) == date.fromisoformat(expected)
    assert cal.workdays_between(date.fromisoformat(start), date.fromisoformat(expected)) == n
