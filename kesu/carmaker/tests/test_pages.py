"""The pages: the carmaker card on the complaint page (in Chinese), the help requests of both
dealers, and the forms, which answer bad input naming the field and save nothing."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from kesu.carmaker.models import HelpRequest, IncidentReport, Instruction, MediaMention, PrTakeover
from kesu.complaints.tests.factories import make_complaint


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_the_card_on_a_crisis_shows_pr_in_charge_in_chinese(demo):
    complaint = make_complaint(demo, 1, verbatim="车辆起火，记者已拍照", severity="crisis")
    pr = client_for("pr1")
    card = pr.get(f"/carmaker/complaints/{complaint.pk}/panel/").content.decode()
    assert "公关接管" in card and "媒体报道记录" in card and "起草声明" in card
    response = pr.post(f"/carmaker/complaints/{complaint.pk}/takeover/", {"note": "公关部接手"})
    assert response.status_code == 302
    assert PrTakeover.objects.filter(complaint=complaint).exists()
    page = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="carmaker-slot"' in page
    card = client_for("agent1").get(f"/carmaker/complaints/{complaint.pk}/panel/").content.decode()
    assert "公关部负责" in card and "公关部" in card
    assert "公关接管</button>" not in card  # the dealer cannot take over
    assert "重大事故报告（PDF）" in card and "填写重大事故报告" in card


def test_a_bad_media_link_on_the_page_names_the_field_and_saves_nothing(demo):
    complaint = make_complaint(demo, 1, verbatim="车辆起火", severity="crisis")
    pr = client_for("pr1")
    response = pr.post(
        f"/carmaker/complaints/{complaint.pk}/media/",
        {
            "outlet": "大连晚报",
            "url": "大连晚报网站",
            "published_at": local(-timedelta(hours=1)),
            "reach": "5000",
            "tone": "negative",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "url" in text and "不是有效的网址" in text
    assert not MediaMention.objects.exists()
    good = pr.post(
        f"/carmaker/complaints/{complaint.pk}/media/",
        {
            "outlet": "大连晚报",
            "url": "https://dlwb.example.cn/a",
            "published_at": local(-timedelta(hours=1)),
            "reach": "5000",
            "tone": "negative",
        },
        follow=True,
    )
    assert "媒体报道已记录" in good.content.decode()
    assert MediaMention.objects.get().reach == 5000


def test_an_instruction_from_the_page_and_the_dealers_answer(demo):
    complaint = make_complaint(demo, 1)
    client_for("gm1").post(
        f"/complaints/{complaint.pk}/do/escalate/", {"reason": "客户要求厂方介入", "version": 1}
    )
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    region = client_for("region1")
    past = region.post(
        f"/carmaker/complaints/{complaint.pk}/instructions/",
        {"text": "联系客户", "due_at": local(-timedelta(hours=2))},
        follow=True,
    )
    assert "due_at" in past.content.decode() and "该时间已过" in past.content.decode()
    assert not Instruction.objects.exists()
    region.post(
        f"/carmaker/complaints/{complaint.pk}/instructions/",
        {"text": "今天内上门检查", "due_at": local(timedelta(hours=5))},
    )
    instruction = Instruction.objects.get()
    card = client_for("agent1").get(f"/carmaker/complaints/{complaint.pk}/panel/").content.decode()
    assert "今天内上门检查" in card and "签收" in card and "等待经销商答复" in card
    client_for("agent1").post(
        f"/carmaker/instructions/{instruction.pk}/answer/", {"answer": "已上门", "complaint_id": complaint.pk}
    )
    instruction.refresh_from_db()
    assert instruction.state == "done" and instruction.answer == "已上门"
    timeline = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "厂方向经销商下达指示" in timeline and "经销商已答复厂方指示" in timeline


def test_help_requests_page_for_both_dealers(demo):
    complaint = make_complaint(demo, 1, verbatim="油泵故障，高速上熄火，要求24小时内提车")
    asker = client_for("agent1")
    same = asker.post(
        f"/carmaker/complaints/{complaint.pk}/help/",
        {
            "to_dealer_id": demo.dealers["D1"].pk,
            "kind": "part",
            "what": "燃油泵",
            "part_number": "17040",
            "quantity": "1",
            "needed_by": local(timedelta(hours=6)),
        },
        follow=True,
    )
    assert "to_dealer_id" in same.content.decode()
    assert not HelpRequest.objects.exists()
    asker.post(
        f"/carmaker/complaints/{complaint.pk}/help/",
        {
            "to_dealer_id": demo.dealers["D2"].pk,
            "kind": "part",
            "what": "燃油泵",
            "part_number": "17040",
            "quantity": "1",
            "needed_by": local(timedelta(hours=6)),
            "urgency": "urgent",
        },
    )
    request = HelpRequest.objects.get()
    other = client_for("manager2")
    page = other.get("/carmaker/help-requests/").content.decode()
    assert (
        "经销商间协助请求" in page and "燃油泵" in page and "轩逸 2023款" in page and "广州骏达4S店" in page
    )
    assert "张先生" not in page and "高速上熄火" not in page and complaint.number not in page
    assert f"/complaints/{complaint.pk}/" not in page
    other.post(f"/carmaker/help-requests/{request.pk}/answer/", {"decision": "accept", "reply": "今晚送到"})
    request.refresh_from_db()
    assert request.status == "accepted"
    mine = asker.get("/carmaker/help-requests/").content.decode()
    assert "本店发出的请求" in mine and "今晚送到" in mine
    assert client_for("agent3").get("/carmaker/help-requests/").content.decode().count("燃油泵") == 0
    assert (
        client_for("gm3")
        .post(f"/carmaker/help-requests/{request.pk}/answer/", {"decision": "done"})
        .status_code
        == 404
    )


def test_the_incident_report_form_and_pdf_page(demo):
    complaint = make_complaint(demo, 1, verbatim="车辆起火", severity="crisis")
    manager = client_for("manager1")
    manager.post(
        f"/carmaker/complaints/{complaint.pk}/incident-report/",
        {
            "occurred_at": local(-timedelta(hours=2)),
            "location": "沈大高速",
            "injuries": "无",
            "damage": "车辆烧毁",
            "actions_taken": "到现场拍照",
            "next_steps": "配合调查",
        },
    )
    assert IncidentReport.objects.get().location == "沈大高速"
    pdf = manager.get(f"/carmaker/complaints/{complaint.pk}/incident-report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    normal = make_complaint(demo, 1, verbatim="异响", customer=complaint.customer)
    refused = manager.get(f"/carmaker/complaints/{normal.pk}/incident-report.pdf")
    assert refused.status_code == 409 and "危机" in refused.content.decode()
