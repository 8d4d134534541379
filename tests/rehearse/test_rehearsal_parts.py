"""The rehearsal's pure parts: the cast, the synthetic forms, the script of moments, the predictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from venueops.access.derive import access_matrix
from venueops.access.model import AccessMatrix, Grant
from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue
from venueops.rehearse.cast import cast_for
from venueops.rehearse.forms import FILE_PATH, Writer, choose_signature, note_edit, synthetic_content
from venueops.rehearse.predict import predicted, roles_now
from venueops.rehearse.script import AFTER_MS, script_for

EXAMPLES = Path(__file__).parents[2] / "examples" / "venues"
C = "ICDR.cc/2027/Conference"


@pytest.fixture(scope="module")
def conference():  # type: ignore[no-untyped-def]
    return load_venue(EXAMPLES / "conference.yaml")


def test_the_cast_is_the_same_for_the_same_seed_and_the_read_and_probe_papers_share_a_committee(conference) -> None:
    cast = cast_for(conference, 12, seed=7)
    assert cast == cast_for(conference, 12, seed=7)
    assert [p.email for p in cast.people] != [p.email for p in cast_for(conference, 12, seed=8).people]
    read, probe = cast.read_paper, cast.probe_paper
    assert (read.number, probe.number) == (1, 12)
    assert read.reviewers == probe.reviewers and read.area_chairs == probe.area_chairs
    assert read.authors[0] in probe.authors
    others = cast.papers[1:-1]
    assert all(read.reviewers[0] not in p.reviewers and read.authors[0] not in p.authors for p in others)
    personas = {p.key: p for p in cast.personas}
    assert personas["reviewer_other"].person not in read.reviewers
    assert personas["guest"].roles == {"public"}
    assert {"senior_area_chairs_assigned", "logged_in", "public"} <= personas["sac_assigned"].roles
    with pytest.raises(ValueError, match="at least 2"):
        cast_for(conference, 1, seed=0)


def test_a_synthetic_submission_fills_every_required_field_and_signs_with_the_profile(conference) -> None:
    form = compile_venue(conference).get("invitation", f"{C}/-/Submission").body
    writer = Writer("~Ann_Author1", "Ann Author", frozenset(), authors=(("~Ann_Author1", "Ann Author"),))
    body = note_edit(form, writer, title="Rehearsal paper 1")
    assert body is not None and body["signatures"] == ["~Ann_Author1"]
    content = body["note"]["content"]
    assert content["title"] == {"value": "Rehearsal paper 1"}
    assert content["authorids"] == {"value": ["~Ann_Author1"]} and content["authors"] == {"value": ["Ann Author"]}
    assert content["subject_areas"] == {"value": ["Machine Learning"]}  # the first of its enum
    assert "TLDR" not in content and "venueid" not in content  # optional; constant


def test_field_values_follow_their_param() -> None:
    writer = Writer("~Rita_Reviewer1", "Rita Reviewer", frozenset())
    fields = {
        "rating": {"value": {"param": {"type": "integer", "enum": [{"value": 10, "description": "10"}, 9]}}},
        "confidence": {"value": {"param": {"type": "integer", "range": [1, 5]}}},
        "short": {"value": {"param": {"type": "string", "maxLength": 5}}},
        "long": {"value": {"param": {"type": "string", "minLength": 120}}},
        "pdf": {"value": {"param": {"type": "file", "extensions": ["pdf"]}}},
        "flag": {"value": {"param": {"type": "boolean"}}},
        "who": {"value": {"param": {"type": "profile[]"}}},
        "fixed": {"value": "Paper Decision"},
        "optional": {"value": {"param": {"type": "string", "optional": True}}},
    }
    content = synthetic_content(fields, writer, title="t")
    assert content["rating"] == {"value": 10} and content["confidence"] == {"value": 1}
    assert len(content["short"]["value"]) <= 5 and len(content["long"]["value"]) >= 120
    assert content["pdf"] == {"value": FILE_PATH} and content["flag"] == {"value": True}
    assert content["who"] == {"value": ["~Rita_Reviewer1"]}
    assert "fixed" not in content and "optional" not in content


def test_a_signature_is_the_first_option_the_writer_can_use() -> None:
    writer = Writer("~Rita_Reviewer1", "Rita", frozenset({f"{C}/Submission1/Reviewer_abcd", f"{C}/Reviewers"}))
    anonymous = {"param": {"items": [{"value": f"{C}/Program_Chairs", "optional": True},
                                     {"prefix": f"{C}/Submission1/Reviewer_.*", "optional": True}]}}
    assert choose_signature(anonymous, writer) == f"{C}/Submission1/Reviewer_abcd"
    assert choose_signature({"param": {"items": [{"prefix": "~.*"}]}}, writer) == "~Rita_Reviewer1"
    assert choose_signature([f"{C}/Program_Chairs"], writer) is None


def test_a_comment_goes_to_the_paper_with_every_reader_the_writer_may_name() -> None:
    form = {"id": f"{C}/Submission1/-/Official_Comment", "edit": {
        "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
        "note": {"forum": "paper1", "replyto": {"param": {"withForum": "paper1"}},
                 "readers": {"param": {"items": [{"value": f"{C}/Program_Chairs", "optional": False},
                                                 {"value": f"{C}/Submission1/Authors", "optional": True},
                                                 {"prefix": f"{C}/Submission1/Reviewer_.*", "optional": True}]}},
                 "content": {"comment": {"value": {"param": {"type": "string"}}}}}}}
    body = note_edit(form, Writer("~Ann_Author1", "Ann", frozenset()), title="t", forum="paper1")
    assert body is not None
    assert body["note"]["replyto"] == "paper1" and "forum" not in body["note"]  # a constant stays the server's
    assert body["note"]["readers"] == [f"{C}/Program_Chairs", f"{C}/Submission1/Authors"]


def test_the_script_plays_each_moment_of_the_access_model_a_minute_after_it(conference) -> None:
    matrix = access_matrix(conference)
    script = script_for(conference, matrix)
    moments = {g.start for g in matrix.grants if g.start} | {g.end for g in matrix.grants if g.end}
    played = [s.at for s in script.steps]
    assert played == sorted(played) and script.begins < played[0]
    for moment in moments:  # each moment is played within two minutes after it
        assert any(0 < at - moment <= 2 * AFTER_MS + AFTER_MS for at in played), moment
    actions = [a for s in script.steps for a in s.actions]
    for action in ("submit", "assign", "reply:review", "reply:rebuttal", "reply:meta_review", "reply:decision",
                   "reply:comments"):
        assert actions.count(action) == 1, action
    assert all(s.actions[0] == "reconcile" for s in script.steps)
    opening = next(s for s in script.steps if "reply:review" in s.actions)
    assert "Official_Review opens" in opening.events


def test_a_persona_may_what_any_of_its_roles_may_and_committee_roles_wait_for_the_assignment() -> None:
    matrix = AccessMatrix("V", "UTC", (
        Grant("reviewers_assigned", "Official_Review", "post", start=10, end=20),
        Grant("reviewers_submitted", "Official_Review", "read"),
        Grant("signer", "Official_Review", "read"),
    ))
    base = frozenset({"reviewers", "reviewers_assigned", "logged_in"})
    assert "reviewers_assigned" not in roles_now(base, assigned=False, reviewed=False)
    roles = roles_now(base, assigned=True, reviewed=False)
    assert predicted(matrix, roles, "Official_Review", "post", 15)
    assert not predicted(matrix, roles, "Official_Review", "post", 20)  # the end is exclusive
    assert not predicted(matrix, roles, "Official_Review", "read", 15)
    assert predicted(matrix, roles_now(base, assigned=True, reviewed=True), "Official_Review", "read", 15)
    assert predicted(matrix, roles, "Official_Review", "read", 15, signed=["Official_Review"])
