"""The process runtime: the server's side of running a venue's own code.

    edit stored ──► store.enqueue_job (same transaction) ──► dispatcher thread ──► worker process
    invitation saved ──► store.schedule_firings ──► scheduler thread (sandbox clock) ──► queue ──► …
    preprocess ──► run at once, before the edit is stored, on a worker kept for preprocesses

- **Processes** (``process`` of the invitation an edit, edge or tag was posted through) are queued in
  the database with the edit, so a stored edit always has its process to come, across restarts too.
  Dispatcher threads take jobs in order and run them on the pool's workers; each job's log (OpenReview's
  ``/logs/process`` rows) is written when the job is queued, as ``running``, and finished as ``ok`` or
  ``error`` with the script's output and traceback.
- **Date processes** are scheduled when an invitation is saved (``schedule.firings``) and fired by the
  scheduler thread when the sandbox clock reaches them; each firing fires once.
- **Preprocesses** run synchronously; ``PreprocessRefusal`` carries the script's message back to the
  edit pipeline, which refuses the edit.
- **Time travel**: ``advance_to`` moves the clock from firing to firing, letting each one and what it
  sets off finish before the next (``wait_idle``), so everything happens at its own moment.
- **JavaScript** scripts are not run: a JavaScript ``process`` is logged as ``error`` saying so, and a
  JavaScript preprocess lets the edit through. FIDELITY: OpenReview runs them in Node; the sandbox has
  no JavaScript client for them to call.

The runtime knows nothing of HTTP or of entities beyond the JSON it hands to workers: the world it
runs in is a ``Host`` (the backend), so the rules stay in one place.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from venueops.sandbox.runtime.pool import Limits, WorkerPool
from venueops.sandbox.runtime.schedule import Firing, script_of

log = logging.getLogger("venueops.sandbox.runtime")

EXECUTED_ON = "openreview-api-2"  # FIDELITY: what OpenReview's API v2 workers call themselves in logs
JAVASCRIPT = re.compile(r"^\s*(//[^\n]*\n\s*|/\*.*?\*/\s*)*(async\s+)?function\b", re.DOTALL)
NOT_RUN_JAVASCRIPT = ("JavaScript process functions are not run by the sandbox (only Python ones are): this one "
                      "was skipped\n")


def is_javascript(script: str) -> bool:
    return JAVASCRIPT.match(script) is not None


class PreprocessRefusal(Exception):
    """A preprocess raised: the edit is refused with ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RuntimeSettings:
    enabled: bool = True
    workers: int = 4  # processes and date processes running at once
    preprocess_workers: int = 2
    limits: Limits = field(default_factory=Limits)
    poll_s: float = 0.5  # how often idle threads look again (they are also woken at once)
    support_setup: bool = True  # on a new database, run OpenReview's support setup (support.py)


class Host(Protocol):
    """What the runtime needs of the server (``Backend`` provides it)."""

    def now(self) -> int: ...
    def baseurl(self) -> str: ...
    def worker_token(self) -> str: ...
    def take_job(self) -> dict[str, Any] | None: ...
    def job_context(self, job: dict[str, Any]) -> dict[str, Any] | None: ...
    def finish_job(self, job: dict[str, Any], status: str, output: str, started: int, ended: int) -> None: ...
    def due_firings(self, until_ms: int) -> list[Firing]: ...
    def next_firing(self) -> int | None: ...
    def fire(self, firing: Firing, *, log: bool) -> None: ...
    def busy(self) -> bool: ...
    def move_clock_to(self, moment_ms: int) -> None: ...


