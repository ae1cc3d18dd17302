"""``gklint test PATH...``: run ruleset fixtures (contract section 8) like a test runner.

A fixture is a folder holding ``expected.yaml`` and an event log (``events.csv``, or any
event files beside it)::

    as_of: 2018-12-31
    rulesets: [cnipa-2018]           # bundled ids, or paths relative to the fixture folder
    select: [CNIPA18-INTERP-3WD]     # optional: only these rules are run and compared
    show_pending: false              # optional
    calendar: CN                     # optional: CN or an overlay path relative to the folder
    findings:                        # exactly the findings expected (pending only with show_pending)
      - {rule: CNIPA18-INTERP-3WD, case: 国知发〔2018〕1号, status: late}

An expected entry matches a finding when every key it names is equal (rule, status, case,
period, unit, line, severity); each finding must be matched by one entry and each entry by
one finding.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from gklint.errors import EXIT_FINDINGS, EXIT_OK, GklintError, RulesetError

EXPECTED = "expected.yaml"
_KEYS = ("rule", "status", "case", "period", "unit", "line", "severity")
_ALLOWED = {"as_of", "rulesets", "select", "ignore", "show_pending", "calendar", "units", "findings", "note",
            "description"}


def find_fixtures(paths: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GklintError("no such file or directory", file=raw, hint="Name a folder of ruleset fixtures.")
        if path.is_file() and path.name == EXPECTED:
            found.append(path.parent)
        elif path.is_dir():
            found.extend(sorted(p.parent for p in path.rglob(EXPECTED)))
    return found


def _load_expected(folder: Path) -> dict[str, Any]:
    """expected.yaml, each key's value of the type it must have; RulesetError naming the file
    and line otherwise (a fixture that cannot say what it expects cannot pass or fail)."""
    from gklint.ruleset.yamlio import line_of, load_yaml

    file = str(folder / EXPECTED)
    doc = load_yaml(folder / EXPECTED, RulesetError)
    if not isinstance(doc, dict) or "as_of" not in doc or "rulesets" not in doc:
        raise RulesetError("expected.yaml needs as_of, rulesets and findings", file=file, line=1,
                           hint="See rulesets/README.md, section 'Fixtures'.")
    unknown = sorted(set(doc) - _ALLOWED, key=str)
    if unknown:
        raise RulesetError(f"unknown key {unknown[0]!r} in expected.yaml", file=file,
                           line=line_of(doc, [unknown[0]]), hint=f"Allowed: {', '.join(sorted(_ALLOWED))}.")

    def wrong(path: list[Any], what: str, example: str) -> RulesetError:
        value = doc
        for key in path:
            value = value[key]
        where = ".".join(str(k) for k in path)
        return RulesetError(f"{where} must be {what}, not {_type_name(value)}", file=file,
                            line=line_of(doc, path), hint=f"For example: {example}")

    if not isinstance(doc["as_of"], (str, int)) or isinstance(doc["as_of"], bool):
        raise wrong(["as_of"], "a date", "as_of: 2018-12-31")
    if not isinstance(doc["rulesets"], list) or not all(isinstance(r, str) for r in doc["rulesets"]):
        raise wrong(["rulesets"], "a list of bundled ruleset ids or paths", "rulesets: [cnipa-2018]")
    for key in ("select", "ignore"):
        if doc.get(key) is not None and (not isinstance(doc[key], list)
                                          or not all(isinstance(r, str) for r in doc[key])):
            raise wrong([key], "a list of rule ids or globs", f"{key}: [CNIPA18-*]")
    if doc.get("show_pending") is not None and not isinstance(doc["show_pending"], bool):
        raise wrong(["show_pending"], "true or false", "show_pending: true")
    if doc.get("calendar") is not None and not isinstance(doc["calendar"], str):
        raise wrong(["calendar"], "CN or the path of an overlay", "calendar: CN")
    findings = doc.get("findings")
    if findings is not None and not isinstance(findings, list):
        raise wrong(["findings"], "a list of expected findings", "findings: [{rule: GK001, line: 3}]")
    for n, entry in enumerate(findings or []):
        if not isinstance(entry, dict):
            raise wrong(["findings", n], "a mapping of rule, status, case, period, unit, line, severity",
                        "- {rule: GK001, line: 3}")
        for key, value in entry.items():
            if key not in _KEYS:
                raise RulesetError(f"unknown key {key!r} in an expected finding", file=file,
                                   line=line_of(doc, ["findings", n, key]),
                                   hint=f"Allowed: {', '.join(_KEYS)}.")
            if isinstance(value, (dict, list)):
                raise wrong(["findings", n, key], "a plain value", f"{key}: ...")
    return doc


def _type_name(value: Any) -> str:
    """A value's YAML type, never the value (expected.yaml may have been copied from anywhere)."""
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "text"}.get(
        type(value), "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "a value")


def _matches(entry: dict[str, Any], finding: Any) -> bool:
    for key in _KEYS:
        if key in entry and str(entry[key]) != str(getattr(finding, key)):
            return False
    return True


def run_fixture(folder: Path, doc: dict[str, Any] | None = None) -> tuple[list[str], list[str]]:
    """(unexpected findings, missing expectations) as readable lines."""
    from gklint.dates import parse_as_of
    from gklint.engine import CheckOptions, run_check
    from gklint.events import SUFFIXES
    from gklint.ruleset import load_rulesets

    if doc is None:
        doc = _load_expected(folder)
    names = [str(folder / r) if str(r).endswith((".yaml", ".yml")) else str(r) for r in doc["rulesets"]]
    rulesets = load_rulesets(names)
    calendar = str(doc.get("calendar") or "CN")
    if calendar.endswith((".yaml", ".yml")):
        calendar = str(folder / calendar)
    try:
        as_of = parse_as_of(str(doc["as_of"]))
    except ValueError as exc:
        raise RulesetError(f"as_of: {exc}", file=str(folder / EXPECTED)) from None
    options = CheckOptions(as_of=as_of, select=doc.get("select") or (),
                           ignore=doc.get("ignore") or (), show_pending=bool(doc.get("show_pending")),
                           calendar=calendar, units=[str(u) for u in doc.get("units") or ()])
    logs = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in SUFFIXES]
    result = run_check(logs, rulesets, options)
    expected = [dict(e) for e in (doc.get("findings") or [])]
    unmatched = list(result.findings)
    missing: list[str] = []
    for entry in expected:
        hit = next((f for f in unmatched if _matches(entry, f)), None)
        if hit is None:
            missing.append(", ".join(f"{k}={entry[k]}" for k in entry))
        else:
            unmatched.remove(hit)
    unexpected = [f"{f.rule} {f.status} case={f.case} period={f.period} unit={f.unit} "
                  f"({f.file}:{f.line}) {f.text('en')}" for f in unmatched]
    return unexpected, missing


