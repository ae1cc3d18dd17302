"""The on-disk cache never changes a result and never runs code: an edited ruleset or included
file is a miss, an entry that is corrupt, truncated, foreign, of another shape or a planted
pickle is a miss, a folder others can write is not used (one warning), concurrent runs agree,
and GKLINT_NO_CACHE turns it off."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from gklint import cache
from gklint.ruleset import load_ruleset

RULESET = """\
ruleset: cached
include: [vocab.yaml]
rules:
  - id: C-1
    title: {zh: 第一条, en: first}
    deadline: {after: received, expect: answered, within: 5 working days}
"""
VOCAB = "events:\n  received: {label: 收到}\n  answered: {label: 答复}\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "vocab.yaml").write_text(VOCAB, encoding="utf-8")
    path = tmp_path / "rs.yaml"
    path.write_text(RULESET, encoding="utf-8")
    return path


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "ruleset").glob("*.json"))


def test_a_second_load_comes_from_the_cache(files: Path) -> None:
    first = load_ruleset(str(files))
    assert len(entries(files.parent)) == 1
    second = load_ruleset(str(files))
    assert second is not first and [r.id for r in second.rules] == ["C-1"]
    assert second.rules[0].compiled().within.value == 5


def test_an_edited_ruleset_is_read_again(files: Path) -> None:
    load_ruleset(str(files))
    files.write_text(RULESET.replace("5 working days", "7 working days"), encoding="utf-8")
    assert load_ruleset(str(files)).rules[0].compiled().within.value == 7


def test_an_edited_included_file_is_read_again(files: Path) -> None:
    assert load_ruleset(str(files)).events["received"]["label"] == "收到"
    (files.parent / "vocab.yaml").write_text(VOCAB.replace("收到", "收到申请"), encoding="utf-8")
    assert load_ruleset(str(files)).events["received"]["label"] == "收到申请"


def test_a_corrupt_entry_is_a_miss(files: Path) -> None:
    load_ruleset(str(files))
    for entry in entries(files.parent):
        entry.write_bytes(b"not an entry")
    assert [r.id for r in load_ruleset(str(files)).rules] == ["C-1"]


def test_no_cache_writes_nothing(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKLINT_NO_CACHE", "1")
    load_ruleset(str(files))
    assert entries(files.parent) == []
    assert cache.cache_dir() is None


def test_keys_cover_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache.key_of("x")
    monkeypatch.setattr(cache, "code_stamp", lambda: "another gklint")
    assert cache.key_of("x") != key


def plant(entry: Path, body: Any, *, kind: str | None = None, key: str | None = None) -> None:
    """Write ``body`` as the entry at ``entry`` with a header that matches it (a hand-made file
    that passes the checksum: only the decoder's shape check can refuse it)."""
    data = json.dumps(body).encode()
    head = {"gklint-cache": cache._FORMAT, "kind": kind or entry.parent.name, "key": key or entry.stem,
            "sha256": hashlib.sha256(data).hexdigest()}
    entry.write_bytes(json.dumps(head).encode() + b"\n" + data)


def test_an_entry_of_another_shape_is_a_miss(files: Path) -> None:
    """A well-formed entry that is not what gklint stored there (another version's layout, a
    hand-made file) is a miss too, for every kind of entry: a cache never makes a run fail."""
    from gklint import calendar

    load_ruleset(str(files))
    expected = calendar._package_tables(2018, 2019)
    calendar.official_years.cache_clear()
    expected_years = calendar.official_years()
    root = files.parent / "cache"
    shapes = [[[1, 2, 3]], {"doc": 1, "events": [], "included": []}, [["x"], [1.5]], [[-5], []], "text",
              {"doc": {"m": [["ruleset", {"m": 7, "l": 1}, 1]], "l": 1}, "events": [], "included": []}]
    for shape in shapes:
        for entry in root.glob("*/*.json"):
            plant(entry, shape)
        assert [r.id for r in load_ruleset(str(files)).rules] == ["C-1"]
        assert calendar._package_tables(2018, 2019) == expected
        calendar.official_years.cache_clear()
        assert calendar.official_years() == expected_years


def test_a_truncated_entry_is_a_miss_and_is_written_again(files: Path) -> None:
    from gklint import calendar

    load_ruleset(str(files))
    expected = calendar._package_tables(2018, 2019)
    root = files.parent / "cache"
    whole = {entry: entry.read_bytes() for entry in root.glob("*/*.json")}
    for entry, data in whole.items():
        entry.write_bytes(data[: len(data) // 2])
    assert load_ruleset(str(files)).rules[0].compiled().within.value == 5
    assert calendar._package_tables(2018, 2019) == expected
    assert {entry: entry.read_bytes() for entry in whole} == whole  # rewritten whole


def test_a_tampered_or_foreign_entry_is_a_miss(files: Path) -> None:
    """An entry whose body was edited (the checksum no longer matches), or one copied under
    another key, is a miss: the ruleset is read from its file."""
    load_ruleset(str(files))
    [entry] = entries(files.parent)
    head, body = entry.read_bytes().split(b"\n", 1)
    entry.write_bytes(head + b"\n" + body.replace(b"5 working days", b"9 working days"))
    assert load_ruleset(str(files)).rules[0].compiled().within.value == 5
    other = files.parent / "other.yaml"
    other.write_text(RULESET.replace("5 working days", "8 working days"), encoding="utf-8")
    load_ruleset(str(other))
    [mine, theirs] = sorted(entries(files.parent), key=lambda e: e.read_bytes().count(b"8 working"))
    mine.write_bytes(theirs.read_bytes())  # another key's entry under this key
    assert load_ruleset(str(files)).rules[0].compiled().within.value == 5


def test_the_cache_folder_is_created_private(files: Path) -> None:
    load_ruleset(str(files))
    root = files.parent / "cache"
    for folder in (root, root / "ruleset"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def run_cli(tmp: Path, cache_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GKLINT_CACHE_DIR": str(cache_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("GKLINT_NO_CACHE", None)
    return subprocess.run([sys.executable, "-m", "gklint", *args], cwd=tmp, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


LOG = "date,event,case\n2018-06-01,收到,A\n2018-06-20,答复,A\n2018-06-04,收到,B\n"


class Attack:
    """A pickle whose loading runs ``touch MARKER`` (the attack of issue 17)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_runs_nothing(files: Path) -> None:
    """Issue 17's attack: run once, replace every entry (and plant .pickle files where the old
    layout kept them) with a pickle that runs a command when loaded, run again: nothing runs,
    and the report is the same."""
    tmp = files.parent
    (tmp / "events.csv").write_text(LOG, encoding="utf-8")
    cache_dir = tmp / "cache"
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", "json")
    first = run_cli(tmp, cache_dir, *args)
    assert first.returncode == 1, first.stderr
    marker = tmp / "PWNED"
    payload = pickle.dumps(Attack(marker))
    assert b"system" in payload
    planted = list(cache_dir.glob("*/*.json"))
    assert planted
    for entry in planted:
        entry.write_bytes(payload)
        entry.with_suffix(".pickle").write_bytes(payload)
    second = run_cli(tmp, cache_dir, *args)
    assert not marker.exists()
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert "Traceback" not in second.stderr


def test_a_folder_of_another_user_is_not_used(files: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A cache folder owned by someone else is ignored with one warning: a forged entry in it
    (a valid entry saying 9 working days) is not read, and nothing is written there."""
    load_ruleset(str(files))
    [entry] = entries(files.parent)
    head, body = entry.read_bytes().split(b"\n", 1)
    plant(entry, json.loads(body.replace(b"5 working days", b"9 working days")))
    assert load_ruleset(str(files)).rules[0].compiled().within.value == 9  # the forgery is well made
    capsys.readouterr()
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(entry).st_uid + 4242)
    for _ in range(3):
        assert load_ruleset(str(files)).rules[0].compiled().within.value == 5
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "another user" in err and str(files.parent / "cache") in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root")
def test_a_folder_chowned_to_another_user_is_not_used(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = files.parent / "cache"
    root.mkdir(mode=0o700)
    os.chown(root, 4242, 4242)
    load_ruleset(str(files))
    assert list(root.iterdir()) == []
    assert "belongs to another user (uid 4242)" in capsys.readouterr().err


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_folder_others_can_write_is_not_used(files: Path, mode: int,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    load_ruleset(str(files))
    [entry] = entries(files.parent)
    head, body = entry.read_bytes().split(b"\n", 1)
    plant(entry, json.loads(body.replace(b"5 working days", b"9 working days")))
    for folder in (files.parent / "cache", files.parent / "cache" / "ruleset"):
        folder.chmod(mode)
        capsys.readouterr()
        cache._warned.clear()
        assert load_ruleset(str(files)).rules[0].compiled().within.value == 5
        assert load_ruleset(str(files)).rules[0].compiled().within.value == 5
        err = capsys.readouterr().err
        assert err.count("warning") == 1 and "group or others may write" in err
        folder.chmod(0o700)


def test_no_home_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME='' (or unset) with no XDG_CACHE_HOME: no cache, rather than one under / or here."""
    monkeypatch.delenv("GKLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "")
    assert cache.cache_dir() is None


def test_twenty_concurrent_runs_share_one_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """20 runs started together on one empty cache folder (all writing the same entries) give
    the same report, and leave whole entries and no temporary files."""
    (tmp_path / "vocab.yaml").write_text(VOCAB, encoding="utf-8")
    (tmp_path / "rs.yaml").write_text(RULESET, encoding="utf-8")
    (tmp_path / "events.csv").write_text(LOG, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-12-31", "--format", "json")
    with ThreadPoolExecutor(max_workers=20) as pool:
        runs = list(pool.map(lambda _: run_cli(tmp_path, cache_dir, *args), range(20)))
    assert {(r.returncode, r.stdout, r.stderr) for r in runs} == {(1, runs[0].stdout, "")}
    assert json.loads(runs[0].stdout)["findings"]
    leftovers = [p for p in cache_dir.rglob("*") if p.is_file() and p.suffix != ".json"]
    assert leftovers == []
    from gklint.cache import load

    monkeypatch.setenv("GKLINT_CACHE_DIR", str(cache_dir))
    assert len(list(cache_dir.glob("*/*.json"))) == 3  # the ruleset, the years, the tables
    for entry in cache_dir.glob("*/*.json"):
        assert load(entry.parent.name, entry.stem, lambda data: data) is not None  # whole
    again = run_cli(tmp_path, cache_dir, *args)
    assert (again.returncode, again.stdout) == (1, runs[0].stdout)
