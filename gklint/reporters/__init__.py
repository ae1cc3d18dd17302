"""Reporters, one registry: ``--format``'s choices come from ``REPORTERS``."""
from __future__ import annotations

from importlib import import_module

from gklint.reporters.base import Reporter

# name -> "module:Class", imported only when chosen (start-up time matters for pre-commit).
REPORTERS: dict[str, str] = {
    "text": "gklint.reporters.text:TextReporter",
    "json": "gklint.reporters.json:JsonReporter",
}


def get_reporter(name: str) -> type[Reporter]:
    module, _, cls = REPORTERS[name].partition(":")
    return getattr(import_module(module), cls)  # type: ignore[no-any-return]
