"""JSON values as export reads them: walking paths, reading a path, comparing by items."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from venueops.plan.diff import same


class Missing:
    """What a path holds when it leads nowhere (``None`` is a JSON value)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = Missing()


def distance(before: Any, after: Any) -> int:
    """How many items two differing values differ by: lists as sets of items, mappings key by key."""
    if isinstance(before, list) and isinstance(after, list):
        have = [json.dumps(v, sort_keys=True) for v in before]
        want = [json.dumps(v, sort_keys=True) for v in after]
        return max(1, len(set(have) ^ set(want)) + (have != want and set(have) == set(want)))
    if isinstance(before, dict) and isinstance(after, dict):
        keys = set(before) | set(after)
        return max(1, sum(0 if same(before.get(k), after.get(k)) else distance(before.get(k), after.get(k))
                          for k in keys))
    return 1


def walk(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))


def value_at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        in_dict = isinstance(value, dict) and step in value
        if in_dict or (isinstance(value, list) and isinstance(step, int) and step < len(value)):
            value = value[step]
        else:
            return MISSING
    return value


def marker(value: Any) -> Any:
    """A hashable stand-in for a JSON value (bool kept apart from int)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(marker(v) for v in value))
    if isinstance(value, dict):
        return ("dict", id(value))
    return value


def plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def content_path(body: dict[str, Any]) -> tuple[Any, ...] | None:
    """Where a stage invitation's form fields are: the deepest ``note.content`` of its edit."""
    best = None
    for path, value in walk(body, ()):
        if len(path) >= 2 and path[-1] == "content" and path[-2] == "note" and isinstance(value, dict):
            best = path
    return best
