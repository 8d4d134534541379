"""Checks on the compiled objects: what the server would refuse, group references, double-blind leaks.

- Every object is checked against OpenReview's own rules (``venueops.openreview.rules``: ids,
  integers, dates, regular expressions, param specifiers). A raw object's problem is reported at the
  line that wrote the offending value; a stage's at the stage (the models refuse bad form fields at
  their own line first, so these are a backstop).

- Every group a raw object (or a form field written in the venue file) names in its readers,
  writers, invitees or signatures must exist in the venue, be one of OpenReview's special groups,
  a profile id or e-mail, a per-submission group (``V/Submission{n}/...``) or a template reference
  (``${...}``). Objects compiled from stages are correct by construction and are not re-checked.
- In a double-blind venue, no invitation open before decisions may let ``everyone`` or reviewers
  read a submission's author fields.
"""

from __future__ import annotations

import re
from typing import Any

from venueops.compile.context import CompileContext
from venueops.compile.model import RAW_SECTIONS, DesiredObject
from venueops.diagnostics import Diagnostic
from venueops.openreview import rules

SPECIAL_GROUPS = frozenset({"everyone", "~", "(guest)", "(anonymous)", "openreview.net", "~Super_User1",
                            "openreview.net/Support", "openreview.net/Template"})
GROUP_LIST_FIELDS = ("readers", "nonreaders", "writers", "signatures", "signatories", "invitees", "noninvitees",
                     "members", "deanonymizers")
AUTHOR_FIELDS = ("authorids", "authors")


def check_compiled(ctx: CompileContext, objects: list[DesiredObject], *, server_rules: bool = True) -> list[Diagnostic]:
    problems: list[Diagnostic] = [*check_server_rules(ctx, objects)] if server_rules else []
    known = {o.id for o in objects if o.kind == "group"} | {ctx.venue_id}
    per_paper = re.compile(re.escape(ctx.names.paper()) + r"(\d+|\$\{[^}]*\})(/|$)")
    for obj in objects:
        if obj.stage in RAW_SECTIONS:
            for field, group in _group_references(obj.body):
                if not _acceptable(group, known, per_paper):
                    problems.append(Diagnostic(
                        f"{obj.kind} {obj.id}: {field} names {group!r}, which is not a group of this venue, "
                        "a per-submission group, a profile, an e-mail or an OpenReview group", obj.source))
    if ctx.spec.stages.submission.double_blind:
        problems += _double_blind(ctx, objects)
    return problems


def check_server_rules(ctx: CompileContext, objects: list[DesiredObject]) -> list[Diagnostic]:
    """What OpenReview would refuse in each object, where the venue file wrote it."""
    problems = []
    for obj in objects:
        for violation in rules.check_object(obj.kind, obj.body):
            if obj.stage in RAW_SECTIONS and obj.path:
                where = ctx.config.source.locate((*obj.path, *_path_key(violation.path)))
                problems.append(Diagnostic(f"{obj.kind} {obj.id}: {violation}", where,
                                           path=f"{obj.stage}[{obj.path[-1]}].{violation.path}"))
            else:
                problems.append(Diagnostic(f"{obj.kind} {obj.id}: {violation} (the server would refuse it)",
                                           obj.source))
    return problems


def _path_key(dotted: str) -> tuple[str | int, ...]:
    """``edit.note.readers[2]`` → ``("edit", "note", "readers", 2)``."""
    out: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        out.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(out)


def _group_references(body: dict[str, Any]) -> list[tuple[str, str]]:
    """``(field, group)`` for the plain group lists of an object and of its note template."""
    found: list[tuple[str, str]] = []

    def scan(node: Any, where: str) -> None:
        if not isinstance(node, dict):
            return
        for field in GROUP_LIST_FIELDS:
            value = node.get(field)
            if isinstance(value, list):
                found.extend((f"{where}{field}", v) for v in value if isinstance(v, str))
        for nested in ("edit", "note", "group", "invitation"):
            if isinstance(node.get(nested), dict):
                scan(node[nested], f"{where}{nested}.")

    scan(body, "")
    return found


def _acceptable(group: str, known: set[str], per_paper: re.Pattern[str]) -> bool:
    return (group in known or group in SPECIAL_GROUPS or "${" in group or group.startswith("~")
            or "@" in group or per_paper.match(group) is not None)


def _double_blind(ctx: CompileContext, objects: list[DesiredObject]) -> list[Diagnostic]:
    decision = ctx.spec.stages.decision
    decision_start = ctx.ms(decision.start, deadline=False) if decision is not None else None
    problems = []
    for obj in objects:
        if obj.kind != "invitation":
            continue
        cdate = obj.body.get("cdate")
        if decision_start is not None and isinstance(cdate, int) and cdate >= decision_start:
            continue
        for note in _note_templates(obj.body):
            content = note.get("content") if isinstance(note.get("content"), dict) else {}
            note_readers = note.get("readers") if isinstance(note.get("readers"), list) else []
            for field in AUTHOR_FIELDS:
                entry = content.get(field)
                if not isinstance(entry, dict) or "value" not in entry:
                    continue
                readers = entry.get("readers") if isinstance(entry.get("readers"), list) else note_readers
                leaks = [r for r in readers if isinstance(r, str) and _reveals(r, ctx)]
                if leaks:
                    problems.append(Diagnostic(
                        f"double-blind venue: {obj.id} lets {', '.join(leaks)} read author identities "
                        f"(content.{field}) before decisions", obj.source))
    return problems


def _note_templates(body: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    edit = body.get("edit")
    if isinstance(edit, dict):
        if isinstance(edit.get("note"), dict):
            out.append(edit["note"])
        inner = edit.get("invitation")
        if isinstance(inner, dict) and isinstance(inner.get("edit"), dict) and isinstance(
                inner["edit"].get("note"), dict):
            out.append(inner["edit"]["note"])
    return out


def _reveals(group: str, ctx: CompileContext) -> bool:
    reviewers = ctx.names.reviewers_name
    return group == "everyone" or group.endswith(f"/{reviewers}") or f"/{reviewers}/" in group or (
        "/Reviewer_" in group)
