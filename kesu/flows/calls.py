"""The call log's use cases: a call logged after the guard on what was said to the customer, and
a call turned into a complaint in one step (the caller's words kept as the verbatim)."""

from dataclasses import dataclass, field

from django.db import transaction

from kesu.calls import services as call_services
from kesu.calls.models import Call
from kesu.calls.services import CallInput
from kesu.complaints.choices import Channel, Severity
from kesu.complaints.models import Complaint
from kesu.complaints.services import ComplaintDraft
from kesu.core.errors import InvalidInput
from kesu.customers.services import VehicleInput
from kesu.language import services as language_services
from kesu.language.choices import GuardContext
from kesu.organizations.models import User

from .registration import intake_for_caller


def _guard_reply(actor: User, data: CallInput) -> None:
    complaint = None
    if data.complaint_id is not None:
        complaint = Complaint.objects.visible_to(actor).filter(pk=data.complaint_id).first()
    try:
        language_services.guard_customer_text(
            actor=actor,
            text=data.reply,
            override_reason=data.override_reason or None,
            context=GuardContext.CALL_NOTE,
            complaint=complaint,
        )
    except language_services.ForbiddenPhraseError as exc:
        result = language_services.check_for(actor=actor, text=data.reply)
        hits = [
            {
                "phrase": hit.phrase,
                "matched": hit.matched,
                "start": hit.start,
                "end": hit.end,
                "suggestion": hit.suggestion,
            }
            for hit in result.hits
        ]
        raise language_services.ForbiddenPhraseError(
            exc.message, fields={"reply": exc.message}, details={"hits": hits}
        ) from exc
    except InvalidInput as exc:  # too long to check, a reason too long: the call's own fields
        fields = {("reply" if name == "text" else name): text for name, text in exc.fields.items()}
        raise InvalidInput(exc.message, fields=fields, code=exc.code) from exc


@transaction.atomic
def log_call(*, actor: User, data: CallInput) -> Call:
    """Log a call (``calls.services.record_call``) after the forbidden-phrase guard on the
    reply (GuardContext.CALL_NOTE): a flagged reply is refused (422 ``forbidden_phrase`` naming
    ``reply`` with the phrases and what to say instead) unless ``data.override_reason`` is given, and
    then the override is logged. kesu.followups logs its calls through here."""
    if data.reply.strip():
        _guard_reply(actor, data)
    return call_services.record_call(actor=actor, data=data)


@dataclass(kw_only=True)
class ConversionInput:
    """What the agent adds when a call becomes a complaint. ``confirm``: a call not logged as 抱怨
    becomes one only when confirmed. For a caller who is not yet a customer: ``name`` (else the
    call's caller name) and the consent answers (asked, never assumed)."""

    confirm: bool = False
    name: str = ""
    consent_sms: bool | None = None
    consent_calls: bool | None = None
    category: str = ""
    nature: str = ""
    emotion: str = ""
    severity: str = Severity.NORMAL.value
    facts: str = ""
    demands: list[str] = field(default_factory=list)
    department_id: int | None = None
    assignee_id: int | None = None


@transaction.atomic
def call_to_complaint(*, actor: User, call_id: int, data: ConversionInput) -> Complaint:
    """The call becomes a complaint in one step: channel phone, received at the call's time,
    the caller's words as the verbatim, the call's customer (or a new one from its number and
    the name given) and plate. The call is linked and the complaint's timeline says
    "由来电记录转为客诉". A call converted (or on a complaint) already → 409; nothing is half-saved."""
    call = call_services.call_for_conversion(actor=actor, call_id=call_id, confirm=data.confirm)
    draft = ComplaintDraft(
        customer_id=call.customer_id or 0,
        channel=Channel.PHONE,
        verbatim=call.customer_said,
        facts=data.facts,
        emotion=data.emotion,
        category=data.category,
        nature=data.nature,
        severity=data.severity,
        demands=list(data.demands),
        department_id=data.department_id,
        assignee_id=data.assignee_id,
        received_at=call.at,
    )
    vehicle = VehicleInput(plate=call.plate) if call.plate else None
    if call.customer_id is not None:
        found = intake_for_caller(actor=actor, draft=draft, vehicle=vehicle)
    else:
        new_customer = {
            "name": data.name.strip() or call.caller_name,
            "mobile": call.number,
            "dealer_id": call.dealer_id,
            "consent_sms": data.consent_sms,
            "consent_calls": data.consent_calls,
            "vehicle": vehicle,
        }
        found = intake_for_caller(actor=actor, draft=draft, new_customer=new_customer)
    call_services.mark_converted(actor=actor, call=call, complaint=found.complaint)
    return found.complaint
