"""The engine: read the log once, index it once, run every rule, stamp ids and severities.

Kinds only yield problems; here they become findings with the rule's id, severity and
ruleset, built-in data findings are merged, selection (--select/--ignore) is applied in one
place, and the summary is counted.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gklint.events import Vocabulary, discover, read_events
from gklint.model import Finding, msg
from gklint.ruleset import Rule, Ruleset, text

BUILTIN_RULES: dict[str, dict[str, Any]] = {
    "GK001": {"severity": "error", "title": {"zh": "无法识别的日期", "en": "Unreadable date"}},
    "GK002": {"severity": "error", "title": {"zh": "未知的事件类型", "en": "Unknown event kind"}},
    "GK003": {"severity": "error", "title": {"zh": "必填单元格为空", "en": "Empty required cell"}},
    "GK004": {"severity": "warning", "title": {"zh": "重复的行", "en": "Duplicate row"}},
    "GK005": {"severity": "warning", "title": {"zh": "答复早于触发事件", "en": "Response dated before its trigger"}},
    "GK006": {"severity": "warning", "title": {"zh": "事件日期晚于检查日期", "en": "Event dated after the as-of date"}},
    "GK007": {"severity": "error", "title": {"zh": "无法读取的行", "en": "Malformed row"}},
    "GK011": {"severity": "error", "title": {"zh": "统计表中无法识别的数值", "en": "Unreadable value in a report table"}},
    "GK010": {"severity": "warning", "title": {"zh": "日期超出官方日历覆盖范围",
                                               "en": "Date outside the official calendar's coverage"}},
    "GK020": {"severity": "warning", "title": {"zh": "豁免已过期", "en": "Expired waiver"}},
    "GK021": {"severity": "warning", "title": {"zh": "豁免未匹配任何问题", "en": "Stale waiver (matched nothing)"}},
}


@dataclass
class CheckOptions:
    as_of: dt.date
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    show_pending: bool = False
    fail_on: str = "error"
    calendar: str = "CN"
    units: Sequence[str] = ()
    columns: dict[str, str] | None = None
    sheet: str | None = None
    report_year: int | None = None  # --period: the year of report tables
    progress: bool = False  # a progress line on a terminal for large logs (text output only)
    jobs: int | None = None  # processes: 1 = one; None/0 = two for a large log (gklint.parallel)


@dataclass
class CheckResult:
    findings: list[Finding]
    files: list[str]
    events: int
    rules: int
    as_of: dt.date
    rulesets: list[Ruleset] = field(default_factory=list)
    pending: int = 0
    # The indexed log. Kept with the result so that it is freed with it (or, in the command
    # line, never: the process ends without freeing a million objects one by one).
    index: Any = field(default=None, repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        active = [f for f in self.findings if f.status not in ("pending", "waived")]
        return {
            "files": len(self.files), "events": self.events, "rules": self.rules,
            "errors": sum(f.severity == "error" for f in active),
            "warnings": sum(f.severity == "warning" for f in active),
            "pending": self.pending,
            "infos": sum(f.severity == "info" for f in active),
            "waived": sum(f.status == "waived" for f in self.findings),
        }

    def exit_code(self, fail_on: str) -> int:
        levels = ("error",) if fail_on == "error" else ("error", "warning")
        failing = any(f.severity in levels and f.status not in ("pending", "waived") for f in self.findings)
        return 1 if failing else 0


def selected(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """--select/--ignore with globs: selected when some select pattern matches (or none is given)
    and no ignore pattern does. Decided once per rule id (a run asks it for every finding)."""
    return _decide(rule_id, tuple(select), tuple(ignore))


@lru_cache(maxsize=4096)
def _decide(rule_id: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(fnmatch.fnmatchcase(rule_id, p) for p in select):
        return False
    return not any(fnmatch.fnmatchcase(rule_id, p) for p in ignore)


def event_label(name: str, label: Any) -> dict[str, str]:
    """An event's label in both languages. A plain label is Chinese (the vocabulary's labels
    are the words offices write); English messages then use the event's name in words."""
    if isinstance(label, dict):
        return text(label)
    words = name.replace("_", " ")
    return {"zh": str(label), "en": words} if label else {"zh": name, "en": words}


