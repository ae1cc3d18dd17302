"""The command line. Each command only parses its options and calls ``gklint.commands``.

Errors map to exit codes in one place (:func:`run`): a ``GklintError`` is a one-paragraph
message on stderr and exit 2, never a traceback.
"""
from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from gklint import __version__
from gklint.engines import NAMES as ENGINE_NAMES  # the registries themselves; no engine or reporter
from gklint.reporters import NAMES as FORMATS  # module is imported

_LANG: str | None = None  # this invocation's language, decided before click parses (main)


def default_lang() -> str:
    """The language when no ``--lang`` is given: decided for this invocation from the
    configuration, the environment and the system (:func:`gklint.i18n.decide_lang`)."""
    if _LANG is not None:
        return _LANG
    from gklint.i18n import env_lang, system_lang

    return env_lang() or system_lang()


def _say(text: str) -> str:
    """A line of ours on stderr (``gklint: error: ...``), in this invocation's language."""
    if default_lang() != "zh":
        return text
    from gklint.i18n import translate

    return translate(text)


def entry() -> None:
    """The console script: run the command line, then leave at once.

    A check of a large log holds millions of small objects; freeing them one by one at
    interpreter exit took a second per million events and changes nothing, so after the
    output is flushed the process ends with ``os._exit``.
    """
    from gklint import lifetime

    global _ENDS_AFTER
    _ENDS_AFTER = True
    lifetime.RETAINED = []
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:
        code = 0
    except KeyboardInterrupt:  # outside run(): while click parses the command line
        sys.stderr.write("gklint: interrupted\n")
        code = 130
    except OSError as exc:  # click's own output (--version, --help) to a full disk or device
        sys.stderr.write(f"gklint: error: cannot write the output: {exc.strerror or exc}\n")
        code = 2
    if code is not None and not isinstance(code, int):
        from gklint.display import for_terminal

        sys.stderr.write(f"{for_terminal(str(code), keep_newlines=True)}\n")
        code = 1
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    except OSError as exc:  # what is left to write cannot be (a full disk behind a redirection)
        sys.stderr.write(f"gklint: error: cannot write the output: {exc.strerror or exc}\n")
        code = 2
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code or 0)


def run(fn: Callable[[], int]) -> None:
    """Call a command, mapping errors to exit codes in one place.

    The cyclic garbage collector is off for the command: gklint makes no reference cycles worth
    collecting, and scanning millions of live events again and again cost as much as reading them.
    It is on again afterwards when it was on before: a command run in a longer process (click's
    test runner, an application calling ``main``) left it off for good, and the cycles of what
    each command made were never freed (on the spark engine, py4j objects that kept their query
    plans alive in the JVM until its heap was full). The console script (:func:`entry`) leaves it
    off: the process ends next, and the first collection after turning it on would walk every
    object the command made (some 15 ms of a 20-row check's 170).
    """
    import gc

    from gklint.errors import GklintError

    enabled = gc.isenabled()
    gc.disable()
    try:
        code = fn()
    except GklintError as exc:
        _error(exc)
    except KeyboardInterrupt:
        click.echo("gklint: " + _say("interrupted"), err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        if exc.errno in _BAD_PATH and exc.filename is not None:
            # A path named by the user or a configuration that the system refuses outright (a name
            # past NAME_MAX, a loop of links), met wherever it is first looked at: exit 2.
            from gklint.display import for_terminal

            name = os.fsdecode(exc.filename)
            name = name if len(name) <= 120 else name[:60] + "…" + name[-20:]
            click.echo(("gklint: 错误：" if default_lang() == "zh" else "gklint: error: ")
                       + for_terminal(_say(f"{name}: the path cannot be used ({exc.strerror or exc})")), err=True)
            sys.exit(2)
        if exc.errno in _CANNOT_WRITE:  # output to a full disk or device behind a redirection
            click.echo(("gklint: 错误：" if default_lang() == "zh" else "gklint: error: ")
                       + _say(f"cannot write the output: {exc.strerror or exc}"), err=True)
            sys.exit(2)
        _internal_error(exc)
    except Exception as exc:  # noqa: BLE001 - the one place a bug of ours becomes exit 3
        _internal_error(exc)
    finally:
        if enabled and not _ENDS_AFTER:
            gc.enable()
    sys.exit(code)


_ENDS_AFTER = False  # True in the console script (entry), which ends the process after the command


_CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
_BAD_PATH = frozenset({errno.ENAMETOOLONG, errno.ELOOP})


def _error(exc: Any) -> None:
    """Say a GklintError in the user's language and exit with its code."""
    from gklint.display import for_terminal  # a message may echo a name or a cell
    from gklint.i18n import error_text

    lang = default_lang()
    click.echo(("gklint: 错误：" if lang == "zh" else "gklint: error: ")
               + for_terminal(error_text(exc, lang), keep_newlines=True), err=True)
    sys.exit(exc.exit_code)


def _internal_error(exc: Exception) -> None:
    """A bug of ours, not the user's: say so briefly (exit 3), or raise with GKLINT_DEBUG. An
    error an engine in use knows for its resources' (gklint.engines.explain: Spark out of memory,
    its JVM gone) is said as that engine says it instead."""
    from gklint.engines import explain

    said = explain(exc)
    if said is not None:
        _error(said)
    if os.environ.get("GKLINT_DEBUG"):
        raise exc
    from gklint.display import for_terminal

    click.echo("gklint: " + _say(f"internal error: {type(exc).__name__}: {for_terminal(str(exc))}") + "\n  "
               + _say("This is a bug in gklint; run again with GKLINT_DEBUG=1 for details and report it."), err=True)
    sys.exit(3)


def _as_of(value: str | None) -> Any:
    if value is None:
        return None
    from gklint.dates import parse_as_of
    from gklint.errors import ConfigError

    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise ConfigError(f"--as-of: {exc}", hint="Give a date such as 2018-12-31.") from None


LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                    help="Message language (default: from the locale).")


