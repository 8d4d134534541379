"""``venueops plan`` and ``apply`` against a real sandbox server: convergence, minimal edits,
expiry instead of deletion, drift, saved plans, rights and confirmation."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import openreview
import pytest
import requests

from tests.compile.post import post_object
from tests.plan.conftest import AT, EXAMPLES, ServerRequests, Venueops, credentials
from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue

V = "DRW.cc/2026/Workshop"
REVIEW = f"{V}/-/Official_Review"
# the review stage with an explicit expiration, so that moving the deadline moves one field only
FIXED_EXPIRY = {"    due: 2026-04-10 23:59\n": "    due: 2026-04-10 23:59\n    expiration: 2026-04-30 23:59\n"}


def plan_json(venueops: Venueops, file: Path, *extra: str) -> dict:
    run = venueops("plan", file, "--json", "--at", AT, *extra)
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def apply(venueops: Venueops, file: Path, *extra: str) -> None:
    run = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT, *extra)
    assert run.exit_code == 0, run.output
    assert "Checked: a new plan finds no changes." in run.stdout


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_example_applies_and_then_plans_no_changes(example: str, venueops: Venueops, venue_file) -> None:
    file = venue_file(example)
    first = venueops("plan", file, "--detailed-exitcode", "--at", AT)
    assert first.exit_code == 2 and "to add" in first.stdout
    apply(venueops, file)
    again = venueops("plan", file, "--detailed-exitcode", "--at", AT)
    assert again.exit_code == 0, again.output
    assert again.stdout.endswith("No changes. The venue matches the configuration.\n")


def test_one_deadline_changed_is_one_field_and_one_edit(venueops: Venueops, venue_file,
                                                        server_requests: ServerRequests) -> None:
    apply(venueops, venue_file("workshop", FIXED_EXPIRY))
    moved = venue_file("workshop", {**FIXED_EXPIRY, "due: 2026-04-10 23:59": "due: 2026-04-17 23:59"})
    plan = plan_json(venueops, moved)
    assert plan["summary"] == {"add": 0, "change": 1, "expire": 0, "delete": 0, "empty": False}
    (change,) = plan["changes"]
    assert change["address"] == f"invitation {REVIEW}" and change["action"] == "update"
    assert [f["path"] for f in change["fields"]] == ["edit.invitation.duedate"]
    assert change["edit"]["body"]["invitation"] == {"id": REVIEW, "edit": {"invitation": {"duedate": 1776513540000}}}
    server_requests.clear()
    run = venueops("apply", moved, "--auto-approve", "--at", AT)
    assert run.exit_code == 0, run.output
    assert server_requests.edits() == 1 and server_requests.count("POST /invitations/edits") == 1


def test_a_moved_deadline_moves_the_default_expiry_with_it_in_the_same_edit(venueops: Venueops, venue_file,
                                                                            server_requests: ServerRequests) -> None:
    apply(venueops, venue_file("workshop"))
    moved = venue_file("workshop", {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59"})
    (change,) = plan_json(venueops, moved)["changes"]
    assert [f["path"] for f in change["fields"]] == ["edit.invitation.duedate", "edit.invitation.expdate"]
    server_requests.clear()
    assert venueops("apply", moved, "--auto-approve", "--at", AT).exit_code == 0
    assert server_requests.edits() == 1


def test_a_removed_form_field_is_deleted_alone(venueops: Venueops, venue_file, root) -> None:
    apply(venueops, venue_file("workshop"))
    before = root.get_invitation(REVIEW).edit["invitation"]["edit"]["note"]["content"]
    smaller = venue_file("workshop", {"remove: [title]": "remove: [title, confidence]"})
    (change,) = plan_json(venueops, smaller)["changes"]
    path = "edit.invitation.edit.note.content.confidence"
    assert [(f["path"], f.get("after_absent")) for f in change["fields"]] == [(path, True)]
    assert change["edit"]["body"]["invitation"] == {
        "id": REVIEW, "edit": {"invitation": {"edit": {"note": {"content": {"confidence": {"delete": True}}}}}}}
    assert venueops("apply", smaller, "--auto-approve", "--at", AT).exit_code == 0
    after = root.get_invitation(REVIEW).edit["invitation"]["edit"]["note"]["content"]
    assert set(before) - set(after) == {"confidence"}
    assert all(after[k] == before[k] for k in after)


def test_a_removed_stage_expires_its_invitations_and_nothing_is_deleted(venueops: Venueops, venue_file, root,
                                                                        server_requests: ServerRequests) -> None:
    apply(venueops, venue_file("workshop"))
    decision_before = root.get_invitation(f"{V}/-/Decision").edit["invitation"]["expdate"]
    text = (EXAMPLES / "workshop.yaml").read_text()
    decision = text[text.index("  decision:"):text.index("\n\n", text.index("  decision:")) + 2]
    without = venue_file("workshop", {decision: ""})
    plan = plan_json(venueops, without)
    assert [(c["action"], c["address"]) for c in plan["changes"]] == [
        ("expire", f"invitation {V}/-/Decision"), ("update", f"group {V}")]
    assert plan["summary"]["delete"] == 0
    server_requests.clear()
    assert venueops("apply", without, "--auto-approve", "--at", AT).exit_code == 0
    assert server_requests.edits() == 2
    decision_now = root.get_invitation(f"{V}/-/Decision")
    assert decision_now.expdate is not None and decision_now.ddate is None
    # the per-paper decision forms' template expires with it (the server's fan-out closes them)
    assert decision_now.edit["invitation"]["expdate"] == decision_now.expdate
    assert venueops("plan", without, "--detailed-exitcode", "--at", AT).exit_code == 0
    # the stage back: the invitation re-opens, its forms' own expiry restored
    back = venue_file("workshop")
    (reopen, inventory) = plan_json(venueops, back)["changes"]
    assert reopen["address"] == f"invitation {V}/-/Decision"
    assert sorted(f["path"] for f in reopen["fields"]) == ["edit.invitation.expdate", "expdate"]
    assert inventory["stage"] == "inventory"
    apply(venueops, back)
    reopened = root.get_invitation(f"{V}/-/Decision")
    assert reopened.expdate is None and reopened.edit["invitation"]["expdate"] == decision_before


def test_drift_made_with_openreview_py_is_detected(venueops: Venueops, venue_file, root) -> None:
    file = venue_file("workshop")
    apply(venueops, file)
    root.post_invitation_edit(invitations=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                              invitation=openreview.api.Invitation(id=REVIEW, signatures=[V],
                                                                   edit={"invitation": {"duedate": 1776000000000}}))
    root.post_group_edit(invitation=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                         group=openreview.api.Group(id=f"{V}/Publicity_Chairs", members={"add": ["~Intruder1"]}))
    run = venueops("plan", file, "--detailed-exitcode", "--at", AT)
    assert run.exit_code == 2, run.output
    assert "~ edit.invitation.duedate: 1776000000000" in run.stdout
    assert '~ members: ["~Pub_Chair1", "~Intruder1"] → ["~Pub_Chair1"] (-"~Intruder1")' in run.stdout
    assert run.stdout.endswith("Plan: 0 to add, 2 to change, 0 to expire, 0 to delete.\n")
    apply(venueops, file)
    assert venueops("plan", file, "--detailed-exitcode", "--at", AT).exit_code == 0


def test_a_stale_saved_plan_is_refused_whole_and_changes_nothing(venueops: Venueops, venue_file, root,
                                                                 server_requests: ServerRequests) -> None:
    apply(venueops, venue_file("workshop"))
    changed = venue_file("workshop", {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59",
                                      "members: [~Pub_Chair1]": "members: [~Pub_Chair1, ~Pub_Chair2]"})
    assert venueops("plan", changed, "-o", "plan.json", "--at", AT).exit_code == 0
    root.post_group_edit(invitation=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                         group=openreview.api.Group(id=f"{V}/Publicity_Chairs", description="edited meanwhile"))
    snapshot = (root.get_invitation(REVIEW).to_json(), root.get_group(f"{V}/Publicity_Chairs").to_json())
    server_requests.clear()
    run = venueops("apply", "plan.json", "--at", AT)
    assert run.exit_code == 1
    assert "nothing was applied: the plan is stale" in run.stderr
    assert f"group {V}/Publicity_Chairs changed since the plan was made" in run.stderr
    assert server_requests.edits() == 0
    assert (root.get_invitation(REVIEW).to_json(), root.get_group(f"{V}/Publicity_Chairs").to_json()) == snapshot


def test_the_same_saved_plan_is_applied_once(venueops: Venueops, venue_file, server_requests: ServerRequests) -> None:
    apply(venueops, venue_file("workshop"))
    changed = venue_file("workshop", {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59"})
    assert venueops("plan", changed, "-o", "plan.json", "--at", AT).exit_code == 0
    first = venueops("apply", "plan.json", "--at", AT)
    assert first.exit_code == 0, first.output
    server_requests.clear()
    second = venueops("apply", "plan.json", "--at", AT)
    assert second.exit_code == 1 and "was it applied already?" in second.stderr
    assert server_requests.edits() == 0


def test_a_saved_plan_whose_venue_file_is_gone_is_refused(venueops: Venueops, venue_file, tmp_path: Path,
                                                           server_requests: ServerRequests) -> None:
    """apply PLAN plans again from the venue file to check the plan: without the file, it cannot."""
    apply(venueops, venue_file("workshop"))
    changed = venue_file("workshop", {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59"}, name="moved.yaml")
    assert venueops("plan", changed, "-o", "plan.json", "--at", AT).exit_code == 0
    (tmp_path / changed).unlink()
    server_requests.clear()
    run = venueops("apply", "plan.json", "--at", AT)
    assert run.exit_code == 1
    assert run.stderr == ("Error: the venue file moved.yaml that plan.json was made from is not there: apply runs the "
                          "plan's checks against it, so run apply where plan ran, with the same file\n")
    assert server_requests.edits() == 0


def test_a_plan_that_cannot_be_saved_is_a_clear_error(venueops: Venueops, venue_file, tmp_path: Path) -> None:
    (tmp_path / "not-a-directory").write_text("")
    run = venueops("plan", venue_file("workshop"), "-o", "not-a-directory/plan.json", "--at", AT)
    assert run.exit_code == 1
    assert run.stderr == "Error: cannot save the plan to not-a-directory/plan.json: File exists\n"


def test_a_saved_plan_names_its_server(venueops: Venueops, venue_file, baseurl: str) -> None:
    assert venueops("plan", venue_file("workshop"), "-o", "plan.json", "--bootstrap", "--at", AT).exit_code == 0
    saved = json.loads(Path("plan.json").read_text())
    assert saved["target"] == baseurl and saved["format_version"] == 2
    run = venueops("apply", "plan.json", "--bootstrap", "--at", AT, "--baseurl", "http://elsewhere.test:3001")
    assert run.exit_code == 1 and f"the plan was made for {baseurl}" in run.stderr


def test_apply_without_a_terminal_refuses_instead_of_waiting(venueops: Venueops, venue_file,
                                                             server_requests: ServerRequests) -> None:
    server_requests.clear()
    run = venueops("apply", venue_file("workshop"), "--bootstrap", input="yes\n")
    assert run.exit_code == 1
    assert "there is no terminal to ask on" in run.stderr and "--auto-approve" in run.stderr
    assert server_requests.edits() == 0


def test_a_chair_without_support_rights_is_told_what_support_must_create(venueops: Venueops, venue_file, make_user,
                                                                         baseurl: str,
                                                                         server_requests: ServerRequests) -> None:
    make_user("pat@drw.example", "Pat Chair")
    chair = credentials(baseurl, "pat@drw.example")
    server_requests.clear()
    for extra in ((), ("--bootstrap",)):
        run = venueops("apply", venue_file("workshop"), "--auto-approve", *extra, env=chair)
        assert run.exit_code == 1
        assert "nothing was applied: 8 change(s) can only be made by OpenReview support" in run.stderr
        for address in (f"invitation {V}/-/Edit", "group DRW.cc", f"group {V}", "group venues",
                        f"group {V}/Program_Chairs"):
            assert f"  + {address}\n" in run.stderr or f"  ~ {address}\n" in run.stderr
    assert "this account cannot sign as OpenReview's super user" in run.stderr
    assert server_requests.edits() == 0


def test_once_support_provisioned_the_venue_a_chair_applies_the_rest(venueops: Venueops, venue_file, make_user,
                                                                     baseurl: str, root) -> None:
    make_user("pat@drw.example", "Pat Chair")  # ~Pat_Chair1, a program chair of the example
    file = venue_file("workshop")
    state = compile_venue(load_venue(file))
    headers = {"Authorization": f"Bearer {root.token}"}
    for obj in state:  # what OpenReview support sets up for a new venue, chairs included
        if obj.via == "root" or obj.stage == "roles.program_chairs":
            post_object(baseurl, headers, V, replace(obj, via="root"))
    chair = credentials(baseurl, "pat@drw.example")
    run = venueops("apply", file, "--auto-approve", "--at", AT, env=chair)
    assert run.exit_code == 0, run.output
    assert "[support]" not in run.stdout
    assert venueops("plan", file, "--detailed-exitcode", "--at", AT, env=chair).exit_code == 0


def test_groups_leave_only_with_allow_delete(venueops: Venueops, venue_file, root, baseurl: str) -> None:
    apply(venueops, venue_file("workshop"))
    text = (EXAMPLES / "workshop.yaml").read_text()
    without = venue_file("workshop", {text[text.index("groups:"):]: ""})
    kept = venueops("plan", without, "--detailed-exitcode", "--at", AT)
    assert kept.exit_code == 0
    assert f"Note: group {V}/Publicity_Chairs is no longer in the configuration" in kept.stdout
    run = venueops("apply", without, "--auto-approve", "--allow-delete", "--at", AT)
    assert run.exit_code == 0, run.output
    assert "- group DRW.cc/2026/Workshop/Publicity_Chairs" in run.stdout
    deleted = requests.get(f"{baseurl}/groups", params={"id": f"{V}/Publicity_Chairs", "trash": "true"},
                           headers={"Authorization": f"Bearer {root.token}"}, timeout=10).json()["groups"]
    assert deleted[0]["ddate"] is not None


def test_choosing_no_server_says_how_to_choose(venueops: Venueops, venue_file) -> None:
    run = venueops("plan", venue_file("workshop"), env={"OPENREVIEW_API_BASEURL_V2": None})
    assert run.exit_code == 1
    assert "no OpenReview server chosen" in run.stderr and "--sandbox" in run.stderr and "--baseurl" in run.stderr


def test_a_server_without_credentials_is_refused(venueops: Venueops, venue_file, baseurl: str) -> None:
    env = {"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_USERNAME": None, "OPENREVIEW_PASSWORD": None,
           "OPENREVIEW_TOKEN": None}
    run = venueops("plan", venue_file("workshop"), env=env)
    assert run.exit_code == 1 and "no credentials" in run.stderr
    wrong = venueops("plan", venue_file("workshop"), env=credentials(baseurl, password="not-it"))
    assert wrong.exit_code == 1 and "cannot log in" in wrong.stderr and "not-it" not in wrong.output


def test_an_invalid_venue_file_is_reported_with_its_line(venueops: Venueops, venue_file) -> None:
    broken = venue_file("workshop", {"  review:\n": "  reveiw:\n"})
    run = venueops("plan", broken, "--detailed-exitcode")
    assert run.exit_code == 1
    assert "workshop.yaml:34:3" in run.stderr and "did you mean 'review'" in run.stderr


def test_only_someone_who_may_act_for_the_venue_gets_a_plan(venueops: Venueops, venue_file, make_user,
                                                            baseurl: str, server_requests: ServerRequests) -> None:
    apply(venueops, venue_file("workshop"))
    make_user("outsider@else.example", "Out Sider")
    run = venueops("plan", venue_file("workshop"), env=credentials(baseurl, "outsider@else.example"))
    assert run.exit_code == 1
    assert "~Out_Sider1 cannot act for the venue DRW.cc/2026/Workshop" in run.stderr
    make_user("pat@drw.example", "Pat Chair")  # ~Pat_Chair1: a program chair of the example
    chair = venueops("plan", venue_file("workshop"), "--detailed-exitcode", "--at", AT,
                     env=credentials(baseurl, "pat@drw.example"))
    assert chair.exit_code == 0, chair.output
    server_requests.clear()
    assert json.loads(venueops("plan", venue_file("workshop"), "--json", "--at", AT,
                               env=credentials(baseurl, "pat@drw.example")).stdout)["requests"] == 3
