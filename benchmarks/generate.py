"""Deterministic generator of realistic disclosure event logs, for benchmarks and differential tests.

Cases span several years and exercise every rule kind of the bundled rulesets: policy documents
and interpretations (deadline, precedence), requests with extensions and supplements (deadline
with extend/restart), online inquiries (deadline with where), meetings (count), annual summaries
(due), interpretation forms (ratio). About 5% of cases are late or missing (``--late``); units are
Chinese department names. Rows come case by case, so their dates are not in order; ``--order date``
sorts them by date, as a log kept day by day is. ``--timestamps`` writes each date as a process-mining
(XES) export writes its timestamps: a time of day with milliseconds and the UTC offset of the
place that recorded it (2011-10-01T00:38:44.546+02:00; +02:00 in summer, +01:00 in winter).

    python benchmarks/generate.py 100000 > events.csv
    python benchmarks/generate.py 1000000 --late 0.16 > audit.csv     # findings-heavy, unsorted
    python benchmarks/generate.py 1000000 --order date > sorted.csv
    python benchmarks/generate.py 1000000 --late 0.16 --timestamps > stamped.csv   # XES-style
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from typing import IO

UNITS = ["办公室", "条法司", "保护司", "运用促进司", "专利局办公室", "审查业务管理部", "人事司", "战略规划司"]
FORMS = ["文字", "图示图解", "新闻发布会", "短视频", "专家访谈"]
CHANNELS = ["网络", "信函", "当面", "传真"]
HEADER = ["date", "event", "case", "unit", "simple", "stakeholders_attended", "form", "channel", "period"]


def _fmt(d: dt.date) -> str:
    return d.isoformat()


def cases(seed: int = 20180517, start: dt.date = dt.date(2016, 1, 4), years: int = 8,
          late_share: float = 0.05) -> Iterator[list[str]]:
    """An endless stream of event rows, case by case, dates within [start, start + years); a
    ``late_share`` of cases answer late (or, for meetings and summaries, not at all)."""
    rng = random.Random(seed)
    span = years * 365 - 60
    n = 0
    while True:
        n += 1
        day = start + dt.timedelta(days=rng.randrange(span))
        unit = rng.choice(UNITS)
        late = rng.random() < late_share
        kind = rng.random()
        if kind < 0.35:  # request under the regulation
            case = f"依申请〔{day.year}〕{n}号"
            yield [_fmt(day), "request_received", case, unit, "", "", "", rng.choice(CHANNELS), ""]
            gap = rng.randrange(1, 12) + (25 if late else 0)
            if rng.random() < 0.1:
                yield [_fmt(day + dt.timedelta(days=gap // 2 + 1)), "extension_notified", case, unit, "", "", "", "", ""]
            if rng.random() < 0.05:
                yield [_fmt(day + dt.timedelta(days=3)), "supplement_requested", case, unit, "", "", "", "", ""]
                yield [_fmt(day + dt.timedelta(days=6)), "supplement_received", case, unit, "", "", "", "", ""]
                gap += 6
            yield [_fmt(day + dt.timedelta(days=gap)), "request_answered", case, unit, "", "", "", "", ""]
        elif kind < 0.75:  # online inquiry
            case = f"ZX{day.year}{n:08d}"
            simple = rng.random() < 0.3
            yield [_fmt(day), "inquiry_received", case, unit, "是" if simple else "否", "", "", "网上咨询", ""]
            gap = (1 if simple else rng.randrange(1, 7)) + (5 if late else 0)
            yield [_fmt(day + dt.timedelta(days=gap)), "inquiry_replied", case, unit, "", "", "", "", ""]
        elif kind < 0.9:  # policy document and its interpretation
            case = f"国知发管字〔{day.year}〕{n}号"
            yield [_fmt(day - dt.timedelta(days=2)), "secrecy_review_passed", case, unit, "", "", "", "", ""]
            yield [_fmt(day), "policy_document_published", case, unit, "", "", "", "", ""]
            gap = rng.randrange(0, 4) + (4 if late else 0)
            yield [_fmt(day + dt.timedelta(days=gap)), "interpretation_published", case, unit, "", "",
                   rng.choice(FORMS), "", ""]
        elif kind < 0.99:  # meeting
            yield [_fmt(day), "meeting_held", f"HY{n}", unit, "", "是" if rng.random() < 0.5 else "否", "", "", ""]
        else:  # annual summary for the previous year
            d = dt.date(day.year, 1, rng.randrange(5, 20))
            yield [_fmt(d), "annual_summary_submitted", f"ZJ{d.year}-{unit}", unit, "", "", "", "", str(d.year - 1)]


def stamped(rows: Iterator[list[str]], seed: int) -> Iterator[list[str]]:
    """The rows with a time of day (working hours, milliseconds) and a European UTC offset added
    to each date, from a random stream of their own (the rows are those of the same seed)."""
    rng = random.Random(seed + 1)
    for row in rows:
        month = int(row[0][5:7])
        offset = "+02:00" if 4 <= month <= 10 else "+01:00"
        ms = rng.randrange(8 * 3600 * 1000, 18 * 3600 * 1000)
        seconds, ms = divmod(ms, 1000)
        row[0] = (f"{row[0]}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{ms:03d}{offset}")
        yield row


def write_log(out: IO[str], events: int, seed: int = 20180517, late_share: float = 0.05,
              order: str = "case", timestamps: bool = False) -> None:
    """``events`` rows as CSV; ``order`` is ``case`` (as generated) or ``date`` (sorted by date);
    ``timestamps``: dates written as XES exports write timestamps (:func:`stamped`)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    stream = cases(seed, late_share=late_share)
    rows: Iterator[list[str]] = (next(stream) for _ in range(events))
    if timestamps:
        rows = stamped(rows, seed)
    writer.writerows(sorted(rows, key=lambda row: row[0]) if order == "date" else rows)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("events", type=int, nargs="?", default=10000)
    parser.add_argument("--late", type=float, default=0.05, help="share of cases that are late (default 0.05)")
    parser.add_argument("--order", choices=["case", "date"], default="case",
                        help="case: rows case by case, dates unsorted (default); date: sorted by date")
    parser.add_argument("--timestamps", action="store_true",
                        help="dates as XES exports write timestamps: 2011-10-01T00:38:44.546+02:00")
    parser.add_argument("--seed", type=int, default=20180517)
    args = parser.parse_args()
    write_log(sys.stdout, args.events, args.seed, args.late, args.order, args.timestamps)


if __name__ == "__main__":
    main()
