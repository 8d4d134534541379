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

Modules: ``forms.py`` (the default forms and the submission form), ``base.py`` (template references,
dates, plumbing), ``retirement.py`` (2, 3), ``committees.py`` (5), ``full_paper.py`` (6); this one
puts them in order and builds 1 and 4.
"""

from __future__ import annotations

from typing import Any

from venueops.compile import stubs
from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredObject, file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.submission.base import (
    EDIT_NOTE_NUMBER,
    FIELD_NOTE_NUMBER,
    HUMAN_VERIFICATION,
    NOTE_NUMBER,
    TWO_LEVEL_DDATE,
)
from venueops.compile.stages.submission.committees import CommitteesMixin, identity_readers
from venueops.compile.stages.submission.forms import PATH, hidden_fields, license_value, pretty_id, submission_form
from venueops.compile.stages.submission.full_paper import FullPaperMixin
from venueops.compile.stages.submission.retirement import RetirementMixin

__all__ = ["build", "hidden_fields", "identity_readers", "license_value", "submission_form"]


def build(ctx: CompileContext) -> list[DesiredObject]:
    return SubmissionBuilder(ctx).build()


class SubmissionBuilder(RetirementMixin, CommitteesMixin, FullPaperMixin):
    """The whole stage, in the order openreview-py posts it."""

    # -- 1. the submission form ----------------------------------------------------------------
    def build(self) -> list[DesiredObject]:
        self.submission()
        self.withdrawal()
        self.desk_rejection()
        if self.stage.post_submission:
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
        content = json_copy(self.form)
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
                "ddate": json_copy(TWO_LEVEL_DDATE),
                "note": {
                    "id": {"param": {"withVenueid": venueid, "optional": True}},
                    "ddate": json_copy(TWO_LEVEL_DDATE),
                    "signatures": ["${3/signatures}"],
                    "readers": [v, "${2/content/authorids/value}"],
                    "writers": [v, "${2/content/authorids/value}"],
                    "content": content,
                    "license": license_value(self.ctx),
                },
            },
            "humanVerificationRequired": dict(HUMAN_VERIFICATION),
        })

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
                    "odate": json_copy(TWO_LEVEL_DDATE),
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
                "ddate": json_copy(TWO_LEVEL_DDATE),
                "note": {
                    "id": {"param": {"withInvitation": n.submission_invitation(), "optional": True}},
                    "content": json_copy(self.form),
                    "signatures": [n.authors("${2/number}")],
                    "license": license_value(self.ctx),
                },
            },
        }, replacement=True)

