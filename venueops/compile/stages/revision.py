"""Submission revisions: ``stages.revision`` (``V/-/Revision``) and ``stages.camera_ready``
(``V/-/Camera_Ready_Revision``), each a super invitation whose children let a paper's authors
edit the submission itself.

As openreview-py's ``InvitationBuilder.set_submission_revision_invitation`` posts it for a
``SubmissionRevisionStage`` (``replacement=False``; notes/venue-anatomy.md §2.10, §3.8):

- child ``V/Submission{n}/-/<name>``: invitees and readers the venue and the paper's authors; the
  edit is signed by the paper's authors or the program chairs and edits note
  ``${4/content/noteId/value}`` (the submission), so its ``content`` is the submission form
  (``submission.submission_form``: the default form and the submission stage's changes, without the
  ``venue``/``venueid`` constants) changed by this stage's ``form``;
- ``author_changes``: ``allow_reorder`` pins the author names and ids to the submission's
  (``AuthorReorder.ALLOW_REORDER``), ``disallow_edit`` drops the author fields, ``allow_edit`` (the
  builder's default) leaves them as the form has them;
- hidden submission fields (double-blind author fields, ``hide_fields``) stay readable by the
  venue and the paper's authors only (and the publication chairs, for the author fields of
  accepted papers);
- ``only_accepted``: ``source.with_decision_accept`` (only papers with an accepting decision);
- ``allow_license_edition``: the submission's license (a constant, or a choice among several);
- ``history_readers``: who reads the revision edits (``revision_history_readers``).

The builder also sends ``{delete: true}`` for fields a live revision invitation has and the new form
lacks; that is a difference against live state, which the planner computes, not the compiler.
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import NOTE_ID_4, NUMBER_2, NUMBER_3, NUMBER_7, CompileContext
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref
from venueops.compile.stages.review import child_dates, paper_super_invitation
from venueops.compile.stages.submission import hidden_fields, license_value, submission_form
from venueops.compile.stubs import parent_script_process
from venueops.config import models
from venueops.config.loader import PathKey

NUMBER_4 = "${4/content/noteNumber/value}"
FIELD_NOTE_NUMBER = "${{4/id}/number}"  # the number of the note being edited, seen from a content field
AUTHOR_FIELDS = ("authors", "authorids")


def build(ctx: CompileContext) -> list[DesiredObject]:
    stages = ctx.spec.stages
    out = []
    for key in ("revision", "camera_ready"):
        stage = getattr(stages, key)
        if stage is not None:
            out.append(revision_invitation(ctx, stage, ("stages", key)))
    return out


def revision_form(ctx: CompileContext, stage: models.RevisionStage, path: PathKey) -> dict[str, Any]:
    """``SubmissionRevisionStage.get_content``: the submission form, this stage's changes, the
    author fields as ``author_changes`` says, and the hidden fields' readers."""
    content = apply_form(submission_form(ctx), stage.form, ctx.config.source, (*path, "form"))
    if stage.author_changes == "allow_reorder":
        content["authors"] = {
            "value": {"param": {"type": "string[]", "const": ["${{6/id}/content/authors/value}"], "hidden": True}},
            "order": 3,
        }
        content["authorids"] = {"value": ["${{4/id}/content/authorids/value}"], "order": 4}
    elif stage.author_changes == "disallow_edit":
        for field in AUTHOR_FIELDS:
            content.pop(field, None)
    n = ctx.names
    hidden = hidden_fields(ctx)
    for name, field in content.items():
        if name in hidden:
            readers = [ctx.venue_id, n.authors(FIELD_NOTE_NUMBER)]
            if name in AUTHOR_FIELDS and stage.only_accepted and ctx.use_publication_chairs:
                readers.append(n.publication_chairs())
            field["readers"] = readers
    return content


def revision_source(ctx: CompileContext, stage: models.RevisionStage) -> dict[str, Any]:
    """``SubmissionRevisionStage.get_source_submissions``: active, accepted and rejected papers;
    only those with an accepting decision when ``only_accepted``."""
    source: dict[str, Any] = {"venueid": ctx.names.active_venue_ids()}
    if stage.only_accepted:
        source["with_decision_accept"] = True
    return source


def revision_invitation(ctx: CompileContext, stage: models.RevisionStage, path: PathKey) -> DesiredObject:
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, due, expiration = ctx.stage_dates(stage)
    if due is not None and due < cdate:
        cdate = due
    content = {
        "revision_process_script": {"value": file_ref("venue/process/submission_revision_process.py")},
        "source": {"value": revision_source(ctx, stage)},
    }
    if stage.history_readers == "submission_readers":
        edit_readers = ["${{2/note/id}/readers}"]
    else:
        edit_readers = [venue_id, n.authors(NUMBER_4)]
    note: dict[str, Any] = {"id": NOTE_ID_4, "content": revision_form(ctx, stage, path)}
    if stage.allow_license_edition:
        note["license"] = license_value(ctx)
    child: dict[str, Any] = {
        "id": n.invitation(stage.name, NUMBER_2),
        "signatures": [venue_id],
        "readers": [venue_id, n.authors(NUMBER_3)],
        "writers": [venue_id],
        "invitees": [venue_id, n.authors(NUMBER_3)],
        "cdate": cdate,
        "process": parent_script_process("revision_process_script", with_datetime=True),
        "edit": {
            "ddate": {"param": {"range": [0, 9999999999999], "optional": True}},
            "signatures": {"param": {"items": [{"value": n.authors(NUMBER_7), "optional": True},
                                               {"value": n.program_chairs(), "optional": True}]}},
            "readers": edit_readers,
            "writers": [venue_id, n.authors(NUMBER_4)],
            "note": note,
        },
    }
    child_dates(child, due, expiration)
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child)
    return ctx.obj("invitation", body["id"], body, path=path, stage=".".join(str(p) for p in path))
