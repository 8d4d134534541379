"""Benchmark the dress rehearsal: ``venueops rehearse`` of the large example, the whole command (a fresh
sandbox, the venue's own processes running, every step played and probed), timed from outside.

    python benchmarks/rehearse_bench.py [--submissions 200] [--runs 1] [--json]

Target (issue 12): ``conference.yaml`` with 200 submissions in at most 3 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 180.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--example", default="conference")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    venue = ROOT / "examples" / "venues" / f"{args.example}.yaml"
    times, summary = [], {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as directory:
            report = Path(directory) / "report.json"
            command = [sys.executable, "-m", "venueops", "rehearse", str(venue), "--submissions",
                       str(args.submissions), "--json", str(report)]
            started = time.perf_counter()
            done = subprocess.run(command, cwd=directory, capture_output=True, text=True,
                                  env={**os.environ, "NO_COLOR": "1"})
            times.append(time.perf_counter() - started)
            if not report.exists():
                sys.exit(f"the rehearsal wrote no report (exit {done.returncode}):\n{done.stderr[-2000:]}")
            summary = {**json.loads(report.read_text())["summary"], "exit_code": done.returncode}
    result = {"example": args.example, "submissions": args.submissions, "runs": args.runs,
              "median_s": round(statistics.median(times), 1), "max_s": round(max(times), 1), **summary}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.example}, {args.submissions} submissions: {result['steps']} steps, {result['probes']} probes, "
          f"{result['differences']} differences, {result['problems']} problems (exit {result['exit_code']})")
    print(f"  wall time: median {result['median_s']} s, max {result['max_s']} s over {args.runs} run(s)")
    ok = result["max_s"] <= TARGET_S and result["exit_code"] == 0
    print(f"  {'PASS' if ok else 'FAIL'}  rehearsal with {args.submissions} submissions <= {TARGET_S:.0f} s, "
          "and as predicted")


if __name__ == "__main__":
    main()
