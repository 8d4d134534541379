"""The control plane under ``/_sandbox/``: operating the sandbox, never part of OpenReview's API.

- ``GET /_sandbox/health``: ``{"status": "ok", "now": <ms>}`` once the server answers;
- ``POST /_sandbox/reset``: wipe the database and seed it again (super user, special groups);
- ``GET /_sandbox/clock``: ``{"now": <ms>, "mode": "real"|"frozen"}``;
- ``PUT /_sandbox/clock``: ``{"now": ms}`` freezes at ms, ``{"now": ms, "running": true}`` runs from ms,
  ``{"advance": ms}`` moves it, ``{"mode": "real"}`` goes back to wall time;
- ``GET /_sandbox/stats``: row counts per table;
- ``GET /_sandbox/requests``: API requests served, per ``METHOD path`` and in total;
  ``DELETE`` sets those counters to zero;
- ``POST /_sandbox/batch``: ``{"edits": [{"kind": "note"|"group"|"invitation", "edit": {...}}]}`` posts many
  edits as the super user in one transaction, through the same pipeline as the API (bulk loading);
- ``PUT /_sandbox/faults``: ``{"rules": [...]}`` makes chosen API requests fail (an error status or a
  dropped connection, before or after processing them; see ``faults.py``); ``GET`` shows the rules
  and their counters, ``DELETE`` removes them (so does ``reset``).

The control plane is on by default (this is a sandbox) and off with ``--no-control``. Like the API's
handlers it reaches the domain only through ``Backend`` methods, and it leaves the interpreter alone
(no garbage-collector tuning here: ``serve`` sets that up once at start).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from venueops.sandbox.backend import Backend
from venueops.sandbox.clock import ClockState
from venueops.sandbox.errors import ValidationError
from venueops.sandbox.faults import FaultSwitch, parse_rules
from venueops.sandbox.responses import Handlers


class RequestCounter:
    """Counts API requests (the control plane's own requests are not counted)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, method: str, path: str) -> None:
        with self._lock:
            self._counts[f"{method} {path}"] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"total": sum(self._counts.values()), "byRoute": dict(sorted(self._counts.items()))}

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


class ControlPlane:
    def __init__(self, backend: Backend, handlers: Handlers, counter: RequestCounter, faults: FaultSwitch) -> None:
        self.backend = backend
        self.handlers = handlers
        self.counter = counter
        self.faults = faults

    async def health(self, request: Request) -> Response:
        if not self.backend.ready():
            return JSONResponse({"status": "starting", "now": self.backend.now()}, status_code=503)
        return JSONResponse({"status": "ok", "now": self.backend.now()})

    async def reset(self, request: Request) -> Response:
        await run_in_threadpool(self.backend.reset)
        self.counter.clear()
        self.faults.clear()
        return JSONResponse({"status": "ok"})

    async def get_clock(self, request: Request) -> Response:
        return JSONResponse(self._clock_json())

    async def put_clock(self, request: Request) -> Response:
        body = await self.handlers.body(request)
        if not isinstance(body, dict):
            raise ValidationError("body must be object")
        if body.get("mode") == "real":
            state = ClockState()
        elif "advance" in body:
            state = _advanced(self.backend.clock_state(), _ms(body, "advance", allow_negative=True))
        elif "now" in body:
            now = _ms(body, "now")
            state = (ClockState(mode="real", offset_ms=now - self.backend.wall_ms()) if body.get("running")
                     else ClockState(mode="frozen", frozen_ms=now))
        else:
            raise ValidationError('body must have "now", "advance" or "mode": "real"')
        await run_in_threadpool(self.backend.move_clock, state)
        return JSONResponse(self._clock_json())

    async def idle(self, request: Request) -> Response:
        """``POST /_sandbox/idle`` ``{"timeout": seconds}``: wait until no process is queued, running or
        due; ``{"idle": false}`` when the timeout came first."""
        body = await self.handlers.body(request, required=False) or {}
        timeout = body.get("timeout", 600) if isinstance(body, dict) else 600
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout < 0:
            raise ValidationError("timeout must be a number of seconds", path="timeout")
        idle = await run_in_threadpool(self.backend.wait_for_processes, float(timeout))
        return JSONResponse({"idle": idle})

    def _clock_json(self) -> dict[str, Any]:
        state = self.backend.clock_state()
        return {"now": self.backend.now(), "mode": state.mode}

    async def stats(self, request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(self.backend.stats))

    async def get_requests(self, request: Request) -> Response:
        return JSONResponse(self.counter.snapshot())

    async def delete_requests(self, request: Request) -> Response:
        self.counter.clear()
        return JSONResponse({"status": "ok"})

    async def get_faults(self, request: Request) -> Response:
        return JSONResponse({"rules": self.faults.snapshot()})

    async def put_faults(self, request: Request) -> Response:
        self.faults.replace(parse_rules(await self.handlers.body(request)))
        return JSONResponse({"rules": self.faults.snapshot()})

    async def delete_faults(self, request: Request) -> Response:
        self.faults.clear()
        return JSONResponse({"status": "ok"})

    async def batch(self, request: Request) -> Response:
        body = await self.handlers.body(request)
        if not isinstance(body, dict) or not isinstance(body.get("edits"), list):
            raise ValidationError("edits must be array", path="edits")
        items = body["edits"]
        for index, item in enumerate(items):
            if not isinstance(item, dict) or item.get("kind") not in ("note", "group", "invitation"):
                raise ValidationError(f"edits/{index}/kind must be note, group or invitation",
                                      path=f"edits/{index}/kind")
        ids = await run_in_threadpool(self.backend.post_batch, items)
        return JSONResponse({"count": len(ids), "ids": ids})


def _ms(body: dict[str, Any], key: str, *, allow_negative: bool = False) -> int:
    value = body.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or (value < 0 and not allow_negative):
        raise ValidationError(f"{key} must be an integer number of milliseconds", path=key)
    return value


def _advanced(state: ClockState, delta: int) -> ClockState:
    if state.mode == "frozen":
        return ClockState(mode="frozen", frozen_ms=state.frozen_ms + delta)
    return ClockState(mode="real", offset_ms=state.offset_ms + delta)
