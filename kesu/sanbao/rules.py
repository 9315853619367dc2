"""The 三包 rights check: a pure function of the vehicle's facts and the thresholds (no database).

:func:`assess` answers, for each right the regulation gives (修理, 更换总成, 换车, 退车, 备用车或
交通费用补偿) and for the 合理使用补偿 the customer may owe, whether it may apply (yes / no /
unknown), the articles and thresholds it used, the facts it read, and what is missing. A fact
that is not known never counts for or against the customer: it makes the answer "unknown" and is
listed, unless the other facts decide the answer anyway (a car past 50,000 km is outside the
三包有效期 whatever its purchase date).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from . import thresholds as T
from .choices import MAIN_PART_SYSTEMS, MAJOR_ASSEMBLIES, SEVERE_FAILURE_SYSTEMS, Right, Verdict
from .thresholds import Threshold

YES, NO, UNKNOWN = Verdict.YES.value, Verdict.NO.value, Verdict.UNKNOWN.value


@dataclass(frozen=True)
class RepairFact:
    date_in: date
    days: int  # 修理时间 as counted (≥ 1; a repair under 24 hours is one day)
    system: str  # choices.System
    problem: str = ""  # what makes two repairs "the same quality problem"
    mileage_km: int | None = None
    quality_problem: bool = True  # 因质量问题 (not an accident, not wear)
    serious_safety_fault: bool = False  # 严重安全性能故障
    system_failure: bool = False  # 失效、开裂、泄漏或者起火 (第二十三条第一款)
    assembly_replaced: bool = False  # the whole engine / transmission / battery / motor replaced
    main_parts: tuple[str, ...] = ()  # the 主要零部件 replaced, by name
    fixed: bool = True  # the fault was gone when the car was handed back
    id: int | None = None


@dataclass(frozen=True)
class VehicleFacts:
    as_of: date  # the day the customer claims: the complaint's date
    purchase_date: date | None = None  # 开具购车发票之日
    delivery_date: date | None = None  # 交付之日, when it differs from the invoice
    mileage_km: int | None = None  # at the claim
    price: Decimal | None = None  # 车价款 (CNY)
    usage_rate: Decimal | None = None  # n, from the 三包凭证 (≤ 0.5 %)
    repairs: tuple[RepairFact, ...] = ()


@dataclass
class Ground:
    """One reason in the regulation for a right (换车/退车 have several)."""

    article: str
    verdict: str
    reason: str
    thresholds: list[str]
    repair_ids: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    free: bool = False  # 销售者应当免费更换或者退货: no 合理使用补偿


@dataclass
class RightCheck:
    right: str
    may_apply: str
    articles: list[str]
    thresholds: list[Threshold]
    facts: dict[str, Any]
    missing: list[str]
    reasons: list[str]
    grounds: list[Ground] = field(default_factory=list)
    amount: Decimal | None = None  # 合理使用补偿: the amount (at most, when n is not known)

    @property
    def label(self) -> str:
        return str(Right(self.right).label)

    @property
    def missing_labels(self) -> list[str]:
        return [missing_label(key) for key in self.missing]


@dataclass
class Assessment:
    as_of: date
    start: date | None
    start_basis: str  # "delivery", "invoice" or ""
    warranty_end: date | None
    sanbao_end: date | None
    rights: list[RightCheck]
    regulation: str = T.REGULATION

    def right(self, key: str) -> RightCheck:
        return next(r for r in self.rights if r.right == key)


def missing_label(key: str) -> str:
    """A missing fact as the page names it: "purchase_date" → 购车日期."""
    if key.startswith("repairs."):
        return _("mileage at repair #%(id)s") % {"id": key.split(".")[1]}
    labels = {
        "purchase_date": _("purchase date"),
        "mileage_km": _("mileage (km)"),
        "price": _("price (CNY)"),
    }
    return labels.get(key, key)


# --- counting days, years and kilometres as the regulation's words do -----------------------------


def add_years(start: date, years: int) -> date:
    """The last day of a period of ``years`` years (民法典 第二百零二条): the corresponding day,
    or the month's last day when there is none (29 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def days_end(start: date, days: int) -> date:
    """The last day of "自…之日起N日内": the start day is not counted (民法典 第二百零一条)."""
    return start + timedelta(days=days)


def _all(*verdicts: str) -> str:
    if NO in verdicts:
        return NO
    return UNKNOWN if UNKNOWN in verdicts else YES


def _any(verdicts: Iterable[str]) -> str:
    seen = set(verdicts)
    if YES in seen:
        return YES
    return UNKNOWN if UNKNOWN in seen else NO


