"""deadline: every ``after`` event needs an ``expect`` event within ``within``.

Contract sections 4 and 9. For each trigger T inside the effective window, the response is the
earliest ``expect`` event with the same ``match`` values at or after T: dated on or after T's
date and, when both carry a time on the same date, not earlier than T's time. Responses are not
used up: two triggers of one case (a request and its repeat) that one reply follows are both
answered by it, each judged against its own due date. A response before every trigger of its
case answers none of them and is reported as GK005.

The due date is counted from the start (T's date, a restart, or a ``date:`` attribute), then
moved later by pauses (条例 art. 33 ¶2: consultation time is not counted) and one extension, in
date order; a ``cancel`` event (撤回, 视为放弃申请) on or before it ends the obligation.

Each case's events of each role are the index's groups, in date order; every look-up is a
bisection, and a trigger's walk over pauses passes a `to` date at each step, so a case with n
events costs O(n log n) whatever its mix of triggers, extensions, restarts and pauses (at most
the dates a trigger's count spans per trigger; tests/test_semantics_s9.py counts date reads).

PASS (``within: 3 working days``; 2018-09-29/30 were make-up working days)::

    2018-09-28,policy_document_published,国知发〔2018〕1号
    2018-10-08,interpretation_published,国知发〔2018〕1号

FAIL (late by 1 working day)::

    2018-09-28,policy_document_published,国知发〔2018〕1号
    2018-10-09,interpretation_published,国知发〔2018〕1号
"""
from __future__ import annotations

import datetime as dt
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from gklint.dates import When
from gklint.durations import unit_words
from gklint.kinds.base import (
    EVENT_REF_SCHEMA,
    CompileContext,
    CompileError,
    EvalContext,
    EventRef,
    Problem,
    columns_zh,
    match_key,
    missing_in_key,
)
from gklint.model import Event, msg

NAME = "deadline"
_LIMIT: dict[str, Any] = {"type": ["string", "integer"]}
_PAUSE: dict[str, Any] = {
    "type": "object", "required": ["from", "to"], "additionalProperties": False,
    "properties": {"from": EVENT_REF_SCHEMA, "to": EVENT_REF_SCHEMA},
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["after", "expect"],
    "additionalProperties": False,
    "properties": {
        "after": EVENT_REF_SCHEMA,
        "expect": EVENT_REF_SCHEMA,
        "within": _LIMIT,
        "match": {"type": "array", "items": {"type": "string"}},
        "extend": {
            "type": "object", "required": ["by", "up_to"], "additionalProperties": False,
            "properties": {"by": EVENT_REF_SCHEMA, "up_to": _LIMIT},
        },
        "restart": EVENT_REF_SCHEMA,
        "pause": {"oneOf": [_PAUSE, {"type": "array", "minItems": 1, "items": _PAUSE}]},
        "cancel": {"oneOf": [EVENT_REF_SCHEMA, {"type": "array", "minItems": 1, "items": EVENT_REF_SCHEMA}]},
        "roll": {"type": "boolean"},
    },
}


class Deadline(NamedTuple):
    after: EventRef
    expect: EventRef
    within: Any  # Duration, or None: the response must merely follow
    match: tuple[str, ...]
    extend_by: EventRef | None
    extend_up_to: Any  # Duration | None
    restart: EventRef | None
    pauses: tuple[tuple[EventRef, EventRef], ...]  # (from, to) pairs
    cancel: tuple[EventRef, ...]
    roll: bool


def compile(spec: dict[str, Any], ctx: CompileContext) -> Deadline:
    extend, pause, cancel = spec.get("extend"), spec.get("pause"), spec.get("cancel")
    if "within" not in spec:
        for key in ("extend", "pause", "restart", "roll"):
            if key in spec:
                raise CompileError(f"'{key}' moves or counts a due date, and this deadline has no 'within'",
                                   [key], hint="Add 'within: N working days', or drop the key: without "
                                   "'within' a response must merely follow its trigger.")
    cancels = cancel if isinstance(cancel, list) else [cancel] if cancel else []
    pauses = pause if isinstance(pause, list) else [pause] if pause else []
    where = (lambda i: ["pause", i]) if isinstance(pause, list) else (lambda i: ["pause"])
    return Deadline(
        after=ctx.ref(spec["after"], ["after"]),
        expect=ctx.ref(spec["expect"], ["expect"]),
        within=ctx.duration(spec["within"], ["within"]) if "within" in spec else None,
        match=ctx.columns(spec.get("match"), ["case"]),
        extend_by=ctx.ref(extend["by"], ["extend", "by"]) if extend else None,
        extend_up_to=ctx.duration(extend["up_to"], ["extend", "up_to"]) if extend else None,
        restart=ctx.ref(spec["restart"], ["restart"]) if spec.get("restart") else None,
        pauses=tuple((ctx.ref(p["from"], [*where(i), "from"]), ctx.ref(p["to"], [*where(i), "to"]))
                     for i, p in enumerate(pauses)),
        cancel=tuple(ctx.ref(c, ["cancel", i] if isinstance(cancel, list) else ["cancel"])
                     for i, c in enumerate(cancels)),
        roll=spec.get("roll", True),
    )


