"""Policy rules, checked before anything is applied: the built-in ones catch the known leaks in
deliberately broken variants of the examples (issue 12: reviews released to the authors at once, a
reader list that omits the paper's area chairs, a double-blind venue whose submissions everyone reads),
at the line that causes them; the venue's own rules, what a role may never do and what it must be able
to do, are checked against the access model; `validate` and `plan` both refuse a broken policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.access.derive import access_matrix
from venueops.access.policy import check_policies
from venueops.cli import cli
from venueops.config.validate import load_venue, load_venue_text
from venueops.errors import ConfigError

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


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_the_examples_keep_every_policy(example: str) -> None:
    """Every built-in policy, but those an example allows on purpose (the open review example: public
    reviews, a discussion left open); none allows away who must read."""
    assert problems(example) == []
    allowed = load_venue(EXAMPLES / f"{example}.yaml").spec.policies.allow
    assert not {"committee_reads_replies", "double_blind_identities"} & set(allowed)


def test_reviews_released_to_authors_at_once_is_an_error_at_the_option() -> None:
    found = problems("workshop", ("release_to_authors: after_due", "release_to_authors: true"))
    line = line_of("workshop", "release_to_authors: after_due")
    assert found == [f"error {line}: policy reviews_before_deadline: authors of the paper read each paper's "
                     "Official_Review before the review deadline (2026-04-10 23:59 AoE); release them `after_due`, "
                     "or allow it on purpose: policies.allow: [reviews_before_deadline]"]
    allowed = problems("workshop", ("release_to_authors: after_due", "release_to_authors: true"),
                       "\npolicies:\n  allow: [reviews_before_deadline]\n")
    assert allowed == []


C = "ICDR.cc/2027/Conference"
PAPER = f"{C}/Submission${{5/content/noteNumber/value}}"
# the conference's review readers as the stage compiles them, less the paper's area chairs
REVIEW_READERS_WITHOUT_ACS = f"""
overrides:
  - object: /-/Official_Review
    set:
      edit.invitation.edit.note.readers: [{C}/Program_Chairs, '{PAPER}/Senior_Area_Chairs',
                                          '{PAPER}/Reviewers/Submitted', '${{3/signatures}}']
"""


def test_a_review_reader_list_that_omits_the_area_chairs_is_an_error_at_its_line() -> None:
    found = problems("conference", extra=REVIEW_READERS_WITHOUT_ACS)
    line = len((EXAMPLES / "conference.yaml").read_text().splitlines()) + 5
    assert found == [f"error {line}: policy committee_reads_replies: area chairs of the paper cannot read each "
                     f"paper's Official_Review once posted ({C}/-/Official_Review edit.invitation.edit.note.readers); "
                     "let them read it, or allow it on purpose: policies.allow: [committee_reads_replies]"]
    allow = "\npolicies:\n  allow: [committee_reads_replies]\n"
    allowed = problems("conference", extra=REVIEW_READERS_WITHOUT_ACS + allow)
    assert allowed == []


def test_a_rebuttal_reader_list_without_the_area_chairs_is_an_error_at_the_option() -> None:
    readers = "readers: [senior_area_chairs_assigned, area_chairs_assigned, reviewers_assigned]"
    found = problems("conference", (readers, "readers: [reviewers_assigned]"))
    assert found == [f"error {line_of('conference', readers)}: policy committee_reads_replies: senior area chairs of "
                     "the paper, area chairs of the paper cannot read each paper's Rebuttal once posted "
                     f"({C}/-/Rebuttal edit.invitation.edit.note.readers); let them read it, or allow it on purpose: "
                     "policies.allow: [committee_reads_replies]"]


def test_replies_the_program_chairs_read_only_later_are_an_error_at_the_stage() -> None:
    """Meta reviews whose readers the file leaves to the paper's committee (the chairs read them only
    once an after_due release adds them back, say) are not the program chairs' once posted."""
    override = f"""
overrides:
  - object: /-/Meta_Review
    set:
      edit.invitation.edit.note.readers: ['{PAPER}/Senior_Area_Chairs', '{PAPER}/Area_Chairs']
"""
    found = problems("conference", extra=override)
    assert len(found) == 1 and "policy committee_reads_replies: program chairs cannot read each paper's " \
        "Meta_Review once posted" in found[0], found


def test_a_double_blind_venue_whose_submissions_everyone_reads() -> None:
    """Read by everyone after the deadline, the submissions of a double-blind venue keep their author
    fields to the venue and the paper's authors (Post_Submission gives those fields their own readers):
    no identity leaks. Withdrawn submissions made public with their authors revealed are one, at the
    option that reveals them."""
    public = ("readers_after_due: [reviewers_assigned]", "readers_after_due: [everyone]")
    assert problems("workshop", public) == []
    text = (EXAMPLES / "workshop.yaml").read_text().replace(*public, 1)
    grants = access_matrix(load_venue_text(text, "workshop.yaml")).of("public").grants
    assert {(g.what, g.verb) for g in grants} == {("submissions", "read")}
    revealed = (public[0], f"{public[1]}\n    withdrawn_public: true\n    withdrawn_reveal_authors: true")
    line = line_of("workshop", public[0]) + 2
    assert problems("workshop", revealed) == [
        f"error {line}: policy double_blind_identities: the venue is double blind, yet everyone (the public) read the "
        "author identities of withdrawn submissions before decisions open (2026-05-01 00:00 AoE)"]
    desk = (public[0], f"{public[0]}\n    desk_rejected_reveal_authors: true")
    assert problems("workshop", desk) == [
        f"error {line - 1}: policy double_blind_identities: the venue is double blind, yet reviewers of the paper "
        "read the author identities of desk-rejected submissions before decisions open (2026-05-01 00:00 AoE)"]


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


