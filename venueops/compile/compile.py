"""``compile_venue``: a validated venue file → the desired OpenReview objects, in dependency order.

Order: the meta invitation and the venue's group tree (what OpenReview support provisions), the
venue group with its ``content``, committee groups, then each stage's invitations in the order
openreview-py's builder posts them, then the raw objects; ``overrides`` apply last. Groups come
before the invitations that name them; a super invitation comes after the groups its children read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from venueops.compile import raw, roles, venue
from venueops.compile.checks import check_compiled
from venueops.compile.context import CompileContext
from venueops.compile.model import DesiredObject, DesiredState
from venueops.compile.overrides import object_id_of, with_overrides
from venueops.compile.stages import (
    bidding,
    comments,
    custom,
    decision,
    meta_review,
    rebuttal,
    review,
    revision,
    submission,
)
from venueops.config.validate import VenueConfig
from venueops.diagnostics import Diagnostic
from venueops.errors import ConfigError

StageBuilder = Callable[[CompileContext], list[DesiredObject]]

STAGE_BUILDERS: tuple[StageBuilder, ...] = (
    submission.build,
    bidding.build,
    review.build,
    rebuttal.build,
    meta_review.build,
    decision.build,
    comments.build,
    revision.build,
    custom.build,
)


def compile_venue(config: VenueConfig, *, at: int | None = None, server_rules: bool = True) -> DesiredState:
    """The objects that realise ``config``. ``at`` (epoch ms) is the moment to compile for: it
    only matters to releases written ``after_due``; without it, nothing is released yet.
    ``server_rules=False`` skips checking the objects against the rules OpenReview enforces (for
    export's search over candidate files, whose chosen file is then compiled with them)."""
    ctx = CompileContext(config, at=at)
    objects: list[DesiredObject] = [venue.meta_invitation(ctx), *venue.ancestor_groups(ctx), venue.venue_group(ctx),
                                    *venue.registry_memberships(ctx), *roles.role_groups(ctx)]
    for build in STAGE_BUILDERS:
        objects.extend(build(ctx))
    compiled = {(o.kind, o.id): o for o in objects}
    problems: list[Diagnostic] = []
    for obj in raw.raw_objects(ctx):
        clash = compiled.get((obj.kind, obj.id))
        if clash is not None:
            where = f"{clash.stage or 'the venue'} ({clash.source})" if clash.source else "the stages"
            problems.append(Diagnostic(f"{obj.kind} {obj.id} is already defined by {where}", obj.source))
            continue
        compiled[(obj.kind, obj.id)] = obj
        objects.append(obj)
    objects, overridden = with_overrides(config, objects)
    problems += overridden
    problems += check_compiled(ctx, objects, server_rules=server_rules)
    if problems:
        raise ConfigError(problems)
    objects, unknown = _with_ignored_fields(config, objects)
    if unknown:
        raise ConfigError(unknown)
    seen: dict[tuple[str, str], DesiredObject] = {}
    for obj in objects:
        key = (obj.kind, obj.id)
        if key in seen and not obj.members_only:
            raise ConfigError([Diagnostic(f"{obj.kind} {obj.id} is produced twice ({seen[key].stage} and "
                                          f"{obj.stage}): two stages share a name", obj.source)])
        seen[key] = obj
    return DesiredState(venue_id=config.spec.venue.id, objects=tuple(objects))


def _with_ignored_fields(config: VenueConfig, objects: list[DesiredObject]) -> tuple[list[DesiredObject],
                                                                                   list[Diagnostic]]:
    """``lifecycle.ignore_changes`` marked on the objects it names; a rule naming no compiled object is
    an error at its line (a typo would otherwise leave the field owned without a word)."""
    venue_id = config.spec.venue.id
    wanted: dict[str, list[str]] = {}
    problems: list[Diagnostic] = []
    ids = {o.id for o in objects}
    for index, rule in enumerate(config.spec.lifecycle.ignore_changes):
        object_id = object_id_of(venue_id, rule.object)
        if object_id not in ids:
            problems.append(Diagnostic(f"lifecycle.ignore_changes: {object_id} is not an object of this venue",
                                       config.source.locate(("lifecycle", "ignore_changes", index, "object"))))
            continue
        wanted.setdefault(object_id, []).extend(rule.fields)
    marked = [replace(o, ignored=tuple(dict.fromkeys(wanted[o.id]))) if o.id in wanted and not o.members_only
              else o for o in objects]
    return marked, problems
