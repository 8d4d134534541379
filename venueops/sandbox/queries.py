"""List and fetch queries: ``GET /groups``, ``/invitations``, ``/notes``, ``/edges``, ``/tags``, ``*/edits``.

Each query narrows candidates through the store by the indexed parameters (named ``Store`` methods
taking plain filter values; no SQL here), then filters in Python what SQL
cannot express cheaply (readers, content values, transitive membership), then sorts and pages.

List semantics (notes/api-v2.md §2.0): unreadable objects are left out silently; ``count`` is the
number of matches before paging; ``limit`` defaults to and is capped at 1000; ``offset`` skips;
``after=<id>`` pages by key: what comes after that object in the order asked for (``sort=id`` by
default, as ``tools.efficient_iterget`` asks); ``stream=true`` returns everything; ``trash=true``
includes soft-deleted objects. A query by ``id`` answers 404/403 instead of an empty list, because
openreview-py indexes ``[0]`` of the result.

FIDELITY: the default order is undocumented. We sort groups and invitations by id, and notes,
edges, tags and edits newest first (``tcdate`` descending), which is what the docs show for edits.
A bare ``sort=field`` is ascending.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from venueops.sandbox import views
from venueops.sandbox.access import Caller
from venueops.sandbox.errors import ForbiddenError, NotFoundError, ValidationError
from venueops.sandbox.store import NoteFilter
from venueops.sandbox.world import World

MAX_LIMIT = 1000
_LEAN_SORT_FIELDS = frozenset({"number", "tcdate", "tmdate", "cdate", "ddate", "id"})
_DATE_FIELDS = ("tcdate", "tmdate", "cdate", "mdate", "ddate", "duedate", "expdate")


@dataclass
class Page:
    items: list[dict[str, Any]]
    count: int


@dataclass(frozen=True)
class Paging:
    limit: int = MAX_LIMIT
    offset: int = 0
    after: str | None = None
    sort: str | None = None
    stream: bool = False
    select: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    trash: bool = False

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Paging:
        limit = params.get("limit")
        if limit is not None and limit < 1:
            raise ValidationError("limit must be >= 1", path="limit", invalid_value=limit, has_invalid_value=True)
        offset = params.get("offset") or 0
        if offset < 0:
            raise ValidationError("offset must be >= 0", path="offset", invalid_value=offset, has_invalid_value=True)
        return cls(
            limit=min(limit or MAX_LIMIT, MAX_LIMIT),
            offset=offset,
            after=params.get("after"),
            sort=params.get("sort"),
            stream=bool(params.get("stream")),
            select=tuple(_csv(params.get("select"))),
            details=tuple(_csv(params.get("details"))),
            trash=bool(params.get("trash")),
        )


def _csv(value: Any) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in values:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return out


def sort_and_page(items: list[dict[str, Any]], paging: Paging, default_sort: str) -> Page:
    """Order, apply ``after``/``offset``/``limit`` (unless streaming), and count."""
    spec = paging.sort or default_sort
    field, _, direction = spec.partition(":")
    descending = direction.lower() == "desc"
    if direction and direction.lower() not in ("asc", "desc"):
        raise ValidationError(f"sort direction must be asc or desc, not {direction}", path="sort")
    # Keyset paging in another order than by id (openreview-py's fan-outs list submissions with
    # sort='number:asc' through efficient_iterget, whose next page is after=<the last id>): the page
    # starts after that object in the order asked for.
    keyset_in_order = paging.after is not None and paging.sort is not None and field != "id"
    if paging.after is not None and not keyset_in_order:
        field, descending = "id", False
        items = [i for i in items if str(i.get("id", "")) > paging.after]

    def key(item: dict[str, Any]) -> tuple[Any, ...]:
        value = _sort_value(item, field)
        return (value is None, value if value is not None else 0, str(item.get("id", "")))

    try:
        items.sort(key=key, reverse=descending)
    except TypeError:
        items.sort(key=lambda i: (str(_sort_value(i, field)), str(i.get("id", ""))), reverse=descending)
    if descending:
        # Keep missing values last in either direction.
        items = [i for i in items if _sort_value(i, field) is not None] + [
            i for i in items if _sort_value(i, field) is None
        ]
    if keyset_in_order:
        position = next((n for n, item in enumerate(items) if item.get("id") == paging.after), None)
        # FIDELITY: an ``after`` that matches nothing listed (gone, or filtered out) pages by id in that order.
        if position is not None:
            items = items[position + 1 :]
        else:
            items = [i for i in items if str(i.get("id", "")) > paging.after]
    count = len(items)
    if not paging.stream:
        items = items[paging.offset : paging.offset + paging.limit]
    return Page(items=items, count=count)


def _sort_value(item: dict[str, Any], field: str) -> Any:
    if "." in field:
        value: Any = item
        for part in field.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, dict):
            value = value.get("value")
        return value
    return item.get(field)


def regex_filter(pattern: str, param: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValidationError(f"{param} is not a valid regular expression: {error}", path=param,
                              invalid_value=pattern, has_invalid_value=True) from None


class QueryService:
    def __init__(self, world: World) -> None:
        self.world = world
        self.store = world.store
        self.access = world.access

    def _ids_with_prefix(self, kind: str, prefix: str) -> list[str]:
        """Ids of groups or invitations (``kind``) matching ``prefix`` read as a regex anchored at the
        start: the store narrows by the pattern's literal head, then the regex runs over ids only."""
        compiled = regex_filter(prefix, "prefix")
        candidates = (self.store.group_ids_with_prefix(prefix) if kind == "group"
                      else self.store.invitation_ids_with_prefix(prefix))
        return [candidate for candidate in candidates if compiled.match(candidate)]

    # -- groups --------------------------------------------------------------------------------
    def get_groups(self, caller: Caller, params: dict[str, Any]) -> Page:
        paging = Paging.from_params(params)
        now = self.world.now()
        group_id = params.get("id")
        if group_id is not None:
            group = self.store.get_group(group_id)
            if group is None or (self.world.deleted(group) and not paging.trash):
                raise NotFoundError(f"Group Not Found: {group_id}")
            if not self.access.can_read(caller, group, writers_read=True):
                raise ForbiddenError(f"User {caller.name} is not reader of {group_id}")
            # The other filters still apply: get_groups(id=G, member=X) is how clients ask
            # "is X in G?" and must answer with an empty list when not.
            restrict = self._group_restriction(params)
            candidates = [group] if restrict is None or group_id in restrict else []
        else:
            candidates = self._group_candidates(params, now)
        keep = self._group_filter(caller, params, paging, now)
        matched = [g for g in candidates if keep(g)]
        page = sort_and_page(matched, paging, "id")
        page.items = [self._shape_group(caller, g, paging) for g in page.items]
        return page

    def _group_candidates(self, params: dict[str, Any], now: int) -> list[dict[str, Any]]:
        restrict = self._group_restriction(params)
        if restrict is not None:
            groups = self.store.groups_by_ids(sorted(restrict))
        else:
            groups = self.store.all_groups(params.get("domain") or None)
        if params.get("domain"):
            groups = [g for g in groups if g.get("domain") == params["domain"]]
        return groups

    def _group_restriction(self, params: dict[str, Any]) -> set[str] | None:
        """The ids allowed by the membership, signatory, prefix and ids filters (None: any)."""
        restrict: set[str] | None = None
        ids = _csv(params.get("ids"))
        if ids:
            restrict = set(ids)
        if params.get("member"):
            containing = self.access.closure(frozenset({params["member"]})) - {params["member"]}
            restrict = containing if restrict is None else restrict & containing
        if params.get("signatory"):
            signable = self.access.signable_groups(params["signatory"])
            restrict = signable if restrict is None else restrict & signable
        if params.get("prefix"):
            matching = set(self._ids_with_prefix("group", params["prefix"]))
            restrict = matching if restrict is None else restrict & matching
        if params.get("members"):
            direct = self.store.group_ids_with_direct_member(params["members"])
            restrict = direct if restrict is None else restrict & direct
        return restrict

    def _group_filter(
        self, caller: Caller, params: dict[str, Any], paging: Paging, now: int
    ) -> Callable[[dict[str, Any]], bool]:
        prefix = params.get("prefix")
        prefix_re = regex_filter(prefix, "prefix") if prefix else None
        regex = params.get("regex")
        regex_re = regex_filter(regex, "regex") if regex else None
        parent = params.get("parent")
        invitation = params.get("invitation")
        signature = params.get("signature")
        writer = params.get("writer")
        host = params.get("host")
        web = params.get("web")

        def keep(group: dict[str, Any]) -> bool:
            if not paging.trash and self.world.deleted(group):
                return False
            if prefix_re is not None and not prefix_re.match(group["id"]):
                return False
            if regex_re is not None and not regex_re.match(group["id"]):
                return False
            if parent is not None and group.get("parent") != parent:
                return False
            if invitation is not None and invitation not in (group.get("invitations") or []):
                return False
            if signature is not None and signature not in (group.get("signatures") or []):
                return False
            if writer is not None and writer not in (group.get("writers") or []):
                return False
            if host is not None and group.get("host") != host:
                return False
            if web is True and not group.get("web"):
                return False
            return self.access.can_read(caller, group, writers_read=True)

        return keep

    def _shape_group(self, caller: Caller, group: dict[str, Any], paging: Paging) -> dict[str, Any]:
        out = views.group_view(self.access, caller, group)
        if "writable" in paging.details or "all" in paging.details:
            out["details"] = {"writable": self.access.can_write(caller, group)}
        return views.select_fields(out, list(paging.select))

    # -- invitations ---------------------------------------------------------------------------
    def get_invitations(self, caller: Caller, params: dict[str, Any]) -> Page:
        paging = Paging.from_params(params)
        now = self.world.now()
        invitation_id = params.get("id")
        if invitation_id is not None:
            invitation = self.store.get_invitation(invitation_id)
            if invitation is None or (self.world.deleted(invitation) and not paging.trash):
                raise NotFoundError(f"The Invitation {invitation_id} was not found")
            writer = self.access.can_write(caller, invitation)
            cdate = invitation.get("cdate")
            if isinstance(cdate, int) and cdate > now and not writer:
                raise NotFoundError(f"The Invitation {invitation_id} was not found")
            if not writer and not self.access.can_read(caller, invitation):
                raise ForbiddenError(
                    f"User {caller.name} does not have permission to see Invitation {invitation_id}"
                )
            candidates = [invitation]
            expired_ok = True
        else:
            candidates = self._invitation_candidates(params)
            expired_ok = bool(params.get("expired"))
        keep = self._invitation_filter(caller, params, paging, now, expired_ok)
        matched = [i for i in candidates if keep(i)]
        page = sort_and_page(matched, paging, "id")
        page.items = [self._shape_invitation(caller, i, paging) for i in page.items]
        return page

    def _invitation_candidates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        restrict: set[str] | None = None
        ids = _csv(params.get("ids"))
        if ids:
            restrict = set(ids)
        if params.get("invitation"):
            children = self.store.invitation_ids_with_parent(params["invitation"])
            restrict = children if restrict is None else restrict & children
        if params.get("prefix"):
            matching = set(self._ids_with_prefix("invitation", params["prefix"]))
            restrict = matching if restrict is None else restrict & matching
        kinds: list[str] | None = None
        kind = params.get("type")
        if kind and kind != "all":
            kinds = {"note": ["note"], "notes": ["note"], "edge": ["edge"], "edges": ["edge"], "tag": ["tag"],
                     "tags": ["tag"], "group": ["group"], "groups": ["group"], "invitation": ["invitation"],
                     "invitations": ["invitation"], "meta": ["meta"], "message": ["message"],
                     "messages": ["message"]}.get(kind)
            if kinds is None:
                raise ValidationError("type must be one of note, edge, tag, group, invitation, meta, message, all",
                                      path="type", invalid_value=kind, has_invalid_value=True)
        if restrict is not None:
            rows = self.store.invitation_rows_by_ids(sorted(restrict))
        else:
            rows = self.store.invitation_rows(params.get("domain") or None)
        out = []
        for domain, invitation_kind, invitation in rows:
            if params.get("domain") and domain != params["domain"]:
                continue
            if kinds is not None and invitation_kind not in kinds:
                continue
            out.append(invitation)
        return out

    def _invitation_filter(
        self, caller: Caller, params: dict[str, Any], paging: Paging, now: int, expired_ok: bool
    ) -> Callable[[dict[str, Any]], bool]:
        prefix = params.get("prefix")
        prefix_re = regex_filter(prefix, "prefix") if prefix else None
        regex = params.get("regex")
        regex_re = regex_filter(regex, "regex") if regex else None
        invitee = params.get("invitee")
        signature = params.get("signature")
        replyto = params.get("replyto")
        reply_forum = params.get("replyForum")
        replyto_note = params.get("replytoNote")
        minduedate = params.get("minduedate")
        duedate = params.get("duedate")
        pastdue = params.get("pastdue")

        def keep(invitation: dict[str, Any]) -> bool:
            if not paging.trash and self.world.deleted(invitation):
                return False
            expdate = invitation.get("expdate")
            if not expired_ok and isinstance(expdate, int) and expdate <= now:
                return False
            if prefix_re is not None and not prefix_re.match(invitation["id"]):
                return False
            if regex_re is not None and not regex_re.match(invitation["id"]):
                return False
            if signature is not None and signature not in (invitation.get("signatures") or []):
                return False
            if invitee is True and not self.access.is_invitee(caller, invitation):
                return False
            if isinstance(invitee, str) and invitee not in (invitation.get("invitees") or []):
                return False
            edit = invitation.get("edit")
            note_template = edit.get("note") if isinstance(edit, dict) else None
            forum = note_template.get("forum") if isinstance(note_template, dict) else None
            if reply_forum is not None and forum != reply_forum:
                return False
            if replyto_note is not None and (
                not isinstance(note_template, dict) or note_template.get("replyto") != replyto_note
            ):
                return False
            if replyto is not None and (not isinstance(note_template, dict) or note_template.get("replyto") != replyto):
                return False
            due = invitation.get("duedate")
            if minduedate is not None and not (isinstance(due, int) and due >= minduedate):
                return False
            if duedate is not None and due != duedate:
                return False
            if pastdue is not None and (isinstance(due, int) and due <= now) != bool(pastdue):
                return False
            cdate = invitation.get("cdate")
            writer = self.access.can_write(caller, invitation)
            if isinstance(cdate, int) and cdate > now and not writer:
                return False
            return writer or self.access.can_read(caller, invitation)

        return keep

    def _shape_invitation(self, caller: Caller, invitation: dict[str, Any], paging: Paging) -> dict[str, Any]:
        out = views.invitation_view(self.access, caller, invitation)
        if "writable" in paging.details or "all" in paging.details:
            out["details"] = {"writable": self.access.can_write(caller, invitation)}
        return views.select_fields(out, list(paging.select))

    # -- notes ---------------------------------------------------------------------------------
    def get_notes(self, caller: Caller, params: dict[str, Any]) -> Page:
        paging = Paging.from_params(params)
        note_id = params.get("id")
        if note_id is not None:
            note = self.store.get_note(note_id)
            if note is None or (self.world.deleted(note) and not paging.trash):
                raise NotFoundError(f"The Note {note_id} was not found")
            if not self.access.can_read(caller, note):
                raise ForbiddenError(f"User {caller.name} does not have permission to see Note {note_id}")
            candidates = [note]
        else:
            lean = self._lean_notes(caller, params, paging)
            if lean is not None:
                lean.items = [self._shape_note(caller, n, paging) for n in lean.items]
                return lean
            candidates = self._note_candidates(params)
        keep = self._note_filter(caller, params, paging)
        matched = [n for n in candidates if keep(n)]
        page = sort_and_page(matched, paging, "tcdate:desc")
        page.items = [self._shape_note(caller, n, paging) for n in page.items]
        return page

    def notes_by_ids(self, caller: Caller, note_ids: list[str]) -> Page:
        """``POST /notes/search {"ids": [...]}``: the readable notes among ``note_ids``."""
        return self.get_notes(caller, {"ids": note_ids, "stream": True})

    def _note_candidates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        ids = _csv(params.get("ids"))
        if ids:
            notes = self.store.notes_by_ids(ids)
            return [n for n in notes if _note_row_matches(n, params)]
        return self.store.notes_matching(_note_filter(params))

    def _lean_notes(self, caller: Caller, params: dict[str, Any], paging: Paging) -> Page | None:
        """List notes reading only the indexed columns, decoding just the page returned.

        Used when no filter needs the whole note (content, signatures, writers) and the sort is on
        a column; otherwise ``None`` (the caller decodes every candidate instead).
        """
        needs_documents = ("signature", "signatures", "writer", "parentInvitations", "externalId", "ids")
        if any(key in params for key in needs_documents) or any(k.startswith("content.") for k in params):
            return None
        field = (paging.sort or "tcdate").partition(":")[0]
        if field not in _LEAN_SORT_FIELDS:
            return None
        rows = self.store.note_summaries(_note_filter(params))
        decoded: dict[str, list[str]] = {}
        now = self.world.now()
        light: list[dict[str, Any]] = []
        for note_id, number, tcdate, tmdate, cdate, ddate, readers, nonreaders in rows:
            if not paging.trash and ddate is not None and ddate <= now:
                continue
            if not caller.is_super:
                acl = {"readers": decoded.get(readers) or decoded.setdefault(readers, json.loads(readers)),
                       "nonreaders": decoded.get(nonreaders) or decoded.setdefault(nonreaders, json.loads(nonreaders))}
                if not self.access.can_read(caller, acl):
                    continue
            light.append({"id": note_id, "number": number, "tcdate": tcdate, "tmdate": tmdate, "cdate": cdate,
                          "ddate": ddate})
        page = sort_and_page(light, paging, "tcdate:desc")
        documents = {n["id"]: n for n in self.store.notes_by_ids([i["id"] for i in page.items])}
        page.items = [documents[i["id"]] for i in page.items]
        return page

    def _note_filter(
        self, caller: Caller, params: dict[str, Any], paging: Paging
    ) -> Callable[[dict[str, Any]], bool]:
        content_filters = {k[len("content."):]: v for k, v in params.items() if k.startswith("content.")}
        signatures = _csv(params.get("signatures")) or _csv(params.get("signature"))
        widen = bool(params.get("transitiveMembers"))
        writer = params.get("writer")
        parent_invitations = params.get("parentInvitations")
        external_id = params.get("externalId")

        def keep(note: dict[str, Any]) -> bool:
            if not paging.trash and self.world.deleted(note):
                return False
            if parent_invitations is not None and note.get("parentInvitations") != parent_invitations:
                return False
            if external_id is not None and external_id not in (note.get("externalIds") or []):
                return False
            if signatures and not self._signed_by(note, signatures, widen):
                return False
            if writer is not None and writer not in (note.get("writers") or []):
                return False
            for field, wanted in content_filters.items():
                if not _content_matches(note, field, wanted):
                    return False
            return self.access.can_read(caller, note)

        return keep

    def _signed_by(self, note: dict[str, Any], signatures: list[str], widen: bool) -> bool:
        signed = note.get("signatures") or []
        if any(s in signed for s in signatures):
            return True
        if widen:
            return any(self.access.is_member(s, g) for s in signatures for g in signed)
        return False

    def _shape_note(self, caller: Caller, note: dict[str, Any], paging: Paging) -> dict[str, Any]:
        out = views.note_view(self.access, caller, note)
        if paging.details:
            out["details"] = self._note_details(caller, note, paging.details)
        return views.select_fields(out, list(paging.select))

    def _note_details(self, caller: Caller, note: dict[str, Any], wanted: Iterable[str]) -> dict[str, Any]:
        wanted = set(wanted)
        everything = "all" in wanted
        details: dict[str, Any] = {}
        if everything or "writable" in wanted:
            details["writable"] = self.access.can_write(caller, note)
        needs_replies = wanted & {"replyCount", "directReplyCount", "directReplies", "replies"} or everything
        if needs_replies:
            replies = [
                r for r in self.store.forum_replies(note["id"])
                if not self.world.deleted(r) and self.access.can_read(caller, r)
            ]
            direct = [r for r in replies if r.get("replyto") == note["id"]]
            if everything or "replyCount" in wanted:
                details["replyCount"] = len(replies)
            if everything or "directReplyCount" in wanted:
                details["directReplyCount"] = len(direct)
            if everything or "directReplies" in wanted:
                details["directReplies"] = [views.note_view(self.access, caller, r) for r in direct]
            if everything or "replies" in wanted:
                details["replies"] = [views.note_view(self.access, caller, r) for r in replies]
        if everything or "invitation" in wanted:
            invitation = self.store.get_invitation((note.get("invitations") or [""])[0])
            if invitation is not None and self.access.can_read(caller, invitation):
                details["invitation"] = views.invitation_view(self.access, caller, invitation)
        if everything or "forumContent" in wanted:
            forum = self.store.get_note(note.get("forum") or "") if note.get("forum") != note["id"] else note
            if forum is not None and self.access.can_read(caller, forum):
                details["forumContent"] = self.access.visible_content(caller, forum.get("content")) or {}
        return details

    # -- edits ---------------------------------------------------------------------------------
    def get_edits(self, kind: str, caller: Caller, params: dict[str, Any]) -> Page:
        paging = Paging.from_params(params)
        edit_id = params.get("id")
        ids = [edit_id] if edit_id else _csv(params.get("ids"))
        rows = self.store.edits_matching(
            kind, ids=ids, entity_id=params.get(f"{kind}.id") or None, invitation=params.get("invitation") or None,
            domain=params.get("domain") or None,
        )
        signatures = _csv(params.get("signatures"))
        writer = params.get("writer")
        tauthor = params.get("tauthor")

        def keep(edit: dict[str, Any]) -> bool:
            if not paging.trash and edit.get("ddate") is not None:
                return False
            if signatures and not any(s in (edit.get("signatures") or []) for s in signatures):
                return False
            if writer is not None and writer not in (edit.get("writers") or []):
                return False
            if tauthor and edit.get("tauthor") != caller.login:
                return False
            return self.access.can_read(caller, edit)

        matched = [e for e in rows if keep(e)]
        if edit_id and not matched:
            if rows:
                raise ForbiddenError(f"User {caller.name} does not have permission to see Edit {edit_id}")
            raise NotFoundError(f"The Edit {edit_id} was not found")
        page = sort_and_page(matched, paging, "tcdate:desc")
        shaped = []
        for edit in page.items:
            out = views.edit_view(self.access, caller, edit, kind)
            if "writable" in paging.details or "all" in paging.details:
                out["details"] = {"writable": self.access.can_write(caller, edit)}
            shaped.append(views.select_fields(out, list(paging.select)))
        page.items = shaped
        return page


