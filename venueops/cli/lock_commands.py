"""``force-unlock``: release a venue's write lock that a crashed writer left behind.

    venueops force-unlock VENUE_ID (--sandbox | --baseurl URL)
"""

from __future__ import annotations

from pathlib import Path

import click

from venueops.cli.arguments import server_options
from venueops.cli.base import cli
from venueops.cli.output import fail
from venueops.cli.plan_commands import open_target
from venueops.errors import VenueOpsError


@cli.command("force-unlock")
@click.argument("venue_id")
@server_options
def force_unlock(venue_id: str, baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None) -> None:
    """Delete VENUE_ID's write lock, whoever holds it (as `terraform force-unlock` does).

    Only for a lock whose writer is gone: a writer still running would go on posting unguarded.
    """
    from venueops.apply.lock import force_unlock as unlock
    from venueops.config.dates import format_ms

    try:
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap=False) as target:
            released = unlock(target.clients.venue, venue_id)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)
    if released is None:
        click.echo(f"{venue_id} is not locked.")
    else:
        click.echo(f"Released the lock of {venue_id} held by {released.holder} (until {format_ms(released.expires)}).")
