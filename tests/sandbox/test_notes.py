"""Notes through openreview-py: edits, numbering, queries, field readers, edit history, guests."""

from __future__ import annotations

import openreview
import pytest
import requests
from openreview.api import Invitation, Note

from tests.sandbox.scenario import VENUE, build_workshop, submit


@pytest.fixture
def workshop(root, make_user):
    pc = make_user("pc@drw.example", "Pat Chair")
    return build_workshop(root, pc, "pc@drw.example")


@pytest.fixture
def author(make_user):
    return make_user("author@x.org", "Ann Author")


def content(title: str, **extra) -> dict:
    return {"title": {"value": title}, "authorids": {"value": ["~Ann_Author1"]}, **extra}


def test_numbers_forum_and_server_fields(workshop, author):
    first = submit(workshop, author, "First")
    second = submit(workshop, author, "Second")
    assert (first["note"]["number"], second["note"]["number"]) == (1, 2)
    note = workshop.pc.get_note(first["note"]["id"])
    assert note.forum == note.id
    assert note.invitations == [f"{VENUE}/-/Submission"]
    assert note.domain == VENUE
    assert note.cdate == note.tcdate and note.mdate == note.tmdate
    assert note.signatures == ["~Ann_Author1"]
    assert note.readers == [VENUE, f"{VENUE}/Submission1/Authors"]
    assert note.content["venueid"]["value"] == f"{VENUE}/Submission"
    assert first["tauthor"] == "author@x.org"
    assert first["readers"] == [VENUE, "~Ann_Author1"]


def test_edits_update_content_partially(workshop, author):
    edit = submit(workshop, author, "First")
    note_id = edit["note"]["id"]
    author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                          note=Note(id=note_id, content=content("Renamed", keywords={"value": ["a", "b"]})))
    note = workshop.pc.get_note(note_id)
    assert note.content["title"]["value"] == "Renamed"
    assert note.content["keywords"]["value"] == ["a", "b"]
    assert note.number == 1
    author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                          note=Note(id=note_id, content=content("Renamed", keywords={"value": {"delete": True}})))
    assert "keywords" not in workshop.pc.get_note(note_id).content
    with pytest.raises(openreview.OpenReviewException) as error:
        author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                              note=Note(id=note_id, content=content({"delete": True})))
    assert error.value.args[0]["details"]["invalidValue"] == {"delete": True}
    edits = workshop.pc.get_note_edits(note_id=note_id)
    assert len(edits) == 3
    assert edits[0].note.content["keywords"]["value"] == {"delete": True}


def test_template_errors_with_openreview_wording(workshop, author):
    with pytest.raises(openreview.OpenReviewException, match="The property abstract must NOT be present"):
        author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                              note=Note(content=content("T", abstract={"value": "x"})))
    with pytest.raises(openreview.OpenReviewException, match=r'authorids value/0 must match pattern "~\.\*"'):
        author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                              note=Note(content={"title": {"value": "T"}, "authorids": {"value": ["ann@x.org"]}}))
    with pytest.raises(openreview.OpenReviewException, match="Profile Not Found: ~Nobody_Here1"):
        author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                              note=Note(content={"title": {"value": "T"}, "authorids": {"value": ["~Nobody_Here1"]}}))
    with pytest.raises(openreview.OpenReviewException) as missing:
        author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                              note=Note(content={"authorids": {"value": ["~Ann_Author1"]}}))
    assert missing.value.args[0]["name"] == "MissingRequiredError"
    assert missing.value.args[0]["message"] == "The field title value cannot be empty or missing"
    # A failed submission consumed nothing: the next one still gets number 1.
    assert submit(workshop, author, "Valid")["note"]["number"] == 1


def test_queries(workshop, author, root):
    for index in range(5):
        submit(workshop, author, f"Paper {index}")
    by_number = workshop.pc.get_notes(invitation=f"{VENUE}/-/Submission", sort="number:asc")
    assert [n.number for n in by_number] == [1, 2, 3, 4, 5]
    assert [n.number for n in workshop.pc.get_notes(invitation=f"{VENUE}/-/Submission", number=[2, 4])] in (
        [2, 4], [4, 2])
    matched = workshop.pc.get_notes(content={"title": "Paper 3"})
    assert [n.content["title"]["value"] for n in matched] == ["Paper 3"]
    assert len(workshop.pc.get_notes(content={"authorids": "~Ann_Author1"})) == 5
    notes, count = workshop.pc.get_notes(invitation=f"{VENUE}/-/Submission", limit=2, with_count=True)
    assert len(notes) == 2 and count == 5
    assert len(workshop.pc.get_notes(invitation=f"{VENUE}/-/Submission", offset=3, limit=10)) == 2
    assert len(workshop.pc.get_all_notes(invitation=f"{VENUE}/-/Submission")) == 5
    ids = [n.id for n in by_number[:2]]
    assert sorted(n.id for n in workshop.pc.get_notes_by_ids(ids)) == sorted(ids)
    selected = requests.get(f"{root.baseurl}/notes", params={"id": ids[0], "select": "id,content.title"},
                            headers=root.headers, timeout=10).json()["notes"][0]
    assert selected == {"id": ids[0], "content": {"title": {"value": "Paper 0"}}}
    with pytest.raises(openreview.OpenReviewException) as missing:
        workshop.pc.get_note("NoSuchNote")
    assert missing.value.args[0]["name"] == "NotFoundError"


