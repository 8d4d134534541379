"""Benchmark the venueops sandbox through openreview-py over loopback.

    python benchmarks/sandbox_bench.py [--scale workshop|mid|neurips] [--db PATH] [--json]

Two sandboxes are started, each a separate process (``python -m venueops sandbox serve --port 0``)
unless ``--server in-process``:

1. an empty-ish venue (fresh database): sequential note edits through the submission invitation
   (as an author), group edits through the venue meta invitation and invitation edits through the
   stage super invitations (as a program chair), then GET-by-id latencies and a 1000-note list;
2. a venue of the chosen scale, loaded through ``/_sandbox/batch`` (kept and reused with ``--db``),
   then the same reads.

Figures are wall-clock times seen by openreview-py (client overhead included). The venue's shapes
and data live in ``sandbox_venue.py``; what the client chooses is seeded (``--seed``). A database
given with ``--db`` that already holds the venue (a completion marker group records scale, seed
and loader version) is reused without loading. The report says how much CPU other processes took
meanwhile: on a small machine a concurrent test run makes every figure pessimistic.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.metadata
import json
import os
import platform
import random
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("TQDM_DISABLE", "1")  # openreview-py's get_all_* progress bars

import openreview
import requests
from openreview.api import Group, Invitation, Note, OpenReviewClient
from sandbox_venue import (
    PASSWORD,
    SCALES,
    Corpus,
    Json,
    Paper,
    Scale,
    Text,
    Venue,
    chunked,
    comment_content,
    committee,
    committee_group,
    letters,
    meta_group_edit,
    meta_review_content,
    note_edit,
    paper_group_edits,
    plan_papers,
    review_content,
    stage_edit,
    stage_shapes,
    submission_invitation,
    submission_note,
    submitted_group_edit,
    super_invitation,
)

from venueops.sandbox.server import DEFAULT_ROOT_PASSWORD

LOADER_VERSION = 2  # bump when what is loaded changes (a reused --db must match)
SUPER_USER = "openreview.net"
TARGETS = {"note_edits_per_s": 300.0, "load_s": 300.0, "loaded_get_p50_ms": 5.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- statistics --------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Latency:
    """Milliseconds: p50, p99, mean and max over ``n`` calls."""

    n: int
    p50: float
    p99: float
    mean: float
    max: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        ms = [s * 1000 for s in seconds]
        return cls(len(ms), round(percentile(ms, 0.5), 2), round(percentile(ms, 0.99), 2),
                   round(sum(ms) / len(ms), 2), round(max(ms), 2))


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def repeat(calls: Iterable[Callable[[], Any]], warmup: int = 0) -> Latency:
    seconds: list[float] = []
    for index, call in enumerate(calls):
        elapsed, _ = timed(call)
        if index >= warmup:
            seconds.append(elapsed)
    return Latency.of(seconds)


# -- CPU taken by other processes (a busy machine skews every figure) -------------------------------
class CpuMeter:
    """Core-seconds used by the whole machine and by our processes between start and stop (Linux)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.tick = os.sysconf("SC_CLK_TCK")
        self._start = self._sample()
        self._wall = time.perf_counter()

    def _sample(self) -> tuple[int, int]:
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        except OSError:
            return 0, 0
        busy = sum(fields) - fields[3] - fields[4]  # minus idle and iowait
        ours = 0
        for pid in self.pids:
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ours += int(stat[11]) + int(stat[12])  # utime + stime
        return busy, ours

    def stop(self) -> dict[str, float]:
        busy, ours = (b - a for a, b in zip(self._start, self._sample(), strict=True))
        wall = time.perf_counter() - self._wall
        return {"wall_s": round(wall, 1), "ours_cores": round(ours / self.tick / wall, 2),
                "others_cores": round(max(0, busy - ours) / self.tick / wall, 2)}


# -- the server --------------------------------------------------------------------------------
class Server:
    """A sandbox on a free loopback port: a child process (default) or a thread of this process.

    ``serve_args`` go to ``venueops sandbox serve`` (``--no-processes``, ``--workers 4``, ...)."""

    def __init__(self, db: Path | None, mode: str, log_path: Path, serve_args: tuple[str, ...] = ()) -> None:
        self.db = db
        self.mode = mode
        self.log_path = log_path
        self.serve_args = serve_args
        self.baseurl = ""
        self.pid: int | None = None
        self._process: subprocess.Popen[str] | None = None
        self._sandbox: Any = None

    def __enter__(self) -> Server:
        if self.mode == "in-process":
            from venueops.sandbox import Sandbox

            self._sandbox = Sandbox(db=self.db, root_password=DEFAULT_ROOT_PASSWORD).start()
            self.baseurl = self._sandbox.baseurl
            self.pid = os.getpid()
            return self
        command = [sys.executable, "-m", "venueops", "sandbox", "serve", "--host", "127.0.0.1", "--port", "0"]
        command += ["--memory"] if self.db is None else ["--db", str(self.db)]
        command += self.serve_args
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "VENUEOPS_SANDBOX_ROOT_PASSWORD": DEFAULT_ROOT_PASSWORD}
        stderr = self.log_path.open("a")
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        self.pid = self._process.pid
        assert self._process.stdout is not None
        for line in self._process.stdout:
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                self.baseurl = found.group(1)
                break
        if not self.baseurl:
            self._process.wait(timeout=10)
            raise RuntimeError(f"the sandbox did not start; see {self.log_path}")
        return self

    def peak_rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return round(int(found.group(1)) / 1024, 1) if found else None

    def __exit__(self, *exc: object) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def root_client(baseurl: str) -> OpenReviewClient:
    return OpenReviewClient(baseurl=baseurl, username=SUPER_USER, password=DEFAULT_ROOT_PASSWORD)


