"""``sandbox serve``: the local OpenReview API v2 server in the foreground."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def _sandbox_options(func: Any) -> Any:
    func = click.option("--sandbox-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The embedded sandbox's database [default: .venueops/sandbox.db].")(func)
    return click.option("--baseurl", default=None, metavar="URL",
                        help="A running sandbox (`venueops sandbox serve`) instead of the embedded one.")(func)


@contextmanager
def _super_user(baseurl: str | None, sandbox_db: Path | None) -> Iterator[Any]:
    """The sandbox's super user: on a running sandbox (password from VENUEOPS_SANDBOX_ROOT_PASSWORD, or
    OpenReview's local default), or on the embedded one over its database."""
    from venueops.api.client import ApiClient, ApiError
    from venueops.sandbox.server import root_password_from
    from venueops.targets.sandbox import sandbox_target
    from venueops.targets.target import SANDBOX_LOGIN, TargetError

    if baseurl and sandbox_db:
        raise click.UsageError("choose --baseurl or --sandbox-db, not both")
    if baseurl:
        client, password = ApiClient(baseurl), root_password_from(None)[0]
        try:
            client.login(SANDBOX_LOGIN, password)
        except ApiError as error:
            raise TargetError(f"cannot log in to the sandbox at {baseurl} as its super user: {error.message} "
                              "(set VENUEOPS_SANDBOX_ROOT_PASSWORD)") from None
        yield client, lambda: client.login(SANDBOX_LOGIN, password)
        return
    db = sandbox_db or Path(".venueops") / "sandbox.db"
    if not db.is_file():
        raise TargetError(f"there is no sandbox database at {db}: apply a venue with --sandbox first")
    with sandbox_target(db, on_wait=lambda why: click.echo(why, err=True)) as target:
        secret = target.sandbox_password or ""
        yield target.reader, lambda: target.reader.login(SANDBOX_LOGIN, secret)


@sandbox.command("advance")
@click.option("--to", "to", default=None, metavar="DATE", help="Move the clock to DATE (UTC unless it says its zone).")
@click.option("--by", "by", default=None, metavar="DURATION", help="Move the clock forward by 7d, 36h, 2w, 90m, …")
@_sandbox_options
def sandbox_advance(to: str | None, by: str | None, baseurl: str | None, sandbox_db: Path | None) -> None:
    """Move the sandbox clock forward: every date process on the way fires at its own moment, and the
    command returns once what they set off has finished. Lists what ran."""
    from venueops.api import sandbox_control
    from venueops.cli.output import fail
    from venueops.config.dates import DateError, format_ms, parse_date
    from venueops.errors import VenueOpsError

    if (to is None) == (by is None):
        raise click.UsageError("give --to DATE or --by DURATION")
    try:
        with _super_user(baseurl, sandbox_db) as (client, login):
            if to is not None:
                try:
                    target = parse_date(to, "UTC", end_of_day=False).ms
                except DateError as error:
                    raise click.BadParameter(str(error), param_hint="--to") from None
            else:
                target = sandbox_control.now_ms(client) + sandbox_control.parse_duration(by or "")
            moved = sandbox_control.advance(client, to_ms=target, login=login)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)
    click.echo(f"Sandbox clock: {format_ms(moved.before_ms, 'UTC')} → {format_ms(moved.after_ms, 'UTC')}")
    for log in moved.ran:
        when = format_ms(log["sdate"], "UTC") if log.get("sdate") else "?"
        click.echo(f"  {when}  {log.get('status', '?'):<7} {log.get('id')}  ({log.get('invitation')})")
    errors = sum(1 for log in moved.ran if log.get("status") == "error")
    click.echo(f"{len(moved.ran)} process(es) ran, {errors} with an error"
               + (" (see their logs with openreview-py's get_process_logs)" if errors else "") + ".")


@sandbox.command("mail")
@click.option("--to", "to", default=None, metavar="ADDRESS", help="Only messages to this e-mail or profile id.")
@click.option("--subject", default=None, metavar="REGEX", help="Only messages whose subject matches.")
@_sandbox_options
def sandbox_mail(to: str | None, subject: str | None, baseurl: str | None, sandbox_db: Path | None) -> None:
    """Show the e-mails the sandbox's venues sent (the sandbox never sends them anywhere), newest first."""
    from venueops.api import sandbox_control
    from venueops.cli.output import fail
    from venueops.config.dates import format_ms
    from venueops.errors import VenueOpsError

    try:
        with _super_user(baseurl, sandbox_db) as (client, _):
            messages = sandbox_control.outbox(client, to=to, subject=subject)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)
    for message in messages:
        content = message.get("content") or {}
        click.echo(f"--- {format_ms(message.get('cdate') or 0, 'UTC')}  to {content.get('to')}")
        click.echo(f"Subject: {content.get('subject')}")
        if content.get("replyTo"):
            click.echo(f"Reply-To: {content['replyTo']}")
        click.echo("")
        click.echo(content.get("text", ""))
    click.echo(f"{len(messages)} message(s).")
