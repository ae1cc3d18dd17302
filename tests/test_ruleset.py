"""Rulesets (contract section 3): loading, errors with lines, include, ids, ``gklint rules`` and
``gklint explain``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EVENTS, Workspace, stderr_of

from gklint.errors import RulesetError
from gklint.ruleset import load_ruleset, load_rulesets

RULES = """
- id: T-REPLY
  title: {zh: 5个工作日内答复, en: Answered within 5 working days}
  clause: 三、（二）
  quote: 答复期限不得超过5个工作日
  note: {zh: 以收到之日为起算日, en: Counted from the day of receipt}
  deadline:
    after: received
    expect: answered
    within: 5个工作日
    extend: {by: extended, up_to: 5 working days}
- id: T-MEET
  severity: warning
  effective: {from: 2019-01-01}
  count: {event: {event: meeting, where: {public: 是}}, at_least: 2, per: year, for_each: unit}
"""


def test_load_ruleset_fields(ws: Workspace) -> None:
    rs = load_ruleset(str(ws.ruleset(RULES, effective="{from: 2018-06-01, until: 2020-12-31}")))
    assert (rs.id, rs.document, rs.issued, rs.title) == (
        "test-rs", "测试〔2018〕1号", "2018-01-01", {"zh": "测试规则集", "en": "Test ruleset"})
    assert [(r.id, r.kind, r.severity, r.line) for r in rs.rules] == [
        ("T-REPLY", "deadline", "error", 19), ("T-MEET", "count", "warning", 29)]
    assert rs.rules[0].spec.within == (5, "working_days")
    assert rs.rules[1].effective_from.isoformat() == "2019-01-01"
    assert rs.rules[0].quote == "答复期限不得超过5个工作日"


@pytest.mark.parametrize(("rule", "line", "words"), [
    ("- id: X\n  deadline:\n    after: received\n    expect: answerd\n    within: 5 days\n", 21, "Did you mean 'answered'"),
    ("- id: X\n  deadline:\n    after: received\n    expect: answered\n    within: 5 weeks\n", 22, "5 weeks"),
    ("- id: X\n  due: {expect: summary, period: year, by: 13-45}\n", 19, "not a real date"),
    ("- id: X\n  count: {event: meeting, per: year}\n", 19, "at_least or at_most"),
    ("- id: X\n  ratio: {of: interp, matching: {form: video}, at_least: 1.5, per: year}\n", 19, "at_least"),
    ("- id: X\n  precedence: {event: published, requires: review, mtach: [case]}\n", 19, "mtach"),
    ("- id: 'bad id!'\n  precedence: {event: published, requires: review}\n", 18, "bad id!"),
    ("- id: X\n  effective: {from: 2019-02-30}\n  precedence: {event: published, requires: review}\n", 19,
     "2019-02-30"),
])
def test_errors_name_file_and_line(ws: Workspace, rule: str, line: int, words: str) -> None:
    """Errors name the file and the line of the offending item (line 18 is the first rule's)."""
    path = ws.ruleset(rule)
    assert path.read_text(encoding="utf-8").splitlines()[17].startswith("  - id:")
    with pytest.raises(RulesetError) as info:
        load_ruleset(str(path))
    error = info.value
    assert (error.file, error.line) == (str(path), line), str(error)
    assert words in str(error)


def test_include_vocabulary_file(ws: Workspace) -> None:
    ws.write("shared/vocab.yaml", EVENTS)
    path = ws.ruleset("""
        - id: R
          deadline: {after: 收到, expect: answered, within: 1 working day}
        """, events="include: [shared/vocab.yaml]\n")
    # An event reference must be a declared *name*; aliases belong to logs.
    with pytest.raises(RulesetError, match="'收到' is not declared"):
        load_ruleset(str(path))
    ws.ruleset("""
        - id: R
          deadline: {after: received, expect: answered, within: 1 working day}
        """, events="include: [shared/vocab.yaml]\nevents:\n  local_only: {label: 本地事件}\n")
    rs = load_ruleset(str(ws.root / "rs.yaml"))
    assert {"received", "answered", "local_only"} <= set(rs.events)
    ws.log("date,event,case\n2018-06-04,收到,A\n2018-06-05,本地事件,A\n")
    assert ws.check("2018-12-31").findings[0].status == "missing"


def test_include_missing_file_names_the_line(ws: Workspace) -> None:
    path = ws.ruleset("- id: R\n  precedence: {event: published, requires: review}\n",
                      events="include: [nowhere.yaml]\n" + EVENTS)
    with pytest.raises(RulesetError) as info:
        load_ruleset(str(path))
    assert (info.value.file, info.value.line) == (str(path), 5)


def test_include_file_is_validated(ws: Workspace) -> None:
    vocab = ws.write("vocab.yaml", "events:\n  received: {label: 收到, colour: red}\n")
    path = ws.ruleset("- id: R\n  precedence: {event: received, requires: received}\n",
                      events="include: [vocab.yaml]\n")
    with pytest.raises(RulesetError) as info:
        load_ruleset(str(path))
    assert (info.value.file, info.value.line) == (str(vocab), 2)
    assert "colour" in str(info.value)


def test_duplicate_rule_ids_across_rulesets(ws: Workspace) -> None:
    rule = "- id: SAME\n  precedence: {event: published, requires: review}\n"
    first = ws.ruleset(rule, name="a.yaml", ruleset_id="a")
    second = ws.ruleset(rule, name="b.yaml", ruleset_id="b")
    with pytest.raises(RulesetError) as info:
        load_rulesets([str(first), str(second)])
    assert (info.value.file, info.value.line) == (str(second), 18)
    assert str(first) in str(info.value)
    # The same file named twice is one ruleset, not a clash.
    assert len(load_rulesets([str(first)])) == 1
    result = ws.cli("check", "events.csv", "-r", "a.yaml", "-r", "b.yaml", "--as-of", "2018-12-31")
    assert result.exit_code == 2 and "b.yaml:18" in stderr_of(result)


def test_event_alias_clash_between_rulesets(ws: Workspace) -> None:
    ws.ruleset("- id: A\n  precedence: {event: x, requires: y}\n", name="a.yaml", ruleset_id="a",
               events="events:\n  x: {label: 甲, aliases: [共同]}\n  y: {label: 乙}\n")
    ws.ruleset("- id: B\n  precedence: {event: z, requires: z}\n", name="b.yaml", ruleset_id="b",
               events="events:\n  z: {label: 丙, aliases: [共同]}\n")
    ws.log("date,event\n2018-06-04,甲\n")
    result = ws.cli("check", "events.csv", "-r", "a.yaml", "-r", "b.yaml", "--as-of", "2018-12-31")
    assert result.exit_code == 2
    assert "b.yaml" in stderr_of(result) and "共同" in stderr_of(result)


def test_shipped_schema_file_equals_the_built_schema() -> None:
    """Contract section 3: rulesets are validated by a JSON Schema that ships with the package."""
    from gklint.ruleset.schema import build_schema

    shipped = Path(__file__).parents[1] / "gklint" / "schemas" / "ruleset.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == build_schema(), (
        "regenerate: python -m gklint.ruleset.schema > gklint/schemas/ruleset.schema.json")


