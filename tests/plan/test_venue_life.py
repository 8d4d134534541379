"""Venues live their life in the sandbox, driven by their own processes.

The example workshop and conference, moved a year ahead (so every deadline is still to come), are
applied with venueops to a sandbox that runs processes, on a frozen clock. Synthetic authors submit;
the clock moves past the deadline and the venue's own date processes create each paper's groups and
forms; reviewers review; a review reaches the authors only once the release moment has passed and
venueops applied the file again; a moved review deadline reaches the per-paper forms through the
server's own process. The conference goes on through meta reviews by area chairs and decisions by a
program chair. ``venueops sandbox advance`` / ``sandbox mail`` work on the database afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openreview
import pytest
import requests
from click.testing import CliRunner
from openreview.api import Note, OpenReviewClient

from tests.plan.conftest import EXAMPLES
from venueops.cli import cli
from venueops.sandbox import Sandbox
from venueops.sandbox.runtime.pool import Limits
from venueops.sandbox.runtime.runtime import RuntimeSettings

PASSWORD = "a-venue-life-password"
V = "DRW.cc/2026/Workshop"
C = "ICDR.cc/2027/Conference"
PCS = f"{C}/Program_Chairs"
PDF = "/pdf/" + "p" * 40 + ".pdf"


def ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


def a_year_ahead(text: str) -> str:
    """Every ``YYYY-MM-DD`` date of a venue file a year later: the examples' deadlines have passed (the
    conference's timeline runs into the next year, so a plain 2026 → 2027 would break its order)."""
    return re.sub(r"\b(20\d\d)-(\d\d-\d\d)\b", lambda m: f"{int(m.group(1)) + 1}-{m.group(2)}", text)


def a_year_ahead_copy(example: str, directory: Path) -> Path:
    """The example venue file, a year ahead, written into ``directory`` (the tests edit their copy)."""
    venue = directory / example
    venue.write_text(a_year_ahead((EXAMPLES / example).read_text()))
    return venue


@contextmanager
def living(tmp_path: Path, example: str, now: str) -> Iterator[tuple[Sandbox, Path]]:
    """The example, a year ahead, beside a sandbox that runs processes, its clock frozen at ``now``."""
    venue = a_year_ahead_copy(example, tmp_path)
    settings = RuntimeSettings(enabled=True, workers=2, preprocess_workers=1, limits=Limits(seconds=60))
    with Sandbox(db=tmp_path / "life.db", root_password=PASSWORD, processes=settings) as sandbox:
        set_clock(sandbox, now=ms(now))
        yield sandbox, venue


@pytest.fixture
def life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, Path]]:
    monkeypatch.chdir(tmp_path)
    with living(tmp_path, "workshop.yaml", "2027-02-10T00:00:00") as lived:
        yield lived


@pytest.fixture
def conference_life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, Path]]:
    monkeypatch.chdir(tmp_path)
    with living(tmp_path, "conference.yaml", "2027-09-10T00:00:00") as lived:  # submissions open 2027-09-01
        yield lived


def set_clock(sandbox: Sandbox, **body: int) -> None:
    """Move the sandbox clock (``now=`` or ``advance=``) and wait until what fell due on the way has run."""
    requests.put(f"{sandbox.baseurl}/_sandbox/clock", json=body, timeout=600).raise_for_status()
    assert requests.post(f"{sandbox.baseurl}/_sandbox/idle", json={"timeout": 120}, timeout=180).json()["idle"]


def venueops(sandbox: Sandbox, *args: str | Path, exit_code: int = 0) -> str:
    """Run a venueops command against the sandbox as its super user; its output, once the exit code is checked."""
    env = {
        "OPENREVIEW_API_BASEURL_V2": sandbox.baseurl,
        "OPENREVIEW_USERNAME": "openreview.net",
        "OPENREVIEW_PASSWORD": PASSWORD,
        "OPENREVIEW_TOKEN": None,
        "NO_COLOR": "1",
    }
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result.stdout


