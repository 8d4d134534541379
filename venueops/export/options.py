"""Venue-file options as export fits them: which values an option's annotation allows, a probe value
no default could produce, a live value as an option value, a live form field as a form specifier."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, get_args, get_origin

from venueops.config import models
from venueops.export.recognize import escape

DATE_FIELDS = ("start", "abstract_due", "due", "expiration", "end", "withdrawal_expiration")


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` (and whether it allowed None)."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def is_audiences(annotation: Any) -> bool:
    inner, _ = unwrap(annotation)
    return get_origin(inner) is tuple and get_args(inner)[:1] == (models.Audience,)


def choices(annotation: Any) -> list[Any]:
    inner, _ = unwrap(annotation)
    if inner is bool:
        return [False, True]
    if get_origin(inner) in (typing.Union, types.UnionType) and set(get_args(inner)) == {bool, Literal["after_due"]}:
        return [False, True, "after_due"]
    if get_origin(inner) is Literal:
        return list(get_args(inner))
    return []


def probe_value(name: str, annotation: Any) -> Any:
    """A value for the option that no compiled default could produce, or None if it is not probed."""
    if name in ("name", "committee") or name in DATE_FIELDS:
        return None
    inner, _ = unwrap(annotation)
    if inner is int:
        return 7919
    if inner is str and name.endswith("_field"):
        return "probe_field_xq"
    if inner is str and name in ("description", "email_template"):
        return "Probe text xq"
    if get_origin(inner) is tuple and get_args(inner) == (str, ...):
        return ["Probe Option Xq1", "Probe Option Xq2"]
    return None


def from_live(value: Any, annotation: Any) -> Any:
    inner, _ = unwrap(annotation)
    if inner is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if inner is str:
        return escape(value) if isinstance(value, str) else None
    if get_origin(inner) is tuple:
        return [escape(v) for v in value] if isinstance(value, list) and all(isinstance(v, str) for v in value) \
            else None
    return None


FIELD_SPEC_KEYS = frozenset(models.FieldSpec.model_fields) - {"order", "description", "readers"}


def field_spec(value: Any) -> dict[str, Any] | None:
    """A live content field as a flat form specifier (``add``), or None when the form cannot say it."""
    if not isinstance(value, dict) or set(value) - {"order", "description", "value", "readers"}:
        return None
    node = value.get("value")
    if not isinstance(node, dict) or set(node) != {"param"} or not isinstance(node["param"], dict):
        return None
    param = node["param"]
    if set(param) - FIELD_SPEC_KEYS:
        return None
    out: dict[str, Any] = {}
    for key, item in param.items():
        out[key] = escape(item) if isinstance(item, str) else item
    if "order" in value:
        out["order"] = value["order"]
    if "description" in value:
        out["description"] = escape(value["description"]) if isinstance(value["description"], str) \
            else value["description"]
    if "readers" in value:
        out["readers"] = [escape(r) for r in value["readers"]]
    return out
