"""An OpenReview server as a target: its base URL from ``--baseurl`` or ``OPENREVIEW_API_BASEURL_V2``;
credentials from the environment only (``OPENREVIEW_USERNAME`` + ``OPENREVIEW_PASSWORD``, or
``OPENREVIEW_TOKEN``), never from arguments, so they stay out of shell history and process lists. The
caller acts for the venue; with ``--bootstrap`` it also provisions (it must be a super user, checked
before anything is posted)."""

from __future__ import annotations

import os

from venueops.api.client import ApiClient, ApiError
from venueops.apply.runner import Clients
from venueops.plan.planner import SUPER_USER
from venueops.targets.target import Target, TargetError


def choose_server(baseurl: str | None) -> str:
    url = baseurl or os.environ.get("OPENREVIEW_API_BASEURL_V2")
    if not url:
        raise TargetError(
            "no OpenReview server chosen. Either:\n"
            "  --sandbox          try the venue on the embedded local sandbox (no account needed), or\n"
            "  --baseurl URL      use a server (or set OPENREVIEW_API_BASEURL_V2), with credentials in\n"
            "                     OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD, or OPENREVIEW_TOKEN")
    return url


def server_target(baseurl: str | None, *, bootstrap: bool) -> Target:
    """A target on a real server, logged in from the environment."""
    url = choose_server(baseurl)
    try:
        client = ApiClient.from_environment(url)
    except ApiError as error:
        raise TargetError(f"cannot log in to {url}: {error.name}: {error.message}") from None
    if client.identity is None:
        raise TargetError(f"no credentials for {url}: set OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD, "
                          "or OPENREVIEW_TOKEN (a guest cannot see a venue's private objects)")
    root = client if bootstrap else None
    return Target(label=url, reader=client, clients=Clients(venue=client, root=root), provisioning=bootstrap)


def signs_for(client: ApiClient, group_id: str) -> bool:
    """Whether the logged-in caller may sign as ``group_id`` (one request; ``ApiError`` when it cannot be
    asked)."""
    if client.identity is None:
        return False
    answer = client.get("/groups", {"id": group_id, "signatory": client.identity.profile_id})
    return any(g.get("id") == group_id for g in answer.get("groups") or [])


def may_provision(client: ApiClient) -> bool:
    """Whether the caller may sign as OpenReview's super user (what provisioning a venue takes)."""
    try:
        return signs_for(client, SUPER_USER)
    except ApiError:
        return False


def ensure_can_act(client: ApiClient, venue_id: str) -> None:
    """Refuse to plan for a caller who cannot act for the venue (sign as it) and is no super user: what
    it cannot read would look absent, and the plan would propose to create it. One request (two for a
    super user)."""
    if client.identity is None:
        return
    try:
        acts = signs_for(client, venue_id)
    except ApiError as error:
        raise TargetError(f"cannot check who may act for {venue_id}: {error.name}: {error.message}") from None
    if not acts and not may_provision(client):
        raise TargetError(f"{client.identity.profile_id} cannot act for the venue {venue_id} (only its program "
                          "chairs, members of the venue group, can): plan and apply with a program chair's account")
