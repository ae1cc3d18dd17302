"""The pre-commit hook, run by the real ``pre-commit`` in a real git repository.

An office repository holds a log, a local ruleset and a ``gklint.toml``; its
``.pre-commit-config.yaml`` points at a snapshot of this checkout (tracked *and* untracked
files: ``pre-commit try-repo`` would leave out files not yet added to git). A commit with a late
interpretation is refused; the corrected log commits.

pre-commit builds the hook's own virtualenv and pip-installs gklint into it, which needs PyPI;
the first run takes a minute or more.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 900

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args: str, cwd: Path, check: bool = True, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True,
                          env=env, timeout=TIMEOUT)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),  # a fresh store: no cached old gklint
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "gklint test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "gklint test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GKLINT_LANG": "en",
    })
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


def snapshot_of_checkout(dest: Path, env: dict[str, str]) -> str:
    """Copy this checkout's files (tracked and untracked, not ignored) into a new repository
    with one commit; return that commit's id."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO_ROOT,
                 check=False, env=env)
    if listed.returncode != 0:
        pytest.skip("gklint is not running from a git checkout")
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=dest, env=env)
    git("add", "-A", cwd=dest, env=env)
    git("commit", "-q", "--no-verify", "-m", "snapshot", cwd=dest, env=env)
    return git("rev-parse", "HEAD", cwd=dest, env=env).stdout.strip()


RULESET = """\
ruleset: office-local
title: {zh: 本单位规则, en: Office rules}
document: 本单位〔2021〕1号
issued: 2021-01-01
events:
  policy_published: {label: 政策文件发布}
  interpretation_published: {label: 解读材料发布}
rules:
  - id: LOCAL-INTERP-3WD
    title: {zh: 解读材料与文件同步或3个工作日内发布, en: Interpretation within 3 working days}
    severity: error
    deadline: {after: policy_published, expect: interpretation_published, within: 3 working days}
"""

LATE_LOG = """\
date,event,case,unit
2021-06-01,政策文件发布,沪知〔2021〕5号,办公室
2021-06-10,解读材料发布,沪知〔2021〕5号,办公室
"""

FIXED_LOG = LATE_LOG.replace("2021-06-10", "2021-06-03")


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """A snapshot of this checkout as a hook repository, its commit, and an environment whose
    pre-commit store the tests of this module share (the hook's virtualenv is built once)."""
    tmp_path = tmp_path_factory.mktemp("hook")
    env = _env(tmp_path)
    hook_repo = tmp_path / "gklint-src"
    hook_repo.mkdir()
    return hook_repo, snapshot_of_checkout(hook_repo, env), env


