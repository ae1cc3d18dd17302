"""The one lifecycle every reporter shares: start, handle each finding, finish.

Concrete reporters only say how a finding and a summary look; writing (to stdout or,
atomically, to ``-o FILE``) is the caller's business.
"""
from __future__ import annotations

from typing import IO, Any

from gklint.model import Finding


class Reporter:
    """Subclasses override ``start``, ``handle`` and ``finish``; ``report`` drives them."""

    name = "base"
    machine = True  # machine formats get no colour and no progress bar
    binary = False  # writes bytes (``out`` is a binary stream), e.g. an .xlsx workbook
    needs_file = False  # a format that is no use on a terminal: ``-o FILE`` is required

    def __init__(self, out: IO[str], *, lang: str = "en", color: bool = False, rules: dict[str, Any] | None = None) -> None:
        self.out = out
        self.lang = lang
        self.color = color
        self.rules = rules or {}

    def start(self, result: Any) -> None:
        """Before the first finding."""

    def handle(self, finding: Finding) -> None:
        """One finding."""

    def finish(self, result: Any) -> None:
        """After the last finding."""

    def report(self, result: Any) -> None:
        self.start(result)
        for finding in result.findings:
            self.handle(finding)
        self.finish(result)


def location(finding: Finding) -> str:
    """``FILE:LINE`` for a row, ``FILE`` for a file, the period for a period finding."""
    if finding.file and finding.line:
        return f"{finding.file}:{finding.line}"
    if finding.file:
        return finding.file
    return finding.period or "-"


def ruleset_ids(result: Any) -> list[str]:
    """The ids of the rulesets in force in a run, in the order they were named."""
    return [rs.id for rs in getattr(result, "rulesets", None) or ()]
