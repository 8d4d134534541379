"""The sandbox's control plane and outbox, as venueops' commands use them (``sandbox advance``, ``sandbox mail``).

Over HTTP like the rest of ``venueops.api``: a running sandbox (``--baseurl``) or the embedded one
(``--sandbox-db``) are driven the same way. Moving the clock forward makes the sandbox fire every date
process on the way, each at its own moment, and answer once what they set off has finished.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from venueops.api.client import ApiClient
from venueops.config.dates import format_ms
from venueops.errors import VenueOpsError

_DURATION = re.compile(r"^\s*(\d+)\s*(ms|s|m|h|d|w)\s*$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}


def parse_duration(text: str) -> int:
    """``7d``, ``36h``, ``2w``, ``90m`` … → milliseconds."""
    match = _DURATION.match(text)
    if match is None:
        raise VenueOpsError(f"{text!r} is not a duration: write a whole number and a unit, e.g. 7d, 36h, 2w, 90m")
    return int(match.group(1)) * _UNIT_MS[match.group(2)]


@dataclass(frozen=True)
class Advanced:
    before_ms: int
    after_ms: int
    ran: list[dict[str, Any]]  # the process logs of what ran meanwhile, oldest first


def now_ms(client: ApiClient) -> int:
    return int(client.request("GET", "/_sandbox/clock")["now"])


def advance(client: ApiClient, *, to_ms: int, login: Callable[[], None]) -> Advanced:
    """Move the sandbox clock to ``to_ms`` (forward only). Sessions end on the sandbox clock, so the
    client's own may expire on the way: ``login`` renews it before the logs are read."""
    before = now_ms(client)
    if to_ms <= before:
        raise VenueOpsError(f"the sandbox clock is already at {format_ms(before, 'UTC')}, past "
                            f"{format_ms(to_ms, 'UTC')}: advance moves it forward only")
    client.request("PUT", "/_sandbox/clock", json={"now": to_ms, "running": True})
    client.request("POST", "/_sandbox/idle", json={"timeout": 600})
    login()
    logs = client.get("/logs/process", {"minsdate": before}).get("logs") or []
    return Advanced(before, now_ms(client), sorted(logs, key=lambda log: (log.get("sdate") or 0, log.get("id"))))


def outbox(client: ApiClient, *, to: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
    """The messages the sandbox's venues sent (it sends none out), newest first; ``subject`` is a regex."""
    params = {"to": to} if to else {}
    messages = client.get("/messages", params).get("messages") or []
    if subject:
        try:
            pattern = re.compile(subject)
        except re.error as error:
            raise VenueOpsError(f"--subject {subject!r} is not a regular expression: {error}") from None
        messages = [m for m in messages if pattern.search((m.get("content") or {}).get("subject", ""))]
    return messages
