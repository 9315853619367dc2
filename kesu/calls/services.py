"""The call log's rules: record a call (validated, the customer found by number within the
dealer, a callback task for an absent colleague, the complaint's timeline), prepare and mark a
call's conversion into a complaint, and the call audit (电访稽核): sample, score, monthly scores.

For other apps (kesu.followups links its calls here)::

    from kesu.flows.calls import log_call          # from a flow, a page or an endpoint
    from kesu.calls.services import CallInput

    call = log_call(actor=agent, data=CallInput(number=..., purpose="enquiry",
                    direction="outbound", reply=..., duration_seconds=..., followup_id=f.pk))

``kesu.flows.calls.log_call`` runs the language guard on the reply (GuardContext.CALL_NOTE)
and then :func:`record_call` in one transaction. Another app's services cannot import this
module (import-linter: services never import one another): compose it in ``kesu/flows/``.
:func:`record_call` itself does not guard the reply — call it directly only where the reply was
already checked.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError, Forbidden, invalid, not_one_of, raise_if
from kesu.core.months import month_bounds
from kesu.core.validators import normalize_mobile, normalize_plate, too_long
from kesu.customers.models import Customer
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id
from kesu.worklist import items
from kesu.worklist.choices import WorkKind

from .choices import AUDIT_ITEMS, FOR_SOMEONE, MAX_POINTS, CallDirection, CallPurpose
from .models import Call, CallAudit
from .selectors import customer_with_number, get_audit, get_call, local_day_start

MAX_TEXT = 5000  # what the customer said, the reply: a whole call's notes
MAX_NAME = 60
MAX_DURATION = 6 * 3600  # seconds; a longer "call" is a typo
CLOCK_SKEW = timedelta(minutes=5)  # a call "in the future" by a clock's drift is accepted
CALLBACK_WITHIN = timedelta(hours=2)  # 二·三·七: a message is answered within 2 hours
MAX_PER_AGENT = 50
MAX_SAMPLE_DAYS = 366
MAX_COMMENT = 2000


class AlreadyConverted(DomainError):
    """The call already became (or is already on) a complaint: one call, one complaint."""

    status = 409
    code = "already_converted"


@dataclass(kw_only=True)
class CallInput:
    """One call as the desk logs it (电话记录单 / 留言卡). Choice fields hold stable values:
    ``purpose`` one of CallPurpose (find_person 找人, appointment 预约, message 留言, enquiry 咨询,
    complaint 抱怨), ``direction`` inbound or outbound."""

    number: str
    purpose: str
    direction: str = CallDirection.INBOUND.value
    at: datetime | None = None  # when the call was taken; default now
    caller_name: str = ""
    plate: str = ""
    customer_said: str = ""  # the caller's own words, not an interpretation
    reply: str = ""  # what was said to the customer (guarded by the flow)
    duration_seconds: int = 0
    customer_id: int | None = None  # picked on the form; else found by number within the dealer
    for_user_id: int | None = None  # 留言 / 找人: the colleague the message is for
    complaint_id: int | None = None  # a call about this complaint (shown on its timeline)
    callback_for_id: int | None = None  # this call returns the message of that call
    followup_id: int | None = None  # kesu.followups: the follow-up this call belongs to
    dealer_id: int | None = None  # only for users without a dealer of their own (admin)
    override_reason: str = ""  # keep a reply the guard flagged: the logged reason


def _dealer_for(actor: User, dealer_id: int | None, *, field_name: str = "dealer_id") -> Organization:
    """The desk a call or an audit belongs to: the actor's own dealer, or (for an administrator
    or a region manager) one named in their scope."""
    own = user_dealer_id(actor)
    if own is not None:
        if dealer_id not in (None, own):
            raise invalid(field_name, _("You can only work for your own dealer."))
        dealer_id = own
    if dealer_id is None:
        raise invalid(field_name, _("Choose the dealer."))
    scope = scope_for(actor)
    dealer = Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).first()
    if dealer is None or not (scope.everything or dealer.pk in scope.dealer_ids):
        raise invalid(field_name, _("No such dealer in your scope."))
    return dealer


def _colleague(user_id: int, dealer_id: int) -> User | None:
    user = User.objects.filter(pk=user_id, is_active=True).select_related("organization").first()
    return user if user is not None and user_dealer_id(user) == dealer_id else None


def _check_text(errors: dict[str, str], name: str, value: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors[name] = too_long(limit)
    return value


def _clean(data: CallInput, errors: dict[str, str]) -> dict[str, Any]:
    """The call's fields validated and normalised; every mistake named in ``errors``."""
    values: dict[str, Any] = {}
    try:
        values["number"] = normalize_mobile(data.number)
    except ValueError as exc:
        errors["number"] = str(exc)
    if data.purpose not in CallPurpose.values:
        errors["purpose"] = not_one_of(data.purpose, CallPurpose.values)
    if data.direction not in CallDirection.values:
        errors["direction"] = not_one_of(data.direction, CallDirection.values)
    if isinstance(data.duration_seconds, bool) or not isinstance(data.duration_seconds, int):
        errors["duration_seconds"] = _("Give the duration in whole seconds.")
    elif data.duration_seconds < 0:
        errors["duration_seconds"] = _("A duration cannot be negative.")
    elif data.duration_seconds > MAX_DURATION:
        errors["duration_seconds"] = _("At most %(n)d seconds (6 hours).") % {"n": MAX_DURATION}
    at = data.at or timezone.now()
    if timezone.is_naive(at):
        errors["at"] = _("Give the time with its time zone.")
    elif at > timezone.now() + CLOCK_SKEW:
        errors["at"] = _("A call cannot be in the future.")
    values["at"] = at
    values["caller_name"] = _check_text(errors, "caller_name", data.caller_name, MAX_NAME)
    values["customer_said"] = _check_text(errors, "customer_said", data.customer_said)
    values["reply"] = _check_text(errors, "reply", data.reply)
    values["plate"] = ""
    if data.plate.strip():
        try:
            values["plate"] = normalize_plate(data.plate)
        except ValueError as exc:
            errors["plate"] = str(exc)
    if data.purpose == CallPurpose.COMPLAINT and not str(values["customer_said"]):
        errors["customer_said"] = _("Write down what the customer said, in their own words.")
    return values


