"""The reviewing stages compiled: ``Official_Review``, ``Rebuttal``, ``Meta_Review`` (+ the senior area
chairs' revision), ``Decision``, checked against openreview-py's builder (``InvitationBuilder``
``set_review_invitation``, ``set_review_rebuttal_invitation``, ``set_meta_review_invitation``,
``set_decision_invitation``), then posted to a real sandbox and used the way the server's fan-out
and a venue's reviewers, authors and program chairs use them.
"""

from __future__ import annotations

import dataclasses
import textwrap
from typing import Any

import openreview
import pytest
import requests
from openreview.api import Group, Invitation, Note

from tests.compile.post import post_state
from tests.conftest import PASSWORD
from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredState
from venueops.config.dates import parse_date
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError

V = "ICDR.cc/2027/Conference"
PCS = f"{V}/Program_Chairs"
P5 = f"{V}/Submission${{5/content/noteNumber/value}}"  # a paper's groups, as the note templates name them
P4 = f"{V}/Submission${{4/content/noteNumber/value}}"
MINUTE = 60_000
DAY = 24 * 60 * MINUTE

ROLES = """\
roles:
  program_chairs: [pc@icdr.example]
  reviewers: {}
"""
AC_ROLES = """\
roles:
  program_chairs: [pc@icdr.example]
  senior_area_chairs: {}
  area_chairs: {}
  reviewers: {}
"""
SUBMISSION = """\
  submission:
    start: 2027-01-01
    due: 2027-02-01 23:59
    double_blind: true
"""


def ms(text: str) -> int:
    return parse_date(text, "UTC", end_of_day=False).ms


def venue(stages: str, roles: str = ROLES) -> str:
    """A venue file: the given stages (YAML under ``stages:``, after the submission stage)."""
    return (f"venue:\n  id: {V}\n  name: Conference on Declarative Review\n  timezone: UTC\n{roles}"
            f"stages:\n{SUBMISSION}{textwrap.indent(textwrap.dedent(stages), '  ')}")


def compile_text(text: str, at: int | None = None) -> DesiredState:
    return compile_venue(load_venue_text(text, "venue.yaml"), at=at)


def invitation(state: DesiredState, name: str) -> dict[str, Any]:
    obj = state.get("invitation", f"{V}/-/{name}")
    assert obj is not None, f"no {V}/-/{name} in {state.ids('invitation')}"
    return obj.body


def child(body: dict[str, Any]) -> dict[str, Any]:
    return body["edit"]["invitation"]


def note(body: dict[str, Any]) -> dict[str, Any]:
    return body["edit"]["invitation"]["edit"]["note"]


REVIEW = """\
review:
  start: 2027-02-10
  due: 2027-03-01 23:59
"""


