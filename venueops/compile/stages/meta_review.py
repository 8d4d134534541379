"""The meta-review stage: ``V/-/Meta_Review`` (and ``V/-/Meta_Review_SAC_Revision`` with senior
area chairs).

As openreview-py's ``InvitationBuilder.set_meta_review_invitation`` posts them
(``replacement=False``). Each paper's area chairs (invitees; the paper's authors are
non-invitees) sign with their anonymous ids, or the program chairs sign; the paper's senior area
chairs may edit the note. Readers follow ``MetaReviewStage.get_readers``: everyone when
``public``, else the paper's senior area chairs and area chairs, its authors once released,
the reviewers chosen by ``release_to_reviewers`` (``all``: every reviewer; ``assigned``: the
paper's; ``submitted``: the paper's who submitted), and the program chairs.

With senior area chairs the builder adds ``V/-/Meta_Review_<SAC acronym>_Revision``: per paper,
the senior area chairs revise the area chair's meta review (same form, same readers).
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import NOTE_ID_4, NUMBER_2, NUMBER_3, NUMBER_5, NUMBER_6, NUMBER_7, CompileContext
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.review import (
    NO_DESCRIPTION,
    NOTE_DDATE,
    SIGNATURES_3,
    child_dates,
    paper_super_invitation,
    signature_items,
)
from venueops.compile.stubs import parent_script_process
from venueops.config import models
from venueops.config.loader import PathKey

NUMBER_4 = "${4/content/noteNumber/value}"

# openreview-py ``default_content.meta_review_v2``.
META_REVIEW_FORM: dict[str, Any] = {
    "metareview": {
        "order": 1,
        "description": "Please provide an evaluation of the quality, clarity, originality and significance of this "
                       "work, including a list of its pros and cons. Your comment or reply (max 5000 characters). "
                       "Add formatting using Markdown and formulas using LaTeX. For more information see "
                       "https://openreview.net/faq",
        "value": {"param": {"type": "string", "maxLength": 5000, "markdown": True, "input": "textarea"}},
    },
    "recommendation": {
        "order": 2,
        "value": {"param": {"type": "string", "enum": ["Accept (Oral)", "Accept (Poster)", "Reject"],
                            "input": "radio"}},
    },
    "confidence": {
        "order": 3,
        "value": {"param": {
            "type": "integer",
            "enum": [
                {"value": 5, "description": "5: The area chair is absolutely certain"},
                {"value": 4, "description": "4: The area chair is confident but not absolutely certain"},
                {"value": 3, "description": "3: The area chair is somewhat confident"},
                {"value": 2, "description": "2: The area chair is not sure"},
                {"value": 1, "description": "1: The area chair's evaluation is an educated guess"},
            ],
            "input": "radio",
        }},
    },
}


def build(ctx: CompileContext) -> list[DesiredObject]:
    stage = ctx.spec.stages.meta_review
    if stage is None:
        return []
    path: PathKey = ("stages", "meta_review")
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, due, expiration = ctx.stage_dates(stage)
    form = apply_form(json_copy(META_REVIEW_FORM), stage.form, ctx.config.source, (*path, "form"))
    source = {"venueid": n.active_venue_ids()}
    content = {
        "source": {"value": json_copy(source)},
        "recommendation_field_name": {"value": stage.recommendation_field},
        "metareview_process_script": {"value": file_ref("venue/process/metareview_process.py")},
    }
    paper_acs = n.area_chairs(NUMBER_3)
    child: dict[str, Any] = {
        "id": n.invitation(stage.name, NUMBER_2),
        "signatures": [venue_id],
        "readers": [venue_id, paper_acs],
        "writers": [venue_id],
        "invitees": [venue_id, paper_acs],
        "noninvitees": [n.authors(NUMBER_3)],
        "maxReplies": 1,
        "cdate": cdate,
        "edit": {
            "signatures": signature_items(meta_review_signatures(ctx, NUMBER_7)),
            "readers": meta_review_readers(ctx, stage, NUMBER_4, due),
            "nonreaders": meta_review_nonreaders(ctx, stage, NUMBER_4, due),
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": n.invitation(stage.name, NUMBER_6), "optional": True}},
                "forum": NOTE_ID_4,
                "replyto": NOTE_ID_4,
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "readers": meta_review_readers(ctx, stage, NUMBER_5, due),
                "nonreaders": meta_review_nonreaders(ctx, stage, NUMBER_5, due),
                "writers": meta_review_writers(ctx, NUMBER_5),
                "content": form,
            },
        },
        "process": parent_script_process("metareview_process_script"),
    }
    child_dates(child, due, expiration)
    child["description"] = stage.description if stage.description else json_copy(NO_DESCRIPTION)
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child)
    out = [ctx.obj("invitation", body["id"], body, path=path, stage="stages.meta_review")]
    if ctx.use_senior_area_chairs:
        revision = sac_revision(ctx, stage, cdate, due, expiration, form, source)
        out.append(ctx.obj("invitation", revision["id"], revision, path=path, stage="stages.meta_review"))
    return out


def sac_revision(ctx: CompileContext, stage: models.MetaReviewStage, cdate: int, due: int | None,
                 expiration: int | None, form: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """``V/-/Meta_Review_SAC_Revision``: the paper's senior area chairs edit its meta review (no
    due date, no process: the builder sets neither)."""
    n = ctx.names
    venue_id = ctx.venue_id
    acronym = "".join(part[:1].upper() for part in n.senior_area_chairs_name.split("_"))
    name = f"{stage.name}_{acronym}_Revision"
    paper_sacs = n.senior_area_chairs(NUMBER_3)
    child: dict[str, Any] = {
        "id": n.invitation(name, NUMBER_2),
        "signatures": [venue_id],
        "readers": [venue_id, paper_sacs],
        "writers": [venue_id],
        "invitees": [venue_id, paper_sacs],
        "cdate": cdate,
        "edit": {
            "signatures": signature_items([n.senior_area_chairs(NUMBER_7)], optional=False),
            "readers": meta_review_readers(ctx, stage, NUMBER_4, due),
            "nonreaders": meta_review_nonreaders(ctx, stage, NUMBER_4, due),
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": n.invitation(stage.name, NUMBER_6)}},
                "forum": NOTE_ID_4,
                "content": json_copy(form),
            },
        },
    }
    if expiration is not None:
        child["expdate"] = expiration
    return paper_super_invitation(ctx, n.invitation(name), cdate, {"source": {"value": json_copy(source)}},
                                  child)


# -- who -----------------------------------------------------------------------------------------
def meta_review_readers(ctx: CompileContext, stage: models.MetaReviewStage, number: Number,
                        due: int | None) -> list[str]:
    """``MetaReviewStage.get_readers``."""
    if stage.public:
        return ["everyone"]
    n = ctx.names
    readers: list[str] = []
    if ctx.use_senior_area_chairs:
        readers.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs:
        readers.append(n.area_chairs(number))
    if ctx.released(stage.release_to_authors, due):
        readers.append(n.authors(number))
    if stage.release_to_reviewers == "all":
        readers.append(n.reviewers())
    elif stage.release_to_reviewers == "assigned":
        readers.append(n.reviewers(number))
    elif stage.release_to_reviewers == "submitted":
        readers.append(n.reviewers(number, submitted=True))
    readers.append(n.program_chairs())
    return readers


def meta_review_nonreaders(ctx: CompileContext, stage: models.MetaReviewStage, number: Number,
                           due: int | None) -> list[str]:
    if stage.public or ctx.released(stage.release_to_authors, due):
        return []
    return [ctx.names.authors(number)]


def meta_review_writers(ctx: CompileContext, number: Number) -> list[str]:
    """``MetaReviewStage.get_writers``: the venue, the paper's senior area chairs, the signer."""
    writers = [ctx.venue_id]
    if ctx.use_senior_area_chairs:
        writers.append(ctx.names.senior_area_chairs(number))
    writers.append(SIGNATURES_3)
    return writers


def meta_review_signatures(ctx: CompileContext, number: Number) -> list[str]:
    """``MetaReviewStage.get_signatures``: the program chairs, or the paper's anonymous area chairs."""
    signatures = [ctx.names.program_chairs()]
    if ctx.use_area_chairs:
        signatures.append(ctx.names.area_chairs(number, anon=True))
    return signatures
