"""Reading the live objects a configuration manages, against a real sandbox: few requests, the
inventory, and a venue the caller may not read told apart from a venue that does not exist."""

from __future__ import annotations

import openreview
import pytest
import requests

from tests.compile.post import post_state
from tests.conftest import PASSWORD
from venueops.api.client import ApiClient
from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredState
from venueops.config.validate import load_venue_text
from venueops.state.reader import UnreadableVenue, read_live

V = "RDR.cc/2027/Workshop"
VENUE = f"""
venue: {{id: {V}, name: Reader Workshop, timezone: UTC}}
roles:
  program_chairs: [~Pat_Chair1]
stages:
  submission: {{start: 2027-01-01, due: 2027-02-01 23:59}}
"""


@pytest.fixture
def desired() -> DesiredState:
    return compile_venue(load_venue_text(VENUE, "venue.yaml"))


def client_for(baseurl: str, username: str) -> ApiClient:
    client = ApiClient(baseurl)
    client.login(username, PASSWORD)
    return client


def served(baseurl: str) -> int:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=10).json()["total"]


def test_a_venue_not_yet_created_reads_as_empty(baseurl: str, desired: DesiredState) -> None:
    live = read_live(client_for(baseurl, "openreview.net"), desired)
    assert live.groups.keys() <= {"venues", "active_venues", "host"}  # OpenReview's registries only
    assert live.invitations == {}


def test_an_applied_venue_is_read_in_two_requests(baseurl: str, root: openreview.api.OpenReviewClient,
                                                 desired: DesiredState) -> None:
    post_state(baseurl, root.token, desired)
    client = client_for(baseurl, "openreview.net")
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    live = read_live(client, desired)
    assert served(baseurl) == 2
    assert set(desired.ids("group")) <= set(live.groups)
    assert set(desired.ids("invitation")) == set(live.invitations)


def test_a_venue_the_caller_may_not_read_is_not_mistaken_for_a_missing_one(
        baseurl: str, root: openreview.api.OpenReviewClient, make_user, desired: DesiredState) -> None:
    post_state(baseurl, root.token, desired)
    root.post_group_edit(invitation="openreview.net/-/Edit", signatures=["~Super_User1"],
                         group=openreview.api.Group(id=V, readers=[V]))  # the venue hides itself
    make_user("outsider@else.example", "Out Sider")
    with pytest.raises(UnreadableVenue, match=rf"the venue group {V} exists but ~Out_Sider1 may not read it: "
                                              "plan and apply with the account of one of its program chairs"):
        read_live(client_for(baseurl, "outsider@else.example"), desired)
