"""Measure gklint's engines against the floor: reading the same CSV with Python's csv module.

    python benchmarks/run.py                       # 10^5 and 10^6 events + start-up
    python benchmarks/run.py --sizes 5 6 7         # up to 10^7 (the python engine only to 10^6)
    python benchmarks/run.py --write docs/performance.md

Two workloads, each a log from ``benchmarks/generate.py`` (deterministic, kept in
``benchmarks/out/``): ``project``, every bundled ruleset over the generator's log as it comes
(5% of cases late); ``audit``, the four rules of ``benchmarks/audit.yaml`` (a deadline with an
extension, a deadline, a precedence, a per-unit count) over a findings-heavy log (16% late).
``stamped``, the audit rules over the audit log with timestamps as XES exports write them
(2011-10-01T00:38:44.546+02:00: a time of day and a European UTC offset, as in BPIC 2012). The
logs are unsorted by date. Every figure is one command measured from the outside: wall time,
and peak resident memory from ``os.wait4`` (``ru_maxrss``). gklint runs the console script next to
this interpreter with ``--format json -o /dev/null``, a pinned ``--as-of`` and ``--engine``; the
floor and the engines take turns, so that a figure and its floor are measured at the same time.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2024-06-30"
FLOOR = "import csv, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f:\n    for row in csv.reader(f): pass\n"


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MiB, exit status) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def gklint_cmd() -> list[str]:
    script = Path(sys.executable).with_name("gklint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gklint"]


WORKLOADS = {  # name -> (file name prefix, late share, ruleset arguments, timestamps)
    "project": ("events", 0.05, [], False),
    "audit": ("audit", 0.16, ["-r", str(HERE / "audit.yaml")], False),
    "stamped": ("stamped", 0.16, ["-r", str(HERE / "audit.yaml")], True),
}


def log_of(size: int, workload: str = "project") -> Path:
    prefix, late, _, timestamps = WORKLOADS[workload]
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{prefix}-{size}.csv"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from generate import write_log

        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write_log(fh, size, late_share=late, timestamps=timestamps)
        tmp.replace(path)
    return path


def turns(cmds: list[list[str]], repeat: int, env: dict[str, str] | None = None) -> list[list[tuple[float, int, int]]]:
    """Every run of each command, in order. The commands take turns, so that a figure and the
    floor it is compared with are measured at the same time on a machine whose speed drifts."""
    runs: list[list[tuple[float, int, int]]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run(cmd, env))
    return runs


def fastest(runs: list[tuple[float, int, int]]) -> tuple[float, int, int]:
    """The fastest wall time (the least disturbed by other work), the highest peak memory of the
    runs, and the first exit status that is not 0 or 1 (a failed run), else the first one's."""
    codes = [code for _, _, code in runs]
    return (min(wall for wall, _, _ in runs), max(mem for _, mem, _ in runs),
            next((code for code in codes if code not in (0, 1)), codes[0]))


