"""Contact sheets (联络单) with due dates on the dealer's working calendar: a due date becomes
the close of that working day (a holiday is refused), no date gives two working days."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from kesu.complaints.models import Complaint
from kesu.organizations.models import User
from kesu.resolutions.models import ContactSheet
from kesu.resolutions.services import sheets
from kesu.sla.policies import calendar_for

DEFAULT_WORKING_DAYS = 2


def due_times(dealer_id: int | None) -> sheets.DueTimes:
    calendar = calendar_for(dealer_id)

    def close_of(day: date) -> datetime | None:
        hours = calendar.hours_on(day)
        if not hours:
            return None
        base = datetime(day.year, day.month, day.day, tzinfo=calendar.zone)
        return base + timedelta(seconds=hours[-1][1])

    return sheets.DueTimes(
        on=close_of, default=calendar.add_working_days(timezone.now(), DEFAULT_WORKING_DAYS)
    )


def _dealer_of(complaint_id: int) -> int | None:
    """The complaint's dealer for its calendar (scope is checked by the service: an id outside
    the actor's scope gets the same 404 there)."""
    return Complaint.objects.filter(pk=complaint_id).values_list("dealer_id", flat=True).first()


def send(
    *, actor: User, complaint_id: int, department_ids: Sequence[int], question: str, due_date: date | None
) -> list[ContactSheet]:
    return sheets.send_sheets(
        actor=actor,
        complaint_id=complaint_id,
        department_ids=department_ids,
        question=question,
        due_date=due_date,
        due=due_times(_dealer_of(complaint_id)),
    )


def rework(*, actor: User, sheet_id: int, reason: str, due_date: date | None) -> ContactSheet:
    dealer_id = ContactSheet.objects.filter(pk=sheet_id).values_list("dealer_id", flat=True).first()
    return sheets.rework_sheet(
        actor=actor, sheet_id=sheet_id, reason=reason, due_date=due_date, due=due_times(dealer_id)
    )
