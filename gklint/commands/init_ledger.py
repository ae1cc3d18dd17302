"""``gklint init`` looks at a case ledger (台账) and writes the ``[ledger]`` section it would use.

The first file of the record set ``init`` found whose header has no ``event`` column and whose
date columns the vocabulary of the rulesets in force declares is read as ``gklint check`` reads
it (its header row found below title rows). The section names the case and unit columns, maps
every date column taken, leaves a date column two kinds declare (and nothing settles) commented
out with both kinds, and has a comment line for every column it did not map (read as an
attribute), so the user sees how each column is read.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gklint.errors import GklintError

MAX_FILES = 50  # files looked at for a ledger


def _files(folder: Path, log_paths: Sequence[str]) -> list[Path]:
    from gklint.events import walk

    found: list[Path] = []
    for entry in log_paths:
        path = folder / entry
        found.extend(walk(path) if path.is_dir() else [path])
        if len(found) >= MAX_FILES:
            break
    return found[:MAX_FILES]


def ledger_section(folder: Path, log_paths: Sequence[str], rulesets: Sequence[str]) -> tuple[str, Path] | None:
    """The ``[ledger]`` section for the first ledger among ``log_paths`` (entries of ``folder``),
    and that file; None when none is a ledger."""
    from gklint.engine import build_vocabulary
    from gklint.events import has_event_column
    from gklint.events.ledger import find_header
    from gklint.events.readers import open_raw
    from gklint.ruleset import default_ids, load_rulesets

    vocabulary = build_vocabulary(load_rulesets(list(rulesets) or default_ids()))
    for path in _files(folder, log_paths):
        try:
            raw = open_raw(path)
            if has_event_column([str(h) for h in raw.header], None):
                continue
            raw, lay = find_header(raw, vocabulary, None, None, strict=False)
        except (GklintError, UnicodeDecodeError, OSError):
            continue  # not readable here: `gklint check` says why
        if lay is not None:
            return section(path.relative_to(folder), [str(h) for h in raw.header], lay, vocabulary), path
    return None


def section(name: Path, header: list[str], lay: Any, vocabulary: Any) -> str:
    """The ``[ledger]`` TOML text for a ledger's header and layout."""
    from gklint.events import column_key

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"# gklint init 查看了台账 {name}，按下面的方式读取；未对应的列作为属性读取。",
             f"# gklint init looked at the ledger {name}: it is read as below; columns not mapped are attributes.",
             "[ledger]"]
    lines.append(f"case = {quoted(header[lay.case_at])}" if lay.case_at is not None
                 else '# case = "申请编号"   # 没有找到编号列 / no case column found')
    if lay.unit_at is not None:
        lines.append(f"unit = {quoted(header[lay.unit_at])}")
    lines.append("[ledger.events]")
    dates = {c.at: c.kind for c in lay.dates}
    open_ = dict(lay.unsettled)
    for i, cell in enumerate(header):
        if i in dates:
            lines.append(f"{quoted(cell)} = {quoted(dates[i])}   # {vocabulary.label(dates[i], 'zh')}")
        elif i in open_:
            kinds = open_[i]
            lines.append(f"# {quoted(cell)} = {quoted(kinds[0])}   # 请选定：{' 或 '.join(kinds)} / choose: "
                         f"{' or '.join(kinds)}")
    for i, cell in enumerate(header):
        if i in dates or i in open_ or i in (lay.case_at, lay.unit_at) or not cell.strip():
            continue
        attribute = vocabulary.attributes.get(column_key(cell))
        zh, en = (f"属性 {attribute}", f"the attribute {attribute}") if attribute else ("属性", "an attribute")
        lines.append(f"# {quoted(cell)}：未对应，读作{zh} / not mapped: read as {en}")
    return "\n".join(lines) + "\n"
