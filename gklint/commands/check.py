"""``gklint check``: the main job."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from gklint.engine import CheckOptions, CheckResult, run_check
from gklint.errors import EXIT_OK
from gklint.output import open_output
from gklint.ruleset import Ruleset, bundled_ids, load_rulesets


@dataclass
class CheckRequest:
    paths: Sequence[str]
    rulesets: Sequence[str] = ()
    as_of: dt.date | None = None
    output_format: str = "text"
    output: str | None = None
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fail_on: str = "error"
    show_pending: bool = False
    lang: str = "en"
    calendar: str = "CN"
    units: Sequence[str] = ()
    columns: dict[str, str] | None = None
    sheet: str | None = None
    report_only: Sequence[str] | None = None
    color: bool = False
    statistics: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def rulesets_in_force(names: Sequence[str]) -> list[Ruleset]:
    """Named rulesets, or every bundled one (each inside its own effective window)."""
    return load_rulesets(list(names) if names else bundled_ids())


def execute(request: CheckRequest) -> CheckResult:
    from gklint.dates import today_cst

    rulesets = rulesets_in_force(request.rulesets)
    options = CheckOptions(
        as_of=request.as_of or today_cst(), select=request.select, ignore=request.ignore,
        show_pending=request.show_pending, fail_on=request.fail_on, calendar=request.calendar,
        units=request.units, columns=request.columns, sheet=request.sheet, report_only=request.report_only)
    return run_check(request.paths, rulesets, options)


def check(request: CheckRequest, stdout: TextIO | None = None) -> int:
    from gklint.reporters import get_reporter

    result = execute(request)
    rules = {r.id: r for rs in result.rulesets for r in rs.rules}
    with open_output(request.output) as out:
        reporter = get_reporter(request.output_format)(
            out, lang=request.lang, color=request.color and request.output is None, rules=rules)
        reporter.report(result)
        if request.statistics:
            from gklint.reporters.statistics import write_statistics

            write_statistics(result, out if request.output_format == "text" else _stderr(), request.lang)
    code = result.exit_code(request.fail_on)
    return code if code else EXIT_OK


def _stderr() -> TextIO:
    import sys

    return sys.stderr
