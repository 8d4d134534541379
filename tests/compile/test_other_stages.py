"""Bidding, comments, submission revisions and custom stages: venue files → the invitations
openreview-py's builder posts for the same choices (``set_bid_invitations``,
``set_official_comment_invitation``, ``set_public_comment_invitation``,
``set_submission_revision_invitation``, ``set_custom_stage_invitation``).

The compiled JSON is checked field by field, then posted to a real sandbox where a reviewer bids,
an author comments, revises the paper and answers a custom stage through the compiled invitations
with openreview-py. The sandbox does not run OpenReview's server-side scripts: the venue does by
hand what they would (the paper's groups, the per-paper children of the super invitations).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import openreview
import pytest
import requests
from openreview.api import Edge, Group, Invitation, Note

from tests.compile.post import post_state
from tests.conftest import PASSWORD
from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredState, file_ref
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError

V = "ABC.cc/2027/Conference"
PCS = f"{V}/Program_Chairs"
MINUTE = 60 * 1000
YEAR_OF_WEEKS = 52 * 7 * 24 * 60 * MINUTE
NOTE_ID_4 = "${4/content/noteId/value}"

HEAD = f"""\
venue:
  id: {V}
  name: ABC Conference
  short_name: ABC 2027
  start_date: May 3 2027
roles:
  program_chairs: [pc@abc.org]
"""

SUBMISSION = """\
  submission:
    start: 2026-09-01
    due: 2026-10-01 23:59
"""


def venue(roles: str = "", stages: str = "", submission: str = SUBMISSION) -> str:
    """A venue file: the head, further ``roles`` lines, the submission stage and ``stages`` lines."""
    return HEAD + textwrap.indent(textwrap.dedent(roles), "  ") + "stages:\n" + submission + textwrap.indent(
        textwrap.dedent(stages), "  ")


AC_ROLES = """\
senior_area_chairs: {}
area_chairs: {}
reviewers: {members: [~Rev_One1]}
"""


def compile_text(text: str) -> DesiredState:
    return compile_venue(load_venue_text(text, "venue.yaml"))


def invitation(state: DesiredState, invitation_id: str) -> dict:
    obj = state.get("invitation", invitation_id)
    assert obj is not None, f"{invitation_id} not compiled; have {state.ids('invitation')}"
    return obj.body


def ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


def config_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        compile_text(text)
    return raised.value


# -- bidding ----------------------------------------------------------------------------------------
BIDDING = """\
bidding:
  - {committee: reviewers, start: 2026-10-03, due: 2026-10-10 23:59, request_count: 40, allow_conflict_bids: true}
  - {committee: area_chairs, start: 2026-10-03, due: 2026-10-10 23:59, request_count: 60}
  - {committee: senior_area_chairs, start: 2026-10-03, due: 2026-10-10 23:59, request_count: 0}
