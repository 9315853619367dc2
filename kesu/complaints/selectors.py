"""What other apps read of a complaint: always through the actor's scope.

Domain services of other apps (sla, language, insights) and the flows read complaints here,
never through ``complaints.services``; a complaint outside the actor's scope is a NotFound
that reveals nothing.
"""

from django.utils.translation import gettext as _

from kesu.core.errors import NotFound
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from . import workflow
from .choices import EventKind
from .models import Complaint, ComplaintQuerySet, TimelineEntry


def get_complaint(*, actor: User, complaint_id: int, for_update: bool = False) -> Complaint:
    """A complaint in the actor's scope, or NotFound — the same answer whether it exists or not."""
    queryset = Complaint.objects.visible_to(actor)
    if for_update:
        queryset = queryset.select_for_update()
    complaint = queryset.filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("No such complaint."))
    return complaint


def available_actions(*, actor: User, complaint: Complaint) -> list[workflow.Transition]:
    """The workflow's actions this actor may take on the complaint now (pages and API show them)."""
    if not has_capability(actor, Capability.VIEW):
        return []
    return [
        t
        for t in workflow.available(complaint.status, actor.role, is_admin=actor.is_kesu_admin)
        if _refusal(actor, complaint, t) is None
    ]


def _refusal(actor: User, complaint: Complaint, transition: workflow.Transition) -> workflow.Refusal | None:
    return workflow.refusal(
        transition,
        severity=complaint.severity,
        rung=complaint.escalation_rung,
        role=actor.role,
        is_admin=actor.is_kesu_admin,
    )


def guarded_actions(*, actor: User, complaint: Complaint) -> list[tuple[workflow.Transition, str]]:
    """Actions the actor's role could take now that a guard of the table refuses them, with the
    reason (the page shows it beside the actions, so nobody wonders where "Close" went)."""
    if not has_capability(actor, Capability.VIEW):
        return []
    refused = []
    for t in workflow.available(complaint.status, actor.role, is_admin=actor.is_kesu_admin):
        reason = _refusal(actor, complaint, t)
        if reason is not None:
            refused.append((t, reason.message))
    return refused


def complaints_of_customer(*, actor: User, customer_id: int) -> ComplaintQuerySet:
    """The customer's complaints the actor may see, newest first."""
    return Complaint.objects.visible_to(actor).filter(customer_id=customer_id).order_by("-received_at")


def crisis_alerted(complaint_id: int) -> bool:
    """Whether the crisis ladder was told of this complaint already (its timeline says so)."""
    return TimelineEntry.objects.filter(
        complaint_id=complaint_id, kind=EventKind.ESCALATION, changes__has_key="crisis"
    ).exists()
