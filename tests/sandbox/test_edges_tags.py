"""Edges and tags through openreview-py (notes/api-v2.md §2.4, §2.5, §4.7)."""

from __future__ import annotations

import openreview
import pytest
from openreview.api import Edge, Invitation, Tag

from tests.sandbox.scenario import VENUE, build_workshop, submit

MAX_DATE = 9_999_999_999_999


@pytest.fixture
def venue(root, make_user):
    pc = make_user("pc@drw.example", "Pat Chair")
    author = make_user("author@x.org", "Ann Author")
    workshop = build_workshop(root, pc, "pc@drw.example")
    notes = [submit(workshop, author, f"Paper {i}")["note"]["id"] for i in range(2)]
    pc.post_invitation_edit(
        invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
        invitation=Invitation(
            id=f"{VENUE}/Reviewers/-/Assignment", invitees=[VENUE], readers=[VENUE], writers=[VENUE],
            signatures=[VENUE], maxReplies=1, type="Edge",
            edit={"id": {"param": {"withInvitation": f"{VENUE}/Reviewers/-/Assignment", "optional": True}},
                  "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
                  "readers": [VENUE, "${2/tail}"], "nonreaders": [], "writers": [VENUE],
                  "signatures": {"param": {"items": [{"value": workshop.pcs, "optional": True},
                                                     {"value": VENUE, "optional": True}]}},
                  "head": {"param": {"type": "note", "withInvitation": f"{VENUE}/-/Submission"}},
                  "tail": {"param": {"type": "profile", "regex": "~.*|.+@.+"}},
                  "weight": {"param": {"minimum": -1}},
                  "label": {"param": {"regex": ".*", "optional": True, "deletable": True}}}))
    return workshop, notes


def edge(notes: list[str], index: int, tail: str, **extra) -> Edge:
    return Edge(invitation=f"{VENUE}/Reviewers/-/Assignment", head=notes[index], tail=tail, weight=1,
                signatures=[VENUE], **extra)


def test_post_update_and_read_edges(venue, make_user):
    workshop, notes = venue
    make_user("r@x.org", "Rev One")
    posted = workshop.pc.post_edge(edge(notes, 0, "~Rev_One1", label="assigned"))
    assert len(posted.id) == 14
    assert posted.readers == [VENUE, "~Rev_One1"] and posted.domain == VENUE
    fetched = workshop.pc.get_edges(invitation=f"{VENUE}/Reviewers/-/Assignment", tail="~Rev_One1")
    assert [e.id for e in fetched] == [posted.id]
    posted.label = "confirmed"
    updated = workshop.pc.post_edge(posted)
    assert updated.id == posted.id and workshop.pc.get_edge(posted.id).label == "confirmed"
    reviewer = openreview.api.OpenReviewClient(baseurl=workshop.pc.baseurl, username="r@x.org",
                                               password="Or$3cur3P@ssw0rd")
    assert [e.id for e in reviewer.get_edges(tail="~Rev_One1")] == [posted.id]


def test_edge_template_is_enforced(venue):
    workshop, notes = venue
    with pytest.raises(openreview.OpenReviewException) as max_replies:
        workshop.pc.post_edge(edge(notes, 0, "~Super_User1"))
        workshop.pc.post_edge(edge(notes, 0, "~Super_User1"))
    assert max_replies.value.args[0]["message"] == (
        f"The maximum number (1) of Edges between {notes[0]} and ~Super_User1 has been reached")
    with pytest.raises(openreview.OpenReviewException, match="must match pattern"):
        workshop.pc.post_edge(edge(notes, 1, "not an id"))
    with pytest.raises(openreview.OpenReviewException, match="must have the invitation"):
        workshop.pc.post_edge(Edge(invitation=f"{VENUE}/Reviewers/-/Assignment", head="NotANote", tail="~Super_User1",
                                   weight=1, signatures=[VENUE]))


