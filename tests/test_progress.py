"""The progress line: on a terminal, for large logs, for people's formats only; erased when done."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from gklint import progress
from gklint.events import Vocabulary, read_events


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_unless_terminal_large_and_for_people(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", Tty())
    assert progress.for_run(progress.LARGE, machine_format=False).enabled
    assert not progress.for_run(progress.LARGE - 1, machine_format=False).enabled  # small log
    assert not progress.for_run(progress.LARGE, machine_format=True).enabled  # json, sarif, ...
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal
    assert not progress.for_run(progress.LARGE, machine_format=False).enabled


def test_line_is_throttled_and_erased() -> None:
    out = Tty()
    bar = progress.Progress(out, interval=3600)
    bar.show("one")
    bar.show("two")  # within the interval: not drawn
    bar.done()
    assert out.getvalue() == "\r\033[Kone\r\033[K"
    silent = progress.Silent()
    silent.show("x", force=True)
    silent.done()


def test_reading_reports_bytes_and_rows(tmp_path: Path) -> None:
    log = tmp_path / "big.csv"
    rows = 70_000
    log.write_text("date,event\n" + "2018-05-17,received\n" * rows, encoding="utf-8")
    vocab = Vocabulary()
    vocab.add("received", {"zh": "收到", "en": "received"}, [])
    seen: list[str] = []

    class Recorder(progress.Progress):
        def show(self, text: str, force: bool = False) -> None:
            seen.append(text)

    data = read_events([log], vocab, as_of=dt.date(2019, 1, 1), progress=Recorder(io.StringIO()))
    assert data.rows == rows
    assert seen and seen[0].startswith("gklint: reading big.csv ") and "(65,536 rows)" in seen[0]
