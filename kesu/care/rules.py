"""When each kind of care contact is due: the rules as data, and pure date arithmetic.

All of it is plain Python on dates (no database), so the generator (services.generate_care_lists)
and the tests share one definition. The numbers below are the policy; change them here.

* **Maintenance (定保)** — the next service is due ``months`` after the last one (the first one
  after delivery: ``first_months``), or earlier when the estimated mileage since then reaches
  ``km`` (first: ``first_km``). The estimate uses the car's own average daily mileage (odometer
  at the last service / days owned until then), or :data:`DEFAULT_DAILY_KM` when unknown. A
  reminder opens ``lead_days`` before the date and is no longer generated once a car is
  ``overdue_days`` past it (those go to a win-back campaign, not the daily list).
* **Annual inspection (年检)** — private cars with up to 6 seats, the rule in force since
  2022-10-01 (公安部 《关于深化机动车检验制度改革》): within 10 years no on-site test except at 6
  and 10 years; at 2, 4 and 8 years the owner only applies for the sticker (标志申领); from the
  11th to the 15th year once a year; after 15 years twice a year. :data:`INSPECTION_PERIODS`
  lists (first month, last month or None, step in months) from the registration (purchase)
  date; :data:`INSPECTION_ON_SITE` says which of those need the car at a test station.
* **Warranty ending (保修到期)** — ``lead_days`` before ``warranty_end``.
* **Insurance renewal (续保)** — every year on the policy's end date, ``lead_days`` before.
* **Birthdays and purchase anniversaries** — every year, ``lead_days`` before (29 February
  falls on 28 February in other years).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from kesu.core.months import add_months

from .choices import CareKind

DEFAULT_DAILY_KM = 35  # about 12,800 km a year: a Chinese private car's average


@dataclass(frozen=True)
class MaintenanceRule:
    months: int = 6
    km: int = 10_000
    first_months: int = 6
    first_km: int = 5_000
    lead_days: int = 7
    overdue_days: int = 30


MAINTENANCE = MaintenanceRule()

# (first month, last month or None for "for ever", step) from the registration date
INSPECTION_PERIODS: tuple[tuple[int, int | None, int], ...] = ((24, 120, 24), (132, 180, 12), (186, None, 6))
INSPECTION_ON_SITE_MONTHS = frozenset({72, 120})  # and every inspection from month 132 on
INSPECTION_ON_SITE_FROM = 132

LEAD_DAYS: dict[str, int] = {
    CareKind.MAINTENANCE: MAINTENANCE.lead_days,
    CareKind.INSPECTION: 30,
    CareKind.WARRANTY: 30,
    CareKind.INSURANCE: 30,
    CareKind.BIRTHDAY: 3,
    CareKind.ANNIVERSARY: 3,
}

AUTOMATIC_KINDS = tuple(LEAD_DAYS)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read about one vehicle and its owner."""

    purchase_date: date | None = None
    mileage_km: int | None = None
    warranty_end: date | None = None
    last_service_date: date | None = None
    insurance_renewal: date | None = None
    birthday: date | None = None


def next_anniversary(origin: date, on_or_after: date, *, first_year: int = 0) -> date:
    """The first yearly recurrence of ``origin`` (``first_year`` years after it at the earliest)
    that falls on or after ``on_or_after``."""
    years = max(first_year, on_or_after.year - origin.year)
    day = add_months(origin, 12 * years)
    if day < on_or_after:
        day = add_months(origin, 12 * (years + 1))
    return day


def maintenance_due(facts: Facts) -> date | None:
    """The date the next periodic service is due (by time or by estimated mileage), None when
    the car's dates are unknown."""
    rule = MAINTENANCE
    if facts.last_service_date is not None:
        base, months, km = facts.last_service_date, rule.months, rule.km
    elif facts.purchase_date is not None:
        base, months, km = facts.purchase_date, rule.first_months, rule.first_km
    else:
        return None
    by_time = add_months(base, months)
    daily: float = DEFAULT_DAILY_KM
    if facts.last_service_date is not None and facts.purchase_date is not None and facts.mileage_km:
        owned = (facts.last_service_date - facts.purchase_date).days
        if owned >= 30:
            daily = facts.mileage_km / owned
    if daily <= 0:
        return by_time
    days = ceil(km / daily)
    if days >= (by_time - base).days:  # a car hardly driven: time decides (and no overflow)
        return by_time
    return base + timedelta(days=days)


def inspection_months() -> "list[int]":
    """The first 40 inspection offsets (months from registration): enough for 25 years."""
    months: list[int] = []
    for first, last, step in INSPECTION_PERIODS:
        month = first
        while (last is None or month <= last) and len(months) < 40:
            months.append(month)
            month += step
    return months


_INSPECTION_MONTHS = inspection_months()


def is_on_site(months: int) -> bool:
    """Whether the inspection ``months`` after registration needs the car at a test station
    (otherwise only the sticker is applied for: 标志申领)."""
    return months in INSPECTION_ON_SITE_MONTHS or months >= INSPECTION_ON_SITE_FROM


def next_inspection(registered: date, on_or_after: date) -> tuple[date, int] | None:
    """The next inspection due on or after ``on_or_after`` and its offset in months."""
    for months in _INSPECTION_MONTHS:
        due = add_months(registered, months)
        if due >= on_or_after:
            return due, months
    return None


def due_on_or_after(kind: str, facts: Facts, day: date) -> date | None:
    """The next due date of a recurring ``kind`` on or after ``day``; for one-off kinds
    (maintenance, warranty) their single date whatever ``day``."""
    if kind == CareKind.MAINTENANCE:
        return maintenance_due(facts)
    if kind == CareKind.WARRANTY:
        return facts.warranty_end
    if kind == CareKind.INSPECTION:
        if facts.purchase_date is None:
            return None
        found = next_inspection(facts.purchase_date, day)
        return found[0] if found else None
    if kind == CareKind.INSURANCE:
        origin = facts.insurance_renewal
        return None if origin is None else next_anniversary(origin, day)
    if kind == CareKind.BIRTHDAY:
        return None if facts.birthday is None else next_anniversary(facts.birthday, day, first_year=1)
    if kind == CareKind.ANNIVERSARY:
        origin = facts.purchase_date
        return None if origin is None else next_anniversary(origin, day, first_year=1)
    raise ValueError(kind)


def plan(facts: Facts, today: date) -> tuple[list[tuple[str, date]], date | None]:
    """What is due for one vehicle ``today``: the (kind, due date) items whose reminder window
    has opened, and the next day something new can open (None: nothing until the facts
    change)."""
    items: list[tuple[str, date]] = []
    wake: date | None = None
    for kind, lead in LEAD_DAYS.items():
        if kind == CareKind.MAINTENANCE:
            due = maintenance_due(facts)
            if due is None or (today - due).days > MAINTENANCE.overdue_days:
                continue
            following = None
        elif kind == CareKind.WARRANTY:
            due = facts.warranty_end
            if due is None or due < today:
                continue
            following = None
        else:
            due = due_on_or_after(kind, facts, today)
            if due is None:
                continue
            following = due_on_or_after(kind, facts, due + timedelta(days=1))
        opens = due - timedelta(days=lead)
        if opens <= today:
            items.append((kind, due))
            if following is not None:
                opens = following - timedelta(days=lead)
            else:
                continue
        if wake is None or opens < wake:
            wake = opens
    return items, wake


def opens_on(kind: str, due: date) -> date:
    """The day the reminder for ``due`` opens (the agent's due day)."""
    return due - timedelta(days=LEAD_DAYS.get(kind, 0))