def user(sandbox: Sandbox, email: str, fullname: str) -> OpenReviewClient:
    """Register and activate an account, as openreview-py's test helpers do, and log it in."""
    guest = OpenReviewClient(baseurl=sandbox.baseurl)
    registered = guest.register_user(email=email, fullname=fullname, password=PASSWORD)
    guest.activate_user(
        email,
        {
            "names": [{"fullname": fullname, "username": registered["id"], "preferred": True}],
            "emails": [email],
            "preferredEmail": email,
        },
    )
    return login(sandbox, email)


def login(sandbox: Sandbox, who: str = "openreview.net") -> OpenReviewClient:
    """Sessions end on the sandbox clock: after a move, log in again."""
    return OpenReviewClient(baseurl=sandbox.baseurl, username=who, password=PASSWORD)


def submit(author: OpenReviewClient, title: str, venue: str = V, **content: Any) -> dict:
    """The author's submission to ``venue`` (the fields both examples ask for, plus ``content``), its
    process run."""
    profile = author.profile.id
    fields = {
        "title": title,
        "abstract": "An abstract.",
        "authors": [title + " Author"],
        "authorids": [profile],
        "keywords": ["rehearsal"],
        "pdf": PDF,
        **content,
    }
    return author.post_note_edit(
        invitation=f"{venue}/-/Submission",
        signatures=[profile],
        note=Note(content={k: {"value": v} for k, v in fields.items()}),
        await_process=True,
    )


def seen(reader: OpenReviewClient, forum: str) -> set[str]:
    """Ids of the notes of ``forum`` that ``reader`` may read."""
    return {note.id for note in reader.get_notes(forum=forum)}


def no_process_errors(root: OpenReviewClient, venue: str) -> None:
    failed = [log for log in root.get_process_logs(status="error") if log["invitation"].startswith(venue)]
    assert not failed, [(log["id"], log["log"][-2000:]) for log in failed]


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
    no_process_errors(root, V)

    set_clock(sandbox, now=ms("2027-03-11T00:00:00"))  # the review stage opens (2027-03-10)
    root = login(sandbox)
    review_form = root.get_invitation(f"{V}/Submission1/-/Official_Review")
    assert review_form.invitees and review_form.duedate == ms("2027-04-11T11:59:00")

    # a reviewer reviews paper 1; its authors cannot read the review before the release
    rita = user(sandbox, "rita@drw.example", "Rita Reviewer")
    root.add_members_to_group(f"{V}/Submission1/Reviewers", [rita.profile.id])
    (anonymous,) = [g.id for g in root.get_groups(prefix=f"{V}/Submission1/Reviewer_") if rita.profile.id in g.members]
    rita = login(sandbox, "rita@drw.example")
    review = rita.post_note_edit(
        invitation=f"{V}/Submission1/-/Official_Review",
        signatures=[anonymous],
        note=Note(content={"review": {"value": "Sound."}, "rating": {"value": 8}, "confidence": {"value": 4}}),
        await_process=True,
    )
    ann = login(sandbox, "ann@drw.example")
    assert seen(ann, first["note"]["id"]) == {first["note"]["id"]}

    # after the review deadline, venueops applies the release (after_due); the authors read the review
    set_clock(sandbox, now=ms("2027-04-12T00:00:00"))
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap", "--at", "2027-04-12")  # this server's "now"
    set_clock(sandbox, advance=10_000)
    ann = login(sandbox, "ann@drw.example")
    root = login(sandbox)
    assert review["note"]["id"] in seen(ann, first["note"]["id"])

    # a moved review deadline reaches the per-paper forms through the server's own process
    moved = venue.read_text().replace("due: 2027-04-10 23:59", "due: 2027-04-17 23:59")
    venue.write_text(moved)
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap", "--at", "2027-04-12")
    set_clock(sandbox, advance=10_000)  # the super invitation's update process runs 5 s after the edit
    assert login(sandbox).get_invitation(f"{V}/Submission1/-/Official_Review").duedate == ms("2027-04-18T11:59:00")


