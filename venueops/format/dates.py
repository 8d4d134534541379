"""The canonical written form of a date (``venueops.config.dates`` says what may be written):

    2026-03-01                  a day stays a day (it means the day's first or last minute)
    2026-03-01 23:59            a space, not ``T``; hours in two digits
    2026-03-01 23:59:30.500     seconds and milliseconds only where written (milliseconds in 3 digits)
    2026-03-01 23:59 AoE        a zone after a space: AoE, UTC (for Z, GMT), ±HH:MM, or an IANA name

A date YAML reads as a timestamp (``2026-03-01T23:59:00+02:00``) is written the same way. Nothing
here changes the moment a date means: ``canonical`` returns None rather than a different moment.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ruamel.yaml.nodes import ScalarNode

from venueops.config.dates import _FORM as WRITTEN_FORM  # the one grammar of written dates
from venueops.config.dates import DateError, parse_date
from venueops.config.loader import load_text
from venueops.format.document import apply_edits, compose, scalar_edit, visit
from venueops.format.shapes import ROOT

_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")
_ZONES = {"AOE": "AoE", "AoE": "AoE", "aoe": "AoE", "UTC": "UTC", "Z": "UTC", "GMT": "UTC"}


def canonical(value: object) -> str | None:
    """The canonical text of a date as the YAML loader read it (text, a date or a datetime), or None
    when it is not a date venueops reads, or is kept as written (a timestamp with microseconds)."""
    if isinstance(value, dt.datetime):
        return _from_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    match = WRITTEN_FORM.match(value.strip())
    if match is None:
        return None
    text = match.group("date")
    if match.group("time"):
        clock, _, fraction = match.group("time").partition(".")
        hours, rest = clock.split(":", 1)
        text += f" {int(hours):02d}:{rest}" + (f".{fraction.ljust(3, '0')}" if fraction else "")
    if match.group("zone"):
        text += " " + _zone(match.group("zone"))
    return text if _same_moment(value, text) else None


def _from_timestamp(value: dt.datetime) -> str | None:
    if value.microsecond:
        return None  # the loader drops them (``models._date_text``): leave such a date as written
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    offset = value.utcoffset()
    if offset is None:
        return text
    if not offset:
        return text + " UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{text} {sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _zone(zone: str) -> str:
    if zone in _ZONES:
        return _ZONES[zone]
    offset = _OFFSET.fullmatch(zone)
    return f"{offset.group(1)}{offset.group(2)}:{offset.group(3)}" if offset else zone


def _same_moment(written: str, text: str) -> bool:
    try:
        return all(parse_date(written, "UTC", end_of_day=end).ms == parse_date(text, "UTC", end_of_day=end).ms
                   for end in (False, True))
    except DateError:
        return False


def normalize_dates(text: str, name: str = "<string>") -> str:
    """``text`` with every date field (``models.When``, and the dates of policy rules) in canonical form;
    dates in free-form parts (raw objects, ``overrides.set``) and free text stay as written."""
    root = compose(text, name)
    data = load_text(text, name).data
    edits = []
    for item in visit(root, ROOT):
        node = item.node
        if (isinstance(node, ScalarNode) and item.shape is not None and (item.shape.date or item.shape.moment)
                and node.style in (None, "'", '"')):
            written = canonical(value_at(data, item.path))
            if written is not None and written != node.value:
                edits.append(scalar_edit(node, written))
    return apply_edits(text, edits)


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` in plain data (None where there is none)."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list | tuple) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
