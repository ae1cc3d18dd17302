"""Text from files and file names, made safe to show (docs/contract.md, "Output").

Two things can come out of a log that an output must not pass on as they are:

- **File names that are not UTF-8.** POSIX file names are bytes; Python keeps a byte that is
  not UTF-8 as a lone surrogate (``os.fsdecode``, PEP 383), which no UTF-8 output can carry.
  Each such byte is shown as ``\\xNN`` (``log\\xff.csv``), as Python's ``backslashreplace``
  and ``ls -b`` show it: readable, and the name can be told apart from its neighbours.
- **Control characters on a terminal.** A cell or file name may hold ESC sequences (clear the
  screen, plant an OSC 8 hyperlink, retitle the window) or bidirectional overrides that make a
  line read differently from its bytes. Human-facing text shows them as ``\\x1b`` /
  ``\\u202e``; a line break is ``\\n`` so one finding stays one line.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

# A lone surrogate: a non-UTF-8 byte of a file name (U+DC80-U+DCFF), or any other half pair.
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, DEL, C1 controls, bidirectional embeddings/overrides/isolates, and the
# line and paragraph separators; plus lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}

ERRORS = "gklint.shown"  # the codec error handler below, for output streams


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte the file name holds
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _sub(match: re.Match[str]) -> str:
    return _escape(match.group())


@lru_cache(maxsize=1024)
def shown(name: str) -> str:
    """A file name as every output shows it: valid Unicode, a non-UTF-8 byte as ``\\xNN``."""
    if name.isascii():
        return name
    return _SURROGATE.sub(_sub, name)


def for_terminal(text: str, *, keep_newlines: bool = False) -> str:
    """Text for a human-facing output: control characters, bidirectional overrides and
    non-UTF-8 bytes escaped (``\\x1b``, ``\\u202e``, ``\\xff``); line breaks as ``\\n`` unless
    ``keep_newlines`` (an error message's own hint line)."""
    pattern = _UNSAFE_KEEP_NEWLINE if keep_newlines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_sub, text)


def _handler(exc: UnicodeError) -> tuple[str, int]:
    """Encoding errors on an output stream: a lone surrogate that slipped past the reporters is
    written as ``\\xNN`` rather than stopping the run (or writing a byte that is not UTF-8)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_escape(c) for c in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(ERRORS, _handler)
