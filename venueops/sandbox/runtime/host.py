"""The runtime's place in the server: what the edit pipeline tells it, and what it reads back.

``Processes`` is the one object the rest of the sandbox talks to about venue code:

- the edit pipeline asks ``preprocess_script(invitation)`` and calls ``runtime.preprocess`` before it
  stores an edit; after storing (inside the same transaction) it calls ``edit_stored``, which queues the
  ``process`` of the invitation the edit went through, and ``invitation_saved`` for every invitation it
  writes, which (re)schedules that invitation's date processes;
- the runtime's threads call the ``Host`` methods (``take_job``, ``finish_job``, ``due_firings``, …),
  each a short transaction on the store.

With processes off (``RuntimeSettings.enabled = False``) nothing is queued, scheduled or run, and the
sandbox behaves as a pure API server.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from venueops.sandbox.clock import Clock
from venueops.sandbox.runtime import schedule, support
from venueops.sandbox.runtime.pool import Limits
from venueops.sandbox.runtime.runtime import EXECUTED_ON, Runtime, RuntimeSettings
from venueops.sandbox.runtime.schedule import Firing
from venueops.sandbox.store import Store

log = logging.getLogger("venueops.sandbox.runtime")
SETUP_META = "support_setup"
SETUP_LOG_ID = support.SETUP_LOG_ID
SETUP_SECONDS = support.SETUP_SECONDS
TOKEN_REFRESH_MS = 30 * 60 * 1000  # a worker token is re-issued once it is this old on the sandbox clock
UNFINISHED = "the sandbox stopped while this process ran; it was not finished\n"


def process_script(invitation: dict[str, Any] | None, key: str = "process") -> str | None:
    """An invitation's ``process`` (or ``preprocess``): a script, or ``{"script": ...}``."""
    value = (invitation or {}).get(key)
    if isinstance(value, dict):
        value = value.get("script")
    return value if isinstance(value, str) and value.strip() else None


