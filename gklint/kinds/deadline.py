"""deadline: every ``after`` event needs an ``expect`` event within ``within``.

Contract section 4. For each trigger T inside the effective window, the response is the
earliest ``expect`` event with the same ``match`` values dated on or after T's date.
Responses are not used up: two triggers of one case (a request and its repeat) that one reply
follows are both answered by it, each judged against its own due date. A response dated before
every trigger of its case answers none of them and is reported as GK005.

PASS (``within: 3 working days``; 2018-09-29/30 were make-up working days)::

    2018-09-28,policy_document_published,国知发〔2018〕1号
    2018-10-08,interpretation_published,国知发〔2018〕1号

FAIL (late by 1 working day)::

    2018-09-28,policy_document_published,国知发〔2018〕1号
    2018-10-09,interpretation_published,国知发〔2018〕1号
"""
from __future__ import annotations

import bisect
import operator
from collections.abc import Iterator
from itertools import compress
from typing import Any, NamedTuple

from gklint.kinds.base import (
    EVENT_REF_SCHEMA,
    CompileContext,
    EvalContext,
    EventRef,
    Problem,
    columns_zh,
    match_key,
    missing_in_key,
)
from gklint.model import Event, msg

NAME = "deadline"
FAST_PATH = True  # the date-only shortcut in evaluate(); tests/test_differential.py turns it off
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["after", "expect", "within"],
    "additionalProperties": False,
    "properties": {
        "after": EVENT_REF_SCHEMA,
        "expect": EVENT_REF_SCHEMA,
        "within": {"type": ["string", "integer"]},
        "match": {"type": "array", "items": {"type": "string"}},
        "extend": {
            "type": "object", "required": ["by", "up_to"], "additionalProperties": False,
            "properties": {"by": EVENT_REF_SCHEMA, "up_to": {"type": ["string", "integer"]}},
        },
        "restart": EVENT_REF_SCHEMA,
    },
}


class Deadline(NamedTuple):
    after: EventRef
    expect: EventRef
    within: Any  # Duration
    match: tuple[str, ...]
    extend_by: EventRef | None
    extend_up_to: Any  # Duration | None
    restart: EventRef | None


def compile(spec: dict[str, Any], ctx: CompileContext) -> Deadline:
    extend = spec.get("extend")
    return Deadline(
        after=ctx.ref(spec["after"], ["after"]),
        expect=ctx.ref(spec["expect"], ["expect"]),
        within=ctx.duration(spec["within"], ["within"]),
        match=ctx.columns(spec.get("match"), ["case"]),
        extend_by=ctx.ref(extend["by"], ["extend", "by"]) if extend else None,
        extend_up_to=ctx.duration(extend["up_to"], ["extend", "up_to"]) if extend else None,
        restart=ctx.ref(spec["restart"], ["restart"]) if spec.get("restart") else None,
    )


def describe(rule: Deadline, lang: str, label: Any) -> str:
    after = rule.after.describe(lambda n: label(n, lang), lang)
    expect = rule.expect.describe(lambda n: label(n, lang), lang)
    within = rule.within.describe(lang)
    if lang == "zh":
        text = f"每个“{after}”之后，须在{within}内有相同{columns_zh(rule.match)}的“{expect}”。"
        if rule.extend_by:
            text += f"在期限内记录“{label(rule.extend_by.event, lang)}”的，期限延长{rule.extend_up_to.describe(lang)}。"
        if rule.restart:
            text += f"“{label(rule.restart.event, lang)}”之后重新起算。"
        return text
    text = f"Every '{after}' needs a '{expect}' with the same {', '.join(rule.match)} within {within}."
    if rule.extend_by:
        text += (f" A '{label(rule.extend_by.event, lang)}' on or before the due date extends it by "
                 f"{rule.extend_up_to.describe(lang)}.")
    if rule.restart:
        text += f" A '{label(rule.restart.event, lang)}' restarts the count."
    return text


def _start_of(trigger: Event, rule: Deadline) -> Any:
    from gklint.dates import When, parse_when

    if rule.after.date_attr:
        value = trigger.get(rule.after.date_attr)
        if value is None or value == "":
            return None
        return parse_when(str(value))
    return When(trigger.date, trigger.time)


_DATE = operator.attrgetter("date")


