"""A check from start to end: find the files and the rules, hand them to an engine
(:mod:`gklint.engines`), then merge the findings, apply selection (--select/--ignore) in one
place, sort them and count the summary.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from gklint.events import Vocabulary, discover
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
    "GK011": {"severity": "warning", "title": {"zh": "筛选条件所用的属性在台账中不存在",
                                               "en": "Filter on an attribute no row carries"}},
    "GK012": {"severity": "error", "title": {"zh": "统计表中无法识别的数值", "en": "Unreadable value in a report table"}},
    "GK015": {"severity": "warning", "title": {"zh": "未检查的报告统计表（没有适用的格式）",
                                               "en": "Report table not checked (no format in force for it)"}},
    "GK016": {"severity": "error", "title": {"zh": "统计表中的未知指标", "en": "Unknown indicator in a report table"}},
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
    timezone: str | None = None  # IANA zone of the log's times; None: the calendar's (contract section 13)
    units: Sequence[str] = ()
    columns: dict[str, str] | None = None
    sheet: str | None = None
    ledger: dict[str, Any] | None = None  # config [ledger] (contract section 10)
    report_year: int | None = None  # --period: the year of report tables
    progress: bool = False  # a progress line on a terminal for large logs (text output only)
    engine: str = "auto"  # a name in gklint.engines (contract section 12)
    spark_master: str | None = None  # the spark engine's master URL (default local[*])
    # The language of a --format json report whose findings an engine may hand over already
    # written (gklint.model.Encoded); None: every finding a Finding.
    encoded: str | None = None


@dataclass
class CheckResult:
    # A list, or a gklint.spool.Spool past spool.SPILL_AFTER findings (iterable, len)
    findings: list[Finding]
    files: list[str]
    events: int
    rules: int
    as_of: dt.date
    rulesets: list[Ruleset] = field(default_factory=list)
    pending: int = 0
    # What the engine built of the log (the python engine's index). Kept with the result so that
    # it is freed with it (or, in the command line, never: the process ends without freeing a
    # million objects one by one).
    index: Any = field(default=None, repr=False, compare=False)
    # The findings that are neither pending nor waived, by severity, and the waived ones, when
    # known without reading the findings again (``_result`` counts them as it makes the report);
    # None: counted when first asked. A spilled report is read from disk at each pass.
    tally: Tally | None = field(default=None, repr=False, compare=False)

    def _tally(self) -> Tally:
        if self.tally is None:
            self.tally = Tally()
            for f in self.findings:
                self.tally.add(f)
        return self.tally

    def counts(self) -> dict[str, int]:
        """The summary's counts (one pass over the findings, which may be on disk, unless known)."""
        tally = self._tally()
        by, waived = tally.by, tally.waived
        return {
            "files": len(self.files), "events": self.events, "rules": self.rules,
            "errors": by["error"], "warnings": by["warning"], "pending": self.pending, "infos": by["info"],
            "waived": waived,
        }

    def exit_code(self, fail_on: str) -> int:
        """1 when a finding of a failing severity is neither pending nor waived."""
        by = self._tally().by
        return 1 if by["error"] or (fail_on != "error" and by["warning"]) else 0


class Tally:
    """The findings that are neither pending nor waived, by severity, and the waived ones."""

    __slots__ = ("by", "waived")

    def __init__(self) -> None:
        self.by = {"error": 0, "warning": 0, "info": 0}
        self.waived = 0

    def add(self, f: Finding) -> None:
        if f.status == "waived":
            self.waived += 1
        elif f.status != "pending" and f.severity in self.by:
            self.by[f.severity] += 1


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

    rulesets = list(rulesets)
    vocab = Vocabulary()
    for rs in rulesets:
        for name, decl in rs.events.items():
            decl = decl or {}
            clash = vocab.add(name, event_label(name, decl.get("label")), decl.get("aliases") or [])
            vocab.add_columns(name, decl.get("columns") or [])
            for attribute, attribute_decl in (decl.get("attributes") or {}).items():
                clash = clash or vocab.add_attribute(attribute, attribute_decl)
            if clash:
                raise RulesetError(f"event alias clash between rulesets in force: {clash}", file=rs.path,
                                   hint="Use one shared vocabulary (include: [vocabulary.yaml]).")
        for name in rs.undeclared:  # an open ruleset's undeclared kinds (contract section 13)
            if vocab.resolve(name) is None:
                vocab.add(name, {"zh": name, "en": name}, [])  # (the log's own words, as written)
        for rule in rs.rules:
            vocab.relate(_events_named(rule.raw.get(rule.kind), rs.kinds))
    vocab.open = bool(rulesets) and all(rs.open_vocabulary for rs in rulesets)
    return vocab


