"""Accounts and profiles through openreview-py: registration and activation the way openreview-py's own
test helpers do it, tilde ids, identity groups, login errors, tokens, profile lookups and searches,
and what a guest (no token) may read.
"""

from __future__ import annotations

import jwt
import openreview
import pytest
import requests
from openreview.api import Group, Invitation, Note

from tests.conftest import PASSWORD
from tests.sandbox.helpers import api_error


def register_and_activate(baseurl: str, email: str, fullname: str,
                          alternates: list[str] | None = None) -> tuple[openreview.api.OpenReviewClient, dict, dict]:
    """openreview-py's ``Helpers.create_user`` (tests/conftest.py), pointed at the sandbox."""
    client = openreview.api.OpenReviewClient(baseurl=baseurl)
    registered = client.register_user(email=email, fullname=fullname, password=PASSWORD)
    username = registered.get("id")
    content = {
        "names": [{"fullname": fullname, "username": username, "preferred": True}],
        "emails": [email, *(alternates or [])],
        "preferredEmail": email,
        "homepage": f"https://{fullname.replace(' ', '')}.openreview.net",
        "history": [{"position": "PhD Student", "start": 2017, "end": None,
                     "institution": {"country": "US", "domain": email.split("@")[1]}}],
    }
    activated = client.activate_user(email, content)
    return client, registered, activated


def login(baseurl: str, username: str | None, password: str | None) -> openreview.api.OpenReviewClient:
    client = openreview.api.OpenReviewClient(baseurl=baseurl)
    client.login_user(username, password)
    return client


# -- registration and activation --------------------------------------------------------------------

def test_register_and_activate(baseurl: str, root) -> None:
    client, registered, activated = register_and_activate(baseurl, "mbok@mail.com", "Melisa Bokk")
    assert registered["id"] == "~Melisa_Bokk1"
    assert registered["status"] == "ok"
    assert activated["token"]
    assert activated["user"]["profile"]["id"] == "~Melisa_Bokk1"
    # activate_user logs the client in.
    assert client.profile.id == "~Melisa_Bokk1"
    assert client.token == activated["token"]

    # The identity groups: the e-mail group holds the tilde id, the tilde group the e-mail.
    assert root.get_group("mbok@mail.com").members == ["~Melisa_Bokk1"]
    assert root.get_group("~Melisa_Bokk1").members == ["mbok@mail.com"]
    assert client.get_group("~Melisa_Bokk1").members == ["mbok@mail.com"]

    profile = root.get_profile("~Melisa_Bokk1")
    assert profile.content["names"][0]["fullname"] == "Melisa Bokk"
    assert profile.content["preferredEmail"] == "mbok@mail.com"
    assert "mbok@mail.com" in profile.content["emailsConfirmed"]
    assert profile.content["homepage"] == "https://MelisaBokk.openreview.net"

    # The password chosen at registration logs in (by e-mail, in any case).
    for login_id in ("mbok@mail.com", "MBok@Mail.com"):
        again = openreview.api.OpenReviewClient(baseurl=baseurl, username=login_id, password=PASSWORD)
        assert again.profile.id == "~Melisa_Bokk1"


def test_an_unactivated_user_cannot_log_in(baseurl: str) -> None:
    guest = openreview.api.OpenReviewClient(baseurl=baseurl)
    guest.register_user(email="pending@mail.com", fullname="Pat Pending", password=PASSWORD)
    with pytest.raises(openreview.OpenReviewException):
        openreview.api.OpenReviewClient(baseurl=baseurl, username="pending@mail.com", password=PASSWORD)


def test_registering_an_email_twice_is_refused(baseurl: str, make_user) -> None:
    make_user("twice@mail.com", "Tara Twice")
    guest = openreview.api.OpenReviewClient(baseurl=baseurl)
    with pytest.raises(openreview.OpenReviewException):
        guest.register_user(email="twice@mail.com", fullname="Tara Again", password=PASSWORD)
    with pytest.raises(openreview.OpenReviewException):
        guest.register_user(email="TWICE@mail.com", fullname="Tara Again", password=PASSWORD)


