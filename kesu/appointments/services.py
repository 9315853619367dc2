"""Appointments (预约): the slots of a dealer's day, booking without double-booking, the
confirmation call, reschedule / cancel / no-show / arrival, the daily report and the welcome board.

Slots are laid inside the dealer's opening hours on the Chinese working calendar (kesu.sla: closed
on statutory holidays) every ``slot_minutes``; a slot takes ``min(bays, advisors)`` cars unless the
plan names a capacity for it. A booking takes a numbered place (``seat_no``) of its slot; the
unique index on (dealer, slot start, place) among bookings that hold one refuses a second row for
the same place, so two agents booking the last place at once get one booking and one 409
``slot_full``, whatever the database.

For other apps (a follow-up call books in place)::

    from kesu.appointments.services import BookingInput, book   # from an entry point or a flow

    book(actor=agent, data=BookingInput(plate=..., name=..., mobile=..., arrival_at=...,
         work_items=["maintenance"], followup_id=f.pk))
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import DomainError, Forbidden, invalid, not_one_of, raise_if
from kesu.core.pg import insert_into_free_place
from kesu.core.validators import normalize_mobile, normalize_plate, too_long
from kesu.customers.models import Customer, Vehicle
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability, may_configure
from kesu.organizations.scope import scope_for, user_dealer_id
from kesu.sla.selectors import opening_hours
from kesu.worklist import items
from kesu.worklist.choices import WorkKind
from kesu.worklist.models import WorkItem

from .choices import HOLDS_A_PLACE, AppointmentState, ConfirmPolicy, Salutation, WorkType
from .models import Appointment, SlotPlan
from .selectors import PLANS, booked_per_slot, day_bounds, get_appointment, plan_for

MAX_NAME = 60
MAX_NOTE = 500
MAX_REASON = 200
MAX_MILEAGE = 2_000_000
MAX_CAPACITY = 200
CONFIRM_MINUTES_BEFORE = 15  # seed 004: 客户来厂前15分钟，致电确认来厂时间
MAX_DAYS_AHEAD = 366
MAX_REPORT_DAYS = 62
REF = "appointments.appointment"


class SlotFull(DomainError):
    """Every place of the slot is taken (or the slot takes no cars)."""

    status = 409
    code = "slot_full"


class AdvisorBusy(DomainError):
    status = 409
    code = "advisor_busy"


class WrongState(DomainError):
    """The appointment is not in a state the action applies to (cancel twice, arrive after a
    cancellation …); ``code`` says which."""

    status = 409
    code = "wrong_state"


# --- the slots of a day --------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int
    booked: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def lay_slots(
    *, day: date, hours: tuple[tuple[int, int], ...], slot_minutes: int, zone: Any
) -> list[tuple[datetime, datetime]]:
    """The slots of one day: from each opening, every ``slot_minutes``, each ending by the
    closing of its opening (a slot never spans the lunch break or the evening)."""
    step = slot_minutes * 60
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    slots = []
    for opens, closes in hours:
        start = opens
        while start + step <= closes:
            slots.append((midnight + timedelta(seconds=start), midnight + timedelta(seconds=start + step)))
            start += step
    return slots


def capacity_of(plan: SlotPlan, start: datetime) -> int:
    """The cars a slot takes: the plan's number for this time of day, else min(bays, advisors)."""
    explicit = (plan.slot_capacity or {}).get(timezone.localtime(start).strftime("%H:%M"))
    return int(explicit) if explicit is not None else plan.capacity


def slots_of_day(
    *, dealer_id: int, day: date, plan: SlotPlan | None = None, counted: bool = True
) -> list[Slot]:
    """The dealer's slots of ``day`` with capacity and places held (empty on a closed day);
    ``counted=False``: without counting the places held (booked 0), one query less."""
    plan = plan or plan_for(dealer_id)
    hours = opening_hours(organization_id=dealer_id, day=day)
    laid = lay_slots(
        day=day, hours=hours, slot_minutes=plan.slot_minutes, zone=timezone.get_default_timezone()
    )
    if not laid or not counted:
        return [Slot(s, e, capacity_of(plan, s)) for s, e in laid]
    start, end = day_bounds(day)
    booked = booked_per_slot(dealer_id=dealer_id, start=start, end=end)
    return [Slot(s, e, capacity_of(plan, s), booked.get(s, 0)) for s, e in laid]


