"""Golden renderings of what users read: plans as text and JSON, and apply's refusals.

Regenerate with ``python -m pytest tests/plan/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import requests

from tests.plan.conftest import AT, EXAMPLES, Venueops, check_golden, credentials

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())
MOVED = {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59", "remove: [title]": "remove: [title, confidence]",
         "members: [~Pub_Chair1]": "members: [~Pub_Chair1, ~Pub_Chair2]"}


FROZEN_MS = 1768435200000  # 2026-01-15 00:00 UTC: the sandbox's clock in these tests (stable tmdates)


@pytest.fixture(autouse=True)
def frozen_clock(sandbox) -> None:
    """Freeze the sandbox's clock (reset returns it to wall time for the next test)."""
    requests.put(f"{sandbox.baseurl}/_sandbox/clock", json={"now": FROZEN_MS}, timeout=10).raise_for_status()


def without_decision() -> dict[str, str]:
    text = (EXAMPLES / "workshop.yaml").read_text()
    start = text.index("  decision:")
    return {text[start:text.index("\n\n", start) + 2]: ""}


@pytest.fixture
def applied(venueops: Venueops, venue_file) -> Path:
    file = venue_file("workshop")
    run = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)
    assert run.exit_code == 0, run.output
    return file


def test_plan_of_a_new_venue(venueops: Venueops, venue_file, baseurl: str, update_golden: bool) -> None:
    run = venueops("plan", venue_file("workshop"), "--bootstrap", "--at", AT)
    check_golden("new-venue.txt", run.stdout, baseurl, update_golden)


def test_plan_of_changes(venueops: Venueops, venue_file, applied: Path, baseurl: str, update_golden: bool) -> None:
    changed = venue_file("workshop", {**MOVED, **without_decision()})
    check_golden("changes.txt", venueops("plan", changed, "--at", AT).stdout, baseurl, update_golden)
    as_json = venueops("plan", changed, "--json", "--at", AT).stdout
    jsonschema.validate(json.loads(as_json), SCHEMA)
    check_golden("changes.json", as_json, baseurl, update_golden)
    as_markdown = venueops("plan", changed, "--format", "markdown", "--at", AT).stdout
    check_golden("changes.md", as_markdown, baseurl, update_golden)


def test_plan_without_changes(venueops: Venueops, applied: Path, baseurl: str, update_golden: bool) -> None:
    check_golden("no-changes.txt", venueops("plan", applied, "--at", AT).stdout, baseurl, update_golden)
    as_json = venueops("plan", applied, "--json", "--at", AT).stdout
    jsonschema.validate(json.loads(as_json), SCHEMA)
    check_golden("no-changes.json", as_json, baseurl, update_golden)
    check_golden("no-changes.md", venueops("plan", applied, "--format", "markdown", "--at", AT).stdout, baseurl,
                 update_golden)


def test_refusals(venueops: Venueops, venue_file, applied: Path, make_user, root, baseurl: str,
                  update_golden: bool) -> None:
    make_user("someone@else.example", "Some One")
    other = venueops("apply", venue_file("open-review"), "--auto-approve",
                     env=credentials(baseurl, "someone@else.example"))
    check_golden("refusal-rights.txt", other.stderr, baseurl, update_golden)
    moved = venue_file("workshop", MOVED)
    assert venueops("plan", moved, "-o", "plan.json", "--at", AT).exit_code == 0
    assert venueops("apply", "plan.json", "--at", AT).exit_code == 0
    stale = venueops("apply", "plan.json", "--at", AT)
    check_golden("refusal-stale.txt", stale.stderr, baseurl, update_golden)
    nowhere = venueops("plan", moved, env={"OPENREVIEW_API_BASEURL_V2": None})
    check_golden("refusal-no-server.txt", nowhere.stderr, baseurl, update_golden)


def test_every_json_plan_validates_against_the_documented_schema(venueops: Venueops, venue_file) -> None:
    for example in ("workshop", "conference", "open-review"):
        run = venueops("plan", venue_file(example), "--json", "--bootstrap")
        jsonschema.validate(json.loads(run.stdout), SCHEMA)
