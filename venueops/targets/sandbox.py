"""The embedded sandbox as a target (``--sandbox``): started in-process on a free loopback port over a
persistent database (``.venueops/sandbox.db`` by default). Its super user reads and provisions; the
program chairs get sandbox accounts (``sandbox_accounts``), and the first of them acts for the venue,
so the sandbox checks the same rights OpenReview would."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from venueops.api.client import ApiClient, ApiError
from venueops.apply.runner import Clients
from venueops.targets.target import SANDBOX_LOGIN, Target, TargetError

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
        started = time.monotonic()
        deadline = started + LOCK_WAIT_SECONDS
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(lock_path)
                # the holder writes its pid just after taking the lock: give it a moment to, so the message
                # can name it
                if not told and on_wait is not None and (holder or time.monotonic() > started + 1.0):
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
