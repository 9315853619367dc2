"""Calendar months, in local time (Asia/Shanghai): the one place for month arithmetic that the
monthly review, the care rules, the audits and the queue's month filter all use."""

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (negative: earlier), the day clamped to the
    month's end: 31 Jan + 1 month is 28/29 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if day.day <= 28:
        return date(year, month + 1, day.day)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of ``month``'s month, local time."""
    first = month.replace(day=1)
    return _start_of(first), _start_of(add_months(first, 1))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
