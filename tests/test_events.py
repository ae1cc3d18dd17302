"""Event logs (contract section 2): date forms, headers, attribute typing, line numbers, formats,
folders. Readers are driven through ``gklint.events.read_events`` / ``discover``."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import Workspace, only, statuses
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gklint.errors import InputError
from gklint.events import LogData, Vocabulary, discover, read_events, type_value

AS_OF = dt.date(2030, 1, 1)


def vocab() -> Vocabulary:
    v = Vocabulary()
    v.add("received", {"zh": "收到申请", "en": "Request received"}, ["收到"])
    v.add("answered", {"zh": "答复", "en": "Answered"}, [])
    return v


def read(path: Path, **kwargs: object) -> LogData:
    return read_events([path], vocab(), as_of=kwargs.pop("as_of", AS_OF), **kwargs)  # type: ignore[arg-type]


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "date", "time"), [
    ("2018-05-17", "2018-05-17", None),
    ("2018-05-17T09:30", "2018-05-17", "09:30:00"),
    ("2018-05-17 09:30", "2018-05-17", "09:30:00"),
    ("2018-05-17 09:30:15", "2018-05-17", "09:30:15"),
    ("2018/5/17", "2018-05-17", None),
    ("2018.5.17", "2018-05-17", None),
    ("2018年5月17日", "2018-05-17", None),
    ("2018年5月17日 9:30", "2018-05-17", "09:30:00"),
    ("2018-05-17T09:30:00.250", "2018-05-17", "09:30:00.250000"),
    ("2018-05-17T09:30:00+08:00", "2018-05-17", "09:30:00"),
    # Zones are converted to China Standard Time before the date is taken.
    ("2018-05-16T22:30:00Z", "2018-05-17", "06:30:00"),
    ("2018-05-17T20:00:00-05:00", "2018-05-18", "09:00:00"),
])
def test_date_forms(tmp_path: Path, text: str, date: str, time: str | None) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f'date,event\n"{text}",received\n', encoding="utf-8")
    data = read(path)
    assert data.findings == []
    (event,) = data.events
    assert event.date.isoformat() == date
    assert (event.time.isoformat() if event.time else None) == time


@pytest.mark.parametrize("text", ["2018-02-30", "2018-13-01", "17/05/2018", "yesterday", "2018-05-17 25:00"])
def test_unreadable_dates_are_gk001_on_their_row(tmp_path: Path, text: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"date,event\n2018-05-17,received\n{text},received\n2018-05-18,answered\n", encoding="utf-8")
    data = read(path)
    assert [(f.rule, f.line, f.status) for f in data.findings] == [("GK001", 3, "invalid")]
    assert [e.line for e in data.events] == [2, 4]


# --- headers -------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["date,event,case,unit", "日期,事件,编号,部门", "DATE,Event,CASE,Unit",
                                    " Date , 事件 ,编号,UNIT"])
def test_header_names_and_chinese_aliases(tmp_path: Path, header: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"{header}\n2018-05-17,收到,A-1,办公室\n", encoding="utf-8")
    (event,) = read(path).events
    assert (event.kind, event.case, event.unit, event.attrs) == ("received", "A-1", "办公室", {})


def test_config_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("办理日期,事项,文号,承办部门\n2018-05-17,收到,A-1,办公室\n", encoding="utf-8")
    (event,) = read(path, columns={"date": "办理日期", "event": "事项", "case": "文号", "unit": "承办部门"}).events
    assert (event.date, event.kind, event.case, event.unit) == (dt.date(2018, 5, 17), "received", "A-1", "办公室")


def test_missing_required_column_stops_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("date,kind\n2018-05-17,received\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read(path)
    assert (info.value.file, info.value.line) == (str(path), 1)
    assert "'event' (事件)" in info.value.message


# --- attributes ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("是", True), ("否", False), ("yes", True), ("No", False), ("TRUE", True), ("false", False),
    ("3", 3), ("-2", -2), ("0.6", 0.6), ("video", "video"), (" 视频 ", "视频"), ("2018-06", "2018-06"),
])
def test_attribute_typing(text: str, value: object) -> None:
    typed = type_value(text)
    assert typed == value and type(typed) is type(value)


def test_attributes_from_extra_columns_typed_and_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("date,event,Public,Pages,Form,Note\n2018-05-17,received,是,12,Video,\n", encoding="utf-8")
    (event,) = read(path).events
    assert event.attrs == {"public": True, "pages": 12, "form": "Video"}  # empty cells are absent
    assert event.get("public") is True


def test_where_matches_headers_whatever_their_case(ws: Workspace) -> None:
    """Column names are case-insensitive: a rule's `where: {public: true}` reads a `Public` column."""
    ws.ruleset("""
        - id: C
          count: {event: {event: received, where: {PUBLIC: 是}}, at_least: 1, per: year}
        """)
    ws.log("""
        date,event,Public
        2018-05-17,received,yes
        """)
    assert statuses(ws.check("2019-01-31")) == []
    ws.log("""
        date,event,Public
        2018-05-17,received,no
        """)
    assert statuses(ws.check("2019-01-31")) == [("C", "2018", "too_few")]


