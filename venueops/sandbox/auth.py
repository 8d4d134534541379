"""Passwords and tokens.

Tokens are HS256 JWTs, as openreview-py expects: it decodes them without verifying and reads
``user.id`` and ``user.profile.id`` (notes/api-v2.md §1.1). Expiry is checked against the
sandbox clock, not the wall clock, so tests can expire a token by moving the clock.
The signing key is random per database and never leaves it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import jwt

from venueops.sandbox.errors import InvalidTokenError, TokenExpiredError

DEFAULT_TOKEN_SECONDS = 3600
MAX_TOKEN_SECONDS = 7 * 24 * 3600
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt_b64, digest_b64 = stored.split("$")
    digest = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt_b64), dklen=32, **_SCRYPT)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenClaims:
    login: str
    profile_id: str
    expires_ms: int


def issue_token(secret: str, user: dict[str, Any], now_ms: int, expires_in: int | None) -> str:
    seconds = DEFAULT_TOKEN_SECONDS if not expires_in else min(int(expires_in), MAX_TOKEN_SECONDS)
    issued = now_ms // 1000
    payload = {"user": user, "iss": "openreview", "iat": issued, "exp": issued + seconds,
               "jti": secrets.token_hex(8)}
    return jwt.encode(payload, secret, algorithm="HS256")


def read_token(secret: str, token: str, now_ms: int) -> TokenClaims:
    """Verify ``token`` and return who it speaks for; raise the API's token errors otherwise.

    Dates are checked against the sandbox clock only (PyJWT's own checks use the wall clock, which
    the sandbox clock may be ahead of or behind)."""
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"],
                             options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    except jwt.InvalidSignatureError:
        raise InvalidTokenError("invalid signature") from None
    except jwt.PyJWTError:
        raise InvalidTokenError("jwt malformed") from None
    exp = payload.get("exp")
    if not isinstance(exp, (int, float)):
        raise InvalidTokenError("jwt malformed")
    user = payload.get("user") or {}
    login = user.get("id")
    profile_id = (user.get("profile") or {}).get("id")
    if not isinstance(login, str) or not isinstance(profile_id, str):
        raise InvalidTokenError("jwt malformed")
    claims = TokenClaims(login=login, profile_id=profile_id, expires_ms=int(exp * 1000))
    check_expiry(claims, now_ms)
    return claims


def check_expiry(claims: TokenClaims, now_ms: int) -> None:
    if claims.expires_ms <= now_ms:
        raise TokenExpiredError()
