"""Appointment pages: the booking form (预约信息卡), the day's slots grid, the list, an
appointment and its actions, the daily report, the welcome board (欢迎看板) and the booking
partial a follow-up call includes. Thin: parse, call, render."""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.core.errors import DomainError, InvalidInput
from kesu.customers.models import Customer, Vehicle
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.organizations.scope import user_dealer_id
from kesu.web.forms import apply_errors

from . import selectors, services
from .choices import AppointmentState, WorkType
from .forms import BookingForm, RescheduleForm
from .models import Appointment


def _date(value: str | None, default: date | None = None) -> date:
    try:
        return date.fromisoformat(value) if value else (default or timezone.localdate())
    except ValueError:
        return default or timezone.localdate()


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _dealer_param(request: HttpRequest) -> int | None:
    """The dealer a page works on: the user's own; an administrator or a region manager names
    one (?dealer=)."""
    own = user_dealer_id(actor(request))
    return own if own is not None else _int(request.GET.get("dealer") or request.POST.get("dealer"))


def _arrival(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _slot_context(
    request: HttpRequest, dealer_id: int | None, day: date, selected: str = ""
) -> dict[str, Any]:
    dealer, slots = services.day_slots(actor=actor(request), dealer_id=dealer_id, day=day)
    now = timezone.now()
    return {
        "dealer": dealer,
        "day": day,
        "slots": [slot for slot in slots if slot.start > now],
        "past": sum(1 for slot in slots if slot.start <= now),
        "closed": not slots,
        "selected": selected,
    }


@page()
def slot_choices(request: HttpRequest) -> HttpResponse:
    """htmx: the day's slots still to come as radio buttons (full ones disabled, the last place
    marked) for the booking and rescheduling forms."""
    try:
        context = _slot_context(
            request, _dealer_param(request), _date(request.GET.get("day")), request.GET.get("selected", "")
        )
    except InvalidInput as exc:
        return HttpResponse(f'<p class="error">{exc.message}</p>', status=422)
    return render(request, "appointments/_slot_choices.html", context)


def _booking_input(form: BookingForm, dealer_id: int | None, request: HttpRequest) -> services.BookingInput:
    data = form.cleaned_data
    arrival = _arrival(request.POST.get("arrival_at", ""))
    return services.BookingInput(
        plate=data["plate"],
        name=data["name"],
        mobile=data["mobile"],
        salutation=data.get("salutation") or "",
        arrival_at=arrival,  # type: ignore[arg-type]  # None is named by the service
        work_items=list(data.get("work_items") or []),
        work_note=data.get("work_note") or "",
        mileage_km=data.get("mileage_km"),
        advisor_id=data.get("advisor_id"),
        customer_id=data.get("customer_id"),
        vehicle_id=data.get("vehicle_id"),
        followup_id=data.get("followup_id"),
        dealer_id=dealer_id,
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """The customer and vehicle a follow-up call (or the customer page) passes: ?customer=&vehicle="""
    user = actor(request)
    initial: dict[str, Any] = {
        "day": _date(request.GET.get("date")),
        "followup_id": _int(request.GET.get("followup")),
    }
    customer = Customer.objects.visible_to(user).filter(pk=_int(request.GET.get("customer")) or 0).first()
    if customer is not None:
        initial.update(customer_id=customer.pk, name=customer.name, mobile=customer.mobile)
        vehicle = Vehicle.objects.filter(customer=customer, pk=_int(request.GET.get("vehicle")) or 0).first()
        vehicle = vehicle or customer.vehicles.order_by("pk").first()
        if vehicle is not None:
            initial.update(vehicle_id=vehicle.pk, plate=vehicle.plate, mileage_km=vehicle.mileage_km)
    if request.GET.get("work"):
        initial["work_items"] = [request.GET["work"]]
    return initial


def _advisors(request: HttpRequest) -> list[User]:
    dealer_id = _dealer_param(request)
    return services.advisors_of(dealer_id) if dealer_id else []


def _submit(request: HttpRequest, form: BookingForm) -> tuple[Appointment | None, int]:
    """Book from a posted form; errors onto the form. Returns the booking and the status."""
    if not form.is_valid():
        return None, 422
    try:
        booked = services.book(
            actor=actor(request), data=_booking_input(form, _dealer_param(request), request)
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        apply_errors(form, exc, aliases={"dealer_id": "plate"})
        return None, exc.status
    return booked, 201


@page(Capability.BOOK_APPOINTMENTS)
def book(request: HttpRequest) -> HttpResponse:
    """预约登记表: 车牌, 姓名, 联系方式, 来厂时间 (a slot of the chosen day), 维修项目, 里程, 指定服专."""
    advisors = _advisors(request)
    if request.method == "POST":
        form = BookingForm(request.POST, advisors=advisors)
        booked, status = _submit(request, form)
        if booked is not None:
            messages.success(request, _("Appointment booked: %(plate)s at %(when)s.") % _said(booked))
            return redirect("appointments:detail", appointment_id=booked.pk)
        day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
        context = {
            "form": form,
            "day": day or timezone.localdate(),
            "selected": request.POST.get("arrival_at", ""),
        }
        return render(request, "appointments/book.html", context, status=status)
    initial = _prefill(request)
    form = BookingForm(initial=initial, advisors=advisors)
    context = {"form": form, "day": initial["day"], "selected": request.GET.get("at", "")}
    return render(request, "appointments/book.html", context)


def _said(appointment: Appointment) -> dict[str, str]:
    return {
        "plate": appointment.plate,
        "when": timezone.localtime(appointment.slot_start).strftime("%Y-%m-%d %H:%M"),
    }


@page(Capability.BOOK_APPOINTMENTS)
def book_inline(request: HttpRequest) -> HttpResponse:
    """The booking card inside another page (a follow-up call's script, 推导预约): GET with
    ?customer=&vehicle=&followup= prefilled; POST books and answers the same partial."""
    advisors = _advisors(request)
    booked = None
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST, advisors=advisors)
        booked, status = _submit(request, form)
        status = 200 if booked is not None else status
        day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
        selected = request.POST.get("arrival_at", "")
    else:
        initial = _prefill(request)
        form = BookingForm(initial=initial, advisors=advisors)
        day, selected = initial["day"], ""
    context = {"form": form, "booked": booked, "day": day or timezone.localdate(), "selected": selected}
    return render(request, "appointments/_book_inline.html", context, status=status)


@page()
def appointment_list(request: HttpRequest) -> HttpResponse:
    day = _date(request.GET.get("date"))
    state = request.GET.get("state", "")
    rows = selectors.appointments_on(actor=actor(request), day=day, dealer_id=_int(request.GET.get("dealer")))
    if state in AppointmentState.values:
        rows = rows.filter(state=state)
    context = {
        "rows": rows[:500],
        "day": day,
        "prev": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "state": state,
        "states": AppointmentState.choices,
        "can_book": has_capability(actor(request), Capability.BOOK_APPOINTMENTS),
        "work_labels": dict(WorkType.choices),
    }
    return render(request, "appointments/list.html", context)


@page()
def slots(request: HttpRequest) -> HttpResponse:
    """The day's slots grid: capacity, places taken, free places; the last place highlighted."""
    day = _date(request.GET.get("date"))
    dealer, day_slots = services.day_slots(actor=actor(request), dealer_id=_dealer_param(request), day=day)
    starts = [slot.start for slot in day_slots]
    by_slot: dict[datetime, list[Appointment]] = {start: [] for start in starts}
    for row in selectors.appointments_on(actor=actor(request), day=day, dealer_id=dealer.pk):
        if row.state != AppointmentState.CANCELLED and row.slot_start in by_slot:
            by_slot[row.slot_start].append(row)
    context = {
        "dealer": dealer,
        "day": day,
        "prev": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "rows": [(slot, by_slot[slot.start]) for slot in day_slots],
        "now": timezone.now(),
        "can_book": has_capability(actor(request), Capability.BOOK_APPOINTMENTS),
        "plan": selectors.plan_for(dealer.pk),
    }
    return render(request, "appointments/slots.html", context)


@page()
def detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment(actor=actor(request), appointment_id=appointment_id)
    return _detail(request, appointment)


def _detail(
    request: HttpRequest, appointment: Appointment, form: RescheduleForm | None = None, status: int = 200
) -> HttpResponse:
    user = actor(request)
    day = timezone.localtime(appointment.slot_start).date()
    context = {
        "a": appointment,
        "can_act": has_capability(user, Capability.BOOK_APPOINTMENTS)
        and appointment.state == AppointmentState.BOOKED,
        "form": form or RescheduleForm(initial={"day": day}),
        "day": (form.cleaned_data.get("day") if form is not None and hasattr(form, "cleaned_data") else None)
        or day,
        "work_labels": dict(WorkType.choices),
        "past": appointment.slot_start <= timezone.now(),
        "today": day == timezone.localdate(),
    }
    return render(request, "appointments/detail.html", context, status=status)


def _act(request: HttpRequest, appointment_id: int, done: str, call: Any) -> HttpResponse:
    """Run one action; a domain error shows on the appointment's page with its status."""
    try:
        call()
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        appointment = selectors.get_appointment(actor=actor(request), appointment_id=appointment_id)
        messages.error(request, exc.message)
        return _detail(request, appointment, status=exc.status)
    messages.success(request, done)
    return redirect("appointments:detail", appointment_id=appointment_id)


@require_POST
@page(Capability.BOOK_APPOINTMENTS)
def confirm(request: HttpRequest, appointment_id: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        appointment_id,
        _("Confirmed: the customer will come as booked."),
        lambda: services.confirm(actor=actor(request), appointment_id=appointment_id, note=note),
    )


@require_POST
@page(Capability.BOOK_APPOINTMENTS)
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        appointment_id,
        _("Appointment cancelled; the place is free again."),
        lambda: services.cancel(actor=actor(request), appointment_id=appointment_id, reason=reason),
    )


@require_POST
@page(Capability.BOOK_APPOINTMENTS)
def arrived(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _act(
        request,
        appointment_id,
        _("Marked as arrived."),
        lambda: services.mark_arrived(actor=actor(request), appointment_id=appointment_id),
    )


@require_POST
@page(Capability.BOOK_APPOINTMENTS)
def no_show(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _act(
        request,
        appointment_id,
        _("Marked as a no-show."),
        lambda: services.mark_no_show(actor=actor(request), appointment_id=appointment_id),
    )


@require_POST
@page(Capability.BOOK_APPOINTMENTS)
def reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment(actor=actor(request), appointment_id=appointment_id)
    form = RescheduleForm(request.POST)
    arrival = _arrival(request.POST.get("arrival_at", ""))
    if not form.is_valid() or arrival is None:
        if arrival is None:
            form.add_error("arrival_at", _("Choose a time slot."))
        return _detail(request, appointment, form, status=422)
    try:
        services.reschedule(actor=actor(request), appointment_id=appointment_id, arrival_at=arrival)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        apply_errors(form, exc)
        return _detail(request, appointment, form, status=exc.status)
    messages.success(request, _("Appointment moved."))
    return redirect("appointments:detail", appointment_id=appointment_id)


@page()
def report(request: HttpRequest) -> HttpResponse:
    """预约报表: per day booked / arrived / no-show / cancelled; by work item and advisor."""
    date_from = _date(request.GET.get("date_from"))
    date_to = _date(request.GET.get("date_to"), default=date_from)
    try:
        result = services.report(
            actor=actor(request), dealer_id=_dealer_param(request), date_from=date_from, date_to=date_to
        )
    except InvalidInput as exc:
        return render(request, "web/error.html", {"error": exc}, status=422)
    labels = dict(WorkType.choices)
    context = {
        "r": result,
        "work": [(labels[kind], count) for kind, count in result.by_work_item.items()],
        "date_from": date_from,
        "date_to": date_to,
    }
    return render(request, "appointments/report.html", context)


def _board_context(request: HttpRequest) -> dict[str, Any]:
    day = _date(request.GET.get("date"))
    dealer, rows = services.board(actor=actor(request), dealer_id=_dealer_param(request), day=day)
    query = f"?date={day.isoformat()}" + (
        f"&dealer={dealer.pk}" if user_dealer_id(actor(request)) is None else ""
    )
    return {
        "dealer": dealer,
        "day": day,
        "rows": rows,
        "now": timezone.localtime(),
        "rows_url": reverse("appointments:board_rows") + query,
    }


@page()
def board(request: HttpRequest) -> HttpResponse:
    """欢迎看板 for the reception screen: refreshes itself every 30 seconds (htmx)."""
    return render(request, "appointments/board.html", _board_context(request))


@page()
def board_rows(request: HttpRequest) -> HttpResponse:
    return render(request, "appointments/_board_rows.html", _board_context(request))
