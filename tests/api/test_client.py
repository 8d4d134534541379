"""venueops' API client against a real sandbox: credentials, errors, retries, timeouts, paging, secrecy.

Failures come from the sandbox's fault switch (``/_sandbox/faults``), so every retry path is a real
HTTP exchange: a 503 with ``Retry-After``, a 429, a dropped socket, a slow answer.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import pytest
import requests

from tests.conftest import PASSWORD
from venueops.api.client import MAX_IDS_CHARACTERS, ApiClient, ApiError, ConnectionFailed, RetryPolicy
from venueops.errors import VenueOpsError

FAST = RetryPolicy(attempts=4, backoff=0.01, max_wait=5)
ROOT = "openreview.net"


def set_faults(baseurl: str, *rules: dict[str, Any]) -> None:
    requests.put(f"{baseurl}/_sandbox/faults", json={"rules": list(rules)}, timeout=10).raise_for_status()


def fired(baseurl: str) -> list[int]:
    rules = requests.get(f"{baseurl}/_sandbox/faults", timeout=10).json()["rules"]
    return [rule["fired"] for rule in rules]


def served(baseurl: str, route: str) -> int:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=10).json()["byRoute"].get(route, 0)


@pytest.fixture(autouse=True)
def no_faults_afterwards(sandbox_server):
    yield
    requests.delete(f"{sandbox_server.baseurl}/_sandbox/faults", timeout=10)


@pytest.fixture
def client(baseurl: str) -> ApiClient:
    client = ApiClient(baseurl, retry=FAST)
    client.login(ROOT, PASSWORD)
    return client


def group_edit(group_id: str) -> dict[str, Any]:
    return {"invitation": "openreview.net/-/Edit", "readers": ["everyone"], "writers": ["~Super_User1"],
            "signatures": ["~Super_User1"],
            "group": {"id": group_id, "readers": ["everyone"], "writers": [group_id], "signatories": [group_id],
                      "signatures": ["~Super_User1"], "members": []}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- credentials ----------------------------------------------------------------------------------

def test_login_with_id_and_password(baseurl: str, sandbox) -> None:
    client = ApiClient(baseurl)
    identity = client.login(ROOT, PASSWORD)
    assert (identity.login, identity.profile_id) == (ROOT, "~Super_User1")
    assert client.get("/groups", {"id": "openreview.net", "signatory": "~Super_User1"})["groups"]


def test_a_wrong_password_is_the_servers_error(baseurl: str, sandbox) -> None:
    with pytest.raises(ApiError) as caught:
        ApiClient(baseurl).login(ROOT, "not-the-password")
    error = caught.value
    assert (error.status, error.name, error.message) == (401, "UnauthorizedError", "Invalid username or password")
    assert str(error) == "POST /login: 401 UnauthorizedError: Invalid username or password"


def test_login_with_a_token(baseurl: str, sandbox) -> None:
    token = requests.post(f"{baseurl}/login", json={"id": ROOT, "password": PASSWORD}, timeout=10).json()["token"]
    client = ApiClient(baseurl)
    client.use_token(f"Bearer {token}")
    assert client.identity is not None and client.identity.profile_id == "~Super_User1"


def test_from_environment_reads_openreview_py_variables(baseurl: str, sandbox, monkeypatch) -> None:
    monkeypatch.setenv("OPENREVIEW_API_BASEURL_V2", baseurl)
    monkeypatch.setenv("OPENREVIEW_USERNAME", ROOT)
    monkeypatch.setenv("OPENREVIEW_PASSWORD", PASSWORD)
    monkeypatch.delenv("OPENREVIEW_TOKEN", raising=False)
    client = ApiClient.from_environment()
    assert client.baseurl == baseurl and client.identity is not None and client.identity.login == ROOT
    assert ApiClient.from_environment(baseurl + "/").baseurl == baseurl  # --baseurl wins, trailing slash dropped


def test_from_environment_without_credentials_is_a_guest(baseurl: str, sandbox, monkeypatch) -> None:
    for name in ("OPENREVIEW_USERNAME", "OPENREVIEW_PASSWORD", "OPENREVIEW_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    client = ApiClient.from_environment(baseurl)
    assert client.identity is None and "Authorization" not in client.session.headers


def test_from_environment_needs_both_halves_of_a_login(baseurl: str, monkeypatch) -> None:
    monkeypatch.delenv("OPENREVIEW_TOKEN", raising=False)
    monkeypatch.setenv("OPENREVIEW_USERNAME", ROOT)
    monkeypatch.delenv("OPENREVIEW_PASSWORD", raising=False)
    with pytest.raises(VenueOpsError, match="set both OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD"):
        ApiClient.from_environment(baseurl)


def test_from_environment_without_a_server(monkeypatch) -> None:
    monkeypatch.delenv("OPENREVIEW_API_BASEURL_V2", raising=False)
    with pytest.raises(VenueOpsError, match=r"no OpenReview server chosen: pass --baseurl URL .* or use --sandbox"):
        ApiClient.from_environment()


# -- errors and retries ---------------------------------------------------------------------------

def test_an_error_carries_the_servers_name_and_message(client: ApiClient) -> None:
    with pytest.raises(ApiError) as caught:
        client.get("/groups", {"id": "No.cc/Such_Group"})
    assert (caught.value.status, caught.value.name) == (404, "NotFoundError")
    assert "No.cc/Such_Group" in caught.value.message


def test_transient_5xx_are_retried(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": 2, "status": 503})
    before = client.requests_made
    assert client.get("/groups", {"id": "everyone"})["groups"][0]["id"] == "everyone"
    assert client.requests_made - before == 3
    assert fired(baseurl) == [2]


def test_429_waits_as_long_as_retry_after_says(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": 1, "status": 429, "retry_after": 1})
    started = time.monotonic()
    client.get("/groups", {"id": "everyone"})
    assert 1.0 <= time.monotonic() - started < 3
    assert fired(baseurl) == [1]


def test_a_429_pauses_every_thread_that_shares_the_client(client: ApiClient, baseurl: str) -> None:
    """reconcile's jobs share one client: one job told to wait holds the others too, rather than
    each finding the limit on its own."""
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": 1, "status": 429, "retry_after": 1})
    finished: dict[str, float] = {}
    started = time.monotonic()

    def read(name: str, path: str) -> None:
        client.get(path, {"id": "everyone"} if path == "/groups" else {"id": "openreview.net/-/Edit"})
        finished[name] = time.monotonic() - started

    first = threading.Thread(target=read, args=("told", "/groups"))
    first.start()
    time.sleep(0.3)  # the first one has had its 429 by now
    second = threading.Thread(target=read, args=("other", "/invitations"))  # a route the rule does not match
    second.start()
    first.join(10)
    second.join(10)
    assert fired(baseurl) == [1]
    assert finished["other"] >= 0.95, finished  # it waited out the pause the first one was given


def test_a_lasting_failure_gives_up_with_the_servers_error(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": None, "status": 500,
                         "name": "InternalServerError", "message": "database unavailable"})
    with pytest.raises(ApiError) as caught:
        client.get("/groups", {"id": "everyone"})
    assert (caught.value.status, caught.value.name, caught.value.message) == (500, "InternalServerError",
                                                                              "database unavailable")
    assert fired(baseurl) == [FAST.attempts]


def test_a_client_error_is_not_retried(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": None, "status": 400,
                         "name": "ValidationError", "message": "bad"})
    with pytest.raises(ApiError):
        client.get("/groups", {"id": "everyone"})
    assert fired(baseurl) == [1]


def test_a_dropped_connection_is_retried(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": 1, "drop": True})
    assert client.get("/groups", {"id": "everyone"})["groups"]
    assert fired(baseurl) == [1]


def test_a_server_that_keeps_dropping_is_a_clear_error(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": None, "drop": True})
    with pytest.raises(ConnectionFailed, match=rf"^GET /groups: no answer from {baseurl} \(connection refused or "
                                               rf"dropped after 4 attempts\)$"):
        client.get("/groups", {"id": "everyone"})


def test_no_server_listening(sandbox) -> None:
    client = ApiClient(f"http://127.0.0.1:{free_port()}", retry=RetryPolicy(attempts=2, backoff=0.01))
    with pytest.raises(ConnectionFailed, match="no answer from"):
        client.get("/groups", {"id": "everyone"})
    assert client.requests_made == 2


def test_a_slow_answer_times_out_and_is_retried(baseurl: str, sandbox) -> None:
    client = ApiClient(baseurl, timeout=0.3, retry=FAST)
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": 1, "delay_ms": 1000})
    assert client.get("/groups", {"id": "everyone"})["groups"]
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": None, "delay_ms": 600})
    with pytest.raises(ConnectionFailed, match=r"\(timed out after 4 attempts\)"):
        client.get("/groups", {"id": "everyone"})


def test_an_edit_whose_answer_was_lost_is_posted_again_and_converges(client: ApiClient, baseurl: str) -> None:
    """The server stored the edit but the answer never came: re-posting the same edit leaves one
    group as it should be (why edit posts are safe to retry)."""
    set_faults(baseurl, {"method": "POST", "path": "/groups/edits", "times": 1, "drop": True, "phase": "after"})
    client.post("/groups/edits", group_edit("Lost.cc"))
    assert fired(baseurl) == [1]
    assert [g["id"] for g in client.get("/groups", {"prefix": "Lost.cc"})["groups"]] == ["Lost.cc"]


def test_other_posts_are_not_retried(client: ApiClient, baseurl: str) -> None:
    set_faults(baseurl, {"method": "POST", "path": "/profiles/search", "times": None, "status": 503})
    with pytest.raises(ApiError) as caught:
        client.post("/profiles/search", {"term": "x"})
    assert caught.value.status == 503
    assert fired(baseurl) == [1]


# -- reading many ---------------------------------------------------------------------------------

def test_pages_follows_offsets_until_the_count(client: ApiClient, baseurl: str) -> None:
    for index in range(7):
        client.post("/groups/edits", group_edit(f"Paged.cc/Group_{index}"))
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    found = [g["id"] for g in client.pages("groups", {"prefix": "Paged.cc/"}, page_size=3)]
    assert sorted(found) == [f"Paged.cc/Group_{index}" for index in range(7)]
    assert served(baseurl, "GET /groups") == 3
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    assert len(list(client.pages("groups", {"prefix": "Paged.cc/Group_"}, page_size=7))) == 7
    assert served(baseurl, "GET /groups") == 1  # the count says there is nothing more to ask for


def test_pages_reads_to_the_count_when_the_server_caps_the_page_size(client: ApiClient, baseurl: str) -> None:
    """The sandbox, like OpenReview, answers at most 1000 objects whatever ``limit`` asks."""
    edits = [{"kind": "group", "edit": group_edit(f"Capped.cc/Group_{index:04d}")} for index in range(1003)]
    requests.post(f"{baseurl}/_sandbox/batch", json={"edits": edits}, timeout=60).raise_for_status()
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    found = [g["id"] for g in client.pages("groups", {"prefix": "Capped.cc/"}, page_size=5000)]
    assert len(found) == len(set(found)) == 1003
    assert served(baseurl, "GET /groups") == 2


def test_get_by_ids_batches_long_id_lists(client: ApiClient, baseurl: str) -> None:
    long_ids = [f"Batch.cc/{'x' * 200}_{index}" for index in range(40)]  # > MAX_IDS_CHARACTERS in all
    assert sum(len(i) + 1 for i in long_ids) > MAX_IDS_CHARACTERS
    for group_id in long_ids[:30]:
        client.post("/groups/edits", group_edit(group_id))
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    found = client.get_by_ids("groups", long_ids + long_ids[:5])
    assert sorted(g["id"] for g in found) == sorted(long_ids[:30])  # the missing ten are simply absent
    assert served(baseurl, "GET /groups") == 2


def test_requests_made_counts_attempts(client: ApiClient) -> None:
    before = client.requests_made
    client.get("/groups", {"id": "everyone"})
    client.get_by_ids("groups", ["everyone", "(guest)"])
    assert client.requests_made - before == 2


# -- secrets --------------------------------------------------------------------------------------

def test_no_secret_in_repr_errors_or_logs(baseurl: str, sandbox, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = ApiClient(baseurl, retry=FAST)
    client.login(ROOT, PASSWORD)
    token = client.session.headers["Authorization"].removeprefix("Bearer ")
    set_faults(baseurl, {"method": "GET", "path": "/groups", "times": 1, "status": 503})
    client.get("/groups", {"id": "everyone"})
    texts = [repr(client), str(client.identity)]
    for attempt in (lambda: client.get("/groups", {"id": "Missing.cc"}),
                    lambda: ApiClient(baseurl).login(ROOT, PASSWORD + "-wrong")):
        with pytest.raises(ApiError) as caught:
            attempt()
        texts.append(str(caught.value))
    texts += [record.getMessage() for record in caplog.records]
    assert repr(client) == f"ApiClient({baseurl!r}, as 'openreview.net')"
    assert any("GET /groups 503" in text for text in texts)  # the log does record requests
    for text in texts:
        assert PASSWORD not in text and token not in text
