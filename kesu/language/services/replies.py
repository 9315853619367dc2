"""Replies to the customer from the complaint page: guarded, stored, on the timeline."""

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import Forbidden, NotFound, one_of
from kesu.core.validators import too_long
from kesu.language.access import can_reply, list_owner_id
from kesu.language.choices import (
    GuardContext,
    ObjectionContent,
    ObjectionNature,
    ReplyChannel,
    ReplyStatus,
)
from kesu.language.models import CustomerReply, ReplyTemplate
from kesu.organizations.models import User

from .common import clean_text, invalid
from .guard import guard_customer_text
from .library import UNFILLED

MAX_REPLY = 2000


def list_replies(*, actor: User, complaint_id: int) -> QuerySet[CustomerReply]:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return CustomerReply.objects.filter(complaint=complaint).select_related("actor", "template")


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
    """Record a reply given to the customer, after the forbidden-phrase guard.

    Blocked (422 ``forbidden_phrase``) until rephrased or sent with an override reason, which
    is logged for the monthly review. The objection type it answered is counted for the library.
    The first-reply clock is the flow's business (``kesu.flows.replies.send_reply``).
    """
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not can_reply(actor):  # after scope: a stranger gets 404, not 403
        raise Forbidden(_("Your role cannot reply to customers."))
    cleaned = clean_text(text)
    errors: dict[str, str] = {}
    if not cleaned:
        errors["text"] = _("Write the reply.")
    elif len(cleaned) > MAX_REPLY:
        errors["text"] = too_long(MAX_REPLY)
    elif UNFILLED in cleaned:
        errors["text"] = _("Fill in where ×× stands before sending.")
    if channel not in ReplyChannel.values:
        errors["channel"] = one_of(ReplyChannel.values)
    if objection_nature not in ("", *ObjectionNature.values):
        errors["objection_nature"] = one_of(ObjectionNature.values)
    if objection_content not in ("", *ObjectionContent.values):
        errors["objection_content"] = one_of(ObjectionContent.values)
    organization_id = list_owner_id(actor) or complaint.dealer_id
    template = None
    if template_id is not None:
        template = ReplyTemplate.objects.filter(
            pk=template_id, organization_id=organization_id, status=ReplyStatus.APPROVED
        ).first()
        if template is None:
            errors["template_id"] = _("No such standard reply in your library.")
    if errors:
        raise invalid(errors)
    result = guard_customer_text(
        actor=actor,
        text=cleaned,
        override_reason=override_reason,
        context=GuardContext.REPLY,
        complaint=complaint,
    )
    if template is not None:
        ReplyTemplate.objects.filter(pk=template.pk).update(
            usage_count=F("usage_count") + 1, last_used_at=timezone.now()
        )
        objection_nature = objection_nature or template.objection_nature
        objection_content = objection_content or template.objection_content
    reply = CustomerReply.objects.create(
        complaint=complaint,
        organization_id=organization_id,
        text=cleaned,
        channel=channel,
        actor=actor,
        template=template,
        objection_nature=objection_nature,
        objection_content=objection_content,
        override=result.override,
    )
    events.record_reply(
        complaint,
        actor,
        text=cleaned,
        channel=str(ReplyChannel(channel).label),
        override_reason=result.override.reason if result.override else "",
    )
    return reply


def get_reply(*, actor: User, reply_id: int) -> CustomerReply:
    reply = CustomerReply.objects.filter(pk=reply_id).select_related("complaint").first()
    if reply is None:
        raise NotFound(_("No such reply."))
    get_complaint(actor=actor, complaint_id=reply.complaint_id)
    return reply
