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

A referenced value may itself hold references (``edit.readers: ["${2/note/readers}"]`` where the
note's readers contain ``${3/signatures}``): values are resolved in their own position first, so
the copy is the resolved value. The exception is the edit's ``content``: those values are what
the poster typed, and references written in them are kept and copied as written (openreview-py edits
form fields that way, and the references take effect in the invitation they land in).

Deferral: when an edit creates an invitation, that invitation's own template (``edit``, ``edge``,
``tag``, ``message``) is stored for later use. References inside it whose target container lies
inside that template are kept verbatim and resolved when the new invitation is used; references
that reach outside it (to the edit being posted) are resolved now.

Arithmetic: a string that is one reference followed by whole-number offsets
(``"${2/content/due_date/value}+1800000"``, as openreview-py's workflow templates write an expdate
30 minutes after a due date) takes the referenced number plus the offsets, as a number. The sources
do not describe this; openreview-py relies on it, so the sandbox supports exactly this form (a
reference that is not a number leaves the text interpolated as usual).

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
_OFFSET_RE = re.compile(r"\s*([+-])\s*(\d{1,16})")
_WHOLE_WITH_OFFSETS_RE = re.compile(f"^(?:{_NESTED}|{_SIMPLE})((?:{_OFFSET_RE.pattern})+)\\s*$")

# Fields holding code or UI text: never scanned for references.
_OPAQUE_KEYS = frozenset({"web", "process", "preprocess", "dateprocesses", "postprocesses"})
# Keys of an invitation that hold the template of that invitation (deferred scope).
TEMPLATE_KEYS = ("edit", "edge", "tag", "message")

_MISSING: Any = object()

Path = tuple[Any, ...]
EntityLookup = Callable[[str], dict[str, Any] | None]


def has_reference(value: str) -> bool:
    return "${" in value and _REFERENCE_RE.search(value) is not None


def resolve(edit: dict[str, Any], lookup: EntityLookup | None = None) -> dict[str, Any]:
    """Resolve every reference in ``edit`` that is not deferred; returns a new object."""
    boundaries: list[Path] = []
    invitation = edit.get("invitation")
    if isinstance(invitation, dict):
        boundaries = [("invitation", key) for key in TEMPLATE_KEYS if key in invitation]
    result = _Resolver(edit, lookup, boundaries).resolved(())
    return result if isinstance(result, dict) else {}


class _Splice:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


