"""The spark engine in local mode beside the columnar engine, on the ``audit`` workload
(``generate.py N --late 0.16``, the four rules of ``audit.yaml``): wall time and peak memory of
the whole process tree, and local[1] against local[2] for how it scales with cores.

Peak memory: the spark engine is two processes, gklint's Python and the JVM that pyspark starts
(driver and executors in one JVM in local mode). ``os.wait4``'s ``ru_maxrss`` covers a child's
descendants only when they were waited for, and pyspark does not wait for its JVM (the JVM exits
when its stdin closes), so it would miss the JVM. This script samples the resident memory of every
process of the tree (``/proc/PID/status`` VmRSS, every 0.1 s) and reports the largest sum, beside
``ru_maxrss`` for comparison.

    flock /work/wt/bench.lock python spark_scale.py --sizes 6 7 --masters 'local[1]' 'local[2]'

Each command is ``gklint check LOG -r audit.yaml --as-of 2024-06-30 --format json -o /dev/null``,
run as a separate process; the log is generated into ``out/`` when absent.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                parent = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry))
    return tree


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss(root: int) -> tuple[int, int]:
    """(the tree's resident memory in KB, the number of processes)."""
    tree = children()
    todo, total, n = [root], 0, 0
    while todo:
        pid = todo.pop()
        total += rss_kb(pid)
        n += 1
        todo.extend(tree.get(pid, []))
    return total, n


def measure(cmd: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, most = 0, 0
    while proc.poll() is None:
        total, n = tree_rss(proc.pid)
        peak, most = max(peak, total), max(most, n)
        time.sleep(0.1)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
    return {"wall": wall, "peak_mb": peak / 1024, "processes": most, "stderr_lines": len(err.splitlines())}


def maxrss(cmd: list[str]) -> float:
    """ru_maxrss of the command as os.wait4 reports it (MB), for comparison with the tree's sum."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def log_of(size: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"audit-{size}.csv"
    if not path.exists():
        with path.open("w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), "--late", "0.16"], stdout=fh,
                           check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[6], help="powers of ten")
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--no-columnar", action="store_true")
    parser.add_argument("--maxrss", action="store_true", help="also run each command once more for ru_maxrss")
    args = parser.parse_args()
    gklint = [str(Path(sys.executable).parent / "gklint")]  # the console script, as users run it
    for exponent in args.sizes:
        log = log_of(10 ** exponent)
        base = [*gklint, "check", str(log), "-r", str(HERE / "audit.yaml"), "--as-of", "2024-06-30",
                "--format", "json", "-o", os.devnull]
        runs = [] if args.no_columnar else [("columnar", [*base, "--engine", "columnar"])]
        runs += [(f"spark {m}", [*base, "--engine", "spark", "--spark-master", m]) for m in args.masters]
        for label, cmd in runs:
            figures = measure(cmd)
            line = (f"10^{exponent} {label:16} {figures['wall']:8.1f} s  peak {figures['peak_mb']:8.0f} MB "
                    f"({figures['processes']} processes)  stderr lines {figures['stderr_lines']}")
            if args.maxrss:
                line += f"  ru_maxrss {maxrss(cmd):8.0f} MB"
            print(line, flush=True)


if __name__ == "__main__":
    main()
