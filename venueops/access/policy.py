"""Policy rules, checked against the access model before anything is applied (``validate``, ``plan``).

Built in (each can be turned off on purpose with ``policies.allow``):

- ``reviews_before_deadline``: nobody but the chairs, the paper's committee and a review's signer reads a
  paper's reviews before the review deadline: not its authors, not the public. Releasing reviews at once
  (``release_to_authors: true``, ``public: true``) is a choice the file must state by allowing it.
- ``double_blind_identities``: in a double-blind venue, no reviewer and nobody outside the venue reads
  author identities before decisions open (ever, without a decision stage).
- ``stage_after_last`` (a warning): no reply stage is still open after the venue's last stage has closed.

The venue's own rules (``policies.rules``): ``role`` may never ``may_not`` ``what`` before ``before``.
Each problem is located at the file's line that causes or states it.
"""

from __future__ import annotations

from dataclasses import replace

from venueops.access.derive import access_matrix
from venueops.access.model import AccessMatrix, Grant
from venueops.access.roles import ROLE_WORDS, ROLES
from venueops.config.dates import DateError, format_ms, parse_date
from venueops.config.validate import VenueConfig
from venueops.diagnostics import Diagnostic, is_error
from venueops.errors import ConfigError

STAGE_DATES = ("start", "due", "expiration", "end")
REVIEW_OUTSIDERS = ("authors", "public", "logged_in", "reviewers", "area_chairs", "senior_area_chairs")
IDENTITY_OUTSIDERS = ("reviewers", "reviewers_assigned", "reviewers_submitted", "public", "logged_in")
REPLY_STAGES = ("bidding", "review", "rebuttal", "meta_review", "decision", "comments", "custom")


def check_policies(config: VenueConfig, matrix: AccessMatrix | None = None) -> list[Diagnostic]:
    matrix = matrix or access_matrix(config)
    allowed = set(config.spec.policies.allow)
    found: list[Diagnostic] = []
    if "reviews_before_deadline" not in allowed:
        found += _reviews_before_deadline(config, matrix)
    if "double_blind_identities" not in allowed:
        found += _double_blind_identities(config, matrix)
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
    who = ", ".join(sorted({ROLE_WORDS.get(g.role, g.role).lower() for g in early}))
    when = f"before decisions open ({format_ms(opens, _zone(config))})" if opens else "(the venue has no decisions)"
    path = ("stages", "submission", "double_blind")
    return [Diagnostic(f"policy double_blind_identities: the venue is double blind, yet {who} read author "
                       f"identities {when}", config.source.locate(path, key=True), path=".".join(path))]


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
    moment, problem = _moment(config, rule.before)
    if problem:
        return [Diagnostic(f"policies.rules[{index}].before: {problem}", config.source.locate((*where, "before")))]
    early = _early([g for g in matrix.grants if g.role == rule.role and g.verb == rule.may_not and g.what == what],
                   moment)
    if not early:
        return []
    when = f" before {format_ms(moment, _zone(config))}" if moment is not None else ""
    first = min(early, key=lambda g: g.start or 0)
    since = f"from {format_ms(first.start, _zone(config))}" if first.start is not None else "from creation"
    return [Diagnostic(f"policy: {ROLE_WORDS.get(rule.role, rule.role)} may never {rule.may_not} {what}{when}, but "
                       f"they may, {since} ({first.source})", config.source.locate(where), severity=rule.severity,
                       path=f"policies.rules[{index}]")]


def _object_name(config: VenueConfig, what: str) -> str:
    """A stage key (``review``) as its invitation name (``Official_Review``); other names as written."""
    stage = getattr(config.spec.stages, what, None) if what in REPLY_STAGES else None
    name = getattr(stage, "name", None)
    return name if isinstance(name, str) else what


def _moment(config: VenueConfig, before: str | None) -> tuple[int | None, str | None]:
    if before is None:
        return None, None
    key, _, field = before.partition(".")
    if field in STAGE_DATES and hasattr(config.spec.stages, key):
        stage = getattr(config.spec.stages, key)
        value = getattr(stage, field, None) if stage is not None and not isinstance(stage, tuple) else None
        if value is None:
            return None, f"{before}: the venue has no such stage date"
        return _ms(config, value, deadline=field != "start"), None
    try:
        return parse_date(before, _zone(config), end_of_day=False).ms, None
    except DateError as error:
        return None, f"{before!r} is neither a date nor a stage's date (review.due, decision.start): {error}"
