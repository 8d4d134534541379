"""What every object builder needs: the validated file, id conventions, dates and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from venueops.compile.model import DesiredObject, Kind, Via
from venueops.compile.names import Names, Number
from venueops.config import models
from venueops.config.dates import parse_date
from venueops.config.loader import PathKey
from venueops.config.validate import VenueConfig
from venueops.diagnostics import Location

SUPER_USER = "~Super_User1"
THIRTY_MINUTES = 30 * 60 * 1000
TEN_DAYS = 10 * 24 * 60 * 60 * 1000
NINETY_DAYS = 90 * 24 * 60 * 60 * 1000
# The super invitation → per-paper child references, as openreview-py writes them.
NUMBER_2 = "${2/content/noteNumber/value}"
NUMBER_3 = "${3/content/noteNumber/value}"
NUMBER_5 = "${5/content/noteNumber/value}"
NUMBER_6 = "${6/content/noteNumber/value}"
NUMBER_7 = "${7/content/noteNumber/value}"
NOTE_ID_4 = "${4/content/noteId/value}"

DEADLINE_FIELDS = frozenset({"due", "expiration", "end", "abstract_due", "withdrawal_expiration"})


@dataclass
class CompileContext:
    config: VenueConfig
    at: int | None = None  # the plan's "now", for releases written as ``after_due`` (None: before all)
    names: Names = field(init=False)

    def __post_init__(self) -> None:
        spec = self.config.spec
        roles = spec.roles

        def role_name(role: models.Role | None, default: str) -> str:
            return role.name if role is not None and role.name else default

        self.names = Names(
            venue_id=spec.venue.id,
            submission_name=spec.stages.submission.name,
            program_chairs_name=role_name(roles.program_chairs, "Program_Chairs"),
            reviewers_name=role_name(roles.reviewers, "Reviewers"),
            area_chairs_name=role_name(roles.area_chairs, "Area_Chairs"),
            senior_area_chairs_name=role_name(roles.senior_area_chairs, "Senior_Area_Chairs"),
            authors_name=role_name(roles.authors, "Authors"),
            ethics_chairs_name=role_name(roles.ethics_chairs, "Ethics_Chairs"),
            ethics_reviewers_name=role_name(roles.ethics_reviewers, "Ethics_Reviewers"),
            publication_chairs_name=role_name(roles.publication_chairs, "Publication_Chairs"),
        )

    # -- the file --------------------------------------------------------------------------------
    @property
    def spec(self) -> models.VenueFile:
        return self.config.spec

    @property
    def venue_id(self) -> str:
        return self.spec.venue.id

    @property
    def short_name(self) -> str:
        return self.spec.venue.short_name or self.spec.venue.name

    @property
    def use_reviewers(self) -> bool:
        return self.spec.roles.reviewers is not None

    @property
    def use_area_chairs(self) -> bool:
        return self.spec.roles.area_chairs is not None

    @property
    def use_senior_area_chairs(self) -> bool:
        return self.spec.roles.senior_area_chairs is not None

    @property
    def use_ethics_chairs(self) -> bool:
        return self.spec.roles.ethics_chairs is not None

    @property
    def use_ethics_reviewers(self) -> bool:
        return self.spec.roles.ethics_reviewers is not None

    @property
    def use_publication_chairs(self) -> bool:
        return self.spec.roles.publication_chairs is not None

    def location(self, *path: str | int) -> Location:
        return self.config.source.locate(tuple(path), key=True)

    def obj(self, kind: Kind, object_id: str, body: dict[str, Any], *, path: PathKey, via: Via = "venue",
            replacement: bool = False, stage: str | None = None, members_only: bool = False) -> DesiredObject:
        """A desired object whose provenance is the venue-file entry at ``path``."""
        where = self.config.source.locate(path, key=bool(path) and isinstance(path[-1], str))
        return DesiredObject(kind=kind, id=object_id, body=body, source=where,
                             via=via, replacement=replacement, stage=stage, members_only=members_only, path=path)

    # -- dates -----------------------------------------------------------------------------------
    def ms(self, value: str | None, *, deadline: bool) -> int | None:
        """A date of the venue file in epoch ms (``deadline``: a bare day means its last minute)."""
        if value is None:
            return None
        return parse_date(value, self.spec.venue.timezone, end_of_day=deadline).ms

    def stage_dates(self, stage: models.Stage, *, expiration_buffer: int = THIRTY_MINUTES) -> tuple[int, int | None,
                                                                                                   int | None]:
        """``(cdate, duedate, expdate)``; a missing expiration is due + buffer, as the builder does."""
        start = self.ms(stage.start, deadline=False)
        due = self.ms(stage.due, deadline=True)
        expiration = self.ms(stage.expiration, deadline=True)
        if expiration is None and due is not None:
            expiration = due + expiration_buffer
        assert start is not None
        return start, due, expiration

    def submission_dates(self) -> tuple[int, int, int]:
        """``(cdate, duedate, expdate)`` of the submission invitation (the first deadline when an
        abstract registration deadline is set)."""
        stage = self.spec.stages.submission
        start = self.ms(stage.start, deadline=False)
        first_due = self.ms(stage.abstract_due or stage.due, deadline=True)
        assert start is not None and first_due is not None
        expiration = self.ms(stage.expiration, deadline=True) if stage.abstract_due is None else None
        if expiration is None:
            expiration = first_due + THIRTY_MINUTES
        return min(start, first_due), first_due, expiration

    def after_submission(self) -> int:
        """When the submission period is over: the cdate of post-submission invitations (the
        builder uses the submission expdate, or the full-paper expdate with abstract registration)."""
        stage = self.spec.stages.submission
        if stage.abstract_due is not None:
            due = self.ms(stage.due, deadline=True)
            assert due is not None
            expiration = self.ms(stage.expiration, deadline=True)
            return expiration if expiration is not None else due + THIRTY_MINUTES
        return self.submission_dates()[2]

    def released(self, release: bool | str, due: int | None) -> bool:
        """Whether a ``release_*`` option is in effect at ``self.at``."""
        if release == "after_due":
            return self.at is not None and due is not None and self.at >= due
        return bool(release)

    # -- who -------------------------------------------------------------------------------------
    def audience(self, who: str, number: Number = None) -> str | None:
        """The group id of an audience name, per paper when ``number`` is given (None when the
        venue has no such role)."""
        n = self.names
        table: dict[str, tuple[bool, Any]] = {
            "everyone": (True, lambda: "everyone"),
            "program_chairs": (True, n.program_chairs),
            "senior_area_chairs": (self.use_senior_area_chairs, n.senior_area_chairs),
            "senior_area_chairs_assigned": (self.use_senior_area_chairs, lambda: n.senior_area_chairs(number)),
            "area_chairs": (self.use_area_chairs, n.area_chairs),
            "area_chairs_assigned": (self.use_area_chairs, lambda: n.area_chairs(number)),
            "reviewers": (self.use_reviewers, n.reviewers),
            "reviewers_assigned": (self.use_reviewers, lambda: n.reviewers(number)),
            "reviewers_submitted": (self.use_reviewers, lambda: n.reviewers(number, submitted=True)),
            "authors": (True, lambda: n.authors(number)),
            "ethics_chairs": (self.use_ethics_chairs, n.ethics_chairs),
            "ethics_reviewers": (self.use_ethics_reviewers, n.ethics_reviewers),
            "ethics_reviewers_assigned": (self.use_ethics_reviewers, lambda: n.ethics_reviewers(number)),
        }
        enabled, make = table[who]
        return make() if enabled else None

    def audiences(self, who: tuple[str, ...] | list[str], number: Number = None) -> list[str]:
        out: list[str] = []
        for name in who:
            group = self.audience(name, number)
            if group is not None and group not in out:
                out.append(group)
        return out

    def message_sender(self) -> dict[str, str]:
        """``{fromName, fromEmail}`` as openreview-py derives them from the short name."""
        short = self.short_name
        local = short.replace(" ", "").replace(":", "-").replace("@", "").replace("(", "").replace(")", "")
        local = local.replace(",", "-").lower()
        return {"fromName": self.spec.venue.email_sender_name or short,
                "fromEmail": f"{local}-notifications@openreview.net"}
