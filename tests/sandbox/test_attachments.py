"""Attachments and the human-verification gate, through openreview-py over HTTP.

``put_attachment`` keeps a file for a field of an invitation's form; the value it answers goes in the
note, and ``get_pdf`` / ``get_attachment`` give the bytes back to those who may read the note. Too
many uploads, or too many posts through an invitation with ``humanVerificationRequired``, ask for
a human: the sandbox refuses them with OpenReview's message.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openreview
import pytest
import requests
from openreview.api import Invitation, Note

from tests.conftest import PASSWORD
from tests.sandbox.helpers import api_error
from tests.sandbox.scenario import VENUE, build_workshop, upload_invitation

UPLOAD = f"{VENUE}/-/Paper_Upload"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def workshop(root, make_user):
    pc = make_user("pc@drw.example", "Pat Chair")
    built = build_workshop(root, pc, "pc@drw.example")
    pc.post_invitation_edit(invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
                            invitation=upload_invitation(VENUE))
    return built


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"pdf": tmp_path / "paper.pdf", "zip": tmp_path / "code.zip", "big": tmp_path / "big.pdf",
             "txt": tmp_path / "notes.txt"}
    paths["pdf"].write_bytes(PDF_BYTES)
    paths["zip"].write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    paths["big"].write_bytes(b"%PDF" + b"x" * (1024 * 1024 + 1))
    paths["txt"].write_bytes(b"hello")
    return paths


def test_an_uploaded_pdf_is_read_back_through_the_note(workshop, make_user, files):
    author = make_user("author@x.org", "Ann Author")
    url = author.put_attachment(str(files["pdf"]), UPLOAD, "pdf")
    assert url == f"/pdf/{hashlib.sha1(PDF_BYTES).hexdigest()}.pdf"
    zip_url = author.put_attachment(str(files["zip"]), UPLOAD, "supplementary_material")
    assert zip_url.startswith("/attachment/") and zip_url.endswith(".zip")
    edit = author.post_note_edit(invitation=UPLOAD, signatures=["~Ann_Author1"], note=Note(content={
        "title": {"value": "With a PDF"}, "pdf": {"value": url}, "supplementary_material": {"value": zip_url}}))
    note_id = edit["note"]["id"]
    assert author.get_pdf(note_id) == PDF_BYTES
    assert workshop.pc.get_attachment("pdf", id=note_id) == PDF_BYTES
    assert author.get_attachment("supplementary_material", id=note_id) == files["zip"].read_bytes()
    # someone who may not read the note gets nothing
    stranger = make_user("stranger@x.org", "Sam Stranger")
    assert api_error(lambda: stranger.get_pdf(note_id))["name"] == "ForbiddenError"  # as GET /notes?id= says


def test_uploads_the_field_does_not_take_are_refused(workshop, make_user, files, guest):
    author = make_user("author@x.org", "Ann Author")
    assert "type pdf" in api_error(lambda: author.put_attachment(str(files["txt"]), UPLOAD, "pdf"))["message"]
    assert "smaller than 1 MB" in api_error(lambda: author.put_attachment(str(files["big"]), UPLOAD, "pdf"))[
        "message"]
    assert api_error(lambda: author.put_attachment(str(files["pdf"]), UPLOAD, "title"))["message"] == (
        f"The field title of {UPLOAD} does not take a file")
    missing = api_error(lambda: author.put_attachment(str(files["pdf"]), f"{VENUE}/-/Nothing", "pdf"))
    assert (missing["name"], missing["status"]) == ("NotFoundError", 404)
    assert api_error(lambda: guest.put_attachment(str(files["pdf"]), UPLOAD, "pdf"))["status"] == 403
    # a note naming a file nobody uploaded has no attachment to give
    edit = author.post_note_edit(invitation=UPLOAD, signatures=["~Ann_Author1"], note=Note(content={
        "title": {"value": "Fake"}, "pdf": {"value": "/pdf/" + "a" * 40 + ".pdf"}}))
    assert api_error(lambda: author.get_pdf(edit["note"]["id"]))["status"] == 404


def test_the_eleventh_upload_in_an_hour_asks_for_a_human(workshop, make_user, files, baseurl):
    author = make_user("author@x.org", "Ann Author")
    for _ in range(10):
        assert author.put_attachment(str(files["pdf"]), UPLOAD, "pdf")
    error = api_error(lambda: author.put_attachment(str(files["pdf"]), UPLOAD, "pdf"))
    assert (error["name"], error["message"], error["status"]) == (
        "HumanVerificationRequiredError", "Human verification required", 403)
    other = make_user("other@x.org", "Oli Other")
    assert other.put_attachment(str(files["pdf"]), UPLOAD, "pdf")  # counted per user
    requests.put(f"{baseurl}/_sandbox/clock", json={"advance": 60 * 60 * 1000 + 1}, timeout=10).raise_for_status()
    author = openreview.api.OpenReviewClient(baseurl=baseurl, username="author@x.org", password=PASSWORD)
    assert author.put_attachment(str(files["pdf"]), UPLOAD, "pdf")  # the window has passed (log in again)


def test_an_invitation_that_asks_for_a_human_after_one_post(workshop, make_user, root):
    workshop.pc.post_invitation_edit(
        invitations=f"{VENUE}/-/Edit", signatures=[VENUE],
        invitation=Invitation(id=UPLOAD, humanVerificationRequired={"limit": 1, "windowMs": 300000}))
    assert workshop.pc.get_invitation(UPLOAD).humanVerificationRequired == {"limit": 1, "windowMs": 300000}
    author = make_user("author@x.org", "Ann Author")

    def post(client: openreview.api.OpenReviewClient, title: str, signature: str = "~Ann_Author1") -> dict:
        return client.post_note_edit(invitation=UPLOAD, signatures=[signature], note=Note(content={
            "title": {"value": title}, "pdf": {"value": "/pdf/" + "b" * 40 + ".pdf"}}))

    post(author, "First")
    error = api_error(lambda: post(author, "Second"))
    assert (error["name"], error["message"]) == ("HumanVerificationRequiredError", "Human verification required")
    assert [n.content["title"]["value"] for n in root.get_all_notes(invitation=UPLOAD)] == ["First"]
    workshop.pc.post_invitation_edit(invitations=f"{VENUE}/-/Edit", signatures=[VENUE],
                                     invitation=Invitation(id=UPLOAD, humanVerificationRequired={"delete": True}))
    assert workshop.pc.get_invitation(UPLOAD).humanVerificationRequired is None
    post(author, "Second")
    assert len(root.get_all_notes(invitation=UPLOAD)) == 2
