"""Benchmark ``venueops export`` on a sandbox holding a NeurIPS-2021-sized venue.

    python benchmarks/export_bench.py [--scale neurips|mid|workshop] [--db PATH] [--runs 5] [--json]

1. As ``plan_bench.py``: a sandbox process (``--no-processes``) over ``--db`` (kept and reused), the
   per-paper objects of the chosen scale loaded under the large example's venue id, then ``venueops apply
   examples/venues/conference.yaml --bootstrap`` (which records venueops' inventory).
2. ``venueops export ICDR.cc/2027/Conference -o exported.yaml`` is timed ``--runs`` times as the whole
   command (a fresh interpreter each time); the server's request counters give the requests (the login
   included); the exported file must then plan ``No changes``.
3. Adoption: the inventory is removed from the venue group (as for a venue venueops did not make) and
   export is timed again, now finding the venue-level objects from the venue group; the per-paper
   objects must not be listed (the server's counters show which routes were read). Apply then records
   the inventory again.

Targets (issue 11): export ≤ 10 requests and ≤ 2 s wall, the budget of a plan.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import openreview
from plan_bench import EXAMPLE, clear_counters, counters, ensure_loaded, log, scale_arguments, venueops
from sandbox_bench import Server, machine, root_client
from sandbox_venue import SCALES, Venue

VENUE_ID = "ICDR.cc/2027/Conference"


def timed_exports(baseurl: str, work: Path, runs: int, *extra: str) -> dict[str, Any]:
    """Whole-command timings; the requests export made (it says how many), and what the server saw (which
    also counts the login and any request the sandbox's own process workers made meanwhile)."""
    walls, seen, made = [], [], []
    routes: dict[str, int] = {}
    for _ in range(runs):
        clear_counters(baseurl)
        seconds, done = venueops(["export", VENUE_ID, "-o", "exported.yaml", *extra], baseurl, work)
        if done.returncode != 0:
            raise SystemExit(f"export exited {done.returncode}:\n{done.stderr[-3000:]}")
        walls.append(seconds)
        routes = counters(baseurl)
        seen.append(sum(routes.values()))
        said = re.search(r"\((\d+) read requests?\)", done.stderr)
        made.append(int(said.group(1)) if said else -1)
    return {"wall_seconds_median": round(statistics.median(walls), 3), "wall_seconds_max": round(max(walls), 3),
            "requests": max(made), "requests_seen_by_server": max(seen), "routes": routes,
            "note": "the server's count includes the login and the sandbox's own process workers"}


def main() -> None:
    args = scale_arguments(argparse.ArgumentParser(description=__doc__.split("\n\n")[0]))
    scale = SCALES[args.scale]
    result: dict[str, Any] = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "machine": machine(),
                              "scale": scale.name}
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        work = Path(tmp)
        db = args.db or work / "venue.db"
        # processes off: the venue's own date processes (the first apply sets them, and they fan out over
        # every paper) would otherwise share the two cores with the export being timed
        with Server(db, "subprocess", work / "server.log", serve_args=("--no-processes",)) as server:
            baseurl = server.baseurl
            venue = Venue(id=VENUE_ID, has_acs=scale.area_chairs > 0, has_sacs=scale.senior_area_chairs > 0)
            root = root_client(baseurl)
            ensure_loaded(baseurl, venue, scale, args.seed, result)
            (work / "conference.yaml").write_text(EXAMPLE.read_text())
            _, done = venueops(["apply", "conference.yaml", "--bootstrap", "--auto-approve"], baseurl, work)
            if done.returncode != 0:
                raise SystemExit(f"apply failed:\n{done.stdout}\n{done.stderr}")

            result["export"] = timed_exports(baseurl, work, args.runs)
            _, planned = venueops(["plan", "exported.yaml", "--detailed-exitcode"], baseurl, work)
            result["export"]["plan_of_exported_file"] = planned.stdout.strip().splitlines()[-1]
            result["export"]["plans_empty"] = planned.returncode == 0

            log("removing the inventory from the venue group: exporting as for a venue venueops did not make")
            root.post_group_edit(invitation=f"{VENUE_ID}/-/Edit", signatures=[VENUE_ID], readers=[VENUE_ID],
                                 writers=[VENUE_ID], group=openreview.api.Group(
                                     id=VENUE_ID, content={"venueops_inventory": {"delete": True}}))
            result["adoption"] = timed_exports(baseurl, work, args.runs, "--allow-diff")
            _, planned = venueops(["plan", "exported.yaml"], baseurl, work)
            result["adoption"]["plan_of_exported_file"] = planned.stdout.strip().splitlines()[-1]
            venueops(["apply", "conference.yaml", "--auto-approve"], baseurl, work)  # the inventory back
    result["targets"] = {
        f"{name} <= 10 requests": 0 <= result[name]["requests"] <= 10 for name in ("export", "adoption")
    } | {f"{name} <= 2 s wall": result[name]["wall_seconds_max"] <= 2.0 for name in ("export", "adoption")}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"command: {result['command']}")
    print(f"machine: {result['machine']}")
    print(f"database: {result['database']}")
    for name in ("export", "adoption"):
        figures = result[name]
        routes = ", ".join(f"{k} {v}" for k, v in sorted(figures["routes"].items()))
        print(f"{name}: {figures['requests']} read requests (the server saw at most "
              f"{figures['requests_seen_by_server']}; last run: {routes}); wall median "
              f"{figures['wall_seconds_median']} s, max {figures['wall_seconds_max']} s; then plan: "
              f"{figures['plan_of_exported_file']}")
    for name, ok in result["targets"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
