"""The columnar engine's reader of plain CSV/TSV files (gklint/engines/columnar/load.py).

A plain file is read by DuckDB's CSV reader as the header's width of cells; a file with a row of
another width (or a line too long for a cell) is read again as lines split in SQL, which say which
rows are wrong. Either way the report is the reference engine's, byte for byte.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import EVENTS
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gklint.engine import CheckOptions, run_check
from gklint.reporters import get_reporter
from gklint.ruleset import load_rulesets

pytest.importorskip("duckdb")

RULES = """\
  - id: ANSWER
    deadline: {after: received, expect: answered, within: 3 working days, match: [case]}
  - id: MEETINGS
    count: {event: meeting, at_least: 2, per: month, for_each: unit}
"""
HEADER = "date,event,case,unit,simple"
GOOD = ["2018-09-27,received,A,办公室,是", "2018-10-08,answered,A,办公室,", "2018-09-28,received,B, 二处　,1.0",
        "2018-09-28,received,B, 二处　,1.0", "2018-10-01,meeting,, 二处　,", "2018-13-01,received,C,,",
        "2018-10-02,recieved,D,,", "2019-01-02,received,E,,", ",answered,F,,", "2018-10-09T09:30:00.250+02:00,answered,B,,",
        "填表人：张三,,,审核：李四,", ",, ,　,"]


def ruleset(tmp_path: Path) -> Path:
    path = tmp_path / "rs.yaml"
    path.write_text("ruleset: reader\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n" + EVENTS
                    + "rules:\n" + RULES, encoding="utf-8")
    return path


def report(paths: list[Path], rules: Path, engine: str) -> str:
    result = run_check([str(p) for p in paths], load_rulesets([str(rules)]),
                       CheckOptions(as_of=dt.date(2018, 12, 31), engine=engine, show_pending=True))
    out = io.StringIO()
    get_reporter("json")(out, lang="en", color=False, rules={}).report(result)
    return out.getvalue()


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each call of the cells reader gave: True, read as cells; False, left to the lines."""
    from gklint.engines.columnar import load

    calls: list[bool] = []
    read = load._read_cells

    def spy(*args: Any, **kwargs: Any) -> bool:
        calls.append(read(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(load, "_read_cells", spy)
    return calls


def same(tmp_path: Path, text: bytes, name: str = "events.csv") -> None:
    path = tmp_path / name
    path.write_bytes(text)
    rules = ruleset(tmp_path)
    assert report([path], rules, "columnar") == report([path], rules, "python")


def test_a_plain_file_is_read_as_cells(tmp_path: Path, reads: list[bool]) -> None:
    """Blank and footer rows skipped, duplicates (GK004), bad dates and events, timestamps,
    cells with blanks around them: all as the reference engine reads them."""
    same(tmp_path, ("\n".join([HEADER, *GOOD]) + "\n").encode())
    assert reads == [True]


@pytest.mark.parametrize("form", ["crlf", "bom", "no final newline", "tsv", "header only"])
def test_line_ends_a_bom_and_tabs_are_read_as_cells(tmp_path: Path, reads: list[bool], form: str) -> None:
    lines = [HEADER] if form == "header only" else [HEADER, *GOOD]
    end = "\r\n" if form == "crlf" else "\n"
    text = end.join(lines) + ("" if form == "no final newline" else end)
    if form == "tsv":
        text = text.replace(",", "\t")
    same(tmp_path, ("\ufeff" if form == "bom" else "").encode() + text.encode(),
         "events.tsv" if form == "tsv" else "events.csv")
    assert reads == [True]


@pytest.mark.parametrize("row", [
    "2018-10-03,received,G",  # short: the missing cells are empty
    "2018-10-03,received,G,,,,",  # long, the extra cells blank: read as if they were not there
    "2018-10-03,received,G,,,x",  # long, an extra cell filled: GK007
    "2018-10-03",  # one cell
])
def test_a_row_of_another_width_is_read_as_lines(tmp_path: Path, reads: list[bool], row: str) -> None:
    """DuckDB's reader is strict: the row makes it raise, and the lines are split in SQL."""
    same(tmp_path, ("\n".join([HEADER, *GOOD[:4], row, *GOOD[4:]]) + "\n").encode())
    assert reads == [False]


@pytest.mark.parametrize("at", [0, 2])
def test_a_line_longer_than_a_cell_may_be_is_not_read_as_cells(tmp_path: Path, reads: list[bool], at: int) -> None:
    """(DuckDB's reader counts a line's bytes, and raises past the limit; the lines then say the
    file is for the reference reader, which reads the cell, or says GK007.)"""
    from gklint.events.readers import MAX_CELL

    long = "2018-10-03,received,G,,"
    long += "x" * (MAX_CELL + 1 - len(long))
    same(tmp_path, ("\n".join([HEADER, *GOOD[:at], long, *GOOD[at:]]) + "\n").encode())
    assert reads == [False]


def test_a_file_that_is_not_utf8_is_left_to_the_reference_reader(tmp_path: Path, reads: list[bool]) -> None:
    same(tmp_path, ("\n".join([HEADER, *GOOD]) + "\n").encode("gb18030"))
    assert reads == [False]


def test_rows_that_share_a_hash_are_told_apart_by_their_cells(tmp_path: Path, reads: list[bool],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Duplicates (GK004) are looked for among the rows whose hash is another's: with every row
    given one hash, only rows whose cells are all the same are duplicates."""
    from gklint.engines.columnar import load

    monkeypatch.setattr(load, "_HASH", "0")
    same(tmp_path, ("\n".join([HEADER, *GOOD, *GOOD[:3]]) + "\n").encode())
    assert reads == [True]


STAMPS = st.builds(
    lambda y, m, d, sep, hh, mi, ss, frac, zone: f"{y:04d}-{m:02d}-{d:02d}{sep}{hh:02d}:{mi:02d}:{ss:02d}{frac}{zone}",
    st.sampled_from([0, 1, 1899, 1969, 1970, 2000, 2018, 2999, 9999]), st.integers(0, 13), st.integers(0, 32),
    st.sampled_from(["T", "t", " "]), st.integers(0, 24), st.integers(0, 60), st.integers(0, 60),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=10).map(lambda f: "." + f)),
    st.one_of(st.sampled_from(["", "Z", "z", "+08:00", "-00:00"]), st.builds(
        lambda sign, h, m: f"{sign}{h:02d}:{m:02d}", st.sampled_from("+-"), st.integers(0, 25), st.integers(0, 61))))


@settings(max_examples=400, deadline=None)
@given(text=STAMPS, zone=st.sampled_from([None, "Asia/Shanghai", "America/New_York"]))
@example(text="2011-10-01T00:38:44.546+02:00", zone=None)
@example(text="9999-12-31T23:59:59.9999999-23:59", zone=None)
def test_a_timestamp_cast_by_duckdb_is_the_timestamp_sliced(text: str, zone: str | None) -> None:
    """DuckDB's SQL casts a timestamp that Spark's slices: the same moment, whatever the
    session's time zone."""
    import duckdb

    from gklint.engines.columnar.load import moment_sql

    con = duckdb.connect()
    if zone:
        con.execute(f"SET TimeZone = '{zone}'")
    sliced, cast = con.execute(f"SELECT {moment_sql('x')}, {moment_sql('x', cast=True)} FROM (SELECT ? AS x)",
                               [text]).fetchall()[0]
    assert sliced == cast


def test_a_timestamped_log_reads_its_stamps_in_sql(tmp_path: Path, reads: list[bool]) -> None:
    rows = [f"2018-09-2{d}T{h:02d}:40:54.958+0{d % 3}:00,received,S{d}{h},,"
            for d in range(3, 8) for h in (0, 7, 8, 23)]
    rows += [f"2018-10-0{d}T1{d}:00:00Z,answered,S{d}0,," for d in range(1, 8)]
    rows += ["2018-10-01t10:00:00z,answered,S37,,", "2018-10-01 10:00:00.1234567,answered,S57,,"]
    same(tmp_path, ("\n".join([HEADER, *rows]) + "\n").encode())
    assert reads == [True]


@pytest.mark.parametrize("text, lines", [
    (b"a,b\n1,2\n", 2), (b"a,b\n1,2", 2), (b"a,b\r\n1,2\r\n3,4\r\n", 3), (b"a,b\r\n1,2", 2), (b"a,b\n\n1,2\n\n", 4),
    (b"a,b\n1,2\r3,4\n", None), (b"a,b\r\n1,2\n", None), (b"a,b\n1,\"2\"\n", None), (b"a,b\n1,\x00\n", None),
    (b"a,b\n1,\x01\n", None), (b"", None), (b"a,b\r", None)])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 24])
def test_a_plain_file_is_counted_in_lines_whatever_its_chunks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              text: bytes, lines: int | None, chunk: int) -> None:
    """The scan for quotes, NUL bytes and lone CRs counts the lines, a CRLF across two chunks
    too; the spark engine's (which reads a blank line as a row) refuses a blank line."""
    from gklint.engines.columnar import load

    monkeypatch.setattr(load, "_CHUNK", chunk)
    path = tmp_path / "events.csv"
    path.write_bytes(text)
    assert load._plain(path) == lines
    blank = b"\n\n" in text or b"\r\n\r\n" in text
    assert load._plain(path, counted=False) == (None if blank else lines)


@pytest.mark.parametrize("rows, cells", [([*GOOD[:3], "", *GOOD[3:]], True), ([*GOOD, ""], True),
                                         ([*GOOD[:3], "", "2018-10-03,received"], False)])
def test_a_blank_line_is_left_to_the_reference_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      reads: list[bool], rows: list[str], cells: bool) -> None:
    """DuckDB skips a blank line and the reference reader numbers it: fewer rows than lines, as
    cells or as lines (a short row), and the reference reader reads the file."""
    from gklint.engines.columnar import load

    split = []
    monkeypatch.setattr(load, "_check_rows", lambda *args: split.append(args))
    path = tmp_path / "events.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode())
    rules = ruleset(tmp_path)
    report([path], rules, "columnar")
    assert reads == [cells] and split == []
    monkeypatch.undo()
    same(tmp_path, path.read_bytes())
