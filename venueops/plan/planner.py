"""``make_plan``: desired objects + live objects → the ordered changes that make them agree.

| desired | live                                          | action                                    |
|---------|-----------------------------------------------|-------------------------------------------|
| yes     | absent                                        | create                                    |
| yes     | soft-deleted                                  | update (restore)                          |
| yes     | differs in managed fields                     | update of exactly those fields            |
| yes     | matches                                       | nothing                                   |
| no, in the inventory: invitation, still open  | expire (``expdate`` = the moment of apply)                |
| no, in the inventory: group                   | delete with ``allow_delete``; otherwise left alone, noted |

What OpenReview support provisions for a new venue (``via="root"`` objects: the venue's meta
invitation, its parent groups, its place in OpenReview's registries; and the program chairs' group,
without which nobody can act for the venue) is planned as a *root* change when it is missing. Once
it exists venueops does not rewrite it, except when provisioning (``--bootstrap``, ``--sandbox``):
parent groups are never rewritten (other venues live under them), registries only gain members.

Order: the compiler's dependency order (groups before the invitations naming them, parents before
children, the venue group before stages), then expirations, then deletions (children first), then
the inventory update, last, so an interrupted apply is finished by the next one.
A plan depends only on its inputs; ``options.now`` only decides whether an invitation venueops
retired has expired yet. Reasons are for people; nothing decides on them.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from venueops.compile.model import RAW_SECTIONS, DesiredObject, DesiredState
from venueops.plan.diff import compare, unremovable_specifiers
from venueops.plan.model import Action, Change, Edit, FieldChange, Plan, PlanOrigin
from venueops.state.reader import INVENTORY_KEY, Inventory, LiveState, split_address

ROOT_META = "openreview.net/-/Edit"
SUPER_USER = "~Super_User1"
NOW = "$now"  # replaced by the moment of apply when the edit is posted
UNGUARDED = "any"  # the version token of a registry addition: safe whatever changed meanwhile
# Registries OpenReview itself takes a venue out of again (``active_venues`` loses a venue once it is
# over): the venue is added when it is created, and never put back afterwards, or every plan after
# the venue ended would show drift and every apply would undo OpenReview's own housekeeping.
ADDED_AT_CREATION_ONLY = frozenset({"active_venues"})

Resolver = Callable[[Any], Any]


@dataclass(frozen=True)
class PlanOptions:
    allow_delete: bool = False
    provisioning: bool = False  # the caller provisions the venue (may rewrite root-owned objects)
    now: int = 0  # the plan's moment (ms), to tell expired invitations from open ones


@dataclass(frozen=True)
class PlanTarget:
    """Where the plan is for, recorded in it (never credentials)."""

    target: str  # the server's base URL, or "sandbox <database>"
    timezone: str


def make_plan(desired: DesiredState, live: LiveState, *, resolve: Resolver, options: PlanOptions,
              target: PlanTarget, origin: PlanOrigin, requests: int = 0) -> Plan:
    """The changes that turn ``live`` into ``desired`` (``resolve`` fills in ``$file`` references);
    ``origin`` (the venue file and the options, as recorded in the plan) is carried, not read."""
    planner = _Planner(desired, live, resolve, options)
    changes, notes = planner.run()
    return Plan(venue_id=desired.venue_id, target=target.target, origin=origin, timezone=target.timezone,
                changes=tuple(changes), notes=tuple(notes), requests=requests)


def fingerprint(live: dict[str, Any] | None) -> str:
    """A digest of a live object as read (a second version token: tmdate alone cannot tell two edits
    in the same millisecond apart)."""
    if live is None:
        return "absent"
    text = json.dumps({k: v for k, v in live.items() if k != "details"}, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:32]


class _Planner:
    def __init__(self, desired: DesiredState, live: LiveState, resolve: Resolver, options: PlanOptions) -> None:
        self.desired = desired
        self.live = live
        self.resolve = resolve
        self.options = options
        self.venue_id = desired.venue_id
        self.chairs_group = next((o.id for o in desired.objects if o.stage == "roles.program_chairs"), None)
        self.ignored: list[str] = []  # "<address>: <paths>" that differ but the file leaves to people
        self.unremovable: list[str] = []  # "<address>: <paths>" of literal specifiers no edit removes

    def run(self) -> tuple[list[Change], list[str]]:
        changes = [c for c in (self._plan_object(o) for o in self.desired.objects) if c is not None]
        removals, managed_leftovers, retired, notes = self._plan_removals()
        changes += [c for c in removals if c.action is Action.EXPIRE]
        changes += reversed([c for c in removals if c.action is Action.DELETE])
        inventory = Inventory(
            managed=tuple(sorted({f"{o.kind} {o.id}" for o in self.desired.objects if not o.members_only}
                                 | managed_leftovers)),
            retired=tuple(sorted(retired)),
        )
        venue_will_exist = self.venue_id in self.live.groups or any(
            c.kind == "group" and c.id == self.venue_id for c in changes)
        if inventory != self.live.inventory and venue_will_exist:
            changes.append(self._inventory_change(inventory))
        notes += [f"not owned (lifecycle.ignore_changes), left as they are: {line}" for line in self.ignored]
        notes += [f"differs from the file but cannot be removed by an edit, so no change is planned (inside a "
                  f"param, {{\"delete\": true}} is a value, not a deletion); remove it by hand, or write it into the "
                  f"file: {line}" for line in self.unremovable]
        return changes, notes

    # -- desired objects ---------------------------------------------------------------------------
    def _plan_object(self, obj: DesiredObject) -> Change | None:
        body = self.resolve(obj.body)
        current = self.live.get(obj.kind, obj.id)
        if obj.members_only:
            return self._plan_membership(obj, body, current)
        provisioned = self._provisioned(obj)
        if current is None:
            fields = tuple(FieldChange(k, None, v, before_absent=True) for k, v in body.items() if k != "id")
            return self._change(obj, Action.CREATE, "not in OpenReview yet", current, fields, 0,
                                self._edit(obj.kind, body, root=provisioned, replacement=obj.replacement),
                                root=provisioned)
        if provisioned and obj.stage not in RAW_SECTIONS and (not self.options.provisioning or obj.kind == "group"):
            return None  # exists; provisioned by support, whose it is (parent groups are never rewritten)
        # (a raw object the file manages outside the venue is planned like any other, as a root change)
        comparison = compare(obj.kind, body, current)
        stuck = unremovable_specifiers(body, current) if obj.kind == "invitation" and not obj.replacement else []
        if stuck:
            self.unremovable.append(f"{obj.kind} {obj.id}: " + ", ".join(stuck))
        fields = [f for f in comparison.changes if f.path not in stuck]  # no edit can make them: noted instead
        patch = dict(comparison.patch)
        if obj.ignored:
            left = [f for f in fields if not _covered(f.path, obj.ignored)]
            if len(left) != len(fields):
                self.ignored.append(f"{obj.kind} {obj.id}: " + ", ".join(f.path for f in fields if f not in left))
            fields = left
            patch = _without(patch, obj.ignored)
            body = _with_live(body, current, obj.ignored)
        deleted = bool(current.get("ddate"))
        if deleted:
            patch["ddate"] = {"delete": True}
            fields.insert(0, FieldChange("ddate", current.get("ddate"), None, after_absent=True))
        reopened = self._reopened(obj, body, current)
        if reopened is not None:
            patch["expdate"] = {"delete": True}
            fields.append(reopened)
        if not fields:
            return None
        root = provisioned  # here: the meta invitation, while provisioning
        if obj.replacement and obj.kind == "invitation":
            edit_body = {**body, **({"ddate": {"delete": True}} if deleted else {})}
            edit = self._edit(obj.kind, edit_body, root=root, replacement=True)
        else:
            edit = self._edit(obj.kind, {"id": obj.id, **patch}, root=root, replacement=False)
        what = f"{len(fields)} field{'s' if len(fields) != 1 else ''} differ{'s' if len(fields) == 1 else ''}" \
               " from the configuration"
        if deleted:
            what = f"deleted in OpenReview; restoring it ({what})"
        elif reopened is not None:
            what = f"back in the configuration; re-opening it ({what})"
        return self._change(obj, Action.UPDATE, what, current, tuple(fields), comparison.unchanged,
                            edit, root=root)

    def _provisioned(self, obj: DesiredObject) -> bool:
        """Whether OpenReview support (a super user) must post this object: the root-owned ones,
        and the chairs' group while it is missing (until it exists nobody may act for the venue)."""
        if obj.via == "root" and obj.id != self.venue_id:
            return True
        if obj.id == self.venue_id:
            return self.live.get(obj.kind, obj.id) is None
        return obj.id == self.chairs_group and self.live.get(obj.kind, obj.id) is None

    def _reopened(self, obj: DesiredObject, body: dict[str, Any], current: dict[str, Any]) -> FieldChange | None:
        """An invitation venueops expired when it left the configuration, now back without an expdate
        of its own: its expiry is venueops', so it is removed."""
        if obj.kind != "invitation" or "expdate" in body or current.get("expdate") is None:
            return None
        if f"invitation {obj.id}" not in self.live.inventory.retired:
            return None
        return FieldChange("expdate", current["expdate"], None, after_absent=True)

    def _plan_membership(self, obj: DesiredObject, body: dict[str, Any],
                         current: dict[str, Any] | None) -> Change | None:
        have = set((current or {}).get("members") or [])
        missing = [m for m in body["members"] if m not in have]
        if not missing or (obj.id in ADDED_AT_CREATION_ONLY and self.venue_id in self.live.groups):
            return None
        patch = {"id": obj.id, "members": {"add": missing}}
        change = self._change(obj, Action.UPDATE if current else Action.CREATE,
                              f"the venue must be listed in OpenReview's {obj.id!r} group", current,
                              (FieldChange("members", None, missing, before_absent=True),), 0,
                              self._edit(obj.kind, patch, root=True, replacement=False), root=True)
        return replace(change, version=UNGUARDED, digest=UNGUARDED)

    def _change(self, obj: DesiredObject, action: Action, reason: str, current: dict[str, Any] | None,
                fields: tuple[FieldChange, ...], unchanged: int, edit: Edit, *, root: bool) -> Change:
        return Change(kind=obj.kind, id=obj.id, action=action, reason=reason, version=_version(current),
                      digest=fingerprint(current), fields=fields, unchanged=unchanged, edit=edit,
                      via="root" if root else "venue", source=str(obj.source) if obj.source else None,
                      stage=obj.stage)

    # -- objects that left the configuration -------------------------------------------------------
    def _plan_removals(self) -> tuple[list[Change], set[str], set[str], list[str]]:
        desired = {f"{o.kind} {o.id}" for o in self.desired.objects if not o.members_only}
        removals: list[Change] = []
        kept: set[str] = set()
        retired = {a for a in self.live.inventory.retired if a not in desired}
        notes: list[str] = []
        for address in self.live.inventory.managed:
            if address in desired:
                continue
            kind, object_id = split_address(address)
            current = self.live.get(kind, object_id)
            if current is None or current.get("ddate"):
                continue  # gone already
            if kind == "invitation":
                retired.add(address)
                if not _expired(current.get("expdate"), self.options.now):
                    removals.append(self._expire(current))
            elif self.options.allow_delete:
                removals.append(self._delete(current))
            else:
                kept.add(address)
                notes.append(f"group {object_id} is no longer in the configuration: it stays in OpenReview "
                             "(--allow-delete deletes it)")
        return removals, kept, retired, notes

    def _expire(self, current: dict[str, Any]) -> Change:
        """Expire an invitation that left the configuration. A super invitation's per-paper children
        are invitations of their own: the expiry goes into their template too, so that the server's
        fan-out (which re-posts the children after every change of the super invitation) closes the
        forms already handed out, not only the making of new ones."""
        fields = [FieldChange("expdate", current.get("expdate"), NOW, before_absent="expdate" not in current)]
        patch: dict[str, Any] = {"id": current["id"], "expdate": NOW}
        edit = current.get("edit")  # a template, or ``true`` on a meta invitation
        child = edit.get("invitation") if isinstance(edit, dict) else None
        if isinstance(child, dict) and not _expired(child.get("expdate"), self.options.now):
            fields.append(FieldChange("edit.invitation.expdate", child.get("expdate"), NOW,
                                      before_absent="expdate" not in child))
            patch["edit"] = {"invitation": {"expdate": NOW}}
        return Change(kind="invitation", id=current["id"], action=Action.EXPIRE,
                      reason="no longer in the configuration (OpenReview retires invitations by expiring them)",
                      version=_version(current), digest=fingerprint(current), fields=tuple(fields),
                      edit=self._edit("invitation", patch, root=False, replacement=False))

    def _delete(self, current: dict[str, Any]) -> Change:
        return Change(kind="group", id=current["id"], action=Action.DELETE,
                      reason="no longer in the configuration, and deletion was allowed (--allow-delete)",
                      version=_version(current), digest=fingerprint(current),
                      fields=(FieldChange("ddate", None, NOW, before_absent=True),),
                      edit=self._edit("group", {"id": current["id"], "ddate": NOW}, root=False, replacement=False))

    def _inventory_change(self, inventory: Inventory) -> Change:
        venue = self.live.groups.get(self.venue_id)
        recorded = venue is not None and INVENTORY_KEY in (venue.get("content") or {})
        before, after = self.live.inventory.to_value(), inventory.to_value()
        where = f"content.{INVENTORY_KEY}.value"
        if recorded:
            fields = tuple(FieldChange(f"{where}.{key}", before[key], after[key])
                           for key in after if before.get(key) != after[key])
        else:
            fields = (FieldChange(where, None, after, before_absent=True),)
        patch = {"id": self.venue_id, "content": {INVENTORY_KEY: {"value": after, "readers": [self.venue_id]}}}
        adopting = venue is not None and not recorded
        reason = (f"adopt the venue: record the {len(inventory.managed)} objects venueops manages from now on (the "
                  "venue's inventory, read by the next plan)" if adopting else
                  "record what venueops manages (the venue's inventory, read by the next plan)")
        return Change(kind="group", id=self.venue_id, action=Action.UPDATE, reason=reason,
                      version=_version(venue), digest=fingerprint(venue), fields=fields,
                      edit=self._edit("group", patch, root=False, replacement=False), stage="inventory")

    # -- edits -----------------------------------------------------------------------------------
    def _edit(self, kind: str, body: dict[str, Any], *, root: bool, replacement: bool) -> Edit:
        """A group or invitation edit: through the venue's meta invitation signed by the venue, or,
        for what support provisions, through OpenReview's root meta invitation signed by the super user."""
        venue_id = self.venue_id
        signer = SUPER_USER if root else venue_id
        if kind == "group":
            return Edit("/groups/edits", {"invitation": ROOT_META if root else f"{venue_id}/-/Edit",
                                          "signatures": [signer], "readers": [venue_id], "writers": [venue_id],
                                          "group": body})
        edit: dict[str, Any] = {"signatures": [signer], "readers": [venue_id], "writers": [venue_id],
                                "invitation": body}
        if not root:
            edit = {"invitations": f"{venue_id}/-/Edit", **edit}
        if replacement:
            edit["replacement"] = True
        return Edit("/invitations/edits", edit)


