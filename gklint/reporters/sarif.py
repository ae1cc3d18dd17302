"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Choices (docs/formats.md says the same to users):

- ``tool.driver.rules`` lists every rule of the rulesets in force, then the built-in ``GK``
  rules, then any other rule id a finding carries; ``ruleIndex`` points into that list.
- Every result has a physical location, because code scanning shows nothing without one and
  wants ``region.startLine``: a row finding points at its row; a finding about a whole file at
  line 1 (its header); a period finding (no file) at line 1 of the log's first file, with the
  period in ``properties.period``. Only when no file was read at all is there no location.
- ``partialFingerprints["gklint/v1"]`` hashes what identifies a finding -- rule, file, case,
  unit, period, start date, status (the pre-waiver one) and an ordinal among otherwise equal
  findings -- but never the line, so inserting rows above does not reopen alerts.
- A deadline or precedence finding about a response row (``Finding.response``) lists that row
  as a ``relatedLocations`` entry.
- A pending finding (``--show-pending``) is ``kind: open`` with ``level: none``; a waived one
  carries an external, accepted ``suppression`` with the waiver's reason.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from gklint import __version__
from gklint.model import Finding
from gklint.reporters import display_path
from gklint.reporters.base import Deferred, Reporter, ruleset_ids
from gklint.reporters.json import encode

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "gklint/v1"
_RESULT_INDENT = " " * 8  # a result's depth in the document: runs[0].results[i]


