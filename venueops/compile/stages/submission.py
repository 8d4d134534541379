"""The submission stage: every venue-level invitation ``Venue.create_submission_stage()`` posts.

In openreview-py's order (``venue/venue.py`` ``create_submission_stage`` and the
``InvitationBuilder`` methods it calls):

1. ``V/-/Submission``: the form authors submit through (notes/venue-anatomy.md §2.12);
2. the withdrawal family: ``V/-/Withdrawal`` (super invitation of the per-paper
   ``V/Submission{n}/-/Withdrawal``), ``V/-/Withdrawn_Submission``, ``V/-/Withdraw_Expiration``,
   ``V/-/Withdrawal_Reversion``;
3. the desk-rejection family, shaped the same way;
4. ``V/-/Post_Submission`` (readers of submissions once the deadline has passed, hidden fields)
   and ``V/-/PC_Revision``;
5. per-paper committee groups: ``V/Reviewers/-/Submission_Group``, then the message invitations
   (``V/<Role>/-/Submission_Message`` → ``V/Submission{n}/-/Message``, ``V/<Role>/-/Message``),
   then ``V/Area_Chairs/-/Submission_Group`` and ``V/Senior_Area_Chairs/-/Submission_Group``;
6. with an abstract registration deadline: ``V/-/Full_Submission`` (the full-paper revision),
   ``V/-/Deletion`` and ``V/-/Deletion_Expiration``.

Dates (§2.1, §3.1): the submission invitation closes at its first deadline (the abstract deadline
when there is one) + 30 minutes. Post_Submission and PC_Revision open then; everything that waits
for the full paper (withdrawal, desk rejection, committee groups, messages) opens when the full
paper deadline closes (``ctx.after_submission()``).

The form, the hidden fields and the license are public helpers (``submission_form``,
``hidden_fields``, ``license_value``): the revision stages start from the same form.
"""

from __future__ import annotations

import re
from typing import Any

from venueops.compile import stubs
from venueops.compile.context import (
    NINETY_DAYS,
    NOTE_ID_4,
    NUMBER_2,
    NUMBER_3,
    NUMBER_5,
    NUMBER_6,
    NUMBER_7,
    CompileContext,
)
from venueops.compile.forms import apply_form
from venueops.compile.model import DesiredObject, file_ref
from venueops.compile.names import Number
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

STAGE = "submission"
PATH = ("stages", "submission")

# -- references the builder writes into templates ------------------------------------------------
NUMBER_4 = "${4/content/noteNumber/value}"
NOTE_ID = NOTE_ID_4
# The number of the submission a note edit is about, seen from the edit (2 up) or its content (4 up).
EDIT_NOTE_NUMBER = "${{2/note/id}/number}"
NOTE_NUMBER = "${{2/id}/number}"
FIELD_NOTE_NUMBER = "${{4/id}/number}"
# Reversion children are keyed by the submission's id, not its number.
REVERSION_NUMBER_2 = "${{2/content/noteId/value}/number}"
REVERSION_NUMBER_4 = "${{4/content/noteId/value}/number}"

TWO_LEVEL_DDATE = {"param": {"range": [0, 9999999999999], "optional": True, "deletable": True}}
NOTE_NUMBER_CONTENT = {
    "noteNumber": {"value": {"param": {"type": "integer"}}},
    "noteId": {"value": {"param": {"type": "string"}}},
}
HUMAN_VERIFICATION = {"limit": 15, "windowMs": 3600000}
RECIPIENTS_REGEX = (r"~.*|([a-z0-9_\-\.]{2,}@[a-z0-9_\-\.]{2,}\.[a-z]{2,},){0,}"
                    r"([a-z0-9_\-\.]{2,}@[a-z0-9_\-\.]{2,}\.[a-z]{2,})")

# Top-level invitation fields in the order openreview-py's ``Invitation.to_json`` writes them.
INVITATION_KEYS = ("id", "cdate", "duedate", "expdate", "readers", "nonreaders", "writers", "invitees",
                   "noninvitees", "signatures", "content", "description", "minReplies", "maxReplies", "web",
                   "process", "preprocess", "dateprocesses", "edit", "message", "humanVerificationRequired")

# -- default forms (openreview-py ``stages/default_content.py``) ---------------------------------
TEX = "Add TeX formulas using the following formats: $In-line Formula$ or $$Block Formula$$."
MARKDOWN_HELP = ("Add formatting using Markdown and formulas using LaTeX. For more information see "
                 "https://openreview.net/faq.")
