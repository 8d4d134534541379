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

from venueops.cli.arguments import parse_at
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
    from venueops.targets.sandbox import sandbox_target
    from venueops.targets.server import server_target

    if use_sandbox and baseurl:
        raise click.UsageError("choose --sandbox or --baseurl, not both")
    if sandbox_db is not None and not use_sandbox:
        raise click.UsageError("--sandbox-db goes with --sandbox")
    if use_sandbox:
        with sandbox_target(sandbox_db or DEFAULT_SANDBOX_DB, on_wait=lambda why: click.echo(why, err=True)) as target:
            yield target
    else:
        yield server_target(baseurl, bootstrap=bootstrap)


def load_config(file: Path) -> Any:
    """The venue file, validated and compiled once: before any server or sandbox is touched, so a bad
    file changes nothing, not even a login."""
    from venueops.access.policy import checked_policies
    from venueops.compile.compile import compile_venue
    from venueops.config.validate import load_venue

    config = load_venue(file)
    compile_venue(config)
    return checked_policies(config)


# -- plan ----------------------------------------------------------------------------------------------
@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@target_options
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (schemas/plan.schema.json).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default=None,
              help="text (the default), json (as --json), or markdown (for a pull-request comment).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Save the plan for `venueops apply PLAN.json`.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 with no changes, 2 with changes, 1 on error.")
def plan(file: Path, baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None, allow_delete: bool,
         bootstrap: bool, at: str | None, as_json: bool, output_format: str | None, out: Path | None,
         detailed_exitcode: bool) -> None:
    """Show what applying the venue FILE would change in OpenReview (nothing is changed).

    A scheduled `venueops plan --detailed-exitcode` detects drift: exit status 2 means OpenReview no
    longer matches the file.
    """
    from venueops.engine import plan_venue
    from venueops.plan.integrity import key_from_environment
    from venueops.plan.render import render_plan

    try:
        key = key_from_environment()
        config = load_config(file)
        moment = parse_at(at, config)
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap) as target:
            planned = plan_venue(config, target, allow_delete=allow_delete, at=moment)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error, exit_code=DETAILED_ERROR)
    the_plan = planned.plan
    document = the_plan.dumps(key=key)
    if out is not None:
        try:
            write_plan(out, document)
        except VenueOpsError as error:
            fail(error, exit_code=DETAILED_ERROR)
    if as_json and output_format not in (None, "json"):
        raise click.UsageError("--json and --format disagree: give one of them")
    chosen = output_format or ("json" if as_json else "text")
    if chosen == "json":
        click.echo(document, nl=False)
    elif chosen == "markdown":
        from venueops.plan.markdown import plan_markdown
        from venueops.timeline import timeline
        from venueops.timeline.mermaid import gantt

        click.echo(plan_markdown(the_plan, timeline=gantt(timeline(config, now=moment))), nl=False)
    else:
        click.echo(render_plan(the_plan, style=terminal_style()), nl=False)
        if out is not None:
            signed = " (signed with VENUEOPS_PLAN_KEY)" if key is not None else ""
            click.echo(f"\nSaved the plan to {out}{signed}, plan id {the_plan.plan_id()}.\n"
                       f"Apply exactly this plan with: venueops apply {out}")
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
    than wait). A saved plan was reviewed when it was made: it is applied without asking, given the
    options it was made with (--allow-delete, --bootstrap, --at), and refused whole if it was edited,
    if its venue file changed, or if anything it touches changed since.
    """
    from venueops.cli.applying import apply_saved_plan, apply_venue_file

    saved = load_plan_document(file)
    try:
        if saved is not None:
            if use_sandbox or sandbox_db:
                raise click.UsageError("a saved plan names its own target; leave out --sandbox")
            apply_saved_plan(saved, file, baseurl=baseurl, allow_delete=allow_delete, bootstrap=bootstrap, at=at)
        else:
            config = load_config(file)
            moment = parse_at(at, config)
            with open_target(baseurl, use_sandbox, sandbox_db, bootstrap) as target:
                apply_venue_file(config, target, allow_delete=allow_delete, at=moment, auto_approve=auto_approve)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)


def load_plan_document(file: Path) -> dict[str, Any] | None:
    """The saved plan document in ``file``, or None when ``file`` is a venue file. A key given twice is
    refused: JSON readers disagree on which one counts, so a reviewer could be shown the other."""
    if file.suffix.lower() != ".json":
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    except FileNotFoundError:
        raise click.BadParameter(f"{file} does not exist", param_hint="FILE") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise click.BadParameter(f"{file} is not a saved plan: {error}", param_hint="FILE") from None
    if not isinstance(data, dict) or "changes" not in data or "format_version" not in data:
        raise click.BadParameter(f"{file} is not a saved plan (no format_version/changes)", param_hint="FILE")
    return data


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} is given twice in one object")
        out[key] = value
    return out