def describe(rule: Deadline, lang: str, label: Any) -> str:
    def name(ref: EventRef) -> str:
        return ref.describe(lambda n: label(n, lang), lang)

    after, expect = name(rule.after), name(rule.expect)
    zh = lang == "zh"
    if rule.within is None:
        text = (f"每个“{after}”之后，须有相同{columns_zh(rule.match)}的“{expect}”（不限时间；日志视为完整，没有即为缺失）。"
                if zh else f"Every '{after}' must be followed by a '{expect}' with the same "
                f"{', '.join(rule.match)} (no time limit; the log is taken as complete: without one the trigger is missing).")
    else:
        within = rule.within.describe(lang)
        text = (f"每个“{after}”之后，须在{within}内有相同{columns_zh(rule.match)}的“{expect}”。" if zh else
                f"Every '{after}' needs a '{expect}' with the same {', '.join(rule.match)} within {within}.")
    if rule.after.date_attrs:
        cells = "、".join(rule.after.date_attrs) if zh else ", ".join(rule.after.date_attrs)
        text += (f"起算日期取单元格 {cells} 中第一个非空的日期；都为空时取该行的日期；不是日期的为 GK001。" if zh else
                 f" The count starts from the first non-empty cell of {cells}; when all are empty, from the "
                 "row's own date; a cell that is not a date is GK001.")
    text += ("答复须在触发事件当日或之后；两者都有时刻且同日时，不得早于其时刻。" if zh else
             " The response comes on or after the trigger's date and, when both carry a time on the same "
             "date, not before its time.")
    if rule.extend_by:
        up_to = rule.extend_up_to.describe(lang)
        text += (f"在起算日（含当日）至期限届满（含，按暂停顺延后的期限）之间记录“{name(rule.extend_by)}”的，期限延长{up_to}，仅一次。"
                 if zh else f" A '{name(rule.extend_by)}' dated on or after the start (the same day counts) and on "
                 f"or before the due date (as pauses moved it) extends it by {up_to}, once.")
    if rule.restart:
        text += (f"答复前的最后一个“{name(rule.restart)}”之后重新起算。" if zh else
                 f" The latest '{name(rule.restart)}' after the trigger and before the response restarts the count.")
    for pause_from, pause_to in rule.pauses:
        since, until = name(pause_from), name(pause_to)
        unit = {"working_days": "工作日", "days": "日", "hours": "时间"}[rule.within.unit]
        unit_en = {"working_days": "working days", "days": "calendar days", "hours": "time"}[rule.within.unit]
        text += (f"自“{since}”之日（不含）至其后第一个“{until}”之日（含）不计入期限，期限相应顺延这期间的{unit}"
                 f"（按日期顺序逐个顺延，重叠部分只计一次）；尚无“{until}”的，计时暂停，未答复的为尚未到期。" if zh else
                 f" From a '{since}' to the first '{until}' on or after it, the days in (from, to] do not count: the "
                 f"due date moves later by the {unit_en} in between (pauses in date order, overlaps counted once); "
                 f"with no '{until}' yet, the clock is stopped and an unanswered trigger is pending.")
    if rule.cancel:
        names = "”或“".join(name(c) for c in rule.cancel) if zh else "' or '".join(name(c) for c in rule.cancel)
        text += (f"在起算日至期限届满之间记录“{names}”且此前未答复的，义务终止，不报告。" if zh else
                 f" A '{names}' dated on or after the start and on or before the due date, with no response "
                 "before it, ends the obligation: no finding.")
    if rule.within is not None and rule.within.unit == "days":
        text += (("期限最后一日是休息日的，顺延至下一个工作日（民法典第二百零三条）。" if rule.roll else
                  "期限最后一日是休息日的，不顺延。") if zh else
                 (" A due date on a day off moves to the next working day (Civil Code art. 203)." if rule.roll
                  else " A due date on a day off stays where it is (roll: false)."))
    return text


