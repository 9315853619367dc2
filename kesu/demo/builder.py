"""Builds the demo installation: organisations, one user per role, complaints in every state.

Used by ``python -m kesu demo`` (and ``make run``) and by the test fixtures, so tests run on the
same organisation shapes the demo shows.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kesu import flows
from kesu.complaints import services as complaint_services
from kesu.complaints.choices import Channel, Satisfaction
from kesu.complaints.models import Complaint
from kesu.core.validators import with_check_digit
from kesu.customers import services as customer_services
from kesu.insights.recurrence import link_pending
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.resolutions.services import routing as routing_services
from kesu.sla import services as sla_services
from kesu.sla.sweep import sweep

from .cases import SEED_CASES, VARIATIONS, Case

DEPARTMENTS = (
    ("CS", "客服部"),
    ("SVC", "售后服务部"),
    ("PARTS", "配件部"),
    ("SALES", "销售部"),
    ("QA", "品质管理部"),
    ("FIN", "财务部"),
)
DEALERS = (
    ("D1", "广州骏达4S店", "R-S"),
    ("D2", "深圳鹏程4S店", "R-S"),
    ("D3", "北京京诚4S店", "R-N"),
)
DEALER_ROLES: tuple[tuple[str, Role, str | None, str], ...] = (
    ("agent", Role.AGENT, "CS", "客服专员"),
    ("manager", Role.SERVICE_MANAGER, "SVC", "服务经理"),
    ("dept", Role.DEPARTMENT_STAFF, "SVC", "对策单位"),
    ("gm", Role.GENERAL_MANAGER, None, "总经理"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超")
MODELS = ("轩逸 2023款", "天籁 2022款", "奇骏 2024款", "逍客 2023款", "骐达 2021款", "途达 2022款")
PLATE_CITY = {"D1": "粤A", "D2": "粤B", "D3": "京N"}
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

# The actions that bring a new complaint to each status.
_MAIN = [
    "start_investigation",
    "propose_plan",
    "customer_agrees",
    "start_implementation",
    "finish_implementation",
    "close",
]
PATH_TO: dict[str, list[str]] = {
    "received": [],
    "investigating": _MAIN[:1],
    "plan_proposed": _MAIN[:2],
    "agreed": _MAIN[:3],
    "implementing": _MAIN[:4],
    "follow_up": _MAIN[:5],
    "closed": _MAIN,
    "refused": ["refuse"],
    "escalated": ["start_investigation", "escalate"],
    "reopened": [*_MAIN, "reopen"],
    "pending_decision": [*_MAIN[:5], "request_close"],
}
STATUS_WEIGHTS = {
    "received": 14,
    "investigating": 16,
    "plan_proposed": 10,
    "agreed": 8,
    "implementing": 10,
    "follow_up": 8,
    "closed": 22,
    "refused": 4,
    "escalated": 5,
    "reopened": 3,
    "pending_decision": 2,
}
ACTOR_ROLE = {
    "start_investigation": "agent",
    "propose_plan": "dept",
    "customer_agrees": "agent",
    "start_implementation": "dept",
    "finish_implementation": "dept",
    "close": "agent",
    "refuse": "manager",
    "escalate": "gm",  # the GM's escalation reaches the region: the carmaker sees it
    "reopen": "agent",
    "request_close": "agent",
}
# Who may close a case of each severity (the workflow table's guard): 重大 the service manager,
# 危机 the general manager.
CLOSER_ROLE = {"major": "manager", "crisis": "gm"}


@dataclass
class DemoOrg:
    manufacturer: Organization
    regions: dict[str, Organization] = field(default_factory=dict)
    dealers: dict[str, Organization] = field(default_factory=dict)
    departments: dict[tuple[str, str], Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def _org(kind: str, code: str, name: str, parent: Organization | None) -> Organization:
    org, _ = Organization.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": name, "parent": parent}
    )
    return org


def _user(username: str, role: str, org: Organization | None, password: str, display: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, organization=org, display_name=display)
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def build_organizations(password: str) -> DemoOrg:
    """Manufacturer → 2 regions → 3 dealers → departments, and one user per role."""
    demo = DemoOrg(manufacturer=_org(OrgKind.MANUFACTURER, "MFR", "东风示范汽车有限公司", None))
    demo.regions["R-S"] = _org(OrgKind.REGION, "R-S", "华南区", demo.manufacturer)
    demo.regions["R-N"] = _org(OrgKind.REGION, "R-N", "华北区", demo.manufacturer)
    for index, (code, name, region) in enumerate(DEALERS, start=1):
        dealer = _org(OrgKind.DEALER, code, name, demo.regions[region])
        demo.dealers[code] = dealer
        for dept_code, dept_name in DEPARTMENTS:
            demo.departments[(code, dept_code)] = _org(
                OrgKind.DEPARTMENT, f"{code}-{dept_code}", dept_name, dealer
            )
        for prefix, role, home, title in DEALER_ROLES:
            org = demo.departments[(code, home)] if home else dealer
            username = f"{prefix}{index}"
            demo.users[username] = _user(username, role, org, password, f"{title}{index}")
    demo.users["region1"] = _user(
        "region1", Role.REGION_MANAGER, demo.regions["R-S"], password, "华南区域经理"
    )
    demo.users["region2"] = _user(
        "region2", Role.REGION_MANAGER, demo.regions["R-N"], password, "华北区域经理"
    )
    demo.users["crc1"] = _user("crc1", Role.CRC_AGENT, demo.manufacturer, password, "厂方客服01")
    demo.users["pr1"] = _user("pr1", Role.PR, demo.manufacturer, password, "公关部")
    demo.users["quality1"] = _user("quality1", Role.QUALITY, demo.manufacturer, password, "质量工程师01")
    demo.users["admin"] = _user("admin", Role.ADMIN, None, password, "系统管理员")
    return demo


def random_vin(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    body = "LGB" + "".join(rng.choice(alphabet) for _ in range(14))
    return with_check_digit(body)


def random_plate(rng: random.Random, dealer_code: str) -> str:
    tail = "".join(rng.choice("0123456789" + PLATE_LETTERS[:8]) for _ in range(4))
    if rng.random() < 0.2:  # new-energy plate
        return (
            PLATE_CITY[dealer_code]
            + rng.choice("DF")
            + rng.choice(PLATE_LETTERS)
            + f"{rng.randrange(10000):04d}"
        )
    return PLATE_CITY[dealer_code] + tail + rng.choice("0123456789")


def random_mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "186", "135", "150", "177", "199")) + f"{rng.randrange(10**8):08d}"


def _inputs_for(action: str, case: Case) -> dict[str, object]:
    inputs: dict[str, dict[str, object]] = {
        "start_investigation": {
            "promised_plan_at": timezone.now() + timedelta(hours=24),
            "note": "已向客户致歉并确认诉求，告知24小时内给出方案。",
        },
        "propose_plan": {"root_cause": case.facts, "plan": "免费检修并更换故障件，提供代步车。"},
        "customer_agrees": {"note": "客户同意方案。"},
        "start_implementation": {},
        "finish_implementation": {"note": "维修完成，已试车确认。"},
        "close": {"satisfaction": Satisfaction.SATISFIED, "note": "回访客户，问题已解决。"},
        "request_close": {"satisfaction": Satisfaction.NEUTRAL, "note": "客户评价一般，请经理决定是否结案。"},
        "refuse": {"reason": "经检测属正常现象，已向客户书面说明。"},
        "escalate": {"reason": "客户要求超出经销商权限，升级厂方处理。"},
        "reopen": {"reason": "客户来电反映问题再次出现。"},
    }
    return inputs[action]


@contextmanager
def _as_of(moment: datetime) -> Iterator[None]:
    """Demo only: the services run as if it were ``moment``. A complaint received weeks ago was
    answered, planned and closed at plausible times then, so its timeline, its clocks and its
    breaches tell the same story (replaying it all today would breach every first reply). Only
    in the demo command's own process, which runs no worker threads."""
    real_now = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = real_now  # type: ignore[assignment]


