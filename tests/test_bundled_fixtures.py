"""The bundled rulesets' fixtures: ``gklint test rulesets`` passes, every bundled rule has a
passing and a failing fixture, and a fixture whose log is emptied fails."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from gklint.cli import main
from gklint.ruleset import bundled_dir, bundled_ids, load_ruleset

FIXTURES = Path(__file__).resolve().parents[1] / "rulesets" / "tests"


def test_gklint_test_rulesets_passes() -> None:
    result = CliRunner().invoke(main, ["test", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    passed, failed = int(last.split()[0]), int(last.split()[2])
    assert failed == 0 and passed >= 100


def test_every_bundled_event_rule_has_a_passing_and_a_failing_fixture() -> None:
    covered: dict[str, set[str]] = {}
    for expected in FIXTURES.rglob("expected.yaml"):
        doc = yaml.safe_load(expected.read_text(encoding="utf-8"))
        kind = "fail" if doc.get("findings") else "pass"
        for rule in doc.get("select") or []:
            covered.setdefault(rule, set()).add(kind)
    rules = [r for rid in bundled_ids() for r in load_ruleset(rid).rules if r.kind != "table"]
    assert rules
    lacking = [r.id for r in rules if covered.get(r.id) != {"pass", "fail"}]
    assert not lacking, lacking


def test_a_failing_fixture_with_its_log_emptied_fails(tmp_path: Path) -> None:
    source = next(p.parent for p in sorted(FIXTURES.rglob("expected.yaml")) if p.parent.name.endswith("-fail"))
    copy = tmp_path / source.name
    shutil.copytree(source, copy)
    expected = yaml.safe_load((copy / "expected.yaml").read_text(encoding="utf-8"))
    # Rulesets named by path stay valid from the copy; bundled ids need nothing.
    assert all(not str(r).endswith((".yaml", ".yml")) for r in expected["rulesets"]), "fixture uses paths"
    header = (copy / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    (copy / "events.csv").write_text(header + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(copy)])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "expected, not found" in result.output
    assert result.output.strip().splitlines()[-1] == "0 passed, 1 failed"
    assert bundled_dir().is_dir()