@transaction.atomic
def record_call(*, actor: User, data: CallInput) -> Call:
    """Log one call. The customer is the one picked (``customer_id``, the dealer's, in scope) or
    the dealer's customer with this number. A message (留言) or a call asking for someone (找人)
    ``for`` a colleague of the dealer opens a callback task for them (due in 2 hours); an
    outbound call that returns such a message (``callback_for_id``, or the taker's own open
    message from this number) closes it. A call on a complaint is written on its timeline.
    Invalid input → InvalidInput naming every wrong field; nothing is saved.

    The reply is NOT guarded here: ``kesu.flows.calls.log_call`` guards it, then calls this.
    ``data.override_reason`` is only stored with the call (the guard logged the override)."""
    if not has_capability(actor, Capability.LOG_CALLS):
        raise Forbidden(_("Your role cannot log calls."))
    dealer = _dealer_for(actor, data.dealer_id)
    errors: dict[str, str] = {}
    values = _clean(data, errors)
    number = str(values.get("number", ""))

    customer: Customer | None = None
    if data.customer_id is not None:
        customer = Customer.objects.visible_to(actor).filter(pk=data.customer_id, dealer_id=dealer.pk).first()
        if customer is None:
            errors["customer_id"] = _("No such customer at this dealer.")
    complaint: Complaint | None = None
    if data.complaint_id is not None:
        complaint = (
            Complaint.objects.visible_to(actor).filter(pk=data.complaint_id, dealer_id=dealer.pk).first()
        )
        if complaint is None:
            errors["complaint_id"] = _("No such complaint at this dealer.")
    for_user: User | None = None
    if data.for_user_id is not None:
        for_user = _colleague(data.for_user_id, dealer.pk)
        if for_user is None:
            errors["for_user_id"] = _("Choose a colleague at this dealer.")
        elif data.purpose in CallPurpose.values and data.purpose not in FOR_SOMEONE:
            errors["for_user_id"] = _("Only a message or a call asking for someone is for a colleague.")
    elif data.purpose == CallPurpose.MESSAGE:
        errors["for_user_id"] = _("Whom is the message for? Choose the colleague.")
    callback_for: Call | None = None
    if data.callback_for_id is not None:
        callback_for = Call.objects.filter(
            pk=data.callback_for_id, dealer_id=dealer.pk, for_user__isnull=False
        ).first()
        if callback_for is None:
            errors["callback_for_id"] = _("No message for a colleague with this number at this dealer.")
        elif data.direction == CallDirection.INBOUND:
            errors["direction"] = _("Calling a customer back is an outbound call.")
    raise_if(errors)

    if customer is None and complaint is not None:
        customer = complaint.customer
    if customer is None:
        customer = customer_with_number(dealer_id=dealer.pk, number=number)
    if callback_for is None and data.direction == CallDirection.OUTBOUND:
        # the colleague calls back the number of a message left for them: that message is done
        callback_for = (
            Call.objects.filter(
                dealer_id=dealer.pk,
                number=number,
                for_user=actor,
                purpose__in=FOR_SOMEONE,
                callbacks__isnull=True,
            )
            .order_by("-at")
            .first()
        )
    call = Call.objects.create(
        dealer=dealer,
        at=values["at"],
        direction=data.direction,
        number=number,
        customer=customer,
        caller_name=values["caller_name"] or (customer.name if customer else ""),
        plate=values["plate"],
        purpose=data.purpose,
        customer_said=values["customer_said"],
        reply=values["reply"],
        override_reason=data.override_reason.strip()[:500],
        duration_seconds=data.duration_seconds,
        taken_by=actor,
        for_user=for_user if data.purpose in FOR_SOMEONE else None,
        callback_for=callback_for,
        complaint=complaint,
        followup_id=data.followup_id,
    )
    if complaint is not None:
        _on_timeline(call, complaint, actor)
    if call.for_user_id is not None:
        _open_callback(call)
    if callback_for is not None:
        items.close_item(
            ref_model=items.ref_of(callback_for), ref_id=callback_for.pk, kind=WorkKind.CALLBACK, by=actor
        )
    return call


