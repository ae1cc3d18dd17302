"""Indicator labels: normalisation, the enumerator hierarchy, and the names rules use.

Contract section 7: an indicator is named by its label with the enumerator stripped and blanks
removed; a label that repeats is named ``PARENT/LABEL``, the parent taken from the enumerator
hierarchy.

**Normalising a label** (:func:`normalise`), in this order:

1. punctuation is unified (:func:`unify`): the full-width forms U+FF01-FF5E become their ASCII
   twins (``（）`` -> ``()``, ``：`` -> ``:``, ``，`` -> ``,``, ``；`` -> ``;``, ``．`` -> ``.``,
   ``０-９`` -> ``0-9``, ``Ａ`` -> ``A``), ``【】`` -> ``[]``, curly quotes ``“”`` -> ``"`` and
   ``‘’`` -> ``'``. Marks with no ASCII twin stay: ``、 。 《 》 〔 〕 — …``.
2. every blank is removed: spaces, tabs, line breaks, U+3000 (full-width space), NBSP.
3. the leading enumerator is stripped, with its level (:func:`split_enumerator`):

   ======  ==================================================
   level   forms
   ======  ==================================================
   1       ``一、`` ``十二、`` ``一.``
   2       ``（一）`` ``(一)`` ``㈠``
   3       ``1.`` ``1、`` ``⒈``  (not ``2.5``: a decimal is not an enumerator)
   4       ``（1）`` ``(1)`` ``⑴`` ``①``
   其中    ``其中：`` ``其中:`` -- a child of the row just above it
   ======  ==================================================

**Hierarchy** (:func:`parents`): a numbered row's parent is the nearest row above it with a
higher level (一、 > （一） > 1. > （1））. A ``其中`` row is a child of the row just above it, and
the unnumbered rows that follow it (``其中：A`` / ``B`` / ``C``, as tables print them) are its
siblings; a ``其中`` row right after another ``其中`` row is a sibling too. ``其中：1.`` combines
both: a child of the row above, at level 3, so that the ``2.`` below it is its sibling. Any
other unnumbered row sits where the first one did -- the first is a sibling of the row above
it -- so in a table whose top rows carry no numbers (``申请总数`` / ``其中：1.当面申请数`` /
``2.传真申请数`` / ``答复总数``) the unnumbered rows stay at the top.

**Names** (:class:`NameIndex`): every ``/``-joined tail of a row's ancestry names it when it
names only that row -- ``专职人员数``, ``从事政府信息公开工作人员数/专职人员数`` and so on. A label
ending in a parenthesised note may be written without it: ``专职人员数（不包括政府公报…）`` is also
``专职人员数``. The canonical name is the shortest unique tail: the bare label when it is
unique, else ``PARENT/LABEL`` (``行政复议数量/被依法纠错数``).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_EXTRA = {ord("【"): "[", ord("】"): "]", ord("“"): '"', ord("”"): '"', ord("‘"): "'", ord("’"): "'"}
_TRANSLATE: dict[int, int | str] = {**_FULL_WIDTH, **_EXTRA}
_BLANKS = re.compile(r"\s+")

_CN_NUMERAL = "[一二三四五六七八九十百零〇]+"
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"{_CN_NUMERAL}[、.]")),
    (2, re.compile(rf"\({_CN_NUMERAL}\)[、.]?|[\u3220-\u3229]")),
    (3, re.compile(r"\d+(?:、|\.(?!\d))|[\u2488-\u249b]")),
    (4, re.compile(r"\(\d+\)[、.]?|[\u2474-\u2487]|[\u2460-\u2473]")),
)
_QIZHONG = re.compile(r"其中:")
QIZHONG = 0  # the "level" split_enumerator gives a bare 其中 row; its place depends on the row above
UNNUMBERED = -1


def unify(text: str) -> str:
    """Full-width punctuation, digits and letters to ASCII; blanks removed (no enumerator stripping)."""
    return _BLANKS.sub("", text.translate(_TRANSLATE))


class Enumerated(NamedTuple):
    """A label split into its enumerator level and its text (both normalised)."""

    level: int  # 1-4, QIZHONG, or UNNUMBERED
    qizhong: bool  # the label began with 其中：
    text: str


def split_enumerator(label: str) -> Enumerated:
    """The normalised label and the level of the enumerator it began with."""
    text = unify(label)
    qizhong = bool(_QIZHONG.match(text))
    if qizhong:
        text = text[3:]
    for level, pattern in _LEVELS:
        found = pattern.match(text)
        if found and found.end() < len(text):
            return Enumerated(level, qizhong, text[found.end():])
    return Enumerated(QIZHONG if qizhong else UNNUMBERED, qizhong, text)


def normalise(label: str) -> str:
    """The label as rules name it: unified punctuation, no blanks, no enumerator."""
    return split_enumerator(label).text


def normalise_name(name: str) -> str:
    """A name written in a rule (``PARENT/LABEL``, possibly with enumerators) in normal form."""
    return "/".join(normalise(part) if part else part for part in unify(name).split("/"))


def short_form(label: str) -> str | None:
    """``专职人员数(不包括…)`` -> ``专职人员数``: the label without a trailing parenthesised note."""
    if not label.endswith(")"):
        return None
    depth = 0
    for i in range(len(label) - 1, -1, -1):
        if label[i] == ")":
            depth += 1
        elif label[i] == "(":
            depth -= 1
            if depth == 0:
                return label[:i] or None
    return None


def parents(labels: Sequence[str]) -> list[int | None]:
    """For each raw label, the index of its parent row (None at the top), by the rules above."""
    out: list[int | None] = []
    stack: list[tuple[float, int]] = []  # (rank, row index); ranks increase towards the top
    prev_rank = 1.0
    prev_in_qizhong = False
    unnumbered_rank: float | None = None  # where the first unnumbered row (outside 其中 lists) sat
    for i, label in enumerate(labels):
        level, qizhong, _ = split_enumerator(label)
        in_qizhong = qizhong
        if qizhong and i > 0:
            if prev_in_qizhong and level == QIZHONG:
                rank = prev_rank  # 其中：A / 其中：B -> siblings
            elif level > QIZHONG and level > prev_rank:
                rank = float(level)  # 其中：1. under a coarser row
            else:
                rank = prev_rank + 0.5
        elif level > QIZHONG:
            rank, in_qizhong = float(level), False
        elif prev_in_qizhong or qizhong:  # 其中：A / B / C, or a 其中 row opening the table
            rank, in_qizhong = prev_rank, True
        else:  # unnumbered: the level of the first unnumbered row, which was the row above's
            if unnumbered_rank is None:
                unnumbered_rank = prev_rank
            rank = unnumbered_rank
        while stack and stack[-1][0] >= rank:
            stack.pop()
        out.append(stack[-1][1] if stack else None)
        stack.append((rank, i))
        prev_rank, prev_in_qizhong = rank, in_qizhong
    return out


def paths(labels: Sequence[str]) -> list[tuple[str, ...]]:
    """Each row's ancestry of normalised labels, root first, ending with its own label."""
    out: list[tuple[str, ...]] = []
    for label, parent in zip(labels, parents(labels)):
        own = normalise(label)
        out.append((*out[parent], own) if parent is not None else (own,))
    return out


