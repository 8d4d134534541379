"""Diagnostics: one problem (or warning) found in a venue file, with where it is.

A diagnostic renders as ``file:line:col: error: message`` (lines and columns count from 1), the
form editors and CI annotations understand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Location:
    """A place in a file (1-based line and column)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    message: str
    location: Location | None = None
    severity: Severity = "error"
    path: str | None = None  # where in the document, e.g. ``stages.review.due``

    def render(self) -> str:
        where = str(self.location) if self.location else "<unknown>"
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": self.severity, "message": self.message}
        if self.location is not None:
            out.update(file=self.location.file, line=self.location.line, column=self.location.col)
        if self.path is not None:
            out["path"] = self.path
        return out

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.col, self.message) if loc else ("", 0, 0, self.message)


def is_error(diagnostic: Diagnostic) -> bool:
    return diagnostic.severity == "error"
