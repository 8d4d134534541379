"""What a new sandbox database holds before anyone posts (notes/api-v2.md §4.6, §5.2).

- the super user: login ``openreview.net``, profile ``~Super_User1``, as in OpenReview's own local
  setup; its password is the operator's choice, or OpenReview's local development password
  (``DEFAULT_ROOT_PASSWORD``) when they chose none;
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

# OpenReview's own local development setup uses this password for the super user; the sandbox
# defaults to it so openreview-py scripts written for a local OpenReview run unchanged. It only
# guards a loopback server; ``serve`` refuses other interfaces unless a password is chosen.
DEFAULT_ROOT_PASSWORD = "Or$3cur3P@ssw0rd"
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


def bootstrap(world: World, root_password: str | None = None, *, password_hash: str | None = None) -> None:
    """Seed an empty database. Idempotent only in the sense that it refuses to run twice.

    The super user gets ``password_hash`` when given (a reset keeps the password it had), else
    the hash of ``root_password``, else of ``DEFAULT_ROOT_PASSWORD``."""
    if password_hash is None:
        password_hash = auth.hash_password(root_password or DEFAULT_ROOT_PASSWORD)
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
        store.put_user(SUPER_USER_LOGIN, SUPER_USER_PROFILE, password_hash)
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
    """Make ``root_password`` the super user's password (when the operator asks for it at start)."""
    password_hash = auth.hash_password(root_password)
    with world.store.transaction():
        world.store.put_user(SUPER_USER_LOGIN, SUPER_USER_PROFILE, password_hash)


def root_password_hash(world: World) -> str | None:
    """The super user's stored password hash (None if the database has no super user)."""
    with world.store.reading():
        user = world.store.get_user(SUPER_USER_LOGIN)
    return user[1] if user is not None else None