class Runtime:
    """Dispatcher and scheduler threads plus the worker pools; start with ``start``, end with ``close``."""

    def __init__(self, host: Host, settings: RuntimeSettings | None = None) -> None:
        self.host = host
        self.settings = settings or RuntimeSettings()
        self.pool = WorkerPool(self.settings.workers, self.settings.limits.memory_mb)
        self.preprocess_pool = WorkerPool(self.settings.preprocess_workers, self.settings.limits.memory_mb)
        self._wake = threading.Condition()
        self._idle = threading.Condition()
        self._running = 0
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._travel = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> None:
        if not self.enabled or self._threads:
            return
        for index in range(self.settings.workers):
            self._spawn(self._dispatch_forever, f"venueops-runtime-dispatch-{index}")
        self._spawn(self._schedule_forever, "venueops-runtime-scheduler")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stopping = True
        self.wake()
        self.pool.close()
        self.preprocess_pool.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def wake(self) -> None:
        """Something changed (a job queued, an invitation saved, the clock moved): look again now."""
        with self._wake:
            self._wake.notify_all()

    # -- preprocess ----------------------------------------------------------------------------------
    def preprocess(self, script: str, kind: str, subject: dict[str, Any], invitation: dict[str, Any],
                   existing: dict[str, Any] | None) -> None:
        """Run a preprocess now; raise ``PreprocessRefusal`` with its message if it raises."""
        if not self.enabled or is_javascript(script):
            return
        job = self._worker_job(script, kind, subject, invitation, existing, date_index=None,
                               name=f"<preprocess of {invitation.get('id')}>")
        result = self.preprocess_pool.run(job, self.settings.limits)
        if result["status"] != "ok":
            raise PreprocessRefusal(result.get("message") or "the preprocess refused the edit")

    def _worker_job(self, script: str, kind: str, subject: dict[str, Any] | None, invitation: dict[str, Any],
                    existing: dict[str, Any] | None, *, date_index: int | None, name: str) -> dict[str, Any]:
        return {"script": script, "kind": kind, "subject": subject, "invitation": invitation, "existing": existing,
                "date_index": date_index, "name": name, "now_ms": self.host.now(), "baseurl": self.host.baseurl(),
                "token": self.host.worker_token()}

    # -- processes -------------------------------------------------------------------------------------
    def _dispatch_forever(self) -> None:
        while not self._stopping:
            job = self.host.take_job()
            if job is None:
                self._nap()
                continue
            with self._idle:
                self._running += 1
            try:
                self._run(job)
            except Exception:  # a fault of ours must not stop the queue; the job is marked failed
                log.exception("running a process job failed")
                try:
                    self.host.finish_job(job, "error", "the sandbox could not run this process\n", self.host.now(),
                                         self.host.now())
                except Exception:
                    log.exception("could not record the failure")
            finally:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

    def _run(self, job: dict[str, Any]) -> None:
        started = self.host.now()
        context = self.host.job_context(job)
        if context is None:
            self.host.finish_job(job, "error", "the object or invitation the process belongs to is gone\n", started,
                                 self.host.now())
            return
        script = context["script"]
        if is_javascript(script):
            self.host.finish_job(job, "error", NOT_RUN_JAVASCRIPT, started, self.host.now())
            return
        worker_job = self._worker_job(script, context["kind"], context.get("subject"), context["invitation"],
                                      context.get("existing"), date_index=context.get("date_index"),
                                      name=context.get("name", "<process>"))
        worker_job["now_ms"] = started
        result = self.pool.run(worker_job, self.settings.limits)
        self.host.finish_job(job, result["status"], result.get("log") or "", started, self.host.now())

    def _nap(self) -> None:
        with self._wake:
            self._wake.wait(self.settings.poll_s)

    # -- date processes --------------------------------------------------------------------------------
    def _schedule_forever(self) -> None:
        while not self._stopping:
            try:
                self.fire_due()
            except Exception:
                log.exception("firing date processes failed")
            next_at = self.host.next_firing()
            wait = self.settings.poll_s
            if next_at is not None:
                wait = min(wait, max(0.0, (next_at - self.host.now()) / 1000))
            if wait > 0:
                with self._wake:
                    self._wake.wait(wait)

    def fire_due(self) -> int:
        """Queue every firing due by now; how many were queued."""
        now = self.host.now()
        due = self.host.due_firings(now)
        for firing in due:
            self.host.fire(firing, log=True)
        if due:
            self.wake()
        return len(due)

    # -- waiting and time travel ---------------------------------------------------------------------------
    def wait_idle(self, timeout_s: float = 600.0) -> bool:
        """Until nothing is queued, running or due (True), or ``timeout_s`` passed (False)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.enabled:
                return True
            if self.fire_due() == 0:
                with self._idle:
                    if self._running == 0 and not self.host.busy():
                        return True
            with self._idle:
                self._idle.wait(min(0.05, max(0.0, deadline - time.monotonic())))
        return False

    def advance_to(self, target_ms: int, timeout_s: float = 600.0) -> int:
        """Move the clock to ``target_ms`` through every firing on the way, each at its own moment, with
        what it sets off finished before the next; returns how many firings fired."""
        fired = 0
        with self._travel:
            deadline = time.monotonic() + timeout_s
            while True:
                self.wait_idle(max(0.0, deadline - time.monotonic()))
                next_at = self.host.next_firing()
                if next_at is None or next_at > target_ms or not self.enabled:
                    break
                if next_at > self.host.now():
                    self.host.move_clock_to(next_at)
                fired += self.fire_due()
                if time.monotonic() > deadline:
                    break
            if self.host.now() < target_ms:
                self.host.move_clock_to(target_ms)
            self.wait_idle(max(0.0, deadline - time.monotonic()))
        return fired

    def date_job_context(self, firing: Firing, invitation: dict[str, Any]) -> dict[str, Any] | None:
        """What a worker needs to run ``firing`` of ``invitation``."""
        script = script_of(invitation, firing.process_index)
        if script is None:
            return None
        return {"script": script, "kind": "date", "invitation": invitation, "date_index": firing.date_index,
                "name": f"<date process {firing.log_id}>"}
