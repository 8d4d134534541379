"""A venue file as ruamel.yaml round-trips it: comments kept, indentation made canonical, and the node
tree with the position of every key and value, which the other steps edit the text by.

Canonical indentation: 2 spaces per level, a list's dashes 2 spaces in from its key (as the examples
write ``bidding:``), flow collections (``[a, b]``, ``{}``) kept as flow, on one line; quotes kept as
written; lines never wrapped; a null written ``null`` (not ``~`` or nothing). A full-line comment is
indented like the line it comes before, or, at the end of a block, like that block's lines; an
end-of-line comment keeps its column.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError
from venueops.format.shapes import Shape, child, mapping_shape

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Visit:
    """One node of the document, where it stands and what the models say about it."""

    path: Path
    node: Node
    shape: Shape | None


@dataclass(frozen=True)
class Edit:
    """Replace the characters ``start:end`` of a text with ``text``."""

    start: int
    end: int
    text: str


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 20
    # null written out (ruamel writes nothing): with ``extends``, a null removes what a base sets
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def compose(text: str, name: str = "<string>") -> Node | None:
    """The node tree of ``text`` (None for an empty document)."""
    try:
        return _yaml().compose(text)
    except YAMLError as error:
        raise ConfigError([_diagnostic(error, name)]) from None


def round_trip(text: str, name: str = "<string>") -> str:
    """``text`` loaded and dumped by ruamel.yaml with the canonical indentation, comments kept (those
    before an explicit ``---`` too: ruamel would drop them)."""
    header, body = split_header(text)
    yaml = _yaml()
    try:
        # comments start at column 0 for ruamel, which keeps their column: a comment it kept at a column
        # deeper than a re-indented block scalar's text would join that text
        lines = body.splitlines(keepends=True)
        for index in comment_lines(body, compose(body, name)):
            lines[index] = lines[index].lstrip(" ")
        data = yaml.load("".join(lines))
    except YAMLError as error:
        raise ConfigError([_diagnostic(error, name)]) from None
    out = io.StringIO()
    yaml.dump(data, out)
    return header + reindent_comments(body, out.getvalue(), name)


def split_header(text: str) -> tuple[str, str]:
    """The lines up to an explicit ``---`` (comments and the marker) and the document after it."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            if re.fullmatch(r"---(\s+#.*)?", stripped):
                return "".join(lines[: index + 1]), "".join(lines[index + 1:])
            break
    return "", text


def _diagnostic(error: YAMLError, name: str) -> Diagnostic:
    mark = error.problem_mark if isinstance(error, MarkedYAMLError) else None
    problem = error.problem if isinstance(error, MarkedYAMLError) else None
    where = Location(name, mark.line + 1, mark.column + 1) if mark is not None else Location(name, 1, 1)
    return Diagnostic(f"invalid YAML: {(problem or str(error)).strip()}", where)


def visit(root: Node | None, shape: Shape | None) -> Iterator[Visit]:
    """Every node under ``root``, parents first, with its path and shape (a node an alias repeats, once)."""
    seen: set[int] = set()

    def walk(node: Node, path: Path, shape: Shape | None) -> Iterator[Visit]:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, MappingNode):
            shape = mapping_shape(shape, [k.value for k, _ in node.value if isinstance(k, ScalarNode)])
        yield Visit(path, node, shape)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    yield from walk(value, (*path, key.value), child(shape, key.value))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                yield from walk(item, (*path, index), child(shape, index))

    if root is not None:
        yield from walk(root, (), shape)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    out, position = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < position:
            raise ValueError("overlapping edits")
        out += [text[position:edit.start], edit.text]
        position = edit.end
    return "".join([*out, text[position:]])


def scalar_edit(node: ScalarNode, text: str) -> Edit:
    """Write ``text`` (a single-line value with no quotes or escapes in it) in place of ``node``,
    quoted as the node was."""
    quote = node.style if node.style in ("'", '"') else ""
    return Edit(node.start_mark.index, node.end_mark.index, f"{quote}{text}{quote}")


def last_line(node: Node, lines: list[str]) -> int:
    """The last line (0-based) holding the text of ``node``."""
    if isinstance(node, ScalarNode):
        end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
        header = lines[node.start_mark.line][node.start_mark.column:] if node.style in ("|", ">") else ""
        if header and not re.match(r"[|>](\d?\+|\+\d)", header):  # "|+" keeps its blank lines: they are text
            while end > node.start_mark.line and not lines[end].strip():
                end -= 1
        return max(end, node.start_mark.line)
    if node.flow_style or not node.value:
        return node.end_mark.line
    if isinstance(node, MappingNode):
        key, value = node.value[-1]
        return key.end_mark.line if is_empty(value) else last_line(value, lines)
    return last_line(node.value[-1], lines)


