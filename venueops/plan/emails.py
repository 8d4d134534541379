"""The e-mails a venue script sends, read statically (``ast``) from its source: never run.

Each call that sends mail (``post_message``, ``post_message_request``, ``post_direct_message``, and
``openreview.tools.recruit_user``/``recruit_reviewer``) gives one e-mail:

- ``subject``: the subject as a template, each f-string part as ``{expression}``; templates the script
  chooses between at run time are joined by `` | ``;
- ``to``: the recipients in words where the script says who they are (a role the venue group names,
  ``domain.get_content_value('program_chairs_id')``: "the program chairs"; a per-paper group,
  ``f'{paper_group_id}/{authors_name}'``: "the paper's authors"; ``note.signatures``: "the signer"),
  otherwise the expression as written;
- ``when``: the ``email_*`` flags of the ``if`` statements it sits in (``email_pcs`` assigned from
  ``get_content_value('email_program_chairs')`` names that flag), the conditions as written when no
  flag is involved, ``None`` when the call is unconditional.

Variables are followed through every assignment in the script, wherever it is: an estimate. Whether a
condition holds, who belongs to a group, and early ``return``s are decided at run time.
"""

from __future__ import annotations

import ast
import functools
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from venueops.errors import VenueOpsError

# call name → (subject: position, keyword), (recipients: position, keyword)
SENDERS = {name: ((0, "subject"), (1, "recipients"))
           for name in ("post_message", "post_message_request", "post_direct_message")}
TOOLS_SENDERS = {"recruit_user": ((3, "recruitment_message_subject"), (1, "user")),
                 "recruit_reviewer": ((6, "recruit_message_subj"), (1, "user"))}
FLAG = re.compile(r"(^|_)email(_|$)")
JAVASCRIPT = re.compile(r"^\s*(//[^\n]*\n\s*|/\*.*?\*/\s*)*(async\s+)?function\b", re.DOTALL)
ROLE_WORDS = {"reviewer_roles": "reviewers", "reviewers_submitted": "reviewers who submitted",
              "reviewers_anon": "anonymous reviewers", "authors_accepted": "accepted authors"}
CONVERSIONS = ("list", "set", "sorted", "tuple")
MAX_CHAIN = 12  # names followed from one expression, at most
NONE: frozenset[str] = frozenset()
PEOPLE = {"signatures": "the signer", "tauthor": "the person who posted it", "authorids": "the authors"}


class UnreadableScript(ValueError):
    """A script this module cannot read; the message says why, in a few words."""


@dataclass(frozen=True)
class Email:
    subject: str
    to: str
    when: str | None


def script_emails(source: str) -> list[Email]:
    """The e-mails ``source`` sends, in the order they are written. Raises ``UnreadableScript``."""
    found = _read_script(source)
    if isinstance(found, str):
        raise UnreadableScript(found)
    return list(found)


# CPython 3.11's AST constructor keeps its recursion depth in interpreter-wide state: ``ast.parse`` in
# two threads at once fails with "SystemError: AST constructor recursion depth mismatch" (fixed in
# 3.12). Plans are made in threads (``reconcile --jobs``), so scripts are read one at a time, and each
# script once (the same few openreview-py scripts come back in every plan).
_PARSING = threading.Lock()


@functools.lru_cache(maxsize=256)
def _read_script(source: str) -> tuple[Email, ...] | str:
    """The e-mails of ``source``, or why it cannot be read."""
    if JAVASCRIPT.match(source):
        return "JavaScript"
    with _PARSING:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return "not valid Python"
        return tuple(dict.fromkeys(_Reader(tree).emails(tree, ())))


