"""``gklint agenda`` (contract section 11): open deadlines and duties due within N working days.

The log below is checked on Monday 2019-06-10; 2019-06-07 (Friday) was the Dragon Boat Festival,
so the five working days after a request of 2019-05-31 end on the as-of day itself.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import Workspace, stderr_of

from gklint.commands.agenda import AgendaItem, agenda_items, group_of
from gklint.model import Finding

RULES = """\
- id: R-REPLY
  title: {zh: 申请5个工作日内答复, en: Reply within 5 working days}
  clause: 第三条
  deadline: {after: received, expect: answered, within: 5 working days}
- id: R-MONTHLY
  title: {zh: 每月信息发布情况次月14日前报送, en: Monthly report by the 14th}
  due: {expect: published, period: month, offset: 1, by: 14}
"""
LOG = """\
date,event,case,unit
2019-05-10,published,,
2019-05-20,received,G,办公室
2019-05-27,received,B,"法规司,督查室"
2019-05-31,received,C,办公室
2019-06-03,received,A,办公室
2019-06-04,answered,A,办公室
2019-06-05,answered,G,办公室
2019-06-05,received,D,政策研究室
2019-06-10,received,E,办公室
"""
# (rule, case or period, due, working days left), most urgent first.
EXPECTED = [
    ("R-REPLY", "B", "2019-06-03", -4),      # 06-04, 06-05, 06-06, 06-10 since: 4 working days late
    ("R-REPLY", "C", "2019-06-10", 0),
    ("R-REPLY", "D", "2019-06-13", 3),
    ("R-MONTHLY", "2019-05", "2019-06-14", 4),
    ("R-REPLY", "E", "2019-06-17", 5),
]


@pytest.fixture
def agenda_ws(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    ws.log(LOG)
    return ws


def agenda_json(ws: Workspace, *args: str) -> dict[str, Any]:
    result = ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--format", "json", *args)
    assert result.exit_code == 0, (result.output, stderr_of(result))
    return json.loads(result.stdout)


def keyed(items: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    return [(i["rule"], i["case"] or i["period"], i["due"], i["days_left"]) for i in items]


def test_agenda_lists_open_items_most_urgent_first_with_working_days_left(agenda_ws: Workspace) -> None:
    report = agenda_json(agenda_ws)
    assert keyed(report["items"]) == EXPECTED
    assert report["within"] == 5 and report["as_of"] == "2019-06-10"
    assert report["summary"] == {"items": 5, "overdue": 1, "today": 1, "this_week": 2, "next_week": 1, "later": 0}
    first = report["items"][0]
    assert first["status"] == "missing" and first["title"] == "Reply within 5 working days"
    assert first["file"] == "events.csv" and first["line"] == 4  # every finding field is kept


def test_agenda_within_counts_working_days_and_keeps_every_overdue_item(agenda_ws: Workspace) -> None:
    assert keyed(agenda_json(agenda_ws, "--within", "3")["items"]) == EXPECTED[:3]
    assert keyed(agenda_json(agenda_ws, "--within", "0")["items"]) == EXPECTED[:2]


def test_agenda_leaves_out_answered_and_late_cases(agenda_ws: Workspace) -> None:
    cases = {i["case"] for i in agenda_json(agenda_ws, "--within", "100")["items"]}
    assert "A" not in cases and "G" not in cases  # answered in time; answered late (a check finding)


def test_agenda_text_reads_in_chinese_grouped_by_urgency(agenda_ws: Workspace) -> None:
    result = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--lang", "zh")
    assert result.exit_code == 0  # overdue items do not fail the run: the agenda is a to-do list
    text = result.stdout
    assert text.splitlines()[0] == "待办事项：检查日期 2019-06-10（周一），5个工作日内到期及已逾期的共 5 项"
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")][1:]
    assert headers == ["已逾期（1 项）", "今天到期（1 项）", "本周到期（2 项）", "下周到期（1 项）"]
    lines = [line for line in text.splitlines() if line.startswith("  ")]
    assert lines[0].startswith("  2019-06-03 周一  已逾期4个工作日")
    assert "法规司,督查室" in lines[0] and "申请5个工作日内答复（R-REPLY）" in lines[0]
    assert lines[0].endswith("events.csv:4")
    assert lines[1].startswith("  2019-06-10 周一  今天到期")
    assert lines[2].startswith("  2019-06-13 周四  还剩3个工作日")
    assert "2019-05" in lines[3] and "每月信息发布情况次月14日前报送（R-MONTHLY）" in lines[3]
    # Columns line up: the unit starts at the same display column on every line.
    assert len({line.index("  ", 18) for line in lines[2:]}) == 1


def test_agenda_text_in_english_and_when_nothing_is_due(agenda_ws: Workspace) -> None:
    text = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--lang", "en").stdout
    assert "\nOverdue (1)\n  2019-06-03 Mon  4 working days overdue" in text
    assert "3 working days left" in text
    agenda_ws.log("date,event,case\n2019-06-03,received,A\n2019-06-04,answered,A\n")
    result = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-05", "--lang", "zh")
    assert result.exit_code == 0 and result.stdout.endswith("没有待办事项。\n")


def test_agenda_xlsx_needs_o_and_reads_back(agenda_ws: Workspace, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    result = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--format", "xlsx")
    assert result.exit_code == 2 and "-o FILE is required" in stderr_of(result)
    out = tmp_path / "agenda.xlsx"
    result = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--format", "xlsx",
                           "-o", str(out), "--lang", "zh")
    assert result.exit_code == 0, stderr_of(result)
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("截止日期", "剩余工作日", "分组")
    assert [(r[0].date(), r[1], r[2]) for r in rows[1:]] == [
        (dt.date.fromisoformat(due), left, group) for (_, _, due, left), group in
        zip(EXPECTED, ["已逾期", "今天到期", "本周到期", "本周到期", "下周到期"])]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L6"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_agenda_bad_input_is_exit_2(agenda_ws: Workspace) -> None:
    result = agenda_ws.cli("agenda", "nosuch.csv", "-r", "rs.yaml", "--as-of", "2019-06-10")
    assert result.exit_code == 2 and "nosuch.csv" in stderr_of(result)
    result = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--within", "-1")
    assert result.exit_code == 2


def _finding(status: str, due: str) -> Finding:
    return Finding(rule="R", severity="error", status=status, message={"en": "m"}, due=due)


class _Rule:
    kind = "deadline"
    title: ClassVar[dict[str, str]] = {"en": "t"}


class _Calendar:
    @staticmethod
    def workdays_between(a: dt.date, b: dt.date) -> int:
        return (b - a).days


def test_agenda_items_skip_a_pending_deadline_whose_clock_is_stopped() -> None:
    """A pending finding past its due date is a paused deadline (contract section 9): nothing is
    due. A missing one with the same date is overdue."""
    as_of = dt.date(2019, 6, 10)
    findings = [_finding("pending", "2019-06-01"), _finding("missing", "2019-06-01"),
                _finding("pending", "2019-06-12T17:00")]
    items = agenda_items(findings, {"R": _Rule()}, _Calendar(), as_of, 5)
    assert [(i.finding.status, i.days_left, i.group) for i in items] == [
        ("missing", -9, "overdue"), ("pending", 2, "this_week")]
    assert isinstance(items[0], AgendaItem)


@pytest.mark.parametrize(("due", "group"), [
    ("2019-06-09", "overdue"), ("2019-06-10", "today"), ("2019-06-16", "this_week"),
    ("2019-06-17", "next_week"), ("2019-06-23", "next_week"), ("2019-06-24", "later")])
def test_group_of_by_calendar_week(due: str, group: str) -> None:
    assert group_of(dt.date.fromisoformat(due), dt.date(2019, 6, 10)) == group


def test_agenda_ics_is_rfc5545_and_icalendar_reads_it_back(agenda_ws: Workspace) -> None:
    icalendar = pytest.importorskip("icalendar")
    result = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--format", "ics",
                           "--lang", "zh", env={"SOURCE_DATE_EPOCH": "1560124800"})
    assert result.exit_code == 0, stderr_of(result)
    raw = result.stdout_bytes
    # RFC 5545 §3.1: CRLF line ends, no line longer than 75 octets, folds never split a character.
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))  # the Chinese descriptions are folded
    cal = icalendar.Calendar.from_ical(raw)
    assert (str(cal["VERSION"]), str(cal["METHOD"])) == ("2.0", "PUBLISH") and str(cal["PRODID"])
    events = cal.walk("VEVENT")
    assert [(e.decoded("DTSTART"), e.decoded("DTEND") - e.decoded("DTSTART")) for e in events] == [
        (dt.date.fromisoformat(due), dt.timedelta(days=1)) for _, _, due, _ in EXPECTED]
    assert b"DTSTART;VALUE=DATE:20190603\r\n" in raw  # all-day events, as Outlook, WPS and DingTalk read them
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[0] == "【已逾期】申请5个工作日内答复：B（法规司,督查室）"  # the comma is escaped in the file
    assert "（法规司\\,督查室）" in raw.decode("utf-8").replace("\r\n ", "")
    assert summaries[3] == "每月信息发布情况次月14日前报送：2019-05"
    description = str(events[0]["DESCRIPTION"])
    assert "events.csv:4" in description and "R-REPLY 第三条" in description and "已逾期4个工作日" in description
    assert len({str(e["UID"]) for e in events}) == 5
    assert all(e.decoded("DTSTAMP") == dt.datetime(2019, 6, 10, tzinfo=dt.timezone.utc) for e in events)


def test_agenda_ics_uid_is_stable_when_an_extension_moves_the_due_date(agenda_ws: Workspace) -> None:
    """The UID names the obligation, not its due date: re-importing updates the event."""
    def uids(as_of: str) -> dict[str, str]:
        from icalendar import Calendar

        out = agenda_ws.cli("agenda", "events.csv", "-r", "rs.yaml", "--as-of", as_of, "--format", "ics").stdout_bytes
        return {str(e["SUMMARY"]): str(e["UID"]) for e in Calendar.from_ical(out).walk("VEVENT")}

    pytest.importorskip("icalendar")
    before, after = uids("2019-06-10"), uids("2019-06-11")
    assert before["Reply within 5 working days: E (办公室)"] == after["Reply within 5 working days: E (办公室)"]


def test_ics_folding_and_escaping() -> None:
    from gklint.ics import escape_text, fold

    assert escape_text("a,b;c\\d\r\ne\nf\x00") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "答复" * 40
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert parts[-1] == b"" and all(len(p) <= 75 for p in parts)
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode("utf-8") == line
    assert fold("SUMMARY:short") == "SUMMARY:short\r\n"


def test_start_up_loads_no_report_or_agenda_code() -> None:
    import subprocess
    import sys

    code = ("import sys, gklint.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('openpyxl', 'icalendar') or m in ('gklint.ics', 'gklint.commands.agenda', 'gklint.reporters.labels')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
