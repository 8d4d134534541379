"""What the recognized stages do not reproduce, written as ``overrides``: field by field, the live value.

After fitting, the plan of the venue file against the live venue lists the fields where a stage-made
object still departs from the server (a builder's differently worded process script, its ``TBD``
placeholder, a field a chair edited by hand). Each becomes an override of that object: the live value
set at the field's path, or the path unset when the server has no such field. Nothing is dropped: an
object the file would create (the server has none) or restore (deleted there) cannot be overridden
away and is reported instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from venueops.export.recognize import escaped
from venueops.plan.model import Action, Plan


@dataclass
class Residue:
    overrides: list[dict[str, Any]] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # object id → why it has an override


def residue(plan: Plan, venue_id: str) -> Residue:
    out = Residue()
    for change in plan.changes:
        if change.stage == "inventory":
            continue
        # left to the round-trip check, which reports them: an object the file would create, expire or
        # delete, and one deleted in OpenReview that its stage makes (the file would restore it)
        if change.action is not Action.UPDATE or any(f.path == "ddate" for f in change.fields):
            continue
        entry: dict[str, Any] = {"object": relative(change.id, venue_id)}
        values = {f.path: escaped(f.before) for f in change.fields if not f.before_absent}
        absent = [f.path for f in change.fields if f.before_absent]
        if values:
            entry["set"] = values
        if absent:
            entry["unset"] = absent
        out.overrides.append(entry)
        count = len(change.fields)
        stage = (change.stage or "").removeprefix("stages.")
        out.reasons[entry["object"]] = (f"{count} field{'s' if count != 1 else ''} of the live object no option of "
                                        f"its stage ({stage}) reproduces")
    return out


def relative(object_id: str, venue_id: str) -> str:
    return object_id[len(venue_id):] if object_id.startswith(venue_id + "/") else object_id

