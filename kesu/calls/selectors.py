"""What pages, the API and other apps read of the call log: always through the actor's scope."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import NotFound, invalid, one_of
from kesu.core.validators import normalize_mobile
from kesu.customers.models import Customer
from kesu.organizations.models import User

from .choices import CallDirection, CallPurpose
from .models import Call, CallAudit


def get_call(*, actor: User, call_id: int, for_update: bool = False) -> Call:
    """A call in the actor's scope, or NotFound — the same answer whether it exists or not."""
    queryset = Call.objects.visible_to(actor)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    call = queryset.filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("No such call."))
    return call


def get_audit(*, actor: User, audit_id: int, for_update: bool = False) -> CallAudit:
    queryset = CallAudit.objects.visible_to(actor)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    audit = queryset.filter(pk=audit_id).first()
    if audit is None:
        raise NotFound(_("No such call audit."))
    return audit


def customer_with_number(*, dealer_id: int, number: str) -> Customer | None:
    """The dealer's customer with this (normalised) number, the oldest when there are two."""
    return Customer.objects.filter(dealer_id=dealer_id, mobile=number).order_by("pk").first()


def local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class CallFilters:
    date_from: date | None = None
    date_to: date | None = None
    purpose: str = ""
    direction: str = ""
    agent_id: int | None = None  # who took it
    customer_id: int | None = None
    number: str = ""  # the whole number, or its last four digits (尾号)
    complaint_id: int | None = None
    followup_id: int | None = None


def checked_filters(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    purpose: str = "",
    direction: str = "",
    agent_id: int | None = None,
    customer_id: int | None = None,
    number: str = "",
    complaint_id: int | None = None,
    followup_id: int | None = None,
) -> CallFilters:
    """The list's filters checked, each mistake naming its parameter (the API and the page)."""
    if purpose and purpose not in CallPurpose.values:
        raise invalid("purpose", one_of(CallPurpose.values, or_empty=True))
    if direction and direction not in CallDirection.values:
        raise invalid("direction", one_of(CallDirection.values, or_empty=True))
    if date_from and date_to and date_to < date_from:
        raise invalid("date_to", _("The end of the period is before its start."))
    number = "".join((number or "").split())
    if number and not (len(number) == 4 and number.isdigit()):
        try:
            number = normalize_mobile(number)
        except ValueError as exc:
            raise invalid("number", str(exc)) from exc
    return CallFilters(
        date_from=date_from,
        date_to=date_to,
        purpose=purpose,
        direction=direction,
        agent_id=agent_id,
        customer_id=customer_id,
        number=number,
        complaint_id=complaint_id,
        followup_id=followup_id,
    )


def parse_month(value: str) -> date:
    """ "2026-11" → 2026-11-01; empty → this month; anything else names ``month``."""
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        month = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise invalid("month", _("Give the month as YYYY-MM.")) from None
    if not 2000 <= month.year <= 2100:
        raise invalid("month", _("Give a month between 2000 and 2100."))
    return month


def calls_for(*, actor: User, filters: CallFilters) -> QuerySet[Call]:
    """The calls the actor may see, newest first, narrowed by ``filters`` (checked by the caller)."""
    calls = Call.objects.visible_to(actor)
    if filters.date_from:
        calls = calls.filter(at__gte=local_day_start(filters.date_from))
    if filters.date_to:
        calls = calls.filter(at__lt=local_day_start(filters.date_to + timedelta(days=1)))
    if filters.purpose:
        calls = calls.filter(purpose=filters.purpose)
    if filters.direction:
        calls = calls.filter(direction=filters.direction)
    if filters.agent_id:
        calls = calls.filter(taken_by_id=filters.agent_id)
    if filters.customer_id:
        calls = calls.filter(customer_id=filters.customer_id)
    if filters.number:
        if len(filters.number) == 4:
            calls = calls.filter(number__endswith=filters.number)
        else:
            calls = calls.filter(number=filters.number)
    if filters.complaint_id:
        calls = calls.filter(complaint_id=filters.complaint_id)
    if filters.followup_id:
        calls = calls.filter(followup_id=filters.followup_id)
    return calls.select_related("customer", "taken_by", "for_user").order_by("-at", "-pk")
