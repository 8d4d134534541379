"""Abstract registration: the full-paper revision (``V/-/Full_Submission``) and the deletion of
registrations (``V/-/Deletion``) between the two deadlines.
"""

from __future__ import annotations

from venueops.compile import stubs
from venueops.compile.context import (
    NUMBER_2,
    NUMBER_3,
    NUMBER_7,
)
from venueops.compile.model import file_ref, json_copy
from venueops.compile.stages.submission.base import (
    FIELD_NOTE_NUMBER,
    NOTE_ID,
    NOTE_NUMBER_CONTENT,
    NUMBER_4,
    TWO_LEVEL_DDATE,
    SubmissionBuilderBase,
)
from venueops.compile.stages.submission.forms import PATH, license_value


class FullPaperMixin(SubmissionBuilderBase):
    """Section 6 of the stage, with an abstract registration deadline only."""

    # -- 6. abstract registration ------------------------------------------------------------
    def full_submission(self) -> None:
        """``V/-/Full_Submission``: from the abstract deadline's close to the full-paper deadline,
        each paper's authors revise their registration into the full paper (openreview-py builds it
        as a ``SubmissionRevisionStage`` named ``Full_<name>``)."""
        v, n, ctx = self.v, self.n, self.ctx
        name = f"Full_{self.stage.name}"
        due = ctx.ms(self.stage.due, deadline=True)
        assert due is not None
        cdate = min(self.first_exp, due)
        content = json_copy(self.form)
        changes = self.stage.full_paper_author_changes
        if changes == "allow_reorder":
            content["authors"] = {"value": {"param": {"type": "string[]",
                                                      "const": ["${{6/id}/content/authors/value}"],
                                                      "hidden": True}},
                                  "order": 3}
            content["authorids"] = {"value": ["${{4/id}/content/authorids/value}"], "order": 4}
        elif changes == "disallow_edit":
            content.pop("authors", None)
            content.pop("authorids", None)
        for field in content:
            if field in self.hidden:
                content[field]["readers"] = [v, n.authors(FIELD_NOTE_NUMBER)]
        self.add({
            "id": n.invitation(name),
            "cdate": cdate,
            **self.venue_only(),
            "content": {
                "revision_process_script": {"value": file_ref("venue/process/submission_revision_process.py")},
                "source": {"value": {"venueid": [n.submission_venue_id()]}},
            },
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {
                **self.venue_edit(),
                "content": json_copy(NOTE_NUMBER_CONTENT),
                "replacement": True,
                "invitation": {
                    "id": n.invitation(name, NUMBER_2),
                    "signatures": [v],
                    "readers": [v, n.authors(NUMBER_3)],
                    "writers": [v],
                    "invitees": [v, n.authors(NUMBER_3)],
                    "cdate": cdate,
                    "process": stubs.parent_script_process("revision_process_script", with_datetime=True),
                    "edit": {
                        "ddate": {"param": {"range": [0, 9999999999999], "optional": True}},
                        "signatures": {"param": {"items": [{"value": n.authors(NUMBER_7), "optional": True},
                                                           {"value": n.program_chairs(), "optional": True}]}},
                        "readers": [v, n.authors(NUMBER_4)],
                        "writers": [v, n.authors(NUMBER_4)],
                        "note": {"id": NOTE_ID, "content": content, "license": license_value(ctx)},
                    },
                    "duedate": due,
                    "expdate": self.after,
                },
            },
        }, path=(*PATH, "abstract_due"))

    def deletion(self) -> None:
        """``V/-/Deletion``: until the full paper is due, authors may delete a registered abstract."""
        v, n = self.v, self.n
        path = (*PATH, "abstract_due")
        self.add({
            "id": n.invitation("Deletion"),
            "cdate": self.first_exp,
            **self.venue_only(),
            "content": {"deletion_process_script": {"value": file_ref("venue/process/submission_deletion_process.py")}},
            "dateprocesses": stubs.fan_out_date_processes(n.meta_invitation()),
            "edit": {
                **self.venue_edit(),
                "content": json_copy(NOTE_NUMBER_CONTENT),
                "replacement": True,
                "invitation": {
                    "id": n.invitation("Deletion", NUMBER_2),
                    "signatures": [v],
                    "readers": [v, n.authors(NUMBER_3)],
                    "writers": [v],
                    "invitees": [v, n.authors(NUMBER_3)],
                    "cdate": self.first_exp,
                    "process": stubs.parent_script_process("deletion_process_script", with_datetime=True),
                    "edit": {
                        "ddate": {"param": {"range": [0, 9999999999999], "optional": True}},
                        "signatures": {"param": {"items": [{"value": n.authors(NUMBER_7), "optional": True},
                                                           {"value": n.program_chairs(), "optional": True}]}},
                        "readers": [v, n.authors(NUMBER_4)],
                        "writers": [v, n.authors(NUMBER_4)],
                        "note": {"id": NOTE_ID, "ddate": json_copy(TWO_LEVEL_DDATE)},
                    },
                    "expdate": self.after,
                },
            },
        }, path=path)
        self.add(self.expiration(n.invitation("Deletion_Expiration")), replacement=True, path=path)

