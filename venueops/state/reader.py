"""The live objects a plan compares with, read in as few requests as possible.

Only what the configuration manages is read, by id, in batches: the desired groups (which include
the venue group and its inventory of what venueops manages), then the desired invitations together
with those the inventory lists (so removed stages can be expired), and the inventory's other groups.
Soft-deleted and expired objects are included, so a plan can restore or leave them. A venue's
per-paper objects are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from venueops.api.client import ApiClient
from venueops.compile.model import DesiredState

INVENTORY_KEY = "venueops_inventory"


@dataclass
class LiveState:
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    invitations: dict[str, dict[str, Any]] = field(default_factory=dict)
    inventory: tuple[str, ...] = ()  # addresses ("group ID", "invitation ID") venueops managed last time

    def get(self, kind: str, object_id: str) -> dict[str, Any] | None:
        return (self.groups if kind == "group" else self.invitations).get(object_id)


def inventory_of(venue_group: dict[str, Any] | None) -> tuple[str, ...]:
    if not venue_group:
        return ()
    entry = (venue_group.get("content") or {}).get(INVENTORY_KEY)
    value = entry.get("value") if isinstance(entry, dict) else None
    if isinstance(value, dict) and isinstance(value.get("objects"), list):
        return tuple(str(v) for v in value["objects"])
    return ()


def read_live(client: ApiClient, desired: DesiredState) -> LiveState:
    state = LiveState()
    group_ids = desired.ids("group")
    for group in client.get_by_ids("groups", group_ids, trash=True):
        state.groups[group["id"]] = group
    state.inventory = inventory_of(state.groups.get(desired.venue_id))
    managed_invitations = set(desired.ids("invitation")) | {a.split(" ", 1)[1] for a in state.inventory
                                                             if a.startswith("invitation ")}
    for invitation in client.get_by_ids("invitations", managed_invitations, expired=True, trash=True):
        state.invitations[invitation["id"]] = invitation
    other_groups = {a.split(" ", 1)[1] for a in state.inventory if a.startswith("group ")} - set(state.groups)
    if other_groups:
        for group in client.get_by_ids("groups", other_groups, trash=True):
            state.groups[group["id"]] = group
    return state