def _first_on_or_after(events: list[Event], day: Any) -> Event | None:
    """The earliest of ``events`` (in date order) dated on or after ``day``."""
    i = bisect.bisect_left(events, day, key=_DATE)
    return events[i] if i < len(events) else None


def evaluate(rule: Deadline, ctx: EvalContext) -> Iterator[Problem]:
    from gklint.dates import When
    from gklint.deadlines import compute_due, extend_due, judge

    cal = ctx.calendar
    responses = ctx.index.grouped(rule.expect, rule.match)
    key_of = match_key(rule.match)
    single = len(rule.match) == 1
    dues: dict[Any, Any] = {}  # start -> due: a log repeats a few thousand dates
    extensions: Any = ctx.index.grouped(rule.extend_by, rule.match) if rule.extend_by else {}
    restarts: Any = ctx.index.grouped(rule.restart, rule.match) if rule.restart else {}
    first_trigger: dict[Any, Any] = {}
    # The common case -- a date-based limit counted from the trigger's own date, answered by the
    # due date -- is decided from dates alone, without building the verdict: judge() says ok when
    # the response is on or before the due date, and an extension or a restart only moves the
    # due date later, so they cannot change an ok.
    plain = FAST_PATH and rule.within.unit != "hours" and not rule.after.date_attr
    plain_dues: dict[Any, Any] = {}

    triggers = ctx.index.in_window(rule.after, ctx.window_from, ctx.window_until)
    keys = list(map(key_of, triggers))
    wording = _wording(rule, ctx)
    # GK005 (below) asks whether a case's earliest response is dated before its first trigger.
    # That can only be so for a case whose earliest response is dated before one of its
    # triggers, which the fast path sees: only those (few) cases need their first trigger.
    early: set[Any] = set()
    for trigger, key in zip(triggers, keys):
        complete = (key is not None and key != "") if single else (None not in key and "" not in key)
        if plain and complete:
            response = responses.first.get(key)  # the earliest response; most cases have one
            if response is not None:
                day = trigger.date
                if response.date < day:  # the first is too early: a later one of the case, if any
                    early.add(key)
                    response = (None if responses.latest(key).date < day
                                else _first_on_or_after(responses[key], day))
                if response is not None:
                    due_date = plain_dues.get(day)
                    if due_date is None:
                        due_date = plain_dues[day] = compute_due(When(day, None), rule.within, cal).date
                    if response.date <= due_date:
                        continue
        if not complete:
            missing = missing_in_key(rule.match, key)
            names_zh = columns_zh(missing)
            yield Problem("invalid", msg(f"缺少匹配所需的单元格：{names_zh}",
                                         f"the row has no {', '.join(missing)} to match its response by"),
                          file=trigger.file, line=trigger.line, rule="GK003", severity="error")
            continue
        try:
            start = _start_of(trigger, rule)
        except ValueError:
            yield Problem("invalid", msg(f"属性“{rule.after.date_attr}”不是可识别的日期",
                                         f"the attribute {rule.after.date_attr!r} is not a readable date"),
                          file=trigger.file, line=trigger.line, case=trigger.case, unit=trigger.unit,
                          rule="GK001", severity="error")
            continue
        if start is None:  # `date: ATTR` and the row leaves that cell empty: nothing to count from
            yield Problem("invalid", msg(f"必填单元格为空：{rule.after.date_attr}（期限的起算日期）",
                                         f"required cell is empty: {rule.after.date_attr} (the date the time "
                                         "limit counts from)"),
                          file=trigger.file, line=trigger.line, case=trigger.case, unit=trigger.unit,
                          rule="GK003", severity="error")
            continue
        first_trigger.setdefault(key, trigger.date)
        candidates = responses.get(key, [])
        response = _first_on_or_after(candidates, trigger.date)

        if rule.restart:
            limit = response.date if response else ctx.as_of
            later = [ev for ev in restarts.get(key, []) if trigger.date < ev.date <= limit]
            if later:
                start = When(later[-1].date, later[-1].time)
        due = dues.get(start)
        if due is None:
            due = dues[start] = compute_due(start, rule.within, cal)
        if rule.extend_by:
            for ext in extensions.get(key, []):
                if trigger.date < ext.date <= due.date:  # after T (not after a `date:` start), on or before D
                    due = extend_due(due, rule.extend_up_to, cal)
                    break
        response_when = When(response.date, response.time) if response else None
        verdict = judge(start, due, response_when, rule.within, cal, ctx.as_of)
        if verdict.status == "ok":
            continue
        yield Problem(
            verdict.status, _message(wording, ctx, verdict, due, response_when),
            file=trigger.file, line=trigger.line, case=trigger.case, unit=trigger.unit,
            start=_iso(start), due=_iso(due), actual=_iso(response_when) if response_when else None,
            overdue={"value": verdict.overdue, "unit": verdict.unit} if verdict.overdue is not None else None,
            response={"file": response.file, "line": response.line} if response else None,
        )

    if early:  # (plain) each such case's first trigger, in C: the triggers are in date order
        picked = list(compress(zip(keys, map(_DATE, triggers)), map(early.__contains__, keys)))
        first_trigger.update(reversed(picked))  # the earliest of a case is written last
    # GK005: a response dated before the first trigger of its case (a case with both: the
    # triggers in the window are often far fewer than the responses).
    earliest_of = responses.first
    for key, first in first_trigger.items():
        earliest = earliest_of.get(key)
        if earliest is None or earliest.date >= first:
            continue
        for ev in responses[key]:
            if ev.date >= first:
                break
            yield Problem("invalid", msg(
                f"“{ctx.label(rule.expect.event, 'zh')}”早于“{ctx.label(rule.after.event, 'zh')}”"
                f"（{first.isoformat()}），请核对日期",
                f"'{ctx.label(rule.expect.event, 'en')}' is dated before its trigger "
                f"'{ctx.label(rule.after.event, 'en')}' ({first.isoformat()}); check the dates"),
                file=ev.file, line=ev.line, case=ev.case, unit=ev.unit, actual=ev.date.isoformat(),
                rule="GK005", severity="warning")


