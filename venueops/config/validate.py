"""From a file on disk to a validated ``VenueFile``, or every problem with its ``file:line:col``.

Steps: load the YAML (positions kept) → numbers OpenReview can store → render Jinja2 in strings →
validate against the models → cross-object checks. Each step's problems are collected; a step runs
only if the previous ones found no error, so messages are never consequences of earlier ones.
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
from venueops.config.loader import LoadedFile, PathKey, SourceMap, load_file, load_text
from venueops.config.templating import render_strings, template_context
from venueops.diagnostics import Diagnostic, is_error
from venueops.errors import ConfigError


@dataclass(frozen=True)
class VenueConfig:
    """A validated venue file, with where everything in it came from."""

    spec: models.VenueFile
    source: SourceMap
    sha256: str  # of the file's bytes as read
    warnings: tuple[Diagnostic, ...] = field(default=())

    @property
    def file(self) -> str:
        return self.source.file


def load_venue(path: str | Path) -> VenueConfig:
    """Load and validate a venue file; raise ``ConfigError`` listing every problem."""
    return _validate(load_file(path))


def load_venue_text(text: str | bytes, name: str = "<string>") -> VenueConfig:
    """Validate a venue file's content (already read; ``name`` is what messages call it)."""
    return _validate(load_text(text, name))


def load_venue_data(data: dict[str, Any], name: str = "<data>") -> VenueConfig:
    """Validate a venue file already in memory as plain data (no positions: messages point at line 1).
    For programs that build many candidate files (export's fitting), where parsing YAML would cost more
    than everything else; the file they finally write is read back with ``load_venue_text``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _validate(LoadedFile(path=Path(name), data=copy.deepcopy(data), source=SourceMap(name), sha256=digest))


def _validate(loaded: LoadedFile) -> VenueConfig:
    problems = check_numbers(loaded.data, loaded.source)
    if problems:
        raise ConfigError(problems)
    data, problems = render_strings(loaded.data, loaded.source, template_context(loaded.data))
    if problems:
        raise ConfigError(problems)
    try:
        spec = models.VenueFile.model_validate(data)
    except pydantic.ValidationError as error:
        raise ConfigError(schema_diagnostics(error, loaded.source)) from None
    found = check_venue(spec, loaded.source)
    errors = [d for d in found if is_error(d)]
    if errors:
        raise ConfigError(found)
    return VenueConfig(spec=spec, source=loaded.source, sha256=loaded.sha256,
                       warnings=tuple(sorted(found, key=Diagnostic.sort_key)))


# -- pydantic errors → located diagnostics --------------------------------------------------------
def schema_diagnostics(error: pydantic.ValidationError, source: SourceMap) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[PathKey, str]] = set()
    items = error.errors(include_url=False)
    misspelled = {(_data_path(i["loc"])[:-1], m) for i in items if i["type"] == "extra_forbidden"
                  for m in difflib.get_close_matches(str(_data_path(i["loc"])[-1]),
                                                     _allowed_keys(_data_path(i["loc"])[:-1]), n=1, cutoff=0.6)}
    for item in items:
        path_of_item = _data_path(item["loc"])
        if item["type"] == "missing" and (path_of_item[:-1], path_of_item[-1]) in misspelled:
            continue  # the misspelled key's own message says it
        path = _data_path(item["loc"])
        message = _message(item, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        location = source.locate(path, key=item["type"] == "extra_forbidden")
        if item["type"] == "missing":
            location = source.locate(path[:-1], key=True) if path[:-1] in source.keys else source.locate(path[:-1])
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


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed_keys(path: PathKey) -> list[str]:
    """The keys a mapping at ``path`` may hold, following the models."""
    annotation: Any = models.VenueFile
    for part in path:
        model = _model_of(annotation)
        if isinstance(part, int):
            annotation = _item_type(annotation)
            continue
        if model is None or part not in model.model_fields:
            dict_value = _dict_value_type(annotation)
            if dict_value is None:
                return []
            annotation = dict_value
            continue
        annotation = model.model_fields[part].annotation
    model = _model_of(annotation)
    return [info.alias or name for name, info in model.model_fields.items()] if model is not None else []


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