def test_tilde_ids(baseurl: str, root) -> None:
    _, first, _ = register_and_activate(baseurl, "first@bokk.com", "Melisa Bokk")
    _, second, _ = register_and_activate(baseurl, "second@bokk.com", "Melisa Bokk")
    _, middle, _ = register_and_activate(baseurl, "mccallum@umass.edu", "Andrew E McCallum")
    assert (first["id"], second["id"], middle["id"]) == ("~Melisa_Bokk1", "~Melisa_Bokk2", "~Andrew_E_McCallum1")
    assert root.get_group("second@bokk.com").members == ["~Melisa_Bokk2"]
    assert root.get_group("~Melisa_Bokk2").members == ["second@bokk.com"]
    assert root.get_group("mccallum@umass.edu").members == ["~Andrew_E_McCallum1"]
    # The next free one, as /tildeusername tells it.
    assert root.get_tildeusername("Melisa Bokk") == {"username": "~Melisa_Bokk3"}
    assert root.get_tildeusername("Andrew E McCallum") == {"username": "~Andrew_E_McCallum2"}
    assert root.get_tildeusername("Nobody Yet") == {"username": "~Nobody_Yet1"}


# -- login ----------------------------------------------------------------------------------------

def test_login_errors(baseurl: str, make_user) -> None:
    make_user("login@mail.com", "Lou Login")
    assert "id cannot be empty or missing" in str(
        api_error(lambda: login(baseurl, None, PASSWORD))["message"])
    assert "id cannot be empty or missing" in str(
        api_error(lambda: login(baseurl, "", PASSWORD))["message"])
    assert "password cannot be empty or missing" in str(
        api_error(lambda: login(baseurl, "login@mail.com", None))["message"])
    assert "password cannot be empty or missing" in str(
        api_error(lambda: login(baseurl, "login@mail.com", ""))["message"])
    for username, password in (("login@mail.com", "wrong password"), ("nobody@mail.com", PASSWORD),
                               ("openreview.net", "wrong password")):
        error = api_error(lambda u=username, p=password: login(baseurl, u, p))
        assert error["message"] == "Invalid username or password"
    # The constructor reports the same.
    with pytest.raises(openreview.OpenReviewException, match="Invalid username or password"):
        openreview.api.OpenReviewClient(baseurl=baseurl, username="login@mail.com", password="wrong password")
    with pytest.raises(openreview.OpenReviewException, match="id cannot be empty or missing"):
        openreview.api.OpenReviewClient(baseurl=baseurl, password=PASSWORD)


def test_jwt_payload(baseurl: str, make_user) -> None:
    make_user("jwt@mail.com", "Jo Token")
    client = openreview.api.OpenReviewClient(baseurl=baseurl, username="jwt@mail.com", password=PASSWORD)
    payload = jwt.decode(client.token, options={"verify_signature": False})
    assert payload["user"]["id"] == "jwt@mail.com"
    assert payload["user"]["profile"]["id"] == "~Jo_Token1"
    assert payload["exp"] - payload["iat"] == 3600
    assert client.user["id"] == "jwt@mail.com"
    assert client.user["profile"]["id"] == "~Jo_Token1"
    # A longer lifetime when asked for.
    week = openreview.api.OpenReviewClient(baseurl=baseurl, username="jwt@mail.com", password=PASSWORD,
                                           tokenExpiresIn=7 * 24 * 3600)
    payload = jwt.decode(week.token, options={"verify_signature": False})
    assert payload["exp"] - payload["iat"] == 7 * 24 * 3600


def test_client_from_a_token(baseurl: str, make_user) -> None:
    user = make_user("bearer@mail.com", "Bea Bearer")
    for token in ("Bearer " + user.token, user.token):
        client = openreview.api.OpenReviewClient(baseurl=baseurl, token=token)
        assert client.profile is not None
        assert client.profile.id == "~Bea_Bearer1"
        assert client.get_group("~Bea_Bearer1").members == ["bearer@mail.com"]
    # A token wins over a username and password.
    client = openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password="wrong",
                                             token="Bearer " + user.token)
    assert client.profile.id == "~Bea_Bearer1"


def test_a_forged_or_garbled_token_is_refused(baseurl: str, make_user) -> None:
    user = make_user("forge@mail.com", "Fay Forger")
    payload = jwt.decode(user.token, options={"verify_signature": False})
    payload["user"]["profile"]["id"] = "~Super_User1"
    forged = jwt.encode(payload, "not the server's key, but long enough for HS256", algorithm="HS256")
    for token in (forged, "garbage"):
        client = openreview.api.OpenReviewClient(baseurl=baseurl, token=token)
        error = api_error(lambda c=client: c.get_group("openreview.net"))
        assert error["status"] == 401
        assert error["name"] != "TokenExpiredError"


