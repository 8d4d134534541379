"""Running the sandbox: in the foreground (``venueops sandbox serve``) or in a thread (``Sandbox``).

    with Sandbox() as sandbox:                 # in memory, loopback, a free port
        client = openreview.api.OpenReviewClient(
            baseurl=sandbox.baseurl, username="openreview.net", password=sandbox.root_password)

The threaded server binds its socket before starting, so ``baseurl`` is known and the server is
accepting connections when ``start()`` returns.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import socket
import sqlite3
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from venueops.sandbox.app import create_app
from venueops.sandbox.backend import Backend
from venueops.sandbox.bootstrap import DEFAULT_ROOT_PASSWORD
from venueops.sandbox.runtime.runtime import RuntimeSettings

PASSWORD_ENV = "VENUEOPS_SANDBOX_ROOT_PASSWORD"
DEFAULT_DB = Path(".venueops") / "sandbox.db"

log = logging.getLogger("venueops.sandbox")


def root_password_from(explicit: str | None) -> tuple[str, bool]:
    """The root password to use, and whether the operator chose it (flag or environment)."""
    if explicit:
        return explicit, True
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env, True
    return DEFAULT_ROOT_PASSWORD, False


def is_loopback(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    import ipaddress

    return all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only turns on TCP_NODELAY for sockets whose proto says TCP,
    # and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _config(app: Any, *, access_log: bool) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=access_log,
        http="httptools",
        loop="uvloop" if _has_uvloop() else "asyncio",
        timeout_keep_alive=30,
        limit_concurrency=None,
        backlog=2048,
    )


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


class Sandbox:
    """An in-process sandbox server on a free loopback port (for tests and ``--sandbox``).

    ``root_password``: given, it becomes the super user's password (on a new database and on an
    existing one alike). None (the default) leaves an existing database's users table untouched,
    the stored password standing, and seeds OpenReview's local default on a new database.
    ``sandbox.root_password`` is the password to log in with when it is known: the one given, or
    the default (on a new database, or when the stored one is the default); once started on an
    existing database whose password was chosen elsewhere and not given here, it is None.
    """

    def __init__(
        self,
        db: str | Path | None = None,
        *,
        root_password: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        control: bool = True,
        processes: RuntimeSettings | bool = False,
    ) -> None:
        self.db = db
        self.processes = processes if isinstance(processes, RuntimeSettings) else RuntimeSettings(enabled=processes)
        self._given_password = root_password or None
        self.root_password: str | None = root_password or DEFAULT_ROOT_PASSWORD
        self.host = host
        self.port = port
        self.control = control
        self.backend: Backend | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def baseurl(self) -> str:
        if self._socket is None:
            raise RuntimeError("the sandbox is not running")
        host, port = self._socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    def start(self) -> Sandbox:
        self.backend = Backend(self.db, self._given_password, processes=self.processes)
        self.root_password = self.backend.root_password
        app = create_app(self.backend, control=self.control)
        self._socket = bind_socket(self.host, self.port)
        self.backend.start_processes(worker_baseurl(self._socket))
        self._server = uvicorn.Server(_config(app, access_log=False))
        sockets = [self._socket]
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": sockets}, name="venueops-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.005)
        return self

    def wait_idle(self, timeout_s: float = 600.0) -> bool:
        """Until no process is queued, running or due (True), or ``timeout_s`` passed (False)."""
        return self.backend.wait_for_processes(timeout_s) if self.backend is not None else True

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
        if self.backend is not None:
            self.backend.close()
        self._server = None
        self._thread = None
        self._socket = None
        self.backend = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def worker_baseurl(sock: socket.socket) -> str:
    """Where scripts' clients reach the server: loopback, by the name ``localhost``, as on OpenReview's
    own local setup (openreview-py shortens its waits when its base URL says ``localhost``)."""
    host, port = sock.getsockname()[:2]
    return f"http://[::1]:{port}" if ":" in host else f"http://localhost:{port}"


class SandboxStartError(Exception):
    """The sandbox could not start: its database cannot be opened or its port cannot be bound."""


def serve(
    *, host: str, port: int, db: Path | None, root_password: str | None, control: bool, access_log: bool,
    announce: Any = print, root_password_chosen: bool | None = None, processes: RuntimeSettings | None = None,
) -> None:
    """Run the sandbox in the foreground until interrupted (SIGINT or SIGTERM end it cleanly).

    The super user's password is written only when the operator chose one (``root_password_chosen``,
    as ``root_password_from`` tells): then it replaces the stored one. Otherwise a new database
    gets OpenReview's local default and an existing one keeps its users table as it is.
    A caller that does not say (``root_password_chosen=None``) is taken to have chosen any password
    other than the default, or one from ``VENUEOPS_SANDBOX_ROOT_PASSWORD``; ``root_password=None``
    means none was chosen.
    """
    if root_password_chosen is None:
        root_password_chosen = root_password is not None and (
            root_password != DEFAULT_ROOT_PASSWORD or bool(os.environ.get(PASSWORD_ENV)))
    try:
        backend = Backend(db, root_password if root_password_chosen else None,
                          processes=processes if processes is not None else RuntimeSettings())
    except (sqlite3.Error, OSError, RuntimeError) as error:
        raise SandboxStartError(f"cannot open the sandbox database {db}: {error}") from None
    # A dedicated process: long-lived objects (caches, the app) leave the collector's sight, and
    # full collections become rarer, so large databases do not cause second-long pauses.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        app = create_app(backend, control=control)
        try:
            sock = bind_socket(host, port)
        except OSError as error:
            raise SandboxStartError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        backend.start_processes(worker_baseurl(sock))
        bound_host, bound_port = sock.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        where = "in memory (gone when the server stops)" if db is None else str(db)
        announce(f"OpenReview API v2 sandbox listening on http://{shown}:{bound_port}")
        announce(f"database: {where}")
        announce("super user: openreview.net (profile ~Super_User1)")
        announce("process functions: " + ("run (worker processes; --no-processes turns them off)"
                                          if backend.runs_processes() else "off"))
        server = uvicorn.Server(_config(app, access_log=access_log))
        if threading.current_thread() is threading.main_thread():
            # uvicorn re-raises the signal that stopped it once it has shut down; make SIGTERM
            # end the process through Python (like Ctrl-C) so the database is closed properly.
            signal.signal(signal.SIGTERM, _exit_quietly)
        server.run(sockets=[sock])
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        backend.close()
    announce("sandbox stopped")


class _Stopped(Exception):
    pass


def _exit_quietly(signum: int, frame: Any) -> None:
    raise _Stopped()
