"""Custom stages: each entry of ``stages.custom`` is a super invitation ``V/-/<name>`` whose children
are reply forms of the stage's own fields.

As openreview-py's ``InvitationBuilder.set_custom_stage_invitation`` posts it for a ``CustomStage``
with ``reply_type=REPLY`` (``replacement=False``; notes/venue-anatomy.md §2.10, §3.9):

- ``reply_to: forum``: one child per paper, ``V/Submission{n}/-/<name>``, replying to the
  submission;
- ``reply_to: reviews | meta_reviews | rebuttals``: one child per note of that stage,
  ``<that note's invitation prefix>/-/<name>`` (e.g. ``V/Submission1/Official_Review3/-/<name>``),
  replying to it; the super invitation takes the reply's ``replyto``, ``replyNumber`` and
  ``invitationPrefix``, and ``source.reply_to`` names the stage the fan-out walks;
- ``source``: ``all`` active papers, ``accepted`` ones (``with_decision_accept``), or ``public``
  ones (read by everyone);
- ``invitees`` reply (child ``invitees``, and the signatures their roles sign with), ``readers``
  read the replies (or everyone); ``multiple: false`` → ``maxReplies: 1``;
- the form is the stage's ``form.add`` fields (a custom stage has no default form).

``reply_type: revision`` (editing the replied-to note) and the builder's ``withForum`` replies are
not offered by the venue file.
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
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

PREFIX_2 = "${2/content/invitationPrefix/value}"
PREFIX_6 = "${6/content/invitationPrefix/value}"
REPLYTO_4 = "${4/content/replyto/value}"
OPTIONAL_STRING = {"value": {"param": {"type": "string", "optional": True}}}
OPTIONAL_INTEGER = {"value": {"param": {"type": "integer", "optional": True}}}

# The audiences openreview-py's ``CustomStage.Participants`` covers as invitees and as readers.
INVITEES = ("program_chairs", "senior_area_chairs_assigned", "area_chairs_assigned", "reviewers_assigned",
            "reviewers_submitted", "authors", "ethics_chairs", "ethics_reviewers_assigned")
READERS = ("everyone", *INVITEES)
REPLY_STAGES = {"reviews": "review", "meta_reviews": "meta_review", "rebuttals": "rebuttal"}


def build(ctx: CompileContext) -> list[DesiredObject]:
    out = []
    for index, stage in enumerate(ctx.spec.stages.custom):
        out.append(custom_invitation(ctx, stage, ("stages", "custom", index)))
    return out


def check_stage(ctx: CompileContext, stage: models.CustomStage, path: PathKey) -> None:
    source = ctx.config.source
    problems = []
    for key, allowed, values in (("invitees", INVITEES, stage.invitees), ("readers", READERS, stage.readers)):
        for index, who in enumerate(values):
            if who not in allowed:
                problems.append(Diagnostic(
                    f"a custom stage cannot name {who!r} in {key}: OpenReview's custom stage takes "
                    f"{', '.join(allowed)}", source.locate((*path, key, index)), path=_dotted((*path, key, index))))
    if stage.reply_to in REPLY_STAGES and getattr(ctx.spec.stages, REPLY_STAGES[stage.reply_to]) is None:
        problems.append(Diagnostic(
            f"{stage.name} replies to {stage.reply_to}, but the venue has no stages.{REPLY_STAGES[stage.reply_to]}",
            source.locate((*path, "reply_to")), path=_dotted((*path, "reply_to"))))
    for verb in ("remove", "change"):
        if getattr(stage.form, verb):
            problems.append(Diagnostic(
                f"a custom stage has no default form to {verb} fields from: list its fields under form.add",
                source.locate((*path, "form", verb), key=True), path=_dotted((*path, "form", verb))))
    if problems:
        raise ConfigError(problems)


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# -- who -----------------------------------------------------------------------------------------
def custom_invitees(ctx: CompileContext, stage: models.CustomStage, number: Number) -> list[str]:
    """``CustomStage.get_invitees``."""
    n = ctx.names
    who = set(stage.invitees)
    invitees = [ctx.venue_id]
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
    if ctx.use_ethics_chairs and "ethics_chairs" in who:
        invitees.append(n.ethics_chairs())
    if ctx.use_ethics_reviewers and "ethics_reviewers_assigned" in who:
        invitees.append(n.ethics_reviewers(number))
    return invitees


def custom_readers(ctx: CompileContext, stage: models.CustomStage, number: Number) -> list[str]:
    """``CustomStage.get_readers``: everyone, or the program chairs, the chosen audiences and (with
    de-anonymization) the signer."""
    if "everyone" in stage.readers:
        return ["everyone"]
    n = ctx.names
    who = set(stage.readers)
    readers = [n.program_chairs()]
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
    if ctx.use_ethics_chairs and "ethics_chairs" in who:
        readers.append(n.ethics_chairs())
    if ctx.use_ethics_reviewers and "ethics_reviewers_assigned" in who:
        readers.append(n.ethics_reviewers(number))
    if stage.allow_de_anonymization:
        readers.append(SIGNATURES_3)
    return readers


def custom_signatures(ctx: CompileContext, stage: models.CustomStage, number: Number) -> list[str]:
    """``CustomStage.get_signatures``: any profile (or the program chairs) with de-anonymization,
    else what each invited role signs with; the program chairs when no role is invited."""
    n = ctx.names
    if stage.allow_de_anonymization:
        return ["~.*", n.program_chairs()]
    who = set(stage.invitees)
    signatures = []
    if ctx.use_senior_area_chairs and "senior_area_chairs_assigned" in who:
        signatures.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs and "area_chairs_assigned" in who:
        signatures.append(n.area_chairs(number, anon=True))
    if "reviewers_assigned" in who or "reviewers_submitted" in who:
        signatures.append(n.reviewers(number, anon=True))
    if "authors" in who:
        signatures.append(n.authors(number))
    if ctx.use_ethics_chairs and "ethics_chairs" in who:
        signatures.append(n.ethics_chairs())
    if ctx.use_ethics_reviewers and "ethics_reviewers_assigned" in who:
        signatures.append(n.ethics_reviewers(number, anon=True))
    if "program_chairs" in who:
        signatures.append(n.program_chairs())
    return signatures or [n.program_chairs()]


def custom_source(ctx: CompileContext, stage: models.CustomStage) -> dict[str, Any]:
    """``CustomStage.get_source_submissions``, plus the replied-to stage for replies to replies."""
    n = ctx.names
    source: dict[str, Any]
    if stage.source == "accepted":
        source = {"venueid": [ctx.venue_id, n.submission_venue_id()], "with_decision_accept": True}
    elif stage.source == "public":
        source = {"venueid": [n.submission_venue_id()], "readers": ["everyone"]}
    else:
        source = {"venueid": [n.submission_venue_id()]}
    if stage.reply_to in REPLY_STAGES:
        replied = getattr(ctx.spec.stages, REPLY_STAGES[stage.reply_to])
        source["reply_to"] = replied.name
    return source


# -- the invitation ------------------------------------------------------------------------------
def custom_invitation(ctx: CompileContext, stage: models.CustomStage, path: PathKey) -> DesiredObject:
    check_stage(ctx, stage, path)
    n = ctx.names
    venue_id = ctx.venue_id
    cdate, due, expiration = ctx.stage_dates(stage)
    replies_to_forum = stage.reply_to == "forum"
    if replies_to_forum:
        child_id = n.invitation(stage.name, NUMBER_2)
        with_invitation = n.invitation(stage.name, NUMBER_6)
        replyto = NOTE_ID_4
    else:
        child_id = n.invitation(stage.name, prefix=PREFIX_2)
        with_invitation = n.invitation(stage.name, prefix=PREFIX_6)
        replyto = REPLYTO_4
    content = {
        "source": {"value": custom_source(ctx, stage)},
        "email_pcs": {"value": stage.email_program_chairs},
        "email_sacs": {"value": stage.email_senior_area_chairs},
        "notify_readers": {"value": stage.notify_readers},
        "email_template": {"value": stage.email_template or ""},
        "custom_stage_process_script": {"value": file_ref("venue/process/custom_stage_process.py")},
    }
    invitees = custom_invitees(ctx, stage, NUMBER_3)
    form = apply_form({}, stage.form, ctx.config.source, (*path, "form"))
    child: dict[str, Any] = {
        "id": child_id,
        "signatures": [venue_id],
        "readers": list(invitees),
        "writers": [venue_id],
        "minReplies": 1,
        "invitees": invitees,
        "noninvitees": [],
        "cdate": cdate,
        "process": parent_script_process("custom_stage_process_script", with_datetime=True),
        "edit": {
            "signatures": signature_items(custom_signatures(ctx, stage, NUMBER_7)),
            "readers": ["${2/note/readers}"],
            "nonreaders": [],
            "writers": [venue_id, "${2/signatures}"],
            "note": {
                "id": {"param": {"withInvitation": with_invitation, "optional": True}},
                "forum": NOTE_ID_4,
                "ddate": json_copy(NOTE_DDATE),
                "signatures": [SIGNATURES_3],
                "content": form,
                "replyto": replyto,
                "readers": custom_readers(ctx, stage, NUMBER_5),
                "writers": [venue_id, SIGNATURES_3],
            },
        },
    }
    child_dates(child, due, expiration)
    if not stage.multiple:
        child["maxReplies"] = 1
    child["description"] = stage.description if stage.description else json_copy(NO_DESCRIPTION)
    edit_content = {} if replies_to_forum else {
        "replyNumber": json_copy(OPTIONAL_INTEGER),
        "replyto": json_copy(OPTIONAL_STRING),
        "invitationPrefix": json_copy(OPTIONAL_STRING),
    }
    body = paper_super_invitation(ctx, n.invitation(stage.name), cdate, content, child, edit_content=edit_content)
    return ctx.obj("invitation", body["id"], body, path=path, stage=_dotted(path))
