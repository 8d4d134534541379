"""Why each change of a plan is there: due, drift or a change of the file (pure, given the plan, the
venue file and one edit history per changed object).

- **due**: a release written ``after_due`` whose moment has passed makes the object differ ("due:
  review release at 2026-04-11 00:00 AoE"). Found by compiling just before and at each release moment.
- **drift**: someone other than venueops edited the object since it was applied: its latest edit was
  made by another account ("drift: Official_Review duedate changed by ~Pat_Chair1 on 2026-03-20 …").
  "venueops" is the accounts the reconcile posts with (``ours``): run reconcile and apply with the
  same account, or a chair's own edits made with it are not told apart from venueops' own.
- **file**: the venue file says something the venue does not have yet (a new object, a changed
  field, an object removed from the file), and nobody else touched the object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from venueops.compile.compile import compile_venue
from venueops.config.dates import format_ms, parse_date
from venueops.config.validate import VenueConfig
from venueops.plan.model import Action, Change

RELEASING_STAGES = ("review", "meta_review", "decision")  # the stages with ``release_to_authors``


@dataclass(frozen=True)
class Release:
    stage: str
    moment: int  # epoch ms


@dataclass(frozen=True)
class LastEdit:
    """The latest edit of an object, as its edit history says."""

    edit_id: str
    signature: str
    tauthor: str
    tcdate: int
    author: str | None = None  # the profile id behind ``tauthor``, when it could be found

    @property
    def who(self) -> str:
        """The person: the profile that signed, else the one who posted (signing as the venue) with
        the login they posted with, else the login."""
        if self.signature.startswith("~"):
            return self.signature
        if self.author and self.tauthor and self.author != self.tauthor:
            return f"{self.author} ({self.tauthor})"
        return self.author or self.tauthor or self.signature


@dataclass(frozen=True)
class Finding:
    kind: str  # "due", "drift" or "file"
    change: Change
    reason: str
    last_edit: LastEdit | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "object": self.change.address, "action": self.change.action.value,
                               "reason": self.reason, "fields": [f.path for f in self.change.fields]}
        if self.last_edit is not None:
            out["last_edit"] = {"id": self.last_edit.edit_id, "by": self.last_edit.who,
                                "tcdate": self.last_edit.tcdate}
        return out


def releases_due(config: VenueConfig, now: int) -> list[Release]:
    """The ``after_due`` releases of the file whose moment is at or before ``now``, in time order."""
    spec = config.spec
    found = []
    for name in RELEASING_STAGES:
        stage = getattr(spec.stages, name, None)
        if stage is None or getattr(stage, "release_to_authors", None) != "after_due" or stage.due is None:
            continue
        moment = parse_date(stage.due, spec.venue.timezone, end_of_day=True).ms
        if moment <= now:
            found.append(Release(name, moment))
    return sorted(found, key=lambda r: (r.moment, r.stage))


def released_objects(config: VenueConfig, releases: list[Release]) -> dict[tuple[str, str], Release]:
    """Which objects each release changes: compiled just before its moment and at it."""
    out: dict[tuple[str, str], Release] = {}
    for release in releases:
        before = {(o.kind, o.id): o.body for o in compile_venue(config, at=release.moment - 1)}
        for obj in compile_venue(config, at=release.moment):
            key = (obj.kind, obj.id)
            if before.get(key) != obj.body:
                out.setdefault(key, release)
    return out


def classify(change: Change, config: VenueConfig, released: dict[tuple[str, str], Release],
             last_edit: LastEdit | None, ours: frozenset[str]) -> Finding:
    """The finding for one change. ``last_edit`` is the object's latest edit (None for an object that
    does not exist yet, or whose history could not be read)."""
    zone = config.spec.venue.timezone
    release = released.get((change.kind, change.id))
    if release is not None:
        when = format_ms(release.moment, zone)
        return Finding("due", change, f"due: {release.stage.replace('_', ' ')} release at {when}")
    short = change.id.rsplit("/", 1)[-1]
    if change.action is not Action.CREATE and last_edit is not None and not _ours(last_edit, ours):
        fields = ", ".join(f.path for f in change.fields[:3]) + (" …" if len(change.fields) > 3 else "")
        what = f"{short} {fields} changed" if fields else f"{short} changed"
        return Finding("drift", change, f"drift: {what} by {last_edit.who} on "
                                        f"{format_ms(last_edit.tcdate, zone)} (edit {last_edit.edit_id})",
                       last_edit)
    words = {Action.CREATE: "new in the file", Action.DELETE: "removed from the file"}
    return Finding("file", change, f"change: {short} {words.get(change.action, 'differs from the file')}",
                   last_edit)


def _ours(edit: LastEdit, ours: frozenset[str]) -> bool:
    return edit.tauthor in ours or edit.signature in ours
