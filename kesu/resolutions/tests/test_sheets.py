"""Contact sheets (联络单): sent to departments with a due date on the working calendar,
answered, sent back for rework, decided by the GM; work items and the timeline follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.models import TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.complaints.timeline import render
from kesu.resolutions.models import ContactSheet, FindingsDecision
from kesu.worklist.models import WorkItem


def dept(demo, code, dealer="D1"):
    return demo.departments[(dealer, code)].pk


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def send(api, complaint, codes=("SVC",), username="agent1", demo=None, **extra):
    body = {"department_ids": [dept(demo, c) for c in codes], "question": "请查明刹车异响的原因", **extra}
    return api(username).post(f"/api/v1/complaints/{complaint.pk}/contact-sheets", body)


ANSWER = {
    "facts": "检查发现刹车片磨损不均",
    "root_cause": "上次保养时刹车片安装不到位",
    "dimension": "technology",
    "in_house": True,
}


@pytest.fixture
def complaint(demo):
    return make_complaint(demo, 1)


def test_send_answer_rework_and_answer_again(demo, api, complaint):
    response = send(api, complaint, demo=demo, due_date=tomorrow())
    assert response.status_code == 201, response.content
    sheet = response.json()["sheets"][0]
    assert sheet["department"] == "售后服务部" and sheet["state"] == "sent"
    due = timezone.localtime(ContactSheet.objects.get().due_at)
    assert due.date().isoformat() == tomorrow() and due.hour == 18  # the close of that working day
    item = WorkItem.objects.get(kind="contact_sheet")
    assert item.state == "open" and item.assignee == demo.users["dept1"] and item.complaint_id == complaint.pk

    # the department answers: its work item is done
    answered = api("dept1").post(f"/api/v1/contact-sheets/{sheet['id']}/answer", ANSWER)
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "answered" and answered.json()["dimension_label"] == "技术"
    item.refresh_from_db()
    assert item.state == "done" and item.done_by == demo.users["dept1"]
    assert api("dept1").post(f"/api/v1/contact-sheets/{sheet['id']}/answer", ANSWER).status_code == 409

    # the desk sends it back, saying why: the work item is open again
    missing = api("agent1").post(f"/api/v1/contact-sheets/{sheet['id']}/rework", {"reason": ""})
    assert missing.status_code == 422 and "reason" in missing.json()["error"]["fields"]
    back = api("agent1").post(f"/api/v1/contact-sheets/{sheet['id']}/rework", {"reason": "请附上检测照片"})
    assert back.status_code == 200 and back.json()["state"] == "rework" and back.json()["round"] == 2
    item.refresh_from_db()
    assert item.state == "open"
    again = api("dept1").post(
        f"/api/v1/contact-sheets/{sheet['id']}/answer", {**ANSWER, "dimension": "people"}
    )
    assert again.status_code == 200 and again.json()["dimension"] == "people"

    actions = list(
        TimelineEntry.objects.filter(complaint=complaint, kind="contact_sheet").values_list(
            "action", flat=True
        )
    )
    assert actions == ["sent", "answered", "rework", "answered"]
    titles = [line.title for line in render(complaint.timeline.select_related("actor"))]
    assert "联络单已发往售后服务部" in titles and "售后服务部已答复联络单" in titles


def test_several_departments_and_the_gm_decides_once(demo, api, complaint):
    response = send(api, complaint, ("SVC", "QA"), demo=demo)
    assert response.status_code == 201
    svc, qa = response.json()["sheets"]
    # no date given: two working days from now
    assert ContactSheet.objects.filter(due_at__gt=timezone.now() + timedelta(hours=24)).count() == 2
    api("dept1").post(f"/api/v1/contact-sheets/{svc['id']}/answer", ANSWER)
    # only one answer: nothing to settle yet
    early = api("gm1").post(
        f"/api/v1/complaints/{complaint.pk}/findings-decision",
        {"sheet_id": svc["id"], "basis": "disagreement", "reason": "以售后结论为准"},
    )
    assert early.status_code == 422 and "basis" in early.json()["error"]["fields"]
    qa_answer = {
        **ANSWER,
        "root_cause": "刹车片批次质量问题",
        "in_house": False,
        "supplier": "某刹车片供应商",
    }
    assert api("gm1").post(f"/api/v1/contact-sheets/{qa['id']}/answer", qa_answer).status_code == 200
    body = {"sheet_id": qa["id"], "basis": "supplier", "supplier": "某刹车片供应商", "reason": "批次质量问题"}
    url = f"/api/v1/complaints/{complaint.pk}/findings-decision"
    assert api("agent1").post(url, body).status_code == 403
    assert api("manager1").post(url, body).status_code == 403
    decided = api("gm1").post(url, body)
    assert decided.status_code == 201, decided.content
    assert decided.json()["decision"]["sheet_id"] == qa["id"]
    twice = api("gm1").post(url, body)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_decided"
    assert FindingsDecision.objects.count() == 1
    # rework after the decision: refused
    assert (
        api("agent1").post(f"/api/v1/contact-sheets/{svc['id']}/rework", {"reason": "x"}).status_code == 409
    )
    lines = render(complaint.timeline.select_related("actor"))
    assert any("总经理" in line.title and "品质管理部" in line.title for line in lines)


def test_bad_input_names_the_field_and_sends_nothing(demo, api, complaint):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/contact-sheets",
        {"department_ids": [dept(demo, "SVC", "D2")], "question": "", "due_date": yesterday},
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"department_ids", "question", "due_date"}
    assert not ContactSheet.objects.exists() and not WorkItem.objects.exists()
    assert send(api, complaint, (), demo=demo).status_code == 422
    sheet = send(api, complaint, demo=demo).json()["sheets"][0]
    # the same department twice while its sheet is open
    assert "department_ids" in send(api, complaint, demo=demo).json()["error"]["fields"]
    bad = api("dept1").post(
        f"/api/v1/contact-sheets/{sheet['id']}/answer", {**ANSWER, "dimension": "weather", "in_house": None}
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"dimension", "in_house"}
    assert ContactSheet.objects.get().state == "sent"


def test_a_closed_day_is_not_a_due_date(demo, api, complaint):
    """The dealer's calendar: a day it is closed (a local closure, a statutory holiday) is refused."""
    from kesu.sla.models import CalendarOverride
    from kesu.sla.policies import forget_calendars

    closed = timezone.localdate() + timedelta(days=3)
    CalendarOverride.objects.create(organization=demo.dealers["D1"], date=closed, is_open=False, note="盘点")
    forget_calendars()
    response = send(api, complaint, demo=demo, due_date=closed.isoformat())
    assert response.status_code == 422
    assert closed.isoformat() in response.json()["error"]["fields"]["due_date"]
    assert not ContactSheet.objects.exists()


