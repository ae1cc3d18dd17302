"""Safe YAML that remembers where every key and item stood (1-based lines).

Only the safe constructors are used (no arbitrary tags), aliases are refused outright (an
alias bomb expands a few lines into gigabytes), and a repeated key is an error rather than
a silent overwrite.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gklint.errors import GklintError


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping from YAML with ``line`` (its own) and ``lines`` (each key's)."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list):  # type: ignore[type-arg]
    line: int = 0
    lines: list[int]


class _Loader(yaml.SafeLoader):
    error_class: type[GklintError] = GklintError
    file: str = ""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise self.error_class(
                "YAML aliases (*name) are not allowed here", file=self.file,
                line=event.start_mark.line + 1,
                hint="Write the value out in full; aliases can expand a small file into gigabytes.")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise self.error_class("a mapping key must be a plain value", file=self.file,
                                       line=key_node.start_mark.line + 1)
            if key in result:
                raise self.error_class(f"the key {key!r} appears twice in this mapping", file=self.file,
                                       line=key_node.start_mark.line + 1, hint="Remove one of them.")
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


# Dates stay text: the ruleset code parses them itself, with messages that name the line.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load_yaml(path: Path, error_class: type[GklintError] = GklintError) -> Any:
    """Parse ``path``; any problem is ``error_class`` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error_class("no such file", file=str(path), hint="Check the path or the bundled name.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error_class(f"cannot read the file: {exc}", file=str(path),
                          hint="Save YAML files as UTF-8.") from None
    return load_yaml_text(text, str(path), error_class)


def load_yaml_text(text: str, file: str, error_class: type[GklintError] = GklintError) -> Any:
    loader = _Loader(text)
    loader.error_class = error_class
    loader.file = file
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if ("<stream end>" in problem or "end of stream" in problem) and exc.context:
            # An unclosed bracket or quote is noticed at the end of the file, past the last line;
            # the line that opened it is the one to fix.
            mark = exc.context_mark or mark
            problem = f"{exc.context} that is never closed: {problem}"
        line = mark.line + 1 if mark else None
        hint = "Check indentation, colons and quotes on this line."
        if "constructor for the tag" in problem:
            problem = problem.replace("could not determine a constructor for the tag", "unsupported tag")
            hint = "Remove the '!' tag: only plain YAML values are allowed."
        raise error_class(f"YAML syntax error: {problem}", file=file, line=line, hint=hint) from None
    except yaml.YAMLError as exc:
        raise error_class(f"YAML error: {exc}", file=file) from None
    finally:
        loader.dispose()


def line_of(node: Any, path: tuple[Any, ...] | list[Any]) -> int | None:
    """The line of the item at ``path`` inside ``node`` (the nearest known line)."""
    line = getattr(node, "line", None)
    current = node
    for key in path:
        lines = getattr(current, "lines", None)
        try:
            if isinstance(current, LineDict) and lines is not None and key in lines or isinstance(current, LineList) and lines is not None and isinstance(key, int):
                line = lines[key]
            current = current[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(current, "line", None) or line
    return line
