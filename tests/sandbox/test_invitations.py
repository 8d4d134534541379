"""Invitations through openreview-py: meta and super invitations, children, dates, queries, deletion."""

from __future__ import annotations

import openreview
import pytest
import requests
from openreview.api import Invitation, Note

from tests.sandbox.scenario import VENUE, build_workshop, open_reviews, submit

DAY = 86_400_000


@pytest.fixture
def workshop(root, make_user):
    pc = make_user("pc@drw.example", "Pat Chair")
    return build_workshop(root, pc, "pc@drw.example")


def post_invitation(client, invitation: Invitation, **edit):
    return client.post_invitation_edit(invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE],
                                       signatures=[VENUE], invitation=invitation, **edit)


def test_bootstrap_meta_invitation_needs_the_super_user(root, workshop, make_user):
    with pytest.raises(openreview.OpenReviewException) as error:
        workshop.pc.post_invitation_edit(invitations=None, signatures=[VENUE],
                                         invitation=Invitation(id=f"{VENUE}/-/Other", edit=True, readers=[VENUE],
                                                               signatures=[VENUE]))
    assert error.value.args[0]["name"] == "MissingRequiredError"
    meta = root.get_invitation(f"{VENUE}/-/Edit")
    assert meta.edit is True and meta.invitees == [VENUE] and meta.domain == VENUE
    assert meta.invitations is None


def test_missing_invitation_message(root):
    with pytest.raises(openreview.OpenReviewException) as error:
        root.get_invitation("Nowhere/-/Nothing")
    assert error.value.args[0]["name"] == "NotFoundError"
    assert error.value.args[0]["message"] == "The Invitation Nowhere/-/Nothing was not found"
    with pytest.raises(openreview.OpenReviewException, match="The Invitation Nowhere/-/Nothing was not found"):
        root.post_note_edit(invitation="Nowhere/-/Nothing", signatures=["~Super_User1"], note=Note())


def test_super_invitation_creates_and_replaces_children(root, workshop, make_user):
    author = make_user("a@x.org", "Ann Author")
    submit(workshop, author, "Paper one")
    submit(workshop, author, "Paper two")
    open_reviews(workshop, 1)
    open_reviews(workshop, 2)
    children = root.get_invitations(invitation=f"{VENUE}/-/Official_Review")
    assert [c.id for c in children] == [f"{VENUE}/Submission1/-/Official_Review",
                                        f"{VENUE}/Submission2/-/Official_Review"]
    child = children[0]
    assert child.invitations == [f"{VENUE}/-/Official_Review"]
    assert child.domain == VENUE
    assert child.invitees == [VENUE, f"{VENUE}/Submission1/Reviewers"]
    assert child.edit["note"]["forum"] == workshop.submissions[1]
    assert child.edit["readers"] == ["${2/note/readers}"]
    assert child.edit["signatures"]["param"]["items"][0]["prefix"] == f"{VENUE}/Submission1/Reviewer_.*"
    # The super invitation's template forces replacement: re-posting rebuilds the child.
    open_reviews(workshop, 1)
    assert len(root.get_invitation_edits(invitation_id=f"{VENUE}/Submission1/-/Official_Review")) == 2
    assert root.get_invitation(f"{VENUE}/Submission1/-/Official_Review").maxReplies == 1


def test_partial_updates_merge_at_any_depth(workshop):
    pc = workshop.pc
    post_invitation(pc, Invitation(id=f"{VENUE}/-/Submission", duedate=1_900_000_000_000))
    invitation = pc.get_invitation(f"{VENUE}/-/Submission")
    assert invitation.duedate == 1_900_000_000_000
    assert invitation.edit["note"]["content"]["title"]["value"]["param"]["regex"] == "^.{1,250}$"
    post_invitation(pc, Invitation(id=f"{VENUE}/-/Submission", edit={"note": {"content": {
        "keywords": {"delete": True}, "code": {"value": {"param": {"type": "string", "optional": True}}}}}}))
    content = pc.get_invitation(f"{VENUE}/-/Submission").edit["note"]["content"]
    assert "keywords" not in content and content["code"]["value"]["param"]["type"] == "string"
    assert content["title"]["value"]["param"]["type"] == "string"
    post_invitation(pc, Invitation(id=f"{VENUE}/-/Submission", duedate={"delete": True}))
    assert pc.get_invitation(f"{VENUE}/-/Submission").duedate is None


def test_expired_invitations(root, workshop, make_user):
    author = make_user("a@x.org", "Ann Author")
    past = root.get_group(VENUE).tcdate - DAY
    post_invitation(workshop.pc, Invitation(id=f"{VENUE}/-/Submission", expdate=past))
    with pytest.raises(openreview.OpenReviewException, match=f"The Invitation {VENUE}/-/Submission has expired"):
        submit(workshop, author, "Too late")
    assert f"{VENUE}/-/Submission" not in [i.id for i in root.get_invitations(prefix=f"{VENUE}/-/")]
    assert f"{VENUE}/-/Submission" in [i.id for i in root.get_invitations(prefix=f"{VENUE}/-/", expired=True)]
    assert root.get_invitation(f"{VENUE}/-/Submission").expdate == past
    # Writers may still use an expired invitation.
    workshop.pc.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=[workshop.pcs],
                               note=Note(content={"title": {"value": "Late by PC"},
                                                  "authorids": {"value": ["~Ann_Author1"]}}))


