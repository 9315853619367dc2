"""Calendar months for the review and the effectiveness check (local dates, Asia/Shanghai)."""

from datetime import date, datetime

from django.utils import timezone

from kesu.core.months import add_months as shift_month
from kesu.core.months import month_bounds

__all__ = ["month_bounds", "shift_month", "windows_around"]


def windows_around(moment: datetime) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """The month before ``moment`` and the month after it, to the same local time of day."""
    local = timezone.localtime(moment)
    day, clock = local.date(), local.timetz().replace(tzinfo=None)

    def at(d: date) -> datetime:
        return timezone.make_aware(datetime.combine(d, clock))

    return (at(shift_month(day, -1)), moment), (moment, at(shift_month(day, 1)))
