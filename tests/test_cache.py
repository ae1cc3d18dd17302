"""The on-disk cache never changes a result: an edited ruleset or included file is a miss, a
corrupt entry is a miss, and GKLINT_NO_CACHE turns it off."""
from __future__ import annotations

from pathlib import Path

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
    return sorted((tmp_path / "cache" / "ruleset").glob("*.pickle"))


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
        entry.write_bytes(b"not a pickle")
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


def test_an_entry_of_another_shape_is_a_miss(files: Path) -> None:
    """A readable pickle that is not what gklint stored there (another version's layout, a
    hand-made file) is a miss too, for every kind of entry: a cache never makes a run fail."""
    import pickle

    from gklint import calendar

    load_ruleset(str(files))
    expected = calendar._package_tables(2018, 2019)
    calendar.official_years.cache_clear()
    expected_years = calendar.official_years()
    root = files.parent / "cache"
    for entry in root.glob("*/*.pickle"):
        entry.write_bytes(pickle.dumps((1, 2, 3)))
    assert [r.id for r in load_ruleset(str(files)).rules] == ["C-1"]
    assert calendar._package_tables(2018, 2019) == expected
    calendar.official_years.cache_clear()
    assert calendar.official_years() == expected_years
