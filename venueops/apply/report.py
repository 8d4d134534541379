"""The outcome of an apply as text: a summary, and after a failure a table of every change."""

from __future__ import annotations

from venueops.apply.runner import ApplyReport, Status
from venueops.plan.model import Action

PAST = {Action.CREATE: "added", Action.UPDATE: "changed", Action.EXPIRE: "expired", Action.DELETE: "deleted"}


def render_success(report: ApplyReport) -> str:
    counts = {word: 0 for word in PAST.values()}
    for outcome in report.outcomes:
        counts[PAST[outcome.change.action]] += 1
    return "Apply complete: " + ", ".join(f"{n} {word}" for word, n in counts.items()) + "."


def render_failure(report: ApplyReport) -> str:
    """Which changes were applied, which failed (with the server's answer) and which were not tried."""
    applied, failed = report.count(Status.APPLIED), report.count(Status.FAILED)
    waiting = report.count(Status.NOT_ATTEMPTED)
    why = "Apply interrupted" if report.interrupted else "Apply stopped at the first failure"
    lines = [f"{why}: {applied} applied, {failed} failed, {waiting} not attempted.", ""]
    width = max(len(s.value) for s in Status)
    lines.append(f"  {'status'.ljust(width)}  change")
    for outcome in report.outcomes:
        change = outcome.change
        line = f"  {outcome.status.value.ljust(width)}  {change.action.symbol} {change.address}"
        if outcome.error:
            line += f"\n  {''.ljust(width)}    {outcome.error}"
        lines.append(line)
    lines.append("")
    lines.append("What was applied stays applied. Fix the cause and run apply again: it continues from here.")
    return "\n".join(lines)
