"""Appointments over the API (mounted at ``/api/v1``): ``/appointment-slots``, ``/appointments``
and their actions, ``/appointment-report``, ``/appointment-plan``. Every appointment is in its
dealer's scope: another dealer's id answers 404; phone numbers are shown masked."""

import datetime as dt
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu.core.api import storable
from kesu.core.errors import InvalidInput, NotFound, invalid
from kesu.core.schemas import schema_of, to_dataclass
from kesu.core.validators import mask_mobile
from kesu.organizations.permissions import actor

from . import selectors, services
from .models import Appointment, SlotPlan

router = Router(tags=["appointments"])

if TYPE_CHECKING:  # mypy reads the dataclasses themselves (see kesu.core.schemas)
    BookingIn: TypeAlias = services.BookingInput
    PlanIn: TypeAlias = services.PlanInput
else:
    BookingIn = schema_of(services.BookingInput, name="BookingIn")
    PlanIn = schema_of(services.PlanInput, name="SlotPlanIn")


class SlotOut(Schema):
    start: datetime
    end: datetime
    capacity: int
    booked: int
    free: int


class SlotsOut(Schema):
    dealer_id: int
    date: dt.date
    slot_minutes: int
    slots: list[SlotOut]


class SlotsQuery(Schema):
    dealer: int | None = None
    date: dt.date


class AppointmentOut(Schema):
    id: int
    dealer_id: int
    arrival_at: datetime
    seat_no: int
    state: str
    plate: str
    name: str
    salutation: str
    mobile_masked: str
    work_items: list[str]
    work_note: str
    mileage_km: int | None
    advisor_id: int | None
    customer_id: int | None
    vehicle_id: int | None
    followup_id: int | None
    created_by_id: int
    created_at: datetime
    confirmed_at: datetime | None
    confirmed_by_id: int | None
    arrived_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    rescheduled: int

    @staticmethod
    def resolve_arrival_at(obj: Appointment) -> datetime:
        return obj.slot_start

    @staticmethod
    def resolve_mobile_masked(obj: Appointment) -> str:
        return mask_mobile(obj.mobile)


class ListQuery(Schema):
    date: dt.date | None = None
    dealer: int | None = None
    state: str = ""


class RescheduleIn(Schema):
    arrival_at: datetime


class DayRowOut(Schema):
    day: date
    total: int
    booked: int
    arrived: int
    no_show: int
    cancelled: int
    confirmed: int


class AdvisorRowOut(Schema):
    advisor_id: int | None
    advisor: str
    total: int
    arrived: int
    no_show: int


class ReportOut(Schema):
    dealer_id: int
    date_from: date
    date_to: date
    days: list[DayRowOut]
    by_work_item: dict[str, int]
    by_advisor: list[AdvisorRowOut]


class ReportQuery(Schema):
    dealer: int | None = None
    date_from: date | None = None
    date_to: date | None = None


class PlanOut(Schema):
    dealer_id: int
    slot_minutes: int
    bays: int
    advisors: int
    capacity: int
    slot_capacity: dict[str, int]
    confirm_policy: str
    confirm_hour: int


class DealerQuery(Schema):
    dealer: int | None = None


@router.get("/appointment-slots", response=SlotsOut)
def appointment_slots(request: HttpRequest, query: Query[SlotsQuery]) -> SlotsOut:
    """The dealer's slots of the day with ``capacity``, ``booked`` and ``free`` (none on a
    closed day or a statutory holiday)."""
    dealer, slots = _in_scope(
        lambda: services.day_slots(actor=actor(request), dealer_id=query.dealer, day=query.date), query.dealer
    )
    plan = selectors.plan_for(dealer.pk)
    return SlotsOut(
        dealer_id=dealer.pk,
        date=query.date,
        slot_minutes=plan.slot_minutes,
        slots=[
            SlotOut(start=s.start, end=s.end, capacity=s.capacity, booked=s.booked, free=s.free)
            for s in slots
        ],
    )


def _in_scope(call, named: int | None):  # type: ignore[no-untyped-def]
    """A dealer ``named`` in the query but out of the caller's scope is not found (404); none
    named by a user without a dealer of their own: 422 naming ``dealer``."""
    try:
        return call()
    except InvalidInput as exc:
        if named is not None and set(exc.fields) == {"dealer"}:
            raise NotFound(exc.message) from exc
        raise


@router.get("/appointments", response=list[AppointmentOut])
def list_appointments(request: HttpRequest, query: Query[ListQuery]) -> list[Appointment]:
    """Appointments in scope: of one day (default today), one dealer, one state."""
    day = query.date or timezone.localdate()
    rows = selectors.appointments_on(actor=actor(request), day=day, dealer_id=query.dealer)
    if query.state:
        rows = rows.filter(state=query.state)
    return list(rows[:500])


