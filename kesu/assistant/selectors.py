"""What other apps and the pages read of the assistant: is it on for a dealer, and its log."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden, NotFound
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from . import client as chat
from .models import AssistantExchange, AssistantSetting, ExchangeQuerySet


def is_enabled(dealer_id: int | None) -> bool:
    """On only when an endpoint is configured AND the dealer switched it on (off by default)."""
    if dealer_id is None or not chat.configured():
        return False
    return AssistantSetting.objects.filter(organization_id=dealer_id, enabled=True).exists()


def exchanges_for(
    *, actor: User, complaint_id: int | None = None, organization_id: int | None = None
) -> ExchangeQuerySet:
    """The log as the dealer's managers and the administrators read it, newest first."""
    if not has_capability(actor, Capability.CONFIGURE_ASSISTANT):
        raise Forbidden(_("Only the dealer's managers read the AI assistant's log."))
    rows = AssistantExchange.objects.visible_to(actor).select_related("user", "complaint", "organization")
    if complaint_id is not None:
        rows = rows.filter(complaint_id=complaint_id)
    if organization_id is not None:
        rows = rows.filter(organization_id=organization_id)
    return rows


def get_exchange(*, actor: User, exchange_id: int) -> AssistantExchange:
    try:
        return exchanges_for(actor=actor).get(pk=exchange_id)
    except ObjectDoesNotExist as exc:
        raise NotFound(_("No such exchange.")) from exc
