"""Bad input: every rejected request gets OpenReview's JSON error body and changes nothing.

Each case sends one malformed, mistyped, unknown, oversized, unauthorised or template-violating
request to the real sandbox over HTTP and asserts:

- the exact status and error ``name`` (and the message where the code words it precisely);
- a JSON body with ``name``, ``message`` and ``status``, never a 500, a traceback or a Python
  exception path;
- the database is unchanged: ``/_sandbox/stats`` row counts and a fingerprint of everything the
  super user can list (groups, invitations, notes, tags and the three edit streams) are equal
  before and after the request.

Where the sandbox has no wording of its own for a case (today it answers 500 there), the test
expects the error the surrounding code gives for the same class of input: ``SyntaxError`` for a
body the JSON layer cannot turn into valid Unicode JSON (as Express's body parser reports it),
``ValidationError`` for a well-formed value the API cannot hold.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
import requests

from tests.sandbox.scenario import build_workshop

VENUE = "DRW.cc/2026/Workshop"
SUBMISSION = f"{VENUE}/-/Submission"
META = f"{VENUE}/-/Edit"
PCS = f"{VENUE}/Program_Chairs"
AUTHOR = "~Ann_Author1"
AUTHOR_NAME = "Ann Author"
AUTHOR_EMAIL = "author@drw.example"
MAX_BODY = 10 * 1024 * 1024
MAX_DATE = 9_999_999_999_999
TIMEOUT = 120

# Everything the super user can list; together with the row counts this is the database's fingerprint.
LISTINGS = (
    "/groups?stream=true&trash=true",
    "/invitations?stream=true&expired=true&trash=true",
    "/notes?stream=true&trash=true",
    "/notes/edits?stream=true&trash=true",
    "/groups/edits?stream=true&trash=true",
    "/invitations/edits?stream=true&trash=true",
    "/tags?stream=true&trash=true",
)

# What must never reach a client: tracebacks, source paths, module paths, Python exception classes.
LEAK = re.compile(
    r"Traceback|File \"[^\"]*\.py\"|\.py\", line"
    r"|\b(?:venueops|starlette|uvicorn|anyio|sqlite3|builtins|json\.decoder)\.[A-Za-z_]"
    r"|<class '"
    r"|\b(?:JSONDecode|UnicodeDecode|UnicodeEncode|Overflow|Recursion|Attribute|Key|Type|Index|Value|Assertion"
    r"|Operational|Integrity|Programming|Runtime|ZeroDivision)Error\b"
)
ID_PATTERN_MESSAGE = re.compile(r'(?:group|note|invitation)/(?:id|members/\d+) must match pattern "\^.+\$"')


# -- talking to the sandbox ------------------------------------------------------------------------
@dataclass
class Ctx:
    baseurl: str
    root_token: str
    author_token: str

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        data: bytes | Iterator[bytes] | None = None,
        as_: str = "root",
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        sent = {"Accept": "application/json"}
        token = {"root": self.root_token, "author": self.author_token, "guest": None}[as_]
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        return requests.request(method, self.baseurl + path, data=data, headers=sent, timeout=TIMEOUT)


@pytest.fixture
def ctx(root, make_user, baseurl) -> Ctx:
    """A fresh database holding the workshop of ``scenario`` and one author (not a chair)."""
    author = make_user(AUTHOR_EMAIL, AUTHOR_NAME)
    assert author.profile.id == AUTHOR
    build_workshop(root, root, "pc@drw.example")
    return Ctx(baseurl=baseurl, root_token=root.token, author_token=author.token)


def snapshot(ctx: Ctx) -> tuple[dict[str, Any], list[str]]:
    """Row counts plus a digest of every listed object, keyed by id; and what could not be read."""
    problems: list[str] = []
    stats = requests.get(f"{ctx.baseurl}/_sandbox/stats", timeout=TIMEOUT)
    state: dict[str, Any] = {"stats": stats.json() if stats.status_code == 200 else stats.text}
    for path in LISTINGS:
        response = ctx.request("GET", path)
        if response.status_code != 200:
            problems.append(f"listing GET {path} answered {response.status_code}: {response.text[:300]}")
            state[path] = None
            continue
        payload = response.json()
        items = next(value for key, value in payload.items() if key != "count")
        digests = {item["id"]: hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
                   for item in items}
        assert len(digests) == len(items) == payload["count"], f"GET {path} lists an id twice"
        state[path] = digests
    return state, problems


def error_problems(
    response: requests.Response,
    status: int,
    name: str,
    message: str | re.Pattern[str] | None = None,
    details: dict[str, Any] | None = None,
) -> list[str]:
    """What is wrong with ``response`` as OpenReview's error body ``status``/``name``/``message``."""
    text = response.text
    shown = f"{response.request.method} {response.request.path_url} -> {response.status_code} {text[:400]!r}"
    problems: list[str] = []
    if response.status_code >= 500:
        problems.append(f"server error: {shown}")
    leak = LEAK.search(text)
    if leak:
        problems.append(f"body leaks Python internals ({leak.group(0)!r}): {shown}")
    try:
        body = response.json()
    except ValueError:
        return [*problems, f"body is not JSON: {shown}"]
    if not response.headers.get("content-type", "").startswith("application/json"):
        problems.append(f"content-type is {response.headers.get('content-type')!r}: {shown}")
    if not isinstance(body, dict):
        return [*problems, f"body is not an object: {shown}"]
    if (response.status_code, body.get("name")) != (status, name):
        problems.append(f"expected {status} {name}, got {response.status_code} {body.get('name')}: {shown}")
    if body.get("status") != response.status_code:
        problems.append(f"body status {body.get('status')!r} differs from HTTP status: {shown}")
    got = body.get("message")
    if not isinstance(got, str) or not got:
        problems.append(f"no message: {shown}")
    elif isinstance(message, re.Pattern):
        if not message.fullmatch(got):
            problems.append(f"message {got!r} does not match {message.pattern!r}")
    elif message is not None and got != message:
        problems.append(f"message {got!r} is not {message!r}")
    for key, value in (details or {}).items():
        if (body.get("details") or {}).get(key) != value:
            problems.append(f"details.{key} is {(body.get('details') or {}).get(key)!r}, not {value!r}")
    return problems


