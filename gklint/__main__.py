"""``python -m gklint``."""
from __future__ import annotations

from gklint.console import entry

if __name__ == "__main__":  # pragma: no cover
    entry()
