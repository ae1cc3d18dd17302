"""``gklint rules`` (the rules in force) and ``gklint explain RULE`` (one rule in words)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from gklint.errors import EXIT_OK, GklintError
from gklint.ruleset import Rule


def _plain(value: Any) -> Any:
    """YAML-with-lines values as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def rule_record(rule: Rule) -> dict[str, Any]:
    rs = rule.ruleset
    record = _plain(rule.raw)
    record.update({
        "ruleset": rs.id if rs else None,
        "document": rs.document if rs else None,
        "issued": rs.issued if rs else None,
        "ruleset_title": _plain(rs.raw.get("title")) if rs else None,
    })
    return record


def list_rules(ruleset_names: Sequence[str], output_format: str, lang: str, out: TextIO) -> int:
    from gklint.commands.check import rulesets_in_force

    rulesets = rulesets_in_force(ruleset_names)
    rules = [r for rs in rulesets for r in rs.rules]
    if output_format == "json":
        json.dump([rule_record(r) for r in rules], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    from gklint.display import for_terminal  # a ruleset's text may hold terminal escapes

    width = max((len(r.id) for r in rules), default=10)
    for rs in rulesets:
        out.write(for_terminal(f"{rs.id}  {rs.title.get(lang, '')}  ({rs.document or ''}, {rs.issued or ''})") + "\n")
        out.writelines(for_terminal(f"  {r.id:<{width}}  {r.severity:<7}  {r.kind:<10}  {r.title.get(lang, '')}")
                       + "\n" for r in rs.rules)
    out.write(f"{len(rules)} rules in {len(rulesets)} rulesets\n" if lang != "zh"
              else f"共 {len(rulesets)} 个规则集，{len(rules)} 条规则\n")
    if not ruleset_names:
        from gklint.ruleset import bundled_ids, default_ids

        # Contract section 14: say which bundled rulesets are not in force, and how to name them.
        others = [i for i in bundled_ids() if i not in default_ids()]
        if others:
            out.write(f"其他内置规则集（工作要点，只约束发文单位，用 -r 指定）：{'、'.join(others)}\n" if lang == "zh"
                      else f"Other bundled rulesets (work plans, binding their issuer's units; name them with -r): "
                      f"{', '.join(others)}\n")
    return EXIT_OK


def explain(rule_id: str, ruleset_names: Sequence[str], lang: str, out: TextIO) -> int:
    import difflib

    from gklint.commands.check import rulesets_in_force
    from gklint.engine import BUILTIN_RULES, build_vocabulary, rule_window
    from gklint.kinds import KINDS
    from gklint.ruleset import bundled_ids, load_ruleset

    if rule_id.upper() in BUILTIN_RULES:
        info = BUILTIN_RULES[rule_id.upper()]
        out.write(f"{rule_id.upper()}  {info['title'][lang]}\n")
        out.write(("内置数据规则，严重级别：" if lang == "zh" else "Built-in data rule, severity: ") + info["severity"] + "\n")
        return EXIT_OK
    # Any rule can be explained, in force or not: the named rulesets first, then every bundled one.
    rulesets = rulesets_in_force(ruleset_names) if ruleset_names else []
    named = {rs.id for rs in rulesets}
    rulesets += [load_ruleset(i) for i in bundled_ids() if i not in named]
    rules = {r.id: r for rs in rulesets for r in rs.rules}
    rule = rules.get(rule_id) or next((r for k, r in rules.items() if k.lower() == rule_id.lower()), None)
    if rule is None:
        known = {k.casefold(): k for k in [*rules, *BUILTIN_RULES]}
        close = [known[k] for k in difflib.get_close_matches(rule_id.casefold(), list(known), n=3)]
        raise GklintError(f"no rule {rule_id!r} in the bundled rulesets" + (" or those named" if ruleset_names else ""),
                          hint=(f"Did you mean: {', '.join(close)}? " if close else "")
                          + "List them with: gklint rules")
    vocab = build_vocabulary([rule.ruleset] if rule.ruleset else [])
    rs = rule.ruleset
    zh = lang == "zh"
    lines = [f"{rule.id}  {rule.title.get(lang, '')}"]
    if rs:
        lines.append(("规则集：" if zh else "Ruleset: ") + f"{rs.id} ({rs.title.get(lang, '')})")
        lines.append(("来源文件：" if zh else "Source document: ") + f"{rs.document or '-'}, "
                     + ("印发于 " if zh else "issued ") + f"{rs.issued or '-'}")
    if rule.clause:
        lines.append(("条款：" if zh else "Clause: ") + rule.clause)
    if rule.quote:
        lines.append(("原文：" if zh else "Quote: ") + f"“{rule.quote}”")
    lines.append(("检查内容：" if zh else "Checks: ") + KINDS[rule.kind].describe(rule.compiled(), lang, vocab.label))
    lines.append(("严重级别：" if zh else "Severity: ") + rule.severity)
    window_from, window_until = rule_window(rule)
    if window_from or window_until:
        lines.append(("适用期间：" if zh else "In force: ")
                     + f"{window_from.isoformat() if window_from else '…'} – {window_until.isoformat() if window_until else '…'}")
    if rule.note:
        lines.append(("说明：" if zh else "Note: ") + rule.note.get(lang, ""))
    from gklint.display import for_terminal  # a ruleset's text may hold terminal escapes

    out.write("\n".join(for_terminal(line) for line in lines) + "\n")
    return EXIT_OK
