"""The ``/_sandbox/`` control plane and what it controls: health, reset, the clock (and every date the
API derives from it: tcdate/tmdate, invitation cdate/expdate, token expiry), request counters, row
counts, batch loading; and what a freshly seeded database holds.

All through real HTTP against the session's sandbox (reset before each test by the ``sandbox``
fixture); the API side always through openreview-py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import openreview
import pytest
import requests
from openreview.api import Group, Invitation, Note

from tests.conftest import PASSWORD
from tests.sandbox.helpers import api_error

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
SPECIAL_GROUPS = ["everyone", "~", "(anonymous)", "(guest)", "openreview.net", "~Super_User1", "host", "venues",
                  "active_venues"]


# -- helpers --------------------------------------------------------------------------------------

def control(baseurl: str, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{baseurl}/_sandbox/{path}", json=body, timeout=30)


def clock(baseurl: str) -> dict[str, Any]:
    response = control(baseurl, "GET", "clock")
    assert response.status_code == 200, response.text
    return response.json()


def set_clock(baseurl: str, body: dict[str, Any]) -> dict[str, Any]:
    response = control(baseurl, "PUT", "clock", body)
    assert response.status_code == 200, response.text
    return response.json()


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@pytest.fixture(autouse=True)
def real_clock_afterwards(sandbox_server) -> Iterator[None]:
    """Leave the shared server's clock as the next test expects it, whatever this test did."""
    yield
    control(sandbox_server.baseurl, "PUT", "clock", {"mode": "real"})


