"""Calendar months for the review and the effectiveness check (local dates, Asia/Shanghai)."""

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def shift_month(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's last day: 31 Jan + 1
    month is 28/29 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first moment, first moment of the next month) of ``month``'s month, local time."""
    first = month.replace(day=1)
    return _start_of(first), _start_of(shift_month(first, 1))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def windows_around(moment: datetime) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """The month before ``moment`` and the month after it, to the same local time of day."""
    local = timezone.localtime(moment)
    day, clock = local.date(), local.timetz().replace(tzinfo=None)

    def at(d: date) -> datetime:
        return timezone.make_aware(datetime.combine(d, clock))

    return (at(shift_month(day, -1)), moment), (moment, at(shift_month(day, 1)))
