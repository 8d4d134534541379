"""Edges and tags: posted directly, not through edits (notes/api-v2.md §2.4, §2.5, §4.7).

A post names an invitation with an ``edge`` (or ``tag``) template; the object is checked against it
like an edit (constants, params, ``${2/…}`` references relative to the object), the signature is
checked, and ``maxReplies`` caps live edges per (head, tail). A post carrying an existing ``id``
updates that edge: FIDELITY: fields the post omits are kept (the client always resends them all),
and only writers of the edge or of the invitation may update it.

The invitation's code runs as for edits: its ``preprocess`` before the object is stored (on the
object as it would be stored; a refusal stores nothing of the post), its ``process`` after, from
the queue, as ``process(client, edge, invitation)`` or ``process_update(client, edge, invitation,
existing_edge)`` (tags likewise), bulk posts included.
"""

from __future__ import annotations

from typing import Any

from venueops.sandbox import dollar, ids, shapes, templates, views
from venueops.sandbox.access import Caller
from venueops.sandbox.edits import usable_invitation
from venueops.sandbox.errors import (
    ApiError,
    ForbiddenError,
    MissingRequiredError,
    NotFoundError,
    NotSignatoryError,
    TooManyError,
    ValidationError,
)
from venueops.sandbox.queries import Page, Paging, _csv, sort_and_page
from venueops.sandbox.runtime.runtime import PreprocessRefusal
from venueops.sandbox.store import EdgeFilter, TagFilter
from venueops.sandbox.world import World

MAX_BULK = 50_000
_EDGE_COLUMNS = ("id", "invitation", "head", "tail", "label", "domain")  # what GET /edges filters in the store
_TAG_COLUMNS = ("id", "invitation", "note", "profile", "forum", "signature", "domain")  # and GET /tags


