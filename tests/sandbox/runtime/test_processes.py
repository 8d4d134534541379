"""The sandbox runs invitations' code: preprocess, process and date processes, over HTTP, with openreview-py.

One sandbox with processes on (its own, not the session's), reset before each test; the clock is frozen
where a test moves it.
"""

from __future__ import annotations

from collections.abc import Iterator

import openreview
import pytest
import requests
from openreview.api import Invitation, Note

from venueops.sandbox import Sandbox
from venueops.sandbox.runtime.pool import Limits
from venueops.sandbox.runtime.runtime import RuntimeSettings

PASSWORD = "a-runtime-test-password"
V = "Proc.cc"
DAY = 86_400_000
T0 = 1_800_000_000_000


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    settings = RuntimeSettings(enabled=True, workers=2, preprocess_workers=1, limits=Limits(seconds=3))
    with Sandbox(root_password=PASSWORD, processes=settings) as sandbox:
        yield sandbox


ROOT = ["~Super_User1"]
LOOP = "def process(client, edit, invitation):\n    while True:\n        pass\n"
PRINT_DATE = "def process(client, invitation):\n    print(date_index, invitation.duedate)\n"


def venue_group(client: openreview.api.OpenReviewClient) -> None:
    client.post_group_edit(invitation="openreview.net/-/Edit", signatures=ROOT, group=openreview.api.Group(
        id=V, readers=["everyone"], writers=[V], signatures=ROOT, signatories=[V], members=ROOT))


@pytest.fixture
def root(server: Sandbox) -> openreview.api.OpenReviewClient:
    requests.post(f"{server.baseurl}/_sandbox/reset", timeout=30).raise_for_status()
    idle(server)  # OpenReview's support setup runs again after a reset
    client = openreview.api.OpenReviewClient(baseurl=server.baseurl, username="openreview.net", password=PASSWORD)
    venue_group(client)
    return client


def save_invitation(client: openreview.api.OpenReviewClient, **fields) -> None:
    client.post_invitation_edit(invitations=None, signatures=ROOT, readers=[V], writers=[V],
                                invitation=Invitation(signatures=ROOT, **fields))


def login(server: Sandbox) -> openreview.api.OpenReviewClient:
    """A fresh session: sessions end on the sandbox clock, so one from before a clock move has expired."""
    return openreview.api.OpenReviewClient(baseurl=server.baseurl, username="openreview.net", password=PASSWORD)


def clock(server: Sandbox, **body: int | bool) -> int:
    answer = requests.put(f"{server.baseurl}/_sandbox/clock", json=body, timeout=600)
    answer.raise_for_status()
    return int(answer.json()["now"])


def idle(server: Sandbox) -> None:
    assert requests.post(f"{server.baseurl}/_sandbox/idle", json={"timeout": 60}, timeout=90).json()["idle"]


def note_invitation(root: openreview.api.OpenReviewClient, **scripts: str) -> str:
    invitation_id = f"{V}/-/Note"
    root.post_invitation_edit(invitations=None, signatures=["~Super_User1"], readers=[V], writers=[V],
                              invitation=Invitation(id=invitation_id, readers=["everyone"], writers=[V],
                                                    signatures=["~Super_User1"], invitees=[V], edit={
                                                        "signatures": [V], "readers": [V], "writers": [V],
                                                        "note": {"readers": ["everyone"], "writers": [V],
                                                                 "signatures": [V], "content": {"title": {
                                                                     "value": {"param": {"type": "string"}}}}}},
                                                    **scripts))
    return invitation_id


def post_note(root: openreview.api.OpenReviewClient, invitation: str, title: str, **extra) -> dict:
    return root.post_note_edit(invitation=invitation, signatures=[V], note=Note(content={"title": {"value": title}}),
                               **extra)


def test_a_preprocess_refusal_returns_its_message_and_stores_nothing(server: Sandbox, root) -> None:
    invitation = note_invitation(root, preprocess=(
        "def process(client, edit, invitation):\n"
        "    if edit.note.content['title']['value'] == 'bad':\n"
        "        raise openreview.OpenReviewException('Titles may not be bad')\n"))
    before = requests.get(f"{server.baseurl}/_sandbox/stats", timeout=10).json()
    with pytest.raises(openreview.OpenReviewException, match="Titles may not be bad"):
        post_note(root, invitation, "bad")
    assert requests.get(f"{server.baseurl}/_sandbox/stats", timeout=10).json() == before
    assert root.get_notes(invitation=invitation) == []
    post_note(root, invitation, "good")
    assert [n.content["title"]["value"] for n in root.get_notes(invitation=invitation)] == ["good"]


