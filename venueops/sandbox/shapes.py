"""Shapes of request bodies: which keys each posted object may carry, and their JSON types.

This is the sandbox's version of the API's request schemas (``GroupEditPost``, ``NotePost``, …
in openreview/api-v2.yml), extended where openreview-py sends more than that older spec knows
(group ``description``; invitation ``instructions``, ``guestPosting``, …; ``add`` change objects).
Unknown keys are refused with OpenReview's wording (``The property X must NOT be present``).

Server-owned fields that clients echo back when they re-post a fetched object (``tcdate``,
``invitations``, ``domain``, …) are accepted and dropped: the server computes them.
FIDELITY: the real API may refuse some of them; dropping keeps re-posted objects working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from venueops.sandbox import ids
from venueops.sandbox.errors import ValidationError
from venueops.sandbox.inference import CHANGE_OPS, is_change, is_delete

MAX_DATE = 9_999_999_999_999

Check = Callable[[Any], str | None]  # returns the type word when the value is wrong


def _string(v: Any) -> str | None:
    return None if isinstance(v, str) else "string"


def _nullable_string(v: Any) -> str | None:
    return None if v is None or isinstance(v, str) or is_delete(v) else "string"


def _deletable_string(v: Any) -> str | None:
    return None if isinstance(v, str) or is_delete(v) else "string"


def _boolean(v: Any) -> str | None:
    return None if isinstance(v, bool) else "boolean"


def _integer(v: Any) -> str | None:
    return None if (isinstance(v, int) and not isinstance(v, bool)) or is_delete(v) else "integer"


def _date(v: Any) -> str | None:
    """FIDELITY: dates are JSON numbers, and the JavaScript server takes any number in range;
    openreview-py's builder posts some as floats (``deadline + 60*60*1000*24*7*2.2``). A float is
    accepted and stored as whole milliseconds (``check_fields`` rounds it)."""
    if is_delete(v) or v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= MAX_DATE:
        return None
    return f"integer between 0 and {MAX_DATE}"


def _string_list(v: Any) -> str | None:
    if is_delete(v):
        return None
    if is_change(v):
        for op, items in v.items():
            if op == "replace":
                replaces = items if isinstance(items, list) else [items]
                if not replaces or not all(_is_replace(r) for r in replaces):
                    return 'change object whose "replace" is {"index": integer, "value": string}'
                continue
            if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
                return "array of non-empty strings"
        return None
    if isinstance(v, list) and all(isinstance(i, str) and i for i in v):
        return None
    return "array of non-empty strings"


def _is_replace(item: Any) -> bool:
    return (isinstance(item, dict) and set(item) == {"index", "value"} and isinstance(item["index"], int)
            and not isinstance(item["index"], bool) and isinstance(item["value"], str) and bool(item["value"]))


def _object(v: Any) -> str | None:
    return None if isinstance(v, dict) else "object"


def _template(v: Any) -> str | None:
    return None if isinstance(v, dict) or v is True or is_delete(v) else "object"


def _any(v: Any) -> str | None:
    return None


def _content(v: Any) -> str | None:
    if is_delete(v):
        return None
    if not isinstance(v, dict):
        return "object"
    for key, field in v.items():
        if not isinstance(key, str) or not key or len(key) > 80:
            return "object whose keys are 1 to 80 characters"
        if not (isinstance(field, dict) or is_delete(field)):
            return "object whose fields are objects ({value, readers})"
    return None


def _dateprocesses(v: Any) -> str | None:
    return None if isinstance(v, list) or is_delete(v) else "array"


COMMON_ACL = {
    "readers": _string_list, "nonreaders": _string_list, "writers": _string_list, "signatures": _string_list,
}

GROUP_FIELDS: dict[str, Check] = {
    "id": _string, "content": _content, "cdate": _date, "ddate": _date, "mdate": _date,
    **COMMON_ACL, "signatories": _string_list, "members": _string_list, "deanonymizers": _string_list,
    "impersonators": _string_list, "host": _nullable_string, "web": _nullable_string, "anonids": _boolean,
    "description": _deletable_string, "parent": _nullable_string, "secret": _deletable_string,
}
GROUP_IGNORED = frozenset({"invitation", "invitations", "parentInvitations", "domain", "tcdate", "tmdate",
                           "details", "tauthor"})

NOTE_FIELDS: dict[str, Check] = {
    "id": _string, "externalId": _string, "forum": _string, "replyto": _nullable_string, "content": _content,
    "cdate": _date, "ddate": _date, "mdate": _date, "odate": _date, "pdate": _date, **COMMON_ACL,
    "license": _deletable_string,
}
NOTE_IGNORED = frozenset({"invitations", "parentInvitations", "domain", "tcdate", "tmdate", "number", "version",
                          "details", "tauthor", "externalIds", "forumContent"})

INVITATION_FIELDS: dict[str, Check] = {
    "id": _string, "cdate": _date, "ddate": _date, "duedate": _date, "expdate": _date, "mdate": _date,
    **COMMON_ACL, "invitees": _string_list, "noninvitees": _string_list, "maxReplies": _integer,
    "minReplies": _integer, "taskCompletionCount": _integer, "content": _content, "edit": _template,
    "edge": _template, "tag": _template, "message": _template, "process": _any, "preprocess": _any,
    "dateprocesses": _dateprocesses, "postprocesses": _dateprocesses, "web": _nullable_string, "bulk": _any,
    "replyForumViews": _any, "responseArchiveDate": _any, "description": _deletable_string,
    "instructions": _deletable_string, "guestPosting": _any, "secret": _any, "humanVerificationRequired": _any,
    "transform": _any,
}
INVITATION_IGNORED = frozenset({"invitations", "parentInvitations", "domain", "tcdate", "tmdate", "details",
                                "type", "tauthor"})

EDIT_FIELDS: dict[str, Check] = {
    "id": _string, "readers": _string_list, "nonreaders": _string_list, "writers": _string_list,
    "signatures": _string_list, "content": _content, "replacement": _boolean, "cdate": _date, "ddate": _date,
    "mdate": _date, "domain": _string,
}
EDIT_IGNORED = frozenset({"tauthor", "tcdate", "tmdate", "details"})

EDGE_FIELDS: dict[str, Check] = {
    "id": _string, "invitation": _string, "head": _string, "tail": _string, "label": _nullable_string,
    "weight": lambda v: None if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) else "number",
    **COMMON_ACL, "cdate": _date, "ddate": _date,
}
EDGE_IGNORED = frozenset({"domain", "tcdate", "tmdate", "tddate", "tauthor", "details"})

TAG_FIELDS: dict[str, Check] = {
    "id": _string, "invitation": _string, "signature": _string, "signatures": _string_list,
    "label": _nullable_string, "weight": _any, "note": _string, "profile": _string, "group": _string,
    "forum": _string, "replyto": _string, "tag": _string, **COMMON_ACL, "cdate": _date, "ddate": _date,
}
TAG_IGNORED = frozenset({"domain", "tcdate", "tmdate", "tauthor", "details", "parentInvitations"})


def check_fields(
    obj: Any, fields: dict[str, Check], ignored: frozenset[str], path: str, *, extra: dict[str, Check] | None = None
) -> dict[str, Any]:
    """Check ``obj``'s keys and types; return it without the ignored server-owned keys."""
    if not isinstance(obj, dict):
        raise ValidationError(f"{path or 'body'} must be object", path=path or None, invalid_value=obj,
                              has_invalid_value=True)
    allowed = dict(fields)
    if extra:
        allowed.update(extra)
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key in ignored:
            continue
        check = allowed.get(key)
        where = f"{path}/{key}" if path else key
        if check is None:
            raise ValidationError(f"The property {key} must NOT be present", path=where)
        problem = check(value)
        if problem is not None:
            raise ValidationError(f"{where} must be {problem}", path=where, invalid_value=value,
                                  has_invalid_value=True)
        out[key] = round(value) if check is _date and isinstance(value, float) else value
    return out


