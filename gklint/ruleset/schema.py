"""The ruleset JSON Schema, built from the kind registry (one source of truth).

The same schema ships as ``gklint/schemas/ruleset.schema.json`` for editors
(``# yaml-language-server: $schema=...``); a test keeps the file equal to :func:`build_schema`.
Regenerate it with ``python -m gklint.ruleset.schema > gklint/schemas/ruleset.schema.json``.
"""
from __future__ import annotations

import json
from typing import Any

TEXT: dict[str, Any] = {
    "oneOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": False, "minProperties": 1,
         "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}},
    ]
}
DATE: dict[str, Any] = {"type": "string", "description": "a date such as 2018-05-17"}
WINDOW: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"from": DATE, "until": DATE},
}
STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string", "minLength": 1}}
# An attribute the rules read (contract section 14): a description, or the headers offices write
# for it (aliases, read like the standard columns' Chinese names) and the values it may take: a
# list, or a map from each value to the other ways offices write it (是: [简单]).
ATTRIBUTE_DECL: dict[str, Any] = {
    "oneOf": [
        *TEXT["oneOf"],
        {"type": "object", "additionalProperties": False, "required": ["description"],
         "properties": {
             "description": TEXT,
             "aliases": STRINGS,
             "values": {"oneOf": [
                 {"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}},
                 {"type": "object", "minProperties": 1, "additionalProperties": STRINGS},
             ]},
         }},
    ]
}
EVENT_DECL: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "label": TEXT,
        "aliases": {"type": "array", "items": {"type": "string"}},
        # Ledger (台账) date columns that record this event (contract section 10).
        "columns": STRINGS,
        "attributes": {"type": "object", "additionalProperties": ATTRIBUTE_DECL},
        "note": TEXT,
    },
}
RULE_COMMON = ("id", "title", "clause", "quote", "severity", "note", "effective", "message")


def build_schema() -> dict[str, Any]:
    from gklint.kinds import KINDS

    rule_props: dict[str, Any] = {
        "id": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_.-]*$"},
        "title": TEXT,
        "clause": {"type": "string"},
        "quote": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "note": TEXT,
        "effective": WINDOW,
    }
    for name, module in KINDS.items():
        rule_props[name] = module.SCHEMA
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://gklint.invalid/schemas/ruleset.schema.json",
        "title": "gklint ruleset",
        "type": "object",
        "required": ["ruleset", "rules"],
        "additionalProperties": False,
        "properties": {
            "ruleset": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_.-]*$"},
            "title": TEXT,
            "document": {"type": "string"},
            "issued": DATE,
            "effective": WINDOW,
            "calendar": {"type": "string"},
            # Contract section 13: an open ruleset's rules may name event kinds it does not declare
            # (a process-mining log's activities), and rows of kinds no open ruleset knows are kept.
            "vocabulary": {"enum": ["open", "closed"],
                           "description": "open: rules may name undeclared event kinds, and rows of unknown kinds "
                                          "are not GK002 when every ruleset in force is open; closed (the default)"},
            "source": {"type": "string"},
            # Contract section 14: every-office rulesets (the regulation, the national report
            # formats) are in force with no -r and no config; an issuer's plan when named.
            "scope": {"enum": ["every-office", "issuer"],
                      "description": "every-office: in force with no -r and no config (it binds every office); "
                                     "issuer (the default): binds its issuer's units, in force when named"},
            "note": TEXT,
            "include": {"type": "array", "items": {"type": "string"}},
            "events": {"type": "object", "additionalProperties": EVENT_DECL},
            "rules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id"],
                    "additionalProperties": False,
                    "properties": rule_props,
                    "oneOf": [{"required": [name]} for name in KINDS],
                },
            },
        },
    }


def build_vocabulary_schema() -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object", "required": ["events"], "additionalProperties": False,
        "properties": {"events": {"type": "object", "additionalProperties": EVENT_DECL}, "note": TEXT},
    }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(build_schema(), ensure_ascii=False, indent=2))
