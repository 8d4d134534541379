"""Access changes of a plan: what each role gains or loses, and from when, when the plan is applied.

Both sides are read the same way (``derive.grants_of``): the live venue's invitations as they are, and
the invitations the plan's file compiles to at the plan's moment. A grant only on the file's side is
gained, one only on the live side is lost, one on both whose period differs moves (a deadline, a
release). A gain of read on author identities (by anyone but the chairs and the paper's authors), or on
reviews, meta reviews or decisions (by anyone but the chairs and the note's signer), widens access to
them and is marked so, however small the plan is otherwise.

Each change is a plain JSON mapping (the plan document keeps it as is):
``{"role", "what", "verb", "condition"?, "change": "gain" | "lose" | "moves", "before", "after",
"widens"?}``, where ``before``/``after`` are ``{"start", "end"}`` (epoch ms or null) or null.
"""

from __future__ import annotations

from typing import Any

from venueops.access.derive import compiled_invitations, grant_order, grants_of
from venueops.access.model import AccessMatrix, Grant
from venueops.access.roles import ROLES
from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredState
from venueops.config.validate import VenueConfig
from venueops.state.reader import LiveState

SENSITIVE = {"author identities": "author identities"}
REVIEW_LIKE = ("review", "meta_review", "decision")
# who reading something is no widening: the chairs, and a note's own signer; the authors their own names
_CHAIRS = frozenset({"program_chairs", "signer"})
_OWNERS = {"author identities": _CHAIRS | {"authors"}}


def _other_stages(config: VenueConfig, desired: DesiredState, live: LiveState) -> tuple[str, ...]:
    """Every venue-level super invitation of either side, so a stage removed from the file (or one no
    stage option names, like withdrawal) is read too."""
    names = CompileContext(config).names
    compiled = {o.id: o.body for o in desired.objects if o.kind == "invitation"}
    return tuple(sorted({_stage_name(i, names.venue_id) for i, body in (*live.invitations.items(), *compiled.items())
                         if _stage_name(i, names.venue_id) and _makes_replies(body)} - {names.submission_name}))


def live_matrix(config: VenueConfig, desired: DesiredState, live: LiveState) -> AccessMatrix:
    """The access the live venue gives as it stands (its invitations read back; no release is foreseen:
    a grant starts when its invitation says, or holds from creation)."""
    names = CompileContext(config).names
    found = grants_of(live.invitations.get, names, config, _other_stages(config, desired, live))
    grants = sorted(dict.fromkeys(found), key=grant_order)  # the first of equal grants, in reading order
    return AccessMatrix(config.spec.venue.id, config.spec.venue.timezone, tuple(grants))


def access_changes(config: VenueConfig, desired: DesiredState, live: LiveState) -> list[dict[str, Any]]:
    names = CompileContext(config).names
    also = _other_stages(config, desired, live)
    before = _keyed(grants_of(live.invitations.get, names, config, also))
    after = _keyed(grants_of(compiled_invitations(desired), names, config, also))
    sensitive = dict(SENSITIVE)
    for key in REVIEW_LIKE:
        stage = getattr(config.spec.stages, key)
        if stage is not None:
            sensitive[stage.name] = {"review": "reviews", "meta_review": "meta reviews",
                                     "decision": "decisions"}[key]
    out = []
    for key in sorted(set(before) | set(after), key=_order):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and _period(old) == _period(new):
            continue
        change = "gain" if old is None else "lose" if new is None else "moves"
        role, what, verb, condition = key
        entry: dict[str, Any] = {"role": role, "what": what, "verb": verb}
        if condition:
            entry["condition"] = condition
        entry.update({"change": change, "before": _period(old), "after": _period(new)})
        if change == "gain" and verb == "read" and what in sensitive and role not in _OWNERS.get(what, _CHAIRS):
            entry["widens"] = sensitive[what]
        out.append(entry)
    return out


def _stage_name(invitation_id: str, venue_id: str) -> str:
    prefix = f"{venue_id}/-/"
    return invitation_id[len(prefix):] if invitation_id.startswith(prefix) else ""


def _makes_replies(body: dict[str, Any]) -> bool:
    edit = body.get("edit") if isinstance(body, dict) else None
    child = edit.get("invitation") if isinstance(edit, dict) else None
    return isinstance(child, dict) and isinstance(child.get("edit"), dict) and "note" in child["edit"]


def _keyed(grants: Any) -> dict[tuple[str, str, str, str | None], Grant]:
    out: dict[tuple[str, str, str, str | None], Grant] = {}
    for grant in grants:
        key = (grant.role, grant.what, grant.verb, grant.condition)
        out.setdefault(key, grant)
    return out


def _period(grant: Grant | None) -> dict[str, int | None] | None:
    return None if grant is None else {"start": grant.start, "end": grant.end}


def _order(key: tuple[str, str, str, str | None]) -> tuple[Any, ...]:
    role, what, verb, condition = key
    return (ROLES.index(role) if role in ROLES else len(ROLES), what, verb, condition or "")
