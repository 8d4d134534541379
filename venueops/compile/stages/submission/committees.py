"""Per-paper committee groups (``V/<Role>/-/Submission_Group``) and the message invitations to a
paper's committee.
"""

from __future__ import annotations

from typing import Any

from venueops.compile import stubs
from venueops.compile.context import (
    NUMBER_2,
    NUMBER_3,
    NUMBER_5,
    NUMBER_6,
    CompileContext,
)
from venueops.compile.model import json_copy
from venueops.compile.names import Number
from venueops.compile.stages.submission.base import NOTE_NUMBER_CONTENT, RECIPIENTS_REGEX, SubmissionBuilderBase


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


class CommitteesMixin(SubmissionBuilderBase):
    """Section 5 of the stage: the per-paper committee groups and the message invitations."""

    # -- 5. committees -----------------------------------------------------------------------
    def group_super(self, prefix: str, group: dict[str, Any], role_key: str) -> None:
        self.add({
            "id": self.n.invitation(f"{self.stage.name}_Group", prefix=prefix),
            "cdate": self.after,
            **self.venue_only(),
            "dateprocesses": stubs.group_fan_out_date_processes(self.n.meta_invitation()),
            "edit": {**self.venue_edit(), "content": json_copy(NOTE_NUMBER_CONTENT), "group": group},
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
                "content": json_copy(NOTE_NUMBER_CONTENT),
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

