"""The venue itself: meta invitation, ancestor groups, the venue group and its ``content``.

As openreview-py's ``Venue.setup()`` posts them (``InvitationBuilder.set_meta_invitation``,
``GroupBuilder.build_groups`` and ``create_venue_group``). The meta invitation and the ancestor
groups need the super user (``via="root"``): OpenReview support provisions them for a new venue.
The venue group's ``content`` is the configuration every server-side process reads
(notes/venue-anatomy.md §1.4).
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import SUPER_USER, CompileContext
from venueops.compile.model import DesiredObject, file_ref

TEMPLATE_GROUP = "openreview.net/Template"


def meta_invitation(ctx: CompileContext) -> DesiredObject:
    venue_id = ctx.venue_id
    body = {
        "id": ctx.names.meta_invitation(),
        "invitees": [venue_id],
        "readers": [venue_id],
        "signatures": [SUPER_USER],
        "content": {
            "invitation_edit_script": {"value": file_ref("venue/process/invitation_edit_process.py")},
            "group_edit_script": {"value": file_ref("venue/process/group_edit_process.py")},
        },
        "edit": True,
    }
    return ctx.obj("invitation", body["id"], body, path=("venue", "id"), via="root", stage="venue")


def ancestor_groups(ctx: CompileContext) -> list[DesiredObject]:
    """``A``, ``A/B`` for venue ``A/B/C`` (the venue group itself comes from ``venue_group``)."""
    parts = ctx.venue_id.split("/")
    out = []
    for index in range(1, len(parts)):
        group_id = "/".join(parts[:index])
        body = {"id": group_id, "readers": ["everyone"], "nonreaders": [], "writers": [group_id],
                "signatures": [SUPER_USER], "signatories": [group_id], "members": []}
        out.append(ctx.obj("group", group_id, body, path=("venue", "id"), via="root", stage="venue"))
    return out


def host_group(ctx: CompileContext) -> str:
    """The venue's host: its first path part, or the second when the first is all lower case."""
    parts = ctx.venue_id.split("/")
    if parts[0] == parts[0].lower() and len(parts) > 1:
        return "/".join(parts[:2])
    return parts[0]


def venue_group(ctx: CompileContext) -> DesiredObject:
    venue_id = ctx.venue_id
    body = {
        "id": venue_id,
        "readers": ["everyone"],
        "nonreaders": [],
        "writers": [venue_id],
        "signatures": [venue_id],  # as the builder leaves it: its last edit of the group signs as the venue
        "signatories": [venue_id],
        "members": [TEMPLATE_GROUP, ctx.names.program_chairs()],
        "host": host_group(ctx),
        "web": file_ref("venue/webfield/homepageWebfield.js"),
        "content": venue_content(ctx),
    }
    return ctx.obj("group", venue_id, body, path=("venue",), via="root", stage="venue")


def registry_memberships(ctx: CompileContext) -> list[DesiredObject]:
    """The venue listed in OpenReview's ``venues``, ``active_venues`` and ``host`` registries.

    These groups are OpenReview's, not the venue's: the desired object names only the members the
    venue needs there (``members_only``), never the whole group."""
    memberships = [("venues", ctx.venue_id), ("active_venues", ctx.venue_id), ("host", host_group(ctx))]
    return [
        ctx.obj("group", group_id, {"id": group_id, "members": [member]}, path=("venue", "id"), via="root",
                stage="venue", members_only=True)
        for group_id, member in memberships
    ]


def _value(value: Any) -> dict[str, Any]:
    return {"value": value}


