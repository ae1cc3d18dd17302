"""Rulesets: YAML in (bundled id or path), validated ``Ruleset`` values out.

Three layers of checks, each naming the file and line and saying how to fix it (exit 2):
safe YAML (:mod:`gklint.ruleset.yamlio`), the shipped JSON Schema, then semantics -- event
references that are declared (with a did-you-mean), durations, dates, unique rule ids.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gklint.errors import RulesetError, closest
from gklint.ruleset.yamlio import line_of, load_yaml

VOCABULARY_FILE = "vocabulary.yaml"


def text(value: Any) -> dict[str, str]:
    """A text field (plain string or {zh, en}) as {zh, en}, each falling back to the other."""
    if value is None:
        return {}
    if isinstance(value, dict):
        zh, en = value.get("zh"), value.get("en")
        return {"zh": str(zh or en or ""), "en": str(en or zh or "")}
    return {"zh": str(value), "en": str(value)}


_LAZY = "lazy"  # Rule.spec of a cached table rule: compiled on first use (see Rule.compiled)


@dataclass
class Rule:
    id: str
    kind: str
    spec: Any  # the kind's compiled value
    raw: dict[str, Any]
    title: dict[str, str]
    severity: str
    clause: str | None
    quote: str | None
    note: dict[str, str]
    effective_from: dt.date | None
    effective_until: dt.date | None
    file: str
    line: int
    ruleset: Ruleset | None = None

    def compiled(self) -> Any:
        """The kind's compiled value (compiled now if it was left for later by the cache)."""
        if self.spec == _LAZY:
            from gklint.kinds import KINDS
            from gklint.kinds.base import CompileContext

            events = self.ruleset.events if self.ruleset else {}
            ctx = CompileContext(events=events,
                                 suggest=lambda n: closest(n, events),
                                 open=bool(self.ruleset and self.ruleset.open_vocabulary))
            self.spec = KINDS[self.kind].compile(self.raw[self.kind], ctx)
        return self.spec


@dataclass
class Ruleset:
    id: str
    path: str
    title: dict[str, str]
    document: str | None
    issued: str | None
    effective_from: dt.date | None
    effective_until: dt.date | None
    calendar: str
    events: dict[str, dict[str, Any]]
    rules: list[Rule] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    open_vocabulary: bool = False  # `vocabulary: open` (contract section 13)
    undeclared: dict[str, None] = field(default_factory=dict)  # event kinds its rules name, not declared

    @property
    def kinds(self) -> dict[str, Any]:
        """The event kinds the ruleset knows: declared ones, then those its rules name."""
        return {**self.events, **{name: None for name in self.undeclared if name not in self.events}}


def bundled_dir() -> Path:
    """The folder of the bundled rulesets (the package ``gklint.bundled``, ``rulesets/`` in a checkout)."""
    import gklint.bundled

    return Path(gklint.bundled.__file__).parent


def bundled_ids() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.yaml") if p.name != VOCABULARY_FILE)


_EVERY_OFFICE = re.compile(r"^scope:[ \t]*every-office[ \t]*(?:#.*)?$", re.MULTILINE)


def default_ids() -> list[str]:
    """The bundled rulesets in force with no ``-r`` and no config (contract section 14): those
    that bind every office (``scope: every-office``: the regulation and the national report
    formats). A work plan binds only its issuer's units and is in force when named.

    Read from the files' text, not by loading every ruleset (a pre-commit run pays for this);
    ``tests/test_default_rulesets.py`` holds the two to each other."""
    return [p.stem for p in sorted(bundled_dir().glob("*.yaml"))
            if p.name != VOCABULARY_FILE and _EVERY_OFFICE.search(p.read_text(encoding="utf-8"))]


