"""Engines: what runs a check's rules over the log (contract section 12).

Each engine is a module typed against :class:`Engine` and named in one registry, :data:`ENGINES`
(as pre-commit's languages are). ``python`` is the reference: plain Python over ``Event`` values,
the executable specification every other engine is held to. ``columnar`` runs the same rules as
relational plans. An engine module is imported only when it is chosen, so a pre-commit hook's
start-up never pays for a columnar library.

Every engine gives the same report, byte for byte: :mod:`gklint.engine` merges, selects and sorts
what an engine returns (:class:`Checked`) in one place, whichever engine found it.

An engine module may also define ``explain(exc)``: the error (exit 2) to say for a failure of its
resources rather than of gklint (:func:`explain`; the spark engine's: out of memory, its JVM gone).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from gklint.model import Finding

# engine name -> module. The names the command line and the configuration accept come from here.
ENGINES: dict[str, str] = {
    "python": "gklint.engines.python",
    "columnar": "gklint.engines.columnar",
    "spark": "gklint.engines.spark",
}
# Other names of an engine: the columnar engine under the name of the library it runs on.
ALIASES: dict[str, str] = {"duckdb": "columnar"}
NAMES = ("auto", *ENGINES, *ALIASES)


@dataclass
class Job:
    """What every engine is given: the options, the calendar, the vocabulary of the rulesets in
    force, the files (in order) and the selected rules (in ruleset order)."""

    options: Any  # gklint.engine.CheckOptions
    calendar: Any
    vocab: Any
    files: list[Path]
    rules: list[Any]
    progress: Any


@dataclass
class Checked:
    """What an engine found: findings about the data (rows, report tables, calendar coverage),
    findings of the rules in rule order (each rule's in the order the reference engine makes
    them), the files read, the events kept, and whatever the engine wants kept alive with the
    result (``CheckResult.index``)."""

    data: list[Finding]
    # Read once, in order: a list, a gklint.spool.Spool, or an iterator that runs the rules as it
    # is read (the columnar engine's: nothing is held between the engine and the report). Until it
    # is read to the end, only ``orphans_of`` may use the engine's connection.
    found: Iterable[Finding]
    files: list[str]
    events: int
    keep: Any = None
    # orphans_of(trigger kind, response kind): (case, file, line) of the response events whose
    # case answers no trigger (gklint.engine.orphans), in any order: for the case hints of
    # gklint.engine, whichever engine holds the events. Read once.
    orphans_of: Callable[[str, str], Iterable[tuple[str, str, int]]] | None = None
    # Called once the report is made (gklint.engine.run_check), whether or not that succeeded:
    # frees what the engine made outside this process (the spark engine's tables in its session).
    close: Callable[[], None] | None = None


class Engine(Protocol):
    """An engine module."""

    NAME: str

    def missing(self) -> str | None:
        """None when the engine can run here; else what to install or set up, for the user."""

    def check(self, job: Job) -> Checked:
        """Read the job's files and run its rules."""


def get(name: str) -> Engine:
    """The engine module called ``name`` (an alias is its engine); ConfigError when unknown."""
    from gklint.errors import ConfigError

    canonical = ALIASES.get(name, name)
    if canonical not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}", hint=f"Use one of: {', '.join(NAMES)}.")
    return import_module(ENGINES[canonical])  # type: ignore[return-value]


def choose(name: str, files: Sequence[Path], size: int) -> Engine:
    """The engine ``name`` asks for (``auto``: by the size of the input, :func:`auto`); ConfigError
    (exit 2) when it cannot run here, saying how to make it run."""
    from gklint.errors import ConfigError

    engine = get(auto(files, size) if name == "auto" else name)
    problem = engine.missing()
    if problem:
        raise ConfigError(f"the {name} engine cannot run: {problem}")
    if engine.NAME != "python" and not_utf8(files) is not None:
        # (the columnar engines keep file names as UTF-8 text; the reference engine gives the
        # same report, contract section 12, as it does for the rules and files they leave to it)
        engine = get("python")
    return engine


def not_utf8(files: Sequence[Path]) -> Path | None:
    """The first file whose name is not UTF-8 (its bytes held as surrogates): the columnar
    engines keep file names in tables of UTF-8 text, which cannot hold it, and such a run is the
    reference engine's (:func:`choose`). None when all are."""
    for f in files:
        try:
            str(f).encode("utf-8")
        except UnicodeEncodeError:
            return f
    return None


def explain(exc: BaseException) -> Exception | None:
    """The error to say for ``exc`` instead of calling it a bug of gklint's, when an engine this
    process has loaded knows it for a failure of its resources (its ``explain``, optional: the
    spark engine's says Spark ran out of memory or its JVM ended). None otherwise. Engines not
    loaded are not imported."""
    import sys

    for module in ENGINES.values():
        known = getattr(sys.modules.get(module), "explain", None)
        try:
            said = known(exc) if known is not None else None
        except Exception:  # noqa: BLE001 - asking must not hide the error asked about
            said = None
        if said is not None:
            return said
    return None


# ``auto`` hands logs of this many bytes or more to the columnar engine (docs/performance.md: where
# the columnar engine's start -- importing DuckDB, loading the log into a table -- is paid back).
AUTO_COLUMNAR_BYTES = 16 * 1024 * 1024


def auto(files: Sequence[Path], size: int) -> str:
    """``auto``'s choice: the columnar engine for a large input when it can run here, else the
    reference engine (a pre-commit hook's small log never imports a columnar library)."""
    if size >= AUTO_COLUMNAR_BYTES and get("columnar").missing() is None:
        return "columnar"
    return "python"
