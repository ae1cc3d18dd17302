"""``gklint agenda --format ics``: one all-day event per agenda item on its due date (RFC 5545).

Written by hand (a few dozen lines; no dependency): what Outlook, WPS and DingTalk import is
``VCALENDAR`` with ``VERSION:2.0``, ``PRODID`` and ``METHOD:PUBLISH``, and ``VEVENT``s with ``UID``,
``DTSTAMP``, ``DTSTART;VALUE=DATE`` and ``DTEND;VALUE=DATE`` (the next day: an all-day event,
RFC 5545 §3.6.1). Lines end in CRLF and are folded at 75 octets without splitting a UTF-8
character (§3.1); text escapes backslash, semicolon, comma and line breaks (§3.3.11).

A UID is made from what identifies the obligation (rule, file, line, case, unit, period, start),
not from its due date, so importing next Monday's agenda updates an event whose due date an
extension moved rather than adding a second one. ``DTSTAMP`` is the time the file is written
(UTC), or ``SOURCE_DATE_EPOCH`` when set (reproducible builds' convention).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Sequence
from typing import IO, Any

PRODID = "-//gklint//gklint agenda//ZH"


def escape_text(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11); other control characters, which a TEXT value may
    not hold (§3.1), are dropped."""
    text = (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))
    return _CONTROL.sub("", text)


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1): CRLF and one space before each continuation,
    never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts) + "\r\n"


def uid(item: Any) -> str:
    f = item.finding
    key = "\x1f".join(str(v) for v in (f.rule, f.file, f.line, f.case, f.unit, f.period, f.start))
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()[:24]}@gklint"


def _stamp() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit()
            else dt.datetime.now(dt.timezone.utc))
    return when.strftime("%Y%m%dT%H%M%SZ")


def summary_text(item: Any, lang: str) -> str:
    """``【已逾期】依申请公开答复：依申〔2019〕3号（办公室）``: what, for which case or period, whose."""
    f = item.finding
    title = item.title.get(lang) or item.title.get("en") or f.rule
    which = f.case or f.period
    if lang == "zh":
        prefix = "【已逾期】" if item.group == "overdue" else ""
        return f"{prefix}{title}" + (f"：{which}" if which else "") + (f"（{f.unit}）" if f.unit else "")
    prefix = "[overdue] " if item.group == "overdue" else ""
    return f"{prefix}{title}" + (f": {which}" if which else "") + (f" ({f.unit})" if f.unit else "")


def write_calendar(items: Sequence[Any], as_of: dt.date, lang: str, rules: dict[str, Any], out: IO[str]) -> None:
    from gklint.commands.agenda import days_left_text
    from gklint.reporters.labels import location_text

    zh = lang == "zh"
    stamp = _stamp()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:" + escape_text("gklint 待办事项" if zh else "gklint agenda")]
    for item in items:
        f = item.finding
        rule = rules.get(f.rule)
        description = [f.text(lang), location_text(f.to_json(lang)),
                       f"{f.rule}" + (f" {rule.clause}" if rule is not None and rule.clause else ""),
                       (f"检查日期 {as_of.isoformat()}：" if zh else f"As of {as_of.isoformat()}: ")
                       + days_left_text(item, lang)]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid(item)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(item.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            "SUMMARY:" + escape_text(summary_text(item, lang)),
            "DESCRIPTION:" + escape_text("\n".join(d for d in description if d)),
            *(["CATEGORIES:" + escape_text(f.unit)] if f.unit else []),
            "TRANSP:TRANSPARENT",  # a due date, not a meeting: the day stays free
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    out.write("".join(fold(line) for line in lines))