def test_a_conference_goes_through_its_timeline(conference_life: tuple[Sandbox, Path]) -> None:
    """The large example: senior area chairs, area chairs, anonymous reviewers whose identities the paper's
    area chairs see, reviews released to reviewers once they submit and to authors after the deadline,
    meta reviews for the chairs alone, decisions for the authors."""
    sandbox, venue = conference_life
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap")
    ann = user(sandbox, "ann@icdr.example", "Ann Author")
    bob = user(sandbox, "bob@icdr.example", "Bob Author")
    first = submit(ann, "Paper One", C, subject_areas=["Theory"])["note"]
    second = submit(bob, "Paper Two", C, subject_areas=["Optimization", "Applications"])["note"]
    assert (first["number"], second["number"]) == (1, 2)

    # the abstract and full-paper deadlines pass (2027-09-24, 2027-10-01 23:59 AoE): the venue's date
    # processes give each paper its groups, readable as the builder makes them
    set_clock(sandbox, now=ms("2027-10-03T00:00:00"))
    root = login(sandbox)
    for note, author in ((first, ann), (second, bob)):
        p = f"{C}/Submission{note['number']}"
        authors = root.get_group(f"{p}/Authors")
        assert authors.members == [author.profile.id] and authors.readers == [C, f"{p}/Authors"]
        reviewers = root.get_group(f"{p}/Reviewers")
        assert reviewers.readers == [C, PCS, f"{p}/Senior_Area_Chairs", f"{p}/Area_Chairs", f"{p}/Reviewers"]
        assert reviewers.nonreaders == [f"{p}/Authors"] and reviewers.anonids
        assert reviewers.deanonymizers == [C, PCS, f"{p}/Area_Chairs"]  # identity_visible_to: area_chairs_assigned
        acs = root.get_group(f"{p}/Area_Chairs")
        assert acs.readers == [C, PCS, f"{p}/Senior_Area_Chairs", f"{p}/Area_Chairs"] and acs.anonids
        assert acs.nonreaders == [f"{p}/Authors"] and acs.deanonymizers == [C, PCS]
        sacs = root.get_group(f"{p}/Senior_Area_Chairs")
        assert sacs.readers == [C, PCS, f"{p}/Senior_Area_Chairs"] and sacs.nonreaders == [f"{p}/Authors"]
        # readers_after_due: the paper's committees read it now
        assert root.get_note(note["id"]).readers == [
            C,
            f"{p}/Senior_Area_Chairs",
            f"{p}/Area_Chairs",
            f"{p}/Reviewers",
            f"{p}/Authors",
        ]
    no_process_errors(root, C)

    # a program chair assigns paper 1 as the chairs' tools do: members of its groups (anonymous ids appear)
    ada = user(sandbox, "ada@icdr.example", "Ada Chair")  # ~Ada_Chair1, a program chair in the file
    rita, rex = user(sandbox, "rita@icdr.example", "Rita Reviewer"), user(sandbox, "rex@icdr.example", "Rex Reviewer")
    carl, sam = user(sandbox, "carl@icdr.example", "Carl Chair"), user(sandbox, "sam@icdr.example", "Sam Senior")
    p1 = f"{C}/Submission1"
    ada.add_members_to_group(f"{p1}/Reviewers", [rita.profile.id, rex.profile.id])
    ada.add_members_to_group(f"{p1}/Area_Chairs", [carl.profile.id])
    ada.add_members_to_group(f"{p1}/Senior_Area_Chairs", [sam.profile.id])
    anonymous = {g.members[0]: g for g in root.get_groups(prefix=f"{p1}/Reviewer_")}
    assert set(anonymous) == {rita.profile.id, rex.profile.id}
    for group in anonymous.values():
        assert group.readers == [C, PCS, f"{p1}/Area_Chairs", group.id]  # the deanonymizers and itself
    (carl_anonymous,) = [g.id for g in root.get_groups(prefix=f"{p1}/Area_Chair_") if g.members == [carl.profile.id]]
    with pytest.raises(openreview.OpenReviewException, match="Forbidden"):
        login(sandbox, "ann@icdr.example").get_group(f"{p1}/Reviewers")  # authors never learn who reviews

    # the review stage opens (2027-10-24): a review form per paper
    set_clock(sandbox, now=ms("2027-10-25T00:00:00"))
    root = login(sandbox)
    for number in (1, 2):
        p = f"{C}/Submission{number}"
        form = root.get_invitation(f"{p}/-/Official_Review")
        assert form.invitees == [C, f"{p}/Reviewers"] and form.readers == [C, f"{p}/Reviewers"]
        assert form.duedate == ms("2027-11-21T11:59:00") and form.expdate == ms("2027-11-21T12:29:00")
        assert form.edit["note"]["readers"] == [
            PCS,
            f"{p}/Senior_Area_Chairs",
            f"{p}/Area_Chairs",
            f"{p}/Reviewers/Submitted",
            "${3/signatures}",
        ]
        assert form.edit["note"]["nonreaders"] == [f"{p}/Authors"]

    rita = login(sandbox, "rita@icdr.example")
    review = post_review(rita, anonymous[rita.profile.id].id, "Sound.")
    assert review["readers"] == [
        PCS,
        f"{p1}/Senior_Area_Chairs",
        f"{p1}/Area_Chairs",
        f"{p1}/Reviewers/Submitted",
        anonymous[rita.profile.id].id,
    ]
    for chair in ("carl@icdr.example", "sam@icdr.example", "ada@icdr.example"):
        assert review["id"] in seen(login(sandbox, chair), first["id"]), chair
    for outsider in ("ann@icdr.example", "rex@icdr.example"):  # authors; a reviewer who has not reviewed yet
        assert review["id"] not in seen(login(sandbox, outsider), first["id"]), outsider

    # the chairs give reviewers a week more: the venue's own process moves every paper's form
    moved = venue.read_text().replace("    due: 2027-11-20 23:59\n", "    due: 2027-11-27 23:59\n")
    assert moved != venue.read_text()
    venue.write_text(moved)
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap", "--at", "2027-10-25")
    set_clock(sandbox, advance=10_000)  # the super invitation's update process runs 5 s after the edit
    root = login(sandbox)
    for number in (1, 2):
        form = root.get_invitation(f"{C}/Submission{number}/-/Official_Review")
        assert (form.duedate, form.expdate) == (ms("2027-11-28T11:59:00"), ms("2027-11-28T12:29:00"))

    # past the first deadline the form is still open (the sandbox refuses an expired one), nothing released
    set_clock(sandbox, now=ms("2027-11-23T00:00:00"))
    venueops(sandbox, "plan", venue, "--at", "2027-11-23", "--detailed-exitcode")  # exit 0: nothing to change
    rex = login(sandbox, "rex@icdr.example")
    second_review = post_review(rex, anonymous[rex.profile.id].id, "Convincing.")
    assert review["id"] in seen(rex, first["id"])  # release_to_reviewers: submitted
    assert seen(login(sandbox, "ann@icdr.example"), first["id"]) == {first["id"]}

    # after the moved deadline, venueops applies the release (after_due): the authors read the reviews
    set_clock(sandbox, now=ms("2027-11-30T00:00:00"))
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap", "--at", "2027-11-30")
    set_clock(sandbox, advance=10_000)
    assert seen(login(sandbox, "ann@icdr.example"), first["id"]) == {first["id"], review["id"], second_review["id"]}
    assert seen(login(sandbox, "bob@icdr.example"), first["id"]) == set()  # another paper's author
    no_process_errors(login(sandbox), C)

    # the meta-review stage opens (2027-12-10): the paper's area chair writes it, for the chairs alone
    set_clock(sandbox, now=ms("2027-12-11T00:00:00"))
    assert login(sandbox).get_invitation(f"{p1}/-/Meta_Review").invitees == [C, f"{p1}/Area_Chairs"]
    carl = login(sandbox, "carl@icdr.example")
    meta = carl.post_note_edit(
        invitation=f"{p1}/-/Meta_Review",
        signatures=[carl_anonymous],
        note=Note(
            content={
                "metareview": {"value": "The reviewers agree."},
                "recommendation": {"value": "Accept (Poster)"},
                "confidence": {"value": 4},
            }
        ),
        await_process=True,
    )["note"]
    assert meta["readers"] == [f"{p1}/Senior_Area_Chairs", f"{p1}/Area_Chairs", PCS]
    assert meta["nonreaders"] == [f"{p1}/Authors"]
    assert meta["id"] in seen(login(sandbox, "sam@icdr.example"), first["id"])
    for outsider in ("ann@icdr.example", "rita@icdr.example"):
        assert meta["id"] not in seen(login(sandbox, outsider), first["id"]), outsider

    # the decision stage opens (2028-01-10): a program chair decides; the authors read it and are mailed
    set_clock(sandbox, now=ms("2028-01-11T00:00:00"))
    ada = login(sandbox, "ada@icdr.example")
    decision = ada.post_note_edit(
        invitation=f"{p1}/-/Decision",
        signatures=[PCS],
        note=Note(content={"decision": {"value": "Accept (Oral)"}, "comment": {"value": "Congratulations."}}),
        await_process=True,
    )["note"]
    assert decision["readers"] == [PCS, f"{p1}/Authors"]
    ann = login(sandbox, "ann@icdr.example")
    (read,) = [n for n in ann.get_notes(forum=first["id"]) if n.id == decision["id"]]
    assert read.content["decision"]["value"] == "Accept (Oral)"
    assert decision["id"] not in seen(login(sandbox, "rita@icdr.example"), first["id"])
    root = login(sandbox)
    assert root.get_group(f"{C}/Authors/Accepted").members == [f"{p1}/Authors"]
    assert any("Decision" in m["content"]["subject"] for m in root.get_messages(to="ann@icdr.example"))
    no_process_errors(root, C)


