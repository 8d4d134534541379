"""HTTP handlers: parse the request, call one backend method, shape the JSON envelope.

One handler per endpoint, named after it. No rule lives here: handlers only translate between
HTTP and ``Backend`` (notes/aesthetics.md §8), calling only its public methods. Each cites the
openreview-py method that calls it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import yaml
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive

from venueops.sandbox import params as p
from venueops.sandbox.access import Caller
from venueops.sandbox.attachments import Upload
from venueops.sandbox.backend import Backend
from venueops.sandbox.errors import (
    JsonSyntaxError,
    PayloadTooLargeError,
    ValidationError,
)
from venueops.sandbox.queries import Page

MAX_BODY_BYTES = 10 * 1024 * 1024
# an upload's whole form; the field's own maxSize (megabytes) is checked by the attachment service
MAX_UPLOAD_BYTES = 100 * 1024 * 1024

Handler = Callable[[Request], Awaitable[Response]]

# FIDELITY: OpenReview serves the OpenAPI definition of its API at ``/docs/api.yml`` (docs.openreview.net,
# "OpenAPI definition": "You can find the definition online here: https://api2.openreview.net/docs/api.yml"),
# and its ``info.version`` is where the server says which version of the API it speaks; it has no other
# version endpoint (none in the definition, the notes or openreview-py). The sandbox serves a definition of
# its own under the same ``info`` as the official one (tests/data/openreview-api-v2.yml, 1.0.0), listing
# the paths and methods it implements, without their schemas. The media type is what a static file server
# gives ``.yml`` (text/yaml); the sources do not say.
API_DEFINITION_PATH = "/docs/api.yml"
API_INFO = {"version": "1.0.0", "title": "OpenReview", "description": "OpenReview API documentation"}


class Handlers:
    """The API's endpoints, bound to one backend."""

    def __init__(self, backend: Backend, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.backend = backend
        self.max_body_bytes = max_body_bytes

    # -- request plumbing ----------------------------------------------------------------------
    async def body(self, request: Request, *, required: bool = True) -> Any:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise PayloadTooLargeError("request entity too large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise PayloadTooLargeError("request entity too large")
            chunks.append(chunk)
        return parse_json(b"".join(chunks), required=required)

    async def as_caller(self, request: Request, operation: Callable[..., Any], *args: Any) -> Any:
        """Authenticate and run ``operation(caller, *args)``.

        Runs on the event loop itself, not in a worker thread: the store serialises every request
        under one lock anyway, so a thread hop would only add latency (two context switches per
        request, a fifth of a note edit's server time). The slow password hashing of login and
        registration still runs in worker threads.
        """
        caller = self.backend.caller(bearer_token(request))
        request.state.caller = caller
        return operation(caller, *args)

    @staticmethod
    def query(request: Request, spec: dict[str, p.Parser], *, content_filters: bool = False) -> dict[str, Any]:
        return p.parse(request.query_params.multi_items(), spec, content_filters=content_filters)

    # -- users ---------------------------------------------------------------------------------
    async def post_login(self, request: Request) -> Response:
        """openreview-py ``OpenReviewClient.login_user``."""
        self.query(request, p.NONE)
        body = await self.body(request)
        return JSONResponse(await run_in_threadpool(self.backend.login, body))

    async def post_register(self, request: Request) -> Response:
        """``register_user``."""
        self.query(request, p.NONE)
        body = await self.body(request)
        return JSONResponse(await run_in_threadpool(self.backend.register, body))

    async def put_activate(self, request: Request) -> Response:
        """``activate_user`` (the token is the registered e-mail, as on a local OpenReview)."""
        self.query(request, p.NONE)
        body = await self.body(request, required=False)
        token = request.path_params["token"]
        return JSONResponse(await run_in_threadpool(self.backend.activate, token, body))

    async def post_logout(self, request: Request) -> Response:
        return JSONResponse({})

    async def get_tildeusername(self, request: Request) -> Response:
        params = self.query(request, p.TILDE)
        if not params.get("fullname"):
            raise ValidationError("fullname cannot be empty or missing", path="fullname")
        return JSONResponse(await run_in_threadpool(self.backend.get_tildeusername, params["fullname"]))

    async def get_messages(self, request: Request) -> Response:
        """``get_messages``: the outbox (nothing is ever sent), newest first."""
        params = self.query(request, p.MESSAGES)
        return JSONResponse({"messages": await self.as_caller(request, self.backend.get_messages, params)})

    # -- attachments -------------------------------------------------------------------------
    async def put_attachment(self, request: Request) -> Response:
        """``put_attachment``: a multipart form of ``invitationId``, ``name`` and ``file``."""
        self.query(request, p.NONE)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
            raise PayloadTooLargeError("request entity too large")
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise ValidationError("The request must be multipart/form-data", path="file")
        capped = Request(request.scope, receive=_capped_receive(request.receive, MAX_UPLOAD_BYTES))
        try:
            async with capped.form(max_files=1, max_fields=10) as form:
                file = form.get("file")
                upload = Upload(
                    invitation_id=_form_text(form.get("invitationId")), name=_form_text(form.get("name")),
                    filename=getattr(file, "filename", None),
                    data=await file.read() if isinstance(file, UploadFile) else None)
        except MultiPartException as error:
            raise ValidationError(f"The request is not a valid form: {error.message}", path="file") from None
        caller = self.backend.caller(bearer_token(request))
        request.state.caller = caller
        return JSONResponse(await run_in_threadpool(self.backend.put_attachment, caller, upload))

    async def get_attachment(self, request: Request) -> Response:
        """``get_attachment`` by note id: the bytes of the file the note's field ``name`` names."""
        params = self.query(request, p.ATTACHMENT)
        if not params.get("name"):
            raise ValidationError("name cannot be empty or missing", path="name")
        found = await self.as_caller(request, self.backend.get_attachment, params.get("id"), params["name"])
        return Response(found.data, media_type=found.content_type)

    async def get_pdf(self, request: Request) -> Response:
        """``get_pdf``: the note's ``pdf`` field."""
        params = self.query(request, p.PDF)
        found = await self.as_caller(request, self.backend.get_attachment, params.get("id"), "pdf")
        return Response(found.data, media_type=found.content_type)

    async def get_process_logs(self, request: Request) -> Response:
        """``get_process_logs``: the logs of processes and date processes, newest first."""
        params = self.query(request, p.PROCESS_LOGS)
        logs = await self.as_caller(request, self.backend.get_process_logs, params)
        return JSONResponse({"logs": logs})

    async def get_jobs_status(self, request: Request) -> Response:
        """``get_jobs_status``: the process queues' counts."""
        self.query(request, p.NONE)
        return JSONResponse(await self.as_caller(request, self.backend.get_jobs_status))

    async def get_api_definition(self, request: Request) -> Response:
        """``/docs/api.yml``: the API's OpenAPI definition (no client method reads it; people and
        ``venueops validate --online`` do)."""
        return Response(api_definition(request.app.routes), media_type="text/yaml")

    async def get_profiles(self, request: Request) -> Response:
        """``get_profile`` / ``get_profiles`` / ``search_profiles`` (by name)."""
        params = self.query(request, p.PROFILES)
        profiles = await self.as_caller(request, self.backend.get_profiles, params)
        return JSONResponse({"profiles": profiles, "count": len(profiles)})

    async def post_profiles_search(self, request: Request) -> Response:
        """``search_profiles(ids=|emails=|confirmedEmails=)``."""
        self.query(request, p.NONE)
        body = await self.body(request)
        profiles = await self.as_caller(request, self.backend.search_profiles, body)
        return JSONResponse({"profiles": profiles, "count": len(profiles)})

    # -- groups, invitations, notes ------------------------------------------------------------
    async def get_groups(self, request: Request) -> Response:
        """``get_group`` / ``get_groups`` / ``get_all_groups``."""
        params = self.query(request, p.GROUPS)
        return envelope("groups", await self.as_caller(request, self.backend.get_groups, params))

    async def get_invitations(self, request: Request) -> Response:
        """``get_invitation`` / ``get_invitations`` / ``get_all_invitations``."""
        params = self.query(request, p.INVITATIONS)
        return envelope("invitations", await self.as_caller(request, self.backend.get_invitations, params))

    async def get_notes(self, request: Request) -> Response:
        """``get_note`` / ``get_notes`` / ``get_all_notes``."""
        params = self.query(request, p.NOTES, content_filters=True)
        if "paperhash" in params:
            raise ValidationError("The sandbox does not compute paperhash; query by id, forum or content",
                                  path="paperhash")
        return envelope("notes", await self.as_caller(request, self.backend.get_notes, params))

    async def post_notes_search(self, request: Request) -> Response:
        """``get_notes_by_ids``."""
        self.query(request, p.NONE)
        body = await self.body(request)
        return envelope("notes", await self.as_caller(request, self.backend.search_notes, body))

    def edit_poster(self, kind: str) -> Handler:
        """``post_note_edit`` / ``post_group_edit`` / ``post_invitation_edit``."""
        return self.body_call(lambda caller, body: self.backend.post_edit(kind, caller, body))

    def edit_getter(self, kind: str) -> Handler:
        spec = p.edits_params(kind)

        async def get_edits(request: Request) -> Response:
            """``get_note_edits`` / ``get_group_edits`` / ``get_invitation_edits`` (and ``*_edit``)."""
            params = self.query(request, spec)
            return envelope("edits", await self.as_caller(
                request, lambda caller: self.backend.get_edits(kind, caller, params)))

        return get_edits

    def deleter(self, kind: str) -> Handler:
        """``delete_group`` / ``delete_invitation`` / ``delete_note``."""
        return self.body_call(lambda caller, body: self.backend.delete_object(kind, caller, body))

    def body_call(self, operation: Callable[[Caller, Any], Any]) -> Handler:
        """A handler for the common shape: authenticate, no query parameters, a JSON body, one
        backend call whose result is the response (edges and tags: ``post_edge``, ``post_edges``,
        ``delete_edges``, ``post_tag``, ``post_tags``, ``delete_tags``)."""

        async def handler(request: Request) -> Response:
            self.query(request, p.NONE)
            body = await self.body(request)
            if self.backend.runs_processes():
                # a preprocess may run, and its script's own requests must be served meanwhile: off the loop
                caller = self.backend.caller(bearer_token(request))
                request.state.caller = caller
                return JSONResponse(await run_in_threadpool(operation, caller, body))
            return JSONResponse(await self.as_caller(request, operation, body))

        return handler

    async def delete_members_cache(self, request: Request) -> Response:
        """``flush_members_cache``: the sandbox computes membership live, so there is nothing to flush."""
        await self.as_caller(request, _nothing)
        return JSONResponse({})

    # -- edges and tags ------------------------------------------------------------------------
    async def get_edges(self, request: Request) -> Response:
        """``get_edges`` / ``get_all_edges`` / ``get_grouped_edges``."""
        params = self.query(request, p.EDGES)
        if params.get("groupBy"):
            grouped = await self.as_caller(request, self.backend.get_grouped_edges, params)
            return JSONResponse({"groupedEdges": grouped})
        return envelope("edges", await self.as_caller(request, self.backend.get_edges, params))

    async def get_edges_count(self, request: Request) -> Response:
        """``get_edges_count``."""
        params = self.query(request, p.EDGES_COUNT)
        return JSONResponse({"count": await self.as_caller(request, self.backend.get_edges_count, params)})

    async def get_tags(self, request: Request) -> Response:
        """``get_tags`` / ``get_all_tags``."""
        params = self.query(request, p.TAGS)
        return envelope("tags", await self.as_caller(request, self.backend.get_tags, params))


MAX_JSON_DEPTH = 100


def _form_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _capped_receive(receive: Receive, limit: int) -> Receive:
    """``receive`` that refuses a body longer than ``limit`` bytes (a form sent without a length)."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise PayloadTooLargeError("request entity too large")
        return message

    return capped


def parse_json(raw: bytes, *, required: bool = True) -> Any:
    """A request body as JSON, refusing what JSON.parse in the real API would refuse or what
    cannot be stored: non-UTF-8 bytes, NaN/Infinity (``SyntaxError``, as JSON.parse reports them),
    numbers that overflow to infinity, integers outside JavaScript's safe range (``ValidationError``
    naming their path), lone surrogates, and nesting deeper than ``MAX_JSON_DEPTH``.

    Every body goes through here: edits of groups, invitations and notes, edges, tags, logins,
    and the control plane's batch."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonSyntaxError("The request body is not valid UTF-8") from None
    if not text.strip():
        if required:
            raise ValidationError("The request body cannot be empty or missing")
        return None
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise JsonSyntaxError(f"Unexpected token in JSON at position {error.pos}") from None
    except RecursionError:
        raise JsonSyntaxError(f"The request body is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as error:
        raise JsonSyntaxError(f"The request body has a value JSON cannot carry: {error}") from None
    _check_json_value(value)
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float | int:
    """A JSON number written with a fraction or exponent. JavaScript has one number type, so
    ``1798124348628.0`` is the number 1798124348628 to the real API: it passes as a date or an
    integer and is written back without the fraction. Whole values in the safe range become ints
    here for the same effect (openreview-py's builder sends dates computed in floating point)."""
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:40]} is out of range")
    if number.is_integer() and abs(number) <= MAX_SAFE_INTEGER:
        return int(number)
    return number


