"""``timeline``: a venue file's stages drawn as a picture.

    venueops timeline FILE -o timeline.svg|timeline.png [--at DATE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from venueops.cli.arguments import parse_at
from venueops.cli.base import cli


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The picture to write: .svg or .png.")
@click.option("--at", "at", default=None, metavar="DATE", help="Where the 'now' line stands [default: now].")
def timeline(file: Path, out: Path, at: str | None) -> None:
    """Draw the venue's timeline: each stage as a bar (opens, due, closes), the release moments, and now."""
    from venueops.config.validate import load_venue
    from venueops.errors import ConfigError, VenueOpsError
    from venueops.timeline import timeline as venue_timeline
    from venueops.timeline.picture import draw

    try:
        config = load_venue(file)
        moment = parse_at(at, config)
        draw(venue_timeline(config, now=moment if moment is not None else int(time.time() * 1000)), out)
    except ConfigError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.render(), err=True)
        sys.exit(1)
    except VenueOpsError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"Error: cannot write {out}: {error.strerror or error}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {out}")
