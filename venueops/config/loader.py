"""Reading a venue file: YAML text → plain data, with the position of every key and value kept.

The position map (``SourceMap``) lets every later step (schema, templating, checks, compiler)
report ``file:line:col``. Loading refuses, with a diagnostic, what YAML would otherwise accept
silently or crash on: duplicate keys, tabs used for indentation, non-string keys, merge keys
(``<<``), an empty document, more than one document, files over ``MAX_FILE_BYTES``.

Anchors and aliases are plain YAML and allowed, within bounds: an alias repeats the whole value it
names, so nine aliases of nine aliases of ... ("billion laughs") turn a few hundred bytes into
billions of values. The composer counts what the document holds *once expanded*, alias by alias,
and refuses at the alias that crosses ``MAX_VALUES`` values or ``MAX_TEXT_CHARS`` characters of text,
before anything is expanded; nesting deeper than ``MAX_DEPTH`` is refused where it happens. So the
time and memory of loading are bounded by the file's size, whatever its shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 100_000  # mappings, lists and scalars (keys included), counted after alias expansion
MAX_TEXT_CHARS = 20_000_000  # characters of scalar text, counted after alias expansion
MAX_DEPTH = 64  # nesting of mappings and lists
PathKey = tuple[str | int, ...]


def dotted(path: PathKey) -> str:
    """``("stages", "bidding", 0, "due")`` → ``stages.bidding[0].due``, as messages name places."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
    sha256: str  # of the bytes read: saved plans record it, and apply refuses a plan whose file changed


def load_file(path: str | Path) -> LoadedFile:
    """Read and parse a venue file; raise ``ConfigError`` with located diagnostics on failure."""
    path = Path(path)
    name = str(path)
    return load_text(read_file_bytes(path, Location(name, 1, 1)), name)


def read_file_bytes(path: Path, where: Location, what: str = "the file", missing: str | None = None) -> bytes:
    """The bytes of a venue file, or ``ConfigError`` at ``where`` (``what`` names the file in messages;
    ``missing``, when given, is the message for a file that does not exist)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ConfigError([_unreadable(error, where, what, missing)]) from None
    if size > MAX_FILE_BYTES:
        raise ConfigError([Diagnostic(
            f"{what} is {size // (1024 * 1024)} MB; venue files are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB",
            where)])
    try:
        return path.read_bytes()
    except OSError as error:
        raise ConfigError([_unreadable(error, where, what, missing)]) from None


def _unreadable(error: OSError, where: Location, what: str, missing: str | None) -> Diagnostic:
    if missing is not None and isinstance(error, FileNotFoundError):
        return Diagnostic(missing, where)
    return Diagnostic(f"cannot read {what}: {error.strerror or error}", where)


def load_text(raw: bytes | str, name: str) -> LoadedFile:
    """Parse a venue file's content (``name`` is what messages call it)."""
    digest = "sha256:" + hashlib.sha256(raw if isinstance(raw, bytes) else raw.encode("utf-8")).hexdigest()
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
        nodes = _compose_all(text)
    except _LimitExceeded as error:
        raise ConfigError([Diagnostic(error.message, Location(name, error.mark.line + 1, error.mark.column + 1))]) \
            from None
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
    except _LimitExceeded as error:
        raise ConfigError([Diagnostic(error.message, Location(name, error.mark.line + 1, error.mark.column + 1))]) \
            from None
    if builder.problems:
        raise ConfigError(builder.problems)
    if not isinstance(data, dict):
        raise ConfigError([Diagnostic("the file must be a mapping with `venue:`, `roles:` and `stages:`",
                                      builder.source.locate(()))])
    return LoadedFile(path=Path(name), data=data, source=builder.source, sha256=digest)


def _scan_text(text: str, name: str) -> list[Diagnostic]:
    """Problems PyYAML reports badly: tabs in indentation."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.append(Diagnostic("a tab is used for indentation; YAML indents with spaces",
                                       Location(name, number, len(line) - len(stripped) + 1)))
    return problems


class _LimitExceeded(Exception):
    """The document is larger or deeper than venue files may be; ``mark`` is where it crossed the line."""

    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, composing with a budget: every value counts once where it is written and
    again each time an alias repeats it, so an alias bomb is refused at the alias that overflows."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.values = 0
        self.chars = 0
        self.anchor_sizes: dict[str, tuple[int, int]] = {}  # (values, chars) of each finished anchored node

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                if event.anchor not in self.anchor_sizes:
                    raise _LimitExceeded(f"the alias *{event.anchor} is inside the value it names (a recursive alias)",
                                         event.start_mark)
                values, chars = self.anchor_sizes[event.anchor]
                self._grow(values, chars, event.start_mark, f"*{event.anchor}")
            return super().compose_node(parent, index)
        event = self.peek_event()
        if self.depth >= MAX_DEPTH:
            raise _LimitExceeded(f"the YAML is nested more than {MAX_DEPTH} levels deep", event.start_mark)
        before = (self.values, self.chars)
        text = len(event.value) if isinstance(event, yaml.ScalarEvent) else 0
        self._grow(1, text, event.start_mark, None)
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if event.anchor is not None:
            self.anchor_sizes[event.anchor] = (self.values - before[0], self.chars - before[1])
        return node

    def compose_document(self) -> yaml.Node:
        self.anchor_sizes = {}
        return super().compose_document()

    def _grow(self, values: int, chars: int, mark: yaml.Mark, alias: str | None) -> None:
        """Count what a new value (or an alias repeating ``values`` values and ``chars`` characters) adds."""
        self.values += values
        self.chars += chars
        if self.values > MAX_VALUES:
            why = f" once the alias {alias} repeats its {values:,} values" if alias else ""
            raise _LimitExceeded(f"the document holds more than {MAX_VALUES:,} values{why} (YAML aliases repeat "
                                 "what they name; venue files are limited)", mark)
        if self.chars > MAX_TEXT_CHARS:
            why = f" once the alias {alias} repeats its {chars:,} characters" if alias else ""
            raise _LimitExceeded(f"the document holds more than {MAX_TEXT_CHARS:,} characters of text{why} (YAML "
                                 "aliases repeat what they name; venue files are limited)", mark)


def _compose_all(text: str) -> list[yaml.Node]:
    loader = _BoundedLoader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


class _Builder:
    """Turns a composed YAML node tree into plain Python data, recording positions."""

    def __init__(self, name: str) -> None:
        self.source = SourceMap(name)
        self.problems: list[Diagnostic] = []
        self._constructor = yaml.SafeLoader("")

    def location(self, node: yaml.Node) -> Location:
        return Location(self.source.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if len(path) > MAX_DEPTH:  # an alias repeating a deep value deep inside another
            raise _LimitExceeded(f"the YAML is nested more than {MAX_DEPTH} levels deep once aliases are expanded",
                                 node.start_mark)
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