"""


def test_a_reviewer_bid_invitation():
    state = compile_text(venue(AC_ROLES, BIDDING))
    bid = invitation(state, f"{V}/Reviewers/-/Bid")
    assert state.get("invitation", f"{V}/Reviewers/-/Bid").replacement
    assert bid["cdate"] == ms("2026-10-03T00:00")
    assert bid["duedate"] == ms("2026-10-10T23:59")
    assert bid["expdate"] == ms("2026-10-10T23:59") + 30 * MINUTE
    assert bid["invitees"] == [f"{V}/Reviewers"]
    assert bid["readers"] == [V, f"{V}/Senior_Area_Chairs", f"{V}/Area_Chairs", f"{V}/Reviewers"]
    assert bid["writers"] == [V] and bid["signatures"] == [V]
    assert bid["minReplies"] == 40
    assert bid["web"] == file_ref("venue/webfield/paperBidWebfield.js")
    assert bid["responseArchiveDate"] == ms("2027-05-03T00:00") + YEAR_OF_WEEKS
    assert bid["humanVerificationRequired"] == {"limit": 100, "windowMs": 3600000}
    assert bid["content"]["committee_name"] == {"value": "Reviewers"}
    assert bid["content"]["scores_spec"]["value"]["translate_map"]["Very High"] == 1.0
    edge = bid["edge"]
    assert edge["head"] == {"param": {"type": "note", "withInvitation": f"{V}/-/Submission"}}
    assert edge["tail"] == {"param": {"type": "profile", "inGroup": f"{V}/Reviewers",
                                      "options": {"group": f"{V}/Reviewers"}}}
    assert edge["label"] == {"param": {"enum": ["Very High", "High", "Neutral", "Low", "Very Low", "Conflict"],
                                       "input": "radio"}}
    assert edge["readers"] == [V, f"{V}/Submission${{{{2/head}}/number}}/Senior_Area_Chairs",
                               f"{V}/Submission${{{{2/head}}/number}}/Area_Chairs", "${2/tail}"]
    assert edge["nonreaders"] == [f"{V}/Submission${{{{2/head}}/number}}/Authors"]
    assert edge["writers"] == [V, "${2/tail}"]
    assert edge["signatures"] == {"param": {"items": [{"value": "${3/tail}", "optional": True},
                                                      {"value": V, "optional": True}]}}
    assert edge["id"] == {"param": {"withInvitation": f"{V}/Reviewers/-/Bid", "optional": True}}


def test_area_chairs_bid_on_papers_and_senior_area_chairs_on_area_chairs():
    state = compile_text(venue(AC_ROLES, BIDDING))
    ac = invitation(state, f"{V}/Area_Chairs/-/Bid")
    assert ac["readers"] == [V, f"{V}/Senior_Area_Chairs", f"{V}/Area_Chairs"]
    assert ac["edge"]["readers"] == [V, f"{V}/Submission${{{{2/head}}/number}}/Senior_Area_Chairs", "${2/tail}"]
    assert "Conflict" not in ac["edge"]["label"]["param"]["enum"]
    assert ac["minReplies"] == 60
    sac = invitation(state, f"{V}/Senior_Area_Chairs/-/Bid")
    assert sac["edge"]["head"] == {"param": {"type": "profile", "options": {"group": f"{V}/Area_Chairs"}}}
    assert sac["edge"]["readers"] == [V, "${2/tail}"]
    assert "nonreaders" not in sac["edge"]
    assert sac["web"] == file_ref("venue/webfield/profileBidWebfield.js")
    assert "minReplies" not in sac  # openreview-py drops a request count of 0
    assert state.ids("invitation").index(f"{V}/Reviewers/-/Bid") < state.ids("invitation").index(
        f"{V}/Senior_Area_Chairs/-/Bid")


def test_a_venue_without_area_chairs_shows_bids_to_the_venue_and_the_bidder():
    state = compile_text(venue("", "bidding: {committee: reviewers, start: 2026-10-03}\n"))
    bid = invitation(state, f"{V}/Reviewers/-/Bid")
    assert bid["readers"] == [V, f"{V}/Reviewers"]
    assert bid["edge"]["readers"] == [V, "${2/tail}"]
    assert bid["minReplies"] == 50
    assert "duedate" not in bid and "expdate" not in bid


def test_senior_area_chairs_cannot_bid_without_area_chairs():
    text = venue("senior_area_chairs: {}\n", "bidding: {committee: senior_area_chairs, start: 2026-10-03}\n")
    error = config_error(text)
    assert [d.message for d in error.diagnostics] == [
        "senior area chairs bid on area chairs, but the venue has no area_chairs role"]
    assert error.diagnostics[0].location.line == text.splitlines().index(
        "  bidding: {committee: senior_area_chairs, start: 2026-10-03}") + 1


def test_the_edge_archive_date_never_depends_on_the_clock():
    bidding = "  bidding: {committee: reviewers, start: 2026-10-03}\n"
    iso = HEAD.replace("start_date: May 3 2027", 'start_date: "2027-05-03"') + "stages:\n" + SUBMISSION + bidding
    bid = invitation(compile_text(iso), f"{V}/Reviewers/-/Bid")
    assert bid["responseArchiveDate"] == ms("2027-05-03T00:00") + YEAR_OF_WEEKS
    free = HEAD.replace("start_date: May 3 2027", "start_date: early May") + "stages:\n" + SUBMISSION + bidding
    bid = invitation(compile_text(free), f"{V}/Reviewers/-/Bid")
    assert bid["responseArchiveDate"] == ms("2026-09-01T00:00") + YEAR_OF_WEEKS


# -- comments ---------------------------------------------------------------------------------------
COMMENTS = """\
comments:
  start: 2026-11-21
  end: 2027-01-10
  participants: [program_chairs, area_chairs_assigned, reviewers_assigned, authors]
