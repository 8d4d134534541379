"""The sandbox's notion of "now", in epoch milliseconds.

Every date check (invitation cdate/expdate, soft deletion, token expiry) and every server-owned
date (tcdate, tmdate) reads this clock, so tests can move a venue through its timeline with
``PUT /_sandbox/clock`` instead of sleeping.

Two modes:
- ``real``: wall-clock time plus a fixed offset (the offset is 0 until someone sets the time);
- ``frozen``: a fixed instant that only moves when told to.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

MAX_DATE = 9_999_999_999_999


@dataclass(frozen=True)
class ClockState:
    """A serialisable clock setting (stored in the database so a restart keeps it)."""

    mode: str = "real"  # "real" or "frozen"
    offset_ms: int = 0  # used in real mode
    frozen_ms: int = 0  # used in frozen mode

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "offset": self.offset_ms, "frozen": self.frozen_ms}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClockState:
        return cls(
            mode=str(data.get("mode", "real")),
            offset_ms=int(data.get("offset", 0)),
            frozen_ms=int(data.get("frozen", 0)),
        )


class Clock:
    """Thread-safe server clock."""

    def __init__(self, state: ClockState | None = None) -> None:
        self._lock = threading.Lock()
        self._state = state or ClockState()

    @staticmethod
    def wall_ms() -> int:
        return time.time_ns() // 1_000_000

    def now(self) -> int:
        state = self._state
        if state.mode == "frozen":
            return state.frozen_ms
        return self.wall_ms() + state.offset_ms

    @property
    def state(self) -> ClockState:
        return self._state

    def freeze(self, at_ms: int) -> ClockState:
        """Stop the clock at ``at_ms``."""
        with self._lock:
            self._state = ClockState(mode="frozen", frozen_ms=at_ms)
            return self._state

    def run_from(self, at_ms: int) -> ClockState:
        """Let the clock run, starting now at ``at_ms``."""
        with self._lock:
            self._state = ClockState(mode="real", offset_ms=at_ms - self.wall_ms())
            return self._state

    def advance(self, delta_ms: int) -> ClockState:
        """Move the clock forward (or back, with a negative delta) in either mode."""
        with self._lock:
            state = self._state
            if state.mode == "frozen":
                self._state = ClockState(mode="frozen", frozen_ms=state.frozen_ms + delta_ms)
            else:
                self._state = ClockState(mode="real", offset_ms=state.offset_ms + delta_ms)
            return self._state

    def reset(self) -> ClockState:
        """Back to wall-clock time."""
        with self._lock:
            self._state = ClockState()
            return self._state

    def restore(self, state: ClockState) -> None:
        with self._lock:
            self._state = state
