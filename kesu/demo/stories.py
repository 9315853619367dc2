"""Seed 003's five cases, told on dealer D1 (广州骏达4S店) as they would stand today.

Each story goes through the same flows and services the pages and the API use, at plausible
times in the recent past (``_as_of``), so the demo shows every part of issue 12 in a realistic
state:

1. the five-car customer's brake failure: repairs recorded (the 三包 check gives its reasons), the
   return beyond every dealer limit waiting for the general manager, then the region;
2. the storm wiper: fixed the same afternoon within the agent's own limit (a lunch as the gift,
   handed over), closed very satisfied, its care calls on the desk's list;
3. the motorway stall: the towing fee within the service manager's ¥2,000, agreed, the pump fitted
   (a part from the neighbouring dealer), finance's payment task open;
4. the fuel-display part: a help request to a dealer in another region, accepted;
5. the car fire: a crisis, PR in charge (media log, a statement drafted), the region's instruction
   answered, the same-day incident report, and the customer's demand waiting for approval.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kesu import flows
from kesu.carmaker import services as carmaker_services
from kesu.complaints import services as complaint_services
from kesu.complaints.models import Complaint
from kesu.core.validators import with_check_digit
from kesu.customers import services as customer_services
from kesu.customers.models import Customer
from kesu.followups import services as followup_services
from kesu.followups.choices import VehicleEventKind
from kesu.followups.tasks import generate as generate_followups
from kesu.resolutions.models import Option
from kesu.resolutions.services import options as option_services
from kesu.sanbao import services as sanbao_services

from .builder import DemoOrg, _as_of

# The stories' customers are found again by these numbers (the demo adds nothing the second time).
MOBILES = {
    "brake": "13903150001",
    "wiper": "13801760002",
    "stall": "13602200003",
    "display": "13911050004",
    "fire": "13904110005",
}


def _vin(n: int) -> str:
    return with_check_digit(f"LGBF5AE0{n:09d}")


def _customer(
    demo: DemoOrg,
    key: str,
    name: str,
    plate: str,
    model: str,
    bought_days_ago: int | None,
    km: int,
    **extra: Any,
) -> Customer:
    purchase = timezone.localdate() - timedelta(days=bought_days_ago) if bought_days_ago else None
    return customer_services.create_customer(
        actor=demo.users["agent1"],
        name=name,
        mobile=MOBILES[key],
        vehicle=customer_services.VehicleInput(
            plate=plate,
            vin=_vin(len(key) * 1000 + sum(map(ord, key))),
            model_name=model,
            mileage_km=km,
            purchase_date=purchase,
            warranty_end=purchase + timedelta(days=3 * 365) if purchase else None,
        ),
        **extra,
    )


def _register(demo: DemoOrg, customer: Customer, at: datetime, **fields: Any) -> Complaint:
    draft = complaint_services.ComplaintDraft(
        customer_id=customer.pk,
        vehicle_id=customer.vehicles.order_by("pk").first().pk,  # type: ignore[union-attr]
        received_at=at,
        **fields,
    )
    with _as_of(at):
        return flows.create_complaint(actor=demo.users["agent1"], draft=draft)


def _move(demo: DemoOrg, who: str, complaint: Complaint, action: str, at: datetime, **inputs: Any) -> None:
    with _as_of(at):
        flows.transition(actor=demo.users[who], complaint_id=complaint.pk, action=action, inputs=inputs)


def _accept(demo: DemoOrg, complaint: Complaint, at: datetime, note: str) -> None:
    _move(
        demo,
        "agent1",
        complaint,
        "start_investigation",
        at,
        promised_plan_at=at + timedelta(hours=24),
        note=note,
    )


def _option(
    demo: DemoOrg,
    who: str,
    complaint: Complaint,
    at: datetime,
    lines: list[tuple[str, str, str]],
    *,
    title: str,
    schedule: str,
    pros: str,
    cons: str,
) -> Option:
    data = option_services.OptionInput(
        lines=[option_services.LineInput(remedy, amount, note) for remedy, amount, note in lines],
        schedule=schedule,
        title=title,
        pros=pros,
        cons=cons,
    )
    with _as_of(at):
        return flows.resolutions.save_option(actor=demo.users[who], complaint_id=complaint.pk, data=data)


def _propose(demo: DemoOrg, who: str, option: Option, at: datetime, root_cause: str) -> None:
    with _as_of(at):
        flows.resolutions.propose_option(
            actor=demo.users[who],
            complaint_id=option.complaint_id,
            option_id=option.pk,
            root_cause=root_cause,
        )


def _agreed_by_phone(demo: DemoOrg, option: Option, at: datetime, note: str) -> None:
    with _as_of(at):
        flows.resolutions.record_answer(
            actor=demo.users["agent1"],
            complaint_id=option.complaint_id,
            option_id=option.pk,
            data=option_services.AnswerInput(answer="agreed", method="phone", call_note=note),
        )


def _repair(demo: DemoOrg, vehicle_id: int, day: date, system: str, problem: str, **extra: Any) -> None:
    sanbao_services.record_repair(
        actor=demo.users["dept1"],
        vehicle_id=vehicle_id,
        data=sanbao_services.RepairInput(date_in=day, system=system, problem=problem, **extra),
    )


# --- 1. the five-car customer's brake failure ---------------------------------------------------


def brake_failure(demo: DemoOrg) -> Complaint:
    now, today = timezone.now(), timezone.localdate()
    customer = _customer(
        demo,
        "brake",
        "朱先生",
        "粤A7301A",
        "旗舰轿车 730",
        45,
        2600,
        is_vip=True,
        notes="唐山某科技公司，公司名下五辆旗舰轿车；曾表示处理得当会再购三辆。",
    )
    brake_car = customer.vehicles.get()
    others = []
    for n, plate in enumerate(("粤A7302A", "粤A7303A", "粤A7304A", "粤A7305A"), start=2):
        others.append(
            customer_services.add_vehicle(
                actor=demo.users["agent1"],
                customer_id=customer.pk,
                data=customer_services.VehicleInput(
                    plate=plate,
                    vin=_vin(7300 + n),
                    model_name="旗舰轿车 730",
                    mileage_km=8000 + 1500 * n,
                    purchase_date=today - timedelta(days=200 + 20 * n),
                ),
            )
        )
    # the fleet's earlier repairs (seed 003: 水箱漏水、音响模块故障、转向模块故障), all solved
    _repair(
        demo,
        others[0].pk,
        today - timedelta(days=90),
        "engine",
        "水箱漏水",
        days_in_workshop=2,
        mileage_km=6100,
        parts=[sanbao_services.PartInput("散热器水箱")],
        description="更换水箱，试车无渗漏",
    )
    _repair(
        demo,
        others[1].pk,
        today - timedelta(days=60),
        "electrical",
        "音响模块故障",
        days_in_workshop=1,
        mileage_km=9800,
        parts=[sanbao_services.PartInput("音响控制模块")],
        description="更换音响模块",
    )
    _repair(
        demo,
        others[2].pk,
        today - timedelta(days=30),
        "steering",
        "转向模块故障",
        days_in_workshop=3,
        mileage_km=12400,
        serious_safety_fault=True,
        parts=[sanbao_services.PartInput("转向控制模块", main=True)],
        description="更换转向模块",
    )
    received = now - timedelta(days=2, hours=3)
    complaint = _register(
        demo,
        customer,
        received,
        channel="phone",
        verbatim="我公司五辆车先后出问题，水箱漏水、音响模块、转向模块都修过，今天去机场的高速上刹车突然踩不下去，"
        "差点出人命！我要求退掉这辆车，不然我就找媒体曝光。",
        facts="去机场途中高速上刹车踩不下去，已拖回店检查：制动模块失效。客户为大客户，五辆车均有维修记录。",
        emotion="angry",
        category="product",
        nature="claim",
        severity="crisis",
        demands=["return", "exchange"],
    )
    _accept(
        demo,
        complaint,
        received + timedelta(minutes=25),
        "已向朱先生致歉，服务经理当天上门拜访，先处理心情再处理事情。",
    )
    _repair(
        demo,
        brake_car.pk,
        timezone.localdate(received),
        "brakes",
        "制动模块失效",
        days_in_workshop=1,
        mileage_km=2600,
        serious_safety_fault=True,
        system_failure=True,
        parts=[sanbao_services.PartInput("制动模块", main=True)],
        description="高速上刹车踩不下去，拖车回店，更换制动模块",
        complaint_id=complaint.pk,
    )
    option = _option(
        demo,
        "manager1",
        complaint,
        now - timedelta(hours=5),
        [("return", "868000.00", "按购车发票价全额退车款（三包第二十三条，免费退货）")],
        title="制动失灵车辆退车",
        schedule="区域批准后3个工作日内办理退车手续并退还车款",
        pros="依三包规定免费退货，无需承担合理使用补偿",
        cons="需办理车辆退回及发票冲红手续",
    )
    # beyond every dealer limit: the general manager signs first, then the region decides
    _propose(demo, "manager1", option, now - timedelta(hours=4), "制动模块失效，属产品质量问题")
    return complaint


# --- 2. the storm wiper --------------------------------------------------------------------------


def storm_wiper(demo: DemoOrg) -> Complaint:
    now = timezone.now()
    customer = _customer(demo, "wiper", "宋先生", "沪A5R208", "逍客 2023款", 20, 1900, consent_calls=True)
    received = now - timedelta(days=4, hours=6)
    complaint = _register(
        demo,
        customer,
        received,
        channel="phone",
        verbatim="新车才开了不到2000公里，去秦皇岛的路上遇上暴雨，后雨刮完全不动，太危险了，我今天必须走。",
        facts="暴雨中后雨刮不工作；客服全程电话指引客户安全到店。检查为后雨刮电机质量问题，店内缺货。",
        emotion="upset",
        category="product",
        nature="appeal",
        severity="serious",
        demands=["free_repair"],
    )
    _accept(
        demo, complaint, received + timedelta(minutes=5), "全程电话联系客户，叮嘱注意驾车安全并指引路线到店。"
    )
    option = _option(
        demo,
        "agent1",
        complaint,
        received + timedelta(hours=1),
        [
            ("free_repair", "0", "技师现场修复后雨刮电机，恢复正常使用"),
            ("gift", "60.00", "店内餐厅午餐，客服全程陪同"),
        ],
        title="当天修复后雨刮",
        schedule="今天下午修好，不耽误您今天出发去秦皇岛",
        pros="当天修好，您今天就能出发",
        cons="需要在店里等候约三个小时",
    )
    # within the agent's own ¥500: proposed at once, the lunch a task for administration
    _propose(demo, "agent1", option, received + timedelta(hours=1, minutes=5), "后雨刮电机质量问题，店内缺货")
    _agreed_by_phone(
        demo, option, received + timedelta(hours=1, minutes=10), "客户在客休区当面同意，先用午餐等候。"
    )
    task = option_tasks(option)[0]
    with _as_of(received + timedelta(hours=2)):
        flows.approvals.complete_task(
            actor=demo.users["manager1"], task_id=task, voucher="", note="午餐已安排"
        )
    _move(demo, "dept1", complaint, "start_implementation", received + timedelta(hours=1, minutes=30))
    fixed = received + timedelta(hours=4)
    _move(
        demo,
        "dept1",
        complaint,
        "finish_implementation",
        fixed,
        note="下午维修完毕，后雨刮恢复正常，客户试车确认。",
    )
    with _as_of(fixed):
        followup_services.record_vehicle_event(
            actor=demo.users["agent1"],
            vehicle_id=complaint.vehicle_id or 0,
            kind=VehicleEventKind.SERVICE_VISIT,
            data=followup_services.VehicleEventInput(
                happened_at=fixed, work="后雨刮电机修复", mileage_km=1950, external_ref="RO-WIPER-01"
            ),
            time_field="finished_at",
        )
    _move(
        demo,
        "agent1",
        complaint,
        "close",
        received + timedelta(days=1, hours=2),
        satisfaction="very_satisfied",
        note="客户来电800表示感谢，对经销商的关怀非常满意。",
    )
    return complaint


def option_tasks(option: Option) -> list[int]:
    from kesu.approvals.models import PaymentTask

    return list(
        PaymentTask.objects.filter(request__subject_model="resolutions.option", request__subject_id=option.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- 3. the motorway stall -----------------------------------------------------------------------


def motorway_stall(demo: DemoOrg) -> Complaint:
    now = timezone.now()
    customer = _customer(demo, "stall", "余先生", "粤A3K615", "天籁 2022款", 12, 960)
    received = now - timedelta(hours=22)
    complaint = _register(
        demo,
        customer,
        received,
        channel="hotline_800",
        verbatim="车刚跑了不到一千公里，在高速公路上突然熄火，再也打不着火。拖车费必须你们出，明天出门的出租车费也要赔，"
        "24小时内必须提车，还要赔精神损失费。",
        facts="客户经800热线投诉；高速熄火无法启动，拖车回店。检查为油泵质量问题，新车型未备货。",
        emotion="angry",
        category="product",
        nature="claim",
        severity="major",
        demands=["compensation", "free_repair"],
    )
    _accept(
        demo,
        complaint,
        received + timedelta(minutes=20),
        "已致歉，承诺24小时内修好交车，每个进度节点电话告知客户。",
    )
    with _as_of(received + timedelta(hours=1)):
        help_request = carmaker_services.ask_for_help(
            actor=demo.users["manager1"],
            complaint_id=complaint.pk,
            data=carmaker_services.HelpInput(
                to_dealer_id=demo.dealers["D2"].pk,
                kind="part",
                what="新款天籁燃油泵总成（区域经理协调）",
                needed_by=received + timedelta(hours=6),
                part_number="17040-6CA0A",
                quantity=1,
                urgency="urgent",
            ),
        )
    with _as_of(received + timedelta(hours=1, minutes=30)):
        carmaker_services.answer_help(
            actor=demo.users["manager2"],
            request_id=help_request.pk,
            decision="accept",
            reply="有货，马上派人送到贵店",
        )
    with _as_of(received + timedelta(hours=4)):
        carmaker_services.answer_help(
            actor=demo.users["manager1"], request_id=help_request.pk, decision="done", reply="油泵已收到"
        )
    option = _option(
        demo,
        "manager1",
        complaint,
        received + timedelta(hours=4, minutes=30),
        [
            ("free_repair", "0", "免费更换油泵（兄弟店调货），当晚修好"),
            ("towing", "650.00", "高速路段拖车费，服务经理垫付"),
        ],
        title="当晚修复并报销拖车费",
        schedule="今晚修好，派人接您到店验车",
        pros="24小时内交车，拖车费由我们承担",
        cons="需要您到店验车签字",
    )
    # within the service manager's ¥2,000: proposed at once; finance pays the towing fee
    _propose(
        demo, "manager1", option, received + timedelta(hours=4, minutes=35), "油泵质量问题，新车型未备货"
    )
    _agreed_by_phone(
        demo, option, received + timedelta(hours=5), "客户同意方案，未再提出租车费和精神损失费。"
    )
    _move(demo, "dept1", complaint, "start_implementation", received + timedelta(hours=5, minutes=10))
    _move(
        demo,
        "dept1",
        complaint,
        "finish_implementation",
        received + timedelta(hours=8),
        note="当晚更换油泵完毕，派人接客户到店验车，客户确认无问题。",
    )
    return complaint


# --- 4. the fuel-display part ---------------------------------------------------------------------


def fuel_display(demo: DemoOrg) -> Complaint:
    now = timezone.now()
    customer = _customer(demo, "display", "陈女士", "粤A9C132", "骐达 2021款", 900, 46000)
    received = now - timedelta(days=3, hours=2)
    complaint = _register(
        demo,
        customer,
        received,
        channel="hotline_800",
        verbatim="仪表有问题换了一个新零件，换完以后平均油耗显示的功能没有了。我买车的时候有这个功能，"
        "强烈要求厂方恢复，否则就是侵犯我的权利。",
        facts="更换仪表后平均油耗显示功能缺失：服务件为新版本，刷新模块无法恢复；四个零件库房均无旧版库存。",
        emotion="upset",
        category="parts",
        nature="appeal",
        severity="normal",
        demands=["free_repair"],
    )
    _accept(demo, complaint, received + timedelta(minutes=40), "已致歉，联系区域技术经理和供应商协助。")
    with _as_of(received + timedelta(days=1)):
        asked = carmaker_services.ask_for_help(
            actor=demo.users["agent1"],
            complaint_id=complaint.pk,
            data=carmaker_services.HelpInput(
                to_dealer_id=demo.dealers["D3"].pk,  # across regions: 全国DCRC总动员
                kind="part",
                what="带平均油耗显示功能的旧款仪表总成",
                needed_by=received + timedelta(days=6),
                part_number="CD132-IP-05",
                quantity=1,
            ),
        )
    with _as_of(received + timedelta(days=1, hours=3)):
        carmaker_services.answer_help(
            actor=demo.users["manager3"], request_id=asked.pk, decision="accept", reply="库存有1件，明日发出"
        )
    return complaint


# --- 5. the car fire ------------------------------------------------------------------------------


def car_fire(demo: DemoOrg) -> Complaint:
    now = timezone.now()
    customer = _customer(demo, "fire", "林先生", "粤A6F170", "途达 2022款", 500, 38000)
    happened = now - timedelta(hours=5)
    received = happened + timedelta(minutes=40)
    complaint = _register(
        demo,
        customer,
        received,
        channel="phone",
        verbatim="我的车在高速上开着开着就起火了，人差点没跑出来，车内现金和欠款单据全烧了，"
        "要求赔偿新车和10万现金，我已经联系记者了。",
        facts="客户于11点左右在高速上行驶过程中车辆起火，造成后面10多辆车连环撞车，消防车无法施救；"
        "DCRC经理已报备厂方。",
        emotion="angry",
        category="product",
        nature="claim",
        severity="crisis",
        demands=["exchange", "compensation"],
    )
    _accept(demo, complaint, received + timedelta(minutes=10), "服务经理及DCRC经理赶赴现场拍照，安抚客户。")
    with _as_of(received + timedelta(minutes=30)):
        carmaker_services.take_over(
            actor=demo.users["pr1"], complaint_id=complaint.pk, note="公关部接管，统一对外口径"
        )
        carmaker_services.log_media(
            actor=demo.users["pr1"],
            complaint_id=complaint.pk,
            data=carmaker_services.MediaInput(
                outlet="本地晚报",
                url="https://news.example.cn/2026/motorway-fire",
                published_at=received + timedelta(minutes=20),
                reach=80000,
                tone="negative",
                note="事故现场有记者拍照，路人用手机拍摄",
            ),
        )
        instruction = carmaker_services.give_instruction(
            actor=demo.users["region1"],
            complaint_id=complaint.pk,
            text="当日提交重大事故报告，并到交通队对烧毁车辆拍照取证",
            due_at=received + timedelta(hours=6),
        )
    with _as_of(received + timedelta(hours=1)):
        flows.carmaker.draft_statement(
            actor=demo.users["pr1"],
            complaint_id=complaint.pk,
            text="我们已第一时间派人赶赴现场，积极配合交警部门调查起火原因，并与车主保持沟通。",
        )
    with _as_of(received + timedelta(hours=2)):
        carmaker_services.save_incident_report(
            actor=demo.users["manager1"],
            complaint_id=complaint.pk,
            data=carmaker_services.ReportInput(
                occurred_at=happened,
                location="高速公路广州方向",
                injuries="无人员伤亡",
                damage="车辆烧毁；路面损失约3万元；车内现金3万元及70余万元欠款单据烧毁",
                actions_taken="服务经理及DCRC经理到现场拍照；到交通队对烧毁车辆拍照；报备区域技术经理及CRC",
                next_steps="配合厂方调查起火原因；与媒体沟通；与客户协商处理方案",
            ),
        )
        carmaker_services.answer_instruction(
            actor=demo.users["manager1"], instruction_id=instruction.pk, answer="已拍照取证，事故报告已提交"
        )
    option = _option(
        demo,
        "manager1",
        complaint,
        received + timedelta(hours=3),
        [
            ("exchange", "0", "同款新车一辆，原车残值抵扣"),
            ("compensation", "30000.00", "车内现金损失补偿（待交警认定后支付）"),
        ],
        title="换新车并补偿现金损失",
        schedule="起火原因认定后7日内交付新车",
        pros="尽快恢复您的用车，现金损失先行补偿",
        cons="需待交警部门出具起火原因认定",
    )
    # beyond the general manager's ¥20,000: the dealer signs, then the region
    _propose(demo, "manager1", option, received + timedelta(hours=3, minutes=10), "起火原因待厂方调查认定")
    return complaint


STORIES: tuple[Callable[[DemoOrg], Complaint], ...] = (
    brake_failure,
    storm_wiper,
    motorway_stall,
    fuel_display,
    car_fire,
)


def build_stories(demo: DemoOrg) -> list[Complaint]:
    """The five seed-003 stories on D1, each in its own transaction; skipped when its customer
    exists already (running the demo again adds nothing)."""
    built = []
    for story, key in zip(STORIES, MOBILES, strict=True):
        if Customer.objects.filter(mobile=MOBILES[key], dealer=demo.dealers["D1"]).exists():
            continue
        with transaction.atomic():
            built.append(story(demo))
    if built:
        generate_followups()  # what the worker does next: the storm wiper's care calls on the list
    return built
