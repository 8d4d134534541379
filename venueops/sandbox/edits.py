"""The edit pipeline: ``POST /notes/edits``, ``/groups/edits`` and ``/invitations/edits`` (§4.1).

For one posted edit, in order:

1. shape of the body (``shapes``);
2. a destructive change (the body names an existing edit ``id``) needs a writer of that edit;
3. the invitation: exists, readable, active (``cdate``), not expired (``expdate``, writers excepted),
   caller among its invitees; no invitation at all only for the super user on invitation edits;
4. the invitation's template (``templates``): params checked, constants filled in; a meta
   invitation (``edit: true``) has no template and admits any edit of objects in its domain;
5. server values the template may refer to (a new note's ``id`` and ``number``), then ``${…}``
   references (``dollar``) and the constants that held them;
6. the signature: exactly one, and the caller may sign with it;
7. ``maxReplies``, and the human-verification rate (``verification``);
8. the entity: folded from its edits (``inference``), server fields set, side effects run
   (anonymous groups), checked (an invitation's template against the specifier rules,
   ``specifiers``), stored with the edit.

Everything runs in one transaction: any error leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from venueops.sandbox import dollar, ids, inference, shapes, specifiers, templates, verification
from venueops.sandbox.access import SUPER_GROUP, Caller
from venueops.sandbox.errors import (
    ApiError,
    ForbiddenError,
    MissingRequiredError,
    NotFoundError,
    NotInviteeError,
    NotSignatoryError,
    TooManyError,
    ValidationError,
)
from venueops.sandbox.runtime.runtime import PreprocessRefusal
from venueops.sandbox.world import ROOT_META_INVITATION, World

DEEP_MERGE = {"note": False, "group": False, "invitation": True}
REQUIRED_ON_CREATE = {
    "group": ("readers", "writers", "signatures", "signatories"),
    "note": ("readers", "writers", "signatures"),
    "invitation": ("readers", "signatures"),
}
ID_LIST_FIELDS = {
    "group": ("readers", "nonreaders", "writers", "signatures", "signatories", "members", "deanonymizers",
              "impersonators"),
    "note": ("readers", "nonreaders", "writers", "signatures"),
    "invitation": ("readers", "nonreaders", "writers", "signatures", "invitees", "noninvitees"),
}
TEMPLATE_KINDS = ("edit", "edge", "tag", "message")


@dataclass(frozen=True)
class _Posted:
    edit: dict[str, Any]
    invitation: dict[str, Any] | None  # the invitation it was posted through


class _Undo(Exception):
    """Raised inside a transaction to roll a trial edit back, carrying what it would have stored."""

    def __init__(self, posted: _Posted) -> None:
        super().__init__("undo")
        self.posted = posted


class EditService:
    """Posting edits of notes, groups and invitations."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.store = world.store
        self.access = world.access

    # -- entry point ---------------------------------------------------------------------------
    def post(self, kind: str, caller: Caller, body: Any, *, processes: bool = True) -> dict[str, Any]:
        """Validate and store one edit of ``kind``; return the stored edit. ``processes=False`` (bulk
        loading) neither runs a preprocess nor queues the process.

        When the invitation has a ``preprocess``, the edit is first made and undone (so the script sees
        the edit as it would be stored), the script runs outside the store's lock (its own reads go
        through the API), and only if it does not refuse is the edit made for good (§4.1 step 8)."""
        edit_in = shapes.check_edit(body, kind)
        script = self._preprocess(kind, edit_in) if processes else None
        if script is not None:
            preview = self._try(kind, caller, edit_in)
            try:
                self.world.processes.runtime.preprocess(script, kind, preview.edit, preview.invitation, None)
            except PreprocessRefusal as refusal:
                # FIDELITY: OpenReview surfaces the raised message; the status and name are ours.
                raise ApiError(refusal.message, name="Error", status=400) from None
        with self.store.transaction():
            gate = self._verification_gate(kind, caller, edit_in) if processes else None
            posted = self._post(kind, caller, edit_in, quiet=not processes)
            if gate is not None:
                self.world.verification.record(caller.user_label, gate, self.world.now())
            return posted.edit

    def _verification_gate(self, kind: str, caller: Caller, edit_in: dict[str, Any]) -> str | None:
        """Refuse a post over the invitation's human-verification rate (verification.py); the key
        to record the post under when it is stored, or None when no gate applies. Runs inside the
        write transaction, so concurrent posts are counted one after the other."""
        parent_id = edit_in.get("invitations") if kind == "invitation" else edit_in.get("invitation")
        if caller.is_super or not isinstance(parent_id, str):
            return None
        invitation = self.store.get_invitation(parent_id)
        rate = verification.invitation_rate(invitation) if invitation is not None else None
        if rate is None:
            return None
        key = f"invitation:{parent_id}"
        self.world.verification.check(caller.user_label, key, rate[0], rate[1], self.world.now())
        return key

    def _preprocess(self, kind: str, edit_in: dict[str, Any]) -> str | None:
        parent_id = edit_in.get("invitations") if kind == "invitation" else edit_in.get("invitation")
        if not isinstance(parent_id, str) or not self.world.processes.enabled:
            return None
        with self.store.reading():
            return self.world.processes.preprocess_script(self.store.get_invitation(parent_id))

    def _try(self, kind: str, caller: Caller, edit_in: dict[str, Any]) -> _Posted:
        """The edit as it would be stored, with nothing stored (a refusal is raised as usual)."""
        try:
            with self.store.transaction():
                raise _Undo(self._post(kind, caller, edit_in, quiet=True))
        except _Undo as undone:
            return undone.posted

    def _post(self, kind: str, caller: Caller, edit_in: dict[str, Any], *, quiet: bool = False) -> _Posted:
        now = self.world.now()
        parent_id = edit_in.get("invitations") if kind == "invitation" else edit_in.get("invitation")
        prior = self._prior_edit(kind, caller, edit_in.get("id"))
        invitation = self._invitation_for(kind, caller, parent_id)
        is_meta = invitation is None or invitation.get("edit") is True

        filled, checks = self._apply_template(kind, edit_in, invitation)
        target_id, existing, filled = self._target(kind, filled, invitation, prior)
        resolved = dollar.resolve(filled, self.world.lookup_entity)
        templates.check_constants(resolved, checks)
        obj = resolved.get(kind)
        if not isinstance(obj, dict):
            raise MissingRequiredError(f"The field {kind} cannot be empty or missing", path=kind)
        if kind in ("group", "invitation"):
            target_id = shapes.check_id(obj.get("id"), f"{kind}/id", invitation=kind == "invitation")
            existing = self._current(kind, target_id)
        if prior is not None and prior[1] != target_id:
            raise ValidationError(f"The Edit {edit_in['id']} edits {prior[1]}, not {target_id}", path=f"{kind}/id")
        signature = self._check_signature(caller, resolved)
        if is_meta and invitation is not None and invitation["id"] != ROOT_META_INVITATION:
            self._check_meta_scope(kind, invitation, target_id, existing)
        domain = self._edit_domain(kind, resolved, invitation, existing, target_id, caller)
        if existing is None and invitation is not None:
            self._check_max_replies(kind, invitation, signature, obj)

        stored = self._stored_edit(kind, resolved, parent_id, domain, caller, now, prior)
        if prior is not None:
            self.store.update_edit(kind, stored, target_id)
            entity = self._refold(kind, target_id)
        else:
            self.store.insert_edit(kind, stored, target_id)
            entity = self._fold_in(kind, existing, stored, parent_id, invitation, domain, now)
        self._validate_entity(kind, entity, existing)
        self._save(kind, entity, existing)
        if not quiet:
            if kind == "invitation":
                self.world.processes.invitation_saved(entity)
            self.world.processes.edit_stored(kind, stored, invitation)
        return _Posted(stored, invitation)

    # -- steps ---------------------------------------------------------------------------------
    def _prior_edit(self, kind: str, caller: Caller, edit_id: Any) -> tuple[dict[str, Any], str] | None:
        if edit_id is None:
            return None
        found = self.store.get_edit(edit_id)
        if found is None or found[0] != kind:
            raise NotFoundError(f"The Edit {edit_id} was not found", path="id")
        _, entity_id, edit = found
        if not self.access.can_write(caller, edit):
            raise ForbiddenError(f"User is not writer of the Edit {edit_id}", path="id")
        return edit, entity_id

    def _invitation_for(self, kind: str, caller: Caller, parent_id: Any) -> dict[str, Any] | None:
        if parent_id is None:
            if kind == "invitation" and caller.is_super:
                return None
            field = "invitations" if kind == "invitation" else "invitation"
            raise MissingRequiredError(f"The field {field} cannot be empty or missing", path=field)
        invitation = usable_invitation(self.world, caller, parent_id)
        template = invitation.get("edit")
        if template is True:
            return invitation
        if not isinstance(template, dict) or kind not in template:
            raise ValidationError(
                f"The Invitation {parent_id} does not accept {kind} edits",
                path="invitations" if kind == "invitation" else "invitation",
            )
        return invitation

    def _apply_template(
        self, kind: str, edit_in: dict[str, Any], invitation: dict[str, Any] | None
    ) -> tuple[dict[str, Any], list[templates.ConstantCheck]]:
        posted = {k: v for k, v in edit_in.items() if k not in ("invitation", "invitations", "id")
                  or (kind == "invitation" and k == "invitation")}
        if invitation is None or invitation.get("edit") is True:
            return posted, []
        result = templates.check_object(
            invitation["edit"], posted, self.world, creates_invitation=kind == "invitation"
        )
        return result.filled, result.constant_checks

    def _target(
        self,
        kind: str,
        filled: dict[str, Any],
        invitation: dict[str, Any] | None,
        prior: tuple[dict[str, Any], str] | None,
    ) -> tuple[str, dict[str, Any] | None, dict[str, Any]]:
        """The entity the edit targets; for notes, the server values references may need."""
        if kind != "note":
            return "", None, filled
        note = dict(filled.get("note") or {})
        note_id = note.get("id")
        if isinstance(note_id, str) and dollar.has_reference(note_id):
            note_id = dollar.resolve(filled, self.world.lookup_entity).get("note", {}).get("id")
        if note_id is None and prior is not None:
            note_id = prior[1]
        if note_id is not None:
            shapes.check_id(note_id, "note/id")
            existing = self.store.get_note(note_id)
            if existing is None:
                raise NotFoundError(f"The Note {note_id} was not found", path="note/id")
            note["id"] = note_id
            if existing.get("number") is not None:
                note["number"] = existing["number"]
            note.setdefault("forum", existing.get("forum"))
        else:
            existing = None
            note_id = ids.random_id()
            note["id"] = note_id
            numbering = invitation["id"] if invitation is not None else ROOT_META_INVITATION
            note["number"] = self.store.next_note_number(numbering)
        filled = {**filled, "note": note}
        return note_id, existing, filled

    def _current(self, kind: str, target_id: str) -> dict[str, Any] | None:
        if kind == "group":
            return self.store.get_group(target_id)
        if kind == "invitation":
            return self.store.get_invitation(target_id)
        return self.store.get_note(target_id)

    def _check_signature(self, caller: Caller, resolved: dict[str, Any]) -> str:
        signatures = resolved.get("signatures")
        if not signatures:
            raise MissingRequiredError("The field signatures cannot be empty or missing", path="signatures")
        if not isinstance(signatures, list) or len(signatures) != 1 or not isinstance(signatures[0], str):
            raise ValidationError("signatures must contain exactly one group id", path="signatures",
                                  invalid_value=signatures, has_invalid_value=True)
        signature = signatures[0]
        if not self.access.can_sign(caller, signature):
            raise NotSignatoryError(f"User {caller.name} is not a signatory of {signature}", path="signatures",
                                    invalid_value=signature, has_invalid_value=True)
        return signature

    def _check_meta_scope(
        self, kind: str, invitation: dict[str, Any], target_id: str, existing: dict[str, Any] | None
    ) -> None:
        domain = invitation.get("domain") or ids.invitation_prefix(invitation["id"])
        if existing is not None:
            if existing.get("domain") != domain:
                raise ForbiddenError(
                    f"The Invitation {invitation['id']} can not edit {target_id}, which belongs to "
                    f"{existing.get('domain')}", path=f"{kind}/id")
        elif kind != "note" and not self.world.within_domain(target_id, domain):
            raise ForbiddenError(
                f"The Invitation {invitation['id']} can not create {target_id} outside {domain}", path=f"{kind}/id")

    def _edit_domain(
        self,
        kind: str,
        resolved: dict[str, Any],
        invitation: dict[str, Any] | None,
        existing: dict[str, Any] | None,
        target_id: str,
        caller: Caller,
    ) -> str:
        posted_domain = resolved.get("domain")
        if existing is not None and existing.get("domain"):
            return str(existing["domain"])
        if isinstance(posted_domain, str) and posted_domain:
            if invitation is not None and invitation.get("edit") is True and not caller.is_super:
                meta_domain = invitation.get("domain") or ""
                if not self.world.within_domain(posted_domain, meta_domain):
                    raise ForbiddenError(f"The domain {posted_domain} is outside {meta_domain}", path="domain")
            return posted_domain
        if invitation is None or invitation["id"] == ROOT_META_INVITATION:
            if kind == "note":
                return SUPER_GROUP
            obj = resolved.get(kind) or {}
            pending = target_id if kind == "invitation" and obj.get("edit") is True else None
            return self.world.root_domain(target_id, pending_meta=pending)
        return str(invitation.get("domain") or SUPER_GROUP)

    def _check_max_replies(self, kind: str, invitation: dict[str, Any], signature: str, obj: dict[str, Any]) -> None:
        limit = invitation.get("maxReplies")
        if kind != "note" or not isinstance(limit, int) or limit <= 0:
            return
        count = 0
        for note in self.store.notes_with_invitation(invitation["id"]):
            if (note.get("invitations") or [None])[0] != invitation["id"] or self.world.deleted(note):
                continue
            if signature in (note.get("signatures") or []):
                count += 1
        if count >= limit:
            raise TooManyError(f"You have reached the maximum number ({limit}) of replies for this Invitation")

    def _stored_edit(
        self,
        kind: str,
        resolved: dict[str, Any],
        parent_id: str | None,
        domain: str,
        caller: Caller,
        now: int,
        prior: tuple[dict[str, Any], str] | None,
    ) -> dict[str, Any]:
        signatures = resolved["signatures"]
        edit: dict[str, Any] = {"id": prior[0]["id"] if prior else ids.random_id()}
        if parent_id is not None:
            edit["invitations" if kind == "invitation" else "invitation"] = parent_id
        edit["domain"] = domain
        edit["signatures"] = signatures
        edit["readers"] = resolved.get("readers") or list(signatures)
        if resolved.get("nonreaders"):
            edit["nonreaders"] = resolved["nonreaders"]
        edit["writers"] = resolved.get("writers") or list(signatures)
        for key in ("content", "replacement", "ddate"):
            if key in resolved and not inference.is_delete(resolved[key]):
                edit[key] = resolved[key]
        edit["cdate"] = resolved.get("cdate") if isinstance(resolved.get("cdate"), int) else now
        edit["tcdate"] = prior[0].get("tcdate", now) if prior else now
        edit["tmdate"] = now
        edit["tauthor"] = caller.login or "(guest)"
        edit[kind] = resolved[kind]
        return edit

    # -- inference -----------------------------------------------------------------------------
    def _fold_in(
        self,
        kind: str,
        existing: dict[str, Any] | None,
        edit: dict[str, Any],
        parent_id: str | None,
        invitation: dict[str, Any] | None,
        domain: str,
        now: int,
    ) -> dict[str, Any]:
        obj = self._prepare_object(kind, existing, edit[kind])
        if edit.get("ddate") is not None:
            base = existing or {}
            entity = dict(base)
        elif edit.get("replacement") or existing is None:
            entity = inference.merge_entity({}, obj, deep=DEEP_MERGE[kind])
            if existing is not None:
                entity = _keep_server_fields(existing, entity)
        else:
            entity = inference.merge_entity(existing, obj, deep=DEEP_MERGE[kind])
        invitations = list((existing or {}).get("invitations") or [])
        if parent_id is not None and parent_id not in invitations:
            invitations.append(parent_id)
        return self._finish(kind, entity, existing, invitations, invitation, domain, now, edit[kind])

    def _refold(self, kind: str, entity_id: str) -> dict[str, Any]:
        """Rebuild an entity from all its live edits (after a destructive change)."""
        edits = self.store.edits_of(kind, entity_id)
        existing = self._current(kind, entity_id)
        live = [e for e in edits if e.get("ddate") is None]
        now = self.world.now()
        if not live:
            entity = dict(existing or {"id": entity_id})
            entity["ddate"] = now
            entity["tmdate"] = now
            return entity
        objects = [(self._prepare_object(kind, existing, e[kind]), bool(e.get("replacement"))) for e in live]
        entity = inference.fold(objects, deep=DEEP_MERGE[kind])
        invitations: list[str] = []
        for e in live:
            parent = e.get("invitations") if kind == "invitation" else e.get("invitation")
            if isinstance(parent, str) and parent not in invitations:
                invitations.append(parent)
        first = live[0]
        base = {"tcdate": first.get("tcdate", now), "number": (existing or {}).get("number"),
                "forum": (existing or {}).get("forum"), "parentInvitations": (existing or {}).get("parentInvitations")}
        parent_invitation = self.store.get_invitation(invitations[0]) if invitations else None
        return self._finish(kind, entity, base, invitations, parent_invitation, first.get("domain", SUPER_GROUP),
                            now, live[-1][kind])

    def _prepare_object(self, kind: str, existing: dict[str, Any] | None, obj: dict[str, Any]) -> dict[str, Any]:
        """The edit's object as it folds in: group members of ``anonids`` groups use anon ids."""
        obj = dict(obj)
        if kind == "note":
            obj.pop("number", None)
        if kind == "group" and "members" in obj:
            anonids = obj.get("anonids", (existing or {}).get("anonids"))
            if anonids:
                obj["members"] = self._anon_members_view(obj["id"], obj["members"])
        return obj

    def _anon_members_view(self, group_id: str, members: Any) -> Any:
        """Translate real ids that already have an anonymous group into that group's id."""
        by_member = self._anon_groups_by_member(group_id)
        if not by_member:
            return members

        def swap(values: list[Any]) -> list[Any]:
            return [by_member.get(v, v) for v in values]

        if isinstance(members, list):
            return swap(members)
        if inference.is_change(members):
            return {op: (swap(v) if isinstance(v, list) else v) for op, v in members.items()}
        return members

    def _anon_groups_by_member(self, group_id: str) -> dict[str, str]:
        prefix = ids.anonymous_prefix(group_id)
        rows = self.store.groups_with_id_prefix(prefix)
        found: dict[str, str] = {}
        for group in rows:
            if group.get("anonymousOf") == group_id and group.get("members"):
                found[group["members"][0]] = group["id"]
        return found

    def _finish(
        self,
        kind: str,
        entity: dict[str, Any],
        existing: dict[str, Any] | None,
        invitations: list[str],
        invitation: dict[str, Any] | None,
        domain: str,
        now: int,
        obj: dict[str, Any],
    ) -> dict[str, Any]:
        previous = existing or {}
        entity = dict(entity)
        if invitations:
            entity["invitations"] = invitations
        else:
            entity.pop("invitations", None)
        entity["domain"] = previous.get("domain") or domain
        entity["tcdate"] = previous.get("tcdate", now)
        entity["tmdate"] = now
        if "cdate" not in entity:
            entity["cdate"] = entity["tcdate"]
        if kind == "note":
            entity["number"] = previous.get("number") if previous.get("number") is not None else obj.get("number")
            if entity["number"] is None:
                entity.pop("number")
            entity.setdefault("forum", previous.get("forum") or entity["id"])
            if not entity.get("forum"):
                entity["forum"] = entity["id"]
            entity["mdate"] = obj["mdate"] if isinstance(obj.get("mdate"), int) else now
            entity["version"] = 2
            parents = previous.get("parentInvitations")
            if parents is None and invitation is not None and invitation.get("invitations"):
                parents = invitation["invitations"][0]
            if parents:
                entity["parentInvitations"] = parents
        elif kind == "invitation":
            entity["mdate"] = obj["mdate"] if isinstance(obj.get("mdate"), int) else now
        elif kind == "group":
            entity.setdefault("members", [])
            if ids.path_ancestors(entity["id"])[1:]:
                entity.setdefault("parent", ids.path_ancestors(entity["id"])[1])
        return entity

    def _validate_entity(self, kind: str, entity: dict[str, Any], existing: dict[str, Any] | None) -> None:
        if existing is None:
            for field in REQUIRED_ON_CREATE[kind]:
                # FIDELITY: a group may be created with no signatories (openreview-py's own support
                # setup, workflows.Workflows, posts ``signatories=[]``); the rest must not be empty.
                if entity.get(field) is None or (not entity.get(field) and field != "signatories"):
                    raise MissingRequiredError(f"The field {field} cannot be empty or missing",
                                               path=f"{kind}/{field}")
        shapes.check_resolved_lists(entity, kind, ID_LIST_FIELDS[kind])
        if kind == "note":
            self._check_thread(entity, existing)
        if kind == "invitation":
            present = [k for k in TEMPLATE_KINDS if k in entity]
            if len(present) > 1:
                raise ValidationError(f"An invitation has one template; this one has {', '.join(present)}",
                                      path="invitation")
            for key in present:
                specifiers.check_template(entity[key], f"invitation/{key}")

    def _check_thread(self, note: dict[str, Any], existing: dict[str, Any] | None) -> None:
        """A reply names a live note of its own forum; a forum other than itself must exist."""
        previous = existing or {}
        forum = note.get("forum")
        moved = forum != note["id"] and forum != previous.get("forum")
        if moved and (not isinstance(forum, str) or self.world.live_note_forum(forum) is None):
            raise NotFoundError(f"The Note {forum} was not found", path="note/forum", invalid_value=forum,
                                has_invalid_value=True)
        replyto = note.get("replyto")
        if replyto is None or replyto == previous.get("replyto"):
            return
        parent_forum = self.world.live_note_forum(replyto) if isinstance(replyto, str) else None
        if parent_forum is None:
            raise NotFoundError(f"The Note {replyto} was not found", path="note/replyto", invalid_value=replyto,
                                has_invalid_value=True)
        if parent_forum != forum:
            raise ValidationError(f"note/replyto {replyto} is not in the forum {forum}", path="note/replyto",
                                  invalid_value=replyto, has_invalid_value=True)

    def _save(self, kind: str, entity: dict[str, Any], existing: dict[str, Any] | None) -> None:
        if kind == "group":
            if entity.get("anonids") and entity.get("members"):
                entity["members"] = self._anonymize_members(entity)
            self.store.put_group(entity, old=existing)
            if entity.get("anonids") and existing is not None and (
                existing.get("deanonymizers") != entity.get("deanonymizers")
                or existing.get("writers") != entity.get("writers")
            ):
                self._refresh_anon_groups(entity)
        elif kind == "invitation":
            self.store.put_invitation(entity, old=existing, kind=invitation_kind(entity))
        else:
            self.store.put_note(entity, old=existing)

    # -- anonymous groups (§4.8) ---------------------------------------------------------------
    def _anonymize_members(self, group: dict[str, Any]) -> list[str]:
        """Replace each real member with its anonymous group, creating the group when needed."""
        by_member = self._anon_groups_by_member(group["id"])
        anon_ids = set(by_member.values())
        result: list[str] = []
        for member in group["members"]:
            if member in anon_ids:
                anon_id = member
            elif member in by_member:
                anon_id = by_member[member]
            else:
                anon_id = self._create_anon_group(group, member)
                by_member[member] = anon_id
                anon_ids.add(anon_id)
            if anon_id not in result:
                result.append(anon_id)
        return result

    def _create_anon_group(self, parent: dict[str, Any], member: str) -> str:
        prefix = ids.anonymous_prefix(parent["id"])
        while True:
            anon_id = prefix + ids.random_id(ids.ANON_SUFFIX_LENGTH)
            if self.store.get_group(anon_id) is None:
                break
        now = self.world.now()
        group = {
            "id": anon_id,
            "domain": parent.get("domain"),
            "readers": _unique([*(parent.get("deanonymizers") or []), anon_id]),
            "writers": list(parent.get("writers") or []),
            "signatures": list(parent.get("signatures") or []),
            "signatories": [anon_id],
            "members": [member],
            "anonymousOf": parent["id"],
            "cdate": now,
            "tcdate": now,
            "tmdate": now,
        }
        self.store.put_group(group, old=None)
        return anon_id

    def _refresh_anon_groups(self, parent: dict[str, Any]) -> None:
        for anon_id in self._anon_groups_by_member(parent["id"]).values():
            group = self.store.get_group(anon_id)
            if group is None:
                continue
            updated = dict(group)
            updated["readers"] = _unique([*(parent.get("deanonymizers") or []), anon_id])
            updated["writers"] = list(parent.get("writers") or [])
            updated["tmdate"] = self.world.now()
            self.store.put_group(updated, old=group)


