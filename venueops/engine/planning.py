"""Planning: venue file → desired objects → live state → plan, against a target.

Each step is a pure function elsewhere (``config``, ``compile``, ``plan``); this module only strings
them together with the target's reader.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from venueops.access.changes import access_changes, live_matrix
from venueops.access.model import AccessMatrix
from venueops.access.policy import checked_policies
from venueops.api.client import ApiClient, ApiError
from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredState
from venueops.config.validate import VenueConfig
from venueops.openreview import files as openreview_files
from venueops.plan.effects import needs_count, side_effects
from venueops.plan.model import Change, Plan, PlanOrigin
from venueops.plan.planner import PlanOptions, PlanTarget, make_plan
from venueops.state.reader import read_live
from venueops.targets.server import ensure_can_act
from venueops.targets.target import Target


def count_submissions(reader: ApiClient, config: VenueConfig) -> int | None:
    """The venue's papers now (one request), for the side effects' fan-out counts; None if unreadable."""
    invitation = f"{config.spec.venue.id}/-/{config.spec.stages.submission.name}"
    try:
        answer = reader.get("/notes", {"invitation": invitation, "limit": 1, "select": "id"})
    except ApiError:
        return None
    count = answer.get("count")
    return count if isinstance(count, int) else None


@dataclass(frozen=True)
class Planned:
    config: VenueConfig
    desired: DesiredState
    plan: Plan


def _with_files(change: Change, config: VenueConfig, desired: DesiredState) -> Change:
    """``change`` naming the files that wrote what its object compiles from (a venue file with ``extends``)."""
    obj = next((o for o in desired.objects if o.kind == change.kind and o.id == change.id), None)
    if obj is None or change.stage == "inventory":
        return change  # an expiry, a deletion, the inventory: no object of the file's
    return replace(change, files=config.object_contributors(obj.path, obj.stage, obj.id))


def plan_venue(config: VenueConfig, target: Target, *, allow_delete: bool = False, at: int | None = None) -> Planned:
    """Compile the venue file ``config`` as of ``at`` (default: the target's now, for releases written ``after_due``)
    and plan it against the target's live state. The request count is the live reads this plan took."""
    moment = at if at is not None else target.now_ms()
    config = checked_policies(config)  # before any read: a broken policy stops the plan (ConfigError)
    desired = compile_venue(config, at=moment)
    before = target.reader.requests_made
    live = read_live(target.reader, desired)
    if desired.venue_id in live.groups and not target.provisioning:
        ensure_can_act(target.reader, desired.venue_id)
    requests = target.reader.requests_made - before
    options = PlanOptions(allow_delete=allow_delete, provisioning=target.provisioning, now=moment)
    # --bootstrap as the user gave it: the sandbox always provisions, without being asked to
    origin = PlanOrigin(config_file=config.file, config_sha256=config.sha256, allow_delete=allow_delete,
                        bootstrap=target.provisioning and not target.is_sandbox, at=at, config_bases=config.bases)
    plan = make_plan(desired, live, resolve=openreview_files.resolve, options=options,
                     target=PlanTarget(target.label, config.spec.venue.timezone), origin=origin, requests=requests)
    if config.bases:
        plan = replace(plan, changes=tuple(_with_files(c, config, desired) for c in plan.changes))
    if plan.changes:
        plan = replace(plan, access=tuple(access_changes(config, desired, live)))
        submissions = None
        if needs_count(plan.changes, desired):
            before = target.reader.requests_made
            submissions = count_submissions(target.reader, config)
            plan = replace(plan, requests=plan.requests + target.reader.requests_made - before)
        plan = replace(plan, effects=tuple(side_effects(plan.changes, desired, submissions)))
    warned = tuple(f"{d.location}: {d.message}" for d in config.warnings if d.message.startswith("policy"))
    if warned:
        plan = replace(plan, notes=(*plan.notes, *warned))
    return Planned(config, desired, plan)


def read_access(config: VenueConfig, target: Target) -> AccessMatrix:
    """The access the live venue on ``target`` gives now, read back from its invitations (the objects the
    file manages; as many requests as a plan's reading)."""
    desired = compile_venue(config, at=target.now_ms())
    return live_matrix(config, desired, read_live(target.reader, desired))
