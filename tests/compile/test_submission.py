"""The submission stage compiler: venue files → the invitations ``Venue.create_submission_stage()`` posts.

Compiled objects are checked field by field against what openreview-py's builder writes for the same
choices, then posted to a real sandbox, where an author submits through the compiled form with
openreview-py as on openreview.net.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import openreview
import pytest
import requests

from tests.compile.post import post_state
from tests.conftest import PASSWORD
from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredState, file_ref
from venueops.config.validate import VenueConfig, load_venue_text
from venueops.errors import ConfigError

V = "ABC.cc/2027/Conference"
W = "XYZ.org/2027/Workshop"
MINUTE = 60 * 1000
DAY = 24 * 60 * MINUTE
UTC = dt.UTC
AOE = dt.timezone(dt.timedelta(hours=-12))

WORKSHOP = f"""\
venue:
  id: {W}
  name: XYZ Workshop
  short_name: XYZ 2027
roles:
  program_chairs: [pc@xyz.org]
stages:
  submission:
    start: 2027-01-01
    due: 2027-02-08 12:00
"""

CONFERENCE = f"""\
venue:
  id: {V}
  name: ABC Conference
  short_name: ABC 2027
  timezone: AoE
roles:
  program_chairs: [~Pat_Chair1]
  senior_area_chairs: {{}}
  area_chairs: {{identity_visible_to: [reviewers_assigned]}}
  reviewers: {{identity_visible_to: [area_chairs_assigned]}}
stages:
  submission:
    start: 2027-01-01
    abstract_due: 2027-02-01
    due: 2027-02-08
    double_blind: true
    readers_after_due: [senior_area_chairs_assigned, area_chairs_assigned, reviewers_assigned]
    hide_fields: [keywords]
    subject_areas: [ML, Theory]
    force_profiles: true
    license: [CC BY 4.0, CC BY-SA 4.0]
    email_program_chairs: true
    withdrawal_expiration: 2027-04-01
    form:
      remove: [TLDR]
      change:
        abstract: {{maxLength: 3000}}
      add:
        track: {{type: string, enum: [A, B], input: radio, order: 9, description: Track}}
