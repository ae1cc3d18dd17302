"""The rule kinds, one module each, and the one registry the engine and the schema read.

Modules are imported when first used: a run whose log has no report table never imports the
table kind (and its expression language), which keeps a pre-commit hook's start-up short.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib import import_module
from types import ModuleType
from typing import Any

_MODULES = {
    "deadline": "gklint.kinds.deadline",
    "precedence": "gklint.kinds.precedence",
    "count": "gklint.kinds.count",
    "due": "gklint.kinds.due",
    "ratio": "gklint.kinds.ratio",
    "table": "gklint.kinds.table",
}
TABLE_KINDS = frozenset({"table"})  # kinds that check report tables, not event logs


class _Registry(Mapping[str, ModuleType]):
    """kind name -> module, imported on first access."""

    def __getitem__(self, name: str) -> ModuleType:
        return import_module(_MODULES[name])

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)

    def __contains__(self, name: object) -> bool:
        return name in _MODULES


KINDS: Mapping[str, ModuleType] = _Registry()


def attributes_read(rules: Iterable[Any]) -> frozenset[str]:
    """Every column name the ``rules`` may read of an event, folded (``gklint.events.column_key``):
    each text their specs and compiled forms hold (filters, match and ``for_each`` columns, ``date:``
    cells among them; event names and values too, which name no column and do no harm), and the
    attributes a kind reads of its own accord (its module's ``READS``). Rules of report tables
    read none. An engine may leave out of its tables the attribute columns no rule reads."""
    from gklint.events import column_key

    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            names.add(column_key(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (tuple, list, set, frozenset)):
            for v in value:
                walk(v)

    for rule in rules:
        if rule.kind in TABLE_KINDS:
            continue  # (it reads report tables, not events)
        walk(rule.raw)
        walk(rule.compiled())
        names.update(getattr(KINDS[rule.kind], "READS", ()))
    return frozenset(names)
