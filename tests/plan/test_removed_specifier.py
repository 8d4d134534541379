"""A specifier the live template has and the file does not (``markdown: true`` added by hand) is removed by
a ``{"delete": true}`` in the edit: the check before apply lets that marker through (it is not a value to
check), and the server drops the specifier."""

from __future__ import annotations

import openreview

from tests.plan.conftest import AT, Venueops

V = "DRW.cc/2026/Workshop"
DESK = f"{V}/-/Desk_Rejection"
COMMENTS = ("edit", "invitation", "edit", "note", "content", "desk_reject_comments", "value", "param")


def param_of(root) -> dict:
    node = root.get_invitation(DESK).edit
    for key in COMMENTS[1:]:
        node = node[key]
    return node


def test_a_specifier_added_by_hand_is_removed_by_apply(venueops: Venueops, venue_file, root) -> None:
    file = venue_file("workshop")
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    root.post_invitation_edit(invitations=f"{V}/-/Edit", signatures=[V], invitation=openreview.api.Invitation(
        id=DESK, edit={"invitation": {"edit": {"note": {"content": {"desk_reject_comments": {
            "value": {"param": {"markdown": True}}}}}}}}))
    assert param_of(root)["markdown"] is True
    plan = venueops("plan", file, "--at", AT)
    assert "- edit.invitation.edit.note.content.desk_reject_comments.value.param.markdown: true" in plan.stdout, \
        plan.stdout
    applied = venueops("apply", file, "--auto-approve", "--at", AT)
    assert applied.exit_code == 0, applied.output
    assert "markdown" not in param_of(root)
    assert venueops("plan", file, "--detailed-exitcode", "--at", AT).exit_code == 0


def test_a_const_added_by_hand_is_left_and_the_plan_says_why(venueops: Venueops, venue_file, root) -> None:
    """A ``const`` is a literal: ``{"delete": true}`` posted in its place would become its value (the field
    must be deleted). No edit removes it, so no change is planned for it, and the plan says so."""
    file = venue_file("workshop")
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    root.post_invitation_edit(invitations=f"{V}/-/Edit", signatures=[V], invitation=openreview.api.Invitation(
        id=DESK, edit={"invitation": {"edit": {"note": {"content": {"desk_reject_comments": {
            "value": {"param": {"const": "Fixed text"}}}}}}}}))
    plan = venueops("plan", file, "--at", AT, "--detailed-exitcode")
    path = "edit.invitation.edit.note.content.desk_reject_comments.value.param.const"
    assert plan.exit_code == 0 and "No changes" in plan.stdout, plan.stdout
    assert "cannot be removed by an edit" in plan.stdout and f"invitation {DESK}: {path}" in plan.stdout
    applied = venueops("apply", file, "--auto-approve", "--at", AT)
    assert applied.exit_code == 0, applied.output
    assert param_of(root)["const"] == "Fixed text"  # not turned into {"delete": true}
