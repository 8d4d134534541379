"""The rebuttal stage: ``V/-/Rebuttal``, the super invitation of the authors' rebuttal forms.

As openreview-py's ``InvitationBuilder.set_review_rebuttal_invitation`` posts it
(``replacement=True``). The paper's authors sign as ``V/Submission{n}/Authors``; readers are the
program chairs, the committees named in ``readers`` and the paper's authors
(``ReviewRebuttalStage.get_invitation_readers``), or everyone. ``mode`` picks the builder's shape:

- ``per_review`` (default): one child per review, ``V/Submission{n}/Official_Review{k}/-/Rebuttal``,
  replying to that review; the super invitation takes the review's ``replyto``/``replyNumber``
  (content ``reply_to: reviews``: the fan-out walks the reviews, the review process adds children
  for new ones);
- ``single``: one rebuttal per paper, ``V/Submission{n}/-/Rebuttal``, replying to the submission;
- ``unlimited``: any number per paper, replying to any note of the forum.

The builder has no expiration option here (always due + 30 minutes); an ``expiration`` written in
the venue file is honoured.
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import NOTE_ID_4, NUMBER_2, NUMBER_3, NUMBER_5, NUMBER_6, NUMBER_7, CompileContext
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.review import (
    NOTE_DDATE,
    SIGNATURES_3,
    child_dates,
    paper_super_invitation,
    signature_items,
)
from venueops.compile.stubs import parent_script_process
from venueops.config import models
from venueops.config.loader import PathKey

# openreview-py ``default_content.rebuttal_v2``.
REBUTTAL_FORM: dict[str, Any] = {
    "rebuttal": {
        "order": 1,
        "description": "Rebuttals can include Markdown formatting and LaTeX forumulas, for more information see "
                       "https://openreview.net/faq , max length: 2500",
        "value": {"param": {"type": "string", "maxLength": 2500, "markdown": True, "input": "textarea"}},
    },
}

# ``ReviewRebuttalStage.get_invitation_readers`` adds the chosen committees in this order (the
# ethics groups are what the builder adds for papers flagged for ethics review).
READER_ORDER = ("senior_area_chairs", "senior_area_chairs_assigned", "area_chairs", "area_chairs_assigned",
                "reviewers", "reviewers_assigned", "reviewers_submitted", "ethics_chairs", "ethics_reviewers",
                "ethics_reviewers_assigned")

REPLY_NUMBER_2 = "${2/content/replyNumber/value}"
REPLY_NUMBER_6 = "${6/content/replyNumber/value}"
REPLYTO_4 = "${4/content/replyto/value}"
NOTE_ID_6 = "${6/content/noteId/value}"


def build(ctx: CompileContext) -> list[DesiredObject]:
    stage = ctx.spec.stages.rebuttal
    if stage is None:
        return []
    path: PathKey = ("stages", "rebuttal")
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, due, expiration = ctx.stage_dates(stage)
    per_review = stage.mode == "per_review"
    if per_review:
        review = ctx.spec.stages.review
        assert review is not None  # the venue-file checks require a review stage
        child_id = n.invitation(stage.name, prefix=f"{n.paper(NUMBER_2)}/{review.name}{REPLY_NUMBER_2}")
        with_invitation = n.invitation(stage.name, prefix=f"{n.paper(NUMBER_6)}/{review.name}{REPLY_NUMBER_6}")
        reply_to: Any = REPLYTO_4
    else:
        child_id = n.invitation(stage.name, NUMBER_2)
        with_invitation = n.invitation(stage.name, NUMBER_6)
        reply_to = {"param": {"withForum": NOTE_ID_6}} if stage.mode == "unlimited" else NOTE_ID_4
    content = {
        "review_rebuttal_process_script": {"value": file_ref("venue/process/review_rebuttal_process.py")},
        "reply_to": {"value": "reviews" if per_review else "forum"},
        "email_program_chairs": {"value": stage.email_program_chairs},
        "email_area_chairs": {"value": stage.email_area_chairs},
        "email_reviewers": {"value": True},
        "email_authors": {"value": True},
    }
    paper_authors = n.authors(NUMBER_3)
    child: dict[str, Any] = {
        "id": child_id,
        "signatures": [venue_id],
        "readers": [venue_id, paper_authors],
        "writers": [venue_id],
        "minReplies": 1,
        "invitees": [venue_id, paper_authors],
        "cdate": cdate,
        "process": parent_script_process("review_rebuttal_process_script"),
        "edit": {
            "signatures": signature_items([n.authors(NUMBER_7)], optional=False),
            "readers": ["${2/note/readers}"],
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": with_invitation, "optional": True}},
                "forum": NOTE_ID_4,
                "replyto": reply_to,
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "readers": rebuttal_readers(ctx, stage, NUMBER_5),
                "writers": [venue_id, SIGNATURES_3],
                "content": apply_form(json_copy(REBUTTAL_FORM), stage.form, ctx.config.source, (*path, "form")),
            },
        },
    }
    if stage.mode != "unlimited":
        child["maxReplies"] = 1
    child_dates(child, due, expiration)
    edit_content = None
    if per_review:
        edit_content = {
            "replyNumber": {"value": {"param": {"type": "integer", "optional": True}}},
            "replyto": {"value": {"param": {"type": "string", "optional": True}}},
        }
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child, edit_content=edit_content)
    return [ctx.obj("invitation", body["id"], body, path=path, stage="stages.rebuttal", replacement=True)]


def rebuttal_readers(ctx: CompileContext, stage: models.RebuttalStage, number: Number) -> list[str]:
    """``ReviewRebuttalStage.get_invitation_readers``: the program chairs, the chosen committees and
    the paper's authors, or everyone."""
    if "everyone" in stage.readers:
        return ["everyone"]
    readers = [ctx.names.program_chairs()]
    for who in READER_ORDER:
        if who in stage.readers:
            group = ctx.audience(who, number)
            if group is not None and group not in readers:
                readers.append(group)
    readers.append(ctx.names.authors(number))
    return readers
