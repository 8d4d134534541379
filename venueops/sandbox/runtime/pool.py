"""Worker processes that run venue scripts, each with a time and a memory limit.

A ``WorkerPool`` keeps up to ``size`` workers (``worker.py``, started fresh with the server's Python,
never forked from the server). ``run(job)`` hands a job to an idle worker and waits for its answer for
at most the job's time limit. A worker that overruns is killed and replaced, and the job's result is
an ``error`` that says so; one that dies (a crash, the memory cap) is replaced the same way. Nothing a
script does can stop the server: it only ever sees a result.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("venueops.sandbox.runtime")

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
# The Python scripts run in: the server's own, unless this names another, one with openreview-py and
# time-machine installed. OpenReview runs venue code with the openreview-py its deployment has; pointing
# this at an environment with another release lets the sandbox run that release's scripts and setup.
WORKER_PYTHON_ENV = "VENUEOPS_SANDBOX_WORKER_PYTHON"
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Limits:
    """What one script may use: wall time (seconds) and the worker's address space (MB, 0: no cap)."""

    seconds: float = 120.0
    memory_mb: int = 2048


def _worker_environment() -> dict[str, str]:
    """The server's environment, unbuffered, and with few malloc arenas: glibc reserves 64 MB of address
    space per arena, one per thread up to 8 per core, and the worker's memory cap counts address space
    (worker.py says why threads must stay cheap). An operator's own MALLOC_ARENA_MAX stands."""
    return {**os.environ, "PYTHONUNBUFFERED": "1", "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}


class WorkerError(Exception):
    """A worker could not be started, or stopped answering."""


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self, memory_mb: int) -> None:
        python = os.environ.get(WORKER_PYTHON_ENV) or sys.executable
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [python, str(WORKER_SCRIPT), str(to_child_r), str(from_child_w), str(memory_mb)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True, env=_worker_environment())
        except OSError as error:
            for fd in (to_child_r, from_child_w, self._to_child, self._from_child):
                with contextlib.suppress(OSError):
                    os.close(fd)
            raise WorkerError(f"cannot start a script worker with {python} ({WORKER_PYTHON_ENV}?): "
                              f"{error.strerror or error}") from None
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        ready = self._read_line(START_TIMEOUT_S)
        if ready is None or not json.loads(ready).get("ready"):
            self.kill()
            raise WorkerError(f"a script worker did not start with {python}: does it have openreview-py and "
                              "time-machine installed?")

    def run(self, job: dict[str, Any], seconds: float) -> dict[str, Any] | None:
        """The job's result, or None when the worker overran ``seconds`` or died (it is then killed)."""
        try:
            os.write(self._to_child, (json.dumps(job) + "\n").encode())
        except OSError:
            self.kill()
            return None
        line = self._read_line(seconds)
        if line is None:
            self.kill()
            return None
        return json.loads(line)

    def _read_line(self, seconds: float) -> bytes | None:
        deadline = time.monotonic() + seconds
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._from_child], [], [], min(left, 1.0))
            if not ready:
                if self.process.poll() is not None:
                    return None
                continue
            chunk = os.read(self._from_child, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the script's own children too
        self.process.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._to_child)  # end of input: the worker leaves its loop
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        self.kill()


class WorkerPool:
    """Up to ``size`` workers, started on first use and replaced when they fail."""

    def __init__(self, size: int = 4, memory_mb: int = Limits().memory_mb) -> None:
        self.size = size
        self.memory_mb = memory_mb
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, job: dict[str, Any], limits: Limits) -> dict[str, Any]:
        """Run ``job`` on a worker (waiting for one to be free); always returns a result."""
        with self._slots:
            if self._closed:
                return _failed("the sandbox is stopping: the script was not run")
            try:
                worker = self._take()
            except WorkerError as error:
                return _failed(str(error))
            started = time.monotonic()
            result = worker.run(job, limits.seconds)
            if result is None:
                overran = time.monotonic() - started >= limits.seconds
                self._forget(worker)
                if overran:
                    return _failed(f"the script ran longer than the time limit ({limits.seconds:g} s) and was "
                                   "stopped")
                code = worker.process.returncode
                return _failed(f"the script's worker process died (exit status {code}): it may have used more "
                               f"memory than allowed ({self.memory_mb} MB) or crashed the interpreter")
            self._idle.put(worker)
            return result

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = _Worker(self.memory_mb)
                with self._lock:
                    self._all.add(worker)
                return worker
            if worker.alive:
                return worker
            self._forget(worker)

    def _forget(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def warm(self, count: int = 1) -> None:
        """Start ``count`` workers ahead of the first job (in the caller's thread)."""
        for _ in range(min(count, self.size)):
            worker = _Worker(self.memory_mb)
            with self._lock:
                self._all.add(worker)
            self._idle.put(worker)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


def _failed(why: str) -> dict[str, Any]:
    return {"status": "error", "log": why + "\n", "message": why}
