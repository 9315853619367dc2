"""The written answer (书面答复): checked, guarded, sent, recorded — and the 7-day clock stopped.

Seed 002: the decision is told to the customer in writing within 7 days. What stops that clock
is the letter reaching the customer (printed and handed over, by post, or by SMS or email through
the outbox), not the department typing a plan.
"""

from django.db import transaction
from django.utils import timezone

from kesu.documents import services as document_services
from kesu.documents.models import LetterTemplate, WrittenAnswer
from kesu.language.choices import GuardContext
from kesu.language.services import ForbiddenPhraseError, check_text, guard_customer_text
from kesu.language.services.guard import describe_hits
from kesu.notifications import outbox
from kesu.organizations.models import User
from kesu.sla import services as sla_services


@transaction.atomic
def send_written_answer(
    *,
    actor: User,
    complaint_id: int,
    channel: str,
    text: str | None = None,
    email: str = "",
    address: str = "",
    override_reason: str | None = None,
) -> WrittenAnswer:
    """Send the written answer: the complaint in scope (404), the role (403), the channel and its
    address, no blanks left (422 naming the field); the forbidden-phrase guard on the letter (422
    ``forbidden_phrase`` unless overridden with a logged reason); SMS and email queued in the
    outbox, printed and posted letters recorded as handed over now; the record and its timeline
    entry; the decision clock stopped — all in one transaction."""
    prepared = document_services.prepare_answer(
        actor=actor, complaint_id=complaint_id, channel=channel, text=text, email=email, address=address
    )
    result = guard_customer_text(
        actor=actor,
        text=prepared.text,
        override_reason=override_reason,
        context=GuardContext.SMS if channel == "sms" else GuardContext.REPLY,
        complaint=prepared.complaint,
    )
    now = timezone.now()
    delivery_id = None
    if document_services.uses_outbox(prepared.channel):
        delivery = outbox.send_to_address(
            channel=prepared.channel,
            target=prepared.target,
            subject=f"{prepared.title} {prepared.complaint.number}",
            body=prepared.text,
            key=f"written-answer:{prepared.complaint.pk}:{now.timestamp():.6f}",
        )
        delivery_id = delivery.pk
    override = getattr(result, "override", None)
    answer = document_services.record_answer(
        actor=actor,
        prepared=prepared,
        at=now,
        delivery_id=delivery_id,
        override_id=override.pk if override is not None else None,
    )
    sla_services.record_written_answer(complaint=prepared.complaint, at=now)
    return answer


@transaction.atomic
def save_letter_template(
    *, actor: User, title: str, body: str, organization_id: int | None = None
) -> LetterTemplate:
    """A dealer's letter template: its words must pass the dealer's forbidden-phrase list (no
    override: a template is said to every customer)."""
    dealer_id = document_services.editable_template_dealer(actor, organization_id)
    title, body = document_services.check_template_text(title=title, body=body)
    result = check_text(organization_id=dealer_id, text=f"{title}\n{body}")
    if not result.ok:
        message = describe_hits(result)
        raise ForbiddenPhraseError(message, fields={"body": message})
    return document_services.save_template(actor=actor, dealer_id=dealer_id, title=title, body=body)
