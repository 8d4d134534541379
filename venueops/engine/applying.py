"""Applying: a plan made by ``planning.plan_venue`` (or a saved plan, made again) posted to its target.

``apply_plan_to_target`` runs every step after the plan is shown and approved: the rights the plan
needs, the version tokens (nothing is written before they pass), the last rule check, the edits, and a
new plan that confirms the venue now matches the file. It prints nothing: it reports through the
``progress`` and ``tell`` callbacks and returns an ``Applied``; the CLI, reconcile and tests decide
what to show and which exit status it means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from venueops.apply.lock import create_lock_invitation, venue_lock
from venueops.apply.preflight import refuse_unacceptable_edits
from venueops.apply.runner import ApplyReport, Outcome, apply_plan
from venueops.apply.saved import SavedPlan, check_options, prepare_saved_plan, read_saved_plan
from venueops.apply.versions import refuse_if_stale
from venueops.config.validate import VenueConfig
from venueops.engine.planning import plan_venue
from venueops.errors import VenueOpsError
from venueops.plan.integrity import key_from_environment
from venueops.plan.model import Action, Change, Plan
from venueops.targets.sandbox import sandbox_target
from venueops.targets.sandbox_accounts import acting_clients
from venueops.targets.server import choose_server, may_provision, server_target
from venueops.targets.target import Target

Progress = Callable[[int, Change, Outcome], None]
Tell = Callable[[str], None]


class ApplyRefused(VenueOpsError):
    """Nothing was applied: the plan needs rights the caller lacks, is stale, or was not confirmed."""


@dataclass(frozen=True)
class Applied:
    """What an apply did: the runner's report, and (when every edit landed) the plan made afterwards,
    empty when the venue matches the file."""

    report: ApplyReport
    check: Plan | None

    @property
    def ok(self) -> bool:
        return self.report.ok and self.check is not None and self.check.empty


def support_changes(plan: Plan) -> list[Change]:
    """The plan's changes only a super user can make: what OpenReview support creates for a new venue."""
    return [c for c in plan.changes if c.via == "root"]


def support_listing(changes: list[Change], indent: str = "  ") -> str:
    """Those changes, one a line, as apply's refusal and ``validate --online`` list them."""
    return "\n".join(f"{indent}{c.action.symbol} {c.address}" for c in changes)


def require_rights(plan: Plan, target: Target) -> None:
    """Refuse, before anything is posted, a plan with changes only a super user can make when the
    caller cannot make them, listing exactly what OpenReview support must create."""
    root_changes = support_changes(plan)
    if not root_changes:
        return
    root = target.clients.root
    if root is not None and (target.is_sandbox or may_provision(root)):
        return
    listing = support_listing(root_changes)
    how = ("you asked for --bootstrap, but this account cannot sign as OpenReview's super user"
           if root is not None else "run `venueops apply --bootstrap` with an account that may")
    raise ApplyRefused(
        f"nothing was applied: {len(root_changes)} change(s) can only be made by OpenReview support "
        f"({how}):\n{listing}\nAsk OpenReview support to create the venue (these objects), then run apply again.")


def apply_plan_to_target(plan: Plan, target: Target, config: VenueConfig, *, at: int | None, allow_delete: bool,
                         progress: Progress | None = None, tell: Tell | None = None,
                         operation: str = "apply") -> Applied:
    """Post ``plan`` (made for ``config`` with these options) to ``target`` and plan again.

    Refuses with nothing written when the plan needs rights the caller lacks, when another writer holds
    the venue's lock (``LockHeld``), when anything it touches changed since it was made (version
    tokens, checked once the lock is held), or when an edit breaks a server rule. ``operation`` names
    the command in the lock, for the message another writer sees."""
    say = tell or (lambda message: None)
    require_rights(plan, target)
    refuse_unacceptable_edits(plan)
    clients = target.clients
    if target.is_sandbox:
        clients = acting_clients(target, list(config.spec.roles.program_chairs.members or []), say)
    creates_venue = _creates_meta_invitation(plan)
    with nullcontext() if creates_venue else venue_lock(clients.venue, plan.venue_id, operation=operation,
                                                        now=target.now_ms):
        refuse_if_stale(plan, target.reader)  # under the lock: another writer's edits make the plan stale
        report = apply_plan(plan, clients, progress=progress)
    if not report.ok:
        return Applied(report, None)
    if creates_venue:
        create_lock_invitation(clients.venue, plan.venue_id)  # the venue's write lock comes with it
    return Applied(report, plan_venue(config, target, allow_delete=allow_delete, at=at).plan)


def _creates_meta_invitation(plan: Plan) -> bool:
    """Whether this apply creates the venue's meta invitation: before it exists there is nothing to take
    the venue's lock through, so a venue's first apply is not locked (``venueops.apply.lock``)."""
    meta = f"{plan.venue_id}/-/Edit"
    return any(c.kind == "invitation" and c.id == meta and c.action is Action.CREATE for c in plan.changes)


def read_plan_file(document: Any, file: Path) -> SavedPlan:
    """A saved plan's own gates (format, digests, signature, its venue file), before any server is
    touched (``venueops.apply.saved`` lists them)."""
    return read_saved_plan(document, str(file), key_from_environment())


def check_plan_options(saved: SavedPlan, file: Path, *, allow_delete: bool, bootstrap: bool,
                       at: int | None) -> None:
    """The options apply was given must be the plan's: a plan file cannot grant itself --allow-delete,
    --bootstrap or a --at moment."""
    check_options(saved.plan, str(file), allow_delete=allow_delete, bootstrap=bootstrap, at=at)


def plan_saved_again(saved: SavedPlan, target: Target) -> Plan:
    """The remaining gates against the target; the plan made again, which is what is shown and posted."""
    return prepare_saved_plan(saved, target)


@contextmanager
def saved_plan_target(plan: Plan, baseurl: str | None, *, on_wait: Tell | None = None) -> Iterator[Target]:
    """The target the plan was made for. A server's credentials are only ever sent to a server the user
    named (``--baseurl`` or ``OPENREVIEW_API_BASEURL_V2``), and it must be the plan's: a plan file cannot
    send them elsewhere. A sandbox plan opens its database only if it exists."""
    if plan.target.startswith("sandbox "):
        db = Path(plan.target.removeprefix("sandbox "))
        if not db.is_file():
            raise ApplyRefused(f"nothing was applied: the plan was made on the sandbox database {db}, which is not "
                               "there")
        with sandbox_target(db, on_wait=on_wait) as target:
            yield target
        return
    try:
        named = choose_server(baseurl)
    except VenueOpsError:
        raise ApplyRefused(f"nothing was applied: the plan is for {plan.target}; name that server with --baseurl "
                           "(or OPENREVIEW_API_BASEURL_V2), so that credentials only go where you send them") from None
    if named.rstrip("/") != plan.target.rstrip("/"):
        raise ApplyRefused(f"nothing was applied: the plan was made for {plan.target}, not {named}")
    yield server_target(plan.target, bootstrap=plan.origin.bootstrap)
