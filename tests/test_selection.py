"""--select/--ignore as a decision table (the flake8 habit): globs, both lists, built-in rules."""
from __future__ import annotations

import pytest

from gklint.engine import selected


@pytest.mark.parametrize(("rule", "select", "ignore", "expected"), [
    ("SH21-REPLY-5WD", (), (), True),
    ("SH21-REPLY-5WD", ("SH21-*",), (), True),
    ("SH21-REPLY-5WD", ("CNIPA*",), (), False),
    ("SH21-REPLY-5WD", (), ("SH21-REPLY-*",), False),
    ("SH21-REPLY-5WD", ("SH21-*",), ("*-5WD",), False),  # ignore wins over select
    ("SH21-REPLY-5WD", ("CNIPA*", "SH21-REPLY-5WD"), (), True),  # any select pattern
    ("GK004", (), ("GK004",), False),  # built-in rules too
    ("GK004", ("SH21-*",), (), False),
    ("GK004", ("GK00?",), (), True),
    ("sh21-reply-5wd", ("SH21-*",), (), False),  # rule ids are case-sensitive, as written
])
def test_selected(rule: str, select: tuple[str, ...], ignore: tuple[str, ...], expected: bool) -> None:
    assert selected(rule, select, ignore) is expected
    assert selected(rule, list(select), list(ignore)) is expected  # lists as the config gives them
