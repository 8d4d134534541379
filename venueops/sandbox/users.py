"""Accounts and profiles: ``/register``, ``/activate/{token}``, ``/login``, ``/profiles`` (notes §1, §2.6).

Registration creates an inactive profile with the next free tilde id (``Melisa Bokk`` →
``~Melisa_Bokk1``). Activation takes the registered e-mail as its token, as OpenReview's local
development server does, so openreview-py's ``register_user`` + ``activate_user`` work unchanged;
it confirms the e-mail, activates the profile and creates the identity groups: the tilde group
(members: the profile's e-mails) and one group per e-mail (member: the tilde id).

Logins that keep failing for an id are refused for a while (``throttle``).
"""

from __future__ import annotations

from typing import Any

from venueops.sandbox import auth, ids, shapes
from venueops.sandbox.access import GUEST_CALLER, SUPER_GROUP, SUPER_USER_LOGIN, SUPER_USER_PROFILE, Caller
from venueops.sandbox.errors import (
    AuthError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)
from venueops.sandbox.throttle import LoginThrottle
from venueops.sandbox.world import World

_STRING = {"type": "string"}
# A hash no password matches (its digest is not scrypt's output for any input we know of), checked
# for unknown ids so that they cost as much time as known ones.
_UNKNOWN_USER_HASH = "scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


