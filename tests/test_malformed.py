"""Malformed input through the CLI: exit statuses, messages that name the file, never a traceback.

Contract section 1: exit 2 when the run cannot be done, with a one-paragraph message on stderr
that names the file (and line, for YAML); section 2: a row that cannot be used is a finding on
that row (exit 1 at the default fail level) and the rest of the file is still checked.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import EVENTS, Workspace, stderr_of

GOOD_RULES = """\
ruleset: test-rs
events:
  received: {label: 收到申请, aliases: [收到]}
  answered: {label: 答复}
rules:
  - id: R
    deadline: {after: received, expect: answered, within: 5 working days}
"""
GOOD_LOG = "date,event,case\n2018-06-04,received,A\n2018-06-05,answered,A\n"


def ruleset_with(rule_lines: str) -> str:
    """GOOD_RULES' header (5 lines) with other rules: the first rule line is line 6."""
    return GOOD_RULES.split("  - id: R\n")[0] + rule_lines


class Case(NamedTuple):
    files: dict[str, bytes | str]     # written into the workspace; rs.yaml/events.csv default to good ones
    args: tuple[str, ...] = ("events.csv",)
    status: int = 2
    names: tuple[str, ...] = ()       # must all appear: stderr for status 2, stdout for findings
    rule: str | None = None           # the built-in rule of the finding on the bad row


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
"""

CASES: dict[str, Case] = {
    # --- event logs that stop the run ------------------------------------------------------
    "empty-file": Case({"events.csv": b""}, names=("events.csv", "empty")),
    "blank-lines-only": Case({"events.csv": b"\n\n  \n"}, names=("events.csv", "header")),
    "no-date-column": Case({"events.csv": "when,event\n2018-06-04,received\n"},
                           names=("events.csv:1", "'date'")),
    "no-event-column": Case({"events.csv": "日期,动作\n2018-06-04,received\n"},
                            names=("events.csv:1", "'event'")),
    "binary-bytes": Case({"events.csv": bytes(range(0x80, 0x100)) * 8}, names=("events.csv", "UTF-8")),
    "nul-bytes": Case({"events.csv": b"date,event\n2018-06-04\x00,received\n"}, names=("events.csv", "NUL")),
    "missing-file": Case({}, args=("nowhere.csv",), names=("nowhere.csv",)),
    "folder-without-logs": Case({"logs/readme.txt": "not a log"}, args=("logs",), names=("logs",)),
    "jsonl-no-records": Case({"events.jsonl": "\n\n"}, args=("events.jsonl",), names=("events.jsonl",)),
    "unsupported-suffix-named": Case({"events.txt": GOOD_LOG}, args=("events.txt",), names=("events.txt", ".txt")),
    # --- rows that are findings; the rest of the file is still checked ---------------------------
    "header-only": Case({"events.csv": "date,event,case\n"}, status=0),
    "short-row": Case({"events.csv": GOOD_LOG + "2018-06-06\n"}, status=1,
                      names=("events.csv:4",), rule="GK003"),
    "long-row": Case({"events.csv": GOOD_LOG + "2018-06-06,received,B,x,y\n"}, status=1,
                     names=("events.csv:4",), rule="GK007"),
    "impossible-date": Case({"events.csv": GOOD_LOG + "2018-02-30,received,B\n"}, status=1,
                            names=("events.csv:4", "2018-02-30"), rule="GK001"),
    "empty-required-cell": Case({"events.csv": GOOD_LOG + ",received,B\n"}, status=1,
                                names=("events.csv:4",), rule="GK003"),
    "unknown-event-did-you-mean": Case({"events.csv": GOOD_LOG + "2018-06-06,answerd,A\n"}, status=1,
                                       names=("events.csv:4", "did you mean 'answered'"), rule="GK002"),
    "two-megabyte-cell": Case({"events.csv": GOOD_LOG + "2018-06-06,received,B,\"" + "x" * (2 << 20) + "\"\n"},
                              status=1, names=("events.csv:4",), rule="GK007"),
    "jsonl-broken-line": Case({"events.jsonl": '{"date": "2018-06-04", "event": "received", "case": "A"}\n'
                                               '{"date": "2018-06-05", "event": \n'
                                               '{"date": "2018-06-05", "event": "answered", "case": "A"}\n'},
                              args=("events.jsonl",), status=1, names=("events.jsonl:2", "JSON"), rule="GK007"),
    "jsonl-not-an-object": Case({"events.jsonl": '{"date": "2018-06-04", "event": "received", "case": "A"}\n'
                                                 '["2018-06-05", "answered"]\n'
                                                 '{"date": "2018-06-05", "event": "answered", "case": "A"}\n'},
                                args=("events.jsonl",), status=1, names=("events.jsonl:2", "object"), rule="GK007"),
    # A \u escape that is half a surrogate pair is no character: no report could be written
    # with it (json, sarif and junit ended in an internal error), so its row is malformed.
    "jsonl-lone-surrogate": Case({"events.jsonl": '{"date": "2018-06-04", "event": "received", "case": "A"}\n'
                                                  '{"date": "2018-06-05", "event": "answered", "case": "A\\ud800"}\n'},
                                 args=("events.jsonl",), status=1, names=("events.jsonl:2", "surrogate"),
                                 rule="GK007"),
    "jsonl-lone-surrogate-json": Case({"events.jsonl": '{"date": "2018-06-04", "event": "received", "case": "A"}\n'
                                                       '{"date": "2018-06-05", "event": "answered", "\\udc00": 1}\n'},
                                      args=("events.jsonl", "--format", "json"), status=1,
                                      names=('"rule": "GK007"', '"line": 2', "surrogate")),
    # --- encodings that must work -------------------------------------------------------------
    "gbk-chinese-headers": Case({"events.csv": "日期,事件,编号\n2018-06-04,收到,A\n2018-06-05,答复,A\n"
                                               "2018-06-06,收到申请,B\n".encode("gbk")}, status=1,
                                names=("events.csv:4", "R error")),
    "utf8-bom": Case({"events.csv": "\ufeffdate,event,case\n2018-06-04,received,A\n".encode("utf-8")},
                     status=1, names=("events.csv:2", "R error")),
    # --- rulesets that stop the run (file and line named) ---------------------------------------
    "yaml-syntax-error": Case({"rs.yaml": ruleset_with("  - id: X\n    deadline: {after: received, within: 5 days\n")},
                              names=("rs.yaml:7", "YAML")),
    "schema-unknown-key": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    deadline: {after: received, expect: answered, within: 5 days}\n    colour: red\n")},
        names=("rs.yaml:8", "colour")),
    "schema-wrong-type": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    count: {event: received, at_least: three, per: year}\n")},
        names=("rs.yaml:7", "at_least")),
    "schema-missing-kind-key": Case({"rs.yaml": ruleset_with("  - id: X\n    severity: error\n")},
                                    names=("rs.yaml:6", "kind key")),
    "schema-two-kind-keys": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    deadline: {after: received, expect: answered, within: 5 days}\n"
        "    precedence: {event: answered, requires: received}\n")}, names=("rs.yaml:6", "deadline, precedence")),
    "schema-bad-severity": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    severity: fatal\n    deadline: {after: received, expect: answered, within: 5 days}\n")},
        names=("rs.yaml:7", "fatal")),
    "alias-bomb": Case({"rs.yaml": BILLION_LAUGHS}, names=("rs.yaml:2", "alias")),
    "undeclared-event-did-you-mean": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    deadline: {after: received, expect: answerd, within: 5 days}\n")},
        names=("rs.yaml:7", "'answerd'", "Did you mean 'answered'")),
    "duplicate-rule-ids": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    deadline: {after: received, expect: answered, within: 5 days}\n"
        "  - id: X\n    deadline: {after: received, expect: answered, within: 6 days}\n")},
        names=("rs.yaml:8", "duplicate", "line 6")),
    "unknown-duration-unit": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    deadline: {after: received, expect: answered, within: 2 fortnights}\n")},
        names=("rs.yaml:7", "fortnights")),
    "duplicate-yaml-key": Case({"rs.yaml": ruleset_with(
        "  - id: X\n    id: Y\n    deadline: {after: received, expect: answered, within: 5 days}\n")},
        names=("rs.yaml:7", "twice")),
    "python-tag": Case({"rs.yaml": ruleset_with("  - !!python/object:os.system {id: X}\n")},
                       names=("rs.yaml:6",)),
    "ruleset-not-a-mapping": Case({"rs.yaml": "- just\n- a list\n"}, names=("rs.yaml:1", "mapping")),
    "bad-effective-date": Case({"rs.yaml": "ruleset: test-rs\neffective: {from: 2018-13-01}\n" + EVENTS
                                           + "rules: []\n"}, names=("rs.yaml:2", "2018-13-01")),
    "missing-ruleset-file": Case({}, args=("events.csv", "-r", "nowhere.yaml"), names=("nowhere.yaml",)),
    # --- options --------------------------------------------------------------------------------
    "bad-as-of": Case({}, args=("events.csv", "--as-of", "2018-02-30"), names=("--as-of", "2018-02-30")),
    "missing-calendar-overlay": Case({}, args=("events.csv", "--calendar", "nowhere-cal.yaml"),
                                     names=("nowhere-cal.yaml",)),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_malformed_input(ws: Workspace, case: Case) -> None:
    files = {"rs.yaml": GOOD_RULES, "events.csv": GOOD_LOG, **case.files}
    for name, content in files.items():
        path = ws.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    args = list(case.args)
    if "-r" not in args:
        args += ["-r", "rs.yaml"]
    if "--as-of" not in args:
        args += ["--as-of", "2018-12-31"]
    result = ws.cli("check", *args)
    stderr = stderr_of(result)

    assert "Traceback" not in result.stdout + stderr
    assert result.exit_code == case.status, (result.stdout, stderr)
    if case.status == 2:
        assert result.stdout == ""
        assert stderr.startswith("gklint: error: ")
        # One paragraph: the message and its hint, no blank line, no internal-error text.
        assert "\n\n" not in stderr.strip() and "internal error" not in stderr
        for name in case.names:
            assert name in stderr, (name, stderr)
    else:
        for name in case.names:
            assert name in result.stdout, (name, result.stdout)
        if case.rule:
            assert f": {case.rule} " in result.stdout
            # The rest of the file is still checked: the good rows were read as events.
            assert "0 events" not in result.stdout


def test_enough_cases() -> None:
    """The brief asks for at least 24 malformed inputs."""
    assert len(CASES) >= 24


def test_as_of_far_outside_any_calendar_is_exit_2(tmp_path: Path) -> None:
    """A typo such as 9999-12-31 would push due dates past the end of the calendar."""
    from click.testing import CliRunner

    from gklint.cli import main

    log = tmp_path / "events.csv"
    log.write_text("date,event\n2018-05-17,x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(log), "--as-of", "9999-12-31"])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr and "1900" in result.stderr and "Traceback" not in result.output