# -- review ----------------------------------------------------------------------------------------
def test_review_super_invitation_is_the_builders():
    state = compile_text(venue(REVIEW))
    obj = state.get("invitation", f"{V}/-/Official_Review")
    assert obj is not None and obj.replacement is False and obj.stage == "stages.review"
    assert obj.source is not None and obj.source.file == "venue.yaml"
    body = obj.body
    assert body["invitees"] == body["readers"] == body["writers"] == body["signatures"] == [V]
    assert body["cdate"] == ms("2027-02-10")
    [date_process] = body["dateprocesses"]
    assert date_process["dates"] == ["#{4/edit/invitation/cdate}", "#{4/mdate} + 5000"]
    assert f"client.get_invitation('{V}/-/Edit')" in date_process["script"]
    assert "content['invitation_edit_script']['value']" in date_process["script"]
    compile(date_process["script"], "dateprocess", "exec")
    assert body["content"] == {
        "source": {"value": {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"]}},
        "rating_field_name": {"value": "rating"},
        "confidence_field_name": {"value": "confidence"},
        "reviewer_roles": {"value": ["Reviewers"]},
        "review_process_script": {"value": {"$file": "openreview-py:venue/process/review_process.py"}},
        "email_program_chairs": {"value": False},
        "email_area_chairs": {"value": True},
        "email_reviewers": {"value": True},
        "email_authors": {"value": True},
    }
    edit = body["edit"]
    assert edit["replacement"] is True
    assert edit["content"] == {"noteNumber": {"value": {"param": {"type": "integer"}}},
                               "noteId": {"value": {"param": {"type": "string"}}}}
    paper = child(body)
    assert paper["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Official_Review"
    assert paper["readers"] == paper["invitees"] == [V, f"{V}/Submission${{3/content/noteNumber/value}}/Reviewers"]
    assert paper["signatures"] == paper["writers"] == [V]
    assert paper["maxReplies"] == 1
    due = ms("2027-03-01 23:59")
    assert (paper["cdate"], paper["duedate"], paper["expdate"]) == (ms("2027-02-10"), due, due + 30 * MINUTE)
    assert paper["description"] == {"param": {"const": {"delete": True}}}
    assert "content['review_process_script']['value']" in paper["process"]
    assert "invitation.invitations[0]" in paper["process"]
    compile(paper["process"], "process", "exec")
    assert paper["edit"]["signatures"] == {"param": {"items": [
        {"prefix": f"{V}/Submission${{7/content/noteNumber/value}}/Reviewer_.*", "optional": True}]}}
    assert paper["edit"]["readers"] == ["${2/note/readers}"]
    assert paper["edit"]["nonreaders"] == ["${2/note/nonreaders}"]
    review = note(body)
    assert review["id"] == {"param": {
        "withInvitation": f"{V}/Submission${{6/content/noteNumber/value}}/-/Official_Review", "optional": True}}
    assert review["forum"] == review["replyto"] == "${4/content/noteId/value}"
    assert review["signatures"] == ["${3/signatures}"]
    assert review["readers"] == [PCS, "${3/signatures}"]
    assert review["nonreaders"] == [f"{P5}/Authors"]
    assert review["writers"] == [V, "${3/signatures}"]
    assert list(review["content"]) == ["title", "review", "rating", "confidence"]
    assert [e["value"] for e in review["content"]["rating"]["value"]["param"]["enum"]] == list(range(10, 0, -1))


@pytest.mark.parametrize(("release", "reviewer_readers"), [
    ("signature", ["${3/signatures}"]),
    ("submitted", [f"{P5}/Reviewers/Submitted", "${3/signatures}"]),
    ("assigned", [f"{P5}/Reviewers"]),
    ("all", [f"{V}/Reviewers"]),
])
def test_review_readers_follow_release_to_reviewers(release, reviewer_readers):
    state = compile_text(venue(REVIEW + f"  release_to_reviewers: {release}\n", roles=AC_ROLES))
    review = note(invitation(state, "Official_Review"))
    assert review["readers"] == [PCS, f"{P5}/Senior_Area_Chairs", f"{P5}/Area_Chairs", *reviewer_readers]
    assert review["nonreaders"] == [f"{P5}/Authors"]


def test_review_release_to_authors_after_due_is_time_phased():
    text = venue(REVIEW + "  release_to_authors: after_due\n")
    due = ms("2027-03-01 23:59")
    for at in (None, due - 1):
        review = note(invitation(compile_text(text, at=at), "Official_Review"))
        assert review["readers"] == [PCS, "${3/signatures}"]
        assert review["nonreaders"] == [f"{P5}/Authors"]
    for at in (due, due + DAY):
        review = note(invitation(compile_text(text, at=at), "Official_Review"))
        assert review["readers"] == [PCS, "${3/signatures}", f"{P5}/Authors"]
        assert review["nonreaders"] == []


def test_review_release_to_authors_true_and_public():
    released = note(invitation(compile_text(venue(REVIEW + "  release_to_authors: true\n")), "Official_Review"))
    assert released["readers"] == [PCS, "${3/signatures}", f"{P5}/Authors"]
    assert released["nonreaders"] == []
    public = note(invitation(compile_text(venue(REVIEW + "  public: true\n")), "Official_Review"))
    assert public["readers"] == ["everyone"]
    assert public["nonreaders"] == []


def test_review_de_anonymization_lets_reviewers_sign_with_their_profile():
    body = invitation(compile_text(venue(REVIEW + "  allow_de_anonymization: true\n")), "Official_Review")
    assert child(body)["edit"]["signatures"] == {"param": {"items": [{"prefix": "~.*", "optional": True}]}}


def test_reviewers_who_are_not_anonymous_may_sign_with_their_profile_unless_the_stage_says_no():
    open_roles = ROLES.replace("reviewers: {}", "reviewers: {anonymous: false}")
    profile = {"param": {"items": [{"prefix": "~.*", "optional": True}]}}
    body = invitation(compile_text(venue(REVIEW, open_roles)), "Official_Review")
    assert child(body)["edit"]["signatures"] == profile
    closed = invitation(compile_text(venue(REVIEW + "  allow_de_anonymization: false\n", open_roles)),
                        "Official_Review")
    assert child(closed)["edit"]["signatures"] != profile
    anonymous = invitation(compile_text(venue(REVIEW)), "Official_Review")
    assert child(anonymous)["edit"]["signatures"] == child(closed)["edit"]["signatures"]
    # the paper's reviewer groups keep their anonymous ids either way, as OpenReview's builder makes them
    group = compile_text(venue(REVIEW, open_roles)).get("invitation", f"{V}/Reviewers/-/Submission_Group")
    assert group is not None and group.body["edit"]["group"]["anonids"] is True


def test_only_reviewers_have_the_anonymous_option():
    with pytest.raises(ConfigError) as caught:
        compile_text(venue(REVIEW, AC_ROLES.replace("  area_chairs: {}", "  area_chairs: {anonymous: false}")))
    assert str(caught.value) == ("venue.yaml:8:17: error: unknown key 'anonymous' in roles.area_chairs; "
                                 "expected one of: identity_visible_to, members, name")


def test_review_options_reach_the_content():
    text = venue(REVIEW + "  email_program_chairs: true\n  rating_field: overall\n  confidence_field: certainty\n"
                          "  expiration: 2027-03-03 12:00\n  description: Be specific.\n"
                          "  form:\n    remove: [rating, confidence]\n"
                          "    add:\n      overall: {type: integer, enum: [1, 2, 3], input: radio, order: 3}\n"
                          "      certainty: {type: integer, enum: [1, 2], order: 4}\n")
    body = invitation(compile_text(text), "Official_Review")
    assert body["content"]["email_program_chairs"] == {"value": True}
    assert body["content"]["rating_field_name"] == {"value": "overall"}
    assert body["content"]["confidence_field_name"] == {"value": "certainty"}
    assert child(body)["expdate"] == ms("2027-03-03 12:00")
    assert child(body)["description"] == "Be specific."
    content = note(body)["content"]
    assert list(content) == ["title", "review", "overall", "certainty"]
    assert content["overall"] == {"order": 3, "value": {"param": {"type": "integer", "enum": [1, 2, 3],
                                                                  "input": "radio"}}}


def test_review_form_change_and_unknown_fields():
    text = venue(REVIEW + "  form:\n    change:\n      title: {optional: true, description: Optional summary.}\n")
    title = note(invitation(compile_text(text), "Official_Review"))["content"]["title"]
    assert title == {"order": 1, "description": "Optional summary.",
                     "value": {"param": {"type": "string", "regex": ".{0,500}", "optional": True}}}
    with pytest.raises(ConfigError) as raised:
        compile_text(venue(REVIEW + "  form:\n    remove: [ratings]\n"))
    assert "did you mean 'rating'?" in str(raised.value)
    assert "venue.yaml:" in str(raised.value)


def test_review_without_reviewers_is_an_error():
    roles = "roles:\n  program_chairs: [pc@icdr.example]\n  reviewers: null\n"
    with pytest.raises(ConfigError, match=r"stages\.review needs reviewers"):
        compile_text(venue(REVIEW, roles=roles))


def test_review_stage_absent_compiles_nothing():
    state = compile_text(venue(""))
    assert not [i for i in state.ids("invitation") if i.endswith(("Review", "Rebuttal", "Decision"))]


# -- rebuttal --------------------------------------------------------------------------------------
REBUTTAL = REVIEW + """\
rebuttal:
  start: 2027-03-05
  due: 2027-03-12 23:59
"""


def test_rebuttal_per_review_replies_to_each_review():
    obj = compile_text(venue(REBUTTAL)).get("invitation", f"{V}/-/Rebuttal")
    assert obj is not None and obj.replacement is True
    body = obj.body
    assert body["content"] == {
        "review_rebuttal_process_script": {
            "value": {"$file": "openreview-py:venue/process/review_rebuttal_process.py"}},
        "reply_to": {"value": "reviews"},
        "email_program_chairs": {"value": False},
        "email_area_chairs": {"value": False},
        "email_reviewers": {"value": True},
        "email_authors": {"value": True},
    }
    assert body["edit"]["content"]["replyNumber"] == {"value": {"param": {"type": "integer", "optional": True}}}
    assert body["edit"]["content"]["replyto"] == {"value": {"param": {"type": "string", "optional": True}}}
    paper = child(body)
    assert paper["id"] == (f"{V}/Submission${{2/content/noteNumber/value}}/Official_Review"
                           "${2/content/replyNumber/value}/-/Rebuttal")
    assert paper["readers"] == paper["invitees"] == [V, f"{V}/Submission${{3/content/noteNumber/value}}/Authors"]
    assert (paper["minReplies"], paper["maxReplies"]) == (1, 1)
    due = ms("2027-03-12 23:59")
    assert (paper["cdate"], paper["duedate"], paper["expdate"]) == (ms("2027-03-05"), due, due + 30 * MINUTE)
    assert paper["edit"]["signatures"] == {"param": {"items": [
        {"value": f"{V}/Submission${{7/content/noteNumber/value}}/Authors"}]}}
    assert paper["edit"]["readers"] == ["${2/note/readers}"]
    rebuttal = note(body)
    assert rebuttal["id"]["param"]["withInvitation"] == (
        f"{V}/Submission${{6/content/noteNumber/value}}/Official_Review${{6/content/replyNumber/value}}/-/Rebuttal")
    assert rebuttal["forum"] == "${4/content/noteId/value}"
    assert rebuttal["replyto"] == "${4/content/replyto/value}"
    assert rebuttal["readers"] == [PCS, f"{P5}/Authors"]
    assert "nonreaders" not in rebuttal
    assert rebuttal["writers"] == [V, "${3/signatures}"]
    assert list(rebuttal["content"]) == ["rebuttal"]


def test_rebuttal_single_and_unlimited():
    single = invitation(compile_text(venue(REBUTTAL + "  mode: single\n")), "Rebuttal")
    assert single["content"]["reply_to"] == {"value": "forum"}
    assert set(single["edit"]["content"]) == {"noteNumber", "noteId"}
    assert child(single)["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Rebuttal"
    assert child(single)["maxReplies"] == 1
    assert note(single)["replyto"] == "${4/content/noteId/value}"
    unlimited = invitation(compile_text(venue(REBUTTAL + "  mode: unlimited\n")), "Rebuttal")
    assert "maxReplies" not in child(unlimited) and child(unlimited)["minReplies"] == 1
    assert note(unlimited)["replyto"] == {"param": {"withForum": "${6/content/noteId/value}"}}
    assert note(unlimited)["id"]["param"]["withInvitation"] == (
        f"{V}/Submission${{6/content/noteNumber/value}}/-/Rebuttal")


def test_rebuttal_readers_in_the_builders_order():
    text = venue(REBUTTAL + "  readers: [reviewers_submitted, area_chairs, senior_area_chairs_assigned]\n"
                            "  email_program_chairs: true\n  email_area_chairs: true\n"
                            "  form:\n    add:\n      pdf_rebuttal: {type: file, extensions: [pdf], maxSize: 5, "
                            "optional: true, order: 2}\n", roles=AC_ROLES)
    body = invitation(compile_text(text), "Rebuttal")
    assert note(body)["readers"] == [PCS, f"{P5}/Senior_Area_Chairs", f"{V}/Area_Chairs",
                                     f"{P5}/Reviewers/Submitted", f"{P5}/Authors"]
    assert body["content"]["email_program_chairs"] == body["content"]["email_area_chairs"] == {"value": True}
    assert list(note(body)["content"]) == ["rebuttal", "pdf_rebuttal"]
    public = invitation(compile_text(venue(REBUTTAL + "  readers: [everyone, reviewers]\n")), "Rebuttal")
    assert note(public)["readers"] == ["everyone"]


# -- meta review ------------------------------------------------------------------------------------
META_REVIEW = REVIEW + """\
meta_review:
  start: 2027-03-05
  due: 2027-03-20 23:59
"""


def test_meta_review_with_area_chairs_and_senior_area_chairs():
    state = compile_text(venue(META_REVIEW, roles=AC_ROLES))
    obj = state.get("invitation", f"{V}/-/Meta_Review")
    assert obj is not None and obj.replacement is False
    body = obj.body
    assert body["content"]["source"] == {"value": {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"]}}
    assert body["content"]["recommendation_field_name"] == {"value": "recommendation"}
    assert body["content"]["metareview_process_script"] == {
        "value": {"$file": "openreview-py:venue/process/metareview_process.py"}}
    paper = child(body)
    p3 = f"{V}/Submission${{3/content/noteNumber/value}}"
    assert paper["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Meta_Review"
    assert paper["readers"] == paper["invitees"] == [V, f"{p3}/Area_Chairs"]
    assert paper["noninvitees"] == [f"{p3}/Authors"]
    assert paper["maxReplies"] == 1
    due = ms("2027-03-20 23:59")
    assert (paper["duedate"], paper["expdate"]) == (due, due + 30 * MINUTE)
    assert paper["edit"]["signatures"] == {"param": {"items": [
        {"value": PCS, "optional": True},
        {"prefix": f"{V}/Submission${{7/content/noteNumber/value}}/Area_Chair_.*", "optional": True}]}}
    assert paper["edit"]["readers"] == [f"{P4}/Senior_Area_Chairs", f"{P4}/Area_Chairs", PCS]
    assert paper["edit"]["nonreaders"] == [f"{P4}/Authors"]
    meta = note(body)
    assert meta["readers"] == [f"{P5}/Senior_Area_Chairs", f"{P5}/Area_Chairs", PCS]
    assert meta["nonreaders"] == [f"{P5}/Authors"]
    assert meta["writers"] == [V, f"{P5}/Senior_Area_Chairs", "${3/signatures}"]
    assert list(meta["content"]) == ["metareview", "recommendation", "confidence"]
    assert "content['metareview_process_script']['value']" in paper["process"]

    revision = state.get("invitation", f"{V}/-/Meta_Review_SAC_Revision")
    assert revision is not None and revision.replacement is False
    rbody = revision.body
    assert rbody["content"] == {"source": body["content"]["source"]}
    assert rbody["cdate"] == body["cdate"]
    rchild = child(rbody)
    assert rchild["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Meta_Review_SAC_Revision"
    assert rchild["invitees"] == rchild["readers"] == [V, f"{p3}/Senior_Area_Chairs"]
    assert "duedate" not in rchild and rchild["expdate"] == due + 30 * MINUTE
    assert "process" not in rchild and "maxReplies" not in rchild
    assert rchild["edit"]["signatures"] == {"param": {"items": [
        {"value": f"{V}/Submission${{7/content/noteNumber/value}}/Senior_Area_Chairs"}]}}
    assert rchild["edit"]["note"] == {
        "id": {"param": {"withInvitation": f"{V}/Submission${{6/content/noteNumber/value}}/-/Meta_Review"}},
        "forum": "${4/content/noteId/value}",
        "content": meta["content"],
    }


def test_meta_review_without_committees_is_signed_by_program_chairs_only():
    state = compile_text(venue(META_REVIEW))
    body = invitation(state, "Meta_Review")
    assert child(body)["edit"]["signatures"] == {"param": {"items": [{"value": PCS, "optional": True}]}}
    assert note(body)["readers"] == [PCS]
    assert note(body)["writers"] == [V, "${3/signatures}"]
    assert state.get("invitation", f"{V}/-/Meta_Review_SAC_Revision") is None


@pytest.mark.parametrize(("release", "extra"), [
    ("none", []), ("assigned", [f"{P5}/Reviewers"]), ("submitted", [f"{P5}/Reviewers/Submitted"]),
    ("all", [f"{V}/Reviewers"]),
])
def test_meta_review_release_to_reviewers(release, extra):
    body = invitation(compile_text(venue(META_REVIEW + f"  release_to_reviewers: {release}\n")), "Meta_Review")
    assert note(body)["readers"] == [*extra, PCS]


def test_meta_review_release_to_authors_after_due_and_public():
    text = venue(META_REVIEW + "  release_to_authors: after_due\n  recommendation_field: verdict\n"
                               "  description: Summarise the reviews.\n"
                               "  form:\n    remove: [recommendation]\n"
                               "    add:\n      verdict: {type: string, enum: [Yes, No], order: 2}\n")
    due = ms("2027-03-20 23:59")
    before = invitation(compile_text(text, at=due - 1), "Meta_Review")
    assert note(before)["readers"] == [PCS] and note(before)["nonreaders"] == [f"{P5}/Authors"]
    after = invitation(compile_text(text, at=due), "Meta_Review")
    assert note(after)["readers"] == [f"{P5}/Authors", PCS] and note(after)["nonreaders"] == []
    assert child(after)["edit"]["readers"] == [f"{P4}/Authors", PCS]
    assert after["content"]["recommendation_field_name"] == {"value": "verdict"}
    assert child(after)["description"] == "Summarise the reviews."
    assert list(note(after)["content"]) == ["metareview", "confidence", "verdict"]
    public = invitation(compile_text(venue(META_REVIEW + "  public: true\n")), "Meta_Review")
    assert note(public)["readers"] == ["everyone"] and note(public)["nonreaders"] == []


# -- decision ---------------------------------------------------------------------------------------
DECISION = """\
decision:
  start: 2027-03-25
  due: 2027-04-01 23:59
"""


def test_decision_super_invitation_is_the_builders():
    obj = compile_text(venue(DECISION)).get("invitation", f"{V}/-/Decision")
    assert obj is not None and obj.replacement is True and obj.stage == "stages.decision"
    body = obj.body
    assert body["content"] == {
        "decision_process_script": {"value": {"$file": "openreview-py:venue/process/decision_process.py"}},
        "email_authors": {"value": False},
        "decision_field_name": {"value": "decision"},
        "decision_options": {"value": ["Accept (Oral)", "Accept (Poster)", "Reject"]},
        "accept_decision_options": {"value": ["Accept (Oral)", "Accept (Poster)"]},
        "source": {"value": {"venueid": [V, f"{V}/Submission", f"{V}/Rejected_Submission"]}},
    }
    paper = child(body)
    assert paper["id"] == f"{V}/Submission${{2/content/noteNumber/value}}/-/Decision"
    assert paper["readers"] == paper["writers"] == paper["signatures"] == [V]
    assert paper["invitees"] == [V, "openreview.net/Support"]
    assert (paper["maxReplies"], paper["minReplies"]) == (1, 1)
    due = ms("2027-04-01 23:59")
    assert (paper["cdate"], paper["duedate"], paper["expdate"]) == (ms("2027-03-25"), due, due + 10 * DAY)
    assert "description" not in paper
    assert "'datetime': datetime" in paper["process"]
    assert "content['decision_process_script']['value']" in paper["process"]
    assert paper["edit"]["signatures"] == [PCS]
    assert paper["edit"]["readers"] == [PCS]
    assert paper["edit"]["nonreaders"] == [f"{P4}/Authors"]
    decision = note(body)
    assert decision["signatures"] == ["${3/signatures}"]
    assert decision["readers"] == [PCS]
    assert decision["nonreaders"] == [f"{P5}/Authors"]
    assert decision["writers"] == [V, "${3/signatures}"]
    assert decision["content"]["title"] == {"order": 1, "value": "Paper Decision"}
    assert decision["content"]["decision"]["value"]["param"]["enum"] == ["Accept (Oral)", "Accept (Poster)", "Reject"]


def test_decision_options_releases_and_form():
    text = venue(DECISION + "  options: [Accept, Conditional Accept, Reject]\n  accept_options: [Accept]\n"
                            "  release_to_reviewers: true\n  release_to_area_chairs: true\n"
                            "  release_to_authors: after_due\n  email_authors: true\n  expiration: 2027-04-03\n"
                            "  form:\n    remove: [comment]\n    change:\n      decision: {input: select}\n",
                 roles=AC_ROLES)
    due = ms("2027-04-01 23:59")
    body = invitation(compile_text(text, at=due - 1), "Decision")
    assert body["content"]["decision_options"] == {"value": ["Accept", "Conditional Accept", "Reject"]}
    assert body["content"]["accept_decision_options"] == {"value": ["Accept"]}
    assert body["content"]["email_authors"] == {"value": True}
    assert child(body)["expdate"] == parse_date("2027-04-03", "UTC", end_of_day=True).ms
    decision = note(body)
    assert decision["readers"] == [PCS, f"{P5}/Senior_Area_Chairs", f"{P5}/Area_Chairs", f"{P5}/Reviewers"]
    assert decision["nonreaders"] == [f"{P5}/Authors"]
    assert list(decision["content"]) == ["title", "decision"]
    assert decision["content"]["decision"]["value"]["param"] == {
        "type": "string", "enum": ["Accept", "Conditional Accept", "Reject"], "input": "select"}
    released = note(invitation(compile_text(text, at=due), "Decision"))
    assert released["readers"][-1] == f"{P5}/Authors" and released["nonreaders"] == []
    public = note(invitation(compile_text(venue(DECISION + "  public: true\n")), "Decision"))
    assert public["readers"] == ["everyone"] and public["nonreaders"] == []


def test_decision_without_due_date_has_no_deadline():
    paper = child(invitation(compile_text(venue("decision:\n  start: 2027-03-25\n")), "Decision"))
    assert "duedate" not in paper and "expdate" not in paper


# -- the whole set -----------------------------------------------------------------------------------
FULL = REVIEW + """\
  release_to_reviewers: submitted
  release_to_authors: after_due
rebuttal:
  start: 2027-03-05
  due: 2027-03-12 23:59
  readers: [reviewers_submitted]
meta_review:
  start: 2027-03-05
  due: 2027-03-20 23:59
  release_to_authors: true
decision:
  start: 2027-03-25
  due: 2027-04-01 23:59
  release_to_authors: true
  release_to_reviewers: true
"""


def test_compiling_is_deterministic():
    text = venue(FULL, roles=AC_ROLES)
    assert compile_text(text).dumps() == compile_text(text).dumps()
    at = ms("2027-03-02")
    assert compile_text(text, at=at).dumps() == compile_text(text, at=at).dumps()
    assert compile_text(text, at=at).dumps() != compile_text(text).dumps()
    ids = compile_text(text).ids("invitation")
    assert ids[-5:] == [f"{V}/-/Official_Review", f"{V}/-/Rebuttal", f"{V}/-/Meta_Review",
                        f"{V}/-/Meta_Review_SAC_Revision", f"{V}/-/Decision"]


# -- in a sandbox ------------------------------------------------------------------------------------
SANDBOX_VENUE = "SBX.cc/2027/Conference"


class Users:
    """Everyone's clients, logged in again whenever the sandbox clock moves (tokens last an hour of it)."""

    def __init__(self, baseurl: str, emails: dict[str, str]) -> None:
        self.baseurl = baseurl
        self.emails = emails
        self.clients: dict[str, openreview.api.OpenReviewClient] = {}

    def at(self, now: int) -> dict[str, openreview.api.OpenReviewClient]:
        requests.put(f"{self.baseurl}/_sandbox/clock", json={"now": now, "running": True},
                     timeout=30).raise_for_status()
        self.clients = {who: openreview.api.OpenReviewClient(baseurl=self.baseurl, username=email, password=PASSWORD)
                        for who, email in self.emails.items()}
        return self.clients


def meta_group(client: openreview.api.OpenReviewClient, group: Group) -> None:
    client.post_group_edit(invitation=f"{SANDBOX_VENUE}/-/Edit", readers=[SANDBOX_VENUE], writers=[SANDBOX_VENUE],
                           signatures=[SANDBOX_VENUE], group=group)


def fan_out(client: openreview.api.OpenReviewClient, name: str, content: dict[str, Any]) -> Invitation:
    """What a super invitation's date process does for one paper (or one review)."""
    edit = client.post_invitation_edit(invitations=f"{SANDBOX_VENUE}/-/{name}", readers=[SANDBOX_VENUE],
                                       writers=[SANDBOX_VENUE], signatures=[SANDBOX_VENUE],
                                       content={key: {"value": value} for key, value in content.items()},
                                       invitation=Invitation())
    return Invitation.from_json(edit["invitation"])


def can_read(client: openreview.api.OpenReviewClient, note_id: str) -> bool:
    try:
        client.get_note(note_id)
    except openreview.OpenReviewException:
        return False
    return True


def sandbox_state(at: int | None = None) -> DesiredState:
    text = venue(FULL, roles="roles:\n  program_chairs: [pc@sbx.example]\n  reviewers: {}\n").replace(V, SANDBOX_VENUE)
    # No PDF to upload: the submission form without it.
    text = text.replace("    double_blind: true\n", "    double_blind: true\n    form: {remove: [pdf]}\n")
    return compile_text(text, at=at)


def test_reviews_and_decisions_in_a_sandbox(root, make_user, baseurl):
    v = SANDBOX_VENUE
    pcs = f"{v}/Program_Chairs"
    paper = f"{v}/Submission1"
    post_state(baseurl, root.token, sandbox_state())
    emails = {"pc": "pc@sbx.example", "author": "author@sbx.example", "rev1": "rev1@sbx.example",
              "rev2": "rev2@sbx.example", "outsider": "outsider@sbx.example"}
    names = {"pc": "Pat Chair", "author": "Ann Author", "rev1": "Rita Reviewer", "rev2": "Remy Reviewer",
             "outsider": "Otto Outsider"}
    profile = {who: make_user(email, names[who]).profile.id for who, email in emails.items()}
    users = Users(baseurl, {**emails, "root": "openreview.net"})

    def readable(note_id: str) -> list[str]:
        return [who for who in ("pc", "rev1", "rev2", "author", "outsider") if can_read(users.clients[who], note_id)]

    # An author submits through the submission form; the submission process makes the paper's groups.
    author = users.at(ms("2027-01-15"))["author"]
    submitted = author.post_note_edit(
        invitation=f"{v}/-/Submission", signatures=[profile["author"]],
        note=Note(content={"title": {"value": "Declarative venues"}, "authors": {"value": ["Ann Author"]},
                           "authorids": {"value": [profile["author"]]}, "keywords": {"value": ["venues"]},
                           "abstract": {"value": "Venues as code."}}))
    note_id = submitted["note"]["id"]
    assert submitted["note"]["number"] == 1
    pc = users.clients["pc"]
    meta_group(pc, Group(id=paper, readers=[v], writers=[v], signatures=[v], signatories=[v]))
    meta_group(pc, Group(id=f"{paper}/Authors", readers=[v, f"{paper}/Authors"], writers=[v], signatures=[v],
                         signatories=[v, f"{paper}/Authors"], members=[profile["author"]]))

    # Once submissions close: the paper's reviewer group (the group fan-out), reviewers assigned to it.
    pc = users.at(ms("2027-02-05"))["pc"]
    pc.post_group_edit(invitation=f"{v}/Reviewers/-/Submission_Group", readers=[v], writers=[v], signatures=[v],
                       content={"noteNumber": {"value": 1}, "noteId": {"value": note_id}}, group=Group())
    users.clients["root"].add_members_to_group(f"{paper}/Reviewers", [profile["rev1"], profile["rev2"]])
    meta_group(pc, Group(id=f"{paper}/Reviewers/Submitted", readers=[v, f"{paper}/Reviewers/Submitted"],
                         writers=[v], signatures=[v], signatories=[v], members=[]))
    review_child = fan_out(pc, "Official_Review", {"noteNumber": 1, "noteId": note_id})
    assert review_child.id == f"{paper}/-/Official_Review"
    assert review_child.invitees == [v, f"{paper}/Reviewers"]
    assert review_child.edit["note"]["readers"] == [pcs, f"{paper}/Reviewers/Submitted", "${3/signatures}"]

    # In the review window: each reviewer signs with their anonymous id, never another's.
    clients = users.at(ms("2027-02-20"))
    rev1, rev2 = clients["rev1"], clients["rev2"]
    anon1 = rev1.get_groups(prefix=f"{paper}/Reviewer_", signatory=profile["rev1"])[0].id
    anon2 = rev2.get_groups(prefix=f"{paper}/Reviewer_", signatory=profile["rev2"])[0].id
    review_content = {"title": {"value": "Solid"}, "review": {"value": "Clear and useful."},
                      "rating": {"value": 7}, "confidence": {"value": 4}}
    with pytest.raises(openreview.OpenReviewException):
        rev1.post_note_edit(invitation=review_child.id, signatures=[anon2], note=Note(content=review_content))
    review = rev1.post_note_edit(invitation=review_child.id, signatures=[anon1], note=Note(content=review_content))
    review_id = review["note"]["id"]
    stored = clients["pc"].get_note(review_id)
    assert stored.readers == [pcs, f"{paper}/Reviewers/Submitted", anon1]
    assert stored.nonreaders == [f"{paper}/Authors"]
    assert stored.forum == note_id and stored.replyto == note_id
    assert readable(review_id) == ["pc", "rev1"]
    # The review process files each signer under Submitted: reviewers read the others' once they submitted.
    clients["root"].add_members_to_group(f"{paper}/Reviewers/Submitted", anon1)
    assert readable(review_id) == ["pc", "rev1"]
    second = rev2.post_note_edit(invitation=review_child.id, signatures=[anon2], note=Note(content=review_content))
    clients["root"].add_members_to_group(f"{paper}/Reviewers/Submitted", anon2)
    assert readable(review_id) == ["pc", "rev1", "rev2"]
    assert readable(second["note"]["id"]) == ["pc", "rev1", "rev2"]

    # Past the due date the reviews are released to the authors (after_due): compiled for that moment,
    # the super invitation is re-posted and fans out again, rewriting the readers of posted reviews.
    clients = users.at(ms("2027-03-02"))
    released = sandbox_state(at=ms("2027-03-02")).get("invitation", f"{v}/-/Official_Review")
    assert released is not None
    # Re-posted whole (replacement): the sandbox's merge of a partial invitation edit still reads the
    # escaped ``{"const": {"delete": true}}`` of the child's ``description`` as a deletion.
    post_state(baseurl, clients["root"].token, DesiredState(v, (dataclasses.replace(released, replacement=True),)))
    review_child = fan_out(clients["pc"], "Official_Review", {"noteNumber": 1, "noteId": note_id})
    readers = review_child.edit["note"]["readers"]
    assert readers == [pcs, f"{paper}/Reviewers/Submitted", "${3/signatures}", f"{paper}/Authors"]
    assert not review_child.edit["note"].get("nonreaders")
    clients["pc"].post_note_edit(invitation=f"{v}/-/Edit", signatures=[v], readers=[v], writers=[v],
                                 note=Note(id=review_id, readers=[anon1 if "signatures" in r else r for r in readers],
                                           nonreaders=[]))
    assert readable(review_id) == ["pc", "rev1", "rev2", "author"]

    # A rebuttal to that review: the review process posts the review's child through the super invitation.
    rebuttal_child = fan_out(clients["pc"], "Rebuttal", {"noteNumber": 1, "noteId": note_id, "replyto": review_id,
                                                         "replyNumber": review["note"]["number"]})
    assert rebuttal_child.id == f"{paper}/Official_Review{review['note']['number']}/-/Rebuttal"
    clients = users.at(ms("2027-03-08"))
    rebuttal = clients["author"].post_note_edit(invitation=rebuttal_child.id, signatures=[f"{paper}/Authors"],
                                                note=Note(content={"rebuttal": {"value": "Thank you."}}))
    stored = clients["pc"].get_note(rebuttal["note"]["id"])
    assert stored.forum == note_id and stored.replyto == review_id
    assert stored.readers == [pcs, f"{paper}/Reviewers/Submitted", f"{paper}/Authors"]
    assert readable(stored.id) == ["pc", "rev1", "rev2", "author"]

    # The decision, by a program chair, inside the decision window.
    clients = users.at(ms("2027-03-28"))
    decision_child = fan_out(clients["pc"], "Decision", {"noteNumber": 1, "noteId": note_id})
    assert decision_child.id == f"{paper}/-/Decision"
    assert decision_child.expdate == ms("2027-04-01 23:59") + 10 * DAY
    with pytest.raises(openreview.OpenReviewException):
        clients["rev1"].post_note_edit(invitation=decision_child.id, signatures=[anon1],
                                       note=Note(content={"decision": {"value": "Reject"}}))
    with pytest.raises(openreview.OpenReviewException):
        clients["pc"].post_note_edit(invitation=decision_child.id, signatures=[pcs],
                                     note=Note(content={"title": {"value": "Paper Decision"},
                                                        "decision": {"value": "Maybe"}}))
    decision = clients["pc"].post_note_edit(invitation=decision_child.id, signatures=[pcs],
                                            note=Note(content={"title": {"value": "Paper Decision"},
                                                               "decision": {"value": "Accept (Poster)"},
                                                               "comment": {"value": "Congratulations."}}))
    stored = clients["pc"].get_note(decision["note"]["id"])
    assert stored.signatures == [pcs] and stored.forum == note_id
    assert stored.readers == [pcs, f"{paper}/Reviewers", f"{paper}/Authors"]
    assert stored.content["decision"]["value"] == "Accept (Poster)"
    assert readable(stored.id) == ["pc", "rev1", "rev2", "author"]
