"""Benchmark a whole venue timeline on a sandbox that runs the venue's own processes.

    python benchmarks/venue_timeline.py [--submissions 1000] [--workers 4] [--clients 8] [--rate-edits 500]
                                        [--workdir DIR] [--json]

``examples/venues/conference.yaml``, every date moved a year ahead (as tests/plan/test_venue_life.py
does), lives its life on a sandbox started as its own process (``python -m venueops sandbox serve
--workers W``, SQLite file, processes on) with a frozen clock:

1. ``venueops apply --bootstrap`` (a subprocess, as a user runs it);
2. N submissions by a pool of synthetic authors (at most 10 each: the submission form asks for human
   verification past 15 an hour), posted from ``--clients`` threads; each runs the venue's submission
   process;
3. the clock moves past the abstract and full-paper deadlines: the venue's date processes make each
   paper's groups and forms (post-submission, full submission, deletion, withdrawal, desk rejection,
   the reviewers', area chairs' and senior area chairs' paper groups, message forms);
4. the program chair assigns 3 reviewers, an area chair and a senior area chair to every paper (group
   edits through ``V/-/Edit``, as a deployed assignment does; anonymous groups appear);
5. the review stage opens (per-paper review forms) and every assigned reviewer reviews (review
   processes: ``Reviewers/Submitted``, mail);
6. the review deadline passes (comment forms open), ``venueops apply --at`` releases the reviews to the
   authors (the venue's process updates every form and every review's readers);
7. the meta-review stage opens (with the rebuttal forms, one per review, on the way) and every area
   chair writes the meta review of their papers;
8. the decision stage opens and the program chair decides every paper (decision processes: mail to the
   authors, ``Authors/Accepted``);
9. the camera-ready stage opens for the accepted papers.

Each stage ends when the sandbox is idle (``POST /_sandbox/idle``). Printed per stage: wall time (split
into the client's posting and the wait for the processes it set off), edits stored (the client's and the
processes', from ``/_sandbox/stats``), processes run (rows added to the sandbox's ``process_logs`` table,
read from its SQLite file: ``GET /logs/process`` answers the newest 1000 only), processes/s, errors, and
where the CPU went (the server process, its script workers, this client with its venueops subprocesses,
and everything else on the machine, which makes every figure pessimistic). Peak memory: the server's own
process (VmHWM) and its largest script worker, both separate processes. What the timeline left behind is
counted through the API at the end (reviews, meta reviews, decisions, reviews the authors may read), and
a shortfall is an error. ``--workdir`` keeps the databases and the servers' logs.

Then, unless ``--rate-edits 0``: note edits/s through the conference's submission form, sequential, on a
fresh sandbox with ``--no-processes`` and on one with processes on (the POST rate, and the rate with
every submission's process run to completion).

Accounts (registration and activation hash a password) are made before the timeline and timed apart.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import os
import random
import re
import resource
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("TQDM_DISABLE", "1")  # openreview-py's get_all_* progress bars

import requests
from openreview.api import Group, Note, OpenReviewClient
from sandbox_bench import Latency, Server, machine

from venueops.sandbox.server import DEFAULT_ROOT_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "venues" / "conference.yaml"
V = "ICDR.cc/2027/Conference"
PCS = f"{V}/Program_Chairs"
PASSWORD = "Timeline-Pa55word!"
PDF = "/pdf/" + "b" * 40 + ".pdf"
PER_AUTHOR = 10  # submissions per synthetic author (the form's human-verification limit is 15 an hour)
REVIEWS_PER_REVIEWER = 30
PAPERS_PER_AC = 20
PAPERS_PER_SAC = 100
TARGET_S = 300.0
IDLE_TIMEOUT_S = 3600
Call = Callable[[OpenReviewClient], Any]  # one API call, made by whichever client runs it

# Moments on the sandbox clock (UTC), in the shifted conference's timeline (AoE deadlines are 11:59 UTC
# the next day; per-paper forms open 30 minutes after a deadline's expiry).
OPEN = "2027-09-10T00:00"  # submissions open (2027-09-01)
PAST_DEADLINE = "2027-10-03T00:00"  # abstract 09-24, full paper 10-01 23:59 AoE; paper groups 10-02 12:29
REVIEWS_OPEN = "2027-10-25T00:00"  # review stage 10-24
REVIEWS_DUE = "2027-11-22T00:00"  # review deadline 11-20 23:59 AoE; comments open 11-21
META_OPEN = "2027-12-11T00:00"  # rebuttals 12-01, meta reviews 12-10
DECISIONS_OPEN = "2028-01-11T00:00"  # decisions 2028-01-10
CAMERA_READY_OPEN = "2028-01-22T00:00"  # camera-ready 2028-01-21


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ms(moment: str) -> int:
    return int(dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC).timestamp() * 1000)


def a_year_ahead(text: str) -> str:
    """Every ``YYYY-MM-DD`` date of a venue file one year later (the example's deadlines have passed)."""
    return re.sub(r"\b(20\d\d)-(\d\d-\d\d)\b", lambda m: f"{int(m.group(1)) + 1}-{m.group(2)}", text)


# -- the server and what it spends --------------------------------------------------------------------
def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (the server's script workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int, *, with_waited_children: bool = False) -> float:
    """utime + stime of ``pid`` (and of its children it has waited for), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_waited_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        if found:
            return round(int(found.group(1)) / 1024, 1)
    return 0.0


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores, idle and iowait left out), from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuSample:
    server: float
    workers: float
    client: float
    machine: float

    @classmethod
    def now(cls, server_pid: int) -> CpuSample:
        """The server's own threads; its workers (alive, plus those it has reaped); this process and the
        venueops commands it ran; the whole machine."""
        own = cpu_seconds(server_pid)
        with_children = cpu_seconds(server_pid, with_waited_children=True)
        workers = (with_children - own) + sum(cpu_seconds(child) for child in children_of(server_pid))
        usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        return cls(own, workers, sum(u.ru_utime + u.ru_stime for u in usage), machine_busy_seconds())

    def minus(self, earlier: CpuSample) -> dict[str, float]:
        """Seconds of CPU each part used since ``earlier``; ``others``: the rest of the machine (a test run
        beside the benchmark makes every figure pessimistic)."""
        spent = {k: getattr(self, k) - getattr(earlier, k) for k in ("server", "workers", "client", "machine")}
        spent["others"] = max(0.0, spent.pop("machine") - spent["server"] - spent["workers"] - spent["client"])
        return {k: round(v, 1) for k, v in spent.items()}


class ProcessLog:
    """The sandbox's process log, counted in its own database (read-only, beside the running server)."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def counts(self) -> dict[str, int]:
        with contextlib.closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)) as conn:
            return dict(conn.execute("SELECT status, count(*) FROM process_logs GROUP BY status").fetchall())


