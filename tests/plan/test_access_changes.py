"""Every plan says who gains or loses what, and from when (sandbox over HTTP): a release moved to now
widens access to reviews and says so, a moved deadline moves the reviewers' window, a plan with nothing
to change has no access section, a release moved earlier shows both its access change and the papers
its fan-out touches."""

from __future__ import annotations

import json

from tests.plan.conftest import AT, Venueops
from tests.plan.test_venue_life import V, ms, set_clock, submit, user


def test_a_release_moved_to_now_is_a_marked_widening(venueops: Venueops, venue_file, tmp_path) -> None:
    file = venue_file("workshop")
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    text = (tmp_path / file).read_text()
    released = text.replace("release_to_authors: after_due", "release_to_authors: true", 1)
    (tmp_path / file).write_text(released)
    refused = venueops("plan", file, "--at", AT)  # the built-in policy stops it unless allowed on purpose
    assert refused.exit_code == 1 and "policy reviews_before_deadline" in refused.stderr
    (tmp_path / file).write_text(released + "\npolicies:\n  allow: [reviews_before_deadline]\n")
    plan = venueops("plan", file, "--at", AT)
    assert ("+ Authors of the paper gain read on Official_Review: from creation  [widens access to reviews]"
            in plan.stdout), plan.stdout
    assert "! This plan widens access to reviews." in plan.stdout
    data = json.loads(venueops("plan", file, "--json", "--at", AT).stdout)
    assert data["access"] == [{"role": "authors", "what": "Official_Review", "verb": "read", "change": "gain",
                               "before": None, "after": {"start": None, "end": None}, "widens": "reviews"}]
    markdown = venueops("plan", file, "--format", "markdown", "--at", AT).stdout
    assert "widens access to reviews" in markdown


def test_a_moved_deadline_moves_the_window_and_no_change_has_no_section(venueops: Venueops, venue_file,
                                                                         tmp_path) -> None:
    file = venue_file("workshop")
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    assert "Access changes" not in venueops("plan", file, "--at", AT).stdout
    text = (tmp_path / file).read_text()
    (tmp_path / file).write_text(text.replace("due: 2026-04-10 23:59", "due: 2026-04-17 23:59", 1))
    plan = venueops("plan", file, "--at", AT)
    assert ("~ Reviewers of the paper keep post on Official_Review, now from 2026-03-10 00:00 AoE until "
            "2026-04-18 00:29 AoE (was from 2026-03-10 00:00 AoE until 2026-04-11 00:29 AoE)") in plan.stdout, \
        plan.stdout
    assert "widens" not in plan.stdout


def test_a_release_moved_earlier_shows_the_access_change_and_the_fan_out_count(
        venueops: Venueops, venue_file, tmp_path, sandbox) -> None:
    """The review deadline of the workshop, with two papers submitted, moves a week earlier, and the plan
    is made between the two deadlines: the reviews the authors read only after the old deadline are theirs
    to read now, and the per-paper review forms of both papers are posted again."""
    file = venue_file("workshop")
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    set_clock(sandbox, now=ms("2026-02-10T00:00:00"))  # submissions are open
    submit(user(sandbox, "ann@drw.example", "Ann Author"), "Paper One")
    submit(user(sandbox, "bob@drw.example", "Bob Author"), "Paper Two")
    text = (tmp_path / file).read_text()
    (tmp_path / file).write_text(text.replace("due: 2026-04-10 23:59", "due: 2026-04-03 23:59", 1))
    plan = venueops("plan", file, "--at", "2026-04-05")
    assert plan.exit_code == 0, plan.output
    assert ("+ Authors of the paper gain read on Official_Review: from creation  [widens access to reviews]"
            in plan.stdout), plan.stdout
    assert (f"  invitation {V}/-/Official_Review: its date process updates the per-paper Official_Review "
            "invitations of each submission (about 2 now, an estimate: withdrawn and desk-rejected papers are "
            "skipped)") in plan.stdout, plan.stdout
