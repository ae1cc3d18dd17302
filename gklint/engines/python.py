"""``--engine python``: the reference engine, plain Python over ``Event`` values.

The log is read row by row (:mod:`gklint.events`), indexed once by event kind
(:class:`gklint.kinds.base.EventIndex`), and each rule's kind module evaluates it; the problems a
kind yields get the rule's id, severity and ruleset here, in one place. This engine is the
executable specification: every other engine must give its report byte for byte.
"""
from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from gklint.engines import Checked, Job
from gklint.model import Finding

NAME = "python"


def missing() -> str | None:
    return None


def check(job: Job) -> Checked:
    from gklint import lifetime
    from gklint.engine import coverage_findings, orphans, table_format_findings
    from gklint.events import read_events
    from gklint.filters import events_carry, unmatched_filters
    from gklint.kinds.base import EventIndex

    options = job.options
    log = read_events(job.files, job.vocab, as_of=options.as_of, columns=options.columns, sheet=options.sheet,
                      progress=job.progress, ledger=options.ledger, zone=options.timezone)
    index = EventIndex(log.events)
    lifetime.retain(log)
    lifetime.retain(index)
    tables = log.tables
    if options.report_year is not None:
        from dataclasses import replace

        tables = [replace(t, year=options.report_year) for t in tables]
    data = list(log.findings)
    data.extend(coverage_findings(coverage_candidates(index, job.calendar), index.first_date, job.calendar,
                                  options.as_of))
    data.extend(unmatched_filters(job.rules, events_carry(index.by_kind), log.headers, job.vocab.attributes))
    data.extend(table_format_findings(job.rules, tables))  # which format checks each table (GK015/GK016)
    found = evaluate(job, index, tables, job.rules)
    return Checked(data=data, found=found, files=log.files, events=len(log.events), keep=index,
                   orphans_of=lambda trigger, response: orphans(_rows_of(index), trigger, response))


def _rows_of(index: Any) -> Any:
    """(case, file, line) of the events of a kind (``gklint.engine.orphans``)."""
    return lambda kind: ((ev.case, ev.file, ev.line) for ev in index.by_kind.get(kind, ()))


def evaluate(job: Job, index: Any, tables: Sequence[Any], rules: Iterable[Any]) -> list[Finding]:
    """The findings of ``rules`` over ``index``, rule by rule."""
    from gklint.engine import rule_window
    from gklint.kinds import KINDS, TABLE_KINDS
    from gklint.kinds.base import EvalContext

    out: list[Finding] = []
    for number, rule in enumerate(rules, 1):
        job.progress.show(f"gklint: checking {rule.id} ({number}/{len(job.rules)})")
        if rule.kind in TABLE_KINDS and not tables:
            continue  # nothing for it to check: do not even import it
        window_from, window_until = rule_window(rule)
        ctx = EvalContext(calendar=job.calendar, as_of=job.options.as_of, index=index, window_from=window_from,
                          window_until=window_until, label=job.vocab.label, units=job.options.units, tables=tables)
        out.extend(stamp(rule, p) for p in KINDS[rule.kind].evaluate(rule.compiled(), ctx))
    return out


def stamp(rule: Any, problem: Any) -> Finding:
    """The one place a problem gets its rule id, severity and ruleset (a built-in rule raised while
    evaluating, such as GK005, keeps its own and belongs to no ruleset)."""
    (status, message, file, line, case, unit, period, start, due, actual, overdue, response, column, group, builtin,
     severity) = problem  # (by position: a large log's report stamps millions)
    return Finding(builtin or rule.id, severity or rule.severity, status, message, file, line,
                   None if builtin else (rule.ruleset.id if rule.ruleset else None), case, unit, period, start, due,
                   actual, overdue, response, column, group)


def coverage_candidates(index: Any, calendar: Any) -> dict[int, tuple[str, int]]:
    """The first row (file, line) of each uncovered year in the log (each kind's events are in
    date order, so a year is a slice found by bisection)."""
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
