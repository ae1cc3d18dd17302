"""``--format xlsx`` (contract section 11): a workbook an officer opens in Excel or WPS.

Two sheets: 汇总 / Summary (findings by unit and rule, a count in each cell, totals on the right and
at the bottom) and 问题清单 / Findings (one row per finding: every field of its JSON record, the dates
as Excel dates, the header frozen and filterable). Text goes through
:func:`gklint.output.escape_cell`, so no cell is a formula, whatever the log holds. The sheets are
built in memory and written once, at the end, to a binary ``-o`` file.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from gklint.model import Finding
from gklint.output import escape_cell
from gklint.reporters.base import Reporter
from gklint.reporters.labels import (
    DATE_FIELDS,
    FIELDS,
    NO_UNIT,
    SEVERITY,
    STATUS,
    UNIT_NAME,
    cell_text,
    parse_iso,
    word,
)

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class XlsxReporter(Reporter):
    name = "xlsx"
    binary = True
    needs_file = True

    def start(self, result: Any) -> None:
        self._records: list[dict[str, Any]] = []

    def handle(self, finding: Finding) -> None:
        self._records.append(finding.to_json(self.lang))

    def finish(self, result: Any) -> None:
        from openpyxl import Workbook

        zh = self.lang == "zh"
        wb = Workbook()
        summary = wb.active
        summary.title = "汇总" if zh else "Summary"
        write_summary(summary, self._records, self.rules, self.lang, result)
        findings = wb.create_sheet("问题清单" if zh else "Findings")
        write_findings(findings, self._records, self.rules, self.lang)
        wb.save(self.out)


def finding_columns(records: Sequence[dict[str, Any]]) -> list[str]:
    """The JSON keys of the findings, in contract order (``overdue`` as its value and its unit),
    optional keys only when some finding has them, keys not known here at the end."""
    present: dict[str, None] = {}
    for record in records:
        present.update(dict.fromkeys(record))
    columns = [k for k in FIELDS if k in present or k in _ALWAYS]
    columns += [k for k in present if k not in FIELDS]
    return columns


_ALWAYS = ("rule", "ruleset", "severity", "status", "message", "file", "line", "case", "unit", "period",
           "start", "due", "actual", "overdue", "overdue_unit")


def finding_row(record: dict[str, Any], columns: Sequence[str], lang: str) -> list[Any]:
    row: list[Any] = []
    for key in columns:
        value = record.get(key)
        if key == "overdue":
            value = value.get("value") if isinstance(value, dict) else None
        elif key == "overdue_unit":
            overdue = record.get("overdue")
            value = word(UNIT_NAME, overdue.get("unit"), lang) if isinstance(overdue, dict) else None
        elif key == "status":
            value = word(STATUS, value, lang)
        elif key == "severity":
            value = word(SEVERITY, value, lang)
        elif key in DATE_FIELDS:
            value = parse_iso(value) or value
        row.append(value)
    return row



def write_table(ws: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], *, first_row: int = 1) -> None:
    """A header (bold, frozen, with an auto-filter over the table) and its rows. Dates get a date
    format; every other value that is not a number goes in as defused text."""
    import datetime as dt

    from openpyxl.styles import Font

    for j, title in enumerate(header, 1):
        cell = ws.cell(row=first_row, column=j, value=escape_cell(title))
        cell.font = Font(bold=True)
    widths = [_width(h) for h in header]
    for i, values in enumerate(rows, first_row + 1):
        for j, value in enumerate(values, 1):
            if isinstance(value, dt.datetime):
                cell = ws.cell(row=i, column=j, value=value)
                cell.number_format = DATETIME_FORMAT
                width = 16
            elif isinstance(value, dt.date):
                cell = ws.cell(row=i, column=j, value=value)
                cell.number_format = DATE_FORMAT
                width = 11
            elif isinstance(value, bool) or value is None:
                text = "" if value is None else str(value).lower()
                if text:
                    ws.cell(row=i, column=j, value=text)
                width = len(text)
            elif isinstance(value, (int, float)):
                ws.cell(row=i, column=j, value=value)
                width = len(str(value))
            else:
                text = escape_cell(cell_text(value))
                ws.cell(row=i, column=j, value=text)
                width = _width(text)
            widths[j - 1] = max(widths[j - 1], width)
    from openpyxl.utils import get_column_letter

    for j, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 4) + 2, 60)
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A{first_row}:{last}{first_row + len(rows)}"


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_findings(ws: Any, records: Sequence[dict[str, Any]], rules: dict[str, Any], lang: str) -> None:
    columns = finding_columns(records)
    header = [word(FIELDS, k, lang) for k in columns] + ["规则名称" if lang == "zh" else "rule title"]
    rows = [finding_row(r, columns, lang) + [_title(rules, r.get("rule"), lang)] for r in records]
    write_table(ws, header, rows)


def _title(rules: dict[str, Any], rule_id: Any, lang: str) -> str:
    rule = rules.get(rule_id)
    if rule is None:
        from gklint.engine import BUILTIN_RULES

        builtin = BUILTIN_RULES.get(rule_id)
        return builtin["title"].get(lang, "") if builtin else ""
    return rule.title.get(lang) or rule.title.get("en") or ""


def counted(record: dict[str, Any]) -> bool:
    """Findings that count against a unit: not pending, not waived (as the summary line counts)."""
    return record.get("status") not in ("pending", "waived")


def write_summary(ws: Any, records: Sequence[dict[str, Any]], rules: dict[str, Any], lang: str,
                  result: Any) -> None:
    """Units down, rules across, the number of findings (pending and waived ones left out) in
    each cell; a total column and a total row; then each rule's title under the table."""
    zh = lang == "zh"
    active = [r for r in records if counted(r)]
    by_cell = Counter((r.get("unit") or NO_UNIT[not zh], r["rule"]) for r in active)
    units = sorted({u for u, _ in by_cell}, key=lambda u: (-sum(n for (v, _), n in by_cell.items() if v == u), u))
    rule_ids = sorted({r for _, r in by_cell}, key=lambda r: (-sum(n for (_, q), n in by_cell.items() if q == r), r))
    c = result.counts()
    ws.cell(row=1, column=1, value=escape_cell(
        f"检查日期 {result.as_of.isoformat()}：{c['errors']} 个错误，{c['warnings']} 个警告，"
        f"{c['pending']} 项未到期（{c['files']} 个文件，{c['events']} 条事件）" if zh else
        f"As of {result.as_of.isoformat()}: {c['errors']} errors, {c['warnings']} warnings, "
        f"{c['pending']} pending ({c['files']} files, {c['events']} events)"))
    header = ["部门" if zh else "unit", *rule_ids, "合计" if zh else "total"]
    rows: list[list[Any]] = []
    for unit in units:
        counts = [by_cell.get((unit, r), 0) for r in rule_ids]
        rows.append([unit, *counts, sum(counts)])
    totals = [sum(by_cell.get((u, r), 0) for u in units) for r in rule_ids]
    write_table(ws, header, rows, first_row=3)
    total_row = 4 + len(rows)
    from openpyxl.styles import Font

    for j, value in enumerate(["合计" if zh else "total", *totals, sum(totals)], 1):
        ws.cell(row=total_row, column=j, value=value).font = Font(bold=True)
    legend = total_row + 2
    for i, rule_id in enumerate(rule_ids):
        ws.cell(row=legend + i, column=1, value=escape_cell(rule_id))
        ws.cell(row=legend + i, column=2, value=escape_cell(_title(rules, rule_id, lang)))


def write_agenda(items: Sequence[Any], as_of: Any, lang: str, out: Any) -> None:
    """``gklint agenda --format xlsx``: one sheet, one row per item, most urgent first."""
    from openpyxl import Workbook

    from gklint.commands.agenda import GROUPS
    from gklint.reporters.labels import location_text

    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "待办事项" if zh else "Agenda"
    header = (["截止日期", "剩余工作日", "分组", "部门", "编号", "期间", "规则", "规则名称", "说明", "位置", "状态",
               "起算日期"] if zh else
              ["due", "working days left", "group", "unit", "case", "period", "rule", "rule title", "message",
               "location", "status", "start"])
    rows = []
    for item in items:
        f = item.finding
        rows.append([parse_iso(f.due) or item.due, item.days_left, GROUPS[item.group][not zh], f.unit, f.case,
                     f.period, f.rule, item.title.get(lang) or item.title.get("en", ""), f.text(lang),
                     location_text(f.to_json(lang)), word(STATUS, f.status, lang), parse_iso(f.start) or f.start])
    write_table(ws, header, rows)
    wb.save(out)
