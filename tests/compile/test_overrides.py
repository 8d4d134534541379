"""``overrides:``: fields of stage-made objects set or removed as written, errors at their lines."""

from __future__ import annotations

import pytest

from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError

V = "T.cc/2026/Workshop"
BASE = f"""\
venue: {{id: {V}, name: Test Workshop, timezone: UTC}}
roles:
  program_chairs: {{members: [pc@t.org]}}
stages:
  submission: {{start: 2026-01-01, due: 2026-02-01}}
groups:
  - {{id: {V}/Helpers, readers: [{V}], writers: [{V}], signatures: [{V}], signatories: [{V}]}}
"""


def compiled(text: str) -> dict[str, dict]:
    return {o.id: o.body for o in compile_venue(load_venue_text(BASE + text, "venue.yaml"))}


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        compile_venue(load_venue_text(BASE + text, "venue.yaml"))
    return [f"{d.location.line}: {d.message}" for d in caught.value.diagnostics]


def test_set_and_unset_change_only_the_named_fields() -> None:
    before = compiled("")[f"{V}/-/Submission"]
    after = compiled("""\
overrides:
  - object: /-/Submission
    set:
      edit.note.content.title.description: The paper's title, as in the PDF.
      edit.note.content.new_field.order: 99
      description: Kept as the live venue has it
    unset: [edit.note.content.TLDR]
""")[f"{V}/-/Submission"]
    content = after["edit"]["note"]["content"]
    assert content["title"]["description"] == "The paper's title, as in the PDF."
    assert content["title"]["value"] == before["edit"]["note"]["content"]["title"]["value"]
    assert content["new_field"] == {"order": 99}
    assert "TLDR" not in content and "TLDR" in before["edit"]["note"]["content"]
    assert after["description"] == "Kept as the live venue has it"
    assert {k: v for k, v in after.items() if k not in ("edit", "description")} == \
        {k: v for k, v in before.items() if k not in ("edit", "description")}


def test_an_override_of_an_absent_object_or_field_is_an_error_at_its_line() -> None:
    assert problems("""\
overrides:
  - object: /-/Submision
    set: {duedate: 1}
  - object: /-/Submission
    unset: [edit.note.content.no_such_field]
  - object: /-/Submission
    set: {duedate.at: 1}
  - object: /Helpers
    set: {members: [a@b.org]}
""") == [
        f"9: overrides: {V}/-/Submision is not an object the stages of this venue make",
        f"12: overrides: {V}/-/Submission edit.note.content.no_such_field: the compiled object has no such field",
        f"14: overrides: {V}/-/Submission duedate.at: duedate is not a mapping, so nothing lies under it",
        f"15: overrides: {V}/Helpers is a raw object of this file: write the value in its entry instead",
    ]


def test_an_override_that_says_nothing_is_refused_by_the_schema() -> None:
    with pytest.raises(ConfigError) as caught:
        load_venue_text(BASE + "overrides:\n  - object: /-/Submission\n", "venue.yaml")
    assert "sets or unsets at least one field" in str(caught.value)


def test_overridden_values_are_checked_like_any_other() -> None:
    found = problems("""\
overrides:
  - object: /-/Submission
    set: {edit.note.content.title.value.param.regex: "(?P<x>a)"}
""")
    assert len(found) == 1 and "regex" in found[0], found
