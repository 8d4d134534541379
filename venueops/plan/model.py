"""A plan as data: actions, changes, and their JSON form (``format_version`` 1)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FORMAT_VERSION = 1


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
    def from_json(cls, data: dict[str, Any]) -> FieldChange:
        return cls(data["path"], data.get("before"), data.get("after"), bool(data.get("before_absent")),
                   bool(data.get("after_absent")))


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
        out["fields"] = [f.to_json() for f in self.fields]
        out["unchanged_fields"] = self.unchanged
        out["edit"] = self.edit.to_json() if self.edit else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        edit = data.get("edit")
        return cls(
            kind=data["kind"], id=data["id"], action=Action(data["action"]), reason=data["reason"],
            version=data["version"], digest=data.get("digest", "absent"),
            fields=tuple(FieldChange.from_json(f) for f in data.get("fields", [])),
            unchanged=int(data.get("unchanged_fields", 0)),
            edit=Edit(edit["endpoint"], edit["body"]) if edit else None, via=data.get("via", "venue"),
            source=data.get("source"), stage=data.get("stage"),
        )


@dataclass(frozen=True)
class Plan:
    venue_id: str
    target: str  # the server's base URL, or "sandbox <database>" (never credentials)
    config_file: str
    timezone: str
    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()
    requests: int = 0  # HTTP requests made to read the live state
    at: int | None = None  # the moment the plan was made for, when the user chose one (``--at``)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        counts = {"add": 0, "change": 0, "expire": 0, "delete": 0}
        key = {Action.CREATE: "add", Action.UPDATE: "change", Action.EXPIRE: "expire", Action.DELETE: "delete"}
        for change in self.changes:
            counts[key[change.action]] += 1
        return counts

    def plan_id(self) -> str:
        """A content hash of what the plan would do (the same plan has the same id)."""
        payload = json.dumps({"venue": self.venue_id, "target": self.target,
                              "changes": [c.to_json() for c in self.changes]}, sort_keys=True)
        return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "plan_id": self.plan_id(),
            "venue": self.venue_id,
            "target": self.target,
            "config_file": self.config_file,
            "timezone": self.timezone,
            "summary": {**self.counts(), "empty": self.empty},
            "requests": self.requests,
            "at": self.at,
            "changes": [c.to_json() for c in self.changes],
            "notes": list(self.notes),
            **({"meta": self.meta} if self.meta else {}),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"plan format {data.get('format_version')!r} is not {FORMAT_VERSION}")
        return cls(
            venue_id=data["venue"], target=data["target"], config_file=data.get("config_file", ""),
            timezone=data.get("timezone", "UTC"), changes=tuple(Change.from_json(c) for c in data["changes"]),
            notes=tuple(data.get("notes", [])), requests=int(data.get("requests", 0)), at=data.get("at"),
            meta=data.get("meta") or {},
        )
