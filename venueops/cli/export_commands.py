"""``export``: a live venue (venueops', or made by openreview-py's builder or a venue request workflow),
written back as a venue file that plans empty.

    venueops export VENUE_ID [-o FILE] (--sandbox | --baseurl URL) [--timezone ZONE] [--at DATE] [--allow-diff]

The file goes to FILE (or stdout); what was recognized and any difference go to stderr. Nothing is
written when the export fails, or when its plan would not be empty (unless --allow-diff).
"""

from __future__ import annotations

from pathlib import Path

import click

from venueops.cli.base import cli
from venueops.cli.output import fail
from venueops.cli.plan_commands import open_target
from venueops.config.dates import DateError, parse_date, parse_zone
from venueops.errors import VenueOpsError


class ExportDiffers(VenueOpsError):
    """The exported file would not plan empty against the venue it came from."""


@cli.command()
@click.argument("venue_id")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the venue file here (default: stdout).")
@click.option("--baseurl", default=None, metavar="URL",
              help="OpenReview API v2 base URL [default: $OPENREVIEW_API_BASEURL_V2]; credentials as for plan.")
@click.option("--sandbox", "use_sandbox", is_flag=True, help="Read from the embedded local sandbox.")
@click.option("--sandbox-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The sandbox's database.")
@click.option("--timezone", "zone", default=None, metavar="ZONE",
              help="Write dates in this zone (AoE, UTC, +02:00, an IANA name) [default: the zone in which the "
                   "venue's dates are round, UTC or AoE].")
@click.option("--at", "at", default=None, metavar="DATE",
              help="Check the round trip as of this date instead of now (releases written `after_due`).")
@click.option("--allow-diff", is_flag=True, help="Write the file even if its plan would not be empty.")
def export(venue_id: str, out: Path | None, baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None,
           zone: str | None, at: str | None, allow_diff: bool) -> None:
    """Write the venue file of the live venue VENUE_ID: one venueops applied, or one to adopt (made by
    openreview-py's builder or OpenReview's venue request), whose first apply then records venueops'
    inventory and posts nothing else.

    Before writing, the file is compiled and planned against the objects it was read from: if the plan
    would change anything, the objects are named and the export fails (exit 1) unless --allow-diff.
    """
    from venueops.export import export_venue

    try:
        if zone is not None:
            try:
                parse_zone(zone)
            except DateError as error:
                raise click.BadParameter(str(error), param_hint="--timezone") from None
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap=False) as target:
            moment = _moment(at, zone) if at is not None else target.now_ms()
            exported = export_venue(target, venue_id, zone=zone, at=moment)
        if exported.differences and not allow_diff:
            raise ExportDiffers("the exported file would not plan empty; these objects differ (--allow-diff "
                                "writes it anyway):\n  " + "\n  ".join(exported.differences))
        if out is not None:
            try:
                out.write_text(exported.text, encoding="utf-8")
            except OSError as error:
                raise ExportDiffers(f"cannot write {out}: {error.strerror or error}") from None
        else:
            click.echo(exported.text, nl=False)
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)
    click.echo("Recognized: " + ", ".join(exported.recognized) + ".", err=True)
    for line in exported.left_out:
        click.echo(f"Left out: {line}", err=True)
    for line in exported.differences:
        click.echo(f"Differs: {line}", err=True)
    if out is not None:
        click.echo(f"Wrote {out} ({exported.requests} read requests).", err=True)


def _moment(at: str, zone: str | None) -> int:
    try:
        return parse_date(at, zone or "UTC", end_of_day=False).ms
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None