# --- evaluation ---------------------------------------------------------------------------------

_DATE = operator.attrgetter("date")


def _order(ev: Event) -> tuple[dt.date, bool, dt.time]:
    """Date, then date-only before timed, then time: the order a timed trigger's response is
    looked up in (a date-only event on the trigger's day is at or after it)."""
    return (ev.date, ev.time is not None, ev.time or dt.time.min)


def _when(ev: Event) -> When:
    return When(ev.date, ev.time)


def _not_after(ev: Event, due: Any) -> bool:
    """``ev`` is dated on or before ``due`` (by the clock when both carry a time on its date)."""
    if ev.date != due.date:
        return ev.date < due.date
    return ev.time is None or due.time is None or ev.time <= due.time


def _before(ev: Event, at: Any) -> bool:
    """``ev`` comes before the moment ``at``: an earlier date, or earlier that day by the clock."""
    if ev.date != at.date:
        return ev.date < at.date
    return ev.time is not None and at.time is not None and ev.time < at.time


def _moment(when: Any) -> tuple[dt.date, dt.time]:
    return (when.date, when.time or dt.time.min)


class _Case:
    """One case's events of each role the rule names (the index's groups, in date order)."""

    def __init__(self, rule: Deadline, ctx: EvalContext) -> None:
        index = ctx.index
        self.responses = index.grouped(rule.expect, rule.match)
        self.extensions = index.grouped(rule.extend_by, rule.match) if rule.extend_by else {}
        self.restarts = index.grouped(rule.restart, rule.match) if rule.restart else {}
        self.pauses = [(index.grouped(f, rule.match), index.grouped(t, rule.match)) for f, t in rule.pauses]
        cancels = [index.grouped(c, rule.match) for c in rule.cancel]
        if len(cancels) > 1:  # several cancel events: one date-ordered list per case
            merged: dict[Any, list[Event]] = {}
            for groups in cancels:
                for key in groups:
                    merged.setdefault(key, []).extend(groups[key])
            for events in merged.values():
                events.sort(key=_DATE)
            self.cancels: Any = merged
        else:
            self.cancels = cancels[0] if cancels else {}
        self._ordered: dict[Any, list[Event]] = {}

    def response(self, key: Any, at: Any) -> Event | None:
        """The earliest response at or after the trigger moment ``at``."""
        events = self.responses.get(key, ())
        i = bisect_left(events, at.date, key=_DATE)
        if i == len(events):
            return None
        if at.time is None or events[i].date != at.date:
            return events[i]
        # A timed trigger with responses that day: look it up by (date, date-only first, time),
        # the case's responses sorted so once.
        ordered = self._ordered.get(key)
        if ordered is None:
            ordered = self._ordered[key] = sorted(events, key=_order)
        i = bisect_left(ordered, (at.date, False, dt.time.min), key=_order)
        if ordered[i].time is None:
            return ordered[i]
        j = bisect_left(ordered, (at.date, True, at.time), lo=i, key=_order)
        return ordered[j] if j < len(ordered) else None


class _Clock(NamedTuple):
    """Where one trigger's count ended: its start, due date, and the pause still open, if any."""

    opens: dt.date  # events dated from here on belong to the trigger (extension, pause, cancel)
    start: Any  # When
    due: Any  # When | None (no `within`)
    open_since: Event | None  # a pause `from` with no `to` yet: the clock is stopped
    open_pair: int  # which of the rule's pauses that is


def _first_on_or_after(events: Sequence[Event], day: dt.date) -> Event | None:
    i = bisect_left(events, day, key=_DATE)
    return events[i] if i < len(events) else None


