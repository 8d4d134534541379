"""A NeurIPS-2021-shaped venue for benchmarking the sandbox: its invitations, groups and data.

The venue follows what openreview-py's venue builder posts (``openreview/venue/invitation.py``):
a meta invitation ``V/-/Edit``, committee groups, a submission invitation with the default v2
submission form, and one super invitation per stage (``V/-/Official_Review``, ``V/-/Meta_Review``,
``V/-/Decision``, ``V/-/Official_Comment``, ``V/-/Rebuttal``, ``V/-/Withdrawal``,
``V/-/Desk_Rejection``, ``V/-/Revision``, ``V/-/Camera_Ready_Revision``) whose edits create the
per-paper invitations ``V/Submission{n}/-/<Stage>``, with the same ``${N/...}`` depths as
openreview-py. Per paper: groups ``Submission{n}``, ``/Authors``, ``/Reviewers`` (anonymous
``Reviewer_XXXX`` groups), ``/Reviewers/Submitted``, ``/Area_Chairs`` (anonymous ``Area_Chair_XXXX``),
``/Senior_Area_Chairs``.

Everything the client chooses (texts, authors, assignments, ratings, who comments on what) comes
from ``random.Random`` seeded per part; ids the server makes (note ids, anonymous group suffixes)
are random on the server, as on OpenReview.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

VENUE_ID = "NeurIPS.cc/2021/Conference"
MAX_DATE = 9_999_999_999_999
OPEN_FROM = 1_609_459_200_000  # 2021-01-01: stages are open...
OPEN_UNTIL = 4_102_444_800_000  # ...until 2100, so any caller may still post through them
PASSWORD = "Bench-Pa55word!"
AUTHORIDS_REGEX = (
    r"^~\S+$|^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
)
STAGES = ("Official_Review", "Meta_Review", "Decision", "Official_Comment", "Rebuttal", "Withdrawal",
          "Desk_Rejection", "Revision", "Camera_Ready_Revision")


@dataclass(frozen=True)
class Scale:
    """Sizes from /work/shared/workloads.md (``profiles``: accounts registered through the API)."""

    name: str
    submissions: int
    reviewers: int
    area_chairs: int
    senior_area_chairs: int
    reviews: int
    meta_reviews: int
    comments: int
    profiles: int


SCALES: dict[str, Scale] = {
    "workshop": Scale("workshop", 50, 60, 0, 0, 150, 0, 100, 20),
    "mid": Scale("mid", 2_000, 2_500, 200, 20, 7_000, 1_382, 15_000, 100),
    "neurips": Scale("neurips", 11_729, 13_000, 1_000, 155, 37_284, 8_103, 101_112, 300),
}


# -- ids ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Venue:
    id: str = VENUE_ID
    has_acs: bool = True
    has_sacs: bool = True

    @property
    def pcs(self) -> str:
        return f"{self.id}/Program_Chairs"

    @property
    def reviewers(self) -> str:
        return f"{self.id}/Reviewers"

    @property
    def acs(self) -> str:
        return f"{self.id}/Area_Chairs"

    @property
    def sacs(self) -> str:
        return f"{self.id}/Senior_Area_Chairs"

    @property
    def authors(self) -> str:
        return f"{self.id}/Authors"

    @property
    def submission_invitation(self) -> str:
        return f"{self.id}/-/Submission"

    @property
    def meta_invitation(self) -> str:
        return f"{self.id}/-/Edit"

    def paper(self, number: int | str) -> str:
        return f"{self.id}/Submission{number}"

    def stage(self, name: str, number: int | None = None) -> str:
        return f"{self.id}/-/{name}" if number is None else f"{self.paper(number)}/-/{name}"

    def chairs(self, number: int | str, head: str | None = None) -> list[str]:
        """``head`` (the PCs by default), and the paper's SACs and ACs where the venue has them."""
        out = [head or self.pcs]
        if self.has_sacs:
            out.append(f"{self.paper(number)}/Senior_Area_Chairs")
        if self.has_acs:
            out.append(f"{self.paper(number)}/Area_Chairs")
        return out


