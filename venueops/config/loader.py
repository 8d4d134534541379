"""Reading a venue file: YAML text → plain data, with the position of every key and value kept.

The position map (``SourceMap``) lets every later step (schema, templating, checks, compiler)
report ``file:line:col``. Loading refuses, with a diagnostic, what YAML would otherwise accept
silently or crash on: duplicate keys, tabs used for indentation, non-string keys, merge keys
(``<<``), an empty document, more than one document, files over ``MAX_FILE_BYTES``. Anchors and
aliases are plain YAML and allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError

MAX_FILE_BYTES = 5 * 1024 * 1024
PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a loaded document stands."""

    file: str
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The closest known position for ``path`` (the key itself when ``key``, else its value);
        falls back to the nearest enclosing node, then the top of the file."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for cut in range(len(path) - 1, -1, -1):
            prefix = path[:cut]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Location(self.file, 1, 1)


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    data: dict[str, Any]
    source: SourceMap


def load_file(path: str | Path) -> LoadedFile:
    """Read and parse a venue file; raise ``ConfigError`` with located diagnostics on failure."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ConfigError([_unreadable(error, name)]) from None
    if size > MAX_FILE_BYTES:
        raise ConfigError([Diagnostic(
            f"the file is {size // (1024 * 1024)} MB; venue files are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB",
            Location(name, 1, 1))])
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError([_unreadable(error, name)]) from None
    return load_text(raw, name)


def _unreadable(error: OSError, name: str) -> Diagnostic:
    return Diagnostic(f"cannot read the file: {error.strerror or error}", Location(name, 1, 1))


def load_text(raw: bytes | str, name: str) -> LoadedFile:
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ConfigError([Diagnostic("the file is not valid UTF-8", Location(name, line, 1))]) from None
    else:
        text = raw
    problems = _scan_text(text, name)
    if problems:
        raise ConfigError(problems)
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)
        problem = (error.problem or error.context or "invalid YAML").strip()
        raise ConfigError([Diagnostic(f"invalid YAML: {problem}", location)]) from None
    except yaml.YAMLError as error:
        raise ConfigError([Diagnostic(f"invalid YAML: {error}", Location(name, 1, 1))]) from None
    except RecursionError:
        raise ConfigError([Diagnostic("the YAML is nested too deeply", Location(name, 1, 1))]) from None
    documents = [n for n in nodes if n is not None]
    if not documents:
        raise ConfigError([Diagnostic("the file is empty: a venue file starts with `venue:`", Location(name, 1, 1))])
    if len(documents) > 1:
        mark = documents[1].start_mark
        raise ConfigError([Diagnostic("a venue file holds one YAML document; this is a second one",
                                      Location(name, mark.line + 1, mark.column + 1))])
    builder = _Builder(name)
    try:
        data = builder.build(documents[0], ())
    except RecursionError:
        raise ConfigError([Diagnostic("the YAML is nested too deeply", Location(name, 1, 1))]) from None
    if builder.problems:
        raise ConfigError(builder.problems)
    if not isinstance(data, dict):
        raise ConfigError([Diagnostic("the file must be a mapping with `venue:`, `roles:` and `stages:`",
                                      builder.source.locate(()))])
    return LoadedFile(path=Path(name), data=data, source=builder.source)


def _scan_text(text: str, name: str) -> list[Diagnostic]:
    """Problems PyYAML reports badly: tabs in indentation."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.append(Diagnostic("a tab is used for indentation; YAML indents with spaces",
                                       Location(name, number, len(line) - len(stripped) + 1)))
    return problems


class _Builder:
    """Turns a composed YAML node tree into plain Python data, recording positions."""

    def __init__(self, name: str) -> None:
        self.source = SourceMap(name)
        self.problems: list[Diagnostic] = []
        self._constructor = yaml.SafeLoader("")

    def location(self, node: yaml.Node) -> Location:
        return Location(self.source.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.source.values[path] = self.location(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            try:
                return self._constructor.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError as error:
                self.problems.append(Diagnostic(f"invalid value: {error.problem}", self.location(node)))
                return None
        self.problems.append(Diagnostic("unsupported YAML node", self.location(node)))
        return None

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Diagnostic("merge keys (<<) are not supported: write the values out",
                                                self.location(key_node)))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Diagnostic("a mapping key must be a plain string", self.location(key_node)))
                continue
            key = self._constructor.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key_node.value)
            where = self.location(key_node)
            if key in seen:
                first = seen[key]
                self.problems.append(Diagnostic(f"duplicate key {key!r} (first at line {first.line})", where))
                continue
            seen[key] = where
            self.source.keys[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key))
        return out
