"""Control: does this machine make memory slower to get as a process grows?

Allocates rows of small Python objects (about gklint's size per event) and prints the seconds
per million rows. On a machine whose memory is backed lazily by its host (a micro-VM), the time
per million jumps once the process passes a few GB, with no change in the work per row; gklint's
growth from 10^6 to 10^7 events must be read against this.

    python benchmarks/alloc_control.py 14
"""
from __future__ import annotations

import gc
import resource
import sys
import time


def main(millions: int) -> None:
    gc.disable()
    keep = []
    start = time.perf_counter()
    for i in range(millions * 1_000_000):
        cells = [str(i), "inquiry_received" + str(i), "ZX%08d" % i, "办公室" + str(i), "是", "", "", "网上咨询", ""]
        keep.append((("f", i, "k", cells, str(i)), (cells, None)))
        if i % 1_000_000 == 999_999:
            now = time.perf_counter()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"{(i + 1) // 1_000_000:>3} M rows  {now - start:5.2f} s  {rss:,} MiB", flush=True)
            start = now


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 14)