class EdgeService:
    def __init__(self, world: World) -> None:
        self.world = world
        self.store = world.store
        self.access = world.access

    # -- posting -------------------------------------------------------------------------------
    def post_edge(self, caller: Caller, body: Any) -> dict[str, Any]:
        return self._post_many("edge", caller, [body], single=True)[0]

    def post_edges(self, caller: Caller, body: Any) -> list[dict[str, Any]]:
        return self._post_many("edge", caller, body)

    def post_tag(self, caller: Caller, body: Any) -> dict[str, Any]:
        return self._post_many("tag", caller, [body], single=True)[0]

    def post_tags(self, caller: Caller, body: Any) -> list[dict[str, Any]]:
        return self._post_many("tag", caller, body)

    def _post_many(self, kind: str, caller: Caller, body: Any, *, single: bool = False) -> list[dict[str, Any]]:
        """Post edges or tags in one transaction: all or nothing (FIDELITY: our choice for the bulk
        endpoints, so that a failed batch can simply be sent again)."""
        if not isinstance(body, list):
            raise ValidationError("body must be array", invalid_value=body, has_invalid_value=True)
        if len(body) > MAX_BULK:
            raise ValidationError(f"body must NOT have more than {MAX_BULK} items")
        objects = [shapes.check_object(kind, item, "" if single else str(index)) for index, item in enumerate(body)]
        if self.world.processes.enabled:
            for obj in objects:
                self._preprocess(kind, caller, obj)
        with self.store.transaction():
            return [views.edge_view(self.access, caller, self._post(kind, caller, obj)) for obj in objects]

    def _preprocess(self, kind: str, caller: Caller, obj: dict[str, Any]) -> None:
        """Run the invitation's ``preprocess`` on the object as it would be stored (made and undone,
        as for edits), outside the store's lock; a refusal refuses the whole post, nothing stored."""
        with self.store.reading():
            invitation = self.store.get_invitation(obj["invitation"]) if isinstance(obj.get("invitation"), str) \
                else None
            script = self.world.processes.preprocess_script(invitation)
        if script is None:
            return
        try:
            with self.store.transaction():
                preview = self._post(kind, caller, obj, quiet=True)
                raise _Undo(preview)
        except _Undo as undone:
            stored, existing = undone.preview
        try:
            self.world.processes.runtime.preprocess(script, kind, stored, invitation, existing)
        except PreprocessRefusal as refusal:
            # FIDELITY: as for edits, the raised message is OpenReview's; the status and name are ours.
            raise ApiError(refusal.message, name="Error", status=400) from None

    def _post(self, kind: str, caller: Caller, obj: dict[str, Any], *, quiet: bool = False) -> Any:
        """Validate and store one edge or tag; return it (with ``quiet``, the pair (stored, existing)
        and no process queued: the preview a preprocess sees)."""
        now = self.world.now()
        invitation = usable_invitation(self.world, caller, obj.get("invitation"))
        template = invitation.get(kind)
        if not isinstance(template, dict):
            raise ValidationError(f"The Invitation {invitation['id']} does not accept {kind}s", path="invitation")
        existing = None
        if obj.get("id") is not None:
            existing = self.store.get_edge(obj["id"]) if kind == "edge" else self.store.get_tag(obj["id"])
            if existing is None:
                raise NotFoundError(f"The {kind.capitalize()} {obj['id']} was not found", path="id")
            if not (self.access.can_write(caller, existing) or self.access.can_write(caller, invitation)):
                raise ForbiddenError(f"User {caller.name} is not writer of the {kind.capitalize()} {obj['id']}")
            # A client re-posts the object it fetched (openreview-py's Tag/Edge.to_json): keys the
            # template does not list are accepted when they only repeat the stored value.
            obj = {k: v for k, v in obj.items() if k in template or k in ("id", "invitation")
                   or v != existing.get(k)}
            merged = {k: v for k, v in existing.items() if k in template}
            merged.update(obj)
            obj = {k: v for k, v in merged.items() if k not in ("domain", "tcdate", "tmdate", "tauthor")}
        posted = {k: v for k, v in obj.items() if k not in ("invitation", "id")}
        result = templates.check_object(template, posted, self.world)
        resolved = dollar.resolve(result.filled, self.world.lookup_entity)
        templates.check_constants(resolved, result.constant_checks)
        signature = self._signature(kind, caller, resolved)
        if kind == "edge":
            for end in ("head", "tail"):
                if not isinstance(resolved.get(end), str) or not resolved[end]:
                    raise MissingRequiredError(f"The field {end} cannot be empty or missing", path=end)
            if existing is None:
                self._check_max_replies(invitation, resolved)
        shapes.check_resolved_lists(resolved, kind, ("readers", "nonreaders", "writers", "signatures"))
        stored = dict(resolved)
        for key in list(stored):
            if stored[key] == {"delete": True}:
                stored.pop(key)
        stored["id"] = existing["id"] if existing else ids.random_id(ids.EDGE_ID_LENGTH if kind == "edge" else 10)
        stored["invitation"] = invitation["id"]
        stored["domain"] = invitation.get("domain")
        stored["tcdate"] = existing.get("tcdate", now) if existing else now
        stored["tmdate"] = now
        stored.setdefault("cdate", stored["tcdate"])
        stored["tauthor"] = caller.login or "(guest)"
        if kind == "tag":
            stored["signature"] = signature
            stored.pop("signatures", None)
            if stored.get("note") and not stored.get("forum"):
                note = self.store.get_note(stored["note"])
                if note is not None:
                    stored["forum"] = note.get("forum")
            if invitation.get("invitations"):
                stored["parentInvitations"] = invitation["invitations"][0]
            self.store.put_tag(stored)
        else:
            stored.setdefault("readers", [])
            stored.setdefault("writers", [])
            stored.setdefault("nonreaders", [])
            self.store.put_edge(stored)
        if quiet:
            return stored, existing
        self.world.processes.edit_stored(kind, stored, invitation, existing)
        return stored

    def _signature(self, kind: str, caller: Caller, resolved: dict[str, Any]) -> str:
        if kind == "tag" and isinstance(resolved.get("signature"), str):
            signature = resolved["signature"]
        else:
            signatures = resolved.get("signatures")
            if not signatures:
                raise MissingRequiredError("The field signatures cannot be empty or missing", path="signatures")
            if not isinstance(signatures, list) or len(signatures) != 1:
                raise ValidationError("signatures must contain exactly one group id", path="signatures")
            signature = signatures[0]
        if not self.access.can_sign(caller, signature):
            raise NotSignatoryError(f"User {caller.name} is not a signatory of {signature}", path="signatures",
                                    invalid_value=signature, has_invalid_value=True)
        return str(signature)

    def _check_max_replies(self, invitation: dict[str, Any], edge: dict[str, Any]) -> None:
        limit = invitation.get("maxReplies")
        if not isinstance(limit, int) or limit <= 0:
            return
        live = [
            e for e in self.store.edges_between(invitation["id"], edge["head"], edge["tail"])
            if not self.world.deleted(e)
        ]
        if len(live) >= limit:
            raise TooManyError(
                f"The maximum number ({limit}) of Edges between {edge['head']} and {edge['tail']} has been reached"
            )

    # -- reading -------------------------------------------------------------------------------
    def get_edges(self, caller: Caller, params: dict[str, Any]) -> Page:
        paging = Paging.from_params(params)
        edges = self._matching_edges(caller, params, paging.trash)
        page = sort_and_page(edges, paging, "tcdate:desc")
        page.items = [views.select_fields(views.edge_view(self.access, caller, e), list(paging.select))
                      for e in page.items]
        return page

    def count_edges(self, caller: Caller, params: dict[str, Any]) -> int:
        return len(self._matching_edges(caller, params, bool(params.get("trash"))))

    def grouped_edges(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        """``GET /edges?groupBy=head|tail|id``: one entry per group, values holding the selected fields."""
        group_by = _csv(params.get("groupBy"))
        for key in group_by:
            if key not in ("head", "tail", "id", "label", "weight", "invitation"):
                raise ValidationError(f"groupBy must be head, tail or id, not {key}", path="groupBy")
        select = _csv(params.get("select")) or ["tail", "weight", "label", "id"]
        edges = self._matching_edges(caller, params, bool(params.get("trash")))
        edges.sort(key=lambda e: (e.get("tcdate") or 0, e["id"]))
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for edge in edges:
            key = tuple(edge.get(k) for k in group_by)
            entry = groups.setdefault(key, {"id": {k: edge.get(k) for k in group_by}, "values": [], "count": 0})
            entry["values"].append({k: edge.get(k) for k in select if k in edge})
            entry["count"] += 1
        return list(groups.values())

    def _matching_edges(self, caller: Caller, params: dict[str, Any], trash: bool) -> list[dict[str, Any]]:
        where = EdgeFilter(**{column: params.get(column) for column in _EDGE_COLUMNS})
        if where == EdgeFilter():
            raise ValidationError("Edges can only be listed by id, invitation, head, tail, label or domain")
        with self.store.reading():
            edges = self.store.edges_matching(where)
            return [e for e in edges if (trash or not self.world.deleted(e)) and self.access.can_read(caller, e)]

    def get_tags(self, caller: Caller, params: dict[str, Any]) -> Page:
        paging = Paging.from_params(params)
        where = TagFilter(**{column: params.get(column) for column in _TAG_COLUMNS})
        with self.store.reading():
            tags = self.store.tags_matching(where)
            label = params.get("label") or params.get("tag")
            tags = [
                t for t in tags
                if (paging.trash or not self.world.deleted(t))
                and (label is None or t.get("label") == label)
                and (params.get("mintmdate") is None or (t.get("tmdate") or 0) >= params["mintmdate"])
                and params.get("parentInvitations") in (None, t.get("parentInvitations"))
                and self.access.can_read(caller, t)
            ]
            page = sort_and_page(tags, paging, "tcdate:desc")
            page.items = [views.edge_view(self.access, caller, t) for t in page.items]
            return page

    # -- deleting ------------------------------------------------------------------------------
    def delete_edges(self, caller: Caller, body: Any) -> dict[str, str]:
        return self._delete("edge", caller, body)

    def delete_tags(self, caller: Caller, body: Any) -> dict[str, str]:
        return self._delete("tag", caller, body)

    def _delete(self, kind: str, caller: Caller, body: Any) -> dict[str, str]:
        fields = {"invitation": _str, "id": _str, "label": _str, "waitToFinish": _bool, "softDelete": _bool}
        if kind == "edge":
            fields.update({"head": _str, "tail": _str})
        query = shapes.check_fields(body, fields, frozenset(), "")
        if not query.get("invitation"):
            raise MissingRequiredError("The field invitation cannot be empty or missing", path="invitation")
        with self.store.transaction():
            invitation = self.store.get_invitation(query["invitation"])
            if invitation is None:
                raise NotFoundError(f"The Invitation {query['invitation']} was not found", path="invitation")
            if not self.access.can_write(caller, invitation):
                raise ForbiddenError(f"User {caller.name} is not writer of the Invitation {invitation['id']}")
            columns = ("id", "label", "head", "tail") if kind == "edge" else ("id", "label")
            chosen = {column: query.get(column) for column in columns}
            rows = (self.store.edges_matching(EdgeFilter(invitation=query["invitation"], **chosen)) if kind == "edge"
                    else self.store.tags_matching(TagFilter(invitation=query["invitation"], **chosen)))
            if query.get("softDelete"):
                now = self.world.now()
                for row in rows:
                    updated = {**row, "ddate": now, "tmdate": now}
                    (self.store.put_edge if kind == "edge" else self.store.put_tag)(updated)
            else:
                (self.store.delete_edges if kind == "edge" else self.store.delete_tags)([r["id"] for r in rows])
        return {"status": "ok"}


def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else "string"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "boolean"


class _Undo(Exception):
    """Carries a preview out of the transaction it rolls back."""

    def __init__(self, preview: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        super().__init__("preview")
        self.preview = preview
