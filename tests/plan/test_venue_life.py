"""A venueops venue lives its life in the sandbox, driven by the venue's own processes.

The example workshop, moved a year ahead (so every deadline is still to come), is applied with venueops
to a sandbox that runs processes, on a frozen clock. Synthetic authors submit; the clock moves past the
deadline and the venue's own date processes create each paper's groups and review form; a reviewer
reviews; the review reaches the authors only once the release moment has passed and venueops applied
the file again; a moved review deadline reaches the per-paper forms through the server's own process;
and ``venueops sandbox advance`` / ``sandbox mail`` work on the database afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openreview
import pytest
import requests
from click.testing import CliRunner
from openreview.api import Note

from tests.plan.conftest import EXAMPLES
from venueops.cli import cli
from venueops.sandbox import Sandbox
from venueops.sandbox.runtime.pool import Limits
from venueops.sandbox.runtime.runtime import RuntimeSettings

PASSWORD = "a-venue-life-password"
V = "DRW.cc/2026/Workshop"
PDF = "/pdf/" + "p" * 40 + ".pdf"


def ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


@pytest.fixture
def life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, Path]]:
    monkeypatch.chdir(tmp_path)
    venue = tmp_path / "workshop.yaml"
    venue.write_text((EXAMPLES / "workshop.yaml").read_text().replace("2026-", "2027-"))
    settings = RuntimeSettings(enabled=True, workers=2, preprocess_workers=1, limits=Limits(seconds=60))
    with Sandbox(db=tmp_path / "life.db", root_password=PASSWORD, processes=settings) as sandbox:
        set_clock(sandbox, now=ms("2027-02-10T00:00:00"))
        yield sandbox, venue


def set_clock(sandbox: Sandbox, **body: int) -> None:
    requests.put(f"{sandbox.baseurl}/_sandbox/clock", json=body, timeout=600).raise_for_status()
    assert requests.post(f"{sandbox.baseurl}/_sandbox/idle", json={"timeout": 120}, timeout=180).json()["idle"]


def venueops(sandbox: Sandbox, *args: str) -> str:
    env = {"OPENREVIEW_API_BASEURL_V2": sandbox.baseurl, "OPENREVIEW_USERNAME": "openreview.net",
           "OPENREVIEW_PASSWORD": PASSWORD, "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def user(sandbox: Sandbox, email: str, fullname: str) -> openreview.api.OpenReviewClient:
    guest = openreview.api.OpenReviewClient(baseurl=sandbox.baseurl)
    registered = guest.register_user(email=email, fullname=fullname, password=PASSWORD)
    guest.activate_user(email, {"names": [{"fullname": fullname, "username": registered["id"], "preferred": True}],
                                "emails": [email], "preferredEmail": email})
    return login(sandbox, email)


def login(sandbox: Sandbox, who: str = "openreview.net") -> openreview.api.OpenReviewClient:
    """Sessions end on the sandbox clock: after a move, log in again."""
    return openreview.api.OpenReviewClient(baseurl=sandbox.baseurl, username=who, password=PASSWORD)


def submit(author: openreview.api.OpenReviewClient, title: str) -> dict:
    profile = author.profile.id
    return author.post_note_edit(invitation=f"{V}/-/Submission", signatures=[profile], note=Note(content={
        "title": {"value": title}, "abstract": {"value": "An abstract."}, "authors": {"value": [title + " Author"]},
        "authorids": {"value": [profile]}, "keywords": {"value": ["rehearsal"]}, "pdf": {"value": PDF}}),
        await_process=True)


def test_a_workshop_goes_through_its_timeline(life: tuple[Sandbox, Path]) -> None:
    sandbox, venue = life
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap")
    ann = user(sandbox, "ann@drw.example", "Ann Author")
    bob = user(sandbox, "bob@drw.example", "Bob Author")
    first, second = submit(ann, "Paper One"), submit(bob, "Paper Two")
    assert (first["note"]["number"], second["note"]["number"]) == (1, 2)
    root = login(sandbox)
    received = root.get_messages(to="ann@drw.example")
    assert received and "Paper One" in received[0]["content"]["subject"]  # the submission process mailed her

    set_clock(sandbox, now=ms("2027-03-03T00:00:00"))  # past the submission deadline (2027-03-01 23:59 AoE)
    root = login(sandbox)
    for number in (1, 2):
        authors = root.get_group(f"{V}/Submission{number}/Authors")
        assert authors.members == [(ann if number == 1 else bob).profile.id]
        assert root.get_group(f"{V}/Submission{number}/Reviewers").id == f"{V}/Submission{number}/Reviewers"
    assert not [log for log in root.get_process_logs(status="error") if log["invitation"].startswith(V)]

    set_clock(sandbox, now=ms("2027-03-11T00:00:00"))  # the review stage opens (2027-03-10)
    root = login(sandbox)
    review_form = root.get_invitation(f"{V}/Submission1/-/Official_Review")
    assert review_form.invitees and review_form.duedate == ms("2027-04-11T11:59:00")

    # a reviewer reviews paper 1; its authors cannot read the review before the release
    rita = user(sandbox, "rita@drw.example", "Rita Reviewer")
    root.add_members_to_group(f"{V}/Submission1/Reviewers", [rita.profile.id])
    (anonymous,) = [g.id for g in root.get_groups(prefix=f"{V}/Submission1/Reviewer_") if rita.profile.id in g.members]
    rita = login(sandbox, "rita@drw.example")
    review = rita.post_note_edit(invitation=f"{V}/Submission1/-/Official_Review", signatures=[anonymous],
                                 note=Note(content={"review": {"value": "Sound."}, "rating": {"value": 8},
                                                    "confidence": {"value": 4}}), await_process=True)
    ann = login(sandbox, "ann@drw.example")
    assert [n.id for n in ann.get_notes(forum=first["note"]["id"])] == [first["note"]["id"]]

    # after the review deadline, venueops applies the release (after_due); the authors read the review
    set_clock(sandbox, now=ms("2027-04-12T00:00:00"))
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap", "--at", "2027-04-12")  # this server's "now"
    set_clock(sandbox, advance=10_000)
    ann = login(sandbox, "ann@drw.example")
    root = login(sandbox)
    assert review["note"]["id"] in [n.id for n in ann.get_notes(forum=first["note"]["id"])]

    # a moved review deadline reaches the per-paper forms through the server's own process
    moved = venue.read_text().replace("due: 2027-04-10 23:59", "due: 2027-04-17 23:59")
    venue.write_text(moved)
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap", "--at", "2027-04-12")
    set_clock(sandbox, advance=10_000)  # the super invitation's update process runs 5 s after the edit
    assert login(sandbox).get_invitation(f"{V}/Submission1/-/Official_Review").duedate == ms("2027-04-18T11:59:00")


def test_advance_and_mail_work_on_the_sandbox_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    venue = tmp_path / "workshop.yaml"
    venue.write_text((EXAMPLES / "workshop.yaml").read_text().replace("2026-", "2027-"))
    runner = CliRunner()
    env = {"OPENREVIEW_API_BASEURL_V2": None, "OPENREVIEW_USERNAME": None, "OPENREVIEW_PASSWORD": None,
           "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}
    applied = runner.invoke(cli, ["apply", str(venue), "--sandbox", "--auto-approve"], env=env)
    assert applied.exit_code == 0, applied.output
    moved = runner.invoke(cli, ["sandbox", "advance", "--to", "2027-03-03"], env=env)
    assert moved.exit_code == 0, moved.output
    assert f"ok      {V}/-/Post_Submission-0-0" in moved.stdout and "0 with an error" in moved.stdout
    again = runner.invoke(cli, ["sandbox", "advance", "--to", "2027-03-01"], env=env)
    assert again.exit_code == 1 and "advance moves it forward only" in again.stderr
    mail = runner.invoke(cli, ["sandbox", "mail", "--to", "nobody@drw.example"], env=env)
    assert mail.exit_code == 0 and mail.stdout.endswith("0 message(s).\n")
    bad = runner.invoke(cli, ["sandbox", "advance", "--by", "seven days"], env=env)
    assert bad.exit_code == 1 and "is not a duration" in bad.stderr


def test_on_the_sandbox_releases_fall_due_by_the_sandbox_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--sandbox` plans compile `after_due` releases for the sandbox's own now: after `sandbox advance`
    past the review deadline, the next plan releases the reviews without any --at."""
    monkeypatch.chdir(tmp_path)
    venue = tmp_path / "workshop.yaml"
    venue.write_text((EXAMPLES / "workshop.yaml").read_text().replace("2026-", "2027-"))
    runner = CliRunner()
    env = {"OPENREVIEW_API_BASEURL_V2": None, "OPENREVIEW_USERNAME": None, "OPENREVIEW_PASSWORD": None,
           "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}
    assert runner.invoke(cli, ["apply", str(venue), "--sandbox", "--auto-approve"], env=env).exit_code == 0
    before = runner.invoke(cli, ["plan", str(venue), "--sandbox", "--detailed-exitcode"], env=env)
    assert before.exit_code == 0, before.output
    assert runner.invoke(cli, ["sandbox", "advance", "--to", "2027-04-12"], env=env).exit_code == 0
    after = runner.invoke(cli, ["plan", str(venue), "--sandbox"], env=env)
    assert after.exit_code == 0 and "Official_Review" in after.stdout and "Authors" in after.stdout, after.output
