"""What OpenReview's API refuses in a posted group or invitation, checked before anything is posted.

``venueops validate`` runs these rules on every compiled object and ``venueops apply`` on every edit
of the plan before the first write, so "validate passes" means "the server accepts", and a refusal
never comes halfway through an apply. The sandbox enforces the same rules (its own code: it shares
nothing with venueops), so the tests can show both sides agree.

The rules, with where they come from (notes/api-v2.md; [I] marks a choice where the sources are silent):

- ids: not empty, at most ``MAX_ID_LENGTH`` characters, none of ``ID_FORBIDDEN`` (whitespace, control
  characters, characters a path-like id cannot hold unquoted) [I]; invitation ids contain ``/-/``;
- integers: within JavaScript's safe range (``MAX_SAFE_INTEGER``): the server is JavaScript, and
  stores larger numbers inexactly; numbers are finite [I];
- dates (``cdate``, ``duedate``, ``expdate``, ``ddate``, …): integers in 0 … ``MAX_DATE`` ms (§ conventions);
- regular expressions (``regex``, ``prefix``): ECMAScript syntax with the ``u`` flag, as the
  JSON-schema validator ajv compiles a ``pattern`` [I, from ajv's messages], checked with the
  ``regress`` engine; repetition counts at most 1000 (the docs);
- param specifiers (§4.3): ``type`` a known type (not ``date[]``/``file[]``), ``minLength``/``maxLength``
  non-negative integers with min ≤ max, ``range`` two numbers a ≤ b, ``minimum`` ≤ ``maximum``,
  ``maxSize`` positive, ``extensions`` strings, booleans where booleans are meant, ``input`` and
  ``change`` among their words, ``enum`` a non-empty list, ``items`` entries with a ``value``,
  ``prefix`` or ``inGroup``.

Values holding ``${…}`` references are resolved by the server later and are not checked here.
Each problem is a ``Violation``: a dotted path inside the object and a message.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regress

MAX_ID_LENGTH = 1000
ID_FORBIDDEN = re.compile(r"[\s,;\"'<>\\`{}|^#?%\x00-\x1f\x7f]")
MAX_SAFE_INTEGER = 2**53 - 1
MAX_DATE = 9_999_999_999_999
MAX_REPETITION = 1000
DATE_FIELDS = frozenset({"cdate", "duedate", "expdate", "ddate", "tcdate", "tmdate", "mdate", "odate", "pdate"})
ID_LIST_FIELDS = frozenset({"readers", "nonreaders", "writers", "signatures", "signatories", "members",
                            "invitees", "noninvitees", "deanonymizers", "impersonators"})
TEMPLATE_KEYS = ("edit", "edge", "tag", "message")

BASE_TYPES = frozenset({"string", "integer", "float", "boolean", "date", "file", "json", "group", "profile", "note",
                        "domain", "content", "script", "edge", "tag"})
ARRAY_TYPES = frozenset({"string", "integer", "float", "boolean", "group", "profile", "note", "object", "json",
                         "domain"})
OBJECT_TYPE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\{\}(\[\])?$")
INPUTS = frozenset({"text", "textarea", "select", "checkbox", "radio"})
CHANGES = frozenset({"add", "append", "remove", "replace"})
BOOLEAN_SPECIFIERS = ("optional", "deletable", "markdown", "scroll", "hidden")
_REPETITION = re.compile(r"\{\s*(\d+)\s*(?:,\s*(\d*)\s*)?\}")


@dataclass(frozen=True)
class Violation:
    path: str  # dotted, inside the object (``edit.note.content.code.value.param.regex``)
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


# -- single values -------------------------------------------------------------------------------------
def id_problem(value: Any, *, invitation: bool = False) -> str | None:
    """Why OpenReview would refuse ``value`` as an object id, or None."""
    if not isinstance(value, str) or not value:
        return "an id must be a non-empty string"
    if len(value) > MAX_ID_LENGTH:
        return f"an id has at most {MAX_ID_LENGTH} characters; this one has {len(value):,}"
    bad = ID_FORBIDDEN.search(value)
    if bad is not None:
        return f"an id may not contain {bad.group()!r}"
    if invitation and "/-/" not in value:
        return "an invitation id contains '/-/'"
    return None


def number_problem(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
        return f"{value} is beyond {MAX_SAFE_INTEGER:,} in magnitude, the largest integer OpenReview stores exactly"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    return None


def date_problem(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_DATE:
        return f"{value} is not a date OpenReview stores (0 … {MAX_DATE} ms)"
    return None


@functools.lru_cache(maxsize=1024)
def regex_problem(pattern: str) -> str | None:
    """Why OpenReview would refuse ``pattern`` as a template regex (ECMAScript, ``u`` flag), or None."""
    if is_reference(pattern):
        return None
    for match in _REPETITION.finditer(pattern):
        for count in match.groups():
            if count and int(count) > MAX_REPETITION:
                return f"the repetition count {count} is over {MAX_REPETITION}"
    try:
        regress.Regex(pattern, "u")
    except regress.RegressError as error:
        return f"not a valid regular expression (ECMAScript, as OpenReview reads it): {error}"
    return None


def type_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "a type is a string"
    if value in BASE_TYPES or OBJECT_TYPE.match(value):
        return None
    if value.endswith("[]") and value[:-2] in ARRAY_TYPES:
        return None
    known = ", ".join(sorted(BASE_TYPES | {f"{t}[]" for t in ARRAY_TYPES}))
    return f"{value!r} is not a type OpenReview knows ({known}, or name{{}} for an object)"


# -- param specifiers ----------------------------------------------------------------------------------
def param_problems(spec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(specifier, message)`` for each rule a ``param`` object breaks."""

    def given(key: str) -> bool:
        # a ``{"delete": true}`` in an edit removes the specifier from the live template: nothing to check
        return key in spec and not is_reference(spec[key]) and spec[key] != {"delete": True}

    if given("type") and (problem := type_problem(spec["type"])):
        yield "type", problem
    if given("regex"):
        if not isinstance(spec["regex"], str):
            yield "regex", "a regex is a string"
        elif problem := regex_problem(spec["regex"]):
            yield "regex", problem
    for key in ("minLength", "maxLength"):
        if given(key) and not _non_negative_int(spec[key]):
            yield key, f"{key} is a non-negative integer"
    if _non_negative_int(spec.get("minLength")) and _non_negative_int(spec.get("maxLength")) \
            and spec["minLength"] > spec["maxLength"]:
        yield "minLength", f"minLength ({spec['minLength']}) is more than maxLength ({spec['maxLength']})"
    if given("range"):
        bounds = spec["range"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_number(b) for b in bounds)):
            yield "range", "range is a list of two numbers"
        elif bounds[0] > bounds[1]:
            yield "range", f"range starts ({bounds[0]}) after it ends ({bounds[1]})"
    for key in ("minimum", "maximum"):
        if given(key) and not _number(spec[key]):
            yield key, f"{key} is a number"
    if _number(spec.get("minimum")) and _number(spec.get("maximum")) and spec["minimum"] > spec["maximum"]:
        yield "minimum", f"minimum ({spec['minimum']}) is more than maximum ({spec['maximum']})"
    if given("maxSize") and not (_number(spec["maxSize"]) and spec["maxSize"] > 0):
        yield "maxSize", "maxSize is a positive number (MB)"
    if given("extensions") and not (isinstance(spec["extensions"], list)
                                    and all(isinstance(e, str) for e in spec["extensions"])):
        yield "extensions", "extensions is a list of strings"
    for key in BOOLEAN_SPECIFIERS:
        if given(key) and not isinstance(spec[key], bool):
            yield key, f"{key} is true or false"
    if given("input") and spec["input"] not in INPUTS:
        yield "input", f"input is one of {', '.join(sorted(INPUTS))}"
    if given("change") and spec["change"] not in CHANGES:
        yield "change", f"change is one of {', '.join(sorted(CHANGES))}"
    if given("enum") and not (isinstance(spec["enum"], list) and spec["enum"]):
        yield "enum", "enum is a non-empty list"
    if given("items"):
        yield from (("items", m) for m in _items_problems(spec["items"]))


