"""A small double-blind workshop built through openreview-py, the way OpenReview's venue builder does.

Used by the sandbox tests that need a venue: the meta invitation, the group tree, a submission
invitation, per-paper groups with anonymous reviewers, and an Official_Review super invitation
whose per-paper children reviewers post through (notes/venue-anatomy.md §1-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import openreview
from openreview.api import Group, Invitation, Note

VENUE = "DRW.cc/2026/Workshop"
PCS = f"{VENUE}/Program_Chairs"
MAX_DATE = 9_999_999_999_999


@dataclass
class Workshop:
    root: openreview.api.OpenReviewClient
    pc: openreview.api.OpenReviewClient
    venue: str = VENUE
    submissions: dict[int, str] = field(default_factory=dict)

    @property
    def pcs(self) -> str:
        return f"{self.venue}/Program_Chairs"

    def paper(self, number: int) -> str:
        return f"{self.venue}/Submission{number}"


def meta_edit(client: openreview.api.OpenReviewClient, venue: str, group: Group) -> dict:
    return client.post_group_edit(invitation=f"{venue}/-/Edit", readers=[venue], writers=[venue],
                                  signatures=[venue], group=group)


def build_workshop(root: openreview.api.OpenReviewClient, pc: openreview.api.OpenReviewClient,
                   pc_email: str, venue: str = VENUE) -> Workshop:
    """The venue's group tree and invitations, posted as a venue builder posts them."""
    root.post_invitation_edit(
        invitations=None, readers=[venue], writers=[venue], signatures=["~Super_User1"],
        invitation=Invitation(id=f"{venue}/-/Edit", invitees=[venue], readers=[venue],
                              signatures=["~Super_User1"], edit=True),
    )
    parts = venue.split("/")
    for index in range(1, len(parts) + 1):
        group_id = "/".join(parts[:index])
        root.post_group_edit(
            invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
            signatures=["~Super_User1"],
            group=Group(id=group_id, readers=["everyone"], nonreaders=[], writers=[group_id],
                        signatories=[group_id], signatures=["~Super_User1"], members=[]),
        )
    pcs = f"{venue}/Program_Chairs"
    meta_edit(root, venue, Group(id=pcs, readers=[venue, pcs], writers=[venue], signatures=[venue],
                                 signatories=[pcs, venue], members=[pc_email]))
    root.add_members_to_group(venue, pcs)
    meta_edit(pc, venue, Group(id=f"{venue}/Authors", readers=[venue, f"{venue}/Authors"], writers=[venue],
                               signatures=[venue], signatories=[venue], members=[]))
    meta_edit(pc, venue, Group(id=f"{venue}/Reviewers", readers=[venue, f"{venue}/Reviewers"], writers=[venue],
                               signatures=[venue], signatories=[venue], members=[]))
    pc.post_invitation_edit(
        invitations=f"{venue}/-/Edit", readers=[venue], writers=[venue], signatures=[venue],
        invitation=Invitation(
            id=f"{venue}/-/Submission", invitees=["~"], readers=["everyone"], writers=[venue], signatures=[venue],
            edit={
                "signatures": {"param": {"items": [{"prefix": "~.*", "optional": True},
                                                   {"value": pcs, "optional": True}]}},
                "readers": [venue, "${2/note/content/authorids/value}"],
                "writers": [venue, "${2/note/content/authorids/value}"],
                "note": {
                    "id": {"param": {"withInvitation": f"{venue}/-/Submission", "optional": True}},
                    "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
                    "signatures": ["${3/signatures}"],
                    "readers": [venue, f"{venue}/Submission${{2/number}}/Authors"],
                    "writers": [venue, f"{venue}/Submission${{2/number}}/Authors"],
                    "content": {
                        "title": {"value": {"param": {"type": "string", "regex": "^.{1,250}$"}}},
                        "authorids": {"value": {"param": {"type": "profile[]", "regex": "~.*"}},
                                      "readers": [venue, f"{venue}/Submission${{4/number}}/Authors"]},
                        "keywords": {"value": {"param": {"type": "string[]", "regex": ".+", "optional": True,
                                                         "deletable": True}}},
                        "venueid": {"value": {"param": {"const": f"{venue}/Submission", "hidden": True}}},
                    },
                },
            },
        ),
    )
    pc.post_invitation_edit(
        invitations=f"{venue}/-/Edit", readers=[venue], writers=[venue], signatures=[venue],
        invitation=review_super_invitation(venue),
    )
    return Workshop(root=root, pc=pc, venue=venue)


