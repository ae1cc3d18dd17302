"""Where a spark check spends its time: each statement the spark engine's connection runs, with
the Spark jobs and stages it started.

    python benchmarks/profile_spark.py out/audit-1000000.csv -r benchmarks/audit.yaml --as-of 2024-06-30 \
        --spark-master 'local[2]'

Runs ``gklint check ARGS --engine spark --format json -o /dev/null`` in this process with the
connection's calls (``execute``, ``register``, ``materialize``, ``parquet_lines``) wrapped by
wall-clock timers; each top-level call runs in a Spark job group of its own, whose jobs and stages
are counted from Spark's status tracker. Prints the total, the time outside the statements (the
session's start, the findings, the report) and the slowest statements. ``--runs 2`` checks twice
in one session: the second run is the JVM warmed up (its JIT and Spark's generated code).
"""
from __future__ import annotations

import functools
import sys
import time
from typing import Any

RECORDS: list[tuple[float, int, int, str, str]] = []
DEPTH = [0]


def wrap(cls: Any, name: str) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        context = self.spark.sparkContext
        group = f"gklint-profile-{len(RECORDS)}-{time.monotonic_ns()}"
        DEPTH[0] += 1
        if DEPTH[0] == 1:
            context.setJobGroup(group, group)
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent = time.perf_counter() - start
            DEPTH[0] -= 1
            if DEPTH[0] == 0:
                tracker = context.statusTracker()
                jobs = tracker.getJobIdsForGroup(group)
                stages = sum(len(info.stageIds) for info in map(tracker.getJobInfo, jobs) if info)
                what = args[0] if args and isinstance(args[0], str) else name
                RECORDS.append((spent, len(jobs), stages, name, " ".join(what.split())))

    setattr(cls, name, timed)


def main() -> None:
    from gklint.cli import main as cli
    from gklint.engines.spark.connection import Connection

    args = sys.argv[1:]
    runs = 1
    if "--runs" in args:
        at = args.index("--runs")
        runs = int(args[at + 1])
        del args[at:at + 2]
    for name in ("execute", "register", "materialize", "parquet_lines"):
        wrap(Connection, name)
    for run in range(runs):
        RECORDS.clear()
        start = time.perf_counter()
        try:
            cli(["check", *args, "--engine", "spark", "--format", "json", "-o", "/dev/null"], standalone_mode=False)
        except SystemExit:
            pass
        total = time.perf_counter() - start
        inside = sum(r[0] for r in RECORDS)
        print(f"run {run + 1}: {total:.1f} s, {len(RECORDS)} statements {inside:.1f} s, outside them "
              f"{total - inside:.1f} s, {sum(r[1] for r in RECORDS)} Spark jobs, {sum(r[2] for r in RECORDS)} stages",
              file=sys.stderr)
        for spent, jobs, stages, name, what in sorted(RECORDS, key=lambda r: -r[0])[:25]:
            print(f"  {spent:7.2f} s  {jobs:2d} jobs {stages:3d} stages  {name:11} {what[:110]}", file=sys.stderr)


if __name__ == "__main__":
    main()
