"""What ``venueops apply`` shows and asks around the engine: the plan, the confirmation, progress lines
(a bar on a terminal when there are many), the outcome, and the exit status it means."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from venueops.apply.report import render_failure, render_success
from venueops.apply.runner import Outcome
from venueops.cli.arguments import parse_at
from venueops.cli.output import PROGRESS_THRESHOLD, terminal_style
from venueops.config.validate import VenueConfig
from venueops.engine import (
    Applied,
    ApplyRefused,
    apply_plan_to_target,
    check_plan_options,
    plan_saved_again,
    plan_venue,
    read_plan_file,
    require_rights,
    saved_plan_target,
)
from venueops.plan.model import Change, Plan
from venueops.plan.render import render_plan
from venueops.targets.target import Target

CONFIRM_WORD = "yes"
INTERRUPTED_EXIT = 130  # as shells report a command stopped by Ctrl-C


def apply_venue_file(config: VenueConfig, target: Target, *, allow_delete: bool, at: int | None,
                     auto_approve: bool) -> None:
    plan = plan_venue(config, target, allow_delete=allow_delete, at=at).plan
    click.echo(render_plan(plan, style=terminal_style()), nl=False)
    if plan.empty:
        return
    require_rights(plan, target)
    confirm(auto_approve)
    execute(plan, target, config, at=at, allow_delete=allow_delete)


def apply_saved_plan(document: Any, file: Path, *, baseurl: str | None, allow_delete: bool, bootstrap: bool,
                     at: str | None) -> None:
    """Apply a saved plan exactly as reviewed (``venueops.apply.saved`` lists the gates), or refuse it whole."""
    saved = read_plan_file(document, file)
    plan = saved.plan
    check_plan_options(saved, file, allow_delete=allow_delete, bootstrap=bootstrap, at=parse_at(at, saved.config))
    with saved_plan_target(plan, baseurl, on_wait=lambda why: click.echo(why, err=True)) as target:
        again = plan_saved_again(saved, target)
        click.echo(render_plan(again, style=terminal_style()), nl=False)
        if again.empty:
            return
        require_rights(again, target)
        execute(again, target, saved.config, at=plan.origin.at, allow_delete=plan.origin.allow_delete)


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
    """Apply through the engine, showing each change as it completes; exit non-zero unless the venue
    matches the file afterwards."""
    applied = _with_progress(plan, lambda progress: apply_plan_to_target(
        plan, target, config, at=at, allow_delete=allow_delete, progress=progress,
        tell=lambda message: click.echo("\n" + message if message.startswith("Sandbox: created") else message)))
    report_outcome(applied)


def report_outcome(applied: Applied) -> None:
    report = applied.report
    if not report.ok:
        click.echo("\n" + render_failure(report), err=True)
        sys.exit(INTERRUPTED_EXIT if report.interrupted else 1)
    click.echo("\n" + render_success(report))
    check = applied.check
    if check is not None and check.empty:
        click.echo("Checked: a new plan finds no changes. The venue matches the configuration.")
        return
    click.echo("\nWarning: after the apply, a new plan still finds changes (OpenReview changed what was posted, or "
               "someone edited the venue meanwhile):\n", err=True)
    if check is not None:
        click.echo(render_plan(check), err=True, nl=False)
    sys.exit(1)


def _with_progress(plan: Plan, run: Any) -> Applied:
    """Run ``run(progress)``, printing each change as it completes; a progress bar on a terminal when
    there are many."""
    total = len(plan.changes)
    bar_wanted = total > PROGRESS_THRESHOLD and sys.stderr.isatty()

    def line(change: Change, outcome: Outcome) -> str:
        return f"  {outcome.status.value:<13} {change.action.symbol} {change.address}"

    started = [False]

    def first_line() -> None:
        if not started[0]:
            click.echo("")
            started[0] = True

    if not bar_wanted:
        def progress_plain(index: int, change: Change, outcome: Outcome) -> None:
            first_line()
            click.echo(line(change, outcome))
        applied: Applied = run(progress_plain)
        first_line()
        return applied

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(TextColumn("Applying"), BarColumn(), MofNCompleteColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("apply", total=total)

        def progress_bar(index: int, change: Change, outcome: Outcome) -> None:
            first_line()
            click.echo(line(change, outcome))  # rich shows it above the bar (stdout is redirected)
            bar.advance(task)

        return run(progress_bar)


__all__ = ["apply_saved_plan", "apply_venue_file", "confirm", "execute", "report_outcome"]
