"""Bidding: one ``V/<Role>/-/Bid`` edge invitation per entry of ``stages.bidding``.

As openreview-py's ``InvitationBuilder.set_bid_invitations`` posts it for a ``BidStage``
(notes/venue-anatomy.md §2.4, §3.2): members of the committee put a labelled edge from a
submission (head) to themselves (tail). Senior area chairs bid on area chairs' profiles instead
of papers, since the venue does not assign papers to them directly (``sac_paper_assignments`` is
off). The invitation is saved with ``replacement=True``. Plain invitation: no children, no date
process.

Where this differs from the builder: an ``expiration`` written in the venue file is honoured (the
builder always closes bidding 30 minutes after the due date); the edge archive date never reads the
clock (``archive_date``); and the builder's patch of an existing ``<Role>/-/Assignment_Configuration``
(adding this invitation's scores to its defaults) belongs to matching, which is not compiled here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredObject, file_ref
from venueops.config import models
from venueops.config.dates import DateError
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

BID_NAME = "Bid"
LABELS = ("Very High", "High", "Neutral", "Low", "Very Low")
CONFLICT_LABEL = "Conflict"
# openreview.tools.DEFAULT_EDGE_TAG_HUMAN_VERIFICATION
HUMAN_VERIFICATION = {"limit": 100, "windowMs": 3600000}
ONE_YEAR = 52 * 7 * 24 * 60 * 60 * 1000  # the builder archives edges 52 weeks after the venue starts
MAX_DATE = 9999999999999
PAPER_NUMBER = "${{2/head}/number}"


def scores_spec() -> dict[str, Any]:
    """``BidStage.default_scores_spec``: how the matcher turns labels into scores."""
    return {"weight": 1, "default": 0,
            "translate_map": {"Very High": 1.0, "High": 0.5, "Neutral": 0.0, "Low": -0.5, "Very Low": -1.0}}


def build(ctx: CompileContext) -> list[DesiredObject]:
    problems = [
        Diagnostic("senior area chairs bid on area chairs, but the venue has no area_chairs role",
                   ctx.config.source.locate(("stages", "bidding", index, "committee")),
                   path=f"stages.bidding[{index}].committee")
        for index, stage in enumerate(ctx.spec.stages.bidding)
        if stage.committee == "senior_area_chairs" and not ctx.use_area_chairs
    ]
    if problems:
        raise ConfigError(problems)
    return [bid_invitation(ctx, index, stage) for index, stage in enumerate(ctx.spec.stages.bidding)]


def committee_id(ctx: CompileContext, committee: str) -> str:
    n = ctx.names
    return {"reviewers": n.reviewers, "area_chairs": n.area_chairs,
            "senior_area_chairs": n.senior_area_chairs}[committee]()


def archive_date(ctx: CompileContext) -> int:
    """``Venue.get_edges_archive_date``: 52 weeks after the venue's start date when it reads like
    ``May 3 2027`` (taken as UTC midnight). The builder falls back to "now"; a compiler cannot:
    here a start date written as a venue-file date counts too, and otherwise edges are archived 52
    weeks after submissions open."""
    text = ctx.spec.venue.start_date
    if text:
        try:
            start = dt.datetime.strptime(text, "%b %d %Y").replace(tzinfo=dt.UTC)
        except ValueError:
            pass
        else:
            return int(start.timestamp() * 1000) + ONE_YEAR
        try:
            written = ctx.ms(text, deadline=False)
        except DateError:
            pass
        else:
            assert written is not None
            return written + ONE_YEAR
    opened = ctx.ms(ctx.spec.stages.submission.start, deadline=False)
    assert opened is not None
    return opened + ONE_YEAR


def invitation_readers(ctx: CompileContext, committee: str) -> list[str]:
    """``BidStage.get_invitation_readers``: the venue, the committees above this one, itself."""
    n = ctx.names
    readers = [ctx.venue_id]
    if committee == "reviewers":
        if ctx.use_senior_area_chairs:
            readers.append(n.senior_area_chairs())
        if ctx.use_area_chairs:
            readers.append(n.area_chairs())
    if committee == "area_chairs" and ctx.use_senior_area_chairs:
        readers.append(n.senior_area_chairs())
    readers.append(committee_id(ctx, committee))
    return readers


def edge_readers(ctx: CompileContext, committee: str) -> list[str]:
    """``BidStage.get_readers`` for the paper of the edge's head, then the bidder."""
    n = ctx.names
    readers = [ctx.venue_id]
    if committee == "reviewers":
        if ctx.use_senior_area_chairs:
            readers.append(n.senior_area_chairs(PAPER_NUMBER))
        if ctx.use_area_chairs:
            readers.append(n.area_chairs(PAPER_NUMBER))
    if committee == "area_chairs" and ctx.use_senior_area_chairs:
        readers.append(n.senior_area_chairs(PAPER_NUMBER))
    readers.append("${2/tail}")
    return readers


