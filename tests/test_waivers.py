"""Waivers (contract section 6) and config ``per_file_ignores``.

A waiver in force turns its finding ``waived`` (reported, not failing); a waiver without a
reason or an approver stops the run (exit 2, file and line); an expired waiver is GK020 and an
unused one GK021, both warnings at the waiver's line.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

from gklint.errors import ConfigError
from gklint.model import Finding, msg
from gklint.waivers import Waiver, apply_per_file_ignores, load_waivers, waived

RULES = """\
- id: R-REPLY
  title: {zh: 答复期限, en: Reply deadline}
  severity: error
  deadline: {after: received, expect: answered, within: 5 working days}
"""
LOG = """\
date,event,case,unit
2021-06-01,收到申请,A-1,办公室
2021-06-10,答复,A-1,办公室
2021-06-01,收到申请,A-2,条法司
2021-06-30,答复,A-2,条法司
2021-12-28,收到申请,A-3,办公室
"""


def finding(rule: str = "R-REPLY", status: str = "late", **kw: Any) -> Finding:
    return Finding(rule=rule, severity="error", status=status, message=msg("迟", "late"), **kw)


def waiver(**kw: Any) -> Waiver:
    base: dict[str, Any] = {"rule": "R-REPLY", "reason": "r", "approved_by": "a", "source": "w.yaml", "line": 1}
    base.update(kw)
    return Waiver(**base)


def cli_json(ws: Workspace, *args: str, code: int | None = None) -> dict[str, Any]:
    result = ws.cli("check", "events.csv", "--as-of", "2021-12-31", "--format", "json", *args)
    if code is not None:
        assert result.exit_code == code, (result.output, stderr_of(result))
    return json.loads(result.stdout)


@pytest.fixture
def office(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    ws.log(LOG)
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\n', encoding="utf-8")
    return ws


# --- loading ------------------------------------------------------------------

def test_load_waivers_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("# comment\n"
                    "- rule: R-*\n  case: A-1\n  reason: 申请人同意\n  approved_by: 张三\n  expires: 2022-06-30\n"
                    "- {rule: R-REPLY, period: 2021, unit: 办公室, file: 'records/*.csv', reason: x, approved_by: y}\n",
                    encoding="utf-8")
    first, second = load_waivers(path)
    assert (first.rule, first.case, first.reason, first.approved_by) == ("R-*", "A-1", "申请人同意", "张三")
    assert first.expires == dt.date(2022, 6, 30) and first.line == 2
    assert (second.period, second.unit, second.file, second.expires, second.line) == ("2021", "办公室", "records/*.csv",
                                                                                       None, 7)


@pytest.mark.parametrize("text", ["", "# only comments\n", "[]\n"])
def test_an_empty_waivers_file_has_no_waivers(tmp_path: Path, text: str) -> None:
    (tmp_path / "w.yaml").write_text(text, encoding="utf-8")
    assert load_waivers(tmp_path / "w.yaml") == []


@pytest.mark.parametrize("text, line, words", [
    ("- {rule: R, case: A, approved_by: x}\n", 1, "no reason"),
    ("- rule: R\n  case: A\n  reason: x\n- rule: R\n  case: B\n  reason: ' '\n  approved_by: y\n", 1, "no approved_by"),
    ("- {rule: R, case: A, reason: x, approved_by: y}\n- {rule: R, case: B, reason: '', approved_by: y}\n",
     2, "no reason"),
    ("- {case: A, reason: x, approved_by: y}\n", 1, "no rule"),
    ("- {rule: R, reason: x, approved_by: y}\n", 1, "names no case"),
    ("- {rule: R, case: A, reason: x, approved_by: y, expire: 2022-01-01}\n", 1, "unknown key 'expire'"),
    ("- rule: R\n  case: A\n  reason: x\n  approved_by: y\n  expires: next year\n", 5, "is not a date"),
    ("rule: R\n", 1, "must be a YAML list"),
    ("- just text\n", 1, "must be a mapping"),
    ("- {rule: R, case: A, reason: x, approved_by: y\n", None, "YAML syntax error"),
    (None, None, "no such waivers file"),
])
def test_bad_waivers_are_refused_with_file_and_line(tmp_path: Path, text: str | None, line: int | None,
                                                    words: str) -> None:
    path = tmp_path / "w.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_waivers(path)
    assert words in info.value.message
    assert info.value.file == str(path)
    if line is not None:
        assert info.value.line == line


def test_a_waiver_without_approver_stops_the_run(office: Workspace) -> None:
    office.write("waivers.yaml", "- {rule: R-REPLY, case: A-1, reason: 申请人同意}\n")
    result = office.cli("check", "events.csv", "--as-of", "2021-12-31", "--waivers", "waivers.yaml")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "waivers.yaml:1:" in err and "approved_by" in err and "Traceback" not in err


# --- applying -----------------------------------------------------------------

def test_matching_keys_narrow_the_waiver() -> None:
    f = finding(case="A-1", unit="办公室", period=None, file="records/2021.csv")
    assert waiver(case="A-1").matches(f)
    assert waiver(rule="R-*", case="A-1").matches(f)
    assert not waiver(rule="X-*", case="A-1").matches(f)
    assert not waiver(case="A-2").matches(f)
    assert waiver(case="A-1", unit="办公室").matches(f)
    assert not waiver(case="A-1", unit="条法司").matches(f)
    assert waiver(file="records/*.csv").matches(f)
    assert not waiver(file="other/*.csv").matches(f)
    assert waiver(period="2021").matches(finding(period="2021"))
    assert not waiver(period="2021").matches(finding(period="2022"))


def test_apply_marks_waived_and_reports_expired_and_stale() -> None:
    as_of = dt.date(2021, 12, 31)
    late, missing = finding(case="A-1", file="e.csv", line=2), finding(status="missing", case="A-2", file="e.csv", line=4)
    out = list(waived([late, missing], [
        waiver(case="A-1", expires=as_of, line=1),              # last day of validity: still waives
        waiver(case="A-2", expires=dt.date(2021, 12, 30), line=5),  # expired: waives nothing
        waiver(case="A-9", line=9),                             # matches nothing
    ], as_of))
    assert [(f.rule, f.status, f.line) for f in out] == [
        ("R-REPLY", "waived", 2), ("R-REPLY", "missing", 4), ("GK020", "invalid", 5), ("GK021", "invalid", 9)]
    assert out[0].extra["waived_status"] == "late" and out[0].extra["waiver"]["approved_by"] == "a"
    assert out[2].severity == out[3].severity == "warning" and out[2].file == "w.yaml"
    assert "2021-12-30" in out[2].text("en") and "A-9" in out[3].text("zh")


def test_a_pending_finding_uses_its_waiver_but_stays_pending() -> None:
    out = list(waived([finding(status="pending", case="A-3")], [waiver(case="A-3")], dt.date(2021, 12, 31)))
    assert [(f.rule, f.status) for f in out] == [("R-REPLY", "pending")]


def test_waived_findings_do_not_fail_the_run(office: Workspace) -> None:
    assert cli_json(office, code=1)["summary"]["errors"] == 2
    office.write("waivers.yaml", """\
        - {rule: R-REPLY, case: A-1, reason: 申请人书面同意延期, approved_by: 办公室主任}
        - {rule: R-*, case: A-2, unit: 条法司, reason: 系统故障, approved_by: 分管领导, expires: 2022-03-31}
        """)
    doc = cli_json(office, "--waivers", "waivers.yaml", code=0)
    assert [(f["case"], f["status"]) for f in doc["findings"]] == [("A-1", "waived"), ("A-2", "waived")]
    assert doc["summary"]["errors"] == 0 and doc["summary"]["waived"] == 2


def test_expired_and_stale_waivers_are_warnings_at_their_line(office: Workspace) -> None:
    office.write("waivers.yaml", """\
        - {rule: R-REPLY, case: A-1, reason: 同意延期, approved_by: 主任, expires: 2021-12-01}
        - {rule: R-REPLY, case: A-404, reason: 录入错误, approved_by: 主任}
        """)
    doc = cli_json(office, "--waivers", "waivers.yaml", code=1)
    by_rule = {f["rule"]: f for f in doc["findings"] if f["rule"].startswith("GK")}
    assert by_rule["GK020"]["file"] == "waivers.yaml" and by_rule["GK020"]["line"] == 1
    assert by_rule["GK021"]["file"] == "waivers.yaml" and by_rule["GK021"]["line"] == 2
    assert by_rule["GK020"]["severity"] == by_rule["GK021"]["severity"] == "warning"
    assert next(f for f in doc["findings"] if f["case"] == "A-1")["status"] == "late"
    # They are rules like any other: --ignore applies.
    quiet = cli_json(office, "--waivers", "waivers.yaml", "--ignore", "GK02*")
    assert not [f for f in quiet["findings"] if f["rule"].startswith("GK")]


def test_waiver_warnings_take_their_place_in_the_report_order(office: Workspace) -> None:
    """GK020/GK021 are added after the check; the report is still in (file, line) order, here
    with the waivers file named before the log."""
    office.write("a-waivers.yaml", """\
        - {rule: R-REPLY, case: A-404, reason: 录入错误, approved_by: 主任}
        """)
    doc = cli_json(office, "--waivers", "a-waivers.yaml", code=1)
    assert (doc["findings"][0]["file"], doc["findings"][0]["rule"]) == ("a-waivers.yaml", "GK021")
    keys = [(f["file"], f["line"] or 0) for f in doc["findings"]]
    assert keys == sorted(keys) and len(keys) == 3


def test_waivers_from_config_are_relative_to_the_config_file(office: Workspace) -> None:
    (office.root / "sub").mkdir()
    office.write("policy/waivers.yaml", "- {rule: R-REPLY, case: A-1, reason: 同意延期, approved_by: 主任}\n")
    (office.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\nwaivers = "policy/waivers.yaml"\n',
                                             encoding="utf-8")
    doc = cli_json(office)
    assert next(f for f in doc["findings"] if f["case"] == "A-1")["status"] == "waived"


def test_a_pending_waiver_is_not_stale_even_when_pending_is_hidden(office: Workspace) -> None:
    office.write("waivers.yaml", "- {rule: R-REPLY, case: A-3, reason: 已约定延期, approved_by: 主任}\n")
    doc = cli_json(office, "--waivers", "waivers.yaml")
    assert not [f for f in doc["findings"] if f["rule"] == "GK021"]
    assert doc["summary"]["pending"] == 1


# --- per_file_ignores -----------------------------------------------------------

def test_per_file_ignores_drop_rules_in_matching_files() -> None:
    findings = [finding(file="records/2017/a.csv"), finding(rule="GK004", file="records/2017/a.csv"),
                finding(rule="GK004", file="records/2018/a.csv"), finding(rule="GK004")]
    kept = apply_per_file_ignores(findings, {"records/2017/*.csv": ["GK*"]})
    assert [(f.rule, f.file) for f in kept] == [("R-REPLY", "records/2017/a.csv"), ("GK004", "records/2018/a.csv"),
                                                ("GK004", None)]


def test_per_file_ignores_from_config(office: Workspace) -> None:
    office.log(LOG, name="old/2020.csv")
    (office.root / "gklint.toml").write_text(
        'rulesets = ["rs.yaml"]\n[per_file_ignores]\n"old/*.csv" = ["R-REPLY"]\n', encoding="utf-8")
    result = office.cli("check", "events.csv", "old", "--as-of", "2021-12-31", "--format", "json")
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {"events.csv"}
