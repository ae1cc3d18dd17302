"""``gklint calendar is-workday | add | count | year`` as plain functions."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from gklint.calendar import WorkCalendar, holidays_version, load_calendar
from gklint.commands import calendar_cmd
from gklint.errors import GklintError


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return load_calendar("CN")


def call(fn, *args: object, **kwargs: object) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    code = fn(*args, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("text", "answer"),
    [("2018-09-29", "yes"), ("2018/10/1", "no"), ("2018年5月17日", "yes"), ("2018-05-19", "no"),
     ("2018-05-18T20:00:00Z", "no"),  # Saturday 2018-05-19 04:00 in China Standard Time
     ("2018-05-18T12:00:00Z", "yes")],
)
def test_is_workday(cal: WorkCalendar, text: str, answer: str) -> None:
    assert call(calendar_cmd.is_workday, cal, text) == (0, f"{answer}\n", "")


@pytest.mark.parametrize(
    ("start", "n", "answer"),
    [("2018-09-28", 3, "2018-10-08"), ("2018.9.28", "3", "2018-10-08"), ("2018-10-01", 0, "2018-10-01"),
     ("2019-04-26", 7, "2019-05-08")],
)
def test_add(cal: WorkCalendar, start: str, n: int | str, answer: str) -> None:
    assert call(calendar_cmd.add, cal, start, n) == (0, f"{answer}\n", "")


def test_count(cal: WorkCalendar) -> None:
    assert call(calendar_cmd.count, cal, "2018-09-28", "2018-10-08") == (0, "3\n", "")
    assert call(calendar_cmd.count, cal, "2018-10-08", "2018-09-28") == (0, "-3\n", "")


def test_year_lists_days_off_and_make_up_days(cal: WorkCalendar) -> None:
    code, out, err = call(calendar_cmd.year, cal, 2018, lang="zh")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "2018 放假 Days off:"
    assert "  2018-10-01 周一  国庆节" in lines
    assert "  2018-12-31 周一  休息日（由 2018-12-29 调休）" in lines
    split = lines.index("2018 调休上班 Make-up working days:")
    assert lines[split + 1:] == [f"  {d} {w}" for d, w in [
        ("2018-02-11", "周日"), ("2018-02-24", "周六"), ("2018-04-08", "周日"), ("2018-04-28", "周六"),
        ("2018-09-29", "周六"), ("2018-09-30", "周日"), ("2018-12-29", "周六")]]


def test_year_in_english_and_bilingual(cal: WorkCalendar) -> None:
    _, out, _ = call(calendar_cmd.year, cal, "2019", lang="en")
    assert "  2019-10-01 Tue  National Day" in out.splitlines()
    _, out, _ = call(calendar_cmd.year, cal, 2019, lang=None)
    assert "  2019-10-01 周二 Tue  国庆节 National Day" in out.splitlines()


WARNING = (f"警告/warning: 2027 is not covered by the official calendar (no State Council notice in "
           f"holidays {holidays_version()}); assuming weekends and statutory holidays only — add an "
           f"overlay with --calendar\n")


def test_uncovered_year_warns_once(cal: WorkCalendar) -> None:
    code, out, err = call(calendar_cmd.year, cal, 2027, lang="zh")
    assert code == 0 and err == WARNING
    assert "  2027-10-01 周五  国庆节" in out.splitlines()
    assert out.rstrip().endswith("(无 none)")
    assert call(calendar_cmd.is_workday, cal, "2027-10-01") == (0, "no\n", WARNING)
    code, out, err = call(calendar_cmd.count, cal, "2026-12-01", "2027-12-01")
    assert err == WARNING  # one warning per uncovered year, not per date
    code, out, err = call(calendar_cmd.add, cal, "2026-12-30", 5)
    assert err == WARNING


def test_overlay_silences_the_warning(tmp_path: Path) -> None:
    path = tmp_path / "cn2027.yaml"
    path.write_text("extends: CN\ncovers: [2027]\ndays_off: ['2027-10-01..2027-10-07']\n", encoding="utf-8")
    overlay = load_calendar(path)
    assert call(calendar_cmd.is_workday, overlay, "2027-10-04") == (0, "no\n", "")


@pytest.mark.parametrize(
    ("fn", "args", "fragment"),
    [
        (calendar_cmd.is_workday, ("2018-02-30",), "impossible date"),
        (calendar_cmd.is_workday, ("tomorrow",), "unreadable date"),
        (calendar_cmd.add, ("2018-05-17", -1), "must not be negative"),
        (calendar_cmd.add, ("2018-05-17", "three"), "whole number"),
        (calendar_cmd.count, ("2018-05-17", ""), "empty date"),
        (calendar_cmd.year, ("MMXVIII",), "YEAR must be a year"),
        (calendar_cmd.year, (0,), "YEAR must be between"),
    ],
)
def test_bad_input_raises_gklint_error(cal: WorkCalendar, fn, args: tuple[object, ...], fragment: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GklintError) as info:
        call(fn, cal, *args)
    assert fragment in str(info.value)
    assert info.value.exit_code == 2


def test_default_error_stream_is_stderr(cal: WorkCalendar, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert calendar_cmd.is_workday(cal, "2027-01-04", out) == 0
    assert out.getvalue() == "yes\n"
    assert "2027 is not covered" in capsys.readouterr().err
