"""A small client for OpenReview API v2 on ``requests``: the only module of the tool that talks HTTP.

- Credentials: a token, or an id and password (``login``); the same environment variables
  openreview-py reads (``OPENREVIEW_API_BASEURL_V2``, ``OPENREVIEW_USERNAME``, ``OPENREVIEW_PASSWORD``).
- Retries with exponential backoff on 429, 5xx and dropped connections, honouring ``Retry-After``
  (a 429's pause holds every thread that shares the client);
  a timeout on every request. Only requests whose replay is harmless are retried: reads, deletes,
  login, and group/invitation/note edits (posting the same edit again converges to the same object;
  openreview-py retries edit posts for the same reason).
- Paging: ``pages`` follows ``limit``/``offset`` until the server's ``count`` is reached.
- Errors carry the server's ``name``, ``message`` and status (``ApiError``).
- Secrets never leave: the token lives in the session headers only; ``repr`` and errors never show
  it; the password is used once and not kept.
- Every request is counted (``requests_made``), so a plan can say how many it took.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import requests

from venueops.errors import VenueOpsError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_PAGE = 1000
# A connection the server closed without (a whole) answer; a timeout is retried the same way.
DROPPED = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class ApiError(VenueOpsError):
    """The server refused a request: its error name, message and HTTP status."""

    def __init__(self, status: int, name: str, message: str, method: str, path: str) -> None:
        self.status = status
        self.name = name
        self.message = message
        self.method = method
        self.path = path
        super().__init__(f"{method} {path}: {status} {name}: {message}")


class ConnectionFailed(VenueOpsError):
    """The server could not be reached (after retries)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    backoff: float = 0.5  # seconds; doubles each retry, with jitter
    max_wait: float = 30.0


@dataclass(frozen=True)
class Identity:
    """Who the client is logged in as (from the login answer; never the token)."""

    login: str
    profile_id: str


