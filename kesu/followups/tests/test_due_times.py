"""Due times on the working calendar and the retry plan, as properties (hypothesis)."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.followups.choices import DayPart
from kesu.followups.services import DAY_PARTS, day_part_of, next_attempt_at, opening_of_working_day
from kesu.sla.calendar import SHANGHAI, WorkingCalendar, default_calendar

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
# a calendar with some closed weekdays and random closed dates on top of the statutory holidays
weekly_hours = st.lists(st.booleans(), min_size=7, max_size=7).filter(any)
closed_dates = st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 3, 1)), max_size=40)


def calendar_of(open_days: list[bool], closed: set[date]) -> WorkingCalendar:
    hours = ((8 * 3600 + 1800, 12 * 3600), (13 * 3600 + 1800, 18 * 3600))
    return WorkingCalendar(
        weekly=tuple(hours if is_open else () for is_open in open_days), overrides={d: () for d in closed}
    )


@settings(max_examples=150, deadline=None)
@given(
    moment=moments, days=st.integers(min_value=1, max_value=7), open_days=weekly_hours, closed=closed_dates
)
def test_the_nth_working_day_opening(moment, days, open_days, closed):
    calendar = calendar_of(open_days, closed)
    due = opening_of_working_day(calendar, moment, days)
    start, end = moment.astimezone(SHANGHAI).date(), due.astimezone(SHANGHAI).date()
    assert due > moment and end > start
    assert calendar.is_open(due)  # the shop is open when the call is due
    assert calendar.working_between(datetime.combine(end, time(0), tzinfo=SHANGHAI), due) == timedelta(0)
    # exactly ``days`` working days after the day of the event, the due day being the last
    working = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(1 for d in working if calendar.hours_on(d)) == days
    assert calendar.hours_on(end)


@settings(max_examples=100, deadline=None)
@given(moment=moments)
def test_the_default_calendar_skips_statutory_holidays(moment):
    calendar = default_calendar()
    due = opening_of_working_day(calendar, moment, 3)
    assert calendar.hours_on(due.astimezone(SHANGHAI).date())
    assert due.astimezone(SHANGHAI).time() == time(8, 30)


@settings(max_examples=300, deadline=None)
@given(
    now=moments,
    tried=st.sets(st.sampled_from([DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING]), max_size=2),
)
def test_the_next_attempt_is_at_a_time_of_day_not_tried_yet(now, tried):
    later = next_attempt_at(now, set(tried))
    assert later > now
    assert later - now < timedelta(days=2)
    assert day_part_of(later) not in tried
    assert day_part_of(later) in DayPart.values
    assert (later.hour, later.minute) in {(start.hour, start.minute) for _part, start in DAY_PARTS}


@settings(max_examples=100, deadline=None)
@given(now=moments)
def test_following_the_plan_three_calls_cover_three_times_of_day(now):
    """Whatever part the first call fell in, following the plan the three calls are at three
    different times of day."""
    tried = {day_part_of(now)}
    moment = now
    for _ in range(2):
        moment = next_attempt_at(moment, tried)
        tried.add(day_part_of(moment))
    assert tried == set(DayPart.values)