# -- venue-level objects (posted once, through openreview-py) -----------------------------------
def submission_content(venue: Venue, *, number_ref: str) -> Json:
    """openreview-py's ``default_content.submission_v2`` (``authorids``: tilde ids or e-mails)."""
    authors_readers = [venue.id, f"{venue.paper(number_ref)}/Authors"]
    return {
        "title": {"order": 1, "value": {"param": {"type": "string", "regex": "^.{1,250}$"}}},
        "authors": {"order": 2, "value": {"param": {"type": "string[]", "regex": "[^;,\\n]+(,[^,\\n]+)*",
                                                    "hidden": True}},
                    "readers": authors_readers},
        "authorids": {"order": 3, "value": {"param": {"type": "profile{}", "regex": AUTHORIDS_REGEX,
                                                      "mismatchError": "must be a valid email or profile ID"}},
                      "readers": authors_readers},
        "keywords": {"order": 4, "value": {"param": {"type": "string[]", "regex": ".+"}}},
        "TLDR": {"order": 5, "value": {"param": {"fieldName": "TL;DR", "type": "string", "maxLength": 250,
                                                 "optional": True, "deletable": True}}},
        "abstract": {"order": 6, "value": {"param": {"type": "string", "maxLength": 5000, "markdown": True,
                                                     "input": "textarea"}}},
        "pdf": {"order": 7, "value": {"param": {"type": "file", "maxSize": 50, "extensions": ["pdf"]}}},
        "supplementary_material": {"order": 8, "value": {"param": {
            "type": "file", "extensions": ["zip", "pdf"], "maxSize": 100, "optional": True, "deletable": True}}},
    }


def submission_invitation(venue: Venue) -> Json:
    content = submission_content(venue, number_ref="${4/number}")
    content["venue"] = {"value": {"param": {"const": "NeurIPS 2021 Conference Submission", "hidden": True}}}
    content["venueid"] = {"value": {"param": {"const": f"{venue.id}/Submission", "hidden": True}}}
    return {
        "id": venue.submission_invitation, "invitees": ["~"], "readers": ["everyone"], "writers": [venue.id],
        "signatures": [venue.id], "cdate": OPEN_FROM, "duedate": OPEN_UNTIL, "expdate": OPEN_UNTIL,
        "process": _dispatcher("submission_process_script"),
        "edit": {
            "signatures": {"param": {"items": [{"prefix": "~.*", "optional": True},
                                               {"value": venue.pcs, "optional": True}]}},
            "readers": [venue.id, "${2/note/content/authorids/value}"],
            "writers": [venue.id, "${2/note/content/authorids/value}"],
            "note": {
                "id": {"param": {"withInvitation": venue.submission_invitation, "optional": True}},
                "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
                "signatures": ["${3/signatures}"],
                "readers": [venue.id, f"{venue.paper('${2/number}')}/Authors"],
                "writers": [venue.id, f"{venue.paper('${2/number}')}/Authors"],
                "content": content,
            },
        },
    }


def _dispatcher(script: str) -> str:
    """The small process function openreview-py puts on every per-paper invitation."""
    return (
        "def process(client, edit, invitation):\n"
        "    meta_invitation = client.get_invitation(invitation.invitations[0])\n"
        f"    script = meta_invitation.content['{script}']['value']\n"
        "    funcs = {\n        'openreview': openreview\n    }\n"
        "    exec(script, funcs)\n"
        "    funcs['process'](client, edit, invitation)\n"
    )


def _process_script(name: str) -> str:
    """A stand-in for a stage's process script (a few kB of Python, as openreview-py's are)."""
    body = "".join(f"    # step {i}: notify readers, update groups, post messages ({name})\n" for i in range(40))
    return f"def process(client, edit, invitation):\n{body}    return None\n"


def _enum(values: list[Any]) -> Json:
    """An enum param; integer options carry descriptions, as openreview-py's rating fields do."""
    options = [{"value": v, "description": f"{v}: {_label(v)}"} if isinstance(v, int) else v for v in values]
    return {"param": {"type": "integer" if isinstance(values[0], int) else "string", "enum": options,
                      "input": "radio"}}


