"""``validate``, ``render`` and ``schema``: the venue file on its own, no server involved (but for
``validate --online``, which reads one)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from venueops.cli.arguments import server_options
from venueops.cli.base import cli


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--online", is_flag=True,
              help="Also check the files against a server (--baseurl or --sandbox), reading only: the people they "
                   "name have profiles, the caller may act for the venue (or what support must provision), the "
                   "server's API version.")
@server_options
def validate(files: tuple[Path, ...], as_json: bool, online: bool, baseurl: str | None, use_sandbox: bool,
             sandbox_db: Path | None) -> None:
    """Check venue files: schema, dates, references, and that they compile.

    With --online, the files that pass are then checked against the server, which is only read: the
    people they name, the caller's rights for the venue, the server's API version.

    Exit status 0 when every file is valid (warnings allowed) and no online check found a problem, 1
    otherwise.
    """
    from venueops.access.policy import checked_policies
    from venueops.compile.compile import compile_venue
    from venueops.config.validate import BaseFileError, load_venue
    from venueops.errors import ConfigError

    if not online and (baseurl or use_sandbox or sandbox_db):
        raise click.UsageError("--baseurl, --sandbox and --sandbox-db go with --online")
    results = []
    valid = []
    for path in files:
        try:
            config = load_venue(path)
            state = compile_venue(config)
            config = checked_policies(config)
        except BaseFileError as base:  # a base: valid as far as it goes; it says what extending files set
            results.append({"file": str(path), "valid": True, "base": True, "requires": list(base.required),
                            "diagnostics": [d.to_json() for d in base.warnings]})
            if not as_json:
                for warning in base.warnings:
                    click.echo(warning.render(), err=True)
                click.echo(f"{path}: valid base; {base.summary}")
            continue
        except ConfigError as error:
            results.append({"file": str(path), "valid": False,
                            "diagnostics": [d.to_json() for d in error.diagnostics]})
            if not as_json:
                for diagnostic in error.diagnostics:
                    click.echo(diagnostic.render(), err=True)
            continue
        results.append({"file": str(path), "valid": True, "objects": len(state.objects),
                        "diagnostics": [d.to_json() for d in config.warnings]})
        valid.append((results[-1], config))
        if not as_json:
            for warning in config.warnings:
                click.echo(warning.render(), err=True)
            click.echo(f"{path}: valid ({len(state.objects)} objects)")
    document: dict[str, object] = {"format_version": 1, "files": results}
    if online and valid:
        document["server"] = validate_online(valid, baseurl, use_sandbox, sandbox_db, as_json)
    if as_json:
        click.echo(json.dumps(document, indent=2))
    if not all(r["valid"] and r.get("online", {}).get("ok", True) for r in results):
        sys.exit(1)


def validate_online(valid: list[tuple[dict[str, Any], Any]], baseurl: str | None, use_sandbox: bool,
                    sandbox_db: Path | None, as_json: bool) -> dict[str, Any]:
    """The online checks of the files that passed: each file's result gains ``online``; the server's own
    checks are returned. Prints them unless ``as_json``."""
    from venueops.cli.output import fail
    from venueops.cli.plan_commands import open_target
    from venueops.engine.online import check_server, check_venue, render_text, summary
    from venueops.errors import VenueOpsError

    try:
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap=False) as target:
            server = check_server(target)
            caller = target.reader.identity.profile_id if target.reader.identity else "a guest"
            who = "the sandbox's super user" if target.is_sandbox else caller
            if not as_json:
                click.echo(f"Online, against {target.label} as {who} (read only):")
                click.echo(render_text(server), nl=False)
            for result, config in valid:
                report = check_venue(config, target)
                result["online"] = report.to_json()
                if not as_json:
                    click.echo(f"{summary(report)}:")
                    click.echo(render_text(report.findings), nl=False)
            return {"target": target.label, "caller": caller, "checks": [f.to_json() for f in server]}
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)
        raise  # fail() exits


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--at", "at", default=None, metavar="DATE",
              help="Compile as of this date (only matters to releases written `after_due`).")
def render(file: Path, at: str | None) -> None:
    """Print the OpenReview objects a venue file compiles to, as JSON.

    For a file that extends others, each object also names the files that wrote what it is compiled
    from (`files`, in merge order: bases first).
    """
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
    if not config.bases:
        click.echo(state.dumps(), nl=False)
        return
    document = state.to_json()
    for obj, out in zip(state.objects, document["objects"], strict=True):
        files = config.object_contributors(obj.path, obj.stage, obj.id)
        body = out.pop(obj.kind)
        out.update(files=list(files), **{obj.kind: body})  # before the body, which may be long
    click.echo(json.dumps(document, indent=2, ensure_ascii=False) + "\n", nl=False)


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
