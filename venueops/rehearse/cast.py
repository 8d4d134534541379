"""The rehearsal's synthetic people: who writes which paper and sits on which paper's committees, and the
personas whose access is probed.

Two papers are special. The **read paper** (paper 1) is where reads are probed: the play posts there
exactly what a real venue would (one review, one rebuttal, one meta review, …). The **probe paper** (the
last one) has the same committee and the same first author, and is where posts are probed: a persona
that may post a review posts it there, so its standing on paper 1 (say, "has not reviewed") does not
change because it was asked. Every other paper gets its committee round-robin from the rest of each pool.

Names and e-mails are drawn from ``seed``; the same seed and sizes give the same cast.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from venueops.access.roles import LOGGED_IN, PUBLIC
from venueops.config.validate import VenueConfig

MAIL_DOMAIN = "rehearsal.local"
FIRST = ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Nia",
         "Oto", "Pia", "Quin", "Rui", "Sol", "Tea", "Uma", "Vic", "Wen", "Xan", "Yara", "Zed")
LAST = ("Abbott", "Brandt", "Castro", "Dahl", "Engel", "Fischer", "Garza", "Horvat", "Ito", "Jensen", "Kovac",
        "Lind", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Toth", "Ueda", "Varga",
        "Weber", "Xu", "Young", "Zima")


@dataclass(frozen=True)
class Person:
    key: str  # "reviewer-3": the person's place in the cast
    email: str
    fullname: str


@dataclass(frozen=True)
class Paper:
    index: int  # 0-based; OpenReview numbers papers from 1 in the order they are submitted
    authors: tuple[str, ...]  # person keys, first author first
    reviewers: tuple[str, ...]
    area_chairs: tuple[str, ...]
    senior_area_chairs: tuple[str, ...]

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class Persona:
    """Someone whose access is probed. ``roles`` are the access model's roles they hold on the read
    paper (``logged_in`` and ``public`` for everyone with an account); ``person`` is None for a guest."""

    key: str
    label: str
    person: str | None
    roles: frozenset[str]


@dataclass(frozen=True)
class Cast:
    people: tuple[Person, ...]
    papers: tuple[Paper, ...]
    personas: tuple[Persona, ...]
    program_chair: str | None = None  # the program chair's login (an account apply creates), if any
    by_key: dict[str, Person] = field(default_factory=dict, compare=False)

    @property
    def read_paper(self) -> Paper:
        return self.papers[0]

    @property
    def probe_paper(self) -> Paper:
        return self.papers[-1]


def cast_for(config: VenueConfig, submissions: int, seed: int) -> Cast:
    """The people of a rehearsal with ``submissions`` papers (at least 2: a read paper and a probe paper)."""
    if submissions < 2:
        raise ValueError("a rehearsal needs at least 2 submissions (one to read, one to post to)")
    roles = config.spec.roles
    rng = random.Random(seed)
    names = _names(rng)
    people: list[Person] = []

    def pool(kind: str, size: int) -> list[str]:
        keys = []
        for i in range(size):
            first, last = next(names)
            key = f"{kind}-{i + 1}"
            people.append(Person(key, f"{first.lower()}.{last.lower()}.{kind}{i + 1}@{MAIL_DOMAIN}",
                                 f"{first} {last}"))
            keys.append(key)
        return keys

    authors = pool("author", submissions)
    reviewers = pool("reviewer", max(4, (2 * submissions + 3) // 4))
    area_chairs = pool("area-chair", max(2, (submissions + 9) // 10)) if roles.area_chairs is not None else []
    seniors = pool("senior-area-chair", max(2, (submissions + 19) // 20)) if roles.senior_area_chairs is not None \
        else []
    outsider = pool("outsider", 1)[0]

    papers = [_paper(i, submissions, authors, reviewers, area_chairs, seniors) for i in range(submissions)]
    personas = _personas(papers[0], papers[1] if submissions > 2 else None, reviewers, area_chairs, seniors,
                         outsider, config)
    by_key = {p.key: p for p in people}
    return Cast(tuple(people), tuple(papers), tuple(personas), None, by_key)


def _names(rng: random.Random):  # type: ignore[no-untyped-def]
    pairs = [(f, s) for f in FIRST for s in LAST]
    rng.shuffle(pairs)
    while True:
        yield from pairs


def _paper(index: int, total: int, authors: list[str], reviewers: list[str], area_chairs: list[str],
           seniors: list[str]) -> Paper:
    """Paper 1 and the probe paper share their committee and first author; the others draw from the rest."""
    first = index in (0, total - 1)
    if first:
        written = (authors[0],) if index == 0 else (authors[index], authors[0])
        return Paper(index, written, tuple(reviewers[:2]), tuple(area_chairs[:1]), tuple(seniors[:1]))
    rest_reviewers, rest_acs, rest_seniors = reviewers[2:], area_chairs[1:], seniors[1:]
    k = index - 1
    return Paper(
        index, (authors[index],),
        (rest_reviewers[(2 * k) % len(rest_reviewers)], rest_reviewers[(2 * k + 1) % len(rest_reviewers)]),
        (rest_acs[k % len(rest_acs)],) if rest_acs else (),
        (rest_seniors[k % len(rest_seniors)],) if rest_seniors else ())


def _personas(read: Paper, other: Paper | None, reviewers: list[str], area_chairs: list[str], seniors: list[str],
              outsider: str, config: VenueConfig) -> list[Persona]:
    everyone = frozenset({LOGGED_IN, PUBLIC})
    out = [Persona("program_chair", "A program chair", None, frozenset({"program_chairs"}) | everyone)]
    if seniors:
        out.append(Persona("sac_assigned", "The paper's senior area chair", read.senior_area_chairs[0],
                           frozenset({"senior_area_chairs", "senior_area_chairs_assigned"}) | everyone))
        out.append(Persona("sac_other", "A senior area chair of another paper", seniors[1],
                           frozenset({"senior_area_chairs"}) | everyone))
    if area_chairs:
        out.append(Persona("ac_assigned", "The paper's area chair", read.area_chairs[0],
                           frozenset({"area_chairs", "area_chairs_assigned"}) | everyone))
        out.append(Persona("ac_other", "An area chair of another paper", area_chairs[1],
                           frozenset({"area_chairs"}) | everyone))
    assigned = frozenset({"reviewers", "reviewers_assigned"}) | everyone
    out.append(Persona("reviewer_reviews", "The paper's reviewer who reviews", read.reviewers[0], assigned))
    out.append(Persona("reviewer_waits", "The paper's reviewer who has not reviewed", read.reviewers[1], assigned))
    out.append(Persona("reviewer_other", "A reviewer of another paper", reviewers[2],
                       frozenset({"reviewers"}) | everyone))
    out.append(Persona("author", "An author of the paper", read.authors[0], frozenset({"authors"}) | everyone))
    if other is not None:
        out.append(Persona("author_other", "An author of another paper", other.authors[0], everyone))
    out.append(Persona("outsider", "Someone logged in, with no role", outsider, everyone))
    out.append(Persona("guest", "A guest (not logged in)", None, frozenset({PUBLIC})))
    return out
