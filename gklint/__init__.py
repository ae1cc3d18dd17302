"""gklint: check government information disclosure logs against rules on the working-day calendar."""
from __future__ import annotations

__version__ = "1.1.0"
