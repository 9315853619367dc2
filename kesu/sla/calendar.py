"""Working-time arithmetic on a Chinese working calendar — one pure, tested module.

A calendar is weekly opening hours (several intervals a day, so a lunch break can be left out),
the statutory holidays and the weekend days made working days (调休) from ``chinesecalendar``,
and per-date overrides. For a year the package does not know yet, the weekly hours and the
overrides alone apply (``knows_year`` tells the admin page to warn) — the clocks never stop.

All arithmetic is in local wall-clock time of the calendar's zone (Asia/Shanghai by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

Interval = tuple[int, int]  # seconds since local midnight, start < end
DayHours = tuple[Interval, ...]
DAY = 86_400
SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_SEARCH_DAYS = 3_700  # ten years without a single open hour means a misconfigured calendar

STATUTORY_HOLIDAYS: frozenset[date] = frozenset(chinese_calendar.holidays)
MADE_WORKDAYS: frozenset[date] = frozenset(chinese_calendar.workdays)
KNOWN_YEARS: frozenset[int] = frozenset(d.year for d in STATUTORY_HOLIDAYS)


class CalendarError(ValueError):
    """The calendar cannot answer: no open time at all within ten years."""


def seconds_of(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def validate_day(intervals: Iterable[Interval]) -> DayHours:
    """Sorted, non-overlapping intervals within the day; raises ValueError otherwise."""
    ordered = sorted(intervals)
    for start, end in ordered:
        if not 0 <= start < end <= DAY:
            raise ValueError(f"an opening must end after it starts, within the day ({start}-{end})")
    for (_, first_end), (second_start, _) in zip(ordered, ordered[1:], strict=False):
        if second_start < first_end:
            raise ValueError("opening hours overlap")
    return tuple(ordered)


@dataclass(frozen=True)
class WorkingCalendar:
    weekly: tuple[DayHours, ...]  # index 0 = Monday
    overrides: Mapping[date, DayHours] = field(default_factory=dict)
    zone: ZoneInfo = SHANGHAI
    use_statutory: bool = True

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly hours need 7 days")
        object.__setattr__(self, "_cache", {})

    @property
    def _workday_hours(self) -> DayHours:
        """Hours for a 调休 weekend day: the first weekday that has hours (normally Monday)."""
        return next((hours for hours in self.weekly[:5] if hours), ())

    def hours_on(self, day: date) -> DayHours:
        cache: dict[date, DayHours] = self.__dict__["_cache"]
        hours = cache.get(day)
        if hours is None:
            hours = self._compute_hours(day)
            cache[day] = hours
        return hours

    def _compute_hours(self, day: date) -> DayHours:
        if day in self.overrides:
            return self.overrides[day]
        if self.use_statutory and day.year in KNOWN_YEARS:
            if day in STATUTORY_HOLIDAYS:
                return ()
            if day in MADE_WORKDAYS:  # a weekend day worked as a weekday: weekday hours
                return self._workday_hours or self.weekly[day.weekday()]
        return self.weekly[day.weekday()]

    def knows_year(self, year: int) -> bool:
        return not self.use_statutory or year in KNOWN_YEARS

    # --- conversions -------------------------------------------------------------------------
    def _local(self, moment: datetime) -> tuple[date, float]:
        local = moment.astimezone(self.zone)
        return (
            local.date(),
            local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6,
        )

    def _at(self, day: date, seconds: float) -> datetime:
        base = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        return base + timedelta(seconds=seconds)

    # --- arithmetic --------------------------------------------------------------------------
    def is_open(self, moment: datetime) -> bool:
        day, pos = self._local(moment)
        return any(start <= pos < end for start, end in self.hours_on(day))

    def add_working(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of open time has passed after ``start``.

        A duration of zero returns ``start`` unchanged; the result of a positive duration always
        lies within (or at the closing edge of) an opening.
        """
        remaining = duration.total_seconds()
        if remaining < 0:
            raise ValueError("duration must not be negative")
        if remaining == 0:
            return start
        day, pos = self._local(start)
        for _ in range(MAX_SEARCH_DAYS):
            for open_at, close_at in self.hours_on(day):
                if pos >= close_at:
                    continue
                begin = max(pos, open_at)
                available = close_at - begin
                if remaining <= available:
                    return self._at(day, begin + remaining)
                remaining -= available
            day += timedelta(days=1)
            pos = 0
        raise CalendarError("no opening hours within ten years: check the business hours")

    def working_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two moments (negative if ``end`` is before ``start``)."""
        if end < start:
            return -self.working_between(end, start)
        day, pos = self._local(start)
        last_day, last_pos = self._local(end)
        total = 0.0
        while day <= last_day:
            stop = last_pos if day == last_day else DAY
            for open_at, close_at in self.hours_on(day):
                begin, finish = max(open_at, pos), min(close_at, stop)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
            pos = 0
        return timedelta(seconds=total)

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` if open, else the next opening (used to place day-based due times)."""
        day, pos = self._local(moment)
        for _ in range(MAX_SEARCH_DAYS):
            for open_at, close_at in self.hours_on(day):
                if pos < close_at:
                    return moment if pos >= open_at else self._at(day, open_at)
            day += timedelta(days=1)
            pos = 0
        raise CalendarError("no opening hours within ten years: check the business hours")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same wall-clock time ``days`` working days later, moved to the next opening if the
        shop is closed then. A working day is a day with any opening hours.

        Counting starts at the first opening at or after ``start``: a complaint received on a
        holiday or after closing gets its N full working days from the next opening, never a
        closed day counted as one of them."""
        local = self.next_open(start).astimezone(self.zone)
        day = self._working_day_after(local.date(), days)
        target = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=self.zone)
        return self.next_open(target)

    def opening_after_working_days(self, moment: datetime, days: int) -> datetime:
        """The first opening of the ``days``-th working day after the day of ``moment``: when a
        revisit or a follow-up call may be made (holidays skipped, 调休 days counted)."""
        day = self._working_day_after(moment.astimezone(self.zone).date(), days)
        return self.next_open(datetime.combine(day, time(0), tzinfo=self.zone))

    def _working_day_after(self, day: date, days: int) -> date:
        for _ in range(days):
            day += timedelta(days=1)
            for _ in range(MAX_SEARCH_DAYS):
                if self.hours_on(day):
                    break
                day += timedelta(days=1)
        return day


DEFAULT_WEEK: tuple[DayHours, ...] = tuple(((8 * 3600 + 1800, 18 * 3600),) for _ in range(7))


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """08:30–18:00 every day (dealers open at weekends), closed on statutory holidays."""
    return WorkingCalendar(weekly=DEFAULT_WEEK)
