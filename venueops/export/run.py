"""Export, end to end against a target: read, recognize, fit, fall back to raw objects, check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from venueops.access.policy import check_policies
from venueops.config.dates import parse_zone
from venueops.config.models import BUILT_IN_POLICIES
from venueops.config.validate import load_venue_data
from venueops.errors import VenueOpsError
from venueops.export.emit import venue_file_text
from venueops.export.fit import Fitter
from venueops.export.read import VenueRead, read_venue
from venueops.export.recognize import escaped, recognize, unlisted_members
from venueops.export.residue import residue
from venueops.plan.diff import SERVER_OWNED
from venueops.state.reader import LiveState
from venueops.targets.target import Target

# zones tried when --timezone is not given (OpenReview stores no zone): the one with the roundest dates wins
GUESSED_ZONES = ("UTC", "AoE")
LIVE_ONLY = SERVER_OWNED | {"cdate", "tcdate", "tmdate", "mdate", "signatures_as"}
SECRETS = frozenset({"secret"})  # an invitation's recruitment secret never goes into a file kept in git


@dataclass
class Exported:
    """The venue file's text, what it recognized, and the objects its plan would still change."""

    text: str
    recognized: list[str]
    differences: list[str] = field(default_factory=list)
    requests: int = 0
    adopted: bool = False  # the venue had no venueops inventory: its first apply records one
    left_out: list[str] = field(default_factory=list)  # live objects no venue file can hold, with why


def export_venue(target: Target, venue_id: str, *, zone: str | None, at: int) -> Exported:
    """Read ``venue_id`` from the target and write the venue file that plans empty against it."""
    before = target.reader.requests_made
    read = read_venue(target.reader, venue_id)
    requests = target.reader.requests_made - before
    live = read.live
    spec = recognize(venue_id, live, zone or guess_zone(live))
    fitter = Fitter(spec, live, at=at, provisioning=target.provisioning, label=target.label, managed=read.managed)
    fitter.fit()
    for invitation in _unmade(fitter, read, "invitation"):
        if _super_invitation(invitation, venue_id):
            fitter.try_custom_stage(invitation)
    reasons, left_out = _carry_raw(fitter, read)
    fitted = fitter.evaluate(spec)
    if fitted is None:
        raise VenueOpsError("export: the venue file with its raw objects does not compile (a venueops bug): "
                            + str(fitter.refusal(spec)))
    left = residue(fitted.plan, venue_id)
    if left.overrides:
        spec["overrides"] = left.overrides
    allowed = _broken_built_in_policies(spec)
    if allowed:
        spec["policies"] = {"allow": allowed}
    recognized = describe(spec)
    text = venue_file_text(spec, recognized=recognized, raw_reasons={**reasons, **left.reasons},
                           adopted=read.adopted, left_out=left_out, unrecognized=fitter.dropped,
                           unlisted=unlisted_members(venue_id, live))
    check = fitter.evaluate_text(text)
    differences = [f"{c.kind} {c.id}: {c.action.value} " + ", ".join(f.path for f in c.fields)
                   for c in check.plan.changes if c.stage != "inventory"]
    return Exported(text=text, recognized=recognized, differences=differences, requests=requests,
                    adopted=read.adopted, left_out=left_out)


def _broken_built_in_policies(spec: dict[str, Any]) -> list[str]:
    """The built-in policies the live venue breaks (public reviews, say): the file allows them, so that it
    validates as the venue is, and says so."""
    try:
        config = load_venue_data(spec, "<export>")
    except VenueOpsError:
        return []
    return [name for name in BUILT_IN_POLICIES
            if any(d.message.startswith(f"policy {name}:") for d in check_policies(config))]


def _unmade(fitter: Fitter, read: VenueRead, kind: str) -> list[dict[str, Any]]:
    """The venue's own live objects of ``kind`` that the file, as fitted so far, does not make."""
    fitted = fitter.evaluate(fitter.spec)
    made = {(o.kind, o.id) for o in fitted.desired.objects if not o.members_only} if fitted else set()
    out = []
    for address in read.managed:
        found_kind, object_id = address.split(" ", 1)
        obj = read.live.get(found_kind, object_id)
        if found_kind == kind and obj is not None and (kind, object_id) not in made:
            out.append(obj)
    return out


