"""A large log checked by two processes: the rules split by the event kinds they read.

Reading a log costs more than anything else gklint does, and most of it is per row of an event
kind (converting, indexing, the rules that read that kind). So the rules are split in two by
the kinds they read -- every kind read by one rule goes to the same side, and the kinds counted
by report-table rules stay in this process, which alone reads report tables -- and a forked
helper process reads the log too but converts, indexes and checks only the rows of its side's
kinds. Every row belongs to exactly one side (rows naming no declared kind to this one), so
each data finding is made once, and identical rows (one kind) are compared on one side.

Period rules (``count``, ``ratio``, ``due``) ask about the whole log: its first date and the
values of the columns they count ``for_each``. Each side sends the other a summary of those once
it has read its rows, and checks its deadline and precedence rules before it needs the other's.
The helper also sends its data findings and each uncovered year's first row (GK010), then its
findings when its rules are done. The engine puts every finding in the order a single process
would have made them, so the report is the same (``tests/test_parallel.py``).

Used only where it pays and is safe: POSIX ``fork`` (not Windows; not macOS, whose system
libraries do not allow fork without exec), two or more CPUs, CSV/TSV logs (an .xlsx or .jsonl
reader spends its time parsing, which both processes would do), at least ``MIN_BYTES`` of them,
and a split that gives the helper something to do. ``GKLINT_JOBS=1`` or ``--jobs 1`` turns it
off. If the helper fails, the check is run again in one process. docs/performance.md has the
figures.
"""
from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN_BYTES = 4 << 20  # below this a log is read in well under a second: not worth a process
SAMPLE_BYTES = 1 << 20  # the part of the log read to weigh the event kinds
EARLY_KINDS = frozenset({"deadline", "precedence"})  # rule kinds that look at their own kinds only
MAIN_KINDS = frozenset({"table"})  # rule kinds checked in the main process only
ROW_WEIGHT = 5  # a row converted against a rule's read of it; see plan()
UNIT_SECONDS = 0.5e-6  # what one unit of work in plan() stands for
MEASURED_ROWS = 10_000  # a rule's time is remembered when the rows it read were at least this many


def remembered_costs() -> dict[str, dict[int, float]]:
    """Seconds per row read, by rule id and size of log (:func:`scale`), as measured by earlier
    checks of large logs (the cache; empty when it is off). They only guide the split: a check's
    findings never depend on them."""
    from gklint import cache

    costs = cache.load("rule-costs", cache.key_of("rule-costs"))
    if not isinstance(costs, dict):
        return {}
    # Whatever the entry holds, only well-formed costs are used (a cache never makes a run fail).
    return {rule: {at: cost for at, cost in by_scale.items()
                   if at.__class__ is int and cost.__class__ in (int, float) and 0 <= cost < math.inf}
            for rule, by_scale in costs.items() if isinstance(rule, str) and isinstance(by_scale, dict)}


def remember_costs(measured: dict[str, tuple[float, int]], size: int) -> None:
    """Keep (seconds, rows read) per rule of this check of a log of ``size`` bytes for the next
    one's plan. A rule's time per row grows with the log (its dicts of cases outgrow the CPU's
    caches: docs/performance.md), so costs are kept per :func:`scale` of log."""
    from gklint import cache

    fresh = {rule: seconds / rows for rule, (seconds, rows) in measured.items() if rows >= MEASURED_ROWS}
    if fresh:
        costs = remembered_costs()
        at = scale(size)
        for rule, cost in fresh.items():  # an average over checks: one disturbed run moves it half-way
            by_scale = costs.setdefault(rule, {})
            by_scale[at] = (by_scale[at] + cost) / 2 if at in by_scale else cost
        cache.store("rule-costs", cache.key_of("rule-costs"), costs)


def scale(size: int) -> int:
    """A log's size class for remembered costs: its bytes' order of magnitude, rounded."""
    return round(math.log10(max(size, 1)))


def cost_at(by_scale: dict[int, float], size: int) -> float | None:
    """The remembered cost measured on logs of the size class nearest to ``size`` (the larger
    of two as near), or None."""
    if not by_scale:
        return None
    at = scale(size)
    return by_scale[min(by_scale, key=lambda k: (abs(k - at), -k))]


