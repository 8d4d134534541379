"""Withdrawal and desk rejection: two families of invitations shaped the same way (the per-paper
request, the retired submission, its expiration and its reversion).
"""

from __future__ import annotations

from typing import Any

from venueops.compile import stubs
from venueops.compile.context import (
    NINETY_DAYS,
    NUMBER_2,
    NUMBER_3,
    NUMBER_5,
    NUMBER_7,
)
from venueops.compile.model import file_ref, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.submission.base import (
    FIELD_NOTE_NUMBER,
    NOTE_ID,
    NOTE_NUMBER,
    NOTE_NUMBER_CONTENT,
    NUMBER_4,
    REVERSION_NUMBER_2,
    REVERSION_NUMBER_4,
    TWO_LEVEL_DDATE,
    SubmissionBuilderBase,
)
from venueops.compile.stages.submission.forms import (
    PATH,
    desk_rejection_form,
    desk_rejection_reversion_form,
    pretty_id,
    withdrawal_form,
    withdrawal_reversion_form,
)


class RetirementMixin(SubmissionBuilderBase):
    """Sections 2 and 3 of the stage: the withdrawal and desk-rejection families."""

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
        self.request_super("Withdrawal", "venue/process/withdrawal_submission_process.py", child, cdate, path=path)

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

    def request_super(self, name: str, process: str, child: dict[str, Any], cdate: int, *,
                      path: tuple[str, ...] = PATH) -> None:
        """``V/-/Withdrawal`` / ``V/-/Desk_Rejection``: the super invitation of each paper's request
        form ``child``, fanned out by the date process; ``process`` handles a posted request."""
        self.add({
            "id": self.n.invitation(name),
            "cdate": cdate,
            **self.venue_only(),
            "content": {"process_script": {"value": file_ref(process)}},
            "dateprocesses": stubs.fan_out_date_processes(self.n.meta_invitation()),
            "edit": {**self.venue_edit(), "content": json_copy(NOTE_NUMBER_CONTENT), "replacement": True,
                     "invitation": child},
        }, path=path)

    def retired_submission(self, venueid: str, invitation_id: str, *, reveal: bool, readers: list[str],
                           process: str) -> dict[str, Any]:
        """``V/-/Withdrawn_Submission`` / ``V/-/Desk_Rejected_Submission``: the venue moves a paper
        to ``venueid``, with the readers it has from then on."""
        v, n = self.v, self.n
        author_readers: Any = ({"param": {"const": {"delete": True}}} if reveal
                               else [v, n.authors(FIELD_NOTE_NUMBER)])
        content = {
            "authors": {"readers": json_copy(author_readers)},
            "venue": {"value": pretty_id(venueid)},
            "venueid": {"value": venueid},
            "authorids": {"readers": json_copy(author_readers)},
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
                "ddate": json_copy(TWO_LEVEL_DDATE),
                "note": {
                    "id": {"param": {"withInvitation": n.submission_invitation()}},
                    "content": content,
                    "readers": readers,
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
        self.request_super("Desk_Rejection", "venue/process/desk_rejection_submission_process.py", child, cdate)
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

