"""XES event logs (IEEE 1849; ``.xes``, ``.xes.gz``), streamed (contract section 13).

A trace's attributes are case attributes and become the columns ``case:KEY`` (as pm4py names
them: ``case:concept:name`` is the case), an event's attributes its own columns (``concept:name``
the event, ``time:timestamp`` the date, ``org:group`` the unit). Each event is one row, numbered
by the line its ``<event>`` element starts on. Attributes nested inside an attribute, list
values and the log's own attributes are not columns.

The file is read twice, as JSON Lines is: once for the attribute keys (the header), once for the
rows; each pass holds one trace's attributes and the events of one chunk of input, never the file.
expat gives the line of each element (``ElementTree.iterparse`` does not).

The XML is untrusted (docs/security.md): a document type declaration (``<!DOCTYPE``, and with it
every entity declaration: the "billion laughs", external entities) is refused before anything is
expanded, exit 2 naming the file and line; so is XML that is not well formed. A value longer than
:data:`~gklint.events.readers.MAX_CELL` or an element with more than :data:`MAX_ATTRIBUTES`
attributes makes its event a malformed row (GK007); more than :data:`MAX_KEYS` distinct keys in
the file, or elements nested deeper than :data:`MAX_DEPTH`, is exit 2.
"""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gklint.errors import InputError
from gklint.events.readers import MAX_CELL, RawFile, RawRow, ReadOnce

MAX_ATTRIBUTES = 1000  # attributes of one trace or event (BPIC 2012: 4)
MAX_KEYS = 10_000  # distinct attribute keys in a file: the columns of the log
MAX_DEPTH = 100  # nesting of elements (an XES log nests 4 deep, nested attributes a few more)
_CHUNK = 1 << 16
# XES attribute elements whose value is one text (list and container hold other attributes).
_VALUED = frozenset(("string", "date", "int", "float", "boolean", "id"))
_HINT = "Export the log again from the process-mining tool (XES 1.0/IEEE 1849), or as CSV."


class _Refused(Exception):
    """Raised inside an expat handler; turned into InputError with the parser's line."""


def _open(path: Path | ReadOnce) -> Any:
    """The file's bytes, gunzipped when the file is gzip (by its magic bytes, whatever its name)."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    head = fh.read(2)
    fh.seek(0)
    return gzip.GzipFile(fileobj=fh, mode="rb") if head == b"\x1f\x8b" else fh


class _Pass:
    """One pass of expat over the file; ``rows`` collects what the handlers found in a chunk."""

    def __init__(self, path: Path | ReadOnce, header: dict[str, int] | None) -> None:
        from xml.parsers import expat

        self.path, self.header = path, header
        self.keys: dict[str, None] = {}
        self.rows: list[RawRow] = []
        self.depth = 0
        self.in_trace: dict[str, str] | None = None
        self.event: dict[str, str] | None = None
        self.event_line = 0
        self.problem: str | None = None
        self.attr_depth = 0  # >0 inside an attribute element (nested attributes are not columns)
        p = expat.ParserCreate()
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.ExternalEntityRefHandler = self._external
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        self.parser = p

    def _doctype(self, *_: Any) -> None:
        raise _Refused("the file has a document type declaration (<!DOCTYPE ...>); XES needs none, and "
                       "gklint does not read one (entity declarations can expand without bound)")

    def _entity(self, *_: Any) -> None:
        raise _Refused("the file declares an XML entity; gklint does not expand entities")

    def _external(self, *_: Any) -> int:
        raise _Refused("the file refers to an external entity; gklint does not read other files from an XES log")

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"elements are nested more than {MAX_DEPTH} deep")
        name = tag
        if self.attr_depth:
            self.attr_depth += 1
            return
        if name == "trace" and self.depth == 2:
            self.in_trace = {}
        elif name == "event" and self.depth in (2, 3):
            self.event = {}
            self.event_line = self.parser.CurrentLineNumber
            self.problem = None
        elif name in _VALUED or name in ("list", "container"):
            self.attr_depth = 1
            if name not in _VALUED or "key" not in attrs:
                return
            owner, prefix = (self.event, "") if self.event is not None else (self.in_trace, "case:")
            if owner is None:
                return  # an attribute of the log, or a global/classifier declaration
            key = prefix + attrs["key"]
            value = attrs.get("value", "")
            if len(owner) >= MAX_ATTRIBUTES:
                self.problem = f"the element has more than {MAX_ATTRIBUTES} attributes"
                return
            if len(value) > MAX_CELL:
                self.problem = f"a value is larger than {MAX_CELL // (1 << 20)} MiB"
                return
            owner[key] = value
            if key not in self.keys:
                if len(self.keys) >= MAX_KEYS:
                    raise _Refused(f"the file has more than {MAX_KEYS} distinct attribute keys")
                self.keys[key] = None

    def _end(self, tag: str) -> None:
        self.depth -= 1
        if self.attr_depth:
            self.attr_depth -= 1
            return
        name = tag
        if name == "event" and self.event is not None:
            event, self.event = self.event, None
            if self.header is None:
                return
            if self.problem:
                self.rows.append(RawRow(self.event_line, [], self.problem))
                return
            cells = [""] * len(self.header)
            for key, value in (self.in_trace or {}).items():
                cells[self.header[key]] = value
            for key, value in event.items():
                cells[self.header[key]] = value
            self.rows.append(RawRow(self.event_line, cells))
        elif name == "trace":
            self.in_trace = None

    def run(self) -> Iterator[list[RawRow]]:
        """Feed the file chunk by chunk, yielding the rows each chunk completed."""
        from xml.parsers import expat

        file = str(self.path)
        with _open(self.path) as fh:
            try:
                while True:
                    chunk = fh.read(_CHUNK)
                    self.parser.Parse(chunk, not chunk)
                    if self.rows:
                        rows, self.rows = self.rows, []
                        yield rows
                    if not chunk:
                        break
            except _Refused as exc:
                raise InputError(str(exc), file=file, line=self.parser.CurrentLineNumber, hint=_HINT) from None
            except expat.ExpatError as exc:
                raise InputError(f"the file is not well-formed XML: {expat.errors.messages[exc.code]}",
                                 file=file, line=exc.lineno, hint=_HINT) from None
            except (OSError, EOFError, zlib.error) as exc:  # a damaged or truncated gzip stream
                raise InputError(f"the file cannot be decompressed: {exc}", file=file, hint=_HINT) from None


def xes_rows(path: Path | ReadOnce) -> RawFile:
    """The events of an XES log as rows under a header of every attribute key, in the order
    first seen, the case's (``case:...``) first."""
    first = _Pass(path, None)
    for _ in first.run():
        pass
    keys = list(first.keys)
    if not keys:
        raise InputError("the XES file has no events with attributes", file=str(path),
                         hint="An XES log holds <trace> elements with <event> elements in them. " + _HINT)
    header = [k for k in keys if k.startswith("case:")] + [k for k in keys if not k.startswith("case:")]
    positions = {k: i for i, k in enumerate(header)}

    def rows() -> Iterator[RawRow]:
        for batch in _Pass(path, positions).run():
            yield from batch

    return RawFile(str(path), header, rows())