"""


def test_official_comments_without_reader_selection():
    state = compile_text(venue("area_chairs: {}\n", COMMENTS))
    body = invitation(state, f"{V}/-/Official_Comment")
    assert not state.get("invitation", f"{V}/-/Official_Comment").replacement
    assert body["invitees"] == [V] and body["readers"] == [V] and body["signatures"] == [V]
    assert body["cdate"] == ms("2026-11-21T00:00")
    assert body["dateprocesses"][0]["dates"] == ["#{4/edit/invitation/cdate}", "#{4/mdate} + 5000"]
    assert f"{V}/-/Edit" in body["dateprocesses"][0]["script"]
    assert "invitation_edit_script" in body["dateprocesses"][0]["script"]
    assert body["content"]["comment_process_script"] == {"value": file_ref("venue/process/comment_process.py")}
    assert body["content"]["comment_preprocess_script"] == {
        "value": file_ref("venue/process/comment_pre_process.js")}
    assert body["content"]["source"] == {"value": {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"]}}
    assert {k: v["value"] for k, v in body["content"].items() if k.startswith("email")} == {
        "email_program_chairs": False, "email_senior_area_chairs": False, "email_area_chairs": True,
        "email_reviewers": True, "email_authors": True}
    edit = body["edit"]
    assert edit["replacement"] is True
    assert set(edit["content"]) == {"noteNumber", "noteId"}
    child = edit["invitation"]
    paper = f"{V}/Submission${{3/content/noteNumber/value}}"
    assert child["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Official_Comment"
    assert child["invitees"] == [V, "openreview.net/Support", f"{paper}/Area_Chairs", f"{paper}/Reviewers",
                                 f"{paper}/Authors"]
    assert child["readers"] == child["invitees"]
    assert child["cdate"] == ms("2026-11-21T00:00")
    assert child["expdate"] == ms("2027-01-10T23:59")
    assert "duedate" not in child
    assert child["preprocess"] == ""
    assert "comment_process_script" in child["process"]
    assert child["description"].startswith('\n- Please select who should be able to see your comment')
    assert "Program Chairs will not be notified" in child["description"]
    signer = f"{V}/Submission${{7/content/noteNumber/value}}"
    assert child["edit"]["signatures"] == {"param": {"items": [
        {"value": PCS, "optional": True}, {"prefix": f"{signer}/Area_Chair_.*", "optional": True},
        {"prefix": f"{signer}/Reviewer_.*", "optional": True}, {"value": f"{signer}/Authors", "optional": True}]}}
    note = child["edit"]["note"]
    reader = f"{V}/Submission${{5/content/noteNumber/value}}"
    assert note["readers"] == [PCS, f"{reader}/Area_Chairs", f"{reader}/Reviewers", f"{reader}/Authors"]
    assert note["forum"] == NOTE_ID_4
    assert note["replyto"] == {"param": {"withForum": "${6/content/noteId/value}"}}
    assert note["writers"] == [V, "${3/signatures}"]
    assert list(note["content"]) == ["title", "comment"]
    assert note["content"]["comment"]["value"]["param"]["maxLength"] == 5000
    assert state.get("invitation", f"{V}/-/Public_Comment") is None


def test_reader_selection_makes_the_chairs_mandatory_and_checks_them():
    stages = COMMENTS.replace("participants: [", "participants: [senior_area_chairs_assigned, ") \
        + "  reader_selection: true\n  readers: [reviewers_submitted]\n  email_program_chairs: true\n"
    state = compile_text(venue(AC_ROLES, stages))
    child = invitation(state, f"{V}/-/Official_Comment")["edit"]["invitation"]
    paper = f"{V}/Submission${{8/content/noteNumber/value}}"
    assert child["edit"]["note"]["readers"] == {"param": {"items": [
        {"value": PCS, "optional": False},
        {"value": f"{paper}/Senior_Area_Chairs", "optional": False},
        {"value": f"{paper}/Area_Chairs", "optional": True},
        {"value": f"{paper}/Reviewers", "optional": True},
        {"value": f"{paper}/Reviewers/Submitted", "optional": True},
        {"inGroup": f"{paper}/Reviewers", "optional": True},
        {"value": f"{paper}/Authors", "optional": True},
    ]}}
    assert "comment_preprocess_script" in child["preprocess"] and child["preprocess"].startswith("async function")
    assert "Program Chairs will be notified of all comments." in child["description"]
    assert "Senior Area Chairs will be notified" in child["description"]
    # The mandatory readers are those the venue's content lists for the preprocess to enforce.
    content = state.get("group", V).body["content"]
    assert content["comment_mandatory_readers"]["value"] == [PCS, f"{V}/Submission{{number}}/Senior_Area_Chairs"]
    without_check = compile_text(venue(AC_ROLES, stages + "  check_mandatory_readers: false\n"))
    assert invitation(without_check, f"{V}/-/Official_Comment")["edit"]["invitation"]["preprocess"] == ""


def test_public_comments():
    state = compile_text(venue("area_chairs: {}\n", COMMENTS + "  public_comments: true\n  description: Be kind.\n"))
    official = invitation(state, f"{V}/-/Official_Comment")["edit"]["invitation"]
    assert official["edit"]["note"]["readers"][:2] == [PCS, "everyone"]
    assert official["description"] == "Be kind."
    body = invitation(state, f"{V}/-/Public_Comment")
    assert body["content"]["source"] == {"value": {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"],
                                                   "readers": ["everyone"]}}
    child = body["edit"]["invitation"]
    paper = f"{V}/Submission${{3/content/noteNumber/value}}"
    assert child["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Public_Comment"
    assert child["invitees"] == ["everyone"] and child["readers"] == ["everyone"]
    assert child["noninvitees"] == [f"{paper}/Authors", f"{paper}/Reviewers", f"{paper}/Area_Chairs", PCS]
    assert child["edit"]["signatures"] == {"param": {"regex": "~.*"}}
    assert child["edit"]["note"]["readers"] == ["everyone"]
    assert child["expdate"] == ms("2027-01-10T23:59")
    assert "description" not in child


def test_comment_form_changes_apply_to_both_forms():
    text = venue("", COMMENTS + "  public_comments: true\n  form:\n    remove: [title]\n"
                                "    change: {comment: {maxLength: 10000}}\n")
    state = compile_text(text)
    for name in ("Official_Comment", "Public_Comment"):
        content = invitation(state, f"{V}/-/{name}")["edit"]["invitation"]["edit"]["note"]["content"]
        assert list(content) == ["comment"]
        assert content["comment"]["value"]["param"]["maxLength"] == 10000


def test_comment_audiences_the_builder_does_not_know_are_errors_at_their_line():
    text = venue("", COMMENTS.replace("authors]", "authors, reviewers]") + "  readers: [area_chairs]\n")
    error = config_error(text)
    rendered = str(error)
    assert "comments cannot name 'reviewers' in participants" in rendered
    assert "comments cannot name 'area_chairs' in readers" in rendered
    lines = text.splitlines()
    assert [d.location.line for d in error.diagnostics] == [
        next(i for i, line in enumerate(lines, 1) if "participants:" in line),
        next(i for i, line in enumerate(lines, 1) if line.strip().startswith("readers: [area_chairs]"))]


# -- submission revisions ---------------------------------------------------------------------------
REVISION = """\
revision:
  start: 2026-10-05
  due: 2026-10-20 23:59
