"""``lifecycle.ignore_changes``: fields venueops leaves to people once the object exists."""

from __future__ import annotations

import openreview
import pytest

from tests.plan.conftest import AT, Venueops

V = "DRW.cc/2026/Workshop"
REVIEW = f"{V}/-/Official_Review"
IGNORE = '''
lifecycle:
  ignore_changes:
    - object: /-/Official_Review
      fields: [edit.invitation.duedate, edit.invitation.expdate]
'''


def chair_moves_the_deadline(root) -> None:
    root.post_invitation_edit(invitations=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                              invitation=openreview.api.Invitation(id=REVIEW, signatures=[V],
                                                                   edit={"invitation": {"duedate": 1776000000000}}))


def test_an_ignored_field_is_created_then_left_to_people(venueops: Venueops, venue_file, tmp_path, root) -> None:
    file = venue_file("workshop")
    (tmp_path / file).write_text((tmp_path / file).read_text() + IGNORE)
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    assert root.get_invitation(REVIEW).edit["invitation"]["duedate"] == 1775908740000  # created from the file
    chair_moves_the_deadline(root)
    plan = venueops("plan", file, "--detailed-exitcode", "--at", AT)
    assert plan.exit_code == 0, plan.output
    assert (f"Note: not owned (lifecycle.ignore_changes), left as they are: invitation {REVIEW}: "
            "edit.invitation.duedate") in plan.stdout
    detect = venueops("reconcile", file, "--at", "2026-04-01")
    assert detect.exit_code == 0 and "drift:" not in detect.stdout, detect.output
    # the file moving the deadline does not take it back either; other fields of the object stay owned
    moved = (tmp_path / file).read_text().replace("due: 2026-04-10 23:59", "due: 2026-04-17 23:59")
    (tmp_path / file).write_text(moved.replace("remove: [title]", "remove: [title, confidence]"))
    plan = venueops("plan", file, "--json", "--at", AT)
    (change,) = [c for c in __import__("json").loads(plan.stdout)["changes"] if c["id"] == REVIEW]
    assert [f["path"] for f in change["fields"]] == ["edit.invitation.edit.note.content.confidence"]
    assert "duedate" not in str(change["edit"]["body"])
    assert venueops("apply", file, "--auto-approve", "--at", AT).exit_code == 0
    assert root.get_invitation(REVIEW).edit["invitation"]["duedate"] == 1776000000000


@pytest.mark.parametrize("object_id", ["/-/No_Such_Stage", "Elsewhere.cc/-/Official_Review"])
def test_a_rule_naming_no_object_of_the_venue_is_an_error_at_its_line(venueops: Venueops, venue_file, tmp_path,
                                                                      object_id: str) -> None:
    file = venue_file("workshop")
    text = (tmp_path / file).read_text()
    (tmp_path / file).write_text(text + IGNORE.replace("/-/Official_Review", object_id))
    line = text.count("\n") + 4  # the rule's `object:` line
    run = venueops("validate", file)
    assert run.exit_code == 1
    assert f"workshop.yaml:{line}:" in run.output and "is not an object of this venue" in run.output, run.output
