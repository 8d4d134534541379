"""Saved plans apply exactly what was reviewed: a tampered plan file is refused whole, with nothing written.

Each case makes a real plan file against the sandbox, tampers with it as an attacker who can write the
file would (once as is, once with its digests recomputed: anyone can compute a SHA-256), then runs
``venueops apply PLAN``. Every refusal is checked against the server: its request counters show no
write at all (no edit, no account), and the touched objects read back unchanged.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openreview
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.plan.conftest import AT, ServerRequests, Venueops, credentials
from venueops.apply.saved import MEASURED, prepare_saved_plan, read_saved_plan
from venueops.errors import VenueOpsError
from venueops.plan import integrity
from venueops.targets.server import server_target

V = "DRW.cc/2026/Workshop"
REVIEW = f"{V}/-/Official_Review"
PUBLICITY = f"{V}/Publicity_Chairs"
KEY = "a-long-random-secret-of-the-pipeline-0123456789"
CHANGES = {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59",
           "members: [~Pub_Chair1]": "members: [~Pub_Chair1, ~Pub_Chair2]"}


def writes(baseurl: str) -> int:
    """Requests that could have written anything (every POST, PUT and DELETE but logging in)."""
    routes = requests.get(f"{baseurl}/_sandbox/requests", timeout=10).json()["byRoute"]
    return sum(n for route, n in routes.items()
               if route.split(" ", 1)[0] in ("POST", "PUT", "DELETE") and route != "POST /login")


def reseal(document: dict[str, Any]) -> dict[str, Any]:
    """What an attacker without the key can do after editing: recompute both digests."""
    out = {k: v for k, v in document.items() if k not in ("plan_id", "signature")}
    out["edits_sha256"] = integrity.edits_digest([c.get("edit") for c in out.get("changes", [])])
    return integrity.seal(out, None)


def change_of(document: dict[str, Any], address: str) -> dict[str, Any]:
    return next(c for c in document["changes"] if c["address"] == address)


@pytest.fixture
def planned(venueops: Venueops, venue_file, root: openreview.api.OpenReviewClient, baseurl: str) -> dict[str, Any]:
    """The workshop applied, then a saved plan (``plan.json``) moving the review deadline and adding a
    publicity chair; returns the plan document and a snapshot of what it touches."""
    first = venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT)
    assert first.exit_code == 0, first.output
    changed = venue_file("workshop", CHANGES)
    assert venueops("plan", changed, "-o", "plan.json", "--at", AT).exit_code == 0
    document = json.loads(Path("plan.json").read_text())
    assert {c["address"] for c in document["changes"]} == {f"invitation {REVIEW}", f"group {PUBLICITY}"}
    return document


def snapshot(root: openreview.api.OpenReviewClient) -> tuple[Any, ...]:
    return root.get_invitation(REVIEW).to_json(), root.get_group(PUBLICITY).to_json()


Tamper = Callable[[dict[str, Any], Path], dict[str, Any]]


def _edit_body(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    change_of(doc, f"invitation {REVIEW}")["edit"]["body"]["invitation"]["edit"]["invitation"]["duedate"] += 86_400_000
    return doc


def _member(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    change_of(doc, f"group {PUBLICITY}")["edit"]["body"]["group"]["members"].append("~Evil_Hacker1")
    return doc


def _venue_swap(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    return json.loads(json.dumps(doc).replace(V, "EVIL.cc/2026/Workshop"))


def _cut(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["changes"] = doc["changes"][:1]
    return doc


def _reorder(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["changes"] = doc["changes"][::-1]
    return doc


def _duplicate(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["changes"] = [*doc["changes"], doc["changes"][0]]
    return doc


def _displayed(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    field = change_of(doc, f"group {PUBLICITY}")["fields"][0]
    field["after"] = ["~Pub_Chair1"]  # shows no new member, while the edit adds one
    return doc


def _summary(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["summary"]["change"] = 0
    return doc


def _plan_id(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["plan_id"] = "sha256:" + "0" * 64
    return doc


def _venue_field(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["venue"] = "EVIL.cc/2026/Workshop"
    return doc


def _reason(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["changes"][0]["reason"] = "harmless, trust me"
    return doc


def _no_plan_id(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    del doc["plan_id"]
    return doc


def _no_edits_digest(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    del doc["edits_sha256"]
    return doc


def _venue_file_edited(doc: dict[str, Any], directory: Path) -> dict[str, Any]:
    file = directory / doc["config_file"]
    file.write_text(file.read_text().replace("~Pub_Chair2", "~Evil_Hacker1"))
    return doc


def _other_venue_file(doc: dict[str, Any], directory: Path) -> dict[str, Any]:
    other = directory / "other.yaml"
    other.write_text((directory / doc["config_file"]).read_text().replace("~Pub_Chair2", "~Evil_Hacker1"))
    doc["config_file"] = "other.yaml"
    doc["config_sha256"] = integrity.sha256(other.read_bytes())
    return doc


def _allow_delete(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["options"]["allow_delete"] = True
    return doc


def _moment(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["options"]["at"] = None  # now: the review release (after_due) is due, so the plan differs
    return doc


def _target(doc: dict[str, Any], _: Path) -> dict[str, Any]:
    doc["target"] = "http://evil.test:3001"
    return doc


CHANGED = "was changed after it was made"
DIFFERS = "is not what its venue file plans now"
# name: (tamper, message as tampered, message with the digests recomputed)
CASES: dict[str, tuple[Tamper, str, str]] = {
    "an edit body changed": (_edit_body, CHANGED, DIFFERS),
    "a member added to an edit": (_member, CHANGED, DIFFERS),
    "the venue id swapped everywhere": (_venue_swap, CHANGED, "the plan is stale"),
    "changes removed": (_cut, CHANGED, DIFFERS),
    "changes reordered": (_reorder, CHANGED, DIFFERS),
    "a change duplicated": (_duplicate, CHANGED, DIFFERS),
    "a displayed field changed": (_displayed, CHANGED, DIFFERS),
    "the summary rewritten": (_summary, CHANGED, DIFFERS),
    "the plan id rewritten": (_plan_id, CHANGED, ""),
    "the venue rewritten": (_venue_field, CHANGED, DIFFERS),
    "a reason rewritten": (_reason, CHANGED, DIFFERS),
    "the plan id removed": (_no_plan_id, "has no plan_id", ""),
    "the edits digest removed": (_no_edits_digest, "has no edits_sha256", ""),
    "the venue file edited after planning": (_venue_file_edited, "changed since plan.json was made",
                                             "changed since plan.json was made"),
    # pointing the plan at another file the attacker wrote is editing the venue file: without a key,
    # only the digest of the plan file itself stops it (test_signatures_are_checked covers the key)
    "another venue file named": (_other_venue_file, CHANGED, ""),
    "option allow_delete changed": (_allow_delete, CHANGED, "was made with --allow-delete, and this apply was not"),
    "option at changed": (_moment, CHANGED, "was made without --at, and this apply was given --at"),
    "the target rewritten": (_target, CHANGED, "the plan was made for http://evil.test:3001"),
}


# Each case as tampered, and (where that is not a no-op, or editing the venue file under another
# name) with its digests recomputed.
VARIANTS = [pytest.param(case, resealed, id=f"{case}-{'digests-recomputed' if resealed else 'as-tampered'}")
            for case in sorted(CASES) for resealed in (False, True) if not resealed or CASES[case][2]]


@pytest.mark.parametrize(("case", "resealed"), VARIANTS)
def test_a_tampered_plan_is_refused_and_nothing_is_written(case: str, resealed: bool, planned: dict[str, Any],
                                                            venueops: Venueops, root, baseurl: str, tmp_path: Path,
                                                            server_requests: ServerRequests) -> None:
    tamper, message, resealed_message = CASES[case]
    document = tamper(copy.deepcopy(planned), tmp_path)
    if resealed:
        document = reseal(document)
    Path("plan.json").write_text(json.dumps(document, indent=2))
    before = snapshot(root)
    server_requests.clear()
    run = venueops("apply", "plan.json", "--at", AT)
    assert run.exit_code == 1, run.output
    assert (resealed_message if resealed else message) in run.stderr, run.stderr
    assert "Traceback" not in run.output
    assert writes(baseurl) == 0
    assert snapshot(root) == before


def test_the_untampered_plan_applies(planned: dict[str, Any], venueops: Venueops, root) -> None:
    """The control: the same plan file, untouched (or only re-indented), applies."""
    Path("plan.json").write_text(json.dumps(planned))  # layout does not matter to the digests
    run = venueops("apply", "plan.json", "--at", AT)
    assert run.exit_code == 0, run.output
    assert "~Pub_Chair2" in root.get_group(PUBLICITY).members


def test_a_key_given_twice_is_refused(planned: dict[str, Any], venueops: Venueops, baseurl: str,
                                      server_requests: ServerRequests) -> None:
    text = json.dumps(planned)
    Path("plan.json").write_text(text[:-1] + ', "venue": "EVIL.cc/2026/Workshop"}')
    server_requests.clear()
    run = venueops("apply", "plan.json", "--at", AT)
    assert run.exit_code == 2 and "the key 'venue' is given twice" in run.stderr
    assert writes(baseurl) == 0


def test_a_plan_of_the_previous_format_is_refused(planned: dict[str, Any], venueops: Venueops, baseurl: str,
                                                  server_requests: ServerRequests) -> None:
    Path("plan.json").write_text(json.dumps({**planned, "format_version": 1}))
    server_requests.clear()
    run = venueops("apply", "plan.json", "--at", AT)
    assert run.exit_code == 1 and "is a plan of format 1; this venueops applies format 2 plans only" in run.stderr
    assert writes(baseurl) == 0


def test_credentials_only_go_to_a_server_the_user_named(planned: dict[str, Any], venueops: Venueops,
                                                        baseurl: str) -> None:
    env = {**credentials(baseurl), "OPENREVIEW_API_BASEURL_V2": None}
    run = venueops("apply", "plan.json", "--at", AT, env=env)
    assert run.exit_code == 1
    assert f"the plan is for {baseurl}; name that server with --baseurl" in run.stderr
    assert venueops("apply", "plan.json", "--at", AT, "--baseurl", baseurl, env=env).exit_code == 0


# -- signed plans ----------------------------------------------------------------------------------
def signed_env(baseurl: str, key: str | None) -> dict[str, str | None]:
    return {**credentials(baseurl), "VENUEOPS_PLAN_KEY": key}


def test_a_signed_plan_applies_with_its_key(venueops: Venueops, venue_file, baseurl: str, root) -> None:
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    made = venueops("plan", venue_file("workshop", CHANGES), "-o", "plan.json", "--at", AT,
                    env=signed_env(baseurl, KEY))
    assert made.exit_code == 0 and "(signed with VENUEOPS_PLAN_KEY)" in made.stdout
    document = json.loads(Path("plan.json").read_text())
    assert document["signature"]["algorithm"] == "hmac-sha256"
    assert KEY not in Path("plan.json").read_text() and KEY not in made.output
    run = venueops("apply", "plan.json", "--at", AT, env=signed_env(baseurl, KEY))
    assert run.exit_code == 0, run.output
    assert "~Pub_Chair2" in root.get_group(PUBLICITY).members


@pytest.mark.parametrize(("plan_key", "apply_key", "tamper", "message"), [
    (KEY, None, False, "is signed: set VENUEOPS_PLAN_KEY"),
    (None, KEY, False, "is not signed, and VENUEOPS_PLAN_KEY is set"),
    (KEY, KEY + "-other", False, "does not carry a valid signature"),
    (KEY, KEY, True, "does not carry a valid signature"),
], ids=["signed-no-key", "unsigned-with-key", "wrong-key", "resealed-without-key"])
def test_signatures_are_checked(plan_key: str | None, apply_key: str | None, tamper: bool, message: str,
                                venueops: Venueops, venue_file, baseurl: str, server_requests: ServerRequests) -> None:
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    made = venueops("plan", venue_file("workshop", CHANGES), "-o", "plan.json", "--at", AT,
                    env=signed_env(baseurl, plan_key))
    assert made.exit_code == 0
    if tamper:  # an attacker without the key edits, recomputes the digests, keeps the old signature
        document = json.loads(Path("plan.json").read_text())
        _member(document, Path("."))
        signature = document["signature"]
        Path("plan.json").write_text(json.dumps({**reseal(document), "signature": signature}))
    server_requests.clear()
    run = venueops("apply", "plan.json", "--at", AT, env=signed_env(baseurl, apply_key))
    assert run.exit_code == 1 and message in run.stderr, run.output
    assert writes(baseurl) == 0


def test_a_short_key_is_refused(venueops: Venueops, venue_file, baseurl: str) -> None:
    run = venueops("plan", venue_file("workshop"), "--at", AT, env=signed_env(baseurl, "short"))
    assert run.exit_code == 1
    assert "VENUEOPS_PLAN_KEY is set but shorter than 16 characters" in run.stderr and "short" not in run.stdout


# -- random mutations --------------------------------------------------------------------------------
def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON document (containers included)."""
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += leaf_paths(item, (*path, index))
    return out


JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=6)


def mutate(document: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    path = data.draw(st.sampled_from(leaf_paths(doc)[1:]), label="path")
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    kind = data.draw(st.sampled_from(["replace", "delete", "insert", "duplicate", "swap"]), label="mutation")
    if kind == "replace":
        parent[last] = data.draw(JSON, label="value")
    elif kind == "delete":
        del parent[last]
    elif kind == "insert" and isinstance(parent, dict):
        parent[data.draw(st.text(min_size=1, max_size=8), label="key")] = data.draw(JSON, label="value")
    elif kind == "insert":
        parent.insert(last, data.draw(JSON, label="value"))
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif kind == "swap" and isinstance(parent, list) and len(parent) > 1:
        other = (last + 1) % len(parent)
        parent[last], parent[other] = parent[other], parent[last]
    else:
        parent[last] = data.draw(JSON, label="value")
    return doc


def applied(document: dict[str, Any]) -> dict[str, Any]:
    """What applying a plan document posts, and where: the part that must never change."""
    return {"target": document.get("target"), "venue": document.get("venue"),
            "edits": [c.get("edit") for c in document.get("changes", [])]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), resealed=st.booleans())
def test_random_mutations_are_refused_or_change_nothing_applied(data: st.DataObject, resealed: bool,
                                                               planned: dict[str, Any], baseurl: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A mutated plan goes through the same gates ``apply PLAN`` runs (digests, venue file, version
    tokens, planning again): it is refused, or what it would post is exactly the original's."""
    for name, value in credentials(baseurl).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    document = mutate(planned, data)
    if resealed:
        try:
            document = reseal(document)
        except (TypeError, ValueError, AttributeError, KeyError):
            return  # not a document whose digests can be computed: refused by the first gate
    before = writes(baseurl)
    try:
        saved = read_saved_plan(document, "plan.json", None)
        prepared = prepare_saved_plan(saved, server_target(baseurl, bootstrap=saved.plan.origin.bootstrap))
    except VenueOpsError:
        assert writes(baseurl) == before
        return
    assert applied(prepared.to_json()) == applied(planned)
    assert {k: v for k, v in prepared.to_json().items() if k not in MEASURED}["changes"] == planned["changes"]


@pytest.mark.parametrize("part", ["plan_id", "edits_sha256"])
def test_a_digest_edited_into_non_ascii_text_is_refused_not_a_crash(planned: dict[str, Any], part: str) -> None:
    """Found by the mutation test above: ``{"plan_id": {"¡": null}}`` made the constant-time comparison raise
    TypeError (it refuses non-ASCII text), a traceback instead of a refusal."""
    for written in ({"¡": None}, "sha256:é"):
        document = {**copy.deepcopy(planned), part: written}
        with pytest.raises(integrity.PlanIntegrityError):
            read_saved_plan(document, "plan.json", None)
