"""openreview-py's own venue builder, run unchanged against the sandbox.

``openreview.venue.Venue.setup()`` posts a venue's meta invitation and group tree exactly as
OpenReview's support staff do; its submission stage posts the real default submission form. The
sandbox must accept all of it, and an author must then be able to submit through that form.

Only builder steps that do not wait for server-side date processes are used: the sandbox stores
``dateprocesses`` but does not run them (a later piece of work), and the builder waits for their
logs after saving a super invitation.
"""

from __future__ import annotations

import datetime

import openreview
import pytest
import requests
from openreview.stages import SubmissionStage
from openreview.venue import Venue

VENUE = "DRW.cc/2026/Workshop"


def millis(value: datetime.datetime) -> int:
    return openreview.tools.datetime_millis(value)


@pytest.fixture
def venue(root) -> Venue:
    venue = Venue(root, VENUE, "openreview.net/Support")
    venue.name = "Workshop on Declarative Review"
    venue.short_name = "DRW 2026"
    venue.website = "drw.example"
    venue.contact = "chair@drw.example"
    venue.submission_stage = SubmissionStage(double_blind=True, start_date=datetime.datetime(2026, 2, 1),
                                             due_date=datetime.datetime(2026, 3, 1, 23, 59))
    venue.setup(program_chair_ids=["chair@drw.example"])
    venue.invitation_builder.set_submission_invitation()
    return venue


def test_setup_posts_the_group_tree(root, venue):
    groups = {g.id: g for g in root.get_all_groups(prefix="DRW.cc")}
    assert set(groups) == {"DRW.cc", "DRW.cc/2026", VENUE, f"{VENUE}/Program_Chairs", f"{VENUE}/Authors",
                           f"{VENUE}/Authors/Accepted", f"{VENUE}/Reviewers"}
    assert groups[f"{VENUE}/Program_Chairs"].members == ["chair@drw.example"]
    assert groups[VENUE].members == ["openreview.net/Template", f"{VENUE}/Program_Chairs"]
    assert groups[VENUE].content["submission_id"]["value"] == f"{VENUE}/-/Submission"
    assert groups[VENUE].domain == VENUE and groups[VENUE].host == "DRW.cc"
    assert VENUE in root.get_group("venues").members and VENUE in root.get_group("active_venues").members
    meta = root.get_invitation(f"{VENUE}/-/Edit")
    assert meta.edit is True and "invitation_edit_script" in meta.content


def test_setup_again_changes_nothing_it_should_not(root, venue):
    before = {g.id: g.tmdate for g in root.get_all_groups(prefix="DRW.cc")}
    venue.setup(program_chair_ids=["chair@drw.example"])
    after = {g.id: g.tmdate for g in root.get_all_groups(prefix="DRW.cc")}
    assert set(after) == set(before)


def test_an_author_submits_through_the_default_form(root, venue, make_user):
    author = make_user("ann@x.org", "Ann Author")
    submission = root.get_invitation(f"{VENUE}/-/Submission")
    assert submission.cdate == millis(datetime.datetime(2026, 2, 1))
    requests.put(f"{root.baseurl}/_sandbox/clock", json={"now": millis(datetime.datetime(2026, 2, 15)),
                                                          "running": True}, timeout=10).raise_for_status()
    edit = author.post_note_edit(
        invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
        note=openreview.api.Note(content={
            "title": {"value": "Declarative review"},
            "abstract": {"value": "We make venues files."},
            "authors": {"value": ["Ann Author"]},
            "authorids": {"value": ["~Ann_Author1"]},
            "keywords": {"value": ["infrastructure"]},
            "pdf": {"value": "/pdf/" + "a" * 40 + ".pdf"},
        }))
    note = root.get_note(edit["note"]["id"])
    assert note.number == 1
    assert note.content["venueid"]["value"] == f"{VENUE}/Submission"
    assert "TLDR" not in note.content
    with pytest.raises(openreview.OpenReviewException, match="must be a valid email or profile ID"):
        author.post_note_edit(
            invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
            note=openreview.api.Note(content={
                "title": {"value": "Bad authors"}, "abstract": {"value": "x"}, "authors": {"value": ["A"]},
                "authorids": {"value": ["not an id"]}, "keywords": {"value": ["k"]},
                "pdf": {"value": "/pdf/" + "b" * 40 + ".pdf"}}))
    requests.put(f"{root.baseurl}/_sandbox/clock", json={"now": millis(datetime.datetime(2026, 3, 3))},
                 timeout=10).raise_for_status()
    with pytest.raises(openreview.OpenReviewException, match="has expired"):
        author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                              note=openreview.api.Note(content={"title": {"value": "Too late"}}))
