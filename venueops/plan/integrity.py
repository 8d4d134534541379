"""Digests and signatures that make a saved plan tamper-evident.

A saved plan is what a reviewer approves; ``apply PLAN`` must post exactly that. The plan document
carries:

- ``config_sha256``: the SHA-256 of the venue file's bytes as read when planning;
- ``edits_sha256``: the SHA-256 of every edit the plan posts, in order (canonical JSON);
- ``plan_id``: the SHA-256 of the whole document (canonical JSON, without ``plan_id`` and
  ``signature``): any edit of any field, including what is only displayed, changes it;
- ``signature`` (only when ``VENUEOPS_PLAN_KEY`` is set): an HMAC-SHA256 over the document with
  ``plan_id``, under a key that an attacker who can write the plan file does not have.

Digests alone stop accidents and edits by hand; someone who can write the file can also recompute
them. That is why ``apply PLAN`` does more (``venueops.apply.saved``): it makes the plan again from
the recorded venue file (whose digest must match) and options, and refuses unless the result is
identical. The key closes the remaining gap (options or target rewritten together with consistent
changes) for pipelines where planning and applying run in different jobs.

Canonical JSON: keys sorted, no whitespace, UTF-8. Nothing here reads the clock or draws at random.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from venueops.errors import VenueOpsError

KEY_ENV = "VENUEOPS_PLAN_KEY"
MIN_KEY_CHARS = 16
SIGNATURE_ALGORITHM = "hmac-sha256"
UNSEALED = ("plan_id", "signature")  # what the document digest leaves out


class PlanIntegrityError(VenueOpsError):
    """A saved plan is not what was planned: a digest or the signature fails, or a part is missing."""


class PlanKeyError(VenueOpsError):
    """``VENUEOPS_PLAN_KEY`` is set but unusable."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def edits_digest(edits: list[Any]) -> str:
    """The digest of everything a plan posts: its edits (endpoint and body), in order."""
    return sha256(canonical(edits))


def document_digest(document: dict[str, Any]) -> str:
    return sha256(canonical({k: v for k, v in document.items() if k not in UNSEALED}))


def signature(document: dict[str, Any], key: bytes) -> str:
    body = canonical({k: v for k, v in document.items() if k != "signature"})
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def seal(document: dict[str, Any], key: bytes | None) -> dict[str, Any]:
    """``document`` with its ``plan_id`` filled in, and signed when a key is given."""
    sealed = {k: v for k, v in document.items() if k not in UNSEALED}
    out = {"format_version": sealed.pop("format_version"), "plan_id": document_digest(document), **sealed}
    if key is not None:
        out["signature"] = {"algorithm": SIGNATURE_ALGORITHM, "value": signature(out, key)}
    return out


def dumps(document: dict[str, Any]) -> str:
    """The plan document as people read it (indented; the digests do not depend on the layout)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def key_from_environment(environ: dict[str, str] | None = None) -> bytes | None:
    """The signing key from ``VENUEOPS_PLAN_KEY``, or None when it is not set. Never shown anywhere."""
    value = (environ if environ is not None else os.environ).get(KEY_ENV)
    if value is None or value == "":
        return None
    if len(value) < MIN_KEY_CHARS:
        raise PlanKeyError(f"{KEY_ENV} is set but shorter than {MIN_KEY_CHARS} characters: use a long random "
                           "secret (for example the output of `openssl rand -hex 32`)")
    return value.encode("utf-8")


def verify(document: Any, key: bytes | None, *, name: str) -> None:
    """Refuse a plan document whose digests or signature do not hold (``name`` is the file, for messages).

    Checked in this order, each with its own message: the parts the checks need exist; ``plan_id``
    matches the document; ``edits_sha256`` matches its edits; the signature matches the key, and a
    key's presence matches the signature's.
    """
    if not isinstance(document, dict):
        raise PlanIntegrityError(f"{name} is not a plan document")
    for part in ("plan_id", "edits_sha256", "config_sha256", "changes"):
        if part not in document:
            raise PlanIntegrityError(f"{name} has no {part}: its integrity cannot be checked, so it is not applied "
                                     "(was it edited, or made by an older venueops?). Make the plan again.")
    try:
        digest = document_digest(document)
    except (TypeError, ValueError) as error:
        raise PlanIntegrityError(f"{name} cannot be read as a plan: {error}") from None
    if not _same(document["plan_id"], digest):
        raise PlanIntegrityError(f"{name} was changed after it was made: its content does not match its plan_id")
    changes = document["changes"]
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise PlanIntegrityError(f"{name} has no list of changes")
    if not _same(document["edits_sha256"], edits_digest([c.get("edit") for c in changes])):
        raise PlanIntegrityError(f"{name} was changed after it was made: its edits do not match edits_sha256")
    signed = document.get("signature")
    if key is None:
        if signed is not None:
            raise PlanIntegrityError(f"{name} is signed: set {KEY_ENV} to the key it was signed with to apply it")
        return
    if not isinstance(signed, dict) or signed.get("algorithm") != SIGNATURE_ALGORITHM:
        raise PlanIntegrityError(f"{name} is not signed, and {KEY_ENV} is set: only plans signed with that key "
                                 "are applied. Make the plan again with the key set.")
    if not _same(signed.get("value"), signature(document, key)):
        raise PlanIntegrityError(f"{name} does not carry a valid signature for {KEY_ENV}: it was changed after it "
                                 "was signed, or signed with another key")


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """The dotted path of the first place two JSON values differ (JSON's false is not 0), or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in expected or key not in actual:
                return where
            found = first_difference(expected[key], actual[key], where)
            if found is not None:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for index, (a, b) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found is not None:
                return found
        return None if len(expected) == len(actual) else f"{path}[{min(len(expected), len(actual))}]"
    if type(expected) is not type(actual) or expected != actual:
        return path or "(the whole document)"
    return None


def _same(written: Any, expected: str) -> bool:
    """A digest as written in the document against the one computed, in constant time. Compared as UTF-8
    bytes: ``compare_digest`` refuses non-ASCII text, and an edited document may hold any."""
    return hmac.compare_digest(str(written).encode("utf-8"), expected.encode("utf-8"))