def dealer_for(actor: User, dealer_id: int | None, *, field_name: str = "dealer") -> Organization:
    """The dealer the actor works on: their own, or one in their scope they name (administrator,
    region manager). Another dealer's id → the field named, as if it did not exist."""
    own = user_dealer_id(actor)
    if own is not None:
        if dealer_id not in (None, own):
            raise invalid(field_name, _("No such dealer in your scope."))
        assert actor.organization is not None and actor.organization.dealer is not None
        return actor.organization.dealer  # loaded with the user (and its parent)
    if dealer_id is None:
        raise invalid(field_name, _("Choose the dealer."))
    scope = scope_for(actor)
    dealer = Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).first()
    if dealer is None or not (scope.everything or dealer.pk in scope.dealer_ids):
        raise invalid(field_name, _("No such dealer in your scope."))
    return dealer


def day_slots(*, actor: User, dealer_id: int | None, day: date) -> tuple[Organization, list[Slot]]:
    """``GET /appointment-slots``: the day's slots of a dealer in the actor's scope."""
    dealer = dealer_for(actor, dealer_id)
    return dealer, slots_of_day(dealer_id=dealer.pk, day=day)


# --- booking -------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class BookingInput:
    """One booking as seed 004's 预约信息卡 has it: 车牌, 姓名, 联系方式, 来厂时间, 维修项目, 里程,
    指定服专. ``work_items`` hold WorkType values (maintenance, repair, inspection, other);
    ``other`` needs ``work_note``."""

    plate: str
    name: str
    mobile: str
    arrival_at: datetime
    work_items: list[str] = field(default_factory=list)
    work_note: str = ""
    mileage_km: int | None = None
    advisor_id: int | None = None
    salutation: str = ""  # mr / ms: how the welcome board greets them (else read from the name)
    customer_id: int | None = None  # picked on the form; else found by phone or plate at the dealer
    vehicle_id: int | None = None
    followup_id: int | None = None  # booked during this follow-up call (kesu.followups)
    dealer_id: int | None = None  # only for users without a dealer of their own (admin)


def _require(actor: User) -> None:
    if not has_capability(actor, Capability.BOOK_APPOINTMENTS):
        raise Forbidden(_("Your role cannot book appointments."))


def _check_slot(
    dealer_id: int, arrival_at: datetime | None, errors: dict[str, str], plan: SlotPlan
) -> Slot | None:
    """The slot starting at ``arrival_at``: in the future, on an open day, at a slot's start."""
    if not isinstance(arrival_at, datetime):
        errors["arrival_at"] = _("Give the arrival time.")
        return None
    if timezone.is_naive(arrival_at):
        errors["arrival_at"] = _("Give the time with its time zone.")
        return None
    now = timezone.now()
    if arrival_at <= now:
        errors["arrival_at"] = _("The arrival time has passed; choose a time to come.")
        return None
    if arrival_at > now + timedelta(days=MAX_DAYS_AHEAD):
        errors["arrival_at"] = _("Appointments are taken up to a year ahead.")
        return None
    day = timezone.localtime(arrival_at).date()
    slots = slots_of_day(dealer_id=dealer_id, day=day, plan=plan, counted=False)
    found = next((slot for slot in slots if slot.start == arrival_at), None)
    if found is not None:
        return found
    if not slots:
        errors["arrival_at"] = _("The dealer is closed on %(day)s.") % {"day": day.isoformat()}
    elif not any(slot.start <= arrival_at < slot.end for slot in slots):
        hours = opening_hours(organization_id=dealer_id, day=day)
        errors["arrival_at"] = _("Outside business hours (%(hours)s).") % {
            "hours": ", ".join(f"{_hhmm(start)}–{_hhmm(end)}" for start, end in hours)
        }
    else:
        errors["arrival_at"] = _("Choose the start of a slot (every %(n)d minutes).") % {
            "n": plan.slot_minutes
        }
    return None


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _advisor(advisor_id: int | None, dealer_id: int, errors: dict[str, str]) -> User | None:
    if advisor_id is None:
        return None
    advisor = User.objects.filter(pk=advisor_id, is_active=True).select_related("organization").first()
    if advisor is None or user_dealer_id(advisor) != dealer_id:
        errors["advisor_id"] = _("Choose an advisor of this dealer.")
        return None
    return advisor


