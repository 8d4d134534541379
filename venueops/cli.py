"""The ``venueops`` command line: arguments in, calls out, exit codes back.

Exit codes: 0 success, 1 error. No traceback reaches a user unless ``--debug`` is given.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from venueops import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="venueops")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Infrastructure-as-code for OpenReview venues."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def validate(files: tuple[Path, ...], as_json: bool) -> None:
    """Check venue files: schema, dates, references, and that they compile.

    Exit status 0 when every file is valid (warnings allowed), 1 otherwise.
    """
    from venueops.compile.compile import compile_venue
    from venueops.config.validate import load_venue
    from venueops.errors import ConfigError

    results = []
    for path in files:
        try:
            config = load_venue(path)
            state = compile_venue(config)
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


@cli.group()
def sandbox() -> None:
    """A local OpenReview API v2 server (SQLite) that openreview-py works against unchanged."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=3001, show_default=True, type=click.IntRange(0, 65535),
              help="Port (3001 is openreview-py's default; 0 picks a free one).")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="SQLite file [default: .venueops/sandbox.db].")
@click.option("--memory", is_flag=True, help="Keep everything in memory (gone when the server stops).")
@click.option("--root-password", envvar="VENUEOPS_SANDBOX_ROOT_PASSWORD", default=None,
              help="Password of the super user 'openreview.net' (also VENUEOPS_SANDBOX_ROOT_PASSWORD); "
                   "defaults to OpenReview's local development password on loopback.")
@click.option("--no-control", is_flag=True, help="Turn off the /_sandbox/ control plane.")
@click.option("--access-log", is_flag=True, help="Log every request.")
def sandbox_serve(host: str, port: int, db: Path | None, memory: bool, root_password: str | None,
                  no_control: bool, access_log: bool) -> None:
    """Run the sandbox in the foreground until interrupted (Ctrl-C)."""
    from venueops.sandbox.server import DEFAULT_DB, SandboxStartError, is_loopback, root_password_from, serve

    if memory and db is not None:
        raise click.UsageError("choose --db PATH or --memory, not both")
    password, chosen = root_password_from(root_password)
    if not chosen and not is_loopback(host):
        raise click.UsageError(
            f"{host} is not a loopback interface: choose a root password with --root-password "
            "or VENUEOPS_SANDBOX_ROOT_PASSWORD before exposing the sandbox"
        )
    target = None if memory else (db or DEFAULT_DB)
    try:
        serve(host=host, port=port, db=target, root_password=password, control=not no_control,
              access_log=access_log, announce=lambda line: click.echo(line))
    except SandboxStartError as error:
        raise click.ClickException(str(error)) from None


def main() -> None:
    """Entry point: run the CLI, turning unexpected errors into one line unless --debug."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        if debug:
            raise
        click.echo(f"Error: {type(error).__name__}: {error} (run with --debug for details)", err=True)
        sys.exit(1)
    sys.exit(0)