def _count(rule: Deadline, ctx: EvalContext, case: _Case, key: Any, trigger: Event, start: Any,
           response: Event | None) -> _Clock:
    """The due date of one trigger: restart, then pauses and the extension in date order."""
    from gklint.deadlines import Due

    # Events that belong to this trigger are dated on or after the earlier of its date and the
    # date it counts from (a `date:` start may lie either side of the row's date).
    opens = min(trigger.date, start.date)
    # `restart`: the latest restart after T and on or before the response (or the as-of date).
    restarts = case.restarts.get(key, ())
    limit = response.date if response is not None else ctx.as_of
    i = bisect_right(restarts, limit, key=_DATE)
    if i and restarts[i - 1].date > trigger.date:
        start = _when(restarts[i - 1])
    if rule.within is None:
        return _Clock(opens, start, None, None, -1)
    due = Due(start, rule.within, ctx.calendar, rule.roll)
    extension = _first_on_or_after(case.extensions.get(key, ()), opens) if rule.extend_by else None
    pairs = [(froms.get(key, ()), tos.get(key, ())) for froms, tos in case.pauses]
    at = [bisect_left(froms, opens, key=_DATE) for froms, _ in pairs]  # each pair's next `from`
    counted = start  # the clock has run (or stood still) up to here: a pause counts only after it
    # One walk in date order. Everything dated after the due date as it stands is too late to
    # move it, and the due date only moves later, so the walk stops at the first such event.
    while True:
        since, pair = None, -1  # the earliest `from` not yet walked past, of any pair
        for p, (froms, _) in enumerate(pairs):
            if at[p] < len(froms) and (since is None or froms[at[p]].date < since.date):
                since, pair = froms[at[p]], p
        if since is not None and (extension is None or since.date <= extension.date):
            if not _not_after(since, due.when):
                break
            froms, tos = pairs[pair]
            until = _first_on_or_after(tos, since.date)
            if until is None:
                return _Clock(opens, start, due.when, since, pair)
            begin = max(_when(since), counted, key=_moment)
            if _moment(_when(until)) > _moment(begin):
                due.pause(begin, _when(until))
                counted = _when(until)
            # A `from` of the pair dated after this one and on or before this `to` has its first
            # `to` no later than it: the days it would pause are paused already. So each step
            # passes a `to` date, and a trigger's walk is bounded by the dates it spans.
            at[pair] = bisect_right(froms, until.date, lo=at[pair] + 1, key=_DATE)
        elif extension is not None:
            if not _not_after(extension, due.when):
                break
            due.extend(rule.extend_up_to)
            extension = None
        else:
            break
    return _Clock(opens, start, due.when, None, -1)


def _cancelled(rule: Deadline, case: _Case, key: Any, clock: _Clock) -> bool:
    """A cancel event dated on or after the start and on or before the (moved) due date."""
    if not rule.cancel:
        return False
    cancel = _first_on_or_after(case.cancels.get(key, ()), clock.opens)
    if cancel is None:
        return False
    return clock.due is None or clock.open_since is not None or _not_after(cancel, clock.due)


def _start_of(trigger: Event, rule: Deadline) -> Any:
    """The start: the first non-empty ``date:`` cell, else the row's own date (art. 31).
    ValueError (naming the cell) when that cell is not a date."""
    from gklint.dates import parse_when

    for name in rule.after.date_attrs:
        value = trigger.get(name)
        if value is None or value == "":
            continue
        try:
            return parse_when(str(value))
        except ValueError:
            raise ValueError(name) from None
    return When(trigger.date, trigger.time)


def evaluate(rule: Deadline, ctx: EvalContext) -> Iterator[Problem]:
    from gklint.deadlines import judge

    key_of = match_key(rule.match)
    case = _Case(rule, ctx)
    wording = _wording(rule, ctx)
    first_trigger: dict[Any, Any] = {}  # key -> the moment of the case's first trigger (GK005)
    for trigger in ctx.index.in_window(rule.after, ctx.window_from, ctx.window_until):
        key = key_of(trigger)
        missing = missing_in_key(rule.match, key)
        if missing:
            yield unmatched(trigger, missing)
            continue
        try:
            start = _start_of(trigger, rule)
        except ValueError as exc:
            yield bad_start(trigger, str(exc))
            continue
        at = _when(trigger)
        first_trigger.setdefault(key, at)
        response = case.response(key, at)
        clock = _count(rule, ctx, case, key, trigger, start, response)
        if _cancelled(rule, case, key, clock):
            continue
        actual = _when(response) if response is not None else None
        if clock.due is None:  # no time limit: a response that follows is all that is asked
            if response is None:
                yield unfollowed(wording, ctx, trigger, clock.start)
            continue
        if clock.open_since is not None:  # the clock is stopped: nothing is due yet
            if response is None:
                yield paused(wording, ctx, trigger, clock)
            continue
        verdict = judge(clock.start, clock.due, actual, rule.within, ctx.calendar, ctx.as_of)
        if verdict.status == "ok":
            continue
        yield judged(wording, ctx, trigger, clock.start, clock.due, response, verdict)
    yield from _too_early(rule, ctx, case, first_trigger)


