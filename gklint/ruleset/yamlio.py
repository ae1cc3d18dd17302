"""Safe YAML that remembers where every key and item stood (1-based lines).

Every YAML file gklint reads (rulesets, included vocabularies, waivers, calendar overlays,
``gklint test`` fixtures) comes through here, with these limits (docs/security.md):

- only the safe constructors are used (no arbitrary tags, nothing is imported or called);
- aliases are refused outright (an alias bomb expands a few lines into gigabytes);
- nesting deeper than :data:`MAX_DEPTH` levels is refused (the composer recurses per level);
- the file must be a regular file of at most :data:`MAX_BYTES` (``/dev/zero`` never ends);
- control characters, a number too long for Python's ``int`` and a repeated key are errors.

Each is the caller's error class (exit 2) naming the file and, where known, the line.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from gklint.errors import GklintError

MAX_DEPTH = 100  # levels of nesting in any YAML document gklint reads (bundled rulesets use 6)
MAX_BYTES = 8 << 20  # size of any YAML or TOML file gklint reads (bundled rulesets are < 40 KB)


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
    depth: int = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise self.error_class(
                "YAML aliases (*name) are not allowed here", file=self.file,
                line=event.start_mark.line + 1,
                hint="Write the value out in full; aliases can expand a small file into gigabytes.")
        if self.depth >= MAX_DEPTH:
            raise self.error_class(
                f"YAML nested more than {MAX_DEPTH} levels deep", file=self.file,
                line=self.peek_event().start_mark.line + 1,
                hint="No gklint file needs this much nesting; check for a runaway bracket or indentation.")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

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


def read_text(path: Path, error_class: type[GklintError] = GklintError, what: str = "file") -> str:
    """The UTF-8 text of a small input file (YAML, TOML): a regular file of at most
    :data:`MAX_BYTES`; anything else is ``error_class`` naming the file."""
    import stat

    file = str(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
            raise error_class(f"the {what} is {kind}, not a regular file", file=file,
                              hint=f"Name a {what} saved on disk.")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise error_class("no such file", file=file, hint="Check the path or the bundled name.") from None
    except OSError as exc:
        raise error_class(f"cannot read the {what}: {exc.strerror or exc}", file=file) from None
    if len(data) > MAX_BYTES:
        raise error_class(f"the {what} is larger than {MAX_BYTES >> 20} MiB", file=file,
                          hint=f"gklint reads {what}s of up to {MAX_BYTES >> 20} MiB; split it, or check "
                          "that this is the file you meant.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error_class(f"the {what} is not UTF-8 text (byte {data[exc.start]:#04x})", file=file, line=line,
                          hint="Save YAML files as UTF-8.") from None


def load_yaml(path: Path, error_class: type[GklintError] = GklintError) -> Any:
    """Parse ``path``; any problem is ``error_class`` naming the file and line."""
    return load_yaml_text(read_text(path, error_class), str(path), error_class)


def load_yaml_text(text: str, file: str, error_class: type[GklintError] = GklintError) -> Any:
    """The data of one YAML document (LineDict, LineList, plain scalars)."""
    return _parse(text, file, error_class, lambda loader: loader.get_single_data())


def compose_yaml(path: Path, error_class: type[GklintError] = GklintError) -> Any:
    """The node tree of ``path`` (for readers that want every node's line, e.g. overlays), with
    the same limits as :func:`load_yaml`; None for an empty file."""
    return _parse(read_text(path, error_class), str(path), error_class, lambda loader: loader.get_single_node())


def _parse(text: str, file: str, error_class: type[GklintError], read: Any) -> Any:
    loader = None
    try:
        loader = _Loader(text)  # (the reader checks every character here: inside the try)
        loader.error_class = error_class
        loader.file = file
        return read(loader)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise error_class(f"YAML may not contain the control character U+{ord(char):04X}", file=file, line=line,
                          hint="Remove it (a NUL or escape byte usually means a binary or damaged file).") from None
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
    except ValueError as exc:  # int() of a number longer than Python allows (4300 digits)
        raise error_class(f"YAML value cannot be read: {exc}", file=file,
                          hint="Write numbers of a sensible size.") from None
    except RecursionError:  # (MAX_DEPTH stops this first; a safety net)
        raise error_class("YAML nested too deeply", file=file) from None
    finally:
        if loader is not None:
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


# -- plain data for the on-disk cache (gklint.cache) -------------------------------------------
# A document as JSON data that keeps every line: a mapping is {"m": [[key, value, line], ...],
# "l": line}, a list {"s": [value, ...], "ls": [line, ...], "l": line}; scalars are themselves.
# Keys stay scalars of their own type (a YAML key may be 1 or true; JSON object keys are text).

_SCALARS = (str, int, float, bool, type(None))


def to_plain(node: Any) -> Any:
    """``node`` (as :func:`load_yaml` returns it) as JSON data; TypeError for anything else."""
    if isinstance(node, dict):
        if not all(_scalar(k) for k in node):
            _refuse(node)
        lines = getattr(node, "lines", {})
        return {"m": [[k, to_plain(v), lines.get(k, 0)] for k, v in node.items()], "l": getattr(node, "line", 0)}
    if isinstance(node, list):
        lines = getattr(node, "lines", None) or [0] * len(node)
        return {"s": [to_plain(v) for v in node], "ls": list(lines), "l": getattr(node, "line", 0)}
    if node.__class__ in _SCALARS:
        return node
    return _refuse(node)


def _scalar(value: Any) -> bool:
    return value.__class__ in _SCALARS


def _refuse(value: Any) -> Any:
    raise TypeError(f"not plain YAML data: {type(value).__name__}")


def _line(value: Any) -> int:
    if value.__class__ is not int or value < 0:
        raise ValueError("a line is a whole number")
    return value


def from_plain(data: Any, depth: int = 0) -> Any:
    """The inverse of :func:`to_plain`; ValueError when ``data`` is not of that shape."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if data.__class__ in _SCALARS:
        return data
    if not isinstance(data, dict):
        raise ValueError("not a node")
    if data.keys() == {"m", "l"} and isinstance(data["m"], list):
        mapping = LineDict()
        mapping.line = _line(data["l"])
        mapping.lines = {}
        for item in data["m"]:
            if not (isinstance(item, list) and len(item) == 3 and _scalar(item[0])) or item[0] in mapping:
                raise ValueError("not a mapping item")
            mapping[item[0]] = from_plain(item[1], depth + 1)
            mapping.lines[item[0]] = _line(item[2])
        return mapping
    if (data.keys() == {"s", "ls", "l"} and isinstance(data["s"], list) and isinstance(data["ls"], list)
            and len(data["s"]) == len(data["ls"])):
        sequence = LineList(from_plain(v, depth + 1) for v in data["s"])
        sequence.line = _line(data["l"])
        sequence.lines = [_line(n) for n in data["ls"]]
        return sequence
    raise ValueError("not a node")
