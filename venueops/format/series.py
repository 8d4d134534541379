"""``venueops new``: next year's edition of a venue, written from this year's file.

The text is edited in place, so the new file is the old one with its dates and ids changed, and
nothing else: comments, layout and quoting stay as written.

- ``venue.id`` becomes the new id, and so does the old id wherever the file writes it literally as an
  id or the start of one (``ICLR.cc/2026/Conference/Reviewers``, a raw group's readers, an override's
  object, a URL's ``?id=``); ``{{ venue.id }}`` templates follow by themselves.
- Every date field moves by the shift: by default by the whole number of weeks nearest to it (``1y``
  is 52 weeks, 364 days), so each date keeps its weekday; with ``exact``, by the calendar amount
  (2026-03-01 + 1y = 2027-03-01; a month's last days clamp: 01-31 + 1m = 02-28). A date keeps its
  time of day and its zone: the wall clock moves, as a chair would move it.
- What it cannot shift it reports, by path and line, and leaves as written: free text with a year or
  a day in it (``venue.date: May 3-7, 2027``, ``short_name: ICDR 2027``), dates in raw objects and
  overrides (OpenReview's epoch milliseconds). Guessing that every ``2027`` in free text is a year to
  bump would be wrong often enough (a paper count, a room number, "since 2019"); a list to check is
  safer than an edit to undo.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.nodes import ScalarNode

from venueops.config.dates import DateError, parse_date
from venueops.config.loader import load_text
from venueops.config.models import VENUE_ID_PATTERN
from venueops.config.validate import load_venue_text
from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError, VenueOpsError
from venueops.format.dates import value_at
from venueops.format.document import Edit, apply_edits, compose, scalar_edit, visit
from venueops.format.shapes import ROOT, dotted

_SHIFT = re.compile(r"([+-]?)(\d+)([ymwd])")
_UNITS = {"y": "year", "m": "month", "w": "week", "d": "day"}
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MONTH_DAY = re.compile(r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                        r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}\b")
# OpenReview's dates, in its JSON (raw objects, overrides): epoch milliseconds
_EPOCH_KEYS = frozenset({"cdate", "tcdate", "mdate", "tmdate", "odate", "pdate", "ddate", "duedate", "expdate"})
FREE_TEXT_DATES = (("venue", "start_date"), ("venue", "date"))


@dataclass(frozen=True)
class Shift:
    """An amount of calendar time: ``1y``, ``6m``, ``2w``, ``10d`` (``-1y`` goes back)."""

    amount: int
    unit: str  # y, m, w or d

    @classmethod
    def parse(cls, text: str) -> Shift:
        match = _SHIFT.fullmatch(text.strip().lower())
        if match is None:
            raise ValueError(f"{text!r} is not a shift: write an amount and a unit, like 1y, 6m, 2w or 10d")
        return cls(int(match.group(2)) * (-1 if match.group(1) == "-" else 1), match.group(3))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def words(self) -> str:
        return f"{self.amount} {_UNITS[self.unit]}{'' if abs(self.amount) == 1 else 's'}"

    def on_calendar(self, day: dt.date) -> dt.date:
        """``day`` moved by this amount of calendar time."""
        if self.unit in ("d", "w"):
            return day + dt.timedelta(days=self.amount * (7 if self.unit == "w" else 1))
        months = day.year * 12 + day.month - 1 + self.amount * (12 if self.unit == "y" else 1)
        year, month = divmod(months, 12)
        return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Place:
    """A value of the file, where it is and what it says."""

    path: str
    line: int
    value: str
    note: str = ""


@dataclass(frozen=True)
class Edition:
    """The new edition's text, and what was changed and what was not."""

    text: str
    old_id: str
    new_id: str
    shift: Shift
    days: int | None  # by whole weeks: the days every date moved; exact: None
    moved: tuple[Place, ...]  # dates, with their new value in ``note``
    renamed: tuple[Place, ...]  # values (besides venue.id) that wrote the old id
    unshifted: tuple[Place, ...]  # what it could not shift, with why in ``note``

    def summary(self) -> list[str]:
        """What a user reads: the id, how the dates moved, and what to check by hand."""
        if self.days is None:
            how = f"by {self.shift.words()} on the calendar (--exact: weekdays change)"
        else:
            weeks = self.days // 7
            how = (f"by {weeks} week{'' if abs(weeks) == 1 else 's'} ({self.days} days), the whole weeks nearest to "
                   f"{self.shift}, so each keeps its weekday (--exact moves by the calendar amount)")
        lines = [f"venue.id: {self.old_id} -> {self.new_id}",
                 f"{len(self.moved)} date{'' if len(self.moved) == 1 else 's'} moved {how}"]
        if self.renamed:
            lines.append(f"the old id, written in {len(self.renamed)} more place{'s' if len(self.renamed) > 1 else ''},"
                         " replaced: " + ", ".join(p.path for p in self.renamed))
        if self.unshifted:
            lines.append("not shifted (free text, left as written: edit by hand if it should change):")
            lines += [f"  {p.path} (line {p.line}): {p.value}  [{p.note}]" for p in self.unshifted]
        return lines