@pytest.fixture
def t0() -> int:
    """Midnight UTC thirty days ago: a whole second, and far enough behind the wall clock that tokens
    issued on a clock moved forward from it are not issued "in the future" (which has its own test)."""
    return (wall_ms() // DAY - 30) * DAY


def stats(baseurl: str) -> dict[str, int]:
    response = control(baseurl, "GET", "stats")
    assert response.status_code == 200, response.text
    return response.json()


def counted(baseurl: str) -> dict[str, Any]:
    response = control(baseurl, "GET", "requests")
    assert response.status_code == 200, response.text
    return response.json()


def make_group(root: openreview.api.OpenReviewClient, group_id: str, **fields: Any) -> dict[str, Any]:
    group = {"id": group_id, "readers": ["everyone"], "writers": [group_id], "signatories": [group_id],
             "signatures": ["~Super_User1"], "members": [], **fields}
    return root.post_group_edit(invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
                                signatures=["~Super_User1"], group=Group(**group))


def comment_invitation(invitation_id: str, *, writers: list[str] | None = None, **dates: int) -> Invitation:
    """A note invitation any logged-in user may use, signing with their tilde id."""
    return Invitation(
        id=invitation_id, invitees=["~"], readers=["everyone"], writers=writers or ["openreview.net"],
        signatures=["~Super_User1"],
        edit={
            "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
            "readers": ["everyone"], "writers": ["openreview.net"],
            "note": {"signatures": ["${3/signatures}"], "readers": ["everyone"],
                     "writers": ["openreview.net", "${3/signatures}"],
                     "content": {"text": {"value": {"param": {"type": "string"}}}}},
        },
        **dates,
    )


def post_invitation(root: openreview.api.OpenReviewClient, invitation: Invitation) -> dict[str, Any]:
    return root.post_invitation_edit(invitations="openreview.net/-/Edit", readers=["everyone"],
                                     writers=["openreview.net"], signatures=["~Super_User1"], invitation=invitation)


def comment(client: openreview.api.OpenReviewClient, invitation_id: str, text: str) -> dict[str, Any]:
    return client.post_note_edit(invitation=invitation_id, signatures=[client.profile.id],
                                 note=Note(content={"text": {"value": text}}))


# -- health ---------------------------------------------------------------------------------------

def test_health(baseurl: str, t0: int) -> None:
    response = control(baseurl, "GET", "health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert abs(body["now"] - wall_ms()) < 5 * MINUTE
    set_clock(baseurl, {"now": t0})
    assert control(baseurl, "GET", "health").json() == {"status": "ok", "now": t0}


def test_unknown_control_path_is_not_found(baseurl: str) -> None:
    response = requests.get(f"{baseurl}/_sandbox/nothing-here", timeout=10)
    assert response.status_code == 404
    assert response.json()["name"] == "NotFoundError"


# -- bootstrap ------------------------------------------------------------------------------------

def test_seeded_database(sandbox, root, guest) -> None:
    assert root.get_group("openreview.net").members == ["~Super_User1"]
    assert root.profile.id == "~Super_User1"
    assert root.user["id"] == "openreview.net"
    for group_id in SPECIAL_GROUPS:
        assert root.get_group(group_id).id == group_id
    meta = root.get_invitation("openreview.net/-/Edit")
    assert meta.edit is True
    assert meta.invitees == ["openreview.net"]

    # The super user's own group is not for guests ...
    assert api_error(lambda: guest.get_group("~Super_User1"))["name"] == "ForbiddenError"
    # ... but the profile can be looked up by anyone.
    response = requests.get(f"{sandbox.baseurl}/profiles", params={"id": "~Super_User1"}, timeout=10)
    assert response.status_code == 200
    profiles = response.json()["profiles"]
    assert [p["id"] for p in profiles] == ["~Super_User1"]
    assert guest.get_profile("~Super_User1").id == "~Super_User1"
    assert root.get_profile("~Super_User1").content["names"][0]["fullname"] == "Super User"

    seeded = stats(sandbox.baseurl)
    assert {k: seeded[k] for k in ("invitations", "notes", "edges", "tags", "profiles", "users")} == {
        "invitations": 1, "notes": 0, "edges": 0, "tags": 0, "profiles": 1, "users": 1}
    assert seeded["groups"] >= len(SPECIAL_GROUPS)


# -- reset ----------------------------------------------------------------------------------------

def test_reset_wipes_data_and_seeds_again(sandbox, root, make_user, t0: int) -> None:
    baseurl = sandbox.baseurl
    seeded = stats(baseurl)
    user = make_user("gone@reset.example", "Gone Soon")
    make_group(root, "Gone.cc", members=["~Gone_Soon1"])
    post_invitation(root, comment_invitation("Gone.cc/-/Comment"))
    note_id = comment(user, "Gone.cc/-/Comment", "soon gone")["note"]["id"]
    # Read everything once (so nothing can survive in a cache either).
    assert root.get_group("Gone.cc").members == ["~Gone_Soon1"]
    assert root.get_invitation("Gone.cc/-/Comment").id == "Gone.cc/-/Comment"
    assert root.get_note(note_id).id == note_id
    assert stats(baseurl) != seeded
    set_clock(baseurl, {"now": t0})

    response = control(baseurl, "POST", "reset")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

    assert stats(baseurl) == seeded
    assert clock(baseurl)["mode"] == "real"
    assert abs(clock(baseurl)["now"] - wall_ms()) < 5 * MINUTE
    root = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=PASSWORD)
    for lookup in (lambda: root.get_group("Gone.cc"), lambda: root.get_group("gone@reset.example"),
                   lambda: root.get_group("~Gone_Soon1"), lambda: root.get_invitation("Gone.cc/-/Comment"),
                   lambda: root.get_note(note_id)):
        assert api_error(lookup)["name"] == "NotFoundError"
    assert root.get_groups(prefix="Gone.cc") == []
    assert root.get_notes(invitation="Gone.cc/-/Comment") == []
    with pytest.raises(openreview.OpenReviewException, match="Profile Not Found"):
        root.get_profile("~Gone_Soon1")
    with pytest.raises(openreview.OpenReviewException, match="Invalid username or password"):
        openreview.api.OpenReviewClient(baseurl=baseurl, username="gone@reset.example", password=PASSWORD)
    # The wiped invitation cannot be posted to any more.
    error = api_error(lambda: root.post_note_edit(invitation="Gone.cc/-/Comment", signatures=["~Super_User1"],
                                                  note=Note(content={"text": {"value": "x"}})))
    assert error["name"] == "NotFoundError"
    # Seeded again.
    assert root.get_group("openreview.net").members == ["~Super_User1"]
    for group_id in SPECIAL_GROUPS:
        assert root.get_group(group_id).id == group_id
    assert root.get_invitation("openreview.net/-/Edit").edit is True
    # The same e-mail can register again, and gets the same tilde id.
    assert make_user("gone@reset.example", "Gone Soon").profile.id == "~Gone_Soon1"


# -- clock ----------------------------------------------------------------------------------------

def test_clock_starts_real(baseurl: str) -> None:
    state = clock(baseurl)
    assert state["mode"] == "real"
    assert abs(state["now"] - wall_ms()) < 5 * MINUTE


def test_clock_freeze_advance_run_and_back_to_real(baseurl: str, t0: int) -> None:
    assert set_clock(baseurl, {"now": t0}) == {"now": t0, "mode": "frozen"}
    time.sleep(0.01)
    assert clock(baseurl) == {"now": t0, "mode": "frozen"}

    assert set_clock(baseurl, {"advance": 90 * MINUTE}) == {"now": t0 + 90 * MINUTE, "mode": "frozen"}
    assert set_clock(baseurl, {"advance": -30 * MINUTE}) == {"now": t0 + 60 * MINUTE, "mode": "frozen"}
    assert clock(baseurl) == {"now": t0 + HOUR, "mode": "frozen"}

    # Running from a time: real mode, starting there and moving on.
    running = set_clock(baseurl, {"now": t0, "running": True})
    assert running["mode"] == "real"
    assert t0 <= running["now"] < t0 + MINUTE
    time.sleep(0.02)
    later = clock(baseurl)
    assert later["mode"] == "real"
    assert running["now"] < later["now"] < t0 + MINUTE
    # Advancing a running clock shifts it.
    shifted = set_clock(baseurl, {"advance": DAY})
    assert shifted["mode"] == "real"
    assert t0 + DAY <= shifted["now"] < t0 + DAY + MINUTE

    back = set_clock(baseurl, {"mode": "real"})
    assert back["mode"] == "real"
    assert abs(back["now"] - wall_ms()) < 5 * MINUTE


@pytest.mark.parametrize("body", [{}, {"now": "soon"}, {"now": -1}, {"now": True}, {"now": 1.5},
                                  {"advance": "1h"}, [1, 2]])
def test_clock_rejects_bad_settings(baseurl: str, body: Any, t0: int) -> None:
    set_clock(baseurl, {"now": t0})
    response = control(baseurl, "PUT", "clock", body)
    assert response.status_code == 400, response.text
    assert response.json()["name"] == "ValidationError"
    assert clock(baseurl) == {"now": t0, "mode": "frozen"}


def test_new_objects_are_dated_by_the_frozen_clock(baseurl: str, root, make_user, t0: int) -> None:
    set_clock(baseurl, {"now": t0})
    user = make_user("dated@clock.example", "Dana Dated")

    group_edit = make_group(root, "Dated.cc")
    assert (group_edit["tcdate"], group_edit["tmdate"], group_edit["cdate"]) == (t0, t0, t0)
    group = root.get_group("Dated.cc")
    assert (group.tcdate, group.tmdate, group.cdate) == (t0, t0, t0)

    invitation_edit = post_invitation(root, comment_invitation("Dated.cc/-/Comment"))
    assert (invitation_edit["tcdate"], invitation_edit["tmdate"]) == (t0, t0)
    invitation = root.get_invitation("Dated.cc/-/Comment")
    assert (invitation.tcdate, invitation.tmdate, invitation.cdate) == (t0, t0, t0)

    note_edit = comment(user, "Dated.cc/-/Comment", "at t0")
    assert (note_edit["tcdate"], note_edit["tmdate"]) == (t0, t0)
    note = user.get_note(note_edit["note"]["id"])
    assert (note.tcdate, note.tmdate, note.cdate) == (t0, t0, t0)

    # A later change moves tmdate only.
    set_clock(baseurl, {"advance": HOUR})
    changed = make_group(root, "Dated.cc", members=["~Dana_Dated1"])
    assert (changed["tcdate"], changed["tmdate"]) == (t0 + HOUR, t0 + HOUR)
    group = root.get_group("Dated.cc")
    assert (group.tcdate, group.tmdate) == (t0, t0 + HOUR)
    assert group.members == ["~Dana_Dated1"]


def test_invitation_opens_at_its_cdate(baseurl: str, root, make_user, t0: int) -> None:
    set_clock(baseurl, {"now": t0})
    user = make_user("early@clock.example", "Eli Early")
    opens = t0 + 10 * MINUTE
    post_invitation(root, comment_invitation("Soon.cc/-/Comment", cdate=opens))
    assert root.get_invitation("Soon.cc/-/Comment").cdate == opens

    for now in (t0, opens - 1):
        set_clock(baseurl, {"now": now})
        with pytest.raises(openreview.OpenReviewException) as refused:
            comment(user, "Soon.cc/-/Comment", "too early")
        assert "Soon.cc/-/Comment" in str(refused.value)
    assert user.get_notes(invitation="Soon.cc/-/Comment") == []

    set_clock(baseurl, {"now": opens})
    posted = comment(user, "Soon.cc/-/Comment", "on time")
    assert posted["tcdate"] == opens
    assert user.get_note(posted["note"]["id"]).cdate == opens
    assert [n.id for n in user.get_notes(invitation="Soon.cc/-/Comment")] == [posted["note"]["id"]]


def test_expired_invitation_refuses_non_writers_only(baseurl: str, root, make_user, t0: int) -> None:
    set_clock(baseurl, {"now": t0})
    poster = make_user("late@clock.example", "Lee Late")
    writer = make_user("writer@clock.example", "Wren Writer")
    closes = t0 + 10 * MINUTE
    post_invitation(root, comment_invitation("Closing.cc/-/Comment", writers=["openreview.net", "~Wren_Writer1"],
                                              expdate=closes))
    comment(poster, "Closing.cc/-/Comment", "before the deadline")
    set_clock(baseurl, {"now": closes - 1})
    comment(poster, "Closing.cc/-/Comment", "just in time")

    set_clock(baseurl, {"now": closes})
    error = api_error(lambda: comment(poster, "Closing.cc/-/Comment", "too late"))
    assert error["message"] == "The Invitation Closing.cc/-/Comment has expired"
    assert error["status"] == 403
    # Its writers (and the super user) still may.
    by_writer = comment(writer, "Closing.cc/-/Comment", "writer after the deadline")
    assert by_writer["note"]["signatures"] == ["~Wren_Writer1"]
    root.post_note_edit(invitation="Closing.cc/-/Comment", signatures=["~Super_User1"],
                        note=Note(content={"text": {"value": "root after the deadline"}}))
    texts = sorted(n.content["text"]["value"] for n in root.get_notes(invitation="Closing.cc/-/Comment"))
    assert texts == ["before the deadline", "just in time", "root after the deadline", "writer after the deadline"]

    # Later still, the same answer.
    set_clock(baseurl, {"advance": 30 * MINUTE})
    error = api_error(lambda: comment(poster, "Closing.cc/-/Comment", "much too late"))
    assert error["message"] == "The Invitation Closing.cc/-/Comment has expired"


# -- tokens and the clock -------------------------------------------------------------------------

def test_token_expires_by_the_sandbox_clock(baseurl: str, t0: int) -> None:
    set_clock(baseurl, {"now": t0})
    client = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=PASSWORD,
                                             tokenExpiresIn=3)
    payload = jwt.decode(client.token, options={"verify_signature": False})
    assert payload["exp"] - payload["iat"] == 3
    assert client.get_group("openreview.net").members == ["~Super_User1"]

    set_clock(baseurl, {"now": t0 + 3 * SECOND - 1})
    assert client.get_group("openreview.net").members == ["~Super_User1"]

    set_clock(baseurl, {"now": t0 + 3 * SECOND})
    error = api_error(lambda: client.get_group("openreview.net"))
    assert error["name"] == "TokenExpiredError"
    assert error["status"] == 401
    # Even for what a guest may read: the expired token is refused, not ignored.
    assert api_error(lambda: client.get_group("everyone"))["name"] == "TokenExpiredError"
    # Logging in again gives a working token; guests are unaffected.
    again = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=PASSWORD)
    assert again.get_group("openreview.net").members == ["~Super_User1"]
    assert openreview.api.OpenReviewClient(baseurl=baseurl).get_group("everyone").id == "everyone"


