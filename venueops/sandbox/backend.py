"""The sandbox's domain layer behind the HTTP routes: one object, one method per API operation.

Handlers in ``responses.py`` parse a request and call one method here; nothing here knows HTTP.
Method names follow the endpoints (``post_note_edit``, ``get_groups``), so one grep finds the path
from route to rule (the moto layout, notes/aesthetics.md §1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from venueops.sandbox import auth
from venueops.sandbox import bootstrap as seed
from venueops.sandbox.access import Caller
from venueops.sandbox.clock import Clock, ClockState
from venueops.sandbox.edges import EdgeService
from venueops.sandbox.edits import EditService
from venueops.sandbox.errors import ForbiddenError, NotFoundError, ValidationError
from venueops.sandbox.queries import Page, QueryService
from venueops.sandbox.store import Store
from venueops.sandbox.users import UserService
from venueops.sandbox.world import World


class Backend:
    """The sandbox's operations over one database.

    ``root_password`` is written as the super user's password only when given: on a new database
    it is seeded (OpenReview's local default when None); on an existing one a given password
    replaces the stored hash and None leaves the users table as it is. ``root_password`` the
    attribute is the password to log in with when it is known: the one given, the default on a
    new database, or the default when the stored hash is the default's; None otherwise (the
    stored password stands and only its owner knows it).
    """

    def __init__(self, db_path: str | Path | None, root_password: str | None = None) -> None:
        self.store = Store(db_path)
        self.clock = Clock()
        saved_clock = self.store.get_meta("clock")
        if saved_clock:
            self.clock.restore(ClockState.from_json(json.loads(saved_clock)))
        self.world = World(self.store, self.clock)
        self.users = UserService(self.world)
        self.edits = EditService(self.world)
        self.queries = QueryService(self.world)
        self.edges = EdgeService(self.world)
        self.root_password: str | None = root_password or None
        if not seed.is_bootstrapped(self.world):
            seed.bootstrap(self.world, self.root_password)
            self.root_password = self.root_password or seed.DEFAULT_ROOT_PASSWORD
        elif self.root_password is not None:
            seed.set_root_password(self.world, self.root_password)
        elif auth.check_password(seed.DEFAULT_ROOT_PASSWORD, seed.root_password_hash(self.world)):
            self.root_password = seed.DEFAULT_ROOT_PASSWORD

    def close(self) -> None:
        self.store.close()

    # -- auth ----------------------------------------------------------------------------------
    def caller(self, token: str | None) -> Caller:
        return self.users.caller_from_token(token)

    def login(self, body: Any) -> dict[str, Any]:
        return self.users.login(body)

    def register(self, body: Any) -> dict[str, Any]:
        return self.users.register(body)

    def activate(self, token: str, body: Any) -> dict[str, Any]:
        return self.users.activate(token, body)

    # -- reads ---------------------------------------------------------------------------------
    def get_groups(self, caller: Caller, params: dict[str, Any]) -> Page:
        with self.store.reading():
            return self.queries.get_groups(caller, params)

    def get_invitations(self, caller: Caller, params: dict[str, Any]) -> Page:
        with self.store.reading():
            return self.queries.get_invitations(caller, params)

    def get_notes(self, caller: Caller, params: dict[str, Any]) -> Page:
        with self.store.reading():
            return self.queries.get_notes(caller, params)

    def search_notes(self, caller: Caller, body: Any) -> Page:
        if not isinstance(body, dict) or not isinstance(body.get("ids"), list):
            raise ValidationError("ids must be array", path="ids")
        with self.store.reading():
            return self.queries.notes_by_ids(caller, [str(i) for i in body["ids"]])

    def get_edits(self, kind: str, caller: Caller, params: dict[str, Any]) -> Page:
        with self.store.reading():
            return self.queries.get_edits(kind, caller, params)

    # -- edits ---------------------------------------------------------------------------------
    def post_edit(self, kind: str, caller: Caller, body: Any) -> dict[str, Any]:
        stored = self.edits.post(kind, caller, body)
        from venueops.sandbox import views

        with self.store.reading():
            return views.edit_view(self.world.access, caller, stored, kind)

    # -- hard deletes --------------------------------------------------------------------------
    def delete_object(self, kind: str, caller: Caller, body: Any) -> dict[str, str]:
        """``DELETE /groups|/invitations|/notes {"id"}``: remove the object and its edits.

        FIDELITY: hard deletion is a super-user and writer operation on OpenReview; we allow the
        super user and writers of the object.
        """
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise ValidationError("The field id cannot be empty or missing", path="id")
        object_id = body["id"]
        getter = {"group": self.store.get_group, "invitation": self.store.get_invitation,
                  "note": self.store.get_note}[kind]
        with self.store.transaction():
            found = getter(object_id)
            if found is None:
                label = {"group": f"Group Not Found: {object_id}",
                         "invitation": f"The Invitation {object_id} was not found",
                         "note": f"The Note {object_id} was not found"}[kind]
                raise NotFoundError(label)
            if not self.world.access.can_write(caller, found):
                raise ForbiddenError(f"User {caller.name} is not writer of {object_id}")
            {"group": self.store.delete_group, "invitation": self.store.delete_invitation,
             "note": self.store.delete_note}[kind](object_id)
        return {"status": "ok"}

    # -- control plane -------------------------------------------------------------------------
    def reset(self) -> None:
        """Wipe everything and seed again (the clock goes back to wall time, failed logins are
        forgotten); the super user keeps the password hash it had."""
        password_hash = seed.root_password_hash(self.world)
        self.store.wipe()
        self.users.forget()
        self.clock.reset()
        seed.bootstrap(self.world, self.root_password, password_hash=password_hash)

    def set_clock(self, state: ClockState) -> ClockState:
        self.clock.restore(state)
        with self.store.transaction():
            self.store.set_meta("clock", json.dumps(state.to_json()))
        self.store.membership_version += 1
        return state

    def stats(self) -> dict[str, int]:
        with self.store.reading():
            return {table: self.store.count_rows(table) for table in
                    ("groups", "invitations", "notes", "edges", "tags", "profiles", "edits", "users")}
