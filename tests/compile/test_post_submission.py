"""``stages.submission.post_submission: false``: no ``Post_<name>`` invitation, and nothing left that only it
would apply."""

from __future__ import annotations

import pytest

from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError

V = "T.cc/2026/Workshop"


def venue(submission: str) -> str:
    return f"""\
venue: {{id: {V}, name: Test Workshop}}
roles:
  program_chairs: {{members: [pc@t.org]}}
stages:
  submission:
    start: 2026-01-01
    due: 2026-02-01
{submission}"""


def test_without_post_submission_the_stage_makes_everything_else() -> None:
    with_it = {o.id for o in compile_venue(load_venue_text(venue(""), "venue.yaml"))}
    without = {o.id for o in compile_venue(load_venue_text(venue("    post_submission: false\n"), "venue.yaml"))}
    assert with_it - without == {f"{V}/-/Post_Submission"}
    assert without < with_it


@pytest.mark.parametrize("option", ["readers_after_due: [everyone]", "hide_fields: [keywords]"])
def test_what_only_post_submission_applies_is_an_error_without_it(option: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_venue_text(venue(f"    post_submission: false\n    {option}\n"), "venue.yaml")
    (problem,) = caught.value.diagnostics
    name = option.split(":")[0]
    assert problem.location.line == 9
    assert problem.message == f"stages.submission.{name} needs post_submission (it is false, so nothing would apply it)"
