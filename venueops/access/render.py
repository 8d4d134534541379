"""The access matrix for people: one line per grant, grouped by role, dates in the venue's zone.

    Authors of the paper
      read Official_Review from 2026-04-10 23:59 AoE (review release to authors after the deadline)
      read submissions from creation
"""

from __future__ import annotations

from typing import Any

from venueops.access.model import AccessMatrix, Grant
from venueops.access.roles import ROLE_WORDS
from venueops.config.dates import format_ms

VERB_WORDS = {"read": "read", "post": "post", "sign": "sign as themselves on"}


def render_text(matrix: AccessMatrix, *, at: int | None = None, source: str | None = None) -> str:
    """``source``: where the matrix was read, when not from the file (``live, read from …``)."""
    head = f"Access to {matrix.venue_id}" + (f" ({source})" if source else "") + \
        (f" at {format_ms(at, matrix.timezone)}" if at is not None else "")
    lines = [head]
    for role in dict.fromkeys(g.role for g in matrix.grants):
        lines.append("")
        lines.append(ROLE_WORDS.get(role, role))
        lines.extend(f"  {grant_text(g, matrix.timezone)}" for g in matrix.grants if g.role == role)
    if not matrix.grants:
        lines.append("")
        lines.append("Nobody holds any access at this moment.")
    return "\n".join(lines) + "\n"


def render_markdown(matrix: AccessMatrix, *, at: int | None = None, source: str | None = None) -> str:
    when = (f" ({source})" if source else "") + (f" at {format_ms(at, matrix.timezone)}" if at is not None else "")
    lines = [f"### Access to `{matrix.venue_id}`{when}", "", "| who | may | what | when |", "| --- | --- | --- | --- |"]
    for grant in matrix.grants:
        lines.append(f"| {ROLE_WORDS.get(grant.role, grant.role)} | {_verb(grant)} | {grant.what} | "
                     f"{_period(grant, matrix.timezone)} |")
    return "\n".join(lines) + "\n"


def grant_text(grant: Grant, zone: str) -> str:
    return f"{_verb(grant)} {grant.what} {_period(grant, zone)}"


def _verb(grant: Grant) -> str:
    if grant.verb == "sign" and grant.condition:
        return f"sign ({grant.condition})"
    if grant.verb == "sign":
        return "sign"
    if grant.condition:
        return f"{grant.verb} ({grant.condition})"
    return grant.verb


def _period(grant: Grant, zone: str) -> str:
    if grant.start is None and grant.end is None:
        return "from creation"
    text = f"from {format_ms(grant.start, zone)}" if grant.start is not None else "from creation"
    if grant.end is not None:
        text += f" until {format_ms(grant.end, zone)}"
    if grant.reason:
        text += f" ({grant.reason})"
    return text


# -- a plan's access changes -----------------------------------------------------------------------
CHANGE_SYMBOLS = {"gain": "+", "lose": "-", "moves": "~"}


def access_change_lines(changes: list[dict[str, Any]] | tuple[dict[str, Any], ...], zone: str) -> list[str]:
    """The "Access changes" section of a text plan (empty when nothing changes)."""
    if not changes:
        return []
    lines = ["Access changes (from the moment of apply):"]
    for change in changes:
        lines.append("  " + access_change_text(change, zone))
    widened = sorted({c["widens"] for c in changes if c.get("widens")})
    if widened:
        lines.append(f"  ! This plan widens access to {', '.join(widened)}.")
    return lines


def access_change_text(change: dict[str, Any], zone: str) -> str:
    who = ROLE_WORDS.get(change["role"], change["role"])
    verb = change["verb"] + (f" ({change['condition']})" if change.get("condition") else "")
    kind = change["change"]
    action = {"gain": "gain", "lose": "lose"}.get(kind, "keep")
    head = f"{CHANGE_SYMBOLS.get(kind, '?')} {who} {action} {verb} on {change['what']}"
    if kind == "gain":
        text = f"{head}: {_window(change['after'], zone)}"
    elif kind == "lose":
        text = f"{head}: held {_window(change['before'], zone)}"
    else:
        text = f"{head}, now {_window(change['after'], zone)} (was {_window(change['before'], zone)})"
    if change.get("widens"):
        text += f"  [widens access to {change['widens']}]"
    return text


def _window(period: dict[str, Any] | None, zone: str) -> str:
    if not period or (period.get("start") is None and period.get("end") is None):
        return "from creation"
    start, end = period.get("start"), period.get("end")
    text = f"from {format_ms(start, zone)}" if start is not None else "from creation"
    return text + (f" until {format_ms(end, zone)}" if end is not None else "")
