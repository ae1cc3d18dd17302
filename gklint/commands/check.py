"""``gklint check``: the main job."""
from __future__ import annotations

import datetime as dt
import operator
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from gklint.engine import CheckOptions, CheckResult, run_check, selected
from gklint.output import open_output
from gklint.ruleset import Ruleset, default_ids, load_rulesets
from gklint.waivers import Waiver, apply_per_file_ignores, load_waivers, waived


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
    timezone: str | None = None  # --timezone / config timezone (None: the calendar's zone)
    units: Sequence[str] = ()
    columns: dict[str, str] | None = None
    sheet: str | None = None
    ledger: dict[str, object] | None = None  # config [ledger] (contract section 10)
    report_year: int | None = None
    report_only: Sequence[str] | None = None
    color: bool = False
    statistics: bool = False
    engine: str = "auto"  # --engine (gklint.engines)
    spark_master: str | None = None  # --spark-master (gklint.engines.spark)
    extra: dict[str, object] = field(default_factory=dict)


def rulesets_in_force(names: Sequence[str]) -> list[Ruleset]:
    """Named rulesets, or the bundled ones that bind every office (contract section 14; each
    inside its own effective window)."""
    return load_rulesets(list(names) if names else default_ids())


def execute(request: CheckRequest) -> CheckResult:
    from gklint.dates import today_cst

    waivers_file = request.extra.get("waivers")
    waivers = load_waivers(str(waivers_file)) if waivers_file else []  # a bad file stops the run first
    rulesets = rulesets_in_force(request.rulesets)
    # Pending findings and findings outside `report_only` are kept until waivers have seen them:
    # a waiver used only by those is not stale.
    options = CheckOptions(
        as_of=request.as_of or today_cst(), select=request.select, ignore=request.ignore,
        show_pending=True, fail_on=request.fail_on, calendar=request.calendar,
        timezone=request.timezone, units=request.units, columns=request.columns, sheet=request.sheet, ledger=request.ledger,
        report_year=request.report_year, progress=request.output_format == "text", engine=request.engine,
        spark_master=request.spark_master,
        # (waivers change findings, which an engine's written JSON cannot be)
        encoded=request.lang if request.output_format == "json" and not waivers else None)
    return post_process(run_check(request.paths, rulesets, options), request, waivers)


def post_process(result: CheckResult, request: CheckRequest, waivers: Sequence[Waiver] = ()) -> CheckResult:
    """Config ``per_file_ignores``, then waivers, then ``report_only`` (the pre-commit mode) and
    ``--show-pending``, in that order. ``result`` comes from ``run_check``, its findings in
    report order; each step keeps that order. A spilled report (``gklint.spool``) stays on disk
    through every step (waivers put it in order again in a spool of their own)."""
    from gklint.spool import kept

    config_file = request.extra.get("config_file")
    per_file_ignores = request.extra.get("per_file_ignores") or {}
    findings = apply_per_file_ignores(result.findings, per_file_ignores,  # type: ignore[arg-type]
                                      base=str(Path(str(config_file)).parent) if config_file else None)
    if waivers:  # (the only step that adds findings, GK020/GK021, out of report order: sorted again)
        from gklint.spool import Spool

        report = Spool((f for f in waived(findings, waivers, result.as_of) if selected(f.rule, request.select,
                                                                                       request.ignore)),
                       key=operator.attrgetter("sort_key"))
        findings = report.settled()
    if request.report_only is not None:
        # A finding belongs to the given files when its row or its response row lies in them
        # (contract section 14): a late reply committed in this month's file is judged with it,
        # though the request it answers sits in last month's.
        keep = {Path(p).resolve() for p in request.report_only}
        files = {f.file for f in findings} | {f.response.get("file") for f in findings if f.response}
        kept_files = {file for file in files if file is not None and Path(file).resolve() in keep}
        findings = kept(findings, lambda f: f.file in kept_files
                        or (f.response is not None and f.response.get("file") in kept_files))
    # run_check kept the pending findings (execute asks it to) and counted them: a report no
    # step above changed need not be read again to count them (a spilled one is read from disk)
    unchanged = findings is result.findings
    pending = result.pending if unchanged else sum(f.status == "pending" for f in findings)
    if not request.show_pending and pending:
        findings = kept(findings, lambda f: f.status != "pending")  # (pending findings are not in the tally)
    # The tally run_check counted holds while no step above but the last changed the findings.
    return replace(result, findings=findings, pending=pending, tally=result.tally if unchanged else None)


def run_inputs(result: CheckResult, request: CheckRequest) -> list[str | None]:
    """Every file the run read: logs (folders walked, config ``paths`` included), rulesets,
    waivers, the configuration file and a calendar overlay."""
    return [*result.files, *(rs.path for rs in result.rulesets), str(request.extra.get("waivers") or "") or None,
            str(request.extra.get("config_file") or "") or None, request.calendar]


def raise_needs_file(output_format: str) -> None:
    from gklint.errors import ConfigError

    raise ConfigError(f"--format {output_format} writes a file, not terminal text: -o FILE is required",
                      hint=f"Add -o, e.g. -o report.{output_format} (or -o - to write it to stdout on purpose).")


def check(request: CheckRequest) -> int:
    from gklint.reporters import get_reporter

    reporter_class = get_reporter(request.output_format)
    folder = getattr(reporter_class, "folder", False)  # a dataset written into -o DIR (parquet)
    if folder and request.output in (None, "-"):
        from gklint.errors import ConfigError

        raise ConfigError(f"--format {request.output_format} writes a folder: -o DIR is required",
                          hint="Add -o with a new folder, e.g. -o findings/.")
    if reporter_class.needs_file and request.output is None:
        raise_needs_file(request.output_format)
    result = execute(request)
    if folder:
        from gklint.reporters.parquet import write

        spark = None
        if request.engine == "spark":  # its executors write the part files
            from gklint.engines import spark as spark_engine

            spark = spark_engine.current()
        write(result, str(request.output), request.lang, spark=spark)
        if request.statistics:
            from gklint.reporters.statistics import write_statistics

            write_statistics(result, sys.stderr, request.lang)
        return result.exit_code(request.fail_on)
    rules = {r.id: r for rs in result.rulesets for r in rs.rules}
    with open_output(request.output, inputs=run_inputs(result, request), binary=reporter_class.binary) as out:
        reporter = reporter_class(
            out, lang=request.lang, color=request.color and request.output is None, rules=rules)
        reporter.report(result)
        if request.statistics:
            from gklint.reporters.statistics import write_statistics

            write_statistics(result, out if request.output_format == "text" else sys.stderr, request.lang)
    return result.exit_code(request.fail_on)