"""


def test_a_revision_edits_the_submission_with_the_submission_form():
    state = compile_text(venue("", REVISION))
    body = invitation(state, f"{V}/-/Revision")
    assert not state.get("invitation", f"{V}/-/Revision").replacement
    assert body["cdate"] == ms("2026-10-05T00:00")
    assert body["content"]["revision_process_script"] == {
        "value": file_ref("venue/process/submission_revision_process.py")}
    assert body["content"]["source"] == {"value": {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"]}}
    child = body["edit"]["invitation"]
    assert child["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Revision"
    assert child["invitees"] == [V, f"{V}/Submission${{3/content/noteNumber/value}}/Authors"]
    assert child["readers"] == child["invitees"]
    assert (child["cdate"], child["duedate"], child["expdate"]) == (
        ms("2026-10-05T00:00"), ms("2026-10-20T23:59"), ms("2026-10-20T23:59") + 30 * MINUTE)
    assert "revision_process_script" in child["process"]
    edit = child["edit"]
    assert edit["signatures"] == {"param": {"items": [
        {"value": f"{V}/Submission${{7/content/noteNumber/value}}/Authors", "optional": True},
        {"value": PCS, "optional": True}]}}
    assert edit["readers"] == [V, f"{V}/Submission${{4/content/noteNumber/value}}/Authors"]
    assert edit["writers"] == edit["readers"]
    assert edit["note"]["id"] == NOTE_ID_4
    assert "license" not in edit["note"]
    # The submission's own form, without the venue/venueid constants.
    submission = invitation(state, f"{V}/-/Submission")["edit"]["note"]["content"]
    assert edit["note"]["content"] == {k: v for k, v in submission.items() if k not in ("venue", "venueid")}


def test_revision_form_changes_start_from_the_submission_stages_form():
    submission = SUBMISSION + "    form:\n      remove: [TLDR]\n      add:\n        code: {type: string, order: 9}\n"
    stages = REVISION + "  form:\n    remove: [keywords]\n    change: {abstract: {maxLength: 100}}\n" \
                        "    add:\n      video: {type: string, optional: true, order: 10}\n"
    content = invitation(compile_text(venue("", stages, submission)), f"{V}/-/Revision")["edit"]["invitation"][
        "edit"]["note"]["content"]
    assert list(content) == ["title", "authors", "authorids", "abstract", "pdf", "code", "video"]
    assert content["abstract"]["value"]["param"]["maxLength"] == 100


def test_camera_ready_for_accepted_papers_with_pinned_authors_and_a_license_choice():
    submission = SUBMISSION + "    double_blind: true\n    hide_fields: [keywords]\n" \
                              "    license: [CC BY 4.0, CC BY-SA 4.0]\n"
    stages = """\
    decision: {start: 2027-01-10, due: 2027-01-20 23:59}
    camera_ready:
      start: 2027-01-21
      due: 2027-02-15 23:59
      author_changes: allow_reorder
      allow_license_edition: true
      history_readers: submission_readers
    """
    state = compile_text(venue("publication_chairs: {}\n", stages, submission))
    body = invitation(state, f"{V}/-/Camera_Ready_Revision")
    assert body["content"]["source"]["value"] == {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"],
                                                  "with_decision_accept": True}
    edit = body["edit"]["invitation"]["edit"]
    assert edit["readers"] == ["${{2/note/id}/readers}"]
    assert edit["note"]["license"] == {"param": {"enum": [{"value": "CC BY 4.0", "description": "CC BY 4.0"},
                                                          {"value": "CC BY-SA 4.0", "description": "CC BY-SA 4.0"}]}}
    content = edit["note"]["content"]
    hidden = [V, f"{V}/Submission${{{{4/id}}/number}}/Authors"]
    assert content["authors"] == {"value": {"param": {"type": "string[]", "const": ["${{6/id}/content/authors/value}"],
                                                      "hidden": True}},
                                  "order": 3, "readers": [*hidden, f"{V}/Publication_Chairs"]}
    assert content["authorids"] == {"value": ["${{4/id}/content/authorids/value}"], "order": 4,
                                    "readers": [*hidden, f"{V}/Publication_Chairs"]}
    assert content["keywords"]["readers"] == hidden
    assert "readers" not in content["title"]


def test_revisions_may_leave_the_author_list_out():
    stages = REVISION + "  author_changes: disallow_edit\n  allow_license_edition: true\n"
    edit = invitation(compile_text(venue("", stages)), f"{V}/-/Revision")["edit"]["invitation"]["edit"]
    assert "authors" not in edit["note"]["content"] and "authorids" not in edit["note"]["content"]
    assert edit["note"]["license"] == "CC BY 4.0"


def test_revision_and_camera_ready_together():
    stages = REVISION + "decision: {start: 2027-01-10, due: 2027-01-20 23:59}\n" \
                        "camera_ready: {start: 2027-01-21, due: 2027-02-15 23:59, only_accepted: false}\n"
    state = compile_text(venue("", stages))
    ids = state.ids("invitation")
    assert ids.index(f"{V}/-/Revision") < ids.index(f"{V}/-/Camera_Ready_Revision")
    camera = invitation(state, f"{V}/-/Camera_Ready_Revision")
    assert "with_decision_accept" not in camera["content"]["source"]["value"]
    assert state.get("group", V).body["content"]["submission_revision_accepted"] == {"value": False}


# -- custom stages ----------------------------------------------------------------------------------
CUSTOM = """\
review: {start: 2026-10-24, due: 2026-11-20 23:59}
decision: {start: 2027-01-10, due: 2027-01-20 23:59}
custom:
  - name: Ethics_Statement
    start: 2027-01-21
    due: 2027-02-01 23:59
    source: accepted
    invitees: [authors]
    readers: [program_chairs, area_chairs_assigned, authors]
    form:
      add:
        statement: {order: 1, description: Statement., type: string, maxLength: 5000, input: textarea}
  - name: Review_Rating
    reply_to: reviews
    start: 2026-11-21
    due: 2026-12-01 23:59
    expiration: 2026-12-05 23:59
    invitees: [area_chairs_assigned]
    readers: [program_chairs, area_chairs_assigned, senior_area_chairs_assigned]
    multiple: true
    email_program_chairs: true
    notify_readers: true
    form:
      add:
        rating: {order: 1, type: integer, enum: [1, 2, 3], input: radio}
