"""Putting a document's keys in the canonical order (``layout``), moving text, never re-writing it.

A block mapping's entry moves as whole lines: its key line, its value, and the comments above it
(those indented no deeper than the key: a deeper one ends the entry before). Blank lines stay where
they were, so the spacing of a block does not move with its keys; the comments before a file's first
key (its header) stay on top. A flow mapping (``{anonymous: true, name: X}``) is written again in
the new order. A mapping whose entries hold YAML anchors or aliases is left in its order: moving an
alias before its anchor would break the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from venueops.format.document import Edit, apply_edits, comment_lines, compose, indent, is_empty, last_line, visit
from venueops.format.layout import key_order, ordered
from venueops.format.shapes import ROOT, Shape, child, mapping_shape


def reorder(text: str) -> str:
    """``text`` with every known mapping's keys in the canonical order."""
    text = _reorder_flow(text)
    root = compose(text)
    if not isinstance(root, MappingNode) or root.flow_style:
        return text
    lines = text.splitlines(keepends=True)
    block = _Block(lines, set(comment_lines(text, root)))
    return "".join(block.mapping(root, mapping_shape(ROOT, _keys(root)), 0, len(lines) - 1, top=True))


def _keys(node: MappingNode) -> list[str]:
    return [key.value for key, _ in node.value]


def _new_order(node: MappingNode, shape: Shape | None) -> list[int] | None:
    """The entries of ``node`` in canonical order (indices), or None when they stay as they are."""
    if shape is None or shape.model is None or _has_anchors(node):
        return None
    order = key_order(shape.model)
    if order is None:
        return None
    keys = _keys(node)
    if not all(isinstance(key, ScalarNode) for key, _ in node.value) or len(set(keys)) != len(keys):
        return None
    wanted = ordered(keys, order)
    return None if wanted == keys else [keys.index(key) for key in wanted]


def _has_anchors(node: Node) -> bool:
    return any(item.node.anchor is not None for item in visit(node, None))


# -- flow mappings: written again ------------------------------------------------------------------
def _reorder_flow(text: str) -> str:
    edits = []
    for item in visit(compose(text), ROOT):
        node = item.node
        one_line = isinstance(node, MappingNode) and node.flow_style and node.start_mark.line == node.end_mark.line
        if one_line and not _inside_flow(edits, node):
            written = _flow_text(text, node, item.shape)
            if written != text[node.start_mark.index:node.end_mark.index]:
                edits.append(Edit(node.start_mark.index, node.end_mark.index, written))
    return apply_edits(text, edits)


def _inside_flow(edits: list[Edit], node: Node) -> bool:
    return any(edit.start <= node.start_mark.index < edit.end for edit in edits)


def _flow_text(text: str, node: Node, shape: Shape | None) -> str:
    if _has_anchors(node):  # an alias's node is its anchor's, and so is its place in the text
        return text[node.start_mark.index:node.end_mark.index]
    if isinstance(node, MappingNode) and node.flow_style:
        shape = mapping_shape(shape, _keys(node))
        order = _new_order(node, shape) or range(len(node.value))
        pairs = [node.value[i] for i in order]
        if any(is_empty(value) for _, value in pairs):
            return text[node.start_mark.index:node.end_mark.index]  # a key without a value: as written
        return "{" + ", ".join(f"{text[k.start_mark.index:k.end_mark.index]}: "
                               f"{_flow_text(text, v, child(shape, k.value))}" for k, v in pairs) + "}"
    if isinstance(node, SequenceNode) and node.flow_style:
        return "[" + ", ".join(_flow_text(text, v, child(shape, i)) for i, v in enumerate(node.value)) + "]"
    return text[node.start_mark.index:node.end_mark.index]


# -- block mappings: lines moved -------------------------------------------------------------------
@dataclass
class _Entry:
    owned: list[str]  # the comments above the key
    body: list[str]  # the key's line, its value, the deeper comments that end it
    after: list[str]  # the blank lines after it (they stay in place)


