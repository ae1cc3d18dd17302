"""Contract section 14, "Language": ``--lang zh`` (or a Chinese system locale, Windows included)
gives Chinese for every message: errors that stop a run, click's usage errors, ``--help`` and the
text output's severity words. The language is decided before click parses the command line."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

from gklint import i18n
from gklint.cli import main

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LOCALE = {"GKLINT_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "LANGUAGE": None}


def test_an_error_that_stops_the_run_is_chinese(ws: Workspace) -> None:
    result = ws.cli("check", "missing.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert stderr_of(result) == ("gklint: 错误：missing.csv: 没有这个文件或文件夹\n"
                                 "  请检查路径；gklint 读取 .csv、.tsv、.jsonl、.xlsx、.xls、.et 和 .parquet 文件。\n")
    english = ws.cli("check", "missing.csv", "--lang", "en")
    assert stderr_of(english).startswith("gklint: error: missing.csv: no such file or directory")


def test_an_error_with_values_and_a_did_you_mean_is_chinese(ws: Workspace) -> None:
    ws.log("date,event\n2021-06-01,x\n")
    result = ws.cli("check", "events.csv", "-r", "cnipa-2081", "--lang", "zh")
    text = stderr_of(result)
    assert result.exit_code == 2 and text.startswith("gklint: 错误：cnipa-2081: 未知的规则集 'cnipa-2081'"), text
    assert "是否应为 'cnipa-20" in text and "内置规则集：" in text and "Did you" not in text, text
    bad = ws.cli("check", "events.csv", "--as-of", "2019-13-01", "--lang", "zh")
    assert "--as-of：" in stderr_of(bad) and "请写成 2018-12-31 这样的日期。" in stderr_of(bad), stderr_of(bad)


@pytest.mark.parametrize("args", [["check", "--frobnicate", "--lang", "zh"], ["check", "--lang", "zh", "--format", "xml"],
                                  ["--lang", "zh"], ["calendar", "add", "2018-09-28", "--lang", "zh"]])
def test_usage_errors_are_chinese(ws: Workspace, args: list[str]) -> None:
    """``--lang zh`` anywhere on the line, even where the command takes no --lang or the line is
    wrong: the language is read from the arguments before click parses them."""
    result = ws.cli(*args)
    text = stderr_of(result)
    assert result.exit_code == 2, text
    assert "用法：" in text and "错误：" in text, text
    assert "Usage:" not in text and "Error:" not in text and "Try '" not in text, text


def test_usage_error_in_chinese_from_the_environment(ws: Workspace) -> None:
    result = ws.cli("check", "--frobnicate", env={"GKLINT_LANG": "zh"})
    assert "错误：没有这个选项：'--frobnicate'。" in stderr_of(result), stderr_of(result)


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["init", "--help"], ["calendar", "add", "--help"]])
def test_help_is_chinese(ws: Workspace, args: list[str]) -> None:
    result = ws.cli(*args, env={"GKLINT_LANG": "zh"})
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：") and "显示本帮助并退出。" in result.stdout, result.stdout
    if args == ["check", "--help"]:
        assert "检查日期（默认：今天，北京时间）。" in result.stdout and "The date the check" not in result.stdout


def test_help_goes_back_to_english_in_the_same_process(ws: Workspace) -> None:
    assert "显示本帮助并退出" in ws.cli("check", "--help", "--lang", "zh").stdout
    english = ws.cli("check", "--help", "--lang", "en").stdout
    assert english.startswith("Usage:") and "The date the check is made on" in english and "检查日期" not in english


def test_every_help_text_has_its_chinese() -> None:
    missing = [text for text in i18n.help_texts(main) if text not in i18n.HELP and text not in i18n.CLICK]
    assert not missing, f"add these to gklint.i18n.HELP: {missing}"


def test_config_lang_decides_help_and_usage_errors(ws: Workspace) -> None:
    (ws.root / "gklint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    assert ws.cli("--help").stdout.startswith("用法：")
    assert "没有这个选项" in stderr_of(ws.cli("check", "--nope"))
    assert ws.cli("check", "--lang", "en", "--help").stdout.startswith("Usage:")  # the command line wins


@pytest.mark.parametrize(("lang", "words"), [("zh", ("错误", "警告")), ("en", ("error", "warning"))])
def test_text_output_severity_words(ws: Workspace, lang: str, words: tuple[str, str]) -> None:
    ws.ruleset("""\
        - id: R-REPLY
          title: {zh: 答复, en: Reply}
          deadline: {after: received, expect: answered, within: 5 working days}
        """)
    ws.log("date,event,case\n2021-06-01,收到,A\n2021-06-01,不存在的事件,B\n2021-06-01,收到,A\n")
    out = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2021-12-31", "--lang", lang).stdout
    fields = {line.split(" ")[2] for line in out.splitlines()[:-1]}
    assert fields == set(words), out


# --- deciding the language ----------------------------------------------------------------------


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANGUAGE": "zh_CN:en_US"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"), ({"GKLINT_LANG": "en", "LANG": "zh_CN"}, "en"),
])
def test_the_posix_environment(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for var in NO_LOCALE:
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.decide_lang([]) == expected


class _Kernel32:
    def __init__(self, langid: int) -> None:
        self.langid = langid

    def GetUserDefaultUILanguage(self) -> int:
        return self.langid


@pytest.mark.parametrize(("langid", "expected"), [(0x0804, "zh"), (0x0404, "zh"), (0x0409, "en")])
def test_windows_ui_language_when_no_variable_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     langid: int, expected: str) -> None:
    """Chinese Windows sets none of LANG/LC_*: the user's UI language (zh-CN 0x0804, zh-TW
    0x0404; en-US 0x0409) decides."""
    import ctypes

    for var in NO_LOCALE:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no configuration above
    (tmp_path / "gklint.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", type("windll", (), {"kernel32": _Kernel32(langid)})(), raising=False)
    assert i18n.decide_lang([]) == expected


def test_the_locale_decides_when_nothing_else_does(monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    for var in NO_LOCALE:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("Chinese (Simplified)_China", "936"))
    assert i18n.system_lang() == "zh"
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("en_US", "UTF-8"))
    assert i18n.system_lang() == "en"


def test_a_chinese_locale_gives_chinese_help_in_a_real_process(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "gklint", "check", "--nope"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=False, encoding="utf-8")
    assert proc.returncode == 2 and "错误：没有这个选项" in proc.stderr, proc.stderr


# --- every error raised in the package has its Chinese --------------------------------------------

ERROR_CALLS = re.compile(r"(Error|error)$")
# English left in a translation (values are written 'v', so none of these words is a value).
ENGLISH = re.compile(r"\b(the|is|are|must|with|cannot|needs?|expected|found|unknown|given|did|mean|allowed|"
                     r"write|give|check|use|add|name)\b(?![.=])", re.IGNORECASE)
CODE = re.compile(r"gklint \w+|\{.*\}|`[^`]*`|'[^']*'|\S+\.(yaml|md|csv|toml)\b")


def _variants(node: ast.AST) -> list[str] | None:
    """The texts an expression can make, with ``'v'`` for each interpolated value (a quoted value
    is kept as written by the translation, like a file name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out = [""]
        for part in node.values:
            if isinstance(part, ast.Constant):
                out = [o + str(part.value) for o in out]
            else:
                out = [o + "'v'" for o in out]
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _variants(node.left), _variants(node.right)
        if left is None or right is None:
            return None
        return [a + b for a in left for b in right]
    if isinstance(node, ast.IfExp):
        body, orelse = _variants(node.body), _variants(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _raised_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "gklint").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            call = node.exc
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            if not ERROR_CALLS.search(name) or name in ("ValueError", "TypeError", "KeyError", "OSError",
                                                         "NotImplementedError", "AssertionError", "AttributeError"):
                continue
            args = [a for a in call.args if not isinstance(a, ast.Name) or a.id not in ("node", "key_node")]
            args = [a for a in args if not isinstance(a, (ast.Subscript, ast.Attribute))]
            texts = []
            if args and name != "_schema_error":
                texts.append(args[0])
                if name == "error" and len(args) > 1:  # reader.error(node, message, hint)
                    texts.append(args[1])
            texts += [k.value for k in call.keywords if k.arg == "hint"]
            for expr in texts:
                variants = _variants(expr)
                if variants is None:
                    continue  # a variable: the message was made (and is checked) where it was written
                out += [(f"{path.relative_to(ROOT)}:{node.lineno}", v) for v in variants if v.strip()]
    return out


def test_every_error_raised_in_the_package_has_its_chinese() -> None:
    """Each message and hint a ``raise ...Error(...)`` in gklint writes, with its values filled in,
    comes out Chinese from the catalog: a new message needs its line in gklint.i18n.ERRORS."""
    texts = _raised_texts()
    assert len(texts) > 100
    missing = [f"{where}: {text!r}" for where, text in texts if i18n.translate(text) == text
               or ENGLISH.search(CODE.sub("", i18n.translate(text)))]
    assert not missing, "add these to gklint.i18n.ERRORS:\n" + "\n".join(missing)


def test_translate_keeps_values_and_translates_nested_messages() -> None:
    assert i18n.translate("rule R1: a count rule needs at_least or at_most") == "规则 R1：count 规则需要 at_least 或 at_most"
    assert i18n.translate("unknown key 'x'") == "未知的配置项 'x'"
    assert i18n.translate("Did you mean 'paths'? Known keys: a, b.") == "是否应为 'paths'？可用的配置项：a, b。"
    assert i18n.translate("something no template knows") == "something no template knows"


def test_config_key_below_columns_is_an_error_in_both_languages(ws: Workspace) -> None:
    ws.log("date,event\n2021-06-01,收到申请\n")
    (ws.root / "gklint.toml").write_text('lang = "zh"\n[columns]\ndate = "办理日期"\nas_of = "2021-12-31"\n',
                                         encoding="utf-8")
    result = ws.cli("check", "events.csv")
    assert result.exit_code == 2
    assert "gklint.toml:4: 'as_of' 应写在 [columns] 之上" in stderr_of(result), stderr_of(result)


def _unused(*_: Any) -> None:  # keeps Any imported for the helpers' annotations
    pass


def test_ruleset_fixtures_report_in_chinese(ws: Workspace) -> None:
    root = Path(__file__).resolve().parents[1] / "rulesets" / "tests"
    folder = next(p.parent for p in sorted(root.rglob("expected.yaml")))
    result = ws.cli("test", str(folder), "--lang", "zh")
    assert result.exit_code == 0, result.stdout + stderr_of(result)
    assert result.stdout.startswith("通过 ") and result.stdout.endswith("1 个通过，0 个未通过\n"), result.stdout


@pytest.mark.parametrize("table", ["columns", "per_file_ignores", "tool.gklint.columns"])
def test_a_setting_below_a_table_header_is_named_not_swallowed(ws: Workspace, table: str) -> None:
    """The issue: a key placed after [columns] silently became a column mapping."""
    ws.log("date,event\n2021-06-01,收到申请\n")
    name = "pyproject.toml" if table.startswith("tool.") else "gklint.toml"
    (ws.root / "gklint.toml").unlink()
    (ws.root / name).write_text(("[tool.gklint]\n" if name == "pyproject.toml" else "")
                                + f'[{table}]\nas_of = "2021-12-31"\n', encoding="utf-8")
    result = ws.cli("check", "events.csv", "--lang", "en")
    short = table.rsplit(".", 1)[-1]
    assert result.exit_code == 2
    assert f"{name}:3: 'as_of' belongs above [{short}]" in stderr_of(result) or \
        f"{name}:2: 'as_of' belongs above [{short}]" in stderr_of(result), stderr_of(result)


def test_deciding_the_language_repeats_no_warning_of_the_config_search(tmp_path: Path) -> None:
    """A configuration in a folder anyone may write to is named in a warning, once: deciding the
    language looks for the configuration too, quietly."""
    import os

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    (shared / "gklint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    (shared / "events.csv").write_text("date,event\n2021-06-01,收到申请\n", encoding="utf-8")
    env = {**os.environ, "GKLINT_LANG": "en"}
    proc = subprocess.run([sys.executable, "-m", "gklint", "check", "events.csv", "--as-of", "2021-12-31"],
                          capture_output=True, text=True, cwd=shared, env=env, check=False, encoding="utf-8")
    assert proc.stderr.count("not used: anyone may write to") == 1, proc.stderr


def test_the_progress_line_speaks_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from gklint import cli
    from gklint.progress import Progress

    for lang, expected in (("zh", "gklint：正在检查 R1（3/7）"), ("en", "gklint: checking R1 (3/7)")):
        monkeypatch.setattr(cli, "_LANG", lang)
        out = io.StringIO()
        Progress(out).show("gklint: checking R1 (3/7)")
        assert out.getvalue().endswith(expected), out.getvalue()
    out = io.StringIO()
    monkeypatch.setattr(cli, "_LANG", "zh")
    Progress(out).show("gklint: reading a.csv 40% (65,536 rows)")
    assert out.getvalue().endswith("gklint：正在读取 a.csv 40%（65,536 行）"), out.getvalue()


def test_every_docs_page_a_message_names_exists() -> None:
    """A hint that sends the user to a page of this repository names one that is there."""
    import re
    from pathlib import Path

    from gklint import i18n

    root = Path(__file__).resolve().parent.parent
    named = {m for text in i18n.ERRORS for m in re.findall(r"\b((?:docs|rulesets)/[\w./-]+\.md)", text)}
    assert named, "the catalog names no page at all: the pattern is wrong"
    assert [p for p in sorted(named) if not (root / p).is_file()] == []