def test_streaming_and_keyset_paging_over_a_thousand_notes(root, workshop, author):
    edits = [{"kind": "note", "edit": {"invitation": f"{VENUE}/-/Submission", "signatures": ["~Ann_Author1"],
                                       "note": {"content": content(f"Bulk {i}")}}} for i in range(1100)]
    response = requests.post(f"{root.baseurl}/_sandbox/batch", json={"edits": edits}, timeout=120)
    assert response.status_code == 200, response.text
    assert len(workshop.pc.get_notes(invitation=f"{VENUE}/-/Submission")) == 1000
    assert len(workshop.pc.get_notes(invitation=f"{VENUE}/-/Submission", limit=5000)) == 1000
    everything = workshop.pc.get_all_notes(invitation=f"{VENUE}/-/Submission")
    assert len(everything) == 1100 and len({n.id for n in everything}) == 1100
    streamed = requests.get(f"{root.baseurl}/notes", params={"invitation": f"{VENUE}/-/Submission",
                                                              "stream": "true"}, headers=root.headers, timeout=60)
    assert len(streamed.json()["notes"]) == 1100
    assert sorted(n.number for n in everything) == list(range(1, 1101))


def test_keyset_paging_keeps_the_order_asked_for(root, workshop, author):
    """openreview-py's fan-outs list submissions with ``get_all_notes(..., sort='number:asc', details='replies')``,
    which pages with ``after=<last id of the page>`` in that order: each note comes once, in number order (paging
    by id instead gave some twice and would skip others)."""
    edits = [{"kind": "note", "edit": {"invitation": f"{VENUE}/-/Submission", "signatures": ["~Ann_Author1"],
                                       "note": {"content": content(f"Bulk {i}")}}} for i in range(1100)]
    response = requests.post(f"{root.baseurl}/_sandbox/batch", json={"edits": edits}, timeout=120)
    assert response.status_code == 200, response.text
    for sort, numbers in (("number:asc", list(range(1, 1101))), ("number:desc", list(range(1100, 0, -1)))):
        listed = root.get_all_notes(invitation=f"{VENUE}/-/Submission", sort=sort, details="replies")
        assert [n.number for n in listed] == numbers, sort
    first = root.get_notes(invitation=f"{VENUE}/-/Submission", sort="number:asc", limit=3)
    rest = root.get_notes(invitation=f"{VENUE}/-/Submission", sort="number:asc", limit=3, after=first[-1].id)
    assert [n.number for n in first + rest] == [1, 2, 3, 4, 5, 6]


def test_field_readers_hide_fields_and_lists_drop_unreadable_notes(root, workshop, author, guest, make_user):
    edit = submit(workshop, author, "Public paper")
    hidden = submit(workshop, author, "Private paper")
    workshop.pc.post_note_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE],
                               note=Note(id=edit["note"]["id"], readers=["everyone"]))
    public = guest.get_note(edit["note"]["id"])
    assert "authorids" not in public.content
    assert public.content["title"]["value"] == "Public paper"
    assert author.get_note(edit["note"]["id"]).content["authorids"]["value"] == ["~Ann_Author1"]
    listed = [n.id for n in guest.get_notes(invitation=f"{VENUE}/-/Submission")]
    assert listed == [edit["note"]["id"]]
    with pytest.raises(openreview.OpenReviewException) as denied:
        make_user("other@x.org", "Other Person").get_note(hidden["note"]["id"])
    assert denied.value.args[0]["name"] == "ForbiddenError"


def test_a_note_is_found_by_every_invitation_that_edited_it(workshop, author):
    edit = submit(workshop, author, "Paper")
    workshop.pc.post_note_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE],
                               note=Note(id=edit["note"]["id"], content={"venueid": {"value": f"{VENUE}/Withdrawn"}}))
    note = workshop.pc.get_note(edit["note"]["id"])
    assert note.invitations == [f"{VENUE}/-/Submission", f"{VENUE}/-/Edit"]
    assert [n.id for n in workshop.pc.get_notes(invitation=f"{VENUE}/-/Edit")] == [note.id]
    assert note.content["venueid"]["value"] == f"{VENUE}/Withdrawn"
    assert [n.id for n in workshop.pc.get_notes(content={"venueid": f"{VENUE}/Withdrawn"})] == [note.id]


