"""Posting a compiled venue to a sandbox the way OpenReview support and a program chair would.

Objects marked ``via="root"`` go through the super user (the meta invitation without a parent,
groups through ``openreview.net/-/Edit``); the rest through the venue's meta invitation, signed by
the venue. Scripts named by ``$file`` are read from the installed openreview-py. Used by the tests
that check compiled objects are accepted by the sandbox.
"""

from __future__ import annotations

from typing import Any

import requests

from venueops.compile.model import DesiredObject, DesiredState
from venueops.openreview import files as openreview_files

ROOT_META = "openreview.net/-/Edit"


class PostError(AssertionError):
    pass


def post_state(baseurl: str, token: str, state: DesiredState) -> list[dict[str, Any]]:
    """Post every object of ``state`` in order; return the stored edits."""
    headers = {"Authorization": f"Bearer {token}"}
    return [post_object(baseurl, headers, state.venue_id, obj) for obj in state.objects]


def post_object(baseurl: str, headers: dict[str, str], venue_id: str, obj: DesiredObject) -> dict[str, Any]:
    body = openreview_files.resolve(obj.body)
    if obj.members_only:
        body = {"id": obj.id, "members": {"add": body["members"]}}
    if obj.kind == "group":
        invitation = ROOT_META if obj.via == "root" else f"{venue_id}/-/Edit"
        signer = "~Super_User1" if obj.via == "root" else venue_id
        edit: dict[str, Any] = {"invitation": invitation, "signatures": [signer], "readers": [signer],
                                "writers": [signer], "group": body}
        url = f"{baseurl}/groups/edits"
    else:
        signer = "~Super_User1" if obj.via == "root" else venue_id
        edit = {"signatures": [signer], "readers": [venue_id], "writers": [venue_id], "invitation": body}
        if obj.via != "root":
            edit["invitations"] = f"{venue_id}/-/Edit"
        if obj.replacement:
            edit["replacement"] = True
        url = f"{baseurl}/invitations/edits"
    response = requests.post(url, json=edit, headers=headers, timeout=30)
    if response.status_code != 200:
        raise PostError(f"{obj.kind} {obj.id} ({obj.source}) was refused: {response.status_code} {response.text}")
    return response.json()
