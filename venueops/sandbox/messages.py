"""Messages: e-mails the venue sends go into an outbox and are never sent anywhere.

``POST /messages`` and ``/messages/requests`` (openreview-py's ``post_message``) and ``/messages/direct``
(``post_direct_message``) take ``groups`` (group ids, profile ids, e-mails), ``subject`` and ``message``;
the server sends one e-mail per person. Here:

- recipients are expanded transitively through group members (anonymous groups included) to people:
  a profile (its preferred e-mail) or a bare e-mail; ``ignoreGroups`` are expanded the same way and left
  out; each person gets one message, however many groups name them;
- ``{{fullname}}`` in the text becomes the person's preferred name (FIDELITY: for an e-mail with no
  profile, the e-mail itself);
- each message is stored in the definition's ``Message`` shape: ``{"id", "cdate", "status": "delivered",
  "delivered": true, "tauthor", "content": {"to", "subject", "text", "replyTo", "from", "fromname"},
  "invitation"?, "signature"?}``;
- ``/messages/requests`` answers a ``MessageRequest`` (the request as accepted, with an ``id``);
  ``/messages`` and ``/messages/direct`` answer ``{"groups": [{"id", "messages": [...]}], "status"}``;
- ``GET /messages`` (super user, as openreview-py documents) filters on ``to`` (an e-mail, or a profile
  id meaning its preferred e-mail), ``subject`` (the whole subject, as written: openreview-py's tests
  look subjects such as ``[TV 22]: Paper #2 withdrawn`` up literally) and ``status``, newest first,
  with ``offset``/``limit``.

FIDELITY: who may send is not documented; any signed-in caller may (the sandbox sends nothing).
"""

from __future__ import annotations

from typing import Any

from venueops.sandbox import ids
from venueops.sandbox.access import Caller
from venueops.sandbox.errors import ForbiddenError, ValidationError
from venueops.sandbox.world import World

DEFAULT_FROM_NAME = "OpenReview"
DEFAULT_FROM_EMAIL = "noreply@openreview.net"
MAX_EXPANDED = 100_000  # people one message may reach


class MessageService:
    def __init__(self, world: World) -> None:
        self.world = world
        self.store = world.store

    def post(self, caller: Caller, body: Any, *, direct: bool = False, request: bool = False) -> dict[str, Any]:
        if caller.is_guest:
            raise ForbiddenError("Forbidden: sign in to send messages")
        if not isinstance(body, dict):
            raise ValidationError("body must be object")
        groups = body.get("groups")
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise ValidationError("groups must be array of strings", path="groups")
        subject, text = body.get("subject"), body.get("message")
        if not isinstance(subject, str) or not subject:
            raise ValidationError("subject cannot be empty or missing", path="subject")
        if not isinstance(text, str):
            raise ValidationError("message cannot be empty or missing", path="message")
        ignore = body.get("ignoreGroups") or []
        sender = body.get("from") if direct and isinstance(body.get("from"), dict) else body
        now = self.world.now()
        from_email = sender.get("fromEmail") or sender.get("email") or DEFAULT_FROM_EMAIL
        from_name = sender.get("fromName") or sender.get("name") or DEFAULT_FROM_NAME
        with self.store.transaction():
            skipped = {key for key, _ in self._people(ignore)}
            sent: list[dict[str, Any]] = []
            for key, person in self._people(groups):
                if key in skipped:
                    continue
                message: dict[str, Any] = {
                    "id": ids.random_id(), "cdate": now, "status": "delivered", "delivered": True,
                    "tauthor": caller.login or "",
                    "content": {"to": person["email"], "subject": subject,
                                "text": text.replace("{{fullname}}", person["name"]),
                                "replyTo": body.get("replyTo"), "from": from_email, "fromname": from_name},
                }
                for key_name in ("invitation", "signature"):
                    if isinstance(body.get(key_name), str):
                        message[key_name] = body[key_name]
                self.store.put_message(message, person.get("profile"))
                sent.append(message)
        if request:
            accepted = {k: body[k] for k in ("subject", "message", "groups", "ignoreGroups", "invitation", "signature",
                                             "replyTo", "parentGroup", "fromName", "fromEmail", "useJob")
                        if body.get(k) not in (None, [], "")}
            return {"id": ids.random_id(), **accepted}
        return {"groups": [{"id": group, "messages": [m for m in sent]} for group in groups[:1]]
                + [{"id": group} for group in groups[1:]], "status": "ok"}

    def _people(self, names: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """Every person ``names`` reach, once each, in the order first reached."""
        out: dict[str, dict[str, Any]] = {}
        seen: set[str] = set()
        pending = list(names)
        while pending and len(out) < MAX_EXPANDED:
            name = pending.pop(0)
            if not isinstance(name, str) or name in seen:
                continue
            seen.add(name)
            person = self._person(name)
            if person is not None:
                out.setdefault(person["key"], person)
                continue
            group = self.store.get_group(name)
            if group is not None and not self.world.deleted(group):
                pending.extend(m for m in group.get("members") or [] if isinstance(m, str))
        return list(out.items())

    def _person(self, name: str) -> dict[str, Any] | None:
        if name.startswith("~"):
            profile = self.store.get_profile(name)
            if profile is None:
                return None
            return self._profile_person(profile)
        if ids.is_email(name):
            found = self.store.profiles_by_email(name.lower())
            if found:
                return self._profile_person(found[0])
            return {"key": name.lower(), "email": name.lower(), "name": name.lower()}
        return None

    @staticmethod
    def _profile_person(profile: dict[str, Any]) -> dict[str, Any]:
        content = profile.get("content") or {}
        emails = content.get("emails") or []
        email = content.get("preferredEmail") or (emails[0] if emails else profile["id"])
        names = content.get("names") or []
        preferred = next((n for n in names if n.get("preferred")), names[0] if names else {})
        return {"key": profile["id"], "email": email, "name": preferred.get("fullname") or profile["id"],
                "profile": profile["id"]}

    def get(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        if not caller.is_super:
            raise ForbiddenError("Forbidden: only the super user may read messages")
        to = params.get("to")
        recipients: list[str] | None = None
        if isinstance(to, str):
            person = self._person(to)
            recipients = [to.lower()] if person is None else [person["email"]]
        with self.store.reading():
            messages = self.store.messages(to=recipients, status=params.get("status"))
        subject = params.get("subject")
        if isinstance(subject, str):
            messages = [m for m in messages if m["content"]["subject"] == subject]
        offset = params.get("offset") or 0
        limit = params.get("limit") or 1000
        return messages[offset:offset + limit]