class _Main(click.Group):
    """The top-level group: decides the language before parsing, so that ``--help`` and usage
    errors speak it too (contract section 14)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        global _LANG
        from gklint import i18n

        _LANG = i18n.decide_lang(list(sys.argv[1:] if args is None else args))
        if _LANG == "zh" or i18n.touched():
            i18n.use_language(_LANG, self)
        return super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                            standalone_mode=standalone_mode, **extra)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gklint", message="%(prog)s %(version)s")
def main() -> None:
    """gklint: check government information disclosure logs (政务公开) against their time limits."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-r", "--ruleset", "rulesets", multiple=True, help="Bundled ruleset id or YAML path (repeatable).")
@click.option("--as-of", "as_of", help="The date the check is made on (default: today, China Standard Time).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None, help="Output format.")
@click.option("-o", "--output", help="Write the report to FILE (atomically) instead of stdout.")
@click.option("--select", multiple=True, help="Only these rule ids (globs; repeatable or comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids (globs; repeatable or comma-separated).")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default=None,
              help="Lowest severity that makes the exit status 1 (default: error).")
@click.option("--show-pending", is_flag=True, default=None, help="Also report deadlines not yet due.")
@LANG
@click.option("--config", "config_file", type=click.Path(), help="Configuration file (default: found by walking up).")
@click.option("--calendar", help="CN, a country the holidays package knows (NL, DE-BY, US-CA), or an overlay YAML file.")
@click.option("--timezone", help="IANA zone times are read in (default: the calendar's; Asia/Shanghai for CN).")
@click.option("--sheet", multiple=True, help="Worksheet of .xlsx, .xls and .et files (default: the first).")
@click.option("--period", "report_year", type=int, help="The year of report tables that have no 年度 row.")
@click.option("--statistics", is_flag=True, help="Also print the number of findings per rule.")
@click.option("--waivers", type=click.Path(), help="Waivers YAML file (default: config `waivers`).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default=None,
              help="What runs the rules: python (the reference), columnar (also called duckdb), spark, or auto "
                   "(default: by the size of the input). Every engine gives the same report.")
@click.option("--spark-master", default=None, metavar="URL",
              help="The Spark master the spark engine runs on (default: spark-submit's when run by it, else "
                   "local[*], this machine's cores).")
@click.option("--jobs", type=click.IntRange(0, None), default=None, hidden=True,
              help="Deprecated and ignored: large logs are the columnar engine's (--engine).")
def check(**kwargs: Any) -> None:
    """Check event logs (files or folders) against the rulesets in force."""
    def go() -> int:
        from gklint.commands.check import check as do_check
        from gklint.config import build_check_request

        kwargs.pop("jobs")  # accepted so that existing hooks keep working (docs/contract.md)
        exit_zero = kwargs.pop("exit_zero")
        request = build_check_request(kwargs, as_of=_as_of(kwargs.pop("as_of")), default_lang=default_lang(),
                                      is_tty=sys.stdout.isatty())
        code = do_check(request)
        return 0 if exit_zero else code

    run(go)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--within", type=click.IntRange(0, None), default=5, show_default=True,
              help="Due at most N working days after as-of (overdue ones are always listed).")
@click.option("--as-of", "as_of", help="The date the agenda is made on (default: today, China Standard Time).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "xlsx", "ics"]), default="text",
              help="text, json, xlsx (needs -o) or ics (a calendar file).")
@click.option("-o", "--output", help="Write the agenda to FILE (atomically) instead of stdout.")
@click.option("-r", "--ruleset", "rulesets", multiple=True, help="Bundled ruleset id or YAML path (repeatable).")
@LANG
@click.option("--config", "config_file", type=click.Path(), help="Configuration file (default: found by walking up).")
@click.option("--calendar", help="CN, a country the holidays package knows (NL, DE-BY, US-CA), or an overlay YAML file.")
@click.option("--timezone", help="IANA zone times are read in (default: the calendar's; Asia/Shanghai for CN).")
def agenda(**kwargs: Any) -> None:
    """What is still open and due within N working days, most urgent first."""
    def go() -> int:
        from gklint.commands.agenda import agenda as do_agenda
        from gklint.config import build_check_request

        within = kwargs.pop("within")
        output_format = kwargs.pop("output_format")
        request = build_check_request(kwargs, as_of=_as_of(kwargs.pop("as_of")), default_lang=default_lang(),
                                      is_tty=False)
        request.output_format = output_format
        return do_agenda(request, within)

    run(go)


