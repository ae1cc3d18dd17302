"""``--engine spark``: the rules' relational plans on a Spark session (contract section 12).

Not built yet (issue 16): choosing it is exit 2 saying so, never a silent fallback to another engine.
"""
from __future__ import annotations

from typing import Any

NAME = "spark"


def missing() -> str | None:
    return ("it is not available yet (see issue 16); use --engine columnar or --engine python, "
            "which give the same report")


def check(job: Any) -> Any:  # pragma: no cover - missing() stops every run first
    raise NotImplementedError(missing())
