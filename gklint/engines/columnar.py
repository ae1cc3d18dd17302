"""``--engine columnar``: the rules as relational plans (contract section 12). Being built."""
from __future__ import annotations

from typing import Any

NAME = "columnar"


def missing() -> str | None:
    return "it is not available yet (see issue 14); use --engine python, which gives the same report"


def check(job: Any) -> Any:  # pragma: no cover - missing() stops every run first
    raise NotImplementedError(missing())
