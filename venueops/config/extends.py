"""``extends``: a venue file written as changes to one or more base files.

    extends: ../base/workshop.yaml        # or a list; paths relative to this file's directory

The bases are composed first (a base may extend further bases), in the order listed: a later base
overrides an earlier one, and the file itself overrides them all. One file over another merges key
by key:

- mappings merge, key by key, recursively;
- a list replaces the list below it, unless it is written ``{append: [...]}`` (added at the end)
  or ``{remove: [...]}`` (taken out, by equality; each item must be there), or both (removed first).
  These apply where a base sets a list; over a mapping (a form's ``remove:``) or where no base
  sets the key, such a mapping is taken as written;
- ``null`` removes a key a base sets (the key falls back to its default, as if no file set it),
  except where null itself means something other than the default (``roles.reviewers: null``: no
  reviewers), which the caller says with ``keeps_null``. Where no base sets the key, null means
  what it means in any venue file.

The ``extends`` and ``base`` keys of a base are its own, never inherited.

Positions survive the merge: each value keeps the ``Location`` (file, line, column) of the file that
wrote it, so a schema error, a check or a policy points into the base or the extending file,
whichever wrote the offending value. Where two files wrote the same mapping, the mapping's own
position is the later writer's. Cycles (a → b → a), missing or unreadable bases and misused
``append``/``remove`` are errors located at what names them.

A diamond (two bases extending one shared base) reads the shared file once; at most ``MAX_FILES``
distinct files make up one venue.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from venueops.config.loader import LoadedFile, PathKey, SourceMap, dotted, load_text, read_file_bytes
from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError

EXTENDS_KEY = "extends"
BASE_KEY = "base"
OWN_KEYS = (EXTENDS_KEY, BASE_KEY)  # a file's own, never inherited by the files extending it
DIRECTIVES = ("append", "remove")
MAX_FILES = 64

KeepsNull = Callable[[PathKey], bool]


@dataclass(frozen=True)
class Composed:
    """A venue file with its bases merged in: the data and positions the later steps validate."""

    data: dict[str, Any]
    source: SourceMap  # positions point into whichever file wrote each value
    files: tuple[LoadedFile, ...]  # every file read, in merge order: bases first, the file itself last

    @property
    def file(self) -> LoadedFile:
        return self.files[-1]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(str(f.path) for f in self.files)

    @property
    def is_base(self) -> bool:
        """The file says ``base: true``: it is extended, not planned on its own."""
        return self.data.get(BASE_KEY) is True

    @property
    def sha256(self) -> str:
        """The file's own digest when it extends nothing (what plans always recorded); else one digest
        over every file read (named relative to the file's directory), so a changed base changes it."""
        if len(self.files) == 1:
            return self.files[0].sha256
        top = os.path.dirname(str(self.file.path))
        parts = [[os.path.relpath(str(f.path), top or "."), f.sha256] for f in self.files]
        text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def single(loaded: LoadedFile) -> Composed:
    """A file taken as it is (its ``extends`` not followed)."""
    return Composed(loaded.data, loaded.source, (loaded,))


def compose(loaded: LoadedFile, *, keeps_null: KeepsNull = lambda path: False) -> Composed:
    """``loaded`` with its bases (and theirs) merged under it; ``ConfigError`` for every problem found."""
    if EXTENDS_KEY not in loaded.data:
        return single(loaded)
    composer = _Composer(keeps_null)
    data, source, files = composer.compose(loaded, ())
    if composer.problems:
        raise ConfigError(composer.problems)
    return Composed(data, source, files)


def is_directive(value: Any) -> bool:
    """``{append: [...]}``, ``{remove: [...]}`` or both: a change to a list a base file sets."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(DIRECTIVES)


_Part = tuple[dict[str, Any], SourceMap, tuple[LoadedFile, ...]]


class _Composer:
    def __init__(self, keeps_null: KeepsNull) -> None:
        self.keeps_null = keeps_null
        self.problems: list[Diagnostic] = []
        self.done: dict[Path, _Part] = {}  # by real path: a base two files extend is read and composed once
        self.read = 1

    def compose(self, loaded: LoadedFile, chain: tuple[tuple[Path, str], ...]) -> _Part:
        """``loaded`` composed over its bases; ``chain``: the files whose ``extends`` led here (a cycle check)."""
        chain = (*chain, (_real(str(loaded.path)), str(loaded.path)))
        parts = [part for part in (self._base(loaded, entry, where, chain) for entry, where in self._entries(loaded))
                 if part is not None]
        if not parts:
            return loaded.data, loaded.source, (loaded,)
        data, source, files = parts[0]
        for upper in (*parts[1:], (loaded.data, loaded.source, (loaded,))):
            data, source = _Merge(self.keeps_null, source, upper[1], self.problems).run(data, upper[0])
            known = {str(f.path) for f in files}
            files = (*files, *(f for f in upper[2] if str(f.path) not in known))
        return data, source, files

    def _entries(self, loaded: LoadedFile) -> list[tuple[str, Location]]:
        """What ``extends`` names, each with where it is written."""
        value = loaded.data.get(EXTENDS_KEY)
        if value is None:
            return []
        items = [(value, (EXTENDS_KEY,))] if isinstance(value, str) else (
            [(v, (EXTENDS_KEY, i)) for i, v in enumerate(value)] if isinstance(value, list) else None)
        if items is None or any(not isinstance(v, str) or not v.strip() for v, _ in items):
            self.problems.append(Diagnostic("extends: give the path of a base file, or a list of paths",
                                            loaded.source.locate((EXTENDS_KEY,)), path=EXTENDS_KEY))
            return []
        return [(v, loaded.source.locate(path)) for v, path in items]

    def _base(self, loaded: LoadedFile, entry: str, where: Location,
              chain: tuple[tuple[Path, str], ...]) -> _Part | None:
        name = os.path.normpath(os.path.join(os.path.dirname(str(loaded.path)), entry))
        real = _real(name)
        names = [n for p, n in chain]
        if real in (p for p, _ in chain):
            start = [p for p, _ in chain].index(real)
            cycle = " → ".join([*names[start:], name])
            self.problems.append(Diagnostic(f"extends makes a cycle: {cycle}", where, path=EXTENDS_KEY))
            return None
        if real in self.done:
            return _without_own_keys(self.done[real])
        if self.read >= MAX_FILES:
            self.problems.append(Diagnostic(f"extends: more than {MAX_FILES} files make up this venue", where,
                                            path=EXTENDS_KEY))
            return None
        self.read += 1
        if os.path.exists(name) and not os.path.isfile(name):  # a directory, a device, a pipe: never read
            self.problems.append(Diagnostic(f"extends: the base file {name} is not a file", where, path=EXTENDS_KEY))
            return None
        try:
            raw = read_file_bytes(Path(name), where, f"the base file {name}",
                                  missing=f"extends: the base file {name} does not exist (paths in extends are "
                                          "relative to the directory of the file that names them)")
            base = load_text(raw, name)
        except ConfigError as error:
            self.problems.extend(error.diagnostics)
            return None
        self.done[real] = self.compose(base, chain)
        return _without_own_keys(self.done[real])


def _real(name: str) -> Path:
    """The file a name stands for, links followed (as far as they go: a loop of links stays a name)."""
    try:
        return Path(name).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(name))


def _without_own_keys(part: _Part) -> _Part:
    data, source, files = part
    return {k: v for k, v in data.items() if k not in OWN_KEYS}, source, files


class _Merge:
    """One file (``upper``) over what lies below it (``lower``), positions carried into one new map."""

    def __init__(self, keeps_null: KeepsNull, lower: SourceMap, upper: SourceMap,
                 problems: list[Diagnostic]) -> None:
        self.keeps_null = keeps_null
        self.lower = lower
        self.upper = upper
        self.out = SourceMap(upper.file)
        self.problems = problems

    def run(self, lower: dict[str, Any], upper: dict[str, Any]) -> tuple[dict[str, Any], SourceMap]:
        self._place(self.upper, (), ())
        return self._mapping(lower, upper, ()), self.out

    def _mapping(self, lower: dict[str, Any], upper: dict[str, Any], path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in lower.items():
            here = (*path, key)
            if key not in upper:
                out[key] = value
                self._copy(value, self.lower, here, here)
            elif upper[key] is not None or self.keeps_null(here):
                out[key] = self._value(value, upper[key], here)
            # else: null removes the key
        for key, value in upper.items():
            here = (*path, key)
            if key in lower:
                continue
            out[key] = value
            self._copy(value, self.upper, here, here)
        return out

    def _value(self, lower: Any, upper: Any, path: PathKey) -> Any:
        if isinstance(lower, list) and is_directive(upper):
            return self._directive(lower, upper, path)
        if isinstance(lower, dict) and isinstance(upper, dict):
            self._place(self.upper, path, path)
            return self._mapping(lower, upper, path)
        self._copy(upper, self.upper, path, path)
        return upper

    def _directive(self, lower: list[Any], upper: dict[str, Any], path: PathKey) -> list[Any]:
        self._place(self.upper, path, path)
        for verb in DIRECTIVES:
            if verb in upper and not isinstance(upper[verb], list):
                self.problems.append(Diagnostic(f"{dotted(path)}: {verb} takes a list",
                                                self.upper.locate((*path, verb)), path=dotted(path)))
                return lower
        removed = upper.get("remove", [])
        for index, item in enumerate(removed):
            if item not in lower:
                self.problems.append(Diagnostic(
                    f"{dotted(path)}: remove: {item!r} is not in the list the base files give "
                    f"({self.lower.locate(path)})", self.upper.locate((*path, "remove", index)), path=dotted(path)))
        kept = [(index, item) for index, item in enumerate(lower) if item not in removed]
        out = []
        for index, item in kept:
            self._copy(item, self.lower, (*path, index), (*path, len(out)))
            out.append(item)
        for index, item in enumerate(upper.get("append", [])):
            self._copy(item, self.upper, (*path, "append", index), (*path, len(out)))
            out.append(item)
        return out

    def _place(self, source: SourceMap, from_path: PathKey, to_path: PathKey) -> None:
        """The position of one node (its key and its value), as ``source`` has it."""
        if from_path in source.values:
            self.out.values[to_path] = source.values[from_path]
        if from_path in source.keys:
            self.out.keys[to_path] = source.keys[from_path]

    def _copy(self, value: Any, source: SourceMap, from_path: PathKey, to_path: PathKey) -> None:
        """The positions of a whole value taken as written."""
        self._place(source, from_path, to_path)
        if isinstance(value, dict):
            for key, item in value.items():
                self._copy(item, source, (*from_path, key), (*to_path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._copy(item, source, (*from_path, index), (*to_path, index))


def contributors(source: SourceMap, order: tuple[str, ...], paths: list[PathKey]) -> tuple[str, ...]:
    """The files that wrote a value at or under any of ``paths``, in ``order`` (merge order)."""
    found: set[str] = set()
    for table in (source.values, source.keys):
        for where, location in table.items():
            if location.file not in found and any(where[:len(p)] == p for p in paths):
                found.add(location.file)
    return tuple(name for name in order if name in found)
