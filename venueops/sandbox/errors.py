"""Errors the sandbox returns, shaped as OpenReview API v2 returns them.

Every failure leaves the server as an ``ApiError``; the application turns it into the JSON body
OpenReview sends (``{"name", "message", "status", "details"?, "errors"?}``), which openreview-py
raises as ``OpenReviewException(<that body>)``. Names and message wording are part of the contract:
client code and tests match on them (notes/api-v2.md §6).

Where the sources do not give a status code, the choice is ours and marked ``FIDELITY:``.

    ApiError
    ├── ValidationError          400  malformed request or value outside a template
    │   ├── MissingRequiredError 400  a required template param is absent
    │   ├── NotMatchError        400  a value differs from a template constant
    │   └── ItemsError           400  a value outside a template's ``items``
    ├── JsonSyntaxError          400  the body is not JSON (name ``SyntaxError``, as Express reports it)
    ├── TooManyError             400  maxReplies reached
    ├── AuthError                401  (``TokenExpiredError``, ``JsonWebTokenError``, bad credentials)
    ├── ForbiddenError           403  not a reader / writer / expired invitation
    ├── NotInviteeError          403
    ├── NotSignatoryError        403
    ├── NotFoundError            404
    ├── ConflictError            409
    ├── PayloadTooLargeError     413
    ├── TooManyRequestsError     429  logins of an id that failed too often (with ``Retry-After``)
    └── InternalServerError      500  an unexpected fault; details stay in the server log
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error with OpenReview's wire shape: ``name``, ``message``, ``status`` and optional details."""

    name = "Error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        invalid_value: Any = None,
        has_invalid_value: bool = False,
        errors: list[ApiError] | None = None,
        name: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}  # HTTP headers the response carries (``Retry-After``)
        self.path = path
        self.invalid_value = invalid_value
        self.has_invalid_value = has_invalid_value
        self.errors = errors or []
        if name is not None:
            self.name = name
        if status is not None:
            self.status = status

    def to_json(self, user: str | None = None) -> dict[str, Any]:
        """The response body for this error (``user`` is the caller's id, as the real API adds it)."""
        body: dict[str, Any] = {"name": self.name, "message": self.message, "status": self.status}
        details: dict[str, Any] = {}
        if self.path is not None:
            details["path"] = self.path
        if self.has_invalid_value:
            details["invalidValue"] = self.invalid_value
        if user is not None:
            details["user"] = user
        if details:
            body["details"] = details
        if self.errors:
            body["errors"] = [e.to_json() for e in self.errors]
        return body


class ValidationError(ApiError):
    name = "ValidationError"
    status = 400


class MissingRequiredError(ValidationError):
    name = "MissingRequiredError"


class NotMatchError(ValidationError):
    name = "NotMatchError"


class ItemsError(ValidationError):
    name = "ItemsError"


class JsonSyntaxError(ApiError):
    # FIDELITY: OpenReview runs on Express, whose body parser reports unparseable JSON as a 400
    # ``SyntaxError``; we keep that name.
    name = "SyntaxError"
    status = 400


class TooManyError(ApiError):
    # FIDELITY: the name follows the web client's quota error; the status is our choice.
    name = "TooManyError"
    status = 400


class AuthError(ApiError):
    name = "UnauthorizedError"
    status = 401


class TokenExpiredError(AuthError):
    name = "TokenExpiredError"

    def __init__(self) -> None:
        super().__init__("Token has expired. Please log in again.")


class InvalidTokenError(AuthError):
    # FIDELITY: jsonwebtoken (used by the real API) names a bad token ``JsonWebTokenError``.
    name = "JsonWebTokenError"


class ForbiddenError(ApiError):
    name = "ForbiddenError"
    status = 403


class NotInviteeError(ApiError):
    # FIDELITY: status not documented; an invitee check is a permission check, so 403.
    name = "NotInviteeError"
    status = 403


class NotSignatoryError(ApiError):
    # FIDELITY: status not documented; 403 as for other permission checks.
    name = "NotSignatoryError"
    status = 403


class NotFoundError(ApiError):
    name = "NotFoundError"
    status = 404


class ConflictError(ApiError):
    name = "ConflictError"
    status = 409


class PayloadTooLargeError(ApiError):
    # FIDELITY: Express's body parser answers an oversized body with 413 ``PayloadTooLargeError``.
    name = "PayloadTooLargeError"
    status = 413


class TooManyRequestsError(ApiError):
    """Too many failed logins for one id: try again after ``retry_after`` seconds.

    FIDELITY: OpenReview's sources do not show its login throttle's error. ``TooManyError`` (notes
    §6) is the web client's name for an exhausted quota, which the sandbox already answers for
    ``maxReplies`` with status 400; a rate limit is HTTP 429, and Express servers build it with
    the ``http-errors`` package, whose name for 429 is ``TooManyRequestsError``. openreview-py
    only looks at the status (its retry policy lists 429), so that is the name used here.
    """

    name = "TooManyRequestsError"
    status = 429

    def __init__(self, message: str, *, retry_after: int, path: str | None = None) -> None:
        super().__init__(message, path=path, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class InternalServerError(ApiError):
    name = "InternalServerError"
    status = 500


def combine(errors: list[ApiError]) -> ApiError:
    """One error for several: the first one's name and message, all of them under ``errors``."""
    if len(errors) == 1:
        return errors[0]
    first = errors[0]
    combined = type(first)(first.message, path=first.path, errors=errors)
    combined.invalid_value = first.invalid_value
    combined.has_invalid_value = first.has_invalid_value
    return combined
