"""A plan as data: actions, changes, and their JSON form (``format_version`` 2).

The JSON form is what ``plan --json`` prints and ``plan -o`` saves. Besides the changes it records
what the plan was made from and how (``config_file`` + ``config_sha256``, ``options``, ``target``)
and two digests (``venueops.plan.integrity``): ``edits_sha256`` over every edit it will post, in
order, and ``plan_id`` over the whole document. ``apply PLAN`` checks both, then makes the plan again
from the recorded file and options and refuses unless it comes out the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from venueops.plan import integrity

FORMAT_VERSION = 2


class Action(StrEnum):
    """What a plan does to one object; ``symbol`` is its mark in the text rendering."""

    CREATE = "create"
    UPDATE = "update"
    EXPIRE = "expire"
    DELETE = "delete"

    @property
    def symbol(self) -> str:
        return {"create": "+", "update": "~", "expire": "x", "delete": "-"}[self.value]


@dataclass(frozen=True)
class FieldChange:
    """One differing leaf: its dotted path, and the live and desired values (``None`` = absent)."""

    path: str
    before: Any
    after: Any
    before_absent: bool = False
    after_absent: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path}
        out["before"] = None if self.before_absent else self.before
        out["after"] = None if self.after_absent else self.after
        if self.before_absent:
            out["before_absent"] = True
        if self.after_absent:
            out["after_absent"] = True
        return out

    @classmethod
    def from_json(cls, data: Any) -> FieldChange:
        data = _mapping(data, "a field")
        return cls(_typed(data, "path", str), data.get("before"), data.get("after"),
                   _typed(data, "before_absent", bool, default=False),
                   _typed(data, "after_absent", bool, default=False))


@dataclass(frozen=True)
class Edit:
    """What apply posts: the endpoint and the exact body (``$now`` stands for the apply time)."""

    endpoint: str  # "/groups/edits" or "/invitations/edits"
    body: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "body": self.body}


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    action: Action
    reason: str
    version: str | int  # the live tmdate, or "absent"; apply refuses when it moved
    digest: str = "absent"  # a digest of the live object: a second token (same-millisecond edits)
    fields: tuple[FieldChange, ...] = ()
    unchanged: int = 0  # managed fields that already match (counted, not printed)
    edit: Edit | None = None
    via: str = "venue"
    source: str | None = None
    stage: str | None = None
    files: tuple[str, ...] = ()  # with ``extends``: the files that wrote what the object compiles from


    @property
    def address(self) -> str:
        return f"{self.kind} {self.id}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "address": self.address, "kind": self.kind, "id": self.id, "action": self.action.value,
            "reason": self.reason, "version": self.version, "digest": self.digest, "via": self.via,
        }
        if self.stage:
            out["stage"] = self.stage
        if self.source:
            out["source"] = self.source
        if self.files:
            out["files"] = list(self.files)
        out["fields"] = [f.to_json() for f in self.fields]
        out["unchanged_fields"] = self.unchanged
        out["edit"] = self.edit.to_json() if self.edit else None
        return out

    @classmethod
    def from_json(cls, data: Any) -> Change:
        data = _mapping(data, "a change")
        edit = data.get("edit")
        if edit is not None:
            edit = _mapping(edit, "an edit")
            edit = Edit(_typed(edit, "endpoint", str, choices=ENDPOINTS), _typed(edit, "body", dict))
        return cls(
            kind=_typed(data, "kind", str, choices=("group", "invitation")), id=_typed(data, "id", str),
            action=Action(_typed(data, "action", str, choices=tuple(a.value for a in Action))),
            reason=_typed(data, "reason", str), version=_typed(data, "version", (int, str)),
            digest=_typed(data, "digest", str),
            fields=tuple(FieldChange.from_json(f) for f in _typed(data, "fields", list)),
            unchanged=_typed(data, "unchanged_fields", int), edit=edit,
            via=_typed(data, "via", str, choices=("venue", "root")),
            source=_typed(data, "source", str, default=None), stage=_typed(data, "stage", str, default=None),
            files=tuple(_strings(data, "files")),
        )


@dataclass(frozen=True)
class PlanOrigin:
    """What a plan was made from and how: enough to make it again (``apply PLAN`` does)."""

    config_file: str  # the venue file, as given
    config_sha256: str  # a digest of its bytes as read (with ``extends``: of every file it is made of)
    allow_delete: bool = False
    bootstrap: bool = False  # made by a caller who provisions (``--bootstrap``, or the sandbox)
    at: int | None = None  # the moment it was made for, when the user chose one (``--at``)
    config_bases: tuple[str, ...] = ()  # the files the venue file extends (directly or not), in merge order

    def options(self) -> dict[str, Any]:
        return {"allow_delete": self.allow_delete, "bootstrap": self.bootstrap, "at": self.at}


@dataclass(frozen=True)
class Plan:
    venue_id: str
    target: str  # the server's base URL, or "sandbox <database>" (never credentials)
    origin: PlanOrigin
    timezone: str
    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()
    requests: int = 0  # HTTP requests made to read the live state
    meta: dict[str, Any] = field(default_factory=dict)
    # who gains or loses what, and from when (``venueops.access.changes``; plain JSON mappings)
    access: tuple[dict[str, Any], ...] = ()
    # what OpenReview runs because of the changes (``venueops.plan.effects``; plain JSON mappings)
    effects: tuple[dict[str, Any], ...] = ()

    @property
    def config_file(self) -> str:
        return self.origin.config_file

    @property
    def at(self) -> int | None:
        return self.origin.at

    @property
    def empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        counts = {"add": 0, "change": 0, "expire": 0, "delete": 0}
        key = {Action.CREATE: "add", Action.UPDATE: "change", Action.EXPIRE: "expire", Action.DELETE: "delete"}
        for change in self.changes:
            counts[key[change.action]] += 1
        return counts

    def edits(self) -> list[dict[str, Any] | None]:
        """Everything the plan posts, in order (``None`` for a change with nothing to post)."""
        return [c.edit.to_json() if c.edit else None for c in self.changes]

    def to_json(self, *, key: bytes | None = None) -> dict[str, Any]:
        """The plan document, its digests filled in (and signed with ``key``, when given)."""
        document: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "plan_id": "",
            "venue": self.venue_id,
            "target": self.target,
            "config_file": self.origin.config_file,
            "config_sha256": self.origin.config_sha256,
            **({"config_bases": list(self.origin.config_bases)} if self.origin.config_bases else {}),
            "options": self.origin.options(),
            "timezone": self.timezone,
            "summary": {**self.counts(), "empty": self.empty},
            "requests": self.requests,
            "changes": [c.to_json() for c in self.changes],
            "notes": list(self.notes),
            **({"meta": self.meta} if self.meta else {}),
            **({"access": list(self.access)} if self.access else {}),
            **({"effects": list(self.effects)} if self.effects else {}),
            "edits_sha256": integrity.edits_digest(self.edits()),
        }
        return integrity.seal(document, key)

    def plan_id(self) -> str:
        """A digest of the whole plan document (the same plan has the same id)."""
        return str(self.to_json()["plan_id"])

    def dumps(self, *, key: bytes | None = None) -> str:
        return integrity.dumps(self.to_json(key=key))

    @classmethod
    def from_json(cls, data: Any) -> Plan:
        """The plan a (verified) document describes. Every part is type-checked: raises ``KeyError`` for a
        missing part and ``ValueError`` for one of the wrong kind."""
        data = _mapping(data, "a plan")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"plan format {data.get('format_version')!r} is not {FORMAT_VERSION}")
        options = _mapping(data["options"], "the options")
        origin = PlanOrigin(config_file=_typed(data, "config_file", str),
                            config_sha256=_typed(data, "config_sha256", str),
                            allow_delete=_typed(options, "allow_delete", bool),
                            bootstrap=_typed(options, "bootstrap", bool),
                            at=_typed(options, "at", int, default=None, nullable=True),
                            config_bases=tuple(_strings(data, "config_bases")))
        notes = _typed(data, "notes", list)
        if not all(isinstance(n, str) for n in notes):
            raise ValueError("notes must be strings")
        access = _typed(data, "access", list, default=[])
        effects = _typed(data, "effects", list, default=[])
        if not all(isinstance(a, dict) for a in (*access, *effects)):
            raise ValueError("access changes and side effects must be objects")
        return cls(
            venue_id=_typed(data, "venue", str), target=_typed(data, "target", str), origin=origin,
            timezone=_typed(data, "timezone", str),
            changes=tuple(Change.from_json(c) for c in _typed(data, "changes", list)),
            notes=tuple(notes), requests=_typed(data, "requests", int), meta=_typed(data, "meta", dict, default={}),
            access=tuple(access), effects=tuple(effects),
        )


ENDPOINTS = ("/groups/edits", "/invitations/edits")
_REQUIRED = object()


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    return value


def _strings(data: dict[str, Any], key: str) -> list[str]:
    """``data[key]``, a list of strings (empty when absent)."""
    value = _typed(data, key, list, default=[])
    if not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be strings")
    return value


def _typed(data: dict[str, Any], key: str, kind: type | tuple[type, ...], *, default: Any = _REQUIRED,
           choices: tuple[str, ...] | None = None, nullable: bool = False) -> Any:
    """``data[key]`` if it is a ``kind`` (JSON's true is no integer) and one of ``choices``; its default
    when absent (``KeyError`` when required); ``ValueError`` otherwise."""
    if key not in data:
        if default is _REQUIRED:
            raise KeyError(key)
        return default
    value = data[key]
    if value is None and (nullable or default is None):
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise ValueError(f"{key} must be {' or '.join(k.__name__ for k in kinds)}, not {type(value).__name__}")
    if choices is not None and value not in choices:
        raise ValueError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    return value