def run_tests(paths: Sequence[str], out: TextIO, lang: str = "en") -> int:
    from gklint.display import for_terminal  # names and cells may hold terminal escapes

    fixtures = find_fixtures(paths)
    if not fixtures:
        raise GklintError(f"no fixtures (folders with {EXPECTED}) under {', '.join(paths)}",
                          hint="A fixture folder holds events.csv and expected.yaml; see rulesets/README.md, section 'Fixtures'.")
    # Every expected.yaml is read first, as pytest collects before it runs: one that cannot say
    # what it expects stops the run (exit 2, naming its file and line).
    docs = [_load_expected(folder) for folder in fixtures]
    passed = failed = 0
    zh = lang == "zh"
    for folder, doc in zip(fixtures, docs):
        try:
            unexpected, missing = run_fixture(folder, doc)
        except GklintError as exc:
            from gklint.i18n import error_text

            unexpected, missing = [("错误：" if zh else "error: ") + error_text(exc, lang)], []
        if unexpected or missing:
            failed += 1
            out.write(f"{'未通过' if zh else 'FAIL'} {for_terminal(str(folder))}\n")
            out.writelines(f"  {'预期有而没有发现' if zh else 'expected, not found'}: {for_terminal(line)}\n"
                           for line in missing)
            out.writelines(f"  {'发现了预期之外的问题' if zh else 'found, not expected'}: {for_terminal(line)}\n"
                           for line in unexpected)
        else:
            passed += 1
            out.write(f"{'通过' if zh else 'PASS'} {for_terminal(str(folder))}\n")
    out.write(f"{passed} 个通过，{failed} 个未通过\n" if zh else f"{passed} passed, {failed} failed\n")
    return EXIT_FINDINGS if failed else EXIT_OK
