"""What OpenReview does because of a plan's changes: the scripts its edits set off, the per-paper objects
their fan-out touches, and the e-mails they send. Read from the changed invitations as the plan posts
them (pure but for reading openreview-py's own scripts, which ``$file`` names); the count of papers is
the live venue's, read by the engine (one request).

- A super invitation (``edit.invitation``, ``edit.group``, or a post-deadline ``edit.note``) with date
  processes: its fan-out script re-posts the per-paper child of each submission, at the invitation's
  ``cdate`` and again a few seconds after each edit of it. The count is the venue's submissions now,
  an estimate: the fan-out skips withdrawn and desk-rejected papers.
- Its ``*_script`` content: the scripts each reply runs; its ``email_*`` flags: whom each reply e-mails.
- The e-mails its scripts send (``venueops.plan.emails``): subject template, recipients, the flag they
  depend on, read statically from the scripts, so an estimate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from venueops.compile.model import DesiredState
from venueops.openreview import files as openreview_files
from venueops.plan.emails import invitation_emails
from venueops.plan.model import Action, Change

EMAIL_WORDS = {"email_authors": "authors", "email_reviewers": "reviewers", "email_area_chairs": "area chairs",
               "email_senior_area_chairs": "senior area chairs", "email_program_chairs": "program chairs"}


def side_effects(changes: tuple[Change, ...], desired: DesiredState, submissions: int | None, *,
                 resolve: Callable[[Any], Any] = openreview_files.resolve) -> list[dict[str, Any]]:
    """``resolve`` fills in the ``$file`` references of the scripts whose e-mails are read."""
    out = []
    for change in changes:
        if change.kind != "invitation" or change.action not in (Action.CREATE, Action.UPDATE):
            continue
        obj = desired.get("invitation", change.id)
        if obj is None:
            continue
        effect = _effect(obj.body, submissions, resolve)
        if effect:
            out.append({"id": change.id, **effect})
    return out


def needs_count(changes: tuple[Change, ...], desired: DesiredState) -> bool:
    """Whether a change sets off a fan-out (so the engine reads the venue's count of papers)."""
    return any(change.kind == "invitation" and change.action in (Action.CREATE, Action.UPDATE)
               and (obj := desired.get("invitation", change.id)) is not None and _fan_out(obj.body) is not None
               for change in changes)


def _fan_out(body: dict[str, Any]) -> str | None:
    if not body.get("dateprocesses"):
        return None
    edit = body.get("edit") if isinstance(body.get("edit"), dict) else {}
    if isinstance(edit.get("invitation"), dict):
        child = str(edit["invitation"].get("id", "")).rsplit("/-/", 1)[-1]
        return f"per-paper {child} invitations"
    if isinstance(edit.get("group"), dict):
        group = str(edit["group"].get("id", "")).rsplit("/", 1)[-1]
        return f"per-paper {group} groups"
    if isinstance(edit.get("note"), dict):
        return "readers and fields"
    return None


def _effect(body: dict[str, Any], submissions: int | None, resolve: Callable[[Any], Any]) -> dict[str, Any]:
    effect: dict[str, Any] = {}
    if not isinstance(body.get("edit"), dict):
        return effect  # a meta invitation (``edit: true``): its scripts run as the others' date processes
    touched = _fan_out(body)
    if touched is not None:
        effect["fan_out"] = {"objects": touched, "count": submissions, "estimated": True}
    content = body.get("content") if isinstance(body.get("content"), dict) else {}
    scripts = sorted(k for k in content if k.endswith("_script"))
    if scripts:
        effect["scripts"] = scripts
    flags = [words for key, words in EMAIL_WORDS.items()
             if isinstance(content.get(key), dict) and content[key].get("value") is True]
    if flags:
        effect["email_flags"] = flags
    emails = invitation_emails(body, resolve)
    if emails:
        effect["emails"] = emails
    return effect


def effect_lines(effects: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[str]:
    """The "Side effects" section of a text plan (empty when the plan sets nothing off)."""
    if not effects:
        return []
    lines = ["Side effects (what OpenReview runs because of these changes):"]
    for effect in effects:
        parts = []
        fan = effect.get("fan_out")
        if fan:
            count = f"about {fan['count']:,} now" if isinstance(fan.get("count"), int) else "count unknown"
            what = "each submission's" if fan["objects"] == "readers and fields" else "the"
            of = "" if fan["objects"] == "readers and fields" else " of each submission"
            parts.append(f"its date process updates {what} {fan['objects']}{of} ({count}, an estimate: withdrawn "
                         "and desk-rejected papers are skipped)")
        if effect.get("scripts"):
            parts.append("each reply runs " + ", ".join(effect["scripts"]))
        if effect.get("email_flags"):
            parts.append("each reply e-mails " + ", ".join(effect["email_flags"]))
        lines.append(f"  invitation {effect['id']}: " + ("; ".join(parts) or "e-mails from its scripts"))
        lines.extend(f"      {_email_line(e)}" for e in effect.get("emails", ()) if isinstance(e, dict))
    return lines


def _email_line(email: dict[str, Any]) -> str:
    if email.get("unreadable"):
        return f"{email['script']} could not be read ({email['unreadable']}): its e-mails, if any, are not shown"
    when = f", if {email['when']}" if email.get("when") else ""
    return f"{email['script']} e-mails \"{email['subject']}\" to {email['to']}{when} (estimated from the script)"
