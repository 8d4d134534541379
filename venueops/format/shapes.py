"""The venue file's shape, read from the models: which mappings are known (and their keys), where the
dates are, and which parts are free-form (OpenReview's own JSON, form fields, anything unknown).

``fmt`` and ``new`` walk a document with it: a ``Shape`` per place, found by descending from ``ROOT``
with ``child``, whatever the document is made of (ruamel nodes, plain data, a dumped spec).
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from venueops.config import models

# Written as a list, or as one mapping (``bidding: {...}``); with ``extends``, as ``{append: [...]}`` or
# ``{remove: [...]}``, each holding a list.
LIST_OPERATIONS = frozenset({"append", "remove"})

# A date, or the name of a stage's date (``review.due``): ``models.Moment`` is the same type as the
# free text of ``venue.start_date``, so these are named here.
MOMENT_FIELDS = frozenset({(models.PolicyRule, "before"), (models.PolicyRule, "from_")})


@dataclass(frozen=True, eq=False)
class Shape:
    """What the models say about one place of a venue file (every part optional)."""

    model: type[BaseModel] | None = None  # a mapping with the model's keys
    items: Shape | None = None  # a list of these
    values: Shape | None = None  # a mapping of the user's names to these (form fields)
    date: bool = False  # a date (``models.When``)
    moment: bool = False  # a date, or a reference to a stage's date
    fields: dict[str, Shape] = field(default_factory=dict)  # the model's keys as written (aliases)


FREE = Shape()  # free-form, or a plain value: nothing to order, no dates


def child(shape: Shape | None, key: str | int) -> Shape | None:
    """The shape of the value at ``key`` (a mapping key or a list index) under a value of ``shape``
    (for a mapping, the shape ``mapping_shape`` gives)."""
    if shape is None:
        return None
    if shape.items is not None:  # a list's items, or the lists of an {append: ..., remove: ...}
        return shape.items if isinstance(key, int) else shape
    if isinstance(key, int):
        return None
    if shape.model is not None:
        return shape.fields.get(key)
    return shape.values


def mapping_shape(shape: Shape | None, keys: typing.Iterable[str]) -> Shape | None:
    """The shape of a mapping written where ``shape`` stands: a list written as one mapping is its
    single item, unless the mapping is a list operation (``append``/``remove``)."""
    if shape is not None and shape.items is not None and not set(keys) <= LIST_OPERATIONS:
        return shape.items
    return shape


@functools.cache
def model_shape(model: type[BaseModel]) -> Shape:
    hints = typing.get_type_hints(model, include_extras=True)
    fields = {}
    for name, info in model.model_fields.items():
        fields[info.alias or name] = _shape_of(hints[name], moment=(model, name) in MOMENT_FIELDS)
    return Shape(model=model, fields=fields)


def _shape_of(annotation: Any, *, moment: bool = False) -> Shape:
    if moment:
        return Shape(moment=True)
    if annotation == models.When:
        return Shape(date=True)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape_of(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if models.When in arguments:
            return Shape(date=True)
        shapes = [_shape_of(a) for a in arguments]
        return next((s for s in shapes if s is not FREE), FREE)
    if origin in (tuple, list):
        arguments = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return Shape(items=_shape_of(arguments[0])) if arguments else FREE
    if origin is dict:
        values = _shape_of(typing.get_args(annotation)[1])
        return Shape(values=values) if values is not FREE else FREE
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_shape(annotation)
    return FREE


ROOT = model_shape(models.VenueFile)


def dotted(path: tuple[str | int, ...]) -> str:
    """``("stages", "bidding", 0, "due")`` → ``stages.bidding[0].due``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