def test_token_expires_when_a_running_clock_is_advanced(baseurl: str) -> None:
    client = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=PASSWORD,
                                             tokenExpiresIn=3)
    assert client.get_group("openreview.net").id == "openreview.net"
    set_clock(baseurl, {"advance": 4 * SECOND})
    assert clock(baseurl)["mode"] == "real"
    error = api_error(lambda: client.get_group("openreview.net"))
    assert (error["name"], error["status"]) == ("TokenExpiredError", 401)


def test_default_token_lasts_an_hour(baseurl: str, make_user, t0: int) -> None:
    set_clock(baseurl, {"now": t0})
    user = make_user("hour@clock.example", "Hugo Hour")
    issued = jwt.decode(user.token, options={"verify_signature": False})
    assert issued["exp"] - issued["iat"] == 3600
    set_clock(baseurl, {"advance": HOUR - SECOND})
    assert user.get_group("~Hugo_Hour1").members == ["hour@clock.example"]
    set_clock(baseurl, {"advance": SECOND})
    assert api_error(lambda: user.get_group("~Hugo_Hour1"))["name"] == "TokenExpiredError"


def test_token_issued_while_the_clock_is_ahead_of_wall_time(baseurl: str, make_user) -> None:
    """Moving the clock forward is how tests open invitations; logging in afterwards must work."""
    set_clock(baseurl, {"advance": DAY})
    root = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=PASSWORD)
    assert root.get_group("openreview.net").members == ["~Super_User1"]
    user = make_user("ahead@clock.example", "Ada Ahead")
    assert user.get_group("~Ada_Ahead1").members == ["ahead@clock.example"]


