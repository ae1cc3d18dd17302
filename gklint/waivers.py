"""Waivers (contract section 6): approved exceptions, kept in a YAML file beside the log.

```yaml
- rule: SH21-REPLY-5WD          # a rule id, or a glob (SH21-*)
  case: Q-2021-0117             # at least one of case / period / unit / file
  reason: 申请人同意延期答复，见书面记录
  approved_by: 办公室 张三
  expires: 2022-06-30           # optional; the waiver holds through that day
```

A finding matched by a waiver in force is reported with status ``waived`` and does not fail the
run. An auditor needs to know why and on whose authority, so a waiver without ``reason`` or
``approved_by`` stops the run (exit 2, with file and line). A waiver past ``expires`` waives
nothing and is itself a warning (GK020) at its line; a waiver in force that matched nothing is
a warning too (GK021, stale), so the file does not silently rot.

``per_file_ignores`` (config) drops findings of some rules in some files outright; it lives here
too, and ``gklint check`` applies it before waivers, so a waiver for an ignored finding is stale.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gklint.errors import ConfigError, closest
from gklint.model import Finding, msg

KEYS = ("rule", "case", "period", "unit", "file", "reason", "approved_by", "expires")
NARROWING = ("case", "period", "unit", "file")
REQUIRED = ("rule", "reason", "approved_by")
_LABELS_ZH = {"rule": "规则", "case": "编号", "period": "期间", "unit": "部门", "file": "文件"}


@dataclass(frozen=True)
class Waiver:
    rule: str  # id or glob
    reason: str
    approved_by: str
    source: str  # the waivers file
    line: int  # 1-based line of the entry in it
    case: str | None = None
    period: str | None = None
    unit: str | None = None
    file: str | None = None  # glob, matched against the finding's path (see file_matches)
    expires: dt.date | None = None

    def in_force(self, as_of: dt.date) -> bool:
        return self.expires is None or as_of <= self.expires

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        for key in ("case", "period", "unit"):
            wanted = getattr(self, key)
            have = (getattr(finding, key) or "").strip()
            if key == "case":
                have = _case(have) or ""
            if wanted is not None and have != wanted:
                return False
        if self.file is not None:
            base = os.path.dirname(self.source)
            return finding.file is not None and file_matches(finding.file, self.file, base)
        return True

    def describe(self, lang: str) -> str:
        names = _LABELS_ZH if lang == "zh" else {k: k for k in ("rule", *NARROWING)}
        parts = [f"{names[k]} {getattr(self, k)}" for k in ("rule", *NARROWING) if getattr(self, k)]
        return ("，" if lang == "zh" else ", ").join(parts)

    def record(self) -> dict[str, Any]:
        return {"reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat() if self.expires else None,
                "file": self.source, "line": self.line}


def file_matches(file: str, pattern: str, base: str | None = None) -> bool:
    """``pattern`` (a glob; ``*`` crosses folders) against ``file`` as given, relative to the
    working directory, or relative to ``base`` (the folder of the file that holds the pattern)."""
    pattern = pattern.replace("\\", "/").removeprefix("./")
    return any(fnmatch.fnmatchcase(s, pattern) for s in _spellings(file, base, os.getcwd()))


@lru_cache(maxsize=4096)
def _spellings(file: str, base: str | None, cwd: str) -> frozenset[str]:
    path = Path(file)
    spellings = {path.as_posix()}
    absolute = (path if path.is_absolute() else Path(cwd) / path).resolve()
    for root in (Path(cwd), Path(base).resolve() if base else None):
        if root is None:
            continue
        try:
            spellings.add(Path(os.path.relpath(absolute, root)).as_posix())
        except ValueError:  # pragma: no cover - another Windows drive
            pass
    return frozenset(spellings)


def _text(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _case(text: str | None) -> str | None:
    """A waiver's case, folded as the log's case values are (依申[2019]22号 is 依申〔2019〕22号)."""
    from gklint.events import fold_case

    return None if text is None else fold_case(text) or text


def load_waivers(path: str | Path) -> list[Waiver]:
    """Read and check a waivers file; any problem is a ConfigError naming the file and line."""
    from gklint.ruleset.yamlio import LineDict, line_of, load_yaml

    file = str(path)
    if not Path(path).is_file():
        raise ConfigError("no such waivers file", file=file,
                          hint="Check `waivers` in gklint.toml or --waivers; `gklint init` writes a template.")
    doc = load_yaml(Path(path), ConfigError)
    if doc is None:
        return []  # an empty file (or comments only): no waivers yet
    if not isinstance(doc, list):
        raise ConfigError("a waivers file must be a YAML list of waivers", file=file, line=1,
                          hint="Write entries such as: - {rule: ID, case: X, reason: ..., approved_by: ...}")
    waivers: list[Waiver] = []
    for i, entry in enumerate(doc):
        line = line_of(doc, [i]) or 1
        if not isinstance(entry, LineDict):
            raise ConfigError("each waiver must be a mapping with rule, reason and approved_by", file=file,
                              line=line, hint="Write: - {rule: ID, case: X, reason: ..., approved_by: ...}")
        unknown = [k for k in entry if k not in KEYS]
        if unknown:
            close = closest(str(unknown[0]), KEYS)
            raise ConfigError(f"unknown key {unknown[0]!r} in a waiver", file=file,
                              line=entry.lines.get(unknown[0], line),
                              hint=(f"Did you mean {close!r}? " if close else "") + f"Allowed: {', '.join(KEYS)}.")
        missing = [k for k in REQUIRED if _text(entry, k) is None]
        if missing:
            raise ConfigError(f"the waiver has no {' and no '.join(missing)}", file=file, line=line,
                              hint="Auditors need both why (reason) and on whose authority (approved_by); "
                                   "add them, or remove the waiver.")
        if not any(_text(entry, k) for k in NARROWING):
            raise ConfigError(f"the waiver for {entry['rule']} names no case, period, unit or file",
                              file=file, line=line,
                              hint="A waiver is for one exception; to switch a rule off everywhere, "
                                   "use ignore = [...] in gklint.toml.")
        expires = None
        if entry.get("expires") is not None:
            from gklint.dates import parse_when

            try:
                expires = parse_when(str(entry["expires"])).date
            except ValueError:
                raise ConfigError(f"expires {entry['expires']!r} is not a date", file=file,
                                  line=line_of(doc, [i, "expires"]) or line,
                                  hint="Write a date such as 2022-06-30.") from None
        waivers.append(Waiver(
            rule=str(_text(entry, "rule")), reason=str(_text(entry, "reason")),
            approved_by=str(_text(entry, "approved_by")), source=file, line=line,
            case=_case(_text(entry, "case")), period=_text(entry, "period"), unit=_text(entry, "unit"),
            file=_text(entry, "file"), expires=expires))
    return waivers


def _waiver_finding(rule: str, waiver: Waiver, zh: str, en: str) -> Finding:
    return Finding(rule=rule, severity="warning", status="invalid", message=msg(zh, en),
                   file=waiver.source, line=waiver.line)


def waived(findings: Iterable[Finding], waivers: Sequence[Waiver], as_of: dt.date) -> Iterator[Finding]:
    """Findings with waived ones marked, then GK020 (expired) and GK021 (stale) warnings, one at
    a time (a large report is not held to be waived).

    A pending finding stays pending (it has not failed yet) but counts as a use of its waiver:
    a waiver granted ahead of the deadline is not stale.
    """
    in_force = [w for w in waivers if w.in_force(as_of)]
    used: set[Waiver] = set()
    for finding in findings:
        waiver = next((w for w in in_force if w.matches(finding)), None)
        if waiver is None:
            yield finding
            continue
        used.add(waiver)
        if finding.status in ("pending", "waived"):
            yield finding
            continue
        extra = {**finding.extra, "waived_status": finding.status, "waiver": waiver.record()}
        yield finding.with_(status="waived", extra=extra)
    for w in waivers:
        zh, en = w.describe("zh"), w.describe("en")
        if w.expires is not None and not w.in_force(as_of):
            yield _waiver_finding(
                "GK020", w, f"豁免已于{w.expires.isoformat()}到期，不再生效（{zh}）；请续批或删除",
                f"waiver expired on {w.expires.isoformat()} and no longer waives ({en}); "
                "renew its approval or remove it")
        elif w not in used:
            yield _waiver_finding(
                "GK021", w, f"豁免未匹配任何问题（{zh}），可能已过时；请核对规则和编号，或删除",
                f"waiver matched no finding ({en}); it may be stale: check its rule and case, or remove it")


def apply_per_file_ignores(findings: Iterable[Finding], per_file_ignores: Mapping[str, Sequence[str]],
                           base: str | None = None) -> list[Finding]:
    """Drop findings of the listed rules (globs) in files matching each key (a glob). The
    findings as given when there is nothing to drop; a spool's as a spool (``spool.kept``)."""
    from gklint.spool import kept

    if not per_file_ignores:
        return findings  # type: ignore[return-value]

    def keep(finding: Finding) -> bool:
        return finding.file is None or not any(
            any(fnmatch.fnmatchcase(finding.rule, r) for r in rules) and file_matches(finding.file, pattern, base)
            for pattern, rules in per_file_ignores.items())

    return kept(findings, keep)
