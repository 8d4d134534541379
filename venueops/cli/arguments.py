"""Option values the commands share, read as the venue file means them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
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


def server_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--baseurl`` / ``--sandbox`` / ``--sandbox-db``: where a command that reads or writes a venue goes
    (``plan_commands.open_target`` opens it). Credentials come from the environment only."""
    func = click.option("--sandbox-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The sandbox's database [default: .venueops/sandbox.db].")(func)
    func = click.option("--sandbox", "use_sandbox", is_flag=True, help="Use the embedded local sandbox.")(func)
    return click.option("--baseurl", default=None, metavar="URL",
                        help="OpenReview API v2 base URL [default: $OPENREVIEW_API_BASEURL_V2]; credentials from "
                             "the environment, as for plan.")(func)