def test_a_process_runs_after_the_edit_and_is_logged(server: Sandbox, root) -> None:
    invitation = note_invitation(root, process=(
        "def process(client, edit, invitation):\n"
        "    note = client.get_note(edit.note.id)\n"
        "    print('processing', note.content['title']['value'])\n"
        "    client.post_group_edit(invitation='openreview.net/-/Edit', signatures=['~Super_User1'],\n"
        "        group=openreview.api.Group(id='Proc.cc/Seen', readers=['everyone'],\n"
        "        writers=['~Super_User1'], signatures=['~Super_User1'], signatories=['~Super_User1']))\n"))
    edit = post_note(root, invitation, "hello", await_process=True)
    (log,) = root.get_process_logs(id=edit["id"])
    assert log["status"] == "ok" and log["log"] == "processing hello\n"
    assert log["invitation"] == invitation and log["processIndex"] == 0 and log["edate"] >= log["sdate"]
    assert root.get_group(f"{V}/Seen").id == f"{V}/Seen"


def test_a_failing_process_is_an_error_with_its_traceback_and_the_server_goes_on(server: Sandbox, root) -> None:
    invitation = note_invitation(root, process="def process(client, edit, invitation):\n    1 / 0\n")
    with pytest.raises(openreview.OpenReviewException, match="ZeroDivisionError"):
        post_note(root, invitation, "x", await_process=True)  # openreview-py raises the failed log
    (log,) = root.get_process_logs(invitation=invitation, status="error")
    assert "Traceback" in log["log"] and "ZeroDivisionError: division by zero" in log["log"]
    assert root.get_group("everyone").id == "everyone"


def test_an_endless_process_is_stopped_at_the_time_limit(server: Sandbox, root) -> None:
    invitation = note_invitation(root, process=LOOP)
    edit = post_note(root, invitation, "loop")
    idle(server)
    (log,) = root.get_process_logs(id=edit["id"])
    assert log["status"] == "error" and "longer than the time limit (3 s)" in log["log"]
    assert 2_900 <= log["edate"] - log["sdate"] < 10_000


def date_invitation(root: openreview.api.OpenReviewClient, duedate: int) -> str:
    invitation_id = f"{V}/-/Reviews"
    dates = ["#{4/duedate}", "#{4/duedate} + 86400000"]
    save_invitation(root, id=invitation_id, readers=["everyone"], writers=[V], invitees=[V], duedate=duedate,
                    date_processes=[{"dates": dates, "script": PRINT_DATE}],
                    edit={"signatures": [V], "readers": [V], "writers": [V],
                          "note": {"readers": ["everyone"], "writers": [V], "signatures": [V], "content": {}}})
    return invitation_id


def test_date_processes_fire_once_each_at_their_moment_under_time_travel(server: Sandbox, root) -> None:
    clock(server, now=T0)
    invitation = date_invitation(login(server), T0 + 3 * DAY)
    idle(server)
    assert login(server).get_process_logs(invitation=invitation) == []
    clock(server, advance=10 * DAY)
    logs = sorted(login(server).get_process_logs(invitation=invitation), key=lambda log: log["id"])
    assert [(log["id"], log["status"], log["log"]) for log in logs] == [
        (f"{invitation}-0-0", "ok", f"0 {T0 + 3 * DAY}\n"), (f"{invitation}-0-1", "ok", f"1 {T0 + 3 * DAY}\n")]
    assert [log["sdate"] for log in logs] == [T0 + 3 * DAY, T0 + 4 * DAY]  # each at its own moment
    clock(server, advance=10 * DAY)
    assert len(login(server).get_process_logs(invitation=invitation)) == 2  # never twice for one date


def test_a_moved_duedate_reschedules_its_date_process(server: Sandbox, root) -> None:
    clock(server, now=T0)
    client = login(server)
    invitation = date_invitation(client, T0 + 3 * DAY)
    save_invitation(client, id=invitation, duedate=T0 + 20 * DAY)
    clock(server, advance=10 * DAY)
    assert login(server).get_process_logs(invitation=invitation) == []
    clock(server, advance=20 * DAY)
    assert sorted(log["sdate"] for log in login(server).get_process_logs(invitation=invitation)) == [
        T0 + 20 * DAY, T0 + 21 * DAY]


def test_a_new_database_gets_openreviews_support_setup(server: Sandbox, root) -> None:
    """Made by openreview-py's own setup code, run by the sandbox as a script: the venue request workflow."""
    workflow = root.get_invitation("openreview.net/Support/Venue_Request/-/Conference_Review_Workflow")
    assert workflow.id.endswith("Conference_Review_Workflow")
    assert root.get_invitations(prefix="openreview.net/Template/-/")
    (log,) = root.get_process_logs(id="openreview.net/Support/-/Setup")
    assert log["status"] == "ok" and "Workflows: set up" in log["log"]
    assert requests.get(f"{server.baseurl}/_sandbox/health", timeout=10).json()["status"] == "ok"