# -- request counters -----------------------------------------------------------------------------

def test_request_counters(baseurl: str, root, guest, make_user) -> None:
    assert control(baseurl, "DELETE", "requests").status_code == 200
    assert counted(baseurl) == {"total": 0, "byRoute": {}}

    guest.get_group("everyone")
    guest.get_group("venues")
    root.get_invitation("openreview.net/-/Edit")
    make_user("counted@requests.example", "Cody Counted")
    # Control-plane calls are not API calls.
    control(baseurl, "GET", "health")
    control(baseurl, "GET", "clock")
    control(baseurl, "GET", "stats")

    seen = counted(baseurl)
    assert seen["byRoute"] == {
        "GET /groups": 2,
        "GET /invitations": 1,
        "POST /register": 1,
        "PUT /activate/*": 1,
    }
    assert seen["total"] == 5
    # Refused calls count too.
    api_error(lambda: guest.get_group("~Super_User1"))
    assert counted(baseurl)["byRoute"]["GET /groups"] == 3

    assert control(baseurl, "DELETE", "requests").json() == {"status": "ok"}
    assert counted(baseurl) == {"total": 0, "byRoute": {}}
    root.get_group("openreview.net")
    assert counted(baseurl) == {"total": 1, "byRoute": {"GET /groups": 1}}
    # A reset zeroes them as well.
    control(baseurl, "POST", "reset")
    assert counted(baseurl) == {"total": 0, "byRoute": {}}


