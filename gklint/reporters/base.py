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


class Deferred:
    """Text a report writes now and places later, held as text, not as the findings it came from.

    A format whose head depends on every finding (SARIF lists the rules before the results, JUnit
    writes a suite's counts in its opening tag) keeps each finding's text here as it is made, then
    writes the head and copies the text after it. A large log's report (hundreds of thousands of
    findings, ``gklint.spool``) is then never in memory at once: the text stays in memory up to
    :data:`IN_MEMORY` bytes and goes to a temporary file beyond. ``write`` returns where the text
    starts; ``copy`` writes a stretch of what was written to ``out``."""

    IN_MEMORY = 16 << 20
    COPY = 1 << 20  # bytes copied at a time

    def __init__(self, format_name: str) -> None:
        import tempfile

        self.format_name = format_name
        self.size = 0
        self._file = tempfile.SpooledTemporaryFile(max_size=self.IN_MEMORY, mode="w+b", prefix="gklint-report-")

    def write(self, text: str) -> int:
        start = self.size
        data = text.encode("utf-8")
        try:
            self._file.write(data)
        except OSError as exc:  # a full or unwritable temporary folder: exit 2 saying which
            self._no_room(exc)
        self.size += len(data)
        return start

    def copy(self, out: IO[str], start: int, end: int) -> None:
        import codecs

        decoder = codecs.getincrementaldecoder("utf-8")()
        self._file.seek(start)
        while start < end:
            data = self._file.read(min(end - start, self.COPY))
            start += len(data)
            out.write(decoder.decode(data, final=start >= end))
        self._file.seek(0, 2)  # (writing goes on at the end)

    def close(self) -> None:
        self._file.close()

    def _no_room(self, exc: OSError) -> None:
        import tempfile

        from gklint.errors import ConfigError

        raise ConfigError(f"cannot hold the report in the temporary folder: {exc.strerror or exc}",
                          file=tempfile.gettempdir(),
                          hint=f"A --format {self.format_name} report is put together there before it is written: "
                               "free space in it, or set TMPDIR to a folder with room.") from None
