"""Failed logins slow down per login id (venueops/sandbox/throttle.py), on the sandbox clock.

Over HTTP to a real sandbox whose clock is frozen through ``/_sandbox/clock``, so every lock ends
exactly when the test moves the clock, and never by itself.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import openreview
import pytest
import requests

from tests.conftest import PASSWORD
from venueops.sandbox.throttle import FREE_FAILURES, MAX_IN_FLIGHT

ROOT = "openreview.net"
TIMEOUT = 30
T0 = 1_900_000_000_000


@pytest.fixture
def clock(baseurl):
    """Freeze the sandbox clock at ``T0``; ``clock(ms)`` moves it forward by ``ms``."""
    assert requests.put(f"{baseurl}/_sandbox/clock", json={"now": T0}, timeout=TIMEOUT).status_code == 200

    def advance(ms: int) -> None:
        assert requests.put(f"{baseurl}/_sandbox/clock", json={"advance": ms}, timeout=TIMEOUT).status_code == 200

    return advance


def login(baseurl: str, login_id: str, password: str) -> requests.Response:
    return requests.post(f"{baseurl}/login", json={"id": login_id, "password": password}, timeout=TIMEOUT)


def fail(baseurl: str, login_id: str, times: int = 1) -> None:
    for _ in range(times):
        response = login(baseurl, login_id, "not the password")
        assert response.status_code == 401, response.text
        assert response.json()["message"] == "Invalid username or password"


def assert_locked(response: requests.Response, login_id: str, seconds: int) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    unit = "second" if seconds == 1 else "seconds"
    assert body["name"] == "TooManyRequestsError"
    assert body["status"] == 429
    assert body["message"] == f"Too many failed login attempts for {login_id}; try again in {seconds} {unit}"
    assert body["details"]["path"] == "id"
    assert response.headers["Retry-After"] == str(seconds)


def test_five_failures_lock_the_id_even_against_the_right_password(baseurl, clock):
    fail(baseurl, ROOT, 5)
    started = time.monotonic()
    assert_locked(login(baseurl, ROOT, PASSWORD), ROOT, 1)
    assert time.monotonic() - started < 1, "the refusal waited instead of answering at once"
    clock(999)
    assert_locked(login(baseurl, ROOT, PASSWORD), ROOT, 1)
    clock(1)
    assert login(baseurl, ROOT, PASSWORD).status_code == 200


def test_four_failures_do_not_lock(baseurl, clock):
    fail(baseurl, ROOT, 4)
    assert login(baseurl, ROOT, PASSWORD).status_code == 200


def test_the_lock_doubles_with_each_further_failure_up_to_a_minute(baseurl, clock):
    fail(baseurl, ROOT, 5)
    for seconds in (1, 2, 4, 8, 16, 32, 60, 60):
        assert_locked(login(baseurl, ROOT, "not the password"), ROOT, seconds)
        clock(seconds * 1000 - 1)
        assert_locked(login(baseurl, ROOT, PASSWORD), ROOT, 1)
        clock(1)
        fail(baseurl, ROOT)  # the lock is over; this failure starts the next, longer one
    assert_locked(login(baseurl, ROOT, PASSWORD), ROOT, 60)


def test_a_success_forgets_the_failures(baseurl, clock):
    fail(baseurl, ROOT, 5)
    clock(1000)
    assert login(baseurl, ROOT, PASSWORD).status_code == 200
    fail(baseurl, ROOT, 4)
    assert login(baseurl, ROOT, PASSWORD).status_code == 200


def test_locks_are_per_id(baseurl, clock, make_user):
    make_user("locked@throttle.example", "Locked User")
    make_user("free@throttle.example", "Free User")
    fail(baseurl, "locked@throttle.example", 5)
    assert_locked(login(baseurl, "locked@throttle.example", PASSWORD), "locked@throttle.example", 1)
    # Login ids are not case-sensitive, so neither is their lock.
    assert_locked(login(baseurl, "LOCKED@throttle.example", PASSWORD), "LOCKED@throttle.example", 1)
    assert login(baseurl, "free@throttle.example", PASSWORD).status_code == 200
    assert login(baseurl, ROOT, PASSWORD).status_code == 200


def test_an_unknown_id_is_counted_like_a_known_one(baseurl, clock):
    """The answers for an id that does not exist are the same as for one that does."""
    for login_id in ("nobody@throttle.example", ROOT):
        fail(baseurl, login_id, 5)
        assert_locked(login(baseurl, login_id, "anything"), login_id, 1)


def test_the_lock_follows_the_sandbox_clock_not_the_wall_clock(baseurl, clock):
    fail(baseurl, ROOT, 5)
    time.sleep(1.2)  # a second of wall time passes; the frozen sandbox clock does not move
    assert_locked(login(baseurl, ROOT, PASSWORD), ROOT, 1)


def test_a_streak_ends_after_an_hour_without_failures(baseurl, clock):
    fail(baseurl, ROOT, 5)
    clock(3_600_000)
    fail(baseurl, ROOT)  # the first failure of a new streak: no lock
    assert login(baseurl, ROOT, PASSWORD).status_code == 200


def test_reset_forgets_the_failures(baseurl, clock):
    fail(baseurl, ROOT, 5)
    assert requests.post(f"{baseurl}/_sandbox/reset", timeout=TIMEOUT).status_code == 200
    assert login(baseurl, ROOT, PASSWORD).status_code == 200


def test_openreview_py_does_not_retry_a_locked_login(baseurl, clock):
    """openreview-py's retry policy lists 429, but its login is a POST, which its default adapter
    does not retry: the client raises at once, after one request."""
    fail(baseurl, ROOT, 5)
    assert requests.delete(f"{baseurl}/_sandbox/requests", timeout=TIMEOUT).status_code == 200
    started = time.monotonic()
    with pytest.raises(openreview.OpenReviewException) as raised:
        openreview.api.OpenReviewClient(baseurl=baseurl, username=ROOT, password=PASSWORD)
    assert time.monotonic() - started < 5
    assert raised.value.args[0]["name"] == "TooManyRequestsError"
    counts = requests.get(f"{baseurl}/_sandbox/requests", timeout=TIMEOUT).json()
    assert counts["byRoute"] == {"POST /login": 1}


def test_right_passwords_at_the_same_moment_all_pass(baseurl, clock, make_user):
    """A tool starting several workers logs one account in from each at once: none is a failure."""
    make_user("busy@throttle.example", "Busy User")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: login(baseurl, "busy@throttle.example", PASSWORD), range(8)))
    assert [a.status_code for a in answers] == [200] * 8


def test_parallel_guesses_cannot_outrun_the_lock(baseurl, clock, make_user):
    """Guesses sent all at once are bounded while in flight, and their failures lock the id."""
    make_user("target@throttle.example", "Target User")
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda _: login(baseurl, "target@throttle.example", "wrong-guess"), range(32)))
    statuses = sorted(a.status_code for a in answers)
    # checked at most: a full set in flight, plus the free failures that end before the lock engages
    assert set(statuses) <= {401, 429} and statuses.count(401) <= MAX_IN_FLIGHT + FREE_FAILURES
    assert login(baseurl, "target@throttle.example", PASSWORD).status_code == 429  # locked, right password too
