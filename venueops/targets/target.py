"""A target: where a plan is made and applied, as the engine sees it (the live state's reader, the
clients that post, and whether the caller provisions). Made by ``server.server_target`` or
``sandbox.sandbox_target``; immutable, so a step that acts as someone else makes its own clients
instead of changing the target under its caller."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from venueops.api.client import ApiClient
from venueops.apply.runner import Clients
from venueops.errors import VenueOpsError

SANDBOX_LOGIN = "openreview.net"


@dataclass(frozen=True)
class Target:
    label: str  # recorded in plans and shown: the base URL, or "sandbox <database>"
    reader: ApiClient  # reads the live state
    clients: Clients  # posts the edits
    provisioning: bool  # the caller provisions: may post and rewrite what support owns
    # the sandbox's root password (sandbox only; never shown, not even in a repr)
    sandbox_password: str | None = field(default=None, repr=False)

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox_password is not None

    def now_ms(self) -> int:
        """The target's "now", which releases written ``after_due`` are compiled for: the wall clock for a
        server; the sandbox's own clock for the sandbox, whose time may have been moved."""
        if self.is_sandbox:
            return int(self.reader.request("GET", "/_sandbox/clock")["now"])
        return int(time.time() * 1000)


class TargetError(VenueOpsError):
    """No server could be chosen or reached, or the credentials were refused."""