def _label(value: Any) -> str:
    return {10: "Top 5% of accepted papers, seminal paper", 8: "Top 50% of accepted papers, clear accept",
            6: "Marginally above the acceptance threshold", 4: "Ok but not good enough - rejection",
            1: "Trivial or wrong"}.get(value, str(value))


def _text(max_length: int, *, optional: bool = False) -> Json:
    param: Json = {"type": "string", "maxLength": max_length, "input": "textarea", "markdown": True}
    if optional:
        param["optional"] = True
        param["deletable"] = True
    return {"param": param}


REVIEW_CONTENT: Json = {
    "summary": {"order": 1, "value": _text(5000)},
    "main_review": {"order": 2, "value": _text(20000)},
    "limitations_and_societal_impact": {"order": 3, "value": _text(5000)},
    "needs_ethics_review": {"order": 4, "value": _enum(["Yes", "No"])},
    "time_spent_reviewing": {"order": 5, "value": {"param": {"type": "string", "maxLength": 100,
                                                             "optional": True}}},
    "rating": {"order": 6, "value": _enum(list(range(10, 0, -1)))},
    "confidence": {"order": 7, "value": _enum([5, 4, 3, 2, 1])},
    "code_of_conduct": {"order": 8, "value": _enum(["While performing my duties as a reviewer (including "
                                                    "writing reviews and participating in discussions), I "
                                                    "have and will continue to abide by the NeurIPS code of "
                                                    "conduct."])},
}
META_REVIEW_CONTENT: Json = {
    "metareview": {"order": 1, "value": _text(5000)},
    "recommendation": {"order": 2, "value": _enum(["Accept (Oral)", "Accept (Spotlight)", "Accept (Poster)",
                                                   "Reject"])},
    "confidence": {"order": 3, "value": _enum([5, 4, 3, 2, 1])},
}
DECISION_CONTENT: Json = {
    "decision": {"order": 1, "value": _enum(["Accept (Oral)", "Accept (Spotlight)", "Accept (Poster)",
                                             "Reject"])},
    "comment": {"order": 2, "value": _text(5000, optional=True)},
}
COMMENT_CONTENT: Json = {
    "title": {"order": 1, "value": {"param": {"type": "string", "maxLength": 500, "optional": True,
                                              "deletable": True}}},
    "comment": {"order": 2, "value": _text(5000)},
}
REBUTTAL_CONTENT: Json = {"rebuttal": {"order": 1, "value": _text(2500)}}
WITHDRAWAL_CONTENT: Json = {
    "withdrawal_confirmation": {"order": 1, "value": _enum(["I have read and agree with the venue's withdrawal "
                                                            "policy on behalf of myself and my co-authors."])},
    "comment": {"order": 2, "value": _text(4000, optional=True)},
}
DESK_REJECTION_CONTENT: Json = {"desk_reject_comments": {"order": 1, "value": _text(10000)}}


def _paper_ref(venue: Venue, depth: int) -> str:
    return venue.paper(f"${{{depth}/content/noteNumber/value}}")


def _items(values: list[str], prefixes: tuple[str, ...] | list[str] = (), *,
           required: tuple[str, ...] = ()) -> Json:
    items: list[Json] = [{"value": v, "optional": v not in required} for v in values]
    items += [{"prefix": p, "optional": True} for p in prefixes]
    return {"param": {"items": items}}


@dataclass(frozen=True)
class StageShape:
    """What differs between the per-paper stages; the rest is the openreview-py super invitation."""

    name: str
    invitees: list[str]  # with ${3/...} paper references
    signatures: Json  # the child's edit signatures (with ${7/...} references)
    note_readers: Any  # list or param, with ${5/...} (or ${8/...} in items) references
    content: Json
    max_replies: int | None = 1
    note_nonreaders: list[str] | None = None
    reply_param: bool = False  # replyto chosen by the poster (within the forum)
    edits_submission: bool = False  # Revision-like: the edit targets the submission itself


