"""Option values the commands share, read as the venue file means them."""

from __future__ import annotations

from typing import Any

import click


def parse_at(at: str | None, config: Any) -> int | None:
    """``--at DATE`` in epoch ms, read in the venue's zone."""
    if at is None:
        return None
    from venueops.config.dates import DateError, parse_date

    try:
        return parse_date(at, config.spec.venue.timezone, end_of_day=False).ms
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None