def resolve(name: str) -> Path:
    """A bundled ruleset id or a path to a YAML file."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise RulesetError("no such ruleset file", file=name,
                               hint=f"Check the path, or name a bundled ruleset: {', '.join(bundled_ids())}.")
        return path
    candidate = bundled_dir() / f"{name}.yaml"
    if candidate.is_file() and name != "vocabulary":
        return candidate
    close = closest(name, bundled_ids())
    raise RulesetError(f"unknown ruleset {name!r}", file=name,
                       hint=(f"Did you mean {close!r}? " if close else "")
                       + f"Bundled rulesets: {', '.join(bundled_ids())}; or give a path to a .yaml file.")


def _date(value: Any, file: str, line: int | None, what: str) -> dt.date | None:
    if value is None:
        return None
    from gklint.dates import CALENDAR_YEARS

    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise RulesetError(f"{what} {value!r} is not a date", file=file, line=line,
                           hint="Write dates as YYYY-MM-DD, e.g. 2018-05-17.") from None
    if not CALENDAR_YEARS[0] <= day.year <= CALENDAR_YEARS[1]:
        raise RulesetError(f"{what} {value!r} is outside the years {CALENDAR_YEARS[0]}–{CALENDAR_YEARS[1]} "
                           "that gklint's calendar covers", file=file, line=line,
                           hint="Write a date in that span, or leave the key out for no limit.")
    return day


def _shape(doc: Any) -> str:
    """What a YAML document is, without any of its text: its type, or a mapping's key count."""
    if isinstance(doc, dict):
        return f"a mapping of {len(doc)} key{'s' if len(doc) != 1 else ''}"
    if isinstance(doc, list):
        return f"a list of {len(doc)} item{'s' if len(doc) != 1 else ''}"
    return "an empty file" if doc is None else f"a single {type(doc).__name__} value"


def _window(start: dt.date | None, end: dt.date | None, file: str, line: int | None,
            what: str) -> tuple[dt.date | None, dt.date | None]:
    """``(start, end)``; RulesetError when ``start`` is after ``end``: such a window holds no
    day, so its rules would check nothing and every run would pass."""
    if start and end and start > end:
        raise RulesetError(f"{what} is empty: from {start.isoformat()} is after until {end.isoformat()}",
                           file=file, line=line, hint="Swap the dates, or correct the one that is mistyped.")
    return start, end


def _schema_error(doc: Any, error: Any, file: str) -> RulesetError:
    """One clear message from a jsonschema error, at the line of the offending item."""
    path = list(error.absolute_path)
    line = line_of(doc, path)
    where = "/".join(str(p) for p in path) or "the top level"
    rule_id = None
    if len(path) >= 2 and path[0] == "rules" and isinstance(doc.get("rules"), list):
        item = doc["rules"][path[1]]
        rule_id = item.get("id") if isinstance(item, dict) else None
    owner = f" in rule {rule_id}" if rule_id else ""
    validator = error.validator
    if validator == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        known = sorted(error.schema.get("properties", {}))
        key = extra[0] if extra else "?"
        close = closest(str(key), known)
        sub_line = line_of(doc, [*path, key]) or line
        return RulesetError(f"unknown key {key!r}{owner} (at {where})", file=file, line=sub_line,
                            hint=(f"Did you mean {close!r}? " if close else "") + f"Allowed: {', '.join(known)}.")
    if validator == "required":
        return RulesetError(f"{error.message}{owner} (at {where})", file=file, line=line,
                            hint="Add the missing key; see rulesets/README.md, section 'How a ruleset is structured'.")
    if validator == "oneOf" and len(path) == 2 and path[0] == "rules":
        from gklint.kinds import KINDS

        present = [k for k in KINDS if isinstance(error.instance, dict) and k in error.instance]
        if len(present) != 1:
            return RulesetError(
                f"rule {rule_id or path[1]} needs exactly one kind key, found "
                f"{', '.join(present) or 'none'}", file=file, line=line,
                hint=f"Use one of: {', '.join(KINDS)}.")
        # One kind key present: the problem is inside it; report the best sub-error.
        best = min(error.context, key=lambda e: -len(list(e.absolute_path)), default=None)
        if best is not None:
            return _schema_error(doc, best, file)
    if validator == "enum":
        return RulesetError(f"{error.instance!r} is not allowed{owner} (at {where})", file=file, line=line,
                            hint=f"Use one of: {', '.join(map(str, error.validator_value))}.")
    return RulesetError(f"{error.message}{owner} (at {where})", file=file, line=line,
                        hint="See the ruleset schema (gklint/schemas/ruleset.schema.json).")


def _validate(doc: Any, schema: dict[str, Any], file: str) -> None:
    import jsonschema

    validator_cls = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_cls(schema).iter_errors(doc), key=lambda e: (list(e.absolute_path) != [],
                                                                              -len(list(e.absolute_path))))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise _schema_error(doc, best, file)


