"""The demo's appointments: agent1's day has bookings with their confirmation calls, slots with
one place left and a full one; running the demo again adds nothing."""

from django.core.management import call_command
from django.utils import timezone

from kesu.appointments import services
from kesu.appointments.models import Appointment
from kesu.worklist.models import WorkItem


def test_the_demo_books_a_realistic_day(db, settings):
    call_command("demo", complaints=40, verbosity=0)
    booked = Appointment.objects.filter(dealer__code="D1")
    assert booked.count() >= 8
    assert WorkItem.objects.filter(kind="confirmation", state="open", assignee__username="agent1").exists()
    assert WorkItem.objects.filter(kind="confirmation", state="done").exists()
    days = sorted({timezone.localtime(a.slot_start).date() for a in booked})
    dealer_id = booked.first().dealer_id  # type: ignore[union-attr]
    free = [s.free for day in days for s in services.slots_of_day(dealer_id=dealer_id, day=day) if s.booked]
    assert 1 in free and 0 in free
    count = booked.count()
    call_command("demo", verbosity=0)
    assert Appointment.objects.count() == count
