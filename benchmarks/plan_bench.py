"""Benchmark ``venueops plan``/``apply`` on a sandbox holding a NeurIPS-2021-sized venue.

    python benchmarks/plan_bench.py [--scale neurips|mid|workshop] [--db PATH] [--runs 5] [--json]

1. A sandbox runs as its own process (``venueops sandbox serve``) over ``--db`` (kept and reused:
   loading NeurIPS takes minutes). When the database does not hold the venue yet, the per-paper
   objects of the chosen scale (``sandbox_venue.py``: 11,729 submissions, their groups, anonymous
   groups, 37k reviews, 101k comments, ...) are loaded under the large example's venue id.
2. ``venueops apply examples/venues/conference.yaml --bootstrap --auto-approve`` brings the
   venue-level objects to the configuration (the loader's own versions are overwritten).
3. A no-change ``venueops plan --json --detailed-exitcode`` is timed ``--runs`` times as the whole
   command (a fresh interpreter each time, as a user or cron runs it) and in-process; the
   request count is the plan's own ``requests`` field, cross-checked with the server's counters.
4. The review deadline is moved by a week and applied: the server's counters must show exactly one
   edit posted.

Targets (issue 4): a no-change plan ≤ 10 HTTP requests and ≤ 2 s wall; one deadline → 1 edit.
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
from typing import Any

import requests
from sandbox_bench import Server, load_state, load_venue, machine, root_client
from sandbox_venue import SCALES, Venue

from venueops.sandbox.server import DEFAULT_ROOT_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "venues" / "conference.yaml"
DEADLINE = ("    due: 2026-11-20 23:59\n", "    due: 2026-11-27 23:59\n")


def log(message: str) -> None:
    print(f"[plan-bench] {message}", file=sys.stderr, flush=True)


def venueops(args: list[str], baseurl: str, cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENREVIEW_")}
    env |= {"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_USERNAME": "openreview.net",
            "OPENREVIEW_PASSWORD": DEFAULT_ROOT_PASSWORD, "NO_COLOR": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "venueops", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    return time.perf_counter() - started, done


def counters(baseurl: str) -> dict[str, int]:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=30).json()["byRoute"]


def clear_counters(baseurl: str) -> None:
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=30).raise_for_status()


def in_process_plan(baseurl: str, file: Path, runs: int) -> list[float]:
    from venueops.api.client import ApiClient
    from venueops.apply.runner import Clients
    from venueops.config.validate import load_venue
    from venueops.engine import plan_venue
    from venueops.targets.target import Target

    client = ApiClient(baseurl)
    client.login("openreview.net", DEFAULT_ROOT_PASSWORD)
    target = Target(label=baseurl, reader=client, clients=Clients(venue=client, root=client), provisioning=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        planned = plan_venue(load_venue(file), target)  # read, validate and compile each time, as the CLI does
        times.append(time.perf_counter() - started)
        if not planned.plan.empty:
            raise SystemExit("the in-process plan is not empty")
    return times


def scale_arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The options the benchmarks on a loaded venue share, parsed."""
    parser.add_argument("--scale", choices=sorted(SCALES), default="neurips")
    parser.add_argument("--db", type=Path, help="the sandbox database (kept; reused when it holds the venue)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def ensure_loaded(baseurl: str, venue: Venue, scale: Any, seed: int, result: dict[str, Any]) -> None:
    """Load the venue's per-paper objects unless the database holds them already (``load_seconds`` then
    says how long it took); ``database`` gets the server's counts either way."""
    if load_state(root_client(baseurl), venue, scale, seed) == "empty":
        log(f"loading a {scale.name}-sized venue under {venue.id} (minutes; reused next time with --db)")
        started = time.perf_counter()
        load_venue(baseurl, venue, scale, seed, chunk=2000, max_bytes=4 << 20)
        result["load_seconds"] = round(time.perf_counter() - started, 1)
    result["database"] = requests.get(f"{baseurl}/_sandbox/stats", timeout=60).json()


def main() -> None:
    args = scale_arguments(argparse.ArgumentParser(description=__doc__.split("\n\n")[0]))
    scale = SCALES[args.scale]
    result: dict[str, Any] = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "machine": machine(),
                              "scale": scale.name}
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as tmp:
        work = Path(tmp)
        db = args.db or work / "venue.db"
        with Server(db, "subprocess", work / "server.log") as server:
            baseurl = server.baseurl
            text = EXAMPLE.read_text()
            venue_id = "ICDR.cc/2027/Conference"
            assert f"id: {venue_id}" in text
            venue = Venue(id=venue_id, has_acs=scale.area_chairs > 0, has_sacs=scale.senior_area_chairs > 0)
            ensure_loaded(baseurl, venue, scale, args.seed, result)
            (work / "conference.yaml").write_text(text)
            seconds, done = venueops(["apply", "conference.yaml", "--bootstrap", "--auto-approve"], baseurl, work)
            if done.returncode != 0:
                raise SystemExit(f"apply failed:\n{done.stdout}\n{done.stderr}")
            result["first_apply_seconds"] = round(seconds, 2)
            log(f"venue-level objects applied in {seconds:.1f} s")

            walls, counts, server_counts = [], [], []
            for _ in range(args.runs):
                clear_counters(baseurl)
                seconds, done = venueops(["plan", "conference.yaml", "--json", "--detailed-exitcode"], baseurl, work)
                if done.returncode != 0:
                    raise SystemExit(f"the no-change plan exited {done.returncode}:\n{done.stdout[-3000:]}"
                                     f"\n{done.stderr}")
                walls.append(seconds)
                counts.append(json.loads(done.stdout)["requests"])
                server_counts.append(sum(counters(baseurl).values()))
            result["no_change_plan"] = {
                "wall_seconds_median": round(statistics.median(walls), 3), "wall_seconds_max": round(max(walls), 3),
                "requests_in_plan_json": max(counts), "requests_seen_by_server": max(server_counts),
                "note": "server count includes the login",
            }
            in_process = in_process_plan(baseurl, work / "conference.yaml", args.runs)
            result["no_change_plan"]["in_process_seconds_median"] = round(statistics.median(in_process), 3)

            (work / "conference.yaml").write_text(text.replace(*DEADLINE))
            clear_counters(baseurl)
            seconds, done = venueops(["apply", "conference.yaml", "--auto-approve"], baseurl, work)
            if done.returncode != 0:
                raise SystemExit(f"the deadline apply failed:\n{done.stdout}\n{done.stderr}")
            seen = counters(baseurl)
            result["one_deadline_apply"] = {
                "edits_posted": seen.get("POST /invitations/edits", 0) + seen.get("POST /groups/edits", 0),
                "wall_seconds": round(seconds, 2), "requests": seen,
            }
            (work / "conference.yaml").write_text(text)  # put the deadline back for the next run
            venueops(["apply", "conference.yaml", "--auto-approve"], baseurl, work)
    plan = result["no_change_plan"]
    result["targets"] = {
        "no-change plan <= 10 requests": plan["requests_in_plan_json"] <= 10,
        "no-change plan <= 2 s wall": plan["wall_seconds_max"] <= 2.0,
        "one deadline -> exactly 1 edit": result["one_deadline_apply"]["edits_posted"] == 1,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"command: {result['command']}")
    print(f"machine: {result['machine']}")
    print(f"database: {result['database']}")
    print(f"no-change plan: {plan['requests_in_plan_json']} requests (server saw {plan['requests_seen_by_server']} "
          f"with the login), wall median {plan['wall_seconds_median']} s, max {plan['wall_seconds_max']} s; "
          f"in-process median {plan['in_process_seconds_median']} s")
    apply_result = result["one_deadline_apply"]
    print(f"one deadline moved: {apply_result['edits_posted']} edit posted, "
          f"apply wall {apply_result['wall_seconds']} s")
    for name, ok in result["targets"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