def stage_shapes(venue: Venue) -> list[StageShape]:
    p3, p5, p7, p8 = (_paper_ref(venue, d) for d in (3, 5, 7, 8))
    chairs5 = [venue.pcs] + ([f"{p5}/Senior_Area_Chairs"] if venue.has_sacs else []) + (
        [f"{p5}/Area_Chairs"] if venue.has_acs else [])
    chairs8 = [venue.pcs] + ([f"{p8}/Senior_Area_Chairs"] if venue.has_sacs else []) + (
        [f"{p8}/Area_Chairs"] if venue.has_acs else [])
    chairs3 = [venue.id] + ([f"{p3}/Senior_Area_Chairs"] if venue.has_sacs else []) + (
        [f"{p3}/Area_Chairs"] if venue.has_acs else [])
    shapes = [
        StageShape("Official_Review", [venue.id, f"{p3}/Reviewers"],
                   _items([], [f"{p7}/Reviewer_.*"]),
                   [*chairs5, f"{p5}/Reviewers/Submitted", "${3/signatures}"], REVIEW_CONTENT,
                   note_nonreaders=[f"{p5}/Authors"]),
        StageShape("Decision", [venue.id, venue.pcs], _items([venue.pcs]), chairs5, DECISION_CONTENT),
        StageShape("Official_Comment",
                   [*chairs3, f"{p3}/Reviewers/Submitted", f"{p3}/Authors", venue.pcs],
                   _items([venue.pcs] + ([f"{p7}/Senior_Area_Chairs"] if venue.has_sacs else [])
                          + [f"{p7}/Authors"],
                          ([f"{p7}/Area_Chair_.*"] if venue.has_acs else []) + [f"{p7}/Reviewer_.*"]),
                   _items([*chairs8, f"{p8}/Reviewers/Submitted", f"{p8}/Reviewers", f"{p8}/Authors"],
                          [f"{p8}/Reviewer_.*"], required=(venue.pcs,)),
                   COMMENT_CONTENT, max_replies=None, reply_param=True),
        StageShape("Rebuttal", [venue.id, f"{p3}/Authors"], _items([f"{p7}/Authors"]),
                   [*chairs5, f"{p5}/Reviewers/Submitted", f"{p5}/Authors"], REBUTTAL_CONTENT,
                   reply_param=True),
        StageShape("Withdrawal", [venue.id, f"{p3}/Authors"], _items([f"{p7}/Authors"]),
                   [*chairs5, f"{p5}/Reviewers", f"{p5}/Authors"], WITHDRAWAL_CONTENT),
        StageShape("Desk_Rejection", [venue.id, venue.pcs], _items([venue.pcs]),
                   [*chairs5, f"{p5}/Reviewers", f"{p5}/Authors"], DESK_REJECTION_CONTENT),
        StageShape("Revision", [venue.id, f"{p3}/Authors"], _items([f"{p7}/Authors", venue.pcs]), None,
                   {}, max_replies=None, edits_submission=True),
        StageShape("Camera_Ready_Revision", [venue.id, f"{p3}/Authors"], _items([f"{p7}/Authors", venue.pcs]),
                   None, {}, max_replies=None, edits_submission=True),
    ]
    if venue.has_acs:
        shapes.insert(1, StageShape("Meta_Review", [venue.id, f"{p3}/Area_Chairs"],
                                    _items([], [f"{p7}/Area_Chair_.*"]), chairs5, META_REVIEW_CONTENT))
    return shapes


