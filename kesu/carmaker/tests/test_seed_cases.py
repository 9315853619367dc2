"""Seed 003, replayed: case 4 (the fuel-display part found at another dealer) and case 5 (the car
fire: crisis, PR takes over, media log, an approved statement, the same-day incident report)."""

import ctypes
from datetime import timedelta

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.utils import timezone

from kesu.carmaker.tests.test_carmaker import make_pr2, report_body
from kesu.complaints.models import TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer

FIRE_FACTS = "客户于11点左右在高速上行驶过程中，车辆起火，造成后面10多辆车连环撞车，消防车无法施救"


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return "".join(text.split())  # lines wrap anywhere in Chinese


def chinese_fonts(content: bytes) -> set[str]:
    textpage = pdfium.PdfDocument(content)[0].get_textpage()
    fonts = set()
    for index, char in enumerate(textpage.get_text_range()):
        if "\u4e00" <= char <= "\u9fff":
            buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            pdfium_raw.FPDFText_GetFontInfo(textpage, index, buffer, 256, ctypes.byref(flags))
            fonts.add(buffer.value.decode().split("+")[-1])
    return fonts


def test_case_five_the_car_fire(demo, api):
    customer = make_customer(demo, 1, mobile="13904110000", plate="辽B12345")
    fire = make_complaint(
        demo,
        1,
        customer=customer,
        verbatim="车在高速上着火了，车内现金和欠款单据全烧了，要求赔偿新车和10万现金，记者已经拍照了",
        facts=FIRE_FACTS,
        severity="crisis",
        demands=["exchange", "compensation"],
    )
    # the crisis reached the carmaker at once: PR sees it and takes it over
    assert api("pr1").get(f"/api/v1/complaints/{fire.pk}").status_code == 200
    assert (
        api("pr1").post(f"/api/v1/complaints/{fire.pk}/pr/takeover", {"note": "公关部接管"}).status_code
        == 201
    )
    # the reporter of 大连晚报 and passers-by's photos
    media = api("pr1").post(
        f"/api/v1/complaints/{fire.pk}/media",
        {
            "outlet": "大连晚报",
            "url": "https://www.dlwb.com.cn/content/fire-on-motorway",
            "published_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "reach": 80000,
            "tone": "negative",
        },
    )
    assert media.status_code == 201, media.content
    statement = (
        api("pr1")
        .post(
            f"/api/v1/complaints/{fire.pk}/statements",
            {"text": "我们已第一时间派人赶赴现场，积极配合交警部门调查起火原因，并与车主保持沟通。"},
        )
        .json()
    )
    make_pr2(demo)
    assert (
        api("pr2").post(f"/api/v1/statements/{statement['id']}/decide", {"decision": "approve"}).status_code
        == 200
    )
    # the region manager instructs the dealer; the dealer answers
    instruction = (
        api("region1")
        .post(
            f"/api/v1/complaints/{fire.pk}/instructions",
            {
                "text": "当日提交重大事故报告，并到交通队拍照取证",
                "due_at": (timezone.now() + timedelta(hours=6)).isoformat(),
            },
        )
        .json()
    )
    assert (
        api("manager1")
        .post(f"/api/v1/instructions/{instruction['id']}/done", {"answer": "已拍照，报告已提交"})
        .status_code
        == 200
    )
    # the dealer's service manager writes the report the same day
    written = api("manager1").post(f"/api/v1/complaints/{fire.pk}/incident-report", report_body())
    assert written.status_code == 200 and written.json()["same_day"] is True
    response = api("crc1").get(f"/api/v1/complaints/{fire.pk}/incident-report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "重大事故报告",
        fire.number,
        "".join(FIRE_FACTS.split()),
        "辽B12345",
        "沈大高速大连段",
        "路面损失3万元",
        "无人员伤亡",
        "大连晚报",
        "80000",
        "我们已第一时间派人赶赴现场",
        "当日提交重大事故报告",
        "配合厂方调查起火原因",
    ):
        assert expected in text, expected
    fonts = chinese_fonts(response.content)
    assert fonts and all(f.startswith(("Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC")) for f in fonts), fonts
    # every decision is on the timeline, in Chinese when read
    actions = list(TimelineEntry.objects.filter(complaint=fire, kind="pr").values_list("action", flat=True))
    assert actions == ["takeover", "media", "statement_drafted", "statement_approved", "incident_report"]
    page = api("agent1").get(f"/api/v1/complaints/{fire.pk}/timeline")
    assert page.status_code == 200
    # another dealer and PR of nothing else see none of it
    assert api("agent2").get(f"/api/v1/complaints/{fire.pk}/incident-report.pdf").status_code == 404


def test_case_four_the_fuel_display_part_from_another_dealer(demo, api):
    complaint = make_complaint(
        demo,
        1,
        verbatim="仪表更换后平均油耗显示功能没有了，要求厂方恢复此功能，否则就是侵犯我的权利",
        category="parts",
    )
    asked = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/help-requests",
        {
            "to_dealer_id": demo.dealers["D3"].pk,  # across regions: 全国DCRC总动员
            "kind": "part",
            "what": "带平均油耗显示功能的旧款仪表总成",
            "part_number": "CD132-IP-05",
            "quantity": 1,
            "needed_by": (timezone.now() + timedelta(days=3)).isoformat(),
        },
    )
    assert asked.status_code == 201, asked.content
    incoming = api("gm3").get("/api/v1/help-requests?direction=incoming").json()
    assert [(r["part_number"], r["from_dealer"]) for r in incoming] == [("CD132-IP-05", "广州骏达4S店")]
    assert "侵犯" not in str(incoming)
    accepted = api("manager3").post(
        f"/api/v1/help-requests/{incoming[0]['id']}/answer",
        {"decision": "accept", "reply": "库存有1件，明日发出"},
    )
    assert accepted.status_code == 200
    assert (
        api("agent1")
        .post(f"/api/v1/help-requests/{incoming[0]['id']}/answer", {"decision": "done"})
        .json()["status"]
        == "done"
    )
    timeline = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/timeline").json()
    text = str(timeline)
    assert "北京京诚4S店" in text
