"""What a caller sees of a stored object.

Stored documents can carry more than a given caller may see: content fields with their own
``readers``, the ``tauthor`` of an edit (shown to its writers only), and internal markers. These
functions build new dicts (stored documents are shared through caches and never mutated).
"""

from __future__ import annotations

from typing import Any

from venueops.sandbox.access import Access, Caller

INTERNAL_KEYS = frozenset({"anonymousOf"})


def group_view(access: Access, caller: Caller, group: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in group.items() if k not in INTERNAL_KEYS}
    if "content" in out:
        out["content"] = access.visible_content(caller, out["content"])
    return out


def invitation_view(access: Access, caller: Caller, invitation: dict[str, Any]) -> dict[str, Any]:
    out = dict(invitation)
    if "content" in out:
        out["content"] = access.visible_content(caller, out["content"])
    return out


def note_view(access: Access, caller: Caller, note: dict[str, Any]) -> dict[str, Any]:
    out = dict(note)
    if "content" in out:
        out["content"] = access.visible_content(caller, out["content"])
    return out


def edit_view(access: Access, caller: Caller, edit: dict[str, Any], kind: str) -> dict[str, Any]:
    out = dict(edit)
    if not access.can_write(caller, edit):
        out.pop("tauthor", None)
    inner = out.get(kind)
    if isinstance(inner, dict):
        if kind == "group":
            out[kind] = group_view(access, caller, inner)
        elif isinstance(inner.get("content"), dict):
            out[kind] = {**inner, "content": access.visible_content(caller, inner["content"])}
    return out


def edge_view(access: Access, caller: Caller, edge: dict[str, Any]) -> dict[str, Any]:
    out = dict(edge)
    if not access.can_write(caller, edge):
        out.pop("tauthor", None)
    return out


def select_fields(obj: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    """Keep only the selected fields (dotted paths such as ``content.title``); ``id`` always stays."""
    if not select:
        return obj
    out: dict[str, Any] = {}
    if "id" in obj:
        out["id"] = obj["id"]
    for path in select:
        parts = path.split(".")
        source: Any = obj
        for part in parts:
            if not isinstance(source, dict) or part not in source:
                source = _NOTHING
                break
            source = source[part]
        if source is _NOTHING:
            continue
        target = out
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = source
    return out


_NOTHING = object()