def _window(
    start: date | None, end: date | None, km_limit: int | None, when: date, km: int | None, km_name: str
) -> tuple[str, list[str]]:
    """Whether ``when`` (at ``km``) falls in a period that ends at ``end`` or ``km_limit`` km,
    whichever comes first (以先到者为准), and the facts missing to tell."""
    if km_limit is not None and km is not None and km > km_limit:
        return NO, []
    if start is None or end is None:
        return UNKNOWN, ["purchase_date"]
    if when > end:
        return NO, []
    if km_limit is not None and km is None:
        return UNKNOWN, [km_name]
    return YES, []


def _km_at_repair(repair: RepairFact, facts: VehicleFacts, limit: int) -> int | None:
    """A repair's mileage; unrecorded, the mileage at the claim bounds it when that is within the
    limit (the odometer only goes up)."""
    if repair.mileage_km is not None:
        return repair.mileage_km
    if facts.mileage_km is not None and facts.mileage_km <= limit and repair.date_in <= facts.as_of:
        return facts.mileage_km
    return None


def _repair_km_name(repair: RepairFact) -> str:
    return f"repairs.{repair.id}.mileage_km" if repair.id is not None else "repairs.mileage_km"


def _ids(repairs: Iterable[RepairFact]) -> list[int]:
    return [r.id for r in repairs if r.id is not None]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _counted(
    candidates: Sequence[tuple[RepairFact, str]], condition: Callable[[list[RepairFact]], bool]
) -> str:
    """A condition on a set of repairs, each known to count (yes) or perhaps counting (unknown):
    yes when the sure ones meet it, unknown when the possible ones would, else no."""
    sure = [r for r, v in candidates if v == YES]
    possible = [r for r, v in candidates if v in (YES, UNKNOWN)]
    if condition(sure):
        return YES
    return UNKNOWN if condition(possible) else NO


def _still_failing(repairs: list[RepairFact], later: Sequence[RepairFact]) -> bool:
    """Twice done (repaired / replaced) and still not right: the second time did not fix it, or
    the same system came back afterwards."""
    ordered = sorted(repairs, key=lambda r: r.date_in)
    if len(ordered) < 2:
        return False
    second = ordered[1]
    if len(ordered) > 2 or not second.fixed or not ordered[-1].fixed:
        return True
    return any(r.date_in > second.date_in and r is not second for r in later)


# --- the check ----------------------------------------------------------------------------------