def _on_timeline(call: Call, complaint: Complaint, actor: User, *, converted: bool = False) -> None:
    events.record_call(
        complaint,
        actor,
        call_id=call.pk,
        direction=call.direction,
        purpose=call.purpose,
        duration_seconds=call.duration_seconds,
        said=call.customer_said,
        reply=call.reply,
        converted=converted,
    )


def _open_callback(call: Call) -> None:
    subject = _("Call back %(who)s %(number)s: %(said)s") % {
        "who": call.caller_name,
        "number": call.number_masked,
        "said": call.customer_said[:80],
    }
    items.open_item(
        dealer_id=call.dealer_id,
        kind=WorkKind.CALLBACK,
        due_at=call.at + CALLBACK_WITHIN,
        subject=" ".join(subject.split()),
        ref_model=items.ref_of(call),
        ref_id=call.pk,
        assignee_id=call.for_user_id,
        complaint_id=call.complaint_id,
        customer_id=call.customer_id,
    )


# --- a call becomes a complaint -----------------------------------------------------------------


def call_for_conversion(*, actor: User, call_id: int, confirm: bool = False) -> Call:
    """The call, locked, once it may become a complaint: in scope (404), by a role that
    registers complaints (403), not converted or linked yet (409 ``already_converted``),
    logged as 抱怨 — another purpose only when the agent ``confirm``s (422 naming ``confirm``) —
    and with the caller's words to keep as the verbatim (422 naming ``customer_said``)."""
    call = get_call(actor=actor, call_id=call_id, for_update=True)
    if not has_capability(actor, Capability.CREATE_COMPLAINT):
        raise Forbidden(_("Your role cannot register complaints."))
    if call.complaint_id is not None:
        message = (
            _("This call already became complaint #%(id)s.")
            if call.converted_at
            else _("This call is already on complaint #%(id)s.")
        ) % {"id": call.complaint_id}
        raise AlreadyConverted(message, details={"complaint_id": call.complaint_id})
    if call.purpose != CallPurpose.COMPLAINT and not confirm:
        raise invalid(
            "confirm",
            _("This call was not logged as a complaint: confirm that the caller is complaining."),
        )
    if not call.customer_said.strip():
        raise invalid("customer_said", _("The call has no words of the customer to keep as the complaint."))
    return call


def mark_converted(*, actor: User, call: Call, complaint: Complaint) -> Call:
    """Link the call to the complaint it became, and say so on the complaint's timeline."""
    call.complaint = complaint
    call.converted_at = timezone.now()
    call.customer_id = complaint.customer_id
    call.save(update_fields=["complaint", "converted_at", "customer"])
    _on_timeline(call, complaint, actor, converted=True)
    return call


# --- call audit (电访稽核) -----------------------------------------------------------------------


def may_audit(actor: User) -> None:
    if not has_capability(actor, Capability.AUDIT_CALLS):
        raise Forbidden(_("Only a service manager or the general manager audits calls."))


