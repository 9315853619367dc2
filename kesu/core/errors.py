"""Domain errors: raised by services, turned into JSON by the API and into messages by pages.

Each carries an HTTP status and a stable machine-readable code so the API never has to guess.
"""

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class StaleVersion(DomainError):
    status = 409
    code = "stale_version"


class IllegalTransition(DomainError):
    status = 409
    code = "illegal_transition"


class PayloadTooLarge(DomainError):
    status = 413
    code = "too_large"


def invalid(field: str, message: str) -> InvalidInput:
    """The common case: one field is wrong, and the message says why."""
    return InvalidInput(message, fields={field: message})
