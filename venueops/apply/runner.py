"""Posting a plan's edits in order, stopping at the first failure.

Each change is posted by the client allowed to make it: ``root`` changes (what OpenReview support
provisions) by a super user's client, the rest by the venue's. ``$now`` in a change's ``expdate`` or
``ddate`` becomes the moment the edit is posted. A failure stops the run: what was posted stays
posted (OpenReview has no transactions across edits), and the next plan picks up from there, since
every edit names its object and re-posting one is harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from venueops.api.client import ApiClient, ApiError, ConnectionFailed
from venueops.plan.model import Change, Plan
from venueops.plan.planner import NOW

Clock = Callable[[], int]
Progress = Callable[[int, Change, "Outcome"], None]  # (index, change, outcome) after each change


class Status(StrEnum):
    APPLIED = "applied"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class Outcome:
    change: Change
    status: Status
    error: str | None = None


INTERRUPTED = "interrupted (Ctrl-C) while posting: the edit may or may not have reached the server; a new plan tells"


@dataclass
class ApplyReport:
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False  # the user stopped the run (Ctrl-C)

    @property
    def ok(self) -> bool:
        return all(o.status is Status.APPLIED for o in self.outcomes)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def failure(self) -> Outcome | None:
        return next((o for o in self.outcomes if o.status is Status.FAILED), None)


@dataclass(frozen=True)
class Clients:
    """Who posts: the venue's client, and a super user's for root changes (None: not available)."""

    venue: ApiClient
    root: ApiClient | None = None

    def for_change(self, change: Change) -> ApiClient:
        if change.via == "root":
            if self.root is None:
                raise ValueError(f"{change.address} needs a super user's rights")
            return self.root
        return self.venue


def wall_clock() -> int:
    return int(time.time() * 1000)


def apply_plan(plan: Plan, clients: Clients, *, clock: Clock = wall_clock,
               progress: Progress | None = None) -> ApplyReport:
    """Post every change of ``plan`` in order; stop at the first failure, or when interrupted (Ctrl-C),
    with the report of what was done either way."""
    report = ApplyReport()
    failed = False
    for index, change in enumerate(plan.changes):
        if failed or change.edit is None:
            outcome = Outcome(change, Status.NOT_ATTEMPTED)
        else:
            try:
                outcome = _post(change, clients, clock)
            except KeyboardInterrupt:
                outcome = Outcome(change, Status.FAILED, INTERRUPTED)
                report.interrupted = True
            failed = outcome.status is Status.FAILED
        report.outcomes.append(outcome)
        if progress is not None:
            progress(index, change, outcome)
    return report


def _post(change: Change, clients: Clients, clock: Clock) -> Outcome:
    assert change.edit is not None
    body = with_moment(change.edit.body, clock())
    try:
        clients.for_change(change).post(change.edit.endpoint, body)
    except ApiError as error:
        return Outcome(change, Status.FAILED, f"{error.status} {error.name}: {error.message}")
    except (ConnectionFailed, ValueError) as error:
        return Outcome(change, Status.FAILED, str(error))
    return Outcome(change, Status.APPLIED)


# Where the planner may put ``$now``: the object's expdate or ddate, and the expdate of the child
# invitations a super invitation makes.
MOMENT_PATHS: tuple[tuple[str, ...], ...] = (("expdate",), ("ddate",), ("edit", "invitation", "expdate"))


def with_moment(edit: dict[str, Any], now: int) -> dict[str, Any]:
    """The edit with ``$now`` replaced at ``MOMENT_PATHS`` of its object (the only places the planner
    puts it), leaving every other value, including user text that happens to read "$now", alone."""
    out = dict(edit)
    for key in ("group", "invitation"):
        if isinstance(out.get(key), dict):
            out[key] = _replaced(out[key], MOMENT_PATHS, now)
    return out


def _replaced(obj: dict[str, Any], paths: tuple[tuple[str, ...], ...], now: int) -> dict[str, Any]:
    out = dict(obj)
    for first in {path[0] for path in paths}:
        value = out.get(first)
        rests = tuple(path[1:] for path in paths if path[0] == first and len(path) > 1)
        if value == NOW and any(len(path) == 1 and path[0] == first for path in paths):
            out[first] = now
        elif isinstance(value, dict) and rests:
            out[first] = _replaced(value, rests, now)
    return out
