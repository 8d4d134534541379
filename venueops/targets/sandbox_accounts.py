"""Accounts for a venue's program chairs in the embedded sandbox, so one of them can act for the venue.

OpenReview support creates a venue for chairs who already have profiles; in the sandbox nobody does,
so ``--sandbox`` registers them the way a person would (``POST /register``, then activation), with
the sandbox's root password. A chair named by e-mail gets a profile with that e-mail; one named by
profile id (``~Pat_Chair1``) gets the name it spells and an e-mail ``pat_chair1@sandbox.local``.
These accounts exist only in the local sandbox database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from venueops.api.client import ApiClient, ApiError
from venueops.apply.runner import Clients
from venueops.errors import VenueOpsError
from venueops.targets.target import Target

SANDBOX_MAIL_DOMAIN = "sandbox.local"


@dataclass(frozen=True)
class ChairAccount:
    member: str  # as the venue file names the chair
    login: str  # the e-mail to log in with
    profile_id: str
    created: bool


def chair_login(member: str) -> tuple[str, str] | None:
    """(e-mail, full name) to register for a chair, or None when it is a group, not a person."""
    if "@" in member:
        local = member.split("@", 1)[0]
        words = [w for w in re.split(r"[^A-Za-z]+", local) if w]
        name = " ".join(w.capitalize() for w in words[:2]) if len(words) >= 2 else "Program Chair"
        return member.lower(), name
    match = re.fullmatch(r"~([^\W\d_]+(?:_[^\W\d_]+)+)(\d+)", member)
    if not match:
        return None
    return f"{member[1:].lower()}@{SANDBOX_MAIL_DOMAIN}", match.group(1).replace("_", " ")


def ensure_chair_accounts(root: ApiClient, members: list[str], password: str) -> list[ChairAccount]:
    """Register and activate the chairs that have no profile yet; return every person's account."""
    accounts = []
    for member in members:
        login = chair_login(member)
        if login is None:
            continue
        email, fullname = login
        existing = _profile(root, member if member.startswith("~") else None, email)
        if existing is not None:
            accounts.append(ChairAccount(member, email, existing, created=False))
            continue
        guest = ApiClient(root.baseurl)
        try:
            guest.post("/register", {"email": email, "password": password, "fullname": fullname})
            guest.request("PUT", f"/activate/{email}", json={"content": {}})
        except ApiError as error:
            # Someone else (a `venueops sandbox serve` client, a script) may have created it meanwhile.
            raced = _profile(root, member if member.startswith("~") else None, email)
            if raced is not None:
                accounts.append(ChairAccount(member, email, raced, created=False))
                continue
            raise VenueOpsError(f"cannot create a sandbox account for {member}: {error.name}: {error.message}") \
                from None
        profile_id = _profile(root, None, email) or "?"
        if member.startswith("~") and profile_id != member:
            raise VenueOpsError(f"the sandbox named the account for {member} {profile_id} (another profile took "
                                "that id): name the chair by e-mail, or reset the sandbox database")
        accounts.append(ChairAccount(member, email, profile_id, created=True))
    return accounts


def _profile(root: ApiClient, profile_id: str | None, email: str) -> str | None:
    for params in ({"id": profile_id} if profile_id else None, {"email": email}):
        if params is None:
            continue
        try:
            found = root.get("/profiles", params).get("profiles") or []
        except ApiError:
            continue
        if found:
            return str(found[0]["id"])
    return None


def acting_clients(target: Target, members: list[str], tell: Callable[[str], None]) -> Clients:
    """The clients an apply on the sandbox posts with: the first program chair with an account acts for
    the venue (accounts are created as needed, ``tell`` is told); the sandbox's super user provisions."""
    root = target.clients.root
    assert root is not None and target.sandbox_password is not None
    accounts = ensure_chair_accounts(root, members, target.sandbox_password)
    created = [a for a in accounts if a.created]
    if created:
        names = ", ".join(f"{a.profile_id} ({a.login})" for a in created)
        tell(f"Sandbox: created accounts for the program chairs: {names}; their password is the sandbox's root "
             "password.")
    for account in accounts:
        chair = ApiClient(root.baseurl)
        try:
            chair.login(account.login, target.sandbox_password)
        except ApiError:
            continue
        tell(f"Sandbox: acting for the venue as {account.profile_id}.")
        return Clients(venue=chair, root=root)
    tell("Sandbox: no program chair account to act as; acting as the sandbox's super user.")
    return Clients(venue=root, root=root)
