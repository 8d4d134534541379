"""From a file on disk to a validated ``VenueFile``, or every problem with its ``file:line:col``.

Steps: load the YAML (positions kept) → merge the files it extends (``venueops.config.extends``) →
numbers OpenReview can store → render Jinja2 in strings → validate against the models → cross-object
checks. Each step's problems are collected; a step runs only if the previous ones found no error, so
messages are never consequences of earlier ones.

A file that says ``base: true`` is a base: it is extended, never planned or rendered, and may leave
values an extending file must set (``venue.id``, ...). Validating it runs every step it can and
raises ``BaseFileError``, which says in words what an extending file must supply.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

import pydantic

from venueops.config import models
from venueops.config.checks import check_numbers, check_venue
from venueops.config.extends import BASE_KEY, EXTENDS_KEY, Composed, compose, contributors, single
from venueops.config.loader import LoadedFile, PathKey, SourceMap, dotted, load_file, load_text
from venueops.config.templating import render_strings, template_context
from venueops.diagnostics import Diagnostic, Location, is_error
from venueops.errors import ConfigError


@dataclass(frozen=True)
class VenueConfig:
    """A validated venue file, with where everything in it came from."""

    spec: models.VenueFile
    source: SourceMap  # with ``extends``, positions point into whichever file wrote each value
    sha256: str  # of the file's bytes as read; with ``extends``, of every file it is made of
    warnings: tuple[Diagnostic, ...] = field(default=())
    files: tuple[str, ...] = ()  # every file it is made of, in merge order: bases first, the file itself last

    @property
    def file(self) -> str:
        return self.source.file

    @property
    def bases(self) -> tuple[str, ...]:
        """The files it extends, directly or through other bases (in merge order)."""
        return self.files[:-1]

    def contributors(self, *paths: PathKey) -> tuple[str, ...]:
        """The files that wrote a value at or under any of ``paths`` (in merge order)."""
        return contributors(self.source, self.files, list(paths))

    def object_contributors(self, path: PathKey, stage: str | None, object_id: str) -> tuple[str, ...]:
        """The files that wrote what an object compiles from: the place it was written at (``path``) and
        that place's section, its stage's section, and the ``overrides`` and ``lifecycle.ignore_changes``
        entries naming it."""
        sections = [path, _section(path)] + ([_stage_section(stage)] if stage else [])
        for key, entries in (("overrides", self.spec.overrides), ("lifecycle", self.spec.lifecycle.ignore_changes)):
            for index, entry in enumerate(entries):
                named = self.spec.venue.id + entry.object if entry.object.startswith("/") else entry.object
                if named == object_id:
                    sections.append(("overrides", index) if key == "overrides" else (key, "ignore_changes", index))
        written = self.source.locate(path, key=bool(path) and isinstance(path[-1], str)).file
        found = {*self.contributors(*sections), written}
        return tuple(f for f in self.files if f in found)


class BaseFileError(ConfigError):
    """The file is a base (``base: true``), valid as far as a base goes. It is extended, never planned or
    rendered on its own; ``required`` names what an extending file must set."""

    def __init__(self, file: str, where: Location, required: tuple[str, ...],
                 warnings: tuple[Diagnostic, ...] = ()) -> None:
        self.file = file
        self.required = required
        self.warnings = warnings
        super().__init__([Diagnostic(f"{self.summary}; a base is not planned or rendered itself: plan a file that "
                                     "extends it", where, path=BASE_KEY)])

    @property
    def summary(self) -> str:
        if not self.required:
            return "this file is a base: it sets everything a venue needs, and an extending file sets what differs"
        names = list(self.required)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"this file is a base: an extending file must set {listed}"


def load_venue(path: str | Path) -> VenueConfig:
    """Load and validate a venue file and the files it extends; raise ``ConfigError`` listing every
    problem (``BaseFileError`` for a base)."""
    return validate_composed(compose_file(load_file(path)))


def load_venue_text(text: str | bytes, name: str = "<string>") -> VenueConfig:
    """Validate a venue file's content (already read; ``name`` is what messages call it, and where the
    paths it extends are relative to)."""
    return validate_composed(compose_file(load_text(text, name)))


def compose_file(loaded: LoadedFile) -> Composed:
    """A loaded file with the files it extends merged in (``venueops.config.extends``), not validated yet."""
    return compose(loaded, keeps_null=_keeps_null)


def load_venue_data(data: dict[str, Any], name: str = "<data>") -> VenueConfig:
    """Validate a venue file already in memory as plain data (no positions: messages point at line 1).
    For programs that build many candidate files (export's fitting), where parsing YAML would cost more
    than everything else; the file they finally write is read back with ``load_venue_text``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    loaded = LoadedFile(path=Path(name), data=copy.deepcopy(data), source=SourceMap(name), sha256=digest)
    return validate_composed(single(loaded))


def validate_composed(composed: Composed) -> VenueConfig:
    """Validate a file composed with its bases (``compose_file``): the steps after loading."""
    source = composed.source
    problems = check_numbers(composed.data, source)
    if problems:
        raise ConfigError(problems)
    context = template_context(composed.data)
    unset = _BaseVenue(context["venue"]) if composed.is_base else None
    if unset is not None:
        context = {**template_context(_with_venue_id(composed.data)), "venue": unset}
    data, problems = render_strings(composed.data, source, context)
    if problems:
        raise ConfigError(problems)
    top = str(composed.file.path)
    try:
        spec = models.VenueFile.model_validate(data)
    except pydantic.ValidationError as error:
        if unset is None:
            required_at = source.locate((EXTENDS_KEY,), key=True) if len(composed.files) > 1 else None
            raise ConfigError(schema_diagnostics(error, source, required_at=required_at)) from None
        found = schema_diagnostics(error, source, skip_missing=True)
        if found:
            raise ConfigError(found) from None
        raise BaseFileError(top, source.locate((BASE_KEY,), key=True), _required(error, unset.read)) from None
    found = check_venue(spec, source)
    errors = [d for d in found if is_error(d)]
    if errors:
        raise ConfigError(found)
    warnings = tuple(sorted(found, key=Diagnostic.sort_key))
    if unset is not None:
        raise BaseFileError(top, source.locate((BASE_KEY,), key=True), _required(None, unset.read), warnings)
    return VenueConfig(spec=spec, source=source, sha256=composed.sha256, warnings=warnings, files=composed.names)


# -- bases: what an extending file must set ---------------------------------------------------------
class _BaseVenue(dict[str, Any]):
    """A base's ``venue`` for its templates: a venue field the base leaves unset reads as a placeholder
    (an extending file sets it) and is recorded, so the base's message names it too."""

    def __init__(self, known: dict[str, Any]) -> None:
        super().__init__(known)
        self.read: set[str] = set()

    def __missing__(self, key: str) -> str:
        if key not in models.VenueInfo.model_fields:
            raise KeyError(key)
        self.read.add(key)
        return f"venue_{key}"


def _with_venue_id(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with a placeholder venue id when it has none (so the role group ids templates read are ids)."""
    venue = data.get("venue") if isinstance(data.get("venue"), dict) else {}
    return data if "id" in venue else {**data, "venue": {**venue, "id": "venue_id"}}


def _required(error: pydantic.ValidationError | None, read: set[str]) -> tuple[str, ...]:
    """What an extending file must set: the required values the base leaves out (down to the leaves of a
    missing section: ``stages`` → ``stages.submission.start``, ...), then the venue fields its templates read."""
    paths: list[PathKey] = []
    for item in error.errors(include_url=False) if error is not None else ():
        if item["type"] == "missing":
            paths.extend(_required_leaves(_data_path(item["loc"])))
    paths.extend(("venue", key) for key in sorted(read) if ("venue", key) not in paths)
    return tuple(dict.fromkeys(dotted(p) for p in paths))


def _required_leaves(path: PathKey) -> list[PathKey]:
    model = _model_of(_annotation_at(path))
    if model is None:
        return [path]
    required = [info.alias or name for name, info in model.model_fields.items() if info.is_required()]
    return [leaf for key in required for leaf in _required_leaves((*path, key))] or [path]


def _keeps_null(path: PathKey) -> bool:
    """Whether null, written over a base's value, keeps its own meaning rather than removing the key: where
    the models accept null and default to something else (``roles.reviewers: null``: no reviewers)."""
    if not path or isinstance(path[-1], int):
        return False
    model = _model_of(_annotation_at(path[:-1]))
    fields = {info.alias or name: info for name, info in model.model_fields.items()} if model is not None else {}
    info = fields.get(str(path[-1]))
    if info is None or type(None) not in get_args(info.annotation):
        return False
    return info.get_default(call_default_factory=True) is not None


def _section(path: PathKey) -> PathKey:
    """The part of the file an object written at ``path`` belongs to: ``stages.review``, ``roles.reviewers``,
    ``stages.bidding[0]``, ``groups[2]``, or a top-level key."""
    if len(path) >= 3 and path[0] == "stages" and isinstance(path[2], int):
        return path[:3]
    return path[:2] if path[:1] in (("stages",), ("roles",), ("groups",), ("invitations",)) else path[:1]


def _stage_section(stage: str) -> PathKey:
    """An object's stage label (``submission``, ``stages.review``, ``stages.bidding[0]``) as a path."""
    if stage in models.Stages.model_fields:
        return ("stages", stage)
    out: list[str | int] = []
    for part in stage.split("."):
        name, _, index = part.partition("[")
        out.append(name)
        if index:
            out.append(int(index.rstrip("]")))
    return tuple(out)


# -- pydantic errors → located diagnostics --------------------------------------------------------
def schema_diagnostics(error: pydantic.ValidationError, source: SourceMap, *, skip_missing: bool = False,
                       required_at: Location | None = None) -> list[Diagnostic]:
    """Located messages for pydantic's errors. ``skip_missing``: leave out missing values (a base says them
    in words); ``required_at``: where a missing value is reported when no file it could be set in wrote its
    parent (the extending file's ``extends``)."""
    out: list[Diagnostic] = []
    seen: set[tuple[PathKey, str]] = set()
    items = error.errors(include_url=False)
    misspelled = {(_data_path(i["loc"])[:-1], m) for i in items if i["type"] == "extra_forbidden"
                  for m in difflib.get_close_matches(str(_data_path(i["loc"])[-1]),
                                                     _allowed_keys(_data_path(i["loc"])[:-1]), n=1, cutoff=0.6)}
    for item in items:
        path_of_item = _data_path(item["loc"])
        if item["type"] == "missing" and ((path_of_item[:-1], path_of_item[-1]) in misspelled or skip_missing):
            continue  # the misspelled key's own message says it (or the base's message)
        path = _data_path(item["loc"])
        message = _message(item, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        location = source.locate(path, key=item["type"] == "extra_forbidden")
        if item["type"] == "missing":
            location = source.locate(path[:-1], key=True) if path[:-1] in source.keys else source.locate(path[:-1])
            if required_at is not None and location.file != required_at.file:
                location = required_at
                message += ": neither this file nor a file it extends sets it"
        out.append(Diagnostic(message, location, path=_dotted(path)))
    return out


PATTERN_MEANINGS = {
    models.VENUE_ID_PATTERN: "is not a venue id: use letters, digits, '.', '_' and '-', in parts separated by '/'",
    models.MEMBER_PATTERN: "is not a profile id (~First_Last1), an e-mail or a group id",
    models.NAME_PATTERN: "is not a name: use letters, digits and '_', starting with a letter",
}


def _data_path(loc: tuple[Any, ...]) -> PathKey:
    """Pydantic's loc, without the tags it adds for unions and validators."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and not _is_tag(part)):
            out.append(part)
    return tuple(out)


def _is_tag(part: str) -> bool:
    return (part.startswith(("function-", "literal[", "tuple[", "list[", "dict[", "union[", "nullable["))
            or part in ("str", "int", "bool", "float", "none", "AnonymousRole", "Role")
            or (part[:1].isupper() and part.endswith("Stage")))


def _message(item: dict[str, Any], path: PathKey) -> str:
    kind = item["type"]
    where = _dotted(path)
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = _allowed_keys(path[:-1])
        hint = ""
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"; did you mean {close[0]!r}?"
        elif allowed:
            hint = f"; expected one of: {', '.join(sorted(allowed))}"
        parent = _dotted(path[:-1]) or "the top level"
        return f"unknown key {key!r} in {parent}{hint}"
    if kind == "missing":
        return f"{where} is required"
    if kind == "string_pattern_mismatch":
        pattern = (item.get("ctx") or {}).get("pattern")
        meaning = PATTERN_MEANINGS.get(pattern, f"must match {pattern}")
        return f"{where}: {item.get('input')!r} {meaning}"
    if kind == "string_too_long":
        most = (item.get("ctx") or {}).get("max_length")
        value = item.get("input")
        size = f"{len(value):,} characters" if isinstance(value, str) else "too long"
        return f"{where} is {size} long; at most {most} are allowed"
    if kind == "too_short":
        least = (item.get("ctx") or {}).get("min_length", 1)
        return f"{where} needs at least {least} {'entry' if least == 1 else 'entries'}"
    message = str(item.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


_dotted = dotted


def _allowed_keys(path: PathKey) -> list[str]:
    """The keys a mapping at ``path`` may hold, following the models."""
    model = _model_of(_annotation_at(path))
    return [info.alias or name for name, info in model.model_fields.items()] if model is not None else []


def _annotation_at(path: PathKey) -> Any:
    """The type the models give the value at ``path`` (None where they say nothing)."""
    annotation: Any = models.VenueFile
    for part in path:
        model = _model_of(annotation)
        if isinstance(part, int):
            annotation = _item_type(annotation)
            continue
        if model is None or part not in model.model_fields:
            dict_value = _dict_value_type(annotation)
            if dict_value is None:
                return None
            annotation = dict_value
            continue
        annotation = model.model_fields[part].annotation
    return annotation


def _model_of(annotation: Any) -> type[pydantic.BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _item_type(annotation: Any) -> Any:
    for arg in get_args(annotation):
        if get_origin(arg) in (tuple, list):
            return get_args(arg)[0]
    if get_origin(annotation) in (tuple, list):
        return get_args(annotation)[0]
    return annotation


def _dict_value_type(annotation: Any) -> Any:
    if get_origin(annotation) is dict:
        return get_args(annotation)[1]
    for arg in get_args(annotation):
        if get_origin(arg) is dict:
            return get_args(arg)[1]
    return None
