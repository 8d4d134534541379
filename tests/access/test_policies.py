"""Policy rules, checked before anything is applied: the built-in ones catch the known leaks in
deliberately broken variants of the examples, at the line that causes them; the venue's own rules are
checked against the access model; `validate` and `plan` both refuse a broken policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.access.policy import check_policies
from venueops.cli import cli
from venueops.config.validate import load_venue, load_venue_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "venues"


def problems(example: str, edit: tuple[str, str] | None = None, extra: str = "") -> list[str]:
    text = (EXAMPLES / f"{example}.yaml").read_text()
    if edit is not None:
        assert edit[0] in text
        text = text.replace(*edit, 1)
    config = load_venue_text(text + extra, f"{example}.yaml")
    return [f"{d.severity} {d.location.line}: {d.message}" for d in check_policies(config)]


def line_of(example: str, needle: str) -> int:
    lines = (EXAMPLES / f"{example}.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("example", ["workshop", "conference", "open-review"])
def test_the_examples_keep_every_policy(example: str) -> None:
    assert problems(example) == []


def test_reviews_released_to_authors_at_once_is_an_error_at_the_option() -> None:
    found = problems("workshop", ("release_to_authors: after_due", "release_to_authors: true"))
    line = line_of("workshop", "release_to_authors: after_due")
    assert found == [f"error {line}: policy reviews_before_deadline: authors of the paper read each paper's "
                     "Official_Review before the review deadline (2026-04-10 23:59 AoE); release them `after_due`, "
                     "or allow it on purpose: policies.allow: [reviews_before_deadline]"]
    allowed = problems("workshop", ("release_to_authors: after_due", "release_to_authors: true"),
                       "\npolicies:\n  allow: [reviews_before_deadline]\n")
    assert allowed == []


def test_author_identities_opened_to_everyone_in_a_double_blind_venue_is_an_error() -> None:
    leak = """
overrides:
  - object: /-/Post_Submission
    set:
      edit.note.content.authorids.readers: [everyone]
"""
    found = problems("workshop", extra=leak)
    assert len(found) == 1 and found[0].startswith(f"error {line_of('workshop', 'double_blind: true')}: policy "
                                                   "double_blind_identities: the venue is double blind, yet "
                                                   "everyone (the public) read author identities before decisions "
                                                   "open (2026-05-01 00:00 AoE)"), found


def test_a_venues_own_rule_is_checked_against_the_access_model() -> None:
    rules = """
policies:
  rules:
    - {role: authors, may_not: read, what: review, before: 2026-12-01}
    - {role: reviewers_assigned, may_not: read, what: decision, severity: warning}
    - {role: reviewer, may_not: read, what: review}
    - {role: authors, may_not: read, what: review, before: rebuttal.nowhen}
"""
    found = problems("conference", extra=rules)
    base = len((EXAMPLES / "conference.yaml").read_text().splitlines())
    assert found == [
        f"error {base + 4}: policy: Authors of the paper may never read Official_Review before 2026-12-01 00:00 AoE, "
        "but they may, from 2026-11-20 23:59 AoE (ICDR.cc/2027/Conference/-/Official_Review "
        "edit.invitation.edit.note.readers)",
        f"error {base + 6}: policies.rules[2].role: 'reviewer' is not a role (roles: program_chairs, "
        "senior_area_chairs, senior_area_chairs_assigned, area_chairs, area_chairs_assigned, reviewers, "
        "reviewers_assigned, reviewers_submitted, authors, ethics_chairs, ethics_reviewers, "
        "ethics_reviewers_assigned, signer, logged_in, public)",
        f"error {base + 7}: policies.rules[3].before: 'rebuttal.nowhen' is neither a date nor a stage's date "
        "(review.due, decision.start): 'rebuttal.nowhen' is not a date: write 2026-03-01, 2026-03-01 23:59 or "
        "2026-03-01 23:59 AoE",
    ]


def test_validate_and_plan_refuse_a_broken_policy(tmp_path: Path) -> None:
    text = (EXAMPLES / "workshop.yaml").read_text().replace("release_to_authors: after_due",
                                                             "release_to_authors: true", 1)
    (tmp_path / "workshop.yaml").write_text(text)
    runner = CliRunner()
    validated = runner.invoke(cli, ["validate", str(tmp_path / "workshop.yaml")])
    assert validated.exit_code == 1 and "policy reviews_before_deadline" in validated.stderr
    planned = runner.invoke(cli, ["plan", str(tmp_path / "workshop.yaml"), "--sandbox", "--sandbox-db",
                                  str(tmp_path / "sandbox.db")])
    assert planned.exit_code == 1 and "policy reviews_before_deadline" in planned.stderr, planned.output
    assert "Traceback" not in planned.output
    assert not (tmp_path / "sandbox.db").exists()  # refused before any sandbox started


def test_a_stage_left_open_after_the_last_one_is_a_warning() -> None:
    config = load_venue(EXAMPLES / "open-review.yaml")
    assert "stage_after_last" in config.spec.policies.allow
    found = problems("open-review", ("allow: [reviews_before_deadline, stage_after_last]",
                                     "allow: [reviews_before_deadline]"))
    assert [f.split(":")[0] for f in found] == [f"warning {line_of('open-review', '  comments:')}"]
