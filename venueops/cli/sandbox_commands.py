"""``sandbox serve``: the local OpenReview API v2 server in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from venueops.cli.base import cli


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
@click.option("--no-processes", is_flag=True,
              help="Do not run invitations' process, preprocess and date-process scripts.")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Scripts running at once (each in a worker process of its own).")
@click.option("--process-timeout", default=120.0, show_default=True, type=click.FloatRange(0.1, 86400),
              help="Seconds a script may run before it is stopped and logged as an error.")
@click.option("--process-memory", default=2048, show_default=True, type=click.IntRange(0, 1 << 20),
              help="MB of address space a script's worker may use (0: no cap).")
def sandbox_serve(host: str, port: int, db: Path | None, memory: bool, root_password: str | None,
                  no_control: bool, access_log: bool, no_processes: bool, workers: int, process_timeout: float,
                  process_memory: int) -> None:
    """Run the sandbox in the foreground until interrupted (Ctrl-C).

    Invitations' scripts run (processes after edits, preprocesses before, date processes on the
    sandbox clock) in worker processes with the limits below. Only those who may write an invitation
    can give it code; the server binds loopback unless told otherwise.
    """
    from venueops.sandbox.runtime.pool import Limits
    from venueops.sandbox.runtime.runtime import RuntimeSettings
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
        settings = RuntimeSettings(enabled=not no_processes, workers=workers,
                                   limits=Limits(seconds=process_timeout, memory_mb=process_memory))
        serve(host=host, port=port, db=target, root_password=password, root_password_chosen=chosen,
              control=not no_control, access_log=access_log, announce=lambda line: click.echo(line),
              processes=settings)
    except SandboxStartError as error:
        raise click.ClickException(str(error)) from None
