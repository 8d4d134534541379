"""What a new sandbox database holds before anyone posts (notes/api-v2.md §4.6, §5.2).

- the super user: login ``openreview.net``, profile ``~Super_User1``, as in OpenReview's own local
  setup; its password comes from the operator (never from this file);
- the root meta invitation ``openreview.net/-/Edit`` (posted with no parent invitation, as the
  super user does on a real server);
- the special groups ``everyone``, ``~``, ``(anonymous)``, ``(guest)``, ``openreview.net``,
  ``openreview.net/Support``, and the registries ``host``, ``venues``, ``active_venues``,
  each created through the root meta invitation so they have edits like any other group.
"""

from __future__ import annotations

from typing import Any

from venueops.sandbox import auth
from venueops.sandbox.access import SUPER_GROUP, SUPER_USER_LOGIN, SUPER_USER_PROFILE
from venueops.sandbox.edits import EditService
from venueops.sandbox.users import UserService
from venueops.sandbox.world import ROOT_META_INVITATION, World

SUPER_USER_EMAIL = "openreview@local.openreview.net"
SUPPORT_GROUP = f"{SUPER_GROUP}/Support"

# (id, readers, members)
SPECIAL_GROUPS: list[tuple[str, list[str], list[str]]] = [
    ("everyone", ["everyone"], []),
    ("~", ["everyone"], []),
    ("(anonymous)", ["everyone"], []),
    ("(guest)", ["everyone"], []),
    (SUPER_GROUP, ["everyone"], [SUPER_USER_PROFILE]),
    (SUPPORT_GROUP, ["everyone"], [SUPER_USER_PROFILE]),
    ("host", ["everyone"], []),
    ("venues", ["everyone"], []),
    ("active_venues", ["everyone"], []),
]


def is_bootstrapped(world: World) -> bool:
    return world.store.get_meta("jwt_secret") is not None


def bootstrap(world: World, root_password: str) -> None:
    """Seed an empty database. Idempotent only in the sense that it refuses to run twice."""
    store = world.store
    users = UserService(world)
    edits = EditService(world)
    with store.transaction():
        if is_bootstrapped(world):
            return
        store.set_meta("jwt_secret", auth.new_secret())
        now = world.now()
        profile: dict[str, Any] = {
            "id": SUPER_USER_PROFILE,
            "active": True,
            "password": True,
            "state": "Active",
            "invitation": "~/-/profiles",
            "readers": [SUPER_GROUP, SUPER_USER_PROFILE],
            "writers": [SUPER_GROUP],
            "signatures": [SUPER_USER_PROFILE],
            "content": {
                "names": [{"fullname": "Super User", "first": "Super", "last": "User",
                           "username": SUPER_USER_PROFILE, "preferred": True}],
                "emails": [SUPER_USER_EMAIL],
                "emailsConfirmed": [SUPER_USER_EMAIL],
                "preferredEmail": SUPER_USER_EMAIL,
            },
            "metaContent": {},
            "tcdate": now,
            "tmdate": now,
        }
        store.put_profile(profile)
        store.put_user(SUPER_USER_LOGIN, SUPER_USER_PROFILE, auth.hash_password(root_password))
        users.write_identity_groups(profile, now)
        root = users.caller_for(SUPER_USER_LOGIN, SUPER_USER_PROFILE)
        edits.post("invitation", root, {
            "signatures": [SUPER_USER_PROFILE],
            "readers": [SUPER_GROUP],
            "writers": [SUPER_GROUP],
            "invitation": {
                "id": ROOT_META_INVITATION,
                "invitees": [SUPER_GROUP],
                "readers": [SUPER_GROUP],
                "writers": [SUPER_GROUP],
                "signatures": [SUPER_USER_PROFILE],
                "edit": True,
            },
        })
        for group_id, readers, members in SPECIAL_GROUPS:
            edits.post("group", root, {
                "invitation": ROOT_META_INVITATION,
                "signatures": [SUPER_USER_PROFILE],
                "readers": [SUPER_GROUP],
                "writers": [SUPER_GROUP],
                "group": {
                    "id": group_id,
                    "readers": readers,
                    "writers": [SUPER_GROUP],
                    "signatures": [SUPER_USER_PROFILE],
                    "signatories": [group_id],
                    "members": members,
                },
            })


def set_root_password(world: World, root_password: str) -> None:
    """Make ``root_password`` the super user's password (each server start may set it)."""
    with world.store.transaction():
        world.store.put_user(SUPER_USER_LOGIN, SUPER_USER_PROFILE, auth.hash_password(root_password))
