"""Improvement actions (整改) and the case library (案例分享) in the demo: two actions done about
six weeks ago and judged by the effectiveness check, two overdue (their owners and managers
told), one in progress, one the region opened from the Pareto chart; and two published cases —
the storm wiper (seed 003's 案例二) and another closed complaint of D1.

Fast: a dozen rows through the services, no complaint built."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kesu.complaints.models import Complaint
from kesu.improvements import services
from kesu.improvements.models import Case, ImprovementAction

from .builder import DemoOrg, _as_of

LESSONS = {
    "analysis": "产品质量问题导致客户不满，但经销商在客户到店前全程电话指引，到店后协调维修与用餐，"
    "把一次可能的投诉变成了一次感谢。",
    "commentary": "产品出现问题会导致客户不满意，但如果我们能及时、真诚地提供被客户认可的服务，"
    "不满意的客户也有可能变为满意的客户。先处理心情，再处理事情。",
}
OTHER_LESSONS = {
    "analysis": "问题本身不复杂，客户的不满来自等待和信息不透明：进度没有主动告知。",
    "commentary": "与时间赛跑，大事化小：维修过程中至少一次主动告知进度，答复时效按 2-3-7 原则执行。",
}


def _action(demo: DemoOrg, who: str, days_ago: int, deadline_in: int, **fields: object) -> ImprovementAction:
    moment = timezone.now() - timedelta(days=days_ago)
    with _as_of(moment):
        data = services.ActionInput(deadline=timezone.localdate() + timedelta(days=deadline_in), **fields)  # type: ignore[arg-type]
        return services.create_action(actor=demo.users[who], data=data)


def _complete(demo: DemoOrg, who: str, action: ImprovementAction, days_ago: int, evidence: str) -> None:
    with _as_of(timezone.now() - timedelta(days=days_ago)):
        action = services.transition(
            actor=demo.users[who], action_id=action.pk, move="start", version=action.version
        )
        services.transition(
            actor=demo.users[who],
            action_id=action.pk,
            move="complete",
            version=action.version,
            evidence_text=evidence,
        )


def _case(demo: DemoOrg, complaint: Complaint, title: str, lessons: dict[str, str]) -> Case:
    case = services.create_case(
        actor=demo.users["manager1"],
        data=services.CaseInput(complaint_id=complaint.pk, title=title, **lessons),
    )
    return services.set_published(actor=demo.users["manager1"], case_id=case.pk, published=True)


@transaction.atomic
def build_improvements(demo: DemoOrg) -> int:
    """The demo's actions and cases (once: skipped when there are actions already)."""
    if ImprovementAction.objects.exists():
        return 0
    users = demo.users
    d1 = Complaint.objects.filter(dealer=demo.dealers["D1"])
    wiper = d1.filter(verbatim__contains="雨刮").first()
    stock = _action(
        demo,
        "manager1",
        50,
        7,
        title="易损件（雨刮电机等）建立安全库存",
        owner_id=users["manager1"].pk,
        priority="urgent_important",
        category="product",
        fault_area="body_electrics",
        source="manual",
        description="按近三个月缺件记录补足常用件库存，缺货时 2 小时内向区域经理求援。",
    )
    _complete(demo, "manager1", stock, 42, "常用件清单与安全库存已设定，见配件部库存表。")
    reception = _action(
        demo,
        "gm1",
        45,
        5,
        title="接待礼仪复训：先处理心情，再处理事情",
        owner_id=users["agent1"].pk,
        priority="important",
        category="reception",
        source="manual",
    )
    _complete(demo, "agent1", reception, 38, "全体服务顾问完成复训，签到表已存档。")
    _action(
        demo,
        "manager1",
        20,
        8,
        title="刹车类返修：技师按标准流程复检",
        owner_id=users["dept1"].pk,
        priority="urgent_important",
        category="repair_quality",
        fault_area="brakes",
        source="manual",
    )
    _action(
        demo,
        "manager2",
        15,
        5,
        title="维修费用透明：报价单逐项说明",
        owner_id=users["agent2"].pk,
        priority="important",
        category="repair_cost",
        source="manual",
    )
    progress = _action(
        demo,
        "manager1",
        6,
        20,
        title="进度主动告知：维修中至少一次",
        owner_id=users["agent1"].pk,
        priority="urgent",
        category="repair_quality",
        source="manual",
    )
    services.transition(actor=users["agent1"], action_id=progress.pk, move="start", version=progress.version)
    _action(
        demo,
        "region1",
        3,
        25,
        title="华南区：刹车异响投诉 Pareto 前三项专项整改",
        owner_id=users["region1"].pk,
        organization_id=demo.regions["R-S"].pk,
        priority="important",
        source="chart",
        source_chart="pareto",
        month=timezone.localdate().strftime("%Y-%m"),
        fault_area="brakes",
    )
    services.check_effectiveness()
    services.notify_overdue()
    closed = d1.filter(status="closed").exclude(pk=wiper.pk if wiper else 0).order_by("-closed_at")
    if wiper is not None and wiper.status == "closed":
        _case(demo, wiper, "暴雨中的后雨刮：把投诉变成感谢", LESSONS)
    other = closed.first()
    if other is not None:
        _case(demo, other, f"{other.get_category_display() or '投诉'}：进度要主动告知", OTHER_LESSONS)
    return ImprovementAction.objects.count()
