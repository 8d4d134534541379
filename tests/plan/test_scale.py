"""The issue's scale targets, as a (slow) test: with a large venue loaded in the sandbox, a no-change
plan of the large example takes at most 10 HTTP requests, and one moved deadline applies as exactly
one edit. Timings are the benchmark's business (``benchmarks/plan_bench.py``); this checks the counts.

    python -m pytest -m slow        # ~1 minute to load a 2,000-submission venue
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from tests.plan.conftest import EXAMPLES
from venueops.cli import cli
from venueops.sandbox import DEFAULT_ROOT_PASSWORD, Sandbox

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from sandbox_bench import load_venue  # noqa: E402
from sandbox_venue import SCALES, Venue  # noqa: E402

SCALE = SCALES[os.environ.get("VENUEOPS_SCALE_TEST", "mid")]
VENUE_ID = "ICDR.cc/2027/Conference"
DEADLINE = ("    due: 2026-11-20 23:59\n", "    due: 2026-11-27 23:59\n")


@pytest.fixture(scope="module")
def large_venue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A sandbox holding a venue of ``SCALE`` under the large example's id (its per-paper objects)."""
    directory = tmp_path_factory.mktemp("scale")
    with Sandbox(db=directory / "venue.db", root_password=DEFAULT_ROOT_PASSWORD) as server:
        venue = Venue(id=VENUE_ID, has_acs=SCALE.area_chairs > 0, has_sacs=SCALE.senior_area_chairs > 0)
        load_venue(server.baseurl, venue, SCALE, seed=1, chunk=2000, max_bytes=4 << 20)
        yield server.baseurl


def run(baseurl: str, directory: Path, *args: str) -> tuple[int, str]:
    env = {"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_USERNAME": "openreview.net",
           "OPENREVIEW_PASSWORD": DEFAULT_ROOT_PASSWORD, "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}
    previous = Path.cwd()
    os.chdir(directory)
    try:
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout + result.stderr


def served(baseurl: str) -> dict[str, int]:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=60).json()["byRoute"]


def test_a_no_change_plan_of_a_large_venue_is_a_handful_of_requests_and_one_deadline_is_one_edit(
        large_venue: str, tmp_path: Path) -> None:
    text = (EXAMPLES / "conference.yaml").read_text()
    (tmp_path / "conference.yaml").write_text(text)
    code, output = run(large_venue, tmp_path, "apply", "conference.yaml", "--bootstrap", "--auto-approve")
    assert code == 0, output[-3000:]

    requests.delete(f"{large_venue}/_sandbox/requests", timeout=60)
    code, output = run(large_venue, tmp_path, "plan", "conference.yaml", "--json", "--detailed-exitcode")
    assert code == 0, output[-3000:]
    plan = json.loads(output)
    assert plan["summary"]["empty"] and plan["requests"] <= 10
    assert sum(served(large_venue).values()) == plan["requests"] + 1  # and the login

    assert DEADLINE[0] in text
    (tmp_path / "conference.yaml").write_text(text.replace(*DEADLINE))
    requests.delete(f"{large_venue}/_sandbox/requests", timeout=60)
    code, output = run(large_venue, tmp_path, "apply", "conference.yaml", "--auto-approve")
    assert code == 0, output[-3000:]
    by_route = served(large_venue)
    assert by_route.get("POST /invitations/edits", 0) + by_route.get("POST /groups/edits", 0) == 1
