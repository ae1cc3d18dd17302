"""What a repository's configuration can make gklint read, and what its errors show
(docs/security.md, "What a repository's config can make gklint read")."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Workspace, stderr_of

from gklint.config import find_config

SECRET = "AKIAIOSFODNN7EXAMPLE-s3cr3t"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """outer/gklint.toml above outer/repo (a git checkout) and outer/home (a home folder)."""
    outer = tmp_path / "outer"
    for sub in ("repo/.git", "repo/src", "home/proj", "plain/sub"):
        (outer / sub).mkdir(parents=True)
    (outer / "gklint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    return outer


def test_discovery_stops_at_the_repository_root(tree: Path) -> None:
    assert find_config(tree / "repo" / "src") is None
    (tree / "repo" / "gklint.toml").write_text("", encoding="utf-8")
    assert find_config(tree / "repo" / "src") == (tree / "repo" / "gklint.toml").resolve()


def test_a_git_file_marks_a_root_too(tree: Path) -> None:
    """A worktree or submodule has a .git file, not a folder."""
    (tree / "plain" / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")
    assert find_config(tree / "plain" / "sub") is None


def test_discovery_stops_at_the_home_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tree / "home"))
    assert find_config(tree / "home" / "proj") is None
    assert find_config(tree / "plain" / "sub") == (tree / "gklint.toml").resolve()  # no root in between


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_config_in_a_folder_anyone_may_write_to_is_not_used(tree: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import gklint.cli

    monkeypatch.setattr(gklint.cli, "_LANG", "en")  # (an earlier command line in this process may have set zh)
    os.chmod(tree, 0o1777)  # as /tmp is
    try:
        assert find_config(tree / "plain" / "sub") is None
    finally:
        os.chmod(tree, 0o755)
    assert f"{tree / 'gklint.toml'}: not used: anyone may write to" in capsys.readouterr().err


def _secrets(ws: Workspace) -> Path:
    """A YAML file that is not gklint's, somewhere else on the machine."""
    path = ws.root / "elsewhere" / "credentials.yaml"
    path.parent.mkdir()
    path.write_text(f"aws_access_key_id: {SECRET}\nnested: {{token: {SECRET}}}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("key", ["rulesets", "include"])
def test_a_yaml_file_named_as_a_ruleset_is_not_quoted(ws: Workspace, key: str) -> None:
    secrets = _secrets(ws)
    ws.log("date,event,case\n2021-06-01,收到,A\n")
    if key == "rulesets":
        (ws.root / "gklint.toml").write_text(f'rulesets = ["{secrets}"]\n', encoding="utf-8")
    else:
        ws.ruleset("- {id: R, count: {event: received, at_least: 1, per: year}}\n",
                   extra=f"include: [{os.path.relpath(secrets, ws.root)}]\n")
        (ws.root / "gklint.toml").write_text('rulesets = ["rs.yaml"]\n', encoding="utf-8")
    result = ws.cli("check", "events.csv", "--as-of", "2021-12-31")
    err = stderr_of(result)
    assert result.exit_code == 2, err
    assert "credentials.yaml:1: " in err and "contents are not shown" in err
    assert SECRET not in err + result.stdout and "aws_access_key_id" not in err + result.stdout


@pytest.mark.parametrize("option", ["--waivers", "--calendar"])
def test_a_yaml_file_named_as_waivers_or_an_overlay_shows_no_value(ws: Workspace, option: str) -> None:
    secrets = _secrets(ws)
    ws.ruleset("- {id: R, count: {event: received, at_least: 1, per: year}}\n")
    ws.log("date,event,case\n2021-06-01,收到,A\n")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2021-12-31", option, str(secrets))
    err = stderr_of(result)
    assert result.exit_code == 2, err
    assert SECRET not in err + result.stdout
