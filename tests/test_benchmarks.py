"""The benchmark runner's arithmetic (its figures are measured, not tested: docs/performance.md)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import run


def test_growth_compares_the_fastest_of_as_many_runs_at_each_size() -> None:
    def runs(*walls: float) -> list[tuple[float, int, int]]:
        return [(w, 100, 0) for w in walls]

    small = [runs(1.0, 0.5, 0.8), runs(4.0, 2.0, 3.0), runs(5.0, 3.0, 4.0)]  # floor, columnar, python
    large = [runs(12.0), runs(44.0)]
    # One run at 10^7 is compared with the first run at 10^6, not with the fastest of three.
    assert run.growth(small, large) == ("Growth: 10^7 costs 11.0x 10^6 with the columnar engine; "
                                        "the floor grew 12.0x (fastest of 1 run at each size).")
    large = [runs(12.0, 6.0), runs(44.0, 30.0)]
    assert run.growth(small, large).startswith("Growth: 10^7 costs 15.0x 10^6 with the columnar engine; "
                                               "the floor grew 12.0x (fastest of 2 runs")


def test_a_figure_is_the_fastest_run_with_the_highest_memory_and_any_failure() -> None:
    assert run.fastest([(2.0, 300, 0), (1.0, 200, 1), (1.5, 250, 0)]) == (1.0, 300, 0)
    assert run.fastest([(2.0, 300, 0), (1.0, 200, 2)])[2] == 2
