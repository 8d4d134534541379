"""Where a plan is made and applied: an OpenReview server, or the embedded sandbox.

- A server: its base URL from ``--baseurl`` or ``OPENREVIEW_API_BASEURL_V2``; credentials from the
  environment only (``OPENREVIEW_USERNAME`` + ``OPENREVIEW_PASSWORD``, or ``OPENREVIEW_TOKEN``), never
  from arguments, so they stay out of shell history and process lists. The caller acts for the venue;
  with ``--bootstrap`` it also provisions (it must be a super user, checked before anything is posted).
- The sandbox (``--sandbox``): started in-process on a free loopback port over a persistent database
  (``.venueops/sandbox.db`` by default). Its super user reads and provisions; the program chairs get
  sandbox accounts, and the first of them acts for the venue, so the sandbox checks the same rights
  OpenReview would.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from venueops.api.client import ApiClient, ApiError
from venueops.apply.runner import Clients
from venueops.errors import VenueOpsError
from venueops.plan.planner import SUPER_USER

SANDBOX_LOGIN = "openreview.net"


@dataclass
class Target:
    label: str  # recorded in plans and shown: the base URL, or "sandbox <database>"
    reader: ApiClient  # reads the live state
    clients: Clients  # posts the edits
    provisioning: bool  # the caller provisions: may post and rewrite what support owns
    sandbox_password: str | None = None  # the sandbox's root password (sandbox only; never shown)

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox_password is not None

    def now_ms(self) -> int:
        """The target's "now", which releases written ``after_due`` are compiled for: the wall clock for a
        server; the sandbox's own clock for the sandbox, whose time may have been moved."""
        if self.is_sandbox:
            return int(self.reader.request("GET", "/_sandbox/clock")["now"])
        return int(time.time() * 1000)


class TargetError(VenueOpsError):
    """No server could be chosen or reached, or the credentials were refused."""


def choose_server(baseurl: str | None) -> str:
    url = baseurl or os.environ.get("OPENREVIEW_API_BASEURL_V2")
    if not url:
        raise TargetError(
            "no OpenReview server chosen. Either:\n"
            "  --sandbox          try the venue on the embedded local sandbox (no account needed), or\n"
            "  --baseurl URL      use a server (or set OPENREVIEW_API_BASEURL_V2), with credentials in\n"
            "                     OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD, or OPENREVIEW_TOKEN")
    return url


def server_target(baseurl: str | None, *, bootstrap: bool) -> Target:
    """A target on a real server, logged in from the environment."""
    url = choose_server(baseurl)
    try:
        client = ApiClient.from_environment(url)
    except ApiError as error:
        raise TargetError(f"cannot log in to {url}: {error.name}: {error.message}") from None
    if client.identity is None:
        raise TargetError(f"no credentials for {url}: set OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD, "
                          "or OPENREVIEW_TOKEN (a guest cannot see a venue's private objects)")
    root = client if bootstrap else None
    return Target(label=url, reader=client, clients=Clients(venue=client, root=root), provisioning=bootstrap)


def may_provision(client: ApiClient) -> bool:
    """Whether the caller may sign as OpenReview's super user (what provisioning a venue takes)."""
    if client.identity is None:
        return False
    try:
        answer = client.get("/groups", {"id": SUPER_USER, "signatory": client.identity.profile_id})
    except ApiError:
        return False
    return any(g.get("id") == SUPER_USER for g in answer.get("groups") or [])


def ensure_can_act(client: ApiClient, venue_id: str) -> None:
    """Refuse to plan for a caller who cannot act for the venue (sign as it) and is no super user: what
    it cannot read would look absent, and the plan would propose to create it. One request (two for a
    super user)."""
    if client.identity is None:
        return
    try:
        answer = client.get("/groups", {"id": venue_id, "signatory": client.identity.profile_id})
    except ApiError as error:
        raise TargetError(f"cannot check who may act for {venue_id}: {error.name}: {error.message}") from None
    if not any(g.get("id") == venue_id for g in answer.get("groups") or []) and not may_provision(client):
        raise TargetError(f"{client.identity.profile_id} cannot act for the venue {venue_id} (only its program "
                          "chairs, members of the venue group, can): plan and apply with a program chair's account")


LOCK_WAIT_SECONDS = 120.0
PROCESSES_WAIT_SECONDS = 300.0


@contextmanager
def sandbox_target(db: Path, *, on_wait: Callable[[str], None] | None = None,
                   processes: bool = True) -> Iterator[Target]:
    """The embedded sandbox on ``db``, running for the duration of the ``with`` block.

    One venueops command at a time uses a sandbox database: the command holds ``<db>.lock`` (an
    advisory ``flock``, released by the system even if the process dies) from before the sandbox
    starts until it stops. A second command waits for it (``on_wait`` is told why, once) for up to
    ``LOCK_WAIT_SECONDS``, then gives up naming the holder, rather than racing it to create the same
    accounts and objects.

    The venue's own code runs (``processes``): invitations' processes and date processes, as on
    OpenReview; before the sandbox stops, what they started is let finish (up to
    ``PROCESSES_WAIT_SECONDS``); what is left stays queued in the database for the next command.

    The super user's password: ``VENUEOPS_SANDBOX_ROOT_PASSWORD`` when set (it is then written to the
    database); otherwise a new database gets OpenReview's local default and an existing one keeps its own.
    """
    from venueops.sandbox.server import PASSWORD_ENV, Sandbox, root_password_from

    chosen, was_chosen = root_password_from(None)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TargetError(f"cannot start the sandbox on {db}: {error.strerror or error}") from None
    with _exclusive(db, on_wait):
        try:
            sandbox = Sandbox(db=db, root_password=chosen if was_chosen else None, processes=processes).start()
        except OSError as error:
            raise TargetError(f"cannot start the sandbox on {db}: {error.strerror or error}") from None
        except Exception as error:  # the sandbox reports why it could not start
            raise TargetError(f"cannot start the sandbox on {db}: {error}") from None
        try:
            password = sandbox.root_password or chosen
            root = ApiClient(sandbox.baseurl)
            try:
                root.login(SANDBOX_LOGIN, password)
            except ApiError:
                raise TargetError(f"cannot log in to the sandbox on {db} as its super user: the database keeps a root "
                                  f"password its operator chose; set {PASSWORD_ENV} to it") from None
            yield Target(label=f"sandbox {db}", reader=root, clients=Clients(venue=root, root=root),
                         provisioning=True, sandbox_password=password)
            # what the venue's own processes started finishes before the sandbox stops (bounded)
            sandbox.wait_idle(PROCESSES_WAIT_SECONDS)
        finally:
            sandbox.stop()


@contextmanager
def _exclusive(db: Path, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold ``<db>.lock`` for the block; wait for another holder, telling ``on_wait`` who it is."""
    lock_path = db.with_name(db.name + ".lock")
    try:
        handle = lock_path.open("a+")
    except OSError as error:
        raise TargetError(f"cannot lock the sandbox database {db}: {error.strerror or error}") from None
    with handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(lock_path)
                if not told and on_wait is not None:
                    on_wait(f"Waiting for another venueops command{holder} that is using the sandbox database {db}…")
                    told = True
                if time.monotonic() > deadline:
                    raise TargetError(f"another venueops command{holder} has been using the sandbox database {db} for "
                                      f"over {LOCK_WAIT_SECONDS:.0f} s: wait for it to finish, or stop it") from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
