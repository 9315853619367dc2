"""What administrators and general managers may see: organisations and users in their reach."""

from django.db.models import Q, QuerySet

from kesu.notifications.models import WebhookTarget
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import administered_dealer_id
from kesu.organizations.tree import dealer_ids_under
from kesu.sla.models import BusinessHours, CalendarOverride

from .models import OrganizationState


def inactive_org_ids() -> set[int]:
    return set(OrganizationState.objects.filter(is_active=False).values_list("organization_id", flat=True))


def is_org_active(organization_id: int) -> bool:
    return not OrganizationState.objects.filter(organization_id=organization_id, is_active=False).exists()


def organizations_visible_to(actor: User) -> QuerySet[Organization]:
    """Administrators: every organisation; a general manager: their dealer and its departments;
    a region manager: their region and everything under it (read only); anyone else: none."""
    everything = Organization.objects.select_related("parent")
    if not actor.is_authenticated or not actor.is_active:
        return everything.none()
    if actor.is_kesu_admin:
        return everything
    dealer_id = administered_dealer_id(actor)
    if dealer_id is not None:
        return everything.filter(Q(pk=dealer_id) | Q(parent_id=dealer_id))
    org = actor.organization
    if actor.role == Role.REGION_MANAGER and org is not None and org.kind == OrgKind.REGION:
        dealers = dealer_ids_under(org)
        return everything.filter(Q(pk=org.pk) | Q(pk__in=dealers) | Q(parent_id__in=dealers))
    return everything.none()


def users_visible_to(actor: User) -> QuerySet[User]:
    """The people who belong to the organisations the actor sees (administrators: everyone)."""
    people = User.objects.select_related("organization__parent")
    if actor.is_authenticated and actor.is_active and actor.is_kesu_admin:
        return people
    return people.filter(organization__in=organizations_visible_to(actor))


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def hours_text(organization_id: int) -> dict[str, str]:
    """The organisation's own weekly hours, one "08:30-12:00, 13:30-18:00" text per weekday
    (all empty: it follows its region's or the manufacturer's hours)."""
    days: dict[str, list[str]] = {name: [] for name in WEEKDAYS}
    for row in BusinessHours.objects.filter(organization_id=organization_id).order_by("weekday", "opens"):
        days[WEEKDAYS[row.weekday]].append(f"{row.opens:%H:%M}-{row.closes:%H:%M}")
    return {name: ", ".join(parts) for name, parts in days.items()}


def overrides_of(organization_id: int) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(organization_id=organization_id).order_by("date")


def robots_of(organization_id: int) -> QuerySet[WebhookTarget]:
    return WebhookTarget.objects.filter(organization_id=organization_id).order_by("pk")