def _iso(when: Any) -> str:
    if when.time is None:
        return when.date.isoformat()
    return f"{when.date.isoformat()}T{when.time.strftime('%H:%M')}"


_UNIT_ZH = {"working_days": "个工作日", "days": "日", "hours": "小时"}
_UNIT_EN = {"working_days": "working day", "days": "day", "hours": "hour"}


def _wording(rule: Deadline, ctx: EvalContext) -> tuple[str, str, str, str]:
    """The parts of a rule's messages that are the same for every trigger (worked out once)."""
    expect_zh, expect_en = ctx.label(rule.expect.event, "zh"), ctx.label(rule.expect.event, "en")
    after_zh, after_en = ctx.label(rule.after.event, "zh"), ctx.label(rule.after.event, "en")
    within_zh, within_en = rule.within.describe("zh"), rule.within.describe("en")
    return expect_zh, expect_en, f"（{after_zh}后{within_zh}）", f" ({within_en} after '{after_en}')"


def _message(wording: tuple[str, str, str, str], ctx: EvalContext, verdict: Any, due: Any,
             response: Any) -> dict[str, str]:
    expect_zh, expect_en, basis_zh, basis_en = wording
    due_s = _iso(due)
    if verdict.status == "late":
        n = verdict.overdue
        unit_en = _UNIT_EN[verdict.unit] + ("s" if n != 1 else "")
        return msg(f"“{expect_zh}”应于{due_s}前完成{basis_zh}，实际{_iso(response)}完成，逾期{n}{_UNIT_ZH[verdict.unit]}",
                   f"'{expect_en}' was due by {due_s}{basis_en}, happened on {_iso(response)}: "
                   f"{n} {unit_en} late")
    if verdict.status == "missing":
        return msg(f"“{expect_zh}”应于{due_s}前完成{basis_zh}，截至{ctx.as_of.isoformat()}没有记录",
                   f"'{expect_en}' was due by {due_s}{basis_en}; none recorded by {ctx.as_of.isoformat()}")
    if verdict.status == "pending":
        return msg(f"“{expect_zh}”应于{due_s}前完成{basis_zh}，尚未到期",
                   f"'{expect_en}' is due by {due_s}{basis_en}; not yet due")
    return msg(f"“{expect_zh}”应于{due_s}前完成{basis_zh}；记录只有日期没有时间，无法判断是否超时"
               + (f"（实际{_iso(response)}）" if response else ""),
               f"'{expect_en}' was due by {due_s}{basis_en}; the log has dates without times, so whether it "
               "was in time cannot be decided" + (f" (happened {_iso(response)})" if response else ""))
