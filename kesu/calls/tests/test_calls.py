"""The call log through the API: each rule, the guard on the reply, callbacks, a call that
becomes a complaint (verbatim kept, on the timeline, once), nothing half-saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.calls.models import Call
from kesu.complaints.choices import Channel, EventKind
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.customers.models import Customer
from kesu.language.models import GuardOverride
from kesu.worklist.choices import WorkKind, WorkState
from kesu.worklist.models import WorkItem

SAID = "我的车保养后发动机异响，你们修了两次都没修好，我要投诉！"


def call_body(**extra):  # type: ignore[no-untyped-def]
    return {
        "number": "139 1234 5678",
        "purpose": "enquiry",
        "customer_said": "请问周六营业吗？",
        "reply": "您好，周六正常营业，欢迎您来店。",
        "duration_seconds": 95,
        **extra,
    }


def test_a_call_is_logged_with_the_customer_found_by_number_and_shown_masked(demo, api):
    customer = make_customer(demo, 1, mobile="13912345678")
    make_customer(demo, 2, mobile="13912345678")  # the same number at another dealer: not theirs
    response = api("agent1").post("/api/v1/calls", call_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["customer_id"] == customer.pk
    assert body["number_masked"] == "139****5678" and "13912345678" not in response.content.decode()
    assert body["caller_name"] == "张先生"  # from the customer found
    assert body["taken_by_id"] == demo.users["agent1"].pk and body["direction"] == "inbound"
    listed = api("agent1").get("/api/v1/calls?purpose=enquiry").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    assert api("agent1").get(f"/api/v1/calls/{body['id']}").json()["duration_seconds"] == 95


def test_an_unknown_number_is_logged_without_a_customer(demo, api):
    response = api("agent1").post("/api/v1/calls", call_body(number="13700001111", caller_name="黄女士"))
    assert response.status_code == 201
    assert response.json()["customer_id"] is None and response.json()["caller_name"] == "黄女士"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": "abc-def"}, "number"),
        ({"number": "1391234567"}, "number"),
        ({"purpose": "gossip"}, "purpose"),
        ({"direction": "sideways"}, "direction"),
        ({"duration_seconds": -5}, "duration_seconds"),
        ({"duration_seconds": "long"}, "duration_seconds"),
        ({"plate": "粤A1234O"}, "plate"),
        ({"purpose": "message"}, "for_user_id"),  # a message is for somebody
        ({"purpose": "complaint", "customer_said": ""}, "customer_said"),
        ({"at": (timezone.now() + timedelta(hours=2)).isoformat()}, "at"),
        ({"customer_said": "很长" * 3000}, "customer_said"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(demo, api, change, field):
    response = api("agent1").post("/api/v1/calls", call_body(**change))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert Call.objects.count() == 0 and WorkItem.objects.count() == 0


def test_every_mistake_is_named_at_once(demo, api):
    response = api("agent1").post(
        "/api/v1/calls", call_body(number="12", purpose="x", duration_seconds=-1, plate="A")
    )
    assert set(response.json()["error"]["fields"]) >= {"number", "purpose", "duration_seconds", "plate"}


def test_the_reply_passes_the_language_guard(demo, api):
    blocked = api("agent1").post("/api/v1/calls", call_body(reply="这不可能，你急也没用"))
    assert blocked.status_code == 422
    error = blocked.json()["error"]
    assert error["code"] == "forbidden_phrase" and "reply" in error["fields"]
    assert {hit["phrase"] for hit in error["hits"]} >= {"这不可能"}
    assert all(hit["suggestion"] for hit in error["hits"])
    assert Call.objects.count() == 0
    kept = api("agent1").post(
        "/api/v1/calls", call_body(reply="这不可能", override_reason="客户要求原话转述厂方答复")
    )
    assert kept.status_code == 201 and kept.json()["override_reason"] == "客户要求原话转述厂方答复"
    override = GuardOverride.objects.get()
    assert override.context == "call_note" and override.user == demo.users["agent1"]


def test_a_message_for_an_absent_colleague_is_their_callback_until_they_call_back(demo, api):
    customer = make_customer(demo, 1, mobile="13912345678")
    manager = demo.users["manager1"]
    left = api("agent1").post(
        "/api/v1/calls",
        call_body(purpose="message", for_user_id=manager.pk, customer_said="请王经理回电，关于索赔进度"),
    )
    assert left.status_code == 201, left.content
    item = WorkItem.objects.get(kind=WorkKind.CALLBACK)
    assert item.assignee == manager and item.state == WorkState.OPEN
    assert item.customer_id == customer.pk and item.ref_id == left.json()["id"]
    assert timedelta(hours=1, minutes=59) < item.due_at - Call.objects.get().at <= timedelta(hours=2)
    # someone else's outbound call to the number does not close the manager's task
    api("agent1").post("/api/v1/calls", call_body(direction="outbound"))
    assert WorkItem.objects.get(pk=item.pk).state == WorkState.OPEN
    # the manager calls the number back: done
    back = api("manager1").post("/api/v1/calls", call_body(direction="outbound", customer_said="已回复"))
    assert back.json()["callback_for_id"] == left.json()["id"]
    item.refresh_from_db()
    assert item.state == WorkState.DONE and item.done_by == manager


def test_a_callback_named_explicitly_closes_the_task_and_must_be_outbound(demo, api):
    dept = demo.users["dept1"]  # a department's colleague: messages reach them too
    left = api("agent1").post("/api/v1/calls", call_body(purpose="find_person", for_user_id=dept.pk)).json()
    inbound = api("dept1").post("/api/v1/calls", call_body(callback_for_id=left["id"]))
    assert inbound.status_code == 422 and "direction" in inbound.json()["error"]["fields"]
    done = api("dept1").post("/api/v1/calls", call_body(callback_for_id=left["id"], direction="outbound"))
    assert done.status_code == 201
    assert WorkItem.objects.get(kind=WorkKind.CALLBACK).state == WorkState.DONE


def test_a_callback_for_a_user_of_another_dealer_is_refused(demo, api):
    response = api("agent1").post(
        "/api/v1/calls", call_body(purpose="message", for_user_id=demo.users["agent2"].pk)
    )
    assert response.status_code == 422 and "for_user_id" in response.json()["error"]["fields"]
    assert Call.objects.count() == 0 and WorkItem.objects.count() == 0


def test_only_a_message_or_asking_for_someone_is_for_a_colleague(demo, api):
    response = api("agent1").post("/api/v1/calls", call_body(for_user_id=demo.users["manager1"].pk))
    assert response.status_code == 422 and "for_user_id" in response.json()["error"]["fields"]


def test_a_call_on_a_complaint_appears_on_its_timeline(demo, api):
    complaint = make_complaint(demo, 1)
    response = api("agent1").post(
        "/api/v1/calls",
        call_body(
            number=complaint.customer.mobile,
            complaint_id=complaint.pk,
            direction="outbound",
            customer_said="还在等配件吗？",
            reply="配件周三到店，到了马上通知您。",
        ),
    )
    assert response.status_code == 201
    timeline = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/timeline").json()
    calls = [
        e for e in (timeline if isinstance(timeline, list) else timeline["entries"]) if e["kind"] == "call"
    ]
    assert len(calls) == 1
    page = api("agent1").client
    from conftest import PASSWORD

    page.login(username="agent1", password=PASSWORD)
    html = page.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "去电 · 咨询" in html and "配件周三到店" in html and "还在等配件吗" in html


def test_a_complaint_of_another_dealer_cannot_be_linked(demo, api):
    other = make_complaint(demo, 2)
    response = api("agent1").post("/api/v1/calls", call_body(complaint_id=other.pk))
    assert response.status_code == 422 and "complaint_id" in response.json()["error"]["fields"]
    assert not TimelineEntry.objects.filter(complaint=other, kind=EventKind.CALL).exists()


def test_a_complaint_call_becomes_a_complaint_keeping_the_callers_words(demo, api):
    customer = make_customer(demo, 1, mobile="13912345678", plate="粤A12345")
    logged = (
        api("agent1")
        .post("/api/v1/calls", call_body(purpose="complaint", customer_said=SAID, plate="粤A12345"))
        .json()
    )
    response = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {"severity": "major"})
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(pk=response.json()["complaint_id"])
    assert complaint.verbatim == SAID and complaint.channel == Channel.PHONE
    assert complaint.customer == customer and complaint.vehicle is not None
    assert complaint.vehicle.plate == "粤A12345"
    assert complaint.received_at == Call.objects.get().at and complaint.severity == "major"
    assert response.json()["call"]["complaint_id"] == complaint.pk
    entry = TimelineEntry.objects.get(complaint=complaint, kind=EventKind.CALL)
    assert entry.action == "converted" and entry.note == SAID
    from conftest import PASSWORD

    client = api("agent1").client
    client.login(username="agent1", password=PASSWORD)
    assert "由来电记录转为客诉" in client.get(f"/complaints/{complaint.pk}/").content.decode()
    again = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_converted"
    assert again.json()["error"]["complaint_id"] == complaint.pk
    assert Complaint.objects.count() == 1


def test_an_unknown_caller_becomes_a_new_customer_once_asked_for_consent(demo, api):
    logged = (
        api("agent1")
        .post(
            "/api/v1/calls",
            call_body(number="13700001111", purpose="complaint", customer_said=SAID, caller_name="黄女士"),
        )
        .json()
    )
    unasked = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {})
    assert unasked.status_code == 422
    assert {"consent_sms", "consent_calls"} <= set(unasked.json()["error"]["fields"])
    assert Complaint.objects.count() == 0 and Customer.objects.count() == 0
    done = api("agent1").post(
        f"/api/v1/calls/{logged['id']}/to-complaint", {"consent_sms": True, "consent_calls": False}
    )
    assert done.status_code == 201, done.content
    customer = Customer.objects.get()
    assert customer.name == "黄女士" and customer.mobile == "13700001111" and customer.consent_sms
    assert Call.objects.get().customer == customer


def test_another_purpose_becomes_a_complaint_only_when_confirmed(demo, api):
    make_customer(demo, 1, mobile="13912345678")
    logged = api("agent1").post("/api/v1/calls", call_body(customer_said="你们的服务太差了")).json()
    refused = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {})
    assert refused.status_code == 422 and "confirm" in refused.json()["error"]["fields"]
    assert Complaint.objects.count() == 0
    confirmed = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {"confirm": True})
    assert confirmed.status_code == 201
    assert Complaint.objects.get().verbatim == "你们的服务太差了"


def test_a_call_without_words_cannot_become_a_complaint(demo, api):
    make_customer(demo, 1, mobile="13912345678")
    logged = api("agent1").post("/api/v1/calls", call_body(customer_said="")).json()
    response = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {"confirm": True})
    assert response.status_code == 422 and "customer_said" in response.json()["error"]["fields"]


def test_a_failed_conversion_leaves_the_call_unconverted(demo, api):
    make_customer(demo, 1, mobile="13912345678")
    logged = api("agent1").post("/api/v1/calls", call_body(purpose="complaint", customer_said=SAID)).json()
    bad = api("agent1").post(f"/api/v1/calls/{logged['id']}/to-complaint", {"severity": "apocalyptic"})
    assert bad.status_code == 422
    call = Call.objects.get()
    assert call.complaint_id is None and call.converted_at is None and Complaint.objects.count() == 0


def test_list_filters_and_their_mistakes(demo, api):
    make_customer(demo, 1, mobile="13912345678")
    api("agent1").post("/api/v1/calls", call_body())
    api("manager1").post("/api/v1/calls", call_body(number="13700001111", purpose="appointment"))
    agent = api("agent1")
    assert agent.get("/api/v1/calls?number=5678").json()["count"] == 1
    assert (
        agent.get("/api/v1/calls", private="number=13700001111").json()["results"][0]["purpose"]
        == "appointment"
    )
    assert agent.get(f"/api/v1/calls?agent_id={demo.users['manager1'].pk}").json()["count"] == 1
    today = timezone.localdate().isoformat()
    assert agent.get(f"/api/v1/calls?date_from={today}&date_to={today}").json()["count"] == 2
    for query, field in (
        ("purpose=x", "purpose"),
        ("number=12ab", "number"),
        ("date_from=2026-13-01", "date_from"),
    ):
        response = agent.get(f"/api/v1/calls?{query}")
        assert response.status_code == 422 and field in response.json()["error"]["fields"], query
