"""SQL building blocks for ``store.py``, and for it alone: WHERE clauses and id-prefix patterns.

Nothing outside ``store.py`` imports this module; services hand the store plain Python filter values
(``NoteFilter``, ``EdgeFilter``, a prefix regex) and ``store.py`` turns them into SQL with these
helpers, so SQL text never crosses the ``Store`` boundary.

Index choice: some indexed columns are secondary: most rows of a venue share their values
(``domain``: every object of the venue has the same one; an edge ``label``; a ``tcdate`` range), or
another filter given with them narrows better (a note ``number`` is repeated across invitations,
while the invitation's notes are few). Their indexes help when nothing else is asked, but SQLite
without ``ANALYZE`` statistics rates every equality alike and may pick them over a primary filter
(``forum``, ``invitation``, ``head``). ``Where`` therefore writes a secondary condition as
``+column`` (which keeps the condition and disqualifies its index) whenever a primary one is
present too, so the plans of queries that had a primary filter before these indexes stay the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

# The highest code point: ``prefix <= id < prefix + PREFIX_END`` is the index range of ids that
# start with ``prefix``.
PREFIX_END = "\U0010ffff"

_METACHARS = frozenset(".*+?()[]{}|^$\\")


def literal_head(pattern: str) -> str:
    """The literal text every match of ``pattern`` (a regex anchored at the start) begins with."""
    head: list[str] = []
    for index, char in enumerate(pattern):
        if char in _METACHARS:
            break
        following = pattern[index + 1] if index + 1 < len(pattern) else ""
        if following in ("*", "?", "{"):
            break
        head.append(char)
    return "".join(head)


def glob_superset(pattern: str) -> str:
    """A SQLite GLOB matching at least every id that ``pattern`` (a regex anchored at the start)
    matches: literal characters stay, a lone ``.`` becomes ``?``, and the rest becomes ``*``. SQLite
    runs it in C over the index range of the literal head, so ``ICLR.cc/2025/.../Reviewer_`` does
    not make Python look at every id of the venue."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        following = pattern[index + 1] if index + 1 < len(pattern) else ""
        if char == "\\" and following and not following.isalnum():
            index += 2
            if pattern[index : index + 1] in ("*", "?", "{", "+"):
                break
            out.append(f"[{following}]" if following in "*?[]" else following)
            continue
        if following in ("*", "?", "{", "+"):
            break
        if char == ".":
            out.append("?")
        elif char in _METACHARS:
            break
        else:
            out.append(f"[{char}]" if char in "*?[]" else char)
        index += 1
    return "".join(out) + "*"


def marks(count: int) -> str:
    """``?,?,…`` for an ``IN (…)`` list of ``count`` bound values."""
    return ",".join("?" * count)


Role = Literal["primary", "secondary", "neutral"]


class Where:
    """A conjunction of SQL conditions with their bound values, built from plain filter values.

    Each condition has a role: ``primary`` (the default), ``secondary`` (written ``+column`` when a
    primary condition is present too; see the module docstring) or ``neutral`` (neither demotes nor
    is demoted: ``edits.kind``, the first column of every index of ``edits``).
    """

    def __init__(self) -> None:
        # (clause, clause when demoted or None, bound values, role) in the order added
        self._conditions: list[tuple[str, str | None, list[Any], Role]] = []

    def add(self, clause: str, *args: Any) -> None:
        """A primary condition written out (``x IN (SELECT …)``), with its bound values."""
        self._conditions.append((clause, None, list(args), "primary"))

    def equal(self, column: str, value: Any, *, role: Role = "primary") -> None:
        """``column = value``; nothing when ``value`` is None."""
        if value is not None:
            self._compare(f"{column} = ?", [value], role)

    def at_least(self, column: str, value: Any, *, role: Role = "primary") -> None:
        """``column >= value``; nothing when ``value`` is None."""
        if value is not None:
            self._compare(f"{column} >= ?", [value], role)

    def among(self, column: str, values: Sequence[Any], *, role: Role = "primary") -> None:
        """``column IN (values)``; nothing when ``values`` is empty."""
        if values:
            self._compare(f"{column} IN ({marks(len(values))})", list(values), role)

    def _compare(self, clause: str, args: list[Any], role: Role) -> None:
        self._conditions.append((clause, f"+{clause}" if role == "secondary" else None, args, role))

    def clause(self) -> tuple[str, list[Any]]:
        """`` WHERE a AND b …`` (empty without conditions) and the bound values in order."""
        demote = any(role == "primary" for _, _, _, role in self._conditions)
        parts: list[str] = []
        args: list[Any] = []
        for clause, demoted, values, _ in self._conditions:
            parts.append(demoted if demote and demoted is not None else clause)
            args.extend(values)
        return (f" WHERE {' AND '.join(parts)}" if parts else ""), args
