"""The exceptions venueops raises to its users, in one hierarchy.

    VenueOpsError                  anything venueops reports instead of a traceback
    └── ConfigError                the venue file is invalid: carries every Diagnostic (file:line:col)

Each error's message is complete on its own line(s); the CLI prints it and exits with status 1.
"""

from __future__ import annotations

from venueops.diagnostics import Diagnostic


class VenueOpsError(Exception):
    """Base of every error venueops reports to a user."""


class ConfigError(VenueOpsError):
    """A venue file failed to load, validate or compile; ``diagnostics`` says where and why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.render() for d in self.diagnostics))