def _office(tmp_path: Path, hook: tuple[Path, str, dict[str, str]], config: str,
            files: dict[str, str]) -> Path:
    """An office repository: ``gklint.toml``, the hook's ``.pre-commit-config.yaml`` and
    ``files`` (name -> text) committed without the hook, then the hook installed."""
    hook_repo, rev, env = hook
    office = tmp_path / "office"
    (office / "records").mkdir(parents=True)
    (office / "gklint.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    (office / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {hook_repo.as_posix()}
            rev: {rev}
            hooks:
              - id: gklint
        """), encoding="utf-8")
    for name, text in files.items():
        (office / name).parent.mkdir(parents=True, exist_ok=True)
        (office / name).write_text(text, encoding="utf-8")
    git("init", "-q", cwd=office, env=env)
    git("add", "gklint.toml", ".pre-commit-config.yaml", *files, cwd=office, env=env)
    git("commit", "-q", "--no-verify", "-m", "setup", cwd=office, env=env)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=office, env=env, check=True,
                   capture_output=True, timeout=TIMEOUT)
    return office


def _commits(office: Path, env: dict[str, str]) -> str:
    return git("rev-list", "--count", "HEAD", cwd=office, env=env).stdout.strip()


def test_commit_with_a_late_interpretation_fails_and_the_fixed_log_passes(
        tmp_path: Path, hook: tuple[Path, str, dict[str, str]]) -> None:
    env = hook[2]
    office = _office(tmp_path, hook, """\
        rulesets = ["rules/local.yaml"]
        paths = ["records/"]
        as_of = "2021-12-31"
        """, {"rules/local.yaml": RULESET})

    log = office / "records" / "2021.csv"
    log.write_text(LATE_LOG, encoding="utf-8")
    git("add", "records/2021.csv", cwd=office, env=env)
    refused = git("commit", "-m", "June log", cwd=office, check=False, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "LOCAL-INTERP-3WD" in output and "records/2021.csv:2" in output, output
    assert _commits(office, env) == "1"

    log.write_text(FIXED_LOG, encoding="utf-8")
    git("add", "records/2021.csv", cwd=office, env=env)
    accepted = git("commit", "-m", "June log, corrected", cwd=office, check=False, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _commits(office, env) == "2"


# The request of 2021-12-20 is due by 2022-01-18 (20 working days; 2022-01-01..03 are days off).
DECEMBER = "date,event,case\n2021-12-20,收到申请,依申〔2021〕88号\n"
JANUARY_LATE = "date,event,case\n2022-01-25,答复申请,依申〔2021〕88号\n"


def test_a_late_reply_committed_in_another_month_file_is_refused(
        tmp_path: Path, hook: tuple[Path, str, dict[str, str]]) -> None:
    """Contract section 14: the request sits in records/2021-12.csv (committed), the late reply
    is committed in records/2022-01.csv: the finding is on the request's row, in a file outside
    the commit, and still belongs to the commit because its response row lies in it. The
    default rulesets (the regulation's) are in force: the config names none."""
    env = hook[2]
    office = _office(tmp_path, hook, """\
        paths = ["records/"]
        as_of = "2022-01-31"
        """, {"records/2021-12.csv": DECEMBER})

    log = office / "records" / "2022-01.csv"
    log.write_text(JANUARY_LATE, encoding="utf-8")
    git("add", "records/2022-01.csv", cwd=office, env=env)
    refused = git("commit", "-m", "January log", cwd=office, check=False, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "OGI19-REPLY-20WD" in output and "records/2021-12.csv:2" in output, output
    assert "records/2022-01.csv:2" in output, output  # the text names the response row too
    assert _commits(office, env) == "1"

    log.write_text(JANUARY_LATE.replace("2022-01-25", "2022-01-18"), encoding="utf-8")
    git("add", "records/2022-01.csv", cwd=office, env=env)
    accepted = git("commit", "-m", "January log, corrected", cwd=office, check=False, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _commits(office, env) == "2"


def test_the_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = {h["id"]: h for h in clientlib.load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks["gklint"]["entry"] == "gklint check"
    assert hooks["gklint"]["language"] == "python"
    import re

    pattern = re.compile(hooks["gklint"]["files"])
    assert all(pattern.search(f"records/a{s}") for s in (".csv", ".tsv", ".jsonl", ".xlsx"))
    assert not pattern.search("rules/local.yaml")
    assert re.search(hooks["gklint"]["exclude"], "records/~$2022-01.xlsx")
    assert hooks["gklint-test"]["entry"] == "gklint test"
    assert hooks["gklint-test"]["pass_filenames"] is False


def _hooks_written() -> dict[str, dict[str, str]]:
    """The gklint hook as each place writes it: the manifest, ``gklint init``, docs/precommit.md's
    local hook, the README's."""
    import re

    import yaml

    from gklint.commands.init import PRECOMMIT_SNIPPET

    def local(text: str) -> dict[str, str]:
        return yaml.safe_load(text)["repos"][0]["hooks"][0]

    precommit_md = (REPO_ROOT / "docs" / "precommit.md").read_text(encoding="utf-8")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = {name: re.findall(r"```yaml\n(.*?)```", text, re.S) for name, text in
              (("docs/precommit.md", precommit_md), ("README.md", readme))}
    return {
        ".pre-commit-hooks.yaml": yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0],
        "gklint init": local(PRECOMMIT_SNIPPET),
        **{name: local(next(b for b in found if "repo: local" in b)) for name, found in blocks.items()},
    }


@pytest.mark.parametrize("where", [".pre-commit-hooks.yaml", "gklint init", "docs/precommit.md", "README.md"])
def test_every_hook_passes_every_log_gklint_reads_and_no_lock_file(where: str) -> None:
    """Issue 18: the hooks passed .csv/.tsv/.jsonl/.xlsx only, so a committed .xls, .et or .parquet
    log was never checked (gklint reads them), and a staged ~$2022-01.xlsx lock file was passed to
    gklint (exit 2 on the commit)."""
    import re

    from gklint.events.readers import SUFFIXES

    hook = _hooks_written()[where]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for suffix in SUFFIXES:
        assert files.search(f"records/2022-01{suffix}") and not exclude.search(f"records/2022-01{suffix}"), suffix
    assert files.search("records/2022-01.xes.gz")  # (contract section 13: a gzip-compressed XES log)
    assert exclude.search("records/~$2022-01.xlsx") and exclude.search("~$台账.xls")
    assert not files.search("gklint.toml") and not files.search("rules/local.yaml")
