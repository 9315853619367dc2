"""Proactive care (主动电访): working a care item across apps.

* an outcome: the item closed (care), the call logged in the call log (calls, through
  :func:`kesu.flows.calls.log_call`), an opt-out heard on the call written to the customer's
  consent (customers, logged on the customer's change log) and to care's consent log;
* an SMS to one item or to a day's list: the text guarded (``GuardContext.SMS``), sent through
  the outbox only to customers who agreed to SMS — the others are skipped and counted.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kesu.calls.choices import CallDirection, CallPurpose
from kesu.calls.services import CallInput
from kesu.care import services as care_services
from kesu.care.choices import CareChannel, CareOutcome, CareState
from kesu.care.models import CareItem
from kesu.care.services import OutcomeInput
from kesu.customers import services as customer_services
from kesu.customers.models import Customer
from kesu.language import services as language_services
from kesu.language.choices import GuardContext
from kesu.notifications import outbox
from kesu.notifications.choices import Channel
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from .calls import log_call


@transaction.atomic
def record_care_outcome(*, actor: User, item_id: int, data: OutcomeInput) -> CareItem:
    """Record a contact's outcome; a call is logged in the call log; each opt-out updates the
    customer's consent (version-checked, on their change log) and care's consent log."""
    item = care_services.record_outcome(actor=actor, item_id=item_id, data=data)
    customer = Customer.objects.select_for_update().get(pk=item.customer_id)
    if data.opt_out:
        changes = {care_services.OPT_OUT_FIELDS[what]: False for what in data.opt_out}
        customer_services.update_customer(
            actor=actor, customer_id=customer.pk, expected_version=customer.version, changes=changes
        )
        for field in changes:
            care_services.log_consent(
                actor=actor, customer_id=customer.pk, field=field, value=False, item_id=item.pk
            )
    if data.channel == CareChannel.CALL and has_capability(actor, Capability.LOG_CALLS) and customer.mobile:
        purpose = CallPurpose.APPOINTMENT if data.outcome == CareOutcome.BOOKED else CallPurpose.ENQUIRY
        log_call(
            actor=actor,
            data=CallInput(
                number=customer.mobile,
                purpose=purpose,
                direction=CallDirection.OUTBOUND,
                caller_name=customer.name,
                plate=item.vehicle.plate,
                customer_said=f"[{item.get_kind_display()}] {item.get_outcome_display()} {item.note}".strip(),
                customer_id=customer.pk,
                dealer_id=item.dealer_id,
            ),
        )
    return item


@dataclass
class SmsResult:
    sent: int
    skipped: int
    skipped_items: list[int]


def _guard(actor: User, text: str) -> str:
    text = care_services.check_sms_text(text)
    language_services.guard_customer_text(actor=actor, text=text, context=GuardContext.SMS)
    return text


def _send(actor: User, text: str, items: list[CareItem]) -> None:
    for item in items:
        outbox.send_to_address(
            channel=Channel.SMS,
            target=item.customer.mobile,
            subject=str(item.get_kind_display()),
            body=care_services.sms_body(text, item),
            key=f"care:{item.pk}",
        )
    care_services.mark_sms_sent(actor=actor, items=items)


@transaction.atomic
def send_list_sms(*, actor: User, kind: str, day: date, text: str) -> SmsResult:
    """One SMS per open item of the day's list (``kind``) to customers who agreed to SMS; the
    others are skipped (their items stay open for a call or a letter). The text passes the
    forbidden-phrase guard first (422 ``forbidden_phrase`` naming ``text``)."""
    care_services.parse_kind(kind)
    targets = care_services.sms_targets(actor=actor, kind=kind, day=day)
    text = _guard(actor, text)
    _send(actor, text, targets.send)
    return SmsResult(len(targets.send), len(targets.skipped), [i.pk for i in targets.skipped])


@transaction.atomic
def send_item_sms(*, actor: User, item_id: int, text: str) -> CareItem:
    """An SMS for one item: refused (422 naming ``consent_sms``) when the customer has not
    agreed to SMS; the text guarded; queued in the outbox; the item done."""
    item = care_services.get_item(actor=actor, item_id=item_id, for_update=True)
    care_services.day_list(actor=actor)  # the role may work care lists (403)
    care_services.refuse_sms_without_consent(item)
    text = _guard(actor, text)
    if item.state != CareState.OPEN:
        return item
    _send(actor, text, [item])
    return item
