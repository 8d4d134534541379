"""The sandbox's domain layer behind the HTTP routes: one object, one method per API operation.

Handlers in ``responses.py`` (and the control plane in ``control.py``) parse a request and call one
method here; nothing here knows HTTP. Method names follow the endpoints (``post_edit``, ``get_groups``,
``post_edge``, ``search_profiles``), so one grep finds the path from route to rule (the moto layout,
notes/aesthetics.md §1).

The services and state a ``Backend`` is composed of (store, clock, world, users, edits, queries,
edges) are private attributes: a handler reaches the domain only through these methods, so each
operation has one entry point and the handlers hold no rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from venueops.sandbox import auth
from venueops.sandbox import bootstrap as seed
from venueops.sandbox.access import SUPER_USER_LOGIN, SUPER_USER_PROFILE, Caller
from venueops.sandbox.attachments import AttachmentService, Download, Upload
from venueops.sandbox.clock import Clock, ClockState
from venueops.sandbox.edges import EdgeService
from venueops.sandbox.edits import EditService
from venueops.sandbox.errors import ForbiddenError, NotFoundError, ValidationError
from venueops.sandbox.messages import MessageService
from venueops.sandbox.queries import Page, QueryService
from venueops.sandbox.runtime.host import Processes
from venueops.sandbox.runtime.runtime import RuntimeSettings
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

    def __init__(self, db_path: str | Path | None, root_password: str | None = None,
                 processes: RuntimeSettings | None = None) -> None:
        self._store = Store(db_path)
        self._clock = Clock()
        saved_clock = self._store.get_meta("clock")
        if saved_clock:
            self._clock.restore(ClockState.from_json(json.loads(saved_clock)))
        self._processes = Processes(self._store, self._clock, self._root_token,
                                    processes or RuntimeSettings(enabled=False))
        self._world = World(self._store, self._clock, self._processes)
        self._users = UserService(self._world)
        self._edits = EditService(self._world)
        self._queries = QueryService(self._world)
        self._edges = EdgeService(self._world)
        self._messages = MessageService(self._world)
        self._attachments = AttachmentService(self._world, self._queries)
        self._root_password: str | None = root_password or None
        if not seed.is_bootstrapped(self._world):
            seed.bootstrap(self._world, self._root_password)
            self._root_password = self._root_password or seed.DEFAULT_ROOT_PASSWORD
        elif self._root_password is not None:
            seed.set_root_password(self._world, self._root_password)
        elif auth.check_password(seed.DEFAULT_ROOT_PASSWORD, seed.root_password_hash(self._world)):
            self._root_password = seed.DEFAULT_ROOT_PASSWORD

    @property
    def root_password(self) -> str | None:
        """The super user's password when it is known (see the class docstring), else None."""
        return self._root_password

    def close(self) -> None:
        self._processes.close()
        self._store.close()

    # -- the venue's own code (runtime/) ---------------------------------------------------------
    def start_processes(self, baseurl: str) -> None:
        """Start running processes and date processes; scripts' clients talk to ``baseurl``."""
        self._processes.start(baseurl)

    def ready(self) -> bool:
        """False while OpenReview's support setup is still running on a new database."""
        return self._processes.ready()

    def runs_processes(self) -> bool:
        """Whether the venue's code runs (then an edit may wait on a preprocess: handlers post off the loop)."""
        return self._processes.enabled

    def _root_token(self) -> str:
        with self._store.reading():
            profile = self._store.get_profile(SUPER_USER_PROFILE)
        if profile is None:
            raise RuntimeError("the super user is missing")
        return self._users.session(SUPER_USER_LOGIN, profile, None)["token"]

    # -- messages ---------------------------------------------------------------------------------
    def post_message(self, caller: Caller, body: Any) -> dict[str, Any]:
        """``POST /messages``."""
        return self._messages.post(caller, body)

    def post_message_request(self, caller: Caller, body: Any) -> dict[str, Any]:
        """``POST /messages/requests`` (what openreview-py's ``post_message`` sends)."""
        return self._messages.post(caller, body, request=True)

    def post_direct_message(self, caller: Caller, body: Any) -> dict[str, Any]:
        """``POST /messages/direct`` (``post_direct_message``)."""
        return self._messages.post(caller, body, direct=True)

    # -- attachments ------------------------------------------------------------------------------
    def put_attachment(self, caller: Caller, upload: Upload) -> dict[str, str]:
        """``PUT /attachment`` (``put_attachment``)."""
        return self._attachments.upload(caller, upload)

    def get_attachment(self, caller: Caller, note_id: str | None, name: str) -> Download:
        """``GET /attachment`` (``get_attachment``) and ``GET /pdf`` (``get_pdf``: the field ``pdf``)."""
        return self._attachments.download(caller, note_id, name)

    def get_messages(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        """``GET /messages`` (``get_messages``)."""
        return self._messages.get(caller, params)

    def get_process_logs(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        """``GET /logs/process``. FIDELITY: openreview-py calls it "only for Super User", yet every client
        polls it for ``await_process=True``; the sandbox answers any caller."""
        min_sdate = params.get("minsdate")
        return self._processes.logs(log_id=params.get("id"), invitation=params.get("invitation"),
                                    status=params.get("status"), min_sdate=min_sdate)

    def get_jobs_status(self, caller: Caller) -> dict[str, Any]:
        """``GET /jobs/status`` (FIDELITY: any caller, as ``get_process_logs``)."""
        return self._processes.jobs_status()

    def wait_for_processes(self, timeout_s: float) -> bool:
        """Until nothing is queued, running or due; False when ``timeout_s`` passed first."""
        return self._processes.runtime.wait_idle(timeout_s)

    def advance_clock_to(self, moment_ms: int, timeout_s: float = 600.0) -> int:
        """Move the clock to ``moment_ms`` through every date process on the way (each at its moment)."""
        fired = self._processes.runtime.advance_to(moment_ms, timeout_s)
        self._save_clock()
        return fired

    def _save_clock(self) -> None:
        with self._store.transaction():
            self._store.set_meta("clock", json.dumps(self._clock.state.to_json()))

    # -- auth ----------------------------------------------------------------------------------
    def caller(self, token: str | None) -> Caller:
        return self._users.caller_from_token(token)

    def login(self, body: Any) -> dict[str, Any]:
        return self._users.login(body)

    def register(self, body: Any) -> dict[str, Any]:
        return self._users.register(body)

    def activate(self, token: str, body: Any) -> dict[str, Any]:
        return self._users.activate(token, body)

    # -- profiles ------------------------------------------------------------------------------
    def get_tildeusername(self, fullname: str) -> dict[str, str]:
        """``GET /tildeusername``: the next free ``~First_Last<N>`` for ``fullname``."""
        return self._users.tilde_username(fullname)

    def get_profiles(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        """``GET /profiles``: by id, e-mail or name, as ``caller`` may see them."""
        return self._users.get_profiles(caller, params)

    def search_profiles(self, caller: Caller, body: Any) -> list[dict[str, Any]]:
        """``POST /profiles/search``: by ids, e-mails or confirmed e-mails."""
        return self._users.search(caller, body)

    # -- reads ---------------------------------------------------------------------------------
    def get_groups(self, caller: Caller, params: dict[str, Any]) -> Page:
        with self._store.reading():
            return self._queries.get_groups(caller, params)

    def get_invitations(self, caller: Caller, params: dict[str, Any]) -> Page:
        with self._store.reading():
            return self._queries.get_invitations(caller, params)

    def get_notes(self, caller: Caller, params: dict[str, Any]) -> Page:
        with self._store.reading():
            return self._queries.get_notes(caller, params)

    def search_notes(self, caller: Caller, body: Any) -> Page:
        if not isinstance(body, dict) or not isinstance(body.get("ids"), list):
            raise ValidationError("ids must be array", path="ids")
        with self._store.reading():
            return self._queries.notes_by_ids(caller, [str(i) for i in body["ids"]])

    def get_edits(self, kind: str, caller: Caller, params: dict[str, Any]) -> Page:
        with self._store.reading():
            return self._queries.get_edits(kind, caller, params)

    # -- edges and tags ------------------------------------------------------------------------
    def get_edges(self, caller: Caller, params: dict[str, Any]) -> Page:
        """``GET /edges`` (without ``groupBy``)."""
        return self._edges.get_edges(caller, params)

    def get_grouped_edges(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        """``GET /edges?groupBy=…``."""
        return self._edges.grouped_edges(caller, params)

    def get_edges_count(self, caller: Caller, params: dict[str, Any]) -> int:
        """``GET /edges/count``."""
        return self._edges.count_edges(caller, params)

    def post_edge(self, caller: Caller, body: Any) -> dict[str, Any]:
        """``POST /edges``: one edge, new or updated."""
        return self._edges.post_edge(caller, body)

    def post_edges(self, caller: Caller, body: Any) -> list[dict[str, Any]]:
        """``POST /edges/bulk``: many edges in one transaction."""
        return self._edges.post_edges(caller, body)

    def delete_edges(self, caller: Caller, body: Any) -> dict[str, str]:
        """``DELETE /edges``: the edges of an invitation matching the body."""
        return self._edges.delete_edges(caller, body)

    def get_tags(self, caller: Caller, params: dict[str, Any]) -> Page:
        """``GET /tags``."""
        return self._edges.get_tags(caller, params)

    def post_tag(self, caller: Caller, body: Any) -> dict[str, Any]:
        """``POST /tags``: one tag, new or updated."""
        return self._edges.post_tag(caller, body)

    def post_tags(self, caller: Caller, body: Any) -> list[dict[str, Any]]:
        """``POST /tags/bulk``: many tags in one transaction."""
        return self._edges.post_tags(caller, body)

    def delete_tags(self, caller: Caller, body: Any) -> dict[str, str]:
        """``DELETE /tags``: the tags of an invitation matching the body."""
        return self._edges.delete_tags(caller, body)

    # -- edits ---------------------------------------------------------------------------------
    def post_edit(self, kind: str, caller: Caller, body: Any) -> dict[str, Any]:
        stored = self._edits.post(kind, caller, body)
        from venueops.sandbox import views

        with self._store.reading():
            return views.edit_view(self._world.access, caller, stored, kind)

    # -- hard deletes --------------------------------------------------------------------------
    def delete_object(self, kind: str, caller: Caller, body: Any) -> dict[str, str]:
        """``DELETE /groups|/invitations|/notes {"id"}``: remove the object and its edits.

        FIDELITY: hard deletion is a super-user and writer operation on OpenReview; we allow the
        super user and writers of the object.
        """
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise ValidationError("The field id cannot be empty or missing", path="id")
        object_id = body["id"]
        getter = {"group": self._store.get_group, "invitation": self._store.get_invitation,
                  "note": self._store.get_note}[kind]
        with self._store.transaction():
            found = getter(object_id)
            if found is None:
                label = {"group": f"Group Not Found: {object_id}",
                         "invitation": f"The Invitation {object_id} was not found",
                         "note": f"The Note {object_id} was not found"}[kind]
                raise NotFoundError(label)
            if not self._world.access.can_write(caller, found):
                raise ForbiddenError(f"User {caller.name} is not writer of {object_id}")
            {"group": self._store.delete_group, "invitation": self._store.delete_invitation,
             "note": self._store.delete_note}[kind](object_id)
        return {"status": "ok"}

    # -- control plane -------------------------------------------------------------------------
    def now(self) -> int:
        """The server's "now" in milliseconds (``GET /_sandbox/health``, ``/_sandbox/clock``)."""
        return self._clock.now()

    def wall_ms(self) -> int:
        """Wall-clock time in milliseconds, whatever the sandbox clock says."""
        return self._clock.wall_ms()

    def clock_state(self) -> ClockState:
        """How the sandbox clock runs now (``GET /_sandbox/clock``)."""
        return self._clock.state

    def post_batch(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``POST /_sandbox/batch``: post ``items`` (``{"kind", "edit"}``, kinds already checked) as the
        super user in one transaction, through the same pipeline as the API; what each created."""
        root = self._users.caller_for(SUPER_USER_LOGIN, SUPER_USER_PROFILE)
        out = []
        with self._store.transaction():
            for item in items:
                stored = self._edits.post(item["kind"], root, item.get("edit"), processes=False)
                entity = stored.get(item["kind"]) or {}
                out.append({"edit": stored["id"], "id": entity.get("id"), "number": entity.get("number")})
        return out

    def reset(self) -> None:
        """Wipe everything and seed again (the clock goes back to wall time, failed logins are
        forgotten); the super user keeps the password hash it had."""
        password_hash = seed.root_password_hash(self._world)
        self._store.wipe()  # queued processes and scheduled date processes go with everything else
        self._users.forget()
        self._world.verification.clear()
        self._clock.reset()
        seed.bootstrap(self._world, self._root_password, password_hash=password_hash)
        self._processes.after_reset()  # running scripts' tokens now fail; the support setup runs again

    def move_clock(self, state: ClockState) -> None:
        """``PUT /_sandbox/clock``: set the clock. Moving it forward with processes on goes through every
        date process on the way, each at its own moment, and returns once what they set off finished."""
        target = state.frozen_ms if state.mode == "frozen" else self._clock.wall_ms() + state.offset_ms
        now = self._clock.now()
        if not self._processes.enabled or target <= now:
            self.set_clock(state)
            return
        here = (ClockState(mode="frozen", frozen_ms=now) if state.mode == "frozen"
                else ClockState(mode="real", offset_ms=now - self._clock.wall_ms()))
        self.set_clock(here)
        self.advance_clock_to(target)

    def set_clock(self, state: ClockState) -> ClockState:
        self._clock.restore(state)
        with self._store.transaction():
            self._store.set_meta("clock", json.dumps(state.to_json()))
        self._store.membership_version += 1
        return state

    def stats(self) -> dict[str, int]:
        with self._store.reading():
            return {table: self._store.count_rows(table) for table in
                    ("groups", "invitations", "notes", "edges", "tags", "profiles", "edits", "users")}
