"""Raw ``groups:`` and ``invitations:`` of the venue file: OpenReview JSON taken as written.

They come after the stages, for anything the stages do not cover. Each must have an ``id``; an id
the stages already produce (or another raw entry) is an error naming both places.
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
                             "taskCompletionCount"})


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
            for key in entry:
                if key not in allowed:
                    problems.append(Diagnostic(
                        f"{key!r} is not a field of an OpenReview {kind} (fields: {', '.join(sorted(allowed))})",
                        ctx.config.source.locate((*path, key), key=True)))
            out.append(ctx.obj(kind, object_id, dict(entry), path=path, stage=section))
    if problems:
        raise ConfigError(problems)
    return out