def _note_filter(params: dict[str, Any]) -> NoteFilter:
    """The indexed note filters of a query (an empty parameter filters nothing, as before)."""
    return NoteFilter(
        forum=params.get("forum") or None,
        replyto=params.get("replyto") or None,
        domain=params.get("domain") or None,
        mintcdate=params.get("mintcdate"),
        invitations=tuple(_csv(params.get("invitation"))),
        numbers=tuple(params.get("number") or ()),
    )


def _note_row_matches(note: dict[str, Any], params: dict[str, Any]) -> bool:
    """The SQL-side note filters, for notes already loaded by id."""
    if params.get("forum") and note.get("forum") != params["forum"]:
        return False
    if params.get("replyto") and note.get("replyto") != params["replyto"]:
        return False
    if params.get("domain") and note.get("domain") != params["domain"]:
        return False
    if params.get("mintcdate") is not None and (note.get("tcdate") or 0) < params["mintcdate"]:
        return False
    invitations = _csv(params.get("invitation"))
    if invitations and not set(invitations) & set(note.get("invitations") or []):
        return False
    numbers = params.get("number")
    return not numbers or note.get("number") in numbers


def _content_matches(note: dict[str, Any], field: str, wanted: Any) -> bool:
    content = note.get("content") or {}
    entry = content.get(field)
    if not isinstance(entry, dict) or "value" not in entry:
        return False
    value = entry["value"]
    options = _csv(wanted) if isinstance(wanted, str) and "," in wanted else (
        wanted if isinstance(wanted, list) else [wanted]
    )
    for option in options:
        if isinstance(value, list):
            if option in value or str(option) in [str(v) for v in value]:
                return True
        elif value == option or str(value) == str(option):
            return True
    return False
