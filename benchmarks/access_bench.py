"""Benchmark the access model: ``access_matrix`` of each example, in-process (the venue file already read).

    python benchmarks/access_bench.py [--runs 50] [--json]

Target (issue 12): the access matrix of the large example in at most 100 ms in-process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from venueops.access import access_matrix  # noqa: E402
from venueops.config.validate import load_venue  # noqa: E402

EXAMPLES = ("workshop", "conference", "open-review")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict[str, dict[str, float | int]] = {}
    for example in EXAMPLES:
        config = load_venue(ROOT / "examples" / "venues" / f"{example}.yaml")
        access_matrix(config)  # warm: imports and first compilation
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            matrix = access_matrix(config)
            times.append(time.perf_counter() - started)
        result[example] = {"grants": len(matrix.grants), "median_ms": round(statistics.median(times) * 1000, 1),
                           "max_ms": round(max(times) * 1000, 1)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for example, figures in result.items():
        print(f"{example}: {figures['grants']} grants, median {figures['median_ms']} ms, max {figures['max_ms']} ms")
    ok = result["conference"]["max_ms"] <= 100
    print(f"  {'PASS' if ok else 'FAIL'}  access matrix of the large example <= 100 ms")


if __name__ == "__main__":
    main()
