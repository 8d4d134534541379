"""One writer at a time: a lease on the server that ``apply`` and ``reconcile --mode heal`` hold while
they post a venue's edits.

OpenReview has no compare-and-swap, so the lock is built on what it does enforce atomically: an
invitation's ``maxReplies`` (notes/api-v2.md §4.1 step 7; openreview-py's own
``test_submission_limits.py::test_max_replies_race_condition`` fires two posts at once and expects
exactly one through). The venue gets an invitation ``<venue>/-/Venueops_Lock`` with ``maxReplies: 1``;
taking the lock is posting a note through it, signed as the venue; releasing it is deleting that note.

Why it is safe:
- ``maxReplies`` counts the live notes of the invitation with the same signature, and every holder
  signs as the venue, so at most one lock note is live: of two writers posting at once, one is
  refused ("You have reached the maximum number (1) of replies"), whatever machine it runs on.
- The note says who holds it and until when (``expires``, epoch ms on the writer's clock: the sandbox's
  own clock on the sandbox). A crashed holder's note is taken over once it has expired: the next
  writer deletes that note (by its id, so a fresh lock posted meanwhile is never touched) and posts
  its own, again through ``maxReplies``.
- A writer that gets the lock plans against version tokens taken before it: apply refuses the plan
  as stale if another writer changed the venue meanwhile, so nothing is posted twice.

What it assumes: OpenReview's ``maxReplies`` check and the note's creation are atomic (as its own test
says); writers' clocks agree to well within the lease (``LEASE_MS``); an apply finishes within the
lease (it is not renewed). A venue's first apply, before its meta invitation exists, is not locked;
it creates the lock's invitation once it succeeded (a venue applied before locks existed gets it on
its first locked apply).
``venueops force-unlock VENUE`` deletes the lock note, as ``terraform force-unlock`` does.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from venueops.api.client import ApiClient, ApiError
from venueops.apply.venue_notes import create_note_invitation, note_edit
from venueops.config.dates import format_ms
from venueops.errors import VenueOpsError

LEASE_MS = 30 * 60 * 1000


class LockHeld(VenueOpsError):
    """Another writer holds the venue's lock: nothing was applied."""


@dataclass(frozen=True)
class LockNote:
    note_id: str
    holder: str
    expires: int


def lock_invitation_id(venue_id: str) -> str:
    return f"{venue_id}/-/Venueops_Lock"


def holder_label(operation: str) -> str:
    """Who holds the lock, for the message another writer sees: the command, host and process."""
    return f"venueops {operation} on {socket.gethostname()} (process {os.getpid()})"


@contextmanager
def venue_lock(client: ApiClient, venue_id: str, *, operation: str, now: Callable[[], int],
               lease_ms: int = LEASE_MS) -> Iterator[LockNote]:
    """Hold the venue's lock for the block; raise ``LockHeld`` (nothing done) when another writer has it."""
    held = acquire(client, venue_id, holder=holder_label(operation), now=now(), lease_ms=lease_ms)
    try:
        yield held
    finally:
        release(client, venue_id, held.note_id)


def acquire(client: ApiClient, venue_id: str, *, holder: str, now: int, lease_ms: int = LEASE_MS) -> LockNote:
    try:
        return _post_lock(client, venue_id, holder, now + lease_ms)
    except ApiError as error:
        if error.status == 404 and "Invitation" in error.message:
            create_lock_invitation(client, venue_id)
            return _acquire_after_refusal(client, venue_id, holder, now, lease_ms)
        if not _is_max_replies(error):
            raise
    return _acquire_after_refusal(client, venue_id, holder, now, lease_ms)


def _acquire_after_refusal(client: ApiClient, venue_id: str, holder: str, now: int, lease_ms: int) -> LockNote:
    for _ in range(2):
        current = current_lock(client, venue_id)
        if current is not None and current.expires > now:
            raise LockHeld(f"nothing was applied: {venue_id} is being changed by {current.holder} (its lock lasts "
                           f"until {format_ms(current.expires)}). Run again once it is done, or, if that writer is "
                           f"gone, `venueops force-unlock {venue_id}`.")
        if current is not None:
            release(client, venue_id, current.note_id)  # expired: a crashed holder's lease
        try:
            return _post_lock(client, venue_id, holder, now + lease_ms)
        except ApiError as error:
            if not _is_max_replies(error):
                raise
    raise LockHeld(f"nothing was applied: another writer took the lock of {venue_id} first; run again")


def release(client: ApiClient, venue_id: str, note_id: str) -> None:
    """Delete the lock note ``note_id`` (by its id: a lock taken since by another writer is not touched)."""
    client.post("/notes/edits", _lock_edit(venue_id, {"id": note_id, "ddate": 1}))


def current_lock(client: ApiClient, venue_id: str) -> LockNote | None:
    """The live lock note of the venue, or None."""
    notes = client.get("/notes", {"invitation": lock_invitation_id(venue_id)}).get("notes") or []
    live = [n for n in notes if not n.get("ddate")]
    if not live:
        return None
    note = live[0]
    content = note.get("content") or {}
    return LockNote(str(note["id"]), str((content.get("holder") or {}).get("value", "another writer")),
                    int((content.get("expires") or {}).get("value") or 0))


def force_unlock(client: ApiClient, venue_id: str) -> LockNote | None:
    """Delete the venue's lock note, whoever holds it; the note deleted, or None when there was none."""
    try:
        current = current_lock(client, venue_id)
    except ApiError as error:
        if error.status == 404:
            return None
        raise
    if current is not None:
        release(client, venue_id, current.note_id)
    return current


def _post_lock(client: ApiClient, venue_id: str, holder: str, expires: int) -> LockNote:
    answer = client.post("/notes/edits", _lock_edit(venue_id, {
        "content": {"holder": {"value": holder}, "expires": {"value": expires}}}))
    return LockNote(str(answer["note"]["id"]), holder, expires)


def _lock_edit(venue_id: str, note: dict[str, Any]) -> dict[str, Any]:
    return note_edit(venue_id, lock_invitation_id(venue_id), note)


def create_lock_invitation(client: ApiClient, venue_id: str) -> None:
    """The lock's invitation: at most one live note (``maxReplies: 1``)."""
    create_note_invitation(
        client, venue_id, lock_invitation_id(venue_id), max_replies=1,
        description="venueops' write lock: at most one live note, held while a venueops apply posts edits.",
        content={"holder": {"type": "string", "maxLength": 500, "optional": True},
                 "expires": {"type": "integer", "optional": True}})


def _is_max_replies(error: ApiError) -> bool:
    return "maximum number" in error.message
