"""Dates in venue files: what may be written, and how it becomes OpenReview's epoch milliseconds.

Accepted forms (a ``T`` may replace the space; seconds are optional):

    2026-03-01                      a day (see below)
    2026-03-01 23:59                a time in the venue's zone
    2026-03-01 23:59 AoE            … in Anywhere on Earth (UTC-12)
    2026-03-01 23:59 UTC            … in UTC (also ``Z``)
    2026-03-01T23:59:00+02:00       … with an offset
    2026-03-01 23:59 Europe/Paris   … in an IANA time zone

A day without a time means its first minute for ``start`` and its last minute (23:59) for the
deadlines ``due``, ``expiration`` and ``end``, so ``due: 2026-05-08`` closes at the end of that day.
Zones: the date's own, else the venue's ``timezone`` (default ``UTC``). Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

AOE = dt.timezone(dt.timedelta(hours=-12), "AoE")
_FORM = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|[A-Za-z][A-Za-z0-9_+/-]*)?$"
)


class DateError(ValueError):
    """A date or zone that cannot be read; the message says what is accepted."""


@dataclass(frozen=True)
class DateValue:
    """A parsed date: the instant in epoch milliseconds, and the zone it was written in."""

    ms: int
    zone: str

    def iso(self) -> str:
        return format_ms(self.ms, self.zone)


def parse_zone(name: str) -> dt.tzinfo:
    """``AoE``, ``UTC``/``Z``, ``±HH:MM`` or an IANA name."""
    if name in ("AoE", "AOE", "aoe"):
        return AOE
    if name in ("UTC", "Z", "GMT"):
        return dt.UTC
    offset = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", name)
    if offset:
        sign = 1 if offset.group(1) == "+" else -1
        hours, minutes = int(offset.group(2)), int(offset.group(3))
        if hours > 14 or minutes > 59:
            raise DateError(f"the offset {name} is out of range")
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(f"unknown time zone {name!r}: use AoE, UTC, an offset like +02:00, or an IANA name "
                        "like Europe/Paris") from None


def parse_date(value: object, default_zone: str, *, end_of_day: bool) -> DateValue:
    """Read a date written in a venue file (a YAML date, datetime or string). Remembered: a compilation
    reads each of the file's dates many times (export's fitting compiles a file hundreds of times)."""
    if isinstance(value, (str, dt.date)):
        return _parse_date_remembered(value, default_zone, end_of_day)
    return _parse_date(value, default_zone, end_of_day=end_of_day)


@functools.lru_cache(maxsize=4096)
def _parse_date_remembered(value: str | dt.date, default_zone: str, end_of_day: bool) -> DateValue:
    return _parse_date(value, default_zone, end_of_day=end_of_day)


def _parse_date(value: object, default_zone: str, *, end_of_day: bool) -> DateValue:
    if isinstance(value, dt.datetime):
        zone = value.tzinfo or parse_zone(default_zone)
        moment = value if value.tzinfo else value.replace(tzinfo=zone)
        return DateValue(_ms(moment), default_zone if value.tzinfo is None else "UTC")
    if isinstance(value, dt.date):
        return _from_day(value, None, default_zone, end_of_day)
    if not isinstance(value, str):
        raise DateError("a date is written like 2026-03-01, 2026-03-01 23:59 or 2026-03-01 23:59 AoE")
    match = _FORM.match(value.strip())
    if match is None:
        raise DateError(f"{value!r} is not a date: write 2026-03-01, 2026-03-01 23:59 or 2026-03-01 23:59 AoE")
    try:
        day = dt.date.fromisoformat(match.group("date"))
    except ValueError:
        raise DateError(f"{match.group('date')} is not a calendar day") from None
    zone_name = match.group("zone") or default_zone
    time_text = match.group("time")
    if time_text is None:
        return _from_day(day, None, zone_name, end_of_day)
    clock_text, _, fraction = time_text.partition(".")  # milliseconds, as OpenReview stores them
    parts = [int(p) for p in clock_text.split(":")]
    if parts[0] > 23 or parts[1] > 59 or (len(parts) == 3 and parts[2] > 59):
        raise DateError(f"{time_text} is not a time of day")
    clock = dt.time(parts[0], parts[1], parts[2] if len(parts) == 3 else 0,
                    int(fraction.ljust(3, "0")) * 1000 if fraction else 0)
    return _from_day(day, clock, zone_name, end_of_day)


def _from_day(day: dt.date, clock: dt.time | None, zone_name: str, end_of_day: bool) -> DateValue:
    zone = parse_zone(zone_name)
    if clock is None:
        clock = dt.time(23, 59) if end_of_day else dt.time(0, 0)
    moment = dt.datetime.combine(day, clock, tzinfo=zone)
    return DateValue(_ms(moment), zone_name)


def _ms(moment: dt.datetime) -> int:
    # exact: ``timestamp() * 1000`` is a float and may land a millisecond short
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(milliseconds=1)


def format_ms(ms: int, zone_name: str = "UTC") -> str:
    """``1772409540000`` → ``2026-03-01 23:59 AoE`` (for plans and messages)."""
    zone = parse_zone(zone_name)
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=zone)
    text = moment.strftime("%Y-%m-%d %H:%M")
    if moment.second:
        text += moment.strftime(":%S")
    return f"{text} {zone_name}"