MAX_SAFE_INTEGER = 2**53 - 1


def _check_json_value(value: Any) -> None:
    """Depth, string and integer checks, iteratively (no recursion on attacker-controlled depth).

    FIDELITY: OpenReview is JavaScript, whose numbers are doubles: an integer beyond
    ``Number.MAX_SAFE_INTEGER`` (2**53 - 1) would be stored rounded there. The sandbox refuses
    such integers, wherever they are in the body, rather than round them or keep an exactness the
    real server does not have. Non-integral numbers are doubles in both languages and pass.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValidationError(f"The request body is nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(node, str):
            _check_string(node)
        elif isinstance(node, dict):
            for key, item in node.items():
                _check_string(key)
                stack.append((item, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
        elif type(node) is int and not -MAX_SAFE_INTEGER <= node <= MAX_SAFE_INTEGER:
            path, number = _first_unsafe_integer(value)
            raise ValidationError(f"{path} must be a safe integer (at most {MAX_SAFE_INTEGER} in magnitude)",
                                  path=path, invalid_value=number, has_invalid_value=True)


def _first_unsafe_integer(value: Any) -> tuple[str, int]:
    """The slash path (``invitation/edit/…/maxLength``; ``body`` for the whole body) and value of the
    first integer outside the safe range, in document order. Run only once one is known to exist,
    so the common case builds no paths."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((item, f"{path}/{key}" if path else str(key)) for key, item in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((item, f"{path}/{index}" if path else str(index))
                         for index, item in reversed(list(enumerate(node))))
        elif type(node) is int and not -MAX_SAFE_INTEGER <= node <= MAX_SAFE_INTEGER:
            return path or "body", node
    raise AssertionError("no unsafe integer")  # pragma: no cover - only called when there is one


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JsonSyntaxError("The request body has a lone surrogate in a string") from None


def _nothing(caller: Caller) -> None:
    """For endpoints that only need the caller authenticated."""


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
        return header.strip() or None
    cookie = request.cookies.get("openreview.accessToken")
    return cookie or None


def envelope(name: str, page: Page) -> Response:
    return JSONResponse({name: page.items, "count": page.count})


def api_definition(routes: list[Any]) -> str:
    """The OpenAPI document of the API routes (the control plane and the definition itself left out)."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, Route) or route.path.startswith("/_sandbox/") or route.path == API_DEFINITION_PATH:
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # Starlette's {token:path} is OpenAPI's {token}
        for method in sorted((route.methods or set()) - {"HEAD"}):
            paths.setdefault(path, {})[method.lower()] = {"responses": {"200": {"description": "OK"}}}
    ordered = {path: dict(sorted(operations.items())) for path, operations in sorted(paths.items())}
    document = {"openapi": "3.0.3", "info": dict(API_INFO), "paths": ordered}
    return yaml.safe_dump(document, sort_keys=False)
