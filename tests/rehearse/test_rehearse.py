"""``venueops rehearse``: each example played on a fresh sandbox with 20 synthetic submissions, predicted
equal to observed at every probed moment; a venue whose own code does what the model cannot see is caught
as a rehearsal difference; the known leaks are stopped by policies before anything is applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.cli import cli
from venueops.config.validate import load_venue_text
from venueops.rehearse import RehearsalOptions, rehearse
from venueops.rehearse.report import text_report

EXAMPLES = Path(__file__).parents[2] / "examples" / "venues"
NO_SERVER = {"OPENREVIEW_API_BASEURL_V2": None, "OPENREVIEW_USERNAME": None, "OPENREVIEW_PASSWORD": None,
             "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}

# A review process that makes every review public: code the access model does not read.
PUBLISHING_PROCESS = '''
overrides:
  - object: /-/Official_Review
    set:
      edit.invitation.process: |
        def process(client, edit, invitation):
            venue = invitation.domain
            client.post_note_edit(invitation=f"{venue}/-/Edit", signatures=[venue],
                                  note=openreview.api.Note(id=edit.note.id, readers=["everyone"]))
'''


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, dict, str]]:
    """Each example rehearsed once through the CLI: (exit code, JSON report, HTML page path)."""
    out = {}
    directory = tmp_path_factory.mktemp("rehearsals")
    for example in sorted(p.name for p in EXAMPLES.glob("*.yaml")):
        page, document = directory / f"{example}.html", directory / f"{example}.json"
        result = CliRunner().invoke(cli, ["rehearse", str(EXAMPLES / example), "--submissions", "20", "--seed", "1",
                                          "--html", str(page), "--json", str(document)], env=NO_SERVER)
        out[example] = (result.exit_code, json.loads(document.read_text()), str(page), result.stdout)
    return out


@pytest.mark.parametrize("example", ["workshop.yaml", "conference.yaml", "open-review.yaml"])
def test_every_example_plays_as_its_access_model_predicts(rehearsed, example: str) -> None:
    code, report, page, stdout = rehearsed[example]
    assert report["summary"]["differences"] == 0 and report["summary"]["problems"] == 0, stdout
    assert code == 0 and report["ok"] and stdout.endswith("each as the access model predicts.\n")
    assert report["submissions"] == 20 and Path(page).stat().st_size > 10_000
    steps = report["steps"]
    assert steps[0]["done"][0].startswith("venueops applied")
    assert any(d.endswith("authors submitted their papers") and d.startswith("20 ") for s in steps for d in s["done"])
    # every reply stage of the file opened, was written to, and its replies were probed
    config = load_venue_text((EXAMPLES / example).read_text(), example)
    stages = config.spec.stages
    names = [getattr(stages, k).name for k in ("review", "rebuttal", "meta_review", "decision", "comments")
             if getattr(stages, k) is not None]
    for name in names:
        assert any(f"{name} opens" in e for s in steps for e in s["events"]), name
        read = [p for s in steps for p in s["probes"] if p["what"] == name and p["verb"] == "read"]
        assert any(p["observed"] is True for p in read), name  # somebody read it once posted
    # what the server did is reported: objects made, processes run, e-mails sent (and to whom)
    assert sum(s["created"]["notes"] for s in steps) >= 20 * (1 + len(names) - ("Official_Comment" in names))
    assert all(s["processes"]["failed"] == 0 for s in steps)
    mails = [m for s in steps for m in s["emails"]]
    assert any("has received your submission" in m["subject"] and m["to"] == "authors" for m in mails)


def test_the_conference_probes_every_persona_and_follows_the_reviewers_release(rehearsed) -> None:
    _, report, _, _ = rehearsed["conference.yaml"]
    assert {p["key"] for p in report["personas"]} == {
        "program_chair", "sac_assigned", "sac_other", "ac_assigned", "ac_other", "reviewer_reviews",
        "reviewer_waits", "reviewer_other", "author", "author_other", "outsider", "guest"}

    def seen(step_event: str, persona: str, what: str, verb: str = "read") -> bool | None:
        step = next(s for s in report["steps"] if any(step_event in e for e in s["events"]))
        (probe,) = [p for p in step["probes"] if (p["persona"], p["what"], p["verb"]) == (persona, what, verb)]
        assert probe["observed"] == probe["predicted"]
        return probe["observed"]

    # reviews: the reviewer who has reviewed reads them, the one who has not does not; the authors once released
    assert seen("Official_Review opens", "reviewer_reviews", "Official_Review") is True
    assert seen("Official_Review opens", "reviewer_waits", "Official_Review") is False
    assert seen("Official_Review opens", "author", "Official_Review") is False
    assert seen("review release to authors", "author", "Official_Review") is True
    assert seen("review release to authors", "author_other", "Official_Review") is False
    # double blind: the assigned reviewers read the paper, never its authors' identities
    assert seen("Official_Review opens", "reviewer_waits", "submissions") is True
    assert seen("Official_Review opens", "reviewer_waits", "author identities") is False
    assert seen("Official_Review opens", "ac_other", "submissions") is False
    # only the paper's area chair writes its meta review, and only while the stage is open
    assert seen("Meta_Review opens", "ac_assigned", "Meta_Review", "post") is True
    assert seen("Meta_Review opens", "ac_other", "Meta_Review", "post") is False
    assert seen("Meta_Review closes", "ac_assigned", "Meta_Review", "post") is False


def test_a_process_that_publishes_reviews_is_a_rehearsal_difference() -> None:
    """The model reads the compiled readers; the venue's own review process makes each review public.
    Only playing the venue shows it, and the rehearsal fails with the difference named."""
    text = (EXAMPLES / "workshop.yaml").read_text() + PUBLISHING_PROCESS
    config = load_venue_text(text, "workshop-publishing.yaml")
    report = rehearse(config, RehearsalOptions(submissions=4))
    assert not report.ok
    differing = {(o.persona, o.what, o.verb) for _, o in report.differences}
    assert ("guest", "Official_Review", "read") in differing and ("outsider", "Official_Review", "read") in differing
    assert all(what == "Official_Review" and verb == "read" for _, what, verb in differing)
    assert all(not o.predicted and o.observed for _, o in report.differences)
    shown = text_report(report)
    assert ("DIFFERENCE A guest (not logged in): predicted not to read Official_Review, but could (reads 1 of 1)"
            in shown)
    assert shown.rstrip().splitlines()[-1].startswith("Rehearsal failed:")


@pytest.mark.parametrize(("variant", "old", "new", "policy"), [
    ("reviews released to authors at once", "release_to_authors: after_due", "release_to_authors: true",
     "policy reviews_before_deadline"),
    ("a reader list that omits the paper's area chairs",
     "readers: [senior_area_chairs_assigned, area_chairs_assigned, reviewers_assigned]",
     "readers: [senior_area_chairs_assigned, reviewers_assigned]", "policy committee_reads_replies"),
])
def test_known_leaks_are_policy_errors_and_nothing_is_played(tmp_path: Path, variant: str, old: str, new: str,
                                                              policy: str) -> None:
    text = (EXAMPLES / "conference.yaml").read_text()
    assert old in text, variant
    venue = tmp_path / "conference.yaml"
    venue.write_text(text.replace(old, new, 1))
    result = CliRunner().invoke(cli, ["rehearse", str(venue), "--submissions", "4", "--format", "json"], env=NO_SERVER)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["steps"] == [] and not report["ok"]
    (error,) = [e for e in report["policy_errors"] if policy in e]
    assert error.startswith(f"{venue}:")  # located in the file


def test_bad_arguments_and_files_are_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["rehearse", str(EXAMPLES / "workshop.yaml"), "--submissions", "1"], env=NO_SERVER)
    assert result.exit_code == 2 and "1 is not in the range 2<=x<=5000" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("venue: {id: X}\nstages: [\n")
    result = runner.invoke(cli, ["rehearse", str(broken)], env=NO_SERVER)
    assert result.exit_code == 1 and f"{broken}:" in result.stderr and "Traceback" not in result.output


def test_a_double_blind_venue_whose_papers_everyone_reads_keeps_their_authors_hidden() -> None:
    """Public submissions in a double-blind venue (as ICLR runs) are no leak: the author fields keep their
    own readers. No policy stops it, and the rehearsal proves it: the public reads the paper, not who wrote it."""
    text = (EXAMPLES / "workshop.yaml").read_text().replace("readers_after_due: [reviewers_assigned]",
                                                            "readers_after_due: [everyone, reviewers_assigned]")
    report = rehearse(load_venue_text(text, "public-workshop.yaml"), RehearsalOptions(submissions=3))
    assert report.ok, text_report(report)
    after = next(s for s in report.steps if "Official_Review opens" in s.events)
    seen = {(o.persona, o.what): o.observed for o in after.observations if o.verb == "read"}
    assert seen[("guest", "submissions")] is True and seen[("outsider", "submissions")] is True
    assert seen[("guest", "author identities")] is False and seen[("reviewer_waits", "author identities")] is False
    assert seen[("author", "author identities")] is True and seen[("program_chair", "author identities")] is True
