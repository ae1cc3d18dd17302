"""A progress line on stderr for long runs: only on a terminal, only for large logs, never
with a machine format (the caller decides), and always erased when done."""
from __future__ import annotations

import sys
import time
from typing import TextIO

LARGE = 20 * 1024 * 1024  # bytes of logs below which a run is too short to need a progress line


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True, interval: float = 0.25) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.interval = interval
        self._last = float("-inf")
        self._shown = False

    def show(self, text: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self.stream.write("\r\033[K" + _in_language(text))
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False


_ZH = (("gklint: checking ", "gklint：正在检查 "), ("gklint: reading ", "gklint：正在读取 "), (" rows)", " 行）"),
       (" (", "（"))


def _in_language(text: str) -> str:
    """The line in the command line's language (contract section 14): the callers write English."""
    cli = sys.modules.get("gklint.cli")
    if cli is None or getattr(cli, "_LANG", None) != "zh":
        return text
    for en, zh in _ZH:
        text = text.replace(en, zh)
    return text.replace(")", "）")


class Silent(Progress):
    def __init__(self) -> None:
        super().__init__(enabled=False)


def for_run(total_bytes: int, machine_format: bool) -> Progress:
    """A progress line when stderr is a terminal, the logs are large and the output is for people."""
    stream = sys.stderr
    wanted = not machine_format and total_bytes >= LARGE and stream.isatty()
    return Progress(stream) if wanted else Silent()