# --- line numbers, rows -----------------------------------------------------------------------

def test_line_numbers_with_multiline_quoted_cells_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text('date,event,note\n'
                    '2018-05-17,received,"line one\nline two\nline three"\n'
                    '\n'
                    '2018-05-18,answered,plain\n'
                    '2018-05-32,answered,bad\n', encoding="utf-8")
    data = read(path)
    assert [e.line for e in data.events] == [2, 6]
    assert data.events[0].attrs["note"] == "line one\nline two\nline three"
    assert [(f.rule, f.line) for f in data.findings] == [("GK001", 7)]


def test_crlf_line_endings_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"date,event\r\n2018-05-17,received\r\n\r\n2018-05-18,answered\r\n")
    assert [e.line for e in read(path).events] == [2, 4]


def test_unusable_rows_are_findings_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("date,event,case\n"
                    "2018-05-17,received,A\n"
                    ",received,B\n"                  # GK003 empty date
                    "2018-05-17,,C\n"                # GK003 empty event
                    "2018-05-17,recieved,D\n"        # GK002 with did-you-mean
                    "2018-05-17,received,A\n"        # GK004 duplicate of line 2
                    "2031-01-01,received,E\n"        # GK006 after as-of
                    "2018-05-17,received,F,extra\n"  # GK007 ragged
                    "2018-05-18,answered,A\n", encoding="utf-8")
    data = read(path)
    assert [(f.rule, f.line) for f in data.findings] == [
        ("GK003", 3), ("GK003", 4), ("GK002", 5), ("GK004", 6), ("GK006", 7), ("GK007", 8)]
    assert "did you mean 'received'" in data.findings[2].text("en")
    assert [e.line for e in data.events] == [2, 9]


def test_duplicate_rows_are_rows_with_identical_cells(tmp_path: Path) -> None:
    """GK004 is for a row whose cells are all identical to an earlier row's, however the cells
    were written (quoted or not, padded or not); a different spelling of the same date or unit
    is a different row."""
    path = tmp_path / "e.csv"
    path.write_text("date,event,case,unit,note\n"
                    "2018-05-17,received,A,办公室,x\n"
                    '"2018-05-17","received","A","办公室","x"\n'  # 3: the same cells, quoted
                    "2018/5/17,received,A,办公室,x\n"             # 4: another spelling of the date
                    "2018-05-17,received,A, 办公室,x\n"           # 5: a blank before the unit
                    "2018-05-17,received,B\n"                     # 6: short, padded
                    "2018-05-17,received,B,,\n"                   # 7: the same cells as 6
                    "2018-05-17,received,A,办公室,y\n", encoding="utf-8")
    data = read(path)
    assert [(f.rule, f.line) for f in data.findings] == [("GK004", 3), ("GK004", 7)]
    assert [e.line for e in data.events] == [2, 4, 5, 6, 8]


def test_short_rows_are_padded(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("date,event,case,unit\n2018-05-17,received\n2018-05-17,received,A,办公室,,\n",
                    encoding="utf-8")
    data = read(path)
    assert data.findings == []
    assert [(e.case, e.unit) for e in data.events] == [(None, None), ("A", "办公室")]


# --- formats and encodings ---------------------------------------------------------------------

def test_tsv_is_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "e.tsv"
    path.write_text("date\tevent\tcase\tnote\n2018-05-17\treceived\tA\tx, y, z\n", encoding="utf-8")
    (event,) = read(path).events
    assert (event.case, event.attrs) == ("A", {"note": "x, y, z"})


def test_jsonl_records_with_differing_keys(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    lines = [{"date": "2018-05-17", "event": "received"},
             {"date": "2018-05-18", "event": "answered", "case": "A", "urgent": True, "pages": 3},
             None,
             {"event": "received", "date": "2018-05-19", "unit": "办公室", "meta": {"k": 1}}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) if x else "" for x in lines) + "\n",
                    encoding="utf-8")
    data = read(path)
    assert data.findings == []
    assert [(e.line, e.case, e.unit) for e in data.events] == [(1, None, None), (2, "A", None), (4, None, "办公室")]
    assert data.events[1].attrs == {"urgent": True, "pages": 3}
    assert data.events[2].attrs == {"meta": '{"k": 1}'}


