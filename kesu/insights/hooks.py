"""The points where the rest of kesu calls into insights, and where insights calls out.

``intake_suggestion`` and ``after_intake`` are called once by
``kesu.complaints.services.create_complaint``, inside its transaction (the first before the
complaint is written, the second after); the recurrence work they leave pending is done by
``recurrence.link_pending`` in the worker. ``on_crisis`` is called whenever insights raises a
complaint to crisis.
"""

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.choices import EventKind, Severity
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.organizations.choices import Role
from kesu.organizations.models import User

if TYPE_CHECKING:
    from .analysis import Analysis
    from .models import Suggestion

log = logging.getLogger("kesu.insights")


def intake_suggestion(complaint: Complaint) -> "tuple[Suggestion | None, Analysis | None]":
    """The new complaint's suggestion, unsaved, for the intake to write with the complaint in
    one statement (``kesu.core.bulk.insert_with_children``), and the analysis behind it.

    Linking it to related complaints (same vehicle, customer, fault area; near-duplicates at other
    dealers) and indexing it for near-duplicate search are left to the worker
    (:func:`kesu.insights.recurrence.link_pending`, queued by the tick, or done on first read):
    they are most of an intake's queries and nobody waits on them. The suggestion is marked
    ``links_pending`` and written in the intake transaction, so a crash loses none of that work.

    A failure of the analysis is logged and gives no suggestion, never a lost complaint:
    registering what the customer said comes first.
    """
    from . import services
    from .models import Suggestion

    try:
        result = services.analyse_complaint(complaint)
        suggestion = services.fill_suggestion(Suggestion(complaint=complaint), result, links_pending=True)
    except Exception:
        log.exception("insights: intake analysis failed for complaint %s", complaint.number)
        return None, None
    return suggestion, result


def after_intake(complaint: Complaint, actor: User, analysis: "Analysis | None") -> None:
    """Called once the new complaint is written, inside the intake transaction: a crisis does
    not wait. The agent's own crisis rating alerts the ladder; crisis signals in the customer's
    words raise the complaint to crisis. A failure here is logged and never loses the complaint.
    """
    from . import services

    if complaint.severity == Severity.CRISIS:  # the agent judged it a crisis on the phone
        on_crisis(complaint, _("Registered as a crisis by %(agent)s.") % {"agent": actor})
    if analysis is None or not analysis.is_crisis or complaint.severity == Severity.CRISIS:
        return
    try:
        with transaction.atomic():
            services.apply_crisis(
                complaint_id=complaint.pk, actor=actor, analysis=analysis, expected_version=complaint.version
            )
            complaint.refresh_from_db()
    except Exception:
        log.exception("insights: raising complaint %s to crisis failed", complaint.pk)


def after_edit(complaint: Complaint, actor: User, diff: dict[str, list[object]], note: str) -> None:
    """Called by ``update_complaint`` after every edit, inside its transaction.

    Severity becoming crisis — by hand, by an accepted suggestion or by the analysis — always
    alerts the ladder (here, in one place). Edited customer words are read again: a crisis signal
    that appears in them raises the complaint like one found at intake.
    """
    from . import services

    if "severity" in diff and diff["severity"][1] == Severity.CRISIS:
        on_crisis(complaint, note)
        return
    if "verbatim" in diff or "facts" in diff:
        result = services.analyse_complaint(complaint)
        services.store_suggestion(complaint, result)
        if result.is_crisis and complaint.severity != Severity.CRISIS:
            services.apply_crisis(complaint_id=complaint.pk, actor=actor, analysis=result)
            complaint.refresh_from_db()


CRISIS_LADDER = (Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.REGION_MANAGER, Role.CRC_AGENT, Role.PR)


def on_crisis(complaint: Complaint, note: str = "") -> None:
    """Called when insights has just raised ``complaint`` to severity "crisis" (signals found at
    intake, ``services.apply_crisis``, or an agent accepting a crisis suggestion).

    A crisis does not wait for a deadline to climb the ladder: every rung above the agent —
    service manager, general manager, region manager, the carmaker's CRC and PR — is told at
    once, through the outbox, inside the transaction that raised it (so nothing is sent if it
    rolls back, and the dedupe key sends it once). The complaint is escalated to the
    manufacturer so CRC and PR can open it, and the timeline says who was told and why.
    """
    from kesu.notifications.choices import Kind
    from kesu.notifications.services import notify
    from kesu.sla.sweep import RoleHolders

    holders = RoleHolders()
    recipients = {u.pk: u for role in CRISIS_LADDER for u in holders.holding(complaint.dealer_id, role)}
    if TimelineEntry.objects.filter(
        complaint_id=complaint.pk, kind=EventKind.ESCALATION, changes__has_key="crisis"
    ).exists():
        return  # the ladder was told of this crisis already
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
    now = timezone.now()
    Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(escalated_at=now)
    told = "、".join(str(Role(role).label) for role in CRISIS_LADDER)
    TimelineEntry.objects.create(
        complaint_id=complaint.pk,
        kind=EventKind.ESCALATION,
        note=_("Crisis: %(roles)s notified at once.") % {"roles": told},
        changes={"role": [None, Role.PR], "crisis": [None, True]},
    )
    log.info("insights: complaint %s (dealer %s) raised to crisis", complaint.number, complaint.dealer_id)