"""


def test_a_custom_stage_replying_to_the_forum():
    state = compile_text(venue(AC_ROLES, CUSTOM))
    body = invitation(state, f"{V}/-/Ethics_Statement")
    assert not state.get("invitation", f"{V}/-/Ethics_Statement").replacement
    assert body["cdate"] == ms("2027-01-21T00:00")
    assert body["content"]["source"] == {"value": {"venueid": [V, f"{V}/Submission"], "with_decision_accept": True}}
    assert body["content"]["custom_stage_process_script"] == {
        "value": file_ref("venue/process/custom_stage_process.py")}
    assert {k: body["content"][k]["value"] for k in ("email_pcs", "email_sacs", "notify_readers", "email_template")} \
        == {"email_pcs": False, "email_sacs": False, "notify_readers": False, "email_template": ""}
    assert set(body["edit"]["content"]) == {"noteNumber", "noteId"}
    child = body["edit"]["invitation"]
    assert child["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Ethics_Statement"
    assert child["invitees"] == [V, f"{V}/Submission${{3/content/noteNumber/value}}/Authors"]
    assert child["readers"] == child["invitees"]
    assert child["noninvitees"] == []
    assert child["minReplies"] == 1 and child["maxReplies"] == 1
    assert (child["duedate"], child["expdate"]) == (ms("2027-02-01T23:59"), ms("2027-02-01T23:59") + 30 * MINUTE)
    assert child["description"] == {"param": {"const": {"delete": True}}}
    assert "custom_stage_process_script" in child["process"]
    edit = child["edit"]
    assert edit["signatures"] == {"param": {"items": [
        {"value": f"{V}/Submission${{7/content/noteNumber/value}}/Authors", "optional": True}]}}
    assert edit["nonreaders"] == [] and edit["writers"] == [V, "${2/signatures}"]
    note = edit["note"]
    reader = f"{V}/Submission${{5/content/noteNumber/value}}"
    assert note["readers"] == [PCS, f"{reader}/Area_Chairs", f"{reader}/Authors"]
    assert note["replyto"] == NOTE_ID_4 and note["forum"] == NOTE_ID_4
    with_invitation = f"{V}/Submission${{6/content/noteNumber/value}}/-/Ethics_Statement"
    assert note["id"] == {"param": {"withInvitation": with_invitation, "optional": True}}
    assert note["content"] == {"statement": {"order": 1, "description": "Statement.", "value": {"param": {
        "type": "string", "maxLength": 5000, "input": "textarea"}}}}


def test_a_custom_stage_replying_to_each_review():
    state = compile_text(venue(AC_ROLES, CUSTOM))
    body = invitation(state, f"{V}/-/Review_Rating")
    assert body["content"]["source"] == {"value": {"venueid": [f"{V}/Submission"], "reply_to": "Official_Review"}}
    assert body["content"]["email_pcs"] == {"value": True}
    assert body["content"]["notify_readers"] == {"value": True}
    assert set(body["edit"]["content"]) == {"noteNumber", "noteId", "replyNumber", "replyto", "invitationPrefix"}
    assert body["edit"]["content"]["replyto"] == {"value": {"param": {"type": "string", "optional": True}}}
    child = body["edit"]["invitation"]
    assert child["id"] == "${2/content/invitationPrefix/value}/-/Review_Rating"
    assert child["edit"]["note"]["replyto"] == "${4/content/replyto/value}"
    assert child["edit"]["note"]["id"]["param"]["withInvitation"] == (
        "${6/content/invitationPrefix/value}/-/Review_Rating")
    assert "maxReplies" not in child
    assert child["expdate"] == ms("2026-12-05T23:59")
    assert child["edit"]["signatures"]["param"]["items"] == [
        {"prefix": f"{V}/Submission${{7/content/noteNumber/value}}/Area_Chair_.*", "optional": True}]
    reader = f"{V}/Submission${{5/content/noteNumber/value}}"
    assert child["edit"]["note"]["readers"] == [PCS, f"{reader}/Senior_Area_Chairs", f"{reader}/Area_Chairs"]


def test_public_custom_stages_signed_with_profiles():
    stages = """\
    custom:
      - name: Public_Note
        start: 2026-11-01
        source: public
        invitees: [reviewers_assigned, program_chairs]
        readers: [everyone]
        allow_de_anonymization: true
        description: Anything to add?
        form: {add: {note: {type: string}}}
    """
    body = invitation(compile_text(venue("", stages)), f"{V}/-/Public_Note")
    assert body["content"]["source"]["value"] == {"venueid": [f"{V}/Submission"], "readers": ["everyone"]}
    child = body["edit"]["invitation"]
    assert child["edit"]["signatures"]["param"]["items"] == [{"prefix": "~.*", "optional": True},
                                                             {"value": PCS, "optional": True}]
    assert child["edit"]["note"]["readers"] == ["everyone"]
    assert child["description"] == "Anything to add?"
    assert "duedate" not in child and "expdate" not in child


def test_custom_stage_mistakes_are_errors_at_their_lines():
    stages = """\
    custom:
      - name: Rating
        reply_to: meta_reviews
        start: 2026-11-01
        invitees: [reviewers]
        readers: [program_chairs]
        form: {remove: [title], add: {x: {type: string}}}
    """
    text = venue("", stages)
    messages = [d.message for d in config_error(text).diagnostics]
    assert any("cannot name 'reviewers' in invitees" in m for m in messages)
    assert any("replies to meta_reviews, but the venue has no stages.meta_review" in m for m in messages)
    assert any("no default form to remove" in m for m in messages)


def test_compiling_twice_gives_byte_identical_output():
    text = venue(AC_ROLES, BIDDING + COMMENTS + "  public_comments: true\n  reader_selection: true\n" + REVISION
                 + CUSTOM)
    first, second = compile_text(text).dumps(), compile_text(text).dumps()
    assert first == second
    for stage in ("stages.bidding[0]", "stages.comments", "stages.revision", "stages.custom[1]"):
        assert f'"stage": "{stage}"' in first


def test_compiled_objects_share_no_mutable_parts():
    text = venue("", COMMENTS + "  public_comments: true\n" + REVISION)
    state = compile_text(text)
    official = invitation(state, f"{V}/-/Official_Comment")["edit"]["invitation"]["edit"]["note"]["content"]
    official["comment"]["value"]["param"]["maxLength"] = 1
    public = invitation(state, f"{V}/-/Public_Comment")["edit"]["invitation"]["edit"]["note"]["content"]
    assert public["comment"]["value"]["param"]["maxLength"] == 5000
    revision = invitation(state, f"{V}/-/Revision")["edit"]["invitation"]["edit"]["note"]["content"]
    revision["title"]["value"]["param"]["regex"] = "changed"
    assert invitation(state, f"{V}/-/Submission")["edit"]["note"]["content"]["title"]["value"]["param"][
        "regex"] == "^.{1,250}$"


# -- in the sandbox ---------------------------------------------------------------------------------
SANDBOX_VENUE = venue(AC_ROLES, BIDDING + """\
review: {start: 2026-10-24, due: 2026-11-20 23:59}
meta_review: {start: 2026-12-10, due: 2027-01-05 23:59}
decision: {start: 2027-01-10, due: 2027-01-20 23:59}
comments:
  start: 2026-11-21
  end: 2027-01-10
  participants: [program_chairs, senior_area_chairs_assigned, area_chairs_assigned, reviewers_assigned, authors]
  public_comments: true
  reader_selection: true
