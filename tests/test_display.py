"""What outputs show of hostile names and cells: file names that are not UTF-8, control
characters in XML, terminal escape sequences (gklint/display.py, docs/contract.md "Output")."""
from __future__ import annotations

import json
import os
import xml.dom.minidom
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

from gklint.display import for_terminal, shown

RULES = """
- id: T-REPLY
  title: {en: Reply within 15 working days}
  deadline: {after: received, expect: answered, within: 15 working days}
"""
LOG = """\
date,event,case,unit
2018-13-40,received,A1,office
2018-01-02,received,A2,office
"""
FORMATS = ["text", "json", "sarif", "junit", "github"]
NON_UTF8 = os.fsdecode(b"log\xff.csv")


@pytest.fixture
def non_utf8_log(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    try:
        (ws.root / NON_UTF8).write_text(LOG, encoding="utf-8")
    except (OSError, UnicodeEncodeError):  # pragma: no cover - a file system that wants UTF-8 names
        pytest.skip("this file system takes only UTF-8 file names")
    return ws


def test_shown_escapes_each_non_utf8_byte() -> None:
    assert shown(NON_UTF8) == "log\\xff.csv"
    assert shown("日志.csv") == "日志.csv"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_non_utf8_file_name_gives_utf8_output_on_stdout(non_utf8_log: Workspace, fmt: str) -> None:
    result = non_utf8_log.cli("check", ".", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", fmt)
    assert result.exit_code == 1, (result.output, stderr_of(result))
    text = result.stdout_bytes.decode("utf-8")  # strict: no raw 0xFF byte
    if fmt == "sarif":
        assert '"uri": "log%FF.csv"' in text  # percent-encoded from the name's bytes
    else:
        assert "log\\xff.csv" in text.replace("\\\\", "\\")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_non_utf8_file_name_is_written_with_o(non_utf8_log: Workspace, fmt: str) -> None:
    result = non_utf8_log.cli("check", ".", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", fmt,
                              "-o", "report.out")
    assert result.exit_code == 1, (result.output, stderr_of(result))
    text = (non_utf8_log.root / "report.out").read_text(encoding="utf-8")
    if fmt == "json":
        files = {f["file"] for f in json.loads(text)["findings"]}
        assert files == {"log\\xff.csv"}
    if fmt == "junit":
        xml.dom.minidom.parseString(text.encode("utf-8"))


@pytest.mark.parametrize("name", ["log\x01.csv", "log\x1b[2J.csv", "log\x7f\x0b.csv"])
def test_junit_cleans_control_characters_of_file_names(ws: Workspace, name: str) -> None:
    ws.ruleset(RULES)
    ws.write(name, LOG)
    result = ws.cli("check", ".", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", "junit")
    assert result.exit_code == 1, (result.output, stderr_of(result))
    document = xml.dom.minidom.parseString(result.stdout_bytes)  # well-formed XML 1.0
    files = {case.getAttribute("file") for case in document.getElementsByTagName("testcase")}
    assert len(files) == 1 and not any(c < " " and c not in "\t\n\r" for c in files.pop())


ESCAPES = "\x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\u202eabc"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_terminal_escapes_in_cells_and_file_names_are_shown_escaped(ws: Workspace, fmt: str) -> None:
    ws.ruleset(RULES)
    ws.write(f"log{chr(0x1b)}[31m.csv", f"""\
        date,event,case,unit
        2018-01-02,received,A{ESCAPES},office
        2018-01-03,{ESCAPES},A2,office
        """)
    result = ws.cli("check", ".", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", fmt)
    assert result.exit_code == 1, (result.output, stderr_of(result))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout and "log\\x1b[31m.csv" in result.stdout


def test_error_messages_echo_user_text_escaped(ws: Workspace) -> None:
    result = ws.cli("check", "no\x1b]0;pwned\x07such.csv")
    assert result.exit_code == 2
    err = stderr_of(result)
    assert "\x1b" not in err and "\x07" not in err and "no\\x1b]0;pwned\\x07such.csv" in err


def test_explain_escapes_ruleset_text(ws: Workspace) -> None:
    ws.ruleset("""
        - id: T-REPLY
          title: {en: "Reply \\e[2J within 15 working days"}
          deadline: {after: received, expect: answered, within: 15 working days}
        """)
    result = ws.cli("explain", "T-REPLY", "-r", "rs.yaml")
    assert result.exit_code == 0, stderr_of(result)
    assert "\x1b" not in result.stdout and "Reply \\x1b[2J within" in result.stdout


def test_for_terminal_keeps_tabs_and_readable_text() -> None:
    assert for_terminal("收到申请\t2018") == "收到申请\t2018"
    assert for_terminal("a\nb\rc") == "a\\nb\\rc"
    assert for_terminal("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"
    assert for_terminal("\x9b31m") == "\\x9b31m"  # the one-byte CSI of C1


def test_sarif_uris_are_normalised_under_the_root(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from gklint.reporters.sarif import artifact_location

    monkeypatch.chdir(ws.root)
    (ws.root / "sub").mkdir()
    assert artifact_location("sub/../log.csv") == {"uri": "log.csv", "uriBaseId": "%SRCROOT%"}
    assert artifact_location(str(ws.root / "sub" / "a b.csv")) == {"uri": "sub/a%20b.csv", "uriBaseId": "%SRCROOT%"}
    outside = artifact_location("sub/../../x.csv")
    assert outside == {"uri": Path(os.path.normpath(ws.root / ".." / "x.csv")).as_uri()}
    assert ".." not in outside["uri"]


def test_a_yaml_tag_is_an_unsupported_tag(ws: Workspace) -> None:
    ws.write("rs.yaml", "ruleset: !python/object x\n")
    result = ws.cli("rules", "-r", "rs.yaml")
    assert result.exit_code == 2
    assert "unsupported tag '!python/object'" in stderr_of(result) and "the tag" not in stderr_of(result)
