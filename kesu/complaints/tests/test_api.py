"""The complaint API as an integrator uses it: the whole four-step flow, filters, and every kind
of bad input answered with the right JSON error."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer


def create_payload(customer, **extra):
    return {
        "customer_id": customer.pk,
        "vehicle_id": customer.vehicles.first().pk,
        "channel": "phone",
        "verbatim": "后雨刮完全不动，暴雨天太危险了",
        "severity": "serious",
        "demands": ["free_repair"],
        **extra,
    }


def test_token_and_bad_credentials(demo, api):
    anonymous = api(None)
    good = anonymous.post("/api/v1/auth/token", {"username": "agent1", "password": "test-pass-123"})
    assert good.status_code == 200 and len(good.json()["token"]) > 20
    bad = anonymous.post("/api/v1/auth/token", {"username": "agent1", "password": "nope"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_credentials"
    assert anonymous.get("/api/v1/complaints", HTTP_AUTHORIZATION="Bearer forged").status_code == 401


def test_full_four_step_flow_over_the_api(demo, api):
    agent, dept = api("agent1"), api("dept1")
    customer = make_customer(demo, 1)
    created = agent.post("/api/v1/complaints", create_payload(customer))
    assert created.status_code == 201
    body = created.json()
    assert body["number"].startswith(f"KS-{timezone.localtime().year}-")
    assert body["status"] == "received" and body["customer"]["mobile_masked"] == "138****1234"
    cid = body["id"]
    promised = (timezone.now() + timedelta(hours=24)).isoformat()
    steps = [
        (
            agent,
            {
                "action": "start_investigation",
                "promised_plan_at": promised,
                "note": "已致歉，24小时内答复",
            },
            "investigating",
        ),
        (
            dept,
            {"action": "propose_plan", "root_cause": "雨刮电机故障", "plan": "调货更换电机"},
            "plan_proposed",
        ),
        (agent, {"action": "customer_agrees", "note": "客户同意"}, "agreed"),
        (dept, {"action": "start_implementation"}, "implementing"),
        (dept, {"action": "finish_implementation", "note": "已更换"}, "follow_up"),
        (
            agent,
            {"action": "close", "satisfaction": "very_satisfied", "note": "回访满意"},
            "closed",
        ),
    ]
    for client, payload, expected in steps:
        response = client.post(f"/api/v1/complaints/{cid}/transitions", payload)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == expected
    final = agent.get(f"/api/v1/complaints/{cid}").json()
    assert final["root_cause"] == "雨刮电机故障" and final["satisfaction"] == "very_satisfied"
    assert final["closed_at"] is not None and final["version"] == 7
    timeline = agent.get(f"/api/v1/complaints/{cid}/timeline").json()
    moves = [e for e in timeline if e["kind"] in ("created", "transition")]
    assert [e["to_status"] for e in moves] == ["received", *[s[2] for s in steps]]
    assert moves[2]["actor"] == "对策单位1" and moves[2]["action"] == "propose_plan"
    assert "first_reply" in [e["kind"] for e in timeline]
    actions = [a["action"] for a in agent.get(f"/api/v1/complaints/{cid}/actions").json()]
    assert actions == ["reopen"]


def test_actions_depend_on_role(demo, api):
    complaint = make_complaint(demo, 1)
    agent = {a["action"] for a in api("agent1").get(f"/api/v1/complaints/{complaint.pk}/actions").json()}
    manager = {a["action"] for a in api("manager1").get(f"/api/v1/complaints/{complaint.pk}/actions").json()}
    assert "refuse" not in agent and "refuse" in manager
    assert "start_investigation" in agent


def test_bad_inputs_name_the_field(demo, api):
    agent = api("agent1")
    customer = make_customer(demo, 1)
    cases = [
        (create_payload(customer, channel="fax"), 422, "channel"),
        (create_payload(customer, verbatim="   "), 422, "verbatim"),
        (create_payload(customer, demands=["a car"]), 422, "demands.0"),
        (
            create_payload(customer, received_at=(timezone.now() + timedelta(days=1)).isoformat()),
            422,
            "received_at",
        ),
        (create_payload(customer, vehicle_id=999999), 422, "vehicle_id"),
        (
            create_payload(customer, department_id=demo.departments[("D2", "SVC")].pk),
            422,
            "department_id",
        ),
        ({"channel": "phone", "verbatim": "刹车异响"}, 422, "customer_id"),  # neither id nor caller
    ]
    for payload, status, field in cases:
        response = agent.post("/api/v1/complaints", payload)
        assert response.status_code == status, (payload, response.content)
        assert field in response.json()["error"]["fields"], response.json()
    assert Complaint.objects.count() == 0


def test_malformed_json_unknown_ids_and_paths(demo, api):
    agent = api("agent1")
    response = agent.post("/api/v1/complaints", "{not json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    assert agent.get("/api/v1/complaints/987654").status_code == 404
    missing = agent.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    assert agent.get("/api/v1/complaints?page_size=1000").status_code == 422
    assert agent.get("/api/v1/complaints?received_from=yesterday").status_code == 422
    assert agent.get("/api/v1/complaints?status=lost").status_code == 422


def test_transition_errors(demo, api):
    complaint = make_complaint(demo, 1)
    url = f"/api/v1/complaints/{complaint.pk}/transitions"
    agent = api("agent1")
    illegal = agent.post(url, {"action": "close", "satisfaction": "satisfied", "note": "x"})
    assert illegal.status_code == 409 and illegal.json()["error"]["code"] == "illegal_transition"
    missing = agent.post(url, {"action": "start_investigation"})
    assert missing.status_code == 422
    assert set(missing.json()["error"]["fields"]) == {"promised_plan_at", "note"}
    unknown = agent.post(url, {"action": "teleport"})
    assert unknown.status_code == 422 and "action" in unknown.json()["error"]["fields"]
    refuse_without_reason = api("manager1").post(url, {"action": "refuse"})
    assert refuse_without_reason.status_code == 422
    assert "reason" in refuse_without_reason.json()["error"]["fields"]
    stale = agent.post(url, {"action": "escalate", "reason": "x", "version": 99})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.version == 1
    # only the intake's entries: registered, and assigned to its owner
    assert TimelineEntry.objects.filter(complaint=complaint).count() == 2


def test_two_people_editing_the_second_is_refused(demo, api):
    complaint = make_complaint(demo, 1)
    url = f"/api/v1/complaints/{complaint.pk}"
    first = api("agent1").patch(url, {"version": 1, "facts": "客户称三次进店"})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api("manager1").patch(url, {"version": 1, "severity": "major"})
    assert second.status_code == 409 and second.json()["error"]["code"] == "stale_version"
    complaint.refresh_from_db()
    assert complaint.facts == "客户称三次进店" and complaint.severity == "normal"
    edit = TimelineEntry.objects.get(complaint=complaint, kind="edited")
    assert edit.changes == {"facts": ["", "客户称三次进店"]} and edit.actor == demo.users["agent1"]


def test_patch_rejects_uneditable_and_invalid(demo, api):
    complaint = make_complaint(demo, 1)
    url = f"/api/v1/complaints/{complaint.pk}"
    assert api("agent1").patch(url, {"version": 1, "severity": "apocalyptic"}).status_code == 422
    other_dealer_user = demo.users["agent2"].pk
    response = api("agent1").patch(url, {"version": 1, "assignee_id": other_dealer_user})
    assert response.status_code == 422 and "assignee_id" in response.json()["error"]["fields"]


def test_list_filters_and_search(demo, api):
    brake = make_complaint(
        demo, 1, verbatim="刹车踩不下去，高速上差点出事", category="product", severity="crisis"
    )
    make_complaint(
        demo,
        1,
        verbatim="接待太差了，没人理",
        category="reception",
        customer=make_customer(demo, 1, mobile="13900001111", plate="粤A54321"),
    )
    agent = api("agent1")

    def ids(query):
        response = agent.get(f"/api/v1/complaints?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("q=刹车") == [brake.pk]
    assert ids("q=车踩不") == [brake.pk]
    assert ids("category=product") == [brake.pk]
    assert ids("severity=crisis") == [brake.pk]
    assert ids(f"q={brake.number}") == [brake.pk]
    assert ids("q=粤A12345") == [brake.pk]
    assert [r["id"] for r in agent.get("/api/v1/complaints", private="q=13812341234").json()["results"]] == [
        brake.pk
    ]
    assert len(ids("status=received")) == 2
    assert ids("status=closed") == []
    assert ids("q=退车") == []
    future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S%%2B08:00")
    assert ids(f"received_from={future}") == []
    page = agent.get("/api/v1/complaints?page_size=1&page=2").json()
    assert page["count"] == 2 and len(page["results"]) == 1


def test_received_at_is_kept_for_phone_complaints_recorded_later(demo, api):
    customer = make_customer(demo, 1)
    earlier = timezone.now() - timedelta(hours=3)
    body = (
        api("agent1")
        .post("/api/v1/complaints", create_payload(customer, received_at=earlier.isoformat()))
        .json()
    )
    assert abs((Complaint.objects.get(pk=body["id"]).received_at - earlier).total_seconds()) < 1


def test_attachments_limits(demo, api, settings):
    settings.KESU_MAX_ATTACHMENT_BYTES = 1024
    complaint = make_complaint(demo, 1)
    client = api("agent1")
    url = f"/api/v1/complaints/{complaint.pk}/attachments"
    headers = client.headers
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    ok = client.client.post(url, {"file": SimpleUploadedFile("刹车.png", png)}, **headers)
    assert ok.status_code == 201 and ok.json()["kind"] == "photo"
    big = client.client.post(url, {"file": SimpleUploadedFile("big.png", png + b"0" * 2000)}, **headers)
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    exe = client.client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ...")}, **headers)
    assert exe.status_code == 422 and "file" in exe.json()["error"]["fields"]
    fake = client.client.post(url, {"file": SimpleUploadedFile("photo.jpg", b"MZ not a jpeg")}, **headers)
    assert fake.status_code == 422
    assert [a["original_name"] for a in client.get(url).json()] == ["刹车.png"]
    assert TimelineEntry.objects.filter(complaint=complaint, kind="attachment").count() == 1


def test_openapi_documents_the_endpoints(demo, api):
    spec = api(None).get("/api/openapi.json").json()
    paths = spec["paths"]
    for path in [
        "/api/v1/auth/token",
        "/api/v1/complaints",
        "/api/v1/complaints/{complaint_id}",
        "/api/v1/complaints/{complaint_id}/transitions",
        "/api/v1/complaints/{complaint_id}/timeline",
        "/api/v1/complaints/{complaint_id}/actions",
        "/api/v1/customers",
        "/api/v1/vehicles",
    ]:
        assert path in paths, path


@pytest.mark.django_db(transaction=True)
def test_numbers_never_collide_under_concurrency(demo):
    """Eight agents registering at once never get the same number (sequence / SQLite counter)."""
    import threading

    from django.db import connection

    from kesu.complaints.services import ComplaintDraft
    from kesu.flows import create_complaint

    workers = 8  # SQLite's test database is a file, so threads get their own connections
    customer = make_customer(demo, 1)
    numbers: list[str] = []
    errors: list[Exception] = []

    def intake() -> None:
        try:
            for _ in range(5):
                draft = ComplaintDraft(customer_id=customer.pk, channel="phone", verbatim="并发")
                numbers.append(create_complaint(actor=demo.users["agent1"], draft=draft).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(numbers) == len(set(numbers)) == workers * 5


def test_count_stops_at_the_cap_and_says_so(demo, api, monkeypatch):
    from kesu.complaints import api as complaints_api

    monkeypatch.setattr(complaints_api, "COUNT_CAP", 3)
    for n in range(6):
        make_complaint(
            demo, 1, verbatim=f"刹车异响第{n}次", customer=make_customer(demo, 1, mobile=f"1391111000{n}")
        )
    first = api("agent1").get("/api/v1/complaints?q=刹车&page_size=2").json()
    assert (first["count"], first["count_capped"], len(first["results"])) == (3, True, 2)
    last = api("agent1").get("/api/v1/complaints?q=刹车&page_size=2&page=3").json()
    assert (last["count"], last["count_capped"], len(last["results"])) == (6, False, 2)


def test_times_come_back_in_shanghai_time_with_their_offset(demo, api):
    from datetime import datetime

    customer = make_customer(demo, 1)
    sent = "2026-12-01T01:30:00+00:00"  # a phone call recorded afterwards, given in UTC
    body = {"customer_id": customer.pk, "channel": "phone", "verbatim": "雨刮不动", "received_at": sent}
    created = api("agent1").post("/api/v1/complaints", body).json()
    assert created["received_at"] == "2026-12-01T09:30:00+08:00"
    assert datetime.fromisoformat(created["received_at"]) == datetime.fromisoformat(sent)
    assert created["due_at"].endswith("+08:00")