def _events_named(value: Any, declared: dict[str, Any]) -> set[str]:
    """The declared event kinds a rule's value names (after, expect, extend.by ...)."""
    if isinstance(value, str):
        return {value} if value in declared else set()
    if isinstance(value, dict):
        return set().union(*(_events_named(v, declared) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_events_named(v, declared) for v in value)) if value else set()
    return set()


def rule_window(rule: Rule) -> tuple[dt.date | None, dt.date | None]:
    """The dates a rule checks: its ruleset's effective window and its own, both applying."""
    rs = rule.ruleset
    starts = [d for d in (rs.effective_from if rs else None, rule.effective_from) if d]
    ends = [d for d in (rs.effective_until if rs else None, rule.effective_until) if d]
    return (max(starts) if starts else None, min(ends) if ends else None)


def table_format_findings(rules: Sequence[Rule], tables: Sequence[Any]) -> list[Finding]:
    """GK015/GK016 of the report tables read (``gklint.kinds.table.format_problems``)."""
    if not tables:
        return []
    from gklint.kinds import TABLE_KINDS
    from gklint.kinds.table import format_problems

    entries = [(r.id, r.compiled(), *rule_window(r)) for r in rules if r.kind in TABLE_KINDS]
    return [Finding(**p._asdict()) for p in format_problems(entries, list(tables))]


def coverage_findings(first_by_year: dict[int, tuple[str, int]], first_date: dt.date | None, calendar: Any,
                      as_of: dt.date | None = None) -> list[Finding]:
    """GK010 once per run of consecutive uncovered years (contract section 13), on the first row
    (by file and line) dated in the run, or about the period alone (no line) when no row is.

    The years are those of the log's rows (``first_by_year``: each uncovered year's first row)
    and, since due dates are counted from the rows into any year up to the as-of date, every
    uncovered year from the log's first year to the as-of year."""
    years = set(first_by_year)
    if first_date is not None and as_of is not None:
        years.update(y for y in range(first_date.year, as_of.year + 1) if not calendar.covers(y))
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return [_coverage_finding(run, first_by_year, calendar, as_of) for run in runs]


def _coverage_finding(run: list[int], first_by_year: dict[int, tuple[str, int]], calendar: Any,
                      as_of: dt.date | None) -> Finding:
    first, last = run[0], run[-1]
    period = str(first) if first == last else f"{first}..{last}"
    years_zh = f"{first}年" if first == last else f"{first}–{last}年"
    years_en = str(first) if first == last else f"{first}–{last}"
    rows = [first_by_year[y] for y in run if y in first_by_year]
    official = getattr(calendar, "official", True)
    if official:
        why_zh, why_en = "不在官方日历覆盖范围内", "not covered by the official calendar"
        assume_zh, assume_en = "按周末和法定节假日计算，不含调休", "weekends and statutory holidays are assumed, without make-up days"
    else:
        name = calendar.country_name
        why_zh, why_en = f"不在{name}日历覆盖范围内", f"not covered by the {name} calendar"
        assume_zh, assume_en = "仅按周末计算", "weekends only are assumed"
    if rows:
        file, line = min(rows)
        extra_zh = "（尚无国务院办公厅放假安排通知）" if official else ""
        extra_en = " (no State Council notice yet)" if official else ""
        return Finding(rule="GK010", severity="warning", status="unknown", file=file, line=line, period=period,
                       message=msg(f"{years_zh}{why_zh}{extra_zh}，{assume_zh}；可用 --calendar 指定覆盖文件",
                                   f"{years_en} {'is' if first == last else 'are'} {why_en}{extra_en}; "
                                   f"{assume_en}; add an overlay with --calendar"))
    which_zh, which_en = ("检查日期所在的", "the as-of year ") if as_of and first == last == as_of.year else ("", "")
    return Finding(rule="GK010", severity="warning", status="unknown", period=period,
                   message=msg(f"{which_zh}{years_zh}{why_zh}，落在该期间的期限{assume_zh}；可用 --calendar 指定覆盖文件",
                               f"{which_en}{years_en} {'is' if first == last else 'are'} {why_en}; due dates "
                               f"falling in {'it' if first == last else 'them'} assume "
                               f"{assume_en.replace(' are assumed', '').replace(' is assumed', '')}; "
                               "add an overlay with --calendar"))