def _step_times(received_at: datetime, steps: int, rng: random.Random) -> list[datetime]:
    """When each action of a demo complaint happened: the first reply mostly within the 2 hours
    (one in seven late), the rest spread over the next one to four days, never after now."""
    span = timezone.now() - received_at
    if steps == 0:
        return []
    late = rng.random() < 1 / 7
    first = min(span * 0.3, timedelta(minutes=rng.uniform(130, 300) if late else rng.uniform(10, 100)))
    end = min(span * 0.9, timedelta(days=rng.uniform(1, 4)))
    end = max(end, first)
    times = [received_at + first]
    for index in range(1, steps):
        times.append(received_at + first + (end - first) * index / max(steps - 1, 1))
    return times


def build_complaint(
    demo: DemoOrg,
    rng: random.Random,
    *,
    dealer_index: int,
    case: Case,
    status: str,
    days_ago: float,
) -> Complaint:
    code = f"D{dealer_index}"
    agent = demo.users[f"agent{dealer_index}"]
    purchase = date.today() - timedelta(days=rng.randrange(30, 1500))
    customer = customer_services.create_customer(
        actor=agent,
        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN)),
        mobile=random_mobile(rng),
        is_vip=rng.random() < 0.1,
        vehicle=customer_services.VehicleInput(
            plate=random_plate(rng, code),
            vin=random_vin(rng),
            model_name=rng.choice(MODELS),
            mileage_km=rng.randrange(500, 120000),
            purchase_date=purchase,
            warranty_end=purchase + timedelta(days=3 * 365),
        ),
    )
    department = demo.departments[(code, "QA" if case.category == "product" else "SVC")]
    draft = complaint_services.ComplaintDraft(
        customer_id=customer.pk,
        vehicle_id=customer.vehicles.get().pk,
        channel=rng.choice(list(Channel.values)),
        verbatim=case.verbatim,
        facts=case.facts,
        emotion=case.emotion,
        category=case.category,
        nature=case.nature,
        severity=case.severity,
        demands=list(case.demands),
        department_id=department.pk,
        assignee_id=rng.choice([agent.pk, demo.users[f"dept{dealer_index}"].pk]),
        received_at=timezone.now() - timedelta(days=days_ago),
    )
    assert draft.received_at is not None
    with _as_of(draft.received_at):
        complaint = flows.create_complaint(actor=agent, draft=draft)
    actions = PATH_TO[status]
    for action, moment in zip(actions, _step_times(draft.received_at, len(actions), rng), strict=True):
        role = ACTOR_ROLE[action]
        if action == "close":  # the severity now: the words may have raised it to a crisis
            role = CLOSER_ROLE.get(Complaint.objects.get(pk=complaint.pk).severity, role)
        actor = demo.users[f"{role}{dealer_index}"]
        with _as_of(moment):
            complaint = flows.transition(
                actor=actor,
                complaint_id=complaint.pk,
                action=action,
                inputs=_inputs_for(action, case),
            )
    if status == "closed" and complaint.closed_at is not None:
        _revisit(complaint, demo.users[f"agent{dealer_index}"], rng)
    return complaint


