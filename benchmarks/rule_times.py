"""Time the rules alone: read and index a log once, then evaluate every rule of the bundled
rulesets (or of the kinds named) in this process, the fastest of ``--repeat`` rounds, each round
on a fresh index (so every rule builds the groups it needs, as in a check).

    python benchmarks/rule_times.py benchmarks/out/events-1000000.csv --kinds deadline
    python benchmarks/rule_times.py benchmarks/out/events-1000000.csv --top 10

Used in docs/performance.md to measure changes to the rule kinds apart from reading, which
is most of a check's time and noisier. Run it alternately with two installs to compare them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("log", type=Path)
    parser.add_argument("--kinds", nargs="*", help="rule kinds to time (default: all but report tables)")
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=0, help="also print the slowest N rules")
    args = parser.parse_args()
    gc.disable()  # as the command line runs

    from gklint.calendar import load_calendar
    from gklint.commands.check import rulesets_in_force
    from gklint.ruleset import bundled_ids
    from gklint.engine import build_vocabulary, rule_window
    from gklint.events import read_events
    from gklint.kinds import KINDS
    from gklint.kinds.base import EvalContext, EventIndex

    rulesets = rulesets_in_force(bundled_ids())  # every bundled ruleset, plans included
    vocab = build_vocabulary(rulesets)
    calendar = load_calendar("CN")
    as_of = dt.date.fromisoformat(args.as_of)
    log = read_events([args.log], vocab, as_of=as_of)
    rules = [r for rs in rulesets for r in rs.rules
             if (r.kind in args.kinds if args.kinds else r.kind != "table")]
    best: dict[str, float] = {}
    found = 0
    for _ in range(args.repeat):
        index = EventIndex(log.events)
        found = 0
        for rule in rules:
            window_from, window_until = rule_window(rule)
            ctx = EvalContext(calendar=calendar, as_of=as_of, index=index, window_from=window_from,
                              window_until=window_until, label=vocab.label)
            started = time.perf_counter()
            found += sum(1 for _ in KINDS[rule.kind].evaluate(rule.compiled(), ctx))
            took = time.perf_counter() - started
            best[rule.id] = min(best.get(rule.id, took), took)
    kinds = sorted({r.kind for r in rules})
    print(f"{len(log.events):,} events, {len(rules)} rules ({', '.join(kinds)}), {found:,} problems")
    for kind in kinds:
        print(f"  {kind:12s} {sum(best[r.id] for r in rules if r.kind == kind):7.3f} s")
    rounds = f"{args.repeat} rounds" if args.repeat != 1 else "1 round"
    print(f"  {'all':12s} {sum(best.values()):7.3f} s (the fastest of {rounds}, rule by rule)")
    for rule_id, took in sorted(best.items(), key=lambda item: -item[1])[:args.top]:
        print(f"    {rule_id:32s} {took:7.3f} s")


if __name__ == "__main__":
    main()
