"""The examples' READMEs show real commands with their real output; this keeps them true.

In every ``examples/*/README.md`` a *command block* is a fenced ```bash block holding one line that
starts with ``gklint ``, followed by a fenced ```text block (the exact standard output) and a line
``退出状态 / exit status: N``. Each command is run with ``click.testing.CliRunner`` in the example's
folder, as a user would run it there (so the folder's ``gklint.toml`` applies), and its output and
exit status must match the README exactly. A changed log, ruleset or message therefore fails here.

    GKLINT_REGEN_EXAMPLES=1 python -m pytest tests/test_examples.py

rewrites the output blocks and exit statuses in place instead; review the diff before committing.

The top-level README's Quick start checks ``examples/cnipa-2018`` from the repository root, and its
Usage section quotes rows of that log and a line of that output: both are checked here too.
"""
from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from click.testing import CliRunner, Result

from gklint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REGEN = os.environ.get("GKLINT_REGEN_EXAMPLES") == "1"
# Commands name --lang (and --as-of) themselves; pinning the locale keeps a command that forgets it
# from passing on one machine and failing on another.
ENV = {"GKLINT_LANG": "en", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "LANGUAGE": None,
       "GKLINT_DEBUG": None}

COMMAND_BLOCK = re.compile(
    r"^```bash[ \t]*\n(?P<command>gklint [^\n]*)\n```[ \t]*\n"
    r"(?:[ \t]*\n)*"
    r"```text[ \t]*\n(?P<output>(?:(?!```).*\n)*?)```[ \t]*\n"
    r"(?:[ \t]*\n)*"
    r"退出状态 / exit status: (?P<status>\d+)[ \t]*$",
    re.MULTILINE)
ANY_GKLINT_BASH_BLOCK = re.compile(r"^```bash[ \t]*\ngklint ", re.MULTILINE)


class Block(NamedTuple):
    command: str
    output: str
    status: int


def command_blocks(text: str) -> list[Block]:
    return [Block(m["command"].strip(), m["output"], int(m["status"])) for m in COMMAND_BLOCK.finditer(text)]


def _with_output(match: re.Match[str], output: str, status: int) -> str:
    """The matched command block with its output and exit status replaced."""
    if output and not output.endswith("\n"):
        output += "\n"
    whole, at = match.group(0), match.start()
    return (whole[:match.start("output") - at] + output
            + whole[match.end("output") - at:match.start("status") - at] + str(status)
            + whole[match.end("status") - at:])


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click 8.2+: stdout and stderr are kept apart already