revision:
  start: 2026-10-05
  due: 2026-10-20 23:59
  author_changes: allow_reorder
  allow_license_edition: true
camera_ready: {start: 2027-01-21, due: 2027-02-15 23:59}
custom:
  - name: Author_Statement
    start: 2026-11-21
    due: 2026-12-01 23:59
    invitees: [authors]
    readers: [program_chairs, area_chairs_assigned, authors]
    form:
      add:
        statement: {order: 1, type: string, maxLength: 500}
""", SUBMISSION + "    double_blind: true\n")

PDF = "/pdf/" + "a" * 40 + ".pdf"


def set_clock(baseurl: str, now: int) -> None:
    requests.put(f"{baseurl}/_sandbox/clock", json={"now": now, "running": True}, timeout=10).raise_for_status()


def login(baseurl: str, username: str) -> openreview.api.OpenReviewClient:
    """A fresh session (tokens last an hour of sandbox time, and the test moves the clock by weeks)."""
    return openreview.api.OpenReviewClient(baseurl=baseurl, username=username, password=PASSWORD)


def fan_out(root: openreview.api.OpenReviewClient, super_id: str, note: Note) -> None:
    """What the super invitation's date process does for one paper: post its child."""
    root.post_invitation_edit(invitations=super_id, readers=[V], writers=[V], signatures=[V],
                              content={"noteNumber": {"value": note.number}, "noteId": {"value": note.id}},
                              invitation=Invitation())


