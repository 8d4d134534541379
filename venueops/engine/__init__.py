"""The one engine behind plan and apply: every caller (the CLI, scheduled jobs, tests) uses these calls.

- ``plan_venue(config, target, …)`` → ``Planned``: the venue file compiled and diffed against the
  target's live state (``planning``);
- ``apply_plan_to_target(plan, target, config, …)`` → ``Applied``: rights, version tokens, rules, the
  edits, and the plan made again (``applying``); saved plans go through ``read_plan_file``,
  ``saved_plan_target`` and ``plan_saved_again`` first;
- ``read_access(config, target)`` → the access the live venue gives now (``venueops access --live``).

Targets (a server, the sandbox) are opened by ``venueops.targets``.
"""

from venueops.engine.applying import (
    Applied,
    ApplyRefused,
    apply_plan_to_target,
    check_plan_options,
    plan_saved_again,
    read_plan_file,
    require_rights,
    saved_plan_target,
)
from venueops.engine.planning import Planned, plan_venue, read_access

__all__ = ["Applied", "ApplyRefused", "Planned", "apply_plan_to_target", "check_plan_options", "plan_saved_again",
           "plan_venue", "read_access", "read_plan_file", "require_rights", "saved_plan_target"]
