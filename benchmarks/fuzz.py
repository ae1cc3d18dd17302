"""Run the fuzz test of the command line (tests/test_fuzz.py) with a large budget.

    python benchmarks/fuzz.py                 # 5000 examples per strategy (GKLINT_FUZZ_EXAMPLES)
    python benchmarks/fuzz.py --examples 200  # a quicker look

CI runs the same test with a small budget on every push; this runs it long, prints how many
cases ran (per class) and any failure hypothesis found, shrunk to its smallest form. Examples are
random (not derandomized) at this size, so each run explores new inputs.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=5000, help="examples per strategy (default 5000)")
    args, rest = parser.parse_known_args()
    env = {**os.environ, "GKLINT_FUZZ_EXAMPLES": str(args.examples)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py"), *rest]
    raise SystemExit(subprocess.call(cmd, cwd=ROOT, env=env))


if __name__ == "__main__":
    main()
