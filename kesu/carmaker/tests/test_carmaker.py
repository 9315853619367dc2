"""The carmaker's part as users meet it through the API: instructions on an escalated complaint,
help between dealers without the customer's file, PR on a crisis (seed 003, cases 4 and 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.carmaker.models import HelpRequest, IncidentReport, Instruction, MediaMention, PrTakeover, Statement
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.demo.builder import _org, _user
from kesu.notifications.models import Notification
from kesu.organizations.choices import OrgKind, Role
from kesu.worklist.models import WorkItem

FIRE = "车辆在高速上行驶时起火，后面10多辆车连环撞车，现场有记者拍照"


def later(hours: int = 24) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


def escalate(api, complaint: Complaint) -> None:
    response = api("gm1").post(
        f"/api/v1/complaints/{complaint.pk}/transitions", {"action": "escalate", "reason": "客户要求厂方介入"}
    )
    assert response.status_code == 200, response.content


@pytest.fixture
def escalated(demo, api):
    complaint = make_complaint(demo, 1)
    escalate(api, complaint)
    return complaint


@pytest.fixture
def crisis(demo):
    return make_complaint(
        demo, 1, verbatim=FIRE, facts="2007年4月16日11点左右在高速上车辆起火", severity="crisis"
    )


def entries(complaint: Complaint, kind: str) -> list[TimelineEntry]:
    return list(TimelineEntry.objects.filter(complaint=complaint, kind=kind).order_by("pk"))


# --- instructions --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["region1", "crc1", "pr1", "quality1"])
def test_the_carmakers_people_instruct_the_dealer_on_an_escalated_complaint(demo, api, escalated, who):
    before = Notification.objects.count()
    response = api(who).post(
        f"/api/v1/complaints/{escalated.pk}/instructions",
        {"text": "今天内联系客户并上门检查", "due_at": later(8)},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "open" and body["author"] == str(demo.users[who])
    instruction = Instruction.objects.get()
    assert instruction.dealer_id == escalated.dealer_id
    [entry] = entries(escalated, "instruction")
    assert entry.action == "created" and entry.actor == demo.users[who] and "上门检查" in entry.note
    item = WorkItem.objects.get(ref_model="carmaker.instruction", ref_id=instruction.pk)
    assert (
        item.dealer_id == escalated.dealer_id and item.state == "open" and item.complaint_id == escalated.pk
    )
    assert Notification.objects.count() > before
    # the dealer sees it on its own complaint
    listed = api("agent1").get(f"/api/v1/complaints/{escalated.pk}/instructions").json()
    assert [i["text"] for i in listed] == ["今天内联系客户并上门检查"]


def test_the_dealer_acknowledges_and_answers_and_the_work_item_closes(demo, api, escalated):
    instruction = (
        api("crc1")
        .post(
            f"/api/v1/complaints/{escalated.pk}/instructions",
            {"text": "48小时内提交处理方案", "due_at": later()},
        )
        .json()
    )
    response = api("agent1").post(f"/api/v1/instructions/{instruction['id']}/acknowledge")
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    assert api("agent1").post(f"/api/v1/instructions/{instruction['id']}/acknowledge").status_code == 409
    empty = api("manager1").post(f"/api/v1/instructions/{instruction['id']}/done", {"answer": "  "})
    assert empty.status_code == 422 and "answer" in empty.json()["error"]["fields"]
    done = api("manager1").post(
        f"/api/v1/instructions/{instruction['id']}/done", {"answer": "已上门检查，方案已提交"}
    )
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert done.json()["answered_by"] == str(demo.users["manager1"])
    assert WorkItem.objects.get(ref_model="carmaker.instruction").state == "done"
    assert [e.action for e in entries(escalated, "instruction")] == ["created", "acknowledged", "done"]
    assert Notification.objects.filter(
        recipient=demo.users["crc1"], title__contains=escalated.number
    ).exists()
    again = api("manager1").post(f"/api/v1/instructions/{instruction['id']}/done", {"answer": "再次"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "instruction_answered"


def test_an_instruction_due_in_the_past_is_refused_naming_the_field(api, escalated):
    response = api("region1").post(
        f"/api/v1/complaints/{escalated.pk}/instructions",
        {"text": "联系客户", "due_at": (timezone.now() - timedelta(hours=1)).isoformat()},
    )
    assert response.status_code == 422
    assert "due_at" in response.json()["error"]["fields"]
    missing = api("region1").post(f"/api/v1/complaints/{escalated.pk}/instructions", {"text": ""})
    assert set(missing.json()["error"]["fields"]) == {"text", "due_at"}
    assert not Instruction.objects.exists() and not WorkItem.objects.exists()
    assert not entries(escalated, "instruction")


def test_a_complaint_the_dealer_still_handles_cannot_be_instructed(demo, api):
    complaint = make_complaint(demo, 1)
    response = api("region1").post(
        f"/api/v1/complaints/{complaint.pk}/instructions", {"text": "联系客户", "due_at": later()}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_escalated"
    assert not Instruction.objects.exists()


@pytest.mark.parametrize("who", ["agent1", "manager1", "gm1", "dept1"])
def test_dealer_roles_do_not_instruct_and_carmaker_roles_do_not_answer(demo, api, escalated, who):
    response = api(who).post(
        f"/api/v1/complaints/{escalated.pk}/instructions", {"text": "x", "due_at": later()}
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    instruction = (
        api("crc1")
        .post(f"/api/v1/complaints/{escalated.pk}/instructions", {"text": "联系客户", "due_at": later()})
        .json()
    )
    refused = api("pr1").post(f"/api/v1/instructions/{instruction['id']}/done", {"answer": "代答"})
    assert refused.status_code == 403
    stranger = api("agent2").post(f"/api/v1/instructions/{instruction['id']}/done", {"answer": "越权"})
    assert stranger.status_code == 404
    assert Instruction.objects.get().state == "open"


# --- help between dealers ------------------------------------------------------------------------


def ask(api, complaint: Complaint, demo, **extra):
    body = {
        "to_dealer_id": demo.dealers["D2"].pk,
        "kind": "part",
        "what": "仪表总成（带平均油耗显示功能）",
        "part_number": "24810-CD132",
        "quantity": 1,
        "needed_by": later(48),
        "urgency": "urgent",
        **extra,
    }
    return api("agent1").post(f"/api/v1/complaints/{complaint.pk}/help-requests", body)


def test_a_dealer_asks_another_for_a_part_which_sees_no_customer_file(demo, api):
    complaint = make_complaint(demo, 1, verbatim="更换仪表后平均油耗显示功能没有了，要求恢复")
    response = ask(api, complaint, demo)
    assert response.status_code == 201, response.content
    assert response.json()["complaint_id"] == complaint.pk  # the asking side sees its complaint
    [entry] = entries(complaint, "help_request")
    assert entry.action == "created" and entry.changes["to_dealer"] == [None, "深圳鹏程4S店"]
    # the other dealer: the request, the model, the part — nothing of the customer
    incoming = api("manager2").get("/api/v1/help-requests?direction=incoming")
    assert incoming.status_code == 200
    [row] = incoming.json()
    assert row["vehicle_model"] == "轩逸 2023款" and row["part_number"] == "24810-CD132"
    assert row["complaint_id"] is None and row["urgency"] == "urgent"
    text = incoming.content.decode()
    assert "张先生" not in text and "13812341234" not in text and "油耗显示功能没有了" not in text
    assert complaint.number not in text
    assert api("manager2").get(f"/api/v1/complaints/{complaint.pk}").status_code == 404
    assert api("manager2").get(f"/api/v1/complaints/{complaint.pk}/help-requests").status_code == 404
    item = WorkItem.objects.get(ref_model="carmaker.helprequest")
    assert item.dealer_id == demo.dealers["D2"].pk and item.complaint_id is None and item.customer_id is None
    notes = Notification.objects.filter(recipient__in=[demo.users["manager2"], demo.users["gm2"]])
    assert notes.exists() and all(n.complaint_id is None for n in notes)
    # outgoing for the asker, nothing for a third dealer
    assert [r["id"] for r in api("agent1").get("/api/v1/help-requests?direction=outgoing").json()] == [
        row["id"]
    ]
    assert api("agent1").get("/api/v1/help-requests?direction=incoming").json() == []
    assert api("manager3").get("/api/v1/help-requests").json() == []


def test_the_other_dealer_accepts_and_either_side_records_it_done(demo, api):
    complaint = make_complaint(demo, 1)
    request_id = ask(api, complaint, demo).json()["id"]
    assert (
        api("agent2").post(f"/api/v1/help-requests/{request_id}/answer", {"decision": "accept"}).status_code
        == 403
    )
    assert (
        api("manager1").post(f"/api/v1/help-requests/{request_id}/answer", {"decision": "accept"}).status_code
        == 403
    )
    early = api("agent1").post(f"/api/v1/help-requests/{request_id}/answer", {"decision": "done"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "help_answered"
    accepted = api("manager2").post(
        f"/api/v1/help-requests/{request_id}/answer", {"decision": "accept", "reply": "有库存，今晚送到"}
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert WorkItem.objects.get(ref_model="carmaker.helprequest").state == "done"
    twice = api("gm2").post(
        f"/api/v1/help-requests/{request_id}/answer", {"decision": "decline", "reply": "x"}
    )
    assert twice.status_code == 409
    done = api("agent1").post(f"/api/v1/help-requests/{request_id}/answer", {"decision": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert [e.action for e in entries(complaint, "help_request")] == ["created", "accepted", "done"]
    assert Notification.objects.filter(recipient=demo.users["agent1"], title__contains="深圳鹏程").exists()


def test_a_refusal_says_why(demo, api):
    complaint = make_complaint(demo, 1)
    request_id = ask(api, complaint, demo).json()["id"]
    bare = api("manager2").post(f"/api/v1/help-requests/{request_id}/answer", {"decision": "decline"})
    assert bare.status_code == 422 and "reply" in bare.json()["error"]["fields"]
    assert HelpRequest.objects.get().status == "open"
    declined = api("manager2").post(
        f"/api/v1/help-requests/{request_id}/answer", {"decision": "decline", "reply": "无库存"}
    )
    assert declined.json()["status"] == "declined"


def test_help_from_the_same_dealer_or_another_carmakers_is_refused(demo, api):
    complaint = make_complaint(demo, 1)
    same = ask(api, complaint, demo, to_dealer_id=demo.dealers["D1"].pk)
    assert same.status_code == 422 and "to_dealer_id" in same.json()["error"]["fields"]
    other_maker = _org(OrgKind.MANUFACTURER, "MFR2", "别家汽车", None)
    foreign = _org(OrgKind.DEALER, "X1", "别家4S店", _org(OrgKind.REGION, "X-R", "别家区", other_maker))
    outside = ask(api, complaint, demo, to_dealer_id=foreign.pk)
    assert outside.status_code == 422 and "to_dealer_id" in outside.json()["error"]["fields"]
    no_dealer = ask(api, complaint, demo, to_dealer_id=demo.departments[("D2", "PARTS")].pk)
    assert no_dealer.status_code == 422
    past = ask(api, complaint, demo, needed_by=(timezone.now() - timedelta(minutes=1)).isoformat())
    assert past.status_code == 422 and "needed_by" in past.json()["error"]["fields"]
    no_part = ask(api, complaint, demo, part_number="", quantity=None)
    assert set(no_part.json()["error"]["fields"]) == {"part_number", "quantity"}
    assert ask(api, complaint, demo, quantity=0).json()["error"]["fields"].keys() == {"quantity"}
    assert ask(api, complaint, demo, kind="money").json()["error"]["fields"].keys() == {"kind"}
    assert not HelpRequest.objects.exists() and not entries(complaint, "help_request")
    assert not WorkItem.objects.exists()


def test_a_technician_needs_no_part_number(demo, api):
    complaint = make_complaint(demo, 1)
    response = ask(
        api, complaint, demo, kind="technician", what="需要一名电气技师支援", part_number="", quantity=None
    )
    assert response.status_code == 201


def test_only_the_complaints_own_dealer_asks(demo, api, escalated):
    for who, status in (("region1", 403), ("crc1", 403), ("agent2", 404)):
        response = api(who).post(
            f"/api/v1/complaints/{escalated.pk}/help-requests",
            {
                "to_dealer_id": demo.dealers["D2"].pk,
                "kind": "technician",
                "what": "技师",
                "needed_by": later(),
            },
        )
        assert response.status_code == status, who
    assert not HelpRequest.objects.exists()


def test_the_region_sees_requests_between_its_dealers(demo, api):
    complaint = make_complaint(demo, 1)
    ask(api, complaint, demo)
    assert len(api("region1").get("/api/v1/help-requests").json()) == 1
    assert api("region2").get("/api/v1/help-requests").json() == []
    assert api(None).get("/api/v1/help-requests").status_code == 401


# --- PR on a crisis ------------------------------------------------------------------------------


def test_pr_takes_over_a_crisis_and_the_gm_and_region_are_told(demo, api, crisis):
    assert crisis.escalated_at is not None or Complaint.objects.get(pk=crisis.pk).escalated_at is not None
    response = api("pr1").post(f"/api/v1/complaints/{crisis.pk}/pr/takeover", {"note": "公关部接手媒体沟通"})
    assert response.status_code == 201, response.content
    assert response.json()["taken_by"] == str(demo.users["pr1"])
    [entry] = entries(crisis, "pr")
    assert entry.action == "takeover" and entry.actor == demo.users["pr1"]
    told = set(
        Notification.objects.filter(dedupe_key__startswith=f"pr-takeover:{crisis.pk}:").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"gm1", "region1"} <= told
    assert "region2" not in told and "gm2" not in told
    again = api("pr1").post(f"/api/v1/complaints/{crisis.pk}/pr/takeover", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_taken_over"
    assert PrTakeover.objects.count() == 1


def test_taking_over_a_complaint_that_is_not_a_crisis_is_409_naming_the_rule(demo, api, escalated):
    response = api("pr1").post(f"/api/v1/complaints/{escalated.pk}/pr/takeover", {})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "not_crisis" and "severity" in error["fields"]
    for path, body in (
        (
            "media",
            {
                "outlet": "大连晚报",
                "url": "https://example.com/a",
                "published_at": timezone.now().isoformat(),
                "reach": 1,
                "tone": "negative",
            },
        ),
        ("statements", {"text": "我们高度重视"}),
    ):
        assert api("pr1").post(f"/api/v1/complaints/{escalated.pk}/{path}", body).status_code == 409
    assert api("pr1").get(f"/api/v1/complaints/{escalated.pk}/incident-report.pdf").status_code == 409
    assert (
        not PrTakeover.objects.exists()
        and not MediaMention.objects.exists()
        and not Statement.objects.exists()
    )


def test_only_pr_takes_over(api, crisis):
    for who in ("agent1", "gm1", "region1", "crc1"):
        response = api(who).post(f"/api/v1/complaints/{crisis.pk}/pr/takeover", {})
        assert response.status_code == 403, who
    assert api("agent2").post(f"/api/v1/complaints/{crisis.pk}/pr/takeover", {}).status_code == 404
    assert not PrTakeover.objects.exists()


def media_body(**extra):
    return {
        "outlet": "大连晚报",
        "url": "https://www.dlwb.com.cn/news/2007-04-16/fire.html",
        "published_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "reach": 120000,
        "tone": "negative",
        **extra,
    }


def test_the_media_log_records_outlet_link_time_reach_and_tone(demo, api, crisis):
    response = api("pr1").post(f"/api/v1/complaints/{crisis.pk}/media", media_body())
    assert response.status_code == 201, response.content
    listed = api("agent1").get(f"/api/v1/complaints/{crisis.pk}/media").json()
    assert [(m["outlet"], m["reach"], m["tone"]) for m in listed] == [("大连晚报", 120000, "negative")]
    [entry] = entries(crisis, "pr")
    assert entry.action == "media" and entry.changes["reach"] == [None, 120000]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "not a link"),
        ("url", "javascript:alert(1)"),
        ("url", "ftp://example.com/x"),
        ("url", ""),
        ("reach", -1),
        ("reach", 10**12),
        ("tone", "angry"),
        ("outlet", ""),
        ("published_at", "in two days"),  # a time, computed in the test: ids stay the same everywhere
    ],
)
def test_bad_media_input_names_the_field_and_saves_nothing(api, crisis, field, value):
    if value == "in two days":
        value = (timezone.now() + timedelta(days=2)).isoformat()
    response = api("pr1").post(f"/api/v1/complaints/{crisis.pk}/media", media_body(**{field: value}))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not MediaMention.objects.exists() and not entries(crisis, "pr")


def make_pr2(demo):
    """A second PR user, the lead who approves the first one's statements."""
    demo.users["pr2"] = _user("pr2", Role.PR, demo.manufacturer, "test-pass-123", "公关部经理")
    return demo.users["pr2"]