def _items_problems(items: Any) -> Iterator[str]:
    if not isinstance(items, list):
        yield "items is a list"
        return
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not any(k in item for k in ("value", "prefix", "inGroup")):
            yield f"items[{index}] has a value, a prefix or an inGroup"
        elif isinstance(item.get("prefix"), str) and (problem := regex_problem(item["prefix"])):
            yield f"items[{index}].prefix: {problem}"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _non_negative_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# -- whole objects -------------------------------------------------------------------------------------
def check_object(kind: str, body: dict[str, Any]) -> list[Violation]:
    """Every rule the group or invitation ``body`` (as posted inside an edit) breaks."""
    found: list[Violation] = []
    if "id" in body and (problem := id_problem(body["id"], invitation=kind == "invitation")):
        found.append(Violation("id", problem))
    _walk(body, "", found, in_template=False)
    return found


def check_edit(endpoint: str, body: dict[str, Any]) -> list[Violation]:
    """Every rule a group or invitation edit breaks (paths start at the edit: ``group.members[2]``)."""
    kind = "group" if endpoint == "/groups/edits" else "invitation"
    found = [Violation(f"{kind}.{v.path}" if v.path else kind, v.message)
             for v in check_object(kind, body.get(kind) or {})]
    rest = {k: v for k, v in body.items() if k != kind}
    _walk(rest, "", found, in_template=False)
    return found


def _walk(node: Any, path: str, found: list[Violation], *, in_template: bool) -> None:
    if isinstance(node, dict):
        if set(node) == {"$file"}:
            return  # a file openreview-py ships, read when the edit is posted
        param = node.get("param")
        if in_template and isinstance(param, dict):
            for key, message in param_problems(param):
                found.append(Violation(_join(path, f"param.{key}"), message))
        for key, value in node.items():
            where = _join(path, str(key))
            if key in DATE_FIELDS and (problem := date_problem(value)):
                found.append(Violation(where, problem))
            elif key in ID_LIST_FIELDS and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str) and not is_reference(item) and (problem := id_problem(item)):
                        found.append(Violation(f"{where}[{index}]", problem))
            _walk(value, where, found, in_template=in_template or key in TEMPLATE_KEYS)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, f"{path}[{index}]", found, in_template=in_template)
    elif (problem := number_problem(node)) is not None:
        found.append(Violation(path, problem))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