def super_invitation(venue: Venue, shape: StageShape) -> Json:
    """``V/-/<Stage>``: each edit through it creates (or replaces) ``V/Submission{n}/-/<Stage>``."""
    p2, p4, p6 = (_paper_ref(venue, d) for d in (2, 4, 6))
    child_id = f"{p2}/-/{shape.name}"
    note: Json
    if shape.edits_submission:
        content = submission_content(venue, number_ref="${7/content/noteNumber/value}")
        note = {"id": "${4/content/noteId/value}", "content": content}
        child_edit: Json = {
            "ddate": {"param": {"range": [0, MAX_DATE], "optional": True}},
            "signatures": shape.signatures,
            "readers": [venue.id, f"{p4}/Authors"],
            "writers": [venue.id, f"{p4}/Authors"],
            "note": note,
        }
    else:
        note = {
            "id": {"param": {"withInvitation": f"{p6}/-/{shape.name}", "optional": True}},
            "forum": "${4/content/noteId/value}",
            "replyto": ({"param": {"withForum": "${6/content/noteId/value}"}} if shape.reply_param
                        else "${4/content/noteId/value}"),
            "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
            "signatures": ["${3/signatures}"],
            "readers": shape.note_readers,
            "writers": [venue.id, "${3/signatures}"],
            "content": shape.content,
        }
        if shape.note_nonreaders:
            note["nonreaders"] = shape.note_nonreaders
        child_edit = {"signatures": shape.signatures, "readers": ["${2/note/readers}"], "writers": [venue.id],
                      "note": note}
        if shape.note_nonreaders:
            child_edit["nonreaders"] = ["${2/note/nonreaders}"]
    child: Json = {
        "id": child_id, "signatures": [venue.id], "readers": shape.invitees, "writers": [venue.id],
        "invitees": shape.invitees, "cdate": OPEN_FROM, "duedate": OPEN_UNTIL, "expdate": OPEN_UNTIL,
        "process": _dispatcher(f"{shape.name.lower()}_process_script"), "edit": child_edit,
    }
    if shape.max_replies:
        child["maxReplies"] = shape.max_replies
    return {
        "id": venue.stage(shape.name), "invitees": [venue.id], "readers": [venue.id], "writers": [venue.id],
        "signatures": [venue.id], "cdate": OPEN_FROM,
        "content": {f"{shape.name.lower()}_process_script": {"value": _process_script(shape.name)},
                    "email_program_chairs": {"value": False}, "email_authors": {"value": True}},
        "edit": {
            "signatures": [venue.id], "readers": [venue.id], "writers": [venue.id],
            "content": {"noteNumber": {"value": {"param": {"type": "integer"}}},
                        "noteId": {"value": {"param": {"type": "string"}}}},
            "replacement": True,
            "invitation": child,
        },
    }


def committee_group(venue: Venue, group_id: str, members: list[str]) -> Json:
    return {"id": group_id, "readers": [venue.id, group_id], "writers": [venue.id], "signatures": [venue.id],
            "signatories": [venue.id, group_id], "members": members}


# -- per-paper edits (posted through /_sandbox/batch) -------------------------------------------
def meta_group_edit(venue: Venue, group: Json) -> Json:
    return {"kind": "group", "edit": {"invitation": venue.meta_invitation, "readers": [venue.id],
                                      "writers": [venue.id], "signatures": [venue.id], "group": group}}


def paper_group_edits(venue: Venue, paper: Paper) -> list[Json]:
    """The groups openreview-py's post-submission stage and assignment deployment create."""
    n = paper.number
    p = venue.paper(n)
    authors = f"{p}/Authors"
    sacs, acs = f"{p}/Senior_Area_Chairs", f"{p}/Area_Chairs"
    chairs = venue.chairs(n, head=venue.id)
    groups: list[Json] = [
        {"id": p, "readers": [venue.id], "writers": [venue.id], "signatures": [venue.id],
         "signatories": [venue.id]},
        {"id": authors, "readers": [venue.id, authors], "writers": [venue.id], "signatures": [venue.id],
         "signatories": [venue.id, authors], "members": paper.authorids},
        {"id": f"{p}/Reviewers", "readers": [*chairs, f"{p}/Reviewers"], "nonreaders": [authors],
         "deanonymizers": chairs, "writers": [venue.id] + ([acs] if venue.has_acs else []),
         "signatures": [venue.id], "signatories": [venue.id], "anonids": True, "members": paper.reviewers},
    ]
    if venue.has_acs:
        groups.append({"id": acs, "readers": [venue.id] + ([sacs] if venue.has_sacs else []) + [acs],
                       "nonreaders": [authors], "deanonymizers": [venue.id] + ([sacs] if venue.has_sacs else []),
                       "writers": [venue.id], "signatures": [venue.id], "signatories": [venue.id],
                       "anonids": True, "members": [paper.area_chair]})
    if venue.has_sacs:
        groups.append({"id": sacs, "readers": [venue.id, sacs], "nonreaders": [authors], "writers": [venue.id],
                       "signatures": [venue.id], "signatories": [venue.id], "members": [paper.senior_area_chair]})
    return [meta_group_edit(venue, g) for g in groups]