# --- gklint rules / explain ------------------------------------------------------------------

def test_rules_json_has_every_written_key_and_ruleset_fields(ws: Workspace) -> None:
    ws.ruleset(RULES)
    result = ws.cli("rules", "-r", "rs.yaml", "--format", "json")
    assert result.exit_code == 0, stderr_of(result)
    rules = json.loads(result.stdout)
    assert [r["id"] for r in rules] == ["T-REPLY", "T-MEET"]
    first = rules[0]
    assert set(first) == {"id", "title", "clause", "quote", "note", "deadline",
                          "ruleset", "document", "issued", "ruleset_title"}
    assert first["deadline"] == {"after": "received", "expect": "answered", "within": "5个工作日",
                                 "extend": {"by": "extended", "up_to": "5 working days"}}
    assert (first["ruleset"], first["document"], first["issued"], first["ruleset_title"]) == (
        "test-rs", "测试〔2018〕1号", "2018-01-01", {"zh": "测试规则集", "en": "Test ruleset"})
    assert rules[1]["count"]["event"] == {"event": "meeting", "where": {"public": "是"}}
    assert rules[1]["effective"] == {"from": "2019-01-01"}
    assert "severity" not in first and rules[1]["severity"] == "warning"  # as the ruleset writes it


def test_rules_text_lists_rulesets_and_rules(ws: Workspace) -> None:
    ws.ruleset(RULES)
    result = ws.cli("rules", "-r", "rs.yaml", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("test-rs  Test ruleset  (测试〔2018〕1号, 2018-01-01)")
    assert "T-REPLY" in lines[1] and "deadline" in lines[1] and "T-MEET" in lines[2]
    assert lines[-1] == "2 rules in 1 rulesets"


def test_explain_rule(ws: Workspace) -> None:
    ws.ruleset(RULES, effective="{from: 2018-06-01}")
    result = ws.cli("explain", "T-REPLY", "-r", "rs.yaml", "--lang", "en")
    assert result.exit_code == 0, stderr_of(result)
    out = result.stdout
    for expected in ("T-REPLY  Answered within 5 working days", "Ruleset: test-rs (Test ruleset)",
                     "Source document: 测试〔2018〕1号, issued 2018-01-01", "Clause: 三、（二）",
                     "Quote: “答复期限不得超过5个工作日”", "within 5 working days", "Severity: error",
                     "In force: 2018-06-01 – …", "Note: Counted from the day of receipt"):
        assert expected in out, (expected, out)
    zh = ws.cli("explain", "t-reply", "-r", "rs.yaml", "--lang", "zh").stdout  # ids match case-insensitively
    assert "每个“收到申请”之后，须在5个工作日内有相同编号（case）的“答复”" in zh


def test_explain_window_intersects_ruleset_and_rule(ws: Workspace) -> None:
    """The window explain prints is the one the engine checks: the ruleset's and the rule's both apply."""
    ws.ruleset(RULES, effective="{from: 2019-06-01, until: 2020-12-31}")  # T-MEET: from 2019-01-01
    out = ws.cli("explain", "T-MEET", "-r", "rs.yaml", "--lang", "en").stdout
    assert "In force: 2019-06-01 – 2020-12-31" in out


def test_explain_builtin_and_unknown(ws: Workspace) -> None:
    ws.ruleset(RULES)
    assert "Unreadable date" in ws.cli("explain", "GK001", "-r", "rs.yaml", "--lang", "en").stdout
    unknown = ws.cli("explain", "T-REPLI", "-r", "rs.yaml")
    assert unknown.exit_code == 2
    assert "T-REPLY" in stderr_of(unknown)  # did you mean


def test_ruleset_without_optional_fields(ws: Workspace) -> None:
    path = ws.write("min.yaml", """
        ruleset: minimal
        events: {a: {}, b: {}}
        rules:
          - id: M
            precedence: {event: a, requires: b}
        """)
    (rs,) = load_rulesets([str(path)])
    assert (rs.document, rs.issued, rs.effective_from, rs.rules[0].title) == (None, None, None, {"zh": "M", "en": "M"})
    ws.log("date,event\n2018-06-04,a\n")
    result = ws.cli("check", "events.csv", "-r", "min.yaml", "--as-of", "2018-12-31")
    assert result.exit_code == 1 and "events.csv:2: M error" in result.stdout
