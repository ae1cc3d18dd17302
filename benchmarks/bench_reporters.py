"""Benchmark: each reporter writing the same report, apart from the check that made it.

    python benchmarks/bench_reporters.py out/audit-1000000.csv -r audit.yaml --as-of 2024-06-30 \
        [--formats json text sarif junit github] [--repeat 3]

Runs the check once (the columnar engine, findings held as a list), then has each reporter
write the report to /dev/null ``--repeat`` times and prints the fastest, in seconds and in
microseconds a finding. Run it from ``benchmarks/`` with the package installed (or on
``PYTHONPATH``). Whole-command figures (wall time, peak memory) for each format are in
docs/performance.md, "Other formats".
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import replace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log")
    parser.add_argument("-r", "--ruleset", required=True)
    parser.add_argument("--as-of", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--formats", nargs="+", default=["json", "text", "sarif", "junit", "github"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from gklint.commands.check import CheckRequest, execute
    from gklint.reporters import get_reporter

    result = execute(CheckRequest(paths=[args.log], rulesets=[args.ruleset], as_of=args.as_of, engine="columnar"))
    result = replace(result, findings=list(result.findings))  # (read once here, not in each run)
    print(f"{len(result.findings):,} findings")
    print("| format | seconds | µs a finding |\n|---|---:|---:|")
    for name in args.formats:
        reporter = get_reporter(name)
        best = float("inf")
        for _ in range(args.repeat):
            with open("/dev/null", "w", encoding="utf-8") as out:
                start = time.perf_counter()
                reporter(out, lang="en").report(result)
                best = min(best, time.perf_counter() - start)
        print(f"| {name} | {best:.2f} | {best / max(len(result.findings), 1) * 1e6:.0f} |")


if __name__ == "__main__":
    main()
