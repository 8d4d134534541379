"""Who is asking, and what they may read, sign and use (notes/api-v2.md §5).

A caller is a guest or a user. A user's identities are their profile usernames (tilde ids), their
confirmed e-mails and their login id. Membership is transitive over group ``members`` (the graph
may have cycles: a tilde group lists its e-mails and each e-mail group lists the tilde id).

Special groups: ``everyone`` admits anybody, ``~`` any logged-in user, ``(guest)`` is the identity
of an unauthenticated caller. The super user (login ``openreview.net``, profile ``~Super_User1``)
passes every check.

Reading: readable iff the caller is in ``readers`` and not in ``nonreaders`` (nonreaders win).
For groups, writers may read too (openreview-py's venue builder relies on it: "a writer of a group
can read it"). Content fields with their own ``readers`` are hidden field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from venueops.sandbox.clock import Clock
from venueops.sandbox.store import Store

SUPER_USER_LOGIN = "openreview.net"
SUPER_USER_PROFILE = "~Super_User1"
SUPER_GROUP = "openreview.net"
EVERYONE = "everyone"
LOGGED_IN = "~"
GUEST = "(guest)"
ANONYMOUS = "(anonymous)"


@dataclass(frozen=True)
class Caller:
    """The identity behind a request."""

    login: str | None
    profile_id: str | None
    identities: frozenset[str]
    name: str
    is_super: bool = False
    groups: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def is_guest(self) -> bool:
        return self.login is None

    @property
    def user_label(self) -> str:
        """What error ``details.user`` carries: the profile id, or ``guest_…`` for a guest."""
        return self.profile_id or "guest_sandbox"


GUEST_CALLER = Caller(login=None, profile_id=None, identities=frozenset({GUEST}), name="Guest",
                      groups=frozenset({EVERYONE, GUEST}))


class Access:
    """Permission questions answered against the store (transitive closures cached per version)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._closure_cache: dict[tuple[frozenset[str], int], frozenset[str]] = {}

    # -- membership ----------------------------------------------------------------------------
    def closure(self, start: frozenset[str]) -> frozenset[str]:
        """``start`` plus every group that (transitively) lists one of them as a member."""
        key = (start, self.store.membership_version)
        cached = self._closure_cache.get(key)
        if cached is not None:
            return cached
        seen = set(start)
        frontier = set(start)
        now = self.clock.now()
        while frontier:
            parents = self.store.groups_with_members(frontier, now) - seen
            seen |= parents
            frontier = parents
        result = frozenset(seen)
        if len(self._closure_cache) > 10_000:
            self._closure_cache.clear()
        self._closure_cache[key] = result
        return result

    def with_groups(self, caller: Caller) -> Caller:
        """The caller with ``groups`` filled in (identities, their closure, and the specials)."""
        if caller.is_guest:
            return GUEST_CALLER
        groups = self.closure(caller.identities) | {EVERYONE, LOGGED_IN}
        return Caller(caller.login, caller.profile_id, caller.identities, caller.name, caller.is_super,
                      frozenset(groups))

    def is_member(self, member: str, group_id: str) -> bool:
        """Is ``member`` (a group, profile or e-mail id) transitively in ``group_id``?"""
        if group_id == EVERYONE:
            return True
        if group_id == LOGGED_IN:
            return member.startswith("~") or "@" in member
        return group_id in self.closure(frozenset({member}))

    # -- reading -------------------------------------------------------------------------------
    def in_list(self, caller: Caller, groups: list[str] | None) -> bool:
        if not groups:
            return False
        return any(g in caller.groups for g in groups)

    def can_read(self, caller: Caller, obj: dict[str, Any], *, writers_read: bool = False) -> bool:
        if caller.is_super:
            return True
        nonreaders = obj.get("nonreaders")
        if nonreaders and any(g in caller.groups for g in nonreaders if g != EVERYONE):
            return False
        if self.in_list(caller, obj.get("readers")):
            return True
        return writers_read and self.in_list(caller, obj.get("writers"))

    def can_write(self, caller: Caller, obj: dict[str, Any]) -> bool:
        return caller.is_super or self.in_list(caller, obj.get("writers"))

    def visible_content(self, caller: Caller, content: dict[str, Any] | None) -> dict[str, Any] | None:
        """Content without the fields whose own ``readers`` exclude the caller."""
        if content is None or caller.is_super:
            return content
        out: dict[str, Any] = {}
        for key, value in content.items():
            readers = value.get("readers") if isinstance(value, dict) else None
            if isinstance(readers, list) and not self.in_list(caller, readers):
                continue
            out[key] = value
        return out

    # -- signing -------------------------------------------------------------------------------
    def can_sign(self, caller: Caller, signature: str) -> bool:
        if caller.is_super:
            return True
        if caller.is_guest:
            return signature == GUEST
        if signature in caller.identities:
            return True
        group = self.store.get_group(signature)
        if group is None or _deleted(group, self.clock.now()):
            return False
        return self.in_list(caller, group.get("signatories"))

    def signable_groups(self, member: str) -> set[str]:
        """Groups that ``member`` may sign as (for ``GET /groups?signatory=``)."""
        groups = self.closure(frozenset({member}))
        found = self.store.groups_with_signatories(groups, self.clock.now())
        if member.startswith("~") or "@" in member:
            found.add(member)
        return found

    # -- invitations ---------------------------------------------------------------------------
    def is_invitee(self, caller: Caller, invitation: dict[str, Any]) -> bool:
        if caller.is_super:
            return True
        noninvitees = invitation.get("noninvitees")
        if noninvitees and any(g in caller.groups for g in noninvitees if g not in (EVERYONE, LOGGED_IN)):
            return False
        return self.in_list(caller, invitation.get("invitees"))


def _deleted(obj: dict[str, Any], now: int) -> bool:
    ddate = obj.get("ddate")
    return isinstance(ddate, int) and ddate <= now


def is_deleted(obj: dict[str, Any], now: int) -> bool:
    """Soft-deleted: a ``ddate`` that has come (a future ddate is a scheduled deletion)."""
    return _deleted(obj, now)
