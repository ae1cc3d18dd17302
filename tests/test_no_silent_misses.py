"""Contract section 14, "No silent misses": what a new user ran into, each reproduced.

- the rulesets in force by default are those that bind every office, and the summary names them;
- a deadline or precedence finding belongs to the given files (pre-commit) when its trigger row
  or its response row lies in them, and carries the response row (JSON, SARIF, text).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

from gklint.ruleset import bundled_ids, default_ids, load_ruleset

# --- rulesets in force by default ------------------------------------------------------------------


def test_default_rulesets_are_those_that_bind_every_office() -> None:
    """``default_ids`` reads ``scope: every-office`` from the files' text; it must agree with the
    loaded rulesets. The regulation and the national report formats bind every office; a work
    plan binds only its issuer's units."""
    defaults = default_ids()
    for rid in bundled_ids():
        assert (load_ruleset(rid).raw.get("scope") == "every-office") == (rid in defaults), rid
    assert {"ogi-regulation-2008", "ogi-regulation-2019"} <= set(defaults)
    assert all(rid in defaults for rid in bundled_ids() if rid.startswith("annual-report-")), defaults
    for plan in ("cnipa-2016", "cnipa-2018", "cnipa-2019", "shanghai-ipa-2021", "beijing-ipo-2018"):
        assert plan not in defaults


# An office's request log of 2021: a Shanghai plan duty (an online inquiry answered in 5 working
# days) is no duty of this office; the regulation's 20 working days are.
OFFICE_LOG = """\
    date,event,case
    2021-06-01,收到网上咨询留言,咨-1
    2021-06-15,答复网上咨询留言,咨-1
    2021-06-01,收到申请,依申-1
    2021-07-15,答复申请,依申-1
    """


def test_a_work_plan_is_not_in_force_unless_named(ws: Workspace) -> None:
    """The issue: an office's request log got findings of CNIPA and Shanghai plan duties."""
    ws.log(OFFICE_LOG)
    default = ws.cli_json("check", "events.csv", "--as-of", "2021-12-31")
    assert {f["rule"] for f in default["findings"] if f["line"]} == {"OGI19-REPLY-20WD"}
    assert "shanghai-ipa-2021" not in default["summary"]["rulesets"]
    assert set(default["summary"]["rulesets"]) == set(default_ids())
    named = ws.cli_json("check", "events.csv", "--as-of", "2021-12-31", "-r", "shanghai-ipa-2021",
                        "-r", "ogi-regulation-2019")
    assert {"SH21-REPLY-5WD", "OGI19-REPLY-20WD"} <= {f["rule"] for f in named["findings"]}
    assert named["summary"]["rulesets"] == ["shanghai-ipa-2021", "ogi-regulation-2019"]


def test_config_rulesets_name_the_plan(ws: Workspace) -> None:
    ws.log(OFFICE_LOG)
    (ws.root / "gklint.toml").write_text('rulesets = ["shanghai-ipa-2021"]\n', encoding="utf-8")
    doc = ws.cli_json("check", "events.csv", "--as-of", "2021-12-31")
    assert doc["summary"]["rulesets"] == ["shanghai-ipa-2021"]
    assert "SH21-REPLY-5WD" in {f["rule"] for f in doc["findings"]}


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "rulesets in force: annual-report-2008-table, annual-report-2019-table"),
    ("zh", "适用规则集：annual-report-2008-table、annual-report-2019-table"),
])
def test_the_text_summary_names_the_rulesets_in_force(ws: Workspace, lang: str, said: str) -> None:
    ws.log(OFFICE_LOG)
    result = ws.cli("check", "events.csv", "--as-of", "2021-12-31", "--lang", lang)
    summary = result.stdout.splitlines()[-1]
    assert said in summary and "ogi-regulation-2019" in summary and "shanghai" not in summary, summary


def test_rules_lists_the_defaults_and_names_the_plans_left_out(ws: Workspace) -> None:
    out = ws.cli("rules").stdout
    assert "OGI19-REPLY-20WD" in out and "SH21-REPLY-5WD" not in out
    assert "name them with -r" in out and "shanghai-ipa-2021" in out.splitlines()[-1]


