"""The human-verification gate: a user who posts too much in a window must prove they are human.

OpenReview asks for a captcha when a user goes over a rate (notes/api-v2.md §4.1 step 8,
``test_submission_limits.py``). Two gates are known:

- an invitation's ``humanVerificationRequired: {"limit": N, "windowMs": W}``: at most N edits by one
  user through that invitation within any W milliseconds;
- attachment uploads: at most ``ATTACHMENT_LIMIT`` per user per ``ATTACHMENT_WINDOW_MS`` (openreview-py's
  test says the API is configured to allow 10 per hour).

The sandbox cannot show a captcha, so a request over the rate is refused with OpenReview's message,
``Human verification required``.

FIDELITY: the error's name is OpenReview's (``HumanVerificationRequiredError``); its status is not in
the sources, and 403 is ours (429 would make openreview-py retry it for minutes). The super user is
never asked, as OpenReview's own deployment scripts are not. ``humanVerificationRequired: true`` (the
boolean form the definition allows) asks for a captcha on every post, which an API client cannot
give: every post by a user through that invitation is refused. Counts are kept in memory, on the
sandbox clock, as a rate limiter would keep them: a restart forgets them.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from typing import Any

from venueops.sandbox.errors import ApiError

ATTACHMENT_LIMIT = 10
ATTACHMENT_WINDOW_MS = 60 * 60 * 1000
MESSAGE = "Human verification required"


class HumanVerificationRequiredError(ApiError):
    name = "HumanVerificationRequiredError"
    status = 403


def invitation_rate(invitation: dict[str, Any]) -> tuple[int, int] | None:
    """``(limit, window_ms)`` an invitation asks for, or None when it has no gate.

    ``true`` is a limit of 0 (every post needs a captcha); an object without a usable limit or
    window has no gate."""
    setting = invitation.get("humanVerificationRequired")
    if setting is True:
        return 0, 1
    if not isinstance(setting, dict):
        return None
    limit, window = setting.get("limit"), setting.get("windowMs")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (limit, window)):
        return None
    if limit < 0 or window <= 0:
        return None
    return limit, window


class RateGate:
    """Sliding windows of accepted actions, per (user, key). Thread-safe.

    ``check`` refuses when the user already has ``limit`` actions inside the window ending now;
    ``record`` adds one. Callers check and record under the same lock as the write they guard, so
    two concurrent requests cannot both pass the last free place."""

    def __init__(self) -> None:
        self._times: dict[tuple[str, str], deque[int]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, user: str, key: str, limit: int, window_ms: int, now_ms: int) -> None:
        with self._lock:
            times = self._times[(user, key)]
            while times and times[0] <= now_ms - window_ms:
                times.popleft()
            if len(times) >= limit:
                raise HumanVerificationRequiredError(MESSAGE)

    def record(self, user: str, key: str, now_ms: int) -> None:
        with self._lock:
            self._times[(user, key)].append(now_ms)

    def clear(self) -> None:
        with self._lock:
            self._times.clear()
