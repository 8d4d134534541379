"""Identifier rules: generated ids, tilde ids, and which ids the server accepts.

Notes, edits and tags get a random 10-character id from ``[0-9a-zA-Z]``; edges a 14-character one;
anonymous groups a 4-character suffix (notes/api-v2.md §3.1, §4.8). They are random as on
OpenReview; nothing in venueops depends on their values.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Callable

ALPHABET = string.ascii_letters + string.digits

NOTE_ID_LENGTH = 10
EDGE_ID_LENGTH = 14
ANON_SUFFIX_LENGTH = 4

# FIDELITY: OpenReview accepts unicode ids (tests use "TestVenue.cc/提交1"); the sources do not list
# forbidden characters. We refuse whitespace, control characters and characters that cannot appear
# in a path-like id without quoting, and document the pattern in the error message.
ID_PATTERN = r"^[^\s,;\"'<>\\`{}|^#?%\x00-\x1f\x7f]+$"
_ID_RE = re.compile(ID_PATTERN)
MAX_ID_LENGTH = 1000


def random_id(length: int = NOTE_ID_LENGTH) -> str:
    """``length`` random characters of ``[0-9a-zA-Z]`` (one read of the system's randomness)."""
    return "".join(ALPHABET[byte % 62] for byte in secrets.token_bytes(length))


def is_valid_id(value: str) -> bool:
    return 0 < len(value) <= MAX_ID_LENGTH and _ID_RE.match(value) is not None


def id_problem(value: str) -> str | None:
    """What is wrong with a non-empty id, in ajv's words (the length first, as its ``maxLength``
    keyword reports before ``pattern``), or None when it is valid."""
    if len(value) > MAX_ID_LENGTH:
        return f"must NOT have more than {MAX_ID_LENGTH} characters"
    if _ID_RE.match(value) is None:
        return f'must match pattern "{ID_PATTERN}"'
    return None


def is_invitation_id(value: str) -> bool:
    return "/-/" in value


def invitation_prefix(invitation_id: str) -> str:
    """``V/Reviewers/-/Bid`` → ``V/Reviewers``."""
    return invitation_id.split("/-/", 1)[0]


def path_ancestors(object_id: str) -> list[str]:
    """``A/B/C`` → ``["A/B/C", "A/B", "A"]`` (longest first)."""
    parts = object_id.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def anonymous_prefix(group_id: str) -> str:
    """``V/Submission1/Reviewers`` → ``V/Submission1/Reviewer_`` (the parent id minus a trailing s)."""
    return (group_id[:-1] if group_id.endswith("s") else group_id) + "_"


def tilde_base(fullname: str) -> str:
    """``Melisa  Bokk`` → ``~Melisa_Bokk`` (without the numeric suffix)."""
    parts = [p for p in fullname.strip().split() if p]
    return "~" + "_".join(parts)


def next_tilde_id(fullname: str, exists: Callable[[str], bool]) -> str:
    """The tilde id with the smallest free numeric suffix: ``~Melisa_Bokk1``, then ``~Melisa_Bokk2``."""
    base = tilde_base(fullname)
    n = 1
    while exists(f"{base}{n}"):
        n += 1
    return f"{base}{n}"


TILDE_ID_RE = re.compile(r"^~[^\s~]+\d+$")


def is_tilde_id(value: str) -> bool:
    return value.startswith("~") and value != "~"


def is_email(value: str) -> bool:
    return "@" in value and not value.startswith("~")