def test_explain_finds_a_rule_of_a_plan_not_in_force(ws: Workspace) -> None:
    result = ws.cli("explain", "SH21-REPLY-5WD")
    assert result.exit_code == 0, stderr_of(result)
    assert "shanghai-ipa-2021" in result.stdout


# --- pre-commit across files -----------------------------------------------------------------------

# The request of 2021-12-20 is due by 2022-01-18 (20 working days; 2022-01-01..03 are days off).
DECEMBER = "date,event,case\n2021-12-20,收到申请,依申〔2021〕88号\n2021-12-21,收到申请,依申〔2021〕89号\n"
JANUARY = "date,event,case\n2022-01-25,答复申请,依申〔2021〕88号\n2022-01-05,答复申请,依申〔2021〕89号\n"


def _records(ws: Workspace) -> None:
    ws.write("records/2021-12.csv", DECEMBER)
    ws.write("records/2022-01.csv", JANUARY)
    (ws.root / "gklint.toml").write_text('paths = ["records/"]\nas_of = "2022-01-31"\n', encoding="utf-8")


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_a_late_reply_in_the_committed_file_reports_the_request_in_another(ws: Workspace, engine: str) -> None:
    """The issue's scenario: the request sits in records/2021-12.csv, the late reply is committed
    in records/2022-01.csv. The hook runs ``gklint check records/2022-01.csv``: the finding (on
    the request's row) belongs to the commit because its response row lies in it. Both engines
    name the response row."""
    if engine == "columnar":
        pytest.importorskip("duckdb")
    _records(ws)
    result = ws.cli("check", "records/2022-01.csv", "--format", "json", "--engine", engine)
    assert result.exit_code == 1, (result.stdout, stderr_of(result))
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["file"], f["line"], f["status"], f["response"]) for f in findings] == [
        ("OGI19-REPLY-20WD", "records/2021-12.csv", 2, "late", {"file": "records/2022-01.csv", "line": 2})]
    assert list(findings[0])[-2:] == ["overdue", "response"]  # the optional key comes after "overdue"


def test_a_commit_of_the_request_file_alone_still_reports_its_late_reply(ws: Workspace) -> None:
    _records(ws)
    doc = json.loads(ws.cli("check", "records/2021-12.csv", "--format", "json").stdout)
    assert [(f["file"], f["line"], f["status"]) for f in doc["findings"]] == [("records/2021-12.csv", 2, "late")]


def test_the_text_output_names_the_response_row_in_another_file(ws: Workspace) -> None:
    _records(ws)
    en = ws.cli("check", "records/2022-01.csv").stdout.splitlines()[0]
    assert en.startswith("records/2021-12.csv:2: OGI19-REPLY-20WD error ")
    assert en.endswith(" [response: records/2022-01.csv:2]"), en
    zh = ws.cli("check", "records/2022-01.csv", "--lang", "zh").stdout.splitlines()[0]
    assert zh.endswith(" [对应记录: records/2022-01.csv:2]"), zh


def test_a_precedence_finding_belongs_to_the_file_of_its_required_row(ws: Workspace) -> None:
    """Published in one file, reviewed (too late) in another, committed alone: reported."""
    ws.write("records/published.csv", "date,event,case\n2021-03-01,信息发布,X-1\n")
    ws.write("records/reviewed.csv", "date,event,case\n2021-03-05,保密审查,X-1\n")
    ws.ruleset("""\
        - id: R-REVIEW
          title: {zh: 先审后发, en: Review first}
          precedence: {event: published, requires: review}
        """, events="events:\n  published: {label: 信息发布}\n  review: {label: 保密审查}\n")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\npaths = ["records/"]\nas_of = "2021-12-31"\n',
                                         encoding="utf-8")
    doc = json.loads(ws.cli("check", "records/reviewed.csv", "--format", "json").stdout)
    assert [(f["rule"], f["file"], f["response"]) for f in doc["findings"]] == [
        ("R-REVIEW", "records/published.csv", {"file": "records/reviewed.csv", "line": 2})]


