"""The care rules' date arithmetic, at the boundaries and for any date (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kesu.care import rules
from kesu.care.choices import CareKind
from kesu.care.rules import Facts, add_months, maintenance_due, next_anniversary, next_inspection, plan

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(days, st.integers(min_value=0, max_value=400))
def test_adding_months_lands_in_the_right_month_and_never_past_its_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)


@given(days, days)
def test_the_next_anniversary_is_the_first_on_or_after_the_day(origin, day):
    found = next_anniversary(origin, day)
    assert found >= day and found >= origin
    assert (found.month, found.day) in {(origin.month, origin.day), (2, 28)}
    earlier = add_months(found, -12)
    assert earlier < day or earlier < origin  # none in between was skipped


def test_29_february_is_celebrated_on_28_february_in_other_years():
    assert next_anniversary(date(2000, 2, 29), date(2025, 1, 1)) == date(2025, 2, 28)
    assert next_anniversary(date(2000, 2, 29), date(2028, 1, 1)) == date(2028, 2, 29)


def test_maintenance_is_due_six_months_after_the_last_service_or_earlier_by_mileage():
    slow = Facts(purchase_date=date(2020, 1, 1), last_service_date=date(2024, 1, 10), mileage_km=20_000)
    assert maintenance_due(slow) == date(2024, 7, 10)  # 13.7 km a day: time comes first
    # 2 years and 73,000 km: 100 km a day, so 10,000 km after 100 days
    fast = Facts(purchase_date=date(2022, 1, 1), last_service_date=date(2024, 1, 1), mileage_km=73_000)
    assert maintenance_due(fast) == date(2024, 1, 1) + timedelta(days=100)
    # never serviced: the first service 6 months or 5,000 km (at 35 km a day: 143 days) after delivery
    new = Facts(purchase_date=date(2024, 1, 1))
    assert maintenance_due(new) == date(2024, 1, 1) + timedelta(days=143)
    assert maintenance_due(Facts()) is None


@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(30, 3000),
    st.integers(0, 300_000),
)
def test_maintenance_is_never_later_than_the_time_interval(last, owned, km):
    facts = Facts(purchase_date=last - timedelta(days=owned), last_service_date=last, mileage_km=km)
    due = maintenance_due(facts)
    assert due is not None and last < due <= add_months(last, rules.MAINTENANCE.months)


def test_the_inspection_schedule_follows_the_2022_rule():
    registered = date(2020, 3, 15)
    offsets = rules.inspection_months()[:9]
    assert offsets == [24, 48, 72, 96, 120, 132, 144, 156, 168]
    assert [rules.is_on_site(m) for m in (24, 48, 72, 96, 120, 132)] == [
        False,
        False,
        True,
        False,
        True,
        True,
    ]
    assert next_inspection(registered, date(2022, 3, 15)) == (date(2022, 3, 15), 24)
    assert next_inspection(registered, date(2022, 3, 16)) == (date(2024, 3, 15), 48)
    assert next_inspection(registered, date(2037, 1, 1)) == (
        date(2037, 3, 15),
        204,
    )  # after 15 years: every 6 months
    assert next_inspection(registered, date(2037, 3, 16)) == (date(2037, 9, 15), 210)


@given(days, days)
def test_a_plan_opens_only_items_whose_window_has_opened_and_wakes_before_the_next(purchase, today):
    facts = Facts(purchase_date=purchase, warranty_end=add_months(purchase, 36), birthday=date(1980, 5, 20))
    items, wake = plan(facts, today)
    for kind, due in items:
        assert rules.opens_on(kind, due) <= today
    if wake is not None:
        assert wake > today
        # nothing opens between today and the wake-up day
        for offset in (1, (wake - today).days - 1):
            later = today + timedelta(days=offset)
            if today < later < wake:
                assert {k for k, d in plan(facts, later)[0]} - {k for k, d in items} <= set(), (later, wake)


def test_boundaries_of_each_window():
    facts = Facts(purchase_date=date(2020, 6, 1), warranty_end=date(2025, 6, 1), birthday=date(1990, 8, 8))
    kinds = lambda day: {k for k, _d in plan(facts, day)[0]}  # noqa: E731
    assert CareKind.WARRANTY not in kinds(date(2025, 5, 1)) and CareKind.WARRANTY in kinds(date(2025, 5, 2))
    assert CareKind.WARRANTY in kinds(date(2025, 6, 1)) and CareKind.WARRANTY not in kinds(date(2025, 6, 2))
    assert CareKind.BIRTHDAY not in kinds(date(2025, 8, 4)) and CareKind.BIRTHDAY in kinds(date(2025, 8, 5))
    assert CareKind.ANNIVERSARY in kinds(date(2025, 5, 29)) and CareKind.ANNIVERSARY not in kinds(
        date(2025, 5, 28)
    )
    # maintenance: 7 days before, and not once 30 days overdue
    serviced = Facts(purchase_date=date(2020, 1, 1), last_service_date=date(2025, 1, 1), mileage_km=10)
    due = maintenance_due(serviced)
    assert due == date(2025, 7, 1)
    m = lambda day: CareKind.MAINTENANCE in {k for k, _d in plan(serviced, day)[0]}  # noqa: E731
    assert (
        not m(date(2025, 6, 23)) and m(date(2025, 6, 24)) and m(date(2025, 7, 31)) and not m(date(2025, 8, 1))
    )