# -- stats ----------------------------------------------------------------------------------------

def test_stats_follow_what_is_created(baseurl: str, root) -> None:
    def delta(before: dict[str, int]) -> dict[str, int]:
        after = stats(baseurl)
        return {k: after[k] - before[k] for k in after if after[k] != before[k]}

    before = stats(baseurl)
    guest = openreview.api.OpenReviewClient(baseurl=baseurl)
    registered = guest.register_user(email="stat@stats.example", fullname="Stan Stats", password=PASSWORD)
    assert delta(before) == {"profiles": 1, "users": 1}

    before = stats(baseurl)
    guest.activate_user("stat@stats.example", {
        "names": [{"fullname": "Stan Stats", "username": registered["id"], "preferred": True}],
        "emails": ["stat@stats.example"], "preferredEmail": "stat@stats.example"})
    assert delta(before) == {"groups": 2}  # ~Stan_Stats1 and stat@stats.example

    before = stats(baseurl)
    make_group(root, "Stats.cc")
    assert delta(before) == {"groups": 1, "edits": 1}

    before = stats(baseurl)
    post_invitation(root, comment_invitation("Stats.cc/-/Comment"))
    assert delta(before) == {"invitations": 1, "edits": 1}

    before = stats(baseurl)
    user = openreview.api.OpenReviewClient(baseurl=baseurl, username="stat@stats.example", password=PASSWORD)
    comment(user, "Stats.cc/-/Comment", "one")
    comment(user, "Stats.cc/-/Comment", "two")
    assert delta(before) == {"notes": 2, "edits": 2}

    # Updating an existing group adds an edit, not a group.
    before = stats(baseurl)
    make_group(root, "Stats.cc", members=["~Stan_Stats1"])
    assert delta(before) == {"edits": 1}