def assess(facts: VehicleFacts, thresholds: dict[str, Threshold] | None = None) -> Assessment:
    t = thresholds or T.BY_KEY
    fig = {key: int(value.figure) for key, value in t.items() if key != "usage_rate_max"}
    if facts.delivery_date is not None:
        start: date | None = facts.delivery_date
        basis = "delivery"
    else:
        start, basis = facts.purchase_date, ("invoice" if facts.purchase_date else "")
    warranty_end = add_years(start, fig["warranty_years"]) if start else None
    sanbao_end = add_years(start, fig["sanbao_years"]) if start else None
    repairs = sorted(facts.repairs, key=lambda r: (r.date_in, r.id or 0))
    quality = [r for r in repairs if r.quality_problem]
    base: dict[str, Any] = {
        "as_of": facts.as_of,
        "start_date": start,
        "start_basis": basis,
        "mileage_km": facts.mileage_km,
    }

    def in_warranty(r: RepairFact) -> tuple[str, list[str]]:
        km = _km_at_repair(r, facts, fig["warranty_km"])
        return _window(start, warranty_end, fig["warranty_km"], r.date_in, km, _repair_km_name(r))

    def in_sanbao(r: RepairFact) -> tuple[str, list[str]]:
        km = _km_at_repair(r, facts, fig["sanbao_km"])
        return _window(start, sanbao_end, fig["sanbao_km"], r.date_in, km, _repair_km_name(r))

    def in_sixty(r: RepairFact) -> tuple[str, list[str]]:
        end = days_end(start, fig["sixty_days"]) if start else None
        km = _km_at_repair(r, facts, fig["sixty_days_km"])
        return _window(start, end, fig["sixty_days_km"], r.date_in, km, _repair_km_name(r))

    def in_seven(r: RepairFact) -> tuple[str, list[str]]:
        end = days_end(start, fig["seven_days"]) if start else None
        return _window(start, end, None, r.date_in, None, "")

    rights: list[RightCheck] = []

    # 修理 (第十九条): in the 包修期 at the claim
    verdict, missing = _window(
        start, warranty_end, fig["warranty_km"], facts.as_of, facts.mileage_km, "mileage_km"
    )
    reasons = {
        YES: _(
            "The claim is within the warranty period (%(years)s years or %(km)s km): "
            "quality problems are repaired free of charge."
        ),
        NO: _("The claim is past the warranty period (%(years)s years or %(km)s km, whichever comes first)."),
        UNKNOWN: _(
            "Whether the claim is within the warranty period (%(years)s years or %(km)s km) "
            "cannot be told without the missing facts."
        ),
    }
    rights.append(
        RightCheck(
            Right.REPAIR,
            verdict,
            [t["free_repair"].article, t["warranty_years"].article],
            [t["free_repair"], t["warranty_years"], t["warranty_km"]],
            {**base, "warranty_end": warranty_end},
            missing,
            [reasons[verdict] % {"years": fig["warranty_years"], "km": f"{fig['warranty_km']:,}"}],
        )
    )

    # 备用车或交通费用补偿 (第二十一条): one repair of more than 5 days in the 包修期
    long_ones = [r for r in quality if r.days > fig["courtesy_days"]]
    windows = [(r, *in_warranty(r)) for r in long_ones]
    verdict = _any(v for _r, v, _m in windows) if windows else NO
    missing = _unique(m for _r, v, ms in windows for m in ms) if verdict == UNKNOWN else []
    if not long_ones:
        reason = _("No repair for a quality problem took more than %(days)s days.") % {
            "days": fig["courtesy_days"]
        }
    else:
        reason = _(
            "Repairs of more than %(days)s days: %(list)s; a courtesy car or travel "
            "compensation is owed from day %(from)s."
        ) % {
            "days": fig["courtesy_days"],
            "list": ", ".join(f"{r.date_in:%Y-%m-%d} ({r.days})" for r in long_ones),
            "from": fig["courtesy_days"] + 1,
        }
        if verdict == NO:
            reason += " " + _("They were outside the warranty period.")
    rights.append(
        RightCheck(
            Right.COURTESY_CAR,
            verdict,
            [t["courtesy_days"].article],
            [t["courtesy_days"], t["warranty_years"], t["warranty_km"]],
            {
                **base,
                "long_repairs": _ids(long_ones),
                "days_to_compensate": sum(r.days - fig["courtesy_days"] for r, v, _m in windows if v != NO),
            },
            missing,
            [reason],
        )
    )

    # 免费更换发动机、变速器、动力蓄电池、行驶驱动电机 (第二十三条第二款)
    major_part = [
        r for r in quality if r.system in MAJOR_ASSEMBLIES and (r.main_parts or r.assembly_replaced)
    ]
    windows = [(r, *in_sixty(r)) for r in major_part]
    verdict = _any(v for _r, v, _m in windows) if windows else NO
    missing = _unique(m for _r, v, ms in windows for m in ms) if verdict == UNKNOWN else []
    reason = (
        _(
            "A main part of the engine, transmission, traction battery or drive motor had a "
            "quality problem within %(days)s days or %(km)s km."
        )
        if verdict == YES
        else _(
            "No main part of the engine, transmission, traction battery or drive motor "
            "failed within %(days)s days or %(km)s km."
        )
        if verdict == NO
        else _(
            "A main part of the engine, transmission, traction battery or drive motor failed; whether it "
            "was within %(days)s days or %(km)s km cannot be told yet."
        )
    ) % {"days": fig["sixty_days"], "km": f"{fig['sixty_days_km']:,}"}
    rights.append(
        RightCheck(
            Right.REPLACE_ASSEMBLY,
            verdict,
            [t["major_part_sixty_days"].article],
            [t["major_part_sixty_days"], t["sixty_days_km"]],
            {**base, "repairs": _ids(major_part)},
            missing,
            [reason],
        )
    )

    # 换车 / 退车: the claim in the 三包有效期, and one of the grounds
    claim, claim_missing = _window(
        start, sanbao_end, fig["sanbao_km"], facts.as_of, facts.mileage_km, "mileage_km"
    )
    grounds = _grounds(facts, t, fig, quality, in_seven, in_sixty, in_sanbao)
    for ground in grounds:
        ground.verdict = _all(claim, ground.verdict)
        if ground.verdict == UNKNOWN:
            ground.missing = _unique([*claim_missing, *ground.missing])
        else:
            ground.missing = []
    verdict = _any(g.verdict for g in grounds)
    missing = (
        _unique(m for g in grounds if g.verdict == UNKNOWN for m in g.missing) if verdict == UNKNOWN else []
    )
    claim_reason = {
        YES: _("The claim is within the 三包 period (%(years)s years or %(km)s km)."),
        NO: _(
            "The claim is past the 三包 period (%(years)s years or %(km)s km, whichever comes "
            "first): no exchange or return under the regulation."
        ),
        UNKNOWN: _(
            "Whether the claim is within the 三包 period (%(years)s years or %(km)s km) cannot be told yet."
        ),
    }[claim] % {"years": fig["sanbao_years"], "km": f"{fig['sanbao_km']:,}"}
    used = [t["sanbao_years"], t["sanbao_km"], t["seven_days"], t["sixty_days"], t["sixty_days_km"],
            t["safety_repairs"], t["assembly_replacements"], t["main_part_replacements"],
            t["repair_days"], t["same_problem_repairs"]]  # fmt: skip
    counted_days = sum(r.days for r in quality if in_sanbao(r)[0] != NO)
    for key in (Right.EXCHANGE, Right.RETURN):
        rights.append(
            RightCheck(
                key,
                verdict,
                _unique(g.article for g in grounds),
                used,
                {**base, "sanbao_end": sanbao_end, "repair_days": counted_days, "repairs": len(quality)},
                missing,
                [claim_reason, *(g.reason for g in grounds if g.verdict != NO)],
                [Ground(**g.__dict__) for g in grounds],
            )
        )

    rights.append(_usage_compensation(facts, t, grounds, verdict, base))
    return Assessment(facts.as_of, start, basis, warranty_end, sanbao_end, rights)


