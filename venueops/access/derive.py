"""The access model: from a venue file's compiled objects, who may read, post and sign what, and when.

The compiler is the source of truth, not a second reading of the venue file: the file is compiled
before any release and again at each release moment (each ``after_due`` release's due date), and each
compilation's invitations are read:

- **submissions**: ``V/-/Submission`` (post: its invitees, from its ``cdate`` until its ``expdate``; read:
  its note readers) and, from the deadline on, ``V/-/Post_Submission`` (its note readers). **Author
  identities** are the ``authors``/``authorids`` fields: their own readers where the form gives them,
  the submission's readers otherwise. A withdrawn or desk-rejected submission whose invitation
  (``V/-/Withdrawn_Submission``, ``V/-/Desk_Rejected_Submission``) reveals its authors (deletes the author
  fields' own readers) lets its readers read them, ``once withdrawn`` (``once desk rejected``); otherwise
  the author fields keep the submission's readers.
- **each stage's replies** (reviews, rebuttals, meta reviews, decisions, comments, custom stages): the
  stage's super invitation ``V/-/<name>``, whose ``edit.invitation`` is the per-paper invitation: post
  (its invitees, from its ``cdate`` until its ``expdate``), read (its note's readers; a reader a writer may
  choose is marked so), sign as (its edit's signatures; anonymous ids are marked).

A grant present before any release holds from the object's creation; one that appears in a later
compilation holds from that release moment. ``${…}`` references and per-paper groups become roles by
the rules in ``roles.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from venueops.access.model import AccessMatrix, Grant
from venueops.access.roles import LOGGED_IN, OTHER, ROLES, SUPPORT, resolve
from venueops.compile.compile import compile_venue
from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredState
from venueops.compile.names import Names
from venueops.config.dates import parse_date
from venueops.config.validate import VenueConfig

REPLY_STAGES = ("review", "rebuttal", "meta_review", "decision", "comments")
RELEASES = ("release_to_authors", "release_to_reviewers", "release_to_area_chairs")
CHOSEN = "if the writer chooses them"
# the invitations that retire a submission, and the condition under which their readers read it
WITHDRAWN, DESK_REJECTED = "once withdrawn", "once desk rejected"
RETIRED = (("Withdrawn", WITHDRAWN), ("Desk_Rejected", DESK_REJECTED))
ANONYMOUS = "under an anonymous id"
OWN_PROFILE = "with their own profile"
AS_WRITERS = "even after it closes, as its writers"


def access_matrix(config: VenueConfig) -> AccessMatrix:
    """Every grant of the venue, with the moment each starts and ends."""
    names = CompileContext(config).names
    moments = release_moments(config)
    snapshots = [(None, None)] + [(m, why) for m, why in moments]
    found: dict[tuple[str, str, str, str | None], Grant] = {}
    for moment, why in snapshots:
        state = compile_venue(config, at=moment)
        for grant in grants_of(compiled_invitations(state), names, config):
            key = (grant.role, grant.what, grant.verb, grant.condition)
            if key not in found:
                found[key] = grant if moment is None else _starting(grant, moment, why)
    grants = sorted(found.values(), key=grant_order)
    return AccessMatrix(config.spec.venue.id, config.spec.venue.timezone, tuple(grants))


def release_moments(config: VenueConfig) -> list[tuple[int, str]]:
    """Each ``after_due`` release's moment (its stage's due date), with what is released then."""
    zone = config.spec.venue.timezone
    out: dict[int, list[str]] = {}
    for key in ("review", "meta_review", "decision"):
        stage = getattr(config.spec.stages, key)
        if stage is None or stage.due is None:
            continue
        for release in RELEASES:
            if getattr(stage, release, None) == "after_due":
                moment = parse_date(stage.due, zone, end_of_day=True).ms
                out.setdefault(moment, []).append(f"{key} {release.replace('_', ' ')} after the deadline")
    return sorted((moment, "; ".join(whys)) for moment, whys in out.items())


def _starting(grant: Grant, moment: int, why: str) -> Grant:
    return Grant(grant.role, grant.what, grant.verb, max(grant.start or moment, moment), grant.end,
                 grant.condition, grant.source, why)


def grant_order(grant: Grant) -> tuple[Any, ...]:
    rank = ROLES.index(grant.role) if grant.role in ROLES else len(ROLES)
    return (rank, grant.what, grant.verb, grant.start or 0, grant.condition or "")


Invitations = Callable[[str], dict[str, Any] | None]  # an invitation's body by id (compiled or live), or None


def compiled_invitations(state: DesiredState) -> Invitations:
    def get(invitation_id: str) -> dict[str, Any] | None:
        obj = state.get("invitation", invitation_id)
        return obj.body if obj is not None else None
    return get


def grants_of(invitations: Invitations, names: Names, config: VenueConfig,
              also: tuple[str, ...] = ()) -> Iterator[Grant]:
    """The grants one set of invitations gives (compiled at one moment, or read from the live venue):
    submissions, and the replies of each stage of the file, and of each further stage name in ``also``."""
    venue = names.venue_id
    submission = invitations(names.submission_invitation())
    if submission is not None:
        post_id = f"{venue}/-/Post_{names.submission_name}"
        yield from _submission(submission, post_id, invitations(post_id), names)
        for prefix, condition in RETIRED:
            retired_id = f"{venue}/-/{prefix}_{names.submission_name}"
            yield from _revealed(invitations(retired_id), retired_id, condition, names)
    stages = config.spec.stages
    entries: list[tuple[str, str]] = []
    for key in REPLY_STAGES:
        stage = getattr(stages, key)
        if stage is not None:
            entries.append((key, stage.name))
    entries += [("custom", stage.name) for stage in stages.custom]
    entries += [("other", name) for name in also if name not in {n for _, n in entries}]
    for _, name in entries:
        body = invitations(f"{venue}/-/{name}")
        child = _edit(body).get("invitation") if body is not None else None
        if isinstance(child, dict):
            yield from _replies(name, f"{venue}/-/{name}", child, names)


def _submission(body: dict[str, Any], post_id: str, post: dict[str, Any] | None, names: Names) -> Iterator[Grant]:
    source = body["id"]
    yield from _entries("submissions", "post", body.get("invitees") or [], names, source,
                        start=body.get("cdate"), end=body.get("expdate"))
    note = _edit(body).get("note") or {}
    readers = note.get("readers") or []
    yield from _entries("submissions", "read", readers, names, f"{source} edit.note.readers")
    fields = note.get("content") or {}
    yield from _entries("author identities", "read", _field_readers(fields, readers), names,
                        f"{source} edit.note.content.authorids.readers")
    if post is None:
        return
    after = post.get("cdate")
    post_note = _edit(post).get("note") or {}
    post_readers = post_note.get("readers") or []
    yield from _entries("submissions", "read", post_readers, names, f"{post_id} edit.note.readers", start=after)
    yield from _entries("author identities", "read", _field_readers(post_note.get("content") or {}, post_readers),
                        names, f"{post_id} edit.note.content.authorids.readers", start=after)


def _revealed(body: dict[str, Any] | None, source: str, condition: str, names: Names) -> Iterator[Grant]:
    """Who reads the author identities of a retired submission, when its invitation reveals them."""
    if body is None:
        return
    note = _edit(body).get("note") or {}
    entry = (note.get("content") or {}).get("authorids")
    readers = entry.get("readers") if isinstance(entry, dict) else None
    if not (isinstance(readers, dict) and (readers.get("param") or {}).get("const") == {"delete": True}):
        return
    for grant in _entries("author identities", "read", note.get("readers") or [], names,
                          f"{source} edit.note.content.authorids.readers"):
        yield replace(grant, condition=condition)


def _edit(body: dict[str, Any]) -> dict[str, Any]:
    """An invitation's edit template (``{}`` for a meta invitation's ``edit: true``)."""
    edit = body.get("edit")
    return edit if isinstance(edit, dict) else {}


def _field_readers(content: dict[str, Any], note_readers: list[Any]) -> list[Any]:
    for name in ("authorids", "authors"):
        entry = content.get(name)
        if isinstance(entry, dict) and isinstance(entry.get("readers"), list):
            return entry["readers"]
    return note_readers


def _replies(name: str, source: str, child: dict[str, Any], names: Names) -> Iterator[Grant]:
    """A stage's per-paper form: who posts, reads and signs its replies.

    Posting takes both: being an invitee, and a signature the form accepts that one may use (an
    invitee the signatures leave out cannot post: the program chairs, invitees of every form as the
    venue, post a review only where a review may be signed as them). The form's writers (the venue:
    the program chairs) may post after it expires, as OpenReview lets a writer; so their post has no end.
    """
    start, end = child.get("cdate"), child.get("expdate")
    edit = child.get("edit") or {}
    note = edit.get("note") or {}
    yield from _entries(name, "read", note.get("readers") or [], names,
                        f"{source} edit.invitation.edit.note.readers")
    invitees = list(_entries(name, "post", child.get("invitees") or [], names, f"{source} edit.invitation.invitees",
                             start=start, end=end))
    writers = {g.role for g in _entries(name, "post", child.get("writers") or [], names, source)}
    posters = {g.role for g in invitees} - {"program_chairs"}
    signers: set[str] = set()
    for grant in _entries(name, "sign", edit.get("signatures") or [], names,
                          f"{source} edit.invitation.edit.signatures"):
        if grant.role != LOGGED_IN:
            signers.add(grant.role)
            yield grant
            continue
        # ``~.*``: any profile, so each poster (the program chairs too) may sign with their own
        signers.update({g.role for g in invitees} | {LOGGED_IN})
        for role in sorted(posters):
            yield Grant(role, grant.what, "sign", grant.start, grant.end, OWN_PROFILE, grant.source)
    for grant in invitees:
        if grant.role in signers:
            yield replace(grant, end=None, condition=AS_WRITERS) if grant.role in writers and grant.end else grant


def _entries(what: str, verb: str, value: Any, names: Names, source: str, *, start: Any = None,
             end: Any = None) -> Iterator[Grant]:
    """Grants for a reader/invitee/signature list, or a ``param`` of ``items`` to choose from."""
    for entry, optional in _items(value):
        resolved = resolve(entry, names)
        if resolved.role in (SUPPORT, OTHER):
            continue
        condition = None
        if verb == "read" and optional:
            condition = CHOSEN
        elif verb == "sign" and entry.endswith(".*") and resolved.role != LOGGED_IN:
            condition = ANONYMOUS
        yield Grant(resolved.role, what, verb, start if isinstance(start, int) else None,
                    end if isinstance(end, int) else None, condition, source)


def _items(value: Any) -> Iterator[tuple[str, bool]]:
    """Each entry of a list (all required), or of a ``param``'s ``items`` (each ``optional`` as it says;
    OpenReview's default is required for ``value`` items)."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item, False
        return
    param = value.get("param") if isinstance(value, dict) else None
    for item in (param or {}).get("items") or []:
        if isinstance(item, dict):
            entry = item.get("value", item.get("prefix"))
            if isinstance(entry, str):
                yield entry, bool(item.get("optional", False))
