"""The decision stage: ``V/-/Decision``, the super invitation of each paper's decision form.

As openreview-py's ``InvitationBuilder.set_decision_invitation`` posts it (``replacement=True``).
The program chairs post one decision per paper (``minReplies``/``maxReplies`` 1) signed
``V/Program_Chairs``; the decision process (``decision_process.py``) files the paper's authors
under ``V/Authors/Accepted`` for the ``accept_options`` and e-mails the authors when
``email_authors`` and they can read it. Readers follow ``DecisionStage.get_readers``: everyone when
``public``, else the program chairs, the paper's senior area chairs and area chairs
(``release_to_area_chairs``), its reviewers (``release_to_reviewers``) and its authors once
released. The children close ten days after the due date (``expiration`` overrides this).

The ``decision`` field's options are always ``options`` (the builder overwrites the form's enum
with them).
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import (
    NOTE_ID_4,
    NUMBER_2,
    NUMBER_5,
    NUMBER_6,
    TEN_DAYS,
    CompileContext,
)
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.meta_review import NUMBER_4
from venueops.compile.stages.review import NOTE_DDATE, SIGNATURES_3, child_dates, paper_super_invitation
from venueops.compile.stubs import parent_script_process
from venueops.compile.venue import accept_options
from venueops.config import models
from venueops.config.loader import PathKey

# The builder invites OpenReview's support group to every paper's decision form, beside the venue.
SUPPORT_GROUP = "openreview.net/Support"

# openreview-py ``default_content.decision_v2`` (the ``decision`` enum is the stage's options).
DECISION_FORM: dict[str, Any] = {
    "title": {"order": 1, "value": "Paper Decision"},
    "decision": {
        "order": 2,
        "description": "Decision",
        "value": {"param": {"type": "string", "enum": ["Accept (Oral)", "Accept (Poster)", "Reject"],
                            "input": "radio"}},
    },
    "comment": {
        "order": 3,
        "value": {"param": {"type": "string", "markdown": True, "input": "textarea", "optional": True,
                            "deletable": True}},
    },
}


def build(ctx: CompileContext) -> list[DesiredObject]:
    stage = ctx.spec.stages.decision
    if stage is None:
        return []
    path: PathKey = ("stages", "decision")
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, due, expiration = ctx.stage_dates(stage, expiration_buffer=TEN_DAYS)
    content = {
        "decision_process_script": {"value": file_ref("venue/process/decision_process.py")},
        "email_authors": {"value": stage.email_authors},
        "decision_field_name": {"value": "decision"},
        "decision_options": {"value": list(stage.options)},
        "accept_decision_options": {"value": list(accept_options(stage.options, stage.accept_options))},
        "source": {"value": {"venueid": n.active_venue_ids()}},
    }
    child: dict[str, Any] = {
        "id": n.invitation(stage.name, NUMBER_2),
        "signatures": [venue_id],
        "readers": [venue_id],
        "writers": [venue_id],
        "invitees": [venue_id, SUPPORT_GROUP],
        "maxReplies": 1,
        "minReplies": 1,
        "cdate": cdate,
        "process": parent_script_process("decision_process_script", with_datetime=True),
        "edit": {
            "signatures": [n.program_chairs()],
            "readers": decision_readers(ctx, stage, NUMBER_4, due),
            "nonreaders": decision_nonreaders(ctx, stage, NUMBER_4, due),
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": n.invitation(stage.name, NUMBER_6), "optional": True}},
                "forum": NOTE_ID_4,
                "replyto": NOTE_ID_4,
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "readers": decision_readers(ctx, stage, NUMBER_5, due),
                "nonreaders": decision_nonreaders(ctx, stage, NUMBER_5, due),
                "writers": [venue_id, SIGNATURES_3],
                "content": decision_form(ctx, stage, path),
            },
        },
    }
    child_dates(child, due, expiration)
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child)
    return [ctx.obj("invitation", body["id"], body, path=path, stage="stages.decision", replacement=True)]


def decision_form(ctx: CompileContext, stage: models.DecisionStage, path: PathKey) -> dict[str, Any]:
    form = apply_form(json_copy(DECISION_FORM), stage.form, ctx.config.source, (*path, "form"))
    decision = form.get("decision")
    param = decision.get("value", {}).get("param") if isinstance(decision, dict) else None
    if isinstance(param, dict):
        param["enum"] = list(stage.options)
    return form


def decision_readers(ctx: CompileContext, stage: models.DecisionStage, number: Number, due: int | None) -> list[str]:
    """``DecisionStage.get_readers``."""
    if stage.public:
        return ["everyone"]
    n = ctx.names
    readers = [n.program_chairs()]
    if stage.release_to_area_chairs and ctx.use_senior_area_chairs:
        readers.append(n.senior_area_chairs(number))
    if stage.release_to_area_chairs and ctx.use_area_chairs:
        readers.append(n.area_chairs(number))
    if stage.release_to_reviewers:
        readers.append(n.reviewers(number))
    if ctx.released(stage.release_to_authors, due):
        readers.append(n.authors(number))
    return readers


def decision_nonreaders(ctx: CompileContext, stage: models.DecisionStage, number: Number,
                        due: int | None) -> list[str]:
    if stage.public or ctx.released(stage.release_to_authors, due):
        return []
    return [ctx.names.authors(number)]
