"""Approvals across apps: an approver decides a step; when the last step approves, the subject
is approved (a countermeasure option proposed to the customer, kesu.flows.resolutions) and the
money and gifts it promises become tasks for finance (财务部) and administration (行政). A
rejection or a send-back hands the option back to its author. One transaction: a failure
anywhere leaves the request undecided.
"""

from decimal import Decimal

from django.db import transaction

from kesu.approvals import services as approval_services
from kesu.approvals.choices import RequestStatus
from kesu.approvals.models import ApprovalRequest, PaymentTask
from kesu.organizations.models import User
from kesu.resolutions.models import OptionLine

from . import resolutions

OPTION = "resolutions.option"


def _amounts(request: ApprovalRequest) -> dict[str, Decimal]:
    """Remedy → amount: as the request recorded them, else from the option's lines."""
    if request.amounts:
        return {code: Decimal(value) for code, value in request.amounts.items()}
    if request.subject_model != OPTION:
        return {}
    found: dict[str, Decimal] = {}
    for remedy, amount in OptionLine.objects.filter(option_id=request.subject_id).values_list(
        "remedy", "amount"
    ):
        found[remedy] = found.get(remedy, Decimal(0)) + amount
    return found


def decide(*, actor: User, request_id: int, decision: str, comment: str) -> ApprovalRequest:
    """The current step's approver decides (see approvals.services.decide for who may, and the
    409s); the last approval proposes the option and opens the payment and gift tasks."""
    with transaction.atomic():
        request = approval_services.decide(
            actor=actor, request_id=request_id, decision=decision, comment=comment
        )
        if request.subject_model == OPTION:
            if request.status == RequestStatus.APPROVED:
                resolutions.propose_approved_option(
                    actor=actor, option_id=request.subject_id, request_id=request.pk
                )
            elif request.status in (RequestStatus.REJECTED, RequestStatus.SENT_BACK):
                resolutions.approval_refused(
                    actor=actor, option_id=request.subject_id, request_id=request.pk, reason=comment
                )
        if request.status == RequestStatus.APPROVED:
            approval_services.open_tasks(request=request, amounts=_amounts(request))
    return request


def complete_task(*, actor: User, task_id: int, voucher: str, note: str = "") -> PaymentTask:
    """Finance paid (voucher number) or administration handed the gift over."""
    return approval_services.complete_task(actor=actor, task_id=task_id, voucher=voucher, note=note)
