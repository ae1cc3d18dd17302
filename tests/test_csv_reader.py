"""The CSV/TSV reader gives what the ``csv`` module gives, record for record, each numbered by the
physical line it starts on, whatever the quoting, line endings and damage."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gklint.events.readers import MAX_CELL, open_raw


def csv_module_records(text: str, delimiter: str) -> list[tuple[int, list[str] | None]]:
    """The records as one csv reader gives them, numbered by the line each starts on; a record
    csv cannot read is ``None`` (the reader goes on with the next line, as gklint's does)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str] | None]] = []
    previous_end = 0
    while True:
        try:
            for cells in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if cells:
                    out.append((start, cells))
            return out[1:]  # without the header
        except csv.Error:
            out.append((previous_end + 1, None))
            previous_end = reader.line_num


def gklint_records(path: Path) -> list[tuple[int, list[str] | None]]:
    raw = open_raw(path)
    return [(line, None if error else cells) for line, cells, error in raw.rows]


CELL = st.text(alphabet=st.sampled_from(list('ab,"\r\n\t 是否　办')), max_size=6)
ROW = st.lists(CELL, min_size=1, max_size=5)


def render(rows: list[list[str]], delimiter: str, quote_all: bool, newline: str) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(["date", "event"])
    writer.writerows(rows)
    return buf.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=12), quote_all=st.booleans(), newline=st.sampled_from(["\n", "\r\n", "\r"]),
       delimiter=st.sampled_from([",", "\t"]))
def test_written_csv_reads_as_the_csv_module_reads_it(tmp_path: Path, rows: list[list[str]], quote_all: bool,
                                                       newline: str, delimiter: str) -> None:
    text = render(rows, delimiter, quote_all, newline)
    path = tmp_path / ("log.tsv" if delimiter == "\t" else "log.csv")
    path.write_text(text, encoding="utf-8", newline="")
    assert gklint_records(path) == csv_module_records(text, delimiter)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet=st.sampled_from(list('a,"\r\n 是')), max_size=60))
def test_damaged_csv_reads_as_the_csv_module_reads_it(tmp_path: Path, body: str) -> None:
    """Stray quotes, unbalanced quotes and blank lines, written by hand rather than by a writer."""
    text = "date,event\n" + body
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert gklint_records(path) == csv_module_records(text, ",")


def test_a_record_spanning_two_lines_keeps_the_numbers_of_the_next(tmp_path: Path) -> None:
    rows = [[f"2021-01-{i % 28 + 1:02d}", "received", f"A,{i}"] for i in range(600)]
    rows[300] = ["2021-01-01", "two\nlines", "x"]
    text = render(rows, ",", False, "\r\n")
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8", newline="")
    got = gklint_records(path)
    assert got == csv_module_records(text, ",")
    assert got[300][0] == 302 and got[301][0] == 304 and got[-1][0] == 602  # a two-line record


def test_long_cell_is_a_malformed_row_and_reading_goes_on(tmp_path: Path) -> None:
    text = "date,event\n2021-01-01," + "x" * (MAX_CELL + 1) + "\n2021-01-02,received\n"
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8", newline="")
    got = gklint_records(path)
    assert got == csv_module_records(text, ",")
    assert got == [(2, None), (3, ["2021-01-02", "received"])]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_read_alike(tmp_path: Path, encoding: str) -> None:
    text = "date,event,unit\r\n2018年5月17日,收到申请,\"办公室,二处\"\r\n2018-05-18,答复,办公室\r\n"
    path = tmp_path / "log.csv"
    path.write_bytes(text.encode(encoding))
    assert gklint_records(path) == csv_module_records(text, ",")


def test_a_late_gbk_byte_means_the_whole_file_is_read_again_as_gb18030(tmp_path: Path) -> None:
    """UTF-8 is assumed and checked while reading; a GBK row after megabytes of ASCII makes the
    reader forget what it read and start again in GB18030, with nothing counted twice."""
    from gklint.commands.check import rulesets_in_force
    from gklint.engine import build_vocabulary
    from gklint.events import read_events

    rows = [f"2021-03-{i % 28 + 1:02d},inquiry_received,Q{i},office" for i in range(40000)]
    rows.append("2021-03-30,inquiry_received,Q-last,办公室")
    path = tmp_path / "log.csv"
    path.write_bytes(("date,event,case,unit\n" + "\n".join(rows) + "\n").encode("gb18030"))
    assert path.stat().st_size > 1 << 20  # the GBK bytes come after the first chunk read
    import datetime as dt

    data = read_events([path], build_vocabulary(rulesets_in_force(["shanghai-ipa-2021"])),
                       as_of=dt.date(2022, 1, 1))
    assert data.rows == len(data.events) == 40001 and not data.findings
    assert data.events[-1].unit == "办公室" and data.files == [str(path)]


@pytest.mark.parametrize("last", [
    b"\x00\n",  # a plain line
    b'2021-01-02,"rec\x00eived"\n',  # a quoted record
    b'2021-01-02,"two\nline\x00s"\n',  # the second line of a quoted cell
])
@pytest.mark.parametrize("quoted", [False, True])  # True: most records quoted, read by one csv reader
def test_a_late_nul_byte_is_a_binary_file(tmp_path: Path, last: bytes, quoted: bool) -> None:
    """Past the first megabyte (checked when the file is opened), wherever the NUL is."""
    import datetime as dt

    from gklint.commands.check import rulesets_in_force
    from gklint.engine import build_vocabulary
    from gklint.errors import InputError
    from gklint.events import read_events
    from gklint.events.readers import open_raw as open_

    row = b'"2021-01-01","received"\n' if quoted else b"2021-01-01,received\n"
    path = tmp_path / "log.csv"
    path.write_bytes(b"date,event\n" + row * 80000 + last)
    assert path.stat().st_size > 1 << 20
    raw = open_(path, assume_utf8=True)
    with pytest.raises(InputError, match="NUL"):
        list(raw.rows)
    with pytest.raises(InputError, match="NUL"):  # the fast conversion
        read_events([path], build_vocabulary(rulesets_in_force(["shanghai-ipa-2021"])), as_of=dt.date(2022, 1, 1))


def test_a_gbk_file_leaves_no_file_open(tmp_path: Path) -> None:
    """UTF-8 is tried first; the file opened for it is closed when its header is not UTF-8."""
    import datetime as dt
    import gc
    import warnings

    from gklint.commands.check import rulesets_in_force
    from gklint.engine import build_vocabulary
    from gklint.events import read_events

    path = tmp_path / "log.csv"
    path.write_bytes("日期,事件,编号\n2021-03-01,收到咨询,A\n".encode("gbk"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        data = read_events([path], build_vocabulary(rulesets_in_force(["shanghai-ipa-2021"])),
                           as_of=dt.date(2022, 1, 1))
        gc.collect()
    assert len(data.events) == 1
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
