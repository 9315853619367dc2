"""agent1's day at dealer D1 (我的一天), built through the apps' own services and flows so that
work items, timelines and lists agree: follow-up calls due today (the revisit of a complaint
closed on the last working day, the 3-day call after a service visit, the 3- and 7-day calls
after deliveries), care calls opening today (first maintenance for three owners, one of whom
opted out of SMS, and a 年检), confirmation calls for the next open day's bookings (a slot with
one place left), messages left for agent1 (callbacks, one of them about a complaint) and a
complaint whose first reply is overdue.

Dates are relative to today on D1's working calendar, so the day is "today" whenever the demo is
loaded. Idempotent: the day's first customer marks it built (everything is one transaction).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kesu import flows
from kesu.appointments import services as appointment_services
from kesu.calls.choices import CallDirection, CallPurpose
from kesu.calls.services import CallInput
from kesu.care import rules
from kesu.care import services as care_services
from kesu.complaints.choices import Satisfaction
from kesu.complaints.inputs import ComplaintDraft
from kesu.complaints.models import Complaint
from kesu.customers import services as customer_services
from kesu.customers.models import Customer, Vehicle
from kesu.followups import services as followup_services
from kesu.followups.choices import FollowUpKind, Result, VehicleEventKind
from kesu.followups.models import FollowUp
from kesu.followups.tasks import generate as generate_followups
from kesu.organizations.models import User
from kesu.sla.policies import calendar_for
from kesu.sla.services import REVISIT_AFTER_WORKING_DAYS

from .builder import _MAIN, ACTOR_ROLE, DemoOrg, _as_of, _inputs_for, random_vin
from .cases import Case

DEALER = "D1"
DAY_COMPLAINTS = 2  # the revisit's and the overdue one: part of `demo --complaints`


@dataclass(frozen=True)
class Person:
    name: str
    mobile: str
    plate: str
    model: str
    consent_sms: bool = True


PEOPLE = {
    "service": Person("周建国", "13826010001", "粤A3K7Q2", "轩逸 2023款"),
    "delivery3": Person("吴丽华", "13826010002", "粤AD52817", "天籁 2025款"),
    "delivery7": Person("郑海涛", "13826010003", "粤A8M2C6", "奇骏 2025款"),
    "revisit": Person("孙雅婷", "13826010004", "粤A6P9T1", "逍客 2023款"),
    "maintenance1": Person("钱志强", "13826010005", "粤A2H5N8", "轩逸 2025款"),
    "maintenance2": Person("冯晓燕", "13826010006", "粤AF31209", "骐达 2025款"),
    "opted_out": Person("何永康", "13826010007", "粤A7R4E3", "逍客 2025款"),
    "inspection": Person("林美玲", "13826010008", "粤A1B6W9", "天籁 2020款"),
    "message": Person("高振宇", "13826010009", "粤A5J8L2", "途达 2022款"),
    "overdue": Person("谢文博", "13826010010", "粤A9C3V7", "奇骏 2024款"),
    "booking1": Person("曹立新", "13826010011", "粤A4G7K5", "轩逸 2022款"),
    "booking2": Person("袁慧敏", "13826010012", "粤A6N2D8", "天籁 2023款"),
    "booking3": Person("蒋伟东", "13826010013", "粤A3T8F4", "奇骏 2023款"),
}

REVISIT_CASE = Case(
    "repair_quality",
    "appeal",
    "normal",
    "upset",
    ("free_repair",),
    "上周刚做完保养，刹车一踩就咯吱咯吱响，是不是你们没装好？",
    "检查为刹车片安装时未涂消音膏，已免费重新安装。",
)
OVERDUE_CASE = Case(
    "repair_cost",
    "appeal",
    "normal",
    "upset",
    ("other",),
    "保养单上多收了一个空调滤芯的钱，我根本没换，打了两次电话都没人给我答复。",
    "核对工单：空调滤芯未更换却已计费，需财务核实退款。",
)


@dataclass
class Built:
    """What the day added (for the command's output)."""

    customers: int = 0
    followups: int = 0
    care_items: int = 0
    bookings: int = 0
    callbacks: int = 0
    complaints: int = 0

    def __str__(self) -> str:
        return (
            f"{self.customers} customers, {self.followups} follow-ups, {self.care_items} care items, "
            f"{self.bookings} bookings, {self.callbacks} callbacks, {self.complaints} complaints"
        )


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def _moment_due_today(dealer_id: int, working_days: int, today: date) -> datetime:
    """An afternoon on a past day from which a call ``working_days`` working days later falls
    due today (or, on a day the dealer is closed, the most recent such day)."""
    calendar = calendar_for(dealer_id)
    for back in range(1, 40):
        moment = _local(today - timedelta(days=back), 15, 30)
        due = followup_services.opening_of_working_day(calendar, moment, working_days)
        if timezone.localtime(due).date() <= today:
            return moment
    return _local(today - timedelta(days=working_days), 15, 30)


def _customer(agent: User, person: Person, rng: random.Random, purchase: date) -> Customer:
    return customer_services.create_customer(
        actor=agent,
        name=person.name,
        mobile=person.mobile,
        consent_sms=person.consent_sms,
        consent_calls=True,
        vehicle=customer_services.VehicleInput(
            plate=person.plate,
            vin=random_vin(rng),
            model_name=person.model,
            mileage_km=max(12, (timezone.localdate() - purchase).days * 35),
            purchase_date=purchase,
            warranty_end=purchase + timedelta(days=3 * 365),
        ),
    )


def _complaint(
    demo: DemoOrg, customer: Customer, case: Case, received_at: datetime, steps: list[tuple[str, datetime]]
) -> Complaint:
    """A complaint of the day's customer received at ``received_at``, walked through ``steps``
    at their times (the timeline and the clocks tell that story)."""
    agent = demo.users["agent1"]
    draft = ComplaintDraft(
        customer_id=customer.pk,
        vehicle_id=customer.vehicles.get().pk,
        channel="phone",
        verbatim=case.verbatim,
        facts=case.facts,
        emotion=case.emotion,
        category=case.category,
        nature=case.nature,
        severity=case.severity,
        demands=list(case.demands),
        department_id=demo.departments[(DEALER, "SVC")].pk,
        assignee_id=agent.pk,
        received_at=received_at,
    )
    with _as_of(received_at):
        complaint = flows.create_complaint(actor=agent, draft=draft)
    for action, moment in steps:
        with _as_of(moment):
            complaint = flows.transition(
                actor=demo.users[f"{ACTOR_ROLE[action]}1"],
                complaint_id=complaint.pk,
                action=action,
                inputs=_inputs_for(action, case),
            )
    return complaint


def _vehicle_event(agent: User, customer: Customer, kind: str, at: datetime, work: str, advisor: str) -> None:
    vehicle: Vehicle = customer.vehicles.get()
    followup_services.record_vehicle_event(
        actor=agent,
        vehicle_id=vehicle.pk,
        kind=kind,
        time_field="finished_at" if kind == VehicleEventKind.SERVICE_VISIT else "delivered_at",
        data=followup_services.VehicleEventInput(
            happened_at=at,
            work=work,
            advisor=advisor,
            mileage_km=vehicle.mileage_km,
            external_ref=f"DEMO-{customer.mobile[-4:]}-{kind[:3].upper()}",
            assignee_id=agent.pk,
        ),
    )


def _first_service_purchase(target: date) -> date:
    """The purchase date whose first maintenance (by the care rules) falls on ``target``."""
    for back in range(100, 200):
        purchase = target - timedelta(days=back)
        if rules.maintenance_due(rules.Facts(purchase_date=purchase)) == target:
            return purchase
    return target - timedelta(days=143)


def _registered_for_inspection(target: date) -> date:
    """A registration (purchase) date whose 6-year on-site 年检 falls on ``target``."""
    for shift in range(0, 4):
        registered = rules.add_months(target, -72) + timedelta(days=shift)
        found = rules.next_inspection(registered, target)
        if found and found[0] == target:
            return registered
    return rules.add_months(target, -72)


def _book_next_open_day(demo: DemoOrg, customers: list[Customer], today: date) -> int:
    """Bookings on the next open day (their confirmation calls fall due today): one slot left
    with exactly one place, another with one booking. Empty slots only, so the welcome board
    and the slot grid read naturally next to the bookings already there."""
    dealer = demo.dealers[DEALER]
    agent = demo.users["agent1"]
    day = today + timedelta(days=1)
    slots: list[appointment_services.Slot] = []
    while day < today + timedelta(days=15):
        slots = [s for s in appointment_services.slots_of_day(dealer_id=dealer.pk, day=day) if not s.booked]
        if len(slots) >= 2:
            break
        day += timedelta(days=1)
    plan: list[tuple[appointment_services.Slot, Customer, list[str]]] = []
    if slots:
        first, second = slots[min(1, len(slots) - 1)], slots[-1]
        plan = [(first, c, ["maintenance"]) for c in customers[: max(0, first.capacity - 1)]]
        if second is not first and len(customers) > len(plan):
            plan.append((second, customers[len(plan)], ["repair", "inspection"]))
    for slot, customer, work in plan:
        vehicle = customer.vehicles.get()
        appointment_services.book(
            actor=agent,
            data=appointment_services.BookingInput(
                plate=vehicle.plate,
                name=customer.name,
                mobile=customer.mobile,
                arrival_at=slot.start,
                work_items=work,
                mileage_km=vehicle.mileage_km,
                customer_id=customer.pk,
                vehicle_id=vehicle.pk,
            ),
        )
    return len(plan)


def build_day(demo: DemoOrg, *, seed: int = 13) -> Built | None:
    """Add agent1's day to the demo; None when it is there already."""
    dealer = demo.dealers[DEALER]
    if Customer.objects.filter(dealer=dealer, mobile=PEOPLE["service"].mobile).exists():
        return None
    with transaction.atomic():
        return _build(demo, random.Random(seed))


def _build(demo: DemoOrg, rng: random.Random) -> Built:
    agent, manager = demo.users["agent1"], demo.users["manager1"]
    dealer_id = demo.dealers[DEALER].pk
    today = timezone.localdate()
    built = Built()
    before = FollowUp.objects.filter(dealer_id=dealer_id).count()
    made: dict[str, Customer] = {}

    def person(key: str, purchase: date) -> Customer:
        made[key] = _customer(agent, PEOPLE[key], rng, purchase)
        return made[key]

    # follow-ups: a service visit and two deliveries, their calls due today
    service_at = _moment_due_today(dealer_id, 3, today)
    person("service", today - timedelta(days=420))
    _vehicle_event(
        agent, made["service"], VehicleEventKind.SERVICE_VISIT, service_at, "10000公里保养", "李工"
    )
    delivered3 = _moment_due_today(dealer_id, 3, today)
    person("delivery3", delivered3.date())
    _vehicle_event(agent, made["delivery3"], VehicleEventKind.DELIVERY, delivered3, "新车交付", "陈顾问")
    delivered7 = _moment_due_today(dealer_id, 7, today)
    person("delivery7", delivered7.date())
    _vehicle_event(agent, made["delivery7"], VehicleEventKind.DELIVERY, delivered7, "新车交付", "陈顾问")

    # the revisit: a complaint closed on the last working day
    closed_at = _moment_due_today(dealer_id, REVISIT_AFTER_WORKING_DAYS, today)
    person("revisit", today - timedelta(days=250))
    received = closed_at - timedelta(days=3, hours=5)
    steps = [(action, received + timedelta(hours=1 + 17 * index)) for index, action in enumerate(_MAIN[:-1])]
    steps.append(("close", closed_at))
    _complaint(demo, made["revisit"], REVISIT_CASE, received, steps)
    built.complaints += 1
    generate_followups()  # the worker's pass: the calls of the events and the revisit

    # the 3-day call after the earlier delivery was made on its day; its 7-day call is today's
    three_day = FollowUp.objects.get(customer=made["delivery7"], kind=FollowUpKind.DELIVERY_3D)
    with _as_of(three_day.due_at + timedelta(hours=2)):
        flows.followups.record_outcome(
            actor=agent,
            followup_id=three_day.pk,
            data=followup_services.OutcomeInput(
                result=Result.REACHED,
                satisfaction=Satisfaction.VERY_SATISFIED,
                answers={"contact_ok": "yes", "car_ok": "yes"},
                comment="新车很满意，销售顾问讲解很细致。",
            ),
        )
    built.followups = FollowUp.objects.filter(dealer_id=dealer_id).count() - before

    # care: first maintenance opening today for three owners (one opted out of SMS), a 年检
    first_service = _first_service_purchase(today + timedelta(days=7))
    for key in ("maintenance1", "maintenance2", "opted_out"):
        person(key, first_service)
    opted = made["opted_out"]
    customer_services.update_customer(
        actor=agent, customer_id=opted.pk, expected_version=opted.version, changes={"consent_sms": False}
    )
    care_services.log_consent(
        actor=agent, customer_id=opted.pk, field="consent_sms", value=False, item_id=None
    )
    person("inspection", _registered_for_inspection(today + timedelta(days=30)))
    run = care_services.generate_care_lists(today=today)  # the worker's daily pass
    built.care_items = run.opened

    # messages left for agent1 while away: a question, and a chase on an overdue complaint
    person("message", today - timedelta(days=600))
    now = timezone.now()
    flows.calls.log_call(
        actor=manager,
        data=CallInput(
            number=PEOPLE["message"].mobile,
            purpose=CallPurpose.MESSAGE,
            direction=CallDirection.INBOUND,
            at=now - timedelta(minutes=40),
            plate=PEOPLE["message"].plate,
            customer_said="想问一下下次保养能不能周六来，做完要多久，请客服回个电话。",
            reply="好的，已记下您的问题，客服专员稍后给您回电。",
            duration_seconds=95,
            for_user_id=agent.pk,
        ),
    )
    person("overdue", today - timedelta(days=900))
    overdue_at = _moment_due_today(dealer_id, 2, today) - timedelta(hours=5)
    complaint = _complaint(demo, made["overdue"], OVERDUE_CASE, overdue_at, [])
    built.complaints += 1
    flows.calls.log_call(
        actor=manager,
        data=CallInput(
            number=PEOPLE["overdue"].mobile,
            purpose=CallPurpose.MESSAGE,
            direction=CallDirection.INBOUND,
            at=now - timedelta(hours=3),
            customer_said="多收空调滤芯钱的事，两天了还没人给我答复，请负责的客服马上回电。",
            reply="非常抱歉让您久等，已转告负责的客服专员尽快给您回电。",
            duration_seconds=130,
            for_user_id=agent.pk,
            complaint_id=complaint.pk,
        ),
    )
    built.callbacks = 2

    # bookings on the next open day: their confirmation calls are today's
    for key in ("booking1", "booking2", "booking3"):
        person(key, today - timedelta(days=rng.randrange(400, 900)))
    built.bookings = _book_next_open_day(demo, [made[k] for k in ("booking1", "booking2", "booking3")], today)
    built.customers = len(made)
    return built


def summary(built: Built | None) -> str:
    return "agent1's day already loaded; nothing added." if built is None else f"agent1's day: {built}."
