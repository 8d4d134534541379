"""A venue's timeline as data: one bar per stage (opens, due, closes), the release moments, and "now".

Read from the venue file's own dates, as the compiler reads them (a deadline written as a day is its
last minute; a missing expiration is the builder's default: due + 30 minutes, decisions due + 10 days).
Pure: the picture (``picture.py``) and the Mermaid gantt of markdown plans (``mermaid.py``) draw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from venueops.access.derive import release_moments
from venueops.compile.context import TEN_DAYS, THIRTY_MINUTES, CompileContext
from venueops.config.dates import parse_date
from venueops.config.validate import VenueConfig

STAGE_ORDER = ("submission", "bidding", "review", "rebuttal", "meta_review", "decision", "comments", "revision",
               "camera_ready", "custom")


@dataclass(frozen=True)
class Bar:
    label: str  # the stage's name as the venue sees it (Official_Review, Bid (reviewers))
    key: str  # the venue file's stage key
    opens: int
    due: int | None
    closes: int


@dataclass(frozen=True)
class Timeline:
    venue_id: str
    timezone: str
    bars: tuple[Bar, ...]
    releases: tuple[tuple[int, str], ...]  # (moment, what is released)
    now: int | None


def timeline(config: VenueConfig, *, now: int | None = None) -> Timeline:
    ctx = CompileContext(config)
    zone = config.spec.venue.timezone
    bars = []
    for key in STAGE_ORDER:
        value = getattr(config.spec.stages, key)
        entries = list(value) if isinstance(value, tuple) else [value] if value is not None else []
        for entry in entries:
            opens = parse_date(entry.start, zone, end_of_day=False).ms
            due_text = getattr(entry, "due", None) or getattr(entry, "end", None)
            due = parse_date(due_text, zone, end_of_day=True).ms if due_text else None
            closes = _closes(ctx, key, entry, due)
            bars.append(Bar(_label(key, entry), key, opens, due, max(closes, opens)))
    return Timeline(config.spec.venue.id, zone, tuple(bars), tuple(release_moments(config)), now)


def _label(key: str, entry: object) -> str:
    if key == "bidding":
        return f"Bid ({getattr(entry, 'committee', '')})"
    return str(getattr(entry, "name", key))


def _closes(ctx: CompileContext, key: str, entry: Any, due: int | None) -> int:
    """When the stage's window closes, as the compiler dates it."""
    if key == "submission":
        return ctx.after_submission()
    if key == "comments":
        end = ctx.ms(entry.end, deadline=True)
        return end if end is not None else ctx.ms(entry.start, deadline=False) or 0
    _, _, expiration = ctx.stage_dates(entry, expiration_buffer=TEN_DAYS if key == "decision" else THIRTY_MINUTES)
    if expiration is not None:
        return expiration
    return due if due is not None else ctx.ms(entry.start, deadline=False) or 0
