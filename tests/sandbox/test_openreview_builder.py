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
from openreview.stages import (
    BidStage,
    CommentStage,
    CustomStage,
    DecisionStage,
    EthicsReviewStage,
    MetaReviewStage,
    ReviewRebuttalStage,
    ReviewStage,
    SubmissionRevisionStage,
    SubmissionStage,
)
from openreview.venue import Venue
from openreview.venue.invitation import InvitationBuilder

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


def test_every_stage_the_builder_posts_passes_the_specifier_rules(root, monkeypatch):
    """The invitations of a full conference (area chairs, senior area chairs, ethics review, bids,
    reviews, rebuttals, meta-reviews, comments, decisions, revisions, a custom stage, recruitment,
    assignment, matching) as openreview-py's builder posts them: the sandbox refuses none.

    The builder waits, after saving some invitations, for the log of a date process; the session's
    sandbox runs no processes, so ``save_invitation`` here posts exactly as the builder's own does and
    skips that wait (the peer suite and ``scripts/parity.py`` run the builder with its processes).
    """
    saved: list[str] = []

    def save_invitation(self, invitation, replacement=None):
        self.client.post_invitation_edit(invitations=self.venue.get_meta_invitation_id(), readers=[self.venue_id],
                                         writers=[self.venue_id], signatures=[self.venue_id],
                                         replacement=replacement, invitation=invitation)
        saved.append(invitation.id)
        return self.client.get_invitation(invitation.id)

    monkeypatch.setattr(InvitationBuilder, "save_invitation", save_invitation)
    start, due = datetime.datetime(2026, 4, 1), datetime.datetime(2026, 5, 1)
    venue = Venue(root, VENUE, "openreview.net/Support")
    venue.name, venue.short_name, venue.website, venue.contact = "Full", "FULL 2026", "full.example", "pc@x.org"
    venue.use_area_chairs = venue.use_senior_area_chairs = True
    venue.use_ethics_chairs = venue.use_ethics_reviewers = True
    venue.submission_stage = SubmissionStage(double_blind=True, start_date=datetime.datetime(2026, 2, 1),
                                             due_date=datetime.datetime(2026, 3, 1), second_due_date=due,
                                             withdrawn_submission_public=True, desk_rejected_submission_public=True)
    venue.bid_stages = [BidStage(venue.get_reviewers_id(), start_date=start, due_date=due),
                        BidStage(venue.get_area_chairs_id(), start_date=start, due_date=due)]
    venue.review_stage = ReviewStage(start_date=start, due_date=due, release_to_authors=True)
    venue.review_rebuttal_stage = ReviewRebuttalStage(start_date=start, due_date=due)
    venue.meta_review_stage = MetaReviewStage(start_date=start, due_date=due)
    venue.comment_stage = CommentStage(start_date=start, end_date=due, allow_public_comments=True,
                                       reader_selection=True, email_pcs=True, enable_chat=True)
    venue.decision_stage = DecisionStage(start_date=start, due_date=due)
    venue.submission_revision_stage = SubmissionRevisionStage(start_date=start, due_date=due)
    venue.custom_stage = CustomStage(
        name="Custom_Thing", reply_to=CustomStage.ReplyTo.FORUM, source=CustomStage.Source.ALL_SUBMISSIONS,
        invitees=[CustomStage.Participants.AUTHORS], readers=[CustomStage.Participants.AUTHORS],
        content={"x": {"value": {"param": {"type": "string", "enum": ["a", "b"], "input": "radio"}}}},
        start_date=start, due_date=due)
    venue.ethics_review_stage = EthicsReviewStage(start_date=start, due_date=due, submission_numbers=[])
    venue.setup(program_chair_ids=["pc@x.org"])
    builder = venue.invitation_builder
    for step in (venue.create_submission_stage, venue.create_bid_stages, venue.create_review_stage,
                 venue.create_review_rebuttal_stage, venue.create_meta_review_stage, venue.create_comment_stage,
                 venue.create_decision_stage, venue.create_submission_revision_stage, venue.create_custom_stage,
                 venue.create_ethics_review_stage,
                 lambda: builder.set_recruitment_invitation("Reviewers", {"reduced_load_on_decline": ["1", "2"],
                                                                          "allow_accept_with_reduced_load": True}),
                 lambda: builder.set_assignment_invitation(venue.get_reviewers_id()),
                 lambda: builder.set_reviewer_recommendation_invitation(start, due, 7),
                 builder.set_SAC_ethics_flag_invitation, builder.set_preferred_emails_invitation,
                 builder.set_iThenticate_plagiarism_check_invitation):
        step()
    assert len(set(saved)) >= 40, saved
    stored = {i.id for i in root.get_all_invitations(domain=VENUE, expired=True)}
    assert set(saved) <= stored, set(saved) - stored
    assert root.get_invitation(f"{VENUE}/-/Official_Review").edit["invitation"]["edit"]["note"]["content"]
