"""Domain errors: raised by services, turned into JSON by the API and into messages by pages.

Each carries an HTTP status and a stable machine-readable code so the API never has to guess.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        code: str = "",
        details: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.details = details or {}  # machine-readable extras (e.g. the existing record's id)
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields, **self.details}}


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


# --- the messages said in many places: one wording (and one msgid for the translators) ---------


def stale_version() -> StaleVersion:
    """Optimistic locking refused an edit: the complaint changed since the user read it."""
    return StaleVersion(_("Someone else changed this complaint since you opened it; reload and try again."))


def required_message(label: object) -> str:
    """A required field left empty, named by its label: "根本原因：请填写此项"."""
    return _("%(field)s: please fill this in.") % {"field": label}


def _listed(allowed: str | Iterable[object]) -> str:
    return allowed if isinstance(allowed, str) else ", ".join(str(value) for value in allowed)


def one_of(allowed: str | Iterable[object], *, or_empty: bool = False) -> str:
    """A choice field's message: the values it takes (``or_empty``: a blank filter means all)."""
    if or_empty:
        return _("One of: %(allowed)s (or empty for all).") % {"allowed": _listed(allowed)}
    return _("One of: %(allowed)s.") % {"allowed": _listed(allowed)}


def not_one_of(value: object, allowed: str | Iterable[object]) -> str:
    """A choice field's message naming the value that was sent."""
    return _("'%(value)s' is not one of: %(allowed)s.") % {"value": value, "allowed": _listed(allowed)}


def raise_if(errors: dict[str, str]) -> None:
    """Every field's problem in one answer (400/422 naming each field), the first as the message."""
    if errors:
        raise InvalidInput(next(iter(errors.values())), fields=errors)