def is_empty(node: Node) -> bool:
    """A value written as nothing (``key:``, null): its place in the text is the next token's."""
    return isinstance(node, ScalarNode) and node.value == "" and node.style is None


def scalar_lines(root: Node | None, lines: list[str]) -> set[int]:
    """The lines after the first of a multi-line scalar: its text, even where it looks like a comment."""
    inside: set[int] = set()
    for item in visit(root, None):
        if isinstance(item.node, ScalarNode):
            inside.update(range(item.node.start_mark.line + 1, last_line(item.node, lines) + 1))
    return inside


def comment_lines(text: str, root: Node | None) -> list[int]:
    """The full-line comments of ``text`` (0-based line numbers)."""
    lines = text.splitlines()
    inside = scalar_lines(root, lines)
    return [i for i, line in enumerate(lines) if line.lstrip().startswith("#") and i not in inside]


def comments(text: str, root: Node | None) -> list[tuple[int, str]]:
    """Every comment of ``text``, full-line or at the end of a line: its line (0-based) and text."""
    spans = []
    for item in visit(root, None):
        if isinstance(item.node, ScalarNode):
            spans.append((item.node.start_mark.index, item.node.end_mark.index))
        elif isinstance(item.node, MappingNode):
            spans += [(key.start_mark.index, key.end_mark.index) for key, _ in item.node.value]
    spans.sort()
    starts = [start for start, _ in spans]
    found: list[tuple[int, str]] = []
    after = 0  # the end of the last comment found
    for match in re.finditer(r"(?:^|(?<=[ \t]))#", text, re.MULTILINE):
        at = match.start()
        within = bisect.bisect_right(starts, at) - 1
        if at < after or (within >= 0 and at < spans[within][1]):
            continue
        end = text.find("\n", at)
        after = len(text) if end < 0 else end
        found.append((text.count("\n", 0, at), text[at:after].rstrip()))
    return found


def lost_comment(name: str, line: int, text: str) -> Diagnostic:
    return Diagnostic(f"fmt cannot keep the comment {text.strip()!r} (ruamel.yaml drops comments inside a flow "
                      "collection [...] or {...}, or between a key and its value): move it to a line of its own "
                      "next to the key; nothing written", Location(name, line + 1, 1))


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def reindent_comments(original: str, dumped: str, name: str = "<string>") -> str:
    """``dumped`` with each full-line comment indented at the level it had in ``original`` (ruamel keeps
    a comment's column, which re-indented lines no longer match): like the next line when it was not
    deeper than that line, else like the block it ended. ruamel keeps comments in order; a file whose
    comments it did not keep is refused rather than written without them."""
    before, after = original.splitlines(), dumped.splitlines(keepends=True)
    old, new = comment_lines(original, compose(original)), comment_lines(dumped, compose(dumped))
    kept = [before[i].strip() for i in old], [after[j].strip() for j in new]
    if kept[0] != kept[1]:
        lost = next((i for i, a, b in zip(old, *kept, strict=False) if a != b), old[len(kept[1])])
        raise ConfigError([lost_comment(name, lost, before[lost])])
    old_set, new_set = set(old), set(new)
    for i, j in zip(old, new, strict=True):
        level = _level(before, old_set, i)
        if level is None:
            following = _content(after, new_set, j, forward=True)
            width = indent(after[following]) if following is not None else 0
        else:
            previous = _content(after, new_set, j, forward=False)
            stack = _stack(after, new_set, previous) if previous is not None else [0]
            width = stack[min(level, len(stack) - 1)]
        after[j] = " " * width + after[j].lstrip(" ")
    return "".join(after)


def _level(lines: list[str], comments: set[int], at: int) -> int | None:
    """None: the comment goes with the next line; else how many levels up from the previous line's."""
    column = indent(lines[at])
    following = _content(lines, comments, at, forward=True)
    if following is not None and column <= indent(lines[following]):
        return None
    previous = _content(lines, comments, at, forward=False)
    if previous is None:
        return None
    stack = _stack(lines, comments, previous)
    return next((n for n, width in enumerate(stack) if width <= column), len(stack) - 1)


def _content(lines: list[str], comments: set[int], at: int, *, forward: bool) -> int | None:
    """The nearest line of content after (or before) line ``at``."""
    step = 1 if forward else -1
    index = at + step
    while 0 <= index < len(lines):
        if lines[index].strip() and index not in comments:
            return index
        index += step
    return None


def _stack(lines: list[str], comments: set[int], at: int) -> list[int]:
    """The indentation of line ``at`` and of the lines it is nested in, innermost first."""
    stack = [indent(lines[at])]
    for index in range(at - 1, -1, -1):
        line = lines[index]
        if line.strip() and index not in comments and indent(line) < stack[-1]:
            stack.append(indent(line))
    return stack