def _spellings(path: tuple[str, ...]) -> Iterable[str]:
    """Every name of ``path``: each tail of it, each segment in full or in short form."""
    forms = [tuple(dict.fromkeys(f for f in (seg, short_form(seg)) if f)) for seg in path]
    for k in range(1, len(path) + 1):
        for combo in itertools.product(*forms[-k:]):
            yield "/".join(combo)


class NameIndex:
    """Names -> paths for one table; a name resolves when it names exactly one path."""

    def __init__(self, all_paths: Iterable[tuple[str, ...]]) -> None:
        self.paths: list[tuple[str, ...]] = list(dict.fromkeys(all_paths))
        self._by_name: dict[str, list[tuple[str, ...]]] = {}
        for path in self.paths:
            for name in dict.fromkeys(_spellings(path)):
                self._by_name.setdefault(name, []).append(path)

    def resolve(self, name: str) -> list[tuple[str, ...]]:
        """The paths ``name`` can mean: one (found), several (ambiguous) or none."""
        return list(self._by_name.get(normalise_name(name), ()))

    def canonical(self, path: tuple[str, ...]) -> str:
        """The shortest tail of full labels that names ``path`` alone."""
        for k in range(1, len(path) + 1):
            name = "/".join(path[-k:])
            if self._by_name.get(name) == [path]:
                return name
        return "/".join(path)

    def names(self) -> list[str]:
        """Every name that resolves, for did-you-mean suggestions."""
        return [name for name, found in self._by_name.items() if len(found) == 1]