def bad_start(trigger: Event, name: str) -> Problem:
    """GK001 on a trigger whose ``date:`` cell ``name`` is not a date."""
    return Problem("invalid", msg(f"属性“{name}”不是可识别的日期（期限的起算日期）",
                                  f"the attribute {name!r} is not a readable date (the date the time limit counts from)"),
                   file=trigger.file, line=trigger.line, column=trigger.column, case=trigger.case, unit=trigger.unit,
                   rule="GK001", severity="error")


def unfollowed(wording: Any, ctx: Any, trigger: Event, start: Any) -> Problem:
    """``missing`` on a trigger of a rule without ``within`` that no response follows."""
    return Problem("missing", _message(wording, ctx, "missing", None, None, None),
                   file=trigger.file, line=trigger.line, column=trigger.column, case=trigger.case, unit=trigger.unit,
                   start=_iso(start))


def paused(wording: Any, ctx: Any, trigger: Event, clock: _Clock) -> Problem:
    """``pending`` on an unanswered trigger whose clock a pause with no `to` yet has stopped."""
    return Problem("pending", _message(wording, ctx, "paused", clock.due, None, clock),
                   file=trigger.file, line=trigger.line, column=trigger.column, case=trigger.case, unit=trigger.unit,
                   start=_iso(clock.start), due=_iso(clock.due))


def unmatched(trigger: Event, missing: Sequence[str]) -> Problem:
    """GK003 on a trigger whose match columns ``missing`` are empty."""
    return Problem("invalid", msg(f"缺少匹配所需的单元格：{columns_zh(missing)}",
                                  f"the row has no {', '.join(missing)} to match its response by"),
                   file=trigger.file, line=trigger.line, column=trigger.column, rule="GK003", severity="error")


def judged(wording: Any, ctx: Any, trigger: Event, start: Any, due: Any, response: Event | None,
           verdict: Any) -> Problem:
    """The finding on ``trigger`` for a verdict other than ok (``ctx`` gives ``as_of``)."""
    actual = _when(response) if response is not None else None
    return Problem(
        verdict.status, _message(wording, ctx, verdict.status, due, actual, verdict),
        file=trigger.file, line=trigger.line, column=trigger.column, case=trigger.case, unit=trigger.unit,
        start=_iso(start), due=_iso(due), actual=_iso(actual) if actual else None,
        overdue={"value": verdict.overdue, "unit": verdict.unit} if verdict.overdue is not None else None,
        response={"file": response.file, "line": response.line} if response else None,
    )


def _too_early(rule: Deadline, ctx: EvalContext, case: _Case, first_trigger: dict[Any, Any]) -> Iterator[Problem]:
    """GK005: a response before the first trigger of its case (by date, or that day by the clock)."""
    for key, first in first_trigger.items():
        for ev in case.responses.get(key, ()):
            if ev.date > first.date:
                break
            if _before(ev, first):
                yield too_early(rule, ctx.label, ev, first)


def too_early(rule: Deadline, label: Any, ev: Event, first: Any) -> Problem:
    """GK005 on the response ``ev``, before ``first``, the moment of its case's first trigger."""
    by_clock = ev.date == first.date  # earlier that day: the times say so
    when, actual = (_iso(first), _iso(_when(ev))) if by_clock else (first.date.isoformat(), ev.date.isoformat())
    return Problem("invalid", msg(
        f"“{label(rule.expect.event, 'zh')}”早于“{label(rule.after.event, 'zh')}”（{when}），请核对日期",
        f"'{label(rule.expect.event, 'en')}' is dated before its trigger "
        f"'{label(rule.after.event, 'en')}' ({when}); check the dates"),
        file=ev.file, line=ev.line, column=ev.column, case=ev.case, unit=ev.unit, actual=actual, rule="GK005", severity="warning")


@lru_cache(maxsize=4096)
def _iso(when: Any) -> str:
    """A moment as findings write it. Cached: a report's many findings of a day share one string
    for it (a large log's findings are held at once; docs/performance.md, "Memory")."""
    if when.time is None:
        return when.date.isoformat()
    return f"{when.date.isoformat()}T{when.time.strftime('%H:%M')}"