def _grounds(
    facts: VehicleFacts,
    t: dict[str, Threshold],
    fig: dict[str, int],
    quality: list[RepairFact],
    in_seven: Callable[[RepairFact], tuple[str, list[str]]],
    in_sixty: Callable[[RepairFact], tuple[str, list[str]]],
    in_sanbao: Callable[[RepairFact], tuple[str, list[str]]],
) -> list[Ground]:
    grounds: list[Ground] = []

    def windowed(
        repairs: list[RepairFact], window: Callable[[RepairFact], tuple[str, list[str]]]
    ) -> tuple[str, list[str], list[RepairFact]]:
        checked = [(r, *window(r)) for r in repairs]
        verdict = _any(v for _r, v, _m in checked) if checked else NO
        missing = _unique(m for _r, v, ms in checked if v == UNKNOWN for m in ms)
        return verdict, missing, [r for r, v, _m in checked if v != NO]

    # 第二十二条: 7 days, an assembly or its main part to be replaced
    seven = [r for r in quality if r.system in MAJOR_ASSEMBLIES and (r.assembly_replaced or r.main_parts)]
    verdict, missing, hits = windowed(seven, in_seven)
    grounds.append(
        Ground(
            t["seven_days"].article,
            verdict,
            _(
                "Within %(days)s days of the start an engine, transmission, traction battery, drive "
                "motor or one of their main parts had to be replaced."
            )
            % {"days": fig["seven_days"]},
            ["seven_days"],
            _ids(hits),
            missing,
            free=True,
        )
    )
    # 第二十三条第一款: 60 days / 3,000 km, a severe failure
    severe = [r for r in quality if r.system in SEVERE_FAILURE_SYSTEMS and r.system_failure]
    verdict, missing, hits = windowed(severe, in_sixty)
    grounds.append(
        Ground(
            t["sixty_days"].article,
            verdict,
            _(
                "Within %(days)s days or %(km)s km: steering failure, brake failure, a "
                "cracked body, a fuel leak or a battery fire."
            )
            % {"days": fig["sixty_days"], "km": f"{fig['sixty_days_km']:,}"},
            ["sixty_days", "sixty_days_km"],
            _ids(hits),
            missing,
            free=True,
        )
    )
    # 第二十四条: in the 三包有效期
    period = [(r, *in_sanbao(r)) for r in quality]
    period_missing = _unique(m for _r, v, ms in period if v == UNKNOWN for m in ms)
    counting = [(r, v) for r, v, _m in period if v != NO]

    def ground(threshold: str, verdict: str, reason: str, hits: Iterable[RepairFact]) -> None:
        grounds.append(
            Ground(
                t[threshold].article,
                verdict,
                reason,
                [threshold, "sanbao_years", "sanbao_km"],
                _ids(hits),
                period_missing if verdict == UNKNOWN else [],
            )
        )

    safety = [(r, v) for r, v in counting if r.serious_safety_fault]
    n = fig["safety_repairs"]
    ground(
        "safety_repairs",
        _counted(safety, lambda rs: len(rs) >= n and _still_failing(rs, rs)),
        _(
            "%(count)s repairs of a serious safety fault; after %(n)s the fault "
            "must be gone and no new one appear."
        )
        % {"count": len(safety), "n": n},
        (r for r, _v in safety),
    )
    n = fig["assembly_replacements"]
    verdicts, hits = [], []
    for system in sorted(MAJOR_ASSEMBLIES):
        replaced = [(r, v) for r, v in counting if r.system == system and r.assembly_replaced]
        later = [r for r, _v in counting if r.system == system]
        verdicts.append(_counted(replaced, _twice_and_failing(n, later)))
        hits += [r for r, _v in replaced]
    ground(
        "assembly_replacements",
        _any(verdicts),
        _(
            "An engine, transmission, traction battery or drive motor replaced "
            "%(n)s times and still not working."
        )
        % {"n": n},
        hits,
    )
    n = fig["main_part_replacements"]
    by_part: dict[tuple[str, str], list[tuple[RepairFact, str]]] = defaultdict(list)
    for r, v in counting:
        if r.system in MAIN_PART_SYSTEMS:
            for part in {p.strip() for p in r.main_parts if p.strip()}:
                by_part[(r.system, part)].append((r, v))
    verdicts, hits = [], []
    for (part_system, _part), replaced in by_part.items():
        later = [r for r, _v in counting if r.system == part_system]
        verdicts.append(_counted(replaced, _twice_and_failing(n, later)))
        if len(replaced) >= n:
            hits += [r for r, _v in replaced]
    ground(
        "main_part_replacements",
        _any(verdicts),
        _("The same main part replaced %(n)s times and still not working.") % {"n": n},
        hits,
    )
    days_limit = fig["repair_days"]
    days = _counted(counting, lambda rs: sum(r.days for r in rs) > days_limit)
    same_limit = fig["same_problem_repairs"]
    by_problem: dict[tuple[str, str], list[tuple[RepairFact, str]]] = defaultdict(list)
    for r, v in counting:
        by_problem[(r.system, _problem_key(r))].append((r, v))
    same = (
        _any(_counted(group, lambda rs: len(rs) > same_limit) for group in by_problem.values())
        if by_problem
        else NO
    )
    worst = max((len(g) for g in by_problem.values()), default=0)
    ground(
        "repair_days",
        _any([days, same]),
        _(
            "%(days)s days in repair in the 三包 period (more than %(limit)s needed); the same problem "
            "repaired %(times)s times (more than %(same)s needed)."
        )
        % {
            "days": sum(r.days for r, _v in counting),
            "limit": days_limit,
            "times": worst,
            "same": same_limit,
        },
        (r for r, _v in counting),
    )
    grounds[-1].thresholds.insert(1, "same_problem_repairs")
    return grounds