def run_check(paths: Sequence[str | Path], rulesets: list[Ruleset], options: CheckOptions) -> CheckResult:
    """Read the log and check it with the engine ``options.engine`` names (:mod:`gklint.engines`),
    then merge, select and sort the findings in one place, whichever engine found them.

    The cyclic garbage collector is paused meanwhile: a log makes many objects, none in a cycle,
    and collecting them generation by generation cost as much as reading the file."""
    import gc

    from gklint.calendar import load_calendar
    from gklint.engines import Job, choose
    from gklint.progress import Silent, for_run

    enabled = gc.isenabled()
    gc.disable()
    try:
        files = discover(paths)
        size = sum(f.stat().st_size for f in files)
        engine = choose(options.engine, files, size)  # an engine that cannot start: exit 2 before reading
        rules = [r for rs in rulesets for r in rs.rules if selected(r.id, options.select, options.ignore)]
        bar = for_run(size, machine_format=False) if options.progress else Silent()
        calendar = load_calendar(options.calendar)
        options = _with_zone(options, calendar)
        job = Job(options=options, calendar=calendar, vocab=build_vocabulary(rulesets),
                  files=files, rules=rules, progress=bar)
        checked = engine.check(job)
        try:
            try:
                result = _result(job, rulesets, checked)  # (an engine may run its rules as they are read)
            finally:
                bar.done()
        except BaseException:
            if checked.close is not None:
                with contextlib.suppress(Exception):  # (the error that stopped the check is the one to say)
                    checked.close()
            raise
        if checked.close is not None:
            checked.close()
        return result
    finally:
        if enabled:
            gc.enable()


def _with_zone(options: CheckOptions, calendar: Any) -> CheckOptions:
    """``options`` with ``timezone`` set: as given (an IANA name, checked), else the calendar's
    zone; None stands for China's (contract section 13). ConfigError when neither says."""
    from dataclasses import replace

    from gklint.dates import DEFAULT_ZONE, zone_info
    from gklint.errors import ConfigError

    zone = options.timezone or calendar.zone
    if zone is None:
        raise ConfigError(f"the {calendar.country_name} calendar spans several time zones: say which the log's "
                          "times are in", hint="Add --timezone (or timezone = \"...\" in gklint.toml), e.g. "
                          "--timezone America/Los_Angeles.")
    try:
        if zone != DEFAULT_ZONE:  # (China's times are read at UTC+8, without the tz database Windows lacks)
            zone_info(zone)
    except ValueError as exc:
        raise ConfigError(str(exc), hint="Use a name of the tz database (Region/City), as listed by "
                          "python -c 'import zoneinfo; print(zoneinfo.available_timezones())'.") from None
    return replace(options, timezone=None if zone == DEFAULT_ZONE else zone)


def _result(job: Any, rulesets: list[Ruleset], checked: Any) -> CheckResult:
    """The findings of data (rows, coverage) then of the rules in ruleset order, built-in findings
    once, selected, pending ones counted, in report order (``Finding.sort_key``). A plain list,
    or, past ``spool.SPILL_AFTER`` findings, a :class:`gklint.spool.Spool` that holds them on disk
    (a large log's report would otherwise be in memory at once)."""
    from gklint.spool import Spool

    options = job.options
    report = Spool(key=operator.attrgetter("sort_key"))
    pending = 0
    tally = Tally()  # (counted here: a large report is not read again for its summary)
    for f in _dedupe(chain(checked.data, _case_hints(job.rules, checked.found, checked.orphans_of))):
        if not selected(f.rule, options.select, options.ignore):
            continue
        if f.status == "pending":
            pending += 1
            if not options.show_pending:
                continue
        tally.add(f)
        report.append(f)
    findings = report.settled()
    return CheckResult(findings=findings, files=checked.files, events=checked.events, rules=len(job.rules),
                       as_of=options.as_of, rulesets=rulesets, pending=pending, index=checked.keep, tally=tally)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def orphans(rows_of: Any, trigger: str, response: str) -> Iterator[tuple[str, str, int]]:
    """(case, file, line) of each event of kind ``response`` whose case, folded, is not empty and
    is the folded case of no event of kind ``trigger`` (``rows_of``: an engine's events of a
    kind as (case, file, line)). The one definition of a response that answers no trigger;
    an engine that knows every case to be its own folded form may find the same rows its own way
    (``Checked.orphans_of``)."""
    from gklint.events import fold_case

    triggers = {fold_case(c) for c, _, _ in rows_of(trigger)}
    for c, file, line in rows_of(response):
        folded = fold_case(c)
        if folded and folded not in triggers:
            yield c, file, line


