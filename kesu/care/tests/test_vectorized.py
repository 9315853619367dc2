"""The column-wise plan gives what the per-vehicle rules give, for any facts and day."""

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.care import rules, vectorized

maybe_day = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2045, 12, 31)))
facts = st.builds(
    rules.Facts,
    purchase_date=maybe_day,
    mileage_km=st.one_of(st.none(), st.integers(0, 500_000)),
    warranty_end=maybe_day,
    last_service_date=maybe_day,
    insurance_renewal=maybe_day,
    birthday=maybe_day,
)
FIELDS = ("purchase_date", "warranty_end", "last_service_date", "insurance_renewal", "birthday")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(facts, min_size=1, max_size=30),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
)
def test_plan_many_equals_plan_row_by_row(rows, today):
    columns = {name: vectorized.as_days([getattr(f, name) for f in rows]) for name in FIELDS}
    mileage = np.array([np.nan if f.mileage_km is None else f.mileage_km for f in rows], dtype=np.float64)
    items, wake = vectorized.plan_many(columns, mileage, today)
    got: list[set[tuple[str, date]]] = [set() for _ in rows]
    for kind, indexes, dues in items:
        for index, due in zip(indexes.tolist(), dues.tolist(), strict=True):
            got[index].add((kind, due))
    for index, f in enumerate(rows):
        expected_items, expected_wake = rules.plan(f, today)
        assert got[index] == set(expected_items), (f, today)
        assert wake[index].tolist() == expected_wake, (f, today)


@given(st.lists(maybe_day.filter(bool), min_size=1, max_size=40), st.integers(-300, 300))
def test_add_months_column_equals_rules(days, months):
    got = vectorized.add_months(vectorized.as_days(days), months).tolist()
    assert got == [rules.add_months(d, months) for d in days]
