"""Query parameters: which ones each endpoint accepts, and how their strings become values.

openreview-py sends booleans as ``true``/``false``, lists as repeated keys, and drops ``None``
(notes/api-v2.md §2.0); comma-separated strings are accepted for lists too. A parameter the
endpoint does not know is refused (FIDELITY: the API validates queries with schemas that forbid
additional properties; we use the same wording as for bodies).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from venueops.sandbox.errors import ValidationError

Parser = Callable[[str, list[str]], Any]


def _one(name: str, values: list[str]) -> str:
    if len(values) > 1:
        raise ValidationError(f"{name} must be a single value", path=name, invalid_value=values,
                              has_invalid_value=True)
    return values[0]


def text(name: str, values: list[str]) -> str:
    return _one(name, values)


def integer(name: str, values: list[str]) -> int:
    return _integer(name, _one(name, values))


def _integer(name: str, raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise ValidationError(f"{name} must be integer", path=name, invalid_value=raw,
                              has_invalid_value=True) from None
    if not -(2**63) <= number < 2**63:
        raise ValidationError(f"{name} must be a 64-bit integer", path=name, invalid_value=raw,
                              has_invalid_value=True)
    return number


def boolean(name: str, values: list[str]) -> bool:
    raw = _one(name, values).lower()
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise ValidationError(f"{name} must be boolean", path=name, invalid_value=raw, has_invalid_value=True)


def text_list(name: str, values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(part for part in value.split(",") if part)
    return out


def integer_list(name: str, values: list[str]) -> list[int]:
    return [_integer(name, part) for part in text_list(name, values)]


def boolean_or_text(name: str, values: list[str]) -> bool | str:
    raw = _one(name, values)
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return raw


def boolean_or_integer(name: str, values: list[str]) -> bool | int:
    raw = _one(name, values)
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return _integer(name, raw)


PAGING: dict[str, Parser] = {
    "limit": integer, "offset": integer, "after": text, "sort": text, "stream": boolean, "count": boolean,
    "select": text_list, "details": text_list, "trash": boolean, "domain": text, "cache": boolean,
}

GROUPS: dict[str, Parser] = {
    **PAGING, "id": text, "ids": text_list, "prefix": text, "regex": text, "parent": text, "member": text,
    "members": text, "signature": text, "signatory": text, "writer": text, "host": text, "web": boolean,
    "invitation": text,
}

INVITATIONS: dict[str, Parser] = {
    **PAGING, "id": text, "ids": text_list, "invitee": boolean_or_text, "replytoNote": text, "replyForum": text,
    "signature": text, "note": text, "prefix": text, "regex": text, "tags": text, "minduedate": integer,
    "duedate": boolean_or_integer, "pastdue": boolean, "replyto": text, "expired": boolean, "type": text,
    "invitation": text,
}

NOTES: dict[str, Parser] = {
    **PAGING, "id": text, "ids": text_list, "externalId": text, "paperhash": text, "forum": text,
    "invitation": text_list, "parentInvitations": text, "replyto": text, "tauthor": boolean_or_text,
    "signature": text_list, "signatures": text_list, "transitiveMembers": boolean, "writer": text,
    "number": integer_list, "mintcdate": integer,
}


def edits_params(kind: str) -> dict[str, Parser]:
    return {**PAGING, "id": text, "ids": text_list, f"{kind}.id": text, "invitation": text,
            "tauthor": boolean_or_text, "writer": text, "signatures": text_list}


EDGES: dict[str, Parser] = {
    **PAGING, "id": text, "invitation": text, "head": text, "tail": text, "label": text, "groupBy": text_list,
}
EDGES_COUNT: dict[str, Parser] = {
    "id": text, "invitation": text, "head": text, "tail": text, "label": text, "domain": text, "trash": boolean,
}
TAGS: dict[str, Parser] = {
    **PAGING, "id": text, "note": text, "invitation": text, "parentInvitations": text, "forum": text,
    "profile": text, "signature": text, "tag": text, "label": text, "mintmdate": integer,
}
PROFILES: dict[str, Parser] = {
    "id": text, "ids": text_list, "email": text, "emails": text_list, "confirmedEmails": text_list,
    "first": text, "middle": text, "last": text, "fullname": text, "relation": text, "trash": boolean,
    "withBlocked": boolean, "state": text, "es": boolean, "limit": integer, "offset": integer, "sort": text,
    "select": text_list, "term": text,
}
TILDE: dict[str, Parser] = {"fullname": text}
MESSAGES: dict[str, Parser] = {"to": text, "subject": text, "status": text, "offset": integer, "limit": integer}
PROCESS_LOGS: dict[str, Parser] = {"id": text, "invitation": text, "status": text, "minsdate": integer}
NONE: dict[str, Parser] = {}
ATTACHMENT: dict[str, Parser] = {"id": text, "name": text}
PDF: dict[str, Parser] = {"id": text}


def parse(query: list[tuple[str, str]], spec: dict[str, Parser], *, content_filters: bool = False) -> dict[str, Any]:
    """Turn raw ``(key, value)`` pairs into typed values, refusing unknown keys."""
    grouped: dict[str, list[str]] = {}
    for key, value in query:
        grouped.setdefault(key, []).append(value)
    out: dict[str, Any] = {}
    for key, values in grouped.items():
        if content_filters and key.startswith("content.") and len(key) > len("content."):
            out[key] = values[0] if len(values) == 1 else values
            continue
        parser = spec.get(key)
        if parser is None:
            raise ValidationError(f"The property {key} must NOT be present", path=key)
        if all(v == "" for v in values):
            continue
        out[key] = parser(key, values)
    return out
