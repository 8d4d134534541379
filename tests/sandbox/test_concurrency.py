"""Concurrent clients: eight threads post into one venue at once and nothing is lost or mixed up.

Each thread has its own openreview-py clients: an author (a distinct registered user) who posts
25 submissions through the venue's submission invitation and reads each edit back at once, and a
super-user client that adds reviewers to ``<venue>/Reviewers`` through the venue's meta
invitation with ``{"add": [...]}`` change objects (every thread also adds one shared reviewer).
Afterwards the database must hold exactly what was posted: row counts (``/_sandbox/stats``) and
listings agree, note numbers are 1..N without gaps or duplicates, every edit reads back as it was
returned, every note equals what its edit produced, and every added member is in the group once.

The clients' automatic retries are switched off: openreview-py retries edit posts on 5xx, which
would hide a server fault (and, for a fault after the commit, post the edit twice).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import openreview
import pytest
import requests
from openreview.api import Group, Note
from requests.adapters import HTTPAdapter

from tests.sandbox.scenario import build_workshop

VENUE = "DRW.cc/2026/Workshop"
SUBMISSION = f"{VENUE}/-/Submission"
META = f"{VENUE}/-/Edit"
REVIEWERS = f"{VENUE}/Reviewers"
THREADS = 8
SUBMISSIONS_PER_THREAD = 25
ADDITIONS_PER_THREAD = 3
ADD_AFTER = (0, 8, 16)  # post a member addition after these submissions
SHARED_REVIEWER = "shared.reviewer@drw.example"
NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel")
TIMEOUT = 60


def without_retries(client: openreview.api.OpenReviewClient) -> openreview.api.OpenReviewClient:
    for prefix in list(client.session.adapters):
        client.session.mount(prefix, HTTPAdapter(max_retries=0))
    return client


def title(thread: int, index: int) -> str:
    return f"Paper {thread}-{index:02d}"


def reviewer(thread: int, index: int) -> str:
    return f"reviewer{thread}.{index}@drw.example"


class Worker(threading.Thread):
    """One client's session of posts; records what the server answered, and any failure."""

    def __init__(self, number: int, baseurl: str, author: openreview.api.OpenReviewClient,
                 chair: openreview.api.OpenReviewClient, start_line: threading.Barrier) -> None:
        super().__init__(name=f"client-{number}")
        self.number = number
        self.baseurl = baseurl
        self.author = author
        self.chair = chair
        self.start_line = start_line
        self.posted: list[dict[str, Any]] = []
        self.read_back: list[dict[str, Any]] = []
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self.start_line.wait(timeout=TIMEOUT)
            self._post_all()
        except BaseException as error:  # reported by the test thread
            self.failure = error

    def _post_all(self) -> None:
        profile_id = self.author.profile.id
        reads = requests.Session()
        reads.headers["Authorization"] = f"Bearer {self.author.token}"
        added = 0
        for index in range(SUBMISSIONS_PER_THREAD):
            edit = self.author.post_note_edit(
                invitation=SUBMISSION, signatures=[profile_id],
                note=Note(content={"title": {"value": title(self.number, index)},
                                   "authorids": {"value": [profile_id]}}),
            )
            self.posted.append(edit)
            response = reads.get(f"{self.baseurl}/notes/edits", params={"id": edit["id"]}, timeout=TIMEOUT)
            assert response.status_code == 200, response.text[:500]
            self.read_back.append(response.json())
            if index in ADD_AFTER:
                self._add_member(added)
                added += 1

    def _add_member(self, index: int) -> None:
        members = [reviewer(self.number, index), SHARED_REVIEWER]
        if index == ADDITIONS_PER_THREAD - 1:
            # openreview-py's own helper: a group edit through <domain>/-/Edit with {"add": [...]}.
            self.chair.add_members_to_group(REVIEWERS, members)
        else:
            self.chair.post_group_edit(invitation=META, signatures=[VENUE], readers=[VENUE], writers=[VENUE],
                                       group=Group(id=REVIEWERS, members={"add": members}))


@pytest.fixture
def workers(root, make_user, baseurl) -> list[Worker]:
    build_workshop(root, root, "pc@drw.example")
    start_line = threading.Barrier(THREADS)
    out = []
    for number, name in enumerate(NAMES[:THREADS]):
        author = without_retries(make_user(f"{name.lower()}@drw.example", f"Author {name}"))
        chair = without_retries(openreview.api.OpenReviewClient(baseurl=baseurl, token=root.token))
        out.append(Worker(number, baseurl, author, chair, start_line))
    return out