def test_gbk_and_utf8_bom_are_detected(tmp_path: Path) -> None:
    gbk, bom = tmp_path / "gbk.csv", tmp_path / "bom.csv"
    text = "日期,事件,编号,部门\n2018-05-17,收到申请,申-1,办公室\n"
    gbk.write_bytes(text.encode("gbk"))
    bom.write_bytes(text.encode("utf-8-sig"))
    for path in (gbk, bom):
        (event,) = read(path).events
        assert (event.kind, event.case, event.unit) == ("received", "申-1", "办公室")


def test_xlsx_first_sheet_header_in_row_one(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "事件", "编号", "公开"])
    sheet.append([dt.datetime(2018, 5, 17, 9, 30), "收到", "A", "是"])
    sheet.append([None, None, None, None])
    sheet.append([dt.date(2018, 5, 18), "answered", 1001, None])
    book.create_sheet("other").append(["x"])
    book.save(path)
    data = read(path)
    assert data.findings == []
    assert [(e.line, e.date.isoformat(), e.time, e.case, e.attrs) for e in data.events] == [
        (2, "2018-05-17", dt.time(9, 30), "A", {"公开": True}),
        (4, "2018-05-18", None, "1001", {})]


# --- folders ---------------------------------------------------------------------------------

def test_directory_walk_finds_event_files_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("b.csv", "a/z.tsv", "a/y.jsonl", "a/deeper/x.CSV", ".git/log.csv", "a/.cache/c.csv",
                 ".hidden.csv", "notes.txt", "rules.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("date,event\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a/deeper/x.CSV", "a/y.jsonl", "a/z.tsv", "b.csv"]


def test_directory_of_a_hidden_parent_is_still_walked(tmp_path: Path) -> None:
    """Only folders *inside* the named one are judged hidden: ~/.office/logs/ is fine to name."""
    folder = tmp_path / ".office" / "logs"
    folder.mkdir(parents=True)
    (folder / "e.csv").write_text("date,event\n", encoding="utf-8")
    assert discover([folder]) == [folder / "e.csv"]


def test_response_in_another_file_counts(ws: Workspace) -> None:
    """A folder is one log: a trigger and its response may sit in different files."""
    ws.ruleset("""
        - id: R
          deadline: {after: received, expect: answered, within: 5 working days}
        """)
    ws.log("date,event,case\n2018-06-04,received,A\n2018-06-04,received,B\n", name="logs/2018-06.csv")
    ws.log("date,event,case\n2018-06-05,answered,A\n", name="logs/2018-07.csv")
    result = ws.check("2018-12-31", paths=[ws.root / "logs"])
    assert statuses(result) == [("R", "B", "missing")]
    assert only(result, "R").file == str(ws.root / "logs" / "2018-06.csv")
    assert result.files == [str(ws.root / "logs" / "2018-06.csv"), str(ws.root / "logs" / "2018-07.csv")]


@settings(max_examples=500, deadline=None)
@given(text=st.text(st.one_of(st.characters(max_codepoint=0x7f), st.sampled_from("〔〕［］【】（）〖〗　依申请号公开ＡＢ１２"),
                              st.characters(min_codepoint=0x4e00, max_codepoint=0x9fff), st.characters()), max_size=12))
@example(text="依申请〔2022〕19号")
@example(text="依申[2019] 22号")
def test_fold_case_fast_paths_fold_as_the_full_fold(text: str) -> None:
    """fold_case returns most case values as they are without NFKC (plain ASCII numbers,
    依申请〔2022〕19号): the value it returns is always the full fold's."""
    from gklint.events import _fold, fold_case

    assert fold_case.__wrapped__(text) == _fold(text)
