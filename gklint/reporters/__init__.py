"""Reporters, one registry: ``--format``'s choices (CLI and config) come from ``REPORTERS``.

Entries are ``"module:Class"`` strings, imported only when chosen: ``gklint.cli`` reads the
names at start-up (pre-commit runs gklint on every commit), so importing this package must
stay as cheap as a dict.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gklint.reporters.base import Reporter

REPORTERS: dict[str, str] = {
    "text": "gklint.reporters.text:TextReporter",
    "json": "gklint.reporters.json:JsonReporter",
    "sarif": "gklint.reporters.sarif:SarifReporter",
    "junit": "gklint.reporters.junit:JunitReporter",
    "github": "gklint.reporters.github:GithubReporter",
    "html": "gklint.reporters.html:HtmlReporter",
    "xlsx": "gklint.reporters.xlsx:XlsxReporter",
    "parquet": "gklint.reporters.parquet:ParquetReporter",
}
NAMES: tuple[str, ...] = tuple(REPORTERS)


def get_reporter(name: str) -> type[Reporter]:
    module, _, cls = REPORTERS[name].partition(":")
    return getattr(import_module(module), cls)  # type: ignore[no-any-return]


def display_path(file: str) -> str:
    """A log file as CI systems want it: relative to the working directory (the repository root
    in CI) when it lies under it, with forward slashes on every platform, a byte that is not
    UTF-8 shown as ``\\xNN`` (:func:`gklint.display.shown`). Worked out once a file and working
    directory: reporters ask it for every finding (some 5 µs a call)."""
    import os

    return _display_path(file, os.getcwd())


@lru_cache(maxsize=4096)
def _display_path(file: str, cwd: str) -> str:
    from gklint.display import shown

    return shown(raw_display_path(file))


def raw_display_path(file: str) -> str:
    """:func:`display_path` with the file name's bytes as they are (for a percent-encoded URI)."""
    from pathlib import Path

    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return path.as_posix()
