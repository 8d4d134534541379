"""The rehearsal's script: the moments it plays and probes, and what the synthetic people do at each.

The moments are the access model's own: every moment a grant starts or ends (a stage opens or closes,
submissions close and the post-deadline readers start, a release written ``after_due``), and the
moments the venue's date processes run (they make the papers' groups and forms). Each is played
a minute after it (``AFTER_MS``), so that what falls due at it has fallen due; two moments closer than
that are played together, after the later.

What happens at a moment (in this order):

1. ``reconcile``: venueops plans the file for the sandbox's now and applies what changed (what a
   scheduled ``venueops reconcile`` does: the releases written ``after_due``);
2. ``assign``, at the first moment after submissions close: a program chair fills each paper's
   committee groups, as the chairs' assignment tools do;
3. ``submit``, when submissions open: every author submits;
4. ``reply <stage>``, when a reply stage opens: its writers post one reply per paper (the first reviewer
   reviews, the first author rebuts the first review, the area chair writes the meta review, a program
   chair decides, the author comments on paper 1).

Pure: from the venue file and its access model.
"""

from __future__ import annotations

from dataclasses import dataclass

from venueops.access.model import AccessMatrix
from venueops.compile.compile import compile_venue
from venueops.config.dates import parse_date
from venueops.config.validate import VenueConfig

AFTER_MS = 60_000
DAY_MS = 86_400_000
REPLY_KEYS = ("review", "rebuttal", "meta_review", "decision", "comments")


@dataclass(frozen=True)
class Step:
    at: int  # epoch ms: when the step is played and probed
    events: tuple[str, ...]  # what happened just before it, in words ("Official_Review opens")
    actions: tuple[str, ...]  # "reconcile", "assign", "submit", "reply:<stage key>"


@dataclass(frozen=True)
class Script:
    begins: int  # the clock before the first step, when the file is first applied
    steps: tuple[Step, ...]


def reply_stages(config: VenueConfig) -> list[tuple[str, str]]:
    """(stage key, invitation name) of each reply stage the play writes to, custom stages included."""
    stages = config.spec.stages
    out = [(key, getattr(stages, key).name) for key in REPLY_KEYS if getattr(stages, key) is not None]
    out += [(f"custom:{i}", custom.name) for i, custom in enumerate(stages.custom)]
    return out


def script_for(config: VenueConfig, matrix: AccessMatrix) -> Script:
    events: dict[int, set[str]] = {}
    for grant in matrix.grants:
        if grant.start is not None:
            events.setdefault(grant.start, set()).add(_opening(grant.what, grant.verb, grant.reason))
        if grant.end is not None:
            events.setdefault(grant.end, set()).add(_closing(grant.what, grant.verb))
    for invitation in compile_venue(config, server_rules=False):  # the venue's own date processes (fan-outs)
        cdate = invitation.body.get("cdate") if invitation.kind == "invitation" else None
        if invitation.body.get("dateprocesses") and isinstance(cdate, int):
            events.setdefault(cdate, set()).add(f"{invitation.id.rsplit('/-/', 1)[-1]} runs")
    zone = config.spec.venue.timezone
    stages = config.spec.stages
    opens: dict[str, int] = {}
    submission = stages.submission
    if submission.start:
        opens["submit"] = parse_date(submission.start, zone, end_of_day=False).ms
    closes = parse_date(submission.due, zone, end_of_day=True).ms if submission.due else None
    for key, _ in reply_stages(config):
        stage = stages.custom[int(key.split(":")[1])] if key.startswith("custom:") else getattr(stages, key)
        if stage.start:
            opens[f"reply:{key}"] = parse_date(stage.start, zone, end_of_day=False).ms
    for moment in opens.values():
        events.setdefault(moment, set())
    if closes is not None:
        events.setdefault(closes, set()).add("the submission deadline")
    moments = _merged(sorted(events))
    first = moments[0][0] if moments else 0
    opens.setdefault("submit", first)
    steps = []
    assigned = False
    for group in moments:
        at = group[-1] + AFTER_MS
        actions = ["reconcile"]
        if not assigned and closes is not None and at > closes:
            actions.append("assign")
            assigned = True
        actions += [action for action, moment in sorted(opens.items(), key=lambda kv: (kv[1], kv[0]))
                    if _first_step_after(moment, moments) == group]
        words = sorted({word for moment in group for word in events.get(moment, ()) if word})
        steps.append(Step(at, tuple(words), tuple(actions)))
    return Script(begins=first - DAY_MS, steps=tuple(steps))


def _merged(moments: list[int]) -> list[tuple[int, ...]]:
    """Moments closer than ``AFTER_MS`` to the next are played together, after the last of them."""
    groups: list[list[int]] = []
    for moment in moments:
        if groups and moment - groups[-1][-1] < 2 * AFTER_MS:
            groups[-1].append(moment)
        else:
            groups.append([moment])
    return [tuple(g) for g in groups]


def _first_step_after(moment: int, groups: list[tuple[int, ...]]) -> tuple[int, ...] | None:
    for group in groups:
        if group[-1] >= moment:
            return group
    return None


def _opening(what: str, verb: str, reason: str | None) -> str:
    if reason:
        return f"{what}: {reason}"
    return f"{what} opens" if verb == "post" else f"{what}: new readers"


def _closing(what: str, verb: str) -> str:
    return f"{what} closes" if verb == "post" else f"{what}: readers end"