def test_not_yet_open_invitation_is_hidden_from_non_writers(root, workshop, make_user):
    author = make_user("a@x.org", "Ann Author")
    future = root.get_group(VENUE).tcdate + 10 * DAY
    post_invitation(workshop.pc, Invitation(id=f"{VENUE}/-/Submission", cdate=future))
    with pytest.raises(openreview.OpenReviewException) as error:
        submit(workshop, author, "Too early")
    assert error.value.args[0]["name"] == "NotFoundError"
    assert f"{VENUE}/-/Submission" not in [i.id for i in author.get_invitations(prefix=f"{VENUE}/-/")]
    assert workshop.pc.get_invitation(f"{VENUE}/-/Submission").cdate == future


def test_invitation_queries(root, workshop):
    meta = root.get_invitations(prefix=f"{VENUE}/-/", type="meta")
    assert [i.id for i in meta] == [f"{VENUE}/-/Edit"]
    notes = root.get_invitations(prefix=f"{VENUE}/-/", type="note")
    assert [i.id for i in notes] == [f"{VENUE}/-/Submission"]
    invitations = root.get_invitations(prefix=f"{VENUE}/-/", type="invitation")
    assert [i.id for i in invitations] == [f"{VENUE}/-/Official_Review"]
    anyone = requests.get(f"{root.baseurl}/invitations", params={"invitee": "~", "domain": VENUE},
                          headers=root.headers, timeout=10).json()["invitations"]
    assert [i["id"] for i in anyone] == [f"{VENUE}/-/Submission"]
    usable = workshop.pc.get_invitations(invitee=True, domain=VENUE)
    assert {i.id for i in usable} == {f"{VENUE}/-/Edit", f"{VENUE}/-/Submission", f"{VENUE}/-/Official_Review"}
    assert len(root.get_all_invitations(domain=VENUE)) == 3


def test_one_template_per_invitation_and_sane_regexes(workshop):
    with pytest.raises(openreview.OpenReviewException, match="one template"):
        post_invitation(workshop.pc, Invitation(id=f"{VENUE}/-/Twice", readers=[VENUE], signatures=[VENUE],
                                                edit={"note": {}}, edge={"head": {"param": {"type": "note"}}}))
    with pytest.raises(openreview.OpenReviewException, match="repetition count 1001"):
        post_invitation(workshop.pc, Invitation(
            id=f"{VENUE}/-/Bad_Regex", readers=[VENUE], signatures=[VENUE], invitees=["~"],
            edit={"signatures": ["~Super_User1"],
                  "note": {"content": {"x": {"value": {"param": {"type": "string", "regex": ".{0,1001}"}}}}}}))


def test_scripts_are_stored_verbatim(root, workshop):
    script = "def process(client, edit, invitation):\n    print('${2/not/a/reference}')\n"
    post_invitation(workshop.pc, Invitation(
        id=f"{VENUE}/-/Scripted", readers=[VENUE], signatures=[VENUE], invitees=[VENUE], process=script,
        preprocess="def process(client, edit, invitation): pass",
        date_processes=[{"dates": ["#{4/duedate} + 86400000"], "script": script}],
        edit={"signatures": [VENUE], "readers": [VENUE], "writers": [VENUE], "note": {
            "signatures": [VENUE], "readers": [VENUE], "writers": [VENUE]}}))
    invitation = root.get_invitation(f"{VENUE}/-/Scripted")
    assert invitation.process == script
    assert invitation.date_processes == [{"dates": ["#{4/duedate} + 86400000"], "script": script}]
    edit = workshop.pc.post_note_edit(invitation=f"{VENUE}/-/Scripted", signatures=[VENUE], note=Note(),
                                      await_process=True)
    assert edit["note"]["id"]


def test_hard_delete_removes_the_invitation_and_its_edits(root):
    root.post_invitation_edit(invitations="openreview.net/-/Edit", readers=["openreview.net"],
                              writers=["openreview.net"], signatures=["~Super_User1"],
                              invitation=Invitation(id="openreview.net/-/To_Delete", readers=["everyone"],
                                                    writers=["openreview.net"], signatures=["~Super_User1"],
                                                    invitees=["~"], edit={"note": {}}))
    assert len(root.get_invitation_edits(invitation_id="openreview.net/-/To_Delete")) == 1
    root.delete_invitation("openreview.net/-/To_Delete")
    gone = r"The Invitation openreview\.net/-/To_Delete was not found"
    with pytest.raises(openreview.OpenReviewException, match=gone):
        root.get_invitation("openreview.net/-/To_Delete")
    assert root.get_invitation_edits(invitation_id="openreview.net/-/To_Delete") == []


def test_soft_deleted_invitation(root, workshop):
    post_invitation(workshop.pc, Invitation(id=f"{VENUE}/-/Official_Review", ddate=1))
    with pytest.raises(openreview.OpenReviewException, match="was not found"):
        workshop.pc.get_invitation(f"{VENUE}/-/Official_Review")
    trashed = workshop.pc.get_invitations(id=f"{VENUE}/-/Official_Review", trash=True)
    assert trashed[0].ddate == 1
    post_invitation(workshop.pc, Invitation(id=f"{VENUE}/-/Official_Review", ddate={"delete": True}))
    assert workshop.pc.get_invitation(f"{VENUE}/-/Official_Review").ddate is None
