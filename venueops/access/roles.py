"""Who an entry of a compiled reader, invitee or signature list is: one of the venue's roles.

The rules, in the order they are tried (``resolve``), for a venue ``V`` whose papers are ``V/Submission<n>``
(names as the venue file sets them):

1. ``everyone`` is the public (guests included); ``~`` is anyone logged in.
2. ``V`` is the venue itself: its members are the program chairs (OpenReview makes the program chairs'
   group the venue group's member), so it is read as the program chairs.
3. ``V/<committee>`` is the whole committee: ``Program_Chairs``, ``Senior_Area_Chairs``, ``Area_Chairs``,
   ``Reviewers``, ``Authors``, ``Ethics_Chairs``, ``Ethics_Reviewers``.
4. ``V/Submission${…}/<committee>`` (any reference in the paper number) is that committee of the paper
   itself: ``reviewers_assigned`` and so on, ``authors`` for the paper's authors;
   ``V/Submission${…}/Reviewers/Submitted`` is ``reviewers_submitted``; an anonymous-id pattern
   (``V/Submission${…}/Reviewer_.*``) is the paper's committee, signing anonymously.
5. ``${N/signatures}`` is the signer of the note (whoever posted it); ``${N/content/authorids/value}`` is
   the paper's authors (the submission form's own author list).
6. ``openreview.net/Support`` is OpenReview support; anything else is kept as written (``other``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from venueops.compile.names import Names, anon_name

PUBLIC, LOGGED_IN, SIGNER, SUPPORT, OTHER = "public", "logged_in", "signer", "support", "other"
# the roles a chair reads about, in the order matrices list them
ROLES = ("program_chairs", "senior_area_chairs", "senior_area_chairs_assigned", "area_chairs",
         "area_chairs_assigned", "reviewers", "reviewers_assigned", "reviewers_submitted", "authors",
         "ethics_chairs", "ethics_reviewers", "ethics_reviewers_assigned", SIGNER, LOGGED_IN, PUBLIC)
ROLE_WORDS = {
    "program_chairs": "Program chairs", "senior_area_chairs": "Senior area chairs (all)",
    "senior_area_chairs_assigned": "Senior area chairs of the paper", "area_chairs": "Area chairs (all)",
    "area_chairs_assigned": "Area chairs of the paper", "reviewers": "Reviewers (all)",
    "reviewers_assigned": "Reviewers of the paper", "reviewers_submitted": "Reviewers of the paper who reviewed",
    "authors": "Authors of the paper", "ethics_chairs": "Ethics chairs", "ethics_reviewers": "Ethics reviewers (all)",
    "ethics_reviewers_assigned": "Ethics reviewers of the paper", SIGNER: "Signers (of their own notes)",
    LOGGED_IN: "Anyone logged in", PUBLIC: "Everyone (the public)", SUPPORT: "OpenReview support",
}
PAPER_REFERENCE = r"(?:\d+|\$\{[^}]*\}(?:/number\})?|\$\{\{[^}]*\}/number\})"


@dataclass(frozen=True)
class Resolution:
    role: str  # one of ROLES, SUPPORT or OTHER
    written: str  # the entry as compiled
    rule: int  # which rule of the module docstring resolved it


def committees(names: Names) -> dict[str, str]:
    """Committee group name → role (rule 3; with ``_assigned`` for rule 4)."""
    return {names.program_chairs_name: "program_chairs", names.senior_area_chairs_name: "senior_area_chairs",
            names.area_chairs_name: "area_chairs", names.reviewers_name: "reviewers",
            names.authors_name: "authors", names.ethics_chairs_name: "ethics_chairs",
            names.ethics_reviewers_name: "ethics_reviewers"}


def resolve(entry: str, names: Names) -> Resolution:
    venue = names.venue_id
    if entry == "everyone":
        return Resolution(PUBLIC, entry, 1)
    if entry == "~" or entry == "~.*":
        return Resolution(LOGGED_IN, entry, 1)
    if entry == venue:
        return Resolution("program_chairs", entry, 2)
    by_name = committees(names)
    if entry.startswith(venue + "/") and entry[len(venue) + 1:] in by_name:
        return Resolution(by_name[entry[len(venue) + 1:]], entry, 3)
    paper = re.escape(names.paper()) + PAPER_REFERENCE + "/"
    match = re.fullmatch(paper + r"(.+)", entry)
    if match:
        rest = match.group(1)
        if rest == f"{names.reviewers_name}/Submitted":
            return Resolution("reviewers_submitted", entry, 4)
        for name, role in by_name.items():
            if rest in (name, f"{anon_name(name)}.*"):
                return Resolution(role if role == "authors" else f"{role}_assigned", entry, 4)
    if re.fullmatch(r"\$\{\d+/signatures\}", entry):
        return Resolution(SIGNER, entry, 5)
    if re.fullmatch(r"\$\{\d+/content/authorids/value\}", entry):
        return Resolution("authors", entry, 5)
    if entry == "openreview.net/Support":
        return Resolution(SUPPORT, entry, 6)
    return Resolution(OTHER, entry, 6)