def get_json(baseurl: str, token: str, path: str, **params: Any) -> dict[str, Any]:
    response = requests.get(f"{baseurl}{path}", params=params, timeout=TIMEOUT,
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, f"GET {path} {params}: {response.status_code} {response.text[:500]}"
    return response.json()


def stats(baseurl: str) -> dict[str, int]:
    response = requests.get(f"{baseurl}/_sandbox/stats", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()


def served(baseurl: str) -> dict[str, int]:
    response = requests.get(f"{baseurl}/_sandbox/requests", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()["byRoute"]


def test_concurrent_submissions_and_member_additions(root, baseurl, workers):
    before = stats(baseurl)
    group_edits_before = get_json(baseurl, root.token, "/groups/edits", **{"group.id": REVIEWERS})["count"]
    assert before["notes"] == 0
    served_before = served(baseurl)

    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a client did not finish"
    failures = {worker.name: repr(worker.failure) for worker in workers if worker.failure is not None}
    assert not failures, failures
    assert time.monotonic() - started < 60

    total = THREADS * SUBMISSIONS_PER_THREAD
    additions = THREADS * ADDITIONS_PER_THREAD

    # One HTTP post per edit reached the server (no client retried anything).
    served_after = served(baseurl)
    for route, count in (("POST /notes/edits", total), ("POST /groups/edits", additions)):
        assert served_after.get(route, 0) - served_before.get(route, 0) == count, route

    # Row counts: exactly the posted notes and edits, no group created by a member addition.
    after = stats(baseurl)
    assert after["notes"] == total
    assert after["edits"] == before["edits"] + total + additions
    assert after["groups"] == before["groups"]
    assert after["invitations"] == before["invitations"]

    # Listings agree with the counts (raw, and through openreview-py's paging).
    listed = get_json(baseurl, root.token, "/notes", invitation=SUBMISSION, stream="true", trash="true")
    notes = {note["id"]: note for note in listed["notes"]}
    assert listed["count"] == len(listed["notes"]) == len(notes) == total
    assert {note.id for note in root.get_all_notes(invitation=SUBMISSION)} == set(notes)
    edits_listed = get_json(baseurl, root.token, "/notes/edits", invitation=SUBMISSION, stream="true", trash="true")
    edits = {edit["id"]: edit for edit in edits_listed["edits"]}
    assert edits_listed["count"] == len(edits) == total

    # Note numbers: 1..N, no gaps, no duplicates; each client's numbers rise in its posting order.
    assert sorted(note["number"] for note in notes.values()) == list(range(1, total + 1))
    for worker in workers:
        numbers = [edit["note"]["number"] for edit in worker.posted]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), (worker.name, numbers)

    # Every post is there once: titles, note ids and edit ids match what the clients were answered.
    titles = Counter(note["content"]["title"]["value"] for note in notes.values())
    assert titles == Counter(title(w.number, i) for w in workers for i in range(SUBMISSIONS_PER_THREAD))
    posted = [edit for worker in workers for edit in worker.posted]
    assert {edit["id"] for edit in posted} == set(edits)
    assert {edit["note"]["id"] for edit in posted} == set(notes)

    # Each edit read back (by its author, while the others were posting) equals the post's answer.
    for worker in workers:
        for edit, read in zip(worker.posted, worker.read_back, strict=True):
            assert read["count"] == 1 and read["edits"] == [edit], worker.name

    # Each note equals what its only edit produced.
    by_note = Counter(edit["note"]["id"] for edit in edits.values())
    assert set(by_note.values()) == {1}
    author_of = {edit["id"]: worker.author.profile.id for worker in workers for edit in worker.posted}
    for edit in edits.values():
        produced = edit["note"]
        note = notes[produced["id"]]
        for key in ("id", "number", "content", "readers", "writers", "signatures"):
            assert note[key] == produced[key], (key, note, produced)
        author = author_of[edit["id"]]
        assert edit["signatures"] == note["signatures"] == [author]
        assert note["content"]["authorids"]["value"] == [author]
        assert note["readers"] == [VENUE, f"{VENUE}/Submission{note['number']}/Authors"]
        assert note["invitations"] == [SUBMISSION]
        assert note["forum"] == note["id"]
        assert note["domain"] == VENUE
        assert note.get("ddate") is None

    # The reviewers group holds every added member exactly once, after one edit per addition.
    group = get_json(baseurl, root.token, "/groups", id=REVIEWERS)["groups"][0]
    expected = {reviewer(w.number, i) for w in workers for i in range(ADDITIONS_PER_THREAD)} | {SHARED_REVIEWER}
    assert sorted(group["members"]) == sorted(expected)
    assert len(group["members"]) == len(set(group["members"]))
    group_edits = get_json(baseurl, root.token, "/groups/edits", **{"group.id": REVIEWERS})
    assert group_edits["count"] == group_edits_before + additions
    for member in sorted(expected):
        containing = get_json(baseurl, root.token, "/groups", member=member, prefix=f"{VENUE}/")["groups"]
        assert [g["id"] for g in containing] == [REVIEWERS], member