def new_edition(text: str, name: str, new_id: str, shift: Shift, *, exact: bool = False,
                output_name: str | None = None) -> Edition:
    """Next edition of the venue file ``text`` (named ``name``): ``ConfigError`` if it is not a valid
    venue, or if the result would not be one (``output_name`` is what the result is validated as)."""
    if not re.fullmatch(VENUE_ID_PATTERN, new_id):
        raise VenueOpsError(f"{new_id!r} is not a venue id: use letters, digits, '.', '_' and '-', in parts "
                            "separated by '/'")
    config = load_venue_text(text, name)
    old_id, zone = config.spec.venue.id, config.spec.venue.timezone
    root, data = compose(text, name), load_text(text, name).data
    visits = [v for v in visit(root, ROOT) if isinstance(v.node, ScalarNode)]
    if not any(v.path == ("venue", "id") for v in visits):
        raise ConfigError([Diagnostic("venue.id is not written in this file (a base sets it?): new writes the id "
                                      "where the file has it", Location(name, 1, 1))])
    dates = [v for v in visits if v.shape is not None and (v.shape.date or v.shape.moment) and _day(v.node.value, zone)]
    days = None if exact else _whole_weeks(shift, dates, zone)
    date_nodes = {id(v.node) for v in dates}
    written_id = re.compile(r"(?<![A-Za-z0-9._\-/])" + re.escape(old_id) + r"(?![A-Za-z0-9._\-])")
    edits, edited = [], {("venue", "id")}
    moved, renamed, unshifted = [], [], []
    for item in visits:
        node = item.node
        if id(node) in date_nodes:
            day = dt.date.fromisoformat(node.value[:10])
            written = (shift.on_calendar(day) if days is None else day + dt.timedelta(days=days)).isoformat()
            edits.append(scalar_edit(node, written + node.value[10:]))
            moved.append(_place(item, written + node.value[10:]))
            edited.add(item.path)
            continue
        if item.path == ("venue", "id"):
            edits.append(scalar_edit(node, new_id))
        elif node.tag.endswith(":str") and written_id.search(node.value):
            source = text[node.start_mark.index:node.end_mark.index]
            edits.append(Edit(node.start_mark.index, node.end_mark.index, written_id.sub(new_id, source)))
            renamed.append(_place(item))
            edited.add(item.path)
        note = _unshiftable(item, value_at(data, item.path), written_id)
        if note:
            unshifted.append(_place(item, note))
    new_text = apply_edits(text, edits)
    _check_result(data, new_text, edited, name, output_name or name)
    return Edition(new_text, old_id, new_id, shift, days, tuple(moved), tuple(renamed), tuple(unshifted))


def _day(written: str, zone: str) -> bool:
    """A date that moves: a day (and maybe a time) written, not a stage's date named in a policy."""
    if not _DAY.match(written):
        return False
    try:
        parse_date(written, zone, end_of_day=False)
    except DateError:
        return False
    return True


def _whole_weeks(shift: Shift, dates: list[Any], zone: str) -> int:
    """The days, in whole weeks, nearest to ``shift`` from the file's first date."""
    if not dates:
        return 0
    first = min(dates, key=lambda v: parse_date(v.node.value, zone, end_of_day=False).ms)
    day = dt.date.fromisoformat(first.node.value[:10])
    weeks = round((shift.on_calendar(day) - day).days / 7)
    if weeks == 0 and shift.amount:
        raise VenueOpsError(f"{shift} is nearer to 0 whole weeks than to 1, so no date would move: give --exact to "
                            f"move every date by {shift.words()}")
    return weeks * 7


def _unshiftable(item: Any, value: Any, written_id: re.Pattern[str]) -> str:
    """Why the value at ``item`` is a date that was not moved, or ``""``."""
    if isinstance(value, int) and not isinstance(value, bool) and item.path and item.path[-1] in _EPOCH_KEYS:
        return "epoch milliseconds in OpenReview's JSON"
    if not isinstance(value, str) or not value.strip():
        return ""
    if item.path in FREE_TEXT_DATES:
        return "a displayed date, free text"
    text = written_id.sub("", value)  # the id's year changes with the id
    if _YEAR.search(text):
        return "a year in free text"
    if _MONTH_DAY.search(text):
        return "a day in free text"
    return ""


def _place(item: Any, note: str = "") -> Place:
    value = item.node.value
    shown = value if "\n" not in value else value.splitlines()[0] + " ..."
    return Place(dotted(item.path), item.node.start_mark.line + 1, shown, note)


def _check_result(old: Any, new_text: str, edited: set[tuple[str | int, ...]], name: str, output: str) -> None:
    """The new text loads, changed only what was edited, and is a valid venue."""
    new = load_text(new_text, output).data
    where = _changed(old, new, (), edited)
    if where is not None:
        raise VenueOpsError(f"{name}: writing the new edition changed {dotted(where)}, which it should not have "
                            "(please report it); nothing written")
    try:
        load_venue_text(new_text, output)
    except ConfigError as error:
        raise VenueOpsError(f"the new edition would not be a valid venue:\n{error}") from None


def _changed(old: Any, new: Any, path: tuple[str | int, ...], edited: set[tuple[str | int, ...]]) -> Any:
    if path in edited:
        return None
    if isinstance(old, dict) and isinstance(new, dict) and list(old) == list(new):
        return next((p for k in old if (p := _changed(old[k], new[k], (*path, k), edited)) is not None), None)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return next((p for i, (a, b) in enumerate(zip(old, new, strict=True))
                     if (p := _changed(a, b, (*path, i), edited)) is not None), None)
    return None if old == new else path