def _carry_raw(fitter: Fitter, read: VenueRead) -> tuple[dict[str, str], list[str]]:
    """Each live object no stage makes, as a raw entry of the file (with why, for its comment); those
    venueops' checks refuse as they are (readers naming a group the venue lacks, say) are left out,
    named in the header: adopting leaves them unmanaged on the server. All are tried at once first,
    one by one only if that is refused."""
    spec = fitter.spec
    reasons: dict[str, str] = {}
    left_out: list[str] = []
    owner = "found in the venue" if read.adopted else "managed by venueops"
    unmade = {kind: _unmade(fitter, read, kind) for kind in ("group", "invitation")}
    for kind, objects in unmade.items():
        for obj in objects:
            spec.setdefault(f"{kind}s", []).append(raw_object(obj))
            reasons[obj["id"]] = f"{owner}, but no recognized stage or role produces this {kind}" + \
                ("; its secret is not written" if SECRETS & set(obj) else "")
    if fitter.refusal(spec) is None:
        return reasons, left_out
    for kind in unmade:
        spec.pop(f"{kind}s", None)
    for kind, objects in unmade.items():
        for obj in objects:
            section = spec.setdefault(f"{kind}s", [])
            section.append(raw_object(obj))
            refused = fitter.refusal(spec)
            if refused is not None:
                section.pop()
                if not section:
                    del spec[f"{kind}s"]
                left_out.append(f"{kind} {obj['id']} ({refused.split(': error: ', 1)[-1].splitlines()[0]})")
                del reasons[obj["id"]]
    return reasons, left_out


def _super_invitation(invitation: dict[str, Any], venue_id: str) -> bool:
    """A venue-level invitation whose edits make per-paper invitations for replies (a stage's shape)."""
    edit = invitation.get("edit")
    inner = edit.get("invitation") if isinstance(edit, dict) else None
    return (invitation["id"].startswith(f"{venue_id}/-/") and isinstance(inner, dict)
            and isinstance(inner.get("edit"), dict) and "note" in inner["edit"])


def raw_object(obj: dict[str, Any]) -> dict[str, Any]:
    """A live object as a raw venue-file entry: server-owned and empty fields left out, text escaped."""
    return {key: escaped(value) for key, value in obj.items()
            if key not in LIVE_ONLY | SECRETS and value not in (None, [], {})}


def guess_zone(live: LiveState) -> str:
    """The zone in which the venue's dates are roundest (on the hour, or at 23:59); UTC on a tie."""
    moments = [inv[key] for inv in live.invitations.values() for key in ("cdate", "duedate")
               if isinstance(inv.get(key), int)]

    def round_count(name: str) -> int:
        zone = parse_zone(name)
        count = 0
        for ms in moments:
            local = dt.datetime.fromtimestamp(ms / 1000, tz=zone)
            count += local.minute == 0 or (local.hour, local.minute) == (23, 59)
        return count

    return max(GUESSED_ZONES, key=lambda name: (round_count(name), name == "UTC"))


def describe(spec: dict[str, Any]) -> list[str]:
    """What the file expresses, for its header comment."""
    out = ["venue"]
    roles = [name for name, role in spec["roles"].items() if role is not None]
    out.append("roles (" + ", ".join(roles) + ")")
    for key, entry in spec["stages"].items():
        if key == "bidding":
            out.append("bidding (" + ", ".join(e["committee"] for e in entry) + ")")
        elif key == "custom":
            out.append("custom stages (" + ", ".join(e["name"] for e in entry) + ")")
        else:
            out.append(key + (" with form changes" if isinstance(entry, dict) and entry.get("form") else ""))
    raw = len(spec.get("groups") or []) + len(spec.get("invitations") or [])
    if raw:
        out.append(f"{raw} raw object{'s' if raw != 1 else ''}")
    overridden = len(spec.get("overrides") or [])
    if overridden:
        out.append(f"{overridden} object{'s' if overridden != 1 else ''} with overridden fields")
    return out