def _include(doc: dict[str, Any], path: Path, included_files: list[Path]) -> dict[str, Any]:
    from gklint.ruleset.schema import build_vocabulary_schema

    events: dict[str, Any] = {}
    for i, name in enumerate(doc.get("include") or []):
        target = (path.parent / name)
        if not target.is_file() and (bundled_dir() / name).is_file():
            target = bundled_dir() / name
        if not target.is_file():
            raise RulesetError(f"included file {name!r} not found", file=str(path),
                               line=line_of(doc, ["include", i]),
                               hint="Paths in include: are relative to the ruleset file.")
        included = load_yaml(target, RulesetError)
        if not isinstance(included, dict) or "events" not in included:  # (as for rulesets: nothing quoted)
            raise RulesetError("not a gklint vocabulary: an included file is a YAML mapping with 'events:' "
                               f"({_shape(included)} found; its contents are not shown)", file=str(target),
                               line=1, hint=f"Check include: in {path}.")
        _validate(included, build_vocabulary_schema(), str(target))
        events.update(included["events"])
        included_files.append(target)
    return events


def load_ruleset(name: str) -> Ruleset:
    """Load, validate and compile one ruleset (bundled id or path).

    A ruleset that loaded before is rebuilt from the on-disk cache (:mod:`gklint.cache`) when its
    bytes, the bytes of every file it includes, and gklint's code are all unchanged. The entry
    holds the validated document and its events as plain data (lines kept), not Python objects:
    the rules are compiled from it again (table rules on first use).
    """
    from gklint import cache

    path = resolve(name)
    try:
        key = cache.key_of("ruleset", str(path), str(path.resolve()), cache.file_digest(path))
    except OSError:
        key = None
    if key is not None:
        cached = cache.load("ruleset", key, lambda data: _from_entry(data, path))
        if cached is not None:
            return cached
    included_files: list[Path] = []
    doc, events = _read_ruleset(path, included_files)
    ruleset = _build_ruleset(doc, events, str(path))
    if key is not None:
        from gklint.ruleset.yamlio import to_plain

        try:
            entry = {"doc": to_plain(doc), "events": [[k, to_plain(v)] for k, v in events.items()],
                     "included": [[str(f), cache.file_digest(f)] for f in included_files]}
        except (OSError, TypeError, RecursionError):  # a value JSON cannot hold: not cached
            return ruleset
        cache.store("ruleset", key, entry)
    return ruleset


def _from_entry(data: Any, path: Path) -> Ruleset:
    """A ruleset from its cache entry; any exception means the entry is not one (a miss)."""
    from gklint import cache
    from gklint.ruleset.yamlio import from_plain

    if not (isinstance(data, dict) and data.keys() == {"doc", "events", "included"}):
        raise ValueError("not a ruleset entry")
    for file, digest in data["included"]:
        if not (isinstance(file, str) and isinstance(digest, str)) or cache.file_digest(Path(file)) != digest:
            raise ValueError("an included file changed")
    doc = from_plain(data["doc"])
    events: dict[str, Any] = {}
    for event, decl in data["events"]:
        if not isinstance(event, str):
            raise ValueError("not an event name")
        events[event] = from_plain(decl)
    if not isinstance(doc, dict):
        raise ValueError("not a ruleset document")
    return _build_ruleset(doc, events, str(path), lazy_tables=True)


def _read_ruleset(path: Path, included_files: list[Path]) -> tuple[Any, dict[str, Any]]:
    """The validated document of ``path`` and its events (included ones, then its own)."""
    from gklint.ruleset.schema import build_schema

    file = str(path)
    doc = load_yaml(path, RulesetError)
    if not isinstance(doc, dict) or not ({"ruleset", "rules"} & set(doc)):
        # A configuration may name any file as a ruleset; schema messages quote keys and values,
        # so a file that is not even shaped like a ruleset is refused without quoting any of it
        # (a CI log must not show the contents of some other YAML file on the machine).
        raise RulesetError("not a gklint ruleset: a ruleset is a YAML mapping with 'ruleset:' and 'rules:' "
                           f"at the top level ({_shape(doc)} found; its contents are not shown)", file=file, line=1,
                           hint="Check the path given as a ruleset (-r, or rulesets in gklint.toml).")
    _validate(doc, build_schema(), file)
    events = {**_include(doc, path, included_files), **(doc.get("events") or {})}
    return doc, events


