"""Configuration (contract section 6): where it is found, what wins, what is refused.

Decisions tested here (docs/formats.md and docs/precommit.md say them to users):
- In one folder, ``gklint.toml`` wins over ``[tool.gklint]`` in ``pyproject.toml``; a
  ``pyproject.toml`` without that table is passed over and the walk goes on up.
- ``--config FILE`` replaces the search; the command line overrides the file key by key.
- Paths in the file are relative to the file's folder and reported relative to the working
  directory.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

from gklint.config import build_check_request, find_config, load_config
from gklint.errors import ConfigError

RULES = """\
- id: R-REPLY
  title: {zh: 答复期限, en: Reply deadline}
  severity: error
  deadline: {after: received, expect: answered, within: 5 working days}
- id: R-MEETINGS
  title: {zh: 会议次数, en: Meetings}
  severity: warning
  count: {event: meeting, at_least: 2, per: year}
"""


def request(tmp: Path, monkeypatch: pytest.MonkeyPatch, cwd: Path | None = None, **opts: Any) -> Any:
    monkeypatch.chdir(cwd or tmp)
    opts.setdefault("paths", ("events.csv",))
    return build_check_request(opts, as_of=opts.pop("as_of", None), default_lang="en", is_tty=False)


# --- finding the file ---------------------------------------------------------------

def test_gklint_toml_wins_over_pyproject_in_the_same_folder(ws: Workspace) -> None:
    (ws.root / "gklint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    (ws.root / "pyproject.toml").write_text('[tool.gklint]\nlang = "en"\n', encoding="utf-8")
    assert find_config(ws.root) == (ws.root / "gklint.toml").resolve()


def test_pyproject_with_a_gklint_table_is_used(ws: Workspace) -> None:
    sub = ws.root / "proj"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.black]\n\n[tool.gklint]\nlang = "zh"\n', encoding="utf-8")
    path = find_config(sub)
    assert path == (sub / "pyproject.toml").resolve() and load_config(path)["lang"] == "zh"


def test_a_pyproject_without_the_table_is_passed_over(ws: Workspace) -> None:
    sub = ws.root / "proj"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n', encoding="utf-8")
    (ws.root / "gklint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    assert find_config(sub) == (ws.root / "gklint.toml").resolve()


def test_found_from_a_subfolder_with_paths_relative_to_the_file(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws.root / "rules").mkdir()
    ws.ruleset(RULES, name="rules/local.yaml")
    ws.log("date,event,case\n2021-06-01,收到,A\n", name="records/2021.csv")
    (ws.root / "gklint.toml").write_text(
        'rulesets = ["rules/local.yaml"]\npaths = ["records/"]\nas_of = "2021-12-31"\nwaivers = "w.yaml"\n',
        encoding="utf-8")
    (ws.root / "w.yaml").write_text("[]\n", encoding="utf-8")
    deep = ws.root / "records" / "deep"
    deep.mkdir()
    monkeypatch.chdir(deep)
    req = build_check_request({}, as_of=None, default_lang="en", is_tty=False)
    assert req.paths == [str(Path(".."))] and req.rulesets == [str(Path("../../rules/local.yaml"))]
    assert req.extra["waivers"] == str(Path("../../w.yaml")) and req.as_of == dt.date(2021, 12, 31)
    # And the check runs from there, naming files relative to the working directory.
    result = ws_cli_in(deep, "check", "--format", "json")
    assert result.exit_code == 1, stderr_of(result)
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {str(Path("../2021.csv"))}


def ws_cli_in(cwd: Path, *args: str) -> Any:
    return Workspace(cwd).cli(*args)


def test_explicit_config_replaces_the_search(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws.root / "gklint.toml").write_text('lang = "zh"\nfail_on = "warning"\n', encoding="utf-8")
    (ws.root / "ci.toml").write_text('lang = "en"\n', encoding="utf-8")
    req = request(ws.root, monkeypatch, config_file="ci.toml")
    assert req.lang == "en" and req.fail_on == "error"  # nothing from gklint.toml
    req = request(ws.root, monkeypatch)
    assert req.lang == "zh" and req.fail_on == "warning"


def test_explicit_pyproject_needs_the_table(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws.root / "pyproject.toml").write_text('[tool.black]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"no \[tool.gklint\] table"):
        request(ws.root, monkeypatch, config_file="pyproject.toml")


def test_a_missing_config_file_is_exit_2(ws: Workspace) -> None:
    result = ws.cli("check", "events.csv", "--config", "nope.toml")
    assert result.exit_code == 2 and "nope.toml" in stderr_of(result)


# --- the command line overrides the file, key by key ----------------------------------

FILE = """\
rulesets = ["from-file.yaml"]
calendar = "file-calendar.yaml"
select = ["F-*"]
ignore = ["GK004"]
as_of = "2019-01-31"
lang = "zh"
fail_on = "warning"
show_pending = true
format = "json"
sheet = "台账"
waivers = "file-waivers.yaml"
"""


@pytest.mark.parametrize("option, value, attribute, expected_file, expected_cli", [
    ("rulesets", ("cli.yaml",), "rulesets", ["from-file.yaml"], ["cli.yaml"]),
    ("calendar", "CN", "calendar", "file-calendar.yaml", "CN"),
    ("select", ("C-1,C-2",), "select", ["F-*"], ["C-1", "C-2"]),
    ("ignore", ("GK006",), "ignore", ["GK004"], ["GK006"]),
    ("as_of", dt.date(2020, 5, 1), "as_of", dt.date(2019, 1, 31), dt.date(2020, 5, 1)),
    ("lang", "en", "lang", "zh", "en"),
    ("fail_on", "error", "fail_on", "warning", "error"),
    ("show_pending", False, "show_pending", True, False),
    ("output_format", "sarif", "output_format", "json", "sarif"),
    ("sheet", "Sheet2", "sheet", "台账", "Sheet2"),
    ("waivers", "cli-waivers.yaml", "waivers", "file-waivers.yaml", "cli-waivers.yaml"),
])
def test_command_line_overrides_each_key(ws: Workspace, monkeypatch: pytest.MonkeyPatch, option: str, value: Any,
                                         attribute: str, expected_file: Any, expected_cli: Any) -> None:
    (ws.root / "gklint.toml").write_text(FILE, encoding="utf-8")

    def get(req: Any) -> Any:
        return req.extra["waivers"] if attribute == "waivers" else getattr(req, attribute)

    assert get(request(ws.root, monkeypatch)) == expected_file
    assert get(request(ws.root, monkeypatch, **{option: value})) == expected_cli


def test_toml_date_literal_is_accepted_for_as_of(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    (ws.root / "gklint.toml").write_text("as_of = 2019-01-31\n", encoding="utf-8")
    assert request(ws.root, monkeypatch).as_of == dt.date(2019, 1, 31)


def test_format_from_config_is_used(ws: Workspace) -> None:
    ws.ruleset(RULES)
    ws.log("date,event,case\n2021-06-01,收到,A\n")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\nformat = "sarif"\nas_of = "2021-12-31"\n',
                                         encoding="utf-8")
    result = ws.cli("check", "events.csv")
    assert json.loads(result.stdout)["version"] == "2.1.0"


# --- refused ------------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ('langs = "zh"\n', "unknown key 'langs'"),
    ('rulsets = ["a"]\n', "unknown key 'rulsets'"),
    ('lang = "fr"\n', "'lang' must be one of zh, en"),
    ('fail_on = "info"\n', "'fail_on' must be one of error, warning"),
    ('format = "xml"\n', "'format' must be one of text, json, sarif, junit, github"),
    ('select = "GK001"\n', "'select' must be a list of strings"),
    ('units = [1, 2]\n', "'units' must be a list of strings"),
    ('show_pending = "yes"\n', "'show_pending' must be true or false"),
    ('columns = "date"\n', "'columns' must be a table"),
    ('[columns]\ndate = 1\n', "[columns] date must be the header text"),
    ('[columns]\nevnet = "事项"\n', "unknown column 'evnet'"),
    ('[per_file_ignores]\n"a/*.csv" = "GK004"\n', "per_file_ignores 'a/*.csv' must be a list"),
    ('as_of = "next week"\n', "as_of:"),
    ('lang = "zh\n', "TOML syntax error"),
])
def test_bad_config_is_exit_2_naming_the_file(ws: Workspace, text: str, words: str) -> None:
    ws.log("date,event\n")
    (ws.root / "gklint.toml").write_text(text, encoding="utf-8")
    result = ws.cli("check", "events.csv")
    err = stderr_of(result)
    assert result.exit_code == 2, (result.output, err)
    assert "gklint.toml" in err and words in err and "Traceback" not in err


def test_a_gbk_config_is_exit_2_naming_the_file(ws: Workspace) -> None:
    ws.log("date,event\n")
    (ws.root / "gklint.toml").write_bytes('units = ["办公室"]\n'.encode("gbk"))
    result = ws.cli("check", "events.csv")
    err = stderr_of(result)
    assert result.exit_code == 2 and "gklint.toml" in err and "not UTF-8" in err and "Traceback" not in err


def test_unknown_key_suggests_the_known_one(ws: Workspace) -> None:
    ws.log("date,event\n")
    (ws.root / "gklint.toml").write_text('rulsets = ["a"]\n', encoding="utf-8")
    assert "Did you mean 'rulesets'?" in stderr_of(ws.cli("check", "events.csv"))


def test_no_log_and_no_paths_is_exit_2(ws: Workspace) -> None:
    result = ws.cli("check")
    assert result.exit_code == 2 and "no event log given" in stderr_of(result)


# --- what the keys do ------------------------------------------------------------------

def test_columns_map_the_office_headers(ws: Workspace) -> None:
    ws.ruleset(RULES)
    ws.log("办理日期,事项,文号,承办部门\n2021-06-01,收到,A,办公室\n2021-06-20,答复,A,办公室\n")
    (ws.root / "gklint.toml").write_text(
        'rulesets = ["rs.yaml"]\nas_of = "2021-12-31"\nselect = ["R-REPLY"]\n'
        '[columns]\ndate = "办理日期"\nevent = "事项"\ncase = "文号"\nunit = "承办部门"\n', encoding="utf-8")
    doc = json.loads(ws.cli("check", "events.csv", "--format", "json").stdout)
    assert [(f["rule"], f["case"], f["unit"], f["status"]) for f in doc["findings"]] == [
        ("R-REPLY", "A", "办公室", "late")]


def test_paths_plus_given_files_report_only_the_given_files(ws: Workspace) -> None:
    """The pre-commit mode: the whole record set is read, only the committed file is judged."""
    ws.ruleset(RULES)
    ws.log("date,event,case\n2021-06-01,收到,A\n2021-06-01,收到,B\n", name="records/received.csv")
    ws.log("date,event,case\n2021-06-03,答复,A\n2021-06-30,答复,B\n2021-07-01,收到,C\n", name="records/answered.csv")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\npaths = ["records/"]\nas_of = "2022-01-05"\n',
                                         encoding="utf-8")
    whole = json.loads(ws.cli("check", "--format", "json").stdout)
    assert {(f["file"], f["case"]) for f in whole["findings"]} == {
        ("records/received.csv", "B"), ("records/answered.csv", "C"), (None, None)}  # None: meetings in 2021
    only = ws.cli("check", "records/answered.csv", "--format", "json")
    doc = json.loads(only.stdout)
    # A's answer in this file matched A's receipt in the other (no false "missing"); B's late
    # answer lies in this file, so B's finding (on its receipt in the other file) is reported with
    # the answer as its response (contract section 14); the period finding in no file is not.
    assert [(f["file"], f["case"], f["status"], f.get("response")) for f in doc["findings"]] == [
        ("records/answered.csv", "C", "missing", None),
        ("records/received.csv", "B", "late", {"file": "records/answered.csv", "line": 3})]
    assert doc["summary"]["events"] == whole["summary"]["events"] == 5  # each file read once
    assert only.exit_code == 1


def test_given_file_outside_paths_is_added_once(ws: Workspace) -> None:
    ws.ruleset(RULES)
    ws.log("date,event,case\n2021-06-01,收到,A\n", name="records/a.csv")
    ws.log("date,event,case\n2021-06-01,收到,B\n", name="new.csv")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\npaths = ["records/"]\nas_of = "2021-12-31"\n'
                                         'select = ["R-REPLY"]\n', encoding="utf-8")
    doc = json.loads(ws.cli("check", "new.csv", "./new.csv", "records/a.csv", "--format", "json").stdout)
    assert doc["summary"]["events"] == 2
    assert sorted(f["case"] for f in doc["findings"]) == ["A", "B"]


def test_given_files_covering_the_whole_record_set_report_everything(ws: Workspace) -> None:
    """`gklint check records/` (or every file of `paths`) is a full check, period findings included."""
    ws.ruleset(RULES)
    ws.log("date,event,case\n2021-06-01,收到,A\n2021-06-01,收到,B\n", name="records/received.csv")
    ws.log("date,event,case\n2021-06-03,答复,A\n2021-06-30,答复,B\n", name="records/answered.csv")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\npaths = ["records/"]\nas_of = "2022-01-05"\n',
                                         encoding="utf-8")
    whole = json.loads(ws.cli("check", "--format", "json").stdout)
    given = json.loads(ws.cli("check", "records/", "--format", "json").stdout)
    assert given["findings"] == whole["findings"]
    assert any(f["file"] is None for f in given["findings"])  # the period finding is reported


def test_columns_may_name_attributes(ws: Workspace) -> None:
    """`[columns] simple = "简单问题"`: an attribute header in Chinese, filtered on by its rule name."""
    ws.ruleset("""
        - id: SIMPLE-1WD
          deadline: {after: {event: received, where: {simple: true}}, expect: answered, within: 1 working day}
        """)
    ws.log("日期,事件,编号,简单问题\n2021-06-01,收到,A,是\n2021-06-04,答复,A,\n2021-06-01,收到,B,否\n2021-06-04,答复,B,\n")
    (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\nas_of = "2021-12-31"\n[columns]\nsimple = "简单问题"\n',
                                         encoding="utf-8")
    doc = json.loads(ws.cli("check", "events.csv", "--format", "json").stdout)
    assert [(f["rule"], f["case"], f["status"]) for f in doc["findings"]] == [("SIMPLE-1WD", "A", "late")]