class _Block:
    def __init__(self, lines: list[str], comments: set[int]) -> None:
        self.lines = lines
        self.comments = comments

    def node(self, node: Node, shape: Shape | None, lo: int, hi: int) -> list[str]:
        """Lines ``lo..hi``, which hold ``node`` (and lines around it), with its mappings reordered."""
        if isinstance(node, MappingNode) and not node.flow_style and node.value:
            return self.mapping(node, mapping_shape(shape, _keys(node)), lo, hi)
        if isinstance(node, SequenceNode) and not node.flow_style and node.value:
            return self.sequence(node, shape, lo, hi)
        return self.lines[lo:hi + 1]

    def sequence(self, node: SequenceNode, shape: Shape | None, lo: int, hi: int) -> list[str]:
        starts = [item.start_mark.line for item in node.value]
        out = self.lines[lo:starts[0]]
        for index, item in enumerate(node.value):
            end = starts[index + 1] - 1 if index + 1 < len(starts) else hi
            own_end = max(starts[index], last_line(item, self.lines))
            out += self.node(item, child(shape, index), starts[index], own_end)
            out += self.lines[own_end + 1:end + 1]
        return out

    def mapping(self, node: MappingNode, shape: Shape | None, lo: int, hi: int, *, top: bool = False) -> list[str]:
        column = node.value[0][0].start_mark.column
        first = node.value[0][0].start_mark.line
        lead = self.lines[lo:first]
        entries: list[_Entry] = []
        owned = [] if top else lead
        for index, (key, value) in enumerate(node.value):
            start = key.start_mark.line
            next_start = node.value[index + 1][0].start_mark.line if index + 1 < len(node.value) else hi + 1
            content_end = start if is_empty(value) else max(start, last_line(value, self.lines))
            tail, blanks, following = self._split_gap(content_end + 1, next_start, column)
            body_end = content_end + len(tail)
            if isinstance(value, MappingNode | SequenceNode) and not value.flow_style and value.value:
                body = self.lines[start:start + 1] if value.start_mark.line > start else []
                body += self.node(value, child(shape, key.value), start + len(body), body_end)
            else:
                body = self.lines[start:body_end + 1]
            entries.append(_Entry(owned, body, blanks))
            owned = following
        end = owned  # after the last entry: the comments that close this block stay at its end
        order = _new_order(node, shape)
        if order is None:
            order = list(range(len(entries)))
        elif not top and first == lo and self._dash(first, column):
            entries = self._move_dash(entries, order, column)
        out = lead if top else []
        for position, index in enumerate(order):
            out += entries[index].owned + entries[index].body
            out += entries[position].after if position + 1 < len(order) else []
        return out + entries[-1].after + end

    def _split_gap(self, start: int, stop: int, column: int) -> tuple[list[str], list[str], list[str]]:
        """The lines between an entry and the next key: the deeper comments that end the entry (with the
        blank lines among them), the blank lines after, and the comments that belong to the next key."""
        gap = list(range(start, stop))
        shallow = next((i for i in gap if i in self.comments and indent(self.lines[i]) <= column), stop)
        deeper = [i for i in gap if i < shallow and i in self.comments]
        tail_end = deeper[-1] + 1 if deeper else start
        return (self.lines[start:tail_end], self.lines[tail_end:shallow], self.lines[shallow:stop])

    def _dash(self, line: int, column: int) -> bool:
        return self.lines[line][:column].strip() == "-"

    def _move_dash(self, entries: list[_Entry], order: list[int], column: int) -> list[_Entry]:
        """A list item's first key shares the ``- `` line: the dash goes to the new first key."""
        old_first = entries[0]
        dash = old_first.body[0][:column]
        old_first.body[0] = " " * column + old_first.body[0][column:]
        new_first = entries[order[0]]
        new_first.body[0] = dash + new_first.body[0][indent(new_first.body[0]):]
        new_first.owned = [" " * indent(dash) + line.lstrip(" ") if line.strip() else line for line in new_first.owned]
        return entries

