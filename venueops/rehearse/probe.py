"""What a persona can actually do, asked of the sandbox with real requests as that person.

- **read** (on the read paper): ``GET /notes?forum=<paper>`` as the person. Submissions: the paper itself
  is returned. Author identities: it is returned with its ``authorids`` field (OpenReview leaves out
  the fields a caller may not read). A stage's replies: at least one of the paper's notes of that stage
  is returned. A stage with no note on the paper yet cannot be observed (``None``).
- **post** (on the probe paper): the person posts a valid synthetic reply (``forms``) to the stage's form
  on that paper. Posted, or refused only because they already posted the most replies allowed
  (``TooManyError``): they may post. Refused for who they are or when it is (``403``, ``404``, ``401``):
  they may not. Refused for the note itself (``400``): the probe failed, which the report says.

Every request goes through ``ApiClient`` like the rest of venueops; nothing here changes the sandbox
except the replies the post probes make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from venueops.api.client import ApiClient, ApiError
from venueops.rehearse.forms import Writer, note_edit

REFUSED_FOR_WHO_OR_WHEN = {401, 403, 404}


@dataclass(frozen=True)
class Seen:
    observed: bool | None  # None: could not be observed
    detail: str
    problem: str | None = None  # the probe itself failed


def stage_pattern(paper_prefix: str, name: str) -> re.Pattern[str]:
    """A stage's per-paper invitations: ``<paper>/-/<name>``, or under a reply (``<paper>/Official_Review3/-/…``)."""
    return re.compile(rf"^{re.escape(paper_prefix)}/(?:[^/]+/)?-/{re.escape(name)}$")


def of_stage(note: dict[str, Any], pattern: re.Pattern[str]) -> bool:
    return any(pattern.match(i) for i in (note.get("invitations") or [])[:1])


def forum_notes(client: ApiClient, forum: str) -> list[dict[str, Any]] | None:
    """The notes of ``forum`` the client may read (None: the request was refused outright)."""
    try:
        return list(client.pages("notes", {"forum": forum}))
    except ApiError as error:
        if error.status in REFUSED_FOR_WHO_OR_WHEN:
            return None
        raise


def reads(seen_notes: list[dict[str, Any]] | None, all_notes: list[dict[str, Any]], forum: str, paper_prefix: str,
          stages: list[str]) -> dict[str, Seen]:
    """What one person's view of the read paper (``seen_notes``) shows, against everything on it (``all_notes``)."""
    mine = seen_notes or []
    paper = next((n for n in mine if n.get("id") == forum), None)
    out = {"submissions": Seen(paper is not None, "reads the paper" if paper is not None else "cannot read the paper")}
    if paper is None:
        out["author identities"] = Seen(False, "cannot read the paper")
    else:
        shown = "authorids" in (paper.get("content") or {})
        out["author identities"] = Seen(shown, "reads its authorids" if shown else "the paper comes without authorids")
    for name in stages:
        pattern = stage_pattern(paper_prefix, name)
        there = [n for n in all_notes if of_stage(n, pattern)]
        if not there:
            out[name] = Seen(None, f"no {name} on the paper yet")
            continue
        visible = sum(1 for n in mine if of_stage(n, pattern))
        out[name] = Seen(visible > 0, f"reads {visible} of {len(there)}")
    return out


def post(client: ApiClient, invitation: dict[str, Any] | None, writer: Writer | None, *, title: str,
         forum: str | None) -> Seen:
    """Whether the person can post to the form ``invitation`` (the sandbox's own copy, None: not there)."""
    if invitation is None:
        return Seen(False, "the form is not on the paper")
    if writer is None:
        body = note_edit(invitation, Writer("~Guest", "Guest", frozenset()), title=title, forum=forum) or \
            {"invitation": invitation["id"], "signatures": ["~Guest"], "note": {"content": {}}}
    else:
        body = note_edit(invitation, writer, title=title, forum=forum)
        if body is None:
            return Seen(False, "has no signature the form accepts")
    try:
        client.post("/notes/edits", body)
    except ApiError as error:
        if error.name == "TooManyError":
            return Seen(True, "already posted the most replies allowed")
        if error.status in REFUSED_FOR_WHO_OR_WHEN:
            return Seen(False, f"refused: {error.name}")
        return Seen(None, f"refused: {error.name}", f"the rehearsal's synthetic note for {invitation['id']} was "
                                                    f"refused: {error.name}: {error.message}")
    return Seen(True, "posted")
