"""A crisis does not wait for a deadline: the whole ladder is told at once."""

import logging

from django.utils.translation import gettext as _

from kesu.complaints import selectors as complaint_selectors
from kesu.complaints import services as complaint_services
from kesu.complaints.models import Complaint
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations.choices import Role
from kesu.organizations.selectors import RoleHolders

log = logging.getLogger("kesu.flows")

CRISIS_LADDER = (Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.REGION_MANAGER, Role.CRC_AGENT, Role.PR)


def alert_ladder(complaint: Complaint, note: str = "") -> None:
    """Called whenever a complaint has just become a crisis (registered as one, signals found in
    the customer's words, an edit, an accepted suggestion).

    Every rung above the agent — service manager, general manager, region manager, the
    carmaker's CRC and PR — is told through the outbox inside the transaction that raised it (so
    nothing is sent if it rolls back, and the dedupe key sends it once). The complaint is
    escalated to the manufacturer so CRC and PR can open it, and the timeline says who was told.
    """
    if complaint_selectors.crisis_alerted(complaint.pk):
        return  # the ladder was told of this crisis already
    holders = RoleHolders()
    recipients = {u.pk: u for role in CRISIS_LADDER for u in holders.holding(complaint.dealer_id, role)}
    title = _("%(number)s: crisis — %(dealer)s") % {
        "number": complaint.number,
        "dealer": complaint.dealer.name,
    }
    body = "\n".join(part for part in (note, complaint.verbatim[:300]) if part)
    notify(
        recipients=recipients.values(),
        kind=Kind.CRISIS,
        title=title,
        body=body,
        key=f"crisis:{complaint.pk}",
        complaint_id=complaint.pk,
        organization=complaint.dealer,
    )
    told = "、".join(str(Role(role).label) for role in CRISIS_LADDER)
    complaint_services.record_crisis_escalation(complaint, roles=told)
    log.info("crisis: complaint %s (dealer %s) — ladder told", complaint.number, complaint.dealer_id)
