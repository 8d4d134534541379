"""Committee groups: program chairs, reviewers, area chairs, senior area chairs, authors, ethics
chairs and reviewers, publication chairs, as openreview-py's ``GroupBuilder`` creates them.

Venue-level groups only; per-paper groups are created by the server's processes. A role's
``members`` are part of the desired group only when the venue file lists them: otherwise
membership belongs to recruitment, assignments or the UI, and venueops leaves it alone.
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredObject, file_ref
from venueops.config import models


def role_groups(ctx: CompileContext) -> list[DesiredObject]:
    n = ctx.names
    venue_id = ctx.venue_id
    roles = ctx.spec.roles
    out: list[DesiredObject] = []

    def group(role_key: str, role: models.Role | None, body: dict[str, Any], web: str | None) -> None:
        if role is not None and role.members is not None:
            body["members"] = list(role.members)
        if web is not None:
            body["web"] = file_ref(f"venue/webfield/{web}")
        out.append(ctx.obj("group", body["id"], body, path=("roles", role_key), stage=f"roles.{role_key}"))

    pcs = n.program_chairs()
    group("program_chairs", roles.program_chairs,
          {"id": pcs, "readers": [venue_id], "writers": [venue_id, pcs], "signatures": [venue_id],
           "signatories": [pcs, venue_id]}, "programChairsWebfield.js")
    if ctx.use_senior_area_chairs:
        sacs = n.senior_area_chairs()
        group("senior_area_chairs", roles.senior_area_chairs,
              {"id": sacs, "readers": [venue_id, sacs], "writers": [venue_id], "signatures": [venue_id],
               "signatories": [venue_id]}, "seniorAreaChairsWebfield.js")
    if ctx.use_area_chairs:
        acs = n.area_chairs()
        group("area_chairs", roles.area_chairs,
              {"id": acs, "readers": [venue_id, n.senior_area_chairs(), acs], "writers": [venue_id],
               "signatures": [venue_id], "signatories": [venue_id]}, "areachairsWebfield.js")
    if ctx.use_reviewers:
        reviewers = n.reviewers()
        group("reviewers", roles.reviewers,
              {"id": reviewers, "readers": [venue_id, n.senior_area_chairs(), n.area_chairs(), reviewers],
               "writers": [venue_id], "signatures": [venue_id], "signatories": [venue_id]}, "reviewersWebfield.js")
    authors = n.authors()
    group("authors", None, {"id": authors, "readers": [venue_id, authors], "writers": [venue_id],
                            "signatures": [venue_id], "signatories": [venue_id]}, "authorsWebfield.js")
    accepted_acl = [venue_id, n.publication_chairs()] if ctx.use_publication_chairs else [venue_id]
    group("authors", None, {"id": n.authors_accepted(), "readers": list(accepted_acl), "writers": list(accepted_acl),
                            "signatures": [venue_id], "signatories": [venue_id]}, None)
    if ctx.use_ethics_chairs:
        chairs = n.ethics_chairs()
        group("ethics_chairs", roles.ethics_chairs,
              {"id": chairs, "readers": [venue_id, chairs], "writers": [venue_id], "signatures": [venue_id],
               "signatories": [venue_id, chairs]}, "ethicsChairsWebfield.js")
    if ctx.use_ethics_reviewers:
        ethics = n.ethics_reviewers()
        group("ethics_reviewers", roles.ethics_reviewers,
              {"id": ethics, "readers": [venue_id, ethics, n.ethics_chairs()], "writers": [venue_id],
               "signatures": [venue_id], "signatories": [venue_id]}, "ethicsReviewersWebfield.js")
    if ctx.use_publication_chairs:
        publication = n.publication_chairs()
        group("publication_chairs", roles.publication_chairs,
              {"id": publication, "readers": ["everyone"], "writers": [venue_id, publication],
               "signatures": [venue_id], "signatories": [publication, venue_id]}, "publicationChairWebfield.js")
    return out
