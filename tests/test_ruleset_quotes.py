"""Every bundled ruleset cites its source faithfully and carries the fields a reader relies on.

- A rule's ``quote`` is copied from its ruleset's seed document (``source:``, a file in the shared
  seeds folder): it must be a substring of the seed once all whitespace is removed from both, as
  rulesets/README.md promises (the seeds break lines and pages in the middle of words).
- Rulesets with ``source: regulation`` quote the regulation itself and are exempt from that check;
  rulesets without ``source`` must be statistics-table rulesets (rule kind ``table``), whose
  quotes are table labels documented in rulesets/REPORT-TABLES.md.
- Every rule has an id, a title in Chinese and English, a clause, a quote and a severity; every
  ruleset has its document, date of issue and effective window.

The rulesets are read as plain YAML, not through gklint's loader, so that this test checks the
files as written.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

RULESETS = Path(__file__).resolve().parents[1] / "rulesets"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
NOT_RULESETS = {"vocabulary.yaml"}


def _bundled() -> list[Path]:
    return sorted(p for p in RULESETS.glob("*.yaml") if p.name not in NOT_RULESETS)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def _squeeze(text: str) -> str:
    """The text with every whitespace character removed (str.split knows the full-width space)."""
    return "".join(text.split())


def _rules(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data.get("rules") or [])


RULESET_FILES = _bundled()


def test_the_bundled_rulesets_are_found() -> None:
    assert len(RULESET_FILES) >= 7, [p.name for p in RULESET_FILES]


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_ruleset_has_document_issued_effective(path: Path) -> None:
    data = _load(path)
    for key in ("document", "issued", "effective"):
        assert data.get(key), f"{path.name}: no {key!r}"
    assert isinstance(data["effective"], dict) and data["effective"].get("from"), (
        f"{path.name}: effective needs at least a 'from' date")


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_every_rule_has_id_title_clause_quote_severity(path: Path) -> None:
    rules = _rules(_load(path))
    assert rules, f"{path.name}: no rules"
    problems = []
    for index, rule in enumerate(rules):
        name = rule.get("id") or f"rule #{index + 1}"
        if not rule.get("id"):
            problems.append(f"{name}: no id")
        title = rule.get("title")
        if not (isinstance(title, dict) and str(title.get("zh") or "").strip()
                and str(title.get("en") or "").strip()):
            problems.append(f"{name}: title needs both zh and en, got {title!r}")
        for key in ("clause", "quote", "severity"):
            if not str(rule.get(key) or "").strip():
                problems.append(f"{name}: no {key!r}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_rulesets_without_source_are_table_rulesets(path: Path) -> None:
    data = _load(path)
    if data.get("source"):
        return
    not_tables = [r.get("id") for r in _rules(data) if "table" not in r]
    assert not not_tables, (
        f"{path.name} has no 'source:' but has event rules {not_tables}: name the seed file the "
        "quotes come from, or 'regulation'")


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_quotes_are_verbatim_from_the_seed(path: Path) -> None:
    data = _load(path)
    source = data.get("source")
    if not source or source == "regulation":
        pytest.skip(f"{path.name}: source is {source or 'absent'}; no seed to compare with")
    if not SEEDS.is_dir():
        pytest.skip(f"the seeds folder {SEEDS} is not present")
    seed = SEEDS / str(source)
    assert seed.is_file(), f"{path.name}: source {source!r} is not a file in {SEEDS}"
    text = _squeeze(seed.read_text(encoding="utf-8"))
    missing = [rule.get("id") for rule in _rules(data)
               if _squeeze(str(rule.get("quote") or "")) not in text]
    assert not missing, f"{path.name}: quotes not found in {source} (whitespace removed): {missing}"
