"""Accountability: responsibility (a supplier: the GM), penalty notices proposed by the service
manager, approved by the GM, acknowledged by the person (who sees only their own), and the
monthly list of serious complaints closed last month still awaiting a decision."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.resolutions.models import PenaltyNotice, Responsibility


def dept(demo, code, dealer="D1"):
    return demo.departments[(dealer, code)].pk


@pytest.fixture
def complaint(demo):
    return make_complaint(demo, 1, severity="major")


def notice_body(demo, **extra):
    return {"person_id": demo.users["dept1"].pk, "amount": "200.00", "reason": "装配不到位导致返修", **extra}


def test_responsibility_for_a_department_and_a_person(demo, api, complaint):
    url = f"/api/v1/complaints/{complaint.pk}/responsibility"
    assert api(agent := "agent1").get(url).json()["responsibility"] is None, agent
    body = {
        "kind": "department",
        "department_id": dept(demo, "SVC"),
        "person_id": demo.users["dept1"].pk,
        "reason": "保养时未按规范安装",
    }
    assert api("agent1").post(url, body).status_code == 403
    done = api("manager1").post(url, body)
    assert done.status_code == 201, done.content
    assert done.json()["responsibility"]["department"] == "售后服务部"
    assert done.json()["responsibility"]["person"] == "对策单位1"
    twice = api("gm1").post(url, body)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_decided"
    assert TimelineEntry.objects.filter(complaint=complaint, kind="accountability").count() == 1


def test_a_supplier_is_for_the_gm(demo, api, complaint):
    url = f"/api/v1/complaints/{complaint.pk}/responsibility"
    body = {"kind": "supplier", "supplier": "某刹车片供应商", "reason": "批次质量问题"}
    assert api("manager1").post(url, body).status_code == 403
    assert not Responsibility.objects.exists()
    assert api("gm1").post(url, {**body, "supplier": ""}).json()["error"]["fields"] == {
        "supplier": "请写明供应商。"
    }
    assert api("gm1").post(url, body).status_code == 201


def test_bad_responsibility_names_fields(demo, api, complaint):
    url = f"/api/v1/complaints/{complaint.pk}/responsibility"
    bad = api("manager1").post(
        url,
        {
            "kind": "department",
            "department_id": dept(demo, "SVC", "D2"),
            "person_id": demo.users["agent2"].pk,
        },
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"department_id", "person_id", "reason"}
    assert api("manager1").post(url, {"kind": "weather", "reason": "x"}).json()["error"]["fields"].keys() == {
        "kind"
    }
    assert not Responsibility.objects.exists()


def test_notice_proposed_approved_acknowledged(demo, api, complaint):
    url = f"/api/v1/complaints/{complaint.pk}/penalty-notices"
    assert api("agent1").post(url, notice_body(demo)).status_code == 403
    assert api("gm1").post(url, notice_body(demo)).status_code == 403
    proposed = api("manager1").post(url, notice_body(demo))
    assert proposed.status_code == 201, proposed.content
    notice = proposed.json()
    assert (
        notice["state"] == "proposed"
        and notice["amount"] == "200.00"
        and notice["department"] == "售后服务部"
    )
    # the person concerned sees their own; another person of the dealer sees nothing
    assert [n["id"] for n in api("dept1").get("/api/v1/penalty-notices").json()] == [notice["id"]]
    assert api("agent1").get("/api/v1/penalty-notices").json() == []
    assert api("agent1").get(f"/api/v1/penalty-notices/{notice['id']}").status_code == 404
    assert api("region1").get(f"/api/v1/penalty-notices/{notice['id']}").status_code == 404
    # the timeline, read by the whole desk, names neither the person nor the amount
    entry = TimelineEntry.objects.get(complaint=complaint, action="notice_proposed")
    assert "200" not in str(entry.changes) + entry.note and "对策单位" not in entry.note
    # not yet approved: nothing to acknowledge
    ack = f"/api/v1/penalty-notices/{notice['id']}/acknowledge"
    assert api("dept1").post(ack).status_code == 409
    decide = f"/api/v1/penalty-notices/{notice['id']}/decide"
    assert api("manager1").post(decide, {"decision": "approve"}).status_code == 403
    assert api("gm1").post(decide, {"decision": "maybe"}).status_code == 422
    approved = api("gm1").post(decide, {"decision": "approve", "comment": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert api("gm1").post(decide, {"decision": "reject", "comment": "再议"}).status_code == 409
    assert api("manager1").post(ack).status_code == 403
    done = api("dept1").post(ack)
    assert done.status_code == 200 and done.json()["state"] == "acknowledged"
    assert api("dept1").post(ack).status_code == 409
    actions = TimelineEntry.objects.filter(complaint=complaint, kind="accountability").values_list(
        "action", flat=True
    )
    assert list(actions) == ["notice_proposed", "notice_approved", "notice_acknowledged"]


def test_rejecting_needs_a_reason(demo, api, complaint):
    notice = (
        api("manager1").post(f"/api/v1/complaints/{complaint.pk}/penalty-notices", notice_body(demo)).json()
    )
    decide = f"/api/v1/penalty-notices/{notice['id']}/decide"
    response = api("gm1").post(decide, {"decision": "reject"})
    assert response.status_code == 422 and "comment" in response.json()["error"]["fields"]
    assert PenaltyNotice.objects.get().state == "proposed"


@pytest.mark.parametrize(
    ("amount", "field"),
    [("-1", "amount"), ("NaN", "amount"), ("12.345", "amount"), ("1e12", "amount"), ("abc", "amount")],
)
def test_bad_amounts_are_refused(demo, api, complaint, amount, field):
    response = api("manager1").post(
        f"/api/v1/complaints/{complaint.pk}/penalty-notices", notice_body(demo, amount=amount)
    )
    assert response.status_code == 422 and field in response.json()["error"]["fields"], response.content
    assert not PenaltyNotice.objects.exists()


def test_a_person_of_another_dealer_is_refused(demo, api, complaint):
    response = api("manager1").post(
        f"/api/v1/complaints/{complaint.pk}/penalty-notices",
        notice_body(demo, person_id=demo.users["dept2"].pk, kind="fine", reason=""),
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"person_id", "kind", "reason"}


@pytest.mark.parametrize("stranger", ["agent2", "manager2", "gm3", "region2", "crc1", "pr1"])
def test_strangers_get_404(demo, api, complaint, stranger):
    notice = (
        api("manager1").post(f"/api/v1/complaints/{complaint.pk}/penalty-notices", notice_body(demo)).json()
    )
    client = api(stranger)
    for response in (
        client.get(f"/api/v1/complaints/{complaint.pk}/responsibility"),
        client.post(f"/api/v1/complaints/{complaint.pk}/responsibility", {"kind": "none", "reason": "x"}),
        client.post(f"/api/v1/complaints/{complaint.pk}/penalty-notices", notice_body(demo)),
        client.get(f"/api/v1/penalty-notices/{notice['id']}"),
        client.post(f"/api/v1/penalty-notices/{notice['id']}/decide", {"decision": "approve"}),
        client.post(f"/api/v1/penalty-notices/{notice['id']}/acknowledge"),
    ):
        assert response.status_code == 404, response.content
    assert client.get("/api/v1/penalty-notices").json() == []
    assert PenaltyNotice.objects.get().state == "proposed" and not Responsibility.objects.exists()


def test_monthly_list_of_serious_complaints_awaiting_a_decision(demo, api):
    last_month = timezone.localdate().replace(day=1) - timedelta(days=3)
    closed_at = timezone.make_aware(datetime.combine(last_month, time()))
    serious = make_complaint(demo, 1, severity="major")
    crisis = make_complaint(demo, 1, severity="crisis")
    normal = make_complaint(demo, 1)
    decided = make_complaint(demo, 1, severity="major")
    theirs = make_complaint(demo, 2, severity="major")
    this_month = make_complaint(demo, 1, severity="major")
    Complaint.objects.filter(pk__in=[serious.pk, crisis.pk, normal.pk, decided.pk, theirs.pk]).update(
        status="closed", closed_at=closed_at
    )
    Complaint.objects.filter(pk=this_month.pk).update(status="closed", closed_at=timezone.now())
    api("gm1").post(f"/api/v1/complaints/{decided.pk}/responsibility", {"kind": "none", "reason": "客户误解"})
    answer = api("manager1").get("/api/v1/accountability/pending").json()
    assert answer["month"] == last_month.strftime("%Y-%m")
    assert {c["id"] for c in answer["complaints"]} == {serious.pk, crisis.pk}
    assert api("agent1").get("/api/v1/accountability/pending").status_code == 403
    assert {c["id"] for c in api("gm2").get("/api/v1/accountability/pending").json()["complaints"]} == {
        theirs.pk
    }
    assert api("manager1").get("/api/v1/accountability/pending?month=2026-13").status_code == 422