def _validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sarif_lists_the_response_row_as_a_related_location(ws: Workspace, lang: str) -> None:
    _records(ws)
    result = ws.cli("check", "records/2022-01.csv", "--format", "sarif", "--lang", lang)
    doc = json.loads(result.stdout)
    errors = sorted(_validator().iter_errors(doc), key=str)
    assert not errors, errors[0]
    (res,) = doc["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "records/2021-12.csv"
    (related,) = res["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "records/2022-01.csv"
    assert related["physicalLocation"]["region"]["startLine"] == 2
    assert doc["runs"][0]["properties"]["rulesets"] == default_ids()


@pytest.mark.parametrize("response", [None, {"file": "a.csv", "line": 3}, {"file": "目录/答复.csv", "line": 12}])
def test_the_response_key_comes_after_overdue_and_only_when_set(response: Any) -> None:
    from gklint.model import Finding

    finding = Finding(rule="R", severity="error", status="late", message={"zh": "迟", "en": "late"},
                      file="b.csv", line=2, overdue={"value": 1, "unit": "working_days"}, response=response)
    record = finding.to_json("en")
    assert list(record)[-1] == ("response" if response else "overdue")
    assert record.get("response") == response


# --- the docs' install and rev lines ----------------------------------------------------------------

DOCS = [Path(__file__).resolve().parents[1] / name for name in ("README.md", "docs/precommit.md")]


def test_the_docs_install_from_the_repository_at_the_release_of_this_version() -> None:
    """The issue: the docs said `pip install gklint` (not on PyPI) and `rev: v1.0.0` (no such tag).
    The rev and the install line name the release this version is tagged as."""
    import re

    from gklint import __version__

    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS)
    assert not re.search(r"pip install gklint\b", text)
    revs = re.findall(r"^\s*rev: (\S+)", text, re.MULTILINE)
    assert revs and set(revs) == {f"v{__version__}"}, revs
    installs = re.findall(r"pip install \"?git\+(\S+?)\"?$", text, re.MULTILINE)
    assert installs and all(i.endswith(f"@v{__version__}") for i in installs), installs


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_both_engines_give_a_deadline_and_a_precedence_finding_its_response_row(ws: Workspace, engine: str) -> None:
    """A plain deadline (no restart or pause: the columnar engine plans it in SQL) and a
    precedence rule, each with its response row in another file than the trigger."""
    if engine == "columnar":
        pytest.importorskip("duckdb")
    ws.write("records/a.csv", "date,event,case\n2021-06-01,收到,A\n2021-03-01,信息发布,X\n")
    ws.write("records/b.csv", "date,event,case\n2021-06-15,答复,A\n2021-03-05,保密审查,X\n")
    ws.ruleset("""\
        - id: R-REPLY
          title: {zh: 答复, en: Reply}
          deadline: {after: received, expect: answered, within: 5 working days}
        - id: R-REVIEW
          title: {zh: 先审后发, en: Review first}
          precedence: {event: published, requires: review}
        """, events="events:\n  received: {label: 收到}\n  answered: {label: 答复}\n"
                    "  published: {label: 信息发布}\n  review: {label: 保密审查}\n")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\npaths = ["records/"]\nas_of = "2021-12-31"\n',
                                         encoding="utf-8")
    doc = json.loads(ws.cli("check", "records/b.csv", "--format", "json", "--engine", engine).stdout)
    assert sorted((f["rule"], f["file"], f["line"], f["response"]["file"], f["response"]["line"])
                  for f in doc["findings"]) == [("R-REPLY", "records/a.csv", 2, "records/b.csv", 2),
                                                ("R-REVIEW", "records/a.csv", 3, "records/b.csv", 3)]


def test_the_first_commit_of_a_records_repository_is_judged_by_its_rows(ws: Workspace) -> None:
    """The issue: the first commit of a records repository (every file at once) was blocked for
    years 2019-2025 by period findings no row of it carries. Files named one by one, as
    pre-commit passes them, are judged by their rows; a folder covering the set is a full check."""
    ws.write("records/log.csv", "date,event,case\n2019-06-03,收到申请,A1\n2019-06-10,答复申请,A1\n"
                                "2025-03-03,收到申请,B1\n2025-03-10,答复申请,B1\n")
    (ws.root / "gklint.toml").write_text('paths = ["records/"]\nas_of = "2025-12-31"\n', encoding="utf-8")
    commit = ws.cli("check", "records/log.csv")
    assert commit.exit_code == 0, commit.stdout
    full = ws.cli("check", "records/")
    assert full.exit_code == 1 and "2019: OGI19-ANNUAL-REPORT-0131" in full.stdout, full.stdout
    assert ws.cli("check").stdout == full.stdout


