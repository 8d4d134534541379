"""Round trip from venueops: apply each example, export it, and the file validates, plans empty and
compiles to the same objects as the original (sandbox over HTTP, no mocks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.plan.conftest import AT, EXAMPLES, ServerRequests, Venueops
from venueops.cli.arguments import parse_at
from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue
from venueops.plan.diff import canonical_list

VENUES = {"workshop": "DRW.cc/2026/Workshop", "conference": "ICDR.cc/2027/Conference",
          "open-review": "OpenSci.org/2026/Symposium"}


def compiled(path: Path) -> dict[str, Any]:
    """The file's objects as of AT, in the plan's normal form (access lists as sets), by address."""
    config = load_venue(path)
    state = compile_venue(config, at=parse_at(AT, config))
    return {f"{o.kind} {o.id}": _normal(o.body) for o in state.objects}


def _normal(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _normal(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return canonical_list(key, [_normal(v) for v in value])
    return value


@pytest.mark.parametrize("example", sorted(VENUES))
def test_export_round_trips(example: str, venueops: Venueops, venue_file: Any,
                            server_requests: ServerRequests, tmp_path: Path) -> None:
    source = venue_file(example)
    applied = venueops("apply", source, "--auto-approve", "--bootstrap", "--at", AT)
    assert applied.exit_code == 0, applied.output

    server_requests.clear()
    exported = venueops("export", VENUES[example], "-o", "exported.yaml", "--at", AT)
    assert exported.exit_code == 0, exported.output
    assert "Recognized: venue, roles" in exported.stderr
    answer = requests.get(f"{server_requests.baseurl}/_sandbox/requests", timeout=10).json()
    reads = {route: n for route, n in answer["byRoute"].items() if route != "POST /login"}
    assert set(reads) <= {"GET /groups", "GET /invitations"}, reads
    assert sum(reads.values()) == 3, reads  # the venue group, then the managed groups and invitations by id
    assert server_requests.edits() == 0

    text = (tmp_path / "exported.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "# Recognized: venue, roles" in text

    validated = venueops("validate", "exported.yaml")
    assert validated.exit_code == 0, validated.output
    planned = venueops("plan", "exported.yaml", "--at", AT)
    assert planned.exit_code == 0, planned.output
    assert "No changes" in planned.stdout, planned.stdout

    original, again = compiled(EXAMPLES / f"{example}.yaml"), compiled(tmp_path / "exported.yaml")
    assert sorted(original) == sorted(again)
    for address, body in original.items():
        assert json.dumps(again[address], sort_keys=True) == json.dumps(body, sort_keys=True), address


def test_export_to_stdout_writes_the_same_file(venueops: Venueops, venue_file: Any, tmp_path: Path) -> None:
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    to_file = venueops("export", VENUES["workshop"], "-o", "w.yaml", "--at", AT, "--timezone", "AoE")
    to_stdout = venueops("export", VENUES["workshop"], "--at", AT, "--timezone", "AoE")
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert to_stdout.stdout == (tmp_path / "w.yaml").read_text()
    assert "timezone: AoE" in to_stdout.stdout and "due: 2026-03-01 23:59" in to_stdout.stdout
    # the raw group no stage produces is kept, with a comment saying why
    assert "# DRW.cc/2026/Workshop/Publicity_Chairs: managed by venueops, but no recognized stage" in to_stdout.stdout
