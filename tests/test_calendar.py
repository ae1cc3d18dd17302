"""WorkCalendar: contract section 4 (working days, coverage, overlays) and arithmetic properties."""
from __future__ import annotations

import os
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gklint.calendar import WorkCalendar, load_calendar, official_years
from gklint.errors import CalendarError, GklintError

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return load_calendar("CN")


# -- working days ---------------------------------------------------------------------------
def test_make_up_weekend_days_are_working_days(cal: WorkCalendar) -> None:
    assert cal.is_workday(D("2018-09-29"))  # Saturday, 调休上班
    assert cal.is_workday(D("2018-09-30"))  # Sunday, 调休上班
    assert not cal.is_workday(D("2018-10-01"))  # National Day, Monday
    assert not cal.is_workday(D("2018-10-06"))  # plain Saturday
    assert cal.is_workday(D("2018-10-08"))


@pytest.mark.parametrize(
    ("start", "next_day"),
    [
        ("2018-09-28", "2018-09-29"),  # Friday, working day -> Saturday make-up day
        ("2018-09-29", "2018-09-30"),  # Saturday make-up day -> Sunday make-up day
        ("2018-09-30", "2018-10-08"),  # Sunday make-up day -> after National Day
    ],
)
def test_start_day_never_counts(cal: WorkCalendar, start: str, next_day: str) -> None:
    assert cal.add_workdays(D(start), 1) == D(next_day)


def test_start_on_a_day_off_does_not_count(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D("2018-10-01"), 1) == D("2018-10-08")  # holiday start
    assert cal.add_workdays(D("2018-10-06"), 1) == D("2018-10-08")  # weekend start


def test_contract_example(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D("2018-09-28"), 3) == D("2018-10-08")


@pytest.mark.parametrize("d", ["2018-10-01", "2018-09-29", "2018-05-17", "1990-01-01", "2040-06-01"])
def test_zero_working_days_is_the_same_day(cal: WorkCalendar, d: str) -> None:
    assert cal.add_workdays(D(d), 0) == D(d)


