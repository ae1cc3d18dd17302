"""``gklint agenda``: what is still open and due within N working days (contract section 11).

Built on the check itself, not beside it: the log is checked with pending findings kept, and the
agenda is the ``pending`` and ``missing`` findings of ``deadline`` and ``due`` rules (a trigger with
no response yet; a periodic duty not yet met) whose due date is at most N working days after
as-of. Overdue ones come first, then by due date; each carries its working days left, negative
when overdue (the working days in (due, as-of]).

A ``pending`` finding whose due date is already past is a deadline whose clock is stopped (a
``pause`` with no end yet, contract section 9): nothing is due, so it is not on the agenda.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from gklint.errors import EXIT_OK
from gklint.model import Finding

AGENDA_KINDS = ("deadline", "due")
FORMATS = ("text", "json", "xlsx", "ics")
GROUPS = {  # in the order they are shown
    "overdue": ("已逾期", "Overdue"),
    "today": ("今天到期", "Due today"),
    "this_week": ("本周到期", "Due this week"),
    "next_week": ("下周到期", "Due next week"),
    "later": ("之后到期", "Due later"),
}


@dataclass(frozen=True)
class AgendaItem:
    finding: Finding
    due: dt.date  # the due date (a due time, for limits in hours, is in finding.due)
    days_left: int  # working days in (as-of, due]; minus those in (due, as-of] when overdue
    group: str  # a key of GROUPS
    title: dict[str, str]  # the rule's title

    def record(self, lang: str) -> dict[str, Any]:
        """The finding's JSON record, with the rule's title and the working days left."""
        return {**self.finding.to_json(lang), "title": self.title.get(lang) or self.title.get("en", ""),
                "days_left": self.days_left}


def group_of(due: dt.date, as_of: dt.date) -> str:
    if due < as_of:
        return "overdue"
    if due == as_of:
        return "today"
    monday = as_of - dt.timedelta(days=as_of.weekday())
    if due < monday + dt.timedelta(days=7):
        return "this_week"
    if due < monday + dt.timedelta(days=14):
        return "next_week"
    return "later"


def agenda_items(findings: Sequence[Finding], rules: dict[str, Any], calendar: Any, as_of: dt.date,
                 within: int) -> list[AgendaItem]:
    """The findings that are on the agenda, most urgent first."""
    items: list[AgendaItem] = []
    for f in findings:
        rule = rules.get(f.rule)
        if rule is None or rule.kind not in AGENDA_KINDS or f.status not in ("pending", "missing") or not f.due:
            continue
        due = dt.date.fromisoformat(f.due[:10])
        if f.status == "pending" and due < as_of:
            continue  # a stopped clock (see the module docstring)
        days_left = calendar.workdays_between(as_of, due)
        if due > as_of and days_left > within:
            continue
        items.append(AgendaItem(f, due, days_left, group_of(due, as_of), rule.title))
    items.sort(key=lambda i: (i.due, i.finding.due or "", i.finding.unit or "", i.finding.sort_key))
    return items


def agenda(request: Any, within: int) -> int:
    """Run the check behind the agenda and write the agenda in ``request.output_format``."""
    from dataclasses import replace

    from gklint.calendar import load_calendar
    from gklint.commands.check import execute, raise_needs_file, run_inputs
    from gklint.output import open_output

    fmt = request.output_format
    if fmt == "xlsx" and request.output is None:
        raise_needs_file(fmt)
    result = execute(replace(request, show_pending=True, output_format="agenda"))
    rules = {r.id: r for rs in result.rulesets for r in rs.rules}
    items = agenda_items(result.findings, rules, load_calendar(request.calendar), result.as_of, within)
    with open_output(request.output, inputs=run_inputs(result, request), binary=fmt == "xlsx") as out:
        if fmt == "json":
            write_json(items, result.as_of, within, request.lang, out)
        elif fmt == "xlsx":
            from gklint.reporters.xlsx import write_agenda

            write_agenda(items, result.as_of, request.lang, out)
        elif fmt == "ics":
            from gklint.ics import write_calendar

            write_calendar(items, result.as_of, request.lang, rules, out)
        else:
            write_text(items, result.as_of, within, request.lang, out)
    return EXIT_OK


def summary(items: Sequence[AgendaItem]) -> dict[str, int]:
    counts = {"items": len(items)}
    counts.update({g: sum(i.group == g for i in items) for g in GROUPS})
    return counts


def write_json(items: Sequence[AgendaItem], as_of: dt.date, within: int, lang: str, out: IO[str]) -> None:
    import json

    from gklint import __version__

    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write(f'{{"gklint": {encode(__version__)}, "as_of": {encode(as_of.isoformat())}, "within": {within},\n'
              ' "items": [')
    out.write(",".join("\n  " + encode(i.record(lang)) for i in items))
    out.write(("\n ]" if items else "]") + f',\n "summary": {encode(summary(items))}}}\n')


def days_left_text(item: AgendaItem, lang: str) -> str:
    n = item.days_left
    if lang == "zh":
        if item.group == "overdue":
            return f"已逾期{-n}个工作日" if n else "已逾期"
        if item.group == "today":
            return "今天到期"
        return f"还剩{n}个工作日"
    if item.group == "overdue":
        return f"{-n} working day{'s' if n != -1 else ''} overdue" if n else "overdue"
    if item.group == "today":
        return "due today"
    return f"{n} working day{'s' if n != 1 else ''} left"


def _weekday(d: dt.date, lang: str) -> str:
    from gklint.reporters.labels import WEEKDAYS_ZH

    return f"周{WEEKDAYS_ZH[d.weekday()]}" if lang == "zh" else d.strftime("%a")


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` display columns (a Chinese character takes two)."""
    return text + " " * max(width - _display(text), 0)


