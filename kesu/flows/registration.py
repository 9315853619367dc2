"""Registering a complaint: written with its clocks and first reading, a crisis alerted."""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints import ownership
from kesu.complaints import services as complaint_services
from kesu.complaints.choices import Severity
from kesu.complaints.models import Complaint
from kesu.complaints.services import ComplaintDraft, draft_errors
from kesu.core.errors import InvalidInput
from kesu.customers import selectors as customer_selectors
from kesu.customers import services as customer_services
from kesu.insights import services as insights_services
from kesu.insights.analysis import Analysis
from kesu.organizations.models import User
from kesu.resolutions.services import routing as routing_services
from kesu.sla import services as sla_services

from .assignment import tell_assignee
from .crisis import alert_ladder
from .editing import apply_crisis

log = logging.getLogger("kesu.flows")


@transaction.atomic
def create_complaint(*, actor: User, draft: ComplaintDraft) -> Complaint:
    """Register a complaint for an existing customer.

    The 2-3-7 clocks are planned and the customer's words analysed before the row is written,
    so the complaint (with its earliest due time), its clocks, its first timeline entry and its
    suggestion are written together. Then a crisis — judged by the agent, or signalled in the
    words — alerts the ladder, and the assignee (the intake's choice, else the dealer's rule or
    its least busy agent: ``complaints.ownership``) is told.
    """
    complaint = complaint_services.build_complaint(actor=actor, draft=draft)
    clocks = sla_services.plan_clocks(complaint)  # the 2-3-7 clocks start at received_at
    complaint.due_at = sla_services.earliest_due(clocks)
    suggestion, analysis = insights_services.intake_suggestion(complaint)
    if complaint.department_id is None:  # the dealer's routing rule (category, fault area): cached
        complaint.department_id = routing_services.department_for(
            dealer_id=complaint.dealer_id,
            category=complaint.category or (suggestion.category if suggestion else ""),
            fault_area=suggestion.fault_area if suggestion else "",
        )
    assigned = ownership.intake_assignment(complaint, actor)  # the dealer's rule, or the least busy agent
    children: list[Any] = [*clocks, *([suggestion] if suggestion else []), *([assigned] if assigned else [])]
    complaint_services.write_new_complaint(complaint, actor=actor, children=children)
    _after_intake(complaint, actor, analysis)
    tell_assignee(complaint, actor=actor)
    return complaint


def _after_intake(complaint: Complaint, actor: User, analysis: Analysis | None) -> None:
    """The agent's own crisis rating alerts the ladder; crisis signals in the customer's words
    raise the complaint to crisis. A failure of the latter is logged and never loses the
    complaint: registering what the customer said comes first."""
    if complaint.severity == Severity.CRISIS:  # the agent judged it a crisis on the phone
        alert_ladder(complaint, _("Registered as a crisis by %(agent)s.") % {"agent": actor})
    if analysis is None or not analysis.is_crisis or complaint.severity == Severity.CRISIS:
        return
    try:
        with transaction.atomic():
            apply_crisis(
                complaint_id=complaint.pk, actor=actor, analysis=analysis, expected_version=complaint.version
            )
            complaint.refresh_from_db()
    except Exception:
        log.exception("raising complaint %s to crisis failed", complaint.pk)


@dataclass
class Intake:
    complaint: Complaint
    existing_customer: bool  # the typed number was a customer's of the dealer: theirs now


@transaction.atomic
def intake_for_caller(
    *,
    actor: User,
    draft: ComplaintDraft,
    new_customer: dict[str, Any] | None = None,
    vehicle: customer_services.VehicleInput | None = None,
) -> Intake:
    """The phone intake in one go: the customer found or created (and their vehicle), then the
    complaint.

    ``new_customer`` (what intake typed): the dealer's customer with this number is used when
    the name is the same, their vehicle found by plate or VIN or added; another name with that
    number is refused (409 ``duplicate_customer`` naming ``mobile`` and the existing customer) —
    never a second customer for one person. Without ``new_customer``, ``draft.customer_id`` is
    the customer picked, and ``vehicle`` (typed) is found among theirs or added.

    One transaction: a wrong plate on the new vehicle leaves neither customer nor complaint.
    """
    existing = False
    if new_customer is not None:
        try:
            found = customer_services.intake_customer(actor=actor, **new_customer)
        except InvalidInput as exc:  # report the complaint's own mistakes in the same answer
            errors = {**exc.fields, **draft_errors(draft, dealer_id=None, customer_id=None)}
            raise InvalidInput(exc.message, fields=errors) from exc
        draft.customer_id = found.customer.pk
        draft.vehicle_id = found.vehicle.pk if found.vehicle else None
        existing = found.existing
    elif vehicle is not None and draft.customer_id and not draft.vehicle_id:
        customer = customer_selectors.get_customer(actor=actor, customer_id=draft.customer_id)
        picked = customer_services.vehicle_for(
            actor=actor, customer=customer, data=vehicle, prefix="vehicle."
        )
        draft.vehicle_id = picked.pk if picked else None
    return Intake(create_complaint(actor=actor, draft=draft), existing_customer=existing)


def intake(
    *,
    actor: User,
    draft: ComplaintDraft,
    new_customer: dict[str, Any] | None = None,
    vehicle: customer_services.VehicleInput | None = None,
) -> Complaint:
    """``intake_for_caller``, for callers that only need the complaint."""
    return intake_for_caller(actor=actor, draft=draft, new_customer=new_customer, vehicle=vehicle).complaint
