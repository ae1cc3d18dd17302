"""``--format junit``: JUnit XML for CI test-report views (GitLab, Jenkins, Azure, ...).

One ``<testsuite>`` per file read (a clean file is an empty suite, so the report shows what was
checked), plus one suite named ``log:FOLDER`` for findings about periods rather than a file.
One ``<testcase>`` per finding, its name unique inside its suite; a ``<failure>`` whose
``type`` is the finding's status. Pending and waived findings do not fail a run, so they are
``<skipped>`` instead. ``errors`` is always 0: a run that cannot be done exits 2 with no report.

A suite's counts open it, so its test cases are written as they come (``base.Deferred``, each laid
out as ``ET.indent`` lays out the whole document) and copied into the document at the end: a large
report is never a tree in memory.
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from typing import Any

from gklint.display import shown
from gklint.model import Finding
from gklint.reporters import display_path
from gklint.reporters.base import Deferred, Reporter

# Characters XML 1.0 cannot carry at all; a log may still contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SKIPPED = ("pending", "waived")
_STAND_IN = "gklint-cases"  # where a suite's cases go (finish)


def _clean(text: object) -> str:
    """Text XML 1.0 can carry: a non-UTF-8 byte of a file name as ``\\xNN``, any other
    character it cannot carry as U+FFFD."""
    return _NOT_XML.sub("\ufffd", shown("" if text is None else str(text)))


def log_suite_name(files: list[str]) -> str:
    """``log:FOLDER``, the folder holding every file of the log (``log:.`` for the current one)."""
    folders = [os.path.dirname(display_path(f)) or "." for f in files]
    try:
        common = os.path.commonpath(folders) if folders else "."
    except ValueError:  # pragma: no cover - files on different Windows drives
        common = "."
    return f"log:{common.replace(os.sep, '/') or '.'}"


class _Suite:
    """One suite's counts, its cases' names so far, and where its cases' text lies (``Deferred``)."""

    __slots__ = ("tests", "failures", "skipped", "names", "spans")

    def __init__(self) -> None:
        self.tests = self.failures = self.skipped = 0
        self.names: set[str] = set()
        self.spans: list[list[int]] = []  # [start, end] stretches of the written cases, in order


def _counts(suites: list[_Suite]) -> dict[str, str]:
    """The count attributes of a suite, or of all of them (``<testsuites>``)."""
    return {"tests": str(sum(s.tests for s in suites)), "failures": str(sum(s.failures for s in suites)),
            "errors": "0", "skipped": str(sum(s.skipped for s in suites))}


class JunitReporter(Reporter):
    name = "junit"

    def start(self, result: Any) -> None:
        self._suites: dict[str, _Suite] = {display_path(f): _Suite() for f in result.files}
        self._log_suite = log_suite_name(list(result.files))
        self._cases = Deferred(self.name)

    def handle(self, finding: Finding) -> None:
        suite_name = display_path(finding.file) if finding.file else self._log_suite
        suite = self._suites.setdefault(suite_name, _Suite())
        base = name = self._case_name(finding)
        n = 1
        while name in suite.names:
            n += 1
            name = f"{base} #{n}"
        suite.names.add(name)
        case = self._testcase(suite_name, finding, name)
        # Laid out as ET.indent lays out the document, a case 2 deep with its one child (ET.indent
        # itself leaves a reference cycle a call, kept while a command runs with the collector off).
        case.text, case[0].tail = "\n      ", "\n    "
        text = ("\n    " if suite.tests else "") + ET.tostring(case, encoding="unicode")
        start = self._cases.write(text)
        if suite.spans and suite.spans[-1][1] == start:
            suite.spans[-1][1] = self._cases.size
        else:
            suite.spans.append([start, self._cases.size])
        suite.tests += 1
        if finding.status in _SKIPPED:
            suite.skipped += 1
        else:
            suite.failures += 1

    def _case_name(self, finding: Finding) -> str:
        parts = [finding.rule]
        if finding.line:
            parts.append(f"line {finding.line}")
        for value in (finding.case, finding.unit, finding.period):
            if value:
                parts.append(str(value))
        return " ".join(parts)

    def _testcase(self, suite_name: str, finding: Finding, name: str) -> ET.Element:
        attrs = {"classname": _clean(suite_name), "name": _clean(name)}
        if finding.file:
            attrs["file"] = _clean(display_path(finding.file))
        if finding.line:
            attrs["line"] = str(finding.line)
        case = ET.Element("testcase", attrs)
        message = _clean(finding.text(self.lang))
        if finding.status in _SKIPPED:
            ET.SubElement(case, "skipped", {"message": f"{finding.status}: {message}"})
            return case
        failure = ET.SubElement(case, "failure", {"message": message, "type": _clean(finding.status)})
        details = [f"{k}: {v}" for k, v in (
            ("rule", finding.rule), ("ruleset", finding.ruleset), ("severity", finding.severity),
            ("status", finding.status), ("file", finding.file and display_path(finding.file)), ("line", finding.line),
            ("case", finding.case), ("unit", finding.unit), ("period", finding.period),
            ("start", finding.start), ("due", finding.due), ("actual", finding.actual)) if v is not None]
        if finding.overdue:
            details.append(f"overdue: {finding.overdue.get('value')} {finding.overdue.get('unit')}")
        failure.text = _clean("\n".join([message, *details]))
        return case

    def finish(self, result: Any) -> None:
        # Every attribute and text below goes through _clean: a file name, a cell or a ruleset
        # text may hold a control character that XML 1.0 cannot carry even as a reference.
        # The document is made with a stand-in element for each suite's cases, then written with
        # the cases copied in where it stands (no text of the log can hold a tag).
        suites = list(self._suites.values())
        root = ET.Element("testsuites", {"name": "gklint", **_counts(suites)})
        for i, (suite_name, suite) in enumerate(self._suites.items()):
            element = ET.SubElement(root, "testsuite", {"name": _clean(suite_name), **_counts([suite])})
            if suite.tests:
                ET.SubElement(element, _STAND_IN, {"n": str(i)})
        ET.indent(root)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        parts = re.split(f'<{_STAND_IN} n="([0-9]+)" />', ET.tostring(root, encoding="unicode"))
        for j, part in enumerate(parts):
            if j % 2 == 0:
                self.out.write(part)
                continue
            for start, end in suites[int(part)].spans:
                self._cases.copy(self.out, start, end)
        self.out.write("\n")
        self._cases.close()
