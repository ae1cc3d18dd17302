"""Objects kept until the process ends.

The console script ends with ``os._exit`` once its output is flushed (see ``gklint.cli.entry``);
what is put here is then never freed, which saves about a second per million events. Library
callers never turn this on, so their logs are freed as usual.
"""
from __future__ import annotations

from typing import Any

RETAINED: list[Any] | None = None  # a list while the console script runs


def retain(obj: Any) -> None:
    if RETAINED is not None:
        RETAINED.append(obj)