_FRAME_SIZE = 8  # a frame: its length (8 bytes, little-endian), then a pickled (kind, value)


def event_refs(value: Any) -> set[Any]:
    """Every ``EventRef`` inside a compiled rule value."""
    from gklint.kinds.base import EventRef

    found: set[Any] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, EventRef):
            found.add(item)
        elif isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return found


def referenced_events(value: Any) -> set[str]:
    """The event kinds a compiled rule value refers to."""
    return {ref.event for ref in event_refs(value)}


@dataclass
class Plan:
    """Which rules (and so which event kinds) the helper process checks."""

    helper_rules: frozenset[str]  # rule ids
    helper_kinds: frozenset[str]

    def helper_owns(self, kind: str | None) -> bool:
        return kind is not None and kind in self.helper_kinds

    def main_owns(self, kind: str | None) -> bool:
        return kind is None or kind not in self.helper_kinds


def jobs_wanted(jobs: int | None) -> int:
    """``--jobs``, else ``GKLINT_JOBS``, else 0 (decide by the log)."""
    if jobs is not None:
        return jobs
    text = os.environ.get("GKLINT_JOBS", "").strip() or "0"
    if not (text.isascii() and text.isdigit()):  # (isdigit alone takes "²", which int() refuses)
        from gklint.errors import ConfigError

        raise ConfigError(f"GKLINT_JOBS={text!r} is not a number of processes",
                          hint="Set it to 1 (one process), 2 (two), or 0 (two for a large log).")
    return int(text)


def available() -> bool:
    if not hasattr(os, "fork") or sys.platform in ("darwin", "win32", "cygwin"):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2


def plan(rules: Sequence[Any], files: Sequence[Path],
         weigh: Callable[[Sequence[Path]], tuple[dict[str | None, int], bool]], jobs: int | None = None,
         size: int | None = None) -> Plan | None:
    """A split of ``rules`` over two processes, or None when one process is the better choice.

    ``weigh`` gives the rows per event kind in a sample of the log, and whether any file is a
    report table (without one, report-table rules check nothing and are left out). Kinds read by one rule are
    kept together (a union-find over the rules' references); the kinds counted by report-table
    rules stay in this process. The helper gets the groups whose estimated work comes nearest
    to half of all.
    """
    wanted = jobs_wanted(jobs)
    if wanted == 1 or not available():
        return None
    if not files or any(f.suffix.lower() not in (".csv", ".tsv") for f in files):
        return None
    if size is None:
        size = sum(f.stat().st_size for f in files if f.is_file())
    if wanted < 2 and size < MIN_BYTES:
        return None
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    rows, tables = weigh(files)
    if not tables:
        rules = [rule for rule in rules if rule.kind not in MAIN_KINDS]
    refs: dict[str, set[str]] = {}
    found_in: dict[str, set[Any]] = {}  # rule id -> its EventRefs
    filtered: set[Any] = set()  # refs with `where`: their kind's rows are filtered once each
    for rule in rules:
        found = found_in[rule.id] = event_refs(rule.compiled())
        filtered.update(ref for ref in found if ref.where)
        kinds = refs[rule.id] = {ref.event for ref in found}
        for k in kinds:
            parent[find(k)] = find(next(iter(kinds)))
    # Report tables are read in this process only: the kinds their rules count stay here.
    pinned = {find(k) for rule in rules if rule.kind in MAIN_KINDS for k in refs[rule.id]}
    groups: dict[str, set[str]] = {}
    for k in parent:
        groups.setdefault(find(k), set()).add(k)
    # Work of a group, in units of about half a microsecond as measured on the benchmark log
    # (docs/performance.md): each of its rows is converted and indexed where the other side
    # only skips it (5 units), each rule reads the rows of its kinds (1 unit per row, or what
    # earlier checks measured for that rule), and each `where` filter reads its kind's rows (1).
    costs = {rule: cost for rule, by_scale in remembered_costs().items()
             if (cost := cost_at(by_scale, size)) is not None}
    work: dict[str, float] = {root: ROW_WEIGHT * sum(rows.get(k, 0) for k in kinds) for root, kinds in groups.items()}
    for rule in rules:
        if refs[rule.id]:
            per_row = costs.get(rule.id, UNIT_SECONDS) / UNIT_SECONDS
            work[find(next(iter(refs[rule.id])))] += per_row * sum(rows.get(k, 0) for k in refs[rule.id])
    for ref in filtered:
        if not any(ref in found_in[rule.id] for rule in rules if rule.id in costs):
            work[find(ref.event)] += rows.get(ref.event, 0)  # (a measured rule's time includes its filters)
    total = sum(work.values()) + ROW_WEIGHT * rows.get(None, 0)
    helper = _half(sorted((r for r in groups if r not in pinned and work[r]), key=lambda r: (-work[r], r)),
                   work, total / 2)
    if not helper:
        return None
    owned = frozenset(k for root in helper for k in groups[root])
    return Plan(frozenset(r.id for r in rules if refs[r.id] and refs[r.id] <= owned), owned)