def submitted_group_edit(venue: Venue, number: int, members: list[str]) -> Json:
    p = venue.paper(number)
    readers = [*venue.chairs(number, head=venue.id), f"{p}/Reviewers/Submitted"]
    return meta_group_edit(venue, {"id": f"{p}/Reviewers/Submitted", "readers": readers, "writers": [venue.id],
                                   "signatures": [venue.id], "signatories": [venue.id], "members": members})


def stage_edit(venue: Venue, stage: str, number: int, note_id: str) -> Json:
    """What a stage's date process posts per paper: an edit through the super invitation."""
    return {"kind": "invitation", "edit": {
        "invitations": venue.stage(stage), "invitation": {},
        "content": {"noteNumber": {"value": number}, "noteId": {"value": note_id}}}}


def note_edit(invitation: str, signature: str, note: Json) -> Json:
    return {"kind": "note", "edit": {"invitation": invitation, "signatures": [signature], "note": note}}


# -- data ---------------------------------------------------------------------------------------
class Corpus:
    """Made-up words and a text of sentences built from them, from one seed."""

    def __init__(self, seed: int, size: int = 1_500_000) -> None:
        rng = random.Random(f"{seed}:corpus")
        self.words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 11))) for _ in range(4000)]
        parts: list[str] = []
        total = 0
        while total < size:
            sentence = " ".join(rng.choices(self.words, k=rng.randint(6, 24))).capitalize() + ". "
            if rng.random() < 0.08:
                sentence += "\n\n"
            parts.append(sentence)
            total += len(sentence)
        self.text = "".join(parts)


class Text:
    """Deterministic filler prose: slices of the corpus, lengths log-normal around a mean."""

    def __init__(self, corpus: Corpus, rng: random.Random) -> None:
        self.corpus = corpus
        self.rng = rng

    def __call__(self, mean: int, low: int = 20, high: int | None = None) -> str:
        n = int(self.rng.lognormvariate(0, 0.45) * mean)
        n = max(low, min(n, high or mean * 4))
        start = self.rng.randrange(0, len(self.corpus.text) - n - 1)
        return self.corpus.text[start:start + n].strip() or "text"

    def line(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.corpus.words, k=self.rng.randint(low, high))).capitalize()


@dataclass
class Paper:
    number: int
    authors: list[str]
    authorids: list[str]
    reviewers: list[str] = field(default_factory=list)
    area_chair: str = ""
    senior_area_chair: str = ""
    meta_review: bool = False


def letters(index: int) -> str:
    """0 → ``a``, 25 → ``z``, 26 → ``ba``: numbers as letters, since tilde ids' names have no digits."""
    out = []
    while True:
        index, digit = divmod(index, 26)
        out.append(string.ascii_lowercase[digit])
        if index == 0:
            return "".join(reversed(out))


def synthetic_id(kind: str, index: int) -> str:
    """A committee member's tilde id: ``~Reviewer_Bcd1``."""
    return f"~{kind}_{letters(index).capitalize()}1"


def committee(scale: Scale) -> tuple[list[str], list[str], list[str]]:
    """Reviewer, AC and SAC ids."""
    return ([synthetic_id("Reviewer", i) for i in range(scale.reviewers)],
            [synthetic_id("Chair", i) for i in range(scale.area_chairs)],
            [synthetic_id("Senior", i) for i in range(scale.senior_area_chairs)])