def test_bulk_limits_counts_grouping_and_deletion(venue, root):
    workshop, notes = venue
    tails = [f"reviewer{i}@x.org" for i in range(1200)]
    edges = [Edge(invitation=f"{VENUE}/Reviewers/-/Assignment", head=notes[i % 2], tail=tail, weight=0.5,
                  label="bulk" if i % 3 else "other", signatures=[VENUE]) for i, tail in enumerate(tails)]
    posted = workshop.pc.post_edges(edges)
    assert len(posted) == 1200
    invitation = f"{VENUE}/Reviewers/-/Assignment"
    assert len(workshop.pc.get_edges(invitation=invitation)) == 1000
    assert len(workshop.pc.get_edges(invitation=invitation, limit=500)) == 500
    assert len(workshop.pc.get_all_edges(invitation=invitation)) == 1200
    assert workshop.pc.get_edges_count(invitation=invitation) == 1200
    grouped = workshop.pc.get_grouped_edges(invitation=invitation, groupby="head", select="tail,weight")
    assert sorted(g["count"] for g in grouped) == [600, 600]
    assert {tuple(g["id"]) for g in grouped} == {("head",)}
    assert grouped[0]["values"][0].keys() == {"tail", "weight"}
    workshop.pc.delete_edges(invitation, label="other", wait_to_finish=True)
    assert workshop.pc.get_edges_count(invitation=invitation) == 800
    workshop.pc.delete_edges(invitation, wait_to_finish=True)
    assert workshop.pc.get_edges_count(invitation=invitation) == 0


def test_soft_delete_and_restore(venue):
    workshop, notes = venue
    posted = workshop.pc.post_edge(edge(notes, 0, "~Super_User1"))
    posted.ddate = 1
    workshop.pc.post_edge(posted)
    assert workshop.pc.get_edges(invitation=f"{VENUE}/Reviewers/-/Assignment") == []
    trashed = workshop.pc.get_edge(posted.id, trash=True)
    assert trashed.ddate == 1
    restore = Edge.from_json({**trashed.to_json(), "ddate": {"delete": True}})
    workshop.pc.post_edge(restore)
    assert workshop.pc.get_edge(posted.id).ddate is None


def flag_invitation(workshop) -> None:
    """``V/-/Flag``: the program chairs tag a submission "flagged" or "fine" (deletable)."""
    workshop.pc.post_invitation_edit(
        invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
        invitation=Invitation(id=f"{VENUE}/-/Flag", invitees=[VENUE], readers=[VENUE], writers=[VENUE],
                              signatures=[VENUE], tag={
                                  "note": {"param": {"withInvitation": f"{VENUE}/-/Submission"}},
                                  "signature": {"param": {"items": [{"value": VENUE}]}},
                                  "label": {"param": {"enum": ["flagged", "fine"]}},
                                  "readers": [VENUE], "writers": [VENUE],
                                  "ddate": {"param": {"range": [0, MAX_DATE], "optional": True,
                                                      "deletable": True}}}))


def test_tags(root, venue):
    workshop, notes = venue
    flag_invitation(workshop)
    tag = workshop.pc.post_tag(Tag(invitation=f"{VENUE}/-/Flag", signature=VENUE, note=notes[0], label="flagged"))
    assert tag.id and tag.forum == notes[0]
    assert [t.id for t in workshop.pc.get_tags(invitation=f"{VENUE}/-/Flag")] == [tag.id]
    with pytest.raises(openreview.OpenReviewException, match="allowed values"):
        workshop.pc.post_tag(Tag(invitation=f"{VENUE}/-/Flag", signature=VENUE, note=notes[0], label="bad"))
    tag.ddate = 1
    workshop.pc.post_tag(tag)
    assert workshop.pc.get_tags(invitation=f"{VENUE}/-/Flag") == []


def test_tags_are_deleted_by_label(root, venue):
    workshop, notes = venue
    flag_invitation(workshop)
    for label in ("flagged", "fine", "flagged"):
        workshop.pc.post_tag(Tag(invitation=f"{VENUE}/-/Flag", signature=VENUE, note=notes[0], label=label))
    workshop.pc.delete_tags(f"{VENUE}/-/Flag", label="flagged", wait_to_finish=True)
    assert [t.label for t in workshop.pc.get_tags(invitation=f"{VENUE}/-/Flag")] == ["fine"]
