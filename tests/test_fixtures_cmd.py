"""``gklint test PATH...`` (contract section 8): fixture folders, pass/fail, summary, exit status."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

RULES = """
- id: R
  deadline: {after: received, expect: answered, within: 5 working days}
- id: C
  count: {event: meeting, at_least: 1, per: year}
"""
LOG = "date,event,case\n2018-06-04,received,A\n2018-06-04,received,B\n2018-06-05,answered,B\n"


def fixture(ws: Workspace, name: str, expected: str, log: str = LOG) -> Path:
    folder = ws.root / "fixtures" / name
    folder.mkdir(parents=True)
    (folder / "events.csv").write_text(log, encoding="utf-8")
    (folder / "expected.yaml").write_text(expected, encoding="utf-8")
    return folder


EXACT = """\
as_of: 2019-01-31
rulesets: [../../rs.yaml]
findings:
  - {rule: R, case: A, status: missing}
  - {rule: C, period: 2018, status: too_few}
"""


def test_passing_fixture(ws: Workspace) -> None:
    ws.ruleset(RULES)
    fixture(ws, "ok", EXACT)
    result = ws.cli("test", "fixtures")
    assert result.exit_code == 0, result.stdout + stderr_of(result)
    assert result.stdout.splitlines() == [f"PASS {Path('fixtures') / 'ok'}", "1 passed, 0 failed"]


def test_failing_fixture_lists_missing_and_unexpected(ws: Workspace) -> None:
    ws.ruleset(RULES)
    fixture(ws, "a-ok", EXACT)
    fixture(ws, "b-wrong", EXACT.replace("case: A, status: missing", "case: B, status: late"))
    result = ws.cli("test", "fixtures")
    assert result.exit_code == 1
    out = result.stdout
    assert f"PASS {Path('fixtures') / 'a-ok'}" in out and f"FAIL {Path('fixtures') / 'b-wrong'}" in out
    assert "  expected, not found: rule=R, case=B, status=late" in out
    assert "  found, not expected: R missing case=A" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_select_and_show_pending_in_fixture(ws: Workspace) -> None:
    ws.ruleset(RULES)
    fixture(ws, "pending", """\
        as_of: 2018-06-05
        rulesets: [../../rs.yaml]
        select: [R]
        show_pending: true
        findings:
          - {rule: R, case: A, status: pending, line: 2}
        """.replace("        ", ""))
    result = ws.cli("test", "fixtures/pending/expected.yaml")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 0 failed"


def test_fixture_that_cannot_run_is_a_failure_not_a_crash(ws: Workspace) -> None:
    ws.ruleset(RULES)
    fixture(ws, "broken", "as_of: 2019-01-31\nrulesets: [../../nowhere.yaml]\nfindings: []\n")
    fixture(ws, "fine", EXACT)
    result = ws.cli("test", "fixtures")
    assert result.exit_code == 1
    assert "error:" in result.stdout and "nowhere.yaml" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"


def test_bad_expected_yaml_is_exit_2_naming_the_key(ws: Workspace) -> None:
    ws.ruleset(RULES)
    fixture(ws, "typo", EXACT + "show_pendng: true\n")
    result = ws.cli("test", "fixtures")
    assert result.exit_code == 2 and "show_pendng" in stderr_of(result)


@pytest.mark.parametrize(("text", "line", "said"), [
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nfindings: 5\n", 3, "findings must be a list"),
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nselect: 5\nfindings: []\n", 3, "select must be a list"),
    ("as_of: 2019-01-31\nrulesets: null\nfindings: []\n", 2, "rulesets must be a list"),
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nfindings:\n  - 5\n", 4, "findings.0 must be a mapping"),
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nfindings:\n  - {rule: [R]}\n", 4, "findings.0.rule must be"),
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nfindings:\n  - {rule: R, stauts: late}\n", 4, "'stauts'"),
    ("as_of: [2019]\nrulesets: [../../rs.yaml]\nfindings: []\n", 1, "as_of must be a date"),
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nshow_pending: {a: 1}\nfindings: []\n", 3, "show_pending"),
    ("as_of: 2019-01-31\nrulesets: [../../rs.yaml]\ncalendar: [CN]\nfindings: []\n", 3, "calendar must be"),
])
def test_malformed_expected_yaml_is_exit_2_naming_file_and_line(ws: Workspace, text: str, line: int,
                                                                said: str) -> None:
    ws.ruleset(RULES)
    fixture(ws, "fine", EXACT)
    fixture(ws, "malformed", text)
    result = ws.cli("test", "fixtures")
    err = stderr_of(result)
    assert result.exit_code == 2, (result.stdout, err)
    assert f"malformed/expected.yaml:{line}: " in err and said in err and "internal error" not in err


def test_no_fixtures_is_exit_2(ws: Workspace) -> None:
    (ws.root / "empty").mkdir()
    result = ws.cli("test", "empty")
    assert result.exit_code == 2
    assert "expected.yaml" in stderr_of(result) and "Traceback" not in result.output
    assert ws.cli("test", "nowhere").exit_code == 2