class Processes:
    def __init__(self, store: Store, clock: Clock, issue_root_token: Callable[[], str],
                 settings: RuntimeSettings | None = None) -> None:
        self._store = store
        self._clock = clock
        self._issue_root_token = issue_root_token
        self._baseurl: str | None = None
        self._token: tuple[str, int] | None = None
        self._setting_up: threading.Thread | None = None
        self.runtime = Runtime(self, settings)

    @property
    def enabled(self) -> bool:
        return self.runtime.enabled

    def start(self, baseurl: str) -> None:
        """Serve at ``baseurl``: scripts' clients talk to it. Finishes what a previous server left, and
        sets up OpenReview's support objects on a new database (in the background)."""
        self._baseurl = baseurl
        if not self.enabled:
            return
        with self._store.transaction():
            self._store.release_taken_jobs(UNFINISHED, self.now())
        self.runtime.start()
        self._set_up_support()

    def ready(self) -> bool:
        """False while the support setup runs (``/_sandbox/health`` says ``starting``)."""
        return self._setting_up is None or not self._setting_up.is_alive()

    def _set_up_support(self) -> None:
        if not (self.enabled and self.runtime.settings.support_setup):
            return
        with self._store.reading():
            done = self._store.get_meta(SETUP_META) is not None
        if not done:
            self._setting_up = threading.Thread(target=self._run_support_setup, name="venueops-support-setup",
                                                daemon=True)
            self._setting_up.start()

    def _run_support_setup(self) -> None:
        try:
            self._support_setup()
        except Exception:  # the setup must never take the server down; it is logged, and readiness ends
            log.exception("OpenReview's support setup could not run")

    def _support_setup(self) -> None:
        _wait_until_listening(self.baseurl())
        started = self.now()
        with self._store.transaction():
            log_seq = self._store.start_log({"id": SETUP_LOG_ID, "invitation": SETUP_LOG_ID, "processIndex": 0,
                                             "executedOn": EXECUTED_ON, "sdate": started})
        job = {"script": support.SCRIPT, "kind": "date", "subject": None, "invitation": {"id": SETUP_LOG_ID},
               "existing": None, "date_index": None, "name": "<support setup>", "now_ms": started,
               "baseurl": self.baseurl(), "token": self.worker_token()}
        limits = Limits(seconds=SETUP_SECONDS, memory_mb=self.runtime.settings.limits.memory_mb)
        result = self.runtime.pool.run(job, limits)
        with self._store.transaction():
            self._store.end_log(log_seq, result["status"], result.get("log") or "", started, self.now())
            self._store.set_meta(SETUP_META, result["status"])

    def close(self) -> None:
        self.runtime.close()

    def after_reset(self) -> None:
        """The database was wiped: forget the worker token (a new secret signs tokens now) and set up
        OpenReview's support objects again."""
        self._token = None
        if self._baseurl is not None:
            self._set_up_support()

    # -- the edit pipeline's hooks (called inside its transaction) ------------------------------
    def preprocess_script(self, invitation: dict[str, Any] | None) -> str | None:
        return process_script(invitation, "preprocess") if self.enabled else None

    def edit_stored(self, kind: str, subject: dict[str, Any], invitation: dict[str, Any] | None,
                    existing: dict[str, Any] | None = None) -> None:
        """Queue the process of the invitation ``subject`` (an edit, edge or tag) was posted through."""
        if not self.enabled or invitation is None or process_script(invitation) is None:
            return
        job = {"kind": kind, "subject_id": subject["id"], "invitation": invitation["id"], "existing": existing}
        if kind in ("edge", "tag"):
            job["subject"] = subject
        self._store.enqueue_job(job, {"id": subject["id"], "invitation": invitation["id"], "processIndex": 0,
                                      "executedOn": EXECUTED_ON, "sdate": self.now()})
        self.runtime.wake()

    def invitation_saved(self, invitation: dict[str, Any]) -> None:
        """(Re)schedule the invitation's date processes; a deleted invitation fires nothing."""
        if not self.enabled:
            return
        if invitation.get("ddate") and invitation["ddate"] <= self.now():
            self._store.schedule_firings(invitation["id"], [])
            return
        entries = invitation.get("dateprocesses")
        cron_after = {}
        if isinstance(entries, list):
            cron_after = {i: last for i, entry in enumerate(entries) if isinstance(entry, dict) and "cron" in entry
                          and (last := self._store.last_fired(invitation["id"], i)) is not None}
        wanted = [(f.process_index, f.date_index, f.at_ms)
                  for f in schedule.firings(invitation, cron_after=cron_after)]
        self._store.schedule_firings(invitation["id"], wanted)
        self.runtime.wake()

    # -- Host: what the runtime's threads read and write --------------------------------------------
    def now(self) -> int:
        return self._clock.now()

    def baseurl(self) -> str:
        if self._baseurl is None:
            raise RuntimeError("the sandbox is not serving yet")
        return self._baseurl

    def worker_token(self) -> str:
        now = self.now()
        if self._token is None or not 0 <= now - self._token[1] < TOKEN_REFRESH_MS:
            self._token = (self._issue_root_token(), now)
        return self._token[0]

    def take_job(self) -> dict[str, Any] | None:
        with self._store.transaction():
            taken = self._store.take_job()
        if taken is None:
            return None
        seq, log_seq, job = taken
        return {**job, "seq": seq, "log_seq": log_seq}

    def job_context(self, job: dict[str, Any]) -> dict[str, Any] | None:
        with self._store.reading():
            invitation = self._store.get_invitation(job["invitation"])
            if invitation is None:
                return None
            if job["kind"] == "date":
                context = self.runtime.date_job_context(
                    Firing(job["at"], job["invitation"], job["process_index"], job["date_index"]), invitation)
                return context
            script = process_script(invitation)
            if script is None:
                return None
            subject = job.get("subject")
            if subject is None:
                found = self._store.get_edit(job["subject_id"])
                if found is None:
                    return None
                subject = found[2]
        return {"script": script, "kind": job["kind"], "subject": subject, "invitation": invitation,
                "existing": job.get("existing"), "name": f"<process of {invitation['id']}>"}

    def finish_job(self, job: dict[str, Any], status: str, output: str, started: int, ended: int) -> None:
        with self._store.transaction():
            self._store.finish_job(job["seq"], job["log_seq"], status, output, started, ended)

    def due_firings(self, until_ms: int) -> list[Firing]:
        with self._store.reading():
            rows = self._store.due_firings(until_ms)
        return [Firing(at, invitation, process_index, date_index) for invitation, process_index, date_index, at in rows]

    def next_firing(self) -> int | None:
        with self._store.reading():
            return self._store.next_firing()

    def fire(self, firing: Firing, *, log: bool = True) -> None:
        """Mark ``firing`` fired and queue its job (for ``cron``, schedule the next occurrence too)."""
        with self._store.transaction():
            self._store.mark_fired(firing.invitation_id, firing.process_index, firing.date_index, firing.at_ms)
            invitation = self._store.get_invitation(firing.invitation_id)
            if invitation is None:
                return
            job = {"kind": "date", "invitation": firing.invitation_id, "process_index": firing.process_index,
                   "date_index": firing.date_index, "at": firing.at_ms}
            self._store.enqueue_job(job, {"id": firing.log_id, "invitation": firing.invitation_id,
                                          "processIndex": firing.process_index, "executedOn": EXECUTED_ON,
                                          "sdate": self.now()})
            entries = invitation.get("dateprocesses") or []
            entry = entries[firing.process_index] if firing.process_index < len(entries) else None
            if isinstance(entry, dict) and "cron" in entry:
                self.invitation_saved(invitation)

    def busy(self) -> bool:
        """Jobs queued or running, or the support setup still under way."""
        if not self.ready():
            return True
        with self._store.reading():
            waiting, active = self._store.jobs_counts()
        return waiting + active > 0

    def move_clock_to(self, moment_ms: int) -> None:
        state = self._clock.state
        if state.mode == "frozen":
            self._clock.freeze(moment_ms)
        else:
            self._clock.run_from(moment_ms)

    # -- reading back ---------------------------------------------------------------------------------
    def logs(self, *, log_id: str | None, invitation: str | None, status: str | None,
             min_sdate: int | None) -> list[dict[str, Any]]:
        """``GET /logs/process``: the invitation filter is a regex matched at the start, as OpenReview's
        helpers use it (``V/.*``)."""
        with self._store.reading():
            rows = self._store.process_logs(log_id=log_id, status=status, min_sdate=min_sdate)
        if invitation is None:
            return rows
        try:
            pattern = re.compile(invitation)
        except re.error:
            return [r for r in rows if r["invitation"] == invitation]
        return [r for r in rows if r["invitation"] is not None and pattern.match(r["invitation"])]

    def jobs_status(self) -> dict[str, dict[str, int]]:
        """``GET /jobs/status``: the queues openreview-py's test helpers add up."""
        with self._store.reading():
            waiting, active = self._store.jobs_counts()
        # Date processes waiting for their moment are not counted: openreview-py's helpers wait for the
        # counts to reach 0, and a reminder months ahead would keep them waiting.
        return {"pythonProcessQueueMQStatus": {"waiting": waiting, "active": active, "delayed": 0, "completed": 0,
                                               "failed": 0},
                "pyDateProcessQueueMQStatus": {"waiting": 0, "active": 0, "delayed": 0, "completed": 0,
                                               "failed": 0}}


def _wait_until_listening(baseurl: str, timeout_s: float = 60.0) -> None:
    """Until the server accepts connections (the setup's requests go to it)."""
    parts = urlsplit(baseurl)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((parts.hostname or "localhost", parts.port or 80), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
