"""``reconcile --mode warn``: tell a venue's program chairs about drift, at most once per distinct drift.

A drift is told by its fingerprint: the object, the fields that differ and the edit that made them
(``fingerprint``). What was told is remembered on the server, so reconcilers on several hosts agree:
one note per told drift, through ``<venue>/-/Venueops_Warning`` (created on first use through the
venue's meta invitation, readable by the venue only). Telling happens under the venue's write lock
(``venueops.apply.lock``), so two warn runs at once cannot both send the same news.

The message goes through OpenReview's messages API (``POST /messages/requests``, as openreview-py's
``post_message`` sends it, through the venue's meta invitation, signed as the venue) to the program
chairs' group, with the venue's contact as the reply-to address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from venueops.api.client import ApiClient, ApiError
from venueops.apply.lock import venue_lock
from venueops.apply.venue_notes import create_note_invitation, note_edit
from venueops.config.validate import VenueConfig
from venueops.reconcile.findings import Finding


def warning_invitation_id(venue_id: str) -> str:
    return f"{venue_id}/-/Venueops_Warning"


def fingerprint(finding: Finding) -> str:
    edit = finding.last_edit.edit_id if finding.last_edit is not None else ""
    fields = ",".join(sorted(f.path for f in finding.change.fields))
    return hashlib.sha256(f"{finding.change.address}|{fields}|{edit}".encode()).hexdigest()[:32]


def warn_chairs(client: ApiClient, config: VenueConfig, chairs_group: str, drifts: list[Finding], *,
                now: Callable[[], int]) -> int:
    """Send one message about the drifts not told before; the number of drifts told now."""
    venue_id = config.spec.venue.id
    if not drifts:
        return 0
    with venue_lock(client, venue_id, operation="reconcile --mode warn", now=now):
        told = _told(client, venue_id)
        new = [d for d in drifts if fingerprint(d) not in told]
        if not new:
            return 0
        venue = config.spec.venue
        lines = [f"- {d.change.address}: {d.reason}" for d in new]
        text = ("Dear {{fullname}},\n\n"
                f"venueops found {len(new)} change(s) to {venue.short_name or venue_id} made outside its venue "
                f"file ({config.file}). The file still says otherwise; until it is updated, or the changes are "
                "undone, a heal with --on-drift restore would put the file's values back.\n\n"
                + "\n".join(lines) + "\n\nThis message is sent once per change.")
        client.post("/messages/requests", {
            "invitation": f"{venue_id}/-/Edit", "signature": venue_id, "groups": [chairs_group],
            "subject": f"[{venue.short_name or venue_id}] venueops: {len(new)} change(s) made outside the venue file",
            "message": text, "replyTo": venue.contact})
        for drift in new:
            _remember(client, venue_id, drift)
        return len(new)


def _told(client: ApiClient, venue_id: str) -> set[str]:
    try:
        notes = client.get("/notes", {"invitation": warning_invitation_id(venue_id)}).get("notes") or []
    except ApiError as error:
        if error.status == 404:
            return set()
        raise
    return {str(((n.get("content") or {}).get("fingerprint") or {}).get("value")) for n in notes}


def _remember(client: ApiClient, venue_id: str, drift: Finding) -> None:
    edit = note_edit(venue_id, warning_invitation_id(venue_id), {
        "content": {"fingerprint": {"value": fingerprint(drift)}, "summary": {"value": drift.reason[:2000]}}})
    try:
        client.post("/notes/edits", edit)
    except ApiError as error:
        if not (error.status == 404 and "Invitation" in error.message):
            raise
        create_note_invitation(
            client, venue_id, warning_invitation_id(venue_id),
            description="venueops' memory of the drift it told the program chairs about (one note each).",
            content={"fingerprint": {"type": "string", "maxLength": 64},
                     "summary": {"type": "string", "maxLength": 2000}})
        client.post("/notes/edits", edit)
