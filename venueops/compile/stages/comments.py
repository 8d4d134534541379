"""The comment stage: ``V/-/Official_Comment`` and, with ``public_comments``, ``V/-/Public_Comment``.

As openreview-py's ``InvitationBuilder.set_official_comment_invitation`` and
``set_public_comment_invitation`` post them for a ``CommentStage`` (``replacement=False``;
notes/venue-anatomy.md §2.9, §3.7). Both are super invitations whose date process fans out one
child per active, accepted or rejected paper (per public paper for public comments).

- ``participants`` are the builder's ``invitees`` *and* ``readers``: they may comment (child
  ``invitees``, and the signatures their roles sign with: the paper's senior area chairs, anonymous
  area chair and reviewer ids, the paper's authors; the program chairs always) and read comments.
  ``readers`` adds audiences that read without commenting; ``public_comments`` adds ``everyone``.
- ``reader_selection``: the commenter picks the readers from a list in which the program chairs
  (and the paper's senior area chairs) are mandatory; ``check_mandatory_readers`` adds the
  builder's preprocess that refuses comments without them (the venue content's
  ``comment_mandatory_readers``).
- ``start``/``end`` → ``cdate``/``expdate``; comments have no due date.

The builder takes no form changes for comments; the venue file's ``form`` changes the default
comment form of both invitations.
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import NOTE_ID_4, NUMBER_2, NUMBER_3, NUMBER_5, NUMBER_6, NUMBER_7, CompileContext
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.review import NOTE_DDATE, SIGNATURES_3, paper_super_invitation, signature_items
from venueops.compile.stubs import parent_script_preprocess_js, parent_script_process
from venueops.config import models
from venueops.config.loader import PathKey
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

PUBLIC_COMMENT_NAME = "Public_Comment"
# The builder invites OpenReview's support group to every paper's comment form, beside the venue.
SUPPORT_GROUP = "openreview.net/Support"
NUMBER_8 = "${8/content/noteNumber/value}"
NOTE_ID_6 = "${6/content/noteId/value}"

# The audiences openreview-py's CommentStage knows (``CommentStage.Readers``); the program chairs
# take part in every comment stage.
PARTICIPANTS = ("program_chairs", "senior_area_chairs_assigned", "area_chairs_assigned", "reviewers_assigned",
                "reviewers_submitted", "authors")
READERS = (*PARTICIPANTS, "everyone")

# openreview-py ``default_content.comment_v2``.
COMMENT_FORM: dict[str, Any] = {
    "title": {
        "order": 1,
        "description": "(Optional) Brief summary of your comment.",
        "value": {"param": {"type": "string", "maxLength": 500, "optional": True, "deletable": True}},
    },
    "comment": {
        "order": 2,
        "description": "Your comment or reply (max 5000 characters). Add formatting using Markdown and formulas "
                       "using LaTeX. For more information see https://openreview.net/faq",
        "value": {"param": {"type": "string", "maxLength": 5000, "markdown": True, "input": "textarea"}},
    },
}


def build(ctx: CompileContext) -> list[DesiredObject]:
    stage = ctx.spec.stages.comments
    if stage is None:
        return []
    path: PathKey = ("stages", "comments")
    check_audiences(ctx, stage, path)
    form = apply_form(json_copy(COMMENT_FORM), stage.form, ctx.config.source, (*path, "form"))
    out = [official_comment(ctx, stage, form, path)]
    if stage.public_comments:
        out.append(public_comment(ctx, stage, form, path))
    return out


def check_audiences(ctx: CompileContext, stage: models.CommentStage, path: PathKey) -> None:
    problems = []
    for key, allowed, values in (("participants", PARTICIPANTS, stage.participants),
                                 ("readers", READERS, stage.readers)):
        for index, who in enumerate(values):
            if who in allowed:
                continue
            hint = " (for public comments, set public_comments: true)" if who == "everyone" else ""
            problems.append(Diagnostic(
                f"comments cannot name {who!r} in {key}: OpenReview's comment stage takes "
                f"{', '.join(allowed)}{hint}", ctx.config.source.locate((*path, key, index)),
                path=f"stages.comments.{key}[{index}]"))
    if problems:
        raise ConfigError(problems)


# -- who -----------------------------------------------------------------------------------------
def _readers(stage: models.CommentStage) -> set[str]:
    """The builder's ``CommentStage.readers``: the participants, the further readers, everyone
    when comments are public."""
    readers = set(stage.participants) | set(stage.readers)
    if stage.public_comments:
        readers.add("everyone")
    return readers


def comment_invitees(ctx: CompileContext, stage: models.CommentStage, number: Number) -> list[str]:
    """``CommentStage.get_invitees``."""
    n = ctx.names
    who = set(stage.participants)
    invitees = [ctx.venue_id, SUPPORT_GROUP]
    if ctx.use_senior_area_chairs and "senior_area_chairs_assigned" in who:
        invitees.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs and "area_chairs_assigned" in who:
        invitees.append(n.area_chairs(number))
    if "reviewers_assigned" in who:
        invitees.append(n.reviewers(number))
    if "reviewers_submitted" in who:
        invitees.append(n.reviewers(number, submitted=True))
    if "authors" in who:
        invitees.append(n.authors(number))
    return invitees


def comment_signatures(ctx: CompileContext, stage: models.CommentStage, number: Number) -> list[str]:
    """``CommentStage.get_signatures``."""
    n = ctx.names
    who = set(stage.participants)
    signatures = [n.program_chairs()]
    if ctx.use_senior_area_chairs and "senior_area_chairs_assigned" in who:
        signatures.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs and "area_chairs_assigned" in who:
        signatures.append(n.area_chairs(number, anon=True))
    if "reviewers_assigned" in who or "reviewers_submitted" in who:
        signatures.append(n.reviewers(number, anon=True))
    if "authors" in who:
        signatures.append(n.authors(number))
    return signatures


def comment_readers(ctx: CompileContext, stage: models.CommentStage, number: Number) -> list[str]:
    """``CommentStage.get_readers`` without reader selection: a fixed list."""
    n = ctx.names
    who = _readers(stage)
    readers = [n.program_chairs()]
    if "everyone" in who:
        readers.append("everyone")
    if ctx.use_senior_area_chairs and "senior_area_chairs_assigned" in who:
        readers.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs and "area_chairs_assigned" in who:
        readers.append(n.area_chairs(number))
    if "reviewers_assigned" in who:
        readers.append(n.reviewers(number))
    if "reviewers_submitted" in who:
        readers.append(n.reviewers(number, submitted=True))
    if "authors" in who:
        readers.append(n.authors(number))
    return readers


def comment_reader_items(ctx: CompileContext, stage: models.CommentStage, number: Number) -> list[dict[str, Any]]:
    """``CommentStage.get_readers(api_version='2')`` with reader selection: the choices, the
    program chairs and the paper's senior area chairs mandatory, and any of the paper's anonymous
    reviewer ids."""
    n = ctx.names
    who = _readers(stage)
    items: list[dict[str, Any]] = []
    if "everyone" in who:
        items.append({"value": "everyone", "optional": True})
    items.append({"value": n.program_chairs(), "optional": False})
    if ctx.use_senior_area_chairs and "senior_area_chairs_assigned" in who:
        items.append({"value": n.senior_area_chairs(number), "optional": False})
    if ctx.use_area_chairs and "area_chairs_assigned" in who:
        items.append({"value": n.area_chairs(number), "optional": True})
    if "reviewers_assigned" in who:
        items.append({"value": n.reviewers(number), "optional": True})
    if "reviewers_submitted" in who:
        items.append({"value": n.reviewers(number, submitted=True), "optional": True})
    if "reviewers_assigned" in who or "reviewers_submitted" in who:
        items.append({"inGroup": n.reviewers(number), "optional": True})
    if "authors" in who:
        items.append({"value": n.authors(number), "optional": True})
    return items


def comment_description(ctx: CompileContext, stage: models.CommentStage) -> str:
    """``CommentStage.get_description``: the text above the form, saying who is notified."""
    if stage.description:
        return stage.description
    text = ('\n- Please select who should be able to see your comment under "Readers". '
            "\n- Readers marked as mandatory are required in order to post the comment.")
    if stage.email_program_chairs:
        text += "\n- Program Chairs will be notified of all comments."
    else:
        text += "\n- Program Chairs will not be notified of any of your comments."
    if ctx.use_senior_area_chairs:
        text += ("\n- Senior Area Chairs will be notified of any comments that are visible only to the "
                 "mandatory readers.")
    text += "\n- All other readers will be notified of all comments."
    return text


# -- invitations ---------------------------------------------------------------------------------
def _dates(ctx: CompileContext, stage: models.CommentStage) -> tuple[int, int | None]:
    cdate = ctx.ms(stage.start, deadline=False)
    assert cdate is not None
    return cdate, ctx.ms(stage.end, deadline=True)


def official_comment(ctx: CompileContext, stage: models.CommentStage, form: dict[str, Any],
                     path: PathKey) -> DesiredObject:
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, expdate = _dates(ctx, stage)
    readers: list[str] | dict[str, Any]
    if stage.reader_selection:
        readers = {"param": {"items": comment_reader_items(ctx, stage, NUMBER_8)}}
    else:
        readers = comment_readers(ctx, stage, NUMBER_5)
    invitees = comment_invitees(ctx, stage, NUMBER_3)
    content = {
        "comment_preprocess_script": {"value": file_ref("venue/process/comment_pre_process.js")},
        "comment_process_script": {"value": file_ref("venue/process/comment_process.py")},
        "source": {"value": {"venueid": n.active_venue_ids()}},
        "email_program_chairs": {"value": stage.email_program_chairs},
        "email_senior_area_chairs": {"value": False},
        "email_area_chairs": {"value": True},
        "email_reviewers": {"value": True},
        "email_authors": {"value": True},
    }
    check = stage.check_mandatory_readers and stage.reader_selection
    child: dict[str, Any] = {
        "id": n.invitation(stage.name, NUMBER_2),
        "description": comment_description(ctx, stage),
        "signatures": [venue_id],
        "readers": list(invitees),
        "writers": [venue_id],
        "invitees": invitees,
        "cdate": cdate,
        # The builder posts an empty preprocess when there is nothing to check.
        "preprocess": parent_script_preprocess_js("comment_preprocess_script") if check else "",
        "process": parent_script_process("comment_process_script"),
        "edit": {
            "signatures": signature_items(comment_signatures(ctx, stage, NUMBER_7)),
            "readers": ["${2/note/readers}"],
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": n.invitation(stage.name, NUMBER_6), "optional": True}},
                "forum": NOTE_ID_4,
                "replyto": {"param": {"withForum": NOTE_ID_6}},
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "readers": readers,
                "writers": [venue_id, SIGNATURES_3],
                "content": json_copy(form),
            },
        },
    }
    if expdate is not None:
        child["expdate"] = expdate
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child)
    return ctx.obj("invitation", body["id"], body, path=path, stage="stages.comments")


def public_committee(ctx: CompileContext, number: Number) -> list[str]:
    """``Venue.get_committee(number, with_authors=True)``: who comments officially, not publicly."""
    n = ctx.names
    committee = [n.authors(number), n.reviewers(number)]
    if ctx.use_area_chairs:
        committee.append(n.area_chairs(number))
    if ctx.use_senior_area_chairs:
        committee.append(n.senior_area_chairs(number))
    committee.append(n.program_chairs())
    return committee


def public_comment(ctx: CompileContext, stage: models.CommentStage, form: dict[str, Any],
                   path: PathKey) -> DesiredObject:
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, expdate = _dates(ctx, stage)
    content = {
        "comment_process_script": {"value": file_ref("venue/process/comment_process.py")},
        "source": {"value": {"venueid": n.active_venue_ids(), "readers": ["everyone"]}},
    }
    child: dict[str, Any] = {
        "id": n.invitation(PUBLIC_COMMENT_NAME, NUMBER_2),
        "signatures": [venue_id],
        "readers": ["everyone"],
        "writers": [venue_id],
        "invitees": ["everyone"],
        "noninvitees": public_committee(ctx, NUMBER_3),
        "cdate": cdate,
        "process": parent_script_process("comment_process_script"),
        "edit": {
            "signatures": {"param": {"regex": "~.*"}},
            "readers": ["${2/note/readers}"],
            "writers": [venue_id],
            "note": {
                "id": {"param": {"withInvitation": n.invitation(PUBLIC_COMMENT_NAME, NUMBER_6), "optional": True}},
                "forum": NOTE_ID_4,
                "replyto": {"param": {"withForum": NOTE_ID_6}},
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "readers": ["everyone"],
                "writers": [venue_id, SIGNATURES_3],
                "content": json_copy(form),
            },
        },
    }
    if expdate is not None:
        child["expdate"] = expdate
    body = paper_super_invitation(ctx, n.invitation(PUBLIC_COMMENT_NAME), cdate, content, child)
    return ctx.obj("invitation", body["id"], body, path=(*path, "public_comments"), stage="stages.comments")
