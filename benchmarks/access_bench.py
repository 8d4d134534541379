"""Benchmark the access model, in-process (the venue file already read): ``access_matrix`` of each example,
and the "Access changes" section of a plan (``access_changes``) that moves the review deadline of the
large example a week, against the live venue as the unmoved file made it.

    python benchmarks/access_bench.py [--runs 50] [--json]

Targets (issue 12): the access matrix, and the access section of a plan, of the large example in at most
100 ms each in-process.
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
from venueops.access.changes import access_changes  # noqa: E402
from venueops.compile.compile import compile_venue  # noqa: E402
from venueops.config.validate import load_venue, load_venue_text  # noqa: E402
from venueops.state.reader import LiveState  # noqa: E402

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
    section = _plan_section(args.runs)
    if args.json:
        print(json.dumps({"matrix": result, "plan_section": section}, indent=2))
        return
    for example, figures in result.items():
        print(f"{example}: {figures['grants']} grants, median {figures['median_ms']} ms, max {figures['max_ms']} ms")
    print(f"conference plan's access section: {section['lines']} changes, median {section['median_ms']} ms, "
          f"max {section['max_ms']} ms")
    ok = result["conference"]["max_ms"] <= 100
    print(f"  {'PASS' if ok else 'FAIL'}  access matrix of the large example <= 100 ms")
    ok = section["max_ms"] <= 100
    print(f"  {'PASS' if ok else 'FAIL'}  access section of a plan of the large example <= 100 ms")


def _plan_section(runs: int) -> dict[str, float | int]:
    """The access changes of a plan that moves the conference's review deadline a week later."""
    path = ROOT / "examples" / "venues" / "conference.yaml"
    before = load_venue(path)
    text = path.read_text()
    moved = text.replace("    due: 2026-11-20 23:59\n", "    due: 2026-11-27 23:59\n")
    assert moved != text
    after = load_venue_text(moved, str(path))
    live_objects = compile_venue(before, server_rules=False)
    live = LiveState(groups={o.id: o.body for o in live_objects if o.kind == "group"},
                     invitations={o.id: o.body for o in live_objects if o.kind == "invitation"})
    desired = compile_venue(after)
    changes = access_changes(after, desired, live)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        changes = access_changes(after, desired, live)
        times.append(time.perf_counter() - started)
    return {"lines": len(changes), "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1)}


if __name__ == "__main__":
    main()
