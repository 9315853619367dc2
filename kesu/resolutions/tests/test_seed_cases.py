"""Seed 003, replayed through the API as the desk works it (cases 4 and 5 are in
kesu/carmaker/tests/test_seed_cases.py):

1. 宝马砸车秀 — the five-car customer's brake failure on the motorway: the 三包 check says a
   return may apply (第二十三条: within 60 days and 3,000 km), the return is beyond every dealer
   limit, so it climbs GM → region; once approved it is proposed, the customer signs, the
   处理协议 is printed, and finance has the refund to pay.
2. The storm wiper — a quick fix within the agent's own limit (free repair and a hot lunch),
   proposed at once; the car fixed the same afternoon; the care calls that follow.
3. The motorway stall — the towing fee refunded within the service manager's ¥2,000, proposed at
   once, and finance pays it (the voucher on the timeline).
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
from django.utils import timezone

from kesu.complaints.tests.factories import VALID_VIN
from kesu.core.validators import with_check_digit
from kesu.followups.tasks import generate as generate_followups
from kesu.resolutions.tests.test_options_api import SIGNATURE
from kesu.tests.test_pages import client_for


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return "".join(text.split())  # lines wrap anywhere in Chinese


def vin(n: int) -> str:
    return with_check_digit(VALID_VIN[:-3] + f"{n:03d}")


def new_customer(api: Any, user: str, **body: Any) -> dict:
    response = api(user).post("/api/v1/customers", body)
    assert response.status_code == 201, response.content
    return response.json()


def register(api: Any, user: str, customer: dict, vehicle_id: int, **body: Any) -> dict:
    response = api(user).post(
        "/api/v1/complaints",
        {"customer_id": customer["id"], "vehicle_id": vehicle_id, "channel": "phone", **body},
    )
    assert response.status_code == 201, response.content
    return response.json()


def move(api: Any, user: str, complaint_id: int, action: str, **inputs: Any) -> dict:
    response = api(user).post(f"/api/v1/complaints/{complaint_id}/transitions", {"action": action, **inputs})
    assert response.status_code == 200, (action, response.content)
    return response.json()


def accept(api: Any, complaint_id: int, note: str) -> None:
    promised = (timezone.now() + timedelta(hours=24)).isoformat()
    move(api, "agent1", complaint_id, "start_investigation", promised_plan_at=promised, note=note)


def draft(api: Any, user: str, complaint_id: int, lines: list[tuple[str, str, str]], **body: Any) -> dict:
    response = api(user).post(
        f"/api/v1/complaints/{complaint_id}/options",
        {"lines": [{"remedy": r, "amount": a, "note": n} for r, a, n in lines], **body},
    )
    assert response.status_code == 201, response.content
    return response.json()


def propose(api: Any, user: str, complaint_id: int, option_id: int, **body: Any) -> Any:
    return api(user).post(f"/api/v1/complaints/{complaint_id}/options/{option_id}/propose", body)


def timeline_titles(complaint_id: int, user: str = "agent1") -> str:
    """The complaint page as the user reads it (the timeline rendered in Chinese)."""
    page = client_for(user).get(f"/complaints/{complaint_id}/")
    assert page.status_code == 200
    return page.content.decode()


def payments(api: Any, user: str, status: str = "open") -> list[dict]:
    response = api(user).get(f"/api/v1/payments?status={status}")
    assert response.status_code == 200, response.content
    return response.json()


# --- case 1: the five-car customer's brake failure (宝马砸车秀, done right this time) ---------------


def test_case_one_the_brake_failure_return_climbs_gm_then_region_to_a_signed_agreement(demo, api):
    today = timezone.localdate()
    customer = new_customer(
        api,
        "agent1",
        name="朱先生",
        mobile="13903150001",
        is_vip=True,
        notes="唐山某科技公司，公司名下五辆旗舰轿车，有意再购三辆",
        vehicle={
            "plate": "冀B7301A",
            "vin": vin(1),
            "model_name": "旗舰轿车 730",
            "mileage_km": 2600,
            "purchase_date": str(today - timedelta(days=45)),
        },
    )
    brake_car = customer["vehicles"][0]["id"]
    for n, plate in enumerate(("冀B7302A", "冀B7303A", "冀B7304A", "冀B7305A"), start=2):
        added = api("agent1").post(
            f"/api/v1/customers/{customer['id']}/vehicles",
            {"plate": plate, "vin": vin(n), "model_name": "旗舰轿车 730"},
        )
        assert added.status_code == 201, added.content
    complaint = register(
        api,
        "agent1",
        customer,
        brake_car,
        verbatim="我公司五辆车先后出问题，水箱漏水、音响模块、转向模块都修过，今天去机场的高速上刹车突然踩不下去，"
        "差点出人命！我要求退掉这辆车，不然我就找媒体曝光。",
        facts="去机场途中高速上刹车踩不下去，已拖回店检查：制动模块失效。",
        category="product",
        nature="claim",
        emotion="angry",
        severity="crisis",
        demands=["return", "exchange"],
    )
    cid = complaint["id"]
    # the workshop records the repair: the brake module failed (制动系统失效)
    repair = api("dept1").post(
        f"/api/v1/vehicles/{brake_car}/repairs",
        {
            "date_in": str(today),
            "days_in_workshop": 1,
            "mileage_km": 2600,
            "system": "brakes",
            "problem": "制动模块失效",
            "serious_safety_fault": True,
            "system_failure": True,
            "parts": [{"name": "制动模块", "main": True}],
            "description": "高速上刹车踩不下去，拖车回店，更换制动模块",
            "complaint_id": cid,
        },
    )
    assert repair.status_code == 201, repair.content
    # the 三包 check: within 60 days and 3,000 km a brake failure gives return or exchange, free
    check = api("agent1").get(f"/api/v1/complaints/{cid}/sanbao")
    assert check.status_code == 200, check.content
    rights = {r["right"]: r for r in check.json()["rights"]}
    assert rights["return"]["may_apply"] == rights["exchange"]["may_apply"] == "yes"
    assert rights["return"]["may_apply_label"] == "符合"
    ground = next(g for g in rights["return"]["grounds"] if g["verdict"] == "yes")
    assert ground["article"] == "第二十三条" and ground["free"] is True
    assert ground["repair_ids"] == [repair.json()["id"]]
    figures = {t["key"]: t["figure"] for t in rights["return"]["thresholds"]}
    assert figures["sixty_days"] == "60" and figures["sixty_days_km"] == "3000"
    assert rights["return"]["missing"] == []
    panel = client_for("agent1").get(f"/sanbao/complaints/{cid}/panel/").content.decode()
    assert "第二十三条" in panel and "退车" in panel
    # the desk accepts; the department proposes the return, beyond every dealer's limit
    accept(api, cid, "已向朱先生致歉，安排专人上门拜访")
    option = draft(
        api,
        "manager1",
        cid,
        [("return", "868000.00", "按购车发票价全额退车款（三包第二十三条，免费退货）")],
        title="制动失灵车辆退车",
        schedule="区域批准后3个工作日内办理退车手续并退还车款",
        pros="依三包规定免费退货，无需承担合理使用补偿",
        cons="需办理车辆退回及发票冲红手续",
    )
    response = propose(api, "manager1", cid, option["id"], root_cause="制动模块失效，属产品质量问题")
    assert response.status_code == 202, response.content
    request = response.json()["approval_request"]
    assert request["current_role"] == "general_manager" and request["total"] == "868000.00"
    assert response.json()["complaint_status"] == "investigating"  # nothing promised yet
    # it waits for gm1 (not yet for the region); the requester cannot approve it
    assert [r["id"] for r in api("gm1").get("/api/v1/approvals").json()["items"]] == [request["id"]]
    assert api("region1").get("/api/v1/approvals").json()["items"] == []
    assert api("gm2").get(f"/api/v1/approvals/{request['id']}").status_code == 404
    detail = api("gm1").get(f"/api/v1/approvals/{request['id']}").json()
    assert [s["role_label"] for s in detail["steps"]] == ["总经理", "区域经理"] and detail["may_decide"]
    inbox = client_for("gm1").get("/approvals/").content.decode()
    assert complaint["number"] in inbox and "¥868,000.00" in inbox
    decided = api("gm1").post(
        f"/api/v1/approvals/{request['id']}/decide",
        {"decision": "approve", "comment": "大客户，同意退车，报区域批准"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "pending"
    assert api("gm1").get("/api/v1/approvals").json()["items"] == []
    assert [r["id"] for r in api("region1").get("/api/v1/approvals").json()["items"]] == [request["id"]]
    assert api("agent1").get(f"/api/v1/complaints/{cid}").json()["status"] == "investigating"
    decided = api("region1").post(
        f"/api/v1/approvals/{request['id']}/decide", {"decision": "approve", "comment": "同意退车"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    # the last approval proposes it on behalf of the service manager; finance has the refund
    shown = api("agent1").get(f"/api/v1/complaints/{cid}").json()
    assert shown["status"] == "plan_proposed" and "¥868,000.00" in shown["plan"]
    stored = api("agent1").get(f"/api/v1/complaints/{cid}/options/{option['id']}").json()
    assert stored["state"] == "proposed" and stored["approved_at"]
    refund = [t for t in payments(api, "manager1") if t["complaint_id"] == cid]
    assert [(t["kind"], t["amount"]) for t in refund] == [("payment", "868000.00")]
    # 朱先生 signs on the tablet at the desk; the 处理协议 is printed for the file
    signed = api("agent1").post(
        f"/api/v1/complaints/{cid}/options/{option['id']}/answer",
        {"answer": "agreed", "method": "signature", "signature": SIGNATURE, "customer_name": "朱先生"},
    )
    assert signed.status_code == 201, signed.content
    assert api("agent1").get(f"/api/v1/complaints/{cid}").json()["status"] == "agreed"
    pdf = api("agent1").get(f"/api/v1/complaints/{cid}/options/{option['id']}/agreement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in ("处理协议", complaint["number"], "朱先生", "冀B7301A", "¥868,000.00", "广州骏达4S店"):
        assert expected in text, expected
    # the timeline tells the story in Chinese
    page = timeline_titles(cid)
    for expected in ("提交审批", "总经理审批通过", "区域经理审批通过", "¥868,000.00"):
        assert expected in page, expected


# --- case 2: the storm wiper ------------------------------------------------------------------------


def test_case_two_the_storm_wiper_quick_fix_within_the_agents_limit_and_the_care_calls(demo, api):
    today = timezone.localdate()
    customer = new_customer(
        api,
        "agent1",
        name="宋先生",
        mobile="13801760002",
        consent_calls=True,
        vehicle={
            "plate": "沪A5R208",
            "vin": vin(20),
            "model_name": "逍客 2023款",
            "mileage_km": 1900,
            "purchase_date": str(today - timedelta(days=20)),
        },
    )
    car = customer["vehicles"][0]["id"]
    complaint = register(
        api,
        "agent1",
        customer,
        car,
        verbatim="新车才开了不到2000公里，去秦皇岛的路上遇上暴雨，后雨刮完全不动，太危险了，我今天必须走。",
        facts="暴雨中后雨刮不工作；客服全程电话指引客户安全到店。检查为后雨刮电机质量问题，店内缺货。",
        category="product",
        nature="appeal",
        emotion="upset",
        severity="serious",
        demands=["free_repair"],
    )
    cid = complaint["id"]
    accept(api, cid, "全程电话联系客户，叮嘱注意驾车安全并指引路线到店")
    option = draft(
        api,
        "agent1",
        cid,
        [
            ("free_repair", "0", "技师现场修复后雨刮电机，恢复正常使用"),
            ("gift", "60.00", "店内餐厅午餐，客服全程陪同"),
        ],
        title="当天修复后雨刮",
        schedule="今天下午修好，不耽误您今天出发去秦皇岛",
        pros="当天修好，您今天就能出发",
        cons="需要在店里等候约三个小时",
    )
    response = propose(api, "agent1", cid, option["id"], root_cause="后雨刮电机质量问题，店内缺货")
    assert response.status_code == 200, response.content  # within the agent's ¥500: no approval
    assert response.json()["approval_request"] is None
    assert response.json()["option"]["state"] == "proposed"
    assert response.json()["complaint_status"] == "plan_proposed"
    assert api("manager1").get("/api/v1/approvals").json()["items"] == []
    assert api("gm1").get("/api/v1/approvals").json()["items"] == []
    # administration hands over the lunch (a gift task), nothing for finance to pay
    tasks = [t for t in payments(api, "manager1") if t["complaint_id"] == cid]
    assert [(t["kind"], t["amount"]) for t in tasks] == [("gift", "60.00")]
    answered = api("agent1").post(
        f"/api/v1/complaints/{cid}/options/{option['id']}/answer",
        {"answer": "agreed", "method": "phone", "call_note": "客户在客休区当面同意，先用午餐等候"},
    )
    assert answered.status_code == 201, answered.content
    move(api, "dept1", cid, "start_implementation")
    move(api, "dept1", cid, "finish_implementation", note="下午维修完毕，后雨刮恢复正常，客户试车确认")
    # the workshop's visit is on record: the 3-day call after service follows
    visit = api("agent1").post(
        f"/api/v1/vehicles/{car}/service-visits",
        {
            "finished_at": timezone.now().isoformat(),
            "work": "后雨刮电机修复",
            "mileage_km": 1950,
            "ro_number": "RO-WIPER-01",
        },
    )
    assert visit.status_code == 201, visit.content
    closed = move(
        api, "agent1", cid, "close", satisfaction="very_satisfied", note="客户来电800表示感谢，对服务非常满意"
    )
    assert closed["status"] == "closed"
    generate_followups()  # the worker's pass
    calls = api("agent1").get("/api/v1/followups?state=open").json()
    mine = {c["kind"]: c for c in calls if c["customer_id"] == customer["id"]}
    assert set(mine) == {"revisit", "service_3d"}, calls
    assert mine["revisit"]["complaint_id"] == cid and mine["revisit"]["plate"] == "沪A5R208"
    assert mine["revisit"]["kind_label"] == "投诉结案回访"
    assert mine["service_3d"]["due_at"] > timezone.now().isoformat()
    page = timeline_titles(cid)
    assert "本人核决权限内" in page and "¥60.00" in page


# --- case 3: the motorway stall ---------------------------------------------------------------------


def test_case_three_the_towing_fee_within_the_managers_limit_is_proposed_and_paid(demo, api):
    today = timezone.localdate()
    customer = new_customer(
        api,
        "agent1",
        name="余先生",
        mobile="13602200003",
        vehicle={
            "plate": "粤A3K615",
            "vin": vin(30),
            "model_name": "天籁 2022款",
            "mileage_km": 960,
            "purchase_date": str(today - timedelta(days=12)),
        },
    )
    car = customer["vehicles"][0]["id"]
    complaint = register(
        api,
        "agent1",
        customer,
        car,
        verbatim="车刚跑了不到一千公里，在高速公路上突然熄火，再也打不着火。拖车费必须你们出，明天出门的出租车费也要赔，"
        "24小时内必须提车，还要赔精神损失费。",
        facts="客户经800热线投诉；高速熄火无法启动，拖车回店。检查为油泵质量问题。",
        category="product",
        nature="claim",
        emotion="angry",
        severity="major",
        demands=["compensation", "free_repair"],
    )
    cid = complaint["id"]
    accept(api, cid, "已致歉，承诺24小时内修好交车，每个进度节点电话告知客户")
    option = draft(
        api,
        "manager1",
        cid,
        [
            ("free_repair", "0", "免费更换油泵（同城经销商调货），当晚修好"),
            ("towing", "650.00", "高速路段拖车费，服务经理垫付"),
        ],
        title="当晚修复并报销拖车费",
        schedule="今晚修好，派人接您到店验车",
        pros="24小时内交车，拖车费由我们承担",
        cons="需要您到店验车签字",
    )
    response = propose(api, "manager1", cid, option["id"], root_cause="油泵质量问题，新车型未备货")
    assert response.status_code == 200, response.content  # within the service manager's ¥2,000
    assert response.json()["approval_request"] is None
    assert response.json()["complaint_status"] == "plan_proposed"
    assert api("gm1").get("/api/v1/approvals").json()["items"] == []
    # money promised: finance (财务部) has the towing fee to pay
    towing = [t for t in payments(api, "manager1") if t["complaint_id"] == cid]
    assert [(t["kind"], t["amount"]) for t in towing] == [("payment", "650.00")]
    assert "拖车费" in towing[0]["description"]
    assert payments(api, "manager2") == []  # another dealer sees none of it
    own = api("manager1").get("/api/v1/approvals?box=requested").json()["items"]
    assert [(r["status"], r["total"]) for r in own] == [("approved", "650.00")]
    answered = api("agent1").post(
        f"/api/v1/complaints/{cid}/options/{option['id']}/answer",
        {"answer": "agreed", "method": "phone", "call_note": "客户验车满意，未再提其它赔偿要求"},
    )
    assert answered.status_code == 201, answered.content
    paid = api("manager1").post(
        f"/api/v1/payments/{towing[0]['id']}/paid", {"voucher": "FK-0501-017", "note": "服务经理垫付"}
    )
    assert paid.status_code == 200 and paid.json()["status"] == "done"
    assert [t for t in payments(api, "manager1") if t["complaint_id"] == cid] == []
    page = timeline_titles(cid)
    for expected in ("本人核决权限内（服务经理）：¥650.00", "财务已付款：¥650.00", "FK-0501-017"):
        assert expected in page, expected


def test_a_free_repair_within_authority_opens_no_task(demo, api):
    """Only money and gifts are somebody's task: a promise of a free repair opens none."""
    customer = new_customer(
        api,
        "agent1",
        name="林女士",
        mobile="13602200004",
        vehicle={"plate": "粤A3K616", "vin": vin(40), "model_name": "轩逸 2023款"},
    )
    complaint = register(
        api, "agent1", customer, customer["vehicles"][0]["id"], verbatim="空调不制冷", category="product"
    )
    accept(api, complaint["id"], "已致歉")
    option = draft(api, "agent1", complaint["id"], [("free_repair", "0", "")], schedule="明天修好")
    assert propose(api, "agent1", complaint["id"], option["id"], root_cause="冷媒泄漏").status_code == 200
    assert payments(api, "manager1") == []
    assert api("agent1").get("/api/v1/approvals?box=requested").json()["items"] == []
    assert Decimal(option["total"]) == 0