def _revisit(complaint: Complaint, agent: User, rng: random.Random) -> None:
    """The 7-day revisit call of a closed demo complaint, when its day has come."""
    assert complaint.closed_at is not None
    called = complaint.closed_at + timedelta(days=rng.uniform(3, 6.5))
    earliest = sla_services.revisit_earliest(complaint)  # a call on a later working day
    called = max(called, earliest) if earliest else called
    if called < timezone.now():
        with _as_of(called):
            sla_services.record_revisit(
                actor=agent, complaint_id=complaint.pk, note="回访：客户对处理结果满意。"
            )


def _age_in_days(status: str, rng: random.Random) -> float:
    """How long ago a demo complaint in ``status`` came in: new ones hours or days ago, those
    being handled within two weeks, finished ones within three months and a bit (so the
    dashboard's this month / last month comparison and the monthly review have history)."""
    if status in ("received", "investigating"):
        return rng.uniform(0.01, 4)
    if status in ("closed", "refused", "reopened"):
        return rng.uniform(1, 100)
    return rng.uniform(1, 14)


# Each demo dealer's routing rules (category, fault area → department): kesu.resolutions.
DEMO_ROUTING = (
    ("repair_quality", "", "SVC"),
    ("repair_cost", "", "SVC"),
    ("reception", "", "CS"),
    ("parts", "", "PARTS"),
    ("purchase", "", "SALES"),
    ("product", "", "QA"),
)


def build_routing_rules(demo: DemoOrg) -> None:
    """Repair quality → 售后服务部, parts → 配件部, purchase → 销售部, product faults → 品质管理部."""
    for index, (code, _name, _region) in enumerate(DEALERS, start=1):
        routing_services.set_rules(
            actor=demo.users[f"gm{index}"],
            dealer_id=demo.dealers[code].pk,
            rules=[
                routing_services.RoutingInput(
                    category=category, fault_area=fault_area, department_id=demo.departments[(code, dept)].pk
                )
                for category, fault_area, dept in DEMO_ROUTING
            ],
        )


def build_complaints(demo: DemoOrg, count: int, seed: int = 2026) -> int:
    rng = random.Random(seed)
    build_routing_rules(demo)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    built = 0
    for index in range(count):
        # every state at least once, then a realistic mix
        status = statuses[index] if index < len(statuses) else rng.choices(statuses, weights)[0]
        case = SEED_CASES[index] if index < len(SEED_CASES) else rng.choice(VARIATIONS + SEED_CASES)
        days_ago = _age_in_days(status, rng)
        with transaction.atomic():
            build_complaint(
                demo, rng, dealer_index=1 + index % 3, case=case, status=status, days_ago=days_ago
            )
        built += 1
    link_pending(limit=count)  # what the worker would do next: links, repeat repairs, quality signals
    _settle_clocks(demo)
    return built


def _settle_clocks(demo: DemoOrg) -> None:
    """Run the SLA sweep once (warnings, breaches, ladder) and pause a few clocks, so the demo
    shows every clock state: running, warning, breached, met and paused."""
    sweep()
    waiting = Complaint.objects.filter(status="investigating").order_by("pk")[:3]
    for complaint in waiting:
        manager = demo.users[f"manager{complaint.dealer.code[1:]}"]
        sla_services.pause(actor=manager, complaint_id=complaint.pk, reason="等待厂家技术支持答复")
