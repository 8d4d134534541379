"""When an invitation's date processes fire: its ``dateprocesses`` read into moments on the sandbox clock.

An invitation carries a list of date processes (notes/api-v2.md §3.3), each one of:

- ``{"dates": [...], "script": ...}``: each entry an epoch-ms integer or an expression over the
  invitation, such as ``"#{4/duedate} + 86400000"`` or ``"#{4/edit/invitation/cdate}"``: ``#{4/path}``
  is the invitation's field at ``path`` (``4`` counts the levels from the expression up to the
  invitation, as in an invitation edit; any level reads the invitation), added to or subtracted from
  whole numbers. An entry whose field is missing, or not a number, does not fire;
- ``{"delay": ms, "script": ...}``: ``ms`` after the invitation was last saved (its ``mdate``).
  FIDELITY: OpenReview's docs do not say what ``delay`` counts from; each save schedules one firing;
- ``{"cron": "0 0 * * *", "startDate": ms, "endDate": ms, "script": ...}``: every occurrence of the
  cron expression (UTC) between ``startDate`` (default: when the invitation was created) and
  ``endDate`` (default: none), one at a time: the next is scheduled when the last has fired.

Each firing is a ``Firing``: which process (its index in ``dateprocesses``), which date (its index in
``dates``; 0 for ``delay`` and ``cron``), and the moment. Its log id is OpenReview's
``<invitation>-<process index>-<date index>``. A firing is identified by all four, so one moment of one
date fires once, however often the invitation is saved; a moved date is a new firing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from croniter import croniter

MAX_DATE = 9_999_999_999_999
_TERM = re.compile(r"\s*(#\{(\d+)/([^}]*)\}|-?\d+)\s*")
_OPERATOR = re.compile(r"\s*([+-])\s*")


@dataclass(frozen=True, order=True)
class Firing:
    at_ms: int
    invitation_id: str
    process_index: int
    date_index: int

    @property
    def log_id(self) -> str:
        return f"{self.invitation_id}-{self.process_index}-{self.date_index}"


def evaluate(expression: Any, invitation: dict[str, Any]) -> int | None:
    """An entry of ``dates`` as epoch ms, or None when it cannot be read (a missing field, bad syntax)."""
    if isinstance(expression, bool):
        return None
    if isinstance(expression, int):
        return expression
    if not isinstance(expression, str):
        return None
    position, total, sign = 0, 0, 1
    while True:
        term = _TERM.match(expression, position)
        if term is None:
            return None
        value = _field(invitation, term.group(3)) if term.group(2) is not None else int(term.group(1))
        if value is None:
            return None
        total += sign * value
        position = term.end()
        if position == len(expression):
            return total
        operator = _OPERATOR.match(expression, position)
        if operator is None:
            return None
        sign = 1 if operator.group(1) == "+" else -1
        position = operator.end()


def _field(invitation: dict[str, Any], path: str) -> int | None:
    node: Any = invitation
    for part in path.split("/"):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node if isinstance(node, int) and not isinstance(node, bool) else None


def firings(invitation: dict[str, Any], *, cron_after: dict[int, int] | None = None) -> list[Firing]:
    """Every firing the invitation asks for now (for ``cron``: the next occurrence after
    ``cron_after[process index]``, default when the invitation was created)."""
    entries = invitation.get("dateprocesses")
    if not isinstance(entries, list):
        return []
    invitation_id = str(invitation.get("id"))
    out: list[Firing] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("dates"), list):
            for date_index, expression in enumerate(entry["dates"]):
                moment = evaluate(expression, invitation)
                if moment is not None and 0 <= moment <= MAX_DATE:
                    out.append(Firing(moment, invitation_id, index, date_index))
        elif isinstance(entry.get("delay"), int) and not isinstance(entry.get("delay"), bool):
            saved = invitation.get("mdate") or invitation.get("tmdate")
            if isinstance(saved, int):
                out.append(Firing(saved + entry["delay"], invitation_id, index, 0))
        elif isinstance(entry.get("cron"), str):
            after = (cron_after or {}).get(index)
            moment = next_cron(entry, invitation, after)
            if moment is not None:
                out.append(Firing(moment, invitation_id, index, 0))
    return out


def next_cron(entry: dict[str, Any], invitation: dict[str, Any], after_ms: int | None) -> int | None:
    """The first occurrence of the entry's cron expression after ``after_ms`` (or its start), or None."""
    start = entry.get("startDate") if isinstance(entry.get("startDate"), int) else None
    created = invitation.get("tcdate") if isinstance(invitation.get("tcdate"), int) else 0
    base = max(v for v in (after_ms, start, created) if v is not None)
    if not croniter.is_valid(entry["cron"]):
        return None
    moment = croniter(entry["cron"], dt.datetime.fromtimestamp(base / 1000, tz=dt.UTC)).get_next(dt.datetime)
    ms = int(moment.timestamp() * 1000)
    end = entry.get("endDate")
    if isinstance(end, int) and ms > end:
        return None
    return ms


def script_of(invitation: dict[str, Any], process_index: int) -> str | None:
    entries = invitation.get("dateprocesses")
    if isinstance(entries, list) and 0 <= process_index < len(entries) and isinstance(entries[process_index], dict):
        script = entries[process_index].get("script")
        return script if isinstance(script, str) else None
    return None
