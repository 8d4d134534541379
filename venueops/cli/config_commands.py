"""``validate``, ``render`` and ``schema``: the venue file on its own, no server involved."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from venueops.cli.base import cli


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def validate(files: tuple[Path, ...], as_json: bool) -> None:
    """Check venue files: schema, dates, references, and that they compile.

    Exit status 0 when every file is valid (warnings allowed), 1 otherwise.
    """
    from venueops.access.policy import checked_policies
    from venueops.compile.compile import compile_venue
    from venueops.config.validate import load_venue
    from venueops.errors import ConfigError

    results = []
    for path in files:
        try:
            config = load_venue(path)
            state = compile_venue(config)
            config = checked_policies(config)
        except ConfigError as error:
            results.append({"file": str(path), "valid": False,
                            "diagnostics": [d.to_json() for d in error.diagnostics]})
            if not as_json:
                for diagnostic in error.diagnostics:
                    click.echo(diagnostic.render(), err=True)
            continue
        results.append({"file": str(path), "valid": True, "objects": len(state.objects),
                        "diagnostics": [d.to_json() for d in config.warnings]})
        if not as_json:
            for warning in config.warnings:
                click.echo(warning.render(), err=True)
            click.echo(f"{path}: valid ({len(state.objects)} objects)")
    if as_json:
        click.echo(json.dumps({"format_version": 1, "files": results}, indent=2))
    if not all(r["valid"] for r in results):
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--at", "at", default=None, metavar="DATE",
              help="Compile as of this date (only matters to releases written `after_due`).")
def render(file: Path, at: str | None) -> None:
    """Print the OpenReview objects a venue file compiles to, as JSON."""
    from venueops.compile.compile import compile_venue
    from venueops.config.dates import DateError, parse_date
    from venueops.config.validate import load_venue
    from venueops.errors import ConfigError

    try:
        config = load_venue(file)
        moment = parse_date(at, config.spec.venue.timezone, end_of_day=False).ms if at else None
        state = compile_venue(config, at=moment)
    except ConfigError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.render(), err=True)
        sys.exit(1)
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None
    click.echo(state.dumps(), nl=False)


@cli.command()
@click.option("--markdown", is_flag=True, help="Print the venue file reference (Markdown) instead.")
def schema(markdown: bool) -> None:
    """Print the JSON Schema of venue files (committed as schemas/venue.schema.json)."""
    if markdown:
        from venueops.config.reference import markdown as reference

        click.echo(reference())
        return
    from venueops.config.models import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
