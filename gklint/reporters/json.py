"""``--format json``: exactly one JSON object (contract section 5)."""
from __future__ import annotations

import json
from typing import Any

from gklint import __version__
from gklint.model import Finding
from gklint.reporters.base import Reporter


class JsonReporter(Reporter):
    name = "json"

    def start(self, result: Any) -> None:
        self._findings: list[dict[str, Any]] = []

    def handle(self, finding: Finding) -> None:
        self._findings.append(finding.to_json(self.lang))

    def finish(self, result: Any) -> None:
        document = {"gklint": __version__, "as_of": result.as_of.isoformat(), "findings": self._findings,
                    "summary": result.counts()}
        json.dump(document, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")