def plan_papers(scale: Scale, seed: int, author_pool: list[str]) -> list[Paper]:
    """Authors, assignments (load-balanced) and which papers get a meta review."""
    rng = random.Random(f"{seed}:papers")
    reviewers, acs, sacs = committee(scale)
    papers: list[Paper] = []
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(author_pool))]
    for number in range(1, scale.submissions + 1):
        count = max(1, min(12, round(rng.gauss(4.5, 2))))
        tildes = min(count, rng.choice((1, 1, 2, 2, 3)))
        ids = list(dict.fromkeys(rng.choices(author_pool, weights=weights, k=tildes)))
        emails = [f"author{rng.randrange(10**6)}@inst{rng.randrange(900)}.edu" for _ in range(count - len(ids))]
        authorids = ids + emails
        names = [a.lstrip("~").rstrip("0123456789").replace("_", " ") if a.startswith("~")
                 else a.split("@")[0].capitalize() + " Writer" for a in authorids]
        papers.append(Paper(number=number, authors=names, authorids=authorids))
    base, extra = divmod(scale.reviews, scale.submissions)
    four = set(rng.sample(range(scale.submissions), extra))
    cycle: list[str] = []
    for index, paper in enumerate(papers):
        wanted = base + (1 if index in four else 0)
        while len(paper.reviewers) < wanted:
            if not cycle:
                cycle = reviewers[:]
                rng.shuffle(cycle)
            candidate = cycle.pop()
            if candidate not in paper.reviewers:
                paper.reviewers.append(candidate)
        if acs:
            paper.area_chair = acs[index % len(acs)]
        if sacs:  # each SAC oversees a fixed set of ACs
            paper.senior_area_chair = sacs[(index % len(acs)) % len(sacs)] if acs else sacs[index % len(sacs)]
    for index in rng.sample(range(scale.submissions), scale.meta_reviews):
        papers[index].meta_review = True
    return papers


def submission_note(venue: Venue, paper: Paper, text: Text, rng: random.Random) -> Json:
    content: Json = {
        "title": {"value": text.line(6, 14)},
        "authors": {"value": paper.authors},
        "authorids": {"value": paper.authorids},
        "keywords": {"value": [text.line(1, 3) for _ in range(rng.randint(2, 6))]},
        "abstract": {"value": text(1200, 300, 4900)},
        "pdf": {"value": f"/pdf/{rng.getrandbits(160):040x}.pdf"},
    }
    if rng.random() < 0.7:
        content["TLDR"] = {"value": text(140, 30, 250)}
    if rng.random() < 0.4:
        content["supplementary_material"] = {"value": f"/attachment/{rng.getrandbits(160):040x}.zip"}
    return content


def review_content(text: Text, rng: random.Random) -> Json:
    return {
        "summary": {"value": text(600, 100, 4900)},
        "main_review": {"value": text(2200, 300, 19000)},
        "limitations_and_societal_impact": {"value": text(350, 20, 4900)},
        "needs_ethics_review": {"value": "No" if rng.random() < 0.97 else "Yes"},
        "time_spent_reviewing": {"value": f"{rng.randint(1, 12)} hours"},
        "rating": {"value": rng.choice([3, 4, 5, 5, 6, 6, 6, 7, 7, 8, 9])},
        "confidence": {"value": rng.choice([2, 3, 3, 4, 4, 4, 5])},
        "code_of_conduct": {"value": REVIEW_CONTENT["code_of_conduct"]["value"]["param"]["enum"][0]},
    }


def meta_review_content(text: Text, rng: random.Random) -> Json:
    return {
        "metareview": {"value": text(1100, 150, 4900)},
        "recommendation": {"value": rng.choice(["Accept (Oral)", "Accept (Spotlight)", "Accept (Poster)",
                                                "Accept (Poster)", "Reject", "Reject", "Reject"])},
        "confidence": {"value": rng.choice([3, 4, 4, 5])},
    }


def comment_content(text: Text, rng: random.Random) -> Json:
    content: Json = {"comment": {"value": text(650, 40, 4900)}}
    if rng.random() < 0.5:
        content["title"] = {"value": text.line(2, 8)}
    return content


def chunked(items: Iterator[Json] | list[Json], size: int) -> Iterator[list[Json]]:
    batch: list[Json] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
