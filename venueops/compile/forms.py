"""Forms: a stage's default fields (OpenReview's default forms), changed as the venue file says.

A field compiles to OpenReview's content-field shape:

    {"order": 1, "description": "...", "value": {"param": {"type": "string", ...}}, "readers": [...]}

``add`` appends a field (or replaces one of the same name, as openreview-py's ``additional_fields``
does), ``remove`` drops a default field, ``change`` merges the given specifiers into a default
field's ``param`` (and replaces its ``description``/``order``/``readers`` when given).
"""

from __future__ import annotations

import difflib
from typing import Any

from venueops.config import models
from venueops.config.loader import PathKey, SourceMap
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

FIELD_LEVEL = ("description", "order", "readers")


def field_json(spec: models.FieldSpec) -> dict[str, Any]:
    """A ``FieldSpec`` in OpenReview's content-field shape."""
    values = spec.model_dump(exclude_none=True, by_alias=True)
    out: dict[str, Any] = {}
    if "order" in values:
        out["order"] = values.pop("order")
    if "description" in values:
        out["description"] = values.pop("description")
    readers = values.pop("readers", None)
    out["value"] = {"param": _plain(values)}
    if readers is not None:
        out["readers"] = list(readers)
    return out


def apply_form(default: dict[str, Any], form: models.Form, source: SourceMap, path: PathKey) -> dict[str, Any]:
    """The default fields with ``form``'s changes; unknown names are errors at their line."""
    content = {name: field for name, field in default.items()}
    problems: list[Diagnostic] = []
    for index, name in enumerate(form.remove):
        if name not in content:
            problems.append(_unknown(name, default, "remove", source, (*path, "remove", index)))
            continue
        del content[name]
    for name, spec in form.change.items():
        if name not in content:
            problems.append(_unknown(name, default, "change", source, (*path, "change", name), key=True))
            continue
        content[name] = _changed(content[name], spec)
    for name, spec in form.add.items():
        content[name] = field_json(spec)
    if problems:
        raise ConfigError(problems)
    return content


def _changed(field: dict[str, Any], spec: models.FieldSpec) -> dict[str, Any]:
    values = spec.model_dump(exclude_none=True, by_alias=True)
    out = dict(field)
    for key in FIELD_LEVEL:
        if key in values:
            value = values.pop(key)
            out[key] = list(value) if isinstance(value, tuple) else value
    value_node = out.get("value")
    if values:
        param = dict(value_node["param"]) if isinstance(value_node, dict) and isinstance(value_node.get("param"),
                                                                                          dict) else {}
        param.update(_plain(values))
        out["value"] = {"param": param}
    return out


def _unknown(name: str, default: dict[str, Any], verb: str, source: SourceMap, path: PathKey,
             key: bool = False) -> Diagnostic:
    close = difflib.get_close_matches(name, list(default), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; the default fields are: {', '.join(default)}"
    return Diagnostic(f"cannot {verb} {name!r}: the default form has no such field{hint}",
                      source.locate(path, key=key))


def _plain(value: Any) -> Any:
    """Tuples (from the immutable models) back to lists, recursively."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