# -- talking to the sandbox ---------------------------------------------------------------------------------
class Sandbox:
    """The control plane and the accounts of one running sandbox."""

    def __init__(self, baseurl: str) -> None:
        self.baseurl = baseurl
        self.http = requests.Session()

    def idle(self) -> None:
        answer = self.http.post(
            f"{self.baseurl}/_sandbox/idle", json={"timeout": IDLE_TIMEOUT_S}, timeout=IDLE_TIMEOUT_S + 60
        )
        answer.raise_for_status()
        if not answer.json()["idle"]:
            raise SystemExit(f"the sandbox was not idle after {IDLE_TIMEOUT_S} s")

    def clock_to(self, moment: str) -> None:
        """Move the frozen clock; the sandbox fires every date process on the way, each at its moment."""
        self.http.put(
            f"{self.baseurl}/_sandbox/clock", json={"now": ms(moment)}, timeout=IDLE_TIMEOUT_S
        ).raise_for_status()

    def advance(self, milliseconds: int) -> None:
        self.http.put(
            f"{self.baseurl}/_sandbox/clock", json={"advance": milliseconds}, timeout=IDLE_TIMEOUT_S
        ).raise_for_status()

    def stats(self) -> dict[str, int]:
        """Row counts per table (``GET /_sandbox/stats``)."""
        answer = self.http.get(f"{self.baseurl}/_sandbox/stats", timeout=60)
        answer.raise_for_status()
        return dict(answer.json())

    def root(self) -> OpenReviewClient:
        return OpenReviewClient(baseurl=self.baseurl, username="openreview.net", password=DEFAULT_ROOT_PASSWORD)

    def login(self, email: str) -> OpenReviewClient:
        return OpenReviewClient(baseurl=self.baseurl, username=email, password=PASSWORD)

    def register(self, email: str, fullname: str) -> str:
        """Register and activate an account as openreview-py's test helpers do; its tilde id."""
        guest = OpenReviewClient(baseurl=self.baseurl)
        registered = guest.register_user(email=email, fullname=fullname, password=PASSWORD)
        guest.activate_user(
            email,
            {
                "names": [{"fullname": fullname, "username": registered["id"], "preferred": True}],
                "emails": [email],
                "preferredEmail": email,
            },
        )
        return str(registered["id"])

    def venueops(self, *args: str, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENREVIEW_")}
        env |= {
            "OPENREVIEW_API_BASEURL_V2": self.baseurl,
            "OPENREVIEW_USERNAME": "openreview.net",
            "OPENREVIEW_PASSWORD": DEFAULT_ROOT_PASSWORD,
            "NO_COLOR": "1",
        }
        done = subprocess.run(
            [sys.executable, "-m", "venueops", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=IDLE_TIMEOUT_S,
        )
        if done.returncode != 0:
            raise SystemExit(
                f"venueops {shlex.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )


def letters(index: int) -> str:
    """0 → a, 25 → z, 26 → ba: letters only, so every synthetic name gets a tilde id of its own."""
    out = ""
    while True:
        out = chr(97 + index % 26) + out
        index //= 26
        if not index:
            return out


@dataclass
class Person:
    email: str
    id: str


def people(sandbox: Sandbox, kind: str, count: int, clients: int) -> list[Person]:
    """``count`` registered accounts named ``<Kind> Person<letters>``."""
    emails = [f"{kind.lower()}{i}@timeline.example" for i in range(count)]
    with ThreadPoolExecutor(clients) as pool:
        ids = list(pool.map(lambda i: sandbox.register(emails[i], f"{kind} Person{letters(i)}"), range(count)))
    return [Person(e, i) for e, i in zip(emails, ids, strict=True)]


def per_person(clients: int, work: dict[str, list[Call]], login: Callable[[str], OpenReviewClient]) -> list[Any]:
    """Each person (by e-mail) logs in and does their calls in order; people work side by side on
    ``clients`` threads (a client is never shared between threads)."""

    def one(email: str) -> list[Any]:
        client = login(email)
        return [call(client) for call in work[email]]

    with ThreadPoolExecutor(clients) as pool:
        return [result for results in pool.map(one, list(work)) for result in results]


# -- the timeline ---------------------------------------------------------------------------------
@dataclass
class Stage:
    name: str
    seconds: float
    posting_s: float  # the client's own calls (logins included)
    waiting_s: float  # until the sandbox was idle (processes, date processes)
    posted: int  # API calls the client made to the venue (edits and logins)
    edits: int  # edits stored (the client's and the processes')
    processes: int
    errors: int
    cpu: dict[str, float]
    note: str = ""

    @property
    def processes_per_s(self) -> float:
        return self.processes / self.seconds if self.seconds else 0.0


@dataclass
class Timeline:
    sandbox: Sandbox
    server_pid: int
    process_log: ProcessLog
    workdir: Path
    clients: int
    stages: list[Stage] = field(default_factory=list)

    def stage(self, name: str, act: Callable[[], tuple[int, str]]) -> None:
        """Run ``act`` (it returns how many calls it made and a note), wait until idle, record the stage."""
        before_logs, before_cpu = self.process_log.counts(), CpuSample.now(self.server_pid)
        before_edits = self.sandbox.stats()["edits"]
        started = time.perf_counter()
        posted, note = act()
        acted = time.perf_counter()
        self.sandbox.idle()
        ended = time.perf_counter()
        after = self.process_log.counts()
        processes = sum(after.values()) - sum(before_logs.values())
        errors = after.get("error", 0) - before_logs.get("error", 0)
        cpu = CpuSample.now(self.server_pid).minus(before_cpu)
        edits = self.sandbox.stats()["edits"] - before_edits
        stage = Stage(
            name,
            round(ended - started, 2),
            round(acted - started, 2),
            round(ended - acted, 2),
            posted,
            edits,
            processes,
            errors,
            cpu,
            note,
        )
        self.stages.append(stage)
        log(
            f"{name}: {stage.seconds:.1f} s ({stage.posting_s:.1f} posting, {stage.waiting_s:.1f} waiting), "
            f"{edits} edits, {processes} processes, {errors} errors, cpu {stage.cpu}"
        )
        if errors:
            for entry in self.sandbox.root().get_process_logs(status="error")[:3]:
                log(f"  error in {entry['id']} ({entry['invitation']}): {entry['log'][-600:]}")


@dataclass
class Cast:
    pc: Person
    authors: list[Person]
    reviewers: list[Person]
    acs: list[Person]
    sacs: list[Person]


def make_cast(sandbox: Sandbox, submissions: int, reviews: int, clients: int) -> Cast:
    pc_id = sandbox.register("ada@timeline.example", "Ada Chair")
    if pc_id != "~Ada_Chair1":  # the conference names ~Ada_Chair1 among its program chairs
        raise SystemExit(f"the program chair was registered as {pc_id}")
    count = lambda per: max(1, -(-submissions // per))  # noqa: E731 - ceiling division
    return Cast(
        Person("ada@timeline.example", pc_id),
        people(sandbox, "Author", count(PER_AUTHOR), clients),
        people(sandbox, "Reviewer", max(reviews, count(REVIEWS_PER_REVIEWER) * reviews), clients),
        people(sandbox, "Chair", count(PAPERS_PER_AC), clients),
        people(sandbox, "Senior", count(PAPERS_PER_SAC), clients),
    )


def submission_content(number: int, author: Person, rng: random.Random) -> dict[str, Any]:
    areas = ["Machine Learning", "Optimization", "Theory", "Applications"]
    return {
        "title": {"value": f"Declarative review, part {number}"},
        "abstract": {"value": f"We study part {number} of declarative review. " * 8},
        "authors": {"value": [author.id.lstrip("~").rstrip("0123456789").replace("_", " ")]},
        "authorids": {"value": [author.id]},
        "keywords": {"value": ["review", "infrastructure"]},
        "pdf": {"value": PDF},
        "subject_areas": {"value": rng.sample(areas, 2)},
    }


def paper_numbers(root: OpenReviewClient) -> dict[int, str]:
    return {n.number: n.id for n in root.get_all_notes(invitation=f"{V}/-/Submission")}


def anonymous_ids(root: OpenReviewClient, kind: str) -> dict[tuple[int, str], str]:
    """(paper number, member) → that member's anonymous group on the paper."""
    prefix = re.escape(V) + f"/Submission[0-9]+/{kind}"
    out: dict[tuple[int, str], str] = {}
    for group in root.get_all_groups(prefix=prefix):
        found = re.match(re.escape(V) + r"/Submission(\d+)/", group.id)
        if found and group.members:
            out[(int(found.group(1)), group.members[0])] = group.id
    return out


def note_edit(invitation: str, signature: str, content: dict[str, Any]) -> Call:
    """A note edit through ``invitation`` signed ``signature``, posted by whichever client runs it."""
    return functools.partial(_post_note, invitation=invitation, signature=signature, content=content)


def _post_note(client: OpenReviewClient, *, invitation: str, signature: str, content: dict[str, Any]) -> Any:
    return client.post_note_edit(invitation=invitation, signatures=[signature], note=Note(content=content))


def members_edit(group: str, members: list[str]) -> Call:
    """Members added to a group through the venue's meta invitation, signed by the venue."""
    return functools.partial(_post_members, group=group, members=members)


def _post_members(client: OpenReviewClient, *, group: str, members: list[str]) -> Any:
    return client.post_group_edit(
        invitation=f"{V}/-/Edit",
        signatures=[V],
        readers=[V],
        writers=[V],
        group=Group(id=group, members={"add": members}),
        flush_members_cache=False,
    )


def run_timeline(timeline: Timeline, venue: Path, cast: Cast, submissions: int, reviews: int, seed: int) -> None:
    """The stages, in the venue's order; each ends when the sandbox is idle."""
    sandbox, clients = timeline.sandbox, timeline.clients
    rng = random.Random(seed)

    def apply() -> tuple[int, str]:
        sandbox.venueops("apply", str(venue), "--auto-approve", "--bootstrap", cwd=timeline.workdir)
        return 1, "venueops apply --bootstrap (45 objects)"

    timeline.stage("apply", apply)

    def submit() -> tuple[int, str]:
        work: dict[str, list[Call]] = {}
        for number in range(1, submissions + 1):
            author = cast.authors[(number - 1) // PER_AUTHOR]
            content = submission_content(number, author, rng)
            work.setdefault(author.email, []).append(note_edit(f"{V}/-/Submission", author.id, content))
        per_person(clients, work, sandbox.login)
        return submissions + len(work), f"{len(work)} authors, {PER_AUTHOR} each, {clients} client threads"

    timeline.stage("submissions", submit)

    def deadline() -> tuple[int, str]:
        sandbox.clock_to(PAST_DEADLINE)
        return 1, "PUT /_sandbox/clock: abstract and full-paper deadlines pass; post-submission fan-out"

    timeline.stage("past the deadline", deadline)
    numbers = sorted(paper_numbers(sandbox.root()))
    if numbers != list(range(1, submissions + 1)):
        raise SystemExit(f"expected papers 1..{submissions}, found {len(numbers)}")
    reviewers_of = {
        n: [cast.reviewers[((n - 1) * reviews + k) % len(cast.reviewers)] for k in range(reviews)] for n in numbers
    }
    ac_of = {n: cast.acs[(n - 1) // PAPERS_PER_AC] for n in numbers}
    sac_of = {n: cast.sacs[(n - 1) // PAPERS_PER_SAC] for n in numbers}

    def assign() -> tuple[int, str]:
        calls = []
        for n in numbers:
            paper = f"{V}/Submission{n}"
            calls += [
                members_edit(f"{paper}/Reviewers", [p.id for p in reviewers_of[n]]),
                members_edit(f"{paper}/Area_Chairs", [ac_of[n].id]),
                members_edit(f"{paper}/Senior_Area_Chairs", [sac_of[n].id]),
            ]
        spread(sandbox, clients, calls, cast.pc.email)
        return len(calls) + 1, "the program chair adds each paper's reviewers, AC and SAC (V/-/Edit)"

    timeline.stage("assignments", assign)

    def open_reviews() -> tuple[int, str]:
        sandbox.clock_to(REVIEWS_OPEN)
        return 1, "review stage opens: per-paper review forms"

    timeline.stage("review stage opens", open_reviews)
    anon_reviewer = anonymous_ids(sandbox.root(), "Reviewer_")

    def review() -> tuple[int, str]:
        work: dict[str, list[Call]] = {}
        for n in numbers:
            for person in reviewers_of[n]:
                content = {
                    "title": {"value": f"Review of paper {n}"},
                    "review": {"value": "The paper is clear; the evaluation could be broader. " * 20},
                    "rating": {"value": rng.choice([3, 5, 6, 8])},
                    "confidence": {"value": rng.choice([3, 4])},
                }
                work.setdefault(person.email, []).append(
                    note_edit(f"{V}/Submission{n}/-/Official_Review", anon_reviewer[(n, person.id)], content)
                )
        per_person(clients, work, sandbox.login)
        return len(numbers) * reviews + len(work), f"{reviews} per paper by {len(work)} reviewers"

    timeline.stage("reviews", review)

    def release() -> tuple[int, str]:
        sandbox.clock_to(REVIEWS_DUE)
        sandbox.venueops(
            "apply", str(venue), "--auto-approve", "--bootstrap", "--at", REVIEWS_DUE[:10], cwd=timeline.workdir
        )
        sandbox.advance(10_000)  # the changed super invitation's process runs 5 s after the edit
        return 2, "review deadline passes (comment forms); venueops apply --at releases the reviews to authors"

    timeline.stage("reviews released", release)

    def open_meta() -> tuple[int, str]:
        sandbox.clock_to(META_OPEN)
        return 1, "rebuttal forms (one per review), then the meta-review stage opens"

    timeline.stage("meta-review stage opens", open_meta)
    anon_ac = anonymous_ids(sandbox.root(), "Area_Chair_")

    def meta_review() -> tuple[int, str]:
        work: dict[str, list[Call]] = {}
        for n in numbers:
            content = {
                "metareview": {"value": "The reviewers agree on the main points. " * 10},
                "recommendation": {"value": rng.choice(["Accept (Oral)", "Accept (Poster)", "Reject"])},
                "confidence": {"value": 4},
            }
            work.setdefault(ac_of[n].email, []).append(
                note_edit(f"{V}/Submission{n}/-/Meta_Review", anon_ac[(n, ac_of[n].id)], content)
            )
        per_person(clients, work, sandbox.login)
        return len(numbers) + len(work), f"by {len(work)} area chairs"

    timeline.stage("meta reviews", meta_review)

    def open_decisions() -> tuple[int, str]:
        sandbox.clock_to(DECISIONS_OPEN)
        return 1, "decision stage opens: per-paper decision forms"

    timeline.stage("decision stage opens", open_decisions)

    def decide() -> tuple[int, str]:
        options = ["Accept (Oral)", "Accept (Spotlight)", "Accept (Poster)", "Reject", "Reject"]
        calls = [
            note_edit(f"{V}/Submission{n}/-/Decision", PCS, {"decision": {"value": rng.choice(options)}})
            for n in numbers
        ]
        spread(sandbox, clients, calls, cast.pc.email)
        return len(calls) + 1, "the program chair decides every paper"

    timeline.stage("decisions", decide)

    def camera_ready() -> tuple[int, str]:
        sandbox.clock_to(CAMERA_READY_OPEN)
        return 1, "camera-ready forms for the accepted papers"

    timeline.stage("camera-ready stage opens", camera_ready)


def spread(sandbox: Sandbox, clients: int, calls: list[Call], email: str) -> None:
    """One person's independent calls over ``clients`` threads: one login (one session, as a chair's script
    has), a client per thread over its token."""
    token = sandbox.login(email).token
    chunks = [calls[i::clients] for i in range(clients)]

    def one(chunk: list[Call]) -> None:
        client = OpenReviewClient(baseurl=sandbox.baseurl, token=token)
        for call in chunk:
            call(client)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, chunks))


def check_outcome(sandbox: Sandbox, submissions: int, reviews: int) -> dict[str, Any]:
    """What the timeline left behind, counted through the API: a stage that silently did nothing shows."""
    root = sandbox.root()
    replies: dict[str, int] = {}
    released = 0
    for note in root.get_all_notes(invitation=f"{V}/-/Submission", details="replies"):
        for reply in note.details["replies"]:
            name = reply["invitations"][0].rsplit("/-/", 1)[1]
            replies[name] = replies.get(name, 0) + 1
            released += name == "Official_Review" and f"{V}/Submission{note.number}/Authors" in reply["readers"]
    expected = {"Official_Review": submissions * reviews, "Meta_Review": submissions, "Decision": submissions}
    outcome: dict[str, Any] = {
        "replies": replies,
        "reviews_readable_by_authors": released,
        "accepted_authors": len(root.get_group(f"{V}/Authors/Accepted").members or []),
        "rows": sandbox.stats(),
    }
    wrong = {k: (replies.get(k, 0), v) for k, v in expected.items() if replies.get(k, 0) != v}
    if released != submissions * reviews:
        wrong["reviews released to authors"] = (released, submissions * reviews)
    if wrong:
        raise SystemExit(f"the timeline did not leave what it should (found, expected): {wrong}")
    return outcome


# -- running it ---------------------------------------------------------------------------------------
def start(server: Server) -> Sandbox:
    """Wait out OpenReview's support setup (health answers 503 meanwhile); freeze the clock at ``OPEN``."""
    sandbox = Sandbox(server.baseurl)
    deadline = time.monotonic() + 300
    while sandbox.http.get(f"{server.baseurl}/_sandbox/health", timeout=30).status_code != 200:
        if time.monotonic() > deadline:
            raise SystemExit("the sandbox did not finish its support setup in 300 s")
        time.sleep(0.2)
    sandbox.clock_to(OPEN)
    sandbox.idle()
    return sandbox


def edit_rate(workdir: Path, venue: Path, *, processes: bool, edits: int, workers: int, clients: int) -> dict[str, Any]:
    """Sequential submissions through the conference's form, round robin over a pool of authors."""
    name = "on" if processes else "off"
    serve = ("--workers", str(workers)) if processes else ("--no-processes",)
    with Server(workdir / f"rate-{name}.db", "subprocess", workdir / f"server-rate-{name}.log", serve) as server:
        sandbox = start(server)
        sandbox.venueops("apply", str(venue), "--auto-approve", "--bootstrap", cwd=workdir)
        sandbox.idle()
        authors = people(sandbox, "Author", -(-edits // PER_AUTHOR), clients)
        logged = [sandbox.login(a.email) for a in authors]
        process_log = ProcessLog(workdir / f"rate-{name}.db")
        logs_before = sum(process_log.counts().values())
        rng = random.Random(7)
        seconds: list[float] = []
        started = time.perf_counter()
        for index in range(edits):
            author, client = authors[index % len(authors)], logged[index % len(authors)]
            note = Note(content=submission_content(index + 1, author, rng))
            begun = time.perf_counter()
            client.post_note_edit(invitation=f"{V}/-/Submission", signatures=[author.id], note=note)
            seconds.append(time.perf_counter() - begun)
        posted = time.perf_counter() - started
        sandbox.idle()
        done = time.perf_counter() - started
        processes_run = sum(process_log.counts().values()) - logs_before
    result = {
        "processes": name,
        "edits": edits,
        "per_s": round(edits / posted, 1),
        **asdict(Latency.of(seconds)),
        "with_processes_done_per_s": round(edits / done, 1),
        "processes_run": processes_run,
    }
    log(
        f"note edits, processes {name}: {result['per_s']}/s posted, {result['with_processes_done_per_s']}/s with "
        "their processes done"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--reviews", type=int, default=3, help="reviews per paper")
    parser.add_argument("--workers", type=int, default=4, help="the sandbox's script workers (serve --workers)")
    parser.add_argument("--clients", type=int, default=8, help="client threads posting at once")
    parser.add_argument(
        "--rate-edits",
        type=int,
        default=500,
        help="sequential submissions for the processes off/on edit rate (0: skip it)",
    )
    parser.add_argument("--skip-timeline", action="store_true", help="only the edit rates")
    parser.add_argument("--workdir", type=Path, help="keep the databases, server logs and venue file here")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    args = parser.parse_args()

    result: dict[str, Any] = {
        "command": shlex.join(["python", *sys.argv]),
        "machine": machine(),
        "submissions": args.submissions,
        "reviews_per_paper": args.reviews,
        "workers": args.workers,
        "clients": args.clients,
    }
    with contextlib.ExitStack() as stack:
        if args.workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="venue-timeline-")))
        else:
            workdir = args.workdir
            workdir.mkdir(parents=True, exist_ok=True)
            if any(workdir.glob("*.db")):
                parser.error(f"{workdir} already holds databases; give an empty --workdir")
        venue = workdir / "conference.yaml"
        venue.write_text(a_year_ahead(EXAMPLE.read_text()))
        if not args.skip_timeline:
            db = workdir / "timeline.db"
            serve = ("--workers", str(args.workers))
            with Server(db, "subprocess", workdir / "server.log", serve) as server:
                assert server.pid is not None
                sandbox = start(server)
                log(f"sandbox pid {server.pid} at {server.baseurl}, {args.workers} script workers")
                started = time.perf_counter()
                cast = make_cast(sandbox, args.submissions, args.reviews, args.clients)
                accounts_s = time.perf_counter() - started
                log(f"accounts: {accounts_s:.1f} s")
                timeline = Timeline(sandbox, server.pid, ProcessLog(db), workdir, args.clients)
                run_timeline(timeline, venue, cast, args.submissions, args.reviews, args.seed)
                total = sum(s.seconds for s in timeline.stages)
                processes = sum(s.processes for s in timeline.stages)
                workers = children_of(server.pid)
                result["timeline"] = {
                    "accounts": {
                        "s": round(accounts_s, 1),
                        "count": 1 + len(cast.authors) + len(cast.reviewers) + len(cast.acs) + len(cast.sacs),
                    },
                    "stages": [{**asdict(s), "processes_per_s": round(s.processes_per_s, 1)} for s in timeline.stages],
                    "total_s": round(total, 1),
                    "processes": processes,
                    "processes_per_s": round(processes / total, 1),
                    "errors": sum(s.errors for s in timeline.stages),
                    "server_peak_rss_mb": server.peak_rss_mb(),
                    "worker_peak_rss_mb": max((peak_rss_mb(w) for w in workers), default=0.0),
                    "workers_alive": len(workers),
                    "outcome": check_outcome(sandbox, args.submissions, args.reviews),
                }
        if args.rate_edits:
            result["edit_rate"] = [
                edit_rate(
                    workdir, venue, processes=on, edits=args.rate_edits, workers=args.workers, clients=args.clients
                )
                for on in (False, True)
            ]
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


def print_report(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"command: {result['command']}")
    print(
        f"machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}, SQLite {m['sqlite']}, "
        f"openreview-py {m['openreview_py']}"
    )
    print(
        f"sandbox: separate process (venueops sandbox serve --workers {result['workers']}, SQLite file), "
        f"{result['clients']} client threads"
    )
    timeline = result.get("timeline")
    if timeline:
        print(f"\n== {result['submissions']} submissions, {result['reviews_per_paper']} reviews per paper ==")
        accounts = timeline["accounts"]
        print(f"accounts (before the timeline, not counted): {accounts['count']} in {accounts['s']} s")
        print(
            f"  {'stage':26} {'wall s':>7} {'post s':>7} {'wait s':>7} {'calls':>6} {'edits':>6} {'procs':>6} "
            f"{'procs/s':>7} {'err':>4}   cpu s: {'server':>6} {'workers':>7} {'client':>6} {'others':>6}"
        )
        for s in timeline["stages"]:
            cpu = s["cpu"]
            print(
                f"  {s['name']:26} {s['seconds']:7.1f} {s['posting_s']:7.1f} {s['waiting_s']:7.1f} {s['posted']:6d} "
                f"{s['edits']:6d} {s['processes']:6d} {s['processes_per_s']:7.1f} {s['errors']:4d}          "
                f"{cpu['server']:6.1f} {cpu['workers']:7.1f} {cpu['client']:6.1f} {cpu['others']:6.1f}"
            )
        met = "met" if timeline["total_s"] <= TARGET_S else "MISSED"
        print(
            f"  total {timeline['total_s']} s (target {TARGET_S:.0f} s: {met}); {timeline['processes']} processes, "
            f"{timeline['processes_per_s']}/s; {timeline['errors']} errors"
        )
        print(
            f"  peak RSS: sandbox server process {timeline['server_peak_rss_mb']} MB; largest of its "
            f"{timeline['workers_alive']} script workers {timeline['worker_peak_rss_mb']} MB"
        )
        outcome = timeline["outcome"]
        print(
            f"  left behind: {outcome['replies']}, {outcome['reviews_readable_by_authors']} reviews readable by "
            f"their authors, {outcome['accepted_authors']} papers' authors in Authors/Accepted"
        )
        print(f"  rows: {outcome['rows']}")
    for rate in result.get("edit_rate", []):
        print(
            f"\nnote edits (sequential, conference submission form), processes {rate['processes']}: "
            f"{rate['per_s']}/s (p50 {rate['p50']} ms, p99 {rate['p99']} ms); with every process done "
            f"{rate['with_processes_done_per_s']}/s ({rate['processes_run']} processes)"
        )


if __name__ == "__main__":
    main()
