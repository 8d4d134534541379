"""A valid synthetic note edit for an invitation, as a person filling in its form would post it.

Read from the live invitation's template (the per-paper one, with its ``${…}`` already resolved):

- **content**: each required field gets a value of its ``param`` type: the first of its ``enum``, the low
  end of its ``range``, a short text within its length limits, the person's own profile for a profile
  field, a placeholder path for a file; optional fields are left out (as most people leave them).
  ``authors``/``authorids`` are the paper's authors.
- **readers**: a list the invitation fixes is left to the server; a ``param`` of items is answered with
  every item the writer may name (the widest choice, so what the access model calls "if the writer
  chooses them" is observed); patterns (anonymous ids) are not names and are skipped.
- **signature**: the first of the template's signature options the person can sign with: their profile
  (``~.*``), a group they belong to, or their anonymous id under a pattern (``memberships`` says which).

Pure: the caller fetches the invitation and the person's groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

TEXT = "A rehearsal text, written by a synthetic person."
FILE_PATH = "/pdf/" + "0" * 40 + ".pdf"


@dataclass(frozen=True)
class Writer:
    profile_id: str
    fullname: str
    groups: frozenset[str]  # the groups the person is a member of (anonymous ids included)
    authors: tuple[tuple[str, str], ...] = ()  # (profile id, full name) of the paper's authors, for a submission


def note_edit(invitation: dict[str, Any], writer: Writer, *, title: str,
              forum: str | None = None) -> dict[str, Any] | None:
    """The edit body to ``POST /notes/edits``, or None when the person cannot sign it at all. ``forum``:
    the paper, for a form that lets the writer choose where the reply goes (comments): to the paper."""
    edit = invitation.get("edit") if isinstance(invitation.get("edit"), dict) else {}
    signature = choose_signature(edit.get("signatures"), writer)
    if signature is None:
        return None
    note_template = edit.get("note") if isinstance(edit.get("note"), dict) else {}
    note: dict[str, Any] = {"content": synthetic_content(note_template.get("content") or {}, writer, title=title)}
    for key in ("forum", "replyto"):
        if forum is not None and isinstance(note_template.get(key), dict):
            note[key] = forum
    readers = _chosen(note_template.get("readers"))
    if readers is not None:
        note["readers"] = readers
    body: dict[str, Any] = {"invitation": invitation["id"], "signatures": [signature], "note": note}
    edit_readers = _chosen(edit.get("readers"))
    if edit_readers is not None:
        body["readers"] = edit_readers
    return body


def choose_signature(template: Any, writer: Writer) -> str | None:
    for entry in _signature_options(template):
        if entry in ("~.*", "~"):
            return writer.profile_id
        if entry.endswith(".*"):
            prefix = entry[:-2]
            mine = sorted(g for g in writer.groups if g.startswith(prefix))
            if mine:
                return mine[0]
            continue
        if entry == writer.profile_id or entry in writer.groups:
            return entry
    return None


def _signature_options(template: Any) -> Iterable[str]:
    if isinstance(template, list):
        yield from (e for e in template if isinstance(e, str))
        return
    param = template.get("param") if isinstance(template, dict) else None
    if not isinstance(param, dict):
        return
    for item in param.get("items") or []:
        if isinstance(item, dict):
            entry = item.get("value", item.get("prefix"))
            if isinstance(entry, str):
                yield entry
    for entry in param.get("enum") or []:
        if isinstance(entry, str):
            yield entry
    if isinstance(param.get("regex"), str):
        yield param["regex"]


def _chosen(template: Any) -> list[str] | None:
    """Every reader a writer may name (None: the template fixes the list, the server fills it in)."""
    param = template.get("param") if isinstance(template, dict) else None
    if not isinstance(param, dict):
        return None
    if "const" in param:
        return None
    chosen = []
    for item in param.get("items") or []:
        entry = item.get("value") if isinstance(item, dict) else None
        if isinstance(entry, str) and not entry.endswith(".*"):
            chosen.append(entry)
    chosen += [e for e in param.get("enum") or [] if isinstance(e, str) and not re.search(r"[.*+?\[\]()]", e)]
    return chosen or None


def synthetic_content(fields: dict[str, Any], writer: Writer, *, title: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, spec in sorted(fields.items()):
        value = spec.get("value") if isinstance(spec, dict) else None
        param = value.get("param") if isinstance(value, dict) else None
        if not isinstance(param, dict):
            continue  # a constant: the server fills it in
        if "const" in param:
            continue
        if param.get("optional") and name not in ("authors", "authorids"):
            continue
        out[name] = {"value": field_value(name, param, writer, title=title)}
    return out


def field_value(name: str, param: dict[str, Any], writer: Writer, *, title: str) -> Any:
    kind = str(param.get("type") or "string")
    many = kind.endswith("[]") or kind.endswith("{}")
    base = kind.rstrip("[]{}")
    if name == "authorids" and writer.authors:
        return [profile for profile, _ in writer.authors]
    if name == "authors" and writer.authors:
        return [fullname for _, fullname in writer.authors]
    enum = [e.get("value") if isinstance(e, dict) else e for e in param.get("enum") or []]
    enum = [e for e in enum if e is not None]
    if enum:
        return [enum[0]] if many else enum[0]
    if base in ("integer", "float"):
        low = (param.get("range") or [1])[0]
        number = low if isinstance(low, (int, float)) else 1
        return [number] if many else number
    if base == "boolean":
        return True
    if base in ("profile", "group"):
        return [writer.profile_id] if many else writer.profile_id
    if base == "file":
        return FILE_PATH
    if base == "date":
        return 0
    if base == "json":
        return {}
    text = _text(name, param, title)
    return [text] if many else text


def _text(name: str, param: dict[str, Any], title: str) -> str:
    text = title if name == "title" else TEXT
    low, high = param.get("minLength"), param.get("maxLength")
    if isinstance(low, int) and len(text) < low:
        text = (text + " ") * (low // len(text) + 1)
    if isinstance(high, int):
        text = text[:high].rstrip() or text[:high]
    return text
