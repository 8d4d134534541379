"""The submission stage's shared parts: the references the builder writes into templates, and the
base every part of the stage builds on (dates, form, plumbing).
"""

from __future__ import annotations

from typing import Any

from venueops.compile.context import (
    NOTE_ID_4,
    CompileContext,
)
from venueops.compile.model import DesiredObject, json_copy
from venueops.compile.names import Number
from venueops.compile.stages.submission.forms import PATH, hidden_fields, submission_form
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

STAGE = "submission"

# -- references the builder writes into templates ------------------------------------------------
NUMBER_4 = "${4/content/noteNumber/value}"
NOTE_ID = NOTE_ID_4
# The number of the submission a note edit is about, seen from the edit (2 up) or its content (4 up).
EDIT_NOTE_NUMBER = "${{2/note/id}/number}"
NOTE_NUMBER = "${{2/id}/number}"
FIELD_NOTE_NUMBER = "${{4/id}/number}"
# Reversion children are keyed by the submission's id, not its number.
REVERSION_NUMBER_2 = "${{2/content/noteId/value}/number}"
REVERSION_NUMBER_4 = "${{4/content/noteId/value}/number}"

TWO_LEVEL_DDATE = {"param": {"range": [0, 9999999999999], "optional": True, "deletable": True}}
NOTE_NUMBER_CONTENT = {
    "noteNumber": {"value": {"param": {"type": "integer"}}},
    "noteId": {"value": {"param": {"type": "string"}}},
}
HUMAN_VERIFICATION = {"limit": 15, "windowMs": 3600000}
RECIPIENTS_REGEX = (r"~.*|([a-z0-9_\-\.]{2,}@[a-z0-9_\-\.]{2,}\.[a-z]{2,},){0,}"
                    r"([a-z0-9_\-\.]{2,}@[a-z0-9_\-\.]{2,}\.[a-z]{2,})")

# Top-level invitation fields in the order openreview-py's ``Invitation.to_json`` writes them.
INVITATION_KEYS = ("id", "cdate", "duedate", "expdate", "readers", "nonreaders", "writers", "invitees",
                   "noninvitees", "signatures", "content", "description", "minReplies", "maxReplies", "web",
                   "process", "preprocess", "dateprocesses", "edit", "message", "humanVerificationRequired")
IDENTITY_AUDIENCES = frozenset({"program_chairs", "senior_area_chairs", "senior_area_chairs_assigned",
                                "area_chairs", "area_chairs_assigned", "reviewers", "reviewers_assigned"})





class SubmissionBuilderBase:
    """What every part of the submission stage shares: the dates, the form, the plumbing that
    adds an invitation in the builder's key order, and who the venue-level invitations belong to."""

    def __init__(self, ctx: CompileContext) -> None:
        self.ctx = ctx
        self.n = ctx.names
        self.v = ctx.venue_id
        self.stage = ctx.spec.stages.submission
        self.cdate, self.first_due, self.first_exp = ctx.submission_dates()
        self.after = ctx.after_submission()
        self.form = submission_form(ctx)
        self.hidden = hidden_fields(ctx)
        self.out: list[DesiredObject] = []
        self._check()

    def _check(self) -> None:
        problems = []
        for index, name in enumerate(self.stage.hide_fields):
            if name not in self.form:
                problems.append(Diagnostic(f"cannot hide {name!r}: the submission form has no such field "
                                           f"(fields: {', '.join(self.form)})",
                                           self.ctx.config.source.locate((*PATH, "hide_fields", index))))
        roles = self.ctx.spec.roles
        for key in ("reviewers", "area_chairs"):
            role = getattr(roles, key)
            if role is None:
                continue
            for index, who in enumerate(role.identity_visible_to):
                if who not in IDENTITY_AUDIENCES:
                    problems.append(Diagnostic(
                        f"roles.{key}.identity_visible_to: {who!r} cannot be told who is behind an anonymous id "
                        f"(choose among {', '.join(sorted(IDENTITY_AUDIENCES))})",
                        self.ctx.config.source.locate(("roles", key, "identity_visible_to", index))))
        if problems:
            raise ConfigError(problems)

    # -- plumbing ----------------------------------------------------------------------------
    def add(self, body: dict[str, Any], *, replacement: bool = False, path: tuple[str, ...] = PATH) -> None:
        ordered = {key: body[key] for key in INVITATION_KEYS if key in body}
        assert set(ordered) == set(body), set(body) - set(ordered)
        self.out.append(self.ctx.obj("invitation", ordered["id"], ordered, path=path, stage=STAGE,
                                     replacement=replacement))

    def venue_only(self) -> dict[str, list[str]]:
        """Who reads, writes, is invited to and signs venue-level invitations: the venue."""
        v = self.v
        return {"readers": [v], "writers": [v], "invitees": [v], "signatures": [v]}

    def venue_edit(self) -> dict[str, list[str]]:
        v = self.v
        return {"signatures": [v], "readers": [v], "writers": [v]}

    def participants(self, number: Number) -> list[str]:
        """``get_withdrawal_readers`` / ``get_desk_rejection_readers`` when not public: program chairs,
        the paper's senior area chairs, area chairs, reviewers and authors."""
        n = self.n
        readers = [n.program_chairs()]
        if self.ctx.use_senior_area_chairs:
            readers.append(n.senior_area_chairs(number))
        if self.ctx.use_area_chairs:
            readers.append(n.area_chairs(number))
        readers.append(n.reviewers(number))
        readers.append(n.authors(number))
        return readers

    @property
    def public(self) -> bool:
        return "everyone" in self.stage.readers_after_due

    def expiration(self, invitation_id: str) -> dict[str, Any]:
        """``V/-/Withdraw_Expiration`` and kin: the venue deletes (``ddate``) a paper's invitations."""
        return {
            "id": invitation_id,
            **self.venue_only(),
            "edit": {
                **self.venue_edit(),
                "ddate": json_copy(TWO_LEVEL_DDATE),
                "invitation": {
                    "id": {"param": {"regex": self.n.paper()}},
                    "signatures": [self.v],
                    "ddate": {"param": {"range": [0, 9999999999999], "deletable": True}},
                },
            },
        }