def information_uri() -> str:
    """The project's home page from the installed metadata, else its PyPI page."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("gklint")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "https://pypi.org/project/gklint/"
    home = (meta.get_all("Home-page") or [""])[0]
    return home if home and home != "UNKNOWN" else "https://pypi.org/project/gklint/"


def artifact_location(file: str) -> dict[str, str]:
    """The ``artifactLocation`` of ``file`` (:func:`_location`, worked out once a file and working
    directory: every result names one or two)."""
    return dict(_location(file, os.getcwd()))


@lru_cache(maxsize=4096)
def _location(file: str, cwd: str) -> tuple[tuple[str, str], ...]:
    """A relative URI under ``%SRCROOT%`` (the working directory); an absolute ``file:`` URI
    for a file outside it (SARIF 2.1.0 §3.4.3: a URI reference).

    The path is normalised first (``a/../b.csv`` is ``b.csv``; ``../x.csv`` lies outside the
    root, so it is absolute), without resolving symbolic links: the URI names the file as it
    was given. It is percent-encoded from the file name's bytes, so a name that is not UTF-8
    (``log%FF.csv``) still names its file (RFC 3986 §2.1)."""
    absolute = os.path.normpath(os.path.join(cwd, file))
    try:
        inside = os.path.commonpath([cwd, absolute]) == cwd
    except ValueError:  # pragma: no cover - another Windows drive
        inside = False
    if not inside:
        from pathlib import Path

        return (("uri", Path(absolute).as_uri()),)  # (percent-encodes os.fsencode(path))
    relative = os.path.relpath(absolute, cwd).replace(os.sep, "/")
    return ("uri", quote(os.fsencode(relative), safe="/")), ("uriBaseId", "%SRCROOT%")


_SCALARS: dict[type, Any] = {str: json.encoder.encode_basestring, int: int.__repr__, type(None): lambda _: "null",
                             bool: lambda b: "true" if b else "false"}  # (the rest: the JSON reporter's encode)


def indented(value: Any, level: int = 0) -> str:
    """``value`` (dicts with text keys, lists and JSON scalars) as ``json.dumps(value,
    ensure_ascii=False, indent=2)`` writes it ``level`` deep in a document. (json's indenting
    encoder is its Python one, whose functions refer to each other: each call leaves a reference
    cycle, which a command, run with the cyclic collector off, would keep until it ends: some
    3 KB a result.)"""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)  # type: ignore[no-any-return]
    if isinstance(value, dict) and value:
        inner = "\n" + "  " * (level + 1)
        return ("{" + ",".join(f"{inner}{encode(k)}: {indented(v, level + 1)}" for k, v in value.items())
                + "\n" + "  " * level + "}")
    if isinstance(value, (list, tuple)) and value:
        inner = "\n" + "  " * (level + 1)
        return "[" + ",".join(inner + indented(v, level + 1) for v in value) + "\n" + "  " * level + "]"
    return encode(value)


def _pascal(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words)


class SarifReporter(Reporter):
    name = "sarif"

    def start(self, result: Any) -> None:
        self._descriptors: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}
        for rule in self.rules.values():
            self._add_rule(rule.id, self._ruleset_descriptor(rule))
        from gklint.engine import BUILTIN_RULES

        for rule_id, info in sorted(BUILTIN_RULES.items()):
            self._add_rule(rule_id, self._builtin_descriptor(rule_id, info))
        # Each result is written as it comes, as json.dump(indent=2) lays it out in the document
        # (8 spaces in), and copied into the document once the rules are all known.
        self._results = Deferred(self.name)
        self._seen: dict[tuple[Any, ...], int] = {}
        self._first_file = result.files[0] if getattr(result, "files", None) else None

    # --- rules ------------------------------------------------------------

    def _add_rule(self, rule_id: str, descriptor: dict[str, Any]) -> int:
        if rule_id not in self._index:
            self._index[rule_id] = len(self._descriptors)
            self._descriptors.append(descriptor)
        return self._index[rule_id]

    def _ruleset_descriptor(self, rule: Any) -> dict[str, Any]:
        from gklint.ruleset import text

        rs = rule.ruleset
        zh = self.lang == "zh"
        title_en, title_zh = rule.title.get("en") or rule.id, rule.title.get("zh") or rule.id
        title = rule.title.get(self.lang) or title_en
        clause = text(rule.clause).get(self.lang)  # text fields may be {zh:, en:} maps
        quote = text(rule.quote).get(self.lang)
        source = ", ".join(x for x in (rs.document if rs else None, clause) if x)
        full = title + ((f"（{source}）" if zh else f" ({source})") if source else "")
        help_lines = [title]
        if rs:
            issued = (f"（{rs.issued}）" if zh else f" ({rs.issued})") if rs.issued else ""
            help_lines.append(("规则集：" if zh else "Ruleset: ") + f"{rs.id} — {rs.title.get(self.lang, '')}")
            help_lines.append(("来源文件：" if zh else "Source document: ") + (rs.document or "-") + issued)
        if clause:
            help_lines.append(("条款：" if zh else "Clause: ") + clause)
        if quote:
            help_lines.append(("原文：" if zh else "Quote: ") + f"“{quote}”")
        note = rule.note.get(self.lang) if rule.note else None
        if note:
            help_lines.append(("说明：" if zh else "Note: ") + note)
        help_lines.append(("查看：" if zh else "See: ") + f"gklint explain {rule.id}")
        return {
            "id": rule.id,
            "name": _pascal(title_en) or rule.id,
            "shortDescription": {"text": title_en},
            "fullDescription": {"text": full},
            "help": {"text": "\n".join(help_lines),
                     "markdown": help_lines[0] + "\n\n" + "\n".join(f"- {line}" for line in help_lines[1:])},
            "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
            "properties": {
                "title_zh": title_zh, "title_en": title_en, "kind": rule.kind,
                "ruleset": rs.id if rs else None, "document": rs.document if rs else None,
                "clause": clause, "quote": quote, "tags": ["gklint", "compliance", rule.kind],
            },
        }

    def _builtin_descriptor(self, rule_id: str, info: dict[str, Any]) -> dict[str, Any]:
        title = info["title"]
        zh = self.lang == "zh"
        return {
            "id": rule_id,
            "name": _pascal(title["en"]) or rule_id,
            "shortDescription": {"text": title["en"]},
            "fullDescription": {"text": f"内置数据规则：{title['zh']}" if zh else f"Built-in data rule: {title['en']}"},
            "help": {"text": (f"{title['zh']}。查看：gklint explain {rule_id}" if zh
                              else f"{title['en']}. See: gklint explain {rule_id}")},
            "defaultConfiguration": {"level": LEVELS.get(info["severity"], "warning")},
            "properties": {"title_zh": title["zh"], "title_en": title["en"], "tags": ["gklint", "data"]},
        }

    # --- results ----------------------------------------------------------

    def handle(self, finding: Finding) -> None:
        index = self._index.get(finding.rule)
        if index is None:
            index = self._add_rule(finding.rule, {
                "id": finding.rule, "shortDescription": {"text": finding.rule},
                "defaultConfiguration": {"level": LEVELS.get(finding.severity, "warning")}})
        entry: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index,
            "message": {"text": finding.text(self.lang)},
            "partialFingerprints": {FINGERPRINT: self._fingerprint(finding)},
            "properties": {k: v for k, v in {
                "status": finding.status, "severity": finding.severity, "ruleset": finding.ruleset,
                "case": finding.case, "unit": finding.unit, "period": finding.period,
                "start": finding.start, "due": finding.due, "actual": finding.actual,
                "overdue": finding.overdue, "column": finding.column, "group": finding.group}.items() if v is not None},
        }
        if finding.status == "pending":
            entry["kind"] = "open"
            entry["level"] = "none"  # SARIF §3.27.10: a result that is not a failure has level none
        else:
            entry["level"] = LEVELS.get(finding.severity, "warning")
        file = finding.file or self._first_file
        if file:
            entry["locations"] = [{"physicalLocation": {
                "artifactLocation": artifact_location(file),
                "region": {"startLine": finding.line if finding.file and finding.line else 1}}}]
        response = finding.response
        if response and response.get("file"):
            # SARIF §3.27.22: the response row as a related location, which viewers link to.
            entry["relatedLocations"] = [{
                "id": 1,
                "physicalLocation": {"artifactLocation": artifact_location(response["file"]),
                                     "region": {"startLine": response.get("line") or 1}},
                "message": {"text": "答复所在行" if self.lang == "zh" else "the response row"}}]
        if finding.status == "waived":
            suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
            waiver = finding.extra.get("waiver")
            if waiver:
                approved = "批准人" if self.lang == "zh" else "approved by"
                suppression["justification"] = f"{waiver['reason']} ({approved} {waiver['approved_by']})"
                suppression["properties"] = {k: v for k, v in waiver.items() if v is not None}
            entry["suppressions"] = [suppression]
        self._results.write(("\n" if not self._results.size else ",\n") + _RESULT_INDENT + indented(entry, 4))

    def _fingerprint(self, finding: Finding) -> str:
        status = finding.extra.get("waived_status", finding.status)
        key = (finding.rule, display_path(finding.file) if finding.file else "", finding.case or "",
               finding.unit or "", finding.period or "", finding.start or "", status)
        if finding.group is not None:  # (contract section 13) a group's finding is its own; others keep theirs
            key += (json.dumps(finding.group, ensure_ascii=False, sort_keys=True),)
        ordinal = self._seen.get(key, 0)
        self._seen[key] = ordinal + 1
        raw = "\x1f".join((*key, str(ordinal)))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def finish(self, result: Any) -> None:
        # The document with a stand-in for the results, which are copied in where it stands (a
        # random one: no text of a ruleset or a log can be it).
        hole = f"gklint-results-{os.urandom(16).hex()}"
        document = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "gklint", "version": __version__, "semanticVersion": __version__,
                    "informationUri": information_uri(), "rules": self._descriptors,
                }},
                "invocations": [{"executionSuccessful": True}],
                "results": hole,
                "properties": {"as_of": result.as_of.isoformat(), "summary": result.counts(),
                               "rulesets": ruleset_ids(result),
                               "lang": self.lang},
            }],
        }
        head, tail = json.dumps(document, ensure_ascii=False, indent=2).split(json.dumps(hole))
        self.out.write(head)
        if self._results.size:
            self.out.write("[")
            self._results.copy(self.out, 0, self._results.size)
            self.out.write("\n" + _RESULT_INDENT[:-2] + "]")
        else:
            self.out.write("[]")
        self.out.write(tail + "\n")
        self._results.close()