def test_a_statement_is_approved_by_another_pr_lead_never_its_author(demo, api, crisis):
    make_pr2(demo)
    drafted = api("pr1").post(
        f"/api/v1/complaints/{crisis.pk}/statements",
        {"text": "我们已第一时间赶赴现场，积极配合相关部门调查，并将及时公布进展。"},
    )
    assert drafted.status_code == 201, drafted.content
    statement_id = drafted.json()["id"]
    own = api("pr1").post(f"/api/v1/statements/{statement_id}/decide", {"decision": "approve"})
    assert own.status_code == 403 and "decision" in own.json()["error"]["fields"]
    assert (
        api("gm1").post(f"/api/v1/statements/{statement_id}/decide", {"decision": "approve"}).status_code
        == 403
    )
    pr2 = api("pr2")
    no_reason = pr2.post(f"/api/v1/statements/{statement_id}/decide", {"decision": "reject"})
    assert no_reason.status_code == 422 and "comment" in no_reason.json()["error"]["fields"]
    approved = pr2.post(f"/api/v1/statements/{statement_id}/decide", {"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["decided_by"] == "公关部经理"
    twice = pr2.post(f"/api/v1/statements/{statement_id}/decide", {"decision": "reject", "comment": "x"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "statement_decided"
    assert [e.action for e in entries(crisis, "pr")] == ["statement_drafted", "statement_approved"]


def test_a_statement_with_a_forbidden_phrase_is_refused(api, crisis):
    response = api("pr1").post(
        f"/api/v1/complaints/{crisis.pk}/statements",
        {"text": "事故原因尚在调查，我们的程序就是这样，只有等。"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "forbidden_phrase" and "text" in error["fields"]
    assert not Statement.objects.exists() and not entries(crisis, "pr")


def report_body(**extra):
    return {
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "location": "沈大高速大连段",
        "injuries": "无人员伤亡",
        "damage": "路面损失3万元，车内现金3万元及70余万元欠款单据烧毁",
        "actions_taken": "服务经理及DCRC经理到现场拍照；到交通队对烧毁车辆拍照；电话通知区域技术经理",
        "next_steps": "配合厂方调查起火原因，与客户协商处理方案",
        **extra,
    }


def test_the_incident_report_is_written_the_same_day_and_crc_and_pr_are_told(demo, api, crisis):
    response = api("manager1").post(f"/api/v1/complaints/{crisis.pk}/incident-report", report_body())
    assert response.status_code == 200, response.content
    assert response.json()["same_day"] in (True, False)
    report = IncidentReport.objects.get()
    assert report.written_by == demo.users["manager1"]
    assert entries(crisis, "pr")[-1].action == "incident_report"
    told = set(
        Notification.objects.filter(dedupe_key__startswith=f"incident-report:{crisis.pk}:").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"crc1", "pr1", "region1"} <= told
    corrected = api("pr1").post(
        f"/api/v1/complaints/{crisis.pk}/incident-report", report_body(injuries="一人轻微烧伤")
    )
    assert corrected.status_code == 200 and IncidentReport.objects.get().injuries == "一人轻微烧伤"
    assert IncidentReport.objects.get().first_written_at == report.first_written_at


def test_incident_report_input_is_checked(api, crisis):
    response = api("manager1").post(
        f"/api/v1/complaints/{crisis.pk}/incident-report",
        report_body(location="", occurred_at=(timezone.now() + timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"location", "occurred_at"}
    assert (
        api("dept1").post(f"/api/v1/complaints/{crisis.pk}/incident-report", report_body()).status_code == 403
    )
    assert not IncidentReport.objects.exists()


def test_pr_sees_a_crisis_only_as_scope_allows(demo, api):
    other = make_complaint(demo, 2)
    assert api("pr1").get(f"/api/v1/complaints/{other.pk}/statements").status_code == 404
    customer = make_customer(demo, 1, mobile="13912345678", plate="粤B12345")
    crisis = make_complaint(demo, 1, customer=customer, verbatim=FIRE, severity="crisis")
    assert api("pr1").get(f"/api/v1/complaints/{crisis.pk}/statements").status_code == 200
