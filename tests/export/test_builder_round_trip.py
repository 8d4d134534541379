"""Round trip from openreview-py's own builder: a venue posted by ``openreview.venue.Venue`` (as OpenReview
support's tooling posts it, on a sandbox running the venue's processes), exported, validated and planned
against the same server: the plan changes no object; its only change records venueops' inventory
(adoption), and applying it posts exactly that.

The three examples are configured as ``scripts/parity.py`` configures them (``tests/builders.py``);
twelve further venues each turn one of the builder's options (abstract registration, single blind,
public submissions, no area chairs, a renamed committee, form changes, the three rebuttal modes,
public comments, a custom stage, custom decision options). All share one builder sandbox, each under
its own venue id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openreview
import pytest
import yaml
from click.testing import CliRunner
from openreview import stages as orstages
from openreview.venue import Venue

from tests.builders import BUILDER_PROCESSES, BUILDERS, SUPPORT, root_client
from tests.plan.conftest import EXAMPLES, credentials
from venueops.cli import cli
from venueops.config.validate import load_venue
from venueops.sandbox import Sandbox

EXAMPLE_VENUES = {"workshop": "DRW.cc/2026/Workshop", "conference": "ICDR.cc/2027/Conference",
                  "open-review": "OpenSci.org/2026/Symposium"}
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "export"
AT = "2026-01-01"  # the builder's sandbox clock (``tests.builders.FROZEN_MS``): before every stage opens
CHAIRS = ["~Pat_Chair1", "chairs@variant.example"]


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


SUBMISSION_OPENS, SUBMISSION_DUE = utc("2026-02-01 00:00"), utc("2026-03-01 23:59")
REVIEW_OPENS, REVIEW_DUE = utc("2026-03-10 00:00"), utc("2026-04-10 23:59")
REBUTTAL_OPENS, REBUTTAL_DUE = utc("2026-04-15 00:00"), utc("2026-04-22 23:59")
COMMENTS_OPEN, COMMENTS_END = utc("2026-04-11 00:00"), utc("2026-05-01 23:59")
DECISION_OPENS, DECISION_DUE = utc("2026-05-02 00:00"), utc("2026-05-09 23:59")


# -- the variants: each a builder configuration --------------------------------------------------------
def submission(**options: Any) -> orstages.SubmissionStage:
    return orstages.SubmissionStage(**{"start_date": SUBMISSION_OPENS, "due_date": SUBMISSION_DUE, **options})


def review(**options: Any) -> orstages.ReviewStage:
    return orstages.ReviewStage(start_date=REVIEW_OPENS, due_date=REVIEW_DUE,
                                exp_date=REVIEW_DUE + dt.timedelta(minutes=30), **options)


def decision(**options: Any) -> orstages.DecisionStage:
    return orstages.DecisionStage(start_date=DECISION_OPENS, due_date=DECISION_DUE, **options)


def rebuttal(**options: Any) -> orstages.ReviewRebuttalStage:
    return orstages.ReviewRebuttalStage(start_date=REBUTTAL_OPENS, due_date=REBUTTAL_DUE, **options)


def abstract_registration(venue: Venue) -> None:
    venue.submission_stage = submission(due_date=utc("2026-02-20 23:59"), second_due_date=SUBMISSION_DUE,
                                        double_blind=True)


def single_blind(venue: Venue) -> None:
    venue.submission_stage = submission(double_blind=False)
    venue.review_stage = review()


def public_after_the_deadline(venue: Venue) -> None:
    venue.submission_stage = submission(double_blind=True, readers=[orstages.SubmissionStage.Readers.EVERYONE])


def no_area_chairs(venue: Venue) -> None:
    venue.use_area_chairs = False
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review(release_to_reviewers=orstages.ReviewStage.Readers.REVIEWERS_ASSIGNED)
    venue.decision_stage = decision()


def renamed_reviewers(venue: Venue) -> None:
    # as the builder reads a venue request that names the committee (``Venue.set_main_settings``)
    venue.reviewer_roles = ["Program_Committee"]
    venue.reviewers_name = "Program_Committee"
    venue.submission_reviewer_roles = ["Program_Committee"]
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review()


def form_changes(venue: Venue) -> None:
    venue.submission_stage = submission(
        double_blind=True, remove_fields=["TLDR", "keywords"],
        additional_fields={"dataset_url": {"order": 12, "description": "Where the data lives.",
                                           "value": {"param": {"type": "string", "optional": True}}}})
    venue.review_stage = review(
        remove_fields=["title"],
        additional_fields={"ethics_concerns": {"order": 20, "description": "Any ethical concerns?",
                                               "value": {"param": {"type": "string", "maxLength": 5000,
                                                                   "optional": True, "input": "textarea"}}}})


def rebuttal_per_review(venue: Venue) -> None:
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review()
    venue.review_rebuttal_stage = rebuttal()


def rebuttal_single(venue: Venue) -> None:
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review()
    venue.review_rebuttal_stage = rebuttal(single_rebuttal=True)


def rebuttal_unlimited(venue: Venue) -> None:
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review()
    venue.review_rebuttal_stage = rebuttal(unlimited_rebuttals=True)


def public_comments(venue: Venue) -> None:
    readers = orstages.CommentStage.Readers
    venue.submission_stage = submission(double_blind=False, readers=[orstages.SubmissionStage.Readers.EVERYONE])
    venue.review_stage = review(public=True)
    venue.comment_stage = orstages.CommentStage(
        start_date=COMMENTS_OPEN, end_date=COMMENTS_END, allow_public_comments=True,
        readers=[readers.EVERYONE, readers.REVIEWERS_ASSIGNED, readers.AUTHORS],
        invitees=[readers.REVIEWERS_ASSIGNED, readers.AUTHORS])


def custom_stage(venue: Venue) -> None:
    participants = orstages.CustomStage.Participants
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review()
    venue.custom_stage = orstages.CustomStage(
        name="Ethics_Flag", reply_to=orstages.CustomStage.ReplyTo.FORUM,
        source=orstages.CustomStage.Source.ALL_SUBMISSIONS, start_date=REVIEW_OPENS, due_date=REVIEW_DUE,
        invitees=[participants.REVIEWERS_ASSIGNED], readers=[participants.PROGRAM_CHAIRS, participants.SIGNATURES],
        content={"concern": {"order": 1, "description": "What is the concern?",
                             "value": {"param": {"type": "string", "maxLength": 2000, "input": "textarea"}}}})


def custom_decisions(venue: Venue) -> None:
    venue.submission_stage = submission(double_blind=True)
    venue.review_stage = review()
    venue.decision_stage = decision(options=["Accept", "Revise and resubmit", "Reject"],
                                    accept_options=["Accept", "Revise and resubmit"],
                                    release_to_authors=True)


VARIANTS: dict[str, Callable[[Venue], None]] = {f.__name__: f for f in (
    abstract_registration, single_blind, public_after_the_deadline, no_area_chairs, renamed_reviewers,
    form_changes, rebuttal_per_review, rebuttal_single, rebuttal_unlimited, public_comments, custom_stage,
    custom_decisions)}


def build_variant(client: openreview.api.OpenReviewClient, venue_id: str, configure: Callable[[Venue], None]) -> None:
    venue = Venue(client, venue_id, SUPPORT)
    venue.name, venue.short_name = f"Variant {venue_id.split('/')[0]}", venue_id.split("/")[0]
    venue.website, venue.contact = "https://variant.example", "chairs@variant.example"
    venue.reviewer_identity_readers = [orstages.IdentityReaders.PROGRAM_CHAIRS]
    configure(venue)
    venue.setup(program_chair_ids=CHAIRS)
    venue.create_submission_stage()
    for stage, create in (("review_stage", venue.create_review_stage),
                          ("review_rebuttal_stage", venue.create_review_rebuttal_stage),
                          ("comment_stage", venue.create_comment_stage),
                          ("decision_stage", venue.create_decision_stage),
                          ("custom_stage", venue.create_custom_stage)):
        if getattr(venue, stage, None) is not None:
            create()


# -- the server and the CLI ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def builder_server() -> Iterator[Sandbox]:
    with Sandbox(processes=BUILDER_PROCESSES) as server:
        yield server


@pytest.fixture(scope="module")
def builder(builder_server: Sandbox) -> openreview.api.OpenReviewClient:
    return root_client(builder_server, time_travel=True)


def cli_run(server: Sandbox, *args: str) -> Any:
    env = credentials(server.baseurl, password=server.root_password)
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def round_trip(server: Sandbox, venue_id: str, folder: Path) -> dict[str, Any]:
    out = folder / "exported.yaml"
    exported = cli_run(server, "export", venue_id, "-o", str(out), "--at", AT)
    assert exported.exit_code == 0, exported.output
    assert "(5 read requests)" in exported.stderr, exported.stderr  # no per-paper listing
    text = out.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "the first `venueops apply` of this file records one" in text
    validated = cli_run(server, "validate", str(out))
    assert validated.exit_code == 0, validated.output
    plan = cli_run(server, "plan", str(out), "--at", AT)
    assert plan.exit_code == 0, plan.output
    assert "Plan: no object changes; apply records venueops' inventory in the venue group." in plan.stdout, plan.stdout
    assert plan.stdout.count("\n  ~ ") == 1 and f"~ group {venue_id}  (inventory)" in plan.stdout, plan.stdout
    return yaml.safe_load(text)


def build(client: openreview.api.OpenReviewClient, make: Callable[[], None]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # the builder prints progress
        make()


# -- the tests -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("example", sorted(EXAMPLE_VENUES))
def test_an_example_posted_by_the_builder_exports_and_plans_empty(example: str, builder_server: Sandbox,
                                                                    builder: Any, tmp_path: Path,
                                                                    update_golden: bool) -> None:
    spec = load_venue(EXAMPLES / f"{example}.yaml").spec
    build(builder, lambda: BUILDERS[example](builder, spec, False))
    exported = round_trip(builder_server, EXAMPLE_VENUES[example], tmp_path)
    assert set(exported["stages"]) == {k for k, v in spec.stages.model_dump().items() if v not in (None, [], ())}
    # what a chair reads: the whole file, kept as a golden (``pytest --update-golden`` rewrites it)
    golden = GOLDEN / f"builder-{example}.yaml"
    text = (tmp_path / "exported.yaml").read_text()
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text(), f"{golden.name} differs from its golden; rerun with --update-golden if intended"


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_builder_option_round_trips(variant: str, builder_server: Sandbox, builder: Any, tmp_path: Path) -> None:
    venue_id = f"{variant.title().replace('_', '')}.cc/2026/Conference"
    build(builder, lambda: build_variant(builder, venue_id, VARIANTS[variant]))
    exported = round_trip(builder_server, venue_id, tmp_path)
    stages, roles = exported["stages"], exported["roles"]
    expected: dict[str, Callable[[], bool]] = {
        "abstract_registration": lambda: stages["submission"]["abstract_due"] == "2026-02-20 23:59",
        "single_blind": lambda: "double_blind" not in stages["submission"],
        "public_after_the_deadline": lambda: stages["submission"]["readers_after_due"] == ["everyone"],
        "no_area_chairs": lambda: "area_chairs" not in roles and stages["review"]["release_to_reviewers"] == "assigned",
        "renamed_reviewers": lambda: roles["reviewers"]["name"] == "Program_Committee",
        "form_changes": lambda: (sorted(stages["submission"]["form"]["remove"]) == ["TLDR", "keywords"]
                                 and "dataset_url" in stages["submission"]["form"]["add"]
                                 and "ethics_concerns" in stages["review"]["form"]["add"]),
        "rebuttal_per_review": lambda: stages["rebuttal"].get("mode", "per_review") == "per_review",
        "rebuttal_single": lambda: stages["rebuttal"]["mode"] == "single",
        "rebuttal_unlimited": lambda: stages["rebuttal"]["mode"] == "unlimited",
        "public_comments": lambda: stages["comments"]["public_comments"] is True,
        "custom_stage": lambda: [c["name"] for c in stages.get("custom", [])] == ["Ethics_Flag"],
        "custom_decisions": lambda: (stages["decision"]["options"] == ["Accept", "Revise and resubmit", "Reject"]
                                     and stages["decision"]["accept_options"] == ["Accept", "Revise and resubmit"]),
    }
    assert expected[variant](), yaml.safe_dump({"roles": roles, "stages": stages})


def test_applying_an_adopted_venue_posts_only_its_inventory_and_lock(builder_server: Sandbox, builder: Any,
                                                            tmp_path: Path) -> None:
    venue_id = "Adopted.cc/2026/Conference"
    build(builder, lambda: build_variant(builder, venue_id, rebuttal_single))
    before = {i.id: i.tmdate for i in builder.get_all_invitations(prefix=f"{venue_id}/")}
    round_trip(builder_server, venue_id, tmp_path)
    applied = cli_run(builder_server, "apply", str(tmp_path / "exported.yaml"), "--auto-approve", "--at", AT)
    assert applied.exit_code == 0, applied.output
    after = {i.id: i.tmdate for i in builder.get_all_invitations(prefix=f"{venue_id}/")}
    # besides the inventory, apply makes venueops' write lock (every apply of a venue takes it), nothing else
    assert {k: v for k, v in after.items() if k != f"{venue_id}/-/Venueops_Lock"} == before
    assert f"{venue_id}/-/Venueops_Lock" in after
    content = builder.get_group(venue_id).content
    assert content["venueops_inventory"]["readers"] == [venue_id]
    managed = content["venueops_inventory"]["value"]["managed"]
    assert f"invitation {venue_id}/-/Rebuttal" in managed and f"group {venue_id}/Reviewers" in managed
    again = cli_run(builder_server, "plan", str(tmp_path / "exported.yaml"), "--detailed-exitcode", "--at", AT)
    assert again.exit_code == 0 and "No changes." in again.stdout, again.output
