"""Reading a venue back: its group, then every object its venueops inventory names, by id.

Three requests for a venue whose ids fit one URL per kind (the venue group alone, then the managed
groups, then the managed invitations); a venue's per-paper objects are never listed.
"""

from __future__ import annotations

from venueops.api.client import ApiClient, ApiError
from venueops.errors import VenueOpsError
from venueops.state.reader import Inventory, LiveState, split_address

# OpenReview's registries that list the venue (the plan compares the venue's membership in each)
REGISTRY_GROUPS = ("venues", "active_venues", "host")


class ExportError(VenueOpsError):
    """The venue cannot be exported: unknown, not a venue venueops manages, or not readable."""


def read_venue(client: ApiClient, venue_id: str) -> LiveState:
    """The venue group and the objects of its inventory (soft-deleted and expired ones included)."""
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
    venue_group = groups[0]
    content = venue_group.get("content") or {}
    if "submission_id" not in content:
        raise ExportError(f"the group {venue_id} is not a venue: its content names no submission invitation")
    inventory = Inventory.of(venue_group)
    if not inventory.managed:
        raise ExportError(f"the venue {venue_id} has no venueops inventory readable by {who}: only venues that "
                          "venueops applied can be exported yet (read by one of its program chairs)")
    state = LiveState(inventory=inventory)
    state.groups[venue_id] = venue_group
    addresses = [split_address(a) for a in inventory.addresses]
    group_ids = ({i for k, i in addresses if k == "group"} | set(REGISTRY_GROUPS)) - {venue_id}
    invitation_ids = {i for k, i in addresses if k == "invitation"}
    for group in client.get_by_ids("groups", group_ids, trash=True):
        state.groups[group["id"]] = group
    for invitation in client.get_by_ids("invitations", invitation_ids, expired=True, trash=True):
        state.invitations[invitation["id"]] = invitation
    return state
