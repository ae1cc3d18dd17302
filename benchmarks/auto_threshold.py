"""Where ``--engine auto`` should hand a log to the columnar engine: both engines timed on logs of
growing size (every bundled ruleset, the generator's log), with the size of each file.

    python benchmarks/auto_threshold.py                      # 10^4 .. 10^6 events
    python benchmarks/auto_threshold.py --events 20000 200000

The columnar engine pays a fixed start (importing DuckDB and pyarrow, making the table and the
calendar table) that the reference engine does not; the threshold (``gklint.engines.
AUTO_COLUMNAR_BYTES``) is the file size past which it is paid back. Figures: docs/performance.md.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import AS_OF, OUT, fastest, gklint_cmd, turns  # noqa: E402


def log(events: int) -> Path:
    from generate import write_log

    OUT.mkdir(exist_ok=True)
    path = OUT / f"events-{events}.csv"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write_log(fh, events)
        tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", nargs="*", type=int,
                        default=[10_000, 30_000, 100_000, 200_000, 300_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest is kept")
    args = parser.parse_args()
    print("| events | file size | python engine | columnar engine | columnar / python |")
    print("|---:|---:|---:|---:|---:|")
    for events in args.events:
        path = log(events)
        base = [*gklint_cmd(), "check", str(path), "--as-of", AS_OF, "--format", "json", "-o", os.devnull, "--engine"]
        python, columnar = map(fastest, turns([[*base, "python"], [*base, "columnar"]], args.repeat))
        print(f"| {events:,} | {path.stat().st_size / 2 ** 20:.1f} MiB | {python[0]:.2f} s | {columnar[0]:.2f} s | "
              f"{columnar[0] / python[0]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