class _Resolver:
    def __init__(self, root: dict[str, Any], lookup: EntityLookup | None, boundaries: list[Path]) -> None:
        self.root = root
        self.lookup = lookup
        self.boundaries = boundaries
        self.memo: dict[Path, Any] = {}
        self.active: set[Path] = set()

    # -- tree walking --------------------------------------------------------------------------
    def raw(self, path: Path) -> Any:
        node: Any = self.root
        for step in path:
            in_dict = isinstance(node, dict) and step in node
            in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
            if in_dict or in_list:
                node = node[step]
            else:
                return _MISSING
        return node

    def resolved(self, path: Path, node: Any = _MISSING) -> Any:
        """The resolved value at ``path`` (raw coordinates; pass ``node`` when already at hand),
        memoised; cycles stay unresolved."""
        if path in self.memo:
            return self.memo[path]
        if node is _MISSING:
            node = self.raw(path)
        if not isinstance(node, (dict, list)) and not (isinstance(node, str) and "${" in node):
            return node
        if path in self.active:
            return node
        self.active.add(path)
        try:
            value = self.resolve_node(node, path)
        finally:
            self.active.discard(path)
        self.memo[path] = value
        return value

    def resolve_node(self, node: Any, path: Path) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key in _OPAQUE_KEYS or (not path and key == "content"):
                    out[key] = value
                    continue
                resolved = self.resolved((*path, key), value)
                if resolved is not _MISSING:
                    out[key] = resolved
            return out
        if isinstance(node, list):
            items: list[Any] = []
            for index, item in enumerate(node):
                if isinstance(item, str) and "${" in item:
                    resolved = self.substitute(item, (*path, index), in_array=True)
                    if resolved is _MISSING:
                        continue
                    if isinstance(resolved, _Splice):
                        items.extend(resolved.items)
                    else:
                        items.append(resolved)
                else:
                    items.append(self.resolved((*path, index), item))
            return items
        if isinstance(node, str) and "${" in node:
            return self.substitute(node, path, in_array=False)
        return node

    # -- references ----------------------------------------------------------------------------
    def substitute(self, text: str, path: Path, *, in_array: bool) -> Any:
        whole = _WHOLE_RE.match(text)
        if whole is not None:
            if self.deferred(whole, path):
                return text
            value = self.value_of(whole, path)
            if value is _MISSING or value is None:
                return _MISSING
            if in_array and isinstance(value, list):
                return _Splice(value)
            return value
        offset = _WHOLE_WITH_OFFSETS_RE.match(text)
        if offset is not None and not self.deferred(offset, path):
            value = self.value_of(offset, path)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                for sign, digits in _OFFSET_RE.findall(offset.group(6)):
                    value = value + int(digits) if sign == "+" else value - int(digits)
                return value

        def replace(match: re.Match[str]) -> str:
            if self.deferred(match, path):
                return match.group(0)
            value = self.value_of(match, path)
            if value is _MISSING or value is None:
                return match.group(0)
            if isinstance(value, list):
                return ",".join(str(v) for v in value)
            return str(value)

        return _REFERENCE_RE.sub(replace, text)

    @staticmethod
    def level(match: re.Match[str]) -> int:
        return int(match.group(1) if match.group(1) is not None else match.group(4))

    def target_base(self, match: re.Match[str], path: Path) -> Path | None:
        """Path of the container the reference counts up to (the string's own container is 1)."""
        depth = len(path) - self.level(match)
        return None if depth < 0 or self.level(match) < 1 else path[:depth]

    def deferred(self, match: re.Match[str], path: Path) -> bool:
        base = self.target_base(match, path)
        if base is None:
            return False
        for boundary in self.boundaries:
            inside = path[: len(boundary)] == boundary
            target_inside = base[: len(boundary)] == boundary and len(base) >= len(boundary)
            if inside and target_inside:
                return True
        return False

    def value_of(self, match: re.Match[str], path: Path) -> Any:
        base = self.target_base(match, path)
        if base is None:
            return _MISSING
        if match.group(1) is not None:  # ${{N/path}/field}
            inner = self.follow(base, match.group(2))
            if not isinstance(inner, str) or self.lookup is None:
                return _MISSING
            entity = self.lookup(inner)
            if entity is None:
                return _MISSING
            return follow(entity, match.group(3))
        return self.follow(base, match.group(5))

    def follow(self, base: Path, relative: str) -> Any:
        steps = [s for s in relative.split("/") if s != ""]
        current = base
        for index, step in enumerate(steps):
            node = self.raw(current)
            if isinstance(node, list):
                if step == "*":
                    rest = "/".join(steps[index + 1 :])
                    out = []
                    for item_index in range(len(node)):
                        value = self.follow((*current, item_index), rest) if rest else self.resolved(
                            (*current, item_index))
                        if value is not _MISSING:
                            out.append(value)
                    return out
                if step.isdigit():
                    current = (*current, int(step))
                    continue
                return _MISSING
            if isinstance(node, dict) and step in node:
                current = (*current, step)
                continue
            return _MISSING
        if current[:1] == ("content",):
            # The edit's own content values are what the poster typed, data not template: a
            # reference written inside one (a form field ``${{4/id}/content/authors/value}`` posted
            # through a Form_Fields invitation) is copied as written, for the invitation it lands in.
            return self.raw(current)
        return self.resolved(current)


def follow(node: Any, path: str) -> Any:
    """Walk ``path`` (``a/b/0``, ``*`` maps over arrays) in a plain value; ``_MISSING`` when absent."""
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
