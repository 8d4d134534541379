"""Notes venueops keeps for itself in a venue (its write lock, the drift it told the chairs about):
each kind through an invitation of its own, readable and writable by the venue only, created through
the venue's meta invitation, and every note signed as the venue."""

from __future__ import annotations

from typing import Any

from venueops.api.client import ApiClient

MAX_DATE = 9_999_999_999_999


def note_edit(venue_id: str, invitation_id: str, note: dict[str, Any]) -> dict[str, Any]:
    """The body of a note edit through ``invitation_id``, signed as the venue (``note`` holds ``content``,
    or ``id`` and ``ddate`` to delete one)."""
    return {"invitation": invitation_id, "signatures": [venue_id], "readers": [venue_id], "writers": [venue_id],
            "note": {"signatures": [venue_id], "readers": [venue_id], "writers": [venue_id], **note}}


def create_note_invitation(client: ApiClient, venue_id: str, invitation_id: str, *, description: str,
                           content: dict[str, Any], max_replies: int | None = None) -> None:
    """The invitation for one kind of venueops' notes, through the venue's meta invitation (posting it
    again is harmless). ``content``: field name → its ``param``."""
    invitation: dict[str, Any] = {
        "id": invitation_id, "invitees": [venue_id], "readers": [venue_id], "writers": [venue_id],
        "signatures": [venue_id], "description": description,
        "edit": {
            "signatures": [venue_id], "readers": [venue_id], "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": invitation_id, "optional": True}},
                "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
                "signatures": [venue_id], "readers": [venue_id], "writers": [venue_id],
                "content": {name: {"value": {"param": param}} for name, param in content.items()},
            },
        },
    }
    if max_replies is not None:
        invitation["maxReplies"] = max_replies
    client.post("/invitations/edits", {"invitations": f"{venue_id}/-/Edit", "signatures": [venue_id],
                                       "readers": [venue_id], "writers": [venue_id], "invitation": invitation})
