"""``FILE:LINE: RULE severity message``, one finding a line, then a summary line, which ends
with the rulesets in force (contract section 14: a pass says what it looked for).

On a terminal the findings are grouped by file (a blank line between files) and the
severity is coloured; piped output is plain.
"""
from __future__ import annotations

from typing import Any

from gklint.display import for_terminal
from gklint.model import Finding
from gklint.reporters.base import Reporter, location, ruleset_ids

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "pending": "\033[2m", "waived": "\033[2m"}
_NOT_FAILING = {"pending": ("pending", "未到期"), "waived": ("waived", "已豁免")}
_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


class TextReporter(Reporter):
    name = "text"
    machine = False

    def start(self, result: Any) -> None:
        self._last_file: str | None = None

    def handle(self, finding: Finding) -> None:
        # One word, so the third field stays parseable: error|warning|info, in Chinese 错误|警告|提示
        # (contract section 14: the severity words are Chinese with --lang zh).
        severity = _SEVERITY_ZH.get(finding.severity, finding.severity) if self.lang == "zh" else finding.severity
        # A file name or a cell quoted in a message may hold a line break, a terminal escape
        # sequence or a byte that is not UTF-8: shown escaped (one finding, one line).
        where = for_terminal(location(finding))
        if finding.column is not None:  # a ledger row: which cell (contract section 10)
            where += f" [{for_terminal(finding.column)}]"
        text = for_terminal(finding.text(self.lang))
        if finding.status in _NOT_FAILING:  # said in the message, which is free text
            text = f"[{_NOT_FAILING[finding.status][self.lang == 'zh']}] {text}"
        response = finding.response
        if response and response.get("file") and response.get("file") != finding.file:
            # The row that makes the finding lies in another file (a reply committed in this
            # month's file to last month's request): say where, or the line above looks unrelated.
            text += f" [{'对应记录' if self.lang == 'zh' else 'response'}: {response['file']}:{response.get('line')}]"
        if self.color:
            if self._last_file is not None and finding.file != self._last_file:
                self.out.write("\n")
            colour = _COLORS.get(finding.status if finding.status in ("pending", "waived") else finding.severity, "")
            line = f"{_BOLD}{where}{_RESET}: {finding.rule} {colour}{severity}{_RESET} {text}"
        else:
            line = f"{where}: {finding.rule} {severity} {text}"
        self._last_file = finding.file
        self.out.write(line + "\n")

    def finish(self, result: Any) -> None:
        c = result.counts()
        total = c["errors"] + c["warnings"] + c["infos"]
        ids = ruleset_ids(result)
        if self.lang == "zh":
            line = (f"共 {total} 项问题：{c['errors']} 个错误，{c['warnings']} 个警告"
                    + (f"，{c['infos']} 条提示" if c["infos"] else "")
                    + f"，{c['pending']} 项未到期"
                    + (f"，{c['waived']} 项已豁免" if c["waived"] else "")
                    + f"（{c['files']} 个文件，{c['events']} 条事件，{c['rules']} 条规则，检查日期 {result.as_of.isoformat()}；"
                    f"适用规则集：{'、'.join(ids) or '无'}）")
        else:
            line = (f"{total} finding{'s' if total != 1 else ''}: {c['errors']} error{'s' if c['errors'] != 1 else ''}, "
                    f"{c['warnings']} warning{'s' if c['warnings'] != 1 else ''}, "
                    + (f"{c['infos']} info, " if c["infos"] else "")
                    + f"{c['pending']} pending"
                    + (f", {c['waived']} waived" if c["waived"] else "")
                    + f" ({c['files']} file{'s' if c['files'] != 1 else ''}, {c['events']} events, "
                    f"{c['rules']} rules, as of {result.as_of.isoformat()}; "
                    f"rulesets in force: {', '.join(ids) or 'none'})")
        if self.color:
            line = f"{_BOLD}{line}{_RESET}"
        self.out.write(line + "\n")
