"""Response bodies of the sandbox conform to OpenReview's official OpenAPI definition of API v2.

The definition is vendored at ``tests/data/openreview-api-v2.yml`` (OpenAPI 3.0.3, labelled
openreview-api v6.70.5). One venue is built over HTTP through openreview-py: users registered and
activated, the workshop of ``scenario.py`` with three submissions (one published, one deleted, one
deleted and restored), anonymous reviewers and a review, an edge invitation with an edge posted and updated, a
tag invitation with a note tag and a profile tag. Every response openreview-py receives is recorded
as sent (a ``requests`` response hook on the client's own session: nothing is replaced, only
observed), and the reads are made with plain ``requests``. Each recorded 2xx body is validated with
``openapi_schema_validator.OAS30Validator`` against the definition's 200-response schema for its path
and method, and each error body against ``#/components/schemas/Error``; ``$ref`` pointers resolve
against the loaded definition.

The definition is older than openreview-py in places. There the client wins, and only there:
``DEVIATIONS`` lists each place (which schema, which field, why the client wins), and exactly those
relaxations are applied to a deep copy of the definition; ``test_each_deviation_is_real_and_needed``
fails for an entry the definition no longer needs or no recorded body uses. A difference that is the
sandbox's own fault (a ``null`` where the definition says integer, an internal field) is never listed:
the test of that endpoint fails and names the body and the place.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openreview
import pytest
import requests
import yaml
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30Validator
from openreview.api import Edge, Group, Invitation, Note, Tag
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import PASSWORD
from tests.sandbox.scenario import (
    MAX_DATE,
    assign_reviewers,
    build_workshop,
    meta_edit,
    open_reviews,
    submit,
    upload_invitation,
)
from venueops.sandbox import Sandbox

SPEC_FILE = Path(__file__).resolve().parents[1] / "data" / "openreview-api-v2.yml"
SPEC_URI = "urn:openreview-api-v2"
ERROR_SCHEMA = "/components/schemas/Error"
CLIENT = "openreview/api/client.py (openreview-py 2.9)"
NOTES = "notes/api-v2.md"


def response_schema(path: str, method: str) -> str:
    """JSON pointer to the 200-response body schema of ``method path`` in the definition."""
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/{method.lower()}/responses/200/content/application~1json/schema"


def resolve(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


# -- the known deviations ----------------------------------------------------------------------

ID = {"type": "string", "minLength": 1}


def entity_or_template(value: dict[str, Any]) -> dict[str, Any]:
    """A field's value on an entity, or its form inside an invitation's template (``{"param": {...}}``
    or ``{"delete": true}``): the definition reuses entity schemas for templates and writes its own
    fields this way (``Tag.tag``, ``Edge.label``), so fields it lacks are added the same way."""
    return {"anyOf": [value, {
        "type": "object", "minProperties": 1, "additionalProperties": False,
        "properties": {"param": {"type": "object", "minProperties": 1},
                       "delete": {"type": "boolean", "enum": [True]}},
    }]}


@dataclass(frozen=True)
class Deviation:
    """One place where the definition is older than openreview-py, and the relaxation applied there.

    ``schema`` is set as ``properties[field]`` of the object schema at ``pointer`` (a JSON pointer
    into the definition); or, with ``required`` given, that schema's ``required`` list is replaced.
    A pointer landing on a ``$ref`` relaxes a copy of the referenced schema at that one place.
    """

    endpoints: str
    pointer: str
    field: str
    why: str
    schema: dict[str, Any] | None = None
    required: tuple[str, ...] | None = None

    def __str__(self) -> str:
        where = self.endpoints
        if self.pointer.startswith("/components/schemas/"):
            where = self.pointer.removeprefix("/components/schemas/").replace("/properties/", ".")
        return f"{where}: {self.field}"


# Each entry: the endpoints concerned, the schema relaxed, the field, and why the client wins.
DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "POST /register", response_schema("/register", "post"), "status",
        "The definition answers a bare Profile; the API adds status 'ok': openreview-py's own suite asserts "
        f"register_user(...)['status'] == 'ok' (tests/test_edges.py::test_rename_edges; {NOTES} §1.4), and "
        f"register_user returns the body unchanged ({CLIENT}).",
        schema={"type": "string", "enum": ["ok"]},
    ),
    Deviation(
        "PUT /activate/{token}", response_schema("/activate/{token}", "put"), "user",
        "The definition says user is a whole Profile, but activate_user hands the body to "
        f"__handle_authorization, which reads response['user']['profile']['id'] as after login ({CLIENT}); "
        f"user has the /login shape {{id, profile: SimplifiedProfile}} ({NOTES} §1.4: returns {{token, user}}).",
        schema={"$ref": "#" + response_schema("/login", "post") + "/properties/user"},
    ),
    Deviation(
        "GET /groups", "/components/schemas/Group", "description",
        f"Group.to_json sends description and Group.from_json reads g.get('description') ({CLIENT}); the "
        "definition predates the field.",
        schema={"type": "string"},
    ),
    Deviation(
        "GET|POST /groups/edits", "/components/schemas/GroupForInvitation", "description",
        f"The same field in an edit's group: post_group_edit sends group.to_json() ({CLIENT}).",
        schema=entity_or_template({"type": "string"}),
    ),
    Deviation(
        "GET|POST /groups/edits", "/components/schemas/GroupForInvitation/properties/members/anyOf/1", "add",
        "add_members_to_group posts Group(members={'add': [...]}) and post_group_edit reads "
        f"posted_edit['group']['members']['add'] back to flush the members cache ({CLIENT}); the definition "
        f"knows append/remove/replace but not add ({NOTES}, source [S]).",
        schema={"type": "array", "items": ID},
    ),
    Deviation(
        "GET /notes, POST /notes/search", "/components/schemas/Note", "parentInvitations",
        f"Note.from_json reads n.get('parentInvitations') and get_notes(parent_invitations=) filters on it "
        f"({CLIENT}); the server sets it on notes posted through an invitation created by another ({NOTES} §3.1).",
        schema=ID,
    ),
    Deviation(
        "GET /invitations, GET|POST /invitations/edits", "/components/schemas/Invitation", "description",
        f"Invitation.to_json sends description and Invitation.from_json reads i.get('description') ({CLIENT}); "
        f"deletable with {{delete: true}} ({NOTES} §3.3).",
        schema=entity_or_template({"type": "string"}),
    ),
    Deviation(
        "GET /invitations, GET|POST /invitations/edits", "/components/schemas/Invitation", "instructions",
        f"Invitation.to_json sends instructions and Invitation.from_json reads i.get('instructions') ({CLIENT}).",
        schema=entity_or_template({"type": "string"}),
    ),
    Deviation(
        "GET|POST /tags, tag invitations", "/components/schemas/Tag", "required",
        "The definition's Tag is the old shape (required tag, forum, signatures). Tag.to_json sends one "
        f"signature and neither tag nor signatures, and a profile tag has no forum ({CLIENT}; {NOTES} §3.7: "
        "the 2024 spec still shows the old form). signature, the new shape's counterpart of signatures, "
        "stays required.",
        required=("signature",),
    ),
    Deviation(
        "GET|POST /tags, tag invitations", "/components/schemas/Tag", "signature",
        f"Tag.to_json sends signature (one group id) and Tag.from_json reads t.get('signature') ({CLIENT}); "
        "Tag is also the definition's schema for an invitation's tag template.",
        schema=entity_or_template(ID),
    ),
    Deviation(
        "GET|POST /tags, tag invitations", "/components/schemas/Tag", "label",
        f"Tag.to_json sends label and Tag.from_json reads t.get('label') ({CLIENT}).",
        schema=entity_or_template(ID),
    ),
    Deviation(
        "GET|POST /tags, tag invitations", "/components/schemas/Tag", "note",
        f"Tag.to_json sends note (the tagged note) and Tag.from_json reads t.get('note') ({CLIENT}).",
        schema=entity_or_template(ID),
    ),
    Deviation(
        "GET|POST /tags, tag invitations", "/components/schemas/Tag", "profile",
        f"Tag.to_json sends profile (the tagged profile) and Tag.from_json reads t.get('profile') ({CLIENT}).",
        schema=entity_or_template(ID),
    ),
    Deviation(
        "GET|POST /tags", "/components/schemas/Tag", "parentInvitations",
        f"Tag.from_json reads t.get('parentInvitations') and get_tags(parent_invitations=) filters on it "
        f"({CLIENT}).",
        schema=ID,
    ),
    Deviation(
        "error bodies", ERROR_SCHEMA, "errors",
        "When a post breaks several template rules the API reports the first and lists all of them under "
        f"errors, each an Error body ({NOTES} §6: openreview-web reads errors[]); openreview-py raises "
        f"OpenReviewException with the whole body ({CLIENT}, __handle_response), so its callers get it too.",
        schema={"type": "array", "items": {"$ref": "#" + ERROR_SCHEMA}},
    ),
)


def load_spec() -> dict[str, Any]:
    with SPEC_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def relax(spec: dict[str, Any], deviations: tuple[Deviation, ...]) -> dict[str, Any]:
    """A deep copy of ``spec`` with exactly ``deviations`` applied."""
    relaxed = copy.deepcopy(spec)
    for deviation in deviations:
        parent_pointer, _, last = deviation.pointer.rpartition("/")
        parent = resolve(relaxed, parent_pointer)
        key: Any = int(last) if isinstance(parent, list) else last.replace("~1", "/").replace("~0", "~")
        if "$ref" in parent[key]:
            parent[key] = copy.deepcopy(resolve(relaxed, parent[key]["$ref"].removeprefix("#")))
        target = parent[key]
        if deviation.required is not None:
            target["required"] = list(deviation.required)
        else:
            target.setdefault("properties", {})[deviation.field] = deviation.schema
    return relaxed


class Conformance:
    """Validates bodies against one copy of the definition."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.registry = Registry().with_resource(SPEC_URI, Resource(contents=spec, specification=DRAFT4))
        self._validators: dict[str, OAS30Validator] = {}

    def problems(self, pointer: str, body: Any) -> list[str]:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = OAS30Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=self.registry)
            self._validators[pointer] = validator
        errors = sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])
        return [describe(error) for error in errors]


