"""What the compiler produces: desired objects, in OpenReview's JSON, with their provenance."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from venueops.diagnostics import Location

Kind = Literal["group", "invitation"]
# Who must post an object: the venue's meta invitation (signed by the venue), or OpenReview's root
# meta invitation (signed by the super user: what OpenReview support provisions for a new venue).
Via = Literal["venue", "root"]

FILE_REF_KEY = "$file"
RAW_SECTIONS = ("groups", "invitations")  # the stage names of raw objects (written as OpenReview JSON)


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists and scalars), several times faster than
    ``copy.deepcopy``, which the stages call for every template they start from."""
    if isinstance(value, dict):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    return value


def file_ref(package_path: str) -> dict[str, str]:
    """A placeholder for a script or web page shipped with openreview-py (e.g.
    ``venue/process/review_process.py``), which OpenReview's builder posts verbatim. The compiler
    stays pure by naming the file; whoever posts the object reads it from the installed package."""
    return {FILE_REF_KEY: f"openreview-py:{package_path}"}


def is_file_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {FILE_REF_KEY}


@dataclass(frozen=True)
class DesiredObject:
    kind: Kind
    id: str
    body: dict[str, Any]
    source: Location | None = None
    via: Via = "venue"
    replacement: bool = False
    stage: str | None = None  # the venue-file section that produced it (for plans and messages)
    # Only ensure the listed members are present (for groups the venue does not own, such as
    # OpenReview's ``venues`` registry): never remove members, never touch other fields.
    members_only: bool = False
    path: tuple[str | int, ...] = ()  # where in the venue file it was written (for located messages)
    # dotted field paths the file leaves to people (``lifecycle.ignore_changes``): planned only at creation
    ignored: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.stage:
            out["stage"] = self.stage
        out["via"] = self.via
        if self.replacement:
            out["replacement"] = True
        if self.members_only:
            out["members_only"] = True
        if self.ignored:
            out["ignored"] = list(self.ignored)
        if self.source is not None:
            out["source"] = str(self.source)
        out[self.kind] = self.body
        return out


@dataclass(frozen=True)
class DesiredState:
    venue_id: str
    objects: tuple[DesiredObject, ...] = field(default=())

    def __iter__(self) -> Iterator[DesiredObject]:
        return iter(self.objects)

    def get(self, kind: Kind, object_id: str) -> DesiredObject | None:
        for obj in self.objects:
            if obj.kind == kind and obj.id == object_id:
                return obj
        return None

    def ids(self, kind: Kind) -> list[str]:
        return [o.id for o in self.objects if o.kind == kind]

    def to_json(self) -> dict[str, Any]:
        return {"format_version": 1, "venue": self.venue_id, "objects": [o.to_json() for o in self.objects]}

    def dumps(self) -> str:
        """Canonical JSON text: byte-identical for the same input."""
        return json.dumps(self.to_json(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
