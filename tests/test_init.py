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


def test_init_writes_config_and_waivers_and_prints_the_hook(ws: Workspace) -> None:
    (ws.root / "gklint.toml").unlink()  # the fixture's empty config
    result = ws.cli("init")
    assert result.exit_code == 0, stderr_of(result)
    assert "gklint.toml: created" in result.stdout and "waivers.yaml: created" in result.stdout
    assert "repo: local" in result.stdout and "entry: gklint check" in result.stdout
    config = ws.root / "gklint.toml"
    text = config.read_text(encoding="utf-8")
    assert Path(load_config(config)["waivers"]).resolve() == (ws.root / "waivers.yaml").resolve()  # valid
    assert load_waivers(ws.root / "waivers.yaml") == []
    assert "豁免" in text and "Waivers" in text  # Chinese and English comments


def test_every_key_is_in_the_template_and_valid_when_uncommented(ws: Workspace, tmp_path: Path) -> None:
    from gklint.commands.init import CONFIG_TEMPLATE

    live = _uncomment(CONFIG_TEMPLATE.replace("{formats}", "text"))
    top_level = live.split("[columns]")[0]
    keys = {m.group(1) for m in re.finditer(r"^([a-z_]+) = ", top_level, re.M)}
    assert keys | {"columns"} == set(KEYS)
    path = tmp_path / "full.toml"
    path.write_text(live, encoding="utf-8")
    cfg = load_config(path)
    assert cfg["columns"] == {"date": "办理日期", "event": "事项", "case": "文号", "unit": "承办部门"}
    assert cfg["per_file_ignores"] == {"records/2017/*.csv": ["GK004", "GK006"]}


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
    result = ws.cli("init")
    assert result.exit_code == 0
    assert "gklint.toml: exists, left unchanged" in result.stdout and "waivers.yaml: created" in result.stdout
    assert (ws.root / "gklint.toml").read_text(encoding="utf-8") == 'lang = "zh"\n'
    again = ws.cli("init", "--lang", "zh")
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
