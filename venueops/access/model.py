"""The access model's values: a grant (who may do what to which kind of object, and when) and the matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERBS = ("read", "post", "sign")  # sign: sign as (the signatures a poster may use)


@dataclass(frozen=True, order=True)
class Grant:
    """``role`` may ``verb`` ``what`` from ``start`` until ``end`` (epoch ms; ``None``: from the object's
    creation, or without end). ``condition`` qualifies it (chosen by the writer, anonymously)."""

    role: str
    what: str  # "submissions", "author identities", "Official_Review", …
    verb: str
    start: int | None = None
    end: int | None = None
    condition: str | None = None
    source: str = field(default="", compare=False)  # the invitation and field it was read from
    reason: str | None = field(default=None, compare=False)  # why it starts then (a release)

    def holds_at(self, moment: int) -> bool:
        return (self.start is None or self.start <= moment) and (self.end is None or moment < self.end)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "what": self.what, "verb": self.verb,
                               "start": self.start, "end": self.end}
        if self.condition:
            out["condition"] = self.condition
        if self.reason:
            out["reason"] = self.reason
        out["source"] = self.source
        return out


@dataclass(frozen=True)
class AccessMatrix:
    venue_id: str
    timezone: str
    grants: tuple[Grant, ...]

    def at(self, moment: int) -> AccessMatrix:
        return AccessMatrix(self.venue_id, self.timezone, tuple(g for g in self.grants if g.holds_at(moment)))

    def of(self, role: str) -> AccessMatrix:
        return AccessMatrix(self.venue_id, self.timezone, tuple(g for g in self.grants if g.role == role))

    def to_json(self) -> dict[str, Any]:
        return {"format_version": 1, "venue": self.venue_id, "timezone": self.timezone,
                "grants": [g.to_json() for g in self.grants]}
