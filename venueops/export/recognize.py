"""A first venue file read off the live objects: the venue's texts, its committees, which stages exist
and their dates. Options the objects do not state plainly are left to ``fit``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from venueops.config.dates import parse_zone
from venueops.state.reader import LiveState

# role key → the venue group's content key holding its group id (and the default group name)
ROLE_KEYS = {
    "reviewers": ("reviewers_id", "Reviewers"),
    "area_chairs": ("area_chairs_id", "Area_Chairs"),
    "senior_area_chairs": ("senior_area_chairs_id", "Senior_Area_Chairs"),
    "ethics_chairs": ("ethics_chairs_id", "Ethics_Chairs"),
    "ethics_reviewers": ("ethics_reviewers_id", "Ethics_Reviewers"),
    "publication_chairs": ("publication_chairs_id", "Publication_Chairs"),
}
BID_COMMITTEES = ("reviewers", "area_chairs", "senior_area_chairs")
# stage key → (the venue group's content key with its name, default name)
NAMED_STAGES = {
    "review": ("review_name", "Official_Review"),
    "rebuttal": ("rebuttal_name", "Rebuttal"),
    "meta_review": ("meta_review_name", "Meta_Review"),
    "decision": ("decision_name", "Decision"),
    "comments": (None, "Official_Comment"),
    "revision": (None, "Revision"),
    "camera_ready": (None, "Camera_Ready_Revision"),
}


def escape(text: str) -> str:
    """Venue-file strings are Jinja templates: live text with template markers passes through raw."""
    if any(marker in text for marker in ("{{", "{%", "{#")):
        return "{% raw %}" + text.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}") + \
            "{% endraw %}"
    return text


def escaped(value: Any) -> Any:
    """A live JSON value as a venue-file value: every string in it escaped (``escape``)."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: escaped(v) for k, v in value.items()}
    return value


def date_text(ms: int, zone: str, *, deadline: bool) -> str:
    """An exact date in the venue's zone, written as short as it reads back the same."""
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=parse_zone(zone))
    if moment.microsecond:
        return moment.strftime("%Y-%m-%d %H:%M:%S") + f".{moment.microsecond // 1000:03d}"
    if not deadline and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    text = moment.strftime("%Y-%m-%d %H:%M")
    return text + moment.strftime(":%S") if moment.second else text


def value_of(content: dict[str, Any], key: str) -> Any:
    entry = content.get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def recognize(venue_id: str, live: LiveState, zone: str) -> dict[str, Any]:
    """The venue, its roles and the stages present (with their names), as a venue-file mapping."""
    content = live.groups[venue_id].get("content") or {}
    return {"venue": _venue(venue_id, content, zone), "roles": _roles(venue_id, content, live),
            "stages": _stages(venue_id, content, live)}


def _venue(venue_id: str, content: dict[str, Any], zone: str) -> dict[str, Any]:
    name = value_of(content, "title") or venue_id
    out: dict[str, Any] = {"id": venue_id, "name": escape(name)}
    short = value_of(content, "subtitle")
    if short and short != name:
        out["short_name"] = escape(short)
    for key in ("website", "contact", "location", "date", "start_date", "instructions"):
        text = value_of(content, key)
        if isinstance(text, str) and text:
            out[key] = escape(text)
    sender = value_of(content, "message_sender")
    if isinstance(sender, dict) and sender.get("fromName") not in (None, short or name):
        out["email_sender_name"] = escape(str(sender["fromName"]))
    out["timezone"] = zone
    return out


def _members(live: LiveState, group_id: str | None) -> list[str] | None:
    group = live.groups.get(group_id or "")
    members = (group or {}).get("members")
    return list(members) if members else None


def _roles(venue_id: str, content: dict[str, Any], live: LiveState) -> dict[str, Any]:
    """The committees. Program chairs with their members (the file names them); the other committees
    without: their membership is recruitment's and the assignments' (``unlisted_members`` says how many)."""
    chairs_id = value_of(content, "program_chairs_id") or f"{venue_id}/Program_Chairs"
    roles: dict[str, Any] = {"program_chairs": _role(venue_id, chairs_id, "Program_Chairs", live)}
    roles["reviewers"] = None
    for role, (key, default) in ROLE_KEYS.items():
        group_id = value_of(content, key)
        if group_id:
            roles[role] = _role(venue_id, group_id, default, live, members=False)
    authors = value_of(content, "authors_name")
    if authors and authors != "Authors":
        roles["authors"] = {"name": authors}
    return roles


def _role(venue_id: str, group_id: str, default: str, live: LiveState, *, members: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    name = group_id[len(venue_id) + 1:] if group_id.startswith(venue_id + "/") else group_id
    if name != default:
        out["name"] = name
    found = _members(live, group_id)
    if found and members:
        out["members"] = found
    return out


def unlisted_members(venue_id: str, live: LiveState) -> list[str]:
    """The committees whose members the file does not list, with how many they have."""
    content = live.groups[venue_id].get("content") or {}
    out = []
    for role, (key, _) in ROLE_KEYS.items():
        found = _members(live, value_of(content, key))
        if found:
            out.append(f"{role} ({len(found):,} member{'s' if len(found) != 1 else ''})")
    return out


def _stages(venue_id: str, content: dict[str, Any], live: LiveState) -> dict[str, Any]:
    stages: dict[str, Any] = {}
    submission_name = value_of(content, "submission_name") or "Submission"
    stages["submission"] = {"name": submission_name} if submission_name != "Submission" else {}
    bids = []
    for committee in BID_COMMITTEES:
        group_id = value_of(content, ROLE_KEYS[committee][0])
        if group_id and f"{group_id}/-/Bid" in live.invitations:
            bids.append({"committee": committee})
    if bids:
        stages["bidding"] = bids
    for stage, (key, default) in NAMED_STAGES.items():
        name = (value_of(content, key) if key else None) or default
        if f"{venue_id}/-/{name}" in live.invitations:
            stages[stage] = {"name": name} if name != default else {}
    return stages