def _clean(data: BookingInput, errors: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    try:
        values["mobile"] = normalize_mobile(data.mobile)
    except ValueError as exc:
        errors["mobile"] = str(exc)
    try:
        values["plate"] = normalize_plate(data.plate)
    except ValueError as exc:
        errors["plate"] = str(exc)
    name = (data.name or "").strip()
    if not name:
        errors["name"] = _("Enter the customer's name.")
    elif len(name) > MAX_NAME:
        errors["name"] = too_long(MAX_NAME)
    values["name"] = name
    chosen = list(dict.fromkeys(data.work_items or []))
    wrong = [item for item in chosen if item not in WorkType.values]
    if wrong:
        errors["work_items"] = not_one_of(wrong[0], WorkType.values)
    elif not chosen:
        errors["work_items"] = _("Choose at least one work item.")
    values["work_items"] = chosen
    note = (data.work_note or "").strip()
    if len(note) > MAX_NOTE:
        errors["work_note"] = too_long(MAX_NOTE)
    elif WorkType.OTHER in chosen and not note:
        errors["work_note"] = _("Say what the other work is.")
    values["work_note"] = note
    mileage = data.mileage_km
    if mileage is not None and (isinstance(mileage, bool) or not isinstance(mileage, int)):
        errors["mileage_km"] = _("Give the mileage in whole kilometres.")
    elif mileage is not None and not 0 <= mileage <= MAX_MILEAGE:
        errors["mileage_km"] = _("Between 0 and %(n)d km.") % {"n": MAX_MILEAGE}
    values["mileage_km"] = mileage
    salutation = data.salutation or _salutation_in(name)
    if salutation not in ("", *Salutation.values):
        errors["salutation"] = not_one_of(salutation, Salutation.values)
    values["salutation"] = salutation
    return values


def _salutation_in(name: str) -> str:
    if name.endswith("先生"):
        return Salutation.MR.value
    if name.endswith(("女士", "小姐")):
        return Salutation.MS.value
    return ""


@dataclass(frozen=True)
class Linked:
    """Who the booking is for, as found: ids only (the booking stores ids)."""

    customer_id: int | None = None
    vehicle_id: int | None = None
    mileage_km: int | None = None


def _link_customer(
    data: BookingInput, dealer_id: int, values: dict[str, Any], errors: dict[str, str], actor: User
) -> Linked:
    """The customer and vehicle picked, else found at the dealer by phone, then by plate."""
    customer: Customer | None = None
    vehicle: Vehicle | None = None
    if data.customer_id is not None:
        customer = Customer.objects.visible_to(actor).filter(pk=data.customer_id, dealer_id=dealer_id).first()
        if customer is None:
            errors["customer_id"] = _("No such customer at this dealer.")
    if data.vehicle_id is not None:
        vehicle = Vehicle.objects.filter(pk=data.vehicle_id, customer__dealer_id=dealer_id).first()
        if vehicle is None or (customer is not None and vehicle.customer_id != customer.pk):
            errors["vehicle_id"] = _("No such vehicle of this customer.")
            vehicle = None
    if errors:
        return Linked()
    if customer is None and vehicle is None:
        return _by_phone_and_plate(dealer_id, values.get("mobile", ""), values.get("plate", ""))
    if vehicle is None and values.get("plate"):
        vehicle = Vehicle.objects.filter(customer=customer, plate=values["plate"]).order_by("pk").first()
    if vehicle is None:
        return Linked(customer_id=customer.pk if customer else None)
    return Linked(vehicle.customer_id, vehicle.pk, vehicle.mileage_km)


def _by_phone_and_plate(dealer_id: int, mobile: str, plate: str) -> Linked:
    """The dealer's first customer with this phone, and the first vehicle with this plate (of that
    customer, if one was found; else any at the dealer, whose owner is then the customer), in ONE
    query: a booking's hot path, where two lookups were two round trips."""
    none = Value(None, output_field=IntegerField())
    lookups: list[QuerySet[Any, tuple[int, int | None, int | None]]] = []
    if mobile:
        by_phone = Customer.objects.filter(dealer_id=dealer_id, mobile=mobile)
        lookups.append(by_phone.values_list("pk", none, none))
    if plate:
        lookups.append(
            Vehicle.objects.filter(customer__dealer_id=dealer_id, plate=plate).values_list(
                "customer_id", "pk", "mileage_km"
            )
        )
    if not lookups:
        return Linked()
    rows = list(lookups[0].union(*lookups[1:], all=True)) if len(lookups) > 1 else list(lookups[0])
    phone_owners = sorted(owner for owner, vehicle_id, _km in rows if vehicle_id is None)
    customer_id = phone_owners[0] if phone_owners else None
    vehicles = sorted((vehicle_id, owner, km) for owner, vehicle_id, km in rows if vehicle_id is not None)
    if customer_id is not None:
        vehicles = [found for found in vehicles if found[1] == customer_id]
    if not vehicles:
        return Linked(customer_id=customer_id)
    vehicle_id, owner_id, mileage = vehicles[0]
    return Linked(owner_id, vehicle_id, mileage)


def confirmation_due(*, plan: SlotPlan, slot_start: datetime, now: datetime) -> datetime:
    """When the confirmation call is due: the day before at the plan's hour, or 15 minutes
    before; never before now, never after the arrival time."""
    if plan.confirm_policy == ConfirmPolicy.MINUTES_BEFORE:
        planned = slot_start - timedelta(minutes=CONFIRM_MINUTES_BEFORE)
    else:
        local = timezone.localtime(slot_start)
        day_before = local.date() - timedelta(days=1)
        planned = datetime.combine(day_before, time(plan.confirm_hour), tzinfo=local.tzinfo)
    return min(max(planned, now), slot_start)


def _subject(appointment: Appointment) -> str:
    when = timezone.localtime(appointment.slot_start).strftime("%m-%d %H:%M")
    return _("Confirm the appointment: %(plate)s %(name)s, %(when)s") % {
        "plate": appointment.plate,
        "name": appointment.name,
        "when": when,
    }


def _open_confirmation(appointment: Appointment, plan: SlotPlan, actor: User, *, new: bool = False) -> None:
    """Open (a new booking: one INSERT) or move and re-open (a rescheduled one) the call."""
    values: dict[str, Any] = {
        "dealer_id": appointment.dealer_id,
        "kind": WorkKind.CONFIRMATION,
        "due_at": confirmation_due(plan=plan, slot_start=appointment.slot_start, now=timezone.now()),
        "subject": _subject(appointment)[:200],
        "ref_model": REF,
        "ref_id": appointment.pk,
        "assignee_id": actor.pk if user_dealer_id(actor) == appointment.dealer_id else None,
        "customer_id": appointment.customer_id,
    }
    if new:
        items.open_items([WorkItem(**values)])
    else:
        items.open_item(**values)


def _advisor_taken(advisor_id: int, slot_start: datetime, exclude: int | None = None) -> bool:
    rows = Appointment.objects.filter(advisor_id=advisor_id, slot_start=slot_start, state__in=HOLDS_A_PLACE)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


def _slot_full(capacity: int) -> SlotFull:
    message = (
        _("This slot takes no appointments; choose another time.")
        if capacity <= 0
        else _("This slot is full (%(n)d of %(n)d places taken); choose another time.") % {"n": capacity}
    )
    return SlotFull(message, fields={"arrival_at": message})


def _advisor_busy() -> AdvisorBusy:
    message = _("This advisor already receives a car in this slot; choose another advisor or time.")
    return AdvisorBusy(message, fields={"advisor_id": message})


def taken_places(*, dealer_id: int, slot_start: datetime, exclude: int | None = None) -> set[int]:
    """The places of the slot held now (as this transaction sees them: another one's booking
    not committed yet is invisible, which is why the unique index has the last word)."""
    return set(
        Appointment.objects.filter(dealer_id=dealer_id, slot_start=slot_start, state__in=HOLDS_A_PLACE)
        .exclude(pk=exclude or 0)
        .values_list("seat_no", flat=True)
    )


def _take_place(
    *,
    appointment: Appointment,
    dealer_id: int,
    slot_start: datetime,
    capacity: int,
    exclude: int | None = None,
) -> None:
    """Save ``appointment`` in a free place of the slot. A place taken meanwhile by another
    transaction (the unique index refuses the row) → look again; none left → SlotFull."""
    appointment.slot_start = slot_start
    for _attempt in range(capacity + 3):
        if exclude is None:  # a new booking: the free place found and taken in one statement
            if insert_into_free_place(
                appointment,
                place="seat_no",
                places=capacity,
                group=("dealer", "slot_start"),
                holding=("state", HOLDS_A_PLACE),
            ):
                return
            if len(taken_places(dealer_id=dealer_id, slot_start=slot_start)) >= capacity:
                raise _slot_full(capacity)
        else:
            taken = taken_places(dealer_id=dealer_id, slot_start=slot_start, exclude=exclude)
            free = [seat for seat in range(capacity) if seat not in taken]
            if not free:
                raise _slot_full(capacity)
            appointment.seat_no = random.choice(free)  # concurrent bookings rarely aim at one place
            try:
                with transaction.atomic():
                    appointment.save()
                return
            except IntegrityError:
                pass
        if appointment.advisor_id and _advisor_taken(appointment.advisor_id, slot_start, exclude):
            raise _advisor_busy() from None
    raise _slot_full(capacity)


@transaction.atomic
def book(*, actor: User, data: BookingInput) -> Appointment:
    """Book a place. Every wrong field is named (InvalidInput, 422); a full slot → SlotFull
    (409 ``slot_full``); the advisor busy in that slot → AdvisorBusy (409). Nothing is saved on
    any error. Opens the confirmation call (WorkKind.CONFIRMATION) per the dealer's plan."""
    _require(actor)
    dealer = dealer_for(actor, data.dealer_id, field_name="dealer_id")
    plan = plan_for(dealer.pk)
    errors: dict[str, str] = {}
    values = _clean(data, errors)
    slot = _check_slot(dealer.pk, data.arrival_at, errors, plan)
    advisor = _advisor(data.advisor_id, dealer.pk, errors)
    linked = _link_customer(data, dealer.pk, values, errors, actor)
    raise_if(errors)
    assert slot is not None
    if advisor is not None and _advisor_taken(advisor.pk, slot.start):
        raise _advisor_busy()
    if values["mileage_km"] is None:
        values["mileage_km"] = linked.mileage_km
    appointment = Appointment(
        dealer=dealer,
        advisor=advisor,
        customer_id=linked.customer_id,
        vehicle_id=linked.vehicle_id,
        followup_id=data.followup_id,
        created_by=actor,
        **values,
    )
    _take_place(appointment=appointment, dealer_id=dealer.pk, slot_start=slot.start, capacity=slot.capacity)
    _open_confirmation(appointment, plan, actor, new=True)
    return appointment


def _booked_or_conflict(appointment: Appointment) -> None:
    if appointment.state == AppointmentState.CANCELLED:
        raise WrongState(_("This appointment is already cancelled."), code="already_cancelled")
    if appointment.state != AppointmentState.BOOKED:
        raise WrongState(
            _("This appointment is %(state)s; only a booked one can change.")
            % {"state": appointment.get_state_display()}
        )


@transaction.atomic
def cancel(*, actor: User, appointment_id: int, reason: str = "") -> Appointment:
    """Cancel: the place is free again at once, the confirmation call is cancelled. Twice → 409
    ``already_cancelled``."""
    _require(actor)
    appointment = get_appointment(actor=actor, appointment_id=appointment_id, for_update=True)
    _booked_or_conflict(appointment)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise invalid("reason", too_long(MAX_REASON))
    appointment.state = AppointmentState.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.cancel_reason = reason
    appointment.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    items.close_item(
        ref_model=REF, ref_id=appointment.pk, kind=WorkKind.CONFIRMATION, by=actor, cancelled=True
    )
    return appointment


@transaction.atomic
def reschedule(*, actor: User, appointment_id: int, arrival_at: datetime) -> Appointment:
    """Move a booked appointment to another slot (改约): a place there, the old one freed, the
    confirmation call moved (and asked again)."""
    _require(actor)
    appointment = get_appointment(actor=actor, appointment_id=appointment_id, for_update=True)
    _booked_or_conflict(appointment)
    plan = plan_for(appointment.dealer_id)
    errors: dict[str, str] = {}
    slot = _check_slot(appointment.dealer_id, arrival_at, errors, plan)
    raise_if(errors)
    assert slot is not None
    if slot.start == appointment.slot_start:
        raise invalid("arrival_at", _("That is the time already booked."))
    if appointment.advisor_id and _advisor_taken(appointment.advisor_id, slot.start, appointment.pk):
        raise _advisor_busy()
    appointment.rescheduled += 1
    appointment.confirmed_at = None
    appointment.confirmed_by = None
    appointment.confirm_note = ""
    _take_place(
        appointment=appointment,
        dealer_id=appointment.dealer_id,
        slot_start=slot.start,
        capacity=slot.capacity,
        exclude=appointment.pk,
    )
    _open_confirmation(appointment, plan, actor)
    return appointment


@transaction.atomic
def confirm(*, actor: User, appointment_id: int, note: str = "") -> Appointment:
    """The confirmation call made: the customer will come as booked (回复准时来厂)."""
    _require(actor)
    appointment = get_appointment(actor=actor, appointment_id=appointment_id, for_update=True)
    _booked_or_conflict(appointment)
    note = (note or "").strip()
    if len(note) > MAX_REASON:
        raise invalid("note", too_long(MAX_REASON))
    if appointment.confirmed_at is not None:
        raise WrongState(_("This appointment is already confirmed."), code="already_confirmed")
    appointment.confirmed_at = timezone.now()
    appointment.confirmed_by = actor
    appointment.confirm_note = note
    appointment.save(update_fields=["confirmed_at", "confirmed_by", "confirm_note"])
    items.close_item(ref_model=REF, ref_id=appointment.pk, kind=WorkKind.CONFIRMATION, by=actor)
    return appointment


@transaction.atomic
def mark_arrived(*, actor: User, appointment_id: int) -> Appointment:
    """The customer is here: the welcome board ticks them off."""
    _require(actor)
    appointment = get_appointment(actor=actor, appointment_id=appointment_id, for_update=True)
    _booked_or_conflict(appointment)
    now = timezone.now()
    if timezone.localtime(appointment.slot_start).date() != timezone.localdate(now):
        raise invalid("state", _("A customer arrives on the day of the appointment."))
    appointment.state = AppointmentState.ARRIVED
    appointment.arrived_at = now
    appointment.save(update_fields=["state", "arrived_at"])
    items.close_item(ref_model=REF, ref_id=appointment.pk, kind=WorkKind.CONFIRMATION, by=actor)
    return appointment


@transaction.atomic
def mark_no_show(*, actor: User, appointment_id: int) -> Appointment:
    """The customer did not come: only once the arrival time has passed."""
    _require(actor)
    appointment = get_appointment(actor=actor, appointment_id=appointment_id, for_update=True)
    _booked_or_conflict(appointment)
    if appointment.slot_start > timezone.now():
        raise invalid("state", _("A no-show is marked once the arrival time has passed."))
    appointment.state = AppointmentState.NO_SHOW
    appointment.save(update_fields=["state"])
    items.close_item(
        ref_model=REF, ref_id=appointment.pk, kind=WorkKind.CONFIRMATION, by=actor, cancelled=True
    )
    return appointment


# --- the dealer's plan ---------------------------------------------------------------------------


@dataclass(kw_only=True)
class PlanInput:
    slot_minutes: int = 60
    bays: int = 4
    advisors: int = 3
    slot_capacity: dict[str, int] = field(default_factory=dict)
    confirm_policy: str = ConfirmPolicy.DAY_BEFORE.value
    confirm_hour: int = 16


@transaction.atomic
def set_plan(*, actor: User, dealer_id: int | None, data: PlanInput) -> SlotPlan:
    """The dealer's slot plan (its general manager or an administrator)."""
    dealer = dealer_for(actor, dealer_id)
    if not may_configure(actor, dealer):
        raise Forbidden(_("Only the dealer's general manager or an administrator sets the slot plan."))
    errors: dict[str, str] = {}
    if not 15 <= data.slot_minutes <= 240 or data.slot_minutes % 5:
        errors["slot_minutes"] = _("Between 15 and 240 minutes, in steps of 5.")
    for name in ("bays", "advisors"):
        if not 0 <= getattr(data, name) <= MAX_CAPACITY:
            errors[name] = _("Between 0 and %(n)d.") % {"n": MAX_CAPACITY}
    capacities: dict[str, int] = {}
    for key, value in (data.slot_capacity or {}).items():
        try:
            moment = datetime.strptime(key, "%H:%M")
        except ValueError:
            errors["slot_capacity"] = _("Name a slot by its start, e.g. 09:00.")
            break
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
            errors["slot_capacity"] = _("Between 0 and %(n)d.") % {"n": MAX_CAPACITY}
            break
        capacities[moment.strftime("%H:%M")] = value
    if data.confirm_policy not in ConfirmPolicy.values:
        errors["confirm_policy"] = not_one_of(data.confirm_policy, ConfirmPolicy.values)
    if not 7 <= data.confirm_hour <= 21:
        errors["confirm_hour"] = _("Between 7 and 21 o'clock.")
    raise_if(errors)
    PLANS.pop(dealer.pk)
    transaction.on_commit(lambda: PLANS.pop(dealer.pk))
    plan, _created = SlotPlan.objects.update_or_create(
        dealer=dealer,
        defaults={
            "slot_minutes": data.slot_minutes,
            "bays": data.bays,
            "advisors": data.advisors,
            "slot_capacity": capacities,
            "confirm_policy": data.confirm_policy,
            "confirm_hour": data.confirm_hour,
        },
    )
    return plan


# --- the daily report and the welcome board ------------------------------------------------------


@dataclass
class DayRow:
    day: date
    total: int = 0
    booked: int = 0  # still to come (or not marked yet)
    arrived: int = 0
    no_show: int = 0
    cancelled: int = 0
    confirmed: int = 0


@dataclass
class AdvisorRow:
    advisor_id: int | None
    advisor: str
    total: int = 0
    arrived: int = 0
    no_show: int = 0


@dataclass
class Report:
    dealer_id: int
    date_from: date
    date_to: date
    days: list[DayRow]
    by_work_item: dict[str, int]
    by_advisor: list[AdvisorRow]


def report(*, actor: User, dealer_id: int | None, date_from: date, date_to: date) -> Report:
    """预约报表: per day booked / arrived / no-show / cancelled / confirmed; the range's bookings
    (cancelled ones left out) by work item and by advisor."""
    dealer = dealer_for(actor, dealer_id)
    if date_to < date_from:
        raise invalid("date_to", _("The end is before the start."))
    if (date_to - date_from).days >= MAX_REPORT_DAYS:
        raise invalid("date_to", _("At most %(n)d days at once.") % {"n": MAX_REPORT_DAYS})
    start, _end = day_bounds(date_from)
    _start, end = day_bounds(date_to)
    rows = Appointment.objects.visible_to(actor).filter(
        dealer=dealer, slot_start__gte=start, slot_start__lt=end
    )
    days = {
        date_from + timedelta(days=n): DayRow(date_from + timedelta(days=n))
        for n in range((date_to - date_from).days + 1)
    }
    work: Counter[str] = Counter()
    for slot_start, state, confirmed_at, work_items in rows.values_list(
        "slot_start", "state", "confirmed_at", "work_items"
    ):
        row = days[timezone.localtime(slot_start).date()]
        row.total += 1
        setattr(row, state, getattr(row, state) + 1)
        row.confirmed += confirmed_at is not None
        if state != AppointmentState.CANCELLED:
            work.update(work_items or [])
    advisors = (
        rows.exclude(state=AppointmentState.CANCELLED)
        .values("advisor_id", "advisor__display_name", "advisor__username")
        .annotate(
            total=Count("pk"),
            arrived=Count("pk", filter=Q(state=AppointmentState.ARRIVED)),
            no_show=Count("pk", filter=Q(state=AppointmentState.NO_SHOW)),
        )
        .order_by("-total", "advisor_id")
    )
    by_advisor = [
        AdvisorRow(
            advisor_id=row["advisor_id"],
            advisor=row["advisor__display_name"] or row["advisor__username"] or _("Not chosen"),
            total=row["total"],
            arrived=row["arrived"],
            no_show=row["no_show"],
        )
        for row in advisors
    ]
    return Report(
        dealer_id=dealer.pk,
        date_from=date_from,
        date_to=date_to,
        days=list(days.values()),
        by_work_item={kind: work.get(kind, 0) for kind in WorkType.values},
        by_advisor=by_advisor,
    )


def mask_plate(plate: str) -> str:
    """粤A12345 → 粤A·***45: the province and city letter, the last two characters."""
    if len(plate) < 5:
        return plate[:1] + "*" * max(0, len(plate) - 1)
    return f"{plate[:2]}·{'*' * (len(plate) - 4)}{plate[-2:]}"


def greeting(name: str, salutation: str) -> str:
    """张先生 / 李女士: the surname and the title, never the whole name."""
    surname = (name or "").strip()[:1]
    titles: dict[str, str] = {Salutation.MR.value: "先生", Salutation.MS.value: "女士"}
    title = titles.get(salutation or _salutation_in(name), "先生/女士")
    return f"{surname}{title}"


@dataclass
class BoardRow:
    id: int
    time: str
    plate: str  # masked
    customer: str  # surname + 先生/女士
    advisor: str
    arrived: bool


def board(*, actor: User, dealer_id: int | None, day: date) -> tuple[Organization, list[BoardRow]]:
    """欢迎看板: today's arrivals (booked or arrived), by time; no phone numbers, no full names."""
    dealer = dealer_for(actor, dealer_id)
    start, end = day_bounds(day)
    rows = (
        Appointment.objects.visible_to(actor)
        .filter(
            dealer=dealer,
            slot_start__gte=start,
            slot_start__lt=end,
            state__in=(AppointmentState.BOOKED, AppointmentState.ARRIVED),
        )
        .select_related("advisor")
        .order_by("slot_start", "seat_no")
    )
    return dealer, [
        BoardRow(
            id=row.pk,
            time=timezone.localtime(row.slot_start).strftime("%H:%M"),
            plate=mask_plate(row.plate),
            customer=greeting(row.name, row.salutation),
            advisor=str(row.advisor) if row.advisor else "",
            arrived=row.state == AppointmentState.ARRIVED,
        )
        for row in rows
    ]


def advisors_of(dealer_id: int) -> list[User]:
    """The dealer's people who may be chosen as advisor (服务专员): its active users."""
    people = (
        User.objects.filter(is_active=True)
        .filter(Q(organization_id=dealer_id) | Q(organization__parent_id=dealer_id))
        .select_related("organization")
        .order_by("display_name", "pk")
    )
    return [user for user in people if user_dealer_id(user) == dealer_id]
