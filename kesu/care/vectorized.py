"""The rules of :mod:`.rules` over whole columns at once (numpy), for the daily generator.

:func:`plan_many` gives, for N vehicles, exactly what :func:`.rules.plan` gives for each one (a
test compares them on random facts): the generator reads a million vehicles in batches and
plans each batch in a few array operations instead of a Python call per vehicle.
Dates are ``datetime64[D]`` arrays with ``NaT`` for unknown; mileage a float array with NaN.
"""

from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from . import rules
from .choices import CareKind

Days = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "D")
NEVER = np.datetime64("9999-12-31", "D")
ONE_DAY = np.timedelta64(1, "D")


_EPOCH = date(1970, 1, 1).toordinal()
_NAT_INT = int(NAT.astype(np.int64))


def as_days(values: Sequence[date | None]) -> Days:
    """A column of dates (None → NaT). Through ``toordinal``: numpy converting each
    ``datetime.date`` itself was 1 µs a value, 5 of a full run's seconds."""
    epoch, nat, ordinal = _EPOCH, _NAT_INT, date.toordinal
    days = np.fromiter(
        (nat if value is None else ordinal(value) - epoch for value in values),
        dtype=np.int64,
        count=len(values),
    )
    return days.view("datetime64[D]")


def add_months(days: Days, months: npt.ArrayLike) -> Days:
    """:func:`.rules.add_months` on a column (the day clamped to the month's end)."""
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64) + 1
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return first + (np.minimum(day_of_month, length) - 1).astype("timedelta64[D]")


def _year(days: Days) -> npt.NDArray[np.int64]:
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


def next_anniversary(origin: Days, on_or_after: Days, *, first_year: int = 0) -> Days:
    years = np.maximum(first_year, _year(on_or_after) - _year(origin))
    found = add_months(origin, 12 * years)
    late = found < on_or_after
    if late.any():
        found[late] = add_months(origin[late], 12 * (years[late] + 1))
    return found


def maintenance_due(purchase: Days, mileage: npt.NDArray[np.float64], last: Days) -> Days:
    rule = rules.MAINTENANCE
    serviced = ~np.isnat(last)
    base = np.where(serviced, last, purchase)
    by_time = add_months(base, np.where(serviced, rule.months, rule.first_months))
    km = np.where(serviced, rule.km, rule.first_km).astype(np.float64)
    owned = (last - purchase).astype(np.float64)  # NaT → a huge negative number: excluded below
    own = serviced & ~np.isnat(purchase) & (mileage > 0) & (owned >= 30)
    daily = np.full(len(base), float(rules.DEFAULT_DAILY_KM))
    daily[own] = mileage[own] / owned[own]
    limit = (by_time - base).astype(np.float64)  # a car hardly driven: time decides
    days = np.minimum(np.ceil(km / daily), limit)
    by_mileage = base + np.nan_to_num(days, nan=0).astype(np.int64).astype("timedelta64[D]")
    return np.where(np.isnat(base), NAT, np.minimum(by_time, by_mileage))


def next_inspection(registered: Days, on_or_after: Days) -> Days:
    found = np.full(len(registered), NAT)
    todo = np.flatnonzero(~np.isnat(registered))
    for months in rules.inspection_months():
        if not len(todo):
            break
        due = add_months(registered[todo], months)
        hit = due >= on_or_after[todo]
        found[todo[hit]] = due[hit]
        todo = todo[~hit]
    return found


def _due_on_or_after(kind: str, facts: dict[str, Days], day: Days) -> Days:
    if kind == CareKind.INSPECTION:
        return next_inspection(facts["purchase_date"], day)
    sources: dict[str, tuple[Days, int]] = {
        CareKind.INSURANCE: (facts["insurance_renewal"], 0),
        CareKind.BIRTHDAY: (facts["birthday"], 1),
        CareKind.ANNIVERSARY: (facts["purchase_date"], 1),
    }
    origin, first_year = sources[kind]
    found = np.full(len(origin), NAT)
    known = ~np.isnat(origin)
    found[known] = next_anniversary(origin[known], day[known], first_year=first_year)
    return found


def plan_many(
    facts: dict[str, Days], mileage: npt.NDArray[np.float64], today: date
) -> tuple[list[tuple[str, npt.NDArray[np.intp], Days]], Days]:
    """For each kind: the rows with an item due today and its due dates; and each row's wake-up
    day (NaT: nothing until the facts change). ``facts`` maps the :class:`.rules.Facts` date
    fields to columns."""
    size = len(facts["purchase_date"])
    day = np.datetime64(today, "D")
    days = np.full(size, day)
    wake = np.full(size, NEVER)
    items: list[tuple[str, npt.NDArray[np.intp], Days]] = []
    for kind, lead_days in rules.LEAD_DAYS.items():
        lead = np.timedelta64(lead_days, "D")
        following = np.full(size, NAT)
        if kind == CareKind.MAINTENANCE:
            due = maintenance_due(facts["purchase_date"], mileage, facts["last_service_date"])
            valid = ~np.isnat(due) & ((day - due).astype(np.int64) <= rules.MAINTENANCE.overdue_days)
        elif kind == CareKind.WARRANTY:
            due = facts["warranty_end"]
            valid = ~np.isnat(due) & (due >= day)
        else:
            due = _due_on_or_after(kind, facts, days)
            valid = ~np.isnat(due)
        opens = due - lead
        due_now = valid & (opens <= day)
        rows = np.flatnonzero(due_now)
        if len(rows):
            items.append((kind, rows, due[rows]))
            if kind not in (CareKind.MAINTENANCE, CareKind.WARRANTY):
                subset = {name: column[rows] for name, column in facts.items()}
                following[rows] = _due_on_or_after(kind, subset, due[rows] + ONE_DAY)
        candidate = np.where(due_now, following - lead, opens)
        candidate = np.where(valid & ~np.isnat(candidate), candidate, NEVER)
        wake = np.minimum(wake, candidate)
    return items, np.where(wake == NEVER, NAT, wake)