class _Wording(NamedTuple):
    """The parts of a rule's messages that are the same for every trigger (worked out once)."""

    expect_zh: str
    expect_en: str
    after_zh: str
    after_en: str
    basis_zh: str
    basis_en: str
    pauses_zh: list[tuple[str, str]]
    pauses_en: list[tuple[str, str]]


def _wording(rule: Deadline, ctx: EvalContext) -> _Wording:
    label = ctx.label
    after_zh, after_en = label(rule.after.event, "zh"), label(rule.after.event, "en")
    if rule.within is None:
        basis_zh, basis_en = f"（须在“{after_zh}”之后）", f" (to follow '{after_en}')"
    else:
        basis_zh = f"（{after_zh}后{rule.within.describe('zh')}）"
        basis_en = f" ({rule.within.describe('en')} after '{after_en}')"
    return _Wording(
        label(rule.expect.event, "zh"), label(rule.expect.event, "en"), after_zh, after_en, basis_zh, basis_en,
        [(label(f.event, "zh"), label(t.event, "zh")) for f, t in rule.pauses],
        [(label(f.event, "en"), label(t.event, "en")) for f, t in rule.pauses],
    )


# The messages of the deadline findings: per verdict, a ``str.format`` template in each language.
# The reference engine fills them here (:func:`_message`); the columnar engine compiles the same
# templates to SQL (``gklint.engines.columnar.deadline``), so both word a finding from one text.
# Fields: expect, basis (the rule's, in the language), due, actual, n and unit (a late finding;
# ``durations.unit_words``), as_of (a missing one), since, pause_from and pause_to (a paused one),
# happened (an unknown one: HAPPENED filled, or nothing without a response).
MESSAGES = {
    "late": ("“{expect}”应于{due}前完成{basis}，实际{actual}完成，逾期{n}{unit}",
             "'{expect}' was due by {due}{basis}, happened on {actual}: {n} {unit} late"),
    "unfollowed": ("“{expect}”没有记录{basis}", "no '{expect}' recorded{basis}"),
    "missing": ("“{expect}”应于{due}前完成{basis}，截至{as_of}没有记录",
                "'{expect}' was due by {due}{basis}; none recorded by {as_of}"),
    "paused": ("“{expect}”的期限自{since}“{pause_from}”起暂停计算，尚无“{pause_to}”，尚未到期（暂停前应于{due}前完成）",
               "the time limit for '{expect}' has stood still since '{pause_from}' on {since}, with no "
               "'{pause_to}' yet: not yet due (it was due by {due} before the pause)"),
    "pending": ("“{expect}”应于{due}前完成{basis}，尚未到期", "'{expect}' is due by {due}{basis}; not yet due"),
    "unknown": ("“{expect}”应于{due}前完成{basis}；记录只有日期没有时间，无法判断是否超时{happened}",
                "'{expect}' was due by {due}{basis}; the log has dates without times, so whether it "
                "was in time cannot be decided{happened}"),
}
HAPPENED = ("（实际{actual}）", " (happened {actual})")


def _message(w: _Wording, ctx: EvalContext, status: str, due: Any, response: Any, detail: Any) -> dict[str, str]:
    key = "unfollowed" if status == "missing" and due is None else status
    common = {"due": _iso(due) if due is not None else "", "as_of": ctx.as_of.isoformat(),
              "actual": _iso(response) if response is not None else ""}
    zh = {"expect": w.expect_zh, "basis": w.basis_zh, **common}
    en = {"expect": w.expect_en, "basis": w.basis_en, **common}
    if status == "late":
        zh["unit"], en["unit"] = unit_words(detail.unit, detail.overdue)
        zh["n"] = en["n"] = detail.overdue
    elif status == "paused":
        zh["since"] = en["since"] = _iso(_when(detail.open_since))
        zh["pause_from"], zh["pause_to"] = w.pauses_zh[detail.open_pair]
        en["pause_from"], en["pause_to"] = w.pauses_en[detail.open_pair]
    elif status == "unknown":
        zh["happened"], en["happened"] = ((HAPPENED[0].format(**common), HAPPENED[1].format(**common))
                                          if response is not None else ("", ""))
    return msg(MESSAGES[key][0].format_map(zh), MESSAGES[key][1].format_map(en))
