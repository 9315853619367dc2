"""A workflow action: checked by the table, what it tells the customer guarded, the clocks moved."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from kesu.complaints import services as complaint_services
from kesu.complaints import workflow
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError
from kesu.language.choices import GuardContext
from kesu.language.services import guard_customer_text
from kesu.organizations.models import User
from kesu.sla import services as sla_services

from . import ladder


@transaction.atomic
def transition(
    *,
    actor: User,
    complaint_id: int,
    action: str,
    inputs: dict[str, Any],
    expected_version: int | None = None,
) -> Complaint:
    """Move a complaint along the workflow table — for pages, the API and tasks alike.

    The complaints service checks the action (404, 422, 403, 409); the texts it says to the
    customer pass the forbidden-phrase guard; then it is applied (409 if stale) and the clocks
    it concerns stop or start, all in one transaction.
    """
    pending = complaint_services.prepare_transition(
        actor=actor, complaint_id=complaint_id, action=action, inputs=inputs
    )
    _guard_said_to_customer(actor, pending, inputs.get(workflow.GUARD_OVERRIDE_REASON))
    now = timezone.now()
    before_rung = pending.complaint.escalation_rung
    complaint = complaint_services.apply_transition(
        actor=actor, pending=pending, at=now, expected_version=expected_version
    )
    sla_services.after_transition(complaint, action=pending.effect_action, actor=actor, at=now)
    ladder.after_move(complaint, pending=pending, actor=actor, before_rung=before_rung)
    return complaint


def _guard_said_to_customer(
    actor: User, pending: complaint_services.PendingTransition, override_reason: object
) -> None:
    """The plan explained to the customer (the agreement text) and the reason a case is refused
    go to the customer: the guard checks them like a reply (422 naming the field, unless an
    override reason is given and logged)."""
    for name in pending.step.said:
        text = pending.inputs.get(name)
        if not text:
            continue
        try:
            guard_customer_text(
                actor=actor,
                text=str(text),
                override_reason=override_reason if isinstance(override_reason, str) else None,
                context=GuardContext.AGREEMENT if name == workflow.PLAN else GuardContext.OTHER,
                complaint=pending.complaint,
            )
        except DomainError as exc:
            exc.fields = {name: exc.message}
            raise