def own_rules(*rules: str) -> str:
    """A ``policies.rules`` section, one rule a line, appended to an example (its first rule is the file's
    last line + 4)."""
    return "\npolicies:\n  rules:\n" + "".join(f"    - {rule}\n" for rule in rules)


def test_a_venues_own_rule_says_who_must_be_able_to_do_what() -> None:
    rules = own_rules("{role: area_chairs_assigned, must: read, what: review, from: review.due}",
                      "{role: senior_area_chairs_assigned, must: read, what: meta_review}",
                      "{role: reviewers_assigned, must: post, what: review, from: 2026-11-01}",
                      "{role: authors, must: sign, what: rebuttal}",
                      "{role: program_chairs, must: read, what: author identities}")
    assert problems("conference", extra=rules) == []


def test_a_must_rule_the_access_model_breaks_is_an_error_at_the_rule() -> None:
    rules = own_rules("{role: authors, must: read, what: review, from: review.start}",
                      "{role: reviewers_assigned, must: read, what: comments}",
                      "{role: reviewers_assigned, must: read, what: decision, severity: warning}",
                      "{role: reviewers_assigned, must: post, what: review, from: 2026-12-01}",
                      "{role: reviewers_submitted, must: read, what: review}")  # holds
    found = problems("conference", extra=rules)
    base = len((EXAMPLES / "conference.yaml").read_text().splitlines())
    source = f"{C}/-/Official_Review edit.invitation"
    assert found == [
        f"error {base + 4}: policy: Authors of the paper must be able to read Official_Review from 2026-10-24 00:00 "
        f"AoE, but they may only from 2026-11-20 23:59 AoE ({source}.edit.note.readers)",
        f"error {base + 5}: policy: Reviewers of the paper must be able to read Official_Comment, but only if the "
        f"writer chooses them ({C}/-/Official_Comment edit.invitation.edit.note.readers)",
        f"warning {base + 6}: policy: Reviewers of the paper must be able to read Decision, but nothing lets them",
        f"error {base + 7}: policy: Reviewers of the paper must be able to post Official_Review from 2026-12-01 "
        f"00:00 AoE, but they may only until 2026-11-21 00:29 AoE ({source}.invitees)",
    ]


def test_a_rule_says_may_not_or_must_and_its_own_moment_located() -> None:
    base = len((EXAMPLES / "conference.yaml").read_text().splitlines())
    for rule, message in [
        ("{role: authors, may_not: read, must: read, what: review}",
         "a rule says either may_not (with before) or must (with from), not both"),
        ("{role: authors, what: review}", "a rule says either may_not (with before) or must (with from), not neither"),
        ("{role: authors, may_not: read, what: review, from: review.due}",
         "`from` goes with must; a may_not rule says `before`"),
        ("{role: authors, must: read, what: review, before: review.due}",
         "`before` goes with may_not; a must rule says `from`"),
    ]:
        with pytest.raises(ConfigError) as raised:
            load_venue_text((EXAMPLES / "conference.yaml").read_text() + own_rules(rule), "conference.yaml")
        assert [(d.location.line, d.message) for d in raised.value.diagnostics] == [
            (base + 4, f"policies.rules[0]: {message}")], rule
    found = problems("conference", extra=own_rules("{role: authors, must: read, what: review, from: review.later}"))
    assert found == [f"error {base + 4}: policies.rules[0].from: 'review.later' is neither a date nor a stage's "
                     "date (review.due, decision.start): 'review.later' is not a date: write 2026-03-01, 2026-03-01 "
                     "23:59 or 2026-03-01 23:59 AoE"]


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


def test_validate_shows_a_reader_list_without_the_area_chairs_at_its_line(tmp_path: Path) -> None:
    file = tmp_path / "conference.yaml"
    file.write_text((EXAMPLES / "conference.yaml").read_text() + REVIEW_READERS_WITHOUT_ACS)
    line = len((EXAMPLES / "conference.yaml").read_text().splitlines()) + 5
    validated = CliRunner().invoke(cli, ["validate", str(file)])
    assert validated.exit_code == 1
    assert validated.stderr.startswith(f"{file}:{line}:7: error: policy committee_reads_replies: area chairs of the "
                                       "paper cannot read each paper's Official_Review once posted"), validated.stderr


def test_a_stage_left_open_after_the_last_one_is_a_warning() -> None:
    config = load_venue(EXAMPLES / "open-review.yaml")
    assert "stage_after_last" in config.spec.policies.allow
    found = problems("open-review", ("allow: [reviews_before_deadline, stage_after_last]",
                                     "allow: [reviews_before_deadline]"))
    assert [f.split(":")[0] for f in found] == [f"warning {line_of('open-review', '  comments:')}"]
