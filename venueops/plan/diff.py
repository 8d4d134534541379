"""Comparing one desired object with its live version: the differing fields, and the smallest patch.

Both sides are put in the same canonical form first (``canonical``): server-owned fields dropped,
access lists (readers, writers, members, …) compared as sets, and only the fields the desired object
names are compared at all, so fields someone else owns are never touched.

The patch follows OpenReview's edit semantics (notes/api-v2.md §4.2), which the sandbox reproduces:
- groups: top-level fields replace; ``content`` merges per key, and inside a key ``value`` and
  ``readers`` replace independently;
- invitations: every dict merges key by key at any depth, lists and scalars replace;
  ``{"delete": true}`` removes a key. Inside a template's ``param``, ``const``, ``default``,
  ``enum`` and ``items`` are values, so they are replaced whole.
A desired value that is itself ``{"delete": true}`` (outside a ``param``) means "absent".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from venueops.plan.model import FieldChange

SERVER_OWNED = frozenset({"tcdate", "tmdate", "mdate", "domain", "invitations", "parent", "details", "tauthor",
                          "parentInvitations", "anonymousOf"})
UNORDERED = frozenset({"readers", "nonreaders", "writers", "signatures", "signatories", "members", "invitees",
                       "noninvitees", "deanonymizers", "impersonators"})
LITERAL_PARAM_KEYS = frozenset({"const", "default", "enum", "items"})
DELETE = {"delete": True}


def is_delete(value: Any) -> bool:
    return isinstance(value, dict) and value == DELETE


def same(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: ``false`` is not ``0`` and ``1`` is not ``true`` (Python's ``==``
    says they are), so a value of the wrong type is a difference."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@dataclass
class Comparison:
    """The outcome of comparing one object: what differs, how many managed fields match, the patch."""

    changes: list[FieldChange] = field(default_factory=list)
    patch: dict[str, Any] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def same(self) -> bool:
        return not self.changes


def canonical_list(key: str, value: Any) -> Any:
    if key in UNORDERED and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)
    return value


def compare(kind: str, desired: dict[str, Any], live: dict[str, Any]) -> Comparison:
    """Compare the fields ``desired`` names with ``live``; the patch excludes ``id``."""
    result = Comparison()
    for key, want in desired.items():
        if key == "id" or key in SERVER_OWNED:
            continue
        have_present = key in live
        have = live.get(key)
        if is_delete(want):
            if have_present:
                result.changes.append(FieldChange(key, have, None, after_absent=True))
                result.patch[key] = dict(DELETE)
            else:
                result.unchanged += 1
            continue
        if not have_present:
            result.changes.append(FieldChange(key, None, want, before_absent=True))
            result.patch[key] = want
            continue
        if key == "content" and isinstance(want, dict) and isinstance(have, dict):
            patch = _content_patch(want, have, "content", result.changes, deep=kind == "invitation")
            if patch:
                result.patch[key] = patch
            else:
                result.unchanged += 1
            continue
        if same(canonical_list(key, want), canonical_list(key, have)):
            result.unchanged += 1
            continue
        if kind == "invitation" and isinstance(want, dict) and isinstance(have, dict):
            result.patch[key] = _deep_patch(want, have, key, result.changes, in_param=False)
        else:
            result.changes.append(FieldChange(key, have, want))
            result.patch[key] = want
    return result


def _content_patch(want: dict[str, Any], have: dict[str, Any], path: str, out: list[FieldChange], *,
                   deep: bool) -> dict[str, Any]:
    """Per key of the desired content; keys only the live side has are left alone (others own them).
    Inside a key: an invitation's content merges at any depth (``deep``), a group's replaces each
    sub-key (``value``, ``readers``) whole."""
    patch: dict[str, Any] = {}
    for name, field_want in want.items():
        where = f"{path}.{name}"
        if name not in have:
            out.append(FieldChange(where, None, field_want, before_absent=True))
            patch[name] = field_want
            continue
        field_have = have[name]
        if same(field_want, field_have):
            continue
        if deep:
            patch[name] = _deep_patch(field_want, field_have, where, out, in_param=False)
        elif isinstance(field_want, dict) and isinstance(field_have, dict):
            sub: dict[str, Any] = {}
            for sub_key, value in field_want.items():
                if not same(field_have.get(sub_key, _MISSING), value):
                    before = field_have.get(sub_key)
                    absent = sub_key not in field_have
                    out.append(FieldChange(f"{where}.{sub_key}", before, value, before_absent=absent))
                    sub[sub_key] = value
            for sub_key in field_have:
                if sub_key not in field_want:
                    out.append(FieldChange(f"{where}.{sub_key}", field_have[sub_key], None, after_absent=True))
                    sub[sub_key] = dict(DELETE)
            patch[name] = sub
        else:
            out.append(FieldChange(where, field_have, field_want))
            patch[name] = field_want
    return patch


def _deep_patch(want: Any, have: Any, path: str, out: list[FieldChange], *, in_param: bool) -> Any:
    """The partial value turning ``have`` into ``want`` under deep-merge semantics."""
    if not (isinstance(want, dict) and isinstance(have, dict)) or is_delete(want):
        out.append(FieldChange(path, have, want))
        return want
    patch: dict[str, Any] = {}
    for key, value in want.items():
        where = f"{path}.{key}"
        if in_param and key in LITERAL_PARAM_KEYS:
            if not same(have.get(key, _MISSING), value):
                out.append(FieldChange(where, have.get(key), value, before_absent=key not in have))
                patch[key] = value
            continue
        if is_delete(value) and not in_param:
            if key in have:
                out.append(FieldChange(where, have[key], None, after_absent=True))
                patch[key] = dict(DELETE)
            continue
        if key not in have:
            out.append(FieldChange(where, None, value, before_absent=True))
            patch[key] = value
        elif not same(have[key], value):
            patch[key] = _deep_patch(value, have[key], where, out, in_param=key == "param")
    for key in have:
        if key not in want:
            out.append(FieldChange(f"{path}.{key}", have[key], None, after_absent=True))
            if not (in_param and key in LITERAL_PARAM_KEYS):
                patch[key] = dict(DELETE)
            # else: inside a param ``{"delete": true}`` is a literal's value ("const: the field must be
            # deleted"), not a deletion, so posting it would change the meaning; no edit removes the key,
            # and the plan says so (``unremovable_specifiers``)
    return patch


def unremovable_specifiers(want: Any, have: Any, path: str = "", in_param: bool = False) -> list[str]:
    """The paths of literal specifiers (``const``, ``enum``, ``items``, ``default``) a live ``param`` has and
    the desired one leaves out: no deep-merge edit removes them (see ``_deep_patch``)."""
    if not (isinstance(want, dict) and isinstance(have, dict)) or is_delete(want):
        return []
    found = [f"{path}.{k}".lstrip(".") for k in have if in_param and k in LITERAL_PARAM_KEYS and k not in want]
    for key, value in want.items():
        if key in have and not (in_param and key in LITERAL_PARAM_KEYS):
            found += unremovable_specifiers(value, have[key], f"{path}.{key}", key == "param")
    return found


class _Missing:
    pass


_MISSING = _Missing()