def _twice_and_failing(n: int, later: list[RepairFact]) -> Callable[[list[RepairFact]], bool]:
    def condition(repairs: list[RepairFact]) -> bool:
        return len(repairs) >= n and _still_failing(repairs, later)

    return condition


def _problem_key(repair: RepairFact) -> str:
    return " ".join(repair.problem.split()).lower()


def _usage_compensation(
    facts: VehicleFacts, t: dict[str, Threshold], grounds: list[Ground], exchange: str, base: dict[str, Any]
) -> RightCheck:
    """合理使用补偿: owed by the customer on an exchange or return, except the free ones."""
    rate_max = t["usage_rate_max"].figure
    rate = facts.usage_rate if facts.usage_rate is not None else rate_max
    free_yes = any(g.free and g.verdict == YES for g in grounds)
    paid_yes = any(not g.free and g.verdict == YES for g in grounds)
    if exchange == NO or free_yes:
        verdict = NO
    elif paid_yes:
        verdict = YES
    else:
        verdict = UNKNOWN
    missing: list[str] = []
    amount: Decimal | None = None
    if verdict != NO:
        if facts.price is None:
            missing.append("price")
        if facts.mileage_km is None:
            missing.append("mileage_km")
        if facts.price is not None and facts.mileage_km is not None:
            amount = (facts.price * facts.mileage_km / 1000 * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if verdict == NO and free_yes:
        reason = _(
            "The exchange or return is free of charge under the article that "
            "applies: no compensation is owed."
        )
    elif verdict == NO:
        reason = _("No exchange or return applies, so no compensation either.")
    else:
        reason = _(
            "On an exchange or return the customer pays price × mileage ÷ 1000 × n, n at most %(max)s%%."
        ) % {"max": (rate_max * 100).normalize()}
        if facts.usage_rate is None:
            reason += " " + _("n is not recorded: the amount shown is the most it can be.")
    return RightCheck(
        Right.USAGE_COMPENSATION,
        verdict,
        [t["usage_rate_max"].article],
        [t["usage_rate_max"]],
        {**base, "price": facts.price, "usage_rate": facts.usage_rate},
        missing,
        [reason],
        amount=amount,
    )