def hinted(rule: Rule) -> tuple[str, str] | None:
    """(trigger kind, response kind) of a rule whose findings may get a case hint
    (:func:`_case_hints`): a deadline matched by case; None for any other rule."""
    if rule.kind != "deadline":
        return None
    spec = rule.compiled()
    return (spec.after.event, spec.expect.event) if "case" in spec.match else None


def _case_hints(rules: Sequence[Rule], found: Iterable[Finding], orphans_of: Any) -> Iterator[Finding]:
    """A deadline finding with no response (``missing``, ``pending``) names a response row whose
    case answers no trigger of the rule and is written close to the finding's (contract section
    14: 依申〔2019〕第22号 against 依申〔2019〕22号 left the request "missing" and the reply
    ignored, without a hint). Close: the same digits in the same order (22号 and 23号 are two
    cases, however alike), or, for cases without digits, a difflib ratio of 0.8 or more; the
    cases folded as they are matched. The first such row in file and line order is named.
    ``orphans_of(trigger, response)`` gives the rows that answer no trigger (:func:`orphans`).
    One pass over ``found``, each finding given as it comes or with its hint."""
    if orphans_of is None:
        yield from found
        return
    from dataclasses import replace

    from gklint.events import fold_case

    by_id = {r.id: kinds for r in rules if (kinds := hinted(r)) is not None}
    orphans_by: dict[tuple[str, str], tuple[dict[str, tuple[str, int, str]], list[tuple[str, int, str, str]]]] = {}
    for f in found:
        kinds = by_id.get(f.rule)  # type: ignore[assignment]
        if f.status not in ("missing", "pending") or not f.case or kinds is None:
            yield f
            continue
        if kinds not in orphans_by:
            by_digits: dict[str, tuple[str, int, str]] = {}  # digits -> the first (file, line, case)
            plain: list[tuple[str, int, str, str]] = []
            for c, file, line in orphans_of(*kinds):
                folded = fold_case(c) or ""
                digits = _digits(folded)
                if digits:
                    if digits not in by_digits or (file, line) < by_digits[digits][:2]:
                        by_digits[digits] = (file, line, str(c))
                else:
                    plain.append((file, line, str(c), folded))
            orphans_by[kinds] = (by_digits, sorted(plain))
        by_digits, plain = orphans_by[kinds]
        if not by_digits and not plain:  # (no response of the rule's kinds answers no trigger)
            yield f
            continue
        import difflib  # (only when some response answers no trigger)

        own = fold_case(f.case) or ""
        hit = by_digits.get(_digits(own)) if _digits(own) else next(
            ((file, line, c) for file, line, c, folded in plain
             if difflib.SequenceMatcher(None, own, folded).ratio() >= 0.8), None)
        if hit is None:
            yield f
            continue
        file, line, written = hit
        yield replace(f, message={
            "zh": f"{f.message['zh']}；{file}第{line}行的编号“{written}”与此相近，却对应不到任何触发事件，"
                  "是否为同一件而编号写法不一？",
            "en": f"{f.message['en']}; {file}:{line} has the case {written!r}, close to this one, and answers "
                  "nothing: the same case written differently?"})


def _dedupe(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Built-in findings raised by several rules about one row are reported once (the first)."""
    seen: set[tuple[Any, ...]] = set()
    for f in findings:
        if f.rule.startswith("GK"):
            # (a finding about no row, such as GK011 about a rule, is told apart by its message)
            key = (f.rule, f.file, f.line, f.period, None if f.line is not None else f.message.get("en"))
            if key in seen:
                continue
            seen.add(key)
        yield f
