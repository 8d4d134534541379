"""The seed how-to "How to post/delete an Official Review using Python", end to end, through openreview-py.

Source: ../shared/seeds/post-delete-official-review.md. A reviewer finds their anonymous group with
``get_groups(prefix=..., signatory=...)``, posts a review signed by it, the review's readers hold,
the reviewer deletes it with ``ddate`` through the review invitation, and a venue organizer deletes
another one through ``<venue>/-/Edit`` giving only id and ddate; ``trash=True`` still finds both.
"""

from __future__ import annotations

import datetime

import openreview
import pytest
from openreview.api import Note

from tests.sandbox.scenario import assign_reviewers, build_workshop, open_reviews, submit


@pytest.fixture
def venue(root, make_user):
    pc = make_user("pc@drw.example", "Pat Chair")
    author = make_user("author@drw.example", "Ann Author")
    reviewer1 = make_user("rev1@drw.example", "Rev One")
    reviewer2 = make_user("rev2@drw.example", "Rev Two")
    workshop = build_workshop(root, pc, "pc@drw.example")
    submit(workshop, author, "Declarative review")
    assign_reviewers(workshop, 1, ["~Rev_One1", "~Rev_Two1"])
    open_reviews(workshop, 1)
    return workshop, author, reviewer1, reviewer2


def review_content(text: str) -> dict:
    return {
        "title": {"value": "Review for Paper 1"},
        "review": {"value": text},
        "rating": {"value": 10},
        "confidence": {"value": 5},
    }


def now_ms() -> int:
    return openreview.tools.datetime_millis(datetime.datetime.now())


def test_post_and_delete_official_review(venue):
    workshop, author, reviewer1, reviewer2 = venue
    invitation = f"{workshop.venue}/Submission1/-/Official_Review"

    anon_groups = reviewer1.get_groups(prefix=f"{workshop.venue}/Submission1/Reviewer_", signatory="~Rev_One1")
    assert len(anon_groups) == 1
    anon_group_id = anon_groups[0].id
    assert anon_group_id.startswith(f"{workshop.venue}/Submission1/Reviewer_")
    assert len(anon_group_id.rsplit("_", 1)[1]) == 4

    review = reviewer1.post_note_edit(invitation=invitation, signatures=[anon_group_id],
                                      note=Note(content=review_content("good paper")))
    review_id = review["note"]["id"]
    note = reviewer1.get_note(review_id)
    assert note.signatures == [anon_group_id]
    assert note.readers == [workshop.pcs, anon_group_id]
    assert note.nonreaders == [f"{workshop.venue}/Submission1/Authors"]
    assert note.forum == workshop.submissions[1] and note.replyto == workshop.submissions[1]
    assert note.invitations == [invitation]
    assert note.number == 1

    # The review's readers hold: the paper's author and the other reviewer cannot read it.
    for outsider in (author, reviewer2):
        with pytest.raises(openreview.OpenReviewException) as denied:
            outsider.get_note(review_id)
        assert denied.value.args[0]["name"] == "ForbiddenError"
        assert "does not have permission to see Note" in denied.value.args[0]["message"]
        assert review_id not in [n.id for n in outsider.get_notes(forum=workshop.submissions[1])]
    # The second reviewer cannot sign with the first reviewer's anonymous group.
    with pytest.raises(openreview.OpenReviewException) as not_signatory:
        reviewer2.post_note_edit(invitation=invitation, signatures=[anon_group_id],
                                 note=Note(content=review_content("forged")))
    assert not_signatory.value.args[0]["name"] == "NotSignatoryError"

    # The reviewer deletes the review through the review invitation, passing the content again.
    reviewer1.post_note_edit(invitation=invitation, signatures=[anon_group_id],
                             note=Note(id=review_id, ddate=now_ms(), content=review_content("good paper")))
    with pytest.raises(openreview.OpenReviewException, match="not found"):
        reviewer1.get_note(review_id)
    assert [n.id for n in reviewer1.get_notes(id=review_id, trash=True)] == [review_id]

    # A venue organizer deletes another review through the meta invitation, giving only id and ddate.
    anon2 = reviewer2.get_groups(prefix=f"{workshop.venue}/Submission1/Reviewer_", signatory="~Rev_Two1")[0].id
    second = reviewer2.post_note_edit(invitation=invitation, signatures=[anon2],
                                      note=Note(content=review_content("needs work")))
    workshop.pc.post_note_edit(invitation=f"{workshop.venue}/-/Edit", signatures=[workshop.venue],
                               note=Note(id=second["note"]["id"], ddate=now_ms()))
    live = [n.id for n in workshop.pc.get_notes(forum=workshop.submissions[1])]
    assert live == [workshop.submissions[1]]
    trashed = {n.id for n in workshop.pc.get_notes(forum=workshop.submissions[1], trash=True)}
    assert trashed == {workshop.submissions[1], review_id, second["note"]["id"]}


def test_review_signed_by_program_chairs_is_outside_items(venue):
    workshop, *_ = venue
    with pytest.raises(openreview.OpenReviewException) as error:
        workshop.pc.post_note_edit(invitation=f"{workshop.venue}/Submission1/-/Official_Review",
                                   signatures=[workshop.pcs], note=Note(content=review_content("by PC")))
    assert error.value.args[0]["name"] == "ItemsError"


def test_second_review_with_same_signature_hits_max_replies(venue):
    workshop, _, reviewer1, _ = venue
    invitation = f"{workshop.venue}/Submission1/-/Official_Review"
    anon = reviewer1.get_groups(prefix=f"{workshop.venue}/Submission1/Reviewer_", signatory="~Rev_One1")[0].id
    reviewer1.post_note_edit(invitation=invitation, signatures=[anon], note=Note(content=review_content("one")))
    with pytest.raises(openreview.OpenReviewException,
                       match=r"You have reached the maximum number \(1\) of replies for this Invitation"):
        reviewer1.post_note_edit(invitation=invitation, signatures=[anon], note=Note(content=review_content("two")))


def test_deleted_review_can_be_restored(venue):
    workshop, _, reviewer1, _ = venue
    invitation = f"{workshop.venue}/Submission1/-/Official_Review"
    anon = reviewer1.get_groups(prefix=f"{workshop.venue}/Submission1/Reviewer_", signatory="~Rev_One1")[0].id
    review = reviewer1.post_note_edit(invitation=invitation, signatures=[anon], note=Note(content=review_content("x")))
    review_id = review["note"]["id"]
    reviewer1.post_note_edit(invitation=invitation, signatures=[anon],
                             note=Note(id=review_id, ddate=now_ms(), content=review_content("x")))
    reviewer1.post_note_edit(invitation=invitation, signatures=[anon],
                             note=Note(id=review_id, ddate={"delete": True}, content=review_content("x")))
    restored = reviewer1.get_note(review_id)
    assert restored.ddate is None
    assert restored.content["review"]["value"] == "x"
