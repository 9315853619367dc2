"""PR's statements on a crisis: drafted and approved, their words guarded (kesu.language).

A statement is said to everyone, like a letter template: a forbidden phrase is refused outright
(422 ``forbidden_phrase`` naming ``text``), with no override — checked on the draft, and again on
approval in case the dealer's list changed since.
"""

from django.db import transaction

from kesu.carmaker import services as carmaker_services
from kesu.carmaker.choices import StatementDecision
from kesu.carmaker.models import Statement
from kesu.complaints.models import Complaint
from kesu.language.services import ForbiddenPhraseError, check_text
from kesu.language.services.guard import describe_hits
from kesu.organizations.models import User


def _guard(complaint: Complaint, text: str) -> None:
    result = check_text(organization_id=complaint.dealer_id, text=text)
    if not result.ok:
        message = describe_hits(result)
        raise ForbiddenPhraseError(message, fields={"text": message})


@transaction.atomic
def draft_statement(*, actor: User, complaint_id: int, text: str) -> Statement:
    complaint, text = carmaker_services.prepare_statement(actor=actor, complaint_id=complaint_id, text=text)
    _guard(complaint, text)
    return carmaker_services.save_statement(actor=actor, complaint=complaint, text=text)


@transaction.atomic
def decide_statement(*, actor: User, statement_id: int, decision: str, comment: str = "") -> Statement:
    statement, comment = carmaker_services.prepare_decision(
        actor=actor, statement_id=statement_id, decision=decision, comment=comment
    )
    if decision == StatementDecision.APPROVE:
        _guard(statement.complaint, statement.text)
    return carmaker_services.apply_decision(
        actor=actor, statement=statement, decision=decision, comment=comment
    )
