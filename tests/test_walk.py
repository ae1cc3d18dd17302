"""What a folder walk reads, and that it skips nothing silently (contract section 14;
gklint.events.walk, docs/contract.md "Event logs")."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of

RULES = """
- id: T-REPLY
  title: {en: Reply within 15 working days}
  deadline: {after: received, expect: answered, within: 15 working days}
"""
GOOD = "date,event,case,unit\n2018-01-02,received,A1,office\n2018-01-03,answered,A1,office\n"
BAD = "date,event,case,unit\n2018-13-40,received,A2,office\n"


@pytest.fixture
def records(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    ws.write("records/a.csv", GOOD)
    ws.write("records/locked/b.csv", BAD)
    return ws


def _deny(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Listing a folder called ``name`` fails as it does without read permission (tests run as
    root, who may read any folder)."""
    real = os.scandir

    def scandir(path: Any = ".") -> Iterator[os.DirEntry[str]]:
        if os.path.basename(os.fspath(path)) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_a_warning_naming_it(records: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, "locked")
    result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30")
    err = stderr_of(result)
    assert "gklint: warning: records/locked: cannot read the folder (Permission denied)" in err
    assert result.exit_code == 0, err  # a.csv is fine; b.csv could not be read, and the warning says so


def test_an_unreadable_folder_named_is_exit_2(records: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, "locked")
    result = records.cli("check", "records/locked", "-r", "rs.yaml", "--as-of", "2018-06-30")
    assert result.exit_code == 2
    assert "records/locked: cannot read the folder: Permission denied" in stderr_of(result)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_subfolder_for_real(records: Workspace) -> None:  # pragma: no cover - as a user
    locked = records.root / "records" / "locked"
    locked.chmod(0)
    try:
        result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30")
    finally:
        locked.chmod(0o755)
    assert "records/locked: cannot read the folder" in stderr_of(result)


def test_a_symlinked_folder_is_not_followed_and_says_so(records: Workspace) -> None:
    records.write("elsewhere/c.csv", BAD)
    os.symlink("../elsewhere", records.root / "records" / "linked")
    os.symlink("..", records.root / "records" / "locked" / "loop")  # a loop: never walked round
    result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", "json")
    err = stderr_of(result)
    assert "records/linked: a symbolic link to a folder is not followed" in err
    assert "records/locked/loop: a symbolic link to a folder is not followed" in err
    assert "elsewhere" not in result.stdout and result.stdout.count('"GK001"') == 1  # b.csv only


def test_a_symlinked_file_is_read(records: Workspace) -> None:
    records.write("elsewhere/c.csv", BAD)
    os.symlink("../elsewhere/c.csv", records.root / "records" / "c.csv")
    result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", "json")
    assert result.stdout.count('"GK001"') == 2 and stderr_of(result) == ""


def test_broken_links_and_pipes_in_a_folder_are_warnings(records: Workspace) -> None:
    os.symlink("nowhere.csv", records.root / "records" / "broken.csv")
    os.mkfifo(records.root / "records" / "pipe.csv")
    result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30")
    err = stderr_of(result)
    assert result.exit_code == 1, err
    assert "records/broken.csv: a symbolic link that leads nowhere" in err
    assert "records/pipe.csv: not a regular file" in err


def test_hidden_files_and_folders_are_left_out_quietly(records: Workspace) -> None:
    records.write("records/.git/x.csv", BAD)
    records.write("records/.draft.csv", BAD)
    result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30", "--format", "json")
    assert result.stdout.count('"GK001"') == 1 and stderr_of(result) == ""


def test_walk_order_is_sorted(tmp_path: Path) -> None:
    from gklint.events import walk

    for name in ("b/z.csv", "a.csv", "b/a.csv", "c.tsv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path)] == ["a.csv", "b/a.csv", "b/z.csv", "c.tsv"]


def test_walk_warnings_speak_chinese_with_lang_zh(records: Workspace) -> None:
    os.symlink("nowhere.csv", records.root / "records" / "broken.csv")
    result = records.cli("check", "records", "-r", "rs.yaml", "--as-of", "2018-06-30", "--lang", "zh")
    assert "gklint: 警告：records/broken.csv：符号链接指向的文件不存在；未检查" in stderr_of(result)


@pytest.mark.parametrize("lang, said", [
    ("en", "this is the lock file Excel or WPS keeps while 2022-01.xlsx is open, not a workbook"),
    ("zh", "这是 2022-01.xlsx 打开期间 Excel 或 WPS 生成的锁定文件，不是工作簿"),
])
def test_an_office_lock_file_named_is_said_to_be_one(ws: Workspace, lang: str, said: str) -> None:
    """Issue 18: the lock file ~$2022-01.xlsx (a shell's *.xlsx, a commit's staged files) was exit 2
    as "cannot read the Excel file ... may be damaged"; it is still exit 2, saying what it is."""
    (ws.root / "~$2022-01.xlsx").write_bytes(b"\x00lock owner")
    result = ws.cli("check", "~$2022-01.xlsx", "--as-of", "2022-01-31", "--lang", lang)
    assert result.exit_code == 2
    assert said in stderr_of(result) and ".gitignore" in stderr_of(result)
    assert "BadZipFile" not in stderr_of(result)
