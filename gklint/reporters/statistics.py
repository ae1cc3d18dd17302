"""``--statistics``: how many findings each rule reported, most first (then by rule id).

Counts are of the findings reported (pending ones only with ``--show-pending``; waived ones
included, and said so). One line a rule: count, rule id, severity, title; nothing when there
are no findings. With ``--format text`` the table follows the report; with other formats it
goes to stderr so machine output stays parseable.
"""
from __future__ import annotations

from collections import Counter
from typing import IO, Any

from gklint.display import for_terminal

_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def rule_titles(result: Any, lang: str) -> dict[str, str]:
    from gklint.engine import BUILTIN_RULES

    titles = {rule_id: info["title"][lang] for rule_id, info in BUILTIN_RULES.items()}
    for ruleset in getattr(result, "rulesets", []) or []:
        for rule in ruleset.rules:
            titles[rule.id] = rule.title.get(lang) or rule.id
    return titles


def write_statistics(result: Any, out: IO[str], lang: str) -> None:
    counts = Counter(f.rule for f in result.findings)
    if not counts:
        return
    severity = {f.rule: f.severity for f in result.findings}
    waived = Counter(f.rule for f in result.findings if f.status == "waived")
    titles = rule_titles(result, lang)
    width = max(len(rule) for rule in counts)
    digits = max(len(str(n)) for n in counts.values())
    for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        note = ""
        if waived[rule]:
            note = f"（其中{waived[rule]}项已豁免）" if lang == "zh" else f" ({waived[rule]} waived)"
        word = _SEVERITY_ZH.get(severity[rule], severity[rule]) if lang == "zh" else severity[rule]
        line = f"{n:>{digits}}  {rule:<{width}}  {word:<{4 if lang == 'zh' else 7}}  {titles.get(rule, '')}{note}"
        out.write(for_terminal(line.rstrip()) + "\n")
