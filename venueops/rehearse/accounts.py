"""The rehearsal's accounts on its sandbox: the cast registered as people register, their sessions, who
they are (profile ids, the groups they sign with), and committee membership set as chairs set it.

Every request goes through ``ApiClient``. Sessions end on the sandbox clock, so ``fresh_sessions`` is
called after every move of it: the next request of each person logs in again.
"""

from __future__ import annotations

from collections.abc import Iterable

from venueops.api.client import ApiClient, ApiError
from venueops.config.validate import VenueConfig
from venueops.errors import VenueOpsError
from venueops.rehearse.cast import Cast, Persona
from venueops.rehearse.forms import Writer
from venueops.targets.sandbox_accounts import chair_login
from venueops.targets.target import SANDBOX_LOGIN

CHAIR = "program_chair"  # the person key of the program chair that apply created an account for


class RehearsalError(VenueOpsError):
    """The rehearsal could not be set up (the sandbox, the first apply, the accounts)."""


class Accounts:
    def __init__(self, baseurl: str, password: str, cast: Cast, config: VenueConfig) -> None:
        self.baseurl, self._password, self.cast = baseurl, password, cast
        self.venue = config.spec.venue.id
        chair = next((c for m in config.spec.roles.program_chairs.members or [] if (c := chair_login(m))), None)
        self.chair_login = chair[0] if chair else None
        self.profiles: dict[str, str] = {}  # person key (or CHAIR) → profile id
        self._clients: dict[str, ApiClient] = {}
        self.root = self._login(SANDBOX_LOGIN)

    def fresh_sessions(self) -> None:
        self._clients.clear()
        self.root = self._login(SANDBOX_LOGIN)

    def register(self, problems: list[str]) -> int:
        """``POST /register`` and activation for every person of the cast; how many now have a profile."""
        guest = ApiClient(self.baseurl)
        for person in self.cast.people:
            try:
                answer = guest.post("/register", {"email": person.email, "password": self._password,
                                                  "fullname": person.fullname})
                guest.request("PUT", f"/activate/{person.email}", json={"content": {}})
            except ApiError as error:
                problems.append(f"cannot register {person.email}: {error.name}: {error.message}")
                continue
            self.profiles[person.key] = str(answer.get("id") or self.profile_of(person.email))
        if self.chair_login:
            self.profiles[CHAIR] = self.profile_of(self.chair_login)
        return len(self.profiles)

    def client(self, person: str) -> ApiClient:
        """A logged-in client for a person key (``CHAIR`` for the acting program chair)."""
        if person not in self._clients:
            login = self.chair_login if person == CHAIR else self.cast.by_key[person].email
            if login is None:
                raise RehearsalError("the venue file names no program chair the sandbox can log in as")
            self._clients[person] = self._login(login)
        return self._clients[person]

    @staticmethod
    def person_of(persona: Persona) -> str | None:
        return CHAIR if persona.key == CHAIR else persona.person

    def persona_client(self, persona: Persona) -> ApiClient:
        person = self.person_of(persona)
        return self.client(person) if person else ApiClient(self.baseurl)

    def writer(self, person: str, authors: Iterable[str] = ()) -> Writer:
        """Who ``person`` is when filling in a form: their profile and every group they belong to."""
        profile = self.profiles.get(person, "")
        groups = frozenset(str(g["id"]) for g in self.root.pages("groups", {"member": profile}, page_size=1000)) \
            if profile else frozenset()
        fullname = self.cast.by_key[person].fullname if person in self.cast.by_key else "Program Chair"
        return Writer(profile, fullname, groups,
                      tuple((self.profiles[a], self.cast.by_key[a].fullname) for a in authors if a in self.profiles))

    def who(self, person: str) -> str:
        return "a program chair" if person == CHAIR else self.cast.by_key[person].email

    def profile_of(self, email: str) -> str:
        found = self.root.get("/profiles", {"email": email}).get("profiles") or []
        return str(found[0]["id"]) if found else ""

    def exists(self, group_id: str) -> bool:
        try:
            return bool(self.root.get("/groups", {"id": group_id}).get("groups"))
        except ApiError:
            return False

    def add_members(self, group_id: str, members: list[str], problems: list[str]) -> bool:
        """Add ``members`` to a group as the program chair would (False: no such group, or refused)."""
        try:
            found = self.root.get("/groups", {"id": group_id}).get("groups") or []
        except ApiError:
            found = []
        if not found:
            return False
        signatures = found[0].get("signatures") or [self.venue]
        chair = self.client(CHAIR) if self.chair_login else self.root
        try:
            chair.post("/groups/edits", {"invitation": f"{self.venue}/-/Edit", "signatures": signatures,
                                         "readers": signatures, "writers": signatures,
                                         "group": {"id": group_id, "members": {"add": members}}})
        except ApiError as error:
            problems.append(f"cannot add members to {group_id}: {error.name}: {error.message}")
            return False
        return True

    def _login(self, login: str) -> ApiClient:
        client = ApiClient(self.baseurl)
        client.login(login, self._password)
        return client
