"""Checking a posted edit (or edge, or tag) against an invitation's template (notes/api-v2.md §4.3).

A template mirrors the object it admits. Walking both together:

| template node                 | meaning                                                           |
|-------------------------------|-------------------------------------------------------------------|
| ``{"param": {...}}``          | the caller supplies the value; the specifiers below check it      |
| any other dict                | an object: each key is walked; posted keys it lacks are refused   |
| string, number, bool, array   | a constant: filled in when omitted, refused when different        |

Inside an invitation that the edit creates, the new invitation's own template (``edit``, ``edge``,
``tag``, ``message``) is copied verbatim: its ``param`` nodes belong to that invitation's callers.

Specifiers: ``type`` (``string integer float boolean date json file group profile note domain``,
arrays with ``[]``, arrays of objects with ``{}`` or ``object[]`` + ``properties``), ``const``,
``enum`` (values or regexes, or ``{value, description}``), ``items`` (``value``/``prefix``/
``inGroup`` entries, each ``optional`` or required), ``regex`` (searched, as ajv does; ECMAScript
syntax, see ``regexes``),
``minLength``/``maxLength``, ``range``/``minimum``/``maximum``, ``optional``, ``deletable``,
``change`` (the array change operations allowed), ``withInvitation``, ``inGroup``/``notInGroup``,
``mismatchError``. ``default`` is a UI pre-fill and is not applied by the server (per the docs);
presentation specifiers (``order``, ``input``, ``markdown``, …) are ignored.

Constants holding ``${…}`` references can only be compared after resolution, so the walk returns
those comparisons for the caller to run once references are resolved (``check_constants``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from venueops.sandbox import dollar, regexes
from venueops.sandbox.errors import (
    ApiError,
    ItemsError,
    MissingRequiredError,
    NotFoundError,
    NotMatchError,
    ValidationError,
    combine,
)
from venueops.sandbox.inference import CHANGE_OPS, is_change, is_delete

MAX_DATE = 9_999_999_999_999
FIELD_PRESENTATION_KEYS = frozenset({"description", "order"})
# FIDELITY: ``content`` (a content object, openreview-py's workflow invitations) and ``script`` (a
# string of code, the venue ``web`` field) are types openreview-py uses; the docs do not list them.
_SCALAR_TYPES = {"string", "integer", "float", "boolean", "date", "json", "file", "group", "profile", "note",
                 "domain", "tag", "edge", "edit", "object", "content", "script"}
_ID_TYPES = {"group", "profile", "note", "domain", "tag", "edge", "edit"}


class TemplateContext(Protocol):
    """What template checks need to know about the world (answered by the backend)."""

    def profile_exists(self, profile_id: str) -> bool: ...

    def is_member(self, member: str, group_id: str) -> bool: ...

    def has_invitation(self, object_id: str, invitation_id: str) -> bool: ...

    def find_note(self, note_id: str) -> dict[str, Any] | None: ...


@dataclass
class ConstantCheck:
    """A posted value to compare with a constant once ``${…}`` references are resolved."""

    path: list[str]
    posted: Any


@dataclass
class CheckResult:
    filled: dict[str, Any]
    constant_checks: list[ConstantCheck] = field(default_factory=list)


def is_param(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("param"), dict) and len(node) == 1


def check_object(
    template: dict[str, Any],
    posted: dict[str, Any],
    ctx: TemplateContext,
    *,
    root_path: str = "",
    allowed_extra: frozenset[str] = frozenset(),
    creates_invitation: bool = False,
) -> CheckResult:
    """Check ``posted`` against ``template``; return the object with constants filled in.

    ``allowed_extra`` names top-level keys that are not template-controlled (``invitation``, the
    edit ``id``); ``creates_invitation`` marks an invitation edit, whose ``invitation`` object
    holds a nested template to copy verbatim. Raises the first error (all of them under ``errors``
    when there are several).
    """
    walker = _Walker(ctx, creates_invitation)
    filled = walker.walk_object(template, posted, [], root_path, allowed_extra, top=True)
    if walker.errors:
        raise combine(walker.errors)
    return CheckResult(filled=filled or {}, constant_checks=walker.constant_checks)


def check_constants(resolved: dict[str, Any], checks: list[ConstantCheck], root_path: str = "") -> None:
    """After resolution: every posted value that stood where a constant is must equal it.

    An array equals its constant when it holds the same elements in any order, and then the
    posted order is kept: openreview-py locks a revision's authors with a constant
    ``['${{4/id}/content/authors/value}']`` and expects authors to reorder them, not drop one
    (``test_full_submission_authors_lock.py``)."""
    for check in checks:
        value = dollar.follow(resolved, "/".join(check.path))
        expected = None if dollar.is_missing(value) else value
        if isinstance(check.posted, list) and isinstance(expected, list) and check.posted != expected \
                and _same(check.posted, expected):
            _put(resolved, check.path, check.posted)
            continue
        if not _same(check.posted, expected):
            path = _join(root_path, "/".join(check.path))
            raise NotMatchError(
                f"{_label(path)} must be equal to {_short(expected)}",
                path=path,
                invalid_value=check.posted,
                has_invalid_value=True,
            )


def _put(resolved: dict[str, Any], path: list[str], value: Any) -> None:
    node: Any = resolved
    for step in path[:-1]:
        node = node[int(step)] if isinstance(node, list) else node[step]
    if isinstance(node, list):
        node[int(path[-1])] = value
    else:
        node[path[-1]] = value


def _same(posted: Any, expected: Any) -> bool:
    if posted == expected:
        return True
    return isinstance(posted, list) and isinstance(expected, list) and sorted(map(str, posted)) == sorted(
        map(str, expected)
    )


class _Walker:
    def __init__(self, ctx: TemplateContext, creates_invitation: bool) -> None:
        self.ctx = ctx
        self.creates_invitation = creates_invitation
        self.errors: list[ApiError] = []
        self.constant_checks: list[ConstantCheck] = []
        self.posted_chain: list[dict[str, Any]] = []  # the posted objects from the root to the current one

    def resolve_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Resolve ``${N/path}`` inside a param's specifiers against the posted object.

        FIDELITY: openreview-py's bid template signs with ``items: [{value: '${3/tail}'}]``: counting
        from the string, the item is 1, the ``items`` array 2, and 3 is the object holding the field
        (the edge). So containers inside the specifiers count, ``param`` and the field name do not.
        """
        if not _contains_reference(spec):
            return spec

        def walk(node: Any, depth: int) -> Any:
            if isinstance(node, dict):
                return {k: walk(v, depth + 1) if isinstance(v, dict | list) else text(v, depth + 1)
                        for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v, depth + 1) if isinstance(v, dict | list) else text(v, depth + 1) for v in node]
            return node

        def text(value: Any, depth: int) -> Any:
            if not isinstance(value, str) or "${" not in value:
                return value
            match = _WHOLE_REFERENCE.match(value)
            if match is None:
                return value
            level, relative = int(match.group(1)), match.group(2)
            outward = level - depth
            if outward < 1 or outward > len(self.posted_chain):
                return value
            found = dollar.follow(self.posted_chain[-outward], relative)
            return value if dollar.is_missing(found) else found

        return {k: walk(v, 0) if isinstance(v, dict | list) else text(v, 0) for k, v in spec.items()}

    # -- objects -------------------------------------------------------------------------------
    def walk_object(
        self,
        template: dict[str, Any],
        posted: Any,
        keys: list[str],
        root_path: str,
        allowed_extra: frozenset[str] = frozenset(),
        *,
        top: bool = False,
    ) -> dict[str, Any] | None:
        path = _join(root_path, "/".join(keys))
        is_field = len(keys) >= 2 and keys[-2] == "content"
        if is_field:
            # A content field's ``description`` and ``order`` describe the form, not the value.
            template = {k: v for k, v in template.items() if k not in FIELD_PRESENTATION_KEYS}
            if is_delete(posted):
                value_node = template.get("value")
                if is_param(value_node) and value_node["param"].get("deletable") is True:
                    return dict(posted)
                self.errors.append(ValidationError(f"{_label(path)} is not deletable", path=path,
                                                   invalid_value=posted, has_invalid_value=True))
                return None
        if posted is None:
            posted = {}
            was_absent = True
        else:
            was_absent = False
        if not isinstance(posted, dict):
            self.errors.append(
                ValidationError(f"{_label(path)} must be object", path=path, invalid_value=posted,
                                has_invalid_value=True)
            )
            return None
        if is_delete(posted) and "delete" not in template:
            self.errors.append(
                ValidationError(f"{_label(path)} is not deletable", path=path, invalid_value=posted,
                                has_invalid_value=True)
            )
            return None
        self.posted_chain.append(posted)
        try:
            return self._walk_fields(template, posted, keys, root_path, allowed_extra, path, is_field, was_absent, top)
        finally:
            self.posted_chain.pop()

    def _walk_fields(self, template: dict[str, Any], posted: dict[str, Any], keys: list[str], root_path: str,
                     allowed_extra: frozenset[str], path: str, is_field: bool, was_absent: bool,
                     top: bool) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        for key in posted:
            if key not in template and key not in allowed_extra:
                self.errors.append(
                    ValidationError(f"The property {key} must NOT be present", path=_join(path, key))
                )
        for key, node in template.items():
            child_keys = [*keys, key]
            present = key in posted
            value = posted.get(key)
            if self.creates_invitation and len(keys) == 1 and keys[0] == "invitation" and key in dollar.TEMPLATE_KEYS:
                # The template of the invitation being created: a verbatim constant.
                self.constant(node, present, value, child_keys, out, key)
                continue
            if is_param(node):
                result = self.param(self.resolve_spec(node["param"]), present, value, child_keys, root_path)
                if result is not _ABSENT:
                    out[key] = result
            elif isinstance(node, dict):
                field_level = bool(keys) and keys[-1] == "content"
                if present and is_delete(value) and not is_delete(node) and not field_level:
                    self.errors.append(
                        ValidationError(f"{_label(_join(root_path, '/'.join(child_keys)))} is not deletable",
                                        path=_join(root_path, "/".join(child_keys)), invalid_value=value,
                                        has_invalid_value=True)
                    )
                    continue
                sub = self.walk_object(node, value if present else None, child_keys, root_path)
                if sub is not None and (present or sub):
                    out[key] = sub
            else:
                self.constant(node, present, value, child_keys, out, key)
        for key in allowed_extra:
            if key in posted:
                out[key] = posted[key]
        # An input field the edit leaves out stays out (its readers constant would otherwise create
        # a valueless field); a field template with no value (only readers) applies to the note as is.
        if was_absent and not top and (not out or (is_field and "value" not in out and "value" in template)):
            return {}
        return out

    def constant(self, node: Any, present: bool, value: Any, keys: list[str], out: dict[str, Any], key: str) -> None:
        # Shared, not copied: nothing downstream mutates values in place (see inference.py).
        out[key] = node
        if present:
            self.constant_checks.append(ConstantCheck(path=keys, posted=value))

    # -- params --------------------------------------------------------------------------------
    def param(self, spec: dict[str, Any], present: bool, value: Any, keys: list[str], root_path: str) -> Any:
        path = _join(root_path, "/".join(keys))
        optional = bool(spec.get("optional")) or (spec.get("deletable") is True and "optional" not in spec)
        if "const" in spec:
            const = spec["const"]
            if not present or value is None:
                return const
            if is_delete(const) and is_delete(value):
                return value
            if value != const:
                self.errors.append(
                    NotMatchError(
                        spec.get("mismatchError") or f"{_label(path)} must be equal to {_short(const)}",
                        path=path, invalid_value=value, has_invalid_value=True,
                    )
                )
                return _ABSENT
            return value
        if not present or value is None:
            if optional:
                return _ABSENT
            self.errors.append(
                MissingRequiredError(f"The field {_label(path)} cannot be empty or missing", path=path)
            )
            return _ABSENT
        if is_delete(value):
            if spec.get("deletable") is True:
                return value
            self.errors.append(
                ValidationError(f"{_label(path)} is not deletable", path=path, invalid_value=value,
                                has_invalid_value=True)
            )
            return _ABSENT
        type_name = spec.get("type")
        is_array = isinstance(type_name, str) and (type_name.endswith("[]") or type_name.endswith("{}"))
        if is_change(value):
            allowed = spec.get("change")
            ops = set(value)
            allowed_ops = set(allowed if isinstance(allowed, list) else [allowed]) if allowed else set(CHANGE_OPS)
            if "add" in allowed_ops or "append" in allowed_ops:
                allowed_ops |= {"add", "append"}
            if not ops <= allowed_ops:
                self.errors.append(
                    ValidationError(f"{_label(path)} must use the change operation {sorted(allowed_ops)}",
                                    path=path, invalid_value=value, has_invalid_value=True)
                )
                return _ABSENT
            for op in ("add", "append", "remove"):
                items = value.get(op)
                if items is None:
                    continue
                if not isinstance(items, list):
                    self.errors.append(ValidationError(f"{_label(path)}/{op} must be array", path=path))
                    continue
                for index, item in enumerate(items):
                    self.check_scalar(spec, item, f"{path}/{op}/{index}", element=True)
            return value
        if is_array or (type_name is None and isinstance(value, list)):
            if not isinstance(value, list):
                self.errors.append(
                    ValidationError(f"{_label(path)} must be array", path=path, invalid_value=value,
                                    has_invalid_value=True)
                )
                return _ABSENT
            errors_before = len(self.errors)
            # ``author{}``/``object{}`` with ``properties``: an array of objects; ``profile{}`` without
            # properties (openreview-py's default authorids field): an array of profile ids or e-mails.
            if "properties" in spec or type_name in ("object[]", "object{}"):
                value = self.object_array(spec, value, path)
            else:
                for index, item in enumerate(value):
                    self.check_scalar(spec, item, f"{path}/{index}", element=True)
            self.check_items(spec, value, path)
            self.check_array_bounds(spec, value, path)
            if len(self.errors) > errors_before:
                return _ABSENT
            return value
        errors_before = len(self.errors)
        self.check_scalar(spec, value, path, element=False)
        if len(self.errors) > errors_before:
            return _ABSENT
        return value

    def object_array(self, spec: dict[str, Any], value: list[Any], path: str) -> list[Any]:
        # FIDELITY: the properties of an object array's items may be left out unless a property says
        # ``optional: false``; values that are given are checked. openreview-py's own tests post
        # authors whose ``institutions`` lack the ``name`` property its default form declares
        # (stages/default_content.py), and OpenReview takes them.
        properties = {key: _optional_unless_stated(node) for key, node in (spec.get("properties") or {}).items()}
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.errors.append(ValidationError(f"{_label(path)}/{index} must be object", path=f"{path}/{index}"))
                continue
            sub = self.walk_object(properties, item, [str(index)], path) if properties else item
            out.append(sub if sub is not None else item)
        return out

    def check_array_bounds(self, spec: dict[str, Any], value: list[Any], path: str) -> None:
        # FIDELITY: on arrays, minLength/maxLength bound each element (checked per element below);
        # minItems/maxItems, when given, bound the array itself.
        if "minItems" in spec and len(value) < int(spec["minItems"]):
            self.errors.append(ValidationError(f"{_label(path)} must NOT have fewer than {spec['minItems']} items",
                                               path=path))
        if "maxItems" in spec and len(value) > int(spec["maxItems"]):
            self.errors.append(ValidationError(f"{_label(path)} must NOT have more than {spec['maxItems']} items",
                                               path=path))

    def check_scalar(self, spec: dict[str, Any], value: Any, path: str, *, element: bool) -> None:
        type_name = spec.get("type")
        is_array_type = isinstance(type_name, str) and type_name.endswith(("[]", "{}"))
        base = type_name[:-2] if is_array_type else type_name
        if not element and isinstance(type_name, str) and (type_name.endswith("[]") or type_name.endswith("{}")):
            self.errors.append(ValidationError(f"{_label(path)} must be array", path=path, invalid_value=value,
                                               has_invalid_value=True))
            return
        if base is not None and base not in _SCALAR_TYPES:
            self.errors.append(ValidationError(f"{_label(path)} has an unknown type {type_name}", path=path))
            return
        if base is not None and not _type_ok(base, value):
            self.errors.append(
                ValidationError(
                    spec.get("mismatchError") or f"{_label(path)} must be {_type_word(base)}",
                    path=path, invalid_value=value, has_invalid_value=True,
                )
            )
            return
        is_tilde = isinstance(value, str) and value.startswith("~") and value != "~"
        if base in ("profile", "group") and is_tilde and not self.ctx.profile_exists(value):
            self.errors.append(NotFoundError(f"Profile Not Found: {value}", path=path, invalid_value=value,
                                             has_invalid_value=True))
            return
        if isinstance(value, str):
            self.check_string(spec, value, path)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.check_number(spec, value, path, base)
        if "enum" in spec:
            self.check_enum(spec, value, path)
        if isinstance(value, str):
            self.check_references(spec, value, path)

    def check_string(self, spec: dict[str, Any], value: str, path: str) -> None:
        pattern = spec.get("regex")
        if isinstance(pattern, str) and not dollar.has_reference(pattern):
            compiled = regexes.searcher(pattern)
            if compiled is None:
                self.errors.append(ValidationError(f"The regex {pattern} of {_label(path)} is not valid", path=path))
            elif compiled.find(value) is None:
                self.errors.append(
                    ValidationError(
                        spec.get("mismatchError") or f'{_label(path)} must match pattern "{pattern}"',
                        path=path, invalid_value=value, has_invalid_value=True,
                    )
                )
                return
        if "minLength" in spec and len(value) < int(spec["minLength"]):
            self.errors.append(ValidationError(
                spec.get("mismatchError") or f"{_label(path)} must NOT have fewer than {spec['minLength']} characters",
                path=path, invalid_value=value, has_invalid_value=True))
        if "maxLength" in spec and len(value) > int(spec["maxLength"]):
            self.errors.append(ValidationError(
                spec.get("mismatchError") or f"{_label(path)} must NOT have more than {spec['maxLength']} characters",
                path=path, invalid_value=value, has_invalid_value=True))

    def check_number(self, spec: dict[str, Any], value: float, path: str, base: str | None) -> None:
        low, high = None, None
        if isinstance(spec.get("range"), list) and len(spec["range"]) == 2:
            low, high = spec["range"]
        if "minimum" in spec:
            low = spec["minimum"]
        if "maximum" in spec:
            high = spec["maximum"]
        if base == "date" and high is None:
            low, high = (0 if low is None else low), MAX_DATE
        if low is not None and value < low:
            self.errors.append(ValidationError(f"{_label(path)} must be >= {low}", path=path, invalid_value=value,
                                               has_invalid_value=True))
        if high is not None and value > high:
            self.errors.append(ValidationError(f"{_label(path)} must be <= {high}", path=path, invalid_value=value,
                                               has_invalid_value=True))

    def check_enum(self, spec: dict[str, Any], value: Any, path: str) -> None:
        options = spec["enum"]
        if not isinstance(options, list):
            return
        for option in options:
            candidate = option.get("value") if isinstance(option, dict) and "value" in option else option
            if candidate == value:
                return
            if isinstance(candidate, str) and isinstance(value, str) and _looks_like_regex(candidate):
                compiled = regexes.whole(candidate)
                if compiled is not None and compiled.find(value) is not None:
                    return
        self.errors.append(
            ValidationError(
                spec.get("mismatchError") or f"{_label(path)} must be equal to one of the allowed values",
                path=path, invalid_value=value, has_invalid_value=True,
            )
        )

    def check_items(self, spec: dict[str, Any], values: list[Any], path: str) -> None:
        items = spec.get("items")
        if not isinstance(items, list):
            return
        for index, value in enumerate(values):
            if not any(self.item_matches(item, value) for item in items if isinstance(item, dict)):
                self.errors.append(
                    ItemsError(
                        spec.get("mismatchError") or f"{_label(path)}/{index} must match one of the items",
                        path=f"{path}/{index}", invalid_value=value, has_invalid_value=True,
                    )
                )
        for item in items:
            if not isinstance(item, dict) or item.get("optional") is True:
                continue
            if not any(self.item_matches(item, value) for value in values):
                wanted = item.get("value") or item.get("prefix") or item.get("inGroup")
                self.errors.append(
                    ItemsError(f"{_label(path)} must contain {wanted}", path=path, invalid_value=values,
                               has_invalid_value=True)
                )

    def item_matches(self, item: dict[str, Any], value: Any) -> bool:
        if "value" in item:
            return bool(item["value"] == value)
        if "prefix" in item and isinstance(value, str) and isinstance(item["prefix"], str):
            compiled = regexes.at_start(item["prefix"])
            return compiled is not None and compiled.find(value) is not None
        if "inGroup" in item and isinstance(value, str) and isinstance(item["inGroup"], str):
            return self.ctx.is_member(value, item["inGroup"])
        return False

    def check_references(self, spec: dict[str, Any], value: str, path: str) -> None:
        with_invitation = spec.get("withInvitation")
        if with_invitation:
            wanted = with_invitation if isinstance(with_invitation, list) else [with_invitation]
            if not any(isinstance(w, str) and self.ctx.has_invitation(value, w) for w in wanted):
                self.errors.append(
                    ValidationError(
                        spec.get("mismatchError") or f"{_label(path)} {value} must have the invitation {wanted[0]}",
                        path=path, invalid_value=value, has_invalid_value=True,
                    )
                )
        self.check_note_constraints(spec, value, path)
        in_group = spec.get("inGroup")
        if isinstance(in_group, str) and not self.ctx.is_member(value, in_group):
            self.errors.append(
                ValidationError(spec.get("mismatchError") or f'{_label(path)} "{value}" is not member of {in_group}',
                                path=path, invalid_value=value, has_invalid_value=True)
            )
        not_in_group = spec.get("notInGroup")
        if isinstance(not_in_group, str) and self.ctx.is_member(value, not_in_group):
            self.errors.append(
                ValidationError(spec.get("mismatchError") or f'{_label(path)} "{value}" is member of {not_in_group}',
                                path=path, invalid_value=value, has_invalid_value=True)
            )


    def check_note_constraints(self, spec: dict[str, Any], value: str, path: str) -> None:
        """``withForum``, ``withVenueid``, ``withContent``: the value names a note with those traits."""
        wanted = {k: spec[k] for k in ("withForum", "withVenueid", "withContent") if spec.get(k) is not None}
        if not wanted:
            return
        note = self.ctx.find_note(value)
        problem = None
        if note is None:
            problem = f"{_label(path)} {value} must be a note"
        elif "withForum" in wanted and note.get("forum") != wanted["withForum"]:
            problem = f"{_label(path)} {value} must be a note of the forum {wanted['withForum']}"
        elif "withVenueid" in wanted and _content_value(note, "venueid") != wanted["withVenueid"]:
            problem = f"{_label(path)} {value} must be a note with venueid {wanted['withVenueid']}"
        elif "withContent" in wanted and isinstance(wanted["withContent"], dict) and any(
            _content_value(note, field) != expected for field, expected in wanted["withContent"].items()
        ):
            problem = f"{_label(path)} {value} must be a note with content {wanted['withContent']}"
        if problem is not None:
            self.errors.append(ValidationError(spec.get("mismatchError") or problem, path=path, invalid_value=value,
                                               has_invalid_value=True))


