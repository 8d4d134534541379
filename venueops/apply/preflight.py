"""Before the first write: every edit of the plan is checked against OpenReview's rules.

``validate`` already checks the compiled objects (``venueops.compile.checks``); the edits of a plan
are more than that: patches merged with the live state, scripts read from openreview-py, ``$now``
filled in. Checking them all here, before anything is posted, means a rule the server enforces
refuses the whole plan at once instead of failing it halfway (``venueops.openreview.rules``).
"""

from __future__ import annotations

from venueops.apply.runner import wall_clock, with_moment
from venueops.errors import VenueOpsError
from venueops.openreview import rules
from venueops.plan.model import Plan


class UnacceptableEdits(VenueOpsError):
    """Edits the server would refuse; nothing was applied."""


def edit_problems(plan: Plan, now: int) -> list[str]:
    """``<object>: <field>: <problem>`` for every rule an edit of ``plan`` breaks (posted at ``now``)."""
    found = []
    for change in plan.changes:
        if change.edit is None:
            continue
        body = with_moment(change.edit.body, now)
        found += [f"{change.address}: {violation}" for violation in rules.check_edit(change.edit.endpoint, body)]
    return found


def refuse_unacceptable_edits(plan: Plan, now: int | None = None) -> None:
    problems = edit_problems(plan, wall_clock() if now is None else now)
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        raise UnacceptableEdits(f"nothing was applied: OpenReview would refuse {len(problems)} of the plan's edits:\n"
                                f"{listing}")