def test_destructive_edit_changes_need_edit_writers(workshop, author, make_user):
    edit = submit(workshop, author, "Original")
    note_id = edit["note"]["id"]
    second = author.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Ann_Author1"],
                                   note=Note(id=note_id, content=content("Second title")))
    other = make_user("o@x.org", "Other Person")
    with pytest.raises(openreview.OpenReviewException, match=f"User is not writer of the Edit {second['id']}"):
        other.post_edit(openreview.api.Edit(id=second["id"], invitation=f"{VENUE}/-/Submission",
                                            signatures=["~Other_Person1"], note=Note(id=note_id)))
    # Deleting the second edit reverts the note to what the first one built.
    workshop.pc.post_note_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE], note=Note(id=note_id))
    stored = workshop.pc.get_note_edit(second["id"])
    requests.post(f"{workshop.pc.baseurl}/notes/edits", headers=workshop.pc.headers, timeout=10, json={
        "id": second["id"], "invitation": f"{VENUE}/-/Edit", "signatures": [VENUE], "ddate": 1,
        "note": {"id": note_id, "content": stored.note.content}}).raise_for_status()
    assert workshop.pc.get_note(note_id).content["title"]["value"] == "Original"
    assert len(workshop.pc.get_note_edits(note_id=note_id)) == 2
    assert len(workshop.pc.get_note_edits(note_id=note_id, trash=True)) == 3


def test_invitees_and_guests(root, workshop, make_user, guest):
    with pytest.raises(openreview.OpenReviewException) as error:
        make_user("o@x.org", "Other Person").post_note_edit(
            invitation=f"{VENUE}/-/Official_Review", signatures=["~Other_Person1"], note=Note())
    assert error.value.args[0]["name"] in ("NotInviteeError", "ForbiddenError")
    workshop.pc.post_invitation_edit(
        invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
        invitation=Invitation(id=f"{VENUE}/-/Feedback", invitees=["~", "(guest)"], readers=["everyone"],
                              writers=[VENUE], signatures=[VENUE], edit={
                                  "signatures": {"param": {"items": [{"prefix": "~.*", "optional": True},
                                                                     {"value": "(guest)", "optional": True}]}},
                                  "readers": [VENUE], "writers": [VENUE],
                                  "note": {"signatures": ["${3/signatures}"], "readers": [VENUE], "writers": [VENUE],
                                           "content": {"comment": {"value": {"param": {"type": "string"}}}}}}))
    posted = guest.post_note_edit(invitation=f"{VENUE}/-/Feedback", signatures=["(guest)"],
                                  note=Note(content={"comment": {"value": "hello"}}))
    assert posted["signatures"] == ["(guest)"]
    assert workshop.pc.get_note(posted["note"]["id"]).signatures == ["(guest)"]
    with pytest.raises(openreview.OpenReviewException) as not_signatory:
        guest.post_note_edit(invitation=f"{VENUE}/-/Feedback", signatures=["~Pat_Chair1"],
                             note=Note(content={"comment": {"value": "forged"}}))
    assert not_signatory.value.args[0]["name"] == "NotSignatoryError"


def test_details(workshop, author, guest):
    edit = submit(workshop, author, "With details")
    notes = workshop.pc.get_notes(id=edit["note"]["id"], details="replyCount,writable,directReplies")
    assert notes[0].details == {"writable": True, "replyCount": 0, "directReplies": []}
    assert author.get_notes(id=edit["note"]["id"], details="writable")[0].details == {"writable": True}
    workshop.pc.post_note_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE],
                               note=Note(id=edit["note"]["id"], readers=["everyone"]))
    assert guest.get_notes(id=edit["note"]["id"], details="writable")[0].details == {"writable": False}


def test_noninvitees_are_refused(root, workshop, author, make_user):
    workshop.pc.post_invitation_edit(
        invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
        invitation=Invitation(id=f"{VENUE}/-/Submission", noninvitees=["~Ann_Author1"]))
    with pytest.raises(openreview.OpenReviewException) as error:
        submit(workshop, author, "Excluded")
    assert error.value.args[0]["name"] == "NotInviteeError"
    other = make_user("o@x.org", "Other Person")
    edit = other.post_note_edit(invitation=f"{VENUE}/-/Submission", signatures=["~Other_Person1"],
                                note=Note(content={"title": {"value": "Fine"},
                                                   "authorids": {"value": ["~Other_Person1"]}}))
    assert edit["note"]["number"] == 1


def test_replies_stay_in_their_forum(workshop, author):
    first = submit(workshop, author, "First")["note"]["id"]
    second = submit(workshop, author, "Second")["note"]["id"]

    def reply(forum: str, replyto: str) -> dict:
        return workshop.pc.post_note_edit(
            invitation=f"{VENUE}/-/Edit", signatures=[VENUE],
            note=Note(forum=forum, replyto=replyto, readers=[VENUE], writers=[VENUE], signatures=[VENUE],
                      content={"comment": {"value": "c"}}))

    assert reply(first, first)["note"]["forum"] == first
    with pytest.raises(openreview.OpenReviewException) as other_forum:
        reply(first, second)
    assert other_forum.value.args[0]["details"]["path"] == "note/replyto"
    with pytest.raises(openreview.OpenReviewException, match="The Note NoSuchNote1 was not found"):
        reply(first, "NoSuchNote1")
    with pytest.raises(openreview.OpenReviewException, match="The Note NoSuchForum was not found"):
        reply("NoSuchForum", first)
