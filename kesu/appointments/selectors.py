"""What other apps (and this app's pages) read of appointments: always through the actor's
scope."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.caches import ProcessCache
from kesu.core.errors import NotFound
from kesu.organizations.models import User

from .choices import HOLDS_A_PLACE
from .models import Appointment, AppointmentQuerySet, SlotPlan


def get_appointment(*, actor: User, appointment_id: int, for_update: bool = False) -> Appointment:
    """An appointment in the actor's scope, or NotFound — the same answer whether it exists."""
    rows = Appointment.objects.visible_to(actor)
    if for_update:
        rows = rows.select_for_update()
    found = rows.filter(pk=appointment_id).first()
    if found is None:
        raise NotFound(_("No such appointment."))
    return found


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to midnight (Asia/Shanghai) of ``day``."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(date.fromordinal(day.toordinal() + 1), time(0), tzinfo=zone)
    return start, end


def appointments_on(*, actor: User, day: date, dealer_id: int | None = None) -> AppointmentQuerySet:
    """The day's appointments in scope (one dealer's if given), by arrival time."""
    start, end = day_bounds(day)
    rows = Appointment.objects.visible_to(actor).filter(slot_start__gte=start, slot_start__lt=end)
    if dealer_id is not None:
        rows = rows.filter(dealer_id=dealer_id)
    return rows.select_related("advisor").order_by("slot_start", "seat_no")


def booked_per_slot(*, dealer_id: int, start: datetime, end: datetime) -> dict[datetime, int]:
    """Places held per slot start between two moments (cancelled bookings hold none)."""
    counts: dict[datetime, int] = {}
    rows = Appointment.objects.filter(
        dealer_id=dealer_id, slot_start__gte=start, slot_start__lt=end, state__in=HOLDS_A_PLACE
    ).values_list("slot_start", flat=True)
    for slot_start in rows:
        counts[slot_start] = counts.get(slot_start, 0) + 1
    return counts


# Every booking reads its dealer's plan, which is edited a few times a year: kept per process for
# a minute; an edit through kesu.appointments.services.set_plan forgets it in this process at once.
PLANS: ProcessCache[int, SlotPlan] = ProcessCache("appointments.plans", ttl=60)


def plan_for(dealer_id: int) -> SlotPlan:
    """The dealer's slot plan, or the defaults (unsaved) when it has none (read only)."""
    return PLANS.get_or_set(
        dealer_id,
        lambda: SlotPlan.objects.filter(dealer_id=dealer_id).first() or SlotPlan(dealer_id=dealer_id),
    )


def open_appointment_of(*, actor: User, customer_id: int) -> Appointment | None:
    """The customer's next appointment still to come (a follow-up page says "already booked")."""
    return (
        Appointment.objects.visible_to(actor)
        .filter(customer_id=customer_id, state="booked", slot_start__gte=timezone.now())
        .order_by("slot_start")
        .first()
    )
