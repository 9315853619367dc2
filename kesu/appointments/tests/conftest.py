"""Fixtures of the appointment tests: dealer D1 open 08:30–12:00 and 13:30–18:00 every day, a
slot plan of 60-minute slots with 2 places, and a working day ahead to book on."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kesu.appointments.models import SlotPlan
from kesu.core.caches import clear_all
from kesu.sla.models import BusinessHours
from kesu.sla.selectors import opening_hours

HOURS = ((time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)))


def open_day(dealer_id: int, *, after: int = 3) -> date:
    """A day at least ``after`` days ahead on which the dealer is open (not a holiday)."""
    day = timezone.localdate() + timedelta(days=after)
    while not opening_hours(organization_id=dealer_id, day=day):
        day += timedelta(days=1)
    return day


def at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def hours(demo):  # type: ignore[no-untyped-def]
    """Every demo dealer: two openings a day, 60-minute slots with 2 places (bays 2, advisors 3)."""
    for dealer in demo.dealers.values():
        BusinessHours.objects.bulk_create(
            BusinessHours(organization=dealer, weekday=weekday, opens=opens, closes=closes)
            for weekday in range(7)
            for opens, closes in HOURS
        )
        SlotPlan.objects.create(dealer=dealer, slot_minutes=60, bays=2, advisors=3)
    clear_all()
    return demo


@pytest.fixture
def day(hours):  # type: ignore[no-untyped-def]
    return open_day(hours.dealers["D1"].pk)