def _covered(path: str, ignored: tuple[str, ...]) -> bool:
    """Whether a field path is one the file leaves to people (a path covers everything under it)."""
    return any(path == rule or path.startswith(rule + ".") for rule in ignored)


def _without(patch: dict[str, Any], ignored: tuple[str, ...]) -> dict[str, Any]:
    """The patch with the ignored paths taken out (and objects they leave empty)."""
    def prune(node: Any, prefix: str) -> Any:
        if not isinstance(node, dict) or _is_marker(node):
            return node
        out = {}
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            if _covered(path, ignored):
                continue
            kept = prune(value, path)
            if isinstance(value, dict) and value and isinstance(kept, dict) and not kept:
                continue
            out[key] = kept
        return out
    return prune(patch, "")


def _with_live(body: dict[str, Any], live: dict[str, Any], ignored: tuple[str, ...]) -> dict[str, Any]:
    """A whole body (what a replacement posts) with the ignored paths as they are live."""
    out = copy.deepcopy(body)
    for rule in ignored:
        steps = rule.split(".")
        have: Any = live
        for step in steps:
            have = have.get(step, _ABSENT) if isinstance(have, dict) else _ABSENT
        node: Any = out
        for step in steps[:-1]:
            node = node.setdefault(step, {}) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        if have is _ABSENT:
            node.pop(steps[-1], None)
        else:
            node[steps[-1]] = copy.deepcopy(have)
    return out


_ABSENT = object()


def _is_marker(node: dict[str, Any]) -> bool:
    return set(node) <= {"delete", "param", "add", "append", "remove", "replace"} and bool(node) and (
        "delete" in node or "param" in node)


def _expired(expdate: Any, now: int) -> bool:
    """Whether a (literal) expdate has passed; a template value such as ``${...}`` never counts."""
    return isinstance(expdate, int) and not isinstance(expdate, bool) and expdate <= now


def _version(current: dict[str, Any] | None) -> str | int:
    if current is None:
        return "absent"
    tmdate = current.get("tmdate")
    return tmdate if isinstance(tmdate, int) else "unknown"
