"""Policy rules, checked against the access model before anything is applied (``validate``, ``plan``).

Built in (each can be turned off on purpose with ``policies.allow``):

- ``reviews_before_deadline``: nobody but the chairs, the paper's committee and a review's signer reads a
  paper's reviews before the review deadline: not its authors, not the public. Releasing reviews at once
  (``release_to_authors: true``, ``public: true``) is a choice the file must state by allowing it.
- ``double_blind_identities``: in a double-blind venue, no reviewer and nobody outside the venue reads
  author identities before decisions open (ever, without a decision stage): not through the submissions'
  readers, nor through withdrawn or desk-rejected submissions made public with their authors revealed.
- ``committee_reads_replies``: who must be able to read: in a venue with area chairs (senior area
  chairs), each paper's area chairs (senior area chairs) read its reviews, rebuttals and meta reviews
  (those of the stages the venue has) once they are posted; the program chairs read the replies of
  every stage. Located at the stage's readers option (or the override that sets its readers) when the
  file writes one, else at the stage.
- ``stage_after_last`` (a warning): no reply stage is still open after the venue's last stage has closed.

The venue's own rules (``policies.rules``), each with one of two forms:

- ``{role, may_not, what, before}``: ``role`` may never ``may_not`` ``what`` before ``before`` (a date or
  a stage's date; without it: never);
- ``{role, must, what, from}``: ``role`` must be able to ``must`` ``what`` from ``from`` on (without it:
  from the object's creation, or for ``post`` at some time).

A role is covered by what its wider groups hold: the whole committee covers the paper's own
(``area_chairs`` covers ``area_chairs_assigned``, ``reviewers`` and ``reviewers_assigned`` cover
``reviewers_submitted``), and anyone logged in, or the public, covers everybody. A reader a writer may
choose is no guarantee that a role can read. Each problem is located at the file's line that causes or
states it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from venueops.access.derive import CHOSEN, DESK_REJECTED, WITHDRAWN, access_matrix
from venueops.access.model import AccessMatrix, Grant
from venueops.access.roles import LOGGED_IN, PUBLIC, ROLE_WORDS, ROLES
from venueops.compile.overrides import object_id_of
from venueops.config.dates import DateError, format_ms, parse_date
from venueops.config.validate import VenueConfig
from venueops.diagnostics import Diagnostic, Location, is_error
from venueops.errors import ConfigError

STAGE_DATES = ("start", "due", "expiration", "end")
REVIEW_OUTSIDERS = ("authors", "public", "logged_in", "reviewers", "area_chairs", "senior_area_chairs")
IDENTITY_OUTSIDERS = ("reviewers", "reviewers_assigned", "reviewers_submitted", "public", "logged_in")
REPLY_STAGES = ("bidding", "review", "rebuttal", "meta_review", "decision", "comments", "custom")
# the wider groups whose grants a role holds too (besides anyone logged in, and the public)
WIDER = {"senior_area_chairs_assigned": ("senior_area_chairs",), "area_chairs_assigned": ("area_chairs",),
         "reviewers_assigned": ("reviewers",), "reviewers_submitted": ("reviewers_assigned", "reviewers"),
         "ethics_reviewers_assigned": ("ethics_reviewers",)}
# the stages whose replies the paper's area chairs and senior area chairs read
COMMITTEE_READS = ("review", "rebuttal", "meta_review")
# the options that set a stage's readers, and the field of its super invitation they end up in
READER_OPTIONS = {"rebuttal": ("readers",), "comments": ("readers", "participants"), "custom": ("readers",)}
NOTE_READERS = "edit.invitation.edit.note.readers"
# grants that are no guarantee that a role can do something: a reader the writer may choose, a retired paper's
UNSURE = (CHOSEN, WITHDRAWN, DESK_REJECTED)
# the author identities of retired submissions (their condition in the access model), and the option
# that reveals them
RETIRED = ((WITHDRAWN, "withdrawn submissions"), (DESK_REJECTED, "desk-rejected submissions"))
REVEALS = ((WITHDRAWN, "withdrawn_reveal_authors"), (DESK_REJECTED, "desk_rejected_reveal_authors"))


def check_policies(config: VenueConfig, matrix: AccessMatrix | None = None) -> list[Diagnostic]:
    matrix = matrix or access_matrix(config)
    allowed = set(config.spec.policies.allow)
    found: list[Diagnostic] = []
    if "reviews_before_deadline" not in allowed:
        found += _reviews_before_deadline(config, matrix)
    if "double_blind_identities" not in allowed:
        found += _double_blind_identities(config, matrix)
    if "committee_reads_replies" not in allowed:
        found += _committee_reads_replies(config, matrix)
    if "stage_after_last" not in allowed:
        found += _stage_after_last(config)
    for index in range(len(config.spec.policies.rules)):
        found += _own_rule(config, matrix, index)
    return found


def checked_policies(config: VenueConfig) -> VenueConfig:
    """``config`` with the policies' warnings added to its own; raises ``ConfigError`` (every problem,
    located) when a policy is broken."""
    found = check_policies(config)
    errors = [d for d in found if is_error(d)]
    if errors:
        raise ConfigError(sorted(found, key=Diagnostic.sort_key))
    if not found:
        return config
    return replace(config, warnings=tuple(sorted((*config.warnings, *found), key=Diagnostic.sort_key)))


def _zone(config: VenueConfig) -> str:
    return config.spec.venue.timezone


def _ms(config: VenueConfig, text: str | None, *, deadline: bool) -> int | None:
    return parse_date(text, _zone(config), end_of_day=deadline).ms if text else None


def covering(role: str) -> set[str]:
    """The roles whose grants ``role`` holds: itself, its wider groups, anyone logged in, the public."""
    if role == PUBLIC:
        return {PUBLIC}
    return {role, *WIDER.get(role, ()), LOGGED_IN, PUBLIC}


def _held(matrix: AccessMatrix, role: str, verb: str, what: str) -> list[Grant]:
    """The grants that let ``role`` ``verb`` ``what`` (their own, or a wider group's)."""
    who = covering(role)
    return [g for g in matrix.grants if g.role in who and g.verb == verb and g.what == what]


def _early(grants: list[Grant], moment: int | None) -> list[Grant]:
    """The grants that hold before ``moment`` (all of them when there is no moment)."""
    return [g for g in grants if moment is None or g.start is None or g.start < moment]


def _reviews_before_deadline(config: VenueConfig, matrix: AccessMatrix) -> list[Diagnostic]:
    review = config.spec.stages.review
    if review is None:
        return []
    due = _ms(config, review.due, deadline=True)
    early = _early([g for g in matrix.grants if g.what == review.name and g.verb == "read"
                    and g.role in REVIEW_OUTSIDERS], due)
    if not early:
        return []
    who = ", ".join(sorted({ROLE_WORDS.get(g.role, g.role).lower() for g in early}))
    option = "public" if review.public else "release_to_authors" if review.release_to_authors is True else None
    path = ("stages", "review", option) if option else ("stages", "review")
    when = f"before the review deadline ({format_ms(due, _zone(config))})" if due else "before any deadline"
    return [Diagnostic(f"policy reviews_before_deadline: {who} read each paper's {review.name} {when}; "
                       "release them `after_due`, or allow it on purpose: policies.allow: [reviews_before_deadline]",
                       config.source.locate(path, key=option is not None), path=".".join(str(p) for p in path))]


def _double_blind_identities(config: VenueConfig, matrix: AccessMatrix) -> list[Diagnostic]:
    submission = config.spec.stages.submission
    if not submission.double_blind:
        return []
    decision = config.spec.stages.decision
    opens = _ms(config, decision.start, deadline=False) if decision is not None else None
    early = _early([g for g in matrix.grants if g.what == "author identities" and g.verb == "read"
                    and g.role in IDENTITY_OUTSIDERS], opens)
    if not early:
        return []
    retired = dict(RETIRED)
    parts = []
    for condition, whose in ((None, "author identities"), *((c, f"the author identities of {w}") for c, w in RETIRED)):
        readers = sorted({ROLE_WORDS.get(g.role, g.role).lower() for g in early
                          if (g.condition if g.condition in retired else None) == condition})
        if readers:
            parts.append(f"{', '.join(readers)} read {whose}")
    when = f"before decisions open ({format_ms(opens, _zone(config))})" if opens else "(the venue has no decisions)"
    # revealed by retired submissions only: at the option that reveals them; else at the double blindness
    options = [option for condition, option in REVEALS if any(g.condition == condition for g in early)
               and ("stages", "submission", option) in config.source.keys]
    only_retired = all(g.condition in retired for g in early)
    path = ("stages", "submission", options[0] if only_retired and options else "double_blind")
    return [Diagnostic(f"policy double_blind_identities: the venue is double blind, yet {'; '.join(parts)} {when}",
                       config.source.locate(path, key=True), path=".".join(path))]


def _committee_reads_replies(config: VenueConfig, matrix: AccessMatrix) -> list[Diagnostic]:
    roles = config.spec.roles
    committee = [role for role, present in (("senior_area_chairs_assigned", roles.senior_area_chairs),
                                            ("area_chairs_assigned", roles.area_chairs)) if present is not None]
    found = []
    for path, stage in _reply_stages(config):
        key = str(path[1])
        opens = _ms(config, stage.start, deadline=False)
        cannot, late = [], []
        for role in ["program_chairs", *(committee if key in COMMITTEE_READS else [])]:
            grants = [g for g in _held(matrix, role, "read", stage.name) if g.condition not in UNSURE]
            if any(g.start is None or (opens is not None and g.start <= opens) for g in grants):
                continue
            if grants:
                late.append((role, min(g.start or 0 for g in grants)))
            else:
                cannot.append(role)
        if not cannot and not late:
            continue
        problems = []
        if cannot:
            problems.append(f"{_who(cannot)} cannot read each paper's {stage.name} once posted")
        for role, start in late:
            problems.append(f"{_who([role])} read each paper's {stage.name} only from "
                            f"{format_ms(start, _zone(config))}, not once posted")
        where, dotted = _readers_location(config, path, stage.name)
        found.append(Diagnostic(
            f"policy committee_reads_replies: {'; '.join(problems)} ({config.spec.venue.id}/-/{stage.name} "
            f"{NOTE_READERS}); let them read it, or allow it on purpose: policies.allow: [committee_reads_replies]",
            where, path=dotted))
    return found


def _who(roles: list[str]) -> str:
    return ", ".join(ROLE_WORDS.get(role, role).lower() for role in roles)


def _reply_stages(config: VenueConfig) -> list[tuple[tuple[str | int, ...], Any]]:
    """The venue's reply stages (those whose replies the access model reads), with their paths."""
    stages = config.spec.stages
    out: list[tuple[tuple[str | int, ...], Any]] = [
        (("stages", key), getattr(stages, key)) for key in ("review", "rebuttal", "meta_review", "decision", "comments")
        if getattr(stages, key) is not None]
    return out + [(("stages", "custom", index), stage) for index, stage in enumerate(stages.custom)]


def _readers_location(config: VenueConfig, path: tuple[str | int, ...], name: str) -> tuple[Location, str]:
    """Where the file writes who reads a stage's replies: an override of its super invitation's note readers
    (which has the last word), else the stage's readers option, else the stage."""
    venue = config.spec.venue.id
    for number, override in enumerate(config.spec.overrides):
        if object_id_of(venue, override.object) != f"{venue}/-/{name}":
            continue
        for field in override.set:
            if _within(NOTE_READERS, field):
                return (config.source.locate(("overrides", number, "set", field), key=True),
                        f"overrides[{number}].set.{field}")
        for index, field in enumerate(override.unset):
            if _within(NOTE_READERS, field):
                return config.source.locate(("overrides", number, "unset", index)), f"overrides[{number}].unset"
    for option in READER_OPTIONS.get(str(path[1]), ()):
        if (*path, option) in config.source.keys:
            return config.source.locate((*path, option), key=True), _dotted((*path, option))
    return config.source.locate(path, key=True), _dotted(path)


def _within(field: str, written: str) -> bool:
    """Whether a dotted path written in an override sets ``field`` (itself, or a mapping above it)."""
    return field == written or field.startswith(written + ".")


def _stage_after_last(config: VenueConfig) -> list[Diagnostic]:
    """The venue's last stage is the one that opens last; a reply stage still open once it has closed is
    a forgotten window."""
    windows: list[tuple[tuple[str | int, ...], str, int, int]] = []  # (path, key, opens, closes)
    for key in (*REPLY_STAGES, "camera_ready", "revision"):
        value = getattr(config.spec.stages, key)
        entries = list(value) if isinstance(value, tuple) else [value] if value is not None else []
        for index, entry in enumerate(entries):
            path: tuple[str | int, ...] = ("stages", key, index) if isinstance(value, tuple) else ("stages", key)
            opens = _ms(config, entry.start, deadline=False) or 0
            last = next((getattr(entry, n) for n in ("expiration", "end", "due") if getattr(entry, n, None)), None)
            windows.append((path, key, opens, _ms(config, last, deadline=True) if last else opens))
    if not windows:
        return []
    last_path, _, _, last_closes = max(windows, key=lambda w: (w[2], w[3]))
    found = []
    for path, key, _, closes in windows:
        if path != last_path and key in REPLY_STAGES and closes > last_closes:
            found.append(Diagnostic(
                f"policy stage_after_last: {_dotted(path)} is still open ({format_ms(closes, _zone(config))}) after "
                f"the venue's last stage, {_dotted(last_path)}, has closed ({format_ms(last_closes, _zone(config))})",
                config.source.locate(path, key=True), severity="warning", path=_dotted(path)))
    return found


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _own_rule(config: VenueConfig, matrix: AccessMatrix, index: int) -> list[Diagnostic]:
    rule = config.spec.policies.rules[index]
    where = ("policies", "rules", index)
    if rule.role not in ROLES:
        return [Diagnostic(f"policies.rules[{index}].role: {rule.role!r} is not a role (roles: {', '.join(ROLES)})",
                           config.source.locate((*where, "role")))]
    what = _object_name(config, rule.what)
    option = "before" if rule.may_not is not None else "from"
    moment, problem = _moment(config, rule.before if rule.may_not is not None else rule.from_)
    if problem:
        return [Diagnostic(f"policies.rules[{index}].{option}: {problem}", config.source.locate((*where, option)))]
    zone = _zone(config)
    if rule.must is not None:
        why = _unable(_held(matrix, rule.role, rule.must, what), rule.must, moment, zone)
        if why is None:
            return []
        when = f" from {format_ms(moment, zone)}" if moment is not None else ""
        return [Diagnostic(f"policy: {ROLE_WORDS.get(rule.role, rule.role)} must be able to {rule.must} {what}{when}, "
                           f"but {why}", config.source.locate(where), severity=rule.severity,
                           path=f"policies.rules[{index}]")]
    assert rule.may_not is not None
    early = _early(_held(matrix, rule.role, rule.may_not, what), moment)
    if not early:
        return []
    when = f" before {format_ms(moment, zone)}" if moment is not None else ""
    first = min(early, key=lambda g: g.start or 0)
    since = f"from {format_ms(first.start, zone)}" if first.start is not None else "from creation"
    return [Diagnostic(f"policy: {ROLE_WORDS.get(rule.role, rule.role)} may never {rule.may_not} {what}{when}, but "
                       f"they may, {since} ({first.source})", config.source.locate(where), severity=rule.severity,
                       path=f"policies.rules[{index}]")]


def _unable(grants: list[Grant], verb: str, moment: int | None, zone: str) -> str | None:
    """Why ``grants`` do not let their holder ``verb`` from ``moment`` on (None: they do). A reader the
    writer may choose is no guarantee; without a moment, the grant holds from the object's creation
    (posting: at some time)."""
    sure = [g for g in grants if g.condition not in UNSURE]
    for grant in sure:
        if grant.holds_at(moment) if moment is not None else (grant.start is None or verb == "post"):
            return None
    if sure:
        first = min(sure, key=lambda g: g.start or 0)
        if first.start is not None and (moment is None or first.start > moment):
            return f"they may only from {format_ms(first.start, zone)} ({first.source})"
        last = max(sure, key=lambda g: g.end or 0)
        return f"they may only until {format_ms(last.end, zone)} ({last.source})"
    if grants:
        return f"only {grants[0].condition} ({grants[0].source})"
    return "nothing lets them"


def _object_name(config: VenueConfig, what: str) -> str:
    """A stage key (``review``) as its invitation name (``Official_Review``); other names as written."""
    stage = getattr(config.spec.stages, what, None) if what in REPLY_STAGES else None
    name = getattr(stage, "name", None)
    return name if isinstance(name, str) else what


def _moment(config: VenueConfig, written: str | None) -> tuple[int | None, str | None]:
    if written is None:
        return None, None
    key, _, field = written.partition(".")
    if field in STAGE_DATES and hasattr(config.spec.stages, key):
        stage = getattr(config.spec.stages, key)
        value = getattr(stage, field, None) if stage is not None and not isinstance(stage, tuple) else None
        if value is None:
            return None, f"{written}: the venue has no such stage date"
        return _ms(config, value, deadline=field != "start"), None
    try:
        return parse_date(written, _zone(config), end_of_day=False).ms, None
    except DateError as error:
        return None, f"{written!r} is neither a date nor a stage's date (review.due, decision.start): {error}"