def invitation_emails(body: dict[str, Any], resolve: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """The e-mails an invitation's scripts send (its own, its date processes', its per-paper child's, and
    its ``*_script`` content, which those run), as plan entries; ``resolve`` fills in ``$file`` references."""
    out: list[dict[str, Any]] = []
    for field, value in _scripts(body):
        try:
            source = resolve(value)
            if not isinstance(source, str):
                raise UnreadableScript("not text")
            emails = script_emails(source)
        except UnreadableScript as error:
            out.append({"script": field, "unreadable": str(error)})
            continue
        except VenueOpsError:  # a ``$file`` that cannot be read (openreview-py missing)
            out.append({"script": field, "unreadable": "not available"})
            continue
        out.extend({"script": field, "subject": e.subject, "to": e.to, "when": e.when, "estimated": True}
                   for e in emails)
    return out


def _scripts(body: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    def script(value: Any) -> Any:
        return value.get("script") if isinstance(value, dict) and "script" in value else value

    child = body.get("edit", {}).get("invitation") if isinstance(body.get("edit"), dict) else None
    for prefix, holder in (("", body), ("edit.invitation.", child if isinstance(child, dict) else {})):
        for key in ("process", "preprocess"):
            if holder.get(key):
                yield prefix + key, script(holder[key])
        for i, entry in enumerate(holder.get("dateprocesses") or []):
            if isinstance(entry, dict) and entry.get("script"):
                yield f"{prefix}dateprocesses[{i}].script", entry["script"]
    content = body.get("content") if isinstance(body.get("content"), dict) else {}
    for key in sorted(k for k in content if k.endswith("_script")):
        if isinstance(content[key], dict) and content[key].get("value"):
            yield key, content[key]["value"]


class _Reader:
    """One script: what each of its names is assigned (anywhere), and its sending calls. ``seen`` is the
    chain of names being followed (a name met again on its own chain is not followed)."""

    def __init__(self, tree: ast.Module) -> None:
        self.values: dict[str, list[ast.expr]] = {}  # name → expressions it holds (or holds elements of)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                self._bind(node.target, node.value)
            elif isinstance(node, (ast.For, ast.comprehension)):
                self._bind(node.target, node.iter)  # an element of a list of groups: described as the list
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                  and node.func.attr in ("append", "extend", "add") and isinstance(node.func.value, ast.Name)):
                self._bind(node.func.value, node.args[0])

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.values.setdefault(target.id, []).append(value)

    def _held(self, name: str, seen: frozenset[str]) -> list[tuple[ast.expr, frozenset[str]]]:
        if name in seen or len(seen) > MAX_CHAIN:
            return []
        return [(value, seen | {name}) for value in self.values.get(name, [])]

    def emails(self, node: ast.AST, path: tuple[tuple[ast.expr, bool], ...]) -> Iterator[Email]:
        if isinstance(node, ast.If):
            yield from self.emails(node.test, path)
            for child in node.body:
                yield from self.emails(child, (*path, (node.test, False)))
            for child in node.orelse:
                yield from self.emails(child, (*path, (node.test, True)))
            return
        if isinstance(node, ast.Call) and (spec := _sender(node)) is not None:
            subject, recipients = (_argument(node, *where) for where in spec)
            yield Email(subject=" | ".join(self.templates(subject, NONE)) if subject else "(no subject)",
                        to=" and ".join(self.people(recipients)) if recipients else "(no recipients)",
                        when=self.condition(path))
        for child in ast.iter_child_nodes(node):
            yield from self.emails(child, path)

    # -- subjects ------------------------------------------------------------------------------------

    def templates(self, node: ast.expr, seen: frozenset[str]) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            return ["".join(_template_part(part) for part in node.values)]
        if isinstance(node, ast.IfExp):
            return _unique(self.templates(node.body, seen) + self.templates(node.orelse, seen))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return _unique([a + b for a in self.templates(node.left, seen) for b in self.templates(node.right, seen)])
        if (receiver := _method(node, "format", "strip")) is not None:
            return self.templates(receiver, seen)
        if isinstance(node, ast.Name) and (held := self._held(node.id, seen)):
            return _unique([t for value, chain in held for t in self.templates(value, chain)])
        return [_template_part(node)]

    # -- recipients ----------------------------------------------------------------------------------

    def people(self, node: ast.expr) -> list[str]:
        """Who ``node`` names, in words where possible, else as written (empty for an empty list)."""
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return _unique([w for elt in node.elts for w in self.people(elt)])
        if isinstance(node, (ast.IfExp, ast.BinOp)):
            parts = (node.body, node.orelse) if isinstance(node, ast.IfExp) else (node.left, node.right)
            return _unique([w for part in parts for w in self.people(part)])
        words = self.words(node, NONE)
        return words if words is not None else [ast.unparse(node)]

    def words(self, node: ast.expr, seen: frozenset[str]) -> list[str] | None:
        """Who ``node`` names, in words, or None where it cannot be said."""
        if isinstance(node, ast.Name):
            found = [w for value, chain in self._held(node.id, seen) if (w := self.words(value, chain)) is not None]
            return _unique([x for w in found for x in w]) if found else None
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.IfExp)):
            parts = (node.body, node.orelse) if isinstance(node, ast.IfExp) else node.elts
            found = [self.words(part, seen) for part in parts]
            return None if any(w is None for w in found) else _unique([x for w in found for x in w or []])
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]  # a group id or an address, as written
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self.words(node.elt, seen)  # its loop variable holds the iterable's elements
        if isinstance(node, ast.Attribute) and node.attr in PEOPLE:
            return [PEOPLE[node.attr]]
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
            return self.words(node.value, seen)  # review.signatures[0]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CONVERSIONS and node.args:
            return self.words(node.args[0], seen)
        if (receiver := _method(node, "format", "lower")) is not None:
            return self.words(receiver, seen)
        if isinstance(node, ast.JoinedStr):
            return self._group_words(node, seen)
        key = self.key(node, seen)
        if key is None:
            return None
        return [PEOPLE["authorids"] if key == "authorids" else f"the {_role(key)}"]

    def _group_words(self, node: ast.JoinedStr, seen: frozenset[str]) -> list[str] | None:
        """A group id built as ``f'{prefix}/{role_name}'``: the role, and whether the prefix is a paper's."""
        *prefix, last = node.values
        if isinstance(last, ast.FormattedValue):
            key = self.key(last.value, seen)
            role = _role(key) if key else None
        elif isinstance(last, ast.Constant) and "/" in str(last.value):
            head, tail = str(last.value).rsplit("/", 1)
            prefix, role = [*prefix, ast.Constant(head)], tail.replace("_", " ").lower()
        else:
            return None
        if not role:
            return None
        paper = any(self._of_paper(part, seen) for part in prefix)
        return [f"the paper's {role}" if paper else f"the {role}"]

    def _of_paper(self, node: ast.AST, seen: frozenset[str]) -> bool:
        """Whether ``node`` builds on a submission's number (a per-paper group id)."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and sub.attr == "number":
                return True
            if isinstance(sub, ast.Constant) and sub.value == "submission_name":
                return True
            if isinstance(sub, ast.Name) and any(self._of_paper(v, chain) for v, chain in self._held(sub.id, seen)):
                return True
        return False

    def key(self, node: ast.expr, seen: frozenset[str]) -> str | None:
        """The content key ``node`` reads (``x.get_content_value('k')``, ``x.content['k']['value']``,
        ``x.content.get('k', {}).get('value')``), through variables."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            first = node.args[0] if node.args else None
            if node.func.attr not in ("get_content_value", "get") or not isinstance(first, ast.Constant):
                return None
            return self.key(node.func.value, seen) if first.value == "value" else str(first.value)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            return self.key(node.value, seen) if node.slice.value == "value" else str(node.slice.value)
        if isinstance(node, ast.Name):
            return next((k for v, chain in self._held(node.id, seen) if (k := self.key(v, chain))), None)
        return None

    # -- conditions ----------------------------------------------------------------------------------

    def condition(self, path: tuple[tuple[ast.expr, bool], ...]) -> str | None:
        """The ``email_*`` flags of the enclosing ``if``s (``not`` in an ``else``), or, when none is
        involved, their tests as written; None outside any ``if``."""
        if not path:
            return None
        flags = []
        for test, otherwise in path:
            flag = self.flags(test, NONE)
            if flag:
                flags.append(_negated(flag) if otherwise else flag)
        if flags:
            return " and ".join(_unique(flags))
        return " and ".join(_negated(ast.unparse(test)) if otherwise else ast.unparse(test) for test, otherwise in path)

    def flags(self, node: ast.expr, seen: frozenset[str]) -> str | None:
        """``node`` reduced to the ``email_*`` flags it reads (its other terms left out), or None."""
        if isinstance(node, ast.BoolOp):
            word = " and " if isinstance(node.op, ast.And) else " or "
            parts = _unique([p for value in node.values if (p := self.flags(value, seen))])
            if len(parts) < 2:
                return parts[0] if parts else None
            return word.join(f"({p})" if " " in p and not p.startswith("not ") else p for p in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.flags(node.operand, seen)
            return None if inner is None else _negated(inner)
        if isinstance(node, ast.Name):
            return next((f for v, chain in self._held(node.id, seen) if (f := self.flags(v, chain))), None)
        key = self.key(node, seen)
        return key if key and FLAG.search(key) and not key.endswith("_template") else None


def _sender(call: ast.Call) -> tuple[tuple[int, str], tuple[int, str]] | None:
    func = call.func
    if isinstance(func, ast.Name):
        return SENDERS.get(func.id)
    if isinstance(func, ast.Attribute):
        owner = func.value
        tools = (isinstance(owner, ast.Name) and owner.id == "tools") or \
            (isinstance(owner, ast.Attribute) and owner.attr == "tools")
        if tools and func.attr in TOOLS_SENDERS:
            return TOOLS_SENDERS[func.attr]
        return SENDERS.get(func.attr)
    return None


def _method(node: ast.expr, *names: str) -> ast.expr | None:
    """The receiver of ``receiver.name(...)`` for one of ``names``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
        return node.func.value
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[position] if len(call.args) > position else None


def _role(key: str) -> str:
    key = re.sub(r"_(id|ids|name|names)$", "", key)
    return ROLE_WORDS.get(key, key.replace("_", " "))


def _template_part(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "{" + ast.unparse(node.value if isinstance(node, ast.FormattedValue) else node) + "}"


def _negated(condition: str) -> str:
    return f"not ({condition})" if " " in condition else f"not {condition}"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
