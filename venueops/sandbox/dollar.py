"""Dollar-sign notation: ``${N/path}`` references inside invitation templates (notes/api-v2.md §4.4).

A reference copies a value from the posted edit (after constants are filled in) into the place where
the reference stands. ``N`` counts containers outward from the string: the object or array that
directly holds the string is 1, the one holding that is 2, and so on; ``path`` then walks down from
there by keys (``*`` maps over an array).

Substitution:
- a string that is exactly one reference takes the value with its type; an array value standing
  in an array is spliced in; a missing value removes the element or key;
- a reference inside longer text is interpolated as text (a missing one is left as written, so the
  result fails id validation loudly instead of silently producing a wrong id).

Deferral: when an edit creates an invitation, that invitation's own template (``edit``, ``edge``,
``tag``, ``message``) is stored for later use. References inside it whose target container lies
inside that template are kept verbatim and resolved when the new invitation is used; references
that reach outside it (to the edit being posted) are resolved now.

Extension used by openreview-py: ``${{N/path}/field}`` resolves the inner reference to an id, loads
that note and reads ``field`` from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_SIMPLE = r"\$\{(\d+)/([^{}]*)\}"
_NESTED = r"\$\{\{(\d+)/([^{}]*)\}/([^{}]*)\}"
_REFERENCE_RE = re.compile(f"{_NESTED}|{_SIMPLE}")
_WHOLE_RE = re.compile(f"^(?:{_NESTED}|{_SIMPLE})$")

# Fields holding code or UI text: never scanned for references.
_OPAQUE_KEYS = frozenset({"web", "process", "preprocess", "dateprocesses", "postprocesses"})
# Keys of an invitation that hold the template of that invitation (deferred scope).
TEMPLATE_KEYS = ("edit", "edge", "tag", "message")

_MISSING = object()

EntityLookup = Callable[[str], dict[str, Any] | None]


def has_reference(value: str) -> bool:
    return "${" in value and _REFERENCE_RE.search(value) is not None


def resolve(edit: dict[str, Any], lookup: EntityLookup | None = None) -> dict[str, Any]:
    """Resolve every reference in ``edit`` that is not deferred; returns a new object."""
    resolver = _Resolver(lookup)
    result = resolver.walk_dict(edit, [], boundary=None, invitation_depth=None)
    return result


class _Resolver:
    def __init__(self, lookup: EntityLookup | None) -> None:
        self.lookup = lookup

    def walk_dict(
        self,
        node: dict[str, Any],
        chain: list[Any],
        boundary: int | None,
        invitation_depth: int | None,
    ) -> dict[str, Any]:
        chain = [*chain, node]
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _OPAQUE_KEYS:
                out[key] = value
                continue
            child_boundary = boundary
            child_invitation_depth = None
            if boundary is None and invitation_depth is not None and key in TEMPLATE_KEYS:
                # Entering the template of the invitation this edit creates: deferred scope.
                child_boundary = len(chain)
            if boundary is None and key == "invitation" and isinstance(value, dict) and len(chain) == 1:
                child_invitation_depth = len(chain)
            resolved = self.walk_value(value, chain, child_boundary, child_invitation_depth)
            if resolved is not _MISSING:
                out[key] = resolved
        return out

    def walk_value(
        self, value: Any, chain: list[Any], boundary: int | None, invitation_depth: int | None
    ) -> Any:
        if isinstance(value, dict):
            return self.walk_dict(value, chain, boundary, invitation_depth)
        if isinstance(value, list):
            return self.walk_list(value, chain, boundary)
        if isinstance(value, str) and "${" in value:
            return self.substitute(value, chain, boundary, in_array=False)
        return value

    def walk_list(self, node: list[Any], chain: list[Any], boundary: int | None) -> list[Any]:
        chain = [*chain, node]
        out: list[Any] = []
        for item in node:
            if isinstance(item, str) and "${" in item:
                resolved = self.substitute(item, chain, boundary, in_array=True)
                if resolved is _MISSING:
                    continue
                if isinstance(resolved, _Splice):
                    out.extend(resolved.items)
                else:
                    out.append(resolved)
            else:
                out.append(self.walk_value(item, chain, boundary, None))
        return out

    def substitute(self, text: str, chain: list[Any], boundary: int | None, *, in_array: bool) -> Any:
        whole = _WHOLE_RE.match(text)
        if whole is not None:
            if self.deferred(whole, chain, boundary):
                return text
            value = self.value_of(whole, chain)
            if value is _MISSING or value is None:
                return _MISSING
            if in_array and isinstance(value, list):
                return _Splice(value)
            return value

        def replace(match: re.Match[str]) -> str:
            if self.deferred(match, chain, boundary):
                return match.group(0)
            value = self.value_of(match, chain)
            if value is _MISSING or value is None:
                return match.group(0)
            if isinstance(value, list):
                return ",".join(str(v) for v in value)
            return str(value)

        return _REFERENCE_RE.sub(replace, text)

    @staticmethod
    def level(match: re.Match[str]) -> int:
        return int(match.group(1) if match.group(1) is not None else match.group(4))

    def deferred(self, match: re.Match[str], chain: list[Any], boundary: int | None) -> bool:
        if boundary is None:
            return False
        target_index = len(chain) - self.level(match)
        return target_index >= boundary

    def value_of(self, match: re.Match[str], chain: list[Any]) -> Any:
        level = self.level(match)
        if level < 1 or level > len(chain):
            return _MISSING
        start = chain[len(chain) - level]
        if match.group(1) is not None:  # ${{N/path}/field}
            inner = follow(start, match.group(2))
            if not isinstance(inner, str) or self.lookup is None:
                return _MISSING
            entity = self.lookup(inner)
            if entity is None:
                return _MISSING
            return follow(entity, match.group(3))
        return follow(start, match.group(5))


class _Splice:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def follow(node: Any, path: str) -> Any:
    """Walk ``path`` (``a/b/0``, ``*`` maps over arrays) from ``node``; ``_MISSING`` when absent."""
    current = node
    parts = [p for p in path.split("/") if p != ""]
    for index, part in enumerate(parts):
        if isinstance(current, list):
            if part == "*":
                rest = "/".join(parts[index + 1 :])
                mapped = [follow(item, rest) if rest else item for item in current]
                return [m for m in mapped if m is not _MISSING]
            if part.isdigit() and int(part) < len(current):
                current = current[int(part)]
                continue
            return _MISSING
        if isinstance(current, dict) and part in current:
            current = current[part]
            continue
        return _MISSING
    return current


def is_missing(value: Any) -> bool:
    return value is _MISSING
