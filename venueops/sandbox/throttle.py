"""Failed logins slow down, per login id, as on a real server.

Each login id has a count of consecutive failed attempts. From the fifth, the id is locked for a
while after every failure: 1 second, then 2, 4, … up to 60. An attempt on a locked id is answered
429 ``TooManyRequestsError`` with ``Retry-After`` without looking at the password (so a right
password is refused too until the lock ends); a successful login forgets the id.

- Ids that do not exist are counted like those that do, so the answers do not tell which exist.
- Time is the sandbox clock (``world.now()``): moving it through ``/_sandbox/clock`` ends a lock.
- Nothing sleeps: a locked attempt is answered at once.
- A failure counts when it is known (the password was checked and was wrong). So that parallel
  guesses cannot all slip in before the first failure locks the id, at most ``MAX_IN_FLIGHT``
  logins of one id are checked at once; more are answered 429 at once. Right passwords sent at
  the same moment (a tool starting several workers) all pass.
- The counts live in memory, per server: a restart or ``/_sandbox/reset`` forgets them.

FIDELITY: OpenReview's sources do not publish its throttle. The threshold (5), the doubling and the
cap (60 s) are ours; so is forgetting a streak after an hour without failures (``QUIET_MS``), so a
typo a day does not keep an account locked.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from venueops.sandbox.errors import TooManyRequestsError

FREE_FAILURES = 4  # failures without a lock; the fifth and each later one lock the id
FIRST_LOCK_S = 1
MAX_LOCK_S = 60
QUIET_MS = 3_600_000
MAX_TRACKED = 100_000
MAX_IN_FLIGHT = 16  # logins of one id whose passwords are being checked at once


@dataclass
class _Streak:
    failures: int = 0
    locked_until_ms: int = 0
    last_failure_ms: int = 0
    in_flight: int = 0  # attempts between ``attempt`` and ``succeeded``/``failed``


class LoginThrottle:
    """Consecutive failed logins per id (ids compared case-insensitively, as logins are)."""

    def __init__(self, now: Callable[[], int]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._streaks: dict[str, _Streak] = {}

    def attempt(self, login_id: str) -> None:
        """Before a password is checked: refuse if the id is locked, or if too many of its logins are
        being checked already; otherwise note the attempt as in flight until ``succeeded`` or
        ``failed`` says how it ended."""
        key = login_id.lower()
        now = self._now()
        with self._lock:
            streak = self._streaks.get(key)
            if streak is not None and not streak.in_flight and now - streak.last_failure_ms >= QUIET_MS \
                    and now >= streak.locked_until_ms:
                del self._streaks[key]
                streak = None
            if streak is not None and now < streak.locked_until_ms:
                seconds = max(1, math.ceil((streak.locked_until_ms - now) / 1000))
                unit = "second" if seconds == 1 else "seconds"
                raise TooManyRequestsError(
                    f"Too many failed login attempts for {login_id}; try again in {seconds} {unit}",
                    retry_after=seconds, path="id",
                )
            if streak is not None and streak.in_flight >= MAX_IN_FLIGHT:
                raise TooManyRequestsError(f"Too many logins at once for {login_id}; try again in 1 second",
                                           retry_after=1, path="id")
            if streak is None:
                if len(self._streaks) >= MAX_TRACKED:
                    self._forget_oldest()
                streak = self._streaks[key] = _Streak()
            streak.in_flight += 1

    def failed(self, login_id: str) -> None:
        """The password was wrong (or the id unknown): one more failure; from the fifth, a lock."""
        key = login_id.lower()
        now = self._now()
        with self._lock:
            streak = self._streaks.pop(key, None) or _Streak()
            streak.in_flight = max(0, streak.in_flight - 1)
            streak.failures += 1
            streak.last_failure_ms = now
            if streak.failures > FREE_FAILURES:
                seconds = min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** min(streak.failures - FREE_FAILURES - 1, 16))
                streak.locked_until_ms = max(streak.locked_until_ms, now + seconds * 1000)
            self._streaks[key] = streak  # re-inserted: the dict stays ordered by last failure

    def succeeded(self, login_id: str) -> None:
        """The password was right: the id starts afresh (logins still in flight stay counted)."""
        key = login_id.lower()
        with self._lock:
            streak = self._streaks.pop(key, None)
            if streak is not None and streak.in_flight > 1:
                self._streaks[key] = _Streak(in_flight=streak.in_flight - 1)

    def _forget_oldest(self) -> None:
        for key, streak in self._streaks.items():
            if not streak.in_flight:
                del self._streaks[key]
                return

    def clear(self) -> None:
        with self._lock:
            self._streaks.clear()
