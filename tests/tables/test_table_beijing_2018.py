"""The Beijing IPO 2018 statistics table, as published (seed 004), against the bundled table rules.

Worked out by hand from the published figures (line numbers are those of
examples/beijing-ipo-2018-table/统计表.csv: header 1, 年度 2, the printed rows from 3).

Identities that HOLD:
  收到申请数 10 = 当面 0 + 传真 0 + 网络 8 + 信函 2
  申请办结数 10 = 按时 9 + 延期 1
  申请答复数 10 = 已主动公开 1 + 同意公开 8 + 同意部分公开 0 + 不同意公开 0 + 不属于本机关 0 + 信息不存在 0
                 + 告知更改补充 0 + 告知其他途径 1
  不同意公开答复数 0 = 六项理由 0 + 0 + 0 + 0 + 0 + 0
  行政诉讼数量 0 = 维持或驳回 0 + 纠错 0 + 其他 0
  主动公开政府信息数 566 >= 政府公报 0, >= 政府网站 467, >= 其他方式 166
  主动公开政府信息数 566 <= 0 + 467 + 2970 + 661 + 166 = 4264
  回应热点舆情数 15 >= 微博微信回应事件数 15, >= 其他方式回应事件数 0
  主动公开规范性文件数 4 <= 566;  重点领域公开政府信息数 2 <= 566
  主要负责同志参加新闻发布会 0 <= 新闻发布会 1;  主要负责同志参加在线访谈 0 <= 在线访谈 0

Identities that FAIL (the table's real inconsistencies):
  line 60  行政复议数量 is blank (0), but 维持 0 + 纠错 1 + 其他 0 = 1 (the report's text: "发生1件行政复议案件，并被依法纠错")
  line 73  从事政府信息公开工作人员数 0, but 专职 0 + 兼职 2 = 2 (the text: "兼职人员2人")
  line 4   主动公开政府信息数 566 (each item counted once across channels) < 政务微博公开政府信息数 2970
  line 4   主动公开政府信息数 566 < 政务微信公开政府信息数 661
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gklint.kinds.table import compile, evaluate_table
from gklint.tables import read_table_file

ROOT = Path(__file__).resolve().parents[2]
TABLE = read_table_file(ROOT / "examples" / "beijing-ipo-2018-table" / "统计表.csv")


def rules(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "rulesets" / f"{name}.yaml").read_text(encoding="utf-8"))
    return {rule["id"]: rule for rule in doc["rules"]}


RULES_2008 = rules("annual-report-2008-table")

# rule id -> the findings it must give on the published table: (line, message in Chinese). [] = holds.
EXPECTED: dict[str, list[tuple[int, str]]] = {
    "AR08-APPLICATIONS-BY-CHANNEL": [],
    "AR08-CLOSED-ON-TIME-OR-EXTENDED": [],
    "AR08-REPLIES-BY-OUTCOME": [],
    "AR08-REFUSALS-BY-REASON": [],
    "AR08-REVIEWS-BY-RESULT": [
        (60, "行政复议数量 = 0（空），但 维持具体行政行为数 0 + 行政复议数量/被依法纠错数 1 + 行政复议数量/其他情形数 0 = 1"),
    ],
    "AR08-LAWSUITS-BY-RESULT": [],
    "AR08-STAFF-FULL-AND-PART-TIME": [
        (73, "从事政府信息公开工作人员数 = 0，但 专职人员数 0 + 兼职人员数 2 = 2"),
    ],
    "AR08-PROACTIVE-UNIQUE-GE-CHANNEL": [
        (4, "主动公开政府信息数 = 566，应不小于 政务微博公开政府信息数 = 2970"),
        (4, "主动公开政府信息数 = 566，应不小于 政务微信公开政府信息数 = 661"),
    ],
    "AR08-PROACTIVE-UNIQUE-LE-CHANNEL-SUM": [],
    "AR08-RESPONSES-UNIQUE-GE-CHANNEL": [],
    "AR08-NORMATIVE-WITHIN-PROACTIVE": [],
    "AR08-KEY-AREAS-WITHIN-PROACTIVE": [],
    "AR08-LEADERS-PRESS-WITHIN-TOTAL": [],
    "AR08-LEADERS-INTERVIEW-WITHIN-TOTAL": [],
    "AR08-RECEIVED-MATCHES-LOG": [],  # no event log given: skipped
}


def test_every_bundled_rule_has_an_expectation() -> None:
    assert set(RULES_2008) == set(EXPECTED)


def test_the_table_is_read_whole() -> None:
    assert TABLE.year == 2018 and not TABLE.bad_values and len(TABLE.rows) == 78


@pytest.mark.parametrize(("rule_id", "expected"), list(EXPECTED.items()), ids=list(EXPECTED))
def test_beijing_2018_table(rule_id: str, expected: list[tuple[int, str]]) -> None:
    problems = list(evaluate_table(compile(RULES_2008[rule_id]["table"], rule_id), TABLE))
    assert [(p.status, p.line, p.message["zh"]) for p in problems] == [("invalid", *e) for e in expected]
    assert all(p.period == "2018" and p.file == TABLE.path and p.message["en"] for p in problems)


def test_exactly_four_inconsistencies_in_all() -> None:
    found = [(rule_id, p.line) for rule_id, rule in RULES_2008.items()
             for p in evaluate_table(compile(rule["table"], rule_id), TABLE)]
    assert found == [("AR08-REVIEWS-BY-RESULT", 60), ("AR08-STAFF-FULL-AND-PART-TIME", 73),
                     ("AR08-PROACTIVE-UNIQUE-GE-CHANNEL", 4), ("AR08-PROACTIVE-UNIQUE-GE-CHANNEL", 4)]


def test_the_english_messages() -> None:
    rule = compile(RULES_2008["AR08-STAFF-FULL-AND-PART-TIME"]["table"], "AR08-STAFF-FULL-AND-PART-TIME")
    [problem] = evaluate_table(rule, TABLE)
    assert problem.message["en"] == "从事政府信息公开工作人员数 = 0, but 专职人员数 0 + 兼职人员数 2 = 2"


@pytest.mark.parametrize(("logged", "findings"), [(10, 0), (12, 1)])
def test_received_against_an_event_log(logged: int, findings: int) -> None:
    rule = compile(RULES_2008["AR08-RECEIVED-MATCHES-LOG"]["table"], "AR08-RECEIVED-MATCHES-LOG")
    problems = list(evaluate_table(rule, TABLE, lambda ref, year: logged if year == 2018 else 0))
    assert len(problems) == findings
    if problems:
        assert problems[0].line == 37
        assert problems[0].message["zh"] == "收到申请数 = 10，但事件记录中 request_received 为 12 条（2018年）"


def test_the_2019_template_rules_do_not_apply_to_the_old_table() -> None:
    for rule_id, rule in rules("annual-report-2019-table").items():
        assert list(evaluate_table(compile(rule["table"], rule_id), TABLE, lambda ref, year: 0)) == []


def test_blank_as_error_reports_the_blank_review_row() -> None:
    spec = {**RULES_2008["AR08-REVIEWS-BY-RESULT"]["table"], "blank": "error"}
    [problem] = evaluate_table(compile(spec, "X"), TABLE)
    assert (problem.status, problem.line) == ("invalid", 60) and "为空" in problem.message["zh"]