def _one_line(text: str) -> str:
    """A cell of the log on one line of the agenda, safe on a terminal (a line break as ``\\n``,
    control characters escaped: gklint.display)."""
    from gklint.display import for_terminal

    return for_terminal(text)


def write_text(items: Sequence[AgendaItem], as_of: dt.date, within: int, lang: str, out: IO[str]) -> None:
    """Grouped (已逾期 / 今天到期 / 本周到期 …), one item a line: due date and weekday, working
    days left, unit, case or period, the rule's title and id, and where the trigger row is."""
    from gklint.reporters.labels import location_text

    zh = lang == "zh"
    if zh:
        out.write(f"待办事项：检查日期 {as_of.isoformat()}（{_weekday(as_of, lang)}），"
                  f"{within}个工作日内到期及已逾期的共 {len(items)} 项\n")
    else:
        out.write(f"Agenda as of {as_of.isoformat()} ({_weekday(as_of, lang)}): {len(items)} item"
                  f"{'s' if len(items) != 1 else ''} overdue or due within {within} working days\n")
    if not items:
        out.write("没有待办事项。\n" if zh else "Nothing is due.\n")
        return
    width_days = max(_display(days_left_text(i, lang)) for i in items)
    width_unit = max(_display(_one_line(i.finding.unit or "-")) for i in items)
    width_case = max(_display(_one_line(i.finding.case or i.finding.period or "-")) for i in items)
    for group, (label_zh, label_en) in GROUPS.items():
        members = [i for i in items if i.group == group]
        if not members:
            continue
        out.write(f"\n{label_zh}（{len(members)} 项）\n" if zh else f"\n{label_en} ({len(members)})\n")
        for i in members:
            f = i.finding
            record = f.to_json(lang)
            title = _one_line(i.title.get(lang) or i.title.get("en") or "")
            what = f"{title}（{f.rule}）" if zh else f"{title} ({f.rule})"
            due = f.due.replace("T", " ") if f.due else i.due.isoformat()
            out.write(f"  {due} {_weekday(i.due, lang)}  {_pad(days_left_text(i, lang), width_days)}  "
                      f"{_pad(_one_line(f.unit or '-'), width_unit)}  "
                      f"{_pad(_one_line(f.case or f.period or '-'), width_case)}  "
                      f"{what}" + (f"  {_one_line(location_text(record))}" if f.file else "") + "\n")


def _display(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