# -- batch ----------------------------------------------------------------------------------------

def test_batch_posts_edits_as_the_super_user(baseurl: str, root) -> None:
    def group_edit(group_id: str) -> dict[str, Any]:
        return {"kind": "group", "edit": {
            "invitation": "openreview.net/-/Edit", "signatures": ["~Super_User1"], "readers": ["everyone"],
            "writers": ["~Super_User1"],
            "group": {"id": group_id, "readers": ["everyone"], "writers": [group_id], "signatures": ["~Super_User1"],
                      "signatories": [group_id], "members": []}}}

    before = stats(baseurl)
    response = control(baseurl, "POST", "batch", {"edits": [group_edit("Batch.cc"), group_edit("Batch.cc/Two")]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["ids"]] == ["Batch.cc", "Batch.cc/Two"]
    assert sorted(g.id for g in root.get_groups(prefix="Batch.cc")) == ["Batch.cc", "Batch.cc/Two"]
    after = stats(baseurl)
    assert after["groups"] == before["groups"] + 2
    assert after["edits"] == before["edits"] + 2

    # One bad item: nothing from the batch is kept.
    bad = control(baseurl, "POST", "batch", {"edits": [group_edit("Batch.cc/Three"), {"kind": "parrot"}]})
    assert bad.status_code == 400
    assert bad.json()["name"] == "ValidationError"
    broken = group_edit("Batch.cc/Four")
    broken["edit"]["invitation"] = "Nowhere/-/Edit"
    failed = control(baseurl, "POST", "batch", {"edits": [group_edit("Batch.cc/Three"), broken]})
    assert failed.status_code == 404
    assert sorted(g.id for g in root.get_groups(prefix="Batch.cc")) == ["Batch.cc", "Batch.cc/Two"]
    assert stats(baseurl) == after
