"""Rules for an invitation's param specifiers, checked when the invitation is saved (notes/api-v2.md §4.3).

``templates.py`` checks posted values against a template; this module checks the template itself,
so that a broken specifier is refused once, with the path of the specifier, when the invitation is
posted, instead of failing (or silently admitting anything) each time someone posts through it.

For every ``{"param": {...}}`` anywhere inside an invitation's ``edit``, ``edge``, ``tag`` or
``message`` template, including the templates of invitations that a super invitation creates:

| specifier                                     | rule                                                  |
|-----------------------------------------------|-------------------------------------------------------|
| ``type``                                      | known: ``KNOWN_TYPES`` or an object type ``name{}``   |
| ``regex``                                     | valid ECMAScript (``regexes``), repetitions ≤ 1000    |
| ``minLength``, ``maxLength``                  | non-negative integers, min ≤ max                      |
| ``range``                                     | two numbers, the first ≤ the second                   |
| ``minimum``, ``maximum``                      | numbers, minimum ≤ maximum                            |
| ``maxSize``                                   | a positive number (MB)                                |
| ``extensions``                                | an array of strings                                   |
| ``optional deletable markdown scroll hidden`` | booleans                                              |
| ``input``                                     | one of ``INPUTS``                                     |
| ``change``                                    | one of ``CHANGES`` (or a list of them)                |
| ``enum``                                      | a non-empty array                                     |
| ``items``                                     | objects with ``value``, ``prefix`` or ``inGroup``;    |
|                                               | a ``prefix`` is a valid regex                         |

A specifier whose value holds a ``${…}`` reference is skipped: it is judged when the reference is
resolved, in the invitation that resolution produces. Specifiers not listed (``const``,
``default``, ``description``, ``withInvitation``, …) are not checked here.

FIDELITY: OpenReview's sources do not publish its meta-schema for specifiers. The accepted types
and ``input`` values are the documented ones plus every one openreview-py's venue builders, stages
and workflows use (``script``, ``content``, ``profile[]``, ``object[]``, ``author{}``,
``group{}``, …), so nothing they build is refused; ``date[]`` and ``file[]`` are not types (the
docs say so). The violation wording follows ajv's (``must be boolean``, ``must NOT …``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from venueops.sandbox import regexes
from venueops.sandbox.errors import ValidationError

SCALAR_TYPES = frozenset({"string", "integer", "float", "boolean", "date", "file", "json", "group", "profile",
                          "note", "domain", "edge", "tag", "content", "script"})
ARRAY_OF = frozenset({"string", "integer", "float", "boolean", "group", "profile", "note", "object", "json"})
KNOWN_TYPES = SCALAR_TYPES | {f"{base}[]" for base in ARRAY_OF}
_OBJECT_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\{\}$")  # ``author{}``, ``profile{}``: objects with properties
BOOLEAN_SPECIFIERS = ("optional", "deletable", "markdown", "scroll", "hidden")
INPUTS = ("text", "textarea", "select", "checkbox", "radio")
CHANGES = ("add", "append", "remove", "replace")
ITEM_KEYS = ("value", "prefix", "inGroup")


def is_known_type(type_name: str) -> bool:
    return type_name in KNOWN_TYPES or _OBJECT_TYPE.match(type_name) is not None


def check_template(template: Any, path: str) -> None:
    """Raise a 400 ``ValidationError`` naming the first specifier of ``template`` that breaks a rule.

    ``path`` is where the template sits in the posted body (``invitation/edit``); the error's
    ``details.path`` is the specifier's own path below it."""
    stack: list[tuple[Any, str]] = [(template, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            spec = node.get("param")
            if len(node) == 1 and isinstance(spec, dict):
                _check_param(spec, f"{where}/param")
                properties = spec.get("properties")
                if isinstance(properties, dict):
                    stack.extend((value, f"{where}/param/properties/{key}")
                                 for key, value in reversed(properties.items()))
                continue
            stack.extend((value, f"{where}/{key}") for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((value, f"{where}/{index}") for index, value in reversed(list(enumerate(node))))


def _check_param(spec: dict[str, Any], path: str) -> None:
    def given(key: str) -> bool:
        return key in spec and not _has_reference(spec[key])

    def refuse(key: str, message: str) -> None:
        raise ValidationError(f"{path}/{key} {message}", path=f"{path}/{key}", invalid_value=spec[key],
                              has_invalid_value=True)

    if given("type"):
        type_name = spec["type"]
        if not isinstance(type_name, str):
            refuse("type", "must be string")
        if not is_known_type(type_name):
            refuse("type", f'must be a known type, not "{type_name}"')
    if given("regex"):
        _check_regex(spec["regex"], f"{path}/regex")
    for key in ("minLength", "maxLength"):
        if given(key) and not _is_count(spec[key]):
            refuse(key, "must be a non-negative integer")
    if given("minLength") and given("maxLength") and spec["minLength"] > spec["maxLength"]:
        refuse("minLength", "must be less than or equal to maxLength")
    if given("range"):
        bounds = spec["range"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds)):
            refuse("range", "must be an array of two numbers")
        if bounds[0] > bounds[1]:
            refuse("range", "must have its first number less than or equal to its second")
    for key in ("minimum", "maximum"):
        if given(key) and not _is_number(spec[key]):
            refuse(key, "must be number")
    if given("minimum") and given("maximum") and spec["minimum"] > spec["maximum"]:
        refuse("minimum", "must be less than or equal to maximum")
    if given("maxSize") and not (_is_number(spec["maxSize"]) and spec["maxSize"] > 0):
        refuse("maxSize", "must be a positive number")
    if given("extensions") and not (isinstance(spec["extensions"], list)
                                    and all(isinstance(e, str) for e in spec["extensions"])):
        refuse("extensions", "must be an array of strings")
    for key in BOOLEAN_SPECIFIERS:
        if given(key) and not isinstance(spec[key], bool):
            refuse(key, "must be boolean")
    if given("input") and spec["input"] not in INPUTS:
        refuse("input", f"must be one of {', '.join(INPUTS)}")
    if given("change"):
        change = spec["change"]
        changes = change if isinstance(change, list) and change else [change]
        if not all(isinstance(c, str) and c in CHANGES for c in changes):
            refuse("change", f"must be one of {', '.join(CHANGES)}")
    if given("enum") and not (isinstance(spec["enum"], list) and spec["enum"]):
        refuse("enum", "must be a non-empty array")
    if given("items"):
        _check_items(spec["items"], f"{path}/items")


def _check_items(items: Any, path: str) -> None:
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValidationError(f"{path} must be an array of objects", path=path, invalid_value=items,
                              has_invalid_value=True)
    for index, item in enumerate(items):
        if not any(key in item for key in ITEM_KEYS):
            raise ValidationError(f"{path}/{index} must have value, prefix or inGroup", path=f"{path}/{index}",
                                  invalid_value=item, has_invalid_value=True)
        if "prefix" in item and not _has_reference(item["prefix"]):
            _check_regex(item["prefix"], f"{path}/{index}/prefix")


def _check_regex(pattern: Any, path: str) -> None:
    if not isinstance(pattern, str):
        raise ValidationError(f"{path} must be string", path=path, invalid_value=pattern, has_invalid_value=True)
    problem = regexes.problem(pattern)
    if problem:
        raise ValidationError(f"The regex {pattern} at {path} is not valid: {problem}", path=path,
                              invalid_value=pattern, has_invalid_value=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_count(value: Any) -> bool:
    # FIDELITY: JSON cannot tell 5 from 5.0 in JavaScript, so an integral float counts as an integer.
    if isinstance(value, float):
        return value.is_integer() and value >= 0
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _has_reference(value: Any) -> bool:
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, dict):
        return any(_has_reference(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_reference(v) for v in value)
    return False