def assert_rejected(
    ctx: Ctx,
    send: Callable[[Ctx], requests.Response],
    status: int,
    name: str,
    message: str | re.Pattern[str] | None = None,
    details: dict[str, Any] | None = None,
) -> requests.Response:
    """Send, then check the error body and that the database is as it was."""
    before, unreadable = snapshot(ctx)
    assert not unreadable, unreadable
    response = send(ctx)
    after, unreadable_after = snapshot(ctx)
    problems = error_problems(response, status, name, message, details) + unreadable_after
    if after != before:
        changed = [key for key in before if before[key] != after.get(key)]
        problems.append(f"the database changed: {changed}; stats before {before['stats']}, after {after['stats']}")
        for key in changed:
            if isinstance(before[key], dict) and isinstance(after.get(key), dict):
                added = sorted(set(after[key]) - set(before[key]))
                removed = sorted(set(before[key]) - set(after[key]))
                modified = sorted(k for k in before[key] if k in after[key] and before[key][k] != after[key][k])
                problems.append(f"  {key}: added {added}, removed {removed}, modified {modified}")
    assert not problems, "\n".join(problems)
    return response


# -- request bodies ------------------------------------------------------------------------------
def submission(title: str = "A valid title") -> dict[str, Any]:
    """A valid submission by the author through the venue's submission invitation."""
    return {
        "invitation": SUBMISSION,
        "signatures": [AUTHOR],
        "note": {"content": {"title": {"value": title}, "authorids": {"value": [AUTHOR]}}},
    }


def group_edit() -> dict[str, Any]:
    """A valid new group posted by the super user through the venue's meta invitation."""
    return {
        "invitation": META, "signatures": [VENUE], "readers": [VENUE], "writers": [VENUE],
        "group": {"id": f"{VENUE}/New_Group", "readers": [VENUE], "writers": [VENUE], "signatures": [VENUE],
                  "signatories": [VENUE], "members": [AUTHOR]},
    }


def invitation_edit() -> dict[str, Any]:
    """A valid new comment invitation posted by the super user through the venue's meta invitation."""
    return {
        "invitations": META, "signatures": [VENUE], "readers": [VENUE], "writers": [VENUE],
        "invitation": {
            "id": f"{VENUE}/-/New_Invitation", "readers": ["everyone"], "writers": [VENUE], "signatures": [VENUE],
            "invitees": [VENUE],
            "edit": {"signatures": [VENUE], "readers": [VENUE], "writers": [VENUE],
                     "note": {"readers": [VENUE], "writers": [VENUE], "signatures": [VENUE],
                              "content": {"comment": {"value": {"param": {"type": "string", "regex": ".+"}}}}}},
        },
    }


def meta_note_edit() -> dict[str, Any]:
    """A valid new note posted by the super user through the venue's meta invitation."""
    return {
        "invitation": META, "signatures": [VENUE],
        "note": {"readers": [VENUE], "writers": [VENUE], "signatures": [VENUE],
                 "content": {"remark": {"value": "fine"}}},
    }


DROP = object()