class ApiClient:
    def __init__(self, baseurl: str, *, timeout: float = DEFAULT_TIMEOUT, retry: RetryPolicy | None = None,
                 session: requests.Session | None = None) -> None:
        self.baseurl = baseurl.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "venueops"})
        self.identity: Identity | None = None
        self.requests_made = 0
        # A server's 429 + Retry-After pauses every thread using this client, not only the one told:
        # reconcile's jobs share one client, and a rate limit is per caller, not per request.
        self._pause_until = 0.0  # time.monotonic()
        self._pause_lock = threading.Lock()

    def __repr__(self) -> str:
        who = self.identity.login if self.identity else "guest"
        return f"ApiClient({self.baseurl!r}, as {who!r})"

    # -- credentials -----------------------------------------------------------------------------
    @classmethod
    def from_environment(cls, baseurl: str | None = None, **kwargs: Any) -> ApiClient:
        """A client for ``baseurl`` (or ``OPENREVIEW_API_BASEURL_V2``), logged in with the token or
        the id and password in the environment when present."""
        url = baseurl or os.environ.get("OPENREVIEW_API_BASEURL_V2")
        if not url:
            raise VenueOpsError("no OpenReview server chosen: pass --baseurl URL (or set OPENREVIEW_API_BASEURL_V2), "
                                "or use --sandbox to try the venue on a local sandbox")
        client = cls(url, **kwargs)
        token = os.environ.get("OPENREVIEW_TOKEN")
        username = os.environ.get("OPENREVIEW_USERNAME")
        password = os.environ.get("OPENREVIEW_PASSWORD")
        if token:
            client.use_token(token)
        elif username or password:
            if not (username and password):
                raise VenueOpsError("set both OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD (or neither)")
            client.login(username, password)
        return client

    def login(self, username: str, password: str) -> Identity:
        answer = self.request("POST", "/login", json={"id": username, "password": password})
        self._adopt(answer)
        assert self.identity is not None
        return self.identity

    def use_token(self, token: str) -> None:
        """Authenticate with an existing token (``Bearer `` prefix optional)."""
        token = token.removeprefix("Bearer ").strip()
        self.session.headers["Authorization"] = f"Bearer {token}"
        profiles = self.get("/profiles", {})
        found = profiles.get("profiles") or []
        if found:
            self.identity = Identity(login="(token)", profile_id=found[0]["id"])

    def _adopt(self, answer: dict[str, Any]) -> None:
        token = answer.get("token")
        if not isinstance(token, str):
            raise VenueOpsError("the server's login answer has no token")
        self.session.headers["Authorization"] = f"Bearer {token}"
        user = answer.get("user") or {}
        self.identity = Identity(login=str(user.get("id")), profile_id=str((user.get("profile") or {}).get("id")))

    # -- requests --------------------------------------------------------------------------------
    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body)

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None) -> Any:
        response = self._send(method, path, params=params, json=json)
        try:
            return response.json()
        except ValueError:
            raise ApiError(response.status_code, "Error", "the answer is not JSON", method, path) from None

    def get_text(self, path: str) -> str:
        """A document the server serves as text rather than JSON (its API definition, ``/docs/api.yml``)."""
        return self._send("GET", path, params=None, json=None).text

    def _send(self, method: str, path: str, *, params: dict[str, Any] | None, json: Any) -> requests.Response:
        """The server's answer (2xx), after the retries ``replay_is_harmless`` allows; ``ApiError`` otherwise."""
        url = f"{self.baseurl}{path}"
        attempts = self.retry.attempts if replay_is_harmless(method, path) else 1
        for attempt in range(1, attempts + 1):
            self._honour_pause()
            with self._pause_lock:
                self.requests_made += 1
            started = time.monotonic()
            try:
                # requests reads the whole answer here, so one cut short also lands in DROPPED
                response = self.session.request(method, url, params=_query(params), json=json, timeout=self.timeout)
            except DROPPED as error:
                log.info("%s %s failed: %s (attempt %d of %d)", method, path, type(error).__name__, attempt, attempts)
                if attempt == attempts:
                    raise ConnectionFailed(f"{method} {path}: no answer from {self.baseurl} ({_describe(error)}"
                                           f"{f' after {attempts} attempts' if attempts > 1 else ''})") from None
                self._wait(attempt, None)
                continue
            elapsed = (time.monotonic() - started) * 1000
            log.info("%s %s %s %.0fms", method, path, response.status_code, elapsed)
            if response.status_code == 429:
                self._pause_everyone(response.headers.get("Retry-After"))
            if response.status_code in RETRY_STATUSES and attempt < attempts:
                self._wait(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code >= 400:
                raise _error(response, method, path)
            return response
        raise AssertionError("unreachable")

    def _pause_everyone(self, retry_after: str | None) -> None:
        seconds = 0.0
        with contextlib.suppress(TypeError, ValueError):
            seconds = min(max(float(retry_after or 0), 0.0), self.retry.max_wait)
        with self._pause_lock:
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)

    def _honour_pause(self) -> None:
        with self._pause_lock:
            wait = self._pause_until - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        """Sleep before the next attempt: what the server's ``Retry-After`` (seconds) asks, else
        exponential backoff with jitter; never longer than ``max_wait``."""
        delay = self.retry.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4)  # jitter, not security
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(float(retry_after), 0.0)
        time.sleep(min(delay, self.retry.max_wait))

    # -- reading many ----------------------------------------------------------------------------
    def pages(self, kind: str, params: dict[str, Any], *, page_size: int = MAX_PAGE) -> Iterator[dict[str, Any]]:
        """Every object of ``kind`` (``groups``, ``invitations``, ``notes``…) that ``params`` select,
        page by page (``limit``/``offset``), until the server's ``count`` is reached (or, from a server
        that gives no count, a page comes back short). A server that caps ``limit`` lower than
        ``page_size`` is still read to the end: the count, not the page size, decides."""
        offset = 0
        while True:
            answer = self.get(f"/{kind}", {**params, "limit": page_size, "offset": offset})
            page = answer.get(kind) or []
            yield from page
            offset += len(page)
            count = answer.get("count")
            if not page or (offset >= count if isinstance(count, int) else len(page) < page_size):
                return

    def get_by_ids(self, kind: str, ids: Iterable[str], *, key: str = "ids", **params: Any) -> list[dict[str, Any]]:
        """Objects of ``kind`` (``groups``, ``invitations``, ``profiles``) with these ids, in batches of ids
        (missing ones are simply absent from the answer); one request per batch unless the server pages.
        ``key`` is the parameter the ids go in (``emails`` looks profiles up by e-mail)."""
        found: list[dict[str, Any]] = []
        for batch in _batches(sorted(set(ids))):
            found.extend(self.pages(kind, {key: ",".join(batch), **params}))
        return found


def replay_is_harmless(method: str, path: str) -> bool:
    """Whether a request may be sent again after a failure without changing the outcome."""
    if method in ("GET", "HEAD", "DELETE", "PUT"):
        return True
    return method == "POST" and (path == "/login" or path.endswith("/edits"))


def _describe(error: Exception) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut short"
    return "connection refused or dropped"


MAX_IDS_CHARACTERS = 6000  # keep URLs well under the 8 KB proxies commonly accept


def _batches(ids: list[str]) -> list[list[str]]:
    batches: list[list[str]] = []
    current: list[str] = []
    size = 0
    for object_id in ids:
        if current and (size + len(object_id) + 1 > MAX_IDS_CHARACTERS or len(current) == MAX_PAGE):
            batches.append(current)
            current, size = [], 0
        current.append(object_id)
        size += len(object_id) + 1
    if current:
        batches.append(current)
    return batches


def _query(params: dict[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def _error(response: requests.Response, method: str, path: str) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    name = str(body.get("name") or "Error")
    message = str(body.get("message") or response.reason or "request failed")
    return ApiError(response.status_code, name, message, method, path)