def _build_ruleset(doc: Any, events: dict[str, Any], file: str, lazy_tables: bool = False) -> Ruleset:
    """Compile a validated document. ``lazy_tables``: leave table rules to be compiled on first
    use (a cache hit then imports the table kind only for a run that checks a table)."""
    from gklint.events import Vocabulary
    from gklint.kinds import KINDS, TABLE_KINDS
    from gklint.kinds.base import CompileContext, CompileError

    vocab = Vocabulary()
    for ev_name, decl in events.items():
        clash = vocab.add(ev_name, text((decl or {}).get("label")) or {"zh": ev_name, "en": ev_name},
                          (decl or {}).get("aliases") or [])
        if clash:
            raise RulesetError(f"event alias clash: {clash}", file=file,
                               line=line_of(doc, ["events", ev_name]), hint="Give each alias to one event only.")
    eff = doc.get("effective") or {}
    effective_from, effective_until = _window(
        _date(eff.get("from"), file, line_of(doc, ["effective", "from"]), "effective.from"),
        _date(eff.get("until"), file, line_of(doc, ["effective", "until"]), "effective.until"),
        file, line_of(doc, ["effective"]), "the ruleset's effective window")
    ruleset = Ruleset(
        id=doc["ruleset"], path=file, title=text(doc.get("title")), document=doc.get("document"),
        issued=str(doc["issued"]) if doc.get("issued") is not None else None,
        effective_from=effective_from, effective_until=effective_until,
        calendar=str(doc.get("calendar") or "CN"), events=events, raw=doc,
        open_vocabulary=doc.get("vocabulary") == "open",
    )
    if doc.get("issued") is not None:
        _date(doc["issued"], file, line_of(doc, ["issued"]), "issued")
    ctx = CompileContext(events=events, suggest=lambda n: closest(n, events),
                         open=ruleset.open_vocabulary, undeclared=ruleset.undeclared)
    seen: dict[str, int] = {}
    for i, raw in enumerate(doc["rules"]):
        line = line_of(doc, ["rules", i]) or 1
        rule_id = raw["id"]
        if rule_id in seen:
            raise RulesetError(f"duplicate rule id {rule_id!r} (first at line {seen[rule_id]})", file=file,
                               line=line, hint="Give every rule its own id.")
        seen[rule_id] = line
        kind = next(k for k in KINDS if k in raw)
        try:
            compiled = _LAZY if lazy_tables and kind in TABLE_KINDS else KINDS[kind].compile(raw[kind], ctx)
        except CompileError as exc:
            raise RulesetError(f"rule {rule_id}: {exc}", file=file,
                               line=line_of(doc, ["rules", i, kind, *exc.path]) or line, hint=exc.hint) from None
        reff = raw.get("effective") or {}
        rule_line = line_of(doc, ["rules", i, "effective"])
        rule_from, rule_until = _window(
            _date(reff.get("from"), file, rule_line, "effective.from"),
            _date(reff.get("until"), file, rule_line, "effective.until"),
            file, rule_line, f"rule {rule_id}'s effective window")
        # The rule checks the dates both windows hold (engine.rule_window): none is a rule that
        # can never find anything, which would pass silently.
        _window(max((d for d in (effective_from, rule_from) if d), default=None),
                min((d for d in (effective_until, rule_until) if d), default=None),
                file, rule_line or line, f"rule {rule_id}'s effective window, within the ruleset's,")
        rule = Rule(
            id=rule_id, kind=kind, spec=compiled, raw=raw, title=text(raw.get("title")) or {"zh": rule_id, "en": rule_id},
            severity=raw.get("severity", "error"), clause=raw.get("clause"), quote=raw.get("quote"),
            note=text(raw.get("note")),
            effective_from=rule_from, effective_until=rule_until,
            file=file, line=line, ruleset=ruleset,
        )
        ruleset.rules.append(rule)
    return ruleset


def load_rulesets(names: list[str]) -> list[Ruleset]:
    """Several rulesets at once; a rule id may not appear in two of them."""
    rulesets = [load_ruleset(n) for n in names]
    owner: dict[str, Rule] = {}
    for rs in rulesets:
        for rule in rs.rules:
            if rule.id in owner and owner[rule.id].file != rule.file:
                raise RulesetError(f"rule id {rule.id!r} is also defined in {owner[rule.id].file}",
                                   file=rule.file, line=rule.line, hint="Rule ids must be unique across rulesets in force.")
            owner[rule.id] = rule
    return rulesets