def test_negative_working_days_rejected(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        cal.add_workdays(D("2018-05-17"), -1)


def test_workdays_between(cal: WorkCalendar) -> None:
    assert cal.workdays_between(D("2018-09-28"), D("2018-10-08")) == 3  # (a, b]
    assert cal.workdays_between(D("2018-10-08"), D("2018-09-28")) == -3
    assert cal.workdays_between(D("2018-10-01"), D("2018-10-07")) == 0
    assert cal.workdays_between(D("2018-05-17"), D("2018-05-17")) == 0
    assert cal.workdays_between(D("2018-05-16"), D("2018-05-17")) == 1


def test_next_workday_on_or_after(cal: WorkCalendar) -> None:
    assert cal.next_workday_on_or_after(D("2018-10-01")) == D("2018-10-08")
    assert cal.next_workday_on_or_after(D("2018-09-29")) == D("2018-09-29")
    assert cal.next_workday_on_or_after(D("2018-05-19")) == D("2018-05-21")


def test_dates_outside_the_initial_span_grow_it() -> None:
    cal = WorkCalendar()
    assert cal.add_workdays(D("1985-01-04"), 1) == D("1985-01-07")  # before 1999: weekends only
    assert cal.add_workdays(D("2150-01-01"), 3) > D("2150-01-03")
    assert cal.add_workdays(D("2018-09-28"), 3) == D("2018-10-08")  # still right after growing
    assert cal.add_workdays(D("2018-01-01"), 2500) > D("2027-01-01")  # past the span's end
    assert cal.workdays_between(D("1980-01-01"), D("2018-10-08")) > 9000


# -- coverage -------------------------------------------------------------------------------
def test_coverage(cal: WorkCalendar) -> None:
    assert cal.covers(2018)
    assert cal.covers(2001)
    assert not cal.covers(2027)
    assert not cal.covers(1999)
    assert cal.uncovered_years([D("2027-05-01"), D("2018-01-01"), D("2027-10-01"), D("1999-03-01")]) == [1999, 2027]
    assert "2027" in cal.coverage_warning(2027) and "holidays" in cal.coverage_warning(2027)


def test_coverage_comes_from_the_package_tables() -> None:
    from holidays.countries.china import ChinaStaticHolidays

    assert official_years() == frozenset(ChinaStaticHolidays.special_public_holidays)


def test_uncovered_year_statutory_days_only(cal: WorkCalendar) -> None:
    assert cal.makeup_workdays(2027) == []
    assert not cal.is_workday(D("2027-10-01"))  # National Day, a Friday
    assert not cal.is_workday(D("2027-01-01"))  # New Year's Day
    # No estimated 补假 and no substituted days: the Monday after 10-02/03 (weekend) is worked.
    assert cal.is_workday(D("2027-10-04"))
    assert all(d.weekday() < 5 or name for d, name in cal.days_off(2027))
    weekday_off = {d for d, _ in cal.days_off(2027) if d.weekday() < 5}
    assert D("2027-10-01") in weekday_off and D("2027-10-04") not in weekday_off


def test_days_off_names(cal: WorkCalendar) -> None:
    zh = dict(cal.days_off(2018, "zh"))
    en = dict(cal.days_off(2018, "en"))
    both = dict(cal.days_off(2018))
    assert zh[D("2018-10-01")] == "国庆节"
    assert en[D("2018-10-01")] == "National Day"
    assert both[D("2018-10-01")] == "国庆节 National Day"
    assert set(zh) == set(en) == set(both)


# -- overlays -------------------------------------------------------------------------------
def write(tmp_path: Path, text: str, name: str = "local.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overlay_local_holiday_and_workday(tmp_path: Path) -> None:
    path = write(tmp_path, "extends: CN\nname: 本地\ndays_off: [2018-05-17]\nworkdays: [2018-05-19]\n")
    cal = load_calendar(path)
    assert cal.name == "本地"
    assert not cal.is_workday(D("2018-05-17"))
    assert cal.is_workday(D("2018-05-19"))  # a Saturday made a working day
    assert cal.add_workdays(D("2018-05-16"), 1) == D("2018-05-18")
    assert cal.add_workdays(D("2018-05-18"), 1) == D("2018-05-19")
    assert D("2018-05-19") in cal.makeup_workdays(2018)
    assert dict(cal.days_off(2018, "zh"))[D("2018-05-17")] == "本地休息日"
    # The official calendar is unchanged.
    assert load_calendar("CN").is_workday(D("2018-05-17"))


def test_overlay_covers_next_year(tmp_path: Path) -> None:
    path = write(tmp_path, """\
extends: CN
covers: [2027]
days_off:
  - 2027-02-05..2027-02-11
  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
  - {date: 2027-06-09, name: 端午节}
workdays: [2027-02-13, 2027-10-09]
""")
    cal = load_calendar(str(path))
    assert cal.name == "local"
    assert cal.covers(2027) and not load_calendar("CN").covers(2027)
    assert not cal.is_workday(D("2027-02-09"))
    assert not cal.is_workday(D("2027-10-04"))
    assert cal.makeup_workdays(2027) == [D("2027-02-13"), D("2027-10-09")]
    assert dict(cal.days_off(2027, "zh"))[D("2027-10-05")] == "国庆节"


def test_overlay_covers_scalar_and_empty_lists(tmp_path: Path) -> None:
    cal = load_calendar(write(tmp_path, "extends: cn\ncovers: 2027\ndays_off:\nworkdays: []\n"))
    assert cal.covers(2027)


def test_overlay_cache_by_path_and_mtime(tmp_path: Path) -> None:
    path = write(tmp_path, "days_off: [2018-05-17]\n")
    first = load_calendar(path)
    assert load_calendar(str(path)) is first
    path.write_text("days_off: [2018-05-18]\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = load_calendar(path)
    assert second is not first and not second.is_workday(D("2018-05-18"))
    assert load_calendar("CN") is load_calendar("cn")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("extends: CN\ndays_off: [2018-05-17\n", 2, "never closed"),
        ("extends: CN\nholidays: [2018-05-17]\n", 2, "unknown key 'holidays'"),
        ("extends: CN\ndayoff: [2018-05-17]\n", 2, "did you mean 'days_off'"),
        ("extends: CN\ndays_off:\n  - 2018-05-17\n  - 2018-02-30\n", 4, "bad date"),
        ("extends: CN\ndays_off: ['2018-05-20..2018-05-17']\n", 2, "ends before it starts"),
        ("extends: CN\ndays_off: ['2018-05-20..soon']\n", 2, "bad date"),
        ("extends: Narnia\n", 1, "extends names no calendar"),
        ("days_off: [2018-05-17]\nworkdays:\n  - 2018-05-17\n", 3, "both in days_off and in workdays"),
        ("covers: [next]\n", 1, "covers must list years"),
        ("days_off: 2018-05-17\n", 1, "must be a list"),
        ("days_off:\n  - {from: 2018-05-17}\n", 2, "both 'from' and 'to'"),
        ("- 2018-05-17\n", 1, "must be a YAML mapping"),
        ("days_off: [1]\ndays_off: [2]\n", 2, "duplicate key"),
    ],
)
def test_bad_overlays_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text, "bad.yaml")
    with pytest.raises(CalendarError) as info:
        load_calendar(path)
    err = info.value
    assert isinstance(err, GklintError) and err.exit_code == 2
    assert err.file == str(path) and err.line == line
    assert fragment in str(err)
    assert str(err).startswith(f"{path}:{line}: ")
    assert err.hint


