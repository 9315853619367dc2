"""What the R1 services share: who may do what at a dealer, errors naming fields."""

from django.utils.translation import gettext as _

from kesu.core.errors import NotFound
from kesu.core.validators import too_long
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for, user_dealer_id

MAX_TEXT = 4000
# The dealer's desk: who sends contact sheets and sends them back.
DESK_ROLES = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})
MANAGERS = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})


def text_problem(value: str, *, required: bool = True, limit: int = MAX_TEXT) -> str | None:
    if required and not value:
        return _("Please fill this in.")
    if len(value) > limit:
        return too_long(limit)
    return None


def dealer_in_scope(actor: User, dealer_id: int) -> Organization:
    """The dealer, or 404 when it is not one the actor sees (the same answer if it does not exist)."""
    scope = scope_for(actor)
    dealer = Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).first()
    if dealer is None or not (scope.everything or dealer.pk in scope.dealer_ids):
        raise NotFound(_("No such dealer."))
    return dealer


def is_dealer_role(actor: User, dealer_id: int, roles: frozenset[Role]) -> bool:
    """An administrator, or an active holder of one of ``roles`` at this dealer."""
    if actor.is_kesu_admin:
        return True
    return actor.is_active and actor.role in roles and user_dealer_id(actor) == dealer_id


def department_of(dealer_id: int, department_id: int | None) -> Organization | None:
    if department_id is None:
        return None
    return Organization.objects.filter(pk=department_id, kind=OrgKind.DEPARTMENT, parent_id=dealer_id).first()


def person_of(dealer_id: int, person_id: int | None) -> User | None:
    """An active person working at the dealer or one of its departments."""
    if person_id is None:
        return None
    person = User.objects.select_related("organization").filter(pk=person_id, is_active=True).first()
    if person is None or person.organization is None:
        return None
    dealer = person.organization.dealer
    return person if dealer is not None and dealer.pk == dealer_id else None
