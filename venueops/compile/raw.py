"""Raw ``groups:`` and ``invitations:`` of the venue file: OpenReview JSON taken as written.

They come after the stages, for anything the stages do not cover. Each must have an ``id``; an id
the stages already produce (or another raw entry) is an error naming both places.

Ids stay in the venue: a raw object's id is the venue's id or lies under it (``<venue>/...``), and no
part of it is empty, ``.`` or ``..``. A venue file may still manage an object elsewhere (a workshop's
host group, say) by saying so on the entry, ``outside_venue: true``; such an object is posted by
OpenReview's super user, so planning and applying it takes ``--bootstrap`` rights (``via="root"``).
``outside_venue`` is venueops' own key: it is not posted.
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredObject, Kind
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

GROUP_KEYS = frozenset({"id", "readers", "nonreaders", "writers", "signatures", "signatories", "members", "content",
                        "web", "host", "anonids", "deanonymizers", "impersonators", "description", "cdate", "ddate"})
INVITATION_KEYS = frozenset({"id", "readers", "nonreaders", "writers", "signatures", "invitees", "noninvitees",
                             "cdate", "duedate", "expdate", "ddate", "maxReplies", "minReplies", "content", "edit",
                             "edge", "tag", "message", "process", "preprocess", "dateprocesses", "postprocesses",
                             "web", "description", "instructions", "bulk", "replyForumViews", "responseArchiveDate",
                             "taskCompletionCount", "guestPosting", "humanVerificationRequired", "transform"})


OUTSIDE_VENUE_KEY = "outside_venue"


def id_outside_venue(object_id: str, venue_id: str) -> str | None:
    """Why ``object_id`` does not lie inside the venue, or None."""
    parts = object_id.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' part"
    if object_id != venue_id and not object_id.startswith(venue_id + "/"):
        return f"is outside the venue {venue_id}"
    return None


def raw_objects(ctx: CompileContext) -> list[DesiredObject]:
    out: list[DesiredObject] = []
    problems: list[Diagnostic] = []
    sections: list[tuple[str, Kind, tuple[dict[str, Any], ...], frozenset[str]]] = [
        ("groups", "group", ctx.spec.groups, GROUP_KEYS),
        ("invitations", "invitation", ctx.spec.invitations, INVITATION_KEYS),
    ]
    for section, kind, entries, allowed in sections:
        for index, entry in enumerate(entries):
            path = (section, index)
            object_id = entry.get("id")
            if not isinstance(object_id, str) or not object_id:
                problems.append(Diagnostic(f"{section}[{index}] needs an `id`", ctx.config.source.locate(path)))
                continue
            if kind == "invitation" and "/-/" not in object_id:
                problems.append(Diagnostic(f"invitation id {object_id!r} must contain '/-/'",
                                           ctx.config.source.locate((*path, "id"))))
                continue
            outside = entry.get(OUTSIDE_VENUE_KEY, False)
            if not isinstance(outside, bool):
                problems.append(Diagnostic(f"{OUTSIDE_VENUE_KEY} is true or false",
                                           ctx.config.source.locate((*path, OUTSIDE_VENUE_KEY))))
            where = id_outside_venue(object_id, ctx.venue_id)
            if where is not None and (not outside or "outside the venue" not in where):
                hint = (f"; to manage an object elsewhere, say `{OUTSIDE_VENUE_KEY}: true` on it (applying it then "
                        "takes --bootstrap rights)" if "outside the venue" in where else "")
                problems.append(Diagnostic(f"{kind} id {object_id!r} {where}{hint}",
                                           ctx.config.source.locate((*path, "id"))))
                continue
            for key in entry:
                if key not in allowed and key != OUTSIDE_VENUE_KEY:
                    problems.append(Diagnostic(
                        f"{key!r} is not a field of an OpenReview {kind} (fields: {', '.join(sorted(allowed))}; "
                        f"and venueops' own {OUTSIDE_VENUE_KEY})", ctx.config.source.locate((*path, key), key=True)))
            body = {k: v for k, v in entry.items() if k != OUTSIDE_VENUE_KEY}
            out.append(ctx.obj(kind, object_id, body, path=path, stage=section,
                               via="root" if outside and where is not None else "venue"))
    if problems:
        raise ConfigError(problems)
    return out