def venue_content(ctx: CompileContext) -> dict[str, Any]:
    """The venue group's ``content``: names and ids the server-side processes read."""
    n = ctx.names
    spec = ctx.spec
    venue = spec.venue
    submission = spec.stages.submission
    reviewers_id = n.reviewers()
    participants = _participants(ctx, "{number}")
    content: dict[str, Any] = {
        "submission_id": n.submission_invitation(),
        "pc_submission_revision_id": n.invitation("PC_Revision"),
        "meta_invitation_id": n.meta_invitation(),
        "submission_name": submission.name,
        "submission_venue_id": n.submission_venue_id(),
        "withdrawn_venue_id": n.withdrawn_venue_id(),
        "desk_rejected_venue_id": n.desk_rejected_venue_id(),
        "rejected_venue_id": n.rejected_venue_id(),
        "show_active_submissions": "everyone" in submission.readers_after_due,
        "commitments_venue": False,
        "show_withdrawn_submissions": submission.withdrawn_public,
        "show_desk_rejected_submissions": submission.desk_rejected_public,
        "submission_email_template": "",
        "submission_email_pcs": submission.email_program_chairs,
        "title": venue.name,
        "subtitle": venue.short_name or "",
        "website": venue.website or "",
        "contact": venue.contact or "",
        "message_sender": ctx.message_sender(),
        "location": venue.location or "",
        "instructions": venue.instructions or "",
        "start_date": venue.start_date or "",
        "date": venue.date or "",
        "release_role_participation": True,
        "program_chairs_id": n.program_chairs(),
        "reviewers_id": reviewers_id,
        "reviewers_name": n.reviewers_name,
        "reviewer_roles": [n.reviewers_name],
        "submission_reviewer_roles": [n.reviewers_name],
        "reviewers_anon_name": _anon(n.reviewers_name),
        "reviewers_submitted_name": "Submitted",
        "reviewers_custom_max_papers_id": n.invitation("Custom_Max_Papers", prefix=reviewers_id),
        "reviewers_affinity_score_id": n.invitation("Affinity_Score", prefix=reviewers_id),
        "reviewers_conflict_id": n.invitation("Conflict", prefix=reviewers_id),
        "reviewers_assignment_id": n.invitation("Assignment", prefix=reviewers_id),
        "reviewers_invite_assignment_id": n.invitation("Invite_Assignment", prefix=reviewers_id),
        "reviewers_proposed_assignment_id": n.invitation("Proposed_Assignment", prefix=reviewers_id),
        "reviewers_recruitment_id": n.invitation("Recruitment", prefix=reviewers_id),
        "authors_id": n.authors(),
        "authors_accepted_id": n.authors_accepted(),
        "authors_name": n.authors_name,
        "withdrawn_submission_id": n.invitation(f"Withdrawn_{submission.name}"),
        "withdraw_expiration_id": n.invitation("Withdraw_Expiration"),
        "withdraw_reversion_id": n.invitation("Withdrawal_Reversion"),
        "withdraw_committee": participants,
        "withdrawal_name": "Withdrawal",
        "withdrawal_email_pcs": False,
        "desk_rejected_submission_id": n.invitation(f"Desk_Rejected_{submission.name}"),
        "desk_reject_expiration_id": n.invitation("Desk_Reject_Expiration"),
        "desk_rejection_reversion_id": n.invitation("Desk_Rejection_Reversion"),
        "desk_reject_committee": participants,
        "desk_rejection_name": "Desk_Rejection",
        "desk_rejection_email_pcs": False,
        "deletion_expiration_id": n.invitation("Deletion_Expiration"),
        "automatic_reviewer_assignment": False,
        "decision_heading_map": {},
        "reviewers_message_submission_id": n.invitation("Message", number="{number}"),
        "reviewers_message_id": n.invitation("Message", prefix=reviewers_id),
        "article_endorsement_id": n.invitation("Article_Endorsement"),
        "show_recent_activity_tab": True,
    }
    if submission.abstract_due is not None:
        content["full_submission_invitation_id"] = n.invitation(f"Full_{submission.name}")
    if submission.subject_areas:
        content["subject_areas"] = list(submission.subject_areas)
    if ctx.use_area_chairs:
        ac_id = n.area_chairs()
        content.update({
            "area_chair_roles": [n.area_chairs_name],
            "submission_area_chair_roles": [n.area_chairs_name],
            "area_chairs_id": ac_id,
            "area_chairs_name": n.area_chairs_name,
            "area_chairs_anon_name": _anon(n.area_chairs_name),
            "area_chairs_custom_max_papers_id": n.invitation("Custom_Max_Papers", prefix=ac_id),
            "area_chairs_affinity_score_id": n.invitation("Affinity_Score", prefix=ac_id),
            "area_chairs_conflict_id": n.invitation("Conflict", prefix=ac_id),
            "area_chairs_recruitment_id": n.invitation("Recruitment", prefix=ac_id),
            "area_chairs_assignment_id": n.invitation("Assignment", prefix=ac_id),
            "area_chairs_message_id": n.invitation("Message", prefix=ac_id),
            "area_chairs_message_submission_id": n.invitation("Message", prefix=n.area_chairs("{number}")),
        })
    if ctx.use_senior_area_chairs:
        sac_id = n.senior_area_chairs()
        content.update({
            "senior_area_chair_roles": [n.senior_area_chairs_name],
            "senior_area_chairs_id": sac_id,
            "senior_area_chairs_assignment_id": n.invitation("Assignment", prefix=sac_id),
            "senior_area_chairs_affinity_score_id": n.invitation("Affinity_Score", prefix=sac_id),
            "senior_area_chairs_name": n.senior_area_chairs_name,
            "sac_paper_assignments": False,
            "senior_area_chairs_conflict_id": n.invitation("Conflict", prefix=sac_id),
        })
    if ctx.use_publication_chairs:
        content["publication_chairs_id"] = n.publication_chairs()
    stages = spec.stages
    if stages.bidding:
        content["bid_name"] = "Bid"
    if stages.review is not None:
        review = stages.review
        content.update({
            "review_name": review.name,
            "review_names": [review.name],
            "review_rating": review.rating_field,
            "review_confidence": review.confidence_field,
            "review_email_pcs": review.email_program_chairs,
        })
    if stages.meta_review is not None:
        content["meta_review_recommendation"] = stages.meta_review.recommendation_field
        content["meta_review_name"] = stages.meta_review.name
    if stages.decision is not None:
        decision = stages.decision
        content.update({
            "decision_name": decision.name,
            "decision_email_authors": decision.email_authors,
            "decision_field_name": "decision",
            "accept_decision_options": list(accept_options(decision.options, decision.accept_options)),
        })
    revision = stages.camera_ready or stages.revision
    if revision is not None:
        content["submission_revision_accepted"] = revision.only_accepted
    if stages.comments is not None:
        content.update({
            "comment_mandatory_readers": comment_mandatory_readers(ctx, "{number}"),
            "comment_email_pcs": stages.comments.email_program_chairs,
            "direct_comment_email_pcs": False,
            "comment_email_sacs": False,
        })
    if stages.rebuttal is not None:
        content["rebuttal_name"] = stages.rebuttal.name
    if ctx.use_ethics_chairs:
        content["ethics_chairs_id"] = n.ethics_chairs()
        content["ethics_chairs_name"] = n.ethics_chairs_name
    if ctx.use_ethics_reviewers:
        content["ethics_reviewers_id"] = n.ethics_reviewers()
        content["ethics_reviewers_name"] = n.ethics_reviewers_name
        content["anon_ethics_reviewer_name"] = _anon(n.ethics_reviewers_name)
    return {key: _value(value) for key, value in content.items()}


def accept_options(options: tuple[str, ...], accept: tuple[str, ...] | None) -> tuple[str, ...]:
    """The decision options that accept a paper (openreview-py: those containing 'accept', in any case)."""
    if accept is not None:
        return accept
    return tuple(option for option in options if "accept" in option.lower())


def comment_mandatory_readers(ctx: CompileContext, number: str) -> list[str]:
    """Readers every official comment must include: the program chairs (and the paper's senior
    area chairs when the venue has them), as openreview-py's ``CommentStage`` computes them."""
    readers = [ctx.names.program_chairs()]
    if ctx.use_senior_area_chairs:
        readers.append(ctx.names.senior_area_chairs(number))
    return readers


def _participants(ctx: CompileContext, number: str) -> list[str]:
    """``Venue.get_participants(number, with_program_chairs=True, with_authors=True)``."""
    n = ctx.names
    out = [n.program_chairs()]
    if ctx.use_senior_area_chairs:
        out.append(n.senior_area_chairs(number))
    if ctx.use_area_chairs:
        out.append(n.area_chairs(number))
    out.append(n.reviewers(number))
    out.append(n.authors(number))
    return out


def _anon(role_name: str) -> str:
    return (role_name[:-1] if role_name.endswith("s") else role_name) + "_"
