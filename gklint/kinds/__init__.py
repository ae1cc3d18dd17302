"""The rule kinds, one module each, and the one registry the engine and the schema read.

Modules are imported when first used: a run whose log has no report table never imports the
table kind (and its expression language), which keeps a pre-commit hook's start-up short.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from types import ModuleType

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
