"""Benchmark: ``reconcile`` over many venues on one sandbox (issue 10's figures).

    python benchmarks/reconcile_bench.py [--venues 200] [--jobs 8]

A sandbox server runs in its own process (``venueops sandbox serve --memory --no-processes``). The
example workshop is applied under ``--venues`` venue ids; then, through the library the CLI uses:

1. ``reconcile --mode detect --jobs N`` with every venue in sync: total HTTP requests the server saw
   (its ``/_sandbox/requests`` counters), requests per venue, wall time;
2. the same venues ``--mode heal`` as of a moment after each one's review release: edits posted
   (group and invitation edits; the write lock's own note edits counted apart) and wall time.

Targets: ≤ 4 requests per venue and ≤ 30 s for detect; exactly one edit per venue for heal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from venueops.config.dates import parse_date  # noqa: E402
from venueops.config.validate import load_venue  # noqa: E402
from venueops.engine import apply_plan_to_target, plan_venue  # noqa: E402
from venueops.reconcile.run import reconcile_all  # noqa: E402
from venueops.targets.server import server_target  # noqa: E402

PASSWORD = "a-reconcile-benchmark-password"
BEFORE = parse_date("2026-01-15", "UTC", end_of_day=False).ms
AFTER_RELEASE = parse_date("2026-04-12", "UTC", end_of_day=False).ms


def start_server(log: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "venueops", "sandbox", "serve", "--host", "127.0.0.1", "--port", "0",
               "--memory", "--no-processes"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "VENUEOPS_SANDBOX_ROOT_PASSWORD": PASSWORD}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log.open("w"), text=True, env=env)
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return process, found.group(1)
    raise RuntimeError(f"the sandbox did not start; see {log}")


def counted(baseurl: str) -> dict[str, int]:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=30).json()["byRoute"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venues", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reconcile-bench-"))
    template = (ROOT / "examples" / "venues" / "workshop.yaml").read_text()
    files = []
    for n in range(args.venues):
        path = work / f"venue{n:03d}.yaml"
        path.write_text(template.replace("DRW.cc/2026/Workshop", f"DRW{n:03d}.cc/2026/Workshop"))
        files.append(path)
    server, baseurl = start_server(work / "sandbox.log")
    try:
        os.environ.update({"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_USERNAME": "openreview.net",
                           "OPENREVIEW_PASSWORD": PASSWORD})
        os.environ.pop("OPENREVIEW_TOKEN", None)
        target = server_target(baseurl, bootstrap=True)
        started = time.perf_counter()
        for path in files:
            config = load_venue(path)
            plan = plan_venue(config, target, at=BEFORE).plan
            assert apply_plan_to_target(plan, target, config, at=BEFORE, allow_delete=False).ok
        setup_s = time.perf_counter() - started

        reader = server_target(baseurl, bootstrap=False)
        requests.delete(f"{baseurl}/_sandbox/requests", timeout=30).raise_for_status()
        started = time.perf_counter()
        detected = reconcile_all(files, reader, mode="detect", jobs=args.jobs, at=BEFORE)
        detect_s = time.perf_counter() - started
        detect_counts = counted(baseurl)
        assert all(r.status == "in_sync" for r in detected), [r for r in detected if r.status != "in_sync"][:2]
        total = sum(detect_counts.values())

        requests.delete(f"{baseurl}/_sandbox/requests", timeout=30).raise_for_status()
        started = time.perf_counter()
        healed = reconcile_all(files, reader, mode="heal", jobs=args.jobs, at=AFTER_RELEASE)
        heal_s = time.perf_counter() - started
        heal_counts = counted(baseurl)
        assert all(r.status == "healed" for r in healed), [r for r in healed if r.status != "healed"][:2]
        edits = heal_counts.get("POST /groups/edits", 0) + heal_counts.get("POST /invitations/edits", 0)
        lock_edits = heal_counts.get("POST /notes/edits", 0)
    finally:
        server.terminate()
        server.wait(timeout=60)
    result = {
        "venues": args.venues, "jobs": args.jobs, "setup_apply_seconds": round(setup_s, 1),
        "detect": {"wall_seconds": round(detect_s, 2), "requests": total,
                   "requests_per_venue": round(total / args.venues, 2), "by_route": detect_counts},
        "heal": {"wall_seconds": round(heal_s, 2), "edits_posted": edits, "lock_note_edits": lock_edits,
                 "requests": sum(heal_counts.values())},
        "targets": {"detect ≤ 4 requests per venue": total / args.venues <= 4, "detect ≤ 30 s": detect_s <= 30,
                    "heal posts exactly one edit per venue": edits == args.venues},
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