def test_the_compiled_stages_in_the_sandbox(baseurl, make_user):
    set_clock(baseurl, ms("2026-09-15T10:00"))
    author = make_user("ann@abc.org", "Ann Author")
    make_user("rev@abc.org", "Rev One")
    make_user("out@abc.org", "Out Sider")
    root = login(baseurl, "openreview.net")
    state = compile_text(SANDBOX_VENUE)
    post_state(baseurl, root.token, state)  # every compiled object is accepted
    for invitation_id in (f"{V}/Reviewers/-/Bid", f"{V}/Area_Chairs/-/Bid", f"{V}/Senior_Area_Chairs/-/Bid",
                          f"{V}/-/Official_Comment", f"{V}/-/Public_Comment", f"{V}/-/Revision",
                          f"{V}/-/Camera_Ready_Revision", f"{V}/-/Author_Statement"):
        assert root.get_invitation(invitation_id).id == invitation_id

    edit = author.post_note_edit(invitation=f"{V}/-/Submission", signatures=["~Ann_Author1"], note=Note(content={
        "title": {"value": "Declarative venues"}, "authors": {"value": ["Ann Author"]},
        "authorids": {"value": ["~Ann_Author1"]}, "keywords": {"value": ["infrastructure"]},
        "abstract": {"value": "We compile venue files."}, "pdf": {"value": PDF}}))
    paper = root.get_note(edit["note"]["id"])
    # What the submission process does on the server: the paper's groups.
    for group in (Group(id=f"{V}/Submission1", readers=[V], writers=[V], signatures=[V], signatories=[V]),
                  Group(id=f"{V}/Submission1/Authors", readers=[V, f"{V}/Submission1/Authors"], writers=[V],
                        signatures=[V], signatories=[V, f"{V}/Submission1/Authors"], members=["~Ann_Author1"])):
        root.post_group_edit(invitation=f"{V}/-/Edit", readers=[V], writers=[V], signatures=[V], group=group)

    # Bidding: a bid for a reviewer through the compiled edge invitation. The venue signs it (the
    # invitation's second signature choice): the sandbox does not yet resolve the bidder's own
    # choice, ``${3/tail}``, inside signature items.
    set_clock(baseurl, ms("2026-10-05T10:00"))
    root, reviewer = login(baseurl, "openreview.net"), login(baseurl, "rev@abc.org")
    bid = root.post_edge(Edge(invitation=f"{V}/Reviewers/-/Bid", head=paper.id, tail="~Rev_One1", label="High",
                              signatures=[V]))
    assert bid.readers == [V, f"{V}/Submission1/Senior_Area_Chairs", f"{V}/Submission1/Area_Chairs", "~Rev_One1"]
    assert bid.nonreaders == [f"{V}/Submission1/Authors"]
    assert bid.writers == [V, "~Rev_One1"]
    # The reviewer reads their bid; the paper's authors do not.
    assert [e.label for e in reviewer.get_edges(invitation=f"{V}/Reviewers/-/Bid", tail="~Rev_One1")] == ["High"]
    assert login(baseurl, "ann@abc.org").get_edges(invitation=f"{V}/Reviewers/-/Bid") == []
    with pytest.raises(openreview.OpenReviewException, match="label must be equal to one of the allowed values"):
        root.post_edge(Edge(invitation=f"{V}/Reviewers/-/Bid", head=paper.id, tail="~Rev_One1", label="Maybe",
                            signatures=[V]))
    with pytest.raises(openreview.OpenReviewException, match=f"is not member of {V}/Reviewers"):
        root.post_edge(Edge(invitation=f"{V}/Reviewers/-/Bid", head=paper.id, tail="~Out_Sider1", label="High",
                            signatures=[V]))

    # Revision: the paper's authors revise the submission itself; the author list stays as submitted.
    fan_out(root, f"{V}/-/Revision", paper)
    child = root.get_invitation(f"{V}/Submission1/-/Revision")
    assert child.invitees == [V, f"{V}/Submission1/Authors"]
    assert child.edit["note"]["id"] == paper.id
    author = login(baseurl, "ann@abc.org")
    author.post_note_edit(invitation=f"{V}/Submission1/-/Revision", signatures=[f"{V}/Submission1/Authors"],
                          note=Note(id=paper.id, license="CC BY 4.0", content={
                              "title": {"value": "Declarative venues, revised"},
                              "keywords": {"value": ["infrastructure"]},
                              "abstract": {"value": "We compile venue files."}, "pdf": {"value": PDF}}))
    revised = root.get_note(paper.id)
    assert revised.content["title"]["value"] == "Declarative venues, revised"
    assert revised.content["authorids"]["value"] == ["~Ann_Author1"]
    assert revised.content["venueid"]["value"] == f"{V}/Submission"

    # After the revision deadline, the child is closed.
    set_clock(baseurl, ms("2026-10-21T10:00"))
    author = login(baseurl, "ann@abc.org")
    with pytest.raises(openreview.OpenReviewException, match="expired"):
        author.post_note_edit(invitation=f"{V}/Submission1/-/Revision", signatures=[f"{V}/Submission1/Authors"],
                              note=Note(id=paper.id, content={"title": {"value": "Too late"}}))

    # Comments: the author comments for the chairs; the program chairs must be among the readers.
    set_clock(baseurl, ms("2026-11-25T10:00"))
    root, author, outsider = (login(baseurl, u) for u in ("openreview.net", "ann@abc.org", "out@abc.org"))
    fan_out(root, f"{V}/-/Official_Comment", paper)
    child = root.get_invitation(f"{V}/Submission1/-/Official_Comment")
    assert child.invitees == [V, "openreview.net/Support", f"{V}/Submission1/Senior_Area_Chairs",
                              f"{V}/Submission1/Area_Chairs", f"{V}/Submission1/Reviewers", f"{V}/Submission1/Authors"]
    readers = [PCS, f"{V}/Submission1/Senior_Area_Chairs", f"{V}/Submission1/Authors"]
    comment = author.post_note_edit(invitation=f"{V}/Submission1/-/Official_Comment",
                                    signatures=[f"{V}/Submission1/Authors"],
                                    note=Note(replyto=paper.id, readers=readers,
                                              content={"comment": {"value": "Thanks for reading."}}))
    posted = root.get_note(comment["note"]["id"])
    assert posted.readers == readers and posted.forum == paper.id
    assert posted.signatures == [f"{V}/Submission1/Authors"]
    with pytest.raises(openreview.OpenReviewException, match=f"readers must contain {PCS}"):
        author.post_note_edit(invitation=f"{V}/Submission1/-/Official_Comment",
                              signatures=[f"{V}/Submission1/Authors"],
                              note=Note(replyto=paper.id, readers=[f"{V}/Submission1/Authors"],
                                        content={"comment": {"value": "Only for us."}}))
    with pytest.raises(openreview.OpenReviewException, match="does not have permission to see Invitation"):
        outsider.post_note_edit(invitation=f"{V}/Submission1/-/Official_Comment", signatures=["~Out_Sider1"],
                                note=Note(replyto=paper.id, readers=[PCS],
                                          content={"comment": {"value": "Hello."}}))

    # Custom stage: one statement per paper from its authors.
    fan_out(root, f"{V}/-/Author_Statement", paper)
    statement = author.post_note_edit(invitation=f"{V}/Submission1/-/Author_Statement",
                                      signatures=[f"{V}/Submission1/Authors"],
                                      note=Note(content={"statement": {"value": "We agree."}}))
    note = root.get_note(statement["note"]["id"])
    assert note.readers == [PCS, f"{V}/Submission1/Area_Chairs", f"{V}/Submission1/Authors"]
    assert note.replyto == paper.id
    with pytest.raises(openreview.OpenReviewException, match="maximum number \\(1\\) of replies"):
        author.post_note_edit(invitation=f"{V}/Submission1/-/Author_Statement",
                              signatures=[f"{V}/Submission1/Authors"],
                              note=Note(content={"statement": {"value": "Again."}}))
