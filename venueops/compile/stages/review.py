"""The review stage: ``V/-/Official_Review``, the super invitation of every paper's review form.

As openreview-py's ``InvitationBuilder.set_review_invitation`` posts it (``replacement=False``):
its date process fans out one child ``V/Submission{n}/-/Official_Review`` per active, accepted or
rejected paper, which the paper's reviewers sign with their anonymous ids (or their profile when
``allow_de_anonymization``). Who reads a review follows ``ReviewStage.get_readers``:

- ``public``: everyone;
- otherwise the program chairs, the paper's senior area chairs and area chairs (when the venue has
  them), the reviewers chosen by ``release_to_reviewers`` (``signature``: the review's signer only;
  ``submitted``: the paper's reviewers who submitted, and the signer; ``assigned``: the paper's
  reviewers; ``all``: every reviewer of the venue), and the paper's authors once released.

``release_to_authors: after_due`` compiles as not released before the due date and released from
it on (``CompileContext.released``); the re-posted super invitation makes the server rewrite the
readers of reviews already posted. ``description`` is shown above the form (none: the builder's
escaped delete, so the child has no description).

The super-invitation skeleton shared by the review, rebuttal, meta-review and decision stages
(``paper_super_invitation``) lives here too.
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import (
    NOTE_ID_4,
    NUMBER_2,
    NUMBER_3,
    NUMBER_5,
    NUMBER_6,
    NUMBER_7,
    CompileContext,
)
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stubs import fan_out_date_processes, parent_script_process
from venueops.config import models
from venueops.config.loader import PathKey
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

MAX_DATE = 9_999_999_999_999
SIGNATURES_3 = "${3/signatures}"
NOTE_DDATE = {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}}
NO_DESCRIPTION = {"param": {"const": {"delete": True}}}

# openreview-py ``default_content.review_v2``.
REVIEW_FORM: dict[str, Any] = {
    "title": {
        "order": 1,
        "description": "Brief summary of your review.",
        "value": {"param": {"type": "string", "regex": ".{0,500}"}},
    },
    "review": {
        "order": 2,
        "description": "Please provide an evaluation of the quality, clarity, originality and significance of this "
                       "work, including a list of its pros and cons (max 200000 characters). Add formatting using "
                       "Markdown and formulas using LaTeX. For more information see https://openreview.net/faq",
        "value": {"param": {"type": "string", "maxLength": 200000, "markdown": True, "input": "textarea"}},
    },
    "rating": {
        "order": 3,
        "value": {"param": {
            "type": "integer",
            "enum": [
                {"value": 10, "description": "10: Top 5% of accepted papers, seminal paper"},
                {"value": 9, "description": "9: Top 15% of accepted papers, strong accept"},
                {"value": 8, "description": "8: Top 50% of accepted papers, clear accept"},
                {"value": 7, "description": "7: Good paper, accept"},
                {"value": 6, "description": "6: Marginally above acceptance threshold"},
                {"value": 5, "description": "5: Marginally below acceptance threshold"},
                {"value": 4, "description": "4: Ok but not good enough - rejection"},
                {"value": 3, "description": "3: Clear rejection"},
                {"value": 2, "description": "2: Strong rejection"},
                {"value": 1, "description": "1: Trivial or wrong"},
            ],
            "input": "radio",
        }},
    },
    "confidence": {
        "order": 4,
        "value": {"param": {
            "type": "integer",
            "enum": [
                {"value": 5, "description": "5: The reviewer is absolutely certain that the evaluation is correct "
                                            "and very familiar with the relevant literature"},
                {"value": 4, "description": "4: The reviewer is confident but not absolutely certain that the "
                                            "evaluation is correct"},
                {"value": 3, "description": "3: The reviewer is fairly confident that the evaluation is correct"},
                {"value": 2, "description": "2: The reviewer is willing to defend the evaluation, but it is quite "
                                            "likely that the reviewer did not understand central parts of the "
                                            "paper"},
                {"value": 1, "description": "1: The reviewer's evaluation is an educated guess"},
            ],
            "input": "radio",
        }},
    },
}


def build(ctx: CompileContext) -> list[DesiredObject]:
    stage = ctx.spec.stages.review
    if stage is None:
        return []
    path: PathKey = ("stages", "review")
    if not ctx.use_reviewers:
        raise ConfigError([Diagnostic("stages.review needs reviewers: the venue sets roles.reviewers to null",
                                      ctx.location(*path), path="stages.review")])
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, due, expiration = ctx.stage_dates(stage)
    content = {
        "source": {"value": {"venueid": n.active_venue_ids()}},
        "rating_field_name": {"value": stage.rating_field},
        "confidence_field_name": {"value": stage.confidence_field},
        "reviewer_roles": {"value": [n.reviewers_name]},
        "review_process_script": {"value": file_ref("venue/process/review_process.py")},
        "email_program_chairs": {"value": stage.email_program_chairs},
        "email_area_chairs": {"value": True},
        "email_reviewers": {"value": True},
        "email_authors": {"value": True},
    }
    paper_reviewers = n.reviewers(NUMBER_3)
    child: dict[str, Any] = {
        "id": n.invitation(stage.name, NUMBER_2),
        "signatures": [venue_id],
        "readers": [venue_id, paper_reviewers],
        "writers": [venue_id],
        "invitees": [venue_id, paper_reviewers],
        "maxReplies": 1,
        "cdate": cdate,
        "edit": {
            "signatures": signature_items(review_signatures(ctx, stage, NUMBER_7)),
            "readers": ["${2/note/readers}"],
            "nonreaders": ["${2/note/nonreaders}"],
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": n.invitation(stage.name, NUMBER_6), "optional": True}},
                "forum": NOTE_ID_4,
                "replyto": NOTE_ID_4,
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "readers": review_readers(ctx, stage, NUMBER_5, due),
                "nonreaders": review_nonreaders(ctx, stage, NUMBER_5, due),
                "writers": [venue_id, SIGNATURES_3],
                "content": apply_form(json_copy(REVIEW_FORM), stage.form, ctx.config.source, (*path, "form")),
            },
        },
        "process": parent_script_process("review_process_script"),
    }
    child_dates(child, due, expiration)
    child["description"] = stage.description if stage.description else json_copy(NO_DESCRIPTION)
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child)
    return [ctx.obj("invitation", body["id"], body, path=path, stage="stages.review")]


# -- who -----------------------------------------------------------------------------------------
def review_readers(ctx: CompileContext, stage: models.ReviewStage, number: Number, due: int | None) -> list[str]:
    """``ReviewStage.get_readers(venue, number, '${3/signatures}')``."""
    if stage.public:
        return ["everyone"]
    n = ctx.names
    readers = [n.program_chairs()]
    if ctx.use_senior_area_chairs:
        readers.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs:
        readers.append(n.area_chairs(number))
    release = stage.release_to_reviewers
    if release == "all":
        readers.append(n.reviewers())
    elif release == "assigned":
        readers.append(n.reviewers(number))
    elif release == "submitted":
        # The builder's workaround: the signer reads its own review before the others submit.
        readers += [n.reviewers(number, submitted=True), SIGNATURES_3]
    else:
        readers.append(SIGNATURES_3)
    if ctx.released(stage.release_to_authors, due):
        readers.append(n.authors(number))
    return readers


def review_nonreaders(ctx: CompileContext, stage: models.ReviewStage, number: Number, due: int | None) -> list[str]:
    if stage.public or ctx.released(stage.release_to_authors, due):
        return []
    return [ctx.names.authors(number)]


def de_anonymized(ctx: CompileContext, stage: models.ReviewStage) -> bool:
    if stage.allow_de_anonymization is not None:
        return stage.allow_de_anonymization
    reviewers = ctx.spec.roles.reviewers
    return reviewers is not None and not reviewers.anonymous


def review_signatures(ctx: CompileContext, stage: models.ReviewStage, number: Number) -> list[str]:
    """``ReviewStage.get_signatures``: any profile when de-anonymization is allowed (by the stage, or
    by default for reviewers who are not anonymous), else the paper's anonymous reviewer ids."""
    if de_anonymized(ctx, stage):
        return ["~.*"]
    return [ctx.names.reviewers(number, anon=True)]


