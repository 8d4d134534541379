"""OpenReview's id conventions for a venue, as openreview-py's ``Venue`` builds them.

Ids for one paper take ``number``: an int, or a ``${…/noteNumber/value}`` reference when the id
sits in a super invitation's template and the server fills the number in per paper.
"""

from __future__ import annotations

from dataclasses import dataclass

Number = int | str | None


def anon_name(role_name: str) -> str:
    """``Reviewers`` → ``Reviewer_`` (the prefix of anonymous ids)."""
    return (role_name[:-1] if role_name.endswith("s") else role_name) + "_"


@dataclass(frozen=True)
class Names:
    venue_id: str
    submission_name: str = "Submission"
    program_chairs_name: str = "Program_Chairs"
    reviewers_name: str = "Reviewers"
    area_chairs_name: str = "Area_Chairs"
    senior_area_chairs_name: str = "Senior_Area_Chairs"
    authors_name: str = "Authors"
    ethics_chairs_name: str = "Ethics_Chairs"
    ethics_reviewers_name: str = "Ethics_Reviewers"
    publication_chairs_name: str = "Publication_Chairs"

    # -- groups --------------------------------------------------------------------------------
    def paper(self, number: Number = None) -> str:
        prefix = f"{self.venue_id}/{self.submission_name}"
        return f"{prefix}{number}" if number is not None else prefix

    def committee(self, name: str, number: Number = None) -> str:
        return f"{self.paper(number)}/{name}" if number is not None else f"{self.venue_id}/{name}"

    def program_chairs(self) -> str:
        return self.committee(self.program_chairs_name)

    def reviewers(self, number: Number = None, *, anon: bool = False, submitted: bool = False) -> str:
        name = f"{anon_name(self.reviewers_name)}.*" if anon else self.reviewers_name
        group = self.committee(name, number)
        return f"{group}/Submitted" if submitted else group

    def area_chairs(self, number: Number = None, *, anon: bool = False) -> str:
        name = f"{anon_name(self.area_chairs_name)}.*" if anon else self.area_chairs_name
        return self.committee(name, number)

    def senior_area_chairs(self, number: Number = None) -> str:
        return self.committee(self.senior_area_chairs_name, number)

    def authors(self, number: Number = None) -> str:
        return self.committee(self.authors_name, number)

    def authors_accepted(self) -> str:
        return f"{self.committee(self.authors_name)}/Accepted"

    def ethics_chairs(self, number: Number = None) -> str:
        return self.committee(self.ethics_chairs_name, number)

    def ethics_reviewers(self, number: Number = None, *, anon: bool = False) -> str:
        name = f"{anon_name(self.ethics_reviewers_name)}.*" if anon else self.ethics_reviewers_name
        return self.committee(name, number)

    def publication_chairs(self) -> str:
        return self.committee(self.publication_chairs_name)

    # -- invitations ---------------------------------------------------------------------------
    def meta_invitation(self) -> str:
        return f"{self.venue_id}/-/Edit"

    def invitation(self, name: str, number: Number = None, prefix: str | None = None) -> str:
        if number is not None:
            return f"{self.paper(number)}/-/{name}"
        return f"{prefix or self.venue_id}/-/{name}"

    def submission_invitation(self) -> str:
        return self.invitation(self.submission_name)

    # -- venue ids of submissions (the ``venueid`` state machine) ------------------------------
    def submission_venue_id(self) -> str:
        return f"{self.venue_id}/{self.submission_name}"

    def withdrawn_venue_id(self) -> str:
        return f"{self.venue_id}/Withdrawn_{self.submission_name}"

    def desk_rejected_venue_id(self) -> str:
        return f"{self.venue_id}/Desk_Rejected_{self.submission_name}"

    def rejected_venue_id(self) -> str:
        return f"{self.venue_id}/Rejected_{self.submission_name}"

    def active_venue_ids(self) -> list[str]:
        return [self.venue_id, self.submission_venue_id(), self.rejected_venue_id()]
