"""A venue deployed through OpenReview's workflow-based venue request
(``openreview.net/Support/Venue_Request/-/Conference_Review_Workflow``), on a sandbox running the support
setup and every process, as openreview-py's own tests deploy one (``tests/test_abstract_deadline.py``):
a program chair posts the request, support posts the deployment, the deployment process builds the venue
from ``openreview.net/Template`` invitations.

The stages are recognized (submission, bidding, review, rebuttal, decision, comments, camera ready), with
``post_submission: false`` (a workflow venue has ``/-/Submission_Change_Before_Bidding`` and
``/-/Submission_Change_Before_Reviewing`` where the builder makes ``/-/Post_Submission``); the
template-made configuration invitations (``/-/Submission/Dates``, ``/-/Official_Review_Release``, …) are
carried raw. The file plans with no object change. One live object is left out, and named: the
recruitment-response invitation, whose invitees name ``Reviewers/Invited``, a group recruitment creates
later (venueops' checks refuse a reader that does not exist).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import openreview
import pytest
import requests
import yaml
from click.testing import CliRunner

from tests.conftest import PASSWORD
from tests.plan.conftest import credentials
from venueops.cli import cli
from venueops.sandbox import Sandbox
from venueops.sandbox.runtime.runtime import RuntimeSettings

V = "EMAS.cc/2026/Workshop"
REQUEST = "openreview.net/Support/Venue_Request/-/Conference_Review_Workflow"
DEPLOYMENT = "openreview.net/Support/Venue_Request/Conference_Review_Workflow/-/Deployment"
DAY = 86_400_000
# the date processes the deployment sets (5 s after each save, on the real clock), as the peer test awaits them
AWAITED = ("/-/Withdrawal-0-1", "/-/Desk_Rejection-0-1", "/Reviewers/-/Submission_Group-0-1",
           "/-/Submission_Change_Before_Bidding-0-1")


def wait_for(server: Sandbox, root: openreview.api.OpenReviewClient, job_ids: tuple[str, ...]) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        requests.post(f"{server.baseurl}/_sandbox/idle", json={"timeout": 60}, timeout=120).raise_for_status()
        if all(root.get_process_logs(id=V + job) for job in job_ids):
            return
        time.sleep(1)
    raise AssertionError(f"the deployment's date processes did not all run: {job_ids}")


@pytest.fixture(scope="module")
def workflow_venue() -> Iterator[Sandbox]:
    with Sandbox(processes=RuntimeSettings(enabled=True, workers=2, preprocess_workers=1)) as server:
        requests.post(f"{server.baseurl}/_sandbox/idle", json={"timeout": 120}, timeout=180).raise_for_status()
        root = openreview.api.OpenReviewClient(baseurl=server.baseurl, username="openreview.net",
                                               password=server.root_password)
        guest = openreview.api.OpenReviewClient(baseurl=server.baseurl)
        registered = guest.register_user(email="pc@emas.example", fullname="Pat Emas", password=PASSWORD)
        guest.activate_user("pc@emas.example", {"names": [{"fullname": "Pat Emas", "username": registered["id"],
                                                           "preferred": True}],
                                                "emails": ["pc@emas.example"], "preferredEmail": "pc@emas.example"})
        chair = openreview.api.OpenReviewClient(baseurl=server.baseurl, username="pc@emas.example", password=PASSWORD)
        agreement = root.get_invitation(REQUEST).edit["note"]["content"]["venue_organizer_agreement"]
        now = int(time.time() * 1000)
        request = chair.post_note_edit(invitation=REQUEST, signatures=[registered["id"]], note=openreview.api.Note(
            content={
                "official_venue_name": {"value": "Workshop on Engineering Multi-Agent Systems"},
                "abbreviated_venue_name": {"value": "EMAS 2026"},
                "venue_website_url": {"value": "https://emas.example"},
                "location": {"value": "Paphos, Cyprus"},
                "venue_start_date": {"value": now + 200 * DAY},
                "program_chair_emails": {"value": ["pc@emas.example"]},
                "contact_email": {"value": "chairs@emas.example"},
                "submission_start_date": {"value": now + 10 * DAY},
                "submission_deadline": {"value": now + 40 * DAY},
                "expected_submissions": {"value": 20},
                "venue_organizer_agreement": {"value": [item["value"] for item in
                                                        agreement["value"]["param"]["items"]]},
            }))
        requests.post(f"{server.baseurl}/_sandbox/idle", json={"timeout": 120}, timeout=180).raise_for_status()
        root.post_note_edit(invitation=DEPLOYMENT, signatures=["openreview.net/Support"], note=openreview.api.Note(
            id=request["note"]["id"], content={"venue_id": {"value": V}}))
        wait_for(server, root, AWAITED)
        yield server


def export(server: Sandbox, out: Path, *extra: str) -> object:
    return CliRunner().invoke(cli, ["export", V, "-o", str(out), *extra],
                              env=credentials(server.baseurl, password=server.root_password), catch_exceptions=False)


def test_a_workflow_venue_exports_and_plans_with_no_object_change(workflow_venue: Sandbox, tmp_path: Path) -> None:
    run = export(workflow_venue, tmp_path / "venue.yaml")
    assert run.exit_code == 0, run.output
    assert "Differs:" not in run.stderr
    assert [line.split(" (")[0] for line in run.stderr.splitlines() if line.startswith("Left out: ")] == \
        [f"Left out: invitation {V}/Reviewers/-/Recruitment_Response"], run.stderr
    text = (tmp_path / "venue.yaml").read_text()
    spec = yaml.safe_load(text)
    assert set(spec["stages"]) == {"submission", "bidding", "review", "rebuttal", "decision", "comments",
                                   "camera_ready"}
    assert spec["stages"]["submission"]["post_submission"] is False
    raw = {entry["id"] for entry in spec["invitations"]}
    assert {f"{V}/-/Submission/Dates", f"{V}/-/Official_Review_Release", f"{V}/-/Submission_Change_Before_Bidding"} \
        <= raw
    assert f"#   invitation {V}/Reviewers/-/Recruitment_Response (" in text
    assert "secret" not in text
    env = credentials(workflow_venue.baseurl, password=workflow_venue.root_password)
    assert CliRunner().invoke(cli, ["validate", str(tmp_path / "venue.yaml")], env=env).exit_code == 0
    plan = CliRunner().invoke(cli, ["plan", str(tmp_path / "venue.yaml")], env=env)
    assert "Plan: no object changes; apply records venueops' inventory in the venue group." in plan.stdout, \
        plan.stdout[-3000:]