EMAIL_OR_PROFILE = (r"^~\S+$|^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9]"
                    r"(?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

SUBMISSION_FORM: dict[str, Any] = {
    "title": {"order": 1, "description": f"Title of paper. {TEX}",
              "value": {"param": {"type": "string", "regex": "^.{1,250}$"}}},
    "authors": {"order": 2, "value": {"param": {"type": "string[]", "regex": "[^;,\\n]+(,[^,\\n]+)*",
                                                "hidden": True}}},
    "authorids": {"order": 3,
                  "description": "Search author profile by name or profile ID. If the profile is not found, you can "
                                 "add the author by completing name as well as author email address.",
                  "value": {"param": {"type": "profile{}", "regex": EMAIL_OR_PROFILE,
                                      "mismatchError": "must be a valid email or profile ID"}}},
    "keywords": {"description": "Comma separated list of keywords.", "order": 4,
                 "value": {"param": {"type": "string[]", "regex": ".+"}}},
    "TLDR": {"order": 5, "description": "\"Too Long; Didn't Read\": a short sentence describing your paper",
             "value": {"param": {"fieldName": "TL;DR", "type": "string", "maxLength": 250, "optional": True,
                                 "deletable": True}}},
    "abstract": {"order": 6, "description": f"Abstract of paper. {TEX}",
                 "value": {"param": {"type": "string", "maxLength": 5000, "markdown": True, "input": "textarea"}}},
    "pdf": {"order": 7, "description": "Upload a PDF file that ends with .pdf.",
            "value": {"param": {"type": "file", "maxSize": 50, "extensions": ["pdf"]}}},
}

PROFILES_ONLY_AUTHORIDS: dict[str, Any] = {
    "order": 3,
    "description": "Search author profile by first, middle and last name or email address. All authors must have "
                   "an OpenReview profile prior to submitting a paper.",
    "value": {"param": {"type": "profile{}", "regex": "~.*"}},
}


def _comment_field() -> dict[str, Any]:
    return {"order": 2, "description": MARKDOWN_HELP,
            "value": {"param": {"type": "string", "maxLength": 200000, "input": "textarea", "optional": True,
                                "deletable": True, "markdown": True}}}


def _confirmation(sentence: str, description: str) -> dict[str, Any]:
    return {"value": {"param": {"type": "string", "enum": [sentence], "input": "checkbox"}},
            "description": description, "order": 1}


def withdrawal_form() -> dict[str, Any]:
    return {
        "withdrawal_confirmation": _confirmation(
            "I have read and agree with the venue's withdrawal policy on behalf of myself and my co-authors.",
            "Please confirm to withdraw."),
        "comment": _comment_field(),
    }


def withdrawal_reversion_form() -> dict[str, Any]:
    return {
        "revert_withdrawal_confirmation": _confirmation("We approve the reversion of withdrawn submission.",
                                                        "Please confirm to reverse the withdrawal."),
        "comment": _comment_field(),
    }


def desk_rejection_form() -> dict[str, Any]:
    return {
        "title": {"order": 1, "description": "Title",
                  "value": {"param": {"type": "string", "const": "Submission Desk Rejected by Program Chairs"}}},
        "desk_reject_comments": {"order": 2,
                                 "description": "Brief summary of reasons for marking this submission as desk "
                                                "rejected",
                                 "value": {"param": {"type": "string", "maxLength": 10000, "input": "textarea"}}},
    }


def desk_rejection_reversion_form() -> dict[str, Any]:
    return {
        "revert_desk_rejection_confirmation": _confirmation("We approve the reversion of desk-rejected submission.",
                                                            "Please confirm to revert the desk-rejection."),
        "comment": _comment_field(),
    }


# -- helpers other stages share ------------------------------------------------------------------
def pretty_id(group_id: str) -> str:
    """A group id as OpenReview shows it (``tools.pretty_id``): ``ABC.cc/2027/Conference/Submission``
    → ``ABC 2027 Conference Submission``. A path part is dropped when it is lower-case letters only;
    dots and what follows them, and dashes, are dropped; underscores become spaces."""
    kept = []
    for token in group_id.split("/"):
        text = re.sub(r"\..+", "", token).replace("-", "").replace("_", " ")
        letters = re.sub(r"\d|\W", "", text)
        no_ascii = re.search(r"[a-zA-Z0-9]", text) is None
        if letters != text.lower() or (no_ascii and text):
            kept.append(text)
    return " ".join(kept)


def submission_form(ctx: CompileContext) -> dict[str, Any]:
    """The submission form's fields (without the hidden ``venue``/``venueid`` constants): OpenReview's
    default form, the subject areas, an optional PDF with abstract registration, profiles-only
    author ids, then the venue file's ``form`` changes."""
    stage = ctx.spec.stages.submission
    content = {name: _copy(field) for name, field in SUBMISSION_FORM.items()}
    if stage.subject_areas:
        content["subject_areas"] = {
            "order": 5,
            "description": "Select or type subject area",
            "value": {"param": {"type": "string[]", "enum": list(stage.subject_areas), "input": "select"}},
        }
    if stage.abstract_due is not None:
        content["pdf"]["value"]["param"]["optional"] = True
    if stage.force_profiles:
        content["authorids"] = _copy(PROFILES_ONLY_AUTHORIDS)
    return apply_form(content, stage.form, ctx.config.source, (*PATH, "form"))


def hidden_fields(ctx: CompileContext) -> list[str]:
    """Fields only the venue and the paper's authors read once the deadline has passed: the author
    fields of a double-blind venue, then ``hide_fields``."""
    stage = ctx.spec.stages.submission
    hidden = ["authors", "authorids"] if stage.double_blind else []
    return hidden + [name for name in stage.hide_fields if name not in hidden]


def license_value(ctx: CompileContext) -> str | dict[str, Any]:
    """``note.license``: one license as a constant, several as a choice."""
    license_ = ctx.spec.stages.submission.license
    if isinstance(license_, str):
        return license_
    if len(license_) == 1:
        return license_[0]
    return {"param": {"enum": [{"value": item, "description": item} for item in license_]}}


def identity_readers(ctx: CompileContext, visible_to: tuple[str, ...] | list[str], number: Number) -> list[str]:
    """``IdentityReaders.get_readers``: who may learn which member is behind a paper's anonymous ids.
    The program chairs always may; the rest as the role's ``identity_visible_to`` says."""
    n = ctx.names
    wanted = {"program_chairs", *visible_to}
    readers = [ctx.venue_id, n.program_chairs()]
    if ctx.use_senior_area_chairs:
        if "senior_area_chairs" in wanted:
            readers.append(n.senior_area_chairs())
        if "senior_area_chairs_assigned" in wanted:
            readers.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs:
        if "area_chairs" in wanted:
            readers.append(n.area_chairs())
        if "area_chairs_assigned" in wanted:
            readers.append(n.area_chairs(number))
    if "reviewers" in wanted:
        readers.append(n.reviewers())
    if "reviewers_assigned" in wanted:
        readers.append(n.reviewers(number))
    return readers


IDENTITY_AUDIENCES = frozenset({"program_chairs", "senior_area_chairs", "senior_area_chairs_assigned",
                                "area_chairs", "area_chairs_assigned", "reviewers", "reviewers_assigned"})


# -- the stage -----------------------------------------------------------------------------------
def build(ctx: CompileContext) -> list[DesiredObject]:
    return _Builder(ctx).build()


class _Builder:
    def __init__(self, ctx: CompileContext) -> None:
        self.ctx = ctx
        self.n = ctx.names
        self.v = ctx.venue_id
        self.stage = ctx.spec.stages.submission
        self.cdate, self.first_due, self.first_exp = ctx.submission_dates()
        self.after = ctx.after_submission()
        self.form = submission_form(ctx)
        self.hidden = hidden_fields(ctx)
        self.out: list[DesiredObject] = []
        self._check()

    def _check(self) -> None:
        problems = []
        for index, name in enumerate(self.stage.hide_fields):
            if name not in self.form:
                problems.append(Diagnostic(f"cannot hide {name!r}: the submission form has no such field "
                                           f"(fields: {', '.join(self.form)})",
                                           self.ctx.config.source.locate((*PATH, "hide_fields", index))))
        roles = self.ctx.spec.roles
        for key in ("reviewers", "area_chairs"):
            role = getattr(roles, key)
            if role is None:
                continue
            for index, who in enumerate(role.identity_visible_to):
                if who not in IDENTITY_AUDIENCES:
                    problems.append(Diagnostic(
                        f"roles.{key}.identity_visible_to: {who!r} cannot be told who is behind an anonymous id "
                        f"(choose among {', '.join(sorted(IDENTITY_AUDIENCES))})",
                        self.ctx.config.source.locate(("roles", key, "identity_visible_to", index))))
        if problems:
            raise ConfigError(problems)

    # -- plumbing ----------------------------------------------------------------------------
    def add(self, body: dict[str, Any], *, replacement: bool = False, path: tuple[str, ...] = PATH) -> None:
        ordered = {key: body[key] for key in INVITATION_KEYS if key in body}
        assert set(ordered) == set(body), set(body) - set(ordered)
        self.out.append(self.ctx.obj("invitation", ordered["id"], ordered, path=path, stage=STAGE,
                                     replacement=replacement))

    def venue_only(self) -> dict[str, list[str]]:
        """Who reads, writes, is invited to and signs venue-level invitations: the venue."""
        v = self.v
        return {"readers": [v], "writers": [v], "invitees": [v], "signatures": [v]}

    def venue_edit(self) -> dict[str, list[str]]:
        v = self.v
        return {"signatures": [v], "readers": [v], "writers": [v]}

    def participants(self, number: Number) -> list[str]:
        """``get_withdrawal_readers`` / ``get_desk_rejection_readers`` when not public: program chairs,
        the paper's senior area chairs, area chairs, reviewers and authors."""
        n = self.n
        readers = [n.program_chairs()]
        if self.ctx.use_senior_area_chairs:
            readers.append(n.senior_area_chairs(number))
        if self.ctx.use_area_chairs:
            readers.append(n.area_chairs(number))
        readers.append(n.reviewers(number))
        readers.append(n.authors(number))
        return readers

    @property
    def public(self) -> bool:
        return "everyone" in self.stage.readers_after_due

    # -- 1. the submission form ----------------------------------------------------------------
    def build(self) -> list[DesiredObject]:
        self.submission()
        self.withdrawal()
        self.desk_rejection()
        self.post_submission()
        self.pc_revision()
        if self.ctx.use_reviewers:
            self.reviewers_group()
        self.messages()
        if self.ctx.use_area_chairs:
            self.area_chairs_group()
        if self.ctx.use_senior_area_chairs:
            self.senior_area_chairs_group()
        if self.stage.abstract_due is not None:
            self.full_submission()
            self.deletion()
        return self.out

    def submission(self) -> None:
        v, n = self.v, self.n
        content = _copy(self.form)
        venueid = n.submission_venue_id()
        content["venue"] = {"value": {"param": {"const": pretty_id(venueid), "hidden": True}}}
        content["venueid"] = {"value": {"param": {"const": venueid, "hidden": True}}}
        template = (f"Your submission to {self.ctx.short_name} has been {{{{action}}}}.\n\n"
                    "Submission Number: {{note_number}}\n\n"
                    "Title: {{note_title}}{{note_authors}} {{note_abstract}}\n\n"
                    "To view your submission, click here: https://openreview.net/forum?id={{note_forum}}")
        self.add({
            "id": n.submission_invitation(),
            "cdate": self.cdate,
            "duedate": self.first_due,
            "expdate": self.first_exp,
            "readers": ["everyone"],
            "writers": [v],
            "invitees": ["~"],
            "signatures": [v],
            "content": {
                "submission_email_template": {"value": template},
                "email_authors": {"value": self.stage.email_authors},
                "email_program_chairs": {"value": self.stage.email_program_chairs},
            },
            "description": {"delete": True},
            "process": file_ref("venue/process/submission_process.py"),
            "edit": {
                "signatures": {"param": {"items": [{"prefix": "~.*", "optional": True},
                                                   {"value": n.program_chairs(), "optional": True}]}},
                "readers": [v, "${2/note/content/authorids/value}"],
                "writers": [v, "${2/note/content/authorids/value}"],
                "ddate": _copy(TWO_LEVEL_DDATE),
                "note": {
                    "id": {"param": {"withVenueid": venueid, "optional": True}},
                    "ddate": _copy(TWO_LEVEL_DDATE),
                    "signatures": ["${3/signatures}"],
                    "readers": [v, "${2/content/authorids/value}"],
                    "writers": [v, "${2/content/authorids/value}"],
                    "content": content,
                    "license": license_value(self.ctx),
                },
            },
            "humanVerificationRequired": dict(HUMAN_VERIFICATION),
        })

    # -- 2. withdrawal -----------------------------------------------------------------------
    def withdrawal_readers(self, number: Number) -> list[str]:
        return ["everyone"] if self.public and self.stage.withdrawn_public else self.participants(number)

    def withdrawal(self) -> None:
        v, n, stage = self.v, self.n, self.stage
        path = (*PATH, "withdrawal_expiration")
        cdate = self.after
        expdate = self.ctx.ms(stage.withdrawal_expiration, deadline=True)
        if expdate is not None and expdate < cdate:
            cdate = expdate
        child: dict[str, Any] = {
            "id": n.invitation("Withdrawal", NUMBER_2),
            "invitees": [v, n.authors(NUMBER_3)],
            "readers": [v, n.authors(NUMBER_3)],
            "writers": [v],
            "signatures": [v],
            "maxReplies": 1,
            "process": stubs.parent_script_process("process_script", with_datetime=True),
            "edit": {
                "signatures": {"param": {"items": [{"value": n.authors(NUMBER_7)}]}},
                "readers": self.withdrawal_readers(NUMBER_4),
                "writers": [v, n.authors(NUMBER_4)],
                "note": {
                    "forum": NOTE_ID,
                    "replyto": NOTE_ID,
                    "signatures": [n.authors(NUMBER_5)],
                    "readers": ["${3/readers}"],
                    "writers": [v],
                    "content": withdrawal_form(),
                },
            },
            "cdate": cdate,
        }
        if expdate is not None:
            child["expdate"] = expdate
        self.add({
            "id": n.invitation("Withdrawal"),
            "cdate": cdate,
            **self.venue_only(),
            "content": {"process_script": {"value": file_ref("venue/process/withdrawal_submission_process.py")}},
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {**self.venue_edit(), "content": _copy(NOTE_NUMBER_CONTENT), "replacement": True,
                     "invitation": child},
        }, path=path)

        self.add(self.retired_submission(
            n.withdrawn_venue_id(), n.invitation(f"Withdrawn_{stage.name}"),
            reveal=stage.withdrawn_reveal_authors,
            readers=["everyone"] if stage.withdrawn_public else self.participants(NOTE_NUMBER),
            process="venue/process/withdrawn_submission_process.py"), replacement=True, path=path)
        self.add(self.expiration(n.invitation("Withdraw_Expiration")), replacement=True, path=path)
        self.add(self.reversion(
            "Withdrawal_Reversion", "withdrawalId", withdrawal_reversion_form(),
            readers=self.withdrawal_readers(REVERSION_NUMBER_4),
            process="venue/process/withdrawal_reversion_submission_process.py"), replacement=True, path=path)

    def retired_submission(self, venueid: str, invitation_id: str, *, reveal: bool, readers: list[str],
                           process: str) -> dict[str, Any]:
        """``V/-/Withdrawn_Submission`` / ``V/-/Desk_Rejected_Submission``: the venue moves a paper
        to ``venueid``, with the readers it has from then on."""
        v, n = self.v, self.n
        author_readers: Any = ({"param": {"const": {"delete": True}}} if reveal
                               else [v, n.authors(FIELD_NOTE_NUMBER)])
        content = {
            "authors": {"readers": _copy(author_readers)},
            "venue": {"value": pretty_id(venueid)},
            "venueid": {"value": venueid},
            "authorids": {"readers": _copy(author_readers)},
        }
        return {
            "id": invitation_id,
            "readers": [v],
            "writers": [v],
            "invitees": [v],
            "noninvitees": [n.program_chairs()],
            "signatures": [v],
            "process": file_ref(process),
            "edit": {
                **self.venue_edit(),
                "ddate": _copy(TWO_LEVEL_DDATE),
                "note": {
                    "id": {"param": {"withInvitation": n.submission_invitation()}},
                    "content": content,
                    "readers": readers,
                },
            },
        }

    def expiration(self, invitation_id: str) -> dict[str, Any]:
        """``V/-/Withdraw_Expiration`` and kin: the venue deletes (``ddate``) a paper's invitations."""
        return {
            "id": invitation_id,
            **self.venue_only(),
            "edit": {
                **self.venue_edit(),
                "ddate": _copy(TWO_LEVEL_DDATE),
                "invitation": {
                    "id": {"param": {"regex": self.n.paper()}},
                    "signatures": [self.v],
                    "ddate": {"param": {"range": [0, 9999999999999], "deletable": True}},
                },
            },
        }

    def reversion(self, name: str, reply_key: str, form: dict[str, Any], *, readers: list[str],
                  process: str) -> dict[str, Any]:
        """``V/-/Withdrawal_Reversion`` / ``V/-/Desk_Rejection_Reversion``: children are posted by
        the withdrawn (desk-rejected) submission process, so no date process."""
        v, n = self.v, self.n
        return {
            "id": n.invitation(name),
            **self.venue_only(),
            "content": {"process_script": {"value": file_ref(process)}},
            "edit": {
                **self.venue_edit(),
                "content": {
                    "noteId": {"value": {"param": {"type": "string"}}},
                    reply_key: {"value": {"param": {"type": "string"}}},
                },
                "replacement": True,
                "invitation": {
                    "id": n.invitation(name, REVERSION_NUMBER_2),
                    "invitees": [v],
                    "readers": [v],
                    "writers": [v],
                    "signatures": [v],
                    "maxReplies": 1,
                    "process": stubs.parent_script_process("process_script", with_datetime=True),
                    "edit": {
                        "signatures": [n.program_chairs()],
                        "readers": readers,
                        "writers": [v],
                        "note": {
                            "forum": NOTE_ID,
                            "replyto": f"${{4/content/{reply_key}/value}}",
                            "signatures": [n.program_chairs()],
                            "readers": ["${3/readers}"],
                            "writers": [v],
                            "content": form,
                        },
                    },
                },
            },
        }

    # -- 3. desk rejection -------------------------------------------------------------------
    def desk_rejection_readers(self, number: Number) -> list[str]:
        return ["everyone"] if self.public and self.stage.desk_rejected_public else self.participants(number)

    def desk_rejection(self) -> None:
        v, n, stage = self.v, self.n, self.stage
        cdate = self.after
        child: dict[str, Any] = {
            "id": n.invitation("Desk_Rejection", NUMBER_2),
            "invitees": [v],
            "readers": [v],
            "writers": [v],
            "signatures": [v],
            "maxReplies": 1,
            "process": stubs.parent_script_process("process_script", with_datetime=True),
            "edit": {
                "signatures": [n.program_chairs()],
                "readers": self.desk_rejection_readers(NUMBER_4),
                "writers": [v],
                "note": {
                    "forum": NOTE_ID,
                    "replyto": NOTE_ID,
                    "signatures": ["${3/signatures}"],
                    "readers": ["${3/readers}"],
                    "writers": [v],
                    "content": desk_rejection_form(),
                },
            },
            # Desk rejection stays possible 90 days after the (first) submission deadline.
            "expdate": self.first_due + NINETY_DAYS,
            "cdate": cdate,
        }
        self.add({
            "id": n.invitation("Desk_Rejection"),
            "cdate": cdate,
            **self.venue_only(),
            "content": {"process_script": {"value": file_ref("venue/process/desk_rejection_submission_process.py")}},
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {**self.venue_edit(), "content": _copy(NOTE_NUMBER_CONTENT), "replacement": True,
                     "invitation": child},
        })
        self.add(self.retired_submission(
            n.desk_rejected_venue_id(), n.invitation(f"Desk_Rejected_{stage.name}"),
            reveal=stage.desk_rejected_reveal_authors,
            readers=["everyone"] if stage.desk_rejected_public else self.participants(NOTE_NUMBER),
            process="venue/process/desk_rejected_submission_process.py"), replacement=True)
        self.add(self.expiration(n.invitation("Desk_Reject_Expiration")), replacement=True)
        self.add(self.reversion(
            "Desk_Rejection_Reversion", "deskRejectionId", desk_rejection_reversion_form(),
            readers=self.desk_rejection_readers(REVERSION_NUMBER_4),
            process="venue/process/desk_rejection_reversion_submission_process.py"), replacement=True)

    # -- 4. after the deadline ---------------------------------------------------------------
    def readers_after_due(self, number: Number) -> list[str]:
        """``SubmissionStage.get_readers`` before any decision: the venue, the committees the venue
        file names (in the builder's order), the paper's authors."""
        wanted = self.stage.readers_after_due
        if "everyone" in wanted:
            return ["everyone"]
        order = ("senior_area_chairs", "senior_area_chairs_assigned", "area_chairs", "area_chairs_assigned",
                 "reviewers", "reviewers_assigned")
        chosen = [who for who in order if who in wanted]
        # Beyond the builder's choices: further audiences named in the file, in the file's order.
        chosen += [who for who in wanted if who not in order and who not in ("program_chairs", "authors")]
        readers = [self.v]
        for group in self.ctx.audiences(chosen, number):
            if group not in readers:
                readers.append(group)
        readers.append(self.n.authors(number))
        return readers

    def post_submission(self) -> None:
        v, n = self.v, self.n
        content: dict[str, Any] = {name: {"readers": [v, n.authors(FIELD_NOTE_NUMBER)]} for name in self.hidden}
        content["_bibtex"] = {"value": {"param": {"type": "string", "maxLength": 200000, "input": "textarea",
                                                  "optional": True, "deletable": True}}}
        self.add({
            "id": n.invitation(f"Post_{self.stage.name}"),
            "cdate": self.first_exp,
            **self.venue_only(),
            "content": {"source": {"value": {"venueid": [n.submission_venue_id()]}}},
            "dateprocesses": [{"dates": list(stubs.OWN_CDATE_DATES),
                               "script": file_ref("venue/process/post_submission_process.py")}],
            "edit": {
                "signatures": [v],
                "readers": [v, n.authors(EDIT_NOTE_NUMBER)],
                "writers": [v],
                "note": {
                    "id": {"param": {"withInvitation": n.submission_invitation(), "optional": True}},
                    "odate": _copy(TWO_LEVEL_DDATE),
                    "signatures": [n.authors(NOTE_NUMBER)],
                    "readers": self.readers_after_due(NOTE_NUMBER),
                    "writers": [v, n.authors(NOTE_NUMBER)],
                    "content": content,
                },
            },
        }, path=(*PATH, "readers_after_due"))

    def pc_revision(self) -> None:
        v, n = self.v, self.n
        self.add({
            "id": n.invitation("PC_Revision"),
            "cdate": self.first_exp,
            **self.venue_only(),
            "process": file_ref("venue/process/pc_submission_revision_process.py"),
            "edit": {
                "signatures": [n.program_chairs()],
                "readers": [n.program_chairs(), n.authors("${2/note/number}")],
                "writers": [v],
                "ddate": _copy(TWO_LEVEL_DDATE),
                "note": {
                    "id": {"param": {"withInvitation": n.submission_invitation(), "optional": True}},
                    "content": _copy(self.form),
                    "signatures": [n.authors("${2/number}")],
                    "license": license_value(self.ctx),
                },
            },
        }, replacement=True)

    # -- 5. committees -----------------------------------------------------------------------
    def group_super(self, prefix: str, group: dict[str, Any], role_key: str) -> None:
        self.add({
            "id": self.n.invitation(f"{self.stage.name}_Group", prefix=prefix),
            "cdate": self.after,
            **self.venue_only(),
            "dateprocesses": stubs.group_fan_out_date_processes(self.n.meta_invitation()),
            "edit": {**self.venue_edit(), "content": _copy(NOTE_NUMBER_CONTENT), "group": group},
        }, path=("roles", role_key))

    def reviewers_group(self) -> None:
        v, n, ctx = self.v, self.n, self.ctx
        role = ctx.spec.roles.reviewers
        assert role is not None
        visible_to = role.identity_visible_to
        readers = [v, n.program_chairs()]
        if ctx.use_senior_area_chairs:
            readers.append(n.senior_area_chairs(NUMBER_3))
        if ctx.use_area_chairs:
            readers.append(n.area_chairs(NUMBER_3))
        readers.append(n.reviewers(NUMBER_3))
        # A writer of the paper's reviewer group reads its anonymous groups' members: chairs write it
        # only when they may learn reviewer identities.
        writers = [v]
        if ctx.use_senior_area_chairs and {"senior_area_chairs", "senior_area_chairs_assigned"} & set(visible_to):
            writers.append(n.senior_area_chairs(NUMBER_3))
        if ctx.use_area_chairs and {"area_chairs", "area_chairs_assigned"} & set(visible_to):
            writers.append(n.area_chairs(NUMBER_3))
        self.group_super(n.reviewers(), {
            "id": n.reviewers(NUMBER_2),
            "readers": readers,
            "nonreaders": [n.authors(NUMBER_3)],
            "deanonymizers": identity_readers(ctx, visible_to, NUMBER_3),
            "writers": writers,
            "signatures": [v],
            "signatories": [v],
            "anonids": True,
        }, "reviewers")

    def area_chairs_group(self) -> None:
        v, n, ctx = self.v, self.n, self.ctx
        role = ctx.spec.roles.area_chairs
        assert role is not None
        readers = [v, n.program_chairs()]
        if ctx.use_senior_area_chairs:
            readers.append(n.senior_area_chairs(NUMBER_3))
        readers.append(n.area_chairs(NUMBER_3))
        if "reviewers_assigned" in role.identity_visible_to:
            readers.append(n.reviewers(NUMBER_3))
        self.group_super(n.area_chairs(), {
            "id": n.area_chairs(NUMBER_2),
            "readers": readers,
            "nonreaders": [n.authors(NUMBER_3)],
            "deanonymizers": identity_readers(ctx, role.identity_visible_to, NUMBER_3),
            "writers": [v],
            "signatures": [v],
            "signatories": [v],
            "anonids": True,
        }, "area_chairs")

    def senior_area_chairs_group(self) -> None:
        v, n = self.v, self.n
        # Senior area chairs are not anonymous: who they are is known to the program chairs and to
        # themselves (the request form's identity readers for them).
        self.group_super(n.senior_area_chairs(), {
            "id": n.senior_area_chairs(NUMBER_2),
            "readers": identity_readers(self.ctx, ("senior_area_chairs_assigned",), NUMBER_3),
            "nonreaders": [n.authors(NUMBER_3)],
            "writers": [v],
            "signatures": [v],
            "signatories": [v, n.senior_area_chairs(NUMBER_3)],
        }, "senior_area_chairs")

    def message_template(self, group: str, signatures: list[str]) -> dict[str, Any]:
        sender = self.ctx.message_sender()
        return {
            "replyTo": {"param": {"regex": RECIPIENTS_REGEX, "optional": True}},
            "subject": {"param": {"minLength": 1}},
            "message": {"param": {"minLength": 1}},
            "groups": {"param": {"inGroup": group}},
            "parentGroup": {"param": {"const": group}},
            "ignoreGroups": {"param": {"regex": RECIPIENTS_REGEX, "optional": True}},
            "signature": {"param": {"enum": signatures}},
            "fromName": sender["fromName"],
            "fromEmail": sender["fromEmail"],
            "useJob": {"param": {"enum": [True, False], "optional": True}},
        }

    def paper_message_super(self, prefix: str, child_id: str, group: str, *, with_area_chairs: bool,
                            role_key: str) -> None:
        """``V/<Role>/-/Submission_Message`` → a per-paper message invitation to the paper's committee."""
        v, n, ctx = self.v, self.n, self.ctx
        committee = [v]
        signatures = [v, n.program_chairs()]
        if ctx.use_senior_area_chairs:
            committee.append(n.senior_area_chairs(NUMBER_3))
            signatures.append(n.senior_area_chairs(NUMBER_6))
        if with_area_chairs:
            committee.append(n.area_chairs(NUMBER_3))
            signatures.append(n.area_chairs(NUMBER_6, anon=True))
        self.add({
            "id": n.invitation(f"{self.stage.name}_Message", prefix=prefix),
            "cdate": self.after,
            **self.venue_only(),
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {
                **self.venue_edit(),
                "content": _copy(NOTE_NUMBER_CONTENT),
                "replacement": True,
                "invitation": {
                    "id": child_id,
                    "signatures": [v],
                    "readers": list(committee),
                    "writers": [v],
                    "invitees": list(committee),
                    "cdate": self.after,
                    "message": self.message_template(group, signatures),
                },
            },
        }, replacement=True, path=("roles", role_key))

    def messages(self) -> None:
        v, n, ctx = self.v, self.n, self.ctx
        if ctx.use_reviewers:
            self.paper_message_super(n.reviewers(), n.invitation("Message", NUMBER_2), n.reviewers(NUMBER_5),
                                     with_area_chairs=ctx.use_area_chairs, role_key="reviewers")
        if ctx.use_area_chairs:
            self.paper_message_super(n.area_chairs(), n.invitation("Message", prefix=n.area_chairs(NUMBER_2)),
                                     n.area_chairs(NUMBER_5), with_area_chairs=False, role_key="area_chairs")
        if ctx.use_reviewers:
            self.add({
                "id": n.invitation("Message", prefix=n.reviewers()),
                **self.venue_only(),
                "message": self.message_template(n.reviewers(), [v, n.program_chairs()]),
            }, replacement=True, path=("roles", "reviewers"))
        if ctx.use_area_chairs:
            audience = [v] + ([n.senior_area_chairs()] if ctx.use_senior_area_chairs else [])
            self.add({
                "id": n.invitation("Message", prefix=n.area_chairs()),
                "readers": list(audience),
                "writers": [v],
                "invitees": list(audience),
                "signatures": [v],
                "message": self.message_template(n.area_chairs(), [v, n.program_chairs(), "~.*"]),
            }, replacement=True, path=("roles", "area_chairs"))

    # -- 6. abstract registration ------------------------------------------------------------
    def full_submission(self) -> None:
        """``V/-/Full_Submission``: from the abstract deadline's close to the full-paper deadline,
        each paper's authors revise their registration into the full paper (openreview-py builds it
        as a ``SubmissionRevisionStage`` named ``Full_<name>``)."""
        v, n, ctx = self.v, self.n, self.ctx
        name = f"Full_{self.stage.name}"
        due = ctx.ms(self.stage.due, deadline=True)
        assert due is not None
        cdate = min(self.first_exp, due)
        content = _copy(self.form)
        changes = self.stage.full_paper_author_changes
        if changes == "allow_reorder":
            content["authors"] = {"value": {"param": {"type": "string[]",
                                                      "const": ["${{6/id}/content/authors/value}"],
                                                      "hidden": True}},
                                  "order": 3}
            content["authorids"] = {"value": ["${{4/id}/content/authorids/value}"], "order": 4}
        elif changes == "disallow_edit":
            content.pop("authors", None)
            content.pop("authorids", None)
        for field in content:
            if field in self.hidden:
                content[field]["readers"] = [v, n.authors(FIELD_NOTE_NUMBER)]
        self.add({
            "id": n.invitation(name),
            "cdate": cdate,
            **self.venue_only(),
            "content": {
                "revision_process_script": {"value": file_ref("venue/process/submission_revision_process.py")},
                "source": {"value": {"venueid": [n.submission_venue_id()]}},
            },
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {
                **self.venue_edit(),
                "content": _copy(NOTE_NUMBER_CONTENT),
                "replacement": True,
                "invitation": {
                    "id": n.invitation(name, NUMBER_2),
                    "signatures": [v],
                    "readers": [v, n.authors(NUMBER_3)],
                    "writers": [v],
                    "invitees": [v, n.authors(NUMBER_3)],
                    "cdate": cdate,
                    "process": stubs.parent_script_process("revision_process_script", with_datetime=True),
                    "edit": {
                        "ddate": {"param": {"range": [0, 9999999999999], "optional": True}},
                        "signatures": {"param": {"items": [{"value": n.authors(NUMBER_7), "optional": True},
                                                           {"value": n.program_chairs(), "optional": True}]}},
                        "readers": [v, n.authors(NUMBER_4)],
                        "writers": [v, n.authors(NUMBER_4)],
                        "note": {"id": NOTE_ID, "content": content, "license": license_value(ctx)},
                    },
                    "duedate": due,
                    "expdate": self.after,
                },
            },
        }, path=(*PATH, "abstract_due"))

    def deletion(self) -> None:
        """``V/-/Deletion``: until the full paper is due, authors may delete a registered abstract."""
        v, n = self.v, self.n
        path = (*PATH, "abstract_due")
        self.add({
            "id": n.invitation("Deletion"),
            "cdate": self.first_exp,
            **self.venue_only(),
            "content": {"deletion_process_script": {"value": file_ref("venue/process/submission_deletion_process.py")}},
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {
                **self.venue_edit(),
                "content": _copy(NOTE_NUMBER_CONTENT),
                "replacement": True,
                "invitation": {
                    "id": n.invitation("Deletion", NUMBER_2),
                    "signatures": [v],
                    "readers": [v, n.authors(NUMBER_3)],
                    "writers": [v],
                    "invitees": [v, n.authors(NUMBER_3)],
                    "cdate": self.first_exp,
                    "process": stubs.parent_script_process("deletion_process_script", with_datetime=True),
                    "edit": {
                        "ddate": {"param": {"range": [0, 9999999999999], "optional": True}},
                        "signatures": {"param": {"items": [{"value": n.authors(NUMBER_7), "optional": True},
                                                           {"value": n.program_chairs(), "optional": True}]}},
                        "readers": [v, n.authors(NUMBER_4)],
                        "writers": [v, n.authors(NUMBER_4)],
                        "note": {"id": NOTE_ID, "ddate": _copy(TWO_LEVEL_DDATE)},
                    },
                    "expdate": self.after,
                },
            },
        }, path=path)
        self.add(self.expiration(n.invitation("Deletion_Expiration")), replacement=True, path=path)


def _copy(value: Any) -> Any:
    """A deep copy of plain JSON data (objects never share mutable parts)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value

