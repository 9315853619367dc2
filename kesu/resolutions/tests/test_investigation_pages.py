"""The complaint page's contact sheets and accountability cards, and the penalty notices page:
through the pages, in Chinese, scoped."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.resolutions.models import ContactSheet, FindingsDecision, PenaltyNotice, Responsibility


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def dept(demo, code, dealer="D1"):
    return demo.departments[(dealer, code)].pk


@pytest.fixture
def complaint(demo):
    return make_complaint(demo, 1, severity="major")


def test_sheet_sent_answered_and_decided_through_the_page(demo, complaint):
    page = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="investigation-slot"' in page
    panel = (
        client_for("agent1").get(f"/resolutions/complaints/{complaint.pk}/investigation/").content.decode()
    )
    assert "发出联络单" in panel and "尚未发出联络单" in panel
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad = client_for("agent1").post(
        f"/resolutions/complaints/{complaint.pk}/contact-sheets/", {"question": "", "due_date": yesterday}
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    for name in ("department_ids", "question", "due_date"):
        assert f'data-testid="error-{name}"' in html
    assert "已经过去" in html and not ContactSheet.objects.exists()
    sent = client_for("agent1").post(
        f"/resolutions/complaints/{complaint.pk}/contact-sheets/",
        {"department_ids": [dept(demo, "SVC"), dept(demo, "QA")], "question": "请查明刹车异响原因"},
    )
    assert sent.status_code == 302 and ContactSheet.objects.count() == 2
    svc = ContactSheet.objects.get(department_id=dept(demo, "SVC"))
    qa = ContactSheet.objects.get(department_id=dept(demo, "QA"))
    # the department sees the answer form for its own sheet only
    panel = client_for("dept1").get(f"/resolutions/complaints/{complaint.pk}/investigation/").content.decode()
    assert f"answer-form-{svc.pk}" in panel and f"answer-form-{qa.pk}" not in panel
    wrong = client_for("dept1").post(
        f"/resolutions/contact-sheets/{svc.pk}/answer/",
        {"facts": "磨损", "root_cause": "安装", "dimension": "weather", "in_house": ""},
    )
    assert wrong.status_code == 422 and 'data-testid="error-dimension"' in wrong.content.decode()
    assert (
        client_for("dept1")
        .post(
            f"/resolutions/contact-sheets/{svc.pk}/answer/",
            {"facts": "刹车片磨损不均", "root_cause": "安装不到位", "dimension": "people", "in_house": "yes"},
        )
        .status_code
        == 302
    )
    assert (
        client_for("gm1")
        .post(
            f"/resolutions/contact-sheets/{qa.pk}/answer/",
            {
                "facts": "批次问题",
                "root_cause": "刹车片批次质量",
                "dimension": "technology",
                "in_house": "no",
            },
        )
        .status_code
        == 302
    )
    assert (
        client_for("agent1")
        .post(
            f"/resolutions/complaints/{complaint.pk}/findings-decision/",
            {"sheet_id": qa.pk, "basis": "disagreement", "reason": "以质检为准"},
        )
        .status_code
        == 403
    )
    decided = client_for("gm1").post(
        f"/resolutions/complaints/{complaint.pk}/findings-decision/",
        {"sheet_id": qa.pk, "basis": "disagreement", "reason": "以质检为准"},
    )
    assert decided.status_code == 302 and FindingsDecision.objects.get().sheet == qa
    page = client_for("agent1").get(f"/resolutions/complaints/{complaint.pk}/investigation/").content.decode()
    assert f"sheet-stands-{qa.pk}" in page and "部门间结论有争议" in page
    timeline = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "联络单已发往品质管理部" in timeline and "总经理决定：采纳品质管理部的结论" in timeline


def test_rework_without_a_reason_is_refused_on_the_page(demo, complaint, api):
    sheet_id = (
        api("agent1")
        .post(
            f"/api/v1/complaints/{complaint.pk}/contact-sheets",
            {"department_ids": [dept(demo, "SVC")], "question": "请查明"},
        )
        .json()["sheets"][0]["id"]
    )
    api("dept1").post(
        f"/api/v1/contact-sheets/{sheet_id}/answer",
        {"facts": "a", "root_cause": "b", "dimension": "organisation", "in_house": True},
    )
    response = client_for("agent1").post(f"/resolutions/contact-sheets/{sheet_id}/rework/", {"reason": ""})
    assert response.status_code == 422 and "请说明退回的理由" in response.content.decode()
    assert ContactSheet.objects.get().state == "answered"
    assert (
        client_for("agent2")
        .post(f"/resolutions/contact-sheets/{sheet_id}/rework/", {"reason": "x"})
        .status_code
        == 404
    )
    assert client_for("agent2").post(f"/resolutions/contact-sheets/{sheet_id}/answer/", {}).status_code == 404


def test_accountability_cards_and_the_notices_page(demo, complaint):
    manager = client_for("manager1")
    panel = manager.get(f"/resolutions/complaints/{complaint.pk}/investigation/").content.decode()
    assert "认定责任" in panel and "提出奖罚通知单" in panel
    agent_panel = (
        client_for("agent1").get(f"/resolutions/complaints/{complaint.pk}/investigation/").content.decode()
    )
    assert "提出奖罚通知单" not in agent_panel
    assert (
        manager.post(
            f"/resolutions/complaints/{complaint.pk}/responsibility/",
            {"kind": "person", "person_id": demo.users["dept1"].pk, "reason": "安装不到位"},
        ).status_code
        == 302
    )
    assert Responsibility.objects.get().person == demo.users["dept1"]
    bad = manager.post(
        f"/resolutions/complaints/{complaint.pk}/penalty-notices/",
        {"person_id": demo.users["dept1"].pk, "amount": "-5", "reason": "返修"},
    )
    assert bad.status_code == 422 and 'data-testid="error-amount"' in bad.content.decode()
    assert (
        manager.post(
            f"/resolutions/complaints/{complaint.pk}/penalty-notices/",
            {"person_id": demo.users["dept1"].pk, "amount": "150", "reason": "返修", "kind": "penalty"},
        ).status_code
        == 302
    )
    notice = PenaltyNotice.objects.get()
    assert "¥150.00" in client_for("dept1").get("/resolutions/penalty-notices/").content.decode()
    assert "¥150.00" not in client_for("agent1").get("/resolutions/penalty-notices/").content.decode()
    gm_page = client_for("gm1").get("/resolutions/penalty-notices/").content.decode()
    assert f"approve-{notice.pk}" in gm_page
    assert (
        client_for("agent2")
        .post(f"/resolutions/penalty-notices/{notice.pk}/decide/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert (
        client_for("gm1")
        .post(f"/resolutions/penalty-notices/{notice.pk}/decide/", {"decision": "approve"})
        .status_code
        == 302
    )
    assert (
        f"acknowledge-{notice.pk}"
        in client_for("dept1").get("/resolutions/penalty-notices/").content.decode()
    )
    assert (
        client_for("dept1").post(f"/resolutions/penalty-notices/{notice.pk}/acknowledge/").status_code == 302
    )
    notice.refresh_from_db()
    assert notice.state == "acknowledged"


def test_monthly_list_on_the_notices_page(demo):
    closed = make_complaint(demo, 1, severity="crisis")
    last_month = timezone.localdate().replace(day=1) - timedelta(days=2)
    Complaint.objects.filter(pk=closed.pk).update(
        status="closed",
        closed_at=timezone.make_aware(datetime(last_month.year, last_month.month, 10, 12)),
    )
    page = client_for("gm1").get("/resolutions/penalty-notices/").content.decode()
    assert closed.number in page and "尚待责任认定的严重投诉" in page
    assert closed.number not in client_for("gm2").get("/resolutions/penalty-notices/").content.decode()
    assert "尚待责任认定" not in client_for("agent1").get("/resolutions/penalty-notices/").content.decode()
