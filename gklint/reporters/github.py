"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=N,title=RULE::message`` (``::warning`` / ``::notice`` by severity;
pending and waived findings are notices, since they do not fail the run). A period finding has
no file, so its annotation has no ``file=`` (the message names the period). The summary line
closes the output, as in text. Escaping is GitHub's own (``@actions/core``): ``%``, CR and LF
in the message; also ``:`` and ``,`` in property values.
"""
from __future__ import annotations

from typing import Any

from gklint.display import for_terminal
from gklint.model import Finding
from gklint.reporters import display_path
from gklint.reporters.base import Reporter

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """GitHub's escaping, then any other control character shown as ``\\x1b`` (an annotation is
    also printed to the job's log, which is a terminal)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return for_terminal(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def handle(self, finding: Finding) -> None:
        quiet = finding.status in ("pending", "waived")  # they do not fail the run
        command = "notice" if quiet else COMMANDS.get(finding.severity, "warning")
        props: list[tuple[str, str]] = []
        if finding.file:
            props.append(("file", display_path(finding.file)))
            if finding.line:
                props.append(("line", str(finding.line)))
        props.append(("title", f"{finding.rule} ({finding.status})" if quiet else finding.rule))
        rendered = ",".join(f"{k}={escape_property(v)}" for k, v in props)
        self.out.write(f"::{command} {rendered}::{escape_data(finding.text(self.lang))}\n")

    def finish(self, result: Any) -> None:
        from gklint.reporters.text import TextReporter

        TextReporter(self.out, lang=self.lang).finish(result)
