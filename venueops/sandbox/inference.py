"""Inference: how a stream of edits becomes an entity (notes/api-v2.md §4.2).

An entity is the fold of its live edits in the order they were posted. Each edit carries a
partial object; folding it in follows these rules:

| edit value                          | effect on the entity                                       |
|-------------------------------------|------------------------------------------------------------|
| absent                              | field untouched                                            |
| ``{"delete": true}``                | field removed                                              |
| ``{"add"|"append"|"remove"|"replace": …}`` on an array | array changed in place (order kept) |
| any other value (top level)         | replaces the old value                                     |
| ``content`` (groups, notes)         | merged per key; inside a key ``value``/``readers`` replace independently |
| anything in an invitation           | dicts merge key by key at every depth; arrays and scalars replace |
| ``replacement: true`` on the edit   | the fold restarts from this edit                           |

Values are never mutated in place here or anywhere in the sandbox: results may share structure
with their inputs (and with cached documents), which is what makes folding cheap.

FIDELITY: the notes leave open whether note/group content *values* that are objects merge deeper;
we replace them (a ``json`` value is one value), which is what a form editor expects.
"""

from __future__ import annotations

from typing import Any

CHANGE_OPS = frozenset({"add", "append", "remove", "replace"})


def is_delete(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and value.get("delete") is True


def is_change(value: Any) -> bool:
    """An array change object: ``{"add": [...]}``, ``{"remove": [...], "add": [...]}``, ..."""
    return isinstance(value, dict) and bool(value) and set(value) <= CHANGE_OPS


def apply_change(old: Any, change: dict[str, Any]) -> list[Any]:
    """Apply an array change object to ``old`` (a list, or nothing).

    Order: ``remove`` first, then ``replace``, then ``add``/``append`` (so ``{"remove": ["b"],
    "add": ["c"]}`` on ``["a", "b"]`` gives ``["a", "c"]``). Added items already present are not
    duplicated; removing an absent item is not an error; a replace index outside the array
    appends (FIDELITY: sources silent).
    """
    result = list(old) if isinstance(old, list) else []
    removals = change.get("remove") or []
    if removals:
        drop = {_hashable(v) for v in removals}
        result = [v for v in result if _hashable(v) not in drop]
    replaces = change.get("replace")
    if replaces is not None:
        for item in replaces if isinstance(replaces, list) else [replaces]:
            index, value = item.get("index"), item.get("value")
            if isinstance(index, int) and 0 <= index < len(result):
                result[index] = value
            else:
                result.append(value)
    for op in ("add", "append"):
        for value in change.get(op) or []:
            if _hashable(value) not in {_hashable(v) for v in result}:
                result.append(value)
    return result


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


# Inside a template's ``param``, these specifiers hold values, not edit instructions: a
# ``{"param": {"const": {"delete": true}}}`` says the field must be deleted; it deletes nothing now.
LITERAL_PARAM_KEYS = frozenset({"const", "default", "enum", "items"})


def merge_deep(old: dict[str, Any], new: dict[str, Any], *, in_param: bool = False) -> dict[str, Any]:
    """Invitation rule: dicts merge at every depth, arrays and scalars replace."""
    out = dict(old)
    for key, value in new.items():
        if in_param and key in LITERAL_PARAM_KEYS:
            out[key] = value
        elif is_delete(value):
            out.pop(key, None)
        elif is_change(value) and (isinstance(out.get(key), list) or key not in out):
            out[key] = apply_change(out.get(key), value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_deep(out[key], value, in_param=key == "param")
        else:
            out[key] = value
    return out


def merge_content(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Group/note content rule: per key; inside a key each sub-key replaces independently."""
    out = dict(old)
    for key, field in new.items():
        if is_delete(field):
            out.pop(key, None)
            continue
        if not isinstance(field, dict):
            out[key] = field
            continue
        merged = dict(out.get(key) or {}) if isinstance(out.get(key), dict) else {}
        for sub, value in field.items():
            if is_delete(value):
                merged.pop(sub, None)
            elif is_change(value):
                merged[sub] = apply_change(merged.get(sub), value)
            else:
                merged[sub] = value
        if "value" not in merged and not any(k != "readers" for k in merged):
            # A field whose value was deleted is gone, whatever readers it had.
            out.pop(key, None)
        else:
            out[key] = merged
    return out


def merge_entity(old: dict[str, Any], new: dict[str, Any], *, deep: bool) -> dict[str, Any]:
    """Fold one edit's object into an entity (``deep`` for invitations)."""
    if deep:
        return merge_deep(old, new)
    out = dict(old)
    for key, value in new.items():
        if is_delete(value):
            out.pop(key, None)
        elif key == "content" and isinstance(value, dict):
            out["content"] = merge_content(out.get("content") or {}, value)
        elif is_change(value):
            out[key] = apply_change(out.get(key), value)
        else:
            out[key] = value
    return out


def fold(objects: list[tuple[dict[str, Any], bool]], *, deep: bool) -> dict[str, Any]:
    """Fold ``(object, replacement)`` pairs, oldest first, into one entity."""
    start = 0
    for index, (_, replacement) in enumerate(objects):
        if replacement:
            start = index
    entity: dict[str, Any] = {}
    for obj, _ in objects[start:]:
        entity = merge_entity(entity, obj, deep=deep)
    return entity
