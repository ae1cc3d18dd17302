"""``--format json``: exactly one JSON object (contract section 5).

Laid out one finding per line: readable, diff-friendly, and written by the C encoder (an
indented dump goes through the pure-Python one, which cost seconds on a large log)::

    {"gklint": "1.0.0", "as_of": "2021-12-31",
     "findings": [
      {"rule": "SH21-REPLY-5WD", ...},
      {"rule": "GK002", ...}
     ],
     "summary": {"files": 1, ...}}
"""
from __future__ import annotations

import json
from typing import Any

from gklint import __version__
from gklint.model import Finding
from gklint.reporters.base import Reporter

_encode = json.JSONEncoder(ensure_ascii=False).encode
_quote = json.encoder.encode_basestring  # a str as the encoder above writes it (C)


def finding_json(finding: Finding, lang: str) -> str:
    """``_encode(finding.to_json(lang))``, written field by field: the same text at a third of
    the cost (a large log's report holds hundreds of thousands of findings;
    ``tests/test_output.py`` holds the two to each other)."""
    f = finding
    if not (f.line is None or f.line.__class__ is int):
        return _encode(f.to_json(lang))
    q = _quote
    try:
        return _fields(f, lang, q)
    except TypeError:  # a field that is not text (findings are not made so): the encoder decides
        return _encode(f.to_json(lang))


def _fields(f: Finding, lang: str, q: Any) -> str:
    return (f'{{"rule": {q(f.rule)}, '
            f'"ruleset": {"null" if f.ruleset is None else q(f.ruleset)}, '
            f'"severity": {q(f.severity)}, '
            f'"status": {q(f.status)}, '
            f'"message": {q(f.text(lang))}, '
            f'"file": {"null" if f.file is None else q(f.file)}, '
            f'"line": {"null" if f.line is None else f.line}, '
            f'"case": {"null" if f.case is None else q(f.case)}, '
            f'"unit": {"null" if f.unit is None else q(f.unit)}, '
            f'"period": {"null" if f.period is None else q(f.period)}, '
            f'"start": {"null" if f.start is None else q(f.start)}, '
            f'"due": {"null" if f.due is None else q(f.due)}, '
            f'"actual": {"null" if f.actual is None else q(f.actual)}, '
            f'"overdue": {_overdue(f.overdue, q)}}}')


def _overdue(overdue: Any, q: Any) -> str:
    if overdue is None:
        return "null"
    if overdue.__class__ is dict and tuple(overdue) == _OVERDUE_KEYS and overdue["value"].__class__ is int:
        return f'{{"value": {overdue["value"]}, "unit": {q(overdue["unit"])}}}'  # as the kinds make it
    return _encode(overdue)


_OVERDUE_KEYS = ("value", "unit")


class JsonReporter(Reporter):
    name = "json"

    def start(self, result: Any) -> None:
        self.out.write(f'{{"gklint": {_encode(__version__)}, "as_of": {_encode(result.as_of.isoformat())},\n'
                       ' "findings": [')
        self._first = True

    def handle(self, finding: Finding) -> None:
        self.out.write(("\n  " if self._first else ",\n  ") + finding_json(finding, self.lang))
        self._first = False

    def finish(self, result: Any) -> None:
        self.out.write(("]" if self._first else "\n ]") + f',\n "summary": {_encode(result.counts())}}}\n')
