"""Saved plans: ``apply PLAN`` posts exactly what a reviewer approved, or nothing.

A plan file passes through these gates before anything is posted (each refusal names the gate):

1. its digests (and its signature, with ``VENUEOPS_PLAN_KEY``) hold (``venueops.plan.integrity``);
2. the venue file it names still has the bytes it was planned from (``config_sha256``), and so do
   the files it extends (the digest covers them all); each file is read once, and those very bytes
   are what is planned again;
3. the options it was made with (``--allow-delete``, ``--bootstrap``, ``--at``) are the ones given to
   apply: a plan file cannot grant itself deletions, support's rights or an early release moment
   (``check_options``);
4. its objects have not moved since (version tokens, ``venueops.apply.versions``);
5. planned again from that file with those options, against the live venue, it comes out identical,
   field for field and edit for edit (``check_same_plan``).

Gates 3 and 5 are what make a plan file safe to hand around without a key: whoever edits it (and
recomputes its digests) can at most obtain the plan that ``venueops plan`` itself makes from the same
venue file with the same options. What is shown before applying is the plan made again, the very
object that is posted, so what people read and what is sent cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from venueops.apply.versions import refuse_if_stale
from venueops.config.loader import load_text
from venueops.config.validate import VenueConfig, compose_file, load_venue_text, validate_composed
from venueops.errors import ConfigError
from venueops.plan.integrity import PlanIntegrityError, first_difference, sha256, verify
from venueops.plan.model import FORMAT_VERSION, Plan

if TYPE_CHECKING:
    from venueops.targets.target import Target

# Fields of a plan document that may differ when the same plan is made again: how many requests
# reading the live state took is a measurement, not part of what is applied.
MEASURED = ("plan_id", "signature", "requests")


@dataclass(frozen=True)
class SavedPlan:
    """A saved plan whose digests hold, with the venue file it was made from (read once)."""

    name: str  # the plan file, as given
    document: dict[str, Any]
    plan: Plan
    config: VenueConfig


def read_saved_plan(document: Any, name: str, key: bytes | None) -> SavedPlan:
    """Gates 1 and 2: the document's integrity, then its venue file's. Raises ``PlanIntegrityError``."""
    version = document.get("format_version") if isinstance(document, dict) else None
    if version != FORMAT_VERSION:
        raise PlanIntegrityError(f"{name} is a plan of format {version!r}; this venueops applies format "
                                 f"{FORMAT_VERSION} plans only, whose integrity it can check. Make the plan again.")
    verify(document, key, name=name)
    try:
        plan = Plan.from_json(document)
    except KeyError as error:
        raise PlanIntegrityError(f"{name} is not a plan this venueops can apply: no {error} where one is needed") \
            from None
    except (TypeError, ValueError, AttributeError) as error:
        raise PlanIntegrityError(f"{name} is not a plan this venueops can apply: {error}") from None
    return SavedPlan(name=name, document=document, plan=plan, config=_venue_file(plan, name))


def _venue_file(plan: Plan, name: str) -> VenueConfig:
    path = Path(plan.config_file)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise PlanIntegrityError(
            f"the venue file {plan.config_file} that {name} was made from is not there: apply runs the plan's checks "
            "against it, so run apply where plan ran, with the same file") from None
    except OSError as error:
        raise PlanIntegrityError(f"cannot read the venue file {plan.config_file} that {name} was made from: "
                                 f"{error.strerror or error}") from None
    if sha256(content) == plan.origin.config_sha256:
        return load_venue_text(content, plan.config_file)  # a file that extends none (its digest is its own)
    try:  # a file that extends others: its digest covers them, read now, once, with it
        composed = compose_file(load_text(content, plan.config_file))
    except ConfigError:
        composed = None
    if composed is None or len(composed.files) == 1 or composed.sha256 != plan.origin.config_sha256:
        extended = " or a file it extends" if plan.origin.config_bases or (composed and len(composed.files) > 1) else ""
        raise PlanIntegrityError(
            f"the venue file {plan.config_file}{extended} changed since {name} was made (its digest differs): "
            "nothing was applied. Make the plan again and review it.")
    return validate_composed(composed)


def check_options(plan: Plan, name: str, *, allow_delete: bool, bootstrap: bool, at: int | None) -> None:
    """Gate 3: the options given to apply are exactly those the plan records."""
    recorded = plan.origin
    given = {"--allow-delete": (allow_delete, recorded.allow_delete), "--bootstrap": (bootstrap, recorded.bootstrap)}
    for flag, (now, then) in given.items():
        if now != then:
            made = "was made with" if then else "was made without"
            raise PlanIntegrityError(f"{name} {made} {flag}, and this apply {'was not' if then else 'was'} given it: a "
                                     "plan file cannot choose its own options. Give apply the options plan was given.")
    if at != recorded.at:
        made = f"for --at {recorded.at} (epoch ms)" if recorded.at is not None else "without --at"
        given_at = f"given --at {at} (epoch ms)" if at is not None else "not given --at"
        raise PlanIntegrityError(f"{name} was made {made}, and this apply was {given_at}: a plan file cannot choose "
                                 "its own moment. Give apply the options plan was given.")


def prepare_saved_plan(saved: SavedPlan, target: Target) -> Plan:
    """Gates 4 and 5 against the target: nothing the plan touches moved, and planning again from the
    recorded file and options gives this very plan. Returns that plan, the one to show and post.
    Only reads; raises ``StalePlanError`` or ``PlanIntegrityError``."""
    from venueops.engine.planning import plan_venue  # the engine: config → desired → live → plan

    plan = saved.plan
    refuse_if_stale(plan, target.reader)
    again = plan_venue(saved.config, target, allow_delete=plan.origin.allow_delete, at=plan.origin.at).plan
    check_same_plan(saved, again)
    return again


def check_same_plan(saved: SavedPlan, again: Plan) -> None:
    """Gate 5: the plan made again must equal the saved one in every field that is applied or shown."""
    expected = {k: v for k, v in saved.document.items() if k not in MEASURED}
    actual = {k: v for k, v in again.to_json().items() if k not in MEASURED}
    where = first_difference(expected, actual)
    if where is None:
        return
    raise PlanIntegrityError(
        f"{saved.name} is not what its venue file plans now ({where} differs): nothing was applied. Either the plan "
        "file was edited, or the live venue changed in a part the plan did not touch, or a release or expiry fell "
        "due since it was made. Make the plan again and review it.")
