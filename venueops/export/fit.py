"""Fitting a venue file to live objects: the compiler run forwards until its output matches.

The compiler is not inverted by hand. Values that appear in the objects as written (dates, counts,
option lists, field names) are found by *probing*: compile the file with a unique value in that
option, find where it lands, and read the live object at the same place. Options with a few possible
values (booleans, choices, releases, audiences) are chosen by *search*: each value is compiled and the
one whose objects differ least from the live ones is kept (the plan's own comparison counts the
differences). Forms are the default form's fields compared with the live fields. Last, options that
make no difference are dropped, so the file says only what the venue departs from the defaults in.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, get_args

from venueops.compile.compile import compile_venue
from venueops.compile.model import DesiredObject, DesiredState
from venueops.config import models
from venueops.config.dates import parse_date
from venueops.config.validate import VenueConfig, load_venue_data, load_venue_text
from venueops.errors import VenueOpsError
from venueops.export.json_values import MISSING, content_path, distance, marker, plain, value_at, walk
from venueops.export.options import DATE_FIELDS, choices, field_spec, from_live, is_audiences, probe_value
from venueops.export.recognize import date_text
from venueops.openreview import files as openreview_files
from venueops.plan.diff import compare, same
from venueops.plan.model import Plan, PlanOrigin
from venueops.plan.planner import PlanOptions, PlanTarget, make_plan
from venueops.state.reader import LiveState

INFINITE = 10**9
# never dropped by ``simplify``: members listed mean venueops owns the membership, even when they match
KEPT_AS_WRITTEN = frozenset({"start", "name", "committee", "members"})
STAGE_MODELS: dict[str, type[models.Model]] = {
    "submission": models.SubmissionStage, "bidding": models.BiddingStage, "review": models.ReviewStage,
    "rebuttal": models.RebuttalStage, "meta_review": models.MetaReviewStage, "decision": models.DecisionStage,
    "comments": models.CommentStage, "revision": models.RevisionStage, "camera_ready": models.CameraReadyStage,
    "custom": models.CustomStage,
}
LISTED_STAGES = ("bidding", "custom")  # stage keys holding a list of entries
MAIN_DATES = ("start", "due", "expiration", "end")
DEADLINES = frozenset(DATE_FIELDS) - {"start"}
AUDIENCES: tuple[str, ...] = get_args(models.Audience)
PROBE_BASE = 978307200000  # 2001-01-01 UTC: far from any real venue's dates
DAY = 86_400_000


@dataclass
class Fitted:
    spec: dict[str, Any]
    config: VenueConfig
    desired: DesiredState
    plan_of: Callable[[], Plan]
    _plan: Plan | None = None
    signature: str | None = None  # ``Fitter.signature``, once asked for

    @property
    def plan(self) -> Plan:
        """The candidate planned against the live objects (made when first asked for: the search scores
        candidates object by object instead, ``Fitter.score``)."""
        if self._plan is None:
            self._plan = self.plan_of()
        return self._plan


class Fitter:
    """Fits ``spec`` to ``live`` as of ``at`` (the moment releases written ``after_due`` compile for).
    ``managed``: the addresses of the venue's own objects, which the file must account for."""

    def __init__(self, spec: dict[str, Any], live: LiveState, *, at: int, provisioning: bool, label: str,
                 managed: tuple[str, ...] = ()) -> None:
        self.spec = spec
        self.live = live
        self.managed = managed
        self.at = at
        self.provisioning = provisioning
        self.label = label
        self.zone = spec["venue"]["timezone"]
        self._scores: dict[str, int] = {}
        self._evaluated: dict[str, Fitted | None] = {}
        self._costs: dict[tuple[str, str, str], int] = {}
        self.dropped: list[str] = []  # stages found but not expressible, with why

    # -- evaluating a candidate ----------------------------------------------------------------------
    def evaluate(self, spec: dict[str, Any]) -> Fitted | None:
        """The candidate compiled and planned against the live objects, or None if it is not valid
        (remembered by the candidate's text: the passes try the same candidate many times)."""
        text = json.dumps(spec, ensure_ascii=False)  # JSON is YAML, and much faster to write
        if text not in self._evaluated:
            self._evaluated[text] = self._evaluate(text, spec)
        return self._evaluated[text]

    def _evaluate(self, text: str, spec: dict[str, Any]) -> Fitted | None:
        try:
            config = load_venue_data(json.loads(text), "<export>")
            desired = compile_venue(config, at=self.at, server_rules=False)
        except VenueOpsError:
            return None
        return Fitted(copy.deepcopy(spec), config, desired, lambda: self._plan(config, desired))

    def _plan(self, config: VenueConfig, desired: DesiredState) -> Plan:
        return make_plan(desired, self.live, resolve=openreview_files.resolve,
                         options=PlanOptions(provisioning=self.provisioning, now=self.at),
                         target=PlanTarget(self.label, self.zone),
                         origin=PlanOrigin(config_file="<export>", config_sha256=config.sha256))

    def refusal(self, spec: dict[str, Any]) -> str | None:
        """Why a candidate is not a valid venue file, every check included; None when it is."""
        try:
            compile_venue(load_venue_text(json.dumps(spec, ensure_ascii=False), "<export>"), at=self.at)
        except VenueOpsError as error:
            return str(error)
        return None

    def evaluate_text(self, text: str) -> Fitted:
        """The exported text itself compiled and planned: the round-trip check."""
        config = load_venue_text(text, "<export>")
        desired = compile_venue(config, at=self.at)
        return Fitted({}, config, desired, lambda: self._plan(config, desired))

    def score(self, spec: dict[str, Any]) -> int:
        """How far the candidate's objects are from the live ones: per differing field, how many list
        items or leaves differ (so a list one audience closer scores better), plus a step per object.
        A managed live object the candidate does not make counts as wholly different (the file would
        carry it raw), so an option that makes it (an abstract deadline's invitations) is preferred even
        when what it makes differs in a field or two."""
        text = json.dumps(spec, ensure_ascii=False)
        if text in self._scores:
            return self._scores[text]
        fitted = self.evaluate(spec)
        if fitted is None:
            result = INFINITE
        else:
            result = sum(self._cost(o) for o in fitted.desired.objects if not o.members_only)
            made = {f"{o.kind} {o.id}" for o in fitted.desired.objects}
            for address in self.managed:
                if address not in made:
                    live = self.live.get(*address.split(" ", 1))
                    result += 5 + len(live or {})
        self._scores[text] = result
        return result

    def _cost(self, obj: DesiredObject) -> int:
        """One object's distance from its live version, by the plan's own comparison (``compare``), and
        remembered by its body: most candidates change one stage, so most objects are as before."""
        key = (obj.kind, obj.id, json.dumps(obj.body, ensure_ascii=False))  # compiling is deterministic
        cost = self._costs.get(key)
        if cost is None:
            live = self.live.get(obj.kind, obj.id)
            body = openreview_files.resolve(obj.body)
            if live is None:
                cost = 5 + len(body)
            else:
                changes = compare(obj.kind, body, live).changes
                cost = 5 + sum(distance(f.before, f.after) for f in changes) if changes else 0
            self._costs[key] = cost
        return cost

    def signature(self, spec: dict[str, Any]) -> str | None:
        """The candidate's compiled objects as one text: an option may be dropped only if it leaves this
        unchanged (the plan compares only the fields a file names, so a score alone would not see a
        dropped field)."""
        fitted = self.evaluate(spec)
        if fitted is None:
            return None
        if fitted.signature is None:  # compiling is deterministic: the same objects dump to the same text
            fitted.signature = json.dumps([[o.kind, o.id, o.body] for o in fitted.desired.objects])
        return fitted.signature

    # -- the passes ----------------------------------------------------------------------------------
    def fit(self) -> Fitted:
        self.probe_dates()
        self.drop_invalid_stages()
        self.probe_values()
        # forms first (a few compilations), so that the choices are scored with the right fields; then the
        # forms again, since a choice may change a default form, and the choices again only if they did
        self.fit_forms()
        self.search_choices()
        before_forms = json.dumps(self.spec, sort_keys=True)
        self.fit_forms()
        if json.dumps(self.spec, sort_keys=True) != before_forms:
            self.search_choices()
        self.simplify()
        fitted = self.evaluate(self.spec)
        if fitted is None:
            raise VenueOpsError("export: the recognized venue file does not compile (a venueops bug): "
                                + str(self.refusal(self.spec)))
        return fitted

    def stage_entries(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every stage entry of the file with its model key (bidding has one entry per committee, custom one
        per stage)."""
        for key, entry in self.spec["stages"].items():
            if key in LISTED_STAGES:
                for one in entry:
                    yield key, one
            else:
                yield key, entry

    def probe_dates(self) -> None:
        """Dates: unique probe moments compiled, found in the objects, read back from the live ones. The
        dates every stage has come first, all at once; those that add objects (an abstract deadline)
        one by one after, each kept only if it brings the file closer to the live objects."""
        self._probe_dates(MAIN_DATES)
        for key, entry in list(self.stage_entries()):
            if "start" not in entry:
                raise VenueOpsError(f"export: the {key} stage's opening date was not found in its invitation")
        for name in DATE_FIELDS:
            if name not in MAIN_DATES:
                for index, (key, _) in enumerate(list(self.stage_entries())):
                    if name in STAGE_MODELS[key].model_fields:
                        before = self.score(self.spec)
                        kept = copy.deepcopy(self.spec)
                        self._probe_dates((name, *MAIN_DATES), only=list(self.stage_entries())[index][1])
                        if self.score(self.spec) > before:
                            self.spec.clear()
                            self.spec.update(kept)

    def _probe_dates(self, names: tuple[str, ...], only: dict[str, Any] | None = None) -> None:
        entries = list(self.stage_entries())
        probe = copy.deepcopy(self.spec)
        probes: dict[int, tuple[dict[str, Any], str]] = {}
        for index, ((key, entry), (_, target)) in enumerate(zip(_entries_of(probe), entries, strict=True)):
            if only is not None and target is not only:
                continue
            fields = STAGE_MODELS[key].model_fields
            base = PROBE_BASE + index * 20 * DAY
            for offset, name in enumerate(DATE_FIELDS):
                if name in fields and name in names:
                    moment = base + offset * DAY + 60_000 * (index + 1)
                    entry[name] = date_text(moment, self.zone, deadline=name in DEADLINES)
                    probes[parse_date(entry[name], self.zone, end_of_day=name in DEADLINES).ms] = (target, name)
        found = self._locate(probe, probes)
        for moment, (target, name) in probes.items():
            value = found.get(moment)
            if isinstance(value, int) and not isinstance(value, bool):
                target[name] = date_text(value, self.zone, deadline=name in DEADLINES)

    def drop_invalid_stages(self) -> None:
        """A stage whose live dates no venue file can say (a revision open from 2020, before submissions)
        is not recognized after all: it is dropped, last first, until the file compiles; its objects are
        then carried raw."""
        for key in reversed([k for k in self.spec["stages"] if k != "submission"]):
            if self.evaluate(self.spec) is not None:
                return
            entry = self.spec["stages"].pop(key)
            if self.evaluate(self.spec) is None:
                self.spec["stages"][key] = entry
            else:
                why = self.refusal({**self.spec, "stages": {**self.spec["stages"], key: entry}}) or ""
                self.dropped.append(f"{key} ({why.split(': error: ', 1)[-1].splitlines()[0]})")

    def probe_values(self) -> None:
        """Counts, option lists and names: probed one by one (each changes the objects' shape little)."""
        for key, entry in list(self.stage_entries()):
            for name, info in STAGE_MODELS[key].model_fields.items():
                sample = probe_value(name, info.annotation)
                if sample is None:
                    continue
                trial = copy.deepcopy(self.spec)
                _find_entry(trial, self.spec, entry)[name] = sample
                compiled = plain(sample)
                found = self._locate(trial, {marker(compiled): (entry, name)})
                value = found.get(marker(compiled))
                if value is None:
                    continue
                candidate = from_live(value, info.annotation)
                if candidate is None:
                    continue
                previous = entry.get(name, MISSING)
                before = self.score(self.spec)
                entry[name] = candidate
                if self.score(self.spec) > before:
                    _restore(entry, name, previous)

    def _locate(self, spec: dict[str, Any], probes: dict[Any, tuple[dict[str, Any], str]]) -> dict[Any, Any]:
        """For each probe value: the live value at the first place the compiled objects hold it."""
        fitted = self.evaluate(spec)
        if fitted is None:
            return {}
        out: dict[Any, Any] = {}
        for obj in fitted.desired.objects:
            if obj.members_only:
                continue
            for path, value in walk(obj.body, ()):
                found = marker(value)
                if found in probes and found not in out:
                    live = self.live.get(obj.kind, obj.id)
                    have = value_at(live, path) if live is not None else MISSING
                    if have is not MISSING:
                        out[found] = have
        return out

    def search_choices(self) -> None:
        """Booleans, choices and releases of roles and stages: each value tried, the best kept."""
        for role in ("reviewers", "area_chairs", "ethics_reviewers"):
            entry = self.spec["roles"].get(role)
            if isinstance(entry, dict):
                model = models.ReviewersRole if role == "reviewers" else models.AnonymousRole
                self._search_entry(entry, model)
        for (key, entry), label in zip(list(self.stage_entries()), self.stage_labels(), strict=True):
            if self.score(self.spec) == 0:
                return  # nothing left to get closer to
            if key != "submission" and self._matches(label):
                continue  # what this stage makes is already the live objects: its choices are right
            self._search_entry(entry, STAGE_MODELS[key])

    def stage_labels(self) -> list[str]:
        """Each stage entry's name in compiled objects' ``stage`` (``stages.review``, ``stages.bidding[1]``)."""
        out = []
        for key, entry in self.spec["stages"].items():
            if key in LISTED_STAGES:
                out += [f"stages.{key}[{index}]" for index in range(len(entry))]
            else:
                out.append("submission" if key == "submission" else f"stages.{key}")
        return out

    def _matches(self, label: str) -> bool:
        """Whether every object the stage ``label`` makes equals its live version."""
        fitted = self.evaluate(self.spec)
        if fitted is None:
            return False
        made = [o for o in fitted.desired.objects if o.stage == label and not o.members_only]
        return bool(made) and all(self._cost(o) == 0 for o in made)

    def _search_entry(self, entry: dict[str, Any], model: type[models.Model]) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if is_audiences(annotation):
                self._greedy_audiences(entry, name)
                continue
            values = choices(annotation)
            if not values:
                continue
            best, best_score = entry.get(name, MISSING), self.score(self.spec)
            for choice in values:
                entry[name] = choice
                trial = self.score(self.spec)
                if trial < best_score:
                    best, best_score = choice, trial
            _restore(entry, name, best)

    def _greedy_audiences(self, entry: dict[str, Any], name: str) -> None:
        """An audience list found in one sweep: each audience is tried added to the list alone (to the best
        single audience, when an empty list is not allowed), and those that each bring the objects closer are
        taken together; then each is dropped again if that is better still (audiences mostly add a group to
        some readers, so they seldom interact). Kept only if it beats the option left out (its default) and
        the value the entry had."""
        previous = entry.get(name, MISSING)
        entry.pop(name, None)
        default_score = self.score(self.spec)
        seed: list[str] = []
        base = self._score_with(entry, name, seed)
        if base >= INFINITE:
            singles = {a: self._score_with(entry, name, [a]) for a in AUDIENCES}
            best = min(AUDIENCES, key=lambda a: singles[a])
            seed, base = [best], singles[best]
        helpful = [a for a in AUDIENCES if a not in seed and self._score_with(entry, name, [*seed, a]) < base]
        current = [*seed, *helpful]
        best_score = self._score_with(entry, name, current)
        for audience in list(current):
            trial = [a for a in current if a != audience]
            if trial and (score := self._score_with(entry, name, trial)) < best_score:
                current, best_score = trial, score
        if previous is not MISSING and self._score_with(entry, name, previous) < min(best_score, default_score):
            entry[name] = previous
        elif best_score < default_score:
            entry[name] = current
        else:
            entry.pop(name, None)

    def _score_with(self, entry: dict[str, Any], name: str, value: Any) -> int:
        entry[name] = value
        return self.score(self.spec)

    def fit_forms(self) -> None:
        """Each form: the default form's fields (the form left empty) compared with the live fields; the
        form found is kept when it matches the live objects at least as well as the one before."""
        for key, entry in list(self.stage_entries()):
            if "form" not in STAGE_MODELS[key].model_fields or key in ("revision", "camera_ready"):
                continue
            previous = entry.pop("form", MISSING)
            fitted = self.evaluate(self.spec)
            form = self._form(fitted, key, entry) if fitted is not None else None
            _restore(entry, "form", previous)
            before = self.score(self.spec)
            _restore(entry, "form", form or MISSING)
            if self.score(self.spec) > before:
                _restore(entry, "form", previous)

    def _form(self, fitted: Fitted, key: str, entry: dict[str, Any]) -> dict[str, Any] | None:
        name = entry.get("name") or STAGE_MODELS[key].model_fields["name"].default
        invitation_id = f"{self.spec['venue']['id']}/-/{name}"
        obj = fitted.desired.get("invitation", invitation_id)
        live = self.live.get("invitation", invitation_id)
        if obj is None or live is None:
            return None
        path = content_path(obj.body)
        if path is None:
            return None
        default, have = value_at(obj.body, path), value_at(live, path)
        if not isinstance(default, dict) or not isinstance(have, dict):
            return None
        form: dict[str, Any] = {}
        removed = [field for field in default if field not in have]
        added = {}
        for field, value in have.items():
            if field in default and same(default[field], value):
                continue
            spec = field_spec(value)
            if spec is not None:
                added[field] = spec
        if removed:
            form["remove"] = removed
        if added:
            form["add"] = added
        return form

    def try_custom_stage(self, invitation: dict[str, Any]) -> bool:
        """A venue-level super invitation no stage makes, tried as a custom stage: its form taken from the
        live fields, everything else fitted. Kept only if the file then matches the live venue better
        than with the invitation carried raw."""
        path = content_path(invitation)
        fields = value_at(invitation, path) if path is not None else MISSING
        if not isinstance(fields, dict) or not fields:
            return False
        add: dict[str, Any] = {}
        for name, value in fields.items():
            spec = field_spec(value)
            if spec is None:
                return False
            add[name] = spec
        kept = copy.deepcopy(self.spec)
        before = self.score(self.spec)
        name = invitation["id"].rsplit("/-/", 1)[1]
        self.spec["stages"].setdefault("custom", []).append(
            {"name": name, "invitees": ["reviewers_assigned"], "readers": ["program_chairs"], "form": {"add": add}})
        try:
            self.fit()
        except VenueOpsError:
            pass
        else:
            if self.score(self.spec) < before:
                return True
        self.spec.clear()
        self.spec.update(kept)
        return False

    def simplify(self) -> None:
        """Drop every option whose removal changes nothing, so the file states only what departs from the
        defaults."""
        for key, entry in list(self.stage_entries()):
            self._simplify_entry(entry, STAGE_MODELS[key])
        for role, entry in self.spec["roles"].items():
            if isinstance(entry, dict):
                self._simplify_entry(entry, models.ReviewersRole if role == "reviewers" else models.AnonymousRole)

    def _simplify_entry(self, entry: dict[str, Any], model: type[models.Model]) -> None:
        names = []
        for name in [n for n in entry if n not in KEPT_AS_WRITTEN]:
            info = model.model_fields.get(name)
            if info is not None and not info.is_required() and info.default is not None \
                    and same(_as_json(info.default), entry[name]):
                del entry[name]  # the option's own default, written out: dropping it cannot change anything
            else:
                names.append(name)
        before = self.signature(self.spec)
        if before is None or not names:
            return
        kept = {name: entry.pop(name) for name in names}
        if self.signature(self.spec) == before:
            return  # all of them at once (one compilation instead of one each)
        entry.update(kept)
        for name in names:
            value = entry.pop(name)
            if self.signature(self.spec) != before:
                entry[name] = value


# -- the file's stage entries ------------------------------------------------------------------------
def _entries_of(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key, entry in spec["stages"].items():
        if key in LISTED_STAGES:
            for one in entry:
                yield key, one
        else:
            yield key, entry


def _find_entry(trial: dict[str, Any], spec: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """The entry of the copy ``trial`` that is ``entry`` in ``spec``."""
    for (_, mine), (_, theirs) in zip(_entries_of(spec), _entries_of(trial), strict=True):
        if mine is entry:
            return theirs
    raise KeyError("entry")


def _as_json(value: Any) -> Any:
    """A model default as the file would write it (tuples are lists)."""
    if isinstance(value, tuple):
        return [_as_json(v) for v in value]
    return value


def _restore(entry: dict[str, Any], name: str, value: Any) -> None:
    if value is MISSING:
        entry.pop(name, None)
    else:
        entry[name] = value