@main.command()
@click.option("-r", "--ruleset", "rulesets", multiple=True, help="Bundled ruleset id or YAML path (repeatable).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@LANG
def rules(rulesets: tuple[str, ...], output_format: str, lang: str | None) -> None:
    """List the rules in force."""
    from gklint.commands.rules import list_rules

    run(lambda: list_rules(rulesets, output_format, lang or default_lang(), sys.stdout))


@main.command()
@click.argument("rule_id")
@click.option("-r", "--ruleset", "rulesets", multiple=True, help="Also look in these rulesets.")
@LANG
def explain(rule_id: str, rulesets: tuple[str, ...], lang: str | None) -> None:
    """What a rule checks, its source document, clause and quote."""
    from gklint.commands.rules import explain as do_explain

    run(lambda: do_explain(rule_id, rulesets, lang or default_lang(), sys.stdout))


@main.group()
@click.option("--calendar", "calendar_name", default="CN",
              help="CN, a country the holidays package knows (NL, DE-BY, US-CA), or an overlay YAML file.")
@click.pass_context
def calendar(ctx: click.Context, calendar_name: str) -> None:
    """Working-day arithmetic on the official calendar."""
    ctx.obj = calendar_name


def _cal(ctx: click.Context) -> Any:
    from gklint.calendar import load_calendar

    return load_calendar(ctx.obj or "CN")


@calendar.command("is-workday")
@click.argument("date")
@click.pass_context
def is_workday(ctx: click.Context, date: str) -> None:
    """Print yes or no."""
    from gklint.commands import calendar_cmd

    run(lambda: calendar_cmd.is_workday(_cal(ctx), date, sys.stdout))


@calendar.command("add")
@click.argument("date")
@click.argument("n", type=int)
@click.pass_context
def add(ctx: click.Context, date: str, n: int) -> None:
    """Print the N-th working day after DATE."""
    from gklint.commands import calendar_cmd

    run(lambda: calendar_cmd.add(_cal(ctx), date, n, sys.stdout))


@calendar.command("count")
@click.argument("start")
@click.argument("end")
@click.pass_context
def count(ctx: click.Context, start: str, end: str) -> None:
    """Print the number of working days in (START, END]."""
    from gklint.commands import calendar_cmd

    run(lambda: calendar_cmd.count(_cal(ctx), start, end, sys.stdout))


@calendar.command("year")
@click.argument("year", type=int)
@LANG
@click.pass_context
def year(ctx: click.Context, year: int, lang: str | None) -> None:
    """The year's days off and make-up working days."""
    from gklint.commands import calendar_cmd

    run(lambda: calendar_cmd.year(_cal(ctx), year, sys.stdout, lang or default_lang()))


@main.command()
@click.argument("folder", default=".", type=click.Path())
@click.option("-r", "--ruleset", "rulesets", multiple=True,
              help="A work plan (bundled ruleset id or YAML path) that binds this office (repeatable).")
@click.option("-i", "--interactive", is_flag=True, help="Choose the work plans from a list (on a terminal).")
@LANG
def init(folder: str, rulesets: tuple[str, ...], interactive: bool, lang: str | None) -> None:
    """Write gklint.toml, waivers.yaml and .pre-commit-config.yaml (never overwriting)."""
    from gklint.commands.init import init as do_init

    run(lambda: do_init(folder, sys.stdout, lang or default_lang(), rulesets, interactive))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--year", type=int, required=True, help="The report year.")
@click.option("--template", type=click.Choice(["2008", "2019", "2021"]), default=None,
              help="Annual-report table format (default: the year's: 2008 up to 2018, 2019 for 2019-2020, "
                   "2021 from 2021).")
@click.option("--format", "output_format", type=click.Choice(["csv", "markdown", "xlsx"]), default=None,
              help="csv: a report table gklint check reads; markdown: the same table in Markdown; xlsx: a "
                   "workbook (needs -o; the default for -o FILE.xlsx).")
@click.option("-o", "--output", help="Write the table to FILE (atomically) instead of stdout.")
@click.option("-r", "--ruleset", "rulesets", multiple=True, help="Bundled ruleset id or YAML path (repeatable).")
@LANG
@click.option("--config", "config_file", type=click.Path(), help="Configuration file (default: found by walking up).")
def stats(**kwargs: Any) -> None:
    """Count the annual report's request figures (依申请公开) from event logs."""
    def go() -> int:
        from gklint.commands.stats import build_stats_request
        from gklint.commands.stats import stats as do_stats

        return do_stats(build_stats_request(kwargs, default_lang=default_lang()))

    run(go)


@main.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@LANG
def test_fixtures(paths: tuple[str, ...], lang: str | None) -> None:
    """Run ruleset test fixtures (folders with expected.yaml)."""
    from gklint.commands.fixtures import run_tests

    run(lambda: run_tests(paths, sys.stdout, lang or default_lang()))


if __name__ == "__main__":  # pragma: no cover
    main()
