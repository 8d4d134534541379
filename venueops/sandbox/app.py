"""The ASGI application: routes (the URL table), error bodies, request counting, the fault switch.

Every failure becomes OpenReview's JSON error body; nothing else ever leaves the server (an
unexpected exception is logged with its traceback on the server side and answered with a plain
``InternalServerError``).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from venueops.sandbox.backend import Backend
from venueops.sandbox.control import ControlPlane, RequestCounter
from venueops.sandbox.errors import ApiError, InternalServerError, NotFoundError
from venueops.sandbox.faults import FaultMiddleware, FaultSwitch, install_log_filter
from venueops.sandbox.responses import API_DEFINITION_PATH, MAX_BODY_BYTES, Handlers

log = logging.getLogger("venueops.sandbox")


def api_routes(h: Handlers) -> list[Route]:
    """The URL table of the API v2 subset the sandbox implements."""
    return [
        Route("/login", h.post_login, methods=["POST"]),
        Route("/register", h.post_register, methods=["POST"]),
        Route("/activate/{token:path}", h.put_activate, methods=["PUT"]),
        Route("/logout", h.post_logout, methods=["POST"]),
        Route("/tildeusername", h.get_tildeusername, methods=["GET"]),
        Route("/profiles", h.get_profiles, methods=["GET"]),
        Route("/messages", h.get_messages, methods=["GET"]),
        Route("/messages", h.body_call(h.backend.post_message), methods=["POST"]),
        Route("/messages/requests", h.body_call(h.backend.post_message_request), methods=["POST"]),
        Route("/messages/direct", h.body_call(h.backend.post_direct_message), methods=["POST"]),
        Route("/profiles/search", h.post_profiles_search, methods=["POST"]),
        Route("/groups", h.get_groups, methods=["GET"]),
        Route("/groups", h.deleter("group"), methods=["DELETE"]),
        Route("/groups/edits", h.edit_getter("group"), methods=["GET"]),
        Route("/groups/edits", h.edit_poster("group"), methods=["POST"]),
        Route("/groups/members/cache/{id:path}", h.delete_members_cache, methods=["DELETE"]),
        Route("/invitations", h.get_invitations, methods=["GET"]),
        Route("/invitations", h.deleter("invitation"), methods=["DELETE"]),
        Route("/invitations/edits", h.edit_getter("invitation"), methods=["GET"]),
        Route("/invitations/edits", h.edit_poster("invitation"), methods=["POST"]),
        Route("/notes", h.get_notes, methods=["GET"]),
        Route("/notes", h.deleter("note"), methods=["DELETE"]),
        Route("/notes/search", h.post_notes_search, methods=["POST"]),
        Route("/notes/edits", h.edit_getter("note"), methods=["GET"]),
        Route("/notes/edits", h.edit_poster("note"), methods=["POST"]),
        Route("/edges", h.get_edges, methods=["GET"]),
        Route("/edges", h.body_call(h.backend.post_edge), methods=["POST"]),
        Route("/edges", h.body_call(h.backend.delete_edges), methods=["DELETE"]),
        Route("/edges/bulk", h.body_call(h.backend.post_edges), methods=["POST"]),
        Route("/edges/count", h.get_edges_count, methods=["GET"]),
        Route("/tags", h.get_tags, methods=["GET"]),
        Route("/tags", h.body_call(h.backend.post_tag), methods=["POST"]),
        Route("/tags", h.body_call(h.backend.delete_tags), methods=["DELETE"]),
        Route("/tags/bulk", h.body_call(h.backend.post_tags), methods=["POST"]),
        Route("/attachment", h.put_attachment, methods=["PUT"]),
        Route("/attachment", h.get_attachment, methods=["GET"]),
        Route("/pdf", h.get_pdf, methods=["GET"]),
        Route("/logs/process", h.get_process_logs, methods=["GET"]),
        Route("/jobs/status", h.get_jobs_status, methods=["GET"]),
        Route(API_DEFINITION_PATH, h.get_api_definition, methods=["GET"]),
    ]


def control_routes(c: ControlPlane) -> list[Route]:
    return [
        Route("/_sandbox/health", c.health, methods=["GET"]),
        Route("/_sandbox/reset", c.reset, methods=["POST"]),
        Route("/_sandbox/clock", c.get_clock, methods=["GET"]),
        Route("/_sandbox/clock", c.put_clock, methods=["PUT"]),
        Route("/_sandbox/idle", c.idle, methods=["POST"]),
        Route("/_sandbox/stats", c.stats, methods=["GET"]),
        Route("/_sandbox/requests", c.get_requests, methods=["GET"]),
        Route("/_sandbox/requests", c.delete_requests, methods=["DELETE"]),
        Route("/_sandbox/batch", c.batch, methods=["POST"]),
        Route("/_sandbox/faults", c.get_faults, methods=["GET"]),
        Route("/_sandbox/faults", c.put_faults, methods=["PUT"]),
        Route("/_sandbox/faults", c.delete_faults, methods=["DELETE"]),
    ]


def create_app(backend: Backend, *, control: bool = True, max_body_bytes: int = MAX_BODY_BYTES) -> Starlette:
    handlers = Handlers(backend, max_body_bytes=max_body_bytes)
    counter = RequestCounter()
    faults = FaultSwitch()
    routes = api_routes(handlers)
    if control:
        routes += control_routes(ControlPlane(backend, handlers, counter, faults))

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        caller = getattr(request.state, "caller", None)
        user = caller.user_label if caller is not None else None
        return JSONResponse(exc.to_json(user), status_code=exc.status, headers=exc.headers or None)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            error: ApiError = NotFoundError(f"Cannot {request.method} {request.url.path}", status=405,
                                            name="MethodNotAllowedError")
        elif exc.status_code == 404:
            error = NotFoundError(f"Cannot {request.method} {request.url.path}")
        else:
            error = ApiError(str(exc.detail), status=exc.status_code)
        return JSONResponse(error.to_json(), status_code=error.status)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        error = InternalServerError("An unexpected error occurred in the sandbox; see its log")
        return JSONResponse(error.to_json(), status_code=500)

    app = Starlette(
        routes=routes,
        exception_handlers={ApiError: api_error, HTTPException: http_error, Exception: unexpected},
    )
    app.state.backend = backend
    app.state.counter = counter
    app.state.faults = faults
    install_log_filter()
    # Counting outside the fault switch: a request that was failed on purpose was still received.
    return CountingMiddleware(FaultMiddleware(app, faults), counter)  # type: ignore[return-value]


# Requests made by the venue's own scripts (runtime/worker.py sends it) are the server's own work, not a
# client's: the counters leave them out, so they keep measuring what a client asked for.
PROCESS_HEADER = b"x-sandbox-process"


class CountingMiddleware:
    """Counts API requests by method and route path for ``/_sandbox/requests``."""

    def __init__(self, app: ASGIApp, counter: RequestCounter) -> None:
        self.app = app
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not str(scope.get("path", "")).startswith("/_sandbox/") and not any(
                name == PROCESS_HEADER for name, _ in scope.get("headers") or ()):
            self.counter.add(scope["method"], _route_label(scope["path"]))
        await self.app(scope, receive, send)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)


def _route_label(path: str) -> str:
    for prefix in ("/activate/", "/groups/members/cache/"):
        if path.startswith(prefix):
            return prefix + "*"
    return path
