"""The worker process: runs one venue script at a time, apart from the server.

Started by ``pool.WorkerPool`` as ``python worker.py IN_FD OUT_FD MEMORY_MB`` (this file, run by path:
it imports nothing of the sandbox or of venueops, only openreview-py and time-machine); it reads
jobs from ``IN_FD`` and writes results to ``OUT_FD``, one JSON document per line (``protocol``). The
script's own prints, and anything it or a library writes to file descriptors 1 and 2, never reach
those pipes: standard output and error are captured per job into the job's log.

What a script gets, as on OpenReview (openreview-py's stubs in ``venue/invitation.py`` name them):

- ``client``: an ``openreview.api.OpenReviewClient`` bound to the sandbox as its super user;
- the globals ``openreview``, ``datetime`` and ``date_index`` (the index of the date that fired, for a
  date process; ``None`` otherwise);
- the arguments of its signature: ``process(client, edit, invitation)`` or
  ``process_update(client, edit, invitation, existing_edit)`` for edits, ``(client, edge|tag,
  invitation[, existing])`` for edges and tags, ``process(client, invitation)`` for date processes.
  When a script defines ``process_update`` it is called (with ``None`` for a new object); otherwise
  ``process``.

Its clock is the sandbox's: ``time.time()``, ``datetime.now()`` and friends read the moment the job
runs at on the sandbox clock, ticking from there (``time_machine``). The process's address space is
capped (``RLIMIT_AS``), so a script that eats memory fails with ``MemoryError`` in its own log; one that
runs too long is killed by the pool. Threads are made cheap in address space, so the cap limits memory,
not threads: openreview-py's fan-outs (``tools.concurrent_requests``) start 128 threads, and at the
default 8 MB stack each (plus a 64 MB malloc arena per thread up to 8 per core) they alone would reserve
over 2 GB while using a few MB. Each thread gets a ``THREAD_STACK_BYTES`` stack, and the pool starts
workers with glibc's ``MALLOC_ARENA_MAX`` at 2 (``pool.py``).

Nothing here is imported by the server: the sandbox runs code it does not trust only in here.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import io
import json
import os
import resource
import sys
import threading
import traceback
from typing import Any

STATUS_OK = "ok"
STATUS_ERROR = "error"
THREAD_STACK_BYTES = 4 * 1024 * 1024  # Python's recursion limit keeps well within it


class _Clients:
    """One client per (base URL, token), made on first use (making one reads the caller's profile)."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], Any] = {}

    def get(self, baseurl: str, token: str) -> Any:
        import openreview

        key = (baseurl, token)
        if key not in self._made:
            client = openreview.api.OpenReviewClient(baseurl=baseurl, token=token)
            client.session.headers["X-Sandbox-Process"] = "1"  # the server does not count its own work
            self._made = {key: client}  # an older token is not used again
        return self._made[key]


def _arguments(job: dict[str, Any]) -> list[Any]:
    """The script's arguments after ``client``, as openreview-py objects."""
    import openreview

    api = openreview.api
    invitation = api.Invitation.from_json(job["invitation"]) if job.get("invitation") else None
    kind = job["kind"]
    if kind == "date":
        return [invitation]
    if kind == "edge":
        return [api.Edge.from_json(job["subject"]), invitation]
    if kind == "tag":
        return [api.Tag.from_json(job["subject"]), invitation]
    return [api.Edit.from_json(job["subject"]), invitation]


def _existing(job: dict[str, Any]) -> Any:
    import openreview

    existing = job.get("existing")
    if existing is None:
        return None
    api = openreview.api
    return {"edge": api.Edge.from_json, "tag": api.Tag.from_json}.get(job["kind"], api.Edit.from_json)(existing)


def _error_message(error: BaseException) -> str:
    """What a refusing preprocess says to the caller: an ``OpenReviewException``'s message (its first
    argument, a text or ``{"message": ...}``), or the exception's text."""
    first = error.args[0] if error.args else None
    if isinstance(first, dict) and isinstance(first.get("message"), str):
        return first["message"]
    if isinstance(first, str):
        return first
    return str(error) or type(error).__name__


def run_job(job: dict[str, Any], clients: _Clients) -> dict[str, Any]:
    """Run one script; the result says ``ok`` or ``error``, with its log (output, then any traceback)."""
    import openreview
    import time_machine

    output = io.StringIO()
    namespace: dict[str, Any] = {"__builtins__": builtins, "__name__": "__openreview_process__",
                                 "openreview": openreview, "datetime": datetime, "date_index": job.get("date_index")}
    status, message = STATUS_OK, None
    moment = datetime.datetime.fromtimestamp(job["now_ms"] / 1000, tz=datetime.UTC)
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), \
            time_machine.travel(moment, tick=True):
        try:
            client = clients.get(job["baseurl"], job["token"])
            code = compile(job["script"], job.get("name") or "<process>", "exec")
            exec(code, namespace)
            update = namespace.get("process_update")
            function = update if callable(update) and job["kind"] != "date" else namespace.get("process")
            if not callable(function):
                raise RuntimeError("the script defines no process function (def process(...) or process_update)")
            arguments = [client, *_arguments(job)]
            if function is update:
                arguments.append(_existing(job))
            function(*arguments)
        except BaseException as error:  # the script is untrusted: whatever it raises (exit too) is its log
            status, message = STATUS_ERROR, _error_message(error)
            traceback.print_exc(file=output)
    return {"status": status, "log": output.getvalue(), "message": message}


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> None:
    in_fd, out_fd, memory_mb = int(argv[0]), int(argv[1]), int(argv[2])
    _limit_memory(memory_mb)
    threading.stack_size(THREAD_STACK_BYTES)
    # Scripts and libraries may write to the standard descriptors directly; they go nowhere.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    import openreview  # noqa: F401 - loaded before the first job, so that job's time limit is its own
    import time_machine  # noqa: F401

    clients = _Clients()
    with os.fdopen(in_fd, "r", encoding="utf-8") as jobs, os.fdopen(out_fd, "w", encoding="utf-8") as results:
        results.write(json.dumps({"ready": True}) + "\n")
        results.flush()
        for line in jobs:
            job = json.loads(line)
            try:
                result = run_job(job, clients)
            except MemoryError:
                result = {"status": STATUS_ERROR, "log": "MemoryError: the script used more memory than the worker "
                          f"may ({memory_mb} MB)\n", "message": "the script ran out of memory"}
            results.write(json.dumps(result) + "\n")
            results.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
