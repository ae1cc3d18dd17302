"""Where a columnar check spends its time: each phase of the engine, and each SQL statement.

    python benchmarks/profile_columnar.py out/audit-1000000.csv -r benchmarks/audit.yaml --as-of 2024-06-30

Runs ``gklint check ARGS --engine columnar --format json -o /dev/null`` in this process with the
engine's functions and DuckDB's ``execute``/``fetchall`` wrapped by wall-clock timers, then prints
the phases (seconds, a phase includes those it calls) and the slowest statements. A rule that its
plan module does not compile shows up as ``python.evaluate`` (the reference engine's kind code
over the table).
"""
from __future__ import annotations

import functools
import importlib
import sys
import time
from typing import Any

PHASES = [
    ("gklint.engines.columnar.load", "load"), ("gklint.engines.columnar.load", "_plain"),
    ("gklint.engines.columnar.load", "_check_rows"), ("gklint.engines.columnar.load", "_read_in_python"),
    ("gklint.engines.columnar", "_folding_cases"), ("gklint.engines.columnar.deadline", "evaluate"),
    ("gklint.engines.columnar.precedence", "evaluate"), ("gklint.engines.columnar.count", "evaluate"),
    ("gklint.engines.columnar.ratio", "evaluate"), ("gklint.engines.columnar.due", "evaluate"),
    ("gklint.engines.python", "evaluate"),
    ("gklint.engines.columnar", "check"), ("gklint.engine", "_result"), ("gklint.reporters.base", "Reporter.report"),
]
SPENT: dict[str, float] = {}
STATEMENTS: list[list[Any]] = []


def timed(module: str, name: str) -> None:
    owner: Any = importlib.import_module(module)
    *path, attr = name.split(".")
    for part in path:  # a method: Class.method
        owner = getattr(owner, part)
    fn = getattr(owner, attr)
    label = f"{module.rsplit('.', 1)[-1]}.{name}"

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            out = fn(*args, **kwargs)
            return list(out) if hasattr(out, "__next__") else out
        finally:
            SPENT[label] = SPENT.get(label, 0.0) + time.perf_counter() - start

    setattr(owner, attr, wrapper)


class Result:
    def __init__(self, result: Any, entry: list[Any]) -> None:
        self._result, self._entry = result, entry

    def fetchall(self) -> Any:
        start = time.perf_counter()
        try:
            return self._result.fetchall()
        finally:
            self._entry[0] += time.perf_counter() - start

    def __getattr__(self, name: str) -> Any:
        return getattr(self._result, name)


class Connection:
    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, query: str, *args: Any) -> Any:
        start = time.perf_counter()
        result = self._con.execute(query, *args)
        STATEMENTS.append([time.perf_counter() - start, " ".join(query.split())])
        return Result(result, STATEMENTS[-1])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def main() -> None:
    import duckdb

    connect = duckdb.connect
    duckdb.connect = lambda *a, **k: Connection(connect(*a, **k))  # type: ignore[assignment]
    for module, name in PHASES:
        timed(module, name)
    from gklint.cli import main as cli

    start = time.perf_counter()
    try:
        cli(["check", *sys.argv[1:], "--engine", "columnar", "--format", "json", "-o", "/dev/null"],
            standalone_mode=False)
    except SystemExit:
        pass
    SPENT["total (in this process, after imports)"] = time.perf_counter() - start
    print("| phase | seconds |\n|---|---:|")
    for label, seconds in SPENT.items():
        print(f"| {label} | {seconds:.2f} |")
    print("\nslowest statements (seconds, executing and fetching):")
    for seconds, query in sorted(STATEMENTS, reverse=True)[:12]:
        print(f"{seconds:7.3f}  {query[:140]}")


if __name__ == "__main__":
    main()
