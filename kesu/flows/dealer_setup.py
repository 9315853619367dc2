"""Setting up a dealer from the administration pages and API: its business hours, calendar dates
and group robots (kept by sla and notifications), each change in the administration log."""

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.administration import services as admin_services
from kesu.administration.choices import AdminAction
from kesu.core.errors import NotFound, invalid
from kesu.notifications import services as notification_services
from kesu.notifications.models import WebhookTarget
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import User
from kesu.sla import policies
from kesu.sla.models import CalendarOverride


def _calendar_org(actor: User, organization_id: int) -> int:
    org = admin_services.get_organization(actor=actor, organization_id=organization_id)
    if org.kind == OrgKind.DEPARTMENT:
        raise invalid(
            "organization_id", _("Business hours are set for a dealer, a region or the manufacturer.")
        )
    return org.pk


@transaction.atomic
def set_business_hours(*, actor: User, organization_id: int, days: dict[str, str]) -> None:
    """Replace the weekly hours ("08:30-12:00, 13:30-18:00" per weekday; empty: closed)."""
    org_id = _calendar_org(actor, organization_id)
    policies.set_business_hours(actor=actor, organization_id=org_id, days=days)
    summary = "; ".join(f"{day} {days.get(day, '')}" for day in policies.WEEKDAYS)
    admin_services.record(
        actor=actor, action=AdminAction.HOURS_CHANGED, organization_id=org_id, summary=summary
    )


@transaction.atomic
def add_override(
    *,
    actor: User,
    organization_id: int,
    day: date,
    is_open: bool,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
) -> CalendarOverride:
    """A holiday, a closure or a made-up working day for this organisation."""
    org_id = _calendar_org(actor, organization_id)
    override = policies.add_override(
        actor=actor, organization_id=org_id, day=day, is_open=is_open, opens=opens, closes=closes, note=note
    )
    state = _("open") if is_open else _("closed")
    admin_services.record(
        actor=actor, action=AdminAction.HOURS_CHANGED, organization_id=org_id, summary=f"{day} {state} {note}"
    )
    return override


@transaction.atomic
def remove_override(*, actor: User, organization_id: int, override_id: int) -> None:
    org_id = _calendar_org(actor, organization_id)
    override = CalendarOverride.objects.filter(pk=override_id, organization_id=org_id).first()
    if override is None:
        return
    policies.remove_override(actor=actor, override_id=override.pk)
    admin_services.record(
        actor=actor, action=AdminAction.HOURS_CHANGED, organization_id=org_id, summary=f"{override.date} -"
    )


@transaction.atomic
def add_robot(
    *,
    actor: User,
    organization_id: int,
    provider: str,
    url: str,
    secret: str = "",
    kinds: list[str] | None = None,
) -> WebhookTarget:
    org = admin_services.get_organization(actor=actor, organization_id=organization_id)
    robot = notification_services.add_robot(
        actor=actor, organization_id=org.pk, provider=provider, url=url, secret=secret, kinds=kinds
    )
    admin_services.record(
        actor=actor,
        action=AdminAction.ROBOT_ADDED,
        organization_id=org.pk,
        summary=robot.get_provider_display(),
    )
    return robot


@transaction.atomic
def set_robot_active(*, actor: User, robot_id: int, is_active: bool) -> WebhookTarget:
    """Switch a robot on or off (404 when its organisation is out of the actor's reach)."""
    robot = WebhookTarget.objects.filter(pk=robot_id).first()
    if robot is None:
        raise NotFound(_("No such group robot."))
    admin_services.get_organization(actor=actor, organization_id=robot.organization_id)
    robot = notification_services.set_robot_active(actor=actor, robot_id=robot_id, is_active=is_active)
    state = _("on") if is_active else _("off")
    admin_services.record(
        actor=actor,
        action=AdminAction.ROBOT_CHANGED,
        organization_id=robot.organization_id,
        summary=f"{robot.get_provider_display()} {state}",
    )
    return robot