def bid_invitation(ctx: CompileContext, index: int, stage: models.BiddingStage) -> DesiredObject:
    n = ctx.names
    venue_id = ctx.venue_id
    group = committee_id(ctx, stage.committee)
    invitation_id = n.invitation(BID_NAME, prefix=group)
    cdate, duedate, expdate = ctx.stage_dates(stage)
    # Senior area chairs bid on area chairs (venue content: sac_paper_assignments is false).
    profile_bids = stage.committee == "senior_area_chairs"
    head: dict[str, Any]
    nonreaders: list[str] | None
    if profile_bids:
        head = {"param": {"type": "profile", "options": {"group": n.area_chairs()}}}
        readers = [venue_id, "${2/tail}"]
        nonreaders = None
    else:
        head = {"param": {"type": "note", "withInvitation": n.submission_invitation()}}
        readers = edge_readers(ctx, stage.committee)
        nonreaders = [n.authors(PAPER_NUMBER)]
    labels = [*LABELS, CONFLICT_LABEL] if stage.allow_conflict_bids else list(LABELS)
    edge: dict[str, Any] = {
        "id": {"param": {"withInvitation": invitation_id, "optional": True}},
        "ddate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
        "cdate": {"param": {"range": [0, MAX_DATE], "optional": True, "deletable": True}},
        "readers": readers,
        "writers": [venue_id, "${2/tail}"],
        "signatures": {"param": {"items": [{"value": "${3/tail}", "optional": True},
                                           {"value": venue_id, "optional": True}]}},
        "head": head,
        "tail": {"param": {"type": "profile", "inGroup": group, "options": {"group": group}}},
        "label": {"param": {"enum": labels, "input": "radio"}},
    }
    if nonreaders:
        edge["nonreaders"] = nonreaders
    body: dict[str, Any] = {"id": invitation_id, "cdate": cdate}
    if duedate is not None:
        body["duedate"] = duedate
    if expdate is not None:
        body["expdate"] = expdate
    body.update({
        "readers": invitation_readers(ctx, stage.committee),
        "writers": [venue_id],
        "invitees": [group],
        "signatures": [venue_id],
        "content": {"committee_name": {"value": group.split("/")[-1]}, "scores_spec": {"value": scores_spec()}},
        "responseArchiveDate": archive_date(ctx),
    })
    if stage.request_count:  # openreview-py drops a zero minReplies
        body["minReplies"] = stage.request_count
    web = "profileBidWebfield.js" if profile_bids else "paperBidWebfield.js"
    body["web"] = file_ref(f"venue/webfield/{web}")
    body["edge"] = edge
    body["humanVerificationRequired"] = dict(HUMAN_VERIFICATION)
    return ctx.obj("invitation", invitation_id, body, path=("stages", "bidding", index), replacement=True,
                   stage=f"stages.bidding[{index}]")
