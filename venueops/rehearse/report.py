"""The rehearsal's report: per step, what was done, what the server did (objects, e-mails, processes),
and each probe's prediction and observation; its JSON and its text.

A **difference** is a probe whose observation is not what the access model predicted. A **problem** is
something that kept the rehearsal from telling (a synthetic note refused, a process that failed, an
action that could not be done). Either makes the rehearsal fail (exit code 1). Nothing in a report
depends on the wall clock or on the sandbox's passwords: the same file, options and seed give the same
report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from venueops.access.roles import ROLE_WORDS


@dataclass(frozen=True)
class Observation:
    persona: str  # persona key
    label: str  # the persona in words
    what: str
    verb: str
    predicted: bool
    observed: bool | None  # None: could not be observed at this moment
    detail: str

    @property
    def differs(self) -> bool:
        return self.observed is not None and self.observed != self.predicted

    def to_json(self) -> dict[str, Any]:
        return {"persona": self.persona, "what": self.what, "verb": self.verb, "predicted": self.predicted,
                "observed": self.observed, "detail": self.detail}


@dataclass(frozen=True)
class Mail:
    subject: str  # with numbers and paper titles generalized ("Rehearsal paper N")
    to: str  # who received it, in words ("authors", "reviewers", "program chairs")
    count: int


@dataclass(frozen=True)
class StepReport:
    at: int
    at_text: str
    events: tuple[str, ...]
    done: tuple[str, ...]  # what the synthetic people and venueops did, in words
    created: dict[str, int]  # objects created since the step before, per kind (notes, groups, invitations, edges)
    mails: tuple[Mail, ...]
    processes: tuple[int, int]  # (ran, failed) since the step before
    observations: tuple[Observation, ...]
    problems: tuple[str, ...]

    @property
    def differences(self) -> tuple[Observation, ...]:
        return tuple(o for o in self.observations if o.differs)

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "at_text": self.at_text, "events": list(self.events), "done": list(self.done),
                "created": dict(sorted(self.created.items())),
                "emails": [{"subject": m.subject, "to": m.to, "count": m.count} for m in self.mails],
                "processes": {"ran": self.processes[0], "failed": self.processes[1]},
                "probes": [o.to_json() for o in self.observations],
                "differences": [o.to_json() for o in self.differences], "problems": list(self.problems)}


@dataclass(frozen=True)
class Report:
    venue_id: str
    file: str
    timezone: str
    submissions: int
    seed: int
    personas: tuple[tuple[str, str, tuple[str, ...]], ...]  # (key, label, roles)
    policy: tuple[str, ...] = ()  # policy errors: the rehearsal was not played
    steps: tuple[StepReport, ...] = ()
    problems: tuple[str, ...] = ()  # before or outside any step

    @property
    def differences(self) -> tuple[tuple[StepReport, Observation], ...]:
        return tuple((step, o) for step in self.steps for o in step.differences)

    @property
    def all_problems(self) -> tuple[str, ...]:
        return (*self.problems, *(f"{s.at_text}: {p}" for s in self.steps for p in s.problems))

    @property
    def ok(self) -> bool:
        return not self.policy and not self.differences and not self.all_problems

    @property
    def probes(self) -> int:
        return sum(1 for s in self.steps for o in s.observations if o.observed is not None)

    def to_json(self) -> dict[str, Any]:
        return {"format_version": 1, "venue": self.venue_id, "file": self.file, "timezone": self.timezone,
                "submissions": self.submissions, "seed": self.seed, "ok": self.ok,
                "personas": [{"key": k, "label": label, "roles": list(roles)} for k, label, roles in self.personas],
                "policy_errors": list(self.policy), "problems": list(self.problems),
                "steps": [s.to_json() for s in self.steps],
                "summary": {"steps": len(self.steps), "probes": self.probes,
                            "differences": len(self.differences), "problems": len(self.all_problems)}}


def verdict(observation: Observation) -> str:
    """"may read, but could not" / "may not post, but did"."""
    verb = observation.verb
    if observation.predicted:
        return f"predicted to {verb} {observation.what}, but could not ({observation.detail})"
    return f"predicted not to {verb} {observation.what}, but could ({observation.detail})"


def text_report(report: Report) -> str:
    lines = [f"Rehearsal of {report.venue_id} ({report.file}): {report.submissions} submissions, seed {report.seed}, "
             f"dates in {report.timezone}"]
    if report.policy:
        lines += ["", "Not played: the file breaks its policies (fix them, or allow them on purpose):"]
        lines += [f"  {p}" for p in report.policy]
    for step in report.steps:
        lines += ["", f"== {step.at_text}: " + ("; ".join(step.events) or "the play goes on")]
        lines += [f"  did: {d}" for d in step.done]
        made = ", ".join(f"{n} {kind}" for kind, n in sorted(step.created.items()) if n)
        if made:
            lines.append(f"  created: {made}")
        ran, failed = step.processes
        if ran:
            lines.append(f"  processes: {ran} ran" + (f", {failed} failed" if failed else ""))
        for mail in step.mails:
            lines.append(f"  e-mail: {mail.count} x \"{mail.subject}\" to {mail.to}")
        probed = [o for o in step.observations if o.observed is not None]
        lines.append(f"  probes: {len(probed)} observed, {len(step.differences)} different from the access model")
        for o in step.differences:
            lines.append(f"  DIFFERENCE {o.label}: {verdict(o)}")
        lines += [f"  PROBLEM {p}" for p in step.problems]
    lines += [f"PROBLEM {p}" for p in report.problems]
    lines.append("")
    if report.ok:
        lines.append(f"Rehearsal passed: {report.probes} probes over {len(report.steps)} moments, each as the access "
                     "model predicts.")
    else:
        lines.append(f"Rehearsal failed: {len(report.differences)} difference(s) from the access model, "
                     f"{len(report.all_problems)} problem(s)" + (", policy errors" if report.policy else "") + ".")
    return "\n".join(lines) + "\n"


def role_words(roles: tuple[str, ...]) -> str:
    return ", ".join(ROLE_WORDS.get(r, r).lower() for r in roles)
