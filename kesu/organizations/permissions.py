"""What each role may do, declared once. Endpoints and pages name a capability; nobody checks
roles by hand."""

from collections.abc import Callable
from enum import StrEnum
from typing import cast

from django.http import HttpRequest, HttpResponse

from kesu.web.access import page as guarded_page

from .choices import Role
from .models import User


class Capability(StrEnum):
    VIEW = "view"
    CREATE_COMPLAINT = "create_complaint"
    EDIT_COMPLAINT = "edit_complaint"
    EDIT_CUSTOMER = "edit_customer"
    REVEAL_PHONE = "reveal_phone"


_ALL = frozenset(Role)
_FRONT_DESK = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.CRC_AGENT, Role.ADMIN})

ROLES_WITH: dict[Capability, frozenset[Role]] = {
    Capability.VIEW: _ALL,
    Capability.CREATE_COMPLAINT: _FRONT_DESK,
    Capability.EDIT_COMPLAINT: _FRONT_DESK | {Role.DEPARTMENT_STAFF},
    Capability.EDIT_CUSTOMER: _FRONT_DESK,
    Capability.REVEAL_PHONE: _FRONT_DESK,
}


def has_capability(user: User, capability: Capability) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_kesu_admin:
        return True
    return user.role in ROLES_WITH[capability]


def actor(request: HttpRequest) -> User:
    """The acting user of a request; pages and endpoints only run once authenticated."""
    return cast(User, request.user)


def page(
    capability: Capability = Capability.VIEW,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page that needs ``capability`` (login first; 403 page when the role lacks it)."""
    return guarded_page(lambda request: has_capability(actor(request), capability))
