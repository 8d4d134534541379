"""A plan as text for people: Terraform-like, deterministic, compact.

    Venue DRW.cc/2026/Workshop on http://localhost:3001, from examples/venues/workshop.yaml
    Symbols: ~ update

      ~ invitation DRW.cc/2026/Workshop/-/Official_Review  (stages.review, workshop.yaml:30)
          # 1 field differs from the configuration
          ~ duedate: 1775908740000 (2026-04-10 23:59 AoE) → 1776513540000 (2026-04-17 23:59 AoE)
          # (12 unchanged fields hidden)

    Plan: 0 to add, 1 to change, 0 to expire, 0 to delete.

A venue file that extends others says so on the first line, and each change names the files that
wrote what its object compiles from (``# written in base/workshop.yaml, spring.yaml``).

Fields are shown as ``old → new``; ``+``/``-`` mark a field added or removed. Dates appear in the
venue's zone next to the raw milliseconds; long text (scripts, web pages) as its size and a digest;
big structures by their size (the JSON plan, ``--json``, has every value).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from venueops.access.render import access_change_lines
from venueops.config.dates import DateError, format_ms
from venueops.plan.diff import UNORDERED
from venueops.plan.effects import effect_lines
from venueops.plan.model import Action, Change, FieldChange, Plan

DATE_KEYS = frozenset({"cdate", "duedate", "expdate", "ddate", "pdate", "odate", "mdate", "tcdate", "tmdate"})
INLINE_LIMIT = 100  # characters of JSON shown inline before a value is summarised
ACTION_WORDS = {Action.CREATE: "create", Action.UPDATE: "update", Action.EXPIRE: "expire", Action.DELETE: "delete"}
NO_CHANGES = "No changes. The venue matches the configuration."

Style = Callable[[str, Action | None], str]  # (text, action) → text, e.g. coloured for a terminal


def plain(text: str, action: Action | None) -> str:
    return text


def summary_line(plan: Plan) -> str:
    if plan.empty:
        return NO_CHANGES
    if all(c.stage == "inventory" for c in plan.changes):
        # adopting a venue made elsewhere (or one whose objects were retired): only the record changes
        return "Plan: no object changes; apply records venueops' inventory in the venue group."
    c = plan.counts()
    return f"Plan: {c['add']} to add, {c['change']} to change, {c['expire']} to expire, {c['delete']} to delete."


def render_plan(plan: Plan, *, style: Style = plain) -> str:
    """The whole plan as text, ending with the summary line."""
    lines = [f"Venue {plan.venue_id} on {plan.target}, from {plan.config_file}"
             + (f" (extending {', '.join(plan.origin.config_bases)})" if plan.origin.config_bases else "")]
    if plan.changes:
        used = [a for a in Action if any(c.action is a for c in plan.changes)]
        lines.append("Symbols: " + "  ".join(style(f"{a.symbol} {ACTION_WORDS[a]}", a) for a in used))
        for change in plan.changes:
            lines.append("")
            lines.extend(render_change(change, plan.timezone, style=style))
    access = access_change_lines(plan.access, plan.timezone)
    if access:
        lines.append("")
        lines.extend(access)
    effects = effect_lines(plan.effects)
    if effects:
        lines.append("")
        lines.extend(effects)
    root = [c for c in plan.changes if c.via == "root"]
    notes = list(plan.notes)
    if root:
        count = f"{len(root)} change{'s' if len(root) != 1 else ''} marked [support]"
        if plan.target.startswith("sandbox "):
            notes.insert(0, f"{count} are what OpenReview support provisions for a new venue: in the sandbox, its "
                            "super user makes them.")
        else:
            notes.insert(0, f"{count} can only be made by OpenReview support or a super user: "
                            "`venueops apply --bootstrap` makes them when you hold those rights.")
    if notes:
        lines.append("")
        lines.extend(f"Note: {note}" for note in notes)
    lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def render_change(change: Change, timezone: str, *, style: Style = plain) -> list[str]:
    where = ", ".join(p for p in (change.stage, _short_source(change.source)) if p)
    head = f"  {change.action.symbol} {change.address}"
    if change.via == "root":
        head += " [support]"
    lines = [style(head, change.action) + (f"  ({where})" if where else ""), f"      # {change.reason}"]
    if change.files:
        lines.append(f"      # written in {', '.join(change.files)}")
    for field in change.fields:
        lines.append("      " + render_field(field, change.action, timezone))
    if change.unchanged:
        lines.append(f"      # ({change.unchanged} unchanged field{'s' if change.unchanged != 1 else ''} hidden)")
    return lines


def render_field(field: FieldChange, action: Action, timezone: str) -> str:
    key = field.path.rsplit(".", 1)[-1]
    if action is Action.CREATE:
        return f"+ {field.path}: {render_value(field.after, key, timezone)}"
    if field.before_absent:
        return f"+ {field.path}: {render_value(field.after, key, timezone)}"
    if field.after_absent:
        return f"- {field.path}: {render_value(field.before, key, timezone)}"
    line = f"~ {field.path}: {render_value(field.before, key, timezone)} → {render_value(field.after, key, timezone)}"
    return line + _list_delta(field.before, field.after, always=key in UNORDERED)


def render_value(value: Any, key: str, timezone: str) -> str:
    """One value on one line: dates with their local reading, long text and structures summarised."""
    if value == "$now":
        return "(the moment of apply)"
    if key in DATE_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return f"{value} ({_local(value, timezone)})"
    if isinstance(value, str) and ("\n" in value or len(value) > INLINE_LIMIT):
        return _text_summary(value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) <= INLINE_LIMIT:
        return text
    if isinstance(value, dict):
        return f"{{…}} ({len(value)} key{'s' if len(value) != 1 else ''}, {_digest(text)})"
    if isinstance(value, list):
        return f"[…] ({len(value)} item{'s' if len(value) != 1 else ''}, {_digest(text)})"
    return text[:INLINE_LIMIT] + "…"


def _list_delta(before: Any, after: Any, *, always: bool) -> str:
    """Which items came and went: for long lists (their values alone say little) and for access
    lists (readers, members, …: their order means nothing)."""
    if not (isinstance(before, list) and isinstance(after, list)):
        return ""
    short = len(json.dumps(before)) <= INLINE_LIMIT and len(json.dumps(after)) <= INLINE_LIMIT
    if short and not always:
        return ""
    if not all(isinstance(v, str | int | float) for v in [*before, *after]):
        return ""
    gone = [v for v in before if v not in after]
    came = [v for v in after if v not in before]
    parts = [f"+{json.dumps(v, ensure_ascii=False)}" for v in came] + [f"-{json.dumps(v, ensure_ascii=False)}"
                                                                      for v in gone]
    return f" ({', '.join(parts)})" if parts else " (reordered)"


def _local(ms: int, timezone: str) -> str:
    try:
        return format_ms(ms, timezone)
    except (DateError, OverflowError, OSError, ValueError):
        return format_ms(ms, "UTC")


def _text_summary(text: str) -> str:
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    size = len(text.encode())
    shown = f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} KB"
    return f"text ({lines} line{'s' if lines != 1 else ''}, {shown}, {_digest(text)})"


def _digest(text: str) -> str:
    return "sha256 " + hashlib.sha256(text.encode()).hexdigest()[:12]


def _short_source(source: str | None) -> str | None:
    """``/abs/path/examples/venues/workshop.yaml:30:3`` → ``workshop.yaml:30``."""
    if not source:
        return None
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    parts = name.split(":")
    return ":".join(parts[:2]) if len(parts) >= 2 else name
