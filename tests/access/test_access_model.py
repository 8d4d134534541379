"""The access model of the examples: who may read, post and sign what, and from when (no server needed:
it is read from the compiled objects). Golden matrices (``pytest --update-golden`` rewrites them) keep
what a chair reads stable; the behaviour tests check the facts a leak would break."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.access import access_matrix
from venueops.access.roles import resolve
from venueops.cli import cli
from venueops.compile.names import Names
from venueops.config.dates import parse_date
from venueops.config.validate import load_venue, load_venue_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "venues"
GOLDEN = ROOT / "tests" / "golden" / "access"
V = "ICDR.cc/2027/Conference"
# the moments each example's golden is taken at, besides the whole matrix
MOMENTS = {"workshop": ["2026-03-15", "2026-04-11"], "conference": ["2026-10-30", "2026-11-21", "2027-01-15"],
           "open-review": ["2026-04-01"]}


@pytest.mark.parametrize(("entry", "role", "rule"), [
    ("everyone", "public", 1),
    ("~", "logged_in", 1),
    (V, "program_chairs", 2),
    (f"{V}/Program_Chairs", "program_chairs", 3),
    (f"{V}/Reviewers", "reviewers", 3),
    (f"{V}/Submission${{5/content/noteNumber/value}}/Area_Chairs", "area_chairs_assigned", 4),
    (f"{V}/Submission${{{{2/id}}/number}}/Reviewers", "reviewers_assigned", 4),
    (f"{V}/Submission${{5/content/noteNumber/value}}/Reviewers/Submitted", "reviewers_submitted", 4),
    (f"{V}/Submission${{7/content/noteNumber/value}}/Reviewer_.*", "reviewers_assigned", 4),
    (f"{V}/Submission12/Authors", "authors", 4),
    ("${3/signatures}", "signer", 5),
    ("${2/content/authorids/value}", "authors", 5),
    ("openreview.net/Support", "support", 6),
    ("~Someone_Else1", "other", 6),
])
def test_each_entry_resolves_by_its_rule(entry: str, role: str, rule: int) -> None:
    resolved = resolve(entry, Names(V))
    assert (resolved.role, resolved.rule) == (role, rule)


def test_a_renamed_committee_resolves_by_its_name() -> None:
    names = Names(V, reviewers_name="Program_Committee")
    assert resolve(f"{V}/Submission${{5/content/noteNumber/value}}/Program_Committee", names).role == \
        "reviewers_assigned"
    assert resolve(f"{V}/Reviewers", names).role == "other"


@pytest.mark.parametrize("example", sorted(MOMENTS))
def test_the_examples_matrices_match_their_goldens(example: str, update_golden: bool) -> None:
    runner = CliRunner()
    texts = [runner.invoke(cli, ["access", str(EXAMPLES / f"{example}.yaml")], catch_exceptions=False).stdout]
    texts += [runner.invoke(cli, ["access", str(EXAMPLES / f"{example}.yaml"), "--at", moment],
                            catch_exceptions=False).stdout for moment in MOMENTS[example]]
    text = "\n".join(texts)
    golden = GOLDEN / f"{example}.txt"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text(), f"{golden.name} differs; rerun with --update-golden if intended"


def test_reviews_reach_the_authors_at_the_release_and_not_before() -> None:
    config = load_venue(EXAMPLES / "workshop.yaml")
    matrix = access_matrix(config)
    due = parse_date("2026-04-10 23:59", "AoE", end_of_day=True).ms
    (grant,) = [g for g in matrix.grants if (g.role, g.what, g.verb) == ("authors", "Official_Review", "read")]
    assert grant.start == due and "after the deadline" in (grant.reason or "")
    assert not [g for g in matrix.at(due - 1).grants if (g.role, g.what, g.verb) == ("authors", "Official_Review",
                                                                                       "read")]


def test_double_blind_hides_author_identities_from_everyone_but_chairs_and_authors() -> None:
    for example in ("workshop", "conference"):
        matrix = access_matrix(load_venue(EXAMPLES / f"{example}.yaml"))
        readers = {g.role for g in matrix.grants if g.what == "author identities" and g.verb == "read"}
        assert readers == {"program_chairs", "authors"}, example
    open_venue = access_matrix(load_venue(EXAMPLES / "open-review.yaml"))
    assert "public" in {g.role for g in open_venue.grants if g.what == "author identities" and g.verb == "read"}


def test_a_release_at_once_shows_from_creation() -> None:
    text = (EXAMPLES / "workshop.yaml").read_text()
    assert "release_to_authors: after_due" in text
    config = load_venue_text(text.replace("release_to_authors: after_due", "release_to_authors: true", 1),
                             "workshop.yaml")
    (grant,) = [g for g in access_matrix(config).grants
                if (g.role, g.what, g.verb) == ("authors", "Official_Review", "read")]
    assert grant.start is None and grant.reason is None


def test_json_and_role_filter() -> None:
    import json
    run = CliRunner().invoke(cli, ["access", str(EXAMPLES / "conference.yaml"), "--role", "reviewers_assigned",
                                   "--format", "json"], catch_exceptions=False)
    data = json.loads(run.stdout)
    assert data["venue"] == V and {g["role"] for g in data["grants"]} == {"reviewers_assigned"}
    assert {"role": "reviewers_assigned", "what": "Official_Review", "verb": "post"}.items() <= \
        next(g for g in data["grants"] if g["what"] == "Official_Review" and g["verb"] == "post").items()
