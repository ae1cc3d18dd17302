"""One exception family for everything that stops a run (exit status 2).

A check that finds a bad *row* yields a finding instead; these are for what makes the
whole run impossible: an unreadable file, an invalid ruleset, a bad option.
"""
from __future__ import annotations

from collections.abc import Iterable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class GklintError(Exception):
    """A user-facing error: names the file (and line), says how to fix it."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  {self.hint}"
        return text


class CalendarError(GklintError):
    """A calendar overlay that cannot be used."""


class RulesetError(GklintError):
    """A ruleset that is not valid YAML, violates the schema, or makes no sense."""


class InputError(GklintError):
    """An event log or report table that cannot be read at all."""


class ConfigError(GklintError):
    """A configuration file or command-line option that cannot be used."""


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option most like ``word`` for a "did you mean" hint (difflib's close matches), or
    None. difflib is imported only when something is misspelled."""
    import difflib

    return next(iter(difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)), None)