"""


def ms(text: str, zone: dt.tzinfo = UTC) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=zone).timestamp() * 1000)


def load(text: str) -> VenueConfig:
    return load_venue_text(textwrap.dedent(text), "venue.yaml")


def compile_text(text: str) -> DesiredState:
    return compile_venue(load(text))


def invitation(state: DesiredState, invitation_id: str) -> dict:
    obj = state.get("invitation", invitation_id)
    assert obj is not None, f"{invitation_id} not compiled; have {state.ids('invitation')}"
    return obj.body


def submission_ids(state: DesiredState) -> list[str]:
    return [o.id for o in state if o.stage == "submission"]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# -- which invitations, in which order ----------------------------------------------------------------
def test_a_workshop_gets_the_builders_invitations_in_the_builders_order():
    assert submission_ids(compile_text(WORKSHOP)) == [
        f"{W}/-/Submission",
        f"{W}/-/Withdrawal", f"{W}/-/Withdrawn_Submission", f"{W}/-/Withdraw_Expiration",
        f"{W}/-/Withdrawal_Reversion",
        f"{W}/-/Desk_Rejection", f"{W}/-/Desk_Rejected_Submission", f"{W}/-/Desk_Reject_Expiration",
        f"{W}/-/Desk_Rejection_Reversion",
        f"{W}/-/Post_Submission", f"{W}/-/PC_Revision",
        f"{W}/Reviewers/-/Submission_Group", f"{W}/Reviewers/-/Submission_Message", f"{W}/Reviewers/-/Message",
    ]


def test_a_conference_adds_committee_groups_messages_and_abstract_registration():
    assert submission_ids(compile_text(CONFERENCE)) == [
        f"{V}/-/Submission",
        f"{V}/-/Withdrawal", f"{V}/-/Withdrawn_Submission", f"{V}/-/Withdraw_Expiration",
        f"{V}/-/Withdrawal_Reversion",
        f"{V}/-/Desk_Rejection", f"{V}/-/Desk_Rejected_Submission", f"{V}/-/Desk_Reject_Expiration",
        f"{V}/-/Desk_Rejection_Reversion",
        f"{V}/-/Post_Submission", f"{V}/-/PC_Revision",
        f"{V}/Reviewers/-/Submission_Group",
        f"{V}/Reviewers/-/Submission_Message", f"{V}/Area_Chairs/-/Submission_Message",
        f"{V}/Reviewers/-/Message", f"{V}/Area_Chairs/-/Message",
        f"{V}/Area_Chairs/-/Submission_Group", f"{V}/Senior_Area_Chairs/-/Submission_Group",
        f"{V}/-/Full_Submission", f"{V}/-/Deletion", f"{V}/-/Deletion_Expiration",
    ]


def test_no_reviewers_means_no_reviewer_groups_or_messages():
    text = WORKSHOP.replace("  program_chairs: [pc@xyz.org]\n", "  program_chairs: [pc@xyz.org]\n  reviewers: null\n")
    ids = submission_ids(compile_text(text))
    assert not [i for i in ids if "/Reviewers/" in i]
    assert ids[-1] == f"{W}/-/PC_Revision"


def test_a_renamed_submission_stage_renames_every_id():
    state = compile_text(WORKSHOP.replace("  submission:\n", "  submission:\n    name: Paper\n"))
    ids = submission_ids(state)
    assert f"{W}/-/Paper" in ids and f"{W}/-/Post_Paper" in ids and f"{W}/-/Withdrawn_Paper" in ids
    assert f"{W}/Reviewers/-/Paper_Group" in ids and f"{W}/Reviewers/-/Paper_Message" in ids
    body = invitation(state, f"{W}/-/Paper")
    assert body["edit"]["note"]["id"] == {"param": {"withVenueid": f"{W}/Paper", "optional": True}}
    assert body["edit"]["note"]["content"]["venueid"]["value"]["param"]["const"] == f"{W}/Paper"
    assert invitation(state, f"{W}/-/Withdrawal")["edit"]["invitation"]["id"] == (
        f"{W}/Paper${{2/content/noteNumber/value}}/-/Withdrawal")


# -- the submission invitation ------------------------------------------------------------------------
def test_the_submission_invitation_of_a_workshop():
    body = invitation(compile_text(WORKSHOP), f"{W}/-/Submission")
    due = ms("2027-02-08T12:00")
    assert (body["cdate"], body["duedate"], body["expdate"]) == (ms("2027-01-01T00:00"), due, due + 30 * MINUTE)
    assert body["invitees"] == ["~"] and body["readers"] == ["everyone"]
    assert body["writers"] == [W] and body["signatures"] == [W]
    assert body["description"] == {"delete": True}
    assert body["process"] == file_ref("venue/process/submission_process.py")
    assert body["humanVerificationRequired"] == {"limit": 15, "windowMs": 3600000}
    assert body["content"]["email_authors"] == {"value": True}
    assert body["content"]["email_program_chairs"] == {"value": False}
    assert body["content"]["submission_email_template"]["value"].startswith(
        "Your submission to XYZ 2027 has been {{action}}.\n\nSubmission Number: {{note_number}}")
    edit = body["edit"]
    assert edit["signatures"] == {"param": {"items": [{"prefix": "~.*", "optional": True},
                                                      {"value": f"{W}/Program_Chairs", "optional": True}]}}
    assert edit["readers"] == [W, "${2/note/content/authorids/value}"]
    note = edit["note"]
    assert note["readers"] == [W, "${2/content/authorids/value}"]
    assert note["writers"] == [W, "${2/content/authorids/value}"]
    assert note["signatures"] == ["${3/signatures}"]
    assert note["license"] == "CC BY 4.0"
    assert list(note["content"]) == ["title", "authors", "authorids", "keywords", "TLDR", "abstract", "pdf",
                                     "venue", "venueid"]
    assert note["content"]["venue"] == {"value": {"param": {"const": "XYZ 2027 Workshop Submission", "hidden": True}}}
    assert note["content"]["venueid"] == {"value": {"param": {"const": f"{W}/Submission", "hidden": True}}}
    assert note["content"]["pdf"]["value"]["param"] == {"type": "file", "maxSize": 50, "extensions": ["pdf"]}
    assert note["content"]["authorids"]["value"]["param"]["type"] == "profile{}"
    # Double blind or not, authors' fields are only hidden once the deadline has passed (Post_Submission).
    assert all("readers" not in field for field in note["content"].values())


def test_an_explicit_expiration_closes_submissions_and_opens_what_follows():
    text = WORKSHOP.replace("due: 2027-02-08 12:00", "due: 2027-02-08 12:00\n    expiration: 2027-02-09 12:00")
    state = compile_text(text)
    closes = ms("2027-02-09T12:00")
    assert invitation(state, f"{W}/-/Submission")["expdate"] == closes
    for name in ("Post_Submission", "PC_Revision", "Withdrawal", "Desk_Rejection"):
        assert invitation(state, f"{W}/-/{name}")["cdate"] == closes, name
    assert invitation(state, f"{W}/Reviewers/-/Submission_Group")["cdate"] == closes


def test_dates_in_the_venues_zone_and_aoe_deadlines():
    state = compile_text(CONFERENCE)
    body = invitation(state, f"{V}/-/Submission")
    # A bare day starts at its first minute and a deadline day ends at 23:59, both Anywhere on Earth.
    assert body["cdate"] == ms("2027-01-01T00:00", AOE) == ms("2027-01-01T12:00")
    assert body["duedate"] == ms("2027-02-01T23:59", AOE) == ms("2027-02-02T11:59")
    assert body["expdate"] == body["duedate"] + 30 * MINUTE


def test_a_date_with_its_own_zone_wins_over_the_venues():
    text = WORKSHOP.replace("due: 2027-02-08 12:00", "due: 2027-02-08 12:00 Europe/Paris")
    assert invitation(compile_text(text), f"{W}/-/Submission")["duedate"] == ms("2027-02-08T11:00")


def test_the_form_changes_of_the_venue_file():
    state = compile_text(CONFERENCE)
    content = invitation(state, f"{V}/-/Submission")["edit"]["note"]["content"]
    assert list(content) == ["title", "authors", "authorids", "keywords", "abstract", "pdf", "subject_areas",
                             "track", "venue", "venueid"]
    assert "TLDR" not in content
    assert content["abstract"]["value"]["param"] == {"type": "string", "maxLength": 3000, "markdown": True,
                                                     "input": "textarea"}
    assert content["track"] == {"order": 9, "description": "Track",
                                "value": {"param": {"type": "string", "enum": ["A", "B"], "input": "radio"}}}
    assert content["subject_areas"] == {"order": 5, "description": "Select or type subject area",
                                        "value": {"param": {"type": "string[]", "enum": ["ML", "Theory"],
                                                            "input": "select"}}}
    # force_profiles: authors must be OpenReview profiles.
    assert content["authorids"]["value"]["param"] == {"type": "profile{}", "regex": "~.*"}
    # abstract registration: the PDF may wait for the full paper deadline.
    assert content["pdf"]["value"]["param"]["optional"] is True
    assert content["venue"]["value"]["param"]["const"] == "ABC 2027 Conference Submission"
    # The program chairs revise with the same form (without the venue constants).
    pc = invitation(state, f"{V}/-/PC_Revision")["edit"]["note"]
    assert pc["content"] == {k: v for k, v in content.items() if k not in ("venue", "venueid")}
    assert pc["license"] == invitation(state, f"{V}/-/Submission")["edit"]["note"]["license"]


def test_several_licenses_are_a_choice():
    body = invitation(compile_text(CONFERENCE), f"{V}/-/Submission")
    assert body["edit"]["note"]["license"] == {"param": {"enum": [
        {"value": "CC BY 4.0", "description": "CC BY 4.0"}, {"value": "CC BY-SA 4.0", "description": "CC BY-SA 4.0"}]}}
    single = WORKSHOP.replace("    due: 2027-02-08 12:00\n", "    due: 2027-02-08 12:00\n    license: [CC0 1.0]\n")
    assert invitation(compile_text(single), f"{W}/-/Submission")["edit"]["note"]["license"] == "CC0 1.0"


def test_email_flags():
    body = invitation(compile_text(CONFERENCE), f"{V}/-/Submission")
    assert body["content"]["email_program_chairs"] == {"value": True}
    text = WORKSHOP.replace("    due: 2027-02-08 12:00\n", "    due: 2027-02-08 12:00\n    email_authors: false\n")
    assert invitation(compile_text(text), f"{W}/-/Submission")["content"]["email_authors"] == {"value": False}


def test_an_unknown_field_in_the_form_is_an_error_at_its_line():
    text = WORKSHOP + "    form:\n      remove: [TL;DR]\n"
    with pytest.raises(ConfigError) as error:
        compile_text(text)
    (problem,) = error.value.diagnostics
    assert "cannot remove 'TL;DR'" in problem.message and "did you mean 'TLDR'" in problem.message
    assert problem.location.line == line_of(text, "remove: [TL;DR]")


def test_hiding_an_unknown_field_is_an_error_at_its_line():
    text = WORKSHOP + "    hide_fields: [keywords, suplementary]\n"
    with pytest.raises(ConfigError) as error:
        compile_text(text)
    (problem,) = error.value.diagnostics
    assert "cannot hide 'suplementary'" in problem.message
    assert problem.location.line == line_of(text, "hide_fields")


# -- after the deadline -------------------------------------------------------------------------------
def post_note(state: DesiredState, venue: str) -> dict:
    return invitation(state, f"{venue}/-/Post_Submission")["edit"]["note"]


def test_post_submission_of_a_single_blind_venue_hides_nothing_by_default():
    state = compile_text(WORKSHOP)
    body = invitation(state, f"{W}/-/Post_Submission")
    assert body["cdate"] == ms("2027-02-08T12:30")
    assert body["dateprocesses"] == [{"dates": ["#{4/cdate}", "#{4/mdate} + 5000"],
                                      "script": file_ref("venue/process/post_submission_process.py")}]
    assert body["content"] == {"source": {"value": {"venueid": [f"{W}/Submission"]}}}
    assert body["edit"]["readers"] == [W, f"{W}/Submission${{{{2/note/id}}/number}}/Authors"]
    note = body["edit"]["note"]
    assert note["id"] == {"param": {"withInvitation": f"{W}/-/Submission", "optional": True}}
    assert note["readers"] == [W, f"{W}/Submission${{{{2/id}}/number}}/Authors"]
    assert note["signatures"] == [f"{W}/Submission${{{{2/id}}/number}}/Authors"]
    assert list(note["content"]) == ["_bibtex"]


def test_post_submission_of_a_double_blind_venue_hides_authors_and_hidden_fields():
    note = post_note(compile_text(CONFERENCE), V)
    paper_authors = f"{V}/Submission${{{{4/id}}/number}}/Authors"
    assert note["content"]["authors"] == {"readers": [V, paper_authors]}
    assert note["content"]["authorids"] == {"readers": [V, paper_authors]}
    assert note["content"]["keywords"] == {"readers": [V, paper_authors]}
    assert list(note["content"]) == ["authors", "authorids", "keywords", "_bibtex"]
    number = "${{2/id}/number}"
    assert note["readers"] == [V, f"{V}/Submission{number}/Senior_Area_Chairs", f"{V}/Submission{number}/Area_Chairs",
                               f"{V}/Submission{number}/Reviewers", f"{V}/Submission{number}/Authors"]


def test_readers_after_due_follow_the_builders_order_whatever_the_files():
    text = WORKSHOP.replace("    due: 2027-02-08 12:00\n",
                            "    due: 2027-02-08 12:00\n    readers_after_due: [reviewers_assigned, program_chairs, "
                            "area_chairs, reviewers]\n")
    text = text.replace("  program_chairs: [pc@xyz.org]\n", "  program_chairs: [pc@xyz.org]\n  area_chairs: {}\n")
    number = "${{2/id}/number}"
    assert post_note(compile_text(text), W)["readers"] == [
        W, f"{W}/Area_Chairs", f"{W}/Reviewers", f"{W}/Submission{number}/Reviewers", f"{W}/Submission{number}/Authors"]


def test_public_submissions():
    text = WORKSHOP.replace("    due: 2027-02-08 12:00\n",
                            "    due: 2027-02-08 12:00\n    readers_after_due: [everyone]\n    double_blind: true\n")
    note = post_note(compile_text(text), W)
    assert note["readers"] == ["everyone"]
    # Public, but authors stay anonymous in a double-blind venue.
    assert note["content"]["authors"]["readers"] == [W, f"{W}/Submission${{{{4/id}}/number}}/Authors"]


# -- withdrawal and desk rejection ---------------------------------------------------------------------
def test_the_withdrawal_super_invitation():
    state = compile_text(WORKSHOP)
    body = invitation(state, f"{W}/-/Withdrawal")
    closes = ms("2027-02-08T12:30")
    assert body["cdate"] == closes
    assert body["content"] == {"process_script": {"value": file_ref("venue/process/withdrawal_submission_process.py")}}
    (process,) = body["dateprocesses"]
    assert process["dates"] == ["#{4/edit/invitation/cdate}", "#{4/mdate} + 5000"]
    assert f'"{W}/-/Edit"' in process["script"] or f"'{W}/-/Edit'" in process["script"]
    assert "invitation_edit_script" in process["script"] and "date_index" in process["script"]
    assert body["edit"]["replacement"] is True
    assert body["edit"]["content"] == {"noteNumber": {"value": {"param": {"type": "integer"}}},
                                       "noteId": {"value": {"param": {"type": "string"}}}}
    child = body["edit"]["invitation"]
    assert child["id"] == f"{W}/Submission${{2/content/noteNumber/value}}/-/Withdrawal"
    assert child["invitees"] == [W, f"{W}/Submission${{3/content/noteNumber/value}}/Authors"]
    assert child["maxReplies"] == 1 and child["cdate"] == closes and "expdate" not in child
    assert "process_script" in child["process"] and "invitation.invitations[0]" in child["process"]
    assert child["edit"]["signatures"] == {"param": {"items": [
        {"value": f"{W}/Submission${{7/content/noteNumber/value}}/Authors"}]}}
    n4 = "${4/content/noteNumber/value}"
    assert child["edit"]["readers"] == [f"{W}/Program_Chairs", f"{W}/Submission{n4}/Reviewers",
                                        f"{W}/Submission{n4}/Authors"]
    assert child["edit"]["note"]["forum"] == child["edit"]["note"]["replyto"] == "${4/content/noteId/value}"
    assert list(child["edit"]["note"]["content"]) == ["withdrawal_confirmation", "comment"]


def test_a_withdrawal_deadline_closes_the_per_paper_withdrawals():
    state = compile_text(CONFERENCE)
    child = invitation(state, f"{V}/-/Withdrawal")["edit"]["invitation"]
    assert child["expdate"] == ms("2027-04-01T23:59", AOE)
    # With abstract registration, withdrawal opens when the full paper deadline closes.
    assert child["cdate"] == ms("2027-02-08T23:59", AOE) + 30 * MINUTE


def test_withdrawn_and_desk_rejected_submissions_stay_private_by_default():
    state = compile_text(CONFERENCE)
    number = "${{2/id}/number}"
    for name, venueid in (("Withdrawn_Submission", "Withdrawn_Submission"),
                          ("Desk_Rejected_Submission", "Desk_Rejected_Submission")):
        body = invitation(state, f"{V}/-/{name}")
        assert body["invitees"] == [V] and body["noninvitees"] == [f"{V}/Program_Chairs"]
        note = body["edit"]["note"]
        assert note["id"] == {"param": {"withInvitation": f"{V}/-/Submission"}}
        assert note["readers"] == [f"{V}/Program_Chairs", f"{V}/Submission{number}/Senior_Area_Chairs",
                                   f"{V}/Submission{number}/Area_Chairs", f"{V}/Submission{number}/Reviewers",
                                   f"{V}/Submission{number}/Authors"]
        assert note["content"]["venueid"] == {"value": f"{V}/{venueid}"}
        assert note["content"]["venue"] == {"value": f"ABC 2027 Conference {venueid.replace('_', ' ')}"}
        assert note["content"]["authors"] == {"readers": [V, f"{V}/Submission${{{{4/id}}/number}}/Authors"]}


def test_public_withdrawals_and_revealed_authors():
    text = WORKSHOP.replace("    due: 2027-02-08 12:00\n",
                            "    due: 2027-02-08 12:00\n    readers_after_due: [everyone]\n"
                            "    withdrawn_public: true\n    withdrawn_reveal_authors: true\n"
                            "    desk_rejected_reveal_authors: true\n")
    state = compile_text(text)
    withdrawn = invitation(state, f"{W}/-/Withdrawn_Submission")["edit"]["note"]
    assert withdrawn["readers"] == ["everyone"]
    delete = {"readers": {"param": {"const": {"delete": True}}}}
    assert withdrawn["content"]["authors"] == delete and withdrawn["content"]["authorids"] == delete
    assert invitation(state, f"{W}/-/Withdrawal")["edit"]["invitation"]["edit"]["readers"] == ["everyone"]
    desk = invitation(state, f"{W}/-/Desk_Rejected_Submission")["edit"]["note"]
    assert desk["readers"][0] == f"{W}/Program_Chairs"  # not public: desk_rejected_public is false
    assert desk["content"]["authors"] == delete


def test_desk_rejection_stays_possible_90_days_after_the_first_deadline():
    state = compile_text(CONFERENCE)
    child = invitation(state, f"{V}/-/Desk_Rejection")["edit"]["invitation"]
    assert child["expdate"] == ms("2027-02-01T23:59", AOE) + 90 * DAY
    assert child["invitees"] == [V] and child["edit"]["signatures"] == [f"{V}/Program_Chairs"]
    assert list(child["edit"]["note"]["content"]) == ["title", "desk_reject_comments"]


def test_the_expiration_and_reversion_invitations():
    state = compile_text(WORKSHOP)
    for name in ("Withdraw_Expiration", "Desk_Reject_Expiration"):
        body = invitation(state, f"{W}/-/{name}")
        assert body["edit"]["invitation"]["id"] == {"param": {"regex": f"{W}/Submission"}}
        assert state.get("invitation", f"{W}/-/{name}").replacement
    reversion = invitation(state, f"{W}/-/Withdrawal_Reversion")
    assert "dateprocesses" not in reversion
    child = reversion["edit"]["invitation"]
    assert child["id"] == f"{W}/Submission${{{{2/content/noteId/value}}/number}}/-/Withdrawal_Reversion"
    assert child["edit"]["note"]["replyto"] == "${4/content/withdrawalId/value}"
    desk = invitation(state, f"{W}/-/Desk_Rejection_Reversion")["edit"]["invitation"]
    assert desk["edit"]["note"]["replyto"] == "${4/content/deskRejectionId/value}"


# -- committees and messages --------------------------------------------------------------------------
def test_per_paper_committee_groups():
    state = compile_text(CONFERENCE)
    n3 = "${3/content/noteNumber/value}"
    reviewers = invitation(state, f"{V}/Reviewers/-/Submission_Group")
    closes = ms("2027-02-08T23:59", AOE) + 30 * MINUTE
    assert reviewers["cdate"] == closes
    assert reviewers["dateprocesses"][0]["dates"] == ["#{4/cdate}", "#{4/mdate} + 5000"]
    assert "group_edit_script" in reviewers["dateprocesses"][0]["script"]
    group = reviewers["edit"]["group"]
    assert group["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/Reviewers"
    assert group["readers"] == [V, f"{V}/Program_Chairs", f"{V}/Submission{n3}/Senior_Area_Chairs",
                                f"{V}/Submission{n3}/Area_Chairs", f"{V}/Submission{n3}/Reviewers"]
    assert group["nonreaders"] == [f"{V}/Submission{n3}/Authors"]
    # identity_visible_to: [area_chairs_assigned] → the paper's area chairs may learn who reviews.
    assert group["deanonymizers"] == [V, f"{V}/Program_Chairs", f"{V}/Submission{n3}/Area_Chairs"]
    assert group["writers"] == [V, f"{V}/Submission{n3}/Area_Chairs"]
    assert group["anonids"] is True
    acs = invitation(state, f"{V}/Area_Chairs/-/Submission_Group")["edit"]["group"]
    assert acs["readers"] == [V, f"{V}/Program_Chairs", f"{V}/Submission{n3}/Senior_Area_Chairs",
                              f"{V}/Submission{n3}/Area_Chairs", f"{V}/Submission{n3}/Reviewers"]
    assert acs["deanonymizers"] == [V, f"{V}/Program_Chairs", f"{V}/Submission{n3}/Reviewers"]
    sacs = invitation(state, f"{V}/Senior_Area_Chairs/-/Submission_Group")["edit"]["group"]
    assert sacs["readers"] == [V, f"{V}/Program_Chairs", f"{V}/Submission{n3}/Senior_Area_Chairs"]
    assert sacs["signatories"] == [V, f"{V}/Submission{n3}/Senior_Area_Chairs"]
    assert "anonids" not in sacs


def test_reviewer_identities_hidden_from_area_chairs_keep_them_out_of_the_writers():
    text = CONFERENCE.replace("reviewers: {identity_visible_to: [area_chairs_assigned]}", "reviewers: {}")
    group = invitation(compile_text(text), f"{V}/Reviewers/-/Submission_Group")["edit"]["group"]
    assert group["writers"] == [V]
    assert group["deanonymizers"] == [V, f"{V}/Program_Chairs"]


def test_identity_readers_the_builder_cannot_express_are_errors_at_their_line():
    text = CONFERENCE.replace("reviewers: {identity_visible_to: [area_chairs_assigned]}",
                              "reviewers: {identity_visible_to: [area_chairs_assigned, authors]}")
    with pytest.raises(ConfigError) as error:
        compile_text(text)
    (problem,) = error.value.diagnostics
    assert "roles.reviewers.identity_visible_to: 'authors'" in problem.message
    assert problem.location.line == line_of(text, "identity_visible_to: [area_chairs_assigned, authors]")


def test_message_invitations():
    state = compile_text(CONFERENCE)
    n3, n5, n6 = (f"${{{i}/content/noteNumber/value}}" for i in (3, 5, 6))
    paper = invitation(state, f"{V}/Reviewers/-/Submission_Message")
    child = paper["edit"]["invitation"]
    assert child["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Message"
    assert child["invitees"] == [V, f"{V}/Submission{n3}/Senior_Area_Chairs", f"{V}/Submission{n3}/Area_Chairs"]
    message = child["message"]
    assert message["groups"] == {"param": {"inGroup": f"{V}/Submission{n5}/Reviewers"}}
    assert message["signature"] == {"param": {"enum": [V, f"{V}/Program_Chairs",
                                                       f"{V}/Submission{n6}/Senior_Area_Chairs",
                                                       f"{V}/Submission{n6}/Area_Chair_.*"]}}
    assert message["fromName"] == "ABC 2027" and message["fromEmail"] == "abc2027-notifications@openreview.net"
    ac_child = invitation(state, f"{V}/Area_Chairs/-/Submission_Message")["edit"]["invitation"]
    assert ac_child["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/Area_Chairs/-/Message"
    everyone = invitation(state, f"{V}/Area_Chairs/-/Message")
    assert everyone["invitees"] == [V, f"{V}/Senior_Area_Chairs"]
    assert everyone["message"]["signature"] == {"param": {"enum": [V, f"{V}/Program_Chairs", "~.*"]}}
    assert invitation(state, f"{V}/Reviewers/-/Message")["message"]["parentGroup"] == {
        "param": {"const": f"{V}/Reviewers"}}


# -- abstract registration ----------------------------------------------------------------------------
def test_abstract_registration_objects():
    state = compile_text(CONFERENCE)
    first_close = ms("2027-02-01T23:59", AOE) + 30 * MINUTE
    full_due = ms("2027-02-08T23:59", AOE)
    assert invitation(state, f"{V}/-/Submission")["expdate"] == first_close
    # Post_Submission and PC_Revision follow the first deadline, as in the builder.
    assert invitation(state, f"{V}/-/Post_Submission")["cdate"] == first_close
    assert invitation(state, f"{V}/-/PC_Revision")["cdate"] == first_close
    full = invitation(state, f"{V}/-/Full_Submission")
    assert full["cdate"] == first_close
    assert full["content"]["source"] == {"value": {"venueid": [f"{V}/Submission"]}}
    assert full["content"]["revision_process_script"] == {
        "value": file_ref("venue/process/submission_revision_process.py")}
    child = full["edit"]["invitation"]
    assert (child["cdate"], child["duedate"], child["expdate"]) == (first_close, full_due, full_due + 30 * MINUTE)
    assert child["invitees"] == [V, f"{V}/Submission${{3/content/noteNumber/value}}/Authors"]
    note = child["edit"]["note"]
    assert note["id"] == "${4/content/noteId/value}"
    assert "venue" not in note["content"] and "venueid" not in note["content"]
    # The author list registered with the abstract is carried over, hidden from all but the authors.
    hidden = [V, f"{V}/Submission${{{{4/id}}/number}}/Authors"]
    assert note["content"]["authors"] == {
        "value": {"param": {"type": "string[]", "const": ["${{6/id}/content/authors/value}"], "hidden": True}},
        "order": 3, "readers": hidden}
    assert note["content"]["authorids"] == {"value": ["${{4/id}/content/authorids/value}"], "order": 4,
                                            "readers": hidden}
    assert note["content"]["keywords"]["readers"] == hidden
    assert note["content"]["pdf"]["value"]["param"]["optional"] is True
    assert note["license"]["param"]["enum"][0]["value"] == "CC BY 4.0"
    deletion = invitation(state, f"{V}/-/Deletion")
    assert deletion["cdate"] == first_close
    assert deletion["edit"]["invitation"]["expdate"] == full_due + 30 * MINUTE
    assert deletion["content"] == {"deletion_process_script": {
        "value": file_ref("venue/process/submission_deletion_process.py")}}
    assert invitation(state, f"{V}/-/Deletion_Expiration")["edit"]["invitation"]["id"] == {
        "param": {"regex": f"{V}/Submission"}}
    # Everything that waits for full papers opens when the full paper deadline closes.
    for name in ("Withdrawal", "Desk_Rejection"):
        assert invitation(state, f"{V}/-/{name}")["cdate"] == full_due + 30 * MINUTE


@pytest.mark.parametrize(("choice", "authors_fields"), [("allow_edit", True), ("disallow_edit", False)])
def test_full_paper_author_changes(choice, authors_fields):
    text = CONFERENCE.replace("    double_blind: true\n",
                              f"    double_blind: true\n    full_paper_author_changes: {choice}\n")
    state = compile_text(text)
    content = invitation(state, f"{V}/-/Full_Submission")["edit"]["invitation"]["edit"]["note"]["content"]
    assert ("authorids" in content) is authors_fields
    if authors_fields:
        assert content["authorids"]["value"]["param"]["regex"] == "~.*"


# -- provenance and determinism -----------------------------------------------------------------------
def test_provenance_points_at_the_venue_file():
    state = compile_text(CONFERENCE)
    text = CONFERENCE

    def source(invitation_id: str) -> str:
        obj = state.get("invitation", invitation_id)
        assert obj is not None and obj.stage == "submission"
        return str(obj.source)

    assert source(f"{V}/-/Submission") == f"venue.yaml:{line_of(text, '  submission:')}:3"
    assert source(f"{V}/-/Post_Submission") == f"venue.yaml:{line_of(text, 'readers_after_due')}:5"
    assert source(f"{V}/-/Withdrawal") == f"venue.yaml:{line_of(text, 'withdrawal_expiration')}:5"
    assert source(f"{V}/-/Full_Submission") == f"venue.yaml:{line_of(text, 'abstract_due')}:5"
    assert source(f"{V}/Area_Chairs/-/Submission_Group") == f"venue.yaml:{line_of(text, '  area_chairs:')}:3"
    assert state.get("invitation", f"{V}/-/Submission").to_json()["source"] == (
        f"venue.yaml:{line_of(text, '  submission:')}:3")


def test_replacement_flags_follow_the_builder():
    state = compile_text(CONFERENCE)
    replaced = {o.id.rsplit("/-/", 1)[1] if o.id.startswith(f"{V}/-/") else o.id
                for o in state if o.stage == "submission" and o.replacement}
    assert replaced == {"Withdrawn_Submission", "Withdraw_Expiration", "Withdrawal_Reversion",
                        "Desk_Rejected_Submission", "Desk_Reject_Expiration", "Desk_Rejection_Reversion",
                        "PC_Revision", f"{V}/Reviewers/-/Submission_Message", f"{V}/Area_Chairs/-/Submission_Message",
                        f"{V}/Reviewers/-/Message", f"{V}/Area_Chairs/-/Message", "Deletion_Expiration"}


def test_compiling_twice_gives_byte_identical_output():
    for text in (WORKSHOP, CONFERENCE):
        first = compile_venue(load(text)).dumps()
        second = compile_venue(load(text)).dumps()
        assert first == second
        assert first.count('"stage": "submission"') >= 14


def test_compiled_objects_share_no_mutable_parts():
    state = compile_text(CONFERENCE)
    submission = invitation(state, f"{V}/-/Submission")["edit"]["note"]["content"]
    submission["title"]["value"]["param"]["regex"] = "changed"
    assert invitation(state, f"{V}/-/PC_Revision")["edit"]["note"]["content"]["title"]["value"]["param"][
        "regex"] == "^.{1,250}$"
    assert compile_text(CONFERENCE).dumps() != state.dumps()


# -- in the sandbox -----------------------------------------------------------------------------------
def set_clock(baseurl: str, now: int) -> None:
    requests.put(f"{baseurl}/_sandbox/clock", json={"now": now, "running": True}, timeout=10).raise_for_status()


def login(baseurl: str, username: str) -> openreview.api.OpenReviewClient:
    """A fresh session (tokens last an hour of sandbox time, and the tests move the clock by weeks)."""
    return openreview.api.OpenReviewClient(baseurl=baseurl, username=username, password=PASSWORD)


PDF = "/pdf/" + "a" * 40 + ".pdf"


def test_an_author_submits_through_the_compiled_workshop_form(baseurl, make_user):
    set_clock(baseurl, ms("2027-01-15T10:00"))
    root = login(baseurl, "openreview.net")
    state = compile_text(WORKSHOP)
    post_state(baseurl, root.token, state)
    for invitation_id in submission_ids(state):
        assert root.get_invitation(invitation_id).id == invitation_id
    author = make_user("ann@xyz.org", "Ann Author")
    edit = author.post_note_edit(
        invitation=f"{W}/-/Submission", signatures=["~Ann_Author1"],
        note=openreview.api.Note(content={
            "title": {"value": "Declarative venues"},
            "authors": {"value": ["Ann Author", "Bob Coauthor"]},
            "authorids": {"value": ["~Ann_Author1", "bob@xyz.org"]},
            "keywords": {"value": ["infrastructure"]},
            "TLDR": {"value": "Venues as files."},
            "abstract": {"value": "We compile venue files."},
            "pdf": {"value": PDF},
        }))
    note = author.get_note(edit["note"]["id"])
    assert note.number == 1
    assert note.content["venueid"]["value"] == f"{W}/Submission"
    assert note.content["venue"]["value"] == "XYZ 2027 Workshop Submission"
    assert note.readers == [W, "~Ann_Author1", "bob@xyz.org"]
    assert note.license == "CC BY 4.0"
    # A field the form does not have is refused.
    with pytest.raises(openreview.OpenReviewException, match="The property track must NOT be present"):
        author.post_note_edit(
            invitation=f"{W}/-/Submission", signatures=["~Ann_Author1"],
            note=openreview.api.Note(content={
                "title": {"value": "Extra"}, "authors": {"value": ["Ann Author"]},
                "authorids": {"value": ["~Ann_Author1"]}, "keywords": {"value": ["k"]},
                "abstract": {"value": "x"}, "pdf": {"value": PDF}, "track": {"value": "A"}}))
    # After the deadline (+30 minutes), the invitation is closed.
    set_clock(baseurl, ms("2027-02-08T12:31"))
    author = login(baseurl, "ann@xyz.org")
    with pytest.raises(openreview.OpenReviewException, match="expired"):
        author.post_note_edit(invitation=f"{W}/-/Submission", signatures=["~Ann_Author1"],
                              note=openreview.api.Note(content={"title": {"value": "Too late"}}))


def test_a_double_blind_conference_in_the_sandbox(baseurl, make_user):
    # Abstract registration window: no PDF needed yet.
    set_clock(baseurl, ms("2027-01-20T10:00"))
    root = login(baseurl, "openreview.net")
    post_state(baseurl, root.token, compile_text(CONFERENCE))
    author = make_user("ann@abc.org", "Ann Author")
    make_user("bob@abc.org", "Bob Coauthor")
    content = {
        "title": {"value": "Declarative venues"},
        "authors": {"value": ["Ann Author", "Bob Coauthor"]},
        "authorids": {"value": ["~Ann_Author1", "~Bob_Coauthor1"]},
        "keywords": {"value": ["infrastructure"]},
        "abstract": {"value": "We compile venue files."},
        "subject_areas": {"value": ["ML"]},
        "track": {"value": "A"},
    }
    edit = author.post_note_edit(invitation=f"{V}/-/Submission", signatures=["~Ann_Author1"],
                                 note=openreview.api.Note(content=content, license="CC BY-SA 4.0"))
    note = root.get_note(edit["note"]["id"])
    assert note.content["venueid"]["value"] == f"{V}/Submission"
    assert note.license == "CC BY-SA 4.0"
    # force_profiles: an e-mail is not an author id; a track outside the choices, the removed TL;DR
    # field and a license the venue does not offer are refused too.
    refused = [
        ({"authorids": {"value": ["~Ann_Author1", "bob@abc.org"]}}, "CC BY 4.0",
         'authorids value/1 must match pattern "~.*"'),
        ({"track": {"value": "C"}}, "CC BY 4.0", "track value must be equal to one of the allowed values"),
        ({"TLDR": {"value": "short"}}, "CC BY 4.0", "The property TLDR must NOT be present"),
        ({}, "MIT", "license must be equal to one of the allowed values"),
    ]
    for wrong, license_, message in refused:
        with pytest.raises(openreview.OpenReviewException, match=re.escape(message)):
            author.post_note_edit(invitation=f"{V}/-/Submission", signatures=["~Ann_Author1"],
                                  note=openreview.api.Note(content={**content, **wrong}, license=license_))

    # After the abstract deadline, the server's date processes would do what follows; the venue does it
    # here by hand through the compiled invitations. Post_Submission hides the author fields:
    set_clock(baseurl, ms("2027-02-02T13:00"))
    root, author = login(baseurl, "openreview.net"), login(baseurl, "ann@abc.org")
    # OpenReview fills in the template's field readers even when the edit leaves the fields out (its
    # post_submission_process posts only the note id); the sandbox keeps only what the edit names, so
    # the edit spells them out here, and the sandbox checks them against the compiled template.
    hidden = [V, f"{V}/Submission1/Authors"]
    root.post_note_edit(invitation=f"{V}/-/Post_Submission", signatures=[V], note=openreview.api.Note(
        id=note.id, content={field: {"readers": hidden} for field in ("authors", "authorids", "keywords")}))
    after = root.get_note(note.id)
    assert after.readers == [V, f"{V}/Submission1/Senior_Area_Chairs", f"{V}/Submission1/Area_Chairs",
                             f"{V}/Submission1/Reviewers", f"{V}/Submission1/Authors"]
    assert after.content["authors"]["readers"] == hidden and after.content["keywords"]["readers"] == hidden
    assert "readers" not in after.content["title"]
    # Field readers other than the template's are refused.
    with pytest.raises(openreview.OpenReviewException):
        root.post_note_edit(invitation=f"{V}/-/Post_Submission", signatures=[V], note=openreview.api.Note(
            id=note.id, content={"authors": {"readers": [V, f"{V}/Reviewers"]}}))
    # …and the per-paper Full_Submission invitation lets the authors add their PDF.
    # (the paper's author group, as the submission process creates it)
    paper_authors = f"{V}/Submission1/Authors"
    root.post_group_edit(invitation=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                         group=openreview.api.Group(id=paper_authors, readers=[V, paper_authors], writers=[V],
                                                    signatures=[V], signatories=[V, paper_authors],
                                                    members=["~Ann_Author1", "~Bob_Coauthor1"]))
    root.post_invitation_edit(invitations=f"{V}/-/Full_Submission", signatures=[V], readers=[V], writers=[V],
                              content={"noteNumber": {"value": 1}, "noteId": {"value": note.id}},
                              invitation=openreview.api.Invitation())
    full = root.get_invitation(f"{V}/Submission1/-/Full_Submission")
    assert full.duedate == ms("2027-02-08T23:59", AOE)
    author.post_note_edit(invitation=f"{V}/Submission1/-/Full_Submission", signatures=[f"{V}/Submission1/Authors"],
                          note=openreview.api.Note(id=note.id, content={
                              "title": {"value": "Declarative venues, full paper"},
                              "keywords": {"value": ["infrastructure"]},
                              "abstract": {"value": "We compile venue files."},
                              "subject_areas": {"value": ["ML"]}, "track": {"value": "A"},
                              "pdf": {"value": PDF}}, license="CC BY-SA 4.0"))
    full_paper = root.get_note(note.id)
    assert full_paper.content["pdf"]["value"] == PDF
    assert full_paper.content["title"]["value"] == "Declarative venues, full paper"
    assert full_paper.content["authorids"]["value"] == ["~Ann_Author1", "~Bob_Coauthor1"]


VARIANTS = {
    "public, revealed withdrawals": WORKSHOP.replace(
        "    due: 2027-02-08 12:00\n",
        "    due: 2027-02-08 12:00\n    readers_after_due: [everyone]\n    withdrawn_public: true\n"
        "    withdrawn_reveal_authors: true\n    desk_rejected_public: true\n    desk_rejected_reveal_authors: true\n"),
    "no reviewers": WORKSHOP.replace("  program_chairs: [pc@xyz.org]\n",
                                     "  program_chairs: [pc@xyz.org]\n  reviewers: null\n"),
    "renamed stage and roles": WORKSHOP.replace(
        "  program_chairs: [pc@xyz.org]\n",
        "  program_chairs: [pc@xyz.org]\n  reviewers: {name: Program_Committee}\n"
        "  area_chairs: {name: Action_Editors}\n",
    ).replace("  submission:\n", "  submission:\n    name: Paper\n"),
    "the conference without its abstract deadline": CONFERENCE.replace("    abstract_due: 2027-02-01\n", ""),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_sandbox_accepts_every_variant(variant, baseurl):
    set_clock(baseurl, ms("2027-01-15T10:00"))
    state = compile_text(VARIANTS[variant])
    post_state(baseurl, login(baseurl, "openreview.net").token, state)
    root = login(baseurl, "openreview.net")
    for obj in state:
        if obj.stage == "submission":
            stored = root.get_invitation(obj.id)
            assert stored.edit is not None or stored.message is not None, obj.id
