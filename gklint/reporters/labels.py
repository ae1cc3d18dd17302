"""Words the reports people read (html, xlsx, agenda) put around the findings, in both languages.

The JSON keys stay the machine names; these are the column headers and the status and severity
words a reader sees.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

STATUS = {
    "late": ("逾期完成", "late"),
    "missing": ("逾期未办", "missing"),
    "too_few": ("次数不足", "too few"),
    "too_many": ("次数过多", "too many"),
    "below_ratio": ("比例不足", "below ratio"),
    "unpreceded": ("缺少前置环节", "unpreceded"),
    "invalid": ("数据有误", "invalid"),
    "pending": ("未到期", "pending"),
    "unknown": ("无法判断", "unknown"),
    "waived": ("已豁免", "waived"),
}
SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}

# Every key a finding's JSON may carry (contract sections 5, 10, 13, 14), in its order, and the
# header a person reads for it.
FIELDS = {
    "rule": ("规则", "rule"),
    "ruleset": ("规则集", "ruleset"),
    "severity": ("严重级别", "severity"),
    "status": ("状态", "status"),
    "message": ("说明", "message"),
    "file": ("文件", "file"),
    "line": ("行号", "line"),
    "case": ("编号", "case"),
    "unit": ("部门", "unit"),
    "period": ("期间", "period"),
    "start": ("起算日期", "start"),
    "due": ("截止日期", "due"),
    "actual": ("实际日期", "actual"),
    "overdue": ("逾期", "overdue"),
    "overdue_unit": ("逾期单位", "overdue unit"),
    "column": ("列", "column"),
    "group": ("分组", "group"),
    "response": ("答复所在行", "response row"),
}
OVERDUE_UNIT = {"working_days": ("个工作日", "working days"), "days": ("日", "days"), "hours": ("小时", "hours")}
UNIT_NAME = {"working_days": ("工作日", "working days"), "days": ("日", "days"), "hours": ("小时", "hours")}  # a column's value
DATE_FIELDS = ("start", "due", "actual")
NO_UNIT = ("（未注明部门）", "(no unit)")
WEEKDAYS_ZH = "一二三四五六日"


def word(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    """``key`` in ``lang``; a key the table does not know is shown as it is."""
    if key is None:
        return ""
    pair = table.get(key)
    return key if pair is None else pair[lang != "zh"]


def overdue_text(overdue: dict[str, Any] | None, lang: str) -> str:
    """``2个工作日`` / ``2 working days``; empty when not overdue."""
    if not overdue:
        return ""
    unit = word(OVERDUE_UNIT, overdue.get("unit"), lang)
    return f"{overdue.get('value')}{unit}" if lang == "zh" else f"{overdue.get('value')} {unit}"


def overdue_days(overdue: dict[str, Any] | None) -> float:
    """How late, in days, for sorting findings of different units together (hours / 24)."""
    if not overdue or not isinstance(overdue.get("value"), (int, float)):
        return 0.0
    value = float(overdue["value"])
    return value / 24 if overdue.get("unit") == "hours" else value


def location_text(record: dict[str, Any]) -> str:
    """``FILE:LINE [COLUMN]`` of a finding's JSON record (the column when a ledger names one)."""
    where = record.get("file") or record.get("period") or ""
    if record.get("file") and record.get("line"):
        where = f"{record['file']}:{record['line']}"
    if record.get("column"):
        where += f" [{record['column']}]"
    return where


def cell_text(value: Any) -> str:
    """A JSON value as a short text: a group ``{"ATTR": "V"}`` as ``ATTR=V``, a response
    ``{"file": F, "line": N}`` as ``F:N``."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if set(value) == {"file", "line"}:
            return f"{value['file']}:{value['line']}"
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


def parse_iso(text: Any) -> dt.date | dt.datetime | None:
    """A finding's date field (``2021-06-01`` or ``2021-06-01T09:30``) as a date or datetime."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        return None


def month_of(record: dict[str, Any]) -> str | None:
    """The month a finding belongs to: of its due date, else of its period, its actual date or its
    start (``2019-06``); None when it has no date at all (most data findings)."""
    for key in ("due", "period", "actual", "start"):
        value = record.get(key)
        if isinstance(value, str) and len(value) >= 7 and value[4] == "-" and value[5:7].isdigit():
            return value[:7]
    return None
