"""What other apps read of the SLA app: working time on an organisation's calendar (the
approval clock of kesu.approvals counts working days as the complaint clocks do)."""

from datetime import date, datetime

from .policies import calendar_for


def add_working_days(*, organization_id: int | None, start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days on the organisation's calendar (dealer → region →
    manufacturer hours, statutory holidays and 调休 included)."""
    return calendar_for(organization_id).add_working_days(start, days)


def opening_hours(*, organization_id: int | None, day: date) -> tuple[tuple[int, int], ...]:
    """The organisation's opening intervals on ``day`` as (start, end) seconds since local
    midnight (Asia/Shanghai); empty on a statutory holiday or a closed day. kesu.appointments
    lays its slots inside them."""
    return calendar_for(organization_id).hours_on(day)