def describe(error: Any) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(body)"
    text = f"at {where}: {error.message[:300]}"
    if error.context:  # an anyOf: say what the closest alternative objected to
        best = best_match(error.context)
        text += f" [closest: {best.message[:200]} at {'/'.join(map(str, best.absolute_path)) or '(here)'}]"
    return text


# -- operations --------------------------------------------------------------------------------


def documented_operation(spec: dict[str, Any], method: str, url_path: str) -> tuple[str, str] | None:
    """``(METHOD, path template)`` of the definition's operation serving this request, if any."""
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, url_path) and method.lower() in operations:
            return method.upper(), template
    return None


def implemented_operations(server: Sandbox) -> set[tuple[str, str]]:
    """The sandbox's own URL table (``venueops/sandbox/app.py``), in the definition's path syntax."""
    from venueops.sandbox.app import api_routes
    from venueops.sandbox.responses import Handlers

    assert server.backend is not None
    return {(method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
            for route in api_routes(Handlers(server.backend)) for method in route.methods or () if method != "HEAD"}


# Every operation the sandbox implements and the definition documents; each is exercised below.
COVERED = (
    ("POST", "/login"), ("POST", "/register"), ("PUT", "/activate/{token}"), ("POST", "/logout"),
    ("GET", "/tildeusername"), ("GET", "/profiles"), ("POST", "/profiles/search"),
    ("GET", "/groups"), ("GET", "/groups/edits"), ("POST", "/groups/edits"),
    ("GET", "/invitations"), ("GET", "/invitations/edits"), ("POST", "/invitations/edits"),
    ("GET", "/notes"), ("POST", "/notes/search"), ("GET", "/notes/edits"), ("POST", "/notes/edits"),
    ("GET", "/edges"), ("POST", "/edges"), ("GET", "/edges/count"),
    ("GET", "/tags"), ("POST", "/tags"), ("GET", "/logs/process"),
    ("GET", "/messages"), ("POST", "/messages"), ("POST", "/messages/requests"),
    ("PUT", "/attachment"), ("GET", "/attachment"), ("GET", "/pdf"),
)


# -- recording ---------------------------------------------------------------------------------


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    body: Any

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def __str__(self) -> str:
        parts = urlsplit(self.url)
        return f"{self.method} {parts.path}{'?' + parts.query if parts.query else ''} -> {self.status}"


@dataclass
class Recorder:
    baseurl: str
    exchanges: list[Exchange] = field(default_factory=list)

    def keep(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if not response.url.startswith(self.baseurl) or "/_sandbox/" in response.url:
            return
        try:
            body = response.json()
        except ValueError:
            body = f"<not JSON: {response.text[:200]!r}>"
        self.exchanges.append(Exchange(response.request.method or "", response.url, response.status_code, body))

    def watch(self, client: openreview.api.OpenReviewClient) -> openreview.api.OpenReviewClient:
        """Record every response ``client`` receives from now on (its session is otherwise untouched)."""
        hooks = client.session.hooks["response"]
        if self.keep not in hooks:
            hooks.append(self.keep)
        return client

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Exchange:
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.keep(requests.request(method, self.baseurl + path, headers=headers, timeout=30, **kwargs))
        return self.exchanges[-1]

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        exchange = self.call("GET", path, token, params=params)
        assert exchange.status == 200, f"{exchange}: {exchange.body}"
        return exchange.body


# -- the venue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorCase:
    status: int
    name: str
    method: str
    path: str
    token: str | None = None
    request: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    recorder: Recorder
    errors: dict[str, tuple[ErrorCase, Exchange]] = field(default_factory=dict)


def new_user(recorder: Recorder, email: str, fullname: str) -> openreview.api.OpenReviewClient:
    """Register, activate and log in through openreview-py, as conftest's ``make_user`` does."""
    client = recorder.watch(openreview.api.OpenReviewClient(baseurl=recorder.baseurl))
    registered = client.register_user(email=email, fullname=fullname, password=PASSWORD)
    client.activate_user(email, {
        "names": [{"fullname": fullname, "username": registered["id"], "preferred": True}],
        "emails": [email],
        "preferredEmail": email,
        "homepage": f"https://{email.split('@')[1]}/~{fullname.split()[0].lower()}",
        "history": [{"position": "PhD student", "start": 2021, "end": None,
                     "institution": {"name": "Example University", "domain": email.split("@")[1]}}],
    })
    client.login_user(email, PASSWORD)
    return client


def bid_invitation(venue: str) -> Invitation:
    reviewers = f"{venue}/Reviewers"
    return Invitation(
        id=f"{reviewers}/-/Bid", invitees=[venue, reviewers], readers=[venue, reviewers], writers=[venue],
        signatures=[venue], maxReplies=1, minReplies=1, duedate=MAX_DATE - 1, expdate=MAX_DATE,
        type="Edge", description="Bid on the submissions you can review.", instructions="One bid per paper.",
        edit={
            "id": {"param": {"withInvitation": f"{reviewers}/-/Bid", "optional": True}},
            "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
            "readers": [venue, "${2/tail}"],
            "writers": [venue, "${2/tail}"],
            "signatures": {"param": {"regex": "~.*"}},
            "head": {"param": {"type": "note", "withInvitation": f"{venue}/-/Submission"}},
            "tail": {"param": {"type": "profile", "inGroup": reviewers}},
            "label": {"param": {"enum": ["Very High", "High", "Neutral", "Low"]}},
            "weight": {"param": {"minimum": -1}},
        },
    )


def keyword_invitation(venue: str) -> Invitation:
    return Invitation(
        id=f"{venue}/-/Keyword", invitees=[venue], readers=["everyone"], writers=[venue], signatures=[venue],
        type="Tag",
        edit={
            "id": {"param": {"withInvitation": f"{venue}/-/Keyword", "optional": True}},
            "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
            "signature": {"param": {"regex": f"{venue}/Program_Chairs|~.*"}},
            "readers": [venue],
            "writers": [venue],
            "note": {"param": {"withInvitation": f"{venue}/-/Submission", "optional": True}},
            "profile": {"param": {"regex": "^~.*", "optional": True}},
            "label": {"param": {"regex": ".+"}},
        },
    )


def build_world(server: Sandbox) -> World:
    baseurl = server.baseurl
    requests.post(f"{baseurl}/_sandbox/reset", timeout=30).raise_for_status()
    rec = Recorder(baseurl)

    login = rec.call("POST", "/login", json={"id": "openreview.net", "password": PASSWORD})
    assert login.status == 200, login.body
    root = rec.watch(openreview.api.OpenReviewClient(baseurl=baseurl, token=login.body["token"]))
    pc = new_user(rec, "pc@drw.example", "Pat Chair")
    author = new_user(rec, "author@drw.example", "Ann Author")
    reviewer = new_user(rec, "rev1@drw.example", "Rev One")
    reviewer2 = new_user(rec, "rev2@drw.example", "Rev Two")

    # The venue, built as a venue builder builds it (scenario.py), plus what reviewers and PCs do.
    workshop = build_workshop(root, pc, "pc@drw.example")
    venue = workshop.venue
    for title in ("Declarative review", "Withdrawn idea", "Second thoughts"):
        submit(workshop, author, title)
    paper1, paper2, paper3 = (workshop.submissions[n] for n in (1, 2, 3))
    assign_reviewers(workshop, 1, ["~Rev_One1", "~Rev_Two1"])
    open_reviews(workshop, 1)
    meta_edit(pc, venue, Group(id=f"{venue}/Reviewers", description="Reviewers of the workshop",
                               content={"reviewer_count": {"value": 2}}, web="// reviewer console"))
    pc.add_members_to_group(f"{venue}/Reviewers", ["~Rev_One1", "~Rev_Two1"])

    anon = reviewer.get_groups(prefix=f"{venue}/Submission1/Reviewer_", signatory="~Rev_One1")[0].id
    review = reviewer.post_note_edit(
        invitation=f"{venue}/Submission1/-/Official_Review", signatures=[anon],
        note=Note(content={"review": {"value": "Sound."}, "rating": {"value": 8}, "confidence": {"value": 4}}))
    now = int(time.time() * 1000)
    meta = {"invitation": f"{venue}/-/Edit", "signatures": [venue], "readers": [venue], "writers": [venue]}
    pc.post_note_edit(**meta, note=Note(id=paper1, odate=now, pdate=now, license="CC BY 4.0"))
    pc.post_note_edit(**meta, note=Note(id=paper2, ddate=now))
    submission = {"title": {"value": "Second thoughts"}, "authorids": {"value": ["~Ann_Author1"]}}
    author.post_note_edit(invitation=f"{venue}/-/Submission", signatures=["~Ann_Author1"],
                          note=Note(id=paper3, ddate=now, content=submission))
    author.post_note_edit(invitation=f"{venue}/-/Submission", signatures=["~Ann_Author1"],
                          note=Note(id=paper3, ddate={"delete": True}, content=submission))

    edit_meta = {"invitations": f"{venue}/-/Edit", "readers": [venue], "writers": [venue], "signatures": [venue]}
    pc.post_invitation_edit(**edit_meta, invitation=bid_invitation(venue))
    pc.post_invitation_edit(**edit_meta, invitation=keyword_invitation(venue))
    bid = reviewer.post_edge(Edge(invitation=f"{venue}/Reviewers/-/Bid", head=paper1, tail="~Rev_One1",
                                  signatures=["~Rev_One1"], label="High", weight=0.5))
    bid.label, bid.weight = "Very High", 1
    reviewer.post_edge(bid)
    pc.post_tag(Tag(invitation=f"{venue}/-/Keyword", signature=f"{venue}/Program_Chairs", note=paper1,
                    label="robustness"))
    pc.post_tag(Tag(invitation=f"{venue}/-/Keyword", signature=f"{venue}/Program_Chairs", profile="~Rev_One1",
                    label="careful reviewer"))

    # Reads, with plain requests: the bodies are exactly what the server sent.
    token = root.token
    bids = f"{venue}/Reviewers/-/Bid"
    rec.get("/profiles", pc.token)
    rec.get("/profiles", token, id="~Ann_Author1")
    rec.get("/profiles", None, id="~Ann_Author1")
    rec.get("/profiles", token, email="rev1@drw.example")
    rec.call("POST", "/profiles/search", token, json={"emails": ["pc@drw.example", "rev2@drw.example"]})
    rec.call("POST", "/profiles/search", token, json={"ids": ["~Rev_One1", "~Super_User1"]})
    rec.get("/tildeusername", None, fullname="Ann Author")
    rec.get("/groups", token)
    rec.get("/groups", token, prefix=venue, details="writable")
    rec.get("/groups", reviewer.token, id=f"{venue}/Submission1/Reviewers")
    rec.get("/groups", None, id="everyone")
    rec.get("/groups", token, id=venue, select="id,members")
    rec.get("/groups/edits", token, **{"group.id": f"{venue}/Reviewers"})
    rec.get("/groups/edits", token, **{"group.id": f"{venue}/Submission1/Reviewers"}, details="writable")
    rec.get("/invitations", token)
    rec.get("/invitations", token, prefix=venue, expired="true", details="writable")
    rec.get("/invitations", None, id=f"{venue}/-/Submission")
    rec.get("/invitations", reviewer.token, id=f"{venue}/Submission1/-/Official_Review")
    rec.get("/invitations/edits", token, **{"invitation.id": f"{venue}/-/Submission"})
    rec.get("/invitations/edits", token, invitation=f"{venue}/-/Official_Review")
    rec.get("/invitations/edits", token, invitation=f"{venue}/-/Edit", details="writable")
    rec.get("/notes", token)
    rec.get("/notes", token, invitation=f"{venue}/-/Submission", trash="true", sort="number:asc")
    rec.get("/notes", token, forum=paper1, details="replyCount,directReplies,replies,writable,invitation")
    rec.get("/notes", author.token, id=paper1, details="forumContent")
    rec.get("/notes", token, id=paper3, select="id,content.title")
    rec.call("POST", "/notes/search", token, json={"ids": [paper1, review["note"]["id"]]})
    rec.get("/notes/edits", token, **{"note.id": paper1})
    rec.get("/notes/edits", token, **{"note.id": paper3}, trash="true")
    rec.get("/notes/edits", reviewer.token, invitation=f"{venue}/Submission1/-/Official_Review",
            details="writable")
    rec.get("/edges", token, invitation=bids)
    rec.get("/edges", reviewer.token, tail="~Rev_One1")
    rec.get("/edges", token, invitation=bids, groupBy="head", select="tail,label,weight")
    rec.get("/edges/count", token, invitation=bids)
    rec.get("/tags", token, invitation=f"{venue}/-/Keyword")
    rec.get("/tags", token, profile="~Rev_One1")
    rec.get("/logs/process", token)
    rec.get("/logs/process", token, id=review["id"])
    mail = {"groups": [f"{venue}/Program_Chairs"], "subject": "Hello chairs", "message": "Dear {{fullname}}"}
    rec.call("POST", "/messages", token, json=mail)
    rec.call("POST", "/messages/requests", token, json={**mail, "replyTo": "chairs@drw.example"})
    rec.get("/messages", token, to="pc@drw.example")
    rec.get("/messages", token, subject="Hello chairs")
    pc.post_invitation_edit(**edit_meta, invitation=upload_invitation(venue))
    upload = {"invitationId": (None, f"{venue}/-/Paper_Upload"), "name": (None, "pdf"),
              "file": ("paper.pdf", b"%PDF-1.4 a paper")}
    url = rec.call("PUT", "/attachment", author.token, files=upload).body["url"]
    with_pdf = author.post_note_edit(invitation=f"{venue}/-/Paper_Upload", signatures=["~Ann_Author1"],
                                     note=Note(content={"title": {"value": "A PDF"}, "pdf": {"value": url}}))
    pdf_note = with_pdf["note"]["id"]
    assert rec.call("GET", "/attachment", author.token, params={"id": pdf_note, "name": "pdf"}).status == 200
    assert rec.call("GET", "/pdf", author.token, params={"id": pdf_note}).status == 200
    rec.call("POST", "/logout", pc.token)

    # Errors: one of each kind the client meets. The name is part of the contract, so it is checked
    # too where the notes (§6) state it as observed, not inferred.
    note_post = {"invitation": f"{venue}/Submission1/-/Official_Review", "signatures": [anon],
                 "note": {"content": {"review": {"value": "x"}, "rating": {"value": 1}, "confidence": {"value": 1}}}}
    broken_submission = {"invitation": f"{venue}/-/Submission", "signatures": ["~Ann_Author1"],
                         "note": {"content": {"title": {"value": ""}, "abstract": {"value": "x"}}}}
    cases = {
        "400 login without id": ErrorCase(400, "", "POST", "/login", None, {"json": {"password": "x"}}),
        "400 malformed JSON": ErrorCase(400, "", "POST", "/notes/edits", author.token, {
            "data": b"{not json", "headers": {"Content-Type": "application/json"}}),
        "400 several template violations": ErrorCase(400, "", "POST", "/notes/edits", author.token,
                                                     {"json": broken_submission}),
        "400 edge outside its template": ErrorCase(400, "", "POST", "/edges", reviewer.token, {
            "json": {"invitation": bids, "head": "NoSuchNote", "tail": "~Rev_One1", "signatures": ["~Rev_One1"],
                     "label": "High", "weight": 1}}),
        "401 wrong password": ErrorCase(401, "", "POST", "/login", None,
                                        {"json": {"id": "pc@drw.example", "password": "wrong"}}),
        "401 malformed token": ErrorCase(401, "", "GET", "/groups", "not-a-jwt", {"params": {"id": venue}}),
        "403 group not readable": ErrorCase(403, "ForbiddenError", "GET", "/groups", None,
                                            {"params": {"id": "~Super_User1"}}),
        "403 note not readable": ErrorCase(403, "ForbiddenError", "GET", "/notes", None, {"params": {"id": paper1}}),
        "403 not a signatory": ErrorCase(403, "NotSignatoryError", "POST", "/notes/edits", reviewer2.token,
                                         {"json": note_post}),
        "404 group": ErrorCase(404, "NotFoundError", "GET", "/groups", token,
                               {"params": {"id": f"{venue}/Area_Chairs"}}),
        "404 invitation": ErrorCase(404, "NotFoundError", "GET", "/invitations", token,
                                    {"params": {"id": f"{venue}/-/Nope"}}),
        "404 note": ErrorCase(404, "NotFoundError", "GET", "/notes", token, {"params": {"id": "NoSuchNote"}}),
        "404 activation token": ErrorCase(404, "NotFoundError", "PUT", "/activate/nobody@drw.example", None,
                                          {"json": {"content": {}}}),
        "404 unknown route": ErrorCase(404, "NotFoundError", "GET", "/no/such/route"),
        "405 method not allowed": ErrorCase(405, "", "DELETE", "/login"),
    }
    world = World(rec)
    for label, case in cases.items():
        world.errors[label] = (case, rec.call(case.method, case.path, case.token, **copy.deepcopy(case.request)))

    # An expired token, with the server's clock moved past its hour (then back to wall time).
    clock = f"{baseurl}/_sandbox/clock"
    requests.put(clock, json={"advance": 2 * 3600 * 1000}, timeout=30).raise_for_status()
    try:
        case = ErrorCase(401, "TokenExpiredError", "GET", "/groups", token, {"params": {"id": venue}})
        world.errors["401 expired token"] = (case, rec.call(case.method, case.path, case.token, **case.request))
    finally:
        requests.put(clock, json={"mode": "real"}, timeout=30).raise_for_status()
    return world


ERROR_CASES = (
    "400 login without id", "400 malformed JSON", "400 several template violations",
    "400 edge outside its template", "401 wrong password", "401 malformed token", "401 expired token",
    "403 group not readable", "403 note not readable", "403 not a signatory",
    "404 group", "404 invitation", "404 note", "404 activation token", "404 unknown route",
    "405 method not allowed",
)


@pytest.fixture(scope="module")
def world(sandbox_server: Sandbox) -> Iterator[World]:
    """The venue, built once for this module on the session's server (reset first)."""
    yield build_world(sandbox_server)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


@pytest.fixture(scope="module")
def conformance(spec: dict[str, Any]) -> Conformance:
    return Conformance(relax(spec, DEVIATIONS))


def violations(conformance: Conformance, spec: dict[str, Any], exchanges: list[Exchange]) -> list[str]:
    """Every way the recorded bodies of documented operations break the (relaxed) definition."""
    found = []
    for exchange in exchanges:
        operation = documented_operation(spec, exchange.method, exchange.path)
        if exchange.status >= 400:
            pointer = ERROR_SCHEMA
        elif operation is not None:
            pointer = response_schema(operation[1], operation[0])
            if "content" not in resolve(spec, pointer.split("/content/")[0]):
                continue  # a download (GET /attachment, GET /pdf): bytes, no JSON schema
        else:
            continue
        if not isinstance(exchange.body, dict):
            found.append(f"{exchange}\n      the body is not a JSON object: {exchange.body!r:.200}")
        found.extend(f"{exchange}\n      {problem}" for problem in conformance.problems(pointer, exchange.body))
    return found


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), COVERED, ids=[f"{m} {p}" for m, p in COVERED])
def test_response_bodies_conform(world: World, spec: dict[str, Any], conformance: Conformance,
                                 method: str, path: str) -> None:
    ours = [e for e in world.recorder.exchanges
            if e.status < 400 and documented_operation(spec, e.method, e.path) == (method, path)]
    assert ours, f"no successful {method} {path} was exercised"
    problems = violations(conformance, spec, ours)
    assert not problems, f"{len(problems)} violation(s) of the definition:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("label", ERROR_CASES)
