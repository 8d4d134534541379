"""The dress rehearsal's run: a fresh sandbox, the file applied, synthetic people, the timeline played
step by step (``script``), and at each step what every persona can read and post probed (``probe``) and
compared with the access model (``predict``).

The sandbox is a new one in a temporary directory, running the venue's own processes on a frozen clock
that only the rehearsal moves; it is gone when the rehearsal ends. Its super user's password is drawn
at random and never leaves this module. venueops' own engine plans and applies the file (``plan_venue``,
``apply_plan_to_target``), at the start and again at every step, as a scheduled reconcile would.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from venueops.access.derive import access_matrix
from venueops.access.model import AccessMatrix
from venueops.access.policy import check_policies
from venueops.api.client import ApiClient, ApiError
from venueops.apply.runner import Clients
from venueops.compile.context import CompileContext
from venueops.config.dates import format_ms
from venueops.config.validate import VenueConfig
from venueops.diagnostics import is_error
from venueops.engine.applying import apply_plan_to_target
from venueops.engine.planning import plan_venue
from venueops.errors import VenueOpsError
from venueops.rehearse import probe
from venueops.rehearse.accounts import CHAIR, Accounts
from venueops.rehearse.cast import Cast, Paper, Persona, cast_for
from venueops.rehearse.forms import note_edit
from venueops.rehearse.predict import predicted, roles_now
from venueops.rehearse.record import ServerRecord
from venueops.rehearse.report import Observation, Report, StepReport
from venueops.rehearse.script import AFTER_MS, Step, reply_stages, script_for
from venueops.targets.target import Target

Progress = Callable[[str, int, int], None]  # (the step in words, its index, how many steps)
IDLE_SECONDS = 600


@dataclass(frozen=True)
class RehearsalOptions:
    submissions: int = 20
    seed: int = 0
    workers: int = 2  # the sandbox's process workers
    threads: int = 4  # synthetic people posting at once


def rehearse(config: VenueConfig, options: RehearsalOptions | None = None, *,
             progress: Progress | None = None) -> Report:
    """Play ``config`` on a fresh sandbox and report every step. Policy errors stop it before anything
    is applied (they are in the report)."""
    options = options or RehearsalOptions()
    matrix = access_matrix(config)
    cast = cast_for(config, options.submissions, options.seed)
    base = dict(venue_id=config.spec.venue.id, file=str(config.file), timezone=config.spec.venue.timezone,
                submissions=options.submissions, seed=options.seed,
                personas=tuple((p.key, p.label, tuple(sorted(p.roles))) for p in cast.personas))
    broken = [d for d in check_policies(config, matrix) if is_error(d)]
    if broken:
        return Report(**base, policy=tuple(f"{d.location}: {d.message}" for d in broken))
    from venueops.sandbox.runtime.pool import Limits
    from venueops.sandbox.runtime.runtime import RuntimeSettings
    from venueops.sandbox.server import Sandbox

    password = secrets.token_urlsafe(18)
    settings = RuntimeSettings(enabled=True, workers=options.workers, preprocess_workers=1, limits=Limits(seconds=60))
    with tempfile.TemporaryDirectory(prefix="venueops-rehearsal-") as directory, \
            Sandbox(db=Path(directory) / "rehearsal.db", root_password=password, processes=settings) as sandbox:
        run = _Run(config, matrix, cast, sandbox.baseurl, password, options, progress)
        steps, problems = run.play()
    return Report(**base, steps=tuple(steps), problems=tuple(problems))


class _Run:
    def __init__(self, config: VenueConfig, matrix: AccessMatrix, cast: Cast, baseurl: str, password: str,
                 options: RehearsalOptions, progress: Progress | None) -> None:
        self.config, self.matrix, self.cast, self.options = config, matrix, cast, options
        self.baseurl, self._password = baseurl, password
        self.progress = progress or (lambda label, index, total: None)
        self.names = CompileContext(config).names
        self.venue = config.spec.venue.id
        self.zone = config.spec.venue.timezone
        self.stages = reply_stages(config)
        self.accounts = Accounts(baseurl, password, cast, config)
        self.forums: dict[int, str] = {}  # paper index → its note id
        self.signed: dict[str, set[str]] = {}  # persona key → stages it wrote on the read paper
        self.reviewed = False  # the read paper's first reviewer has reviewed it
        self.assigned = False  # the papers' committees are filled (once their groups exist)
        chairs = {m.lower() for m in config.spec.roles.program_chairs.members or [] if "@" in m}
        self.record = ServerRecord(lambda: self.accounts.root, chairs)

    # -- the play ----------------------------------------------------------------------------------
    def play(self) -> tuple[list[StepReport], list[str]]:
        script = script_for(self.config, self.matrix)
        self._clock(script.begins)
        problems: list[str] = []
        done = [self._reconcile(problems)]
        if problems:
            return [], problems
        done += self._people(problems)
        steps = [self._report(Step(self._now(), ("the rehearsal begins",), ()), done, [], problems)]
        for index, step in enumerate(script.steps):
            self.progress(format_ms(step.at, self.zone) + ": " + ("; ".join(step.events) or "…"), index,
                          len(script.steps))
            self._clock(step.at)
            step_problems: list[str] = []
            actions = step.actions if self.assigned or "assign" in step.actions or not self.forums else \
                ("assign", *step.actions)
            step_done = [d for action in actions if (d := self._act(action, step_problems))]
            self._settle()
            observations = self._probe(self._now(), step_problems)
            steps.append(self._report(step, step_done, observations, step_problems))
        self.progress("done", len(script.steps), len(script.steps))
        return steps, []

    def _act(self, action: str, problems: list[str]) -> str | None:
        if action == "reconcile":
            said = self._reconcile(problems)
            return None if said.startswith("venueops: nothing") else said
        if action == "assign":
            return self._assign(problems)
        if action == "submit":
            return self._submit(problems)
        if action.startswith("reply:"):
            return self._replies(action.removeprefix("reply:"), problems)
        raise AssertionError(action)

    def _reconcile(self, problems: list[str]) -> str:
        target = Target(label="rehearsal sandbox", reader=self.root, clients=Clients(venue=self.root, root=self.root),
                        provisioning=True, sandbox_password=self._password)
        try:
            planned = plan_venue(self.config, target)
            if planned.plan.empty:
                return "venueops: nothing to apply"
            applied = apply_plan_to_target(planned.plan, target, self.config, at=None, allow_delete=False)
        except VenueOpsError as error:
            problems.append(f"venueops apply failed: {error}")
            return "venueops apply failed"
        failure = applied.report.failure
        if failure is not None:
            problems.append(f"venueops apply failed at {failure.change.address}: {failure.error}")
        elif not applied.ok:
            problems.append("venueops apply left changes: the venue does not match the file afterwards")
        self._settle()
        return f"venueops applied {len(planned.plan.changes)} change(s)"

    def _people(self, problems: list[str]) -> list[str]:
        """Register the cast (as people do), then put the committees' people in their committees."""
        registered = self.accounts.register(problems)
        committees = {self.names.reviewers_name: "reviewer", self.names.area_chairs_name: "area-chair",
                      self.names.senior_area_chairs_name: "senior-area-chair"}
        added = 0
        profiles = self.accounts.profiles
        for name, kind in committees.items():
            members = [profiles[p.key] for p in self.cast.people if p.key.startswith(kind + "-") and p.key in profiles]
            if members and self.accounts.add_members(f"{self.venue}/{name}", members, problems):
                added += len(members)
        return [f"{registered} synthetic people registered; {added} put in their committees"]

    def _assign(self, problems: list[str]) -> str | None:
        """Fill each paper's committee groups; until the venue's processes have made them (after the
        submission deadline), nothing: the play asks again at the next step."""
        if self.assigned or not self.accounts.exists(f"{self.names.paper(self.cast.read_paper.number)}/"
                                              f"{self.names.reviewers_name}"):
            return None
        self.assigned = True
        count = 0
        for paper in self.cast.papers:
            prefix = self.names.paper(paper.number)
            for name, keys in ((self.names.reviewers_name, paper.reviewers), (self.names.area_chairs_name,
                               paper.area_chairs), (self.names.senior_area_chairs_name, paper.senior_area_chairs)):
                members = [self.accounts.profiles[k] for k in keys]
                if keys and self.accounts.add_members(f"{prefix}/{name}", members, problems):
                    count += 1
        return f"a program chair assigned {count} paper committees"

    def _submit(self, problems: list[str]) -> str:
        invitation_id = f"{self.venue}/-/{self.names.submission_name}"
        form = self._invitation(invitation_id)
        if form is None:
            problems.append(f"{invitation_id} is not on the sandbox: nobody could submit")
            return "nobody could submit"
        for paper in self.cast.papers:  # in order: OpenReview numbers papers as they come
            author = paper.authors[0]
            writer = self.accounts.writer(author, authors=paper.authors)
            body = note_edit(form, writer, title=f"Rehearsal paper {paper.number}")
            try:
                answer = self.accounts.client(author).post("/notes/edits", body) if body else None
            except ApiError as error:
                problems.append(f"{self.cast.by_key[author].email} could not submit: {error.name}: {error.message}")
                continue
            if answer:
                self.forums[paper.index] = answer["note"]["id"]
        return f"{len(self.forums)} authors submitted their papers"

    def _replies(self, key: str, problems: list[str]) -> str:
        name = dict(self.stages)[key]
        forms = self._forms(name)
        jobs: dict[str, list[tuple[Paper, dict[str, Any]]]] = {}
        on_read_paper_only = key == "comments" or key.startswith("custom:")
        for paper in self.cast.papers:
            if on_read_paper_only and paper.index != 0:
                continue
            writer = self._reply_writer(key, paper)
            if writer is None:
                continue
            form = forms.get(paper.number)
            if form is None:
                problems.append(f"{name}: no form on paper {paper.number} to write to")
                continue
            jobs.setdefault(writer, []).append((paper, form))
        posted = Counter[str]()
        writers = {person: self.accounts.writer(person) for person in jobs}  # before the threads: one root client

        def write(person: str, items: list[tuple[Paper, dict[str, Any]]]) -> None:
            writer = writers[person]
            for paper, form in items:
                body = note_edit(form, writer, title=f"{name} on paper {paper.number}",
                                 forum=self.forums.get(paper.index))
                if body is None:
                    problems.append(f"{name}: {self.accounts.who(person)} has no signature {form['id']} accepts")
                    continue
                try:
                    self.accounts.client(person).post("/notes/edits", body)
                except ApiError as error:
                    problems.append(f"{name}: {self.accounts.who(person)} could not post to {form['id']}: "
                                    f"{error.name}: {error.message}")
                    continue
                posted[name] += 1
                if paper.index == 0:
                    self._wrote(person, name)

        with ThreadPoolExecutor(self.options.threads) as pool:
            list(pool.map(lambda item: write(*item), sorted(jobs.items())))
        return f"{posted[name]} {name} posted"

    def _reply_writer(self, key: str, paper: Paper) -> str | None:
        if key == "review":
            return paper.reviewers[0]
        if key in ("rebuttal", "comments"):
            return paper.authors[0]
        if key == "meta_review":
            return paper.area_chairs[0] if paper.area_chairs else CHAIR
        if key == "decision":
            return CHAIR
        # a custom stage: the first of the paper's people the access model lets post now
        name = dict(self.stages)[key]
        for persona in self.cast.personas:
            if persona.key != "guest" and predicted(self.matrix, persona.roles, name, "post", self._now()):
                return persona.person or CHAIR
        return None

    def _wrote(self, person: str, name: str) -> None:
        for persona in self.cast.personas:
            if (persona.person or (CHAIR if persona.key == CHAIR else None)) == person:
                self.signed.setdefault(persona.key, set()).add(name)
                if persona.key == "reviewer_reviews" and name == dict(self.stages).get("review"):
                    self.reviewed = True

    # -- probes ------------------------------------------------------------------------------------
    def _probe(self, moment: int, problems: list[str]) -> list[Observation]:
        read_paper, probe_paper = self.cast.read_paper, self.cast.probe_paper
        forum = self.forums.get(read_paper.index)
        if forum is None:
            return []
        names = [name for _, name in self.stages]
        everything = probe.forum_notes(self.root, forum) or []
        prefix = self.names.paper(read_paper.number)
        out: list[Observation] = []
        for persona in self.cast.personas:
            roles = roles_now(persona.roles, assigned=self.assigned,
                              reviewed=self.reviewed and persona.key == "reviewer_reviews")
            seen = probe.forum_notes(self.accounts.persona_client(persona), forum)
            for what, found in probe.reads(seen, everything, forum, prefix, names).items():
                out.append(self._observation(persona, roles, what, "read", moment, found))
        forms = {name: self._forms(name).get(probe_paper.number) for name in names}
        for persona in self.cast.personas:
            roles = roles_now(persona.roles, assigned=self.assigned,
                              reviewed=self.reviewed and persona.key == "reviewer_reviews")
            person = self.accounts.person_of(persona)
            writer = self.accounts.writer(person) if person else None
            client = self.accounts.persona_client(persona)
            for name in names:
                found = probe.post(client, forms[name], writer, title=f"Probe of {name}",
                                   forum=self.forums.get(probe_paper.index))
                if found.problem:
                    problems.append(f"{persona.label}: {found.problem}")
                out.append(self._observation(persona, roles, name, "post", moment, found))
        return out

    def _observation(self, persona: Persona, roles: frozenset[str], what: str, verb: str, moment: int,
                     found: probe.Seen) -> Observation:
        expected = predicted(self.matrix, roles, what, verb, moment, self.signed.get(persona.key, ()))
        return Observation(persona.key, persona.label, what, verb, expected, found.observed, found.detail)

    # -- what the server did, and plumbing ---------------------------------------------------------
    def _report(self, step: Step, done: list[str], observations: list[Observation], problems: list[str]) -> StepReport:
        since = self.record.since_last(self._now())
        return StepReport(step.at, format_ms(step.at, self.zone), step.events, tuple(done), since.created,
                          since.mails, since.processes, tuple(observations), (*problems, *since.failures))

    def _forms(self, name: str) -> dict[int, dict[str, Any]]:
        """Each paper's form of a stage (the first, for a stage with one per review), by paper number."""
        found: dict[int, dict[str, Any]] = {}
        pattern = re.compile(rf"^{re.escape(self.names.paper())}(\d+)/(?:[^/]+/)?-/{re.escape(name)}$")
        query = {"invitation": f"{self.venue}/-/{name}", "expired": True}  # a writer posts after it expires
        for invitation in sorted(self.root.pages("invitations", query),
                                 key=lambda i: str(i.get("id"))):
            match = pattern.match(str(invitation.get("id")))
            if match:
                found.setdefault(int(match.group(1)), invitation)
        return found

    def _invitation(self, invitation_id: str) -> dict[str, Any] | None:
        found = self.root.get("/invitations", {"id": invitation_id}).get("invitations") or []
        return found[0] if found else None

    def _now(self) -> int:
        return int(self.root.request("GET", "/_sandbox/clock")["now"])

    def _clock(self, moment: int) -> None:
        self.root.request("PUT", "/_sandbox/clock", json={"now": moment})
        self._settle(advance=False)

    def _settle(self, advance: bool = True) -> None:
        """Let what fell due run; with ``advance``, a minute later, what the edits just made set off
        a few seconds after them (the super invitations' update processes)."""
        if advance:
            self.root.request("PUT", "/_sandbox/clock", json={"advance": AFTER_MS})
        self.root.request("POST", "/_sandbox/idle", json={"timeout": IDLE_SECONDS})
        self.accounts.fresh_sessions()

    @property
    def root(self) -> ApiClient:
        return self.accounts.root


def _generalized(subject: str) -> str:
    """A subject with the paper it is about taken out, so one e-mail per paper counts as one kind."""
    subject = re.sub(r"Rehearsal paper \d+", "Rehearsal paper N", subject)
    subject = re.sub(r"(?<=Submission)\d+|(?<=Paper #)\d+|(?<=[Nn]umber: )\d+|(?<=paper )\d+", "N", subject)
    return subject