def usable_invitation(world: World, caller: Caller, invitation_id: Any) -> dict[str, Any]:
    """The invitation ``invitation_id`` if the caller may post through it now (§4.1 steps 2-4)."""
    if not isinstance(invitation_id, str) or not invitation_id:
        raise MissingRequiredError("The field invitation cannot be empty or missing", path="invitation")
    invitation = world.store.get_invitation(invitation_id)
    now = world.now()
    if invitation is None or world.deleted(invitation):
        raise NotFoundError(f"The Invitation {invitation_id} was not found", path="invitation")
    writer = world.access.can_write(caller, invitation)
    if not writer and not world.access.can_read(caller, invitation):
        raise ForbiddenError(f"User {caller.name} does not have permission to see Invitation {invitation_id}",
                             path="invitation")
    cdate = invitation.get("cdate")
    if isinstance(cdate, int) and cdate > now and not writer:
        # FIDELITY: v1 answered NotFoundError to non-writers before cdate; the v2 docs only say
        # "unusable before". Writers may use an invitation before it opens, as after it closes.
        raise NotFoundError(f"The Invitation {invitation_id} was not found", path="invitation")
    expdate = invitation.get("expdate")
    if isinstance(expdate, int) and expdate <= now and not writer:
        raise ForbiddenError(f"The Invitation {invitation_id} has expired", path="invitation")
    if not world.access.is_invitee(caller, invitation):
        raise NotInviteeError(f"User {caller.name} is not an invitee of {invitation_id}", path="invitation")
    return invitation


def invitation_kind(invitation: dict[str, Any]) -> str:
    """What an invitation admits: note, group, invitation, edge, tag, message, meta, or none."""
    edit = invitation.get("edit")
    if edit is True:
        return "meta"
    if isinstance(edit, dict):
        for kind in ("invitation", "group", "note"):
            if kind in edit:
                return kind
        return "edit"
    for kind in ("edge", "tag", "message"):
        if kind in invitation:
            return kind
    return "none"


def _keep_server_fields(existing: dict[str, Any], entity: dict[str, Any]) -> dict[str, Any]:
    out = dict(entity)
    for key in ("id", "number", "forum", "parentInvitations", "anonymousOf"):
        if key in existing and key not in out:
            out[key] = existing[key]
    return out


def _unique(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out
