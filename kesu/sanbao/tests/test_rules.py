"""The pure 三包 check: boundaries as the articles word them, monotonicity, missing facts."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.sanbao.choices import Right, System
from kesu.sanbao.rules import RepairFact, VehicleFacts, add_years, assess
from kesu.sanbao.thresholds import THRESHOLDS

START = date(2024, 3, 10)
RIGHTS = [r for r in Right.values if r != Right.USAGE_COMPENSATION]


def brake_failure(on: date, km: int | None = 1200, **extra: object) -> RepairFact:
    return RepairFact(
        date_in=on,
        days=3,
        system=System.BRAKES,
        problem="制动模块失效",
        mileage_km=km,
        serious_safety_fault=True,
        system_failure=True,
        id=1,
        **extra,  # type: ignore[arg-type]
    )


def verdict(facts: VehicleFacts, right: str) -> str:
    return assess(facts).right(right).may_apply


def test_every_threshold_names_its_article_and_wording():
    for t in THRESHOLDS:
        assert t.article.startswith("第") and "条" in t.article
        assert t.wording and t.figure >= 0
    figures = {t.key: t.figure for t in THRESHOLDS}
    assert (figures["warranty_years"], figures["warranty_km"]) == (3, 60000)
    assert (figures["sanbao_years"], figures["sanbao_km"]) == (2, 50000)
    assert (figures["sixty_days"], figures["sixty_days_km"], figures["seven_days"]) == (60, 3000, 7)
    assert (figures["repair_days"], figures["same_problem_repairs"], figures["courtesy_days"]) == (30, 4, 5)


def test_sixty_days_counted_from_the_day_after_the_invoice():
    """自…之日起60日内: the start day is not counted, so start + 60 is the last day."""
    inside = VehicleFacts(
        as_of=START + timedelta(days=61),
        purchase_date=START,
        mileage_km=2500,
        repairs=(brake_failure(START + timedelta(days=60)),),
    )
    outside = VehicleFacts(
        as_of=START + timedelta(days=62),
        purchase_date=START,
        mileage_km=2500,
        repairs=(brake_failure(START + timedelta(days=61)),),
    )
    assert verdict(inside, Right.RETURN) == verdict(inside, Right.EXCHANGE) == "yes"
    assert verdict(outside, Right.RETURN) == "no"


def test_three_thousand_km_is_inside_and_one_more_is_not():
    at = VehicleFacts(
        as_of=START + timedelta(days=20),
        purchase_date=START,
        mileage_km=3100,
        repairs=(brake_failure(START + timedelta(days=10), km=3000),),
    )
    past = VehicleFacts(
        as_of=START + timedelta(days=20),
        purchase_date=START,
        mileage_km=3100,
        repairs=(brake_failure(START + timedelta(days=10), km=3001),),
    )
    assert verdict(at, Right.EXCHANGE) == "yes"
    assert verdict(past, Right.EXCHANGE) == "no"


def test_the_sanbao_period_ends_on_the_corresponding_day():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    repairs = tuple(
        RepairFact(
            date_in=START + timedelta(days=100 + i), days=8, system=System.ENGINE, problem="异响", id=i
        )
        for i in range(4)
    )  # 32 days in the workshop: more than 30
    last_day = VehicleFacts(as_of=date(2026, 3, 10), purchase_date=START, mileage_km=40000, repairs=repairs)
    day_after = VehicleFacts(as_of=date(2026, 3, 11), purchase_date=START, mileage_km=40000, repairs=repairs)
    over_km = VehicleFacts(as_of=date(2025, 3, 10), purchase_date=START, mileage_km=50001, repairs=repairs)
    assert verdict(last_day, Right.EXCHANGE) == "yes"
    assert verdict(day_after, Right.EXCHANGE) == "no"
    assert verdict(over_km, Right.RETURN) == "no"


def test_thirty_days_is_not_enough_and_thirty_one_is():
    def facts(days: int) -> VehicleFacts:
        return VehicleFacts(
            as_of=date(2025, 1, 1),
            purchase_date=START,
            mileage_km=20000,
            repairs=(
                RepairFact(
                    date_in=date(2024, 10, 1), days=days, system=System.ELECTRICAL, problem="中控黑屏", id=1
                ),
            ),
        )

    assert verdict(facts(30), Right.EXCHANGE) == "no"
    assert verdict(facts(31), Right.EXCHANGE) == "yes"
    assert verdict(facts(5), Right.COURTESY_CAR) == "no"
    assert verdict(facts(6), Right.COURTESY_CAR) == "yes"
    assert assess(facts(8)).right(Right.COURTESY_CAR).facts["days_to_compensate"] == 3  # from day 6


def test_the_same_problem_four_times_is_not_enough_five_is():
    def facts(times: int) -> VehicleFacts:
        repairs = tuple(
            RepairFact(
                date_in=date(2024, 6, 1) + timedelta(days=20 * i),
                days=1,
                system=System.ELECTRICAL,
                problem="车窗 无法升降" if i % 2 else "车窗  无法升降",
                id=i,
            )
            for i in range(times)
        )
        return VehicleFacts(as_of=date(2025, 1, 1), purchase_date=START, mileage_km=20000, repairs=repairs)

    assert verdict(facts(4), Right.EXCHANGE) == "no"
    assert verdict(facts(5), Right.EXCHANGE) == "yes"
    compensation = assess(facts(5)).right(Right.USAGE_COMPENSATION)
    assert compensation.may_apply == "yes" and compensation.missing == ["price"]


def test_serious_safety_fault_repaired_twice_and_back_again():
    first = brake_failure(date(2024, 9, 1), km=15000, fixed=True)
    second = replace(first, date_in=date(2024, 10, 1), mileage_km=16000, id=2)
    third = replace(first, date_in=date(2024, 11, 1), mileage_km=17000, id=3)
    base = VehicleFacts(as_of=date(2024, 12, 1), purchase_date=START, mileage_km=18000)
    assert verdict(replace(base, repairs=(first, second)), Right.RETURN) == "no"  # fixed the 2nd time
    assert verdict(replace(base, repairs=(first, second, third)), Right.RETURN) == "yes"
    unfixed = replace(second, fixed=False)
    assert verdict(replace(base, repairs=(first, unfixed)), Right.RETURN) == "yes"


def test_engine_main_part_within_sixty_days_gives_a_free_engine_and_no_exchange():
    repair = RepairFact(
        date_in=START + timedelta(days=30),
        days=4,
        system=System.ENGINE,
        problem="缸体砂眼",
        mileage_km=1500,
        main_parts=("缸体",),
        id=1,
    )
    check = assess(
        VehicleFacts(
            as_of=START + timedelta(days=40), purchase_date=START, mileage_km=1600, repairs=(repair,)
        )
    )
    assert check.right(Right.REPLACE_ASSEMBLY).may_apply == "yes"
    assert check.right(Right.EXCHANGE).may_apply == "no"  # day 30: not within the 7 days of 第二十二条
    early = replace(repair, date_in=START + timedelta(days=7))
    check = assess(
        VehicleFacts(as_of=START + timedelta(days=8), purchase_date=START, mileage_km=300, repairs=(early,))
    )
    assert check.right(Right.RETURN).may_apply == "yes"
    assert check.right(Right.USAGE_COMPENSATION).may_apply == "no"  # free under 第二十二条


def test_without_a_purchase_date_the_rights_that_need_it_say_so():
    facts = VehicleFacts(
        as_of=date(2025, 1, 1), mileage_km=1200, repairs=(brake_failure(date(2024, 12, 20)),)
    )
    check = assess(facts)
    for right in (Right.REPAIR, Right.EXCHANGE, Right.RETURN):
        assert check.right(right).may_apply == "unknown"
        assert "purchase_date" in check.right(right).missing
    assert check.right(Right.COURTESY_CAR).may_apply == "no"  # no repair took more than 5 days
    no_mileage = assess(
        VehicleFacts(
            as_of=date(2024, 4, 1), purchase_date=START, repairs=(brake_failure(date(2024, 3, 20), km=None),)
        )
    )
    assert no_mileage.right(Right.EXCHANGE).may_apply == "unknown"
    assert "mileage_km" in no_mileage.right(Right.EXCHANGE).missing


def test_usage_compensation_formula():
    repairs = tuple(
        RepairFact(
            date_in=date(2024, 6, 1) + timedelta(days=20 * i),
            days=9,
            system=System.ENGINE,
            problem="抖动",
            id=i,
        )
        for i in range(4)
    )
    facts = VehicleFacts(
        as_of=date(2025, 1, 1),
        purchase_date=START,
        mileage_km=10000,
        price=Decimal("300000.00"),
        usage_rate=Decimal("0.004"),
        repairs=repairs,
    )
    # [(300000 × 10000) / 1000] × 0.4 % = 12000
    assert assess(facts).right(Right.USAGE_COMPENSATION).amount == Decimal("12000.00")
    most = replace(facts, usage_rate=None)
    assert assess(most).right(Right.USAGE_COMPENSATION).amount == Decimal("15000.00")  # n ≤ 0.5 %


def test_seed_003_brake_failure_of_one_of_five_cars():
    """唐山: five 730s; on the motorway the brakes would not press (制动模块失效). Within 60 days and
    3,000 km that is a return or an exchange at the customer's choice, free; later it is not."""
    bought = date(2024, 5, 1)
    failure = brake_failure(date(2024, 6, 4), km=2400)
    within = assess(
        VehicleFacts(
            as_of=date(2024, 6, 5),
            purchase_date=bought,
            mileage_km=2400,
            price=Decimal("1180000"),
            repairs=(failure,),
        )
    )
    assert within.right(Right.RETURN).may_apply == within.right(Right.EXCHANGE).may_apply == "yes"
    assert "第二十三条" in within.right(Right.RETURN).articles
    assert within.right(Right.USAGE_COMPENSATION).may_apply == "no"
    late = replace(failure, date_in=date(2025, 6, 4), mileage_km=21000)
    later = assess(
        VehicleFacts(as_of=date(2025, 6, 5), purchase_date=bought, mileage_km=21000, repairs=(late,))
    )
    assert later.right(Right.RETURN).may_apply == "no"  # one repair, fixed: repair is the remedy
    assert later.right(Right.REPAIR).may_apply == "yes"


