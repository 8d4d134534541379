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
from collections.abc import Callable, Iterable
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
from venueops.rehearse.cast import MAIL_DOMAIN, Cast, Paper, Persona, cast_for
from venueops.rehearse.forms import Writer, note_edit
from venueops.rehearse.predict import predicted, roles_now
from venueops.rehearse.report import Mail, Observation, Report, StepReport
from venueops.rehearse.script import AFTER_MS, Step, reply_stages, script_for
from venueops.targets.sandbox_accounts import chair_login
from venueops.targets.target import SANDBOX_LOGIN, Target

Progress = Callable[[str, int, int], None]  # (the step in words, its index, how many steps)
IDLE_SECONDS = 600
KINDS = ("notes", "groups", "invitations", "edges")


@dataclass(frozen=True)
class RehearsalOptions:
    submissions: int = 20
    seed: int = 0
    workers: int = 2  # the sandbox's process workers
    threads: int = 4  # synthetic people posting at once


class RehearsalError(VenueOpsError):
    """The rehearsal could not be set up (the sandbox, the first apply)."""


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
        self.root = self._login(SANDBOX_LOGIN)
        self.clients: dict[str, ApiClient] = {}
        self.profiles: dict[str, str] = {}  # person key (or "program_chair") → profile id
        self.forums: dict[int, str] = {}  # paper index → its note id
        self.signed: dict[str, set[str]] = {}  # persona key → stages it wrote on the read paper
        self.reviewed = False  # the read paper's first reviewer has reviewed it
        self.assigned = False  # the papers' committees are filled (once their groups exist)
        self.seen_mail: set[str] = set()
        self.stats = self._stats()
        self.logs_since = 0
        chair = next((c for m in config.spec.roles.program_chairs.members or [] if (c := chair_login(m))), None)
        self.chair_login = chair[0] if chair else None

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
        guest = ApiClient(self.baseurl)
        for person in self.cast.people:
            try:
                answer = guest.post("/register", {"email": person.email, "password": self._password,
                                                  "fullname": person.fullname})
                guest.request("PUT", f"/activate/{person.email}", json={"content": {}})
            except ApiError as error:
                problems.append(f"cannot register {person.email}: {error.name}: {error.message}")
                continue
            self.profiles[person.key] = str(answer.get("id") or self._profile_of(person.email))
        if self.chair_login:
            self.profiles["program_chair"] = self._profile_of(self.chair_login)
        committees = {self.names.reviewers_name: "reviewer", self.names.area_chairs_name: "area-chair",
                      self.names.senior_area_chairs_name: "senior-area-chair"}
        added = 0
        for name, kind in committees.items():
            members = [self.profiles[p.key] for p in self.cast.people if p.key.startswith(kind + "-")
                       and p.key in self.profiles]
            if members and self._add_members(f"{self.venue}/{name}", members, problems):
                added += len(members)
        return [f"{len(self.profiles)} synthetic people registered; {added} put in their committees"]

    def _assign(self, problems: list[str]) -> str | None:
        """Fill each paper's committee groups; until the venue's processes have made them (after the
        submission deadline), nothing: the play asks again at the next step."""
        if self.assigned or not self._exists(f"{self.names.paper(self.cast.read_paper.number)}/"
                                              f"{self.names.reviewers_name}"):
            return None
        self.assigned = True
        count = 0
        for paper in self.cast.papers:
            prefix = self.names.paper(paper.number)
            for name, keys in ((self.names.reviewers_name, paper.reviewers), (self.names.area_chairs_name,
                               paper.area_chairs), (self.names.senior_area_chairs_name, paper.senior_area_chairs)):
                if keys and self._add_members(f"{prefix}/{name}", [self.profiles[k] for k in keys], problems):
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
            writer = self._writer(author, authors=paper.authors)
            body = note_edit(form, writer, title=f"Rehearsal paper {paper.number}")
            try:
                answer = self._client(author).post("/notes/edits", body) if body else None
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

        def write(person: str, items: list[tuple[Paper, dict[str, Any]]]) -> None:
            writer = self._writer(person)
            for paper, form in items:
                body = note_edit(form, writer, title=f"{name} on paper {paper.number}",
                                 forum=self.forums.get(paper.index))
                if body is None:
                    problems.append(f"{name}: {self._who(person)} has no signature {form['id']} accepts")
                    continue
                try:
                    self._client(person).post("/notes/edits", body)
                except ApiError as error:
                    problems.append(f"{name}: {self._who(person)} could not post to {form['id']}: "
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
            return paper.area_chairs[0] if paper.area_chairs else "program_chair"
        if key == "decision":
            return "program_chair"
        # a custom stage: the first of the paper's people the access model lets post now
        name = dict(self.stages)[key]
        for persona in self.cast.personas:
            if persona.key != "guest" and predicted(self.matrix, persona.roles, name, "post", self._now()):
                return persona.person or "program_chair"
        return None

    def _wrote(self, person: str, name: str) -> None:
        for persona in self.cast.personas:
            if (persona.person or ("program_chair" if persona.key == "program_chair" else None)) == person:
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
            seen = probe.forum_notes(self._persona_client(persona), forum)
            for what, found in probe.reads(seen, everything, forum, prefix, names).items():
                out.append(self._observation(persona, roles, what, "read", moment, found))
        forms = {name: self._forms(name).get(probe_paper.number) for name in names}
        for persona in self.cast.personas:
            roles = roles_now(persona.roles, assigned=self.assigned,
                              reviewed=self.reviewed and persona.key == "reviewer_reviews")
            writer = self._writer(self._person(persona)) if self._person(persona) else None
            client = self._persona_client(persona)
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

    # -- what the server did -----------------------------------------------------------------------
    def _report(self, step: Step, done: list[str], observations: list[Observation], problems: list[str]) -> StepReport:
        stats = self._stats()
        created = {kind: stats.get(kind, 0) - self.stats.get(kind, 0) for kind in KINDS}
        self.stats = stats
        logs = self.root.get("/logs/process", {"minsdate": self.logs_since}).get("logs") or []
        self.logs_since = self._now() + 1
        failed = [log for log in logs if log.get("status") == "error"]
        for log in failed:
            last = (str(log.get("log") or "").strip().splitlines() or ["(no log)"])[-1]
            problems.append(f"process of {log.get('invitation')} failed: {last[:300]}")
        return StepReport(step.at, format_ms(step.at, self.zone), step.events, tuple(done), created,
                          tuple(self._mails()), (len(logs), len(failed)), tuple(observations), tuple(problems))

    def _mails(self) -> list[Mail]:
        fresh = [m for m in self.root.pages("messages", {}) if m.get("id") not in self.seen_mail]
        self.seen_mail.update(str(m.get("id")) for m in fresh)
        counts = Counter((_generalized((m.get("content") or {}).get("subject", "")),
                          self._recipient((m.get("content") or {}).get("to", ""))) for m in fresh)
        return [Mail(subject, to, n) for (subject, to), n in sorted(counts.items())]

    def _recipient(self, address: str) -> str:
        match = re.fullmatch(rf"[^@]*\.([a-z-]+?)\d+@{re.escape(MAIL_DOMAIN)}", address or "")
        if match:
            return {"author": "authors", "reviewer": "reviewers", "area-chair": "area chairs",
                    "senior-area-chair": "senior area chairs", "outsider": "others"}.get(match.group(1), "others")
        if address == self.chair_login or address in (self.config.spec.roles.program_chairs.members or []):
            return "program chairs"
        return "program chairs" if address.endswith("@sandbox.local") else "others"

    # -- plumbing ----------------------------------------------------------------------------------
    def _login(self, login: str) -> ApiClient:
        client = ApiClient(self.baseurl)
        client.login(login, self._password)
        return client

    def _client(self, person: str) -> ApiClient:
        """A logged-in client for a person key ("program_chair" for the acting chair); sessions end on the
        sandbox clock, so every move of it starts new ones."""
        if person not in self.clients:
            login = self.chair_login if person == "program_chair" else self.cast.by_key[person].email
            if login is None:
                raise RehearsalError("the venue file names no program chair the sandbox can log in as")
            self.clients[person] = self._login(login)
        return self.clients[person]

    def _person(self, persona: Persona) -> str | None:
        return "program_chair" if persona.key == "program_chair" else persona.person

    def _persona_client(self, persona: Persona) -> ApiClient:
        person = self._person(persona)
        return self._client(person) if person else ApiClient(self.baseurl)

    def _writer(self, person: str, authors: Iterable[str] = ()) -> Writer:
        profile = self.profiles.get(person, "")
        groups = frozenset(str(g["id"]) for g in self.root.pages("groups", {"member": profile}, page_size=1000)) \
            if profile else frozenset()
        fullname = self.cast.by_key[person].fullname if person in self.cast.by_key else "Program Chair"
        return Writer(profile, fullname, groups,
                      tuple((self.profiles[a], self.cast.by_key[a].fullname) for a in authors if a in self.profiles))

    def _who(self, person: str) -> str:
        return "a program chair" if person == "program_chair" else self.cast.by_key[person].email

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

    def _add_members(self, group_id: str, members: list[str], problems: list[str]) -> bool:
        found = self.root.get("/groups", {"id": group_id}).get("groups") if self._exists(group_id) else None
        if not found:
            return False
        signatures = found[0].get("signatures") or [self.venue]
        chair = self._client("program_chair") if self.chair_login else self.root
        try:
            chair.post("/groups/edits", {"invitation": f"{self.venue}/-/Edit", "signatures": signatures,
                                         "readers": signatures, "writers": signatures,
                                         "group": {"id": group_id, "members": {"add": members}}})
        except ApiError as error:
            problems.append(f"cannot add members to {group_id}: {error.name}: {error.message}")
            return False
        return True

    def _exists(self, group_id: str) -> bool:
        try:
            return bool(self.root.get("/groups", {"id": group_id}).get("groups"))
        except ApiError:
            return False

    def _profile_of(self, email: str) -> str:
        found = self.root.get("/profiles", {"email": email}).get("profiles") or []
        return str(found[0]["id"]) if found else ""

    def _stats(self) -> dict[str, int]:
        return dict(self.root.request("GET", "/_sandbox/stats"))

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
        self.clients.clear()
        self.root = self._login(SANDBOX_LOGIN)


def _generalized(subject: str) -> str:
    """A subject with the paper it is about taken out, so one e-mail per paper counts as one kind."""
    subject = re.sub(r"Rehearsal paper \d+", "Rehearsal paper N", subject)
    subject = re.sub(r"(?<=Submission)\d+|(?<=Paper #)\d+|(?<=[Nn]umber: )\d+|(?<=paper )\d+", "N", subject)
    return subject