def test_error_bodies_conform(world: World, conformance: Conformance, spec: dict[str, Any], label: str) -> None:
    case, exchange = world.errors[label]
    assert exchange.status == case.status, f"{exchange}: {exchange.body}"
    problems = violations(conformance, spec, [exchange])
    assert not problems, f"body {exchange.body}:\n  " + "\n  ".join(problems)
    assert exchange.body["status"] == case.status, exchange.body
    if case.name:
        assert exchange.body["name"] == case.name, exchange.body


def test_no_unexpected_errors_while_building(world: World) -> None:
    deliberate = {id(exchange) for _, exchange in world.errors.values()}
    unexpected = [f"{e}: {e.body}" for e in world.recorder.exchanges if e.status >= 400 and id(e) not in deliberate]
    assert not unexpected, unexpected


def test_every_documented_route_is_covered(sandbox_server: Sandbox, spec: dict[str, Any]) -> None:
    """Each operation of the sandbox's URL table that the definition documents is in ``COVERED``."""
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops
                  if m in {"get", "post", "put", "delete", "patch"}}
    both = implemented_operations(sandbox_server) & documented
    assert both == set(COVERED), {"not covered": sorted(both - set(COVERED)),
                                  "not both implemented and documented": sorted(set(COVERED) - both)}


@pytest.mark.parametrize("deviation", DEVIATIONS, ids=str)
def test_each_deviation_is_real_and_needed(world: World, spec: dict[str, Any], conformance: Conformance,
                                           deviation: Deviation) -> None:
    """A stale entry fails: the vendored definition must not already say it, and without this one
    relaxation some recorded body must break the definition in a way it otherwise does not."""
    node = resolve(spec, deviation.pointer)
    if "$ref" in node:
        node = resolve(spec, node["$ref"].removeprefix("#"))
    if deviation.required is not None:
        assert set(node.get("required", ())) != set(deviation.required), "the definition already says so"
    else:
        assert node.get("properties", {}).get(deviation.field) != deviation.schema, "the definition already says so"
    exchanges = world.recorder.exchanges
    with_all = set(violations(conformance, spec, exchanges))
    without = set(violations(Conformance(relax(spec, tuple(d for d in DEVIATIONS if d is not deviation))),
                             spec, exchanges))
    assert without - with_all, "no recorded body needs this relaxation"
