"""Checks beyond the schema that need the whole file: dates in order, stage names unique.

Impossible orders are errors (a stage due before it starts; rebuttals before any review exists);
merely unusual ones are warnings (reviews opening before submissions close, which OpenReview
allows). Checks on the compiled objects (group references, double-blind leaks) live in
``venueops.compile.checks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from venueops.config import models
from venueops.config.dates import format_ms, parse_date
from venueops.config.loader import PathKey, SourceMap
from venueops.diagnostics import Diagnostic, Severity
from venueops.openreview.rules import number_problem

FIXED_NAMES = ("Post_{sub}", "PC_Revision", "Withdrawal", "Withdrawn_{sub}", "Withdraw_Expiration",
               "Withdrawal_Reversion", "Desk_Rejection", "Desk_Rejected_{sub}", "Desk_Reject_Expiration",
               "Desk_Rejection_Reversion", "Edit", "Full_{sub}", "Deletion", "Deletion_Expiration")
DEADLINES = frozenset({"due", "expiration", "end", "abstract_due", "withdrawal_expiration"})


@dataclass(frozen=True)
class _Date:
    ms: int
    path: PathKey


def check_numbers(data: Any, source: SourceMap, path: PathKey = ()) -> list[Diagnostic]:
    """Numbers OpenReview cannot store (beyond 2**53 - 1, or not finite), wherever the file writes them."""
    if isinstance(data, dict):
        return [d for key, value in data.items() for d in check_numbers(value, source, (*path, key))]
    if isinstance(data, list):
        return [d for index, value in enumerate(data) for d in check_numbers(value, source, (*path, index))]
    problem = number_problem(data)
    return [Diagnostic(problem, source.locate(path), path=_dotted(path))] if problem else []


def _dotted(path: PathKey) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def check_venue(spec: models.VenueFile, source: SourceMap) -> list[Diagnostic]:
    checker = _Checker(spec, source)
    checker.stage_windows()
    checker.stage_sequence()
    checker.unique_names()
    checker.post_submission()
    return checker.found


class _Checker:
    def __init__(self, spec: models.VenueFile, source: SourceMap) -> None:
        self.spec = spec
        self.source = source
        self.found: list[Diagnostic] = []
        self.zone = spec.venue.timezone

    def date(self, path: PathKey, value: str | None) -> _Date | None:
        if value is None:
            return None
        return _Date(parse_date(value, self.zone, end_of_day=path[-1] in DEADLINES).ms, path)

    def report(self, severity: Severity, message: str, path: PathKey) -> None:
        self.found.append(Diagnostic(message, self.source.locate(path), severity=severity, path=_dotted(path)))

    def _shown(self, date: _Date) -> str:
        return format_ms(date.ms, self.zone)

    def post_submission(self) -> None:
        """Without Post_Submission nothing applies readers_after_due or hide_fields: saying them is a mistake."""
        submission = self.spec.stages.submission
        if submission.post_submission:
            return
        for name in ("readers_after_due", "hide_fields"):
            if getattr(submission, name):
                self.report("error", f"stages.submission.{name} needs post_submission (it is false, so nothing "
                                     "would apply it)", ("stages", "submission", name))

    # -- each stage's own dates ----------------------------------------------------------------
    def stage_windows(self) -> None:
        stages = self.spec.stages
        entries: list[tuple[PathKey, object]] = [(("stages", "submission"), stages.submission)]
        for key in ("review", "rebuttal", "meta_review", "decision", "revision", "camera_ready"):
            stage = getattr(stages, key)
            if stage is not None:
                entries.append((("stages", key), stage))
        entries += [(("stages", "bidding", i), s) for i, s in enumerate(stages.bidding)]
        entries += [(("stages", "custom", i), s) for i, s in enumerate(stages.custom)]
        for path, stage in entries:
            start = self.date((*path, "start"), getattr(stage, "start", None))
            due = self.date((*path, "due"), getattr(stage, "due", None))
            expiration = self.date((*path, "expiration"), getattr(stage, "expiration", None))
            if start and due and due.ms <= start.ms:
                self.report("error", f"{_dotted(path)} is due ({self._shown(due)}) before it starts "
                                     f"({self._shown(start)})", due.path)
            if due and expiration and expiration.ms < due.ms:
                self.report("error", f"{_dotted(path)} expires ({self._shown(expiration)}) before it is due "
                                     f"({self._shown(due)})", expiration.path)
        submission = stages.submission
        abstract = self.date(("stages", "submission", "abstract_due"), submission.abstract_due)
        due = self.date(("stages", "submission", "due"), submission.due)
        start = self.date(("stages", "submission", "start"), submission.start)
        if abstract and due and abstract.ms >= due.ms:
            self.report("error", "the abstract registration deadline must come before the full paper deadline",
                        abstract.path)
        if abstract and start and abstract.ms <= start.ms:
            self.report("error", "the abstract registration deadline must come after submissions open",
                        abstract.path)
        comments = stages.comments
        if comments is not None:
            start = self.date(("stages", "comments", "start"), comments.start)
            end = self.date(("stages", "comments", "end"), comments.end)
            if start and end and end.ms <= start.ms:
                self.report("error", "stages.comments ends before it starts", end.path)

    # -- stages relative to each other ---------------------------------------------------------
    def stage_sequence(self) -> None:
        stages = self.spec.stages
        sub = ("stages", "submission")
        submission_due = self.date((*sub, "due"), stages.submission.due)
        first_deadline = self.date((*sub, "abstract_due"), stages.submission.abstract_due) or submission_due
        submission_start = self.date((*sub, "start"), stages.submission.start)
        assert submission_due and submission_start and first_deadline

        def start_of(key: str) -> _Date | None:
            stage = getattr(stages, key)
            return None if stage is None else self.date(("stages", key, "start"), stage.start)

        def due_of(key: str) -> _Date | None:
            stage = getattr(stages, key)
            return None if stage is None else self.date(("stages", key, "due"), stage.due)

        review_start, review_due = start_of("review"), due_of("review")
        for index, bid in enumerate(stages.bidding):
            bid_start = self.date(("stages", "bidding", index, "start"), bid.start)
            assert bid_start
            if bid_start.ms < submission_start.ms:
                self.report("error", "bidding cannot open before submissions do", bid_start.path)
            elif bid_start.ms < first_deadline.ms:
                self.report("warning", "bidding opens before the submission deadline: only papers already "
                                       "submitted can be bid on", bid_start.path)
            bid_due = self.date(("stages", "bidding", index, "due"), bid.due)
            if bid_due and review_start and review_start.ms < bid_due.ms:
                self.report("warning", "reviews open before bidding closes", review_start.path)
        if review_start:
            if review_start.ms < submission_start.ms:
                self.report("error", "reviews cannot open before submissions do", review_start.path)
            elif review_start.ms < submission_due.ms:
                self.report("warning", f"reviews open before the submission deadline ({self._shown(submission_due)})",
                            review_start.path)
        self._after("rebuttal", "review", review_start, review_due, "rebuttals reply to reviews")
        self._after("meta_review", "review", review_start, review_due, "meta reviews summarise reviews")
        decision_start = start_of("decision")
        if decision_start:
            if decision_start.ms < submission_due.ms:
                self.report("error", f"decisions cannot open before the submission deadline "
                                     f"({self._shown(submission_due)})", decision_start.path)
            for key in ("meta_review", "review"):
                due = due_of(key)
                if due and decision_start.ms < due.ms:
                    self.report("warning", f"decisions open before stages.{key} is due ({self._shown(due)})",
                                decision_start.path)
                    break
        camera = stages.camera_ready
        if camera is not None:
            camera_start = self.date(("stages", "camera_ready", "start"), camera.start)
            assert camera_start
            if camera.only_accepted and stages.decision is None:
                self.report("error", "camera ready revisions for accepted papers need a decision stage",
                            ("stages", "camera_ready", "only_accepted"))
            elif decision_start and camera_start.ms < decision_start.ms:
                severity: Severity = "error" if camera.only_accepted else "warning"
                self.report(severity, "camera ready revisions open before decisions do", camera_start.path)
        for key in ("review", "rebuttal", "meta_review", "decision", "comments", "revision", "camera_ready"):
            stage = getattr(stages, key)
            if stage is None:
                continue
            start = self.date(("stages", key, "start"), stage.start)
            assert start
            if key not in ("review", "decision", "camera_ready") and start.ms < submission_start.ms:
                self.report("error", f"stages.{key} cannot open before submissions do", start.path)

    def _after(self, key: str, after_key: str, after_start: _Date | None, after_due: _Date | None, why: str) -> None:
        stage = getattr(self.spec.stages, key)
        if stage is None:
            return
        start = self.date(("stages", key, "start"), stage.start)
        assert start
        if getattr(self.spec.stages, after_key) is None:
            if key in ("rebuttal", "meta_review"):
                self.report("error", f"stages.{key} needs stages.{after_key}: {why}", ("stages", key))
            return
        if after_start and start.ms < after_start.ms:
            self.report("error", f"stages.{key} opens before stages.{after_key} does: {why}", start.path)
        elif after_due and start.ms < after_due.ms:
            self.report("warning", f"stages.{key} opens before stages.{after_key} is due "
                                   f"({self._shown(after_due)})", start.path)

    # -- names -----------------------------------------------------------------------------------
    def unique_names(self) -> None:
        stages = self.spec.stages
        sub = stages.submission.name
        seen: dict[str, PathKey] = {}
        named: list[tuple[str, PathKey]] = [(sub, ("stages", "submission", "name"))]
        named += [(name.format(sub=sub), ("stages", "submission", "name")) for name in FIXED_NAMES]
        for key in ("review", "rebuttal", "meta_review", "decision", "comments", "revision", "camera_ready"):
            stage = getattr(stages, key)
            if stage is not None:
                named.append((stage.name, ("stages", key, "name")))
        named += [(c.name, ("stages", "custom", i, "name")) for i, c in enumerate(stages.custom)]
        for name, path in named:
            if name in seen:
                first = seen[name]
                first_line = self.source.locate(first, key=True).line
                self.report("error", f"the stage name {name!r} is already used (line {first_line}); "
                                     "every stage needs its own name", path)
                continue
            seen[name] = path
        committees = [b.committee for b in stages.bidding]
        for index, committee in enumerate(committees):
            if committees.index(committee) != index:
                self.report("error", f"{committee} already have a bidding stage", ("stages", "bidding", index))
            role = getattr(self.spec.roles, committee)
            if role is None:
                self.report("error", f"bidding for {committee}, but the venue has no {committee} role",
                            ("stages", "bidding", index, "committee"))


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
