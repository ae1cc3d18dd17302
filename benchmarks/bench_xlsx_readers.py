"""openpyxl against python-calamine on one large sheet (docs/design.md, "Dependencies").

    python benchmarks/bench_xlsx_readers.py [ROWS]

Writes a ROWS-row (default 200000), 5-column .xlsx log to a temporary folder, then times reading
every row with openpyxl (as gklint's .xlsx reader opens it) and with python-calamine.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path


def write(path: Path, rows: int) -> None:
    import openpyxl

    rng = random.Random(1)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["date", "event", "case", "unit", "channel"])
    first = dt.date(2019, 1, 1)
    for i in range(rows):
        sheet.append([first + dt.timedelta(days=rng.randrange(700)), rng.choice(["收到申请", "答复申请"]),
                      f"依申〔2019〕{i}号", rng.choice(["办公室", "法规处"]), "网络"])
    book.save(path)


def with_openpyxl(path: Path) -> int:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def with_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    return sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        write(path, rows)
        for name, read in (("openpyxl", with_openpyxl), ("python-calamine", with_calamine)):
            start = time.perf_counter()
            count = read(path)
            print(f"{name}: {count} rows in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