def _optional_unless_stated(node: Any) -> Any:
    if is_param(node) and "optional" not in node["param"]:
        return {**node, "param": {**node["param"], "optional": True}}
    return node


def _content_value(note: dict[str, Any], field: str) -> Any:
    entry = (note.get("content") or {}).get(field)
    return entry.get("value") if isinstance(entry, dict) else None


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()


_WHOLE_REFERENCE = re.compile(r"^\$\{(\d+)/([^{}]*)\}$")


def _contains_reference(node: Any) -> bool:
    if isinstance(node, str):
        return "${" in node
    if isinstance(node, dict):
        return any(_contains_reference(v) for v in node.values())
    if isinstance(node, list):
        return any(_contains_reference(v) for v in node)
    return False


def _type_ok(base: str, value: Any) -> bool:
    checks: dict[str, Callable[[Any], bool]] = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
        "boolean": lambda v: isinstance(v, bool),
        "date": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "json": lambda v: True,
        "object": lambda v: isinstance(v, dict),
        "content": lambda v: isinstance(v, dict),
        "file": lambda v: isinstance(v, str),
        "script": lambda v: isinstance(v, str),
    }
    if base in _ID_TYPES:
        return isinstance(value, str) and value != ""
    return checks.get(base, lambda v: True)(value)


