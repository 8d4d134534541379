"""The state every backend service shares: the store, the clock, and permission answers.

``World`` also answers the questions template checks ask (``TemplateContext``) and holds the rule
for which domain a new object belongs to.
"""

from __future__ import annotations

from typing import Any

from venueops.sandbox import ids
from venueops.sandbox.access import SUPER_GROUP, Access, is_deleted
from venueops.sandbox.clock import Clock
from venueops.sandbox.runtime.host import Processes
from venueops.sandbox.runtime.runtime import RuntimeSettings
from venueops.sandbox.store import Store
from venueops.sandbox.verification import RateGate

ROOT_META_INVITATION = f"{SUPER_GROUP}/-/Edit"


def _no_token() -> str:
    raise RuntimeError("processes are off")


class World:
    def __init__(self, store: Store, clock: Clock, processes: Processes | None = None) -> None:
        self.store = store
        self.clock = clock
        self.access = Access(store, clock)
        # the venue's own code (runtime/): told of every stored edit and saved invitation
        self.processes = processes if processes is not None else Processes(store, clock, _no_token,
                                                                            RuntimeSettings(enabled=False))
        # who has posted how much lately, for the human-verification gate (verification.py)
        self.verification = RateGate()

    def now(self) -> int:
        return self.clock.now()

    def deleted(self, obj: dict[str, Any]) -> bool:
        return is_deleted(obj, self.now())

    # -- TemplateContext -----------------------------------------------------------------------
    def profile_exists(self, profile_id: str) -> bool:
        return self.store.get_profile(profile_id) is not None

    def is_member(self, member: str, group_id: str) -> bool:
        return self.access.is_member(member, group_id)

    def has_invitation(self, object_id: str, invitation_id: str) -> bool:
        for getter in (self.store.get_note, self.store.get_edge, self.store.get_tag):
            found = getter(object_id)
            if found is not None:
                invitations = found.get("invitations") or [found.get("invitation")]
                return invitation_id in invitations
        for getter in (self.store.get_group, self.store.get_invitation):
            found = getter(object_id)
            if found is not None:
                return invitation_id in (found.get("invitations") or [])
        return False

    def live_note_forum(self, note_id: str) -> str | None:
        """The forum of a live note (``""`` for a note without one), or None when there is none."""
        found = self.store.note_forum(note_id)
        if found is None or (found[1] is not None and found[1] <= self.now()):
            return None
        return found[0] or ""

    def find_note(self, note_id: str) -> dict[str, Any] | None:
        note = self.store.get_note(note_id)
        return None if note is None or self.deleted(note) else note

    def lookup_entity(self, object_id: str) -> dict[str, Any] | None:
        """For ``${{…}/field}`` references: the note (or group, or invitation) with that id."""
        return self.store.get_note(object_id) or self.store.get_group(object_id) or self.store.get_invitation(
            object_id
        )

    # -- domains -------------------------------------------------------------------------------
    def root_domain(self, object_id: str, *, pending_meta: str | None = None) -> str:
        """Domain of an object created through the root meta invitation (or with no invitation).

        FIDELITY: the sources only show that venue objects carry the venue id as their domain,
        including the venue group itself, and that registry groups (``venues``, ``host``) stay with
        ``openreview.net``. Rule: the object belongs to the closest enclosing venue, that is the
        longest path prefix P of its id (the id itself included, for groups) that has its own
        ``P/-/Edit`` meta invitation; otherwise to ``openreview.net``.
        """
        base = ids.invitation_prefix(object_id) if ids.is_invitation_id(object_id) else object_id
        for prefix in ids.path_ancestors(base):
            meta_id = f"{prefix}/-/Edit"
            if meta_id == pending_meta:
                return prefix
            meta = self.store.get_invitation(meta_id)
            if meta is not None and meta.get("edit") is True and not self.deleted(meta):
                return prefix
        return SUPER_GROUP

    @staticmethod
    def within_domain(object_id: str, domain: str) -> bool:
        return object_id == domain or object_id.startswith(domain + "/")
