"""openreview-py's own venue builder, configured as the examples' venue files say: for the parity report
(``scripts/parity.py``) and for export's round trips (``tests/export``).

Each ``builder_*`` function tells ``openreview.venue.Venue`` the same choices as an example's venue file
and runs its ``setup()`` and stage methods, as OpenReview support's tooling does, against a sandbox that
runs the venue's processes (``BUILDER_PROCESSES``), through ``root_client(..., time_travel=True)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import openreview
import requests
from openreview.stages import (
    BidStage,
    CommentStage,
    DecisionStage,
    IdentityReaders,
    MetaReviewStage,
    ReviewRebuttalStage,
    ReviewStage,
    SubmissionRevisionStage,
    SubmissionStage,
)
from openreview.venue import Venue

from venueops.config.dates import parse_date
from venueops.sandbox import Sandbox
from venueops.sandbox.runtime.runtime import RuntimeSettings

SUPPORT = "openreview.net/Support"
# The builder's sandbox clock is frozen here (before every date of the examples), so nothing the
# server stamps depends on when it runs.
FROZEN_MS = 1767225600000  # 2026-01-01 00:00 UTC
# the builder sets its date processes 5 s after each save (``update_wait_time``), and waits for them
DATE_PROCESS_WAIT_MS = 5001
BUILDER_PROCESSES = RuntimeSettings(enabled=True, workers=2, preprocess_workers=1, support_setup=False)


def root_client(sandbox: Sandbox, *, time_travel: bool = False) -> openreview.api.OpenReviewClient:
    """The super user's client, on a clock frozen at ``FROZEN_MS``.

    ``time_travel`` (the builder's side, whose sandbox runs processes): each ``save_invitation`` waits
    for the date process it sets a few seconds after the save (``<invitation>-0-1``, at
    ``#{4/mdate} + 5000``). Instead of sleeping until then, the client moves the sandbox clock past
    that moment and waits until the process ran, and then reads the real logs."""
    requests.put(f"{sandbox.baseurl}/_sandbox/clock", json={"now": FROZEN_MS}, timeout=10).raise_for_status()
    client = openreview.api.OpenReviewClient(baseurl=sandbox.baseurl, username="openreview.net",
                                             password=sandbox.root_password)
    if time_travel:
        read_logs = client.get_process_logs

        def get_process_logs(**kwargs: Any) -> list[dict[str, Any]]:
            requests.put(f"{sandbox.baseurl}/_sandbox/clock", json={"advance": DATE_PROCESS_WAIT_MS},
                         timeout=120).raise_for_status()
            idle = requests.post(f"{sandbox.baseurl}/_sandbox/idle", json={"timeout": 120}, timeout=180)
            idle.raise_for_status()
            return read_logs(**kwargs)

        client.get_process_logs = get_process_logs
    return client


def when(value: str | None, zone: str, *, deadline: bool) -> dt.datetime | None:
    """A date of the venue file as the aware datetime the builder takes."""
    if value is None:
        return None
    return dt.datetime.fromtimestamp(parse_date(value, zone, end_of_day=deadline).ms / 1000, dt.UTC)


def released_now(release: bool | str, released: bool) -> bool:
    """The builder's ``release_to_authors`` for a venue file's release: ``after_due`` is off before the
    release moment and on after it, as a program chair re-running the stage with openreview-py sets it."""
    return release is True or (release == "after_due" and released)


def builder_workshop(client: openreview.api.OpenReviewClient, spec: Any, released: bool) -> None:
    """examples/venues/workshop.yaml, as openreview-py's builder is told it."""
    zone = spec.venue.timezone
    stages = spec.stages
    venue = _venue(client, spec)
    venue.reviewer_identity_readers = [IdentityReaders.PROGRAM_CHAIRS]
    venue.submission_stage = SubmissionStage(
        start_date=when(stages.submission.start, zone, deadline=False),
        due_date=when(stages.submission.due, zone, deadline=True),
        double_blind=True, readers=[SubmissionStage.Readers.REVIEWERS_ASSIGNED], remove_fields=["TLDR"],
        additional_fields={"code": {"order": 9, "description": "A link to the paper's code, if public.",
                                    "value": {"param": {"type": "string", "optional": True,
                                                        "regex": "^https?://.+"}}}})
    venue.review_stage = ReviewStage(
        start_date=when(stages.review.start, zone, deadline=False),
        due_date=when(stages.review.due, zone, deadline=True),
        exp_date=when(stages.review.due, zone, deadline=True) + dt.timedelta(minutes=30),
        release_to_authors=released_now(stages.review.release_to_authors, released), remove_fields=["title"])
    venue.decision_stage = DecisionStage(
        start_date=when(stages.decision.start, zone, deadline=False),
        due_date=when(stages.decision.due, zone, deadline=True),
        options=list(stages.decision.options),
        release_to_authors=released_now(stages.decision.release_to_authors, released), email_authors=True)
    venue.setup(program_chair_ids=list(spec.roles.program_chairs.members))
    venue.create_submission_stage()
    venue.create_review_stage()
    venue.create_decision_stage()
    group = spec.groups[0]
    client.post_group_edit(invitation=f"{venue.venue_id}/-/Edit", signatures=[venue.venue_id],
                           group=openreview.api.Group(id=group["id"], readers=group["readers"],
                                                      writers=group["writers"], signatures=group["signatures"],
                                                      signatories=group["signatories"], members=group["members"]))


def builder_conference(client: openreview.api.OpenReviewClient, spec: Any, released: bool) -> None:
    """examples/venues/conference.yaml, as openreview-py's builder is told it."""
    zone = spec.venue.timezone
    stages = spec.stages
    venue = _venue(client, spec)
    venue.use_area_chairs = True
    venue.use_senior_area_chairs = True
    venue.use_ethics_chairs = True
    venue.use_ethics_reviewers = True
    venue.reviewer_identity_readers = [IdentityReaders.PROGRAM_CHAIRS, IdentityReaders.AREA_CHAIRS_ASSIGNED]
    venue.area_chair_identity_readers = [IdentityReaders.PROGRAM_CHAIRS]
    # venueops has no option here: senior area chairs are known to the program chairs and to the
    # paper's senior area chairs, as the venue request form sets it up
    venue.senior_area_chair_identity_readers = [IdentityReaders.PROGRAM_CHAIRS,
                                                IdentityReaders.SENIOR_AREA_CHAIRS_ASSIGNED]
    readers = SubmissionStage.Readers
    submission = stages.submission
    venue.submission_stage = SubmissionStage(
        start_date=when(submission.start, zone, deadline=False),
        due_date=when(submission.abstract_due, zone, deadline=True),
        second_due_date=when(submission.due, zone, deadline=True),
        double_blind=True,
        readers=[readers.SENIOR_AREA_CHAIRS_ASSIGNED, readers.AREA_CHAIRS_ASSIGNED, readers.REVIEWERS_ASSIGNED],
        subject_areas=list(submission.subject_areas), email_pcs=False,
        additional_fields={"supplementary_material": {
            "order": 10, "description": "Supplementary material (zip or pdf, at most 100 MB).",
            "value": {"param": {"type": "file", "optional": True, "deletable": True, "extensions": ["zip", "pdf"],
                                "maxSize": 100}}}})
    venue.bid_stages = [
        BidStage(committee_id=f"{venue.venue_id}/{'Reviewers' if bid.committee == 'reviewers' else 'Area_Chairs'}",
                 start_date=when(bid.start, zone, deadline=False), due_date=when(bid.due, zone, deadline=True),
                 request_count=bid.request_count)
        for bid in stages.bidding]
    venue.review_stage = ReviewStage(
        start_date=when(stages.review.start, zone, deadline=False),
        due_date=when(stages.review.due, zone, deadline=True),
        exp_date=when(stages.review.due, zone, deadline=True) + dt.timedelta(minutes=30),
        release_to_reviewers=ReviewStage.Readers.REVIEWERS_SUBMITTED,
        release_to_authors=released_now(stages.review.release_to_authors, released))
    rebuttal_readers = ReviewRebuttalStage.Readers
    venue.review_rebuttal_stage = ReviewRebuttalStage(
        start_date=when(stages.rebuttal.start, zone, deadline=False),
        due_date=when(stages.rebuttal.due, zone, deadline=True),
        readers=[rebuttal_readers.SENIOR_AREA_CHAIRS_ASSIGNED, rebuttal_readers.AREA_CHAIRS_ASSIGNED,
                 rebuttal_readers.REVIEWERS_ASSIGNED])
    venue.meta_review_stage = MetaReviewStage(
        start_date=when(stages.meta_review.start, zone, deadline=False),
        due_date=when(stages.meta_review.due, zone, deadline=True),
        exp_date=when(stages.meta_review.due, zone, deadline=True) + dt.timedelta(minutes=30),
        release_to_authors=released_now(stages.meta_review.release_to_authors, released))
    venue.decision_stage = DecisionStage(
        start_date=when(stages.decision.start, zone, deadline=False),
        due_date=when(stages.decision.due, zone, deadline=True),
        options=list(stages.decision.options),
        release_to_authors=released_now(stages.decision.release_to_authors, released), email_authors=True)
    comment_readers = CommentStage.Readers
    venue.comment_stage = CommentStage(
        start_date=when(stages.comments.start, zone, deadline=False),
        end_date=when(stages.comments.end, zone, deadline=True), reader_selection=True,
        check_mandatory_readers=True,  # venueops' default (the builder's is off)
        readers=[comment_readers.SENIOR_AREA_CHAIRS_ASSIGNED, comment_readers.AREA_CHAIRS_ASSIGNED,
                 comment_readers.REVIEWERS_ASSIGNED, comment_readers.AUTHORS],
        invitees=[comment_readers.SENIOR_AREA_CHAIRS_ASSIGNED, comment_readers.AREA_CHAIRS_ASSIGNED,
                  comment_readers.REVIEWERS_ASSIGNED, comment_readers.AUTHORS])
    venue.submission_revision_stage = SubmissionRevisionStage(
        name="Camera_Ready_Revision", start_date=when(stages.camera_ready.start, zone, deadline=False),
        due_date=when(stages.camera_ready.due, zone, deadline=True), only_accepted=True)
    venue.setup(program_chair_ids=list(spec.roles.program_chairs.members))
    venue.create_submission_stage()
    venue.create_bid_stages()
    venue.create_review_stage()
    venue.create_review_rebuttal_stage()
    venue.create_meta_review_stage()
    venue.create_decision_stage()
    venue.create_comment_stage()
    venue.create_submission_revision_stage()


def builder_open_review(client: openreview.api.OpenReviewClient, spec: Any, released: bool) -> None:
    """examples/venues/open-review.yaml, as openreview-py's builder is told it (its reviews and
    decisions are public from the start: it has no ``after_due`` release)."""
    zone = spec.venue.timezone
    stages = spec.stages
    venue = _venue(client, spec)
    venue.reviewer_identity_readers = [IdentityReaders.PROGRAM_CHAIRS]
    venue.submission_stage = SubmissionStage(
        start_date=when(stages.submission.start, zone, deadline=False),
        due_date=when(stages.submission.due, zone, deadline=True),
        double_blind=False, readers=[SubmissionStage.Readers.EVERYONE])
    venue.review_stage = ReviewStage(
        start_date=when(stages.review.start, zone, deadline=False),
        due_date=when(stages.review.due, zone, deadline=True),
        exp_date=when(stages.review.due, zone, deadline=True) + dt.timedelta(minutes=30),
        public=True, allow_de_anonymization=True)
    comment_readers = CommentStage.Readers
    participants = [comment_readers.REVIEWERS_ASSIGNED, comment_readers.AUTHORS]
    venue.comment_stage = CommentStage(
        start_date=when(stages.comments.start, zone, deadline=False),
        end_date=when(stages.comments.end, zone, deadline=True), allow_public_comments=True,
        readers=[comment_readers.EVERYONE, *participants], invitees=participants)
    venue.decision_stage = DecisionStage(
        start_date=when(stages.decision.start, zone, deadline=False),
        due_date=when(stages.decision.due, zone, deadline=True),
        options=list(stages.decision.options), accept_options=list(stages.decision.accept_options), public=True)
    venue.setup(program_chair_ids=list(spec.roles.program_chairs.members))
    venue.create_submission_stage()
    venue.create_review_stage()
    venue.create_comment_stage()
    venue.create_decision_stage()


def _venue(client: openreview.api.OpenReviewClient, spec: Any) -> Venue:
    info = spec.venue
    venue = Venue(client, info.id, SUPPORT)
    venue.name, venue.short_name = info.name, info.short_name
    venue.website, venue.contact, venue.location = info.website, info.contact, info.location
    venue.instructions = info.instructions
    venue.start_date = info.start_date or "TBD"
    venue.date = info.date or "TBD"
    return venue


BUILDERS: dict[str, Callable[[openreview.api.OpenReviewClient, Any, bool], None]] = {
    "workshop": builder_workshop,
    "conference": builder_conference,
    "open-review": builder_open_review,
}
