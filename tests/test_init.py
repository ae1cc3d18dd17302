"""``gklint init``: templates that are valid as written and with every line uncommented, and
that never overwrite a file."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import Workspace, stderr_of

from gklint.config import KEYS, load_config
from gklint.waivers import load_waivers


def _uncomment(text: str) -> str:
    """Every commented setting line (``# key = ...`` or ``# [table]``) made live."""
    return "\n".join(re.sub(r"^# (?=[a-z_]+ = |\[)", "", line) for line in text.splitlines()) + "\n"


def test_init_writes_config_waivers_and_the_pre_commit_config(ws: Workspace) -> None:
    (ws.root / "gklint.toml").unlink()  # the fixture's empty config
    result = ws.cli("init")
    assert result.exit_code == 0, stderr_of(result)
    for name in ("gklint.toml", "waivers.yaml", ".pre-commit-config.yaml"):
        assert f"{name}: created" in result.stdout
    assert "run pre-commit install" in result.stdout and "repo: local" not in result.stdout
    hook = (ws.root / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "repo: local" in hook and "entry: gklint check" in hook
    config = ws.root / "gklint.toml"
    text = config.read_text(encoding="utf-8")
    assert Path(load_config(config)["waivers"]).resolve() == (ws.root / "waivers.yaml").resolve()  # valid
    assert load_waivers(ws.root / "waivers.yaml") == []
    assert "豁免" in text and "Waivers" in text  # Chinese and English comments
    # No logs yet: paths stays commented out, and the run says so; the defaults are in force.
    assert "paths" not in load_config(config) and "No event logs" in result.stdout
    assert "rulesets" not in load_config(config) and "A work plan is in force only when named" in result.stdout


def test_init_sets_paths_to_the_folders_holding_logs(ws: Workspace) -> None:
    """The issue: init left `paths` commented out, so the pre-commit hook judged each commit
    without the rest of the record set."""
    (ws.root / "gklint.toml").unlink()
    ws.write("records/2021/2021-12.csv", "date,event\n")
    ws.write("records/2022-01.xlsx", "")
    ws.write("台账.csv", "date,event\n")
    ws.write(".venv/lib/site.csv", "x\n")  # hidden folders are not the office's records
    ws.write("docs/readme.md", "x\n")
    result = ws.cli("init")
    assert result.exit_code == 0, stderr_of(result)
    cfg = load_config(ws.root / "gklint.toml")
    assert [Path(p).resolve() for p in cfg["paths"]] == [(ws.root / "records").resolve(), (ws.root / "台账.csv").resolve()]
    assert "Record set (paths): records/, 台账.csv" in result.stdout


def test_init_names_the_work_plans_chosen_with_the_defaults(ws: Workspace) -> None:
    from gklint.ruleset import default_ids

    (ws.root / "gklint.toml").unlink()
    result = ws.cli("init", "-r", "cnipa-2019", "-r", "shanghai-ipa-2021")
    assert result.exit_code == 0, stderr_of(result)
    cfg = load_config(ws.root / "gklint.toml")
    assert cfg["rulesets"] == [*default_ids(), "cnipa-2019", "shanghai-ipa-2021"]


def test_init_refuses_an_unknown_plan_before_writing(ws: Workspace) -> None:
    (ws.root / "gklint.toml").unlink()
    result = ws.cli("init", "-r", "cnipa-2091")
    assert result.exit_code == 2 and "cnipa-2091" in stderr_of(result)
    assert not (ws.root / "gklint.toml").exists() and not (ws.root / ".pre-commit-config.yaml").exists()


def test_init_interactive_choice_of_plans(ws: Workspace) -> None:
    from click.testing import CliRunner

    from gklint.cli import main
    from gklint.ruleset import bundled_ids, default_ids

    (ws.root / "gklint.toml").unlink()
    plans = [i for i in bundled_ids() if i not in default_ids()]
    number = plans.index("cnipa-2018") + 1
    import os

    old = os.getcwd()
    os.chdir(ws.root)
    try:
        result = CliRunner().invoke(main, ["init", "-i", "--lang", "en"], input=f"x\n{number}\n")
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert "Give numbers from 1 to" in result.output  # a wrong answer is asked again
    assert load_config(ws.root / "gklint.toml")["rulesets"] == [*default_ids(), "cnipa-2018"]


def test_every_key_is_in_the_template_and_valid_when_uncommented(ws: Workspace, tmp_path: Path) -> None:
    from gklint.commands.init import CONFIG_TEMPLATE

    live = _uncomment(CONFIG_TEMPLATE.replace("{formats}", "text").replace("{rulesets_line}", '# rulesets = ["x"]')
                      .replace("{paths_line}", '# paths = ["records/"]'))
    top_level = live.split("[columns]")[0]
    keys = {m.group(1) for m in re.finditer(r"^([a-z_]+) = ", top_level, re.MULTILINE)}
    assert keys | {"columns", "ledger"} == set(KEYS)
    path = tmp_path / "full.toml"
    path.write_text(live, encoding="utf-8")
    cfg = load_config(path)
    assert cfg["columns"] == {"date": "办理日期", "event": "事项", "case": "文号", "unit": "承办部门"}
    assert cfg["per_file_ignores"] == {"records/2017/*.csv": ["GK004", "GK006"]}
    assert {k: v for k, v in cfg["ledger"].items() if k != "__file__"} == {
        "case": "申请编号", "unit": "承办部门", "sheet": "台账", "events": {}}


def test_the_waivers_example_is_valid_when_uncommented(tmp_path: Path) -> None:
    from gklint.commands.init import WAIVERS_TEMPLATE

    body = [line[2:] for line in WAIVERS_TEMPLATE.splitlines() if line.startswith(("# - ", "#   "))]
    path = tmp_path / "w.yaml"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    waivers = load_waivers(path)
    assert [w.rule for w in waivers] == ["SH21-REPLY-5WD", "CNIPA18-*"]
    assert waivers[0].case == "Q-2021-0117" and waivers[1].period == "2018"


def test_init_never_overwrites(ws: Workspace) -> None:
    (ws.root / "gklint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    (ws.root / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = ws.cli("init", "--lang", "en")
    assert result.exit_code == 0
    assert "gklint.toml: exists, left unchanged" in result.stdout and "waivers.yaml: created" in result.stdout
    assert ".pre-commit-config.yaml: exists, left unchanged" in result.stdout
    assert "Add this hook to the existing .pre-commit-config.yaml" in result.stdout and "repo: local" in result.stdout
    assert (ws.root / "gklint.toml").read_text(encoding="utf-8") == 'lang = "zh"\n'
    assert (ws.root / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"
    chosen = ws.cli("init", "-r", "cnipa-2019", "--lang", "en")
    assert "the rulesets chosen are not written; add this line yourself: rulesets = [" in chosen.stdout
    again = ws.cli("init")  # the configuration's lang = "zh" speaks
    assert again.exit_code == 0 and "waivers.yaml：已存在，未改动" in again.stdout


def test_init_into_a_folder(ws: Workspace) -> None:
    (ws.root / "office").mkdir()
    assert ws.cli("init", "office").exit_code == 0
    assert (ws.root / "office" / "gklint.toml").is_file()
    missing = ws.cli("init", "nowhere")
    assert missing.exit_code == 2 and "nowhere" in stderr_of(missing)


def test_the_printed_hook_is_a_valid_pre_commit_config(ws: Workspace, tmp_path: Path) -> None:
    import pytest

    clientlib = pytest.importorskip("pre_commit.clientlib")
    from gklint.commands.init import PRECOMMIT_SNIPPET

    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(PRECOMMIT_SNIPPET, encoding="utf-8")
    config = clientlib.load_config(str(path))
    assert config["repos"][0]["hooks"][0]["entry"] == "gklint check"


def test_init_writes_the_ledger_section_it_would_read_a_ledger_with(ws: Workspace) -> None:
    """Contract section 10 / issue 13: init looks at a ledger and writes [ledger], with a comment
    for every column it did not map."""
    (ws.root / "gklint.toml").unlink()
    ws.write("台账/2019.csv", "2019年依申请公开登记台账,,,,\n申请编号,承办部门,收到申请日期,答复日期,备注\n"
                             "依申〔2019〕1号,办公室,2019-06-03,2019-06-24,\n")
    result = ws.cli("init")
    assert result.exit_code == 0, stderr_of(result)
    assert "[ledger]" in result.stdout
    text = (ws.root / "gklint.toml").read_text(encoding="utf-8")
    assert '# "备注"：未对应' in text
    cfg = load_config(ws.root / "gklint.toml")
    assert {k: v for k, v in cfg["ledger"].items() if k != "__file__"} == {
        "case": "申请编号", "unit": "承办部门",
        "events": {"收到申请日期": "request_received", "答复日期": "request_answered"}}
    check = ws.cli("check", "--as-of", "2019-12-31")
    assert check.exit_code == 0, (check.stdout, stderr_of(check))


def test_init_leaves_an_ambiguous_ledger_column_for_the_user(ws: Workspace) -> None:
    (ws.root / "gklint.toml").unlink()
    ws.write("台账.csv", "编号,答复日期\nA-1,2019-06-24\n")
    assert ws.cli("init").exit_code == 0
    text = (ws.root / "gklint.toml").read_text(encoding="utf-8")
    assert '# "答复日期" = "request_answered"   # 请选定：request_answered 或 inquiry_replied' in text
    assert load_config(ws.root / "gklint.toml")["ledger"]["events"] == {}