@transaction.atomic
def sample_calls(
    *,
    actor: User,
    date_from: date,
    date_to: date,
    per_agent: int,
    agent_id: int | None = None,
    dealer_id: int | None = None,
    rng: random.Random | None = None,
) -> list[CallAudit]:
    """A random sample of ``per_agent`` completed calls (connected: a duration above 0) of each
    agent in the period, not audited before and not the supervisor's own, opened for scoring.
    Two supervisors sampling at once never audit a call twice (the dealer row is locked)."""
    may_audit(actor)
    dealer = _dealer_for(actor, dealer_id)
    errors: dict[str, str] = {}
    if date_from > date_to:
        errors["date_to"] = _("The end of the period is before its start.")
    elif (date_to - date_from).days >= MAX_SAMPLE_DAYS:
        errors["date_to"] = _("At most a year at a time.")
    if date_from > timezone.localdate():
        errors["date_from"] = _("The period has not started yet.")
    if isinstance(per_agent, bool) or not 1 <= per_agent <= MAX_PER_AGENT:
        errors["per_agent"] = _("Between 1 and %(n)d calls per agent.") % {"n": MAX_PER_AGENT}
    if agent_id is not None and _colleague(agent_id, dealer.pk) is None:
        errors["agent_id"] = _("Choose a colleague at this dealer.")
    raise_if(errors)
    Organization.objects.select_for_update().filter(pk=dealer.pk).first()
    calls = Call.objects.filter(
        dealer_id=dealer.pk,
        at__gte=local_day_start(date_from),
        at__lt=local_day_start(date_to + timedelta(days=1)),
        duration_seconds__gt=0,
        audit__isnull=True,
    ).exclude(taken_by=actor)
    if agent_id is not None:
        calls = calls.filter(taken_by_id=agent_id)
    by_agent: dict[int, list[tuple[int, datetime]]] = {}
    for pk, taker, at in calls.values_list("pk", "taken_by_id", "at").order_by("pk"):
        by_agent.setdefault(taker, []).append((pk, at))
    if not by_agent:
        raise invalid("date_from", _("No completed calls left to audit in this period."))
    chooser = rng or random.SystemRandom()
    audits = [
        CallAudit(call_id=pk, dealer=dealer, agent_id=taker, call_at=at, sampled_by=actor)
        for taker, rows in sorted(by_agent.items())
        for pk, at in chooser.sample(rows, min(per_agent, len(rows)))
    ]
    CallAudit.objects.bulk_create(audits)
    return list(
        CallAudit.objects.filter(call_id__in=[a.call_id for a in audits])
        .select_related("call", "agent")
        .order_by("agent_id", "call_at")
    )


@dataclass(kw_only=True)
class AuditScore:
    """The checklist: each item 0 (no), 1 (partly) or 2 (yes), and a comment."""

    greeting: int
    identity: int
    script_followed: int
    satisfaction_asked: int
    closing_courtesy: int
    comment: str = ""


@transaction.atomic
def score_audit(*, actor: User, audit_id: int, score: AuditScore) -> CallAudit:
    """Score a sampled call (again, if a supervisor corrects it): every item 0–2, named when
    wrong. Nobody scores their own call."""
    audit = get_audit(actor=actor, audit_id=audit_id, for_update=True)
    may_audit(actor)
    if audit.agent_id == actor.pk:
        raise Forbidden(_("Nobody audits their own calls."))
    errors: dict[str, str] = {}
    for item in AUDIT_ITEMS:
        value = getattr(score, item)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POINTS:
            errors[item] = _("0 (no), 1 (partly) or 2 (yes).")
    comment = _check_text(errors, "comment", score.comment, MAX_COMMENT)
    raise_if(errors)
    for item in AUDIT_ITEMS:
        setattr(audit, item, getattr(score, item))
    audit.comment = comment
    audit.scored_by = actor
    audit.scored_at = timezone.now()
    audit.save()
    return audit


@dataclass
class AgentScore:
    """One agent's audited calls in a month, for the monthly review (DCRC 月会)."""

    agent_id: int
    agent: str
    sampled: int
    scored: int
    average: float | None  # points of a scored call, out of 10
    percent: float | None  # average / 10 × 100
    items: dict[str, float | None] = field(default_factory=dict)  # average points per item (0–2)


def monthly_scores(*, actor: User, month: date, dealer_id: int | None = None) -> list[AgentScore]:
    """Per agent: calls sampled and scored in the month of the calls, the average points (out
    of 10) and each checklist item's average — the dealer's own, for its supervisors."""
    may_audit(actor)
    dealer = _dealer_for(actor, dealer_id)
    start, end = month_bounds(month)
    rows = (
        CallAudit.objects.filter(dealer_id=dealer.pk, call_at__gte=start, call_at__lt=end)
        .values("agent_id")
        .annotate(
            sampled=Count("pk"),
            scored=Count("pk", filter=Q(scored_at__isnull=False)),
            **{item: Avg(item, filter=Q(scored_at__isnull=False)) for item in AUDIT_ITEMS},
        )
        .order_by("agent_id")
    )
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r["agent_id"] for r in rows])}
    result = []
    for found in rows:
        row: dict[str, Any] = dict(found)
        per_item = {item: (round(row[item], 2) if row[item] is not None else None) for item in AUDIT_ITEMS}
        average = sum(row[item] for item in AUDIT_ITEMS) if row["scored"] else None
        result.append(
            AgentScore(
                agent_id=row["agent_id"],
                agent=names.get(row["agent_id"], str(row["agent_id"])),
                sampled=row["sampled"],
                scored=row["scored"],
                average=round(average, 2) if average is not None else None,
                percent=round(average * 100 / (MAX_POINTS * len(AUDIT_ITEMS)), 1)
                if average is not None
                else None,
                items=per_item,
            )
        )
    return sorted(result, key=lambda s: (-(s.average or -1), s.agent))
