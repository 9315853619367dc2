"""The improvement pages through the test client: prefilled from a chart, a complaint or a
quality signal; the edit refused when stale (409); evidence with an attachment; the case pages."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.improvements.models import Case, ImprovementAction


def client(demo, username):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(demo.users[username])
    return c


def form(demo, **extra):  # type: ignore[no-untyped-def]
    return {
        "title": "接待礼仪整改",
        "owner_id": demo.users["agent1"].pk,
        "deadline": str(timezone.localdate() + timedelta(days=14)),
        "priority": "important",
        **extra,
    }


def test_a_charts_link_prefills_the_new_action(demo):
    org = demo.dealers["D1"].pk
    url = f"/improvements/new/?source=pareto&month=2026-11&org={org}&category=reception&fault_area=brakes"
    page = client(demo, "manager1").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="pareto"' in html and 'value="2026-11"' in html and 'value="reception"' in html
    response = client(demo, "manager1").post(
        url, form(demo, source="pareto", month="2026-11", org=org, category="reception", fault_area="brakes")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = ImprovementAction.objects.get()
    assert action.month is not None and action.month.isoformat() == "2026-11-01"
    assert (action.source, action.source_chart) == ("chart", "pareto")
    assert (action.category, action.fault_area, action.organization_id) == ("reception", "brakes", org)


def test_an_organisation_out_of_scope_is_404_and_a_bad_month_is_named(demo):
    other = demo.dealers["D2"].pk
    assert client(demo, "manager1").get(f"/improvements/new/?source=pareto&org={other}").status_code == 404
    response = client(demo, "manager1").post("/improvements/new/?source=pareto&month=2026-13", form(demo))
    assert response.status_code == 422 and not ImprovementAction.objects.exists()
    assert "YYYY-MM" in response.content.decode()
    assert client(demo, "agent1").get("/improvements/new/").status_code == 403


def test_from_a_complaint_then_the_edit_refused_when_stale(demo):
    complaint = make_complaint(demo, 1)
    detail = client(demo, "manager1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert f"/improvements/complaints/{complaint.pk}/new/" in detail
    assert (
        client(demo, "manager1").post(f"/improvements/complaints/{complaint.pk}/new/", form(demo)).status_code
        == 302
    )
    action = ImprovementAction.objects.get()
    assert list(action.complaints.all()) == [complaint]
    edit = form(demo, version=1, title="第一次修改")
    assert client(demo, "manager1").post(f"/improvements/{action.pk}/edit/", edit).status_code == 302
    stale = client(demo, "gm1").post(f"/improvements/{action.pk}/edit/", form(demo, version=1, title="过时"))
    assert stale.status_code == 409
    action.refresh_from_db()
    assert action.title == "第一次修改"


def test_evidence_with_an_attachment_then_complete(demo):
    complaint = make_complaint(demo, 1)
    client(demo, "manager1").post(f"/improvements/complaints/{complaint.pk}/new/", form(demo))
    action = ImprovementAction.objects.get()
    owner = client(demo, "agent1")
    empty = owner.post(f"/improvements/{action.pk}/evidence/", {"version": 1, "evidence_text": ""})
    assert empty.status_code == 422
    script = SimpleUploadedFile("签到表.jpg", b"#!/bin/sh\nrm -rf /", content_type="image/jpeg")
    refused = owner.post(
        f"/improvements/{action.pk}/evidence/",
        {"version": 1, "evidence_text": "已培训", "evidence_file": script},
    )
    assert refused.status_code == 422 and 'data-testid="error-evidence_file"' in refused.content.decode()
    photo = SimpleUploadedFile("签到表.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    saved = owner.post(
        f"/improvements/{action.pk}/evidence/",
        {"version": 1, "evidence_text": "已培训", "evidence_file": photo},
    )
    assert saved.status_code == 302
    assert owner.post(f"/improvements/{action.pk}/do/complete/", {"version": 2}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.evidence_name == "签到表.jpg"
    assert client(demo, "region1").get(f"/improvements/{action.pk}/evidence/file/").status_code == 200
    assert client(demo, "agent2").get(f"/improvements/{action.pk}/evidence/file/").status_code == 404
    assert client(demo, "agent2").get(f"/improvements/{action.pk}/").status_code == 404


def test_the_list_filters(demo):
    client(demo, "manager1").post("/improvements/new/", form(demo))
    ImprovementAction.objects.update(deadline=timezone.localdate() - timedelta(days=2))
    html = client(demo, "manager1").get("/improvements/?overdue=1").content.decode()
    assert "接待礼仪整改" in html and 'data-testid="overdue"' in html
    assert "接待礼仪整改" not in client(demo, "manager1").get("/improvements/?status=done").content.decode()
    assert client(demo, "manager1").get("/improvements/?status=nope").status_code == 422


def test_a_case_page_for_a_closed_complaint(demo):
    complaint = make_complaint(demo, 1, verbatim="刹车异响，张先生 13812341234")
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    manager = client(demo, "manager1")
    data = {
        "title": "刹车异响",
        "case_text": "张先生 13812341234 刹车异响",
        "analysis": "分析",
        "commentary": "点评",
        "publish": "1",
    }
    assert manager.post(f"/improvements/complaints/{complaint.pk}/case/", data).status_code == 302
    case = Case.objects.get()
    assert case.is_published and "13812341234" not in case.case_text
    found = client(demo, "dept1").get("/improvements/cases/?q=刹车").content.decode()
    assert "刹车异响" in found
    assert client(demo, "agent1").get(f"/improvements/complaints/{complaint.pk}/case/").status_code == 403
