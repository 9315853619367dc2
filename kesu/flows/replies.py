"""A reply to the customer: guarded and stored by the language app, then the 2-hour clock."""

from django.db import transaction

from kesu.language import services as language_services
from kesu.language.choices import ReplyChannel
from kesu.language.models import CustomerReply
from kesu.organizations.models import User
from kesu.sla import services as sla_services


@transaction.atomic
def send_reply(
    *,
    actor: User,
    complaint_id: int,
    text: str,
    channel: str = ReplyChannel.PHONE,
    override_reason: str | None = None,
    template_id: int | None = None,
    objection_nature: str = "",
    objection_content: str = "",
) -> CustomerReply:
    """Record a reply given to the customer (after the forbidden-phrase guard: 422 until
    rephrased or overridden with a logged reason); the first one stops the first-reply clock."""
    reply = language_services.send_reply(
        actor=actor,
        complaint_id=complaint_id,
        text=text,
        channel=channel,
        override_reason=override_reason,
        template_id=template_id,
        objection_nature=objection_nature,
        objection_content=objection_content,
    )
    sla_services.record_first_reply(complaint=reply.complaint, actor=actor, at=reply.sent_at)
    return reply