def _type_word(base: str) -> str:
    return {"integer": "integer", "float": "number", "boolean": "boolean", "date": "a date (epoch ms)",
            "object": "object", "content": "object"}.get(base, "string")


_REGEX_MARKERS = (".*", ".+", ".?", "\\", "[", "^", "$", "|")


def _looks_like_regex(entry: str) -> bool:
    """FIDELITY: enum entries "may be a regex" (signatures enums such as ``~.*``), but decision
    options such as ``Accept (Oral)`` are literals; an entry counts as a regex only when it uses a
    wildcard, a class, an anchor, an escape or an alternation, so parentheses alone stay literal."""
    return any(marker in entry for marker in _REGEX_MARKERS)


@functools.lru_cache(maxsize=4096)
def regex_problem(pattern: str) -> str | None:
    """Why a template regex is refused when an invitation is saved, or None (``regexes.problem``;
    a pattern holding ``${…}`` is judged once the reference is resolved)."""
    if dollar.has_reference(pattern):
        return None
    return regexes.problem(pattern)


def _join(root: str, rest: str) -> str:
    if not root:
        return rest
    if not rest:
        return root
    return f"{root}/{rest}"


def _label(path: str) -> str:
    """How OpenReview names a field in messages: ``note/content/title/value/0`` → ``title value/0``."""
    parts = path.split("/")
    if "content" in parts:
        index = len(parts) - 1 - parts[::-1].index("content")
        rest = parts[index + 1 :]
        if len(rest) >= 2 and rest[1] == "value":
            tail = "/".join(rest[2:])
            return f"{rest[0]} value" + (f"/{tail}" if tail else "")
        if rest:
            return "/".join(rest)
    if parts and parts[-1].isdigit() and len(parts) >= 2:
        return f"{parts[-2]}/{parts[-1]}"
    return parts[-1] if parts else path


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 200 else text[:197] + "..."