# --- properties ---------------------------------------------------------------------------------

systems = st.sampled_from(list(System.values))
repair_facts = st.builds(
    RepairFact,
    date_in=st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31)),
    days=st.integers(min_value=1, max_value=40),
    system=systems,
    problem=st.sampled_from(["异响", "失效", "漏油"]),
    mileage_km=st.one_of(st.none(), st.integers(min_value=0, max_value=80000)),
    quality_problem=st.booleans(),
    serious_safety_fault=st.booleans(),
    system_failure=st.booleans(),
    assembly_replaced=st.booleans(),
    main_parts=st.lists(st.sampled_from(["缸体", "曲轴", "制动总泵"]), max_size=2).map(tuple),
    fixed=st.booleans(),
)
vehicle_facts = st.builds(
    VehicleFacts,
    as_of=st.dates(min_value=date(2022, 1, 1), max_value=date(2028, 12, 31)),
    purchase_date=st.one_of(st.none(), st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31))),
    mileage_km=st.one_of(st.none(), st.integers(min_value=0, max_value=90000)),
    repairs=st.lists(repair_facts, max_size=8).map(tuple),
)
RANK = {"no": 0, "unknown": 1, "yes": 2}


@settings(max_examples=300, deadline=None)
@given(vehicle_facts, st.data())
def test_more_repair_days_never_remove_a_right(facts, data):
    if not facts.repairs:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(facts.repairs) - 1))
    extra = data.draw(st.integers(min_value=1, max_value=60))
    repairs = list(facts.repairs)
    repairs[index] = replace(repairs[index], days=repairs[index].days + extra)
    longer = replace(facts, repairs=tuple(repairs))
    before, after = assess(facts), assess(longer)
    for right in RIGHTS:
        assert RANK[after.right(right).may_apply] >= RANK[before.right(right).may_apply], right


@settings(max_examples=300, deadline=None)
@given(vehicle_facts)
def test_outside_the_sanbao_period_no_exchange_or_return(facts):
    check = assess(facts)
    past_km = facts.mileage_km is not None and facts.mileage_km > 50000
    past_date = check.sanbao_end is not None and facts.as_of > check.sanbao_end
    if past_km or past_date:
        assert check.right(Right.EXCHANGE).may_apply == check.right(Right.RETURN).may_apply == "no"
    for right in check.rights:
        assert (right.may_apply == "unknown") == bool(
            right.missing
        ) or right.right == Right.USAGE_COMPENSATION
        if facts.purchase_date is not None and facts.mileage_km is not None:
            assert "purchase_date" not in right.missing and "mileage_km" not in right.missing