def _half(roots: list[str], work: dict[str, float], target: float) -> set[str]:
    """The groups whose work comes nearest to ``target``: every subset of up to 12 groups
    (the heaviest), then the rest added greedily while they bring the sum nearer."""
    head, tail = roots[:12], roots[12:]
    best: tuple[float, int] = (abs(target), 0)
    for mask in range(1, 1 << len(head)):
        share = sum(work[r] for i, r in enumerate(head) if mask >> i & 1)
        best = min(best, (abs(target - share), mask))
    chosen = {r for i, r in enumerate(head) if best[1] >> i & 1}
    share = sum(work[r] for r in chosen)
    for root in tail:
        if abs(target - (share + work[root])) < abs(target - share):
            chosen.add(root)
            share += work[root]
    return chosen


def sample_kinds(files: Sequence[Path], vocab: Any,
                 columns: dict[str, str] | None) -> tuple[dict[str | None, int], bool]:
    """Rows per event kind (None: no declared kind) in a sample of CSV/TSV logs, and whether a
    file is a report table (by its header). The sample is a few slices
    spread through each file, so that a log sorted by kind is weighed fairly. An estimate only
    (a slice may start inside a quoted cell), used to split work between processes."""
    from gklint.errors import GklintError
    from gklint.events import is_table_header, map_header, rename_attributes
    from gklint.events.readers import open_raw

    counts: dict[str | None, int] = {}
    tables = False
    budget = SAMPLE_BYTES * 4
    for path in files:
        try:
            try:
                raw = open_raw(path, assume_utf8=True)  # reads the header only
            except UnicodeDecodeError:
                raw = open_raw(path)
            if raw.lines is None:
                continue
            raw.lines.file.close()
            if is_table_header([str(h) for h in raw.header]):
                tables = True
                continue
            event_at = map_header(rename_attributes(raw, columns), columns)["event"]
            encoding = raw.lines.file.encoding
        except GklintError:
            continue
        if budget <= 0:
            continue  # sampled enough; every header is still read, for the report tables
        size = path.stat().st_size
        slices = 8
        piece = min(SAMPLE_BYTES // slices, max(1, budget // slices))
        with path.open("rb") as fh:
            for k in range(slices):
                fh.seek(size * k // slices)
                chunk = fh.read(piece).decode(encoding, errors="replace").splitlines()[1:-1]
                budget -= piece
                for line in chunk:
                    cells = line.split(raw.delimiter)
                    kind = vocab.resolve(cells[event_at]) if event_at < len(cells) else None
                    counts[kind] = counts.get(kind, 0) + 1
    return counts, tables


def summary(index: Any, for_each: Sequence[str]) -> dict[str, Any]:
    """What the period rules of the other side ask of this side's events: the first date and,
    for each column they count ``for_each``, the values seen in each month, as (first day of
    the month, value) pairs. Periods are whole years, quarters or months, so a month is as fine
    as ``EventIndex.values_in`` is ever asked about (``kinds.base.EvalContext.groups_for_each``)."""
    import bisect
    import datetime as dt
    import operator

    from gklint.model import STANDARD_FIELDS

    by_date = operator.attrgetter("date")
    values: dict[str, set[tuple[Any, Any]]] = {}
    for column in for_each:
        pairs = values[column] = set()
        get = (operator.attrgetter(STANDARD_FIELDS[column]) if column in STANDARD_FIELDS
               else operator.methodcaller("get", column))
        for evs in index.by_kind.values():
            lo = 0
            while lo < len(evs):  # a month of this kind's events (they are in date order) at a time
                first = evs[lo].date
                month = dt.date(first.year, first.month, 1)
                after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
                hi = bisect.bisect_left(evs, after, lo=lo, key=by_date)
                pairs.update((month, value) for value in set(map(get, evs[lo:hi])))
                lo = hi
    return {"first_date": index.first_date, "values": values}


def take_summary(index: Any, summary: dict[str, Any]) -> None:
    """The other side's summary into this side's index (see :func:`summary`)."""
    firsts = [d for d in (index.first_date, summary["first_date"]) if d is not None]
    index.first_date = min(firsts) if firsts else None
    for column, pairs in summary["values"].items():
        index.import_values(column, pairs)


class Channel:
    """One side's end of the two pipes between the processes: messages are pickled values in
    length-prefixed frames. A thread drains the incoming pipe as the other side writes, so
    neither side ever waits for the other to be ready to read."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        import queue
        import threading

        self.messages: queue.Queue[bytes | None] = queue.Queue()
        self.pipe = os.fdopen(write_fd, "wb")
        self.thread = threading.Thread(target=self._drain, args=(read_fd,), daemon=True)
        self.thread.start()

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while True:
                head = pipe.read(_FRAME_SIZE)
                if len(head) < _FRAME_SIZE:
                    break
                body = pipe.read(int.from_bytes(head, "little"))
                self.messages.put(body)
        self.messages.put(None)

    def send(self, value: Any, kind: str = "ok") -> None:
        import pickle

        body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        self.pipe.write(len(body).to_bytes(_FRAME_SIZE, "little"))
        self.pipe.write(body)
        self.pipe.flush()

    def receive(self) -> Any:
        """The next message; raises HelperFailed when the other side failed or ended without it."""
        import pickle

        body = self.messages.get()
        if body is None:
            raise HelperFailed("the other process ended early")
        kind, value = pickle.loads(body)
        if kind == "error":
            raise HelperFailed(value)
        return value


class Helper(Channel):
    """The forked helper process, from the main process's side."""

    def __init__(self, pid: int, read_fd: int, write_fd: int) -> None:
        super().__init__(read_fd, write_fd)
        self.pid = pid

    def send(self, value: Any, kind: str = "ok") -> None:
        try:
            super().send(value, kind)
        except OSError as exc:  # the helper has ended (BrokenPipeError)
            raise HelperFailed(f"the helper process ended early ({exc})") from None

    def close(self) -> None:
        """Stop the helper if it still runs, and reap it."""
        import signal

        try:
            self.pipe.close()
        except OSError:
            pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class HelperFailed(Exception):
    pass


def start(work: Callable[[Channel], None]) -> Helper:
    """Fork a helper that runs ``work(channel)``."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # nothing buffered here may be written twice
        except (OSError, ValueError):
            pass
    up_read, up_write = os.pipe()
    down_read, down_write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(up_write)
        os.close(down_read)
        return Helper(pid, up_read, down_write)
    # The helper: never returns, never runs the main process's exit handlers.
    code = 0
    try:
        os.close(up_read)
        os.close(down_write)
        channel = Channel(down_read, up_write)
        try:
            work(channel)
        except BaseException as exc:  # noqa: BLE001 - reported to the main process, which runs alone
            import traceback

            channel.send("".join(traceback.format_exception(exc)), "error")
        channel.pipe.close()
    except BaseException:  # noqa: BLE001 - the pipe itself failed: the main process sees it end early
        code = 1
    finally:
        os._exit(code)


def merge_in_file_order(files: Sequence[str], *lists: Iterable[Any]) -> list[Any]:
    """Data findings of both processes in the order one reader makes them: by file, then line."""
    order = {f: i for i, f in enumerate(files)}
    merged = [f for items in lists for f in items]
    merged.sort(key=lambda f: (order.get(f.file, len(order)), f.line or 0))
    return merged
