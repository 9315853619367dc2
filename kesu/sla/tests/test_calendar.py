"""Working-time arithmetic: examples from the Chinese calendar and properties (hypothesis)."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.sla.calendar import (
    DEFAULT_WEEK,
    SHANGHAI,
    WorkingCalendar,
    seconds_of,
    validate_day,
)

H = 3600
OFFICE = tuple(((8 * H + 1800, 12 * H), (13 * H + 1800, 18 * H)) if d < 5 else () for d in range(7))
OFFICE_CAL = WorkingCalendar(weekly=OFFICE)  # Mon–Fri 08:30–12:00, 13:30–18:00
DEALER_CAL = WorkingCalendar(weekly=DEFAULT_WEEK)  # every day 08:30–18:00
CALENDARS = st.sampled_from([OFFICE_CAL, DEALER_CAL])


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_two_working_hours_skip_lunch_and_evening():
    assert OFFICE_CAL.add_working(at(2026, 3, 10, 11), timedelta(hours=2)) == at(2026, 3, 10, 14, 30)
    assert OFFICE_CAL.add_working(at(2026, 3, 10, 17), timedelta(hours=2)) == at(2026, 3, 11, 9, 30)


def test_spring_festival_2026_and_its_made_up_saturday():
    # 2026 春节: closed 2/15–2/23; Saturday 2/14 and Saturday 2/28 are working days (调休).
    friday_evening = at(2026, 2, 13, 17)
    assert OFFICE_CAL.add_working(friday_evening, timedelta(hours=2)) == at(2026, 2, 14, 9, 30)
    assert OFFICE_CAL.hours_on(date(2026, 2, 16)) == ()
    assert OFFICE_CAL.hours_on(date(2026, 2, 28)) != ()
    saturday_evening = at(2026, 2, 14, 17)
    assert OFFICE_CAL.add_working(saturday_evening, timedelta(hours=2)) == at(2026, 2, 24, 9, 30)


def test_national_day_2026_closes_even_a_seven_day_dealer():
    # 2026 国庆: 10/1–10/7 closed; a dealer open every day still loses those days.
    due = DEALER_CAL.add_working(at(2026, 9, 30, 17), timedelta(hours=2))
    assert due == at(2026, 10, 8, 9, 30)


def test_three_working_days_over_a_weekend():
    assert OFFICE_CAL.add_working_days(at(2026, 3, 13, 10), 3) == at(2026, 3, 18, 10)
    # received after hours: the due time moves to the next opening
    assert OFFICE_CAL.add_working_days(at(2026, 3, 13, 20), 3) == at(2026, 3, 19, 8, 30)


def test_unknown_year_falls_back_to_weekends_and_overrides():
    assert not OFFICE_CAL.knows_year(2031)
    assert OFFICE_CAL.add_working(at(2031, 1, 3, 17), timedelta(hours=2)) == at(2031, 1, 6, 9, 30)
    closure = WorkingCalendar(weekly=OFFICE, overrides={date(2031, 1, 6): ()})
    assert closure.add_working(at(2031, 1, 3, 17), timedelta(hours=2)) == at(2031, 1, 7, 9, 30)


def test_overlapping_hours_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        validate_day([(8 * H, 12 * H), (11 * H, 18 * H)])
    with pytest.raises(ValueError):
        validate_day([(18 * H, 8 * H)])
    assert seconds_of(time(8, 30)) == 8 * H + 1800


def test_working_between_counts_open_time_only():
    assert OFFICE_CAL.working_between(at(2026, 3, 13, 17), at(2026, 3, 16, 9, 30)) == timedelta(hours=2)
    assert OFFICE_CAL.working_between(at(2026, 3, 16, 9, 30), at(2026, 3, 13, 17)) == -timedelta(hours=2)


moments = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 2, 1)).map(
    lambda d: d.replace(tzinfo=SHANGHAI)
)
durations = st.integers(min_value=1, max_value=60 * 24 * 20).map(lambda m: timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(cal=CALENDARS, start=moments, duration=durations)
def test_due_time_is_never_inside_a_closed_period(cal, start, duration):
    due = cal.add_working(start, duration).astimezone(SHANGHAI)
    pos = due.hour * H + due.minute * 60 + due.second + due.microsecond / 1e6
    assert any(a <= pos <= b for a, b in cal.hours_on(due.date())), due


@settings(max_examples=300, deadline=None)
@given(cal=CALENDARS, start=moments, shorter=durations, extra=durations)
def test_more_time_never_gives_an_earlier_due_time(cal, start, shorter, extra):
    assert cal.add_working(start, shorter) <= cal.add_working(start, shorter + extra)


@settings(max_examples=300, deadline=None)
@given(cal=CALENDARS, start=moments, a=durations, b=durations)
def test_adding_a_plus_b_equals_adding_a_then_b(cal, start, a, b):
    assert cal.add_working(start, a + b) == cal.add_working(cal.add_working(start, a), b)


@settings(max_examples=200, deadline=None)
@given(cal=CALENDARS, start=moments, duration=durations)
def test_working_between_inverts_add_working(cal, start, duration):
    due = cal.add_working(start, duration)
    assert abs(cal.working_between(start, due) - duration) < timedelta(milliseconds=1)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 12, 20), max_value=datetime(2026, 1, 10)).map(
        lambda d: d.replace(tzinfo=SHANGHAI)
    ),
    duration=durations,
)
def test_year_end_and_new_year_holiday(start, duration):
    due = OFFICE_CAL.add_working(start, duration)
    assert due.astimezone(SHANGHAI).date() != date(2026, 1, 1)  # 元旦 is closed
    assert due >= start


@settings(max_examples=200, deadline=None)
@given(cal=CALENDARS, start=moments, days=st.integers(min_value=1, max_value=15))
def test_working_days_are_monotonic_and_open(cal, start, days):
    due = cal.add_working_days(start, days)
    assert due > start and due <= cal.add_working_days(start, days + 1)
    assert cal.is_open(due)


def test_working_days_from_a_holiday_count_from_the_next_opening():
    # received on 国庆 Saturday 10/3: three full working days from Thursday 10/8 08:30
    # (Saturday 10/10 is a 调休 working day; a seven-day dealer opens on Sunday 10/11 too)
    assert DEALER_CAL.add_working_days(at(2026, 10, 3, 10), 3) == at(2026, 10, 11, 8, 30)
    # received on a Sunday the office is closed: Monday is day 0, due Thursday at opening
    assert OFFICE_CAL.add_working_days(at(2026, 3, 15, 10), 3) == at(2026, 3, 19, 8, 30)


def test_a_made_up_saturday_is_worked_with_weekday_hours():
    short_saturday = tuple(
        ((9 * H, 12 * H),) if d == 5 else ((8 * H + 1800, 18 * H),) if d < 5 else () for d in range(7)
    )
    cal = WorkingCalendar(weekly=short_saturday)
    assert cal.hours_on(date(2026, 10, 10)) == ((8 * H + 1800, 18 * H),)  # 国庆 调休 Saturday
    assert cal.hours_on(date(2026, 10, 17)) == ((9 * H, 12 * H),)  # an ordinary Saturday


@settings(max_examples=200, deadline=None)
@given(cal=CALENDARS, start=moments, days=st.integers(min_value=1, max_value=15))
def test_working_days_count_from_the_next_opening(cal, start, days):
    """A closed day (holiday, evening, the office's Sunday) is never counted as one of the days."""
    opening = cal.next_open(start)
    assert cal.add_working_days(start, days) == cal.add_working_days(opening, days)