def run_gklint(command: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    """``command`` (a shell line starting with ``gklint``; a ``# comment`` is ignored) run in ``cwd``."""
    args = shlex.split(command, comments=True)
    assert args and args[0] == "gklint", f"not a gklint command: {command!r}"
    monkeypatch.chdir(cwd)
    return _runner().invoke(main, args[1:], env=ENV, catch_exceptions=False)


def _stderr(result: Result) -> str:
    try:
        return result.stderr
    except ValueError:  # pragma: no cover - stderr mixed into output
        return ""


README_FILES = sorted(EXAMPLES.glob("*/README.md"))


def test_examples_are_found() -> None:
    with_blocks = [p.parent.name for p in README_FILES if command_blocks(p.read_text(encoding="utf-8"))]
    assert len(with_blocks) >= 8, with_blocks


@pytest.mark.parametrize("readme", README_FILES, ids=lambda p: p.parent.name)
def test_every_gklint_command_block_has_output_and_status(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    written = len(ANY_GKLINT_BASH_BLOCK.findall(text))
    parsed = len(command_blocks(text))
    assert written == parsed, (
        f"{readme.relative_to(ROOT)}: {written} ```bash blocks start with 'gklint ' but only {parsed} are "
        "followed by a ```text block and a line '退出状态 / exit status: N'")


@pytest.mark.parametrize("readme", README_FILES, ids=lambda p: p.parent.name)
def test_readme_output_is_what_gklint_prints(readme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = readme.read_text(encoding="utf-8")
    if not command_blocks(text):
        pytest.skip(f"{readme.relative_to(ROOT)} has no command blocks")
    mismatches: list[str] = []

    absent = [arg for block in command_blocks(text) for arg in shlex.split(block.command, comments=True)
              if "/shared/" in arg and not (readme.parent / arg).exists()]
    if absent and not REGEN:
        pytest.skip(f"{readme.relative_to(ROOT)} reads {absent[0]}, which is not here (../shared is absent)")

    def check(match: re.Match[str]) -> str:
        command = match["command"].strip()
        if command.startswith("gklint check "):
            assert "--as-of" in command, f"{command!r}: pin --as-of so that the output does not change every day"
        result = run_gklint(command, readme.parent, monkeypatch)
        if result.stdout != match["output"] or result.exit_code != int(match["status"]):
            mismatches.append(
                f"$ {command}\n--- README (exit status {match['status']})\n{match['output']}"
                f"--- gklint (exit status {result.exit_code})\n{result.stdout}{_stderr(result)}")
        return _with_output(match, result.stdout, result.exit_code)

    updated = COMMAND_BLOCK.sub(check, text)
    if REGEN:
        if updated != text:
            readme.write_text(updated, encoding="utf-8")
        return
    assert not mismatches, (
        f"{readme.relative_to(ROOT)} is out of date (GKLINT_REGEN_EXAMPLES=1 rewrites it):\n\n"
        + "\n\n".join(mismatches))


def _event_rulesets() -> list[str]:
    """Bundled rulesets with event rules (not only statistics-table rules)."""
    ids = []
    for path in sorted((ROOT / "rulesets").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "ruleset" in data and any("table" not in r for r in data.get("rules") or []):
            ids.append(str(data["ruleset"]))
    return ids


@pytest.mark.parametrize("ruleset", _event_rulesets())
def test_every_bundled_ruleset_has_an_example(ruleset: str) -> None:
    readme = EXAMPLES / ruleset / "README.md"
    assert readme.is_file(), f"examples/{ruleset}/README.md is missing: every bundled ruleset has an example"
    blocks = command_blocks(readme.read_text(encoding="utf-8"))
    assert any(f"-r {ruleset}" in b.command for b in blocks), (
        f"examples/{ruleset}/README.md shows no command with -r {ruleset}")


# --- the top-level README -------------------------------------------------------------------------

TOP_README = ROOT / "README.md"


def _fenced_after(text: str, opening: str) -> tuple[str, str]:
    """The body of the first block opened by ``opening`` and of the fenced block right after it."""
    match = re.search(rf"^{re.escape(opening)}\n(?P<first>.*?)^```\n\s*^```[a-z]*\n(?P<second>.*?)^```$",
                      text, re.MULTILINE | re.DOTALL)
    assert match, f"README.md: no {opening} block followed by another block"
    return match["first"], match["second"]


def test_quick_start_checks_the_cnipa_2018_example(monkeypatch: pytest.MonkeyPatch) -> None:
    text = TOP_README.read_text(encoding="utf-8")
    quick = re.search(r"gklint (check --exit-zero [^\n&]*examples/cnipa-2018)\s*$", text, re.MULTILINE)
    assert quick, "README.md: the Quick start no longer checks examples/cnipa-2018"
    result = run_gklint(f"gklint {quick[1]}", ROOT, monkeypatch)
    assert result.exit_code == 0, result.stdout + _stderr(result)
    assert "examples/cnipa-2018/events.csv:" in result.stdout, result.stdout


def test_usage_sample_is_from_the_cnipa_2018_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Usage sample quotes rows of examples/cnipa-2018/events.csv (their first columns) and,
    after a ``$ gklint ...`` line, lines that command prints."""
    rows, shown = _fenced_after(TOP_README.read_text(encoding="utf-8"), "```csv")
    log_lines = (EXAMPLES / "cnipa-2018" / "events.csv").read_bytes().decode("gb18030").splitlines()
    for row in rows.splitlines()[1:]:
        assert any(line == row or line.startswith(row + ",") for line in log_lines), (
            f"README.md Usage quotes a row that is not in examples/cnipa-2018/events.csv: {row}")
    commands = [line[2:] for line in shown.splitlines() if line.startswith("$ ")]
    assert len(commands) == 1, "README.md Usage: the output block starts with one '$ gklint ...' line"
    result = run_gklint(commands[0], ROOT, monkeypatch)
    printed = result.stdout.splitlines()
    for line in shown.splitlines():
        if line.strip() and not line.startswith("$ "):
            assert line in printed, f"README.md Usage shows a line that `{commands[0]}` does not print:\n{line}"


def test_readme_explains_existing_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    text = TOP_README.read_text(encoding="utf-8")
    rule_ids = re.findall(r"gklint explain (\S+)", text)
    assert rule_ids
    for rule_id in rule_ids:
        result = run_gklint(f"gklint explain {rule_id}", ROOT, monkeypatch)
        assert result.exit_code == 0, f"README.md: gklint explain {rule_id} fails: {_stderr(result)}"


def test_the_gbk_example_is_gbk() -> None:
    """examples/cnipa-2018 is saved as Excel in China saves CSV, and its README says so."""
    raw = (EXAMPLES / "cnipa-2018" / "events.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    raw.decode("gbk")
    assert "GBK" in (EXAMPLES / "cnipa-2018" / "README.md").read_text(encoding="utf-8")