CASE_HINT_LOG = """\
date,event,case,needs_supplement
2019-06-10,收到申请,依申〔2019〕22号,否
2019-06-11,收到申请,依申〔2019〕23号,否
2019-06-12,答复申请,依申〔2019〕23号,
2019-06-12,答复申请,依申〔2019〕第22号,
2019-06-13,答复申请,依申〔2019〕24号,
"""


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_a_missing_reply_names_the_reply_whose_case_is_written_differently(ws: Workspace, engine: str) -> None:
    """Issue 18: the reply's case 依申〔2019〕第22号 matched no request, so 依申〔2019〕22号 was
    "missing" and the reply ignored, without a hint. (Brackets and blanks fold: 依申[2019]22号
    matches outright; 第 does not fold, and is named.) 依申〔2019〕24号 answers nothing either, but
    its digits are another case's: no hint for 22号 from it."""
    if engine == "columnar":
        pytest.importorskip("duckdb")
    ws.write("events.csv", CASE_HINT_LOG)
    out = ws.cli_json("check", "events.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31",
                      "--engine", engine)
    assert [(f["rule"], f["line"], f["status"]) for f in out["findings"]] == [("OGI19-REPLY-20WD", 2, "missing")]
    assert out["findings"][0]["message"].endswith(
        "; events.csv:5 has the case '依申〔2019〕第22号', close to this one, and answers nothing: the same case "
        "written differently?")
    zh = ws.cli("check", "events.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31", "--lang", "zh",
                "--engine", engine).stdout
    assert "events.csv第5行的编号“依申〔2019〕第22号”与此相近，却对应不到任何触发事件，是否为同一件而编号写法不一？" in zh


def test_a_hint_asked_while_a_plans_rows_are_read_loses_none_of_them(ws: Workspace,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The columnar engine makes a plan's findings as the report reads them, fetching its rows a
    batch at a time. A case hint asks for the orphan replies in the middle of that, and a query on
    the connection then would end the plan's result: its later rows would be lost without a word.
    The orphans are found before the plan runs. Fetched one row at a time, every finding after
    the hinted one is still there, as the reference engine reports them."""
    pytest.importorskip("duckdb")
    from gklint.engines.columnar import sql

    monkeypatch.setattr(sql, "BATCH", 1)
    later = "".join(f"2019-07-{d:02d},收到申请,依申〔2019〕{40 + d}号,否\n" for d in range(1, 9))
    ws.write("events.csv", CASE_HINT_LOG + later)
    reports = [ws.cli("check", "events.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31", "--format", "json",
                      "--engine", engine) for engine in ("python", "columnar")]
    assert reports[1].exit_code == 1 and reports[1].stdout == reports[0].stdout
    assert reports[0].stdout.count('"status": "missing"') == 9 and "written differently?" in reports[0].stdout


def test_no_hint_from_a_reply_of_another_case_number(ws: Workspace) -> None:
    ws.write("events.csv", CASE_HINT_LOG.replace("第22号", "第25号"))
    out = ws.cli_json("check", "events.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31")
    assert [f["rule"] for f in out["findings"]] == ["OGI19-REPLY-20WD"]
    assert "written differently" not in out["findings"][0]["message"]


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_the_first_close_reply_in_file_and_line_order_is_named(ws: Workspace, engine: str) -> None:
    if engine == "columnar":
        pytest.importorskip("duckdb")
    ws.write("b.csv", "date,event,case\n2019-06-01,答复申请,依申2019-22\n")
    ws.write("a.csv", CASE_HINT_LOG + "2019-06-02,答复申请,依申〔2019〕22号之一,\n")
    out = ws.cli_json("check", "b.csv", "a.csv", "-r", "ogi-regulation-2019", "--as-of", "2019-12-31",
                      "--engine", engine)
    assert "a.csv:5 has the case '依申〔2019〕第22号'" in out["findings"][0]["message"]