# -- shared by the reviewing stages --------------------------------------------------------------
def signature_items(signatures: list[str], *, optional: bool = True) -> dict[str, Any]:
    """A signatures ``param``: a ``prefix`` item for each pattern (``.*``), a ``value`` item otherwise."""
    items = []
    for signature in signatures:
        item: dict[str, Any] = {"prefix": signature} if ".*" in signature else {"value": signature}
        if optional:
            item["optional"] = True
        items.append(item)
    return {"param": {"items": items}}


def child_dates(child: dict[str, Any], due: int | None, expiration: int | None) -> None:
    """The child's ``duedate``/``expdate``, set only when there is one (as the builder does)."""
    if due is not None:
        child["duedate"] = due
    if expiration is not None:
        child["expdate"] = expiration


def paper_super_invitation(ctx: CompileContext, invitation_id: str, cdate: int, content: dict[str, Any],
                           child: dict[str, Any], *, edit_content: dict[str, Any] | None = None) -> dict[str, Any]:
    """A venue-level super invitation whose date process posts ``child`` once per paper, given the
    paper's ``noteNumber`` and ``noteId`` (plus ``edit_content``), each child edit replacing the last."""
    venue_id = ctx.venue_id
    return {
        "id": invitation_id,
        "invitees": [venue_id],
        "readers": [venue_id],
        "writers": [venue_id],
        "signatures": [venue_id],
        "cdate": cdate,
        "dateprocesses": fan_out_date_processes(ctx.names.meta_invitation()),
        "content": content,
        "edit": {
            "signatures": [venue_id],
            "readers": [venue_id],
            "writers": [venue_id],
            "content": {
                "noteNumber": {"value": {"param": {"type": "integer"}}},
                "noteId": {"value": {"param": {"type": "string"}}},
                **(edit_content or {}),
            },
            "replacement": True,
            "invitation": child,
        },
    }
