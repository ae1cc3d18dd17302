"""Contract section 10: case ledgers (台账), one row per case, a date column per step."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

LEDGER_EVENTS = """\
events:
  received: {label: 收到申请, columns: [收到申请日期, 申请日期]}
  answered: {label: 答复, columns: [答复日期, 办结日期]}
  extended: {label: 延期答复告知, columns: [延期告知日期]}
  inquiry: {label: 收到留言, columns: [留言日期]}
  replied: {label: 回复留言, columns: [回复日期, 答复日期]}
"""
RULES = """\
- id: REPLY-20WD
  title: 20个工作日内答复
  deadline: {after: received, expect: answered, within: 20 working days,
             extend: {by: extended, up_to: 20 working days}}
- id: INQUIRY-5WD
  title: 5个工作日内回复留言
  deadline: {after: inquiry, expect: replied, within: 5 working days}
"""

LEDGER = """\
    2019年依申请公开登记台账,,,,,
    编号,部门,收到申请日期,延期告知日期,答复日期,备注
    A-1,办公室,2019年6月10日,,2019年7月1日,
    A-2,办公室,2019-06-10,,2019-07-30,逾期
    A-3,条法司,2019/9/2,,,
    A-4,条法司,2019-09-02,2019-09-20,2019-10-25,延期
    A-5,条法司,2019-09-02,,2019-13-01,
    ,,,,,
    填表人：张三,,,,审核人：李四,
    """


@pytest.fixture
def ledger_ws(ws: Workspace) -> Workspace:
    ws.ruleset(RULES, events=LEDGER_EVENTS)
    return ws


def test_a_ledger_needs_no_config_and_each_date_cell_is_one_event(ledger_ws: Workspace) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    result = ledger_ws.check("2019-12-31", paths=[ledger_ws.root / "台账.csv"])
    got = {(f.rule, f.line, f.column, f.status) for f in result.findings}
    assert got == {
        ("REPLY-20WD", 4, "收到申请日期", "late"),  # 20 working days after 06-10 is 07-08
        ("REPLY-20WD", 5, "收到申请日期", "missing"),  # no 答复日期: a step not yet taken
        ("GK001", 7, "答复日期", "invalid"),
        ("REPLY-20WD", 7, "收到申请日期", "missing"),  # its answer's date cannot be read
    }, got
    # A-1 (ok), A-2, A-3, A-4 (extended, ok) and A-5's receipt: 3+1+2+3... one event per date cell.
    assert result.events == 2 + 2 + 1 + 3 + 1
    late = next(f for f in result.findings if f.line == 4)
    assert (late.case, late.unit, late.due, late.actual) == ("A-2", "办公室", "2019-07-08", "2019-07-30")
    assert late.response == {"file": str(ledger_ws.root / "台账.csv"), "line": 4}


def test_text_output_names_the_column_and_the_header_row_taken(ledger_ws: Workspace) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    result = ledger_ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 1, result.output
    assert "台账.csv:4 [收到申请日期]: REPLY-20WD error" in result.stdout
    assert "台账.csv:7 [答复日期]: GK001 error unreadable date '2019-13-01'" in result.stdout
    assert "the header is line 2" in stderr_of(result) and "2019年依申请公开登记台账" in stderr_of(result)


def test_json_column_key_comes_after_overdue(ledger_ws: Workspace) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    out = ledger_ws.cli_json("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    late = next(f for f in out["findings"] if f["line"] == 4)
    keys = list(late)
    assert keys[keys.index("overdue") + 1] == "column" and late["column"] == "收到申请日期"
    data_finding = next(f for f in out["findings"] if f["rule"] == "GK001")
    assert data_finding["column"] == "答复日期"


def test_blank_and_footer_rows_are_skipped_but_an_undated_case_is_said(ledger_ws: Workspace) -> None:
    ledger_ws.log("""\
        编号,收到申请日期,答复日期
        A-1,2019-06-10,2019-06-12
        A-2,,
        ,,
        填表人：张三,,
        """, name="台账.csv")
    result = ledger_ws.check("2019-12-31", paths=[ledger_ws.root / "台账.csv"])
    assert [(f.rule, f.line) for f in result.findings] == [("GK003", 3)]


def test_gbk_csv_and_xlsx_ledgers_read_alike(ledger_ws: Workspace) -> None:
    import openpyxl

    rows = [["2019年依申请公开登记台账"], ["编号", "收到申请日期", "答复日期"],
            ["A-1", dt.datetime(2019, 6, 10), "2019年7月30日"], ["A-2", "2019年6月10日", None]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(ledger_ws.root / "台账.xlsx")
    text = "\n".join(",".join("" if c is None else (c.date().isoformat() if isinstance(c, dt.datetime) else c)
                              for c in row) for row in rows) + "\n"
    (ledger_ws.root / "台账.csv").write_bytes(text.encode("gbk"))
    found = {}
    for name in ("台账.xlsx", "台账.csv"):
        result = ledger_ws.check("2019-12-31", paths=[ledger_ws.root / name])
        found[name] = [(f.rule, f.line, f.column, f.status, f.due) for f in result.findings]
    assert found["台账.xlsx"] == found["台账.csv"] == [
        ("REPLY-20WD", 3, "收到申请日期", "late", "2019-07-08"),
        ("REPLY-20WD", 4, "收到申请日期", "missing", "2019-07-08")]


def test_a_named_sheet_of_a_ledger_from_config(ledger_ws: Workspace) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本台账记录依申请公开办理情况"])
    sheet = book.create_sheet("台账")
    for row in (["编号", "收到申请日期", "答复日期"], ["A-1", "2019-06-10", "2019-07-30"]):
        sheet.append(row)
    book.save(ledger_ws.root / "台账.xlsx")
    ledger_ws.write("gklint.toml", '[ledger]\nsheet = "台账"\n')
    out = ledger_ws.cli_json("check", "台账.xlsx", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert [(f["rule"], f["line"], f["column"]) for f in out["findings"]] == [("REPLY-20WD", 2, "收到申请日期")]


def test_an_ambiguous_header_is_exit_2_naming_both_kinds_and_the_config_line(ledger_ws: Workspace) -> None:
    ledger_ws.log("""\
        编号,答复日期
        A-1,2019-06-10
        """, name="台账.csv")
    result = ledger_ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "'answered'" in err and "'replied'" in err and '[ledger.events] "答复日期" = "answered"' in err
    assert "Traceback" not in err


def test_other_columns_settle_a_header_two_kinds_declare(ledger_ws: Workspace) -> None:
    """答复日期 is a request's answer beside 收到申请日期, an inquiry's reply beside 留言日期 (the
    kinds share their first word: received/answered do not, so the test ruleset names them
    request_* / inquiry_* in the bundled vocabulary; here the config settles it instead)."""
    ledger_ws.log("""\
        编号,留言日期,答复日期
        Q-1,2019-06-10,2019-06-20
        """, name="台账.csv")
    ledger_ws.write("gklint.toml", '[ledger.events]\n"答复日期" = "replied"\n')
    out = ledger_ws.cli_json("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert [(f["rule"], f["column"], f["status"]) for f in out["findings"]] == [
        ("INQUIRY-5WD", "留言日期", "late")]


def test_config_maps_columns_case_and_unit(ledger_ws: Workspace) -> None:
    ledger_ws.log("""\
        申请号,处室,收文日期,答复日期
        B-7,法规处,2019-06-10,2019-07-30
        """, name="台账.csv")
    ledger_ws.write("gklint.toml", '[ledger]\ncase = "申请号"\nunit = "处室"\n'
                                   '[ledger.events]\n"收文日期" = "收到申请"\n"答复日期" = "answered"\n')
    out = ledger_ws.cli_json("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert [(f["rule"], f["case"], f["unit"], f["column"]) for f in out["findings"]] == [
        ("REPLY-20WD", "B-7", "法规处", "收文日期")]


@pytest.mark.parametrize("toml, wanted", [
    ('[ledger]\ncolumn = "x"\n', "unknown key 'column' in [ledger]"),
    ('[ledger.events]\n"答复日期" = 3\n', "must name an event kind"),
    ('[ledger]\ncase = ""\n', "[ledger] case must be a column header"),
])
def test_a_bad_ledger_config_is_exit_2(ledger_ws: Workspace, toml: str, wanted: str) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    ledger_ws.write("gklint.toml", toml)
    result = ledger_ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 2 and wanted in stderr_of(result), stderr_of(result)


def test_a_config_event_kind_no_ruleset_declares_is_exit_2(ledger_ws: Workspace) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    ledger_ws.write("gklint.toml", '[ledger.events]\n"答复日期" = "answerd"\n')
    result = ledger_ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 2
    assert "'answerd'" in stderr_of(result) and "Did you mean 'answered'" in stderr_of(result)


def test_an_event_log_below_a_title_row_is_read_too(ledger_ws: Workspace) -> None:
    ledger_ws.log("""\
        2019年办理记录,,
        date,event,case
        2019-06-10,收到申请,A-1
        """)
    result = ledger_ws.check("2019-12-31")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("REPLY-20WD", 3, None)]


def test_the_bundled_vocabulary_reads_the_common_ledgers(ws: Workspace) -> None:
    """Requests (答复日期 beside 收到申请日期) and inquiries (答复日期 beside 留言日期) need no config."""
    ws.log("""\
        申请编号,承办部门,收到申请日期,补正告知日期,收到补正日期,延期告知日期,答复日期,申请人类型
        依申〔2019〕1号,办公室,2019-06-10,,,,2019-07-30,自然人
        """, name="requests.csv")
    ws.log("""\
        编号,留言日期,是否简单问题,答复日期
        Q-1,2021-06-01,简单,2021-06-03
        """, name="inquiries.csv")
    out = ws.cli_json("check", "requests.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31")
    assert [(f["rule"], f["case"], f["unit"], f["column"]) for f in out["findings"]
            if f["rule"].startswith("OGI")] == [("OGI19-REPLY-20WD", "依申〔2019〕1号", "办公室", "收到申请日期")]
    out = ws.cli_json("check", "inquiries.csv", "-r", "shanghai-ipa-2021", "--as-of", "2021-12-31")
    assert [(f["rule"], f["column"]) for f in out["findings"] if f["line"] is not None] == [
        ("SH21-REPLY-SIMPLE-1WD", "留言日期")], out["findings"]


def test_the_ledger_code_is_loaded_only_for_a_ledger(ws: Workspace) -> None:
    import subprocess
    import sys

    ws.ruleset(RULES, events=LEDGER_EVENTS)
    ws.log("date,event,case\n2019-06-10,received,A-1\n")
    code = ("import sys; from gklint.cli import main\n"
            "try:\n    main(['check', 'events.csv', '-r', 'rs.yaml', '--as-of', '2019-12-31'])\n"
            "except SystemExit:\n    pass\n"
            "print('gklint.events.ledger' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ws.root, capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


def test_examples_json_is_valid(ledger_ws: Workspace) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    result = ledger_ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31", "--format", "sarif")
    assert result.exit_code == 1
    json.loads(result.stdout)
    assert Path(ledger_ws.root / "台账.csv").read_text(encoding="utf-8").startswith("2019年")  # not modified


def test_case_values_are_compared_with_brackets_blanks_and_full_width_folded(ledger_ws: Workspace) -> None:
    """Contract section 14: 依申[2019]22号 answers 依申〔2019〕22号."""
    ledger_ws.log("""\
        date,event,case
        2019-06-10,received,依申〔2019〕22号
        2019-06-12,answered,依申[2019]22号
        2019-06-10,received,依申（2019）23号
        2019-06-12,answered,依申【2019】 23号
        2019-06-10,received,ＡＢ-1
        2019-06-12,answered,AB-1
        """)
    assert ledger_ws.check("2019-12-31").findings == []


def test_a_waiver_names_a_case_as_the_log_writes_it_any_way(ledger_ws: Workspace) -> None:
    ledger_ws.log("date,event,case\n2019-06-10,received,依申〔2019〕22号\n")
    ledger_ws.write("waivers.yaml", '- {rule: REPLY-20WD, case: "依申[2019]22号", reason: 同意, approved_by: 张三}\n')
    out = ledger_ws.cli_json("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-12-31",
                             "--waivers", "waivers.yaml")
    assert [(f["case"], f["status"]) for f in out["findings"]] == [("依申〔2019〕22号", "waived")]


def test_office_lock_files_in_a_folder_are_not_read(ledger_ws: Workspace) -> None:
    (ledger_ws.root / "records").mkdir()
    ledger_ws.log("date,event,case\n2019-06-10,received,A-1\n2019-06-11,answered,A-1\n", name="records/2019.csv")
    (ledger_ws.root / "records" / "~$2019.xlsx").write_bytes(b"\x00lock owner")
    result = ledger_ws.cli("check", "records", "-r", "rs.yaml", "--as-of", "2019-12-31")
    assert result.exit_code == 0, stderr_of(result)


@pytest.mark.parametrize("name, text", [
    ("台账.csv", LEDGER),
    ("events.csv", ("date,event,case,备注\n2019-06-10,received,依申〔2019〕22号,\n"
                    "2019-07-30,answered,依申[2019]22号,\n,,,\n填表人：张三,,,\n")),
])
def test_every_engine_reports_a_ledger_alike(ledger_ws: Workspace, name: str, text: str) -> None:
    pytest.importorskip("duckdb")
    ledger_ws.log(text, name=name)
    outputs = {engine: ledger_ws.cli("check", name, "-r", "rs.yaml", "--as-of", "2019-12-31", "--format", "json",
                                     "--engine", engine).stdout for engine in ("python", "columnar")}
    assert outputs["python"] == outputs["columnar"]
    assert '"rule": "REPLY-20WD"' in outputs["python"]


def test_the_header_row_taken_is_said_in_chinese_too(ledger_ws: Workspace) -> None:
    ledger_ws.log(LEDGER, name="台账.csv")
    result = ledger_ws.cli("check", "台账.csv", "-r", "rs.yaml", "--as-of", "2019-12-31", "--lang", "zh")
    assert "gklint：说明：台账.csv：表头在第2行，其上的行作为标题（“2019年依申请公开登记台账”）" in stderr_of(result)


def test_gklint_stats_reads_a_ledger_with_its_config(ws: Workspace) -> None:
    """The annual report's figures from a ledger whose headers config maps ([ledger])."""
    ws.log("""\
        申请号,收文日期,办结日期,申请人类型,答复类型
        B-1,2019-06-10,2019-06-20,自然人,予以公开
        B-2,2019-07-10,2019-07-20,商业企业,部分公开
        """, name="台账.csv")
    ws.write("gklint.toml", '[ledger]\ncase = "申请号"\n[ledger.events]\n"收文日期" = "request_received"\n')
    result = ws.cli("stats", "--year", "2019", "台账.csv")
    assert result.exit_code == 0, stderr_of(result)
    received = next(line for line in result.stdout.splitlines() if line.startswith("一、本年新收"))
    assert received.endswith(",2"), received
