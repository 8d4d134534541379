"""``overrides:``: fields of stage-made objects set or removed as written, after the stages compile.

A path is dotted, as plans show fields (``edit.invitation.process``, ``content.start_date.value``);
every part but the last names a mapping key (lists are values, replaced whole, as OpenReview's
edits replace them). ``set`` creates the mappings a path goes through; ``unset`` removes a key that
must be there. An override naming no compiled object, a raw object (write the raw object as it
should be instead), a registry membership, or a path through a non-mapping is an error at its line:
a typo must not leave the object as the stages made it without a word.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from venueops.compile.model import DesiredObject
from venueops.config.validate import VenueConfig
from venueops.diagnostics import Diagnostic

RAW_SECTIONS = ("groups", "invitations")


def object_id_of(venue_id: str, written: str) -> str:
    """An id as written in ``overrides`` or ``lifecycle``: '/…' is relative to the venue id."""
    return venue_id + written if written.startswith("/") else written


def with_overrides(config: VenueConfig, objects: list[DesiredObject]) -> tuple[list[DesiredObject], list[Diagnostic]]:
    """``objects`` with each override applied to the object it names (a copy of its body)."""
    venue_id = config.spec.venue.id
    index_of = {o.id: i for i, o in enumerate(objects) if not o.members_only}
    out = list(objects)
    problems: list[Diagnostic] = []
    for number, override in enumerate(config.spec.overrides):
        where = ("overrides", number)
        object_id = object_id_of(venue_id, override.object)
        position = index_of.get(object_id)
        if position is None:
            problems.append(Diagnostic(f"overrides: {object_id} is not an object the stages of this venue make",
                                       config.source.locate((*where, "object"))))
            continue
        target = out[position]
        if target.stage in RAW_SECTIONS:
            problems.append(Diagnostic(f"overrides: {object_id} is a raw object of this file: write the value in "
                                       "its entry instead", config.source.locate((*where, "object"))))
            continue
        body = copy.deepcopy(target.body)
        for path, value in override.set.items():
            problem = _set(body, path.split("."), value)
            if problem:
                problems.append(Diagnostic(f"overrides: {object_id} {path}: {problem}",
                                           config.source.locate((*where, "set", path), key=True)))
        for index, path in enumerate(override.unset):
            problem = _unset(body, path.split("."))
            if problem:
                problems.append(Diagnostic(f"overrides: {object_id} {path}: {problem}",
                                           config.source.locate((*where, "unset", index))))
        out[position] = replace(target, body=body)
    return out, problems


def _set(body: dict[str, Any], parts: list[str], value: Any) -> str | None:
    node: Any = body
    for depth, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            return f"{'.'.join(parts[:depth + 1])} is not a mapping, so nothing lies under it"
        node = child
    node[parts[-1]] = copy.deepcopy(value)
    return None


def _unset(body: dict[str, Any], parts: list[str]) -> str | None:
    node: Any = body
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict) or parts[-1] not in node:
        return "the compiled object has no such field"
    del node[parts[-1]]
    return None
