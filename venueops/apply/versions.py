"""Version tokens: refuse a plan when any object it touches changed since the plan was made.

A plan records, per change, the object's ``tmdate`` (or ``"absent"`` for a create) and a digest of
the object as read. Before anything is posted, every touched object is read again (one batched
request per kind) and both tokens compared; one mismatch refuses the whole plan, so a plan made
against other facts never half-applies. Additions to OpenReview's registries (``version: "any"``)
are not guarded: adding a member is safe whatever else changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from venueops.api.client import ApiClient
from venueops.errors import VenueOpsError
from venueops.plan.model import Plan
from venueops.plan.planner import UNGUARDED, fingerprint


@dataclass(frozen=True)
class StaleObject:
    address: str
    planned: str | int
    now: str | int

    def describe(self) -> str:
        if self.planned == "absent":
            return f"{self.address} was created since the plan was made"
        if self.now == "absent":
            return f"{self.address} no longer exists"
        if self.planned == self.now:
            return f"{self.address} changed since the plan was made (same tmdate {self.now}, different content)"
        return f"{self.address} changed since the plan was made (tmdate {self.planned} → {self.now})"


class StalePlanError(VenueOpsError):
    """Objects a plan touches changed since it was made; nothing was applied."""

    def __init__(self, stale: list[StaleObject]) -> None:
        self.stale = stale
        listing = "\n".join(f"  {s.describe()}" for s in stale)
        super().__init__(f"nothing was applied: the plan is stale (was it applied already?):\n{listing}\n"
                         "Run `venueops plan` again and review the new plan.")


def refuse_if_stale(plan: Plan, client: ApiClient) -> None:
    """Raise ``StalePlanError`` unless every object the plan touches is as it was when planned."""
    stale = stale_objects(plan, client)
    if stale:
        raise StalePlanError(stale)


def stale_objects(plan: Plan, client: ApiClient) -> list[StaleObject]:
    """The touched objects whose live version differs from the plan's token (empty: safe to apply)."""
    guarded = [c for c in plan.changes if c.version != UNGUARDED]
    wanted: dict[str, set[str]] = {"groups": set(), "invitations": set()}
    for change in guarded:
        wanted[f"{change.kind}s"].add(change.id)
    live: dict[str, dict] = {}
    for kind, ids in wanted.items():
        extra = {"expired": True} if kind == "invitations" else {}
        for obj in client.get_by_ids(kind, ids, trash=True, **extra):
            live[f"{kind[:-1]} {obj['id']}"] = obj
    stale: list[StaleObject] = []
    seen: set[str] = set()
    for change in guarded:
        if change.address in seen:
            continue
        seen.add(change.address)
        current = live.get(change.address)
        now_version: str | int = "absent" if current is None else current.get("tmdate", "unknown")
        if now_version != change.version or fingerprint(current) != change.digest:
            stale.append(StaleObject(change.address, change.version, now_version))
    return stale