def build_vocabulary(rulesets: Iterable[Ruleset]) -> Vocabulary:
    from gklint.errors import RulesetError

    vocab = Vocabulary()
    for rs in rulesets:
        for name, decl in rs.events.items():
            decl = decl or {}
            clash = vocab.add(name, event_label(name, decl.get("label")), decl.get("aliases") or [])
            if clash:
                raise RulesetError(f"event alias clash between rulesets in force: {clash}", file=rs.path,
                                   hint="Use one shared vocabulary (include: [vocabulary.yaml]).")
    return vocab


def rule_window(rule: Rule) -> tuple[dt.date | None, dt.date | None]:
    """The dates a rule checks: its ruleset's effective window and its own, both applying."""
    rs = rule.ruleset
    starts = [d for d in (rs.effective_from if rs else None, rule.effective_from) if d]
    ends = [d for d in (rs.effective_until if rs else None, rule.effective_until) if d]
    return (max(starts) if starts else None, min(ends) if ends else None)


def coverage_candidates(index: Any, calendar: Any) -> dict[int, tuple[str, int]]:
    """The first row (file, line) of each uncovered year in the log.

    Only the events of uncovered years are looked at: each kind's events are in date order, so
    a year is a slice found by bisection."""
    import bisect

    by_date, by_row = operator.attrgetter("date"), operator.attrgetter("file", "line")
    years = {y for evs in index.by_kind.values() for y in range(evs[0].date.year, evs[-1].date.year + 1)}
    first_by_year: dict[int, tuple[str, int]] = {}
    for year in sorted(y for y in years if not calendar.covers(y)):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        firsts = []
        for evs in index.by_kind.values():
            lo = bisect.bisect_left(evs, start, key=by_date)
            hi = bisect.bisect_right(evs, end, lo=lo, key=by_date)
            if lo < hi:
                firsts.append(by_row(min(evs[lo:hi], key=by_row)))
        if firsts:
            first_by_year[year] = min(firsts)
    return first_by_year


def coverage_findings(first_by_year: dict[int, tuple[str, int]], first_date: dt.date | None, calendar: Any,
                      as_of: dt.date | None = None) -> list[Finding]:
    """GK010 once per uncovered year, on that year's first row (by file and line)."""
    out = []
    for year, (file, line) in sorted(first_by_year.items()):
        out.append(Finding(
            rule="GK010", severity="warning", status="unknown", file=file, line=line,
            period=str(year),
            message=msg(f"{year}年不在官方日历覆盖范围内（尚无国务院办公厅放假安排通知），按周末和法定节假日计算，"
                        "不含调休；可用 --calendar 指定覆盖文件",
                        f"{year} is not covered by the official calendar (no State Council notice yet); "
                        "weekends and statutory holidays are assumed, without make-up days; "
                        "add an overlay with --calendar")))
    if first_date is None or as_of is None:
        return out
    # Due dates are counted from the log's rows into any year up to the as-of date: an uncovered
    # year in that span with no row dated in it gets its warning about the period (no line).
    for year in range(first_date.year, as_of.year + 1):
        if year in first_by_year or calendar.covers(year):
            continue
        which_zh, which_en = ("检查日期所在的", "the as-of year ") if year == as_of.year else ("", "")
        out.append(Finding(
            rule="GK010", severity="warning", status="unknown", period=str(year),
            message=msg(f"{which_zh}{year}年不在官方日历覆盖范围内，落在该年的期限按周末和法定节假日计算，"
                        "不含调休；可用 --calendar 指定覆盖文件",
                        f"{which_en}{year} is not covered by the official calendar; due dates falling in "
                        "it assume weekends and statutory holidays, without make-up days; add an overlay with "
                        "--calendar")))
    return out


def _coverage_findings(index: Any, calendar: Any, as_of: dt.date | None = None) -> list[Finding]:
    return coverage_findings(coverage_candidates(index, calendar), index.first_date, calendar, as_of)


