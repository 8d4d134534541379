"""``access``: who may read, post and sign what in a venue file's venue, and from when.

    venueops access FILE [--at DATE] [--role ROLE] [--format text|json|markdown]
    venueops access FILE --live [--baseurl URL | --sandbox]   (the live venue's, read back)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from venueops.access.roles import ROLES
from venueops.cli.arguments import parse_at, server_options
from venueops.cli.base import cli
from venueops.cli.output import fail


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--at", "at", default=None, metavar="DATE", help="Only what holds at this moment.")
@click.option("--role", type=click.Choice(ROLES), default=None, help="Only this role.")
@click.option("--format", "output", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="text for a terminal, json as data, or markdown (for a pull request).")
@click.option("--live", is_flag=True, help="The live venue's access, read back from the server (read only).")
@server_options
def access(file: Path, at: str | None, role: str | None, output: str, live: bool, baseurl: str | None,
           use_sandbox: bool, sandbox_db: Path | None) -> None:
    """Print the venue's access matrix: each role, what it may read, post and sign, and when.

    Read from the objects the file compiles to, before and at each release moment; no server is asked.
    With --live, from the venue's invitations as they are on the server (or the sandbox) now: what the
    live venue gives, hand edits included, without the releases still to come.
    """
    from venueops.access import access_matrix
    from venueops.access.render import render_markdown, render_text
    from venueops.config.validate import load_venue
    from venueops.errors import ConfigError

    try:
        config = load_venue(file)
    except ConfigError as error:
        fail(error)
    moment = parse_at(at, config)
    source = None
    if live:
        matrix, label = _live(config, baseurl, use_sandbox, sandbox_db)
        source = f"live, read from {label}"
    else:
        matrix = access_matrix(config)
    if moment is not None:
        matrix = matrix.at(moment)
    if role is not None:
        matrix = matrix.of(role)
    if output == "json":
        click.echo(json.dumps({**matrix.to_json(), "at": moment, "source": source or "file"}, indent=2,
                              ensure_ascii=False))
    elif output == "markdown":
        click.echo(render_markdown(matrix, at=moment, source=source), nl=False)
    else:
        click.echo(render_text(matrix, at=moment, source=source), nl=False)


def _live(config: Any, baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None) -> tuple[Any, str]:
    """The live venue's matrix, and where it was read."""
    from venueops.cli.plan_commands import open_target
    from venueops.engine import read_access
    from venueops.errors import VenueOpsError

    try:
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap=False) as target:
            return read_access(config, target), target.label
    except VenueOpsError as error:
        fail(error)
        raise AssertionError from error  # fail exits
