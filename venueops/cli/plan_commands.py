"""``plan`` and ``apply``: what would change in OpenReview, and making it so.

    venueops plan  VENUE.yaml  (--sandbox | --baseurl URL) [--json] [-o PLAN.json] [--detailed-exitcode]
    venueops apply VENUE.yaml  (--sandbox | --baseurl URL) [--auto-approve] [--bootstrap]
    venueops apply PLAN.json   [--baseurl URL]      (a saved plan: applied as reviewed, or refused whole)

Plans go to stdout; progress, warnings and errors to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from venueops.cli.base import cli
from venueops.cli.output import fail, terminal_style, write_plan
from venueops.errors import VenueOpsError

DETAILED_NO_CHANGES, DETAILED_ERROR, DETAILED_CHANGES = 0, 1, 2
DEFAULT_SANDBOX_DB = Path(".venueops") / "sandbox.db"


def target_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options choosing the server, shared by plan and apply."""
    func = click.option("--sandbox-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help=f"The sandbox's database [default: {DEFAULT_SANDBOX_DB}].")(func)
    func = click.option("--sandbox", "use_sandbox", is_flag=True,
                        help="Use the embedded local sandbox (started for the command; no account needed).")(func)
    func = click.option("--baseurl", default=None, metavar="URL",
                        help="OpenReview API v2 base URL [default: $OPENREVIEW_API_BASEURL_V2]. Credentials come "
                             "from OPENREVIEW_USERNAME/OPENREVIEW_PASSWORD or OPENREVIEW_TOKEN.")(func)
    func = click.option("--allow-delete", is_flag=True,
                        help="Delete groups that left the configuration (otherwise they are left in place).")(func)
    func = click.option("--bootstrap", is_flag=True,
                        help="Also provision what OpenReview support creates for a new venue (needs a super "
                             "user's rights).")(func)
    func = click.option("--at", "at", default=None, metavar="DATE",
                        help="Plan as of this date instead of now (releases written `after_due`).")(func)
    return func


@contextmanager
def open_target(baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None, bootstrap: bool) -> Iterator[Any]:
    from venueops.target import sandbox_target, server_target

    if use_sandbox and baseurl:
        raise click.UsageError("choose --sandbox or --baseurl, not both")
    if sandbox_db is not None and not use_sandbox:
        raise click.UsageError("--sandbox-db goes with --sandbox")
    if use_sandbox:
        with sandbox_target(sandbox_db or DEFAULT_SANDBOX_DB) as target:
            yield target
    else:
        yield server_target(baseurl, bootstrap=bootstrap)


def parse_at(at: str | None, venue_file: Path) -> int | None:
    if at is None:
        return None
    from venueops.config.dates import DateError, parse_date
    from venueops.config.validate import load_venue

    try:
        return parse_date(at, load_venue(venue_file).spec.venue.timezone, end_of_day=False).ms
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None


# -- plan ----------------------------------------------------------------------------------------------
@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@target_options
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (schemas/plan.schema.json).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Save the plan for `venueops apply PLAN.json`.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 with no changes, 2 with changes, 1 on error.")
def plan(file: Path, baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None, allow_delete: bool,
         bootstrap: bool, at: str | None, as_json: bool, out: Path | None, detailed_exitcode: bool) -> None:
    """Show what applying the venue FILE would change in OpenReview (nothing is changed).

    A scheduled `venueops plan --detailed-exitcode` detects drift: exit status 2 means OpenReview no
    longer matches the file.
    """
    from venueops.plan.render import render_plan
    from venueops.workflow import plan_venue

    try:
        moment = parse_at(at, file)
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap) as target:
            planned = plan_venue(file, target, allow_delete=allow_delete, at=moment)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error, exit_code=DETAILED_ERROR)
    the_plan = planned.plan
    if out is not None:
        try:
            write_plan(out, the_plan.dumps())
        except VenueOpsError as error:
            fail(error, exit_code=DETAILED_ERROR)
    if as_json:
        click.echo(the_plan.dumps(), nl=False)
    else:
        click.echo(render_plan(the_plan, style=terminal_style()), nl=False)
        if out is not None:
            click.echo(f"\nSaved the plan to {out}. Apply exactly this plan with: venueops apply {out}")
    if detailed_exitcode and not the_plan.empty:
        sys.exit(DETAILED_CHANGES)


# -- apply ---------------------------------------------------------------------------------------------
@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@target_options
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
def apply(file: Path, baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None, allow_delete: bool,
          bootstrap: bool, at: str | None, auto_approve: bool) -> None:
    """Make OpenReview match the venue FILE (or apply a plan saved with `plan -o`).

    Shows the plan and asks for `yes` (--auto-approve skips; without a terminal it refuses rather
    than wait). A saved plan was reviewed when it was made: it is applied without asking, and
    refused whole if anything it touches changed since.
    """
    from venueops.cli.applying import apply_saved_plan, apply_venue_file

    saved = read_saved_plan(file)
    try:
        if saved is not None:
            if use_sandbox or sandbox_db:
                raise click.UsageError("a saved plan names its own target; leave out --sandbox")
            if allow_delete or at:
                raise click.UsageError("--allow-delete and --at shape a plan when it is made: give them to "
                                       "`venueops plan`, not when applying a saved plan")
            apply_saved_plan(saved, file, baseurl=baseurl, bootstrap=bootstrap)
        else:
            moment = parse_at(at, file)
            with open_target(baseurl, use_sandbox, sandbox_db, bootstrap) as target:
                apply_venue_file(file, target, allow_delete=allow_delete, at=moment, auto_approve=auto_approve)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)


def read_saved_plan(file: Path) -> dict[str, Any] | None:
    """The saved plan in ``file``, or None when ``file`` is a venue file."""
    if file.suffix.lower() != ".json":
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise click.BadParameter(f"{file} does not exist", param_hint="FILE") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.BadParameter(f"{file} is not a saved plan: {error}", param_hint="FILE") from None
    if not isinstance(data, dict) or "changes" not in data or "format_version" not in data:
        raise click.BadParameter(f"{file} is not a saved plan (no format_version/changes)", param_hint="FILE")
    return data