def post_review(reviewer: OpenReviewClient, signature: str, text: str) -> dict:
    """The reviewer's review of the conference's paper 1, signed with their anonymous group."""
    return reviewer.post_note_edit(
        invitation=f"{C}/Submission1/-/Official_Review",
        signatures=[signature],
        note=Note(
            content={
                "title": {"value": text},
                "review": {"value": text},
                "rating": {"value": 8},
                "confidence": {"value": 4},
            }
        ),
        await_process=True,
    )["note"]


# the embedded sandbox only: no server named, no credentials
SANDBOX_ONLY = {"OPENREVIEW_API_BASEURL_V2": None, "OPENREVIEW_USERNAME": None, "OPENREVIEW_PASSWORD": None,
                "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}


def test_advance_and_mail_work_on_the_sandbox_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    venue = a_year_ahead_copy("workshop.yaml", tmp_path)
    runner = CliRunner()
    env = SANDBOX_ONLY
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
    venue = a_year_ahead_copy("workshop.yaml", tmp_path)
    runner = CliRunner()
    env = SANDBOX_ONLY
    assert runner.invoke(cli, ["apply", str(venue), "--sandbox", "--auto-approve"], env=env).exit_code == 0
    before = runner.invoke(cli, ["plan", str(venue), "--sandbox", "--detailed-exitcode"], env=env)
    assert before.exit_code == 0, before.output
    assert runner.invoke(cli, ["sandbox", "advance", "--to", "2027-04-12"], env=env).exit_code == 0
    after = runner.invoke(cli, ["plan", str(venue), "--sandbox"], env=env)
    assert after.exit_code == 0 and "Official_Review" in after.stdout and "Authors" in after.stdout, after.output


def test_a_plan_counts_the_papers_its_fan_out_touches(life: tuple[Sandbox, Path]) -> None:
    """The side effects of moving the review deadline, with two papers submitted: the per-paper review
    invitations of each paper (counted from the live venue), the review script, and whom it e-mails."""
    sandbox, venue = life
    venueops(sandbox, "apply", venue, "--auto-approve", "--bootstrap")
    submit(user(sandbox, "ann@drw.example", "Ann Author"), "Paper One")
    submit(user(sandbox, "bob@drw.example", "Bob Author"), "Paper Two")
    text = venue.read_text()
    assert "due: 2027-04-10 23:59" in text
    venue.write_text(text.replace("due: 2027-04-10 23:59", "due: 2027-04-17 23:59", 1))
    plan = venueops(sandbox, "plan", venue)
    assert (f"  invitation {V}/-/Official_Review: its date process updates the per-paper Official_Review "
            "invitations of each submission (about 2 now, an estimate: withdrawn and desk-rejected papers are "
            "skipped); each reply runs review_process_script; each reply e-mails authors, reviewers, area chairs"
            ) in plan, plan
    data = json.loads(venueops(sandbox, "plan", venue, "--json"))
    (effect,) = [e for e in data["effects"] if e["id"] == f"{V}/-/Official_Review"]
    assert effect["fan_out"] == {"objects": "per-paper Official_Review invitations", "count": 2, "estimated": True}