@router.post("/appointments", response={201: AppointmentOut})
def book(request: HttpRequest, payload: BookingIn) -> Reply:
    """Book a place: 422 naming each wrong field, 409 ``slot_full`` when the slot has no place
    left, 409 ``advisor_busy`` when the advisor already receives a car in that slot."""
    booked = services.book(actor=actor(request), data=to_dataclass(services.BookingInput, payload))
    return Reply(201, booked)


@router.get("/appointments/{appointment_id}", response=AppointmentOut)
def get_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    return selectors.get_appointment(actor=actor(request), appointment_id=appointment_id)


def _optional_text(request: HttpRequest, name: str) -> str:
    """One optional text field of an optional JSON body (no body, ``{}`` or ``{name: "..."}``)."""
    if request.content_type != "application/json" or not request.body.strip():
        return ""
    try:
        data = storable(json.loads(request.body))
    except ValueError as exc:
        raise invalid("body", _("Malformed JSON.")) from exc
    value = data.get(name, "") if isinstance(data, dict) else None
    if not isinstance(value, str):
        raise invalid(name, _("Give a text."))
    return value


@router.post("/appointments/{appointment_id}/cancel", response=AppointmentOut)
def cancel(request: HttpRequest, appointment_id: int) -> Appointment:
    """Cancel (the place is free again); twice → 409 ``already_cancelled``. Body optional:
    ``{"reason": "..."}``."""
    reason = _optional_text(request, "reason")
    return services.cancel(actor=actor(request), appointment_id=appointment_id, reason=reason)


@router.post("/appointments/{appointment_id}/reschedule", response=AppointmentOut)
def reschedule(request: HttpRequest, appointment_id: int, payload: RescheduleIn) -> Appointment:
    return services.reschedule(
        actor=actor(request), appointment_id=appointment_id, arrival_at=payload.arrival_at
    )


@router.post("/appointments/{appointment_id}/confirm", response=AppointmentOut)
def confirm(request: HttpRequest, appointment_id: int) -> Appointment:
    """The confirmation call made: closes the CONFIRMATION work item. Body optional:
    ``{"note": "..."}`` (what the customer said)."""
    note = _optional_text(request, "note")
    return services.confirm(actor=actor(request), appointment_id=appointment_id, note=note)


@router.post("/appointments/{appointment_id}/arrived", response=AppointmentOut)
def arrived(request: HttpRequest, appointment_id: int) -> Appointment:
    return services.mark_arrived(actor=actor(request), appointment_id=appointment_id)


@router.post("/appointments/{appointment_id}/no-show", response=AppointmentOut)
def no_show(request: HttpRequest, appointment_id: int) -> Appointment:
    return services.mark_no_show(actor=actor(request), appointment_id=appointment_id)


@router.get("/appointment-report", response=ReportOut)
def appointment_report(request: HttpRequest, query: Query[ReportQuery]) -> services.Report:
    """预约报表 by day (default: today)."""
    today = timezone.localdate()
    date_from = query.date_from or query.date_to or today
    date_to = query.date_to or date_from
    return _in_scope(  # type: ignore[no-any-return]
        lambda: services.report(
            actor=actor(request), dealer_id=query.dealer, date_from=date_from, date_to=date_to
        ),
        query.dealer,
    )


@router.get("/appointment-plan", response=PlanOut)
def get_plan(request: HttpRequest, query: Query[DealerQuery]) -> PlanOut:
    dealer = _in_scope(lambda: services.dealer_for(actor(request), query.dealer), query.dealer)
    return _plan_out(selectors.plan_for(dealer.pk))


@router.put("/appointment-plan", response=PlanOut)
def put_plan(request: HttpRequest, payload: PlanIn, query: Query[DealerQuery]) -> PlanOut:
    """The dealer's slot plan: slot length, bays, advisors, capacity per slot, confirmation
    policy (its general manager or an administrator; 403 otherwise)."""
    plan = _in_scope(
        lambda: services.set_plan(
            actor=actor(request), dealer_id=query.dealer, data=to_dataclass(services.PlanInput, payload)
        ),
        query.dealer,
    )
    return _plan_out(plan)


def _plan_out(plan: SlotPlan) -> PlanOut:
    return PlanOut(
        dealer_id=plan.dealer_id,
        slot_minutes=plan.slot_minutes,
        bays=plan.bays,
        advisors=plan.advisors,
        capacity=plan.capacity,
        slot_capacity=plan.slot_capacity or {},
        confirm_policy=plan.confirm_policy,
        confirm_hour=plan.confirm_hour,
    )