def register(baseurl: str, email: str, fullname: str) -> str:
    """Register and activate an account as openreview-py's test helpers do; return its tilde id."""
    client = OpenReviewClient(baseurl=baseurl)
    registered = client.register_user(email=email, fullname=fullname, password=PASSWORD)
    client.activate_user(email, {"names": [{"fullname": fullname, "username": registered["id"], "preferred": True}],
                                 "emails": [email], "preferredEmail": email})
    return str(registered["id"])


def login(baseurl: str, email: str) -> OpenReviewClient:
    return OpenReviewClient(baseurl=baseurl, username=email, password=PASSWORD)


def person_name(index: int) -> str:
    """``Ada Authorb`` style names (letters only, so tilde ids are ``~Ada_Authorb1``)."""
    first = ("Ada", "Ben", "Cleo", "Dan", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kai", "Lena")
    return f"{first[index % len(first)]} Author{letters(index)}"


# -- the venue-level objects, through openreview-py ---------------------------------------------
def build_venue(root: OpenReviewClient, pc: OpenReviewClient, venue: Venue, pc_id: str, scale: Scale) -> None:
    """What openreview-py's venue builder posts before submissions open (as in tests/sandbox/scenario.py)."""
    v = venue.id
    root.post_invitation_edit(
        invitations=None, readers=[v], writers=[v], signatures=["~Super_User1"],
        invitation=Invitation(id=venue.meta_invitation, invitees=[v], readers=[v], signatures=["~Super_User1"],
                              edit=True))
    parts = v.split("/")
    for index in range(1, len(parts) + 1):
        group_id = "/".join(parts[:index])
        root.post_group_edit(
            invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
            signatures=["~Super_User1"],
            group=Group(id=group_id, readers=["everyone"], nonreaders=[], writers=[group_id],
                        signatories=[group_id], signatures=["~Super_User1"], members=[]))

    def meta(client: OpenReviewClient, group: Json) -> None:
        client.post_group_edit(invitation=venue.meta_invitation, readers=[v], writers=[v], signatures=[v],
                               group=Group.from_json(group), flush_members_cache=False)

    meta(root, {**committee_group(venue, venue.pcs, [pc_id]), "signatories": [venue.pcs, v]})
    root.add_members_to_group(v, venue.pcs)
    reviewers, acs, sacs = committee(scale)
    meta(pc, committee_group(venue, venue.reviewers, reviewers))
    if venue.has_acs:
        meta(pc, committee_group(venue, venue.acs, acs))
    if venue.has_sacs:
        meta(pc, committee_group(venue, venue.sacs, sacs))
    meta(pc, committee_group(venue, venue.authors, []))
    invitations = [submission_invitation(venue)] + [super_invitation(venue, s) for s in stage_shapes(venue)]
    for invitation in invitations:
        pc.post_invitation_edit(invitations=venue.meta_invitation, readers=[v], writers=[v], signatures=[v],
                                invitation=Invitation.from_json(invitation))


# -- bulk loading through /_sandbox/batch -------------------------------------------------------
class BatchError(RuntimeError):
    pass


@dataclass
class Phase:
    name: str
    edits: int = 0
    batches: int = 0
    seconds: float = 0.0
    server_seconds: float = 0.0
    note: str = ""

    @property
    def rate(self) -> float:
        return self.edits / self.seconds if self.seconds else 0.0


class Loader:
    """Posts edits in chunks; one batch in flight while the next one is built and encoded."""

    def __init__(self, baseurl: str, chunk: int, max_bytes: int) -> None:
        self.url = f"{baseurl}/_sandbox/batch"
        self.chunk = chunk
        self.max_bytes = max_bytes
        self.session = requests.Session()
        self.phases: list[Phase] = []

    def _send(self, body: bytes) -> tuple[float, requests.Response]:
        return timed(lambda: self.session.post(self.url, data=body, headers={"content-type": "application/json"},
                                               timeout=3600))

    def run(self, name: str, edits: Iterable[Json], note: str = "") -> list[Json]:
        """Post ``edits``; return what the server answered for each (``edit``, ``id``, ``number``)."""
        phase = Phase(name, note=note)
        started = time.perf_counter()
        results: list[Json] = []
        pending: tuple[Future[tuple[float, requests.Response]], list[Json]] | None = None
        with ThreadPoolExecutor(max_workers=1) as pool:
            for batch in self._batches(edits):
                body = json.dumps({"edits": batch}, separators=(",", ":")).encode()
                if pending is not None:
                    results.extend(self._collect(phase, *pending))
                pending = (pool.submit(self._send, body), batch)
            if pending is not None:
                results.extend(self._collect(phase, *pending))
        phase.seconds = time.perf_counter() - started
        self.phases.append(phase)
        log(f"{name}: {phase.edits} edits in {phase.seconds:.1f} s ({phase.rate:.0f}/s)")
        return results

    def _batches(self, edits: Iterable[Json]) -> Iterator[list[Json]]:
        batch: list[Json] = []
        size = 0
        for edit in edits:
            length = len(json.dumps(edit, separators=(",", ":")))
            if batch and (len(batch) >= self.chunk or size + length > self.max_bytes):
                yield batch
                batch, size = [], 0
            batch.append(edit)
            size += length
        if batch:
            yield batch

    def _collect(self, phase: Phase, future: Future[tuple[float, requests.Response]], batch: list[Json]) -> list[Json]:
        elapsed, response = future.result()
        if response.status_code != 200:
            raise BatchError(self._explain(response, batch))
        phase.edits += len(batch)
        phase.batches += 1
        phase.server_seconds += elapsed
        return list(response.json()["ids"])

    def _explain(self, response: requests.Response, batch: list[Json]) -> str:
        """The batch was rolled back: post its edits one by one to name the one refused."""
        for index, item in enumerate(batch):
            single = self.session.post(self.url, json={"edits": [item]}, timeout=600)
            if single.status_code != 200:
                shown = json.dumps(item)
                shown = shown if len(shown) < 4000 else shown[:4000] + "…"
                return (f"the sandbox refused edit {index} of a batch with HTTP {single.status_code}: "
                        f"{single.text}\nedit: {shown}")
        return f"batch refused with HTTP {response.status_code}: {response.text[:2000]} (each edit alone passed)"


def marker_id(venue: Venue) -> str:
    return f"{venue.id}/Benchmark_Loaded"


def marker_member(scale: Scale, seed: int) -> str:
    return f"bench-{scale.name}-seed{seed}-v{LOADER_VERSION}@bench.example"


def load_state(root: OpenReviewClient, venue: Venue, scale: Scale, seed: int) -> str:
    """``loaded``, ``empty``, or raise if the database holds something else."""
    try:
        marker = root.get_group(marker_id(venue))
    except openreview.OpenReviewException:
        marker = None
    if marker is not None:
        if marker_member(scale, seed) in (marker.members or []):
            return "loaded"
        raise SystemExit(f"the database holds a venue loaded with {marker.members}; use another --db")
    try:
        root.get_group(venue.id)
    except openreview.OpenReviewException:
        return "empty"
    raise SystemExit("the database holds a partly loaded venue (no completion marker); use a fresh --db")


def load_venue(baseurl: str, venue: Venue, scale: Scale, seed: int, chunk: int, max_bytes: int) -> dict[str, Any]:
    """Load a venue of ``scale``; return the phases with their timings."""
    loader = Loader(baseurl, chunk, max_bytes)
    root = root_client(baseurl)
    corpus = Corpus(seed)
    started = time.perf_counter()

    # Accounts: a program chair and a pool of authors (registration hashes a password: slow, serial).
    elapsed, pool = timed(lambda: [register(baseurl, f"author{i}@bench.example", person_name(i))
                                   for i in range(scale.profiles)])
    register(baseurl, "pc@bench.example", "Program Chair")
    accounts = Phase("accounts (register+activate, API)", edits=scale.profiles + 1, seconds=elapsed,
                     note="not venue objects; excluded from the load target")
    log(f"accounts: {accounts.edits} in {elapsed:.1f} s")
    pc_id = "~Program_Chair1"
    pc = login(baseurl, "pc@bench.example")

    venue_started = time.perf_counter()
    elapsed, _ = timed(lambda: build_venue(root, pc, venue, pc_id, scale))
    setup = Phase("venue setup (openreview-py, sequential)", edits=0, seconds=elapsed,
                  note="meta invitation, committee groups, submission + 9 stage super invitations")
    log(f"venue setup: {elapsed:.1f} s")
    papers = plan_papers(scale, seed, pool)

    # Submissions, signed by their first author (the super user may sign as anyone).
    rng = random.Random(f"{seed}:submissions")
    text = Text(corpus, rng)
    answers = loader.run("submissions", (
        note_edit(venue.submission_invitation, p.authorids[0],
                  {"content": submission_note(venue, p, text, rng)}) for p in papers))
    submissions = {int(a["number"]): str(a["id"]) for a in answers}
    if sorted(submissions) != [p.number for p in papers]:
        raise RuntimeError("the submissions were not numbered 1..n in posting order")

    # Per-paper groups (assignments deployed: anonymous groups appear), then the venue Authors group.
    def groups() -> Iterator[Json]:
        for paper in papers:
            yield from paper_group_edits(venue, paper)
        for batch in chunked([{"id": f"{venue.paper(p.number)}/Authors"} for p in papers], 2000):
            yield meta_group_edit(venue, {"id": venue.authors,
                                          "members": {"add": [g["id"] for g in batch]}})

    loader.run("paper groups", groups(), note="5 per paper + V/Authors members; anonymous groups server-side")

    # Per-paper invitations: one edit per stage and paper through the stage's super invitation.
    stages = [s.name for s in stage_shapes(venue)]
    loader.run("paper invitations", (stage_edit(venue, stage, p.number, submissions[p.number])
                                     for stage in stages for p in papers),
               note=f"{len(stages)} per paper through super invitations")

    # The anonymous ids the server chose, as a reviewer would look them up.
    fetch_started = time.perf_counter()
    anon_reviewer = anonymous_ids(root, venue, "Reviewer_")
    anon_ac = anonymous_ids(root, venue, "Area_Chair_") if venue.has_acs else {}
    fetch = Phase("anonymous ids (get_all_groups)", seconds=time.perf_counter() - fetch_started,
                  note=f"{len(anon_reviewer) + len(anon_ac)} groups read back")
    log(f"anonymous ids: {fetch.note} in {fetch.seconds:.1f} s")

    # Reviews: every assigned reviewer submits; Reviewers/Submitted lists them.
    rng = random.Random(f"{seed}:reviews")
    text = Text(corpus, rng)

    review_of: list[int | None] = []  # the paper of each edit posted (None: a group edit)

    def reviews() -> Iterator[Json]:
        for paper in papers:
            signers = [anon_reviewer[(paper.number, r)] for r in paper.reviewers]
            review_of.append(None)
            yield submitted_group_edit(venue, paper.number, signers)
            for signer in signers:
                review_of.append(paper.number)
                yield note_edit(venue.stage("Official_Review", paper.number), signer,
                                {"content": review_content(text, rng)})

    answers = loader.run("reviews", reviews(), note="+ one Reviewers/Submitted group per paper")
    replies: dict[int, list[str]] = defaultdict(list)  # notes of each paper that comments may answer
    for number, answer in zip(review_of, answers, strict=True):
        if number is not None:
            replies[number].append(str(answer["id"]))

    if venue.has_acs:
        rng = random.Random(f"{seed}:meta_reviews")
        text = Text(corpus, rng)
        with_meta = [p for p in papers if p.meta_review]
        answers = loader.run("meta reviews", (
            note_edit(venue.stage("Meta_Review", p.number), anon_ac[(p.number, p.area_chair)],
                      {"content": meta_review_content(text, rng)}) for p in with_meta))
        for paper, answer in zip(with_meta, answers, strict=True):
            replies[paper.number].append(str(answer["id"]))

    # Comments in three waves, so later comments can answer earlier ones.
    rng = random.Random(f"{seed}:comments")
    text = Text(corpus, rng)
    by_number = {p.number: p for p in papers}
    targets = [rng.randrange(1, scale.submissions + 1) for _ in range(scale.comments)]
    first, second = int(scale.comments * 0.5), int(scale.comments * 0.8)
    comment_ids: dict[int, list[str]] = defaultdict(list)
    for wave, (low, high) in enumerate(((0, first), (first, second), (second, scale.comments)), start=1):
        wave_targets = targets[low:high]
        answers = loader.run(f"comments (wave {wave})", (
            comment_edit(venue, by_number[n], submissions[n], replies[n], comment_ids[n], anon_reviewer,
                         anon_ac, text, rng) for n in wave_targets))
        for number, answer in zip(wave_targets, answers, strict=True):
            comment_ids[number].append(str(answer["id"]))

    loader.run("completion marker", [meta_group_edit(venue, {
        "id": marker_id(venue), "readers": [venue.id], "writers": [venue.id], "signatures": [venue.id],
        "signatories": [venue.id], "members": [marker_member(scale, seed)]})])
    total = time.perf_counter() - venue_started
    phases = [accounts, setup, *loader.phases[:3], fetch, *loader.phases[3:]]
    return {
        "phases": [{**asdict(p), "rate": round(p.rate, 1)} for p in phases],
        "venue_load_s": round(total, 1),
        "with_accounts_s": round(time.perf_counter() - started, 1),
        "batch_edits": sum(p.edits for p in loader.phases),
        "batch_server_s": round(sum(p.server_seconds for p in loader.phases), 1),
    }


def anonymous_ids(root: OpenReviewClient, venue: Venue, kind: str) -> dict[tuple[int, str], str]:
    """(paper number, member) → anonymous group id, from one streamed ``get_all_groups``."""
    prefix = re.escape(venue.id) + f"/Submission[0-9]+/{kind}"
    out: dict[tuple[int, str], str] = {}
    for group in root.get_all_groups(prefix=prefix):
        found = re.match(re.escape(venue.id) + r"/Submission(\d+)/", group.id)
        if found and group.members:
            out[(int(found.group(1)), group.members[0])] = group.id
    return out


def comment_edit(venue: Venue, paper: Paper, forum: str, replies: list[str], earlier: list[str],
                 anon_reviewer: dict[tuple[int, str], str], anon_ac: dict[tuple[int, str], str], text: Text,
                 rng: random.Random) -> Json:
    """A comment in a paper's discussion: who signs it decides who may read it."""
    n = paper.number
    p = venue.paper(n)
    chairs = venue.chairs(n)
    roll = rng.random()
    if roll < 0.55:
        signer = anon_reviewer[(n, rng.choice(paper.reviewers))]
    elif roll < 0.75 and venue.has_acs:
        signer = anon_ac[(n, paper.area_chair)]
    elif roll < 0.95:
        signer = f"{p}/Authors"
    elif roll < 0.98 and venue.has_sacs:
        signer = f"{p}/Senior_Area_Chairs"
    else:
        signer = venue.pcs
    audiences = [[*chairs, f"{p}/Reviewers", f"{p}/Authors"], [*chairs, f"{p}/Reviewers/Submitted"], chairs,
                 [*chairs, f"{p}/Authors"]]
    readers = rng.choice(audiences[:1] + audiences[3:] if signer.endswith("/Authors") else audiences)
    if "/Reviewer_" in signer and not any(r.startswith(f"{p}/Reviewers") for r in readers):
        readers = [*readers, signer]  # a reviewer keeps reading their own comment
    pool = ([forum] * 3) + replies + (earlier * 2)
    note: Json = {"replyto": rng.choice(pool), "readers": readers, "content": comment_content(text, rng)}
    return note_edit(venue.stage("Official_Comment", n), signer, note)


# -- reads ------------------------------------------------------------------------------------
@dataclass
class Samples:
    notes: list[str]
    groups: list[str]  # groups without anonids
    anonids_groups: list[str]  # openreview-py's get_group follows these with get_groups(prefix=<anon prefix>)
    invitations: list[str]


def get_by_id(client: OpenReviewClient, samples: Samples, count: int, seed: int) -> dict[str, Latency]:
    rng = random.Random(f"{seed}:reads")
    out: dict[str, Latency] = {}
    getters: list[tuple[str, list[str], Callable[[str], Any]]] = [
        ("note", samples.notes, client.get_note), ("group", samples.groups, client.get_group),
        ("invitation", samples.invitations, client.get_invitation),
        ("anonids_group", samples.anonids_groups, client.get_group)]
    for kind, ids, getter in getters:
        if not ids:
            continue
        order = [rng.choice(ids) for _ in range(count + 30)]
        out[kind] = repeat((functools.partial(getter, i) for i in order), warmup=30)
    return out


def list_notes(client: OpenReviewClient, venue: Venue, reps: int) -> Latency:
    def call() -> None:
        if not client.get_notes(invitation=venue.submission_invitation, limit=1000):
            raise RuntimeError("no submissions listed")

    return repeat([call] * (reps + 2), warmup=2)


def measure_reads(baseurl: str, venue: Venue, samples: Samples, count: int, reps: int,
                  seed: int) -> dict[str, Any]:
    root = root_client(baseurl)
    pc = login(baseurl, "pc@bench.example")
    out: dict[str, Any] = {}
    for who, client in (("super_user", root), ("program_chair", pc)):
        by_id = get_by_id(client, samples, count, seed)
        out[who] = {f"get_{k}": asdict(v) for k, v in by_id.items()}
        out[who]["list_1000_notes"] = asdict(list_notes(client, venue, reps))
    return out


def loaded_samples(baseurl: str, venue: Venue, seed: int, papers_wanted: int) -> tuple[Samples, Json]:
    """Ids to read, found the way a script would: every submission, then some forums."""
    root = root_client(baseurl)
    extra: Json = {}
    elapsed, submissions = timed(lambda: root.get_all_notes(invitation=venue.submission_invitation))
    extra["get_all_notes_submissions"] = {"notes": len(submissions), "s": round(elapsed, 2)}
    rng = random.Random(f"{seed}:samples")
    chosen = rng.sample(submissions, min(papers_wanted, len(submissions)))
    notes: list[str] = []
    groups: list[str] = [venue.id, venue.pcs, venue.reviewers, venue.authors]
    anonids_groups: list[str] = []
    invitations: list[str] = [venue.submission_invitation]
    forum_times: list[float] = []
    stages = [s.name for s in stage_shapes(venue)]
    for submission in chosen:
        elapsed, forum = timed(lambda s=submission: root.get_notes(forum=s.id))
        forum_times.append(elapsed)
        notes += [n.id for n in forum]
        p = venue.paper(submission.number)
        groups += [p, f"{p}/Authors", f"{p}/Reviewers/Submitted"]
        groups += [f"{p}/Senior_Area_Chairs"] if venue.has_sacs else []
        anonids_groups += [f"{p}/Reviewers"] + ([f"{p}/Area_Chairs"] if venue.has_acs else [])
        groups += sorted({s for n in forum for s in n.signatures if "/Reviewer_" in s or "/Area_Chair_" in s})
        invitations += [venue.stage(stage, submission.number) for stage in stages]
    extra["forum_notes"] = {**asdict(Latency.of(forum_times)),
                            "notes_per_forum": round(len(notes) / max(1, len(chosen)), 1)}
    return Samples(notes, groups, anonids_groups, invitations), extra


# -- the empty-ish venue ---------------------------------------------------------------------------
def measure_empty(mode: str, workdir: Path, memory: bool, edits: int, count: int, reps: int,
                  seed: int) -> dict[str, Any]:
    db = None if memory else workdir / "empty.db"
    with Server(db, mode, workdir / "server-empty.log") as server:
        log(f"empty-ish venue: server pid {server.pid} at {server.baseurl}")
        meter = CpuMeter(sorted({os.getpid(), server.pid or os.getpid()}))
        baseurl = server.baseurl
        root = root_client(baseurl)
        author_id = register(baseurl, "author0@bench.example", person_name(0))
        register(baseurl, "pc@bench.example", "Program Chair")
        pc = login(baseurl, "pc@bench.example")
        author = login(baseurl, "author0@bench.example")
        venue = Venue()
        scale = Scale("empty", edits, 100, 20, 4, 3 * edits, 0, 0, 1)
        build_venue(root, pc, venue, "~Program_Chair1", scale)
        papers = plan_papers(scale, seed, [author_id])
        rng = random.Random(f"{seed}:empty")
        text = Text(Corpus(seed), rng)
        out: dict[str, Any] = {}

        note_ids: list[str] = []
        seconds: list[float] = []
        started = time.perf_counter()
        for paper in papers:
            content = submission_note(venue, paper, text, rng)
            elapsed, edit = timed(lambda c=content: author.post_note_edit(
                invitation=venue.submission_invitation, signatures=[author_id], note=Note(content=c)))
            seconds.append(elapsed)
            note_ids.append(edit["note"]["id"])
        out["note_edits"] = {"per_s": round(len(seconds) / (time.perf_counter() - started), 1),
                             **asdict(Latency.of(seconds))}
        log(f"note edits: {out['note_edits']['per_s']}/s")

        all_groups = [e["edit"]["group"] for p in papers for e in paper_group_edits(venue, p)]
        group_bodies = all_groups[:edits]
        for key, bodies, flush in (("group_edits", group_bodies, True),
                                   ("group_edits_no_flush", all_groups[edits:2 * edits], False)):
            requests.delete(f"{baseurl}/_sandbox/requests", timeout=30)
            seconds = []
            started = time.perf_counter()
            for body in bodies:
                elapsed, _ = timed(lambda b=body, f=flush: pc.post_group_edit(
                    invitation=venue.meta_invitation, readers=[venue.id], writers=[venue.id],
                    signatures=[venue.id], group=Group.from_json(b), flush_members_cache=f))
                seconds.append(elapsed)
            total = time.perf_counter() - started
            counted = requests.get(f"{baseurl}/_sandbox/requests", timeout=30).json()
            out[key] = {"per_s": round(len(seconds) / total, 1), **asdict(Latency.of(seconds)),
                        "http_requests": counted["total"]}
            log(f"{key}: {out[key]['per_s']}/s")

        stages = [s.name for s in stage_shapes(venue)]
        jobs = [(stage, p) for p in papers for stage in stages][:edits]
        invitation_ids: list[str] = []
        seconds = []
        started = time.perf_counter()
        for stage, paper in jobs:
            elapsed, edit = timed(lambda s=stage, p=paper: pc.post_invitation_edit(
                invitations=venue.stage(s), content={"noteNumber": {"value": p.number},
                                                     "noteId": {"value": note_ids[p.number - 1]}},
                invitation=Invitation()))
            seconds.append(elapsed)
            invitation_ids.append(edit["invitation"]["id"])
        out["invitation_edits"] = {"per_s": round(len(seconds) / (time.perf_counter() - started), 1),
                                   **asdict(Latency.of(seconds))}
        log(f"invitation edits: {out['invitation_edits']['per_s']}/s")

        samples = Samples(note_ids, [b["id"] for b in group_bodies if not b.get("anonids")],
                          [b["id"] for b in group_bodies if b.get("anonids")], invitation_ids)
        out["reads"] = measure_reads(baseurl, venue, samples, count, reps, seed)
        out["server_peak_rss_mb"] = server.peak_rss_mb() if mode == "subprocess" else None
        out["cpu"] = meter.stop()
        return out


# -- the loaded venue ---------------------------------------------------------------------------
def measure_loaded(mode: str, db: Path | None, workdir: Path, scale: Scale, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    venue = Venue(has_acs=scale.area_chairs > 0, has_sacs=scale.senior_area_chairs > 0)
    with Server(db, mode, workdir / "server-loaded.log") as server:
        log(f"{scale.name} venue: server pid {server.pid} at {server.baseurl}, db {db or 'in memory'}")
        meter = CpuMeter(sorted({os.getpid(), server.pid or os.getpid()}))
        state = load_state(root_client(server.baseurl), venue, scale, args.seed)
        if state == "loaded":
            log("the database already holds the venue: not loading")
            out["load"] = {"reused": True}
        else:
            out["load"] = load_venue(server.baseurl, venue, scale, args.seed, args.chunk, args.max_batch_mb << 20)
        out["stats"] = requests.get(f"{server.baseurl}/_sandbox/stats", timeout=600).json()
        samples, extra = loaded_samples(server.baseurl, venue, args.seed, args.sample_papers)
        out["reads"] = measure_reads(server.baseurl, venue, samples, args.samples, args.list_reps, args.seed)
        out["reads"].update(extra)
        out["server_peak_rss_mb"] = server.peak_rss_mb() if mode == "subprocess" else None
        out["cpu"] = meter.stop()
    if db is not None and db.exists():
        out["db_mb"] = round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 2**20, 1)
    return out


# -- report --------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "cpu": _cpu_model(), "python": platform.python_version(),
            "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
            "openreview_py": importlib.metadata.version("openreview-py")}


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def verdicts(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    empty = result.get("empty")
    if empty:
        value = empty["note_edits"]["per_s"]
        rows.append({"target": "note edits/s (empty venue) >= 300", "value": value,
                     "met": value >= TARGETS["note_edits_per_s"]})
    loaded = result.get("loaded")
    if loaded:
        load = loaded["load"]
        if not load.get("reused"):
            value = load["venue_load_s"]
            rows.append({"target": f"load {result['scale']} venue <= 300 s", "value": value,
                         "met": value <= TARGETS["load_s"]})
        for kind in ("note", "group", "invitation"):
            value = loaded["reads"]["super_user"][f"get_{kind}"]["p50"]
            rows.append({"target": f"loaded GET {kind} by id p50 <= 5 ms (super user)", "value": value,
                         "met": value <= TARGETS["loaded_get_p50_ms"]})
    return rows


def print_report(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"command: {result['command']}")
    print(f"machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}, SQLite {m['sqlite']}, "
          f"openreview-py {m['openreview_py']}, {m['platform']}")
    print(f"server:  {result['server']}")
    print(f"scale:   {result['scale']} {result['scale_sizes']}  seed {result['seed']}")
    empty = result.get("empty")
    if empty:
        print("\n== empty-ish venue (fresh database) ==")
        for key, label in (("note_edits", "note edits (author, V/-/Submission)"),
                           ("group_edits", "group edits (PC, V/-/Edit; per-paper groups)"),
                           ("group_edits_no_flush", "  same, flush_members_cache=False"),
                           ("invitation_edits", "invitation edits (PC, stage super invitations)")):
            e = empty[key]
            requests_made = f", {e['http_requests']} HTTP requests" if "http_requests" in e else ""
            print(f"  {label:48} {e['per_s']:8.1f}/s   p50 {e['p50']:7.2f} ms  p99 {e['p99']:7.2f} ms  "
                  f"(n={e['n']}{requests_made})")
        print("  (openreview-py's post_group_edit flushes the members cache: one DELETE per member by default)")
        _print_reads(empty["reads"])
        _print_cpu(empty["cpu"])
    loaded = result.get("loaded")
    if loaded:
        print(f"\n== {result['scale']} venue ==")
        load = loaded["load"]
        if load.get("reused"):
            print("  loaded earlier (database reused)")
        else:
            print(f"  {'phase':44} {'edits':>8} {'batches':>7} {'seconds':>8} {'edits/s':>8}")
            for p in load["phases"]:
                print(f"  {p['name']:44} {p['edits']:8d} {p['batches']:7d} {p['seconds']:8.1f} {p['rate']:8.0f}"
                      + (f"   {p['note']}" if p["note"] else ""))
            print(f"  venue load (setup + batches + id look-ups): {load['venue_load_s']} s; with accounts "
                  f"{load['with_accounts_s']} s; {load['batch_edits']} batch edits, server busy "
                  f"{load['batch_server_s']} s")
        print(f"  rows: {loaded['stats']}")
        if loaded.get("db_mb") is not None:
            print(f"  database: {loaded['db_mb']} MB")
        reads = loaded["reads"]
        g = reads["get_all_notes_submissions"]
        print(f"  get_all_notes(invitation=Submission): {g['notes']} notes in {g['s']} s")
        f = reads["forum_notes"]
        print(f"  get_notes(forum=...) ({f['notes_per_forum']} notes/forum): p50 {f['p50']} ms  p99 {f['p99']} ms")
        _print_reads(reads)
        print(f"  server peak RSS: {loaded.get('server_peak_rss_mb')} MB")
        _print_cpu(loaded["cpu"])
    print("\n== targets ==")
    for row in result["targets"]:
        print(f"  {'MET   ' if row['met'] else 'MISSED'} {row['target']:52} {row['value']}")


def _print_cpu(cpu: dict[str, float]) -> None:
    warning = "  <- other processes competed for the CPU; figures are pessimistic" if cpu["others_cores"] > 0.2 else ""
    print(f"  CPU over {cpu['wall_s']} s: benchmark client+server {cpu['ours_cores']} cores, other processes "
          f"{cpu['others_cores']} cores{warning}")


def _print_reads(reads: dict[str, Any]) -> None:
    for who in ("super_user", "program_chair"):
        r = reads[who]
        cells = "  ".join(f"{k[4:]} p50 {r[k]['p50']:6.2f} p99 {r[k]['p99']:6.2f}" for k in
                          ("get_note", "get_group", "get_invitation"))
        print(f"  GET by id as {who:14} (ms): {cells}")
        if "get_anonids_group" in r:
            a = r["get_anonids_group"]
            print(f"  get_group of an anonids group (+ openreview-py's prefix query) as {who}: "
                  f"p50 {a['p50']:.2f} ms  p99 {a['p99']:.2f} ms")
        lst = r["list_1000_notes"]
        print(f"  get_notes(invitation=Submission, limit=1000) as {who}: p50 {lst['p50']:.1f} ms  "
              f"max {lst['max']:.1f} ms  (n={lst['n']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="neurips")
    parser.add_argument("--db", type=Path, help="keep the loaded venue here; reuse it when it already holds it")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    parser.add_argument("--server", choices=("subprocess", "in-process"), default="subprocess")
    parser.add_argument("--memory", action="store_true", help="SQLite in memory for the temporary databases")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--edits", type=int, default=1000, help="sequential edits of each kind (empty venue)")
    parser.add_argument("--samples", type=int, default=500, help="GET-by-id calls per kind and caller")
    parser.add_argument("--list-reps", type=int, default=10, help="1000-note listings per caller")
    parser.add_argument("--sample-papers", type=int, default=100, help="papers whose objects the reads sample")
    parser.add_argument("--chunk", type=int, default=2000, help="edits per /_sandbox/batch request")
    parser.add_argument("--max-batch-mb", type=int, default=4, help="bytes per batch request, at most")
    parser.add_argument("--skip-empty", action="store_true", help="only the loaded venue")
    parser.add_argument("--skip-loaded", action="store_true", help="only the empty-ish venue")
    args = parser.parse_args()
    if args.db is not None and args.memory:
        parser.error("--db and --memory exclude each other")

    scale = SCALES[args.scale]
    server_label = ("separate process: python -m venueops sandbox serve --port 0 (uvicorn, 1 worker)"
                    if args.server == "subprocess" else "in-process venueops.sandbox.Sandbox (thread; shares the GIL)")
    result: dict[str, Any] = {
        "command": shlex.join([sys.executable, *sys.argv]),
        "machine": machine(),
        "server": server_label + (", SQLite in memory" if args.memory else ", SQLite file (WAL)"),
        "scale": scale.name,
        "scale_sizes": {k: v for k, v in asdict(scale).items() if k != "name"},
        "seed": args.seed,
    }
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as tmp:
        workdir = Path(tmp)
        if not args.skip_empty:
            result["empty"] = measure_empty(args.server, workdir, args.memory, args.edits, args.samples,
                                            args.list_reps, args.seed)
        if not args.skip_loaded:
            db = args.db if args.db is not None else (None if args.memory else workdir / "loaded.db")
            result["loaded"] = measure_loaded(args.server, db, workdir, scale, args)
    result["targets"] = verdicts(result)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
