"""Property tests: random valid venues compile deterministically; random byte mutations of a valid
file never crash the loader (every outcome is a valid venue or located diagnostics)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "venues").glob("*.yaml"))
NAME = st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True)
DAY = dt.date(2026, 1, 1)


@st.composite
def venues(draw: st.DrawFn) -> dict[str, Any]:
    """A valid venue file: stages in a sensible order, optional roles and form changes."""
    offsets = sorted(draw(st.lists(st.integers(1, 300), min_size=12, max_size=12, unique=True)))
    days = iter(DAY + dt.timedelta(days=o) for o in offsets)

    def window() -> dict[str, str]:
        return {"start": next(days).isoformat(), "due": f"{next(days).isoformat()} 23:59"}

    zone = draw(st.sampled_from(["AoE", "UTC", "Europe/Paris", "+05:30"]))
    venue_id = f"{draw(NAME)}.cc/{draw(st.integers(2020, 2030))}/{draw(st.sampled_from(['Workshop', 'Conference']))}"
    roles: dict[str, Any] = {"program_chairs": [f"~{draw(NAME)}_{draw(NAME)}1"]}
    if draw(st.booleans()):
        roles["area_chairs"] = {}
    roles["reviewers"] = {"anonymous": draw(st.booleans())}
    if draw(st.booleans()):
        roles["senior_area_chairs"] = {}
    submission = {**window(), "double_blind": draw(st.booleans())}
    if draw(st.booleans()):
        submission["form"] = {"remove": ["TLDR"],
                              "add": {"code": {"type": "string", "optional": True, "regex": "^https?://.+"}}}
    stages: dict[str, Any] = {"submission": submission}
    if draw(st.booleans()):
        stages["review"] = {**window(), "release_to_authors": draw(st.sampled_from([True, False, "after_due"]))}
        if draw(st.booleans()):
            stages["rebuttal"] = {**window(), "mode": draw(st.sampled_from(["per_review", "single", "unlimited"]))}
    if draw(st.booleans()):
        stages["decision"] = {**window(), "options": ["Accept", "Reject"], "accept_options": ["Accept"]}
    return {"venue": {"id": venue_id, "name": f"{draw(NAME)} venue", "timezone": zone}, "roles": roles,
            "stages": stages}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(venues())
def test_random_valid_venues_compile_deterministically(venue: dict[str, Any]) -> None:
    text = yaml.safe_dump(venue, sort_keys=False)
    first = compile_venue(load_venue_text(text, "venue.yaml")).dumps()
    second = compile_venue(load_venue_text(text, "venue.yaml")).dumps()
    assert first == second


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLES), st.data())
def test_byte_mutations_never_crash_the_loader(example: Path, data: st.DataObject) -> None:
    raw = bytearray(example.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "flip":
            raw[position] = data.draw(st.integers(0, 255))
        elif action == "insert":
            raw.insert(position, data.draw(st.integers(0, 255)))
        elif len(raw) > 1:
            del raw[position]
    try:
        config = load_venue_text(bytes(raw), "mutated.yaml")  # type: ignore[arg-type]
        compile_venue(config)
    except ConfigError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert diagnostic.location is not None and diagnostic.location.line >= 1