def review_super_invitation(venue: str) -> Invitation:
    """``V/-/Official_Review``: creates ``V/Submission{n}/-/Official_Review`` per paper."""
    number2 = "${2/content/noteNumber/value}"
    number3 = "${3/content/noteNumber/value}"
    return Invitation(
        id=f"{venue}/-/Official_Review", invitees=[venue], readers=[venue], writers=[venue], signatures=[venue],
        edit={
            "signatures": [venue], "readers": [venue], "writers": [venue],
            "content": {"noteNumber": {"value": {"param": {"type": "integer"}}},
                        "noteId": {"value": {"param": {"type": "string"}}}},
            "replacement": True,
            "invitation": {
                "id": f"{venue}/Submission{number2}/-/Official_Review",
                "signatures": [venue], "writers": [venue],
                "readers": [venue, f"{venue}/Submission{number3}/Reviewers"],
                "invitees": [venue, f"{venue}/Submission{number3}/Reviewers"],
                "maxReplies": 1,
                "edit": {
                    "signatures": {"param": {"items": [
                        {"prefix": f"{venue}/Submission${{7/content/noteNumber/value}}/Reviewer_.*",
                         "optional": True}]}},
                    "readers": ["${2/note/readers}"],
                    "nonreaders": ["${2/note/nonreaders}"],
                    "writers": [venue],
                    "note": {
                        "id": {"param": {
                            "withInvitation": f"{venue}/Submission${{6/content/noteNumber/value}}/-/Official_Review",
                            "optional": True}},
                        "forum": "${4/content/noteId/value}",
                        "replyto": "${4/content/noteId/value}",
                        "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
                        "signatures": ["${3/signatures}"],
                        "readers": [f"{venue}/Program_Chairs", "${3/signatures}"],
                        "nonreaders": [f"{venue}/Submission${{5/content/noteNumber/value}}/Authors"],
                        "writers": [venue, "${3/signatures}"],
                        "content": {
                            "title": {"value": {"param": {"type": "string", "optional": True}}},
                            "review": {"value": {"param": {"type": "string", "maxLength": 200000}}},
                            "rating": {"value": {"param": {"type": "integer", "enum": list(range(1, 11))}}},
                            "confidence": {"value": {"param": {"type": "integer", "enum": [1, 2, 3, 4, 5]}}},
                        },
                    },
                },
            },
        },
    )


def submit(workshop: Workshop, author: openreview.api.OpenReviewClient, title: str) -> dict:
    """An author submits; then, as the venue's submission process would, the paper groups appear."""
    profile_id = author.profile.id
    edit = author.post_note_edit(
        invitation=f"{workshop.venue}/-/Submission", signatures=[profile_id],
        note=Note(content={"title": {"value": title}, "authorids": {"value": [profile_id]}}),
    )
    number = edit["note"]["number"]
    venue = workshop.venue
    paper = workshop.paper(number)
    meta_edit(workshop.pc, venue, Group(id=paper, readers=[venue], writers=[venue], signatures=[venue],
                                        signatories=[venue]))
    meta_edit(workshop.pc, venue, Group(id=f"{paper}/Authors", readers=[venue, f"{paper}/Authors"], writers=[venue],
                                        signatures=[venue], signatories=[venue, f"{paper}/Authors"],
                                        members=[profile_id]))
    workshop.submissions[number] = edit["note"]["id"]
    return edit


def assign_reviewers(workshop: Workshop, number: int, reviewers: list[str]) -> None:
    venue = workshop.venue
    paper = workshop.paper(number)
    meta_edit(workshop.pc, venue, Group(
        id=f"{paper}/Reviewers", readers=[venue, f"{paper}/Reviewers"], nonreaders=[f"{paper}/Authors"],
        deanonymizers=[venue], writers=[venue], signatures=[venue], signatories=[venue], anonids=True,
        members=reviewers))


def open_reviews(workshop: Workshop, number: int) -> dict:
    """What the review stage's date process does per paper: post through the super invitation."""
    return workshop.pc.post_invitation_edit(
        invitations=f"{workshop.venue}/-/Official_Review",
        content={"noteNumber": {"value": number}, "noteId": {"value": workshop.submissions[number]}},
        invitation=Invitation(),
    )


def upload_invitation(venue: str) -> Invitation:
    """``V/-/Paper_Upload``: anyone posts a note with a ``pdf`` (at most 1 MB) and an optional
    ``supplementary_material`` zip, the fields ``put_attachment`` uploads for."""
    upload = f"{venue}/-/Paper_Upload"
    return Invitation(
        id=upload, invitees=["~"], readers=["everyone"], writers=[venue], signatures=[venue],
        edit={
            "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
            "readers": [venue, "${2/signatures}"], "writers": [venue, "${2/signatures}"],
            "note": {
                "id": {"param": {"withInvitation": upload, "optional": True}},
                "signatures": ["${3/signatures}"], "readers": [venue, "${3/signatures}"],
                "writers": [venue, "${3/signatures}"],
                "content": {
                    "title": {"value": {"param": {"type": "string"}}},
                    "pdf": {"value": {"param": {"type": "file", "extensions": ["pdf"], "maxSize": 1}}},
                    "supplementary_material": {"value": {"param": {
                        "type": "file", "extensions": ["zip"], "maxSize": 1, "optional": True}}},
                },
            },
        },
    )