def test_who_may_do_what(demo, api, complaint):
    assert send(api, complaint, username="dept1", demo=demo).status_code == 403
    assert send(api, complaint, username="region1", demo=demo).status_code == 403
    sheet = send(api, complaint, ("QA",), demo=demo).json()["sheets"][0]
    # dept1 works in 售后服务部, the sheet went to 品质管理部
    assert api("dept1").post(f"/api/v1/contact-sheets/{sheet['id']}/answer", ANSWER).status_code == 403
    assert api("agent1").post(f"/api/v1/contact-sheets/{sheet['id']}/answer", ANSWER).status_code == 403
    assert ContactSheet.objects.get().state == "sent"


@pytest.mark.parametrize("stranger", ["agent2", "manager2", "gm3", "dept3", "region2", "crc1", "pr1"])
def test_strangers_get_404_everywhere(demo, api, complaint, stranger):
    sheet = send(api, complaint, demo=demo).json()["sheets"][0]
    client = api(stranger)
    for response in (
        client.get(f"/api/v1/contact-sheets/{sheet['id']}"),
        client.post(f"/api/v1/contact-sheets/{sheet['id']}/answer", ANSWER),
        client.post(f"/api/v1/contact-sheets/{sheet['id']}/rework", {"reason": "越权"}),
        client.get(f"/api/v1/complaints/{complaint.pk}/contact-sheets"),
        client.post(
            f"/api/v1/complaints/{complaint.pk}/findings-decision",
            {"sheet_id": sheet["id"], "basis": "other", "reason": "越权"},
        ),
    ):
        assert response.status_code == 404, response.content
    assert ContactSheet.objects.get().state == "sent"
    assert sheet["id"] not in [s["id"] for s in client.get("/api/v1/contact-sheets").json()]


def test_the_department_lists_its_open_sheets(demo, api, complaint):
    send(api, complaint, ("SVC", "QA"), demo=demo)
    mine = api("dept1").get("/api/v1/contact-sheets").json()
    assert [s["department"] for s in mine] == ["售后服务部"]
    assert len(api("gm1").get("/api/v1/contact-sheets").json()) == 2
