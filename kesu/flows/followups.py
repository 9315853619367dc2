"""A follow-up call's outcome across apps: the follow-up itself (kesu.followups), the SMS sent
instead of a call (the language guard, ``GuardContext.SMS``, and the outbox), the revisit clock
of a complaint (kesu.sla), a lukewarm revisit reopening the complaint or opening a linked one
(the workflow, kesu.flows.transitions / registration), the service manager told (the outbox).
One transaction: a refusal anywhere leaves nothing half-saved."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.calls.choices import CallDirection, CallPurpose
from kesu.calls.services import CallInput
from kesu.complaints.choices import Satisfaction, Status
from kesu.complaints.inputs import ComplaintDraft
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError
from kesu.customers.models import Customer
from kesu.followups import selectors as followup_selectors
from kesu.followups import services as followup_services
from kesu.followups.choices import FollowUpKind, LukewarmAction, Result
from kesu.followups.models import FollowUp
from kesu.language.choices import GuardContext
from kesu.language.services import guard_customer_text
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.organizations.selectors import RoleHolders
from kesu.sla import services as sla_services
from kesu.sla.choices import ClockKind
from kesu.sla.models import Clock

from .calls import log_call
from .registration import create_complaint
from .transitions import transition


@transaction.atomic
def record_outcome(*, actor: User, followup_id: int, data: followup_services.OutcomeInput) -> FollowUp:
    """Record what a follow-up call brought (or the SMS / letter instead of a fourth call)."""
    pending = followup_services.check_outcome(actor=actor, followup_id=followup_id, data=data)
    followup = pending.followup
    complaint = Complaint.objects.get(pk=followup.complaint_id) if followup.complaint_id else None
    if pending.sms_text:
        try:
            guard_customer_text(
                actor=actor, text=pending.sms_text, context=GuardContext.SMS, complaint=complaint
            )
        except DomainError as exc:
            exc.fields = {"sms_text": exc.message}
            raise
    revisit = followup.kind == FollowUpKind.REVISIT and complaint is not None
    if revisit and pending.reached:
        _record_revisit(actor, complaint, pending)  # type: ignore[arg-type]
    now = timezone.now()
    followup = followup_services.apply_outcome(actor=actor, pending=pending, at=now)
    if data.result in (Result.REACHED, Result.NOT_REACHED):
        _log_call(actor, followup, pending, now)
    if pending.lukewarm and complaint is not None:
        _lukewarm(actor, complaint, followup, pending)
    return followup


def _log_call(
    actor: User, followup: FollowUp, pending: followup_services.PendingOutcome, at: datetime
) -> None:
    """The call is in the call log too (kesu.calls: outbound, linked to the follow-up); the
    complaint's timeline has the follow-up's own entry, so the call is not linked to it again."""
    customer = Customer.objects.get(pk=followup.customer_id)
    data = pending.data
    said = data.comment if pending.reached else data.note
    call = log_call(
        actor=actor,
        data=CallInput(
            number=customer.mobile,
            purpose=CallPurpose.ENQUIRY,
            direction=CallDirection.OUTBOUND,
            at=at,
            customer_id=customer.pk,
            customer_said=said.strip(),
            followup_id=followup.pk,
            dealer_id=followup.dealer_id,
        ),
    )
    followup_services.link_call(followup=followup, call_id=call.pk)


def _record_revisit(actor: User, complaint: Complaint, pending: followup_services.PendingOutcome) -> None:
    """The revisit call was made: the revisit clock stops (sla), unless it has stopped already
    (recorded from the complaint page, or the complaint reopened since)."""
    running = Clock.objects.filter(complaint=complaint, kind=ClockKind.REVISIT, stopped_at__isnull=True)
    if not running.exists():
        return
    data = pending.data
    note = _("Revisit call: %(satisfaction)s.") % {"satisfaction": Satisfaction(data.satisfaction).label}
    if data.comment.strip():
        note += " " + data.comment.strip()
    try:
        sla_services.record_revisit(
            actor=actor, complaint_id=complaint.pk, note=note, reason=data.early_reason
        )
    except DomainError as exc:
        if "reason" in exc.fields:  # the revisit is early: the outcome's field is early_reason
            exc.fields = {"early_reason": exc.fields["reason"]}
        raise


def _lukewarm(
    actor: User, complaint: Complaint, followup: FollowUp, pending: followup_services.PendingOutcome
) -> None:
    """一般 / 不满意, or the problem not solved: back to work — the complaint reopened (default) or
    a new one linked to it, per the dealer's policy — and the service manager told."""
    data = pending.data
    said = Satisfaction(data.satisfaction).label
    unsolved = pending.answers.get("problem_solved") == "no"
    reason = _("Revisit call: the customer is %(satisfaction)s%(unsolved)s.") % {
        "satisfaction": said,
        "unsolved": _("; the problem is not solved") if unsolved else "",
    }
    if data.comment.strip():
        reason += " " + data.comment.strip()
    action = followup_selectors.lukewarm_action(complaint.dealer_id)
    target = complaint
    if action == LukewarmAction.LINKED:
        target = create_complaint(
            actor=actor,
            draft=ComplaintDraft(
                customer_id=complaint.customer_id,
                vehicle_id=complaint.vehicle_id,
                channel="phone",
                verbatim=data.comment.strip() or reason,
                facts=_("Opened from the revisit of complaint %(number)s: %(reason)s")
                % {"number": complaint.number, "reason": reason},
                category=complaint.category,
            ),
        )
        done = _("A linked complaint %(number)s was opened.") % {"number": target.number}
    elif complaint.status in (Status.CLOSED, Status.REFUSED):
        target = transition(
            actor=actor, complaint_id=complaint.pk, action="reopen", inputs={"reason": reason}
        )
        done = _("The complaint was reopened.")
    else:
        done = _("The complaint is being handled again already.")
    managers = RoleHolders().holding(complaint.dealer_id, Role.SERVICE_MANAGER)
    notify(
        recipients=managers,
        kind=Kind.ESCALATION,
        title=_("Lukewarm revisit of %(number)s: %(satisfaction)s")
        % {"number": complaint.number, "satisfaction": said},
        body=f"{reason}\n{done}",
        key=f"followup:{followup.pk}:lukewarm",
        complaint_id=target.pk,
    )