def test_with_processes_off_nothing_runs() -> None:
    with Sandbox(root_password=PASSWORD) as sandbox:
        client = openreview.api.OpenReviewClient(baseurl=sandbox.baseurl, username="openreview.net",
                                                 password=PASSWORD)
        venue_group(client)
        invitation = note_invitation(client, process="def process(client, edit, invitation):\n    1 / 0\n")
        edit = post_note(client, invitation, "x", await_process=True)  # no log: returns at once
        assert client.get_process_logs(id=edit["id"]) == []
        assert client.get_jobs_status()["pythonProcessQueueMQStatus"]["waiting"] == 0


def test_messages_a_process_sends_are_read_back_by_recipient_and_subject(server: Sandbox, root) -> None:
    root.post_group_edit(invitation="openreview.net/-/Edit", signatures=ROOT, group=openreview.api.Group(
        id=f"{V}/Authors", readers=["everyone"], writers=[V], signatures=ROOT, signatories=[V],
        members=["ann@mail.example", "~Super_User1", "ann@mail.example"]))
    invitation = note_invitation(root, process=(
        "def process(client, edit, invitation):\n"
        "    note = client.get_note(edit.note.id)\n"
        "    client.post_message('Received: ' + note.content['title']['value'], ['Proc.cc/Authors'],\n"
        "                        'Dear {{fullname}}, thanks.', replyTo='chairs@proc.example')\n"))
    post_note(root, invitation, "Paper 1", await_process=True)
    post_note(root, invitation, "Paper 2", await_process=True)
    mine = root.get_messages(to="ann@mail.example")
    assert [m["content"]["subject"] for m in mine] == ["Received: Paper 2", "Received: Paper 1"]  # newest first
    assert mine[0]["content"]["text"] == "Dear ann@mail.example, thanks."
    assert mine[0]["content"]["replyTo"] == "chairs@proc.example"
    (to_root,) = root.get_messages(to="~Super_User1", subject="Received: Paper 1")
    assert to_root["content"]["text"] == "Dear Super User, thanks." and to_root["status"] == "delivered"
    assert root.get_messages(subject="Received: Paper") == []  # the whole subject, not a prefix


def edge_invitation(root: openreview.api.OpenReviewClient, **scripts: str) -> str:
    invitation_id = f"{V}/-/Affinity"
    root.post_invitation_edit(invitations=None, signatures=ROOT, readers=[V], writers=[V], invitation=Invitation(
        id=invitation_id, readers=["everyone"], writers=[V], signatures=ROOT, invitees=[V], edge={
            "readers": [V], "writers": [V], "signatures": [V],
            "head": {"param": {"type": "group"}}, "tail": {"param": {"type": "profile"}},
            "label": {"param": {"regex": ".+", "optional": True}}, "weight": {"param": {"minimum": 0}}},
        **scripts))
    return invitation_id


def test_edges_run_their_invitations_preprocess_and_process(server: Sandbox, root) -> None:
    """Edge forms: ``process(client, edge, invitation)`` and ``process_update(…, existing_edge)``."""
    invitation = edge_invitation(root, preprocess=(
        "def process(client, edge, invitation):\n"
        "    if edge.label == 'Conflict':\n"
        "        raise openreview.OpenReviewException('Conflicts are not affinities')\n"), process=(
        "def process_update(client, edge, invitation, existing_edge):\n"
        "    print('edge', edge.label, edge.weight, 'was', existing_edge.weight if existing_edge else None)\n"))

    def edge(label: str, weight: float, edge_id: str | None = None) -> openreview.api.Edge:
        return openreview.api.Edge(id=edge_id, invitation=invitation, head=V, tail="~Super_User1", label=label,
                                   weight=weight, readers=[V], writers=[V], signatures=[V])

    with pytest.raises(openreview.OpenReviewException, match="Conflicts are not affinities"):
        root.post_edge(edge("Conflict", 1))
    assert root.get_edges(invitation=invitation) == []
    posted = root.post_edge(edge("High", 0.5))
    idle(server)
    root.post_edge(edge("High", 0.9, posted.id))
    idle(server)
    logs = sorted(log["log"] for log in root.get_process_logs(invitation=invitation))
    assert logs == ["edge High 0.5 was None\n", "edge High 0.9 was 0.5\n"]
    assert all(log["status"] == "ok" for log in root.get_process_logs(id=posted.id))


def test_javascript_scripts_are_not_run_and_say_so(server: Sandbox, root) -> None:
    """A JavaScript ``process`` is logged as an error that says it was not run; a JavaScript
    preprocess lets the edit through (the sandbox has no JavaScript engine for OpenReview's JS client)."""
    invitation = note_invitation(
        root, preprocess="async function process(client, edit, invitation) {\n  throw new Error('no');\n}\n",
        process="// a web-era script\nasync function process(client, edit, invitation) {\n  return;\n}\n")
    edit = post_note(root, invitation, "javascript")
    idle(server)
    (log,) = root.get_process_logs(id=edit["id"])
    assert log["status"] == "error"
    assert log["log"].startswith("JavaScript process functions are not run by the sandbox")
    assert [n.content["title"]["value"] for n in root.get_notes(invitation=invitation)] == ["javascript"]
