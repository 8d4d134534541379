"""``venueops fmt``: a venue file in its canonical layout, meaning the same.

The steps, each its own module: ruamel round trip with the canonical indentation (``document``), the
keys in canonical order (``reorder``, by ``layout``'s rules), dates in canonical form (``dates``),
one final newline. Then the result is checked: it keeps every comment, and ``meaning`` finds that it
means what the file did; fmt refuses otherwise, so a bug here can make fmt fail, never change a venue.
"""

from __future__ import annotations

from collections import Counter

from venueops.config.loader import load_text
from venueops.errors import ConfigError
from venueops.format.dates import normalize_dates
from venueops.format.document import comments, compose, lost_comment, round_trip
from venueops.format.meaning import check_same_meaning
from venueops.format.reorder import reorder


def format_text(text: str, name: str = "<string>") -> str:
    """``text`` (a venue file, or a base) in canonical layout; ``ConfigError`` at file:line when it is
    not YAML venueops reads, or when formatting would lose a comment or change what it means."""
    load_text(text, name)  # refuses, located, what venueops would refuse to read
    formatted = normalize_dates(reorder(round_trip(text, name)), name)
    formatted = formatted.rstrip() + "\n"
    _check_comments(text, formatted, name)
    check_same_meaning(text, formatted, name)
    return formatted


def _check_comments(old: str, new: str, name: str) -> None:
    written = comments(old, compose(old, name))
    missing = Counter(c for _, c in written) - Counter(c for _, c in comments(new, compose(new, name)))
    for line, comment in written:
        if missing[comment]:
            raise ConfigError([lost_comment(name, line, comment)])
