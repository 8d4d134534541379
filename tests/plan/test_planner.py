"""The planner as a pure function: desired objects + a live state built by hand → changes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredState
from venueops.config.validate import load_venue_text
from venueops.openreview import files as openreview_files
from venueops.plan.model import Action, Plan, PlanOrigin
from venueops.plan.planner import NOW, UNGUARDED, PlanOptions, PlanTarget, make_plan
from venueops.sandbox.inference import merge_entity
from venueops.state.reader import INVENTORY_KEY, Inventory, LiveState

V = "TST.cc/2027/Workshop"
VENUE = f"""
venue: {{id: {V}, name: Test Workshop, timezone: UTC}}
roles:
  program_chairs: [~Pat_Chair1]
stages:
  submission: {{start: 2027-01-01, due: 2027-02-01 23:59}}
  review: {{start: 2027-02-10, due: 2027-03-01 23:59}}
groups:
  - id: "{{{{ venue.id }}}}/Publicity_Chairs"
    readers: ["{{{{ venue.id }}}}"]
    members: [~Pub_Chair1]
"""
TARGET = PlanTarget("http://openreview.test", "UTC")
ORIGIN = PlanOrigin("venue.yaml", "sha256:" + "0" * 64)
NOW_MS = 1_800_000_000_000


def desired(text: str = VENUE) -> DesiredState:
    return compile_venue(load_venue_text(text, "venue.yaml"))


def plan(state: DesiredState, live: LiveState, **options: Any) -> Plan:
    return make_plan(state, live, resolve=lambda body: body, target=TARGET, origin=ORIGIN,
                     options=PlanOptions(now=NOW_MS, **options))


def live_copy(state: DesiredState, *, inventory: Inventory | None = None) -> LiveState:
    """The live state right after ``state`` was applied (server fields added), with its inventory."""
    live = LiveState()
    for index, obj in enumerate(state):
        # stored as OpenReview stores it: the edit folded into nothing (delete markers gone)
        stored = {**merge_entity({}, copy.deepcopy(obj.body), deep=obj.kind == "invitation"),
                  "tmdate": 1000 + index, "domain": V}
        target = live.groups if obj.kind == "group" else live.invitations
        if obj.members_only:
            stored = {"id": obj.id, "members": ["Other/Venue", *obj.body["members"]], "tmdate": 7}
        target[obj.id] = stored
    inventory = inventory or Inventory(managed=tuple(sorted(f"{o.kind} {o.id}" for o in state if not o.members_only)))
    live.groups[V].setdefault("content", {})[INVENTORY_KEY] = {"value": inventory.to_value(), "readers": [V]}
    live.inventory = inventory
    return live


def actions(result: Plan) -> list[tuple[str, str, str]]:
    return [(c.action.value, c.address, c.via) for c in result.changes]


def test_a_new_venue_is_created_in_dependency_order_with_support_objects_first():
    state = desired()
    result = plan(state, LiveState())
    created = [c for c in result.changes if c.action is Action.CREATE]
    assert [c.address for c in created] == [f"{o.kind} {o.id}" for o in state]
    root = {c.id for c in result.changes if c.via == "root"}
    assert root == {f"{V}/-/Edit", "TST.cc", "TST.cc/2027", V, "venues", "active_venues", "host",
                    f"{V}/Program_Chairs"}
    last = result.changes[-1]
    assert (last.id, last.stage, last.via) == (V, "inventory", "venue")
    assert last.edit.body["group"]["content"][INVENTORY_KEY]["readers"] == [V]
    assert all(c.version == "absent" for c in created if c.id not in ("venues", "active_venues", "host"))


def test_right_after_an_apply_the_plan_is_empty():
    state = desired()
    assert plan(state, live_copy(state)).empty


def test_the_same_inputs_give_a_byte_identical_plan():
    state = desired()
    live = live_copy(state)
    live.invitations[f"{V}/-/Official_Review"]["cdate"] = 5
    assert plan(state, live).dumps() == plan(desired(), copy.deepcopy(live)).dumps()


def test_a_changed_field_is_one_update_with_a_minimal_patch_through_the_venue():
    state = desired()
    live = live_copy(state)
    review = live.invitations[f"{V}/-/Official_Review"]
    review["edit"]["invitation"]["duedate"] = 1
    result = plan(state, live)
    (change,) = result.changes
    assert (change.action, change.via, change.version) == (Action.UPDATE, "venue", review["tmdate"])
    assert [(f.path, f.before) for f in change.fields] == [("edit.invitation.duedate", 1)]
    assert change.edit.endpoint == "/invitations/edits"
    assert change.edit.body["invitations"] == f"{V}/-/Edit" and change.edit.body["signatures"] == [V]
    assert change.edit.body["invitation"] == {"id": review["id"], "edit": {"invitation": {
        "duedate": state.get("invitation", review["id"]).body["edit"]["invitation"]["duedate"]}}}
    assert change.unchanged > 0 and "1 field differs" in change.reason


def test_what_support_provisioned_is_not_rewritten_unless_provisioning():
    state = desired()
    live = live_copy(state)
    live.groups["TST.cc"]["web"] = "their page"
    live.groups["TST.cc"]["members"] = ["~Someone1"]
    live.invitations[f"{V}/-/Edit"]["readers"] = ["everyone"]
    assert plan(state, live).empty
    provisioning = plan(state, live, provisioning=True)
    assert actions(provisioning) == [("update", f"invitation {V}/-/Edit", "root")]  # parents: never
    edit = provisioning.changes[0].edit
    assert edit.body["signatures"] == ["~Super_User1"] and "invitations" not in edit.body


def test_registries_only_gain_the_venue_and_are_not_version_guarded():
    state = desired()
    live = live_copy(state)
    live.groups["venues"]["members"] = ["Other/Venue"]
    (change,) = plan(state, live).changes
    assert change.address == "group venues" and change.via == "root"
    assert change.edit.body["group"] == {"id": "venues", "members": {"add": [V]}}
    assert change.version == UNGUARDED


def test_active_venues_gains_a_new_venue_but_an_ended_venue_is_not_put_back():
    """OpenReview takes a venue out of ``active_venues`` when it is over: that is not drift."""
    state = desired()
    new_venue = live_copy(state)
    del new_venue.groups[V]
    new_venue.groups["active_venues"]["members"] = ["Other/Venue"]
    assert "update group active_venues" in {f"{c.action.value} {c.address}" for c in plan(state, new_venue).changes}
    ended = live_copy(state)
    ended.groups["active_venues"]["members"] = ["Other/Venue"]
    assert plan(state, ended).changes == ()


def test_an_existing_chairs_group_is_edited_by_the_venue():
    state = desired()
    live = live_copy(state)
    live.groups[f"{V}/Program_Chairs"]["members"] = ["~Old_Chair1"]
    (change,) = plan(state, live).changes
    assert change.via == "venue" and change.edit.body["invitation"] == f"{V}/-/Edit"


def test_a_removed_stage_expires_its_invitations_and_deletes_nothing():
    full = desired()
    live = live_copy(full)
    without_review = desired(VENUE.replace("  review: {start: 2027-02-10, due: 2027-03-01 23:59}\n", ""))
    result = plan(without_review, live)
    assert actions(result)[:-1] == [("expire", f"invitation {V}/-/Official_Review", "venue")]
    expire = result.changes[0]
    # the super invitation and the review forms it handed out (its children's template) close together
    assert expire.edit.body["invitation"] == {"id": f"{V}/-/Official_Review", "expdate": NOW,
                                              "edit": {"invitation": {"expdate": NOW}}}
    assert [(f.path, f.after) for f in expire.fields] == [("expdate", NOW), ("edit.invitation.expdate", NOW)]
    inventory = result.changes[-1].edit.body["group"]["content"][INVENTORY_KEY]["value"]
    assert f"invitation {V}/-/Official_Review" in inventory["retired"]
    assert f"invitation {V}/-/Official_Review" not in inventory["managed"]
    assert not any(c.action is Action.DELETE for c in result.changes)


def test_a_plain_invitation_or_one_whose_forms_closed_already_only_gets_an_expdate():
    full = desired()
    live = live_copy(full)
    review = live.invitations[f"{V}/-/Official_Review"]
    review["edit"]["invitation"]["expdate"] = NOW_MS - 1  # the review forms closed already
    without_review = desired(VENUE.replace("  review: {start: 2027-02-10, due: 2027-03-01 23:59}\n", ""))
    expire = plan(without_review, live).changes[0]
    assert expire.edit.body["invitation"] == {"id": f"{V}/-/Official_Review", "expdate": NOW}


def test_a_meta_invitation_that_left_the_file_is_expired_like_any_other():
    """``edit: true`` (a meta invitation's) is not a template: only the expdate is set."""
    state = desired()
    meta = f"{V}/-/Raw_Edit"
    live = live_copy(state)
    live.invitations[meta] = {"id": meta, "edit": True, "invitees": [V], "readers": [V], "tmdate": 5}
    live.inventory = Inventory(managed=(*live.inventory.managed, f"invitation {meta}"))
    (expire,) = [c for c in plan(state, live).changes if c.action.value == "expire"]
    assert expire.edit.body["invitation"] == {"id": meta, "expdate": NOW}


def test_an_invitation_already_expired_is_only_remembered():
    full = desired()
    live = live_copy(full)
    live.invitations[f"{V}/-/Official_Review"]["expdate"] = NOW_MS - 1
    result = plan(desired(VENUE.replace("  review: {start: 2027-02-10, due: 2027-03-01 23:59}\n", "")), live)
    assert actions(result) == [("update", f"group {V}", "venue")]  # the inventory only


def test_a_retired_invitation_back_in_the_file_is_reopened():
    state = desired()
    review = f"invitation {V}/-/Official_Review"
    managed = tuple(sorted(f"{o.kind} {o.id}" for o in state if not o.members_only and o.id != review.split()[1]))
    live = live_copy(state, inventory=Inventory(managed=managed, retired=(review,)))
    live.invitations[f"{V}/-/Official_Review"]["expdate"] = NOW_MS - 5
    result = plan(state, live)
    reopen = result.changes[0]
    assert reopen.address == review and [(f.path, f.after_absent) for f in reopen.fields] == [("expdate", True)]
    assert reopen.edit.body["invitation"]["expdate"] == {"delete": True}
    assert "re-opening" in reopen.reason


def test_a_removed_group_stays_without_allow_delete_and_is_deleted_with_it():
    state = desired()
    live = live_copy(state)
    without = desired(VENUE.split("groups:")[0])
    kept = plan(without, live)
    assert kept.empty and kept.notes == (f"group {V}/Publicity_Chairs is no longer in the configuration: it stays in "
                                         "OpenReview (--allow-delete deletes it)",)
    deleted = plan(without, live, allow_delete=True)
    assert actions(deleted) == [("delete", f"group {V}/Publicity_Chairs", "venue"), ("update", f"group {V}", "venue")]
    assert deleted.changes[0].edit.body["group"] == {"id": f"{V}/Publicity_Chairs", "ddate": NOW}


def test_a_deleted_object_in_the_file_is_restored():
    state = desired()
    live = live_copy(state)
    live.groups[f"{V}/Publicity_Chairs"]["ddate"] = 5
    (change,) = plan(state, live).changes
    assert change.edit.body["group"] == {"id": f"{V}/Publicity_Chairs", "ddate": {"delete": True}}
    assert change.reason.startswith("deleted in OpenReview; restoring it")


def test_file_references_are_resolved_into_the_posted_edit():
    state = desired()
    result = make_plan(state, LiveState(), resolve=openreview_files.resolve, target=TARGET, origin=ORIGIN,
                       options=PlanOptions(now=NOW_MS))
    meta = result.changes[0]
    script = meta.edit.body["invitation"]["content"]["invitation_edit_script"]["value"]
    assert isinstance(script, str) and "def process" in script


def test_the_plan_round_trips_through_json():
    result = plan(desired(), LiveState())
    assert Plan.from_json(result.to_json()) == result
    assert result.to_json()["plan_id"] == Plan.from_json(result.to_json()).plan_id()


@pytest.mark.parametrize("version", [0, 1, 3])
def test_a_plan_of_another_format_is_refused(version: int):
    data = plan(desired(), LiveState()).to_json()
    data["format_version"] = version
    with pytest.raises(ValueError, match="plan format"):
        Plan.from_json(data)
