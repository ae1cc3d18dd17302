"""Benchmark: working-day arithmetic, table lookups vs a naive day-by-day loop.

    python benchmarks/bench_calendar.py [--calls 1000000] [--naive-calls 20000] [--seed 2018]

Both run in the same process on the same kind of input: random (seeded) start dates in the
covered years 2001-2026 and N from 0 to 30 working days (the range of real time limits).
``WorkCalendar.add_workdays`` is called ``--calls`` times. The naive loop (one day at a time,
asking ``holidays.China.is_working_day``, as a thin wrapper over the package would) is far
slower, so it runs ``--naive-calls`` times and its rate is reported per call, the same unit;
its total for ``--calls`` calls is extrapolated and labelled so. Checks that both agree.
"""
from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gklint.calendar import WorkCalendar
from gklint.dates import parse_when


def inputs(count: int, seed: int) -> list[tuple[date, int]]:
    rng = random.Random(seed)
    first, last = date(2001, 1, 1).toordinal(), date(2026, 11, 30).toordinal()
    return [(date.fromordinal(rng.randint(first, last)), rng.randint(0, 30)) for _ in range(count)]


def naive_factory() -> Callable[[date, int], date]:
    import holidays

    schedule = holidays.China(years=range(2001, 2028))
    one_day = timedelta(days=1)

    def naive_add(d: date, n: int) -> date:
        while n > 0:
            d += one_day
            if schedule.is_working_day(d):
                n -= 1
        return d

    return naive_add


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--naive-calls", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()

    cal = WorkCalendar()
    started = time.perf_counter()
    cal.add_workdays(date(2018, 9, 28), 3)  # builds the tables (imports holidays)
    build = time.perf_counter() - started

    work = inputs(args.calls, args.seed)
    add = cal.add_workdays
    started = time.perf_counter()
    for d, n in work:
        add(d, n)
    fast = time.perf_counter() - started

    naive_add = naive_factory()
    sample = work[: args.naive_calls]
    started = time.perf_counter()
    results = [naive_add(d, n) for d, n in sample]
    slow = time.perf_counter() - started
    assert results == [add(d, n) for d, n in sample], "naive loop and tables disagree"

    texts = [d.isoformat() for d, _ in work[:200_000]]
    uncached = parse_when.__wrapped__  # type: ignore[attr-defined]
    started = time.perf_counter()
    for text in texts:
        uncached(text)
    parse_miss = time.perf_counter() - started
    repeated = texts[:250] * (len(texts) // 250)  # a log's dates repeat: the lru_cache answers
    started = time.perf_counter()
    for text in repeated:
        parse_when(text)
    parse_hit = time.perf_counter() - started

    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"table build (first call, includes importing holidays): {build * 1000:.0f} ms")
    print(f"add_workdays, tables:   {args.calls:>9,} calls in {fast:6.2f} s = {args.calls / fast:>12,.0f} calls/s")
    print(f"add_workdays, naive:    {len(sample):>9,} calls in {slow:6.2f} s = {len(sample) / slow:>12,.0f} calls/s"
          f"  (extrapolated to {args.calls:,} calls: {slow * args.calls / len(sample):,.0f} s)")
    print(f"speed-up: {(args.calls / fast) / (len(sample) / slow):,.0f}x")
    print(f"parse_when('YYYY-MM-DD') fast path: uncached {len(texts) / parse_miss:,.0f} calls/s, "
          f"cached {len(repeated) / parse_hit:,.0f} calls/s")


if __name__ == "__main__":
    main()
