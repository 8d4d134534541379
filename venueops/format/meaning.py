"""What a venue file means, to check that formatting did not change it.

Two files mean the same when their YAML data are equal and, if the first is a valid venue, so are
the specs ``load_venue_text`` makes of them; a date compares by the moments it means (as a start and
as a deadline), so ``2026-03-01T23:59`` and ``2026-03-01 23:59`` are the same date.
"""

from __future__ import annotations

from typing import Any

import pydantic

from venueops.config import models
from venueops.config.dates import DateError, parse_date
from venueops.config.loader import load_text
from venueops.config.validate import load_venue_text
from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError
from venueops.format.shapes import ROOT, Shape, child, dotted, mapping_shape

_WHEN = pydantic.TypeAdapter(models.When)


def check_same_meaning(old: str, new: str, name: str) -> None:
    """Raise ``ConfigError`` unless ``new`` means what ``old`` does."""
    old_data, new_data = load_text(old, name).data, load_text(new, name).data
    _compare(comparable(old_data), comparable(new_data), name, "its YAML data")
    try:
        old_spec = load_venue_text(old, name).spec
    except ConfigError:
        return  # not a venue on its own (a base, or a file being written): its data are the same
    try:
        new_spec = load_venue_text(new, name).spec
    except ConfigError as error:
        raise ConfigError([_refusal(name, f"the formatted file does not validate ({error})")]) from None
    _compare(comparable(old_spec.model_dump(by_alias=True)), comparable(new_spec.model_dump(by_alias=True)), name,
             "the venue it validates to")


def comparable(data: Any) -> Any:
    """``data`` (a venue file's YAML data, or a dumped spec) with each date replaced by its moments."""
    venue = data.get("venue") if isinstance(data, dict) else None
    zone = venue.get("timezone") if isinstance(venue, dict) else None
    return _comparable(data, ROOT, zone if isinstance(zone, str) else "UTC")


def _comparable(data: Any, shape: Shape | None, zone: str) -> Any:
    if isinstance(data, dict):
        shape = mapping_shape(shape, data)
        return {key: _comparable(value, child(shape, key), zone) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_comparable(value, child(shape, index), zone) for index, value in enumerate(data)]
    if shape is not None and (shape.date or shape.moment):
        return _moments(data, zone)
    return data


def _moments(value: Any, zone: str) -> Any:
    try:
        text = _WHEN.validate_python(value)
        return ("date", *(parse_date(text, zone, end_of_day=end).ms for end in (False, True)))
    except (pydantic.ValidationError, DateError):
        return value  # not a date (a stage's date named in a policy, or an invalid one): as written


def _compare(old: Any, new: Any, name: str, what: str) -> None:
    where = _difference(old, new, ())
    if where is not None:
        raise ConfigError([_refusal(name, f"{what} would change at {dotted(where) or 'the top level'}")])


def _difference(old: Any, new: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            return path
        for key in old:
            found = _difference(old[key], new.get(key), (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found = _difference(a, b, (*path, index))
            if found is not None:
                return found
        return None
    return None if old == new and type(old) is type(new) else path


def _refusal(name: str, reason: str) -> Diagnostic:
    return Diagnostic(f"fmt would change what this file means: {reason}; nothing written (please report it)",
                      Location(name, 1, 1))