def changed(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``body`` with the value at ``a/b/c`` replaced (or removed with ``DROP``)."""
    out = copy.deepcopy(body)
    *parents, last = path.split("/")
    node = out
    for key in parents:
        node = node[key]
    if value is DROP:
        del node[last]
    else:
        node[last] = value
    return out


def with_raw_value(body: dict[str, Any], path: str, literal: str) -> bytes:
    """``body`` serialised with the JSON text at ``path`` replaced by ``literal`` verbatim."""
    marker = "@@RAW@@"
    return json.dumps(changed(body, path, marker)).replace(f'"{marker}"', literal).encode()


# -- senders -------------------------------------------------------------------------------------
def post(path: str, body: Any, as_: str = "root") -> Callable[[Ctx], requests.Response]:
    return lambda ctx: ctx.request("POST", path, body=body, as_=as_)


def post_raw(path: str, data: bytes, as_: str = "root") -> Callable[[Ctx], requests.Response]:
    return lambda ctx: ctx.request("POST", path, data=data, as_=as_)


def get(path: str, as_: str = "root") -> Callable[[Ctx], requests.Response]:
    return lambda ctx: ctx.request("GET", path, as_=as_)


def call(method: str, path: str, body: Any = None, as_: str = "root") -> Callable[[Ctx], requests.Response]:
    return lambda ctx: ctx.request(method, path, body=body, as_=as_)


def submit(body: Any) -> Callable[[Ctx], requests.Response]:
    return post("/notes/edits", body, as_="author")


def submit_raw(data: bytes) -> Callable[[Ctx], requests.Response]:
    return post_raw("/notes/edits", data, as_="author")


def chunked(data: bytes, size: int = 1024 * 1024) -> Iterator[bytes]:
    """A generator body: ``requests`` sends it chunked, without a Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def padded_to(size: int, body: dict[str, Any]) -> bytes:
    """``body`` as JSON, preceded by whitespace up to exactly ``size`` bytes."""
    text = json.dumps(body).encode()
    return b" " * (size - len(text)) + text


def deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


SUBMISSION_JSON = json.dumps(submission()).encode()
WITHOUT_TITLE = changed(submission(), "note/content/title", DROP)
PATTERN_MESSAGE = 'title value must match pattern "^.{1,250}$"'
TYPE_LIST = "must be array of non-empty strings"
DATE_MESSAGE = f"must be integer between 0 and {MAX_DATE}"


def case(send: Callable[[Ctx], requests.Response], status: int, name: str, message: Any = None,
         details: dict[str, Any] | None = None, *, id: str) -> Any:
    return pytest.param(send, status, name, message, details, id=id)


MALFORMED_BODIES = [
    case(submit_raw(SUBMISSION_JSON[: len(SUBMISSION_JSON) // 2]), 400, "SyntaxError",
         re.compile(r"Unexpected token in JSON at position \d+"), id="truncated-json"),
    case(submit_raw(SUBMISSION_JSON[:-1]), 400, "SyntaxError",
         re.compile(r"Unexpected token in JSON at position \d+"), id="missing-closing-brace"),
    case(submit_raw(b"invitation=x&signatures=y"), 400, "SyntaxError",
         "Unexpected token in JSON at position 0", id="form-encoded-not-json"),
    case(submit_raw(b"{'invitation': 'x'}"), 400, "SyntaxError",
         "Unexpected token in JSON at position 1", id="single-quoted-not-json"),
    case(submit_raw(json.dumps(submission("Résumé"), ensure_ascii=False).encode("latin-1")), 400, "SyntaxError",
         "The request body is not valid UTF-8", id="latin1-encoded"),
    case(submit_raw(json.dumps(submission()).encode("utf-16")), 400, "SyntaxError",
         "The request body is not valid UTF-8", id="utf16-encoded"),
    case(submit_raw(b""), 400, "ValidationError", "The request body cannot be empty or missing", id="empty-body"),
    case(submit_raw(b"  \n\t "), 400, "ValidationError", "The request body cannot be empty or missing",
         id="whitespace-body"),
    case(post_raw("/groups/edits", with_raw_value(group_edit(), "group/content", '{"x": {"value": NaN}}')),
         400, "SyntaxError", id="nan-literal"),
    case(post_raw("/groups/edits", with_raw_value(group_edit(), "group/content", '{"x": {"value": -Infinity}}')),
         400, "SyntaxError", id="infinity-literal"),
    # JSON has no NaN or Infinity (Python's json would take them): refused in every body, as JSON.parse does.
    case(post_raw("/edges", b'{"invitation": "x", "head": "a", "tail": "b", "weight": Infinity}'), 400,
         "SyntaxError", id="infinity-in-an-edge"),
    case(post_raw("/_sandbox/batch", b'{"edits": [{"kind": "group", "edit": {"cdate": NaN}}]}'), 400,
         "SyntaxError", id="nan-in-a-batch"),
    case(post_raw("/login", b'{"id": "openreview.net", "password": "x", "expiresIn": -Infinity}', as_="guest"),
         400, "SyntaxError", id="minus-infinity-in-a-login"),
    case(post_raw("/groups/edits", with_raw_value(group_edit(), "group/content", '{"x": {"value": 1e400}}')),
         400, "SyntaxError", id="number-overflowing-to-infinity"),
    case(submit_raw(with_raw_value(submission(), "note/cdate", "1" * 5000)), 400, "SyntaxError",
         id="5000-digit-integer"),
    case(submit_raw(deeply_nested(100_000).encode()), 400, "SyntaxError", id="body-nested-100000-deep"),
    case(submit_raw(with_raw_value(submission(), "note/content/title/value", '"\\ud800 lone surrogate"')),
         400, "SyntaxError", id="lone-surrogate-in-title"),
    case(post_raw("/groups/edits", with_raw_value(group_edit(), "group/id", f'"{VENUE}/\\udc00"')),
         400, "SyntaxError", id="lone-surrogate-in-group-id"),
]

WRONG_SHAPES = [
    case(submit([submission()]), 400, "ValidationError", "body must be object", id="array-body"),
    case(submit("an edit"), 400, "ValidationError", "body must be object", id="string-body"),
    case(submit(42), 400, "ValidationError", "body must be object", id="number-body"),
    case(submit(changed(submission(), "note", [])), 400, "ValidationError", "note must be object",
         id="note-is-array"),
    case(submit(changed(submission(), "note", "a note")), 400, "ValidationError", "note must be object",
         id="note-is-string"),
    case(submit(changed(submission(), "readers", "everyone")), 400, "ValidationError", f"readers {TYPE_LIST}",
         id="edit-readers-string"),
    case(submit(changed(submission(), "note/readers", "everyone")), 400, "ValidationError",
         f"note/readers {TYPE_LIST}", id="note-readers-string"),
    case(submit(changed(submission(), "note/readers", [""])), 400, "ValidationError",
         f"note/readers {TYPE_LIST}", id="note-readers-empty-string"),
    case(post("/groups/edits", changed(group_edit(), "group/members", [1, 2])), 400, "ValidationError",
         f"group/members {TYPE_LIST}", id="members-numbers"),
    case(post("/groups/edits", changed(group_edit(), "group/members", {"add": [1, 2]})), 400, "ValidationError",
         f"group/members {TYPE_LIST}", id="members-add-numbers"),
    case(post("/groups/edits", changed(group_edit(), "group/members", {"add": "~Ann_Author1"})), 400,
         "ValidationError", f"group/members {TYPE_LIST}", id="members-add-string"),
    case(post("/groups/edits", changed(group_edit(), "group/members", {"replace": 5})), 400, "ValidationError",
         id="members-replace-scalar"),
    case(post("/groups/edits", changed(group_edit(), "group/members", {"replace": ["~Ann_Author1"]})), 400,
         "ValidationError", id="members-replace-strings"),
    case(submit(changed(submission(), "note/cdate", "yesterday")), 400, "ValidationError",
         f"note/cdate {DATE_MESSAGE}", id="cdate-string"),
    case(submit(changed(submission(), "note/cdate", -1)), 400, "ValidationError", f"note/cdate {DATE_MESSAGE}",
         id="cdate-negative"),
    case(submit(changed(submission(), "note/cdate", MAX_DATE + 1)), 400, "ValidationError",
         f"note/cdate {DATE_MESSAGE}", id="cdate-too-large"),
    case(submit(changed(submission(), "note/cdate", [1])), 400, "ValidationError",
         f"note/cdate {DATE_MESSAGE}", id="cdate-list"),
    case(submit(changed(submission(), "note/cdate", True)), 400, "ValidationError", f"note/cdate {DATE_MESSAGE}",
         id="cdate-boolean"),
    case(submit(changed(submission(), "cdate", "now")), 400, "ValidationError", f"cdate {DATE_MESSAGE}",
         id="edit-cdate-string"),
    case(post("/groups/edits", changed(group_edit(), "group/cdate", -5)), 400, "ValidationError",
         f"group/cdate {DATE_MESSAGE}", id="group-cdate-negative"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/expdate", "soon")), 400,
         "ValidationError", f"invitation/expdate {DATE_MESSAGE}", id="invitation-expdate-string"),
    case(submit(changed(submission(), "signatures", {"id": AUTHOR})), 400, "ValidationError",
         f"signatures {TYPE_LIST}", id="signatures-object"),
    case(submit(changed(submission(), "signatures", AUTHOR)), 400, "ValidationError", f"signatures {TYPE_LIST}",
         id="signatures-string"),
    case(post("/groups/edits", changed(group_edit(), "signatures", [VENUE, PCS])), 400, "ValidationError",
         "signatures must contain exactly one group id", id="two-signatures"),
    case(submit(changed(submission(), "note/content", "text")), 400, "ValidationError",
         "note/content must be object", id="content-string"),
    case(submit(changed(submission(), "note/content/title", "A title")), 400, "ValidationError",
         "note/content must be object whose fields are objects ({value, readers})", id="content-field-not-object"),
    case(submit(changed(submission(), "replacement", "yes")), 400, "ValidationError", "replacement must be boolean",
         id="replacement-string"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/maxReplies", "1")), 400,
         "ValidationError", "invitation/maxReplies must be integer", id="max-replies-string"),
    case(post("/groups/edits", changed(group_edit(), "group/anonids", "yes")), 400, "ValidationError",
         "group/anonids must be boolean", id="anonids-string"),
    case(post("/edges", {"invitation": f"{VENUE}/-/Assignment", "head": "a", "tail": "b", "weight": "heavy",
                         "signatures": [VENUE], "readers": [VENUE], "writers": [VENUE]}),
         400, "ValidationError", "weight must be number", id="edge-weight-string"),
    case(post("/edges/bulk", {"head": "a"}), 400, "ValidationError", "body must be array", id="edges-bulk-object"),
    case(post("/notes/search", {"ids": "abc"}), 400, "ValidationError", "ids must be array", id="search-ids-string"),
    case(post("/profiles/search", {"emails": [1]}), 400, "ValidationError", "emails must be array of strings",
         id="profile-search-emails-numbers"),
    case(call("DELETE", "/groups", {"id": 5}), 400, "ValidationError", "The field id cannot be empty or missing",
         id="delete-id-number"),
    case(post_raw("/_sandbox/batch", json.dumps({"edits": "all"}).encode()), 400, "ValidationError",
         "edits must be array", id="batch-edits-string"),
    case(post("/groups/edits", changed(group_edit(), "group/members", [f"{VENUE}/Bad Member"])), 400,
         "ValidationError", ID_PATTERN_MESSAGE, {"path": "group/members/0"}, id="member-id-with-space"),
    case(post("/groups/edits", changed(group_edit(), "group/content",
                                       {"x": {"value": json.loads(deeply_nested(500))}})),
         400, "ValidationError", id="content-value-nested-500-deep"),
]

UNKNOWN_FIELDS = [
    case(submit({**submission(), "colour": "red"}), 400, "ValidationError", "The property colour must NOT be present",
         {"path": "colour"}, id="edit-level"),
    case(submit(changed(submission(), "note/colour", "red")), 400, "ValidationError",
         "The property colour must NOT be present", {"path": "note/colour"}, id="inside-note"),
    case(post("/groups/edits", changed(group_edit(), "group/colour", "red")), 400, "ValidationError",
         "The property colour must NOT be present", {"path": "group/colour"}, id="inside-group"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/colour", "red")), 400, "ValidationError",
         "The property colour must NOT be present", {"path": "invitation/colour"}, id="inside-invitation"),
    case(post("/groups/edits", {**group_edit(), "note": {"content": {}}}), 400, "ValidationError",
         "The property note must NOT be present", id="note-in-group-edit"),
    case(submit(changed(submission(), "note/content/colour", {"value": "red"})), 400, "ValidationError",
         "The property colour must NOT be present", {"path": "note/content/colour"}, id="content-field-off-template"),
    case(post("/edges", {"invitation": f"{VENUE}/-/Assignment", "head": "a", "tail": "b", "colour": "red"}),
         400, "ValidationError", "The property colour must NOT be present", id="inside-edge"),
    case(post("/login", {"id": "openreview.net", "password": "x", "remember": True}, as_="guest"), 400,
         "ValidationError", "The property remember must NOT be present", id="login"),
]


def bad_group_id(group_id: str) -> Callable[[Ctx], requests.Response]:
    return post("/groups/edits", changed(group_edit(), "group/id", group_id))


BAD_IDS = [
    *[case(bad_group_id(f"{VENUE}/Bad{chars}Group"), 400, "ValidationError", ID_PATTERN_MESSAGE,
           {"path": "group/id", "invalidValue": f"{VENUE}/Bad{chars}Group"}, id=f"group-id-{label}")
      for label, chars in [("space", " "), ("double-quote", '"'), ("single-quote", "'"), ("nul", "\x00"),
                           ("control-char", "\x01"), ("newline", "\n"), ("tab", "\t"), ("delete-char", "\x7f"),
                           ("braces", "{}"), ("backslash", "\\"), ("question-mark", "?")]],
    # Too long is said as ajv says it (its maxLength is checked before its pattern), not as a pattern mismatch.
    case(bad_group_id(f"{VENUE}/" + "a" * 1000), 400, "ValidationError",
         "group/id must NOT have more than 1000 characters", {"path": "group/id"}, id="group-id-over-1000-chars"),
    case(bad_group_id(f"{VENUE}/Bad Group" + "a" * 1000), 400, "ValidationError",
         "group/id must NOT have more than 1000 characters", {"path": "group/id"},
         id="group-id-over-1000-chars-and-bad-characters"),
    case(post("/groups/edits", changed(group_edit(), "group/members", [AUTHOR, "~" + "A" * 1000 + "1"])), 400,
         "ValidationError", "group/members/1 must NOT have more than 1000 characters", {"path": "group/members/1"},
         id="member-id-over-1000-chars"),
    case(post("/groups/edits", changed(group_edit(), "group/readers", [VENUE, "r" * 1001])), 400,
         "ValidationError", "group/readers/1 must NOT have more than 1000 characters", {"path": "group/readers/1"},
         id="reader-id-over-1000-chars"),
    case(post("/notes/edits", changed(meta_note_edit(), "note/id", "n" * 1001)), 400, "ValidationError",
         "note/id must NOT have more than 1000 characters", {"path": "note/id"}, id="note-id-over-1000-chars"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/id", f"{VENUE}/-/" + "I" * 1000)), 400,
         "ValidationError", "invitation/id must NOT have more than 1000 characters", {"path": "invitation/id"},
         id="invitation-id-over-1000-chars"),
    case(bad_group_id(""), 400, "ValidationError", "The field group/id cannot be empty or missing",
         id="group-id-empty"),
    case(post("/notes/edits", changed(meta_note_edit(), "note/id", "bad note id")), 400, "ValidationError",
         ID_PATTERN_MESSAGE, {"path": "note/id", "invalidValue": "bad note id"}, id="note-id-space"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/id", f"{VENUE}/-/Bad Invitation")), 400,
         "ValidationError", ID_PATTERN_MESSAGE, {"path": "invitation/id"}, id="invitation-id-space"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/id", f"{VENUE}/-/Bad{{}}")), 400,
         "ValidationError", ID_PATTERN_MESSAGE, {"path": "invitation/id"}, id="invitation-id-braces"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/id", f"{VENUE}/No_Dash_Invitation")), 400,
         "ValidationError", 'invitation/id must contain "/-/"',
         {"path": "invitation/id", "invalidValue": f"{VENUE}/No_Dash_Invitation"}, id="invitation-id-without-dash"),
]

OVERSIZED = [
    case(submit_raw(with_raw_value(submission(), "note/content/title/value", '"' + "a" * MAX_BODY + '"')), 413,
         "PayloadTooLargeError", "request entity too large", id="over-10mb-with-content-length"),
    case(lambda ctx: ctx.request("POST", "/notes/edits", as_="author", data=chunked(
        with_raw_value(submission(), "note/content/title/value", '"' + "a" * MAX_BODY + '"'))), 413,
         "PayloadTooLargeError", "request entity too large", id="over-10mb-chunked"),
    case(submit_raw(padded_to(MAX_BODY + 1, WITHOUT_TITLE)), 413, "PayloadTooLargeError",
         "request entity too large", id="one-byte-over-10mb"),
    case(lambda ctx: ctx.request("POST", "/notes/edits", as_="author", data=chunked(
        padded_to(MAX_BODY + 1, WITHOUT_TITLE))), 413, "PayloadTooLargeError", "request entity too large",
         id="one-byte-over-10mb-chunked"),
    # At exactly the limit the body is read and the edit is judged on its content.
    case(submit_raw(padded_to(MAX_BODY, WITHOUT_TITLE)), 400, "MissingRequiredError",
         "The field title value cannot be empty or missing", id="exactly-10mb-is-parsed"),
    case(lambda ctx: ctx.request("POST", "/notes/edits", as_="author", data=chunked(
        padded_to(MAX_BODY, WITHOUT_TITLE))), 400, "MissingRequiredError",
         "The field title value cannot be empty or missing", id="exactly-10mb-chunked-is-parsed"),
]

QUERY_PARAMETERS = [
    *[case(get(f"{path}?colour=red"), 400, "ValidationError", "The property colour must NOT be present",
           {"path": "colour"}, id=f"unknown-on-{path.strip('/').replace('/', '-')}")
      for path in ("/groups", "/invitations", "/notes", "/notes/edits", "/groups/edits", "/invitations/edits",
                   "/edges", "/tags", "/profiles", "/edges/count")],
    case(lambda ctx: ctx.request("POST", "/notes/edits?colour=red", body=submission(), as_="author"), 400,
         "ValidationError", "The property colour must NOT be present", id="unknown-on-post-of-valid-edit"),
    case(get("/notes?limit=abc"), 400, "ValidationError", "limit must be integer", {"invalidValue": "abc"},
         id="limit-abc"),
    case(get("/groups?offset=1.5"), 400, "ValidationError", "offset must be integer", id="offset-float"),
    case(get("/notes?trash=maybe"), 400, "ValidationError", "trash must be boolean", {"invalidValue": "maybe"},
         id="trash-maybe"),
    case(get("/invitations?expired=perhaps"), 400, "ValidationError", "expired must be boolean",
         id="expired-perhaps"),
    case(get("/notes/edits?stream=yes"), 400, "ValidationError", "stream must be boolean", id="stream-yes"),
    case(get("/notes?number=one"), 400, "ValidationError", "number must be integer", id="number-one"),
    case(get("/notes?limit=0"), 400, "ValidationError", "limit must be >= 1", id="limit-zero"),
    case(get("/notes?offset=-1"), 400, "ValidationError", "offset must be >= 0", id="offset-negative"),
    case(get("/notes?limit=1&limit=2"), 400, "ValidationError", "limit must be a single value", id="limit-twice"),
    case(get("/notes?sort=tcdate:sideways"), 400, "ValidationError",
         "sort direction must be asc or desc, not sideways", id="sort-direction"),
    case(get("/groups?regex=(unclosed"), 400, "ValidationError",
         re.compile(r"regex is not a valid regular expression: .+"), id="regex-invalid"),
    case(get("/groups?prefix=[abc"), 400, "ValidationError",
         re.compile(r"prefix is not a valid regular expression: .+"), id="prefix-invalid"),
    case(get("/notes?mintcdate=100000000000000000000"), 400, "ValidationError", id="mintcdate-beyond-64-bits"),
    case(get("/notes?number=100000000000000000000"), 400, "ValidationError", id="number-beyond-64-bits"),
]

MAX_SAFE = 2**53 - 1
SAFE_MESSAGE = f"must be a safe integer (at most {MAX_SAFE} in magnitude)"
EDGE = {"invitation": f"{VENUE}/-/Assignment", "head": "a", "tail": "b", "signatures": [VENUE], "readers": [VENUE],
        "writers": [VENUE]}


def unsafe(send: Callable[[Ctx], requests.Response], path: str, *, id: str) -> Any:
    """A case whose body holds an integer beyond JavaScript's safe range at ``path``."""
    return case(send, 400, "ValidationError", f"{path} {SAFE_MESSAGE}", {"path": path}, id=id)


UNSAFE_INTEGERS = [
    unsafe(submit(changed(submission(), "note/content/title/value", MAX_SAFE + 1)), "note/content/title/value",
           id="note-content-2-to-53"),
    unsafe(post("/groups/edits", changed(group_edit(), "group/content", {"n": {"value": -(MAX_SAFE + 1)}})),
           "group/content/n/value", id="group-content-minus-2-to-53"),
    unsafe(post("/groups/edits", changed(group_edit(), "group/content", {"n": {"value": [1, 2, 2**62]}})),
           "group/content/n/value/2", id="group-content-in-an-array"),
    unsafe(post("/groups/edits", changed(group_edit(), "group/cdate", 2**60)), "group/cdate", id="group-cdate"),
    unsafe(post("/invitations/edits", changed(invitation_edit(),
                                              "invitation/edit/note/content/comment/value/param/maxLength", 2**53)),
           "invitation/edit/note/content/comment/value/param/maxLength", id="invitation-param-max-length"),
    unsafe(post("/invitations/edits", changed(invitation_edit(), "invitation/maxReplies", 2**62)),
           "invitation/maxReplies", id="invitation-max-replies-within-64-bits"),
    unsafe(post("/edges", {**EDGE, "weight": 2**53}), "weight", id="edge-weight"),
    unsafe(post("/edges/bulk", [{**EDGE, "weight": 1}, {**EDGE, "weight": 10**17}]), "1/weight", id="edges-bulk"),
    unsafe(post("/tags", {"invitation": f"{VENUE}/-/Tag", "signature": VENUE, "weight": 2**54, "label": "x"}),
           "weight", id="tag-weight"),
    unsafe(post_raw("/_sandbox/batch", json.dumps({"edits": [
        {"kind": "group", "edit": changed(group_edit(), "group/content", {"n": {"value": 2**53}})}]}).encode()),
           "edits/0/edit/group/content/n/value", id="batch-edit"),
    unsafe(post("/login", {"id": AUTHOR_EMAIL, "password": "x", "expiresIn": 2**53}, as_="guest"), "expiresIn",
           id="login-expires-in"),
    unsafe(submit_raw(b"9007199254740992"), "body", id="whole-body"),
    # The first one in document order is named.
    unsafe(post("/groups/edits", changed(group_edit(), "group/content",
                                         {"a": {"value": 1}, "b": {"value": 2**53}, "c": {"value": 2**60}})),
           "group/content/b/value", id="first-of-several"),
]

NOT_FOUND = [
    case(submit(changed(submission(), "invitation", f"{VENUE}/-/Nope")), 404, "NotFoundError",
         f"The Invitation {VENUE}/-/Nope was not found", {"path": "invitation"}, id="note-edit-invitation"),
    case(post("/groups/edits", changed(group_edit(), "invitation", f"{VENUE}/-/Nope")), 404, "NotFoundError",
         f"The Invitation {VENUE}/-/Nope was not found", id="group-edit-invitation"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitations", f"{VENUE}/-/Nope")), 404,
         "NotFoundError", f"The Invitation {VENUE}/-/Nope was not found", id="invitation-edit-parent"),
    case(get(f"/invitations?id={VENUE}/-/Nope"), 404, "NotFoundError", f"The Invitation {VENUE}/-/Nope was not found",
         id="get-invitation"),
    case(get(f"/groups?id={VENUE}/Nope"), 404, "NotFoundError", f"Group Not Found: {VENUE}/Nope", id="get-group"),
    case(get("/notes?id=NoSuchNote"), 404, "NotFoundError", "The Note NoSuchNote was not found", id="get-note"),
    case(get("/notes/edits?id=NoSuchEdit"), 404, "NotFoundError", "The Edit NoSuchEdit was not found",
         id="get-edit"),
    case(submit({**submission(), "id": "NoSuchEdit"}), 404, "NotFoundError", "The Edit NoSuchEdit was not found",
         id="edit-id"),
    case(post("/notes/edits", changed(meta_note_edit(), "note/id", "NoSuchNote")), 404, "NotFoundError",
         "The Note NoSuchNote was not found", id="note-id"),
    case(call("DELETE", "/notes", {"id": "NoSuchNote"}), 404, "NotFoundError", "The Note NoSuchNote was not found",
         id="delete-note"),
    case(submit(changed(submission(), "note/content/authorids/value", ["~No_Body1"])), 404, "NotFoundError",
         "Profile Not Found: ~No_Body1", id="author-profile"),
]

ROUTES_AND_METHODS = [
    case(get("/no/such/route"), 404, "NotFoundError", "Cannot GET /no/such/route", id="unknown-get"),
    case(post("/notes/edits/extra", submission(), as_="author"), 404, "NotFoundError",
         "Cannot POST /notes/edits/extra", id="unknown-post"),
    case(call("PUT", "/notes/edits", submission(), as_="author"), 405, "MethodNotAllowedError",
         "Cannot PUT /notes/edits", id="put-notes-edits"),
    case(call("PATCH", "/groups", group_edit()), 405, "MethodNotAllowedError", "Cannot PATCH /groups",
         id="patch-groups"),
    case(call("DELETE", "/notes/edits", {"id": "x"}), 405, "MethodNotAllowedError", "Cannot DELETE /notes/edits",
         id="delete-notes-edits"),
    case(get("/login"), 405, "MethodNotAllowedError", "Cannot GET /login", id="get-login"),
]


def with_token(token: str, body: Any = None, method: str = "POST",
               path: str = "/notes/edits") -> Callable[[Ctx], requests.Response]:
    return lambda ctx: ctx.request(method, path, body=body, as_="guest", headers={"Authorization": token})


FORGED_ROOT = {"user": {"id": "openreview.net", "profile": {"id": "~Super_User1"}}, "iss": "openreview",
               "iat": 1_700_000_000, "exp": 4_000_000_000}

AUTHENTICATION = [
    case(with_token("Bearer garbage", submission()), 401, "JsonWebTokenError", "jwt malformed", id="garbage-token"),
    case(with_token("Bearer a.b.c", submission()), 401, "JsonWebTokenError", "jwt malformed", id="three-part-garbage"),
    case(with_token("Basic b3BlbnJldmlldy5uZXQ6eA==", group_edit(), path="/groups/edits"), 401, "JsonWebTokenError",
         "jwt malformed", id="basic-auth"),
    case(with_token("Bearer " + jwt.encode(FORGED_ROOT, "not-the-sandbox-secret-but-long-enough", algorithm="HS256"),
                    group_edit(), path="/groups/edits"),
         401, "JsonWebTokenError", "invalid signature", id="forged-signature"),
    case(with_token("Bearer " + jwt.encode(FORGED_ROOT, None, algorithm="none"), group_edit(), path="/groups/edits"),
         401, "JsonWebTokenError", "jwt malformed", id="unsigned-alg-none"),
    case(post("/login", {"id": "openreview.net", "password": "wrong"}, as_="guest"), 401, "UnauthorizedError",
         "Invalid username or password", id="wrong-password"),
    case(post("/login", {"id": "openreview.net"}, as_="guest"), 400, "ValidationError",
         "password cannot be empty or missing", id="login-without-password"),
]

TEMPLATES_AND_PERMISSIONS = [
    case(submit(WITHOUT_TITLE), 400, "MissingRequiredError", "The field title value cannot be empty or missing",
         {"path": "note/content/title/value"}, id="missing-required-title"),
    case(submit(changed(submission(), "note/content/authorids", DROP)), 400, "MissingRequiredError",
         "The field authorids value cannot be empty or missing", id="missing-required-authorids"),
    case(submit(changed(submission(), "note/content/title/value", "")), 400, "ValidationError", PATTERN_MESSAGE,
         {"path": "note/content/title/value", "invalidValue": ""}, id="regex-empty-title"),
    case(submit(changed(submission(), "note/content/title/value", "x" * 251)), 400, "ValidationError",
         PATTERN_MESSAGE, id="regex-title-too-long"),
    case(submit(changed(submission(), "note/content/authorids/value", [AUTHOR_EMAIL])), 400, "ValidationError",
         'authorids value/0 must match pattern "~.*"', id="regex-authorids-email"),
    case(submit(changed(submission(), "note/content/title/value", 7)), 400, "ValidationError",
         "title value must be string", id="title-number"),
    case(submit(changed(submission(), "note/content/venueid", {"value": f"{VENUE}/Accepted"})), 400, "NotMatchError",
         f'venueid value must be equal to "{VENUE}/Submission"', id="const-venueid"),
    case(submit(changed(submission(), "signatures", [VENUE])), 400, "ItemsError",
         "signatures/0 must match one of the items", {"invalidValue": VENUE}, id="signature-outside-items"),
    case(post("/notes/edits", submission(), as_="guest"), 403, "NotInviteeError",
         f"User Guest is not an invitee of {SUBMISSION}", id="guest-not-invitee"),
    case(post("/groups/edits", group_edit(), as_="author"), 403, "ForbiddenError",
         f"User {AUTHOR_NAME} does not have permission to see Invitation {META}", id="author-meta-invitation"),
    # Late checks: the edit passed the template and, for notes, took a number before failing.
    case(submit(changed(submission(), "signatures", [PCS])), 403, "NotSignatoryError",
         f"User {AUTHOR_NAME} is not a signatory of {PCS}", {"path": "signatures", "invalidValue": PCS},
         id="late-not-signatory"),
    # (an empty list is accepted: openreview-py's own support setup creates groups with signatories=[])
    case(post("/groups/edits", changed(group_edit(), "group/signatories", DROP)), 400, "MissingRequiredError",
         "The field signatories cannot be empty or missing", {"path": "group/signatories"},
         id="late-group-without-signatories"),
    case(post("/invitations/edits", changed(invitation_edit(),
                                            "invitation/edit/note/content/comment/value/param/regex", "(")),
         400, "ValidationError",
         "The regex ( at invitation/edit/note/content/comment/value/param/regex is not valid: "
         "it is not a valid regular expression", id="late-invitation-bad-regex"),
    case(post("/invitations/edits", changed(invitation_edit(), "invitation/edge", {"head": {"param": {}}})), 400,
         "ValidationError", "An invitation has one template; this one has edit, edge",
         id="late-invitation-two-templates"),
    case(call("DELETE", "/groups", {"id": VENUE}, as_="author"), 403, "ForbiddenError",
         f"User {AUTHOR_NAME} is not writer of {VENUE}", id="delete-group-not-writer"),
    case(post_raw("/_sandbox/batch", json.dumps({"edits": [
        {"kind": "group", "edit": group_edit()},
        {"kind": "group",
         "edit": changed(changed(group_edit(), "group/id", f"{VENUE}/Other"), "group/signatories", DROP)},
    ]}).encode()), 400, "MissingRequiredError", "The field signatories cannot be empty or missing",
         id="batch-second-edit-fails"),
]


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), MALFORMED_BODIES)
def test_malformed_body(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), WRONG_SHAPES)
def test_wrong_shape(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


def test_a_float_date_is_stored_as_whole_milliseconds(ctx) -> None:
    """openreview-py's builder posts some dates as floats (``deadline + 60*60*1000*24*7*2.2``); the
    JavaScript server takes them, and the sandbox stores whole milliseconds."""
    answer = post("/groups/edits", changed(group_edit(), "group/cdate", 1_700_000_000_000.4))(ctx)
    assert answer.status_code == 200, answer.text
    assert answer.json()["group"]["cdate"] == 1_700_000_000_000


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), UNKNOWN_FIELDS)
def test_unknown_field(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), BAD_IDS)
def test_bad_id(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), OVERSIZED)
def test_body_size_limit(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), QUERY_PARAMETERS)
def test_query_parameters(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), UNSAFE_INTEGERS)
def test_unsafe_integer(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), NOT_FOUND)
def test_not_found(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), ROUTES_AND_METHODS)
def test_route_and_method(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), AUTHENTICATION)
def test_authentication(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


@pytest.mark.parametrize(("send", "status", "name", "message", "details"), TEMPLATES_AND_PERMISSIONS)
def test_template_and_permission(ctx, send, status, name, message, details):
    assert_rejected(ctx, send, status, name, message, details)


def test_base_bodies_are_valid(ctx):
    """Control: each case above differs from one of these accepted bodies in one respect only."""
    for kind, body, as_ in (("notes", submission(), "author"), ("groups", group_edit(), "root"),
                            ("invitations", invitation_edit(), "root"), ("notes", meta_note_edit(), "root")):
        response = ctx.request("POST", f"/{kind}/edits", body=body, as_=as_)
        assert response.status_code == 200, response.text[:500]
    response = ctx.request("POST", "/notes/edits", data=padded_to(MAX_BODY, submission("Padded")), as_="author")
    assert response.status_code == 200, response.text[:500]
    login = ctx.request("POST", "/login", body={"id": AUTHOR_EMAIL, "password": "Or$3cur3P@ssw0rd"}, as_="guest")
    assert login.status_code == 200, login.text[:500]
    stats = requests.get(f"{ctx.baseurl}/_sandbox/stats", timeout=TIMEOUT).json()
    assert stats["notes"] == 3


def test_expired_token_is_refused_and_changes_nothing(ctx):
    """A token past its ``exp`` (sandbox clock moved past the default hour) gets 401 TokenExpiredError."""
    hour_and_a_bit = 3_601_000

    def expired(ctx: Ctx) -> requests.Response:
        moved = requests.put(f"{ctx.baseurl}/_sandbox/clock", json={"advance": hour_and_a_bit}, timeout=TIMEOUT)
        assert moved.status_code == 200, moved.text
        try:
            return ctx.request("POST", "/notes/edits", body=submission(), as_="author")
        finally:
            back = requests.put(f"{ctx.baseurl}/_sandbox/clock", json={"advance": -hour_and_a_bit}, timeout=TIMEOUT)
            assert back.status_code == 200, back.text

    assert_rejected(ctx, expired, 401, "TokenExpiredError", "Token has expired. Please log in again.")
    # With the clock back, the same token works again: the refusal was about expiry only.
    assert ctx.request("POST", "/notes/edits", body=submission(), as_="author").status_code == 200


def numbers_of_submissions(ctx: Ctx) -> list[int]:
    response = ctx.request("GET", f"/notes?invitation={SUBMISSION}&stream=true&trash=true")
    assert response.status_code == 200, response.text[:500]
    return sorted(note["number"] for note in response.json()["notes"])


def test_late_failure_consumes_no_note_number(ctx):
    """A submission that took note number 2 and then failed its signature check leaves nothing:
    the next valid submission is number 2, and no note, edit or number of the failed ones remains."""
    first = ctx.request("POST", "/notes/edits", body=submission("First paper"), as_="author")
    assert first.status_code == 200, first.text[:500]
    assert first.json()["note"]["number"] == 1

    forged = changed(submission("Signed as the chairs"), "signatures", [PCS])
    for _ in range(3):
        assert_rejected(ctx, submit(forged), 403, "NotSignatoryError",
                        f"User {AUTHOR_NAME} is not a signatory of {PCS}")
    assert numbers_of_submissions(ctx) == [1]

    second = ctx.request("POST", "/notes/edits", body=submission("Second paper"), as_="author")
    assert second.status_code == 200, second.text[:500]
    assert second.json()["note"]["number"] == 2
    assert numbers_of_submissions(ctx) == [1, 2]
    edits = ctx.request("GET", f"/notes/edits?invitation={SUBMISSION}&stream=true&trash=true").json()["edits"]
    assert sorted(e["note"]["content"]["title"]["value"] for e in edits) == ["First paper", "Second paper"]


def test_safe_integers_at_the_edge_of_the_range_are_kept_exactly(ctx):
    """2**53 - 1 and its negative are JavaScript's largest exact integers: accepted and stored as posted;
    non-integral numbers (doubles in both languages) are not limited."""
    content = {"largest": {"value": MAX_SAFE}, "smallest": {"value": -MAX_SAFE}, "big_float": {"value": 1e300}}
    response = ctx.request("POST", "/notes/edits", body=changed(meta_note_edit(), "note/content", content))
    assert response.status_code == 200, response.text[:500]
    note_id = response.json()["note"]["id"]
    stored = ctx.request("GET", f"/notes?id={note_id}").json()["notes"][0]["content"]
    assert stored["largest"]["value"] == MAX_SAFE
    assert stored["smallest"]["value"] == -MAX_SAFE
    assert stored["big_float"]["value"] == 1e300


def test_a_whole_number_written_with_a_fraction_is_that_number(ctx):
    """JavaScript has one number type: ``2.0`` is the number 2, so it is written back as ``2`` and
    passes where an integer or a date is expected; a true fraction is kept as posted."""
    content = {"whole": {"value": 2.0}, "fraction": {"value": 2.5}, "big": {"value": 1798124348628.0}}
    response = ctx.request("POST", "/notes/edits", body=changed(meta_note_edit(), "note/content", content))
    assert response.status_code == 200, response.text[:500]
    note_id = response.json()["note"]["id"]
    stored = ctx.request("GET", f"/notes?id={note_id}").json()["notes"][0]["content"]
    assert [type(stored[k]["value"]) for k in ("whole", "fraction", "big")] == [int, float, int]
    assert stored["big"]["value"] == 1798124348628


def test_an_id_of_exactly_1000_characters_is_accepted(ctx):
    group_id = f"{VENUE}/" + "a" * (1000 - len(VENUE) - 1)
    assert len(group_id) == 1000
    response = ctx.request("POST", "/groups/edits", body=changed(group_edit(), "group/id", group_id))
    assert response.status_code == 200, response.text[:500]
    assert ctx.request("GET", f"/groups?id={group_id}").json()["groups"][0]["id"] == group_id