class UserService:
    def __init__(self, world: World) -> None:
        self.world = world
        self.store = world.store
        self._secret: str | None = None
        self._tokens: dict[str, auth.TokenClaims] = {}
        self._callers: dict[tuple[str, str, int], Caller] = {}
        self.throttle = LoginThrottle(world.now)

    # -- tokens --------------------------------------------------------------------------------
    def secret(self) -> str:
        if self._secret is None:
            with self.store.reading():
                secret = self.store.get_meta("jwt_secret")
            if secret is None:
                raise RuntimeError("sandbox database is not bootstrapped")
            self._secret = secret
        return self._secret

    def forget(self) -> None:
        """Drop what is cached from the database (after a reset)."""
        self._secret = None
        self._tokens.clear()
        self._callers.clear()
        self.throttle.clear()

    def caller_from_token(self, token: str | None) -> Caller:
        """The caller a request's token speaks for (verified tokens and callers are cached; expiry
        is checked on every request, and a membership change invalidates cached callers)."""
        if not token:
            return GUEST_CALLER
        cached = self._tokens.get(token)
        if cached is None:
            claims = auth.read_token(self.secret(), token, self.world.now())
            if len(self._tokens) > 10_000:
                self._tokens.clear()
            self._tokens[token] = claims
        else:
            claims = cached
            auth.check_expiry(claims, self.world.now())
        key = (claims.login, claims.profile_id, self.store.membership_version)
        caller = self._callers.get(key)
        if caller is None:
            with self.store.reading():
                caller = self.caller_for(claims.login, claims.profile_id)
            if len(self._callers) > 10_000:
                self._callers.clear()
            self._callers[key] = caller
        return caller

    def caller_for(self, login: str, profile_id: str) -> Caller:
        profile = self.store.get_profile(profile_id)
        if profile is None:
            raise AuthError("jwt malformed", name="JsonWebTokenError")
        content = profile.get("content") or {}
        identities = {profile["id"], login}
        identities |= {n["username"] for n in content.get("names", []) if n.get("username")}
        identities |= {e.lower() for e in content.get("emailsConfirmed", [])}
        caller = Caller(
            login=login,
            profile_id=profile["id"],
            identities=frozenset(identities),
            name=preferred_name(profile),
            is_super=profile["id"] == SUPER_USER_PROFILE,
        )
        return self.world.access.with_groups(caller)

    # -- login ---------------------------------------------------------------------------------
    def login(self, body: Any) -> dict[str, Any]:
        body = shapes.check_fields(body, {"id": _str_or_none, "password": _str_or_none, "expiresIn": _int_or_none},
                                   frozenset(), "")
        login_id = body.get("id")
        password = body.get("password")
        if not login_id:
            raise ValidationError("id cannot be empty or missing", path="id")
        if not password:
            raise ValidationError("password cannot be empty or missing", path="password")
        expires_in = body.get("expiresIn")
        if expires_in is not None and expires_in < 1:
            raise ValidationError("expiresIn must be >= 1", path="expiresIn")
        self.throttle.attempt(login_id)
        try:
            with self.store.reading():
                user = self.store.get_user(login_id)
            # The deliberately slow hash check runs outside the store lock, so it blocks nobody; an
            # unknown id costs the same check, so timing does not tell which ids exist.
            matches = auth.check_password(password, user[1] if user is not None else _UNKNOWN_USER_HASH)
        except BaseException:
            self.throttle.failed(login_id)
            raise
        if user is None or not matches:
            self.throttle.failed(login_id)
            raise AuthError("Invalid username or password")
        self.throttle.succeeded(login_id)
        with self.store.reading():
            profile = self.store.get_profile(user[0])
        if profile is None or profile.get("state") not in ("Active", "Active Automatic", "Active Institutional"):
            raise ForbiddenError(f"The user {login_id} is not active. Activate the account first.")
        return self.session(login_id.lower() if login_id != SUPER_USER_LOGIN else login_id, profile, expires_in)

    def session(self, login: str, profile: dict[str, Any], expires_in: int | None) -> dict[str, Any]:
        user = {"id": login, "profile": simplified_profile(profile)}
        token = auth.issue_token(self.secret(), user, self.world.now(), expires_in)
        return {"token": token, "user": user}

    # -- registration --------------------------------------------------------------------------
    def register(self, body: Any) -> dict[str, Any]:
        body = shapes.check_fields(
            body,
            {"email": _str_or_none, "password": _str_or_none, "fullname": _str_or_none, "name": _dict,
             "id": _str_or_none, "token": _str_or_none, "dob": _int_or_none},
            frozenset(),
            "",
        )
        email = (body.get("email") or "").strip().lower()
        if not email:
            raise ValidationError("email cannot be empty or missing", path="email")
        if not ids.is_email(email) or not ids.is_valid_id(email) or len(email) > 254:
            raise ValidationError(f"email {email} is not a valid email address", path="email")
        if not body.get("password"):
            raise ValidationError("password cannot be empty or missing", path="password")
        fullname = body.get("fullname")
        if not fullname and isinstance(body.get("name"), dict):
            name = body["name"]
            fullname = " ".join(p for p in (name.get("first"), name.get("middle"), name.get("last")) if p)
        if not fullname or not fullname.strip():
            raise ValidationError("fullname cannot be empty or missing", path="fullname")
        password_hash = auth.hash_password(body["password"])  # slow on purpose: outside the lock
        with self.store.transaction():
            if self.store.get_user(email) is not None or self.store.profiles_by_email(email):
                raise ValidationError(f"There is already a profile with the email {email}", path="email")
            now = self.world.now()
            tilde = ids.next_tilde_id(fullname, self.store.username_taken)
            if not ids.is_valid_id(tilde):
                raise ValidationError(f"The name {fullname} can not form a profile id", path="fullname")
            profile = {
                "id": tilde,
                "active": False,
                "password": True,
                "state": "Inactive",
                "invitation": "~/-/profiles",
                "readers": [SUPER_GROUP, tilde],
                "writers": [SUPER_GROUP, tilde],
                "signatures": [tilde],
                "content": {
                    "names": [{"fullname": fullname.strip(), "username": tilde, "preferred": True}],
                    "emails": [email],
                    "emailsConfirmed": [],
                    "preferredEmail": email,
                },
                "metaContent": {},
                "tcdate": now,
                "tmdate": now,
            }
            self.store.put_profile(profile)
            self.store.put_user(email, tilde, password_hash)
        return {**profile_json(profile), "status": "ok"}

    def activate(self, token: str, body: Any) -> dict[str, Any]:
        body = shapes.check_fields(body if body is not None else {}, {"content": _dict}, frozenset(), "")
        email = token.strip().lower()
        with self.store.transaction():
            user = self.store.get_user(email)
            if user is None:
                raise NotFoundError("Token is not valid")
            profile = self.store.get_profile(user[0])
            if profile is None:
                raise NotFoundError("Token is not valid")
            if profile.get("state") == "Active":
                raise ValidationError(f"The profile {profile['id']} is already active")
            content = dict(profile.get("content") or {})
            new_content = body.get("content") or {}
            for key, value in new_content.items():
                if key in ("emailsConfirmed",):
                    continue
                content[key] = value
            names = [n for n in content.get("names", []) if isinstance(n, dict)]
            if not any(n.get("username") == profile["id"] for n in names):
                names.insert(0, {"fullname": preferred_name(profile), "username": profile["id"], "preferred": True})
            for name in names:
                if not name.get("fullname") and (name.get("first") or name.get("last")):
                    parts = (name.get("first"), name.get("middle"), name.get("last"))
                    name["fullname"] = " ".join(p for p in parts if p)
            content["names"] = names
            emails = [e.lower() for e in content.get("emails", []) if isinstance(e, str)]
            if email not in emails:
                emails.insert(0, email)
            content["emails"] = emails
            content["emailsConfirmed"] = [email]
            content.setdefault("preferredEmail", email)
            now = self.world.now()
            profile = {**profile, "content": content, "state": "Active", "active": True, "tmdate": now}
            self.store.put_profile(profile)
            self.write_identity_groups(profile, now)
            session = self.session(email, profile, None)
        return session

    def write_identity_groups(self, profile: dict[str, Any], now: int) -> None:
        """The tilde group lists the confirmed e-mails; each e-mail group lists the tilde id."""
        tilde = profile["id"]
        content = profile.get("content") or {}
        emails = [e.lower() for e in content.get("emailsConfirmed", [])]
        usernames = [n["username"] for n in content.get("names", []) if n.get("username")] or [tilde]
        for username in usernames:
            self._identity_group(username, [*emails], readers=[username], now=now)
        for email in emails:
            self._identity_group(email, [tilde], readers=[email, tilde], now=now)

    def _identity_group(self, group_id: str, members: list[str], readers: list[str], now: int) -> None:
        old = self.store.get_group(group_id)
        group = {
            "id": group_id,
            "domain": SUPER_GROUP,
            "readers": readers,
            "writers": [SUPER_GROUP],
            "signatures": [SUPER_GROUP],
            "signatories": [group_id],
            "members": sorted(set((old or {}).get("members", [])) | set(members)),
            "cdate": (old or {}).get("cdate", now),
            "tcdate": (old or {}).get("tcdate", now),
            "tmdate": now,
        }
        self.store.put_group(group, old=old)

    # -- profiles ------------------------------------------------------------------------------
    def get_profiles(self, caller: Caller, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self.store.reading():
            found: list[dict[str, Any]] = []
            if params.get("id"):
                profile_id = params["id"]
                if not ids.TILDE_ID_RE.match(profile_id):
                    raise ValidationError('id must match pattern "^~.*\\d+$"', path="id",
                                          invalid_value=profile_id, has_invalid_value=True)
                profile = self.store.get_profile(profile_id)
                found = [profile] if profile else []
            elif params.get("ids"):
                found = self._by_ids(_as_list(params["ids"]))
            elif params.get("email"):
                found = self.store.profiles_by_email(params["email"])
            elif params.get("emails"):
                found = self._by_emails(_as_list(params["emails"]), confirmed=False)
            elif params.get("confirmedEmails"):
                found = self._by_emails(_as_list(params["confirmedEmails"]), confirmed=True)
            elif any(params.get(k) for k in ("first", "middle", "last", "fullname")):
                found = self._by_name(params)
            elif caller.profile_id:
                profile = self.store.get_profile(caller.profile_id)
                found = [profile] if profile else []
            return [self.profile_for(caller, p) for p in found]

    def search(self, caller: Caller, body: Any) -> list[dict[str, Any]]:
        body = shapes.check_fields(body, {"ids": _list, "emails": _list, "confirmedEmails": _list},
                                   frozenset(), "")
        with self.store.reading():
            if "ids" in body:
                return [self.profile_for(caller, p) for p in self._by_ids(body["ids"])]
            key = "emails" if "emails" in body else "confirmedEmails"
            out = []
            for email in body.get(key, []):
                for profile in self.store.profiles_by_email(email, confirmed_only=key == "confirmedEmails"):
                    out.append({**self.profile_for(caller, profile), "email": email.lower()})
            return out

    def _by_ids(self, profile_ids: list[str]) -> list[dict[str, Any]]:
        found = {}
        for profile_id in profile_ids:
            profile = self.store.get_profile(profile_id)
            if profile is not None:
                found[profile["id"]] = profile
        return [found[k] for k in sorted(found)]

    def _by_emails(self, emails: list[str], *, confirmed: bool) -> list[dict[str, Any]]:
        found = {}
        for email in emails:
            for profile in self.store.profiles_by_email(email, confirmed_only=confirmed):
                found[profile["id"]] = profile
        return [found[k] for k in sorted(found)]

    def _by_name(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        wanted = {k: str(params[k]).lower() for k in ("first", "middle", "last", "fullname") if params.get(k)}
        out = []
        for profile in self.store.all_profiles():
            for name in (profile.get("content") or {}).get("names", []):
                full = (name.get("fullname") or "").lower()
                parts = full.split()
                first = (name.get("first") or (parts[0] if parts else "")).lower()
                last = (name.get("last") or (parts[-1] if parts else "")).lower()
                checks = {"first": first, "last": last, "fullname": full, "middle": (name.get("middle") or "").lower()}
                if all(checks[k] == v for k, v in wanted.items()):
                    out.append(profile)
                    break
        return out

    def profile_for(self, caller: Caller, profile: dict[str, Any]) -> dict[str, Any]:
        """A profile as the caller may see it (e-mails only to its owner and the super user)."""
        out = profile_json(profile)
        if not caller.is_super and caller.profile_id != profile["id"]:
            content = dict(out.get("content") or {})
            content.pop("emailsConfirmed", None)
            content["emails"] = [_mask(e) for e in content.get("emails", [])]
            content.pop("preferredEmail", None)
            out["content"] = content
        return out

    def tilde_username(self, fullname: str) -> dict[str, str]:
        with self.store.reading():
            return {"username": ids.next_tilde_id(fullname, self.store.username_taken)}


def preferred_name(profile: dict[str, Any]) -> str:
    names = (profile.get("content") or {}).get("names", [])
    chosen = next((n for n in names if n.get("preferred")), names[0] if names else {})
    if chosen.get("fullname"):
        return str(chosen["fullname"])
    parts = [chosen.get("first"), chosen.get("middle"), chosen.get("last")]
    text = " ".join(p for p in parts if p)
    return text or profile["id"]


def simplified_profile(profile: dict[str, Any]) -> dict[str, Any]:
    content = profile.get("content") or {}
    names = content.get("names", [])
    preferred = next((n for n in names if n.get("preferred")), names[0] if names else {})
    fullname = preferred_name(profile)
    parts = fullname.split()
    return {
        "id": profile["id"],
        "first": preferred.get("first") or (parts[0] if parts else ""),
        "middle": preferred.get("middle"),
        "last": preferred.get("last") or (parts[-1] if len(parts) > 1 else ""),
        "fullname": fullname,
        "emails": list(content.get("emails", [])),
        "preferredEmail": content.get("preferredEmail"),
        "usernames": [n["username"] for n in names if n.get("username")],
        "preferredId": preferred.get("username", profile["id"]),
        "state": profile.get("state"),
    }


def profile_json(profile: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "active", "password", "state", "invitation", "readers", "writers", "signatures", "content",
            "metaContent", "tcdate", "tmdate")
    return {k: profile[k] for k in keys if k in profile}


def _mask(email: str) -> str:
    _, _, domain = email.partition("@")
    return f"****@{domain}" if domain else "****"


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        out: list[str] = []
        for v in value:
            out.extend(p for p in str(v).split(",") if p)
        return out
    return [p for p in str(value).split(",") if p]


def _str_or_none(v: Any) -> str | None:
    return None if v is None or isinstance(v, str) else "string"


def _int_or_none(v: Any) -> str | None:
    return None if v is None or (isinstance(v, int) and not isinstance(v, bool)) else "integer"


def _dict(v: Any) -> str | None:
    return None if isinstance(v, dict) else "object"


def _list(v: Any) -> str | None:
    return None if isinstance(v, list) and all(isinstance(i, str) for i in v) else "array of strings"


__all__ = ["SUPER_USER_LOGIN", "UserService", "preferred_name", "profile_json", "simplified_profile"]
