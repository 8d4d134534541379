"""The fault switch: make chosen API requests fail, to test how clients survive a failing server.

A rule matches requests by method and path (exact, or a prefix), lets the first ``after`` matching
requests through, then fails the next ``times`` of them (``null``: every one from then on), and is
spent. A failure is one of:

- an OpenReview error body (``{"name", "message", "status"}``) with ``status``, optionally with a
  ``Retry-After`` header (seconds);
- a dropped connection (``"drop": true``): the server closes the socket without answering, as a
  crashed proxy or a network cut does.

``"phase": "before"`` (the default) fails the request without processing it; ``"phase": "after"``
processes it (an edit is stored) and then loses the answer, the case that makes naive retries post
twice. ``delay_ms`` waits before failing (to exercise client timeouts and interruptions); the wait
ends early when the client disconnects, since nobody is left to answer.

Rules are set with ``PUT /_sandbox/faults`` (replacing all rules), read with ``GET`` (with how many
requests each has seen and failed) and removed with ``DELETE`` or ``POST /_sandbox/reset``. The
control plane itself never fails.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from venueops.sandbox.errors import ValidationError

Phase = Literal["before", "after"]

DEFAULT_STATUS = 503
DEFAULT_NAMES = {429: "TooManyRequestsError", 500: "InternalServerError", 502: "BadGatewayError",
                 503: "ServiceUnavailableError", 504: "GatewayTimeoutError"}
RULE_KEYS = frozenset({"method", "path", "path_prefix", "after", "times", "status", "name", "message",
                       "retry_after", "phase", "drop", "delay_ms"})

# Set while a request is being dropped on purpose, so uvicorn's complaint about the unanswered
# request ("ASGI callable returned without ...") is not logged as a server error.
_dropping: contextvars.ContextVar[bool] = contextvars.ContextVar("venueops_sandbox_dropping", default=False)


@dataclass
class FaultRule:
    """One rule and its counters (``seen``: matching requests so far; ``fired``: failures so far)."""

    method: str | None = None
    path: str | None = None
    path_prefix: str | None = None
    after: int = 0
    times: int | None = 1
    status: int = DEFAULT_STATUS
    name: str | None = None
    message: str = "The sandbox failed this request on purpose (fault switch)"
    retry_after: int | None = None
    phase: Phase = "before"
    drop: bool = False
    delay_ms: int = 0
    seen: int = field(default=0, compare=False)
    fired: int = field(default=0, compare=False)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path is not None and self.path != path:
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def error_body(self) -> dict[str, Any]:
        return {"name": self.name or DEFAULT_NAMES.get(self.status, "Error"), "message": self.message,
                "status": self.status}

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "path_prefix": self.path_prefix, "after": self.after,
                "times": self.times, "status": self.status, "name": self.error_body()["name"],
                "message": self.message, "retry_after": self.retry_after, "phase": self.phase, "drop": self.drop,
                "delay_ms": self.delay_ms, "seen": self.seen, "fired": self.fired}


def parse_rules(body: Any) -> list[FaultRule]:
    """The rules of a ``PUT /_sandbox/faults`` body (``{"rules": [...]}``), or a ``ValidationError``
    naming the first bad value."""
    if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
        raise ValidationError("rules must be array", path="rules")
    return [_rule(item, f"rules/{index}") for index, item in enumerate(body["rules"])]


def _rule(item: Any, where: str) -> FaultRule:
    if not isinstance(item, dict):
        raise ValidationError(f"{where} must be object", path=where)
    unknown = sorted(set(item) - RULE_KEYS)
    if unknown:
        raise ValidationError(f"{where}/{unknown[0]} is not a fault rule field", path=f"{where}/{unknown[0]}")

    def text(key: str) -> str | None:
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"{where}/{key} must be string", path=f"{where}/{key}")
        return value

    def count(key: str, default: int | None, *, nullable: bool = False) -> int | None:
        if key not in item:
            return default
        value = item[key]
        if value is None and nullable:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(f"{where}/{key} must be a non-negative integer", path=f"{where}/{key}")
        return value

    status = count("status", DEFAULT_STATUS)
    assert status is not None
    if not 400 <= status <= 599:
        raise ValidationError(f"{where}/status must be an HTTP error status (400-599)", path=f"{where}/status")
    phase = item.get("phase", "before")
    if phase not in ("before", "after"):
        raise ValidationError(f"{where}/phase must be before or after", path=f"{where}/phase")
    drop = item.get("drop", False)
    if not isinstance(drop, bool):
        raise ValidationError(f"{where}/drop must be boolean", path=f"{where}/drop")
    method = text("method")
    rule = FaultRule(method=method.upper() if method else None, path=text("path"), path_prefix=text("path_prefix"),
                     after=count("after", 0) or 0, times=count("times", 1, nullable=True), status=status,
                     name=text("name"), retry_after=count("retry_after", None, nullable=True), phase=phase,
                     drop=drop, delay_ms=count("delay_ms", 0) or 0)
    message = text("message")
    if message is not None:
        rule.message = message
    return rule


class FaultSwitch:
    """The current rules; thread-safe, since handlers run in a thread pool."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def replace(self, rules: list[FaultRule]) -> None:
        with self._lock:
            self._rules = list(rules)

    def clear(self) -> None:
        self.replace([])

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_json() for rule in self._rules]

    def fault_for(self, method: str, path: str) -> FaultRule | None:
        """The rule that fails this request, if any (counting it as seen by every live rule that matches;
        the first rule whose turn it is fires)."""
        with self._lock:
            chosen: FaultRule | None = None
            for rule in self._rules:
                if rule.spent or not rule.matches(method, path):
                    continue
                rule.seen += 1
                if chosen is None and rule.seen > rule.after:
                    rule.fired += 1
                    chosen = rule
            return chosen


