"""``--format junit``: JUnit XML for CI test-report views (GitLab, Jenkins, Azure, ...).

One ``<testsuite>`` per file read (a clean file is an empty suite, so the report shows what was
checked), plus one suite named ``log:FOLDER`` for findings about periods rather than a file.
One ``<testcase>`` per finding, its name unique inside its suite; a ``<failure>`` whose
``type`` is the finding's status. Pending and waived findings do not fail a run, so they are
``<skipped>`` instead. ``errors`` is always 0: a run that cannot be done exits 2 with no report.
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from typing import Any

from gklint.display import shown
from gklint.model import Finding
from gklint.reporters import display_path
from gklint.reporters.base import Reporter

# Characters XML 1.0 cannot carry at all; a log may still contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SKIPPED = ("pending", "waived")


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


class JunitReporter(Reporter):
    name = "junit"

    def start(self, result: Any) -> None:
        self._suites: dict[str, list[Finding]] = {display_path(f): [] for f in result.files}
        self._log_suite = log_suite_name(list(result.files))

    def handle(self, finding: Finding) -> None:
        suite = display_path(finding.file) if finding.file else self._log_suite
        self._suites.setdefault(suite, []).append(finding)

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
        root = ET.Element("testsuites", {"name": "gklint"})
        totals = {"tests": 0, "failures": 0, "skipped": 0}
        for suite_name, findings in self._suites.items():
            suite = ET.SubElement(root, "testsuite", {"name": _clean(suite_name)})
            names: set[str] = set()
            for finding in findings:
                base = name = self._case_name(finding)
                n = 1
                while name in names:
                    n += 1
                    name = f"{base} #{n}"
                names.add(name)
                suite.append(self._testcase(suite_name, finding, name))
            counts = {"tests": len(findings),
                      "failures": sum(f.status not in _SKIPPED for f in findings),
                      "skipped": sum(f.status in _SKIPPED for f in findings)}
            suite.attrib.update({"tests": str(counts["tests"]), "failures": str(counts["failures"]),
                                 "errors": "0", "skipped": str(counts["skipped"])})
            for key in totals:
                totals[key] += counts[key]
        root.attrib.update({"tests": str(totals["tests"]), "failures": str(totals["failures"]),
                            "errors": "0", "skipped": str(totals["skipped"])})
        ET.indent(root)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(root, encoding="unicode"))
        self.out.write("\n")
