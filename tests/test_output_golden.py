"""Golden files for the text and JSON reporters (contract section 5), in Chinese and English.

The input is ``tests/golden/input/`` (a small log and ruleset), checked with ``--as-of`` pinned
and ``--show-pending``. Outputs are compared byte for byte with ``tests/golden/*``.

Regenerate after an intended change, then review the diff::

    GKLINT_REGEN_GOLDEN=1 python -m pytest tests/test_output_golden.py
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import Workspace

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("GKLINT_REGEN_GOLDEN") == "1"
ARGS = ("check", "events.csv", "-r", "rules.yaml", "--as-of", "2018-12-31", "--show-pending")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_golden_output(ws: Workspace, fmt: str, lang: str) -> None:
    for name in ("events.csv", "rules.yaml"):
        shutil.copy(GOLDEN / "input" / name, ws.root / name)
    result = ws.cli(*ARGS, "--format", fmt, "--lang", lang)
    assert result.exit_code == 1, result.output
    golden = GOLDEN / f"{fmt}.{lang}.{'json' if fmt == 'json' else 'txt'}"
    if REGEN:
        golden.write_text(result.stdout, encoding="utf-8", newline="")
    assert golden.is_file(), f"{golden} is missing: run with GKLINT_REGEN_GOLDEN=1 to create it"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_golden_json_is_one_object_matching_the_text() -> None:
    """The JSON and text goldens describe the same findings (a guard against regenerating one wrongly)."""
    doc = json.loads((GOLDEN / "json.en.json").read_text(encoding="utf-8"))
    text = (GOLDEN / "text.en.txt").read_text(encoding="utf-8").splitlines()
    assert len(doc["findings"]) == len(text) - 1
    for finding, line in zip(doc["findings"], text):
        where = f"{finding['file']}:{finding['line']}" if finding["line"] else finding["period"]
        assert line.startswith(f"{where}: {finding['rule']} {finding['severity']}")
        assert line.endswith(finding["message"])
    assert text[-1].startswith(f"{doc['summary']['errors'] + doc['summary']['warnings'] + doc['summary']['infos']}"
                               " findings: ")


def test_text_is_one_line_per_finding_even_with_line_breaks_in_cells(ws: Workspace) -> None:
    """Text output, one finding per line: a multi-line cell quoted in a message is escaped."""
    ws.ruleset("- id: R\n  deadline: {after: received, expect: answered, within: 5 days}\n")
    ws.log('date,event,case\n2018-06-04,"recieved\nmore",A\n')
    for lang in ("zh", "en"):
        result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--lang", lang)
        lines = result.stdout.splitlines()
        assert len(lines) == 2 and lines[0].startswith("events.csv:2: GK002 " + ("错误 " if lang == "zh" else "error "))
        assert "recieved\\nmore" in lines[0]
