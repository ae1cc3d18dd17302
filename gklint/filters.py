"""Filters that cannot match (contract section 14): ``GK011``.

A rule that filters its events on an attribute (``where``, a ratio's ``matching``) that no row of
the log carries never fires: it passes because it did not look. When the log has events of the
filtered kind but none of them carries the attribute, the rule gets one warning per run naming
the attribute(s) and the log's headers that come close (a header written 是否简单 where the
vocabulary knows 是否简单问题), so that the user can map it in ``[columns]``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from gklint.model import Finding, msg


def rule_filters(value: Any) -> Iterator[tuple[str, str]]:
    """(event kind, attribute) for each attribute a rule's value filters an event on."""
    if isinstance(value, list):
        for item in value:
            yield from rule_filters(item)
        return
    if not isinstance(value, dict):
        return
    if isinstance(value.get("event"), str) and isinstance(value.get("where"), dict):
        for attribute in value["where"]:
            yield value["event"], str(attribute)
    if isinstance(value.get("matching"), dict) and "of" in value:
        of = value["of"]
        kind = of if isinstance(of, str) else of.get("event") if isinstance(of, dict) else None
        if isinstance(kind, str):
            for attribute in value["matching"]:
                yield kind, str(attribute)
    for item in value.values():
        if isinstance(item, (dict, list)):
            yield from rule_filters(item)


Carries = Callable[[str, str, Any, Any], "bool | None"]


def events_carry(by_kind: Mapping[str, list[Any]]) -> Carries:
    """``carries(kind, attribute, start, end)`` over events in memory: None when no event of the
    kind is dated in [start, end] (either may be open), else whether one of them has a value."""
    def carries(kind: str, name: str, start: Any, end: Any) -> bool | None:
        events = [ev for ev in by_kind.get(kind, ()) if (start is None or ev.date >= start)
                  and (end is None or ev.date <= end)]
        if not events:
            return None
        return any(ev.get(name) not in (None, "") for ev in events)

    return carries


def unmatched_filters(rules: Iterable[Any], carries: Carries, headers: Iterable[str],
                      aliases: Mapping[str, str]) -> list[Finding]:
    """One GK011 warning per rule whose filter names an attribute that none of the log's events
    of the filtered kind inside the rule's window carries (while there are such events: a filter
    hides none of a 2018 log from a rule in force from 2019). ``carries``: see :func:`events_carry`;
    ``headers``: the headers the log writes; ``aliases``: the vocabulary's header -> attribute map
    (for the headers that come close)."""
    from gklint.engine import rule_window
    from gklint.events import column_key

    written = list(dict.fromkeys(h for h in headers if h))
    out: list[Finding] = []
    for rule in rules:
        start, end = rule_window(rule)
        missing: dict[str, str] = {}  # attribute -> kind
        for kind, attribute in rule_filters(rule.raw.get(rule.kind)):
            name = column_key(attribute)
            if name not in missing and carries(kind, name, start, end) is False:
                missing[name] = kind
        if not missing:
            continue
        import difflib  # (only a filter on a column no file has gets here)

        names = list(missing)
        spellings = [*names, *(a for a, n in aliases.items() if n in names)]  # names and their aliases
        close: list[str] = []
        for header in written:
            folded = column_key(header)
            if folded in names:
                continue
            if any(difflib.SequenceMatcher(None, folded, s).ratio() >= 0.6 or (len(s) > 1 and s in folded)
                   for s in spellings):
                close.append(header)
        shown = "、".join(names)
        shown_en = ", ".join(repr(n) for n in names)
        near_zh = f"相近的表头：{'、'.join(close)}；" if close else "台账中没有相近的表头；"
        near_en = f"headers that come close: {', '.join(repr(h) for h in close)}" if close else \
            "no header comes close"
        example = close[0] if close else "表头"
        out.append(Finding(
            rule="GK011", severity="warning", status="unknown",
            message=msg(
                f"规则 {rule.id} 按属性 {shown} 筛选事件，但台账中没有任何一行有该属性，该规则不会触发；{near_zh}"
                f"可在 gklint.toml 的 [columns] 中映射，例如 {names[0]} = \"{example}\"",
                f"rule {rule.id} filters its events on {shown_en}, which no row of the log carries, so it "
                f"cannot fire; {near_en}; map one in gklint.toml [columns], e.g. {names[0]} = \"{example}\"")))
    return out
