"""The canonical order of a venue file's keys: the models' field order, with the exceptions below.

- A stage says what it is (``name``, ``committee``), then when (``start``, ``abstract_due``, ``due``,
  ``expiration``, ``end``: the order they happen in), then its options in the models' order, and
  ends with its prose and its form (``description``, ``form``).
- ``venue`` ends with ``instructions`` (a block of markdown).
- ``roles`` go top down: program chairs, the committees that oversee others, then the ones they
  oversee (senior area chairs, area chairs, reviewers, authors, ethics chairs, ethics reviewers, ...).
- A form says what it drops, what it changes, then what it adds (``remove``, ``change``, ``add``: the
  one-line lists before the blocks of new fields).
- The user's order is kept in ``stages`` (a venue's timeline, written in the order it happens), in a
  form field's specifiers (OpenReview's own vocabulary, like raw objects), and wherever the models do
  not know the keys: form fields, raw groups and invitations, ``overrides.set``.
- A key the models do not know (a misspelling, a newer key) stays right after the known key it
  followed (first, when it came first).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from venueops.config import models

STAGE_IDENTITY = ("name", "committee")
STAGE_DATES = ("start", "abstract_due", "due", "expiration", "end")
STAGE_LAST = ("description", "form")
VENUE_LAST = ("instructions",)
FORM = ("remove", "change", "add")
ROLES_TOP_DOWN = ("program_chairs", "senior_area_chairs", "area_chairs", "reviewers", "authors", "ethics_chairs",
                  "ethics_reviewers", "publication_chairs")
USER_ORDER: tuple[type[BaseModel], ...] = (models.Stages, models.FieldSpec)


def key_order(model: type[BaseModel]) -> tuple[str, ...] | None:
    """The canonical order of ``model``'s keys (as written: aliases), or None to keep the user's."""
    if model in USER_ORDER:
        return None
    keys = tuple(info.alias or name for name, info in model.model_fields.items())
    if issubclass(model, models.Stage | models.CommentStage):
        return _first(_last(keys, STAGE_LAST), STAGE_IDENTITY + STAGE_DATES)
    if model is models.VenueInfo:
        return _last(keys, VENUE_LAST)
    if model is models.Roles:
        return _first(keys, ROLES_TOP_DOWN)
    if model is models.Form:
        return _first(keys, FORM)
    return keys


def ordered(keys: Sequence[str], order: Sequence[str]) -> list[str]:
    """``keys`` (as written) in ``order``; a key not in ``order`` follows the one it followed."""
    rank = {key: index for index, key in enumerate(order)}
    placed = []
    previous = -1
    for position, key in enumerate(keys):
        if key in rank:
            previous = rank[key]
            placed.append((previous, 0, position, key))
        else:
            placed.append((previous, 1, position, key))
    return [key for *_, key in sorted(placed)]


def _first(keys: tuple[str, ...], first: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in first if k in keys) + tuple(k for k in keys if k not in first)


def _last(keys: tuple[str, ...], last: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in keys if k not in last) + tuple(k for k in last if k in keys)