def sizes_table(workload: str, exponents: list[int], repeat: int, large_repeat: int,
                python_up_to: int) -> list[str]:
    rows = ["| events | floor: csv module | python engine | ratio | columnar engine | ratio | events/s | "
            "peak memory (python / columnar) |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    measured: dict[int, list[list[tuple[float, int, int]]]] = {}
    for e in exponents:
        size = 10 ** e
        path = log_of(size, workload)
        reps = repeat if e < 7 else large_repeat
        base = [*gklint_cmd(), "check", str(path), *WORKLOADS[workload][2], "--as-of", AS_OF, "--format", "json",
                "-o", os.devnull, "--engine"]
        commands = [[sys.executable, "-c", FLOOR, str(path)], [*base, "columnar"]]
        if e <= python_up_to:
            commands.append([*base, "python"])
        runs = measured[e] = turns(commands, reps)
        floor, columnar, *python = map(fastest, runs)
        for result in (columnar, *python):
            if result[2] not in (0, 1):
                raise SystemExit(f"gklint failed on {path} (exit {result[2]})")
        py = (f"{python[0][0]:.2f} s | {python[0][0] / floor[0]:.1f}x" if python else "not run | ")
        rows.append(f"| 10^{e} | {floor[0]:.2f} s | {py} | {columnar[0]:.2f} s | {columnar[0] / floor[0]:.1f}x | "
                    f"{size / columnar[0]:,.0f} | {f'{python[0][1]:,} MiB / ' if python else ''}"
                    f"{columnar[1]:,} MiB |")
        print(rows[-1], flush=True)
    if 6 in measured and 7 in measured:
        rows += ["", growth(measured[6], measured[7])]
    return rows


def growth(small: list[list[tuple[float, int, int]]], large: list[list[tuple[float, int, int]]]) -> str:
    """10^7 against 10^6, each the fastest of the same number of runs (the first ones at the
    size measured more often): the fastest of three runs against one run would overstate it."""
    k = min(len(small[0]), len(large[0]))
    floor, columnar = (fastest(b[:k])[0] / fastest(a[:k])[0] for a, b in zip(small[:2], large[:2]))
    return (f"Growth: 10^7 costs {columnar:.1f}x 10^6 with the columnar engine; the floor grew {floor:.1f}x "
            f"(fastest of {k} run{'s' if k > 1 else ''} at each size).")


def startup_table(repeat: int) -> list[str]:
    path = OUT / "events-20.csv"
    OUT.mkdir(exist_ok=True)
    if not path.exists():
        lines = log_of(10 ** 4).read_text(encoding="utf-8").splitlines()[:21]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = [sys.executable, "-c", "import click, yaml"]
    check = [*gklint_cmd(), "check", str(path), "--as-of", AS_OF]
    if run(check)[2] not in (0, 1):  # (and it fills the cache)
        raise SystemExit(f"gklint failed on {path}")
    cold_env = {**os.environ, "GKLINT_NO_CACHE": "1"}
    bases, checks = [], []
    for _ in range(repeat):  # taking turns: both are measured at the same time
        bases.append(run(base)[0])
        checks.append(run(check)[0])
    t_base, t_check = statistics.median(bases), statistics.median(checks)
    t_cold = statistics.median(run(check, cold_env)[0] for _ in range(max(3, repeat // 4)))
    return ["| command | median wall time | vs import click, yaml |", "|---|---:|---:|",
            f"| `python -c 'import click, yaml'` | {t_base * 1000:.0f} ms | 1.0x |",
            (f"| `gklint check` 20 rows, all bundled rulesets, cache warm | {t_check * 1000:.0f} ms | "
             f"{t_check / t_base:.1f}x |"),
            f"| the same with `GKLINT_NO_CACHE=1` | {t_cold * 1000:.0f} ms | {t_cold / t_base:.1f}x |"]


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, gklint {version('gklint')}, "
            f"holidays {version('holidays')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="*", type=int, default=[5, 6], help="powers of ten (default 5 6)")
    parser.add_argument("--workloads", nargs="*", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--python-up-to", type=int, default=6, help="largest power of ten the python engine runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest is kept")
    parser.add_argument("--large-repeat", type=int, default=1, help="runs per figure at 10^7 (default 1)")
    parser.add_argument("--startup-repeat", type=int, default=21)
    parser.add_argument("--write", type=Path, help="replace the measured section of this Markdown file")
    args = parser.parse_args()
    if shutil.which("gklint") is None and not Path(sys.executable).with_name("gklint").exists():
        print("note: no gklint console script next to this Python; using python -m gklint", file=sys.stderr)
    lines = [f"Machine: {machine()}.", "", "Start-up (a pre-commit hook runs on every commit):", ""]
    lines += startup_table(args.startup_repeat)
    for workload in args.workloads:
        lines += ["", f"Throughput, workload `{workload}`:", ""]
        lines += sizes_table(workload, args.sizes, args.repeat, args.large_repeat, args.python_up_to)
    text = "\n".join(lines)
    print(text)
    if args.write:
        begin, end = "<!-- benchmarks/run.py begin -->", "<!-- benchmarks/run.py end -->"
        doc = args.write.read_text(encoding="utf-8")
        if begin in doc and end in doc:
            doc = doc[:doc.index(begin) + len(begin)] + "\n" + text + "\n" + doc[doc.index(end):]
        else:
            doc += f"\n{begin}\n{text}\n{end}\n"
        args.write.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
