"""``venueops reconcile`` against the session's sandbox over HTTP: due releases, drift and who made it,
heal, many venues with one broken, the report and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import openreview
import pytest

from tests.plan.conftest import AT, Venueops, check_golden

V = "DRW.cc/2026/Workshop"
REVIEW = f"{V}/-/Official_Review"
BEFORE_RELEASE = "2026-04-01"
AFTER_RELEASE = "2026-04-12"
REPORT_SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "reconcile-report.schema.json")
                           .read_text())


def apply(venueops: Venueops, file: Path) -> None:
    run = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)
    assert run.exit_code == 0, run.output


def applied_with_a_chair(venueops: Venueops, venue_file, make_user) -> tuple[Path, openreview.api.OpenReviewClient]:
    """The workshop with a third program chair, pc@drw.example (Dana Chair), applied; her client."""
    file = venue_file("workshop", {"program_chairs: [~Pat_Chair1, chair@drw.example]":
                                   "program_chairs: [~Pat_Chair1, chair@drw.example, pc@drw.example]"})
    apply(venueops, file)
    return file, make_user("pc@drw.example", "Dana Chair")


def move_review_deadline(chair: openreview.api.OpenReviewClient, duedate: int) -> None:
    """A chair moves the review deadline in OpenReview, outside the venue file (signing as the venue)."""
    chair.post_invitation_edit(invitations=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                               invitation=openreview.api.Invitation(id=REVIEW, signatures=[V],
                                                                    edit={"invitation": {"duedate": duedate}}))


def test_a_release_falls_due_and_heal_applies_it(venueops: Venueops, venue_file, tmp_path: Path) -> None:
    file = venue_file("workshop")
    apply(venueops, file)
    before = venueops("reconcile", file, "--at", BEFORE_RELEASE)
    assert before.exit_code == 0, before.output
    assert before.stdout.startswith(f"in sync   {V}\n")
    due = venueops("reconcile", file, "--at", AFTER_RELEASE, "--report", "due.json")
    assert due.exit_code == 2, due.output
    assert f"~ invitation {REVIEW}: due: review release at 2026-04-10 23:59 AoE" in due.stdout
    report = json.loads((tmp_path / "due.json").read_text())
    assert report["format_version"] == 1 and report["summary"] == {"venues": 1, "changes": 1}
    assert {f["kind"] for f in report["venues"][0]["findings"]} == {"due"}
    healed = venueops("reconcile", file, "--at", AFTER_RELEASE, "--mode", "heal")
    assert healed.exit_code == 0, healed.output
    assert healed.stdout.startswith(f"healed    {V} (")
    after = venueops("reconcile", file, "--at", AFTER_RELEASE)
    assert after.exit_code == 0 and after.stdout.startswith(f"in sync   {V}\n"), after.output


def test_drift_names_who_made_it_and_is_reported_or_restored(venueops: Venueops, venue_file, make_user,
                                                             root) -> None:
    file, chair = applied_with_a_chair(venueops, venue_file, make_user)
    move_review_deadline(chair, 1776000000000)
    edit = root.get_invitation_edits(invitation_id=REVIEW, sort="tcdate:desc")[0]
    detect = venueops("reconcile", file, "--at", BEFORE_RELEASE)
    assert detect.exit_code == 2, detect.output
    line = next(line for line in detect.stdout.splitlines() if REVIEW in line)
    assert "drift: Official_Review edit.invitation.duedate changed by ~Dana_Chair1 (pc@drw.example)" in line
    assert f"(edit {edit.id})" in line
    kept = venueops("reconcile", file, "--at", BEFORE_RELEASE, "--mode", "heal")  # report: left as the chair made it
    assert kept.exit_code == 2, kept.output
    assert root.get_invitation(REVIEW).edit["invitation"]["duedate"] == 1776000000000
    restored = venueops("reconcile", file, "--at", BEFORE_RELEASE, "--mode", "heal", "--on-drift", "restore")
    assert restored.exit_code == 0, restored.output
    assert root.get_invitation(REVIEW).edit["invitation"]["duedate"] != 1776000000000
    assert venueops("reconcile", file, "--at", BEFORE_RELEASE).exit_code == 0


@pytest.mark.parametrize(("good", "jobs"), [(5, "1"), (49, "4")])
def test_one_broken_file_among_many_is_named_and_the_others_go_on(venueops: Venueops, venue_file,
                                                                  tmp_path: Path, good: int, jobs: str) -> None:
    folder = tmp_path / "venues"
    folder.mkdir()
    for n in range(good):
        path = venue_file("workshop", {"DRW.cc/2026/Workshop": f"DRW{n}.cc/2026/Workshop"}, name=f"w{n}.yaml")
        (tmp_path / path).rename(folder / f"w{n}.yaml")
    (folder / "broken.yaml").write_text("venue:\n  id: Broken.cc/2026\n  name: [unclosed\n")
    run = venueops("reconcile", "venues", "--at", BEFORE_RELEASE, "--jobs", jobs, "--report", "r.json")
    assert run.exit_code == 1, run.output
    error = next(line for line in run.stdout.splitlines() if line.startswith("error"))
    assert error.startswith("error     venues/broken.yaml:4:1: error: invalid YAML"), error
    report = json.loads((tmp_path / "r.json").read_text())
    failed = [v for v in report["venues"] if v["status"] == "error" and v["file"] != "venues/broken.yaml"]
    assert not failed, failed  # what went wrong, when a good file fails
    assert run.stdout.count("changes   DRW") == good  # never applied: every object is new in its file
    table = run.stdout[run.stdout.index("\nvenue "):]
    assert table.splitlines()[1].split() == ["venue", "status", "due", "drift", "file", "edits", "told"]
    assert len([line for line in table.splitlines() if line.startswith("DRW")]) == good
    assert table.rstrip().endswith(f"{good + 1} venue(s): 0 in sync, 0 healed, {good} with changes, 1 error(s).")
    assert report["summary"] == {"venues": good + 1, "changes": good, "error": 1}
    assert [v["file"] for v in report["venues"]] == sorted(v["file"] for v in report["venues"])
    jsonschema.validate(report, REPORT_SCHEMA)


def test_the_markdown_report(venueops: Venueops, venue_file, make_user, baseurl: str, update_golden: bool) -> None:
    file, chair = applied_with_a_chair(venueops, venue_file, make_user)
    chair.post_group_edit(invitation=f"{V}/-/Edit", signatures=[V], readers=[V], writers=[V],
                          group=openreview.api.Group(id=f"{V}/Publicity_Chairs", members={"add": ["~Intruder1"]}))
    run = venueops("reconcile", file, "--at", AFTER_RELEASE, "--format", "markdown")
    assert run.exit_code == 2, run.output
    text = re.sub(r"on \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? AoE \(edit \w+\)", "on <when> (edit <id>)", run.stdout)
    check_golden("reconcile.md", text, baseurl, update_golden)


def test_warn_tells_the_program_chairs_once_per_drift(venueops: Venueops, venue_file, make_user, root,
                                                       tmp_path: Path) -> None:
    file, chair = applied_with_a_chair(venueops, venue_file, make_user)
    move_review_deadline(chair, 1776000000000)
    subject = "[DRW 2026] venueops: 1 change(s) made outside the venue file"
    first = venueops("reconcile", file, "--at", BEFORE_RELEASE, "--mode", "warn", "--report", "w.json")
    assert first.exit_code == 2, first.output
    assert "(1 drift(s) told to the program chairs)" in first.stdout
    assert json.loads((tmp_path / "w.json").read_text())["venues"][0]["warned"] == 1
    (mail,) = root.get_messages(to="pc@drw.example", subject=subject)
    assert "Official_Review edit.invitation.duedate changed by ~Dana_Chair1 (pc@drw.example)" in mail["content"]["text"]
    assert mail["content"]["replyTo"] == "chairs@drw.example"
    again = venueops("reconcile", file, "--at", BEFORE_RELEASE, "--mode", "warn")
    assert again.exit_code == 2 and "told to the program chairs" not in again.stdout, again.output
    assert len(root.get_messages(to="pc@drw.example", subject=subject)) == 1  # told once
    # a new drift of the same field is news again
    move_review_deadline(chair, 1776100000000)
    assert "(1 drift(s) told" in venueops("reconcile", file, "--at", BEFORE_RELEASE, "--mode", "warn").stdout
    assert len(root.get_messages(to="pc@drw.example", subject=subject)) == 2
