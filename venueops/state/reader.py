"""The live objects a plan compares with, read in as few requests as possible.

Only what the configuration manages is read, by id, in batches: the desired groups (which include
the venue group and its inventory of what venueops manages), then the desired invitations together
with those the inventory lists (so removed stages can be expired), and the inventory's other groups.
Soft-deleted and expired objects are included, so a plan can restore or leave them. A venue's
per-paper objects are never listed.

The inventory is a content key of the venue group, readable by the venue only::

    "venueops_inventory": {"value": {"format": 1, "managed": ["group V/Reviewers", ...],
                                     "retired": ["invitation V/-/Rebuttal", ...]},
                           "readers": ["V"]}

``managed`` is what the configuration described at the last apply; ``retired`` the invitations
venueops expired because they left the configuration (remembered so that adding the stage back
re-opens them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from venueops.api.client import ApiClient, ApiError
from venueops.compile.model import DesiredState
from venueops.errors import VenueOpsError

INVENTORY_KEY = "venueops_inventory"
INVENTORY_FORMAT = 1


@dataclass(frozen=True)
class Inventory:
    managed: tuple[str, ...] = ()  # addresses: "group ID", "invitation ID"
    retired: tuple[str, ...] = ()

    def to_value(self) -> dict[str, Any]:
        return {"format": INVENTORY_FORMAT, "managed": list(self.managed), "retired": list(self.retired)}

    @property
    def addresses(self) -> tuple[str, ...]:
        return self.managed + self.retired

    @classmethod
    def of(cls, venue_group: dict[str, Any] | None) -> Inventory:
        """The inventory stored in the venue group (empty when there is none or it is unreadable)."""
        if not venue_group:
            return cls()
        entry = (venue_group.get("content") or {}).get(INVENTORY_KEY)
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, dict):
            return cls()

        def addresses(key: str) -> tuple[str, ...]:
            items = value.get(key)
            return tuple(str(v) for v in items) if isinstance(items, list) else ()

        return cls(addresses("managed"), addresses("retired"))


@dataclass
class LiveState:
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    invitations: dict[str, dict[str, Any]] = field(default_factory=dict)
    inventory: Inventory = field(default_factory=Inventory)

    def get(self, kind: str, object_id: str) -> dict[str, Any] | None:
        return (self.groups if kind == "group" else self.invitations).get(object_id)


def split_address(address: str) -> tuple[str, str]:
    kind, object_id = address.split(" ", 1)
    return kind, object_id


class UnreadableVenue(VenueOpsError):
    """The venue exists but the caller may not read it: a plan would wrongly propose to create it."""


def _check_readable(client: ApiClient, venue_id: str) -> None:
    """Lists leave out what the caller may not read, so a venue group missing from the answer may be
    absent or hidden. Asking for it alone tells them apart (404 vs 403), at one request, only then."""
    try:
        client.get("/groups", {"id": venue_id})
    except ApiError as error:
        if error.status == 403:
            who = client.identity.profile_id if client.identity else "a guest"
            raise UnreadableVenue(f"the venue group {venue_id} exists but {who} may not read it: plan and apply "
                                  "with the account of one of its program chairs") from None
        if error.status != 404:
            raise


def read_live(client: ApiClient, desired: DesiredState) -> LiveState:
    """Read what ``desired`` manages, plus what the inventory remembers: 2 requests for a venue
    whose ids fit one URL per kind, a third when the inventory names groups the file no longer has."""
    state = LiveState()
    for group in client.get_by_ids("groups", desired.ids("group"), trash=True):
        state.groups[group["id"]] = group
    if desired.venue_id not in state.groups:
        _check_readable(client, desired.venue_id)
    state.inventory = Inventory.of(state.groups.get(desired.venue_id))
    remembered = [split_address(a) for a in state.inventory.addresses]
    invitation_ids = set(desired.ids("invitation")) | {i for k, i in remembered if k == "invitation"}
    for invitation in client.get_by_ids("invitations", invitation_ids, expired=True, trash=True):
        state.invitations[invitation["id"]] = invitation
    other_groups = {i for k, i in remembered if k == "group"} - set(state.groups)
    if other_groups:
        for group in client.get_by_ids("groups", other_groups, trash=True):
            state.groups[group["id"]] = group
    return state
