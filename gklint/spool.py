"""Findings held on disk past a count, so that a large log's report is not all in memory at once.

A deadline finding with its two-language message takes about 1.2 KB in Python; the benchmark's
audit log at 10^8 events has about 4 million of them, some 5 GB, beside DuckDB's own memory
(docs/performance.md, "Memory"). A :class:`Spool` keeps up to :data:`SPILL_AFTER` findings in
memory; past that it writes them to a temporary file (a "run", sorted first when the spool is
sorted) and starts again. Iterating reads the runs back a chunk at a time: one after another, or,
for a sorted spool, merged (``heapq.merge``, which yields equal keys in the order of its inputs,
so the result is the stable sort of everything added, as ``list.sort`` would give). A spool that
never spilled is a list with extra steps; what a report hands on is then that plain list
(:meth:`Spool.settled`).
"""
from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from itertools import chain
from typing import Any

from gklint.model import _NO_EXTRA, Encoded, Finding

# Findings kept in memory before a run is written: about 120 MB of deadline findings. A report of
# the benchmark's audit log spills from about 2 million events up.
SPILL_AFTER = 100_000
# Findings per pickle in a run: a run is read back a chunk at a time, so iterating a spool of k
# runs holds k chunks.
CHUNK = 2_000

_NAMES = [f.name for f in fields(Finding)]
assert _NAMES[-1] == "extra"


def _pack(finding: Finding | Encoded) -> tuple[Any, ...]:
    """A finding as plain values for pickle: its fields in order, ``extra`` None when it is the
    shared empty mapping (a ``MappingProxyType``, which pickle refuses). An ``Encoded`` finding
    (a named tuple) is pickled as it is."""
    if type(finding) is Encoded:
        return finding
    values = [getattr(finding, name) for name in _NAMES]
    if values[-1] is _NO_EXTRA:
        values[-1] = None
    return tuple(values)


def _unpack(values: tuple[Any, ...]) -> Finding | Encoded:
    if type(values) is Encoded:
        return values
    *given, extra = values
    return Finding(*given) if extra is None else Finding(*given, extra=extra)


class _Run:
    """One temporary file of pickled chunks; read with ``os.pread``, so that several iterations
    of a spool may read it at once."""

    def __init__(self, findings: list[Finding]) -> None:
        import pickle  # (only a large report spills; a pre-commit check does not pay for them)
        import tempfile

        self.chunks: list[tuple[int, int]] = []  # (offset, length)
        try:
            self.file = tempfile.TemporaryFile(prefix="gklint-findings-")  # (gone when closed)
            offset = 0
            for start in range(0, len(findings), CHUNK):
                data = pickle.dumps([_pack(f) for f in findings[start:start + CHUNK]], pickle.HIGHEST_PROTOCOL)
                self.file.write(data)
                self.chunks.append((offset, len(data)))
                offset += len(data)
            self.file.flush()
        except OSError as exc:  # a full or unwritable temporary folder: exit 2 saying which
            from gklint.errors import ConfigError

            raise ConfigError(f"cannot hold the findings in the temporary folder: {exc.strerror or exc}",
                              file=tempfile.gettempdir(),
                              hint=f"A report of more than {SPILL_AFTER:,} findings is kept there while it is "
                                   "sorted (about 350 bytes a finding): free space in it, or set TMPDIR to a "
                                   "folder with room.") from None

    def __iter__(self) -> Iterator[Finding]:
        import pickle

        fd = self.file.fileno()
        for offset, length in self.chunks:
            yield from map(_unpack, pickle.loads(os.pread(fd, length, offset)))


class Spool:
    """Findings in the order added or, with ``key``, sorted by it (stably). Iterable as often as
    needed, and ``len``; more may be added after iterating."""

    def __init__(self, items: Iterable[Finding] = (), key: Callable[[Finding], Any] | None = None) -> None:
        self.key = key
        self._held: list[Finding] = []
        self._runs: list[_Run] = []
        self._spilled = 0
        self.extend(items)

    @property
    def spilled(self) -> bool:
        return bool(self._runs)

    def append(self, finding: Finding) -> None:
        self._held.append(finding)
        if len(self._held) >= SPILL_AFTER:
            self._spill()

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def _spill(self) -> None:
        if self.key is not None:
            self._held.sort(key=self.key)
        self._runs.append(_Run(self._held))
        self._spilled += len(self._held)
        self._held = []

    def __len__(self) -> int:
        return self._spilled + len(self._held)

    def __iter__(self) -> Iterator[Finding]:
        if self.key is None:
            return chain(*self._runs, list(self._held))
        self._held.sort(key=self.key)  # (stable: what was added first stays first among equals)
        return heapq.merge(*self._runs, list(self._held), key=self.key)

    def settled(self) -> Spool | list[Finding]:
        """What a report hands on: the spool itself once it has spilled, else its findings as a
        list, in order (at no cost: a small report is a plain list)."""
        if self._runs:
            return self
        if self.key is not None:
            self._held.sort(key=self.key)
        return self._held

    def close(self) -> None:
        for run in self._runs:
            run.file.close()
        self._runs, self._held, self._spilled = [], [], 0


def kept(findings: Iterable[Finding], keep: Callable[[Finding], bool]) -> Any:
    """The findings ``keep`` accepts, in order: a list from a list, from a spool a spool of the
    same order (:meth:`Spool.settled`), so that filtering a spilled report does not bring it into
    memory."""
    if isinstance(findings, Spool):
        return Spool(f for f in findings if keep(f)).settled()
    return [f for f in findings if keep(f)]
