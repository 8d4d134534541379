"""Shared fixtures: a real sandbox server on a loopback port, and openreview-py clients for it.

The server is started once per test session (in a thread, SQLite in memory) and reset through its
control plane before each test that uses it, so every test starts from a freshly seeded database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import openreview
import pytest
import requests

from venueops.sandbox import Sandbox

PASSWORD = "Or$3cur3P@ssw0rd"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files instead of comparing against them")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    with Sandbox(root_password=PASSWORD) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    """The session's sandbox, reset to a freshly seeded database."""
    response = requests.post(f"{sandbox_server.baseurl}/_sandbox/reset", timeout=30)
    response.raise_for_status()
    return sandbox_server


@pytest.fixture
def baseurl(sandbox: Sandbox) -> str:
    return sandbox.baseurl


@pytest.fixture
def root(sandbox: Sandbox) -> openreview.api.OpenReviewClient:
    """openreview-py logged in as the super user (login ``openreview.net``)."""
    return openreview.api.OpenReviewClient(baseurl=sandbox.baseurl, username="openreview.net", password=PASSWORD)


@pytest.fixture
def guest(sandbox: Sandbox) -> openreview.api.OpenReviewClient:
    return openreview.api.OpenReviewClient(baseurl=sandbox.baseurl)


UserFactory = Callable[[str, str], openreview.api.OpenReviewClient]


@pytest.fixture
def make_user(sandbox: Sandbox) -> UserFactory:
    """Register and activate a user the way openreview-py's own test helpers do; return its client."""

    def create(email: str, fullname: str) -> openreview.api.OpenReviewClient:
        client = openreview.api.OpenReviewClient(baseurl=sandbox.baseurl)
        registered = client.register_user(email=email, fullname=fullname, password=PASSWORD)
        client.activate_user(email, {
            "names": [{"fullname": fullname, "username": registered["id"], "preferred": True}],
            "emails": [email],
            "preferredEmail": email,
        })
        return client

    return create
