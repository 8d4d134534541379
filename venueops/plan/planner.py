"""``make_plan``: desired objects + live objects → the ordered changes that make them agree.

| desired | live                         | action                                             |
|---------|------------------------------|----------------------------------------------------|
| yes     | absent                       | create                                             |
| yes     | soft-deleted                 | update (restore)                                   |
| yes     | differs in managed fields    | update of exactly those fields                     |
| yes     | matches                      | nothing                                            |
| no, but in the inventory: invitation, open   | expire (expdate = apply time)     |
| no, but in the inventory: group              | delete with ``allow_delete``; else left alone (noted) |

Order: the desired objects' dependency order (the compiler's), then expirations, then deletions
(reversed), then the inventory update (so an interrupted apply still knows what to retire).
Reasons are for people; nothing decides on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from venueops.compile.model import DesiredObject, DesiredState
from venueops.plan.diff import compare
from venueops.plan.model import Action, Change, Edit, FieldChange, Plan
from venueops.state.reader import INVENTORY_KEY, LiveState

ROOT_META = "openreview.net/-/Edit"
SUPER_USER = "~Super_User1"
NOW = "$now"  # replaced by the apply time when the edit is posted

Resolver = Callable[[Any], Any]


@dataclass(frozen=True)
class PlanOptions:
    allow_delete: bool = False
    now: int = 0  # the plan's moment (ms), to tell expired invitations from open ones


def make_plan(desired: DesiredState, live: LiveState, *, resolve: Resolver, options: PlanOptions, baseurl: str,
              config_file: str, timezone: str, requests: int = 0) -> Plan:
    changes: list[Change] = []
    notes: list[str] = []
    venue_id = desired.venue_id
    for obj in desired.objects:
        change = _plan_object(obj, live, resolve, venue_id)
        if change is not None:
            changes.append(change)
    desired_addresses = {f"{o.kind} {o.id}" for o in desired.objects if not o.members_only}
    retired: list[str] = []
    removals: list[Change] = []
    for address in live.inventory:
        if address in desired_addresses:
            continue
        kind, object_id = address.split(" ", 1)
        current = live.get(kind, object_id)
        if current is None or current.get("ddate"):
            continue
        if kind == "invitation":
            retired.append(address)
            expdate = current.get("expdate")
            if isinstance(expdate, int) and expdate <= options.now:
                continue
            removals.append(_expire(current, venue_id))
        elif options.allow_delete:
            removals.append(_delete(current, venue_id))
        else:
            notes.append(f"group {object_id} is no longer in the configuration; it is left in place and no longer "
                         "managed (--allow-delete deletes it)")
    changes.extend(c for c in removals if c.action is Action.EXPIRE)
    changes.extend(reversed([c for c in removals if c.action is Action.DELETE]))
    inventory = sorted(desired_addresses | set(retired))
    if tuple(inventory) != tuple(live.inventory) and (venue_id in live.groups or any(
            c.kind == "group" and c.id == venue_id for c in changes)):
        changes.append(_inventory_change(venue_id, live, inventory))
    return Plan(venue_id=venue_id, baseurl=baseurl, config_file=config_file, timezone=timezone,
                changes=tuple(changes), notes=tuple(notes), requests=requests)


def _plan_object(obj: DesiredObject, live: LiveState, resolve: Resolver, venue_id: str) -> Change | None:
    body = resolve(obj.body)
    current = live.get(obj.kind, obj.id)
    source = str(obj.source) if obj.source else None
    common = {"kind": obj.kind, "id": obj.id, "source": source, "stage": obj.stage}
    if obj.members_only:
        have = set((current or {}).get("members") or [])
        missing = [m for m in body["members"] if m not in have]
        if not missing:
            return None
        patch = {"id": obj.id, "members": {"add": missing}}
        return Change(action=Action.UPDATE if current else Action.CREATE,
                      reason=f"the venue must be listed in OpenReview's {obj.id} registry",
                      version=_version(current), fields=(FieldChange("members", None, missing, before_absent=True),),
                      edit=_edit(obj.kind, patch, venue_id, root=True, replacement=False), via="root", **common)
    if current is None:
        fields = tuple(FieldChange(k, None, v, before_absent=True) for k, v in body.items() if k != "id")
        root = obj.via == "root"
        return Change(action=Action.CREATE, reason="not in OpenReview yet", version="absent", fields=fields,
                      edit=_edit(obj.kind, body, venue_id, root=root, replacement=obj.replacement),
                      via="root" if root else "venue", **common)
    comparison = compare(obj.kind, body, current)
    deleted = bool(current.get("ddate"))
    if comparison.same and not deleted:
        return None
    patch = dict(comparison.patch)
    fields = list(comparison.changes)
    if deleted:
        patch["ddate"] = {"delete": True}
        fields.insert(0, FieldChange("ddate", current.get("ddate"), None, after_absent=True))
    root = _update_needs_root(obj, venue_id)
    if obj.replacement and obj.kind == "invitation":
        edit_body = dict(body)
        if deleted:
            edit_body["ddate"] = {"delete": True}
        edit = _edit(obj.kind, edit_body, venue_id, root=root, replacement=True)
    else:
        edit = _edit(obj.kind, {"id": obj.id, **patch}, venue_id, root=root, replacement=False)
    what = f"{len(fields)} field{'s' if len(fields) != 1 else ''} differ from the configuration"
    reason = f"deleted in OpenReview; restoring ({what})" if deleted else what
    return Change(action=Action.UPDATE, reason=reason, version=_version(current), fields=tuple(fields),
                  unchanged=comparison.unchanged, edit=edit, via="root" if root else "venue", **common)


def _update_needs_root(obj: DesiredObject, venue_id: str) -> bool:
    """The venue group and anything inside the venue can be edited through its meta invitation; the
    meta invitation itself and groups outside the venue (ancestors) only by OpenReview support."""
    if obj.via != "root":
        return False
    return obj.id != venue_id


def _expire(current: dict[str, Any], venue_id: str) -> Change:
    return Change(kind="invitation", id=current["id"], action=Action.EXPIRE,
                  reason="no longer in the configuration: expiring it (OpenReview retires invitations by expiry)",
                  version=_version(current), fields=(FieldChange("expdate", current.get("expdate"), NOW),),
                  edit=_edit("invitation", {"id": current["id"], "expdate": NOW}, venue_id, root=False,
                             replacement=False))


def _delete(current: dict[str, Any], venue_id: str) -> Change:
    return Change(kind="group", id=current["id"], action=Action.DELETE,
                  reason="no longer in the configuration, and --allow-delete was given",
                  version=_version(current), fields=(FieldChange("ddate", None, NOW, before_absent=True),),
                  edit=_edit("group", {"id": current["id"], "ddate": NOW}, venue_id, root=False, replacement=False))


def _inventory_change(venue_id: str, live: LiveState, inventory: list[str]) -> Change:
    value = {"format": 1, "objects": inventory}
    patch = {"id": venue_id, "content": {INVENTORY_KEY: {"value": value, "readers": [venue_id]}}}
    before = list(live.inventory) if live.inventory else None
    return Change(kind="group", id=venue_id, action=Action.UPDATE,
                  reason="record what venueops manages in the venue (its inventory)",
                  version=_version(live.groups.get(venue_id)),
                  fields=(FieldChange(f"content.{INVENTORY_KEY}", before, inventory, before_absent=before is None),),
                  edit=_edit("group", patch, venue_id, root=False, replacement=False), stage="inventory")


def _version(current: dict[str, Any] | None) -> str | int:
    if current is None:
        return "absent"
    tmdate = current.get("tmdate")
    return tmdate if isinstance(tmdate, int) else "unknown"


def _edit(kind: str, body: dict[str, Any], venue_id: str, *, root: bool, replacement: bool) -> Edit:
    signer = SUPER_USER if root else venue_id
    if kind == "group":
        return Edit("/groups/edits", {"invitation": ROOT_META if root else f"{venue_id}/-/Edit",
                                      "signatures": [signer], "readers": [venue_id], "writers": [venue_id],
                                      "group": body})
    edit: dict[str, Any] = {"signatures": [signer], "readers": [venue_id], "writers": [venue_id], "invitation": body}
    if not root:
        edit = {"invitations": f"{venue_id}/-/Edit", **edit}
    if replacement:
        edit["replacement"] = True
    return Edit("/invitations/edits", edit)
