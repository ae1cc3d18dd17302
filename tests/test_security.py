"""What gklint does with hostile input files (issue 17's audit, issue 19 points 1, 2, 3 and 10):
every YAML and TOML file it reads -- ruleset, waivers, calendar overlay, gklint.toml, a fixture's
expected.yaml -- is refused with exit 2 naming the file (and line) when it holds control
characters, nests too deeply, uses aliases, is too large or is not a regular file; numbers are
bounded by the calendar's span; nothing is ever exit 3 or a traceback (docs/security.md)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

from gklint.ruleset.yamlio import MAX_BYTES, MAX_DEPTH

LOG = "date,event,case\n2018-06-04,received,A\n2018-06-05,answered,A\n"
RULES = """
- id: R
  deadline: {after: received, expect: answered, within: 5 working days}
"""
RULESET_HEAD = "ruleset: hostile\nevents: {received: {}, answered: {}}\nrules:\n  - id: R\n    deadline: {after: received, expect: answered, within: 5 working days}\n"
GOOD = {
    "ruleset": RULESET_HEAD,
    "waivers": "waivers: []\n",
    "overlay": "extends: CN\ndays_off: []\n",
    "expected": "as_of: 2019-01-31\nrulesets: [../../rs.yaml]\nfindings: []\n",
}


def run_with(ws: Workspace, which: str, data: bytes) -> tuple[int, str, str]:
    """Run gklint with the file of role ``which`` holding ``data``; (exit, stdout, stderr)."""
    ws.ruleset(RULES)
    ws.log(LOG)
    if which == "expected":
        folder = ws.root / "fixtures" / "f"
        folder.mkdir(parents=True)
        (folder / "events.csv").write_text(LOG, encoding="utf-8")
        target = folder / "expected.yaml"
        target.write_bytes(data)
        result = ws.cli("test", "fixtures")
    else:
        target = ws.root / f"{which}.yaml"
        target.write_bytes(data)
        option = {"ruleset": ["-r", str(target)], "waivers": ["-r", "rs.yaml", "--waivers", str(target)],
                  "overlay": ["-r", "rs.yaml", "--calendar", str(target)]}[which]
        result = ws.cli("check", "events.csv", "--as-of", "2019-01-31", *option)
    return result.exit_code, result.stdout, stderr_of(result)


ROLES = ["ruleset", "waivers", "overlay", "expected"]


def assert_refused(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out and "internal error" not in err
    for fragment in fragments:
        assert fragment in err, err


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07"])
def test_a_control_character_in_any_yaml_is_exit_2_with_its_line(ws: Workspace, role: str, char: str) -> None:
    text = GOOD[role].replace("\n", f"\n# a comment{char}\n", 1)
    code, out, err = run_with(ws, role, text.encode())
    assert_refused(code, out, err, f"U+{ord(char):04X}", ":2:")


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="Linux /proc")
def test_a_ruleset_in_proc_self_environ_is_exit_2(ws: Workspace) -> None:
    ws.log(LOG)
    ws.write("gklint.toml", 'rulesets = ["/proc/self/environ"]\n')
    result = ws.cli("check", "events.csv", "--as-of", "2019-01-31")
    assert_refused(result.exit_code, result.stdout, stderr_of(result), "/proc/self/environ")


def nested(depth: int, flow: bool) -> str:
    if flow:
        return "x: " + "[" * depth + "]" * depth + "\n"
    return "".join(f"{' ' * i}k:\n" for i in range(depth)) + " " * depth + "v\n"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("flow", [True, False])
def test_deep_nesting_in_any_yaml_is_exit_2(ws: Workspace, role: str, flow: bool) -> None:
    code, out, err = run_with(ws, role, nested(3000, flow).encode())
    assert_refused(code, out, err, f"more than {MAX_DEPTH} levels")


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    from gklint.ruleset.yamlio import load_yaml_text

    doc = load_yaml_text(nested(MAX_DEPTH - 1, True), "f.yaml")
    for _ in range(MAX_DEPTH - 1):
        doc = doc["x"] if isinstance(doc, dict) else doc[0] if doc else doc
    assert doc == []


def test_deep_nesting_in_gklint_toml_is_exit_2(ws: Workspace) -> None:
    ws.ruleset(RULES)
    ws.log(LOG)
    ws.write("gklint.toml", "x = " + "[" * 3000 + "]" * 3000 + "\n")
    result = ws.cli("check", "events.csv", "--as-of", "2019-01-31", "-r", "rs.yaml")
    assert_refused(result.exit_code, result.stdout, stderr_of(result), "gklint.toml", "nested too deeply")


def test_a_huge_integer_in_yaml_or_toml_is_exit_2(ws: Workspace) -> None:
    code, out, err = run_with(ws, "ruleset", (RULESET_HEAD + "note: " + "9" * 5000 + "\n").encode())
    assert_refused(code, out, err, "ruleset.yaml")
    ws.write("gklint.toml", "x = " + "9" * 5000 + "\n")
    result = ws.cli("check", "events.csv", "--as-of", "2019-01-31", "-r", "rs.yaml")
    assert_refused(result.exit_code, result.stdout, stderr_of(result), "gklint.toml")


def test_aliases_in_an_overlay_are_refused(ws: Workspace) -> None:
    """docs/contract.md says aliases are refused in every YAML file; overlays took them."""
    text = "extends: CN\nname: &n x\ndays_off: [{date: 2018-06-05, name: *n}]\n"
    code, out, err = run_with(ws, "overlay", text.encode())
    assert_refused(code, out, err, "aliases", ":3:")


@pytest.mark.parametrize("role", ["ruleset", "waivers", "overlay"])
def test_a_file_larger_than_the_limit_is_exit_2(ws: Workspace, role: str) -> None:
    data = GOOD[role].encode() + b"#" * (MAX_BYTES + 1) + b"\n"
    code, out, err = run_with(ws, role, data)
    assert_refused(code, out, err, f"larger than {MAX_BYTES >> 20} MiB")


def option_for(kind: str, path: str) -> list[str]:
    return {"calendar": ["-r", "rs.yaml", "--calendar", path], "ruleset": ["-r", path],
            "waivers": ["-r", "rs.yaml", "--waivers", path], "config": ["-r", "rs.yaml", "--config", path]}[kind]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="POSIX devices")
@pytest.mark.parametrize("kind", ["calendar", "ruleset", "waivers", "config"])
def test_a_device_is_not_read(ws: Workspace, kind: str) -> None:
    """--calendar /dev/zero grew memory without bound: a device is refused before it is read."""
    ws.ruleset(RULES)
    ws.log(LOG)
    result = ws.cli("check", "events.csv", "--as-of", "2019-01-31", *option_for(kind, "/dev/zero"))
    assert_refused(result.exit_code, result.stdout, stderr_of(result), "/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_as_calendar_in_gklint_toml_is_not_opened(ws: Workspace) -> None:
    """A FIFO would block the run forever if it were opened; it is refused by its type."""
    ws.ruleset(RULES)
    ws.log(LOG)
    os.mkfifo(ws.root / "cal.yaml")
    ws.write("gklint.toml", 'calendar = "cal.yaml"\n')
    result = ws.cli("check", "events.csv", "--as-of", "2019-01-31", "-r", "rs.yaml")
    assert_refused(result.exit_code, result.stdout, stderr_of(result), "cal.yaml", "not a regular file")
