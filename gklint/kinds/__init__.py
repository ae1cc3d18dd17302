"""The rule kinds, one module each, and the one registry the engine and the schema read."""
from __future__ import annotations

from types import ModuleType

from gklint.kinds import count, deadline, due, precedence, ratio, table

KINDS: dict[str, ModuleType] = {
    deadline.NAME: deadline,
    precedence.NAME: precedence,
    count.NAME: count,
    due.NAME: due,
    ratio.NAME: ratio,
    table.NAME: table,
}