def test_empty_overlay(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="must be a YAML mapping"):
        load_calendar(write(tmp_path, "", "empty.yaml"))


def test_missing_overlay_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarError) as info:
        load_calendar(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(info.value) and "not found" in str(info.value)
    assert "CN" in (info.value.hint or "")


def test_overlay_is_loaded_safely(tmp_path: Path) -> None:
    path = write(tmp_path, "name: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(CalendarError):
        load_calendar(path)


# -- properties -----------------------------------------------------------------------------
@cache
def _reference_days_off(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Straight from the package, per year, without our tables."""
    import holidays

    if year in official_years():
        schedule = holidays.China(years=year)
        return frozenset(schedule), frozenset(schedule.weekend_workdays)
    return frozenset(holidays.China(years=year, observed=False)), frozenset()


def reference_is_workday(d: date) -> bool:
    if d.weekday() >= 5:  # a make-up day may come from next year's notice (2018-12-29 from 2019's)
        return any(d in _reference_days_off(y)[1] for y in (d.year, d.year + 1))
    return d not in _reference_days_off(d.year)[0]


def naive_add(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        n -= reference_is_workday(d)
    return d


dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2032, 12, 31))
counts = st.integers(min_value=0, max_value=400)


@settings(deadline=None)  # the first example builds the tables (imports holidays): slow on a busy machine
@given(dates, st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day(d: date, n: int) -> None:
    assert load_calendar("CN").is_workday(load_calendar("CN").add_workdays(d, n))


@given(dates, counts)
def test_round_trip_with_workdays_between(d: date, n: int) -> None:
    cal = load_calendar("CN")
    assert cal.workdays_between(d, cal.add_workdays(d, n)) == n


@given(dates)
def test_zero_is_identity(d: date) -> None:
    assert load_calendar("CN").add_workdays(d, 0) == d


@given(dates, counts)
def test_monotonic_in_n(d: date, n: int) -> None:
    cal = load_calendar("CN")
    assert cal.add_workdays(d, n) < cal.add_workdays(d, n + 1)


@given(dates, dates, counts)
def test_monotonic_in_d(a: date, b: date, n: int) -> None:
    cal = load_calendar("CN")
    a, b = min(a, b), max(a, b)
    assert cal.add_workdays(a, n) <= cal.add_workdays(b, n)


@given(dates, dates, dates)
def test_workdays_between_is_additive_and_antisymmetric(a: date, b: date, c: date) -> None:
    cal = load_calendar("CN")
    assert cal.workdays_between(a, b) + cal.workdays_between(b, c) == cal.workdays_between(a, c)
    assert cal.workdays_between(a, b) == -cal.workdays_between(b, a)


@settings(max_examples=200)
@given(dates, st.integers(min_value=0, max_value=60))
def test_agrees_with_day_by_day_reference(d: date, n: int) -> None:
    cal = load_calendar("CN")
    assert cal.add_workdays(d, n) == naive_add(d, n)
    assert cal.is_workday(d) == reference_is_workday(d)
    assert cal.next_workday_on_or_after(d) == (d if reference_is_workday(d) else naive_add(d, 1))


def test_importing_does_not_import_holidays() -> None:
    """Start-up time: ``holidays`` and ``yaml`` are imported only when a calendar is first used."""
    import subprocess
    import sys

    code = ("import sys, gklint.calendar, gklint.dates, gklint.deadlines, gklint.durations, "
            "gklint.commands.calendar_cmd; print(sorted({'holidays', 'yaml'} & set(sys.modules)))")
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
