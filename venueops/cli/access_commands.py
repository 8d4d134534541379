"""``access``: who may read, post and sign what in a venue file's venue, and from when.

    venueops access FILE [--at DATE] [--role ROLE] [--format text|json|markdown]
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from venueops.access.roles import ROLES
from venueops.cli.arguments import parse_at
from venueops.cli.base import cli
from venueops.cli.output import fail


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--at", "at", default=None, metavar="DATE", help="Only what holds at this moment.")
@click.option("--role", type=click.Choice(ROLES), default=None, help="Only this role.")
@click.option("--format", "output", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="text for a terminal, json as data, or markdown (for a pull request).")
def access(file: Path, at: str | None, role: str | None, output: str) -> None:
    """Print the venue's access matrix: each role, what it may read, post and sign, and when.

    Read from the objects the file compiles to, before and at each release moment; no server is asked.
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
    matrix = access_matrix(config)
    if moment is not None:
        matrix = matrix.at(moment)
    if role is not None:
        matrix = matrix.of(role)
    if output == "json":
        click.echo(json.dumps({**matrix.to_json(), "at": moment}, indent=2, ensure_ascii=False))
    elif output == "markdown":
        click.echo(render_markdown(matrix, at=moment), nl=False)
    else:
        click.echo(render_text(matrix, at=moment), nl=False)