def run_check(paths: Sequence[str | Path], rulesets: list[Ruleset], options: CheckOptions) -> CheckResult:
    """Read, index and check the log. The cyclic garbage collector is paused meanwhile: a log
    of a million rows makes millions of objects, none in a cycle, and collecting them
    generation by generation cost as much as reading the file (docs/performance.md)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_check(paths, rulesets, options)
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Run:
    """What reading and checking share, in one process or the other."""

    options: CheckOptions
    calendar: Any
    vocab: Vocabulary
    files: list[Path]
    rules: list[Rule]
    bar: Any
    rulesets: list[Ruleset]
    timings: dict[str, tuple[float, int]] | None = None  # rule id -> (seconds, rows read): see parallel.plan
    size: int = 0  # the log's bytes

    def read(self, owns: Any = None) -> tuple[Any, Any]:
        from gklint import lifetime
        from gklint.kinds.base import EventIndex

        options = self.options
        log = read_events(self.files, self.vocab, as_of=options.as_of, columns=options.columns,
                          sheet=options.sheet, progress=self.bar, owns=owns)
        index = EventIndex(log.events, in_file_order=log.files == sorted(log.files))
        lifetime.retain(log)
        lifetime.retain(index)  # its lists and the groups rules build: as many objects again
        if options.report_year is not None:
            from dataclasses import replace

            log.tables = [replace(t, year=options.report_year) for t in log.tables]
        return log, index

    def evaluate(self, index: Any, tables: Sequence[Any], which: Iterable[int]) -> list[tuple[int, Finding]]:
        """Findings of the rules at positions ``which``, each with its rule's position."""
        import time

        from gklint.kinds import KINDS, TABLE_KINDS
        from gklint.kinds.base import EvalContext

        out: list[tuple[int, Finding]] = []
        for number in which:
            started = time.perf_counter()
            rule = self.rules[number]
            self.bar.show(f"gklint: checking {rule.id} ({number + 1}/{len(self.rules)})")
            if rule.kind in TABLE_KINDS and not tables:
                continue  # nothing for it to check: do not even import it
            module = KINDS[rule.kind]
            window_from, window_until = rule_window(rule)
            ctx = EvalContext(calendar=self.calendar, as_of=self.options.as_of, index=index,
                              window_from=window_from, window_until=window_until, label=self.vocab.label,
                              units=self.options.units, tables=tables)
            ruleset_id = rule.ruleset.id if rule.ruleset else None
            for p in module.evaluate(rule.compiled(), ctx):
                # The one place a problem gets its rule id, severity and ruleset (a built-in rule
                # raised while evaluating, such as GK005, keeps its own and belongs to no ruleset).
                fields = p._asdict()
                builtin, severity = fields.pop("rule"), fields.pop("severity")
                out.append((number, Finding(rule=builtin or rule.id, severity=severity or rule.severity,
                                            ruleset=None if builtin else ruleset_id, **fields)))
            if self.timings is not None:
                from gklint.parallel import referenced_events

                read = sum(len(index.by_kind.get(k, ())) for k in referenced_events(rule.compiled()))
                self.timings[rule.id] = (time.perf_counter() - started, read)
        return out


def _run_check(paths: Sequence[str | Path], rulesets: list[Ruleset], options: CheckOptions) -> CheckResult:
    from gklint.calendar import load_calendar
    from gklint.progress import Silent, for_run

    calendar = load_calendar(options.calendar)
    vocab = build_vocabulary(rulesets)
    files = discover(paths)
    rules = [r for rs in rulesets for r in rs.rules if selected(r.id, options.select, options.ignore)]
    size = sum(f.stat().st_size for f in files)
    bar = for_run(size, machine_format=False) if options.progress else Silent()
    run = _Run(options, calendar, vocab, files, rules, bar, rulesets, size=size)
    from gklint import parallel

    if size >= parallel.MIN_BYTES:
        run.timings = {}  # a large log: measure each rule, to split the next check's work better
    split = None
    if options.jobs != 1 and files:
        split = parallel.plan(rules, files, lambda fs: parallel.sample_kinds(fs, vocab, options.columns),
                              options.jobs, size)
    if split is not None:
        try:
            return _run_split(run, split)
        except parallel.HelperFailed as exc:  # checked again below, in this process alone
            import os
            import sys

            if os.environ.get("GKLINT_DEBUG"):
                print(f"gklint: the helper process failed; checking in one process:\n{exc}", file=sys.stderr)
    log, index = run.read()
    data = list(log.findings)
    data.extend(_coverage_findings(index, calendar, options.as_of))
    found = run.evaluate(index, log.tables, range(len(rules)))
    bar.done()
    if run.timings:
        parallel.remember_costs(run.timings, run.size)
    return _result(run, data, found, log.files, len(log.events), index)


