"""The submission form: OpenReview's default forms (openreview-py ``stages/default_content.py``), the
submission form with the venue file's changes, its hidden fields and license; the revision stages
start from the same form.
"""

from __future__ import annotations

import re
from typing import Any

from venueops.compile.context import (
    CompileContext,
)
from venueops.compile.forms import apply_form
from venueops.compile.model import json_copy

PATH = ("stages", "submission")  # where the stage sits in the venue file

# -- default forms (openreview-py ``stages/default_content.py``) ---------------------------------
TEX = "Add TeX formulas using the following formats: $In-line Formula$ or $$Block Formula$$."
MARKDOWN_HELP = ("Add formatting using Markdown and formulas using LaTeX. For more information see "
                 "https://openreview.net/faq.")
EMAIL_OR_PROFILE = (r"^~\S+$|^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9]"
                    r"(?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

SUBMISSION_FORM: dict[str, Any] = {
    "title": {"order": 1, "description": f"Title of paper. {TEX}",
              "value": {"param": {"type": "string", "regex": "^.{1,250}$"}}},
    "authors": {"order": 2, "value": {"param": {"type": "string[]", "regex": "[^;,\\n]+(,[^,\\n]+)*",
                                                "hidden": True}}},
    "authorids": {"order": 3,
                  "description": "Search author profile by name or profile ID. If the profile is not found, you can "
                                 "add the author by completing name as well as author email address.",
                  "value": {"param": {"type": "profile{}", "regex": EMAIL_OR_PROFILE,
                                      "mismatchError": "must be a valid email or profile ID"}}},
    "keywords": {"description": "Comma separated list of keywords.", "order": 4,
                 "value": {"param": {"type": "string[]", "regex": ".+"}}},
    "TLDR": {"order": 5, "description": "\"Too Long; Didn't Read\": a short sentence describing your paper",
             "value": {"param": {"fieldName": "TL;DR", "type": "string", "maxLength": 250, "optional": True,
                                 "deletable": True}}},
    "abstract": {"order": 6, "description": f"Abstract of paper. {TEX}",
                 "value": {"param": {"type": "string", "maxLength": 5000, "markdown": True, "input": "textarea"}}},
    "pdf": {"order": 7, "description": "Upload a PDF file that ends with .pdf.",
            "value": {"param": {"type": "file", "maxSize": 50, "extensions": ["pdf"]}}},
}

PROFILES_ONLY_AUTHORIDS: dict[str, Any] = {
    "order": 3,
    "description": "Search author profile by first, middle and last name or email address. All authors must have "
                   "an OpenReview profile prior to submitting a paper.",
    "value": {"param": {"type": "profile{}", "regex": "~.*"}},
}


def _comment_field() -> dict[str, Any]:
    return {"order": 2, "description": MARKDOWN_HELP,
            "value": {"param": {"type": "string", "maxLength": 200000, "input": "textarea", "optional": True,
                                "deletable": True, "markdown": True}}}


def _confirmation(sentence: str, description: str) -> dict[str, Any]:
    return {"value": {"param": {"type": "string", "enum": [sentence], "input": "checkbox"}},
            "description": description, "order": 1}


def withdrawal_form() -> dict[str, Any]:
    return {
        "withdrawal_confirmation": _confirmation(
            "I have read and agree with the venue's withdrawal policy on behalf of myself and my co-authors.",
            "Please confirm to withdraw."),
        "comment": _comment_field(),
    }


def withdrawal_reversion_form() -> dict[str, Any]:
    return {
        "revert_withdrawal_confirmation": _confirmation("We approve the reversion of withdrawn submission.",
                                                        "Please confirm to reverse the withdrawal."),
        "comment": _comment_field(),
    }


def desk_rejection_form() -> dict[str, Any]:
    return {
        "title": {"order": 1, "description": "Title",
                  "value": {"param": {"type": "string", "const": "Submission Desk Rejected by Program Chairs"}}},
        "desk_reject_comments": {"order": 2,
                                 "description": "Brief summary of reasons for marking this submission as desk "
                                                "rejected",
                                 "value": {"param": {"type": "string", "maxLength": 10000, "input": "textarea"}}},
    }


def desk_rejection_reversion_form() -> dict[str, Any]:
    return {
        "revert_desk_rejection_confirmation": _confirmation("We approve the reversion of desk-rejected submission.",
                                                            "Please confirm to revert the desk-rejection."),
        "comment": _comment_field(),
    }


# -- helpers other stages share ------------------------------------------------------------------
def pretty_id(group_id: str) -> str:
    """A group id as OpenReview shows it (``tools.pretty_id``): ``ABC.cc/2027/Conference/Submission``
    → ``ABC 2027 Conference Submission``. A path part is dropped when it is lower-case letters only;
    dots and what follows them, and dashes, are dropped; underscores become spaces."""
    kept = []
    for token in group_id.split("/"):
        text = re.sub(r"\..+", "", token).replace("-", "").replace("_", " ")
        letters = re.sub(r"\d|\W", "", text)
        no_ascii = re.search(r"[a-zA-Z0-9]", text) is None
        if letters != text.lower() or (no_ascii and text):
            kept.append(text)
    return " ".join(kept)


def submission_form(ctx: CompileContext) -> dict[str, Any]:
    """The submission form's fields (without the hidden ``venue``/``venueid`` constants): OpenReview's
    default form, the subject areas, an optional PDF with abstract registration, profiles-only
    author ids, then the venue file's ``form`` changes."""
    stage = ctx.spec.stages.submission
    content = {name: json_copy(field) for name, field in SUBMISSION_FORM.items()}
    if stage.subject_areas:
        content["subject_areas"] = {
            "order": 5,
            "description": "Select or type subject area",
            "value": {"param": {"type": "string[]", "enum": list(stage.subject_areas), "input": "select"}},
        }
    if stage.abstract_due is not None:
        content["pdf"]["value"]["param"]["optional"] = True
    if stage.force_profiles:
        content["authorids"] = json_copy(PROFILES_ONLY_AUTHORIDS)
    return apply_form(content, stage.form, ctx.config.source, (*PATH, "form"))


def hidden_fields(ctx: CompileContext) -> list[str]:
    """Fields only the venue and the paper's authors read once the deadline has passed: the author
    fields of a double-blind venue, then ``hide_fields``."""
    stage = ctx.spec.stages.submission
    hidden = ["authors", "authorids"] if stage.double_blind else []
    return hidden + [name for name in stage.hide_fields if name not in hidden]


def license_value(ctx: CompileContext) -> str | dict[str, Any]:
    """``note.license``: one license as a constant, several as a choice."""
    license_ = ctx.spec.stages.submission.license
    if isinstance(license_, str):
        return license_
    if len(license_) == 1:
        return license_[0]
    return {"param": {"enum": [{"value": item, "description": item} for item in license_]}}


