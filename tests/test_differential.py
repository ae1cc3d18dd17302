"""Shortcuts against the straightforward paths they stand for.

``parse_when`` / ``parse_when_general`` (the ISO date fast path) must agree exactly.
"""
from __future__ import annotations

import random

from gklint.dates import parse_when, parse_when_general


def test_iso_fast_path_equals_general_parser() -> None:
    rng = random.Random(7)
    texts = [f"{rng.randrange(1990, 2031)}-{rng.randrange(0, 14):02d}-{rng.randrange(0, 33):02d}"
             for _ in range(5000)] + ["2018-05-17", "2018-5-17x", "abcd-ef-gh", "2020-02-29", "2019-02-29"]
    for text in texts:
        try:
            fast = parse_when(text)
        except ValueError:
            fast = None
        try:
            general = parse_when_general(text)
        except ValueError:
            general = None
        assert fast == general, text