# -- profiles -------------------------------------------------------------------------------------

def test_get_profile(baseurl: str, root, make_user) -> None:
    user = make_user("Carla.Case@Mail.com", "Carla Case")
    assert user.profile.id == "~Carla_Case1"
    for client in (root, user):
        assert client.get_profile("~Carla_Case1").id == "~Carla_Case1"
        assert client.get_profile("carla.case@mail.com").id == "~Carla_Case1"
        assert client.get_profile("CARLA.CASE@MAIL.COM").id == "~Carla_Case1"
    # With no argument: the caller's own profile.
    assert user.get_profile().id == "~Carla_Case1"
    for missing in ("~Carla_Case2", "nobody@mail.com"):
        with pytest.raises(openreview.OpenReviewException, match="Profile Not Found"):
            root.get_profile(missing)
    # By e-mail, through the raw API, also ignores case.
    response = requests.get(f"{baseurl}/profiles", params={"email": "Carla.CASE@mail.com"},
                            headers={"Authorization": f"Bearer {root.token}"}, timeout=10)
    assert [p["id"] for p in response.json()["profiles"]] == ["~Carla_Case1"]


@pytest.mark.parametrize("bad_id", ["~Carla_Case", "Carla_Case1", "~", "~Carla Case1"])
def test_malformed_tilde_id_is_a_validation_error(baseurl: str, bad_id: str) -> None:
    response = requests.get(f"{baseurl}/profiles", params={"id": bad_id}, timeout=10)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["name"] == "ValidationError"
    assert body["details"]["path"] == "id"


def test_malformed_tilde_id_through_openreview_py(root) -> None:
    error = api_error(lambda: root.get_profile("~Carla_Case"))
    assert error["name"] == "ValidationError"
    # This is what openreview-py's recruitment code catches to tell a bad id from a missing one.
    error = api_error(lambda: root.get_profiles(id="~No_Number"))
    assert error["name"] == "ValidationError"


def test_search_profiles(baseurl: str, root) -> None:
    register_and_activate(baseurl, "ann@search.com", "Ann Search", alternates=["ann.alt@other.org"])
    register_and_activate(baseurl, "bob@search.com", "Bob Search")

    found = root.search_profiles(ids=["~Ann_Search1", "~Bob_Search1", "~Nobody_Here1"])
    assert sorted(p.id for p in found) == ["~Ann_Search1", "~Bob_Search1"]
    assert root.search_profiles(ids=["~Nobody_Here1"]) == []

    by_email = root.search_profiles(emails=["ANN@search.com", "bob@search.com", "ann.alt@other.org",
                                            "none@search.com"])
    assert sorted(by_email) == ["ann.alt@other.org", "ann@search.com", "bob@search.com"]
    assert [p.id for p in by_email["ann@search.com"]] == ["~Ann_Search1"]
    assert [p.id for p in by_email["ann.alt@other.org"]] == ["~Ann_Search1"]
    assert [p.id for p in by_email["bob@search.com"]] == ["~Bob_Search1"]

    confirmed = root.search_profiles(confirmedEmails=["ann@search.com", "Bob@Search.com", "none@search.com"])
    assert {email: profile.id for email, profile in confirmed.items()} == {
        "ann@search.com": "~Ann_Search1", "bob@search.com": "~Bob_Search1"}


def test_confirmed_email_search_ignores_unconfirmed_addresses(baseurl: str, root) -> None:
    register_and_activate(baseurl, "cat@search.com", "Cat Search", alternates=["cat.alt@other.org"])
    guest = openreview.api.OpenReviewClient(baseurl=baseurl)
    guest.register_user(email="dan@search.com", fullname="Dan Pending", password=PASSWORD)  # never activated
    headers = {"Authorization": f"Bearer {root.token}"}

    def search(body: dict[str, list[str]]) -> list[str]:
        response = requests.post(f"{baseurl}/profiles/search", json=body, headers=headers, timeout=10)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["profiles"]]

    assert search({"confirmedEmails": ["cat@search.com"]}) == ["~Cat_Search1"]
    assert search({"emails": ["cat.alt@other.org"]}) == ["~Cat_Search1"]
    # cat.alt@other.org is listed on the profile but was never confirmed; dan@search.com was never activated.
    unconfirmed = {email: search({"confirmedEmails": [email]}) for email in ("cat.alt@other.org", "dan@search.com")}
    assert unconfirmed == {"cat.alt@other.org": [], "dan@search.com": []}


