"""Demo appointments (预约) for dealer D1: today's and tomorrow's slots partly booked by agent1 —
some with one place left, one full — with their confirmation calls on agent1's day, one of them
confirmed, so the slots grid, the list and the welcome board have something to show."""

from datetime import timedelta

from django.utils import timezone

from kesu.appointments import services as appointment_services
from kesu.appointments.models import Appointment
from kesu.customers.models import Customer

from .builder import DemoOrg

WORK = (["maintenance"], ["repair"], ["maintenance", "inspection"], ["inspection"])


def build_appointments(demo: DemoOrg) -> int:
    """Book D1's next open slots (today's still to come, then the next open day's); idempotent."""
    dealer = demo.dealers["D1"]
    if Appointment.objects.filter(dealer=dealer).exists():
        return 0
    agent = demo.users["agent1"]
    customers = list(Customer.objects.filter(dealer=dealer).prefetch_related("vehicles").order_by("pk")[:40])
    customers = [c for c in customers if any(v.plate for v in c.vehicles.all())]
    now = timezone.now()
    slots: list[appointment_services.Slot] = []
    day = timezone.localdate()
    while len(slots) < 8 and day < timezone.localdate() + timedelta(days=14):
        slots += [s for s in appointment_services.slots_of_day(dealer_id=dealer.pk, day=day) if s.start > now]
        day += timedelta(days=1)
    advisors = [demo.users["manager1"], demo.users["dept1"]]  # 指定服专 for the first two places
    made = 0
    for index, slot in enumerate(slots[:8]):
        # leave one place in most slots; fill the third slot completely
        wanted = slot.capacity if index == 2 else max(0, slot.capacity - 1)
        for seat in range(wanted):
            if not customers:
                return made
            customer = customers.pop(0)
            vehicle = next(v for v in customer.vehicles.all() if v.plate)
            booked = appointment_services.book(
                actor=agent,
                data=appointment_services.BookingInput(
                    plate=vehicle.plate,
                    name=customer.name,
                    mobile=customer.mobile,
                    arrival_at=slot.start,
                    work_items=WORK[(index + seat) % len(WORK)],
                    mileage_km=vehicle.mileage_km,
                    advisor_id=advisors[seat].pk if seat < len(advisors) else None,
                    customer_id=customer.pk,
                    vehicle_id=vehicle.pk,
                ),
            )
            if made % 4 == 1:
                appointment_services.confirm(actor=agent, appointment_id=booked.pk, note="准时来厂")
            made += 1
    return made