def _run_split(run: _Run, split: Any) -> CheckResult:
    """The check over two processes (:mod:`gklint.parallel`); HelperFailed when the helper failed.

    Each side reads the rows of its own event kinds, sends the other what its period rules ask
    of the whole log (a summary), checks its deadline and precedence rules, takes in the other
    side's summary, then checks its period rules. The helper's findings come back at the end.
    """
    from gklint import parallel

    rules = run.rules

    def positions(helper: bool, early: bool) -> list[int]:  # of the rules one side checks, early or late
        return [i for i, r in enumerate(rules)
                if (r.id in split.helper_rules) == helper and (r.kind in parallel.EARLY_KINDS) == early]

    main_early, main_late = positions(False, True), positions(False, False)
    helper_early, helper_late = positions(True, True), positions(True, False)

    def for_each(which: Iterable[int]) -> list[str]:  # the columns these period rules count for_each
        return sorted({f for i in which if (f := getattr(rules[i].compiled(), "for_each", None))})

    helper_needs, main_needs = for_each(helper_late), for_each(main_late)

    def helper(channel: Any) -> None:
        from gklint.progress import Silent

        run.bar = Silent()
        log, index = run.read(split.helper_owns)
        channel.send(parallel.summary(index, main_needs) | {
            "findings": log.findings, "rows": log.rows, "events": len(log.events),
            "cover": coverage_candidates(index, run.calendar)})
        found = run.evaluate(index, (), helper_early)
        if helper_late:
            parallel.take_summary(index, channel.receive())
            found.extend(run.evaluate(index, (), helper_late))
        channel.send((found, run.timings))

    process = parallel.start(helper)
    try:
        log, index = run.read(split.main_owns)
        if helper_late:
            process.send(parallel.summary(index, helper_needs))
        found = run.evaluate(index, log.tables, main_early)
        summary = process.receive()
        parallel.take_summary(index, summary)
        cover = coverage_candidates(index, run.calendar)
        for year, row in summary["cover"].items():
            cover[year] = min(cover.get(year, row), row)
        data = parallel.merge_in_file_order(log.files, log.findings, summary["findings"])
        data.extend(coverage_findings(cover, index.first_date, run.calendar, run.options.as_of))
        found.extend(run.evaluate(index, log.tables, main_late))
        helper_found, helper_timings = process.receive()
        found.extend(helper_found)
    finally:
        process.close()
    found.sort(key=operator.itemgetter(0))  # the order one process makes them in (stable within a rule)
    run.bar.done()
    if run.timings is not None:
        parallel.remember_costs({**run.timings, **(helper_timings or {})}, run.size)
    log.rows += summary["rows"]
    return _result(run, data, found, log.files, len(log.events) + summary["events"], index)


def _result(run: _Run, data: list[Finding], found: list[tuple[int, Finding]], files: list[str], events: int,
            index: Any) -> CheckResult:
    options = run.options
    findings = data + [f for _, f in found]
    findings = [f for f in _dedupe(findings) if selected(f.rule, options.select, options.ignore)]
    pending = sum(f.status == "pending" for f in findings)
    if not options.show_pending:
        findings = [f for f in findings if f.status != "pending"]
    findings.sort(key=operator.attrgetter("sort_key"))
    return CheckResult(findings=findings, files=files, events=events, rules=len(run.rules),
                       as_of=options.as_of, rulesets=run.rulesets, pending=pending, index=index)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Built-in findings raised by several rules about one row are reported once."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in findings:
        if f.rule.startswith("GK"):
            key = (f.rule, f.file, f.line, f.period)
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out
