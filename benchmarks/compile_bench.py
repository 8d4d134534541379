"""Benchmark `validate` + compile of a venue file, in-process and as a whole command.

    python benchmarks/compile_bench.py [examples/venues/conference.yaml] [--runs 20]

Targets (issue 3): in-process ≤ 200 ms; the whole `venueops validate` command, interpreter start
included, ≤ 1 s. In-process figures exclude imports; the first in-process call is reported apart.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "examples" / "venues" / "conference.yaml"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    started = time.perf_counter()
    from venueops.compile.compile import compile_venue
    from venueops.config.validate import load_venue

    imported = time.perf_counter() - started

    def once() -> float:
        begin = time.perf_counter()
        state = compile_venue(load_venue(args.file))
        assert state.objects
        return time.perf_counter() - begin

    first = once()
    in_process = [once() for _ in range(args.runs)]
    command = [sys.executable, "-m", "venueops", "validate", args.file]
    whole = []
    for _ in range(max(5, args.runs // 2)):
        begin = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        whole.append(time.perf_counter() - begin)

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"

    print(f"command: {' '.join(sys.argv)}")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"file:    {args.file} ({len(compile_venue(load_venue(args.file)).objects)} objects)")
    print(f"imports (once per process):              {imported * 1000:.1f} ms")
    print(f"validate + compile, first call:          {first * 1000:.1f} ms")
    print(f"validate + compile, in-process ({args.runs} runs): {ms(in_process)}   target <= 200 ms")
    print(f"`venueops validate` whole command ({len(whole)} runs): {ms(whole)}   target <= 1000 ms")


if __name__ == "__main__":
    main()
