"""The steps of ``venueops apply`` around the runner: rights, confirmation, version tokens, the sandbox's
acting chair, progress, and the read-back that confirms OpenReview now matches the file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from venueops.api.client import ApiClient, ApiError
from venueops.apply.preflight import refuse_unacceptable_edits
from venueops.apply.report import render_failure, render_success
from venueops.apply.runner import ApplyReport, Clients, Outcome, apply_plan
from venueops.apply.saved import check_options, prepare_saved_plan, read_saved_plan
from venueops.apply.versions import refuse_if_stale
from venueops.cli.output import PROGRESS_THRESHOLD, terminal_style
from venueops.config.validate import VenueConfig
from venueops.errors import VenueOpsError
from venueops.plan.integrity import key_from_environment
from venueops.plan.model import Change, Plan
from venueops.plan.render import render_plan
from venueops.target import Target, choose_server, may_provision, sandbox_target, server_target
from venueops.workflow import plan_venue

CONFIRM_WORD = "yes"
INTERRUPTED_EXIT = 130  # as shells report a command stopped by Ctrl-C


class ApplyRefused(VenueOpsError):
    """Nothing was applied: the plan needs rights the caller lacks, is stale, or was not confirmed."""


def apply_venue_file(config: VenueConfig, target: Target, *, allow_delete: bool, at: int | None,
                     auto_approve: bool) -> None:
    planned = plan_venue(config, target, allow_delete=allow_delete, at=at)
    plan = planned.plan
    click.echo(render_plan(plan, style=terminal_style()), nl=False)
    if plan.empty:
        return
    require_rights(plan, target)
    confirm(auto_approve)
    execute(plan, target, config, at=at, allow_delete=allow_delete)


def apply_saved_plan(document: Any, file: Path, *, baseurl: str | None, allow_delete: bool, bootstrap: bool,
                     at: str | None) -> None:
    """Apply a saved plan exactly as reviewed (``venueops.apply.saved`` lists the gates), or refuse it whole."""
    from venueops.cli.plan_commands import parse_at

    saved = read_saved_plan(document, str(file), key_from_environment())
    plan = saved.plan
    check_options(plan, str(file), allow_delete=allow_delete, bootstrap=bootstrap, at=parse_at(at, saved.config))
    with saved_plan_target(plan, baseurl) as target:
        again = prepare_saved_plan(saved, target)
        click.echo(render_plan(again, style=terminal_style()), nl=False)
        if again.empty:
            return
        require_rights(again, target)
        execute(again, target, saved.config, at=plan.origin.at, allow_delete=plan.origin.allow_delete)


@contextmanager
def saved_plan_target(plan: Plan, baseurl: str | None) -> Iterator[Target]:
    """The target the plan was made for. A server's credentials are only ever sent to a server the user
    named (``--baseurl`` or ``OPENREVIEW_API_BASEURL_V2``), and it must be the plan's: a plan file cannot
    send them elsewhere. A sandbox plan opens its database only if it exists."""
    if plan.target.startswith("sandbox "):
        db = Path(plan.target.removeprefix("sandbox "))
        if not db.is_file():
            raise ApplyRefused(f"nothing was applied: the plan was made on the sandbox database {db}, which is not "
                               "there")
        with sandbox_target(db, on_wait=lambda why: click.echo(why, err=True)) as target:
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


def require_rights(plan: Plan, target: Target) -> None:
    """Refuse, before anything is posted, a plan with changes only a super user can make when the
    caller cannot make them, listing exactly what OpenReview support must create."""
    root_changes = [c for c in plan.changes if c.via == "root"]
    if not root_changes:
        return
    root = target.clients.root
    if root is not None and (target.is_sandbox or may_provision(root)):
        return
    listing = "\n".join(f"  {c.action.symbol} {c.address}" for c in root_changes)
    how = ("you asked for --bootstrap, but this account cannot sign as OpenReview's super user"
           if root is not None else "run `venueops apply --bootstrap` with an account that may")
    raise ApplyRefused(
        f"nothing was applied: {len(root_changes)} change(s) can only be made by OpenReview support "
        f"({how}):\n{listing}\nAsk OpenReview support to create the venue (these objects), then run apply again.")


def confirm(auto_approve: bool) -> None:
    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise ApplyRefused("nothing was applied: apply asks for confirmation, and there is no terminal to ask on. "
                           "Review the plan, then run again with --auto-approve (or save it with `plan -o` and "
                           "apply the file).")
    answer = click.prompt(f"\nDo you want to apply these changes? Only '{CONFIRM_WORD}' will be accepted",
                          default="", show_default=False)
    if answer.strip() != CONFIRM_WORD:
        raise ApplyRefused("nothing was applied: not confirmed.")


def execute(plan: Plan, target: Target, config: VenueConfig, *, at: int | None, allow_delete: bool) -> None:
    """Check the version tokens, then (nothing written before this point) post the edits, then plan again
    to confirm nothing is left."""
    refuse_if_stale(plan, target.reader)
    refuse_unacceptable_edits(plan)
    if target.is_sandbox:
        target.clients = sandbox_clients(target, config)
    click.echo("")
    report = run_with_progress(plan, target.clients)
    if not report.ok:
        click.echo("\n" + render_failure(report), err=True)
        sys.exit(INTERRUPTED_EXIT if report.interrupted else 1)
    click.echo("\n" + render_success(report))
    check = plan_venue(config, target, allow_delete=allow_delete, at=at).plan
    if check.empty:
        click.echo("Checked: a new plan finds no changes. The venue matches the configuration.")
        return
    click.echo("\nWarning: after the apply, a new plan still finds changes (OpenReview changed what was posted, or "
               "someone edited the venue meanwhile):\n", err=True)
    click.echo(render_plan(check), err=True, nl=False)
    sys.exit(1)


def sandbox_clients(target: Target, config: VenueConfig) -> Clients:
    """In the sandbox, the first program chair with an account acts for the venue (accounts are
    created as needed); the sandbox's super user provisions."""
    from venueops.sandbox_accounts import ensure_chair_accounts

    root = target.clients.root
    assert root is not None and target.sandbox_password is not None
    members = list(config.spec.roles.program_chairs.members or [])
    accounts = ensure_chair_accounts(root, members, target.sandbox_password)
    created = [a for a in accounts if a.created]
    if created:
        names = ", ".join(f"{a.profile_id} ({a.login})" for a in created)
        click.echo(f"\nSandbox: created accounts for the program chairs: {names}; their password is the "
                   "sandbox's root password.")
    for account in accounts:
        chair = ApiClient(root.baseurl)
        try:
            chair.login(account.login, target.sandbox_password)
        except ApiError:
            continue
        click.echo(f"Sandbox: acting for the venue as {account.profile_id}.")
        return Clients(venue=chair, root=root)
    click.echo("Sandbox: no program chair account to act as; acting as the sandbox's super user.")
    return Clients(venue=root, root=root)


def run_with_progress(plan: Plan, clients: Clients) -> ApplyReport:
    """Apply, printing each change as it completes; a progress bar on a terminal when there are many."""
    total = len(plan.changes)
    bar_wanted = total > PROGRESS_THRESHOLD and sys.stderr.isatty()

    def line(change: Change, outcome: Outcome) -> str:
        return f"  {outcome.status.value:<13} {change.action.symbol} {change.address}"

    if not bar_wanted:
        def progress_plain(index: int, change: Change, outcome: Outcome) -> None:
            click.echo(line(change, outcome))
        return apply_plan(plan, clients, progress=progress_plain)

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(TextColumn("Applying"), BarColumn(), MofNCompleteColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("apply", total=total)

        def progress_bar(index: int, change: Change, outcome: Outcome) -> None:
            click.echo(line(change, outcome))  # rich shows it above the bar (stdout is redirected)
            bar.advance(task)

        return apply_plan(plan, clients, progress=progress_bar)
