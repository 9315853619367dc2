"""Who sees what — the ONE place where organisational scope is decided.

Querysets call :func:`scope_for` (``Complaint.objects.visible_to(user)``,
``Customer.objects.visible_to(user)``); views and API handlers only ever start from those.
"""

from dataclasses import dataclass

from .choices import DEALER_ROLES, MANUFACTURER_ROLES, Role
from .models import User
from .tree import dealer_ids_under


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    dealer_ids: frozenset[int] = frozenset()
    # Dealers whose complaints are visible only once escalated to the manufacturer (CRC, PR).
    escalated_dealer_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.dealer_ids or self.escalated_dealer_ids)


def _compute(user: User) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_kesu_admin:
        return Scope(everything=True)
    org = user.organization
    if org is None:
        return Scope()
    if user.role in DEALER_ROLES:
        dealer = org.dealer
        return Scope(dealer_ids=frozenset({dealer.pk})) if dealer else Scope()
    if user.role == Role.REGION_MANAGER:
        return Scope(dealer_ids=dealer_ids_under(org))
    if user.role in MANUFACTURER_ROLES:
        return Scope(escalated_dealer_ids=dealer_ids_under(org))
    return Scope()


def scope_for(user: User) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    cached = user.__dict__.get("_kesu_scope")
    if cached is None:
        cached = user.__dict__["_kesu_scope"] = _compute(user)
    return cached


def user_dealer_id(user: User) -> int | None:
    """The dealer a dealer-side user works for, or None for region/manufacturer/admin users."""
    if user.organization is None or user.role not in DEALER_ROLES:
        return None
    dealer = user.organization.dealer
    return dealer.pk if dealer else None
