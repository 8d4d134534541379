"""The export tests run the CLI against the session's sandbox as the plan tests do (same fixtures)."""

from tests.plan.conftest import server_requests, venue_file, venueops  # noqa: F401  (fixtures)
