"""Reading a venue back: its group, then its venue-level groups and invitations; never its per-paper ones.

A venue venueops applied names what it manages in the venue group (its inventory): those objects are
read by id, three requests in all. A venue made otherwise (openreview-py's builder, the venue request
form) has no inventory; its venue-level objects are found from the venue group instead, five requests:

1. the venue group (``GET /groups?id=``);
2. the invitations directly under the venue (``prefix=<venue>/-/``, expired and trashed ones too);
3. by id: every invitation the venue group's content names (``*_id`` keys), and the invitations the
   stages make under each committee (``<committee>/-/Bid``, ``/-/Message``, …);
4. the groups directly under the venue except the per-paper ones (``prefix`` is a regular expression
   anchored at the start, on OpenReview as in the sandbox: ``<venue>/(?!Submission[0-9]+$)[^/]+$``);
5. by id: the groups the content names that lie deeper (``Authors/Accepted``), the venue's ancestors
   and OpenReview's registries (``venues``, ``active_venues``, ``host``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from venueops.api.client import ApiClient, ApiError
from venueops.apply.lock import lock_invitation_id
from venueops.errors import VenueOpsError
from venueops.reconcile.warn import warning_invitation_id
from venueops.state.reader import Inventory, LiveState, split_address

# OpenReview's registries that list the venue (the plan compares the venue's membership in each)
REGISTRY_GROUPS = ("venues", "active_venues", "host")
# what the stages make under a committee group (``<committee>/-/<name>``)
COMMITTEE_INVITATIONS = ("Bid", "Message", "Submission_Group", "Submission_Message")


class ExportError(VenueOpsError):
    """The venue cannot be exported: unknown, not a venue, or not readable."""


@dataclass
class VenueRead:
    """What was read: the live objects, and the addresses of the venue's own (what the file must account
    for: the inventory's, or every venue-level object found when there is no inventory)."""

    live: LiveState
    managed: tuple[str, ...]
    adopted: bool  # True: no inventory was found, the venue is being adopted


def read_venue(client: ApiClient, venue_id: str) -> VenueRead:
    """The venue group and its venue-level objects (soft-deleted and expired ones included)."""
    venue_group = _venue_group(client, venue_id)
    inventory = Inventory.of(venue_group)
    if inventory.managed:
        return _by_inventory(client, venue_group, inventory)
    return _discovered(client, venue_group)


def _venue_group(client: ApiClient, venue_id: str) -> dict[str, Any]:
    who = client.identity.profile_id if client.identity else "a guest"
    try:
        found = client.get("/groups", {"id": venue_id})
    except ApiError as error:
        if error.status == 404:
            raise ExportError(f"there is no group {venue_id}: check the venue id") from None
        if error.status == 403:
            raise ExportError(f"the venue group {venue_id} exists but {who} may not read it: export with the "
                              "account of one of its program chairs") from None
        raise
    groups = found.get("groups") or []
    if not groups:
        raise ExportError(f"there is no group {venue_id}: check the venue id")
    content = groups[0].get("content") or {}
    if "submission_id" not in content:
        raise ExportError(f"the group {venue_id} is not a venue: its content names no submission invitation")
    return groups[0]


def _by_inventory(client: ApiClient, venue_group: dict[str, Any], inventory: Inventory) -> VenueRead:
    venue_id = venue_group["id"]
    state = LiveState(inventory=inventory)
    state.groups[venue_id] = venue_group
    addresses = [split_address(a) for a in inventory.addresses]
    group_ids = ({i for k, i in addresses if k == "group"} | set(REGISTRY_GROUPS)) - {venue_id}
    invitation_ids = {i for k, i in addresses if k == "invitation"}
    for group in client.get_by_ids("groups", group_ids, trash=True):
        state.groups[group["id"]] = group
    for invitation in client.get_by_ids("invitations", invitation_ids, expired=True, trash=True):
        state.invitations[invitation["id"]] = invitation
    return VenueRead(state, inventory.managed, adopted=False)


def _discovered(client: ApiClient, venue_group: dict[str, Any]) -> VenueRead:
    venue_id = venue_group["id"]
    content = venue_group.get("content") or {}
    named = [v for v in (_value(content, key) for key in sorted(content) if key.endswith("_id"))
             if isinstance(v, str) and v.startswith(venue_id + "/")]
    committees = [v for v in named if "/-/" not in v and v.count("/") == venue_id.count("/") + 1]
    state = LiveState()
    state.groups[venue_id] = venue_group
    managed: list[str] = []
    under = re.escape(venue_id)
    own = {lock_invitation_id(venue_id), warning_invitation_id(venue_id)}  # venueops' notes, not the venue's
    for invitation in client.pages("invitations", {"prefix": f"{under}/-/", "expired": True, "trash": True}):
        if invitation["id"] not in own:
            state.invitations[invitation["id"]] = invitation
    wanted = {v for v in named if "/-/" in v} | {f"{c}/-/{name}" for c in committees for name in COMMITTEE_INVITATIONS}
    for invitation in client.get_by_ids("invitations", wanted - set(state.invitations), expired=True, trash=True):
        state.invitations[invitation["id"]] = invitation
    # the meta invitation is read by the venue alone (its program chairs): without it, so much is hidden
    # that the file would not be the venue's
    meta_id = _value(content, "meta_invitation_id") or _value(content, "submission_id")
    if meta_id not in state.invitations:
        who = client.identity.profile_id if client.identity else "a guest"
        raise ExportError(f"{who} cannot read the venue {venue_id}'s own invitations ({meta_id} is hidden): "
                          "export with the account of one of its program chairs")
    paper = re.escape(str(_value(content, "submission_name") or "Submission"))
    for group in client.pages("groups", {"prefix": f"{under}/(?!{paper}[0-9]+$)[^/]+$", "trash": True}):
        state.groups[group["id"]] = group
    parts = venue_id.split("/")
    ancestors = {"/".join(parts[:i]) for i in range(1, len(parts))}
    deeper = {v for v in named if "/-/" not in v} - set(state.groups)
    for group in client.get_by_ids("groups", deeper | ancestors | set(REGISTRY_GROUPS), trash=True):
        state.groups[group["id"]] = group
    outside = ancestors | set(REGISTRY_GROUPS)
    managed += [f"group {i}" for i in sorted(state.groups) if i not in outside]
    managed += [f"invitation {i}" for i in sorted(state.invitations)]
    return VenueRead(state, tuple(managed), adopted=True)


def _value(content: dict[str, Any], key: str) -> Any:
    entry = content.get(key)
    return entry.get("value") if isinstance(entry, dict) else None