def test_profiles_show_emails_to_their_owner_only(baseurl: str, root, guest, make_user) -> None:
    owner = make_user("private@mail.com", "Priya Private")
    other = make_user("nosy@mail.com", "Nico Nosy")
    assert "private@mail.com" in owner.get_profile("~Priya_Private1").content["emails"]
    assert "private@mail.com" in root.get_profile("~Priya_Private1").content["emails"]
    for outsider in (other, guest):
        content = outsider.get_profile("~Priya_Private1").content
        assert "private@mail.com" not in content.get("emails", [])
        assert content.get("preferredEmail") != "private@mail.com"
        assert "private@mail.com" not in content.get("emailsConfirmed", [])


# -- guests ---------------------------------------------------------------------------------------

def test_guest_reads_what_everyone_may_read(baseurl: str, root, guest, make_user) -> None:
    user = make_user("poster@guest.example", "Gus Poster")
    root.post_group_edit(
        invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
        signatures=["~Super_User1"],
        group=Group(id="Open.cc", readers=["everyone"], writers=["Open.cc"], signatories=["Open.cc"],
                    signatures=["~Super_User1"], members=["~Gus_Poster1"]))
    root.post_group_edit(
        invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
        signatures=["~Super_User1"],
        group=Group(id="Open.cc/Hidden", readers=["Open.cc"], writers=["Open.cc"], signatories=["Open.cc"],
                    signatures=["~Super_User1"], members=[]))
    root.post_invitation_edit(
        invitations="openreview.net/-/Edit", readers=["everyone"], writers=["openreview.net"],
        signatures=["~Super_User1"],
        invitation=Invitation(
            id="Open.cc/-/Comment", invitees=["~"], readers=["everyone"], writers=["openreview.net"],
            signatures=["~Super_User1"],
            edit={
                "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
                "readers": ["everyone"], "writers": ["openreview.net"],
                "note": {"signatures": ["${3/signatures}"],
                         "readers": {"param": {"items": [{"value": "everyone", "optional": True},
                                                         {"prefix": "~.*", "optional": True}]}},
                         "writers": ["openreview.net", "${3/signatures}"],
                         "content": {"text": {"value": {"param": {"type": "string"}}}}},
            },
        ))

    def post(text: str, readers: list[str]) -> str:
        edit = user.post_note_edit(invitation="Open.cc/-/Comment", signatures=["~Gus_Poster1"],
                                   note=Note(readers=readers, content={"text": {"value": text}}))
        return edit["note"]["id"]

    public = post("for everyone", ["everyone"])
    private = post("for me", ["~Gus_Poster1"])

    # Readable by everyone: seeded groups, the public group, the invitation, the public note.
    for group_id in ("everyone", "~", "(guest)", "venues", "host", "active_venues", "Open.cc"):
        assert guest.get_group(group_id).id == group_id
    assert guest.get_group("Open.cc").members == ["~Gus_Poster1"]
    assert guest.get_invitation("Open.cc/-/Comment").id == "Open.cc/-/Comment"
    assert guest.get_note(public).content["text"]["value"] == "for everyone"
    assert user.get_note(private).content["text"]["value"] == "for me"

    # Refused by id ...
    for refused in (lambda: guest.get_group("Open.cc/Hidden"), lambda: guest.get_group("~Gus_Poster1"),
                    lambda: guest.get_group("poster@guest.example"), lambda: guest.get_group("~Super_User1"),
                    lambda: guest.get_invitation("openreview.net/-/Edit"), lambda: guest.get_note(private)):
        assert api_error(refused)["name"] == "ForbiddenError"
    # ... and left out of lists.
    assert [g.id for g in guest.get_groups(prefix="Open.cc")] == ["Open.cc"]
    assert [n.id for n in guest.get_notes(invitation="Open.cc/-/Comment")] == [public]
    assert sorted(n.id for n in user.get_notes(invitation="Open.cc/-/Comment")) == sorted([public, private])
    assert [i.id for i in guest.get_invitations(prefix="openreview.net")] == []

    # A guest is no invitee of an invitation for logged-in users.
    with pytest.raises(openreview.OpenReviewException):
        guest.post_note_edit(invitation="Open.cc/-/Comment", signatures=["(guest)"],
                             note=Note(readers=["everyone"], content={"text": {"value": "anonymous"}}))
    assert len(guest.get_notes(invitation="Open.cc/-/Comment")) == 1