class FaultMiddleware:
    """Applies the switch's rules to API requests (never to the control plane)."""

    def __init__(self, app: ASGIApp, switch: FaultSwitch) -> None:
        self.app = app
        self.switch = switch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        rule = None
        if scope["type"] == "http" and not path.startswith("/_sandbox/"):
            rule = self.switch.fault_for(scope["method"], path)
        if rule is None:
            await self.app(scope, receive, send)
            return
        if rule.phase == "after":
            await self.app(scope, receive, _discard)
        if rule.delay_ms and await _client_left_during(receive, rule.delay_ms / 1000):
            return  # nobody is waiting for the answer any more
        if rule.drop:
            await _drop_connection(receive, send)
        else:
            await _send_error(send, rule)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)


async def _client_left_during(receive: Receive, seconds: float) -> bool:
    """Wait ``seconds``, or less if the client disconnects meanwhile (then True)."""

    async def disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(disconnect(), timeout=seconds)
    except TimeoutError:
        return False
    return True


async def _discard(message: Message) -> None:
    """Where the answer of a request processed before its fault goes: nowhere."""


async def _send_error(send: Send, rule: FaultRule) -> None:
    payload = json.dumps(rule.error_body()).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(payload)).encode())]
    if rule.retry_after is not None:
        headers.append((b"retry-after", str(rule.retry_after).encode()))
    await send({"type": "http.response.start", "status": rule.status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _drop_connection(receive: Receive, send: Send) -> None:
    """Close the socket without a byte of answer.

    ASGI has no message for this. Under uvicorn the ``receive`` callable belongs to the request cycle,
    which holds the transport: closing it is exactly a dropped connection. Under any other server the
    answer is cut short instead (headers promising a body that never comes), which clients see as a
    broken connection too.
    """
    _dropping.set(True)
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is not None:
        transport.close()
        for _ in range(3):  # let the event loop notice the closed connection before the request ends
            await asyncio.sleep(0)
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})


class _DroppedRequestFilter(logging.Filter):
    """Silences uvicorn's report of a request the fault switch dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _dropping.get()


def install_log_filter() -> None:
    """Keep uvicorn's error log for real errors only (idempotent)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DroppedRequestFilter) for f in logger.filters):
        logger.addFilter(_DroppedRequestFilter())