def check_edit(body: Any, kind: str) -> dict[str, Any]:
    """Shape of a posted edit of ``kind`` (``note``, ``group`` or ``invitation``)."""
    if kind == "invitation":
        extra = {"invitations": _string, "invitation": _object}
    else:
        extra = {"invitation": _string, kind: _object}
    edit = check_fields(body, EDIT_FIELDS, EDIT_IGNORED, "", extra=extra)
    if kind in edit:
        edit[kind] = check_object(kind, edit[kind], kind)
    return edit


def check_object(kind: str, obj: Any, path: str) -> dict[str, Any]:
    fields, ignored = {
        "note": (NOTE_FIELDS, NOTE_IGNORED),
        "group": (GROUP_FIELDS, GROUP_IGNORED),
        "invitation": (INVITATION_FIELDS, INVITATION_IGNORED),
        "edge": (EDGE_FIELDS, EDGE_IGNORED),
        "tag": (TAG_FIELDS, TAG_IGNORED),
    }[kind]
    return check_fields(obj, fields, ignored, path)


def check_id(value: Any, path: str, *, invitation: bool = False) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"The field {path} cannot be empty or missing", path=path)
    problem = ids.id_problem(value)
    if problem is not None:
        raise ValidationError(f"{path} {problem}", path=path, invalid_value=value, has_invalid_value=True)
    if invitation and not ids.is_invitation_id(value):
        raise ValidationError(f'{path} must contain "/-/"', path=path, invalid_value=value, has_invalid_value=True)
    return value


def check_resolved_lists(obj: dict[str, Any], path: str, keys: tuple[str, ...]) -> None:
    """After references are resolved, list fields must hold valid ids."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item:
                    problem = ids.id_problem(item)
                else:
                    problem = f'must match pattern "{ids.ID_PATTERN}"'
                if problem is not None:
                    raise ValidationError(f"{path}/{key}/{index} {problem}", path=f"{path}/{key}/{index}",
                                          invalid_value=item, has_invalid_value=True)


__all__ = ["CHANGE_OPS", "check_edit", "check_fields", "check_id", "check_object", "check_resolved_lists"]
