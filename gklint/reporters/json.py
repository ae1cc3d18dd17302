"""``--format json``: exactly one JSON object (contract section 5).

Laid out one finding per line: readable and diff-friendly::

    {"gklint": "1.1.0", "as_of": "2021-12-31",
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
from gklint.model import Encoded, Finding
from gklint.reporters.base import Reporter, ruleset_ids

# The one encoding of the report's values (a plan that writes findings as JSON uses it too).
encode = json.JSONEncoder(ensure_ascii=False).encode


class JsonReporter(Reporter):
    name = "json"

    def start(self, result: Any) -> None:
        self.out.write(f'{{"gklint": {encode(__version__)}, "as_of": {encode(result.as_of.isoformat())},\n'
                       ' "findings": [')
        self._first = True

    def handle(self, finding: Finding | Encoded) -> None:
        # (a finding the engine wrote in this report's language is written as it is)
        text = finding.json if type(finding) is Encoded and finding.lang == self.lang else encode(
            finding.to_json(self.lang))
        self.out.write(("\n  " if self._first else ",\n  ") + text)
        self._first = False

    def finish(self, result: Any) -> None:
        # The summary's counts (contract section 5), then the rulesets in force (section 14).
        summary = {**result.counts(), "rulesets": ruleset_ids(result)}
        self.out.write(("]" if self._first else "\n ]") + f',\n "summary": {encode(summary)}}}\n')
