"""Export of a live venue with its papers, reviews and comments loaded reads only venue-level objects, in a
fixed number of requests (the server's own counters), whatever the venue's size.

The per-paper objects come from the benchmarks' loader (``benchmarks/sandbox_venue.py``) under the large
example's id; ``apply`` then brings the venue-level objects to ``conference.yaml``. The default run loads
the workshop-sized venue (50 papers); the slow run the mid-size one (2,000 papers, 7,000 reviews):

    python -m pytest -m slow tests/export/test_loaded_venue.py
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import openreview
import pytest
import requests
from click.testing import CliRunner

from tests.plan.conftest import EXAMPLES, credentials
from venueops.api.client import ApiClient
from venueops.cli import cli
from venueops.export.read import read_venue
from venueops.sandbox import DEFAULT_ROOT_PASSWORD, Sandbox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from sandbox_bench import load_venue  # noqa: E402
from sandbox_venue import SCALES, Venue  # noqa: E402

VENUE_ID = "ICDR.cc/2027/Conference"
PER_PAPER = re.compile(re.escape(VENUE_ID) + r"/Submission\d+(/|$)")


@pytest.fixture(scope="module", params=["workshop", pytest.param("mid", marks=pytest.mark.slow)])
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base url, scale name): a sandbox holding the venue's per-paper objects and ``conference.yaml``."""
    scale = SCALES[request.param]
    directory = tmp_path_factory.mktemp(f"loaded-{scale.name}")
    with Sandbox(db=directory / "venue.db", root_password=DEFAULT_ROOT_PASSWORD) as server:
        venue = Venue(id=VENUE_ID, has_acs=scale.area_chairs > 0, has_sacs=scale.senior_area_chairs > 0)
        load_venue(server.baseurl, venue, scale, seed=1, chunk=2000, max_bytes=4 << 20)
        applied = cli_run(server.baseurl, "apply", str(EXAMPLES / "conference.yaml"), "--bootstrap", "--auto-approve")
        assert applied.exit_code == 0, applied.output[-3000:]
        yield server.baseurl, scale.name


def cli_run(baseurl: str, *args: str) -> object:
    return CliRunner().invoke(cli, list(args), env=credentials(baseurl, password=DEFAULT_ROOT_PASSWORD),
                              catch_exceptions=False)


def served(baseurl: str) -> dict[str, int]:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=60).json()["byRoute"]


def export_counted(baseurl: str, out: Path) -> tuple[object, dict[str, int]]:
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=60).raise_for_status()
    run = cli_run(baseurl, "export", VENUE_ID, "-o", str(out))
    return run, served(baseurl)


def test_export_of_a_loaded_venue_reads_venue_level_objects_only(loaded: tuple[str, str], tmp_path: Path) -> None:
    baseurl, _ = loaded
    stats = requests.get(f"{baseurl}/_sandbox/stats", timeout=60).json()
    assert stats["notes"] > 50  # papers, reviews and comments are there to be (not) read

    run, routes = export_counted(baseurl, tmp_path / "managed.yaml")
    assert run.exit_code == 0, run.output
    assert "(3 read requests)" in run.stderr
    assert routes == {"POST /login": 1, "GET /groups": 2, "GET /invitations": 1}
    plan = cli_run(baseurl, "plan", str(tmp_path / "managed.yaml"), "--detailed-exitcode")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output

    # the same venue as if venueops had not made it: no inventory, objects found from the venue group
    root = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=DEFAULT_ROOT_PASSWORD)
    inventory = root.get_group(VENUE_ID).content["venueops_inventory"]
    root.post_group_edit(invitation=f"{VENUE_ID}/-/Edit", signatures=[VENUE_ID], readers=[VENUE_ID],
                         writers=[VENUE_ID], group=openreview.api.Group(
                             id=VENUE_ID, content={"venueops_inventory": {"delete": True}}))
    try:
        run, routes = export_counted(baseurl, tmp_path / "adopted.yaml")
        assert run.exit_code == 0, run.output
        assert "(5 read requests)" in run.stderr
        assert routes == {"POST /login": 1, "GET /groups": 3, "GET /invitations": 2}
        client = ApiClient(baseurl)
        client.login("openreview.net", DEFAULT_ROOT_PASSWORD)
        read = read_venue(client, VENUE_ID)
        assert read.adopted
        assert not [i for i in (*read.live.groups, *read.live.invitations) if PER_PAPER.match(i)]
        plan = cli_run(baseurl, "plan", str(tmp_path / "adopted.yaml"))
        assert plan.exit_code == 0 and "Plan: no object changes" in plan.stdout, plan.output
    finally:
        root.post_group_edit(invitation=f"{VENUE_ID}/-/Edit", signatures=[VENUE_ID], readers=[VENUE_ID],
                             writers=[VENUE_ID], group=openreview.api.Group(
                                 id=VENUE_ID, content={"venueops_inventory": inventory}))
