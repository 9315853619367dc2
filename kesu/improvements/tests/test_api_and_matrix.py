"""The API: create from a chart's filters, read, edit with the version (409 when stale), move;
bad input 4xx naming the field; every endpoint for anonymous, another organisation, a role
without the capability and the right role — refused ones change nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kesu.complaints.tests.factories import make_complaint
from kesu.improvements.models import Case, ImprovementAction


def body(demo: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "维修质量整改",
        "owner_id": demo.users["agent1"].pk,
        "deadline": str(timezone.localdate() + timedelta(days=10)),
        "priority": "important",
        **extra,
    }


def created(demo: Any, api: Any) -> dict[str, Any]:
    response = api("manager1").post("/api/v1/improvements", body(demo))
    assert response.status_code == 201, response.content
    return response.json()


def snapshot() -> tuple[Any, ...]:
    return tuple(
        ImprovementAction.objects.values_list("pk", "version", "status", "title").order_by("pk")
    ) + tuple(Case.objects.values_list("pk", "version", "published_at").order_by("pk"))


def test_an_action_from_a_charts_filters(demo, api):
    response = api("region1").post(
        "/api/v1/improvements",
        body(
            demo,
            owner_id=demo.users["region1"].pk,
            organization_id=demo.regions["R-S"].pk,
            source="chart",
            source_chart="pareto",
            month=timezone.localdate().strftime("%Y-%m"),
            category="repair_quality",
            fault_area="brakes",
        ),
    )
    assert response.status_code == 201, response.content
    action = response.json()
    month = timezone.localdate().replace(day=1).isoformat()
    assert (action["source"], action["source_chart"], action["month"]) == ("chart", "pareto", month)
    assert (action["category"], action["fault_area"]) == ("repair_quality", "brakes")
    assert api("manager1").get(f"/api/v1/improvements/{action['id']}").status_code == 404  # the region's own
    assert api("crc1").get(f"/api/v1/improvements/{action['id']}").status_code == 200


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"priority": "asap"}, "priority"),
        ({"deadline": "2001-01-01"}, "deadline"),
        ({"title": ""}, "title"),
        ({"category": "weather"}, "category"),
        ({"fault_area": "wings"}, "fault_area"),
        ({"month": "2026-13"}, "month"),
        ({"month": "2999-01"}, "month"),
        ({"source": "rumour"}, "source"),
    ],
)
def test_bad_input_is_422_naming_the_field(demo, api, extra, field):
    response = api("manager1").post("/api/v1/improvements", body(demo, **extra))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not ImprovementAction.objects.exists()


def test_a_deadline_that_is_not_a_date_is_named(demo, api):
    response = api("manager1").post("/api/v1/improvements", body(demo, deadline="next week"))
    assert response.status_code == 422
    assert "deadline" in str(response.json()["error"]["fields"])


def test_edit_with_a_stale_version_is_409_and_changes_nothing(demo, api):
    action = created(demo, api)
    first = api("manager1").patch(f"/api/v1/improvements/{action['id']}", {"version": 1, "title": "新标题"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api("gm1").patch(f"/api/v1/improvements/{action['id']}", {"version": 1, "title": "旧的"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert ImprovementAction.objects.get().title == "新标题"


def test_moves_through_the_api(demo, api):
    action = created(demo, api)
    url = f"/api/v1/improvements/{action['id']}/transition"
    assert api("agent1").get(f"/api/v1/improvements/{action['id']}").json()["actions"] == [
        "start",
        "complete",
    ]
    response = api("agent1").post(url, {"action": "fly", "version": 1})
    assert response.status_code == 422 and "action" in response.json()["error"]["fields"]
    response = api("agent1").post(url, {"action": "complete", "version": 1})
    assert response.status_code == 422 and "evidence_text" in response.json()["error"]["fields"]
    response = api("agent1").post(url, {"action": "complete", "version": 1, "evidence_text": "培训记录"})
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert api("agent1").post(url, {"action": "start", "version": 2}).status_code == 409
    listed = api("manager1").get("/api/v1/improvements?status=done").json()
    assert [r["id"] for r in listed["results"]] == [action["id"]]
    assert api("manager1").get("/api/v1/improvements?status=bogus").status_code == 422


def test_the_list_filters_overdue_and_owner(demo, api):
    action = created(demo, api)
    ImprovementAction.objects.filter(pk=action["id"]).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    other = (
        api("manager1").post("/api/v1/improvements", body(demo, owner_id=demo.users["manager1"].pk)).json()
    )
    overdue = api("manager1").get("/api/v1/improvements?overdue=true").json()["results"]
    assert [r["id"] for r in overdue] == [action["id"]] and overdue[0]["overdue"]
    mine = api("manager1").get(f"/api/v1/improvements?owner_id={demo.users['manager1'].pk}").json()["results"]
    assert [r["id"] for r in mine] == [other["id"]]
    assert api("agent2").get("/api/v1/improvements").json()["count"] == 0


# --- the matrix --------------------------------------------------------------------------------


def closed_case(demo: Any) -> Case:
    from kesu.improvements import services

    complaint = make_complaint(demo, 1)
    from kesu.complaints.models import Complaint

    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    return services.create_case(
        actor=demo.users["manager1"],
        data=services.CaseInput(complaint_id=complaint.pk, title="案例", analysis="分析", commentary="点评"),
    )


ENDPOINTS = [
    ("get", "/api/v1/improvements/{a}", None),
    ("patch", "/api/v1/improvements/{a}", {"version": 1, "title": "越权"}),
    ("post", "/api/v1/improvements/{a}/transition", {"action": "cancel", "version": 1, "reason": "越权"}),
    ("get", "/api/v1/cases/{k}", None),
    ("patch", "/api/v1/cases/{k}", {"version": 1, "title": "越权"}),
    ("post", "/api/v1/cases/{k}/publish", None),
    ("post", "/api/v1/cases/{k}/unpublish", None),
]


def call(client: Any, method: str, path: str, payload: Any, action_id: int, case_id: int) -> Any:
    url = path.format(a=action_id, k=case_id)
    return client.get(url) if method == "get" else getattr(client, method)(url, payload)


@pytest.mark.parametrize(("method", "path", "payload"), ENDPOINTS)
@pytest.mark.parametrize("stranger", ["agent2", "manager2", "gm3", "region2"])
def test_other_organisations_get_404_and_change_nothing(demo, api, method, path, payload, stranger):
    action, case = created(demo, api), closed_case(demo)
    before = snapshot()
    response = call(api(stranger), method, path, payload, action["id"], case.pk)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "payload"), ENDPOINTS)
def test_anonymous_gets_401_and_changes_nothing(demo, api, method, path, payload):
    action, case = created(demo, api), closed_case(demo)
    before = snapshot()
    response = call(api(None), method, path, payload, action["id"], case.pk)
    assert response.status_code == 401
    assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "method", "path", "payload"),
    [
        ("agent1", "patch", "/api/v1/improvements/{a}", {"version": 1, "title": "越权"}),
        (
            "agent1",
            "post",
            "/api/v1/improvements/{a}/transition",
            {"action": "cancel", "version": 1, "reason": "x"},
        ),
        ("dept1", "post", "/api/v1/improvements/{a}/transition", {"action": "start", "version": 1}),
        ("region1", "post", "/api/v1/cases/{k}/unpublish", None),
        ("crc1", "patch", "/api/v1/cases/{k}", {"version": 1, "title": "越权"}),
    ],
)
def test_wrong_role_gets_403_and_changes_nothing(demo, api, username, method, path, payload):
    action, case = created(demo, api), closed_case(demo)
    from kesu.improvements import services

    services.set_published(actor=demo.users["manager1"], case_id=case.pk, published=True)
    before = snapshot()
    response = call(api(username), method, path, payload, action["id"], case.pk)
    assert response.status_code == 403, response.content
    assert snapshot() == before


@pytest.mark.parametrize("username", ["manager1", "gm1", "region1", "crc1", "quality1", "admin"])
def test_the_right_roles_may_open_and_edit(demo, api, username):
    action = created(demo, api)
    response = api(username).patch(
        f"/api/v1/improvements/{action['id']}", {"version": 1, "priority": "routine"}
    )
    assert response.status_code == 200, response.content


def test_lists_never_show_other_organisations(demo, api):
    created(demo, api)
    closed = closed_case(demo)
    from kesu.improvements import services

    services.set_published(actor=demo.users["manager1"], case_id=closed.pk, published=True)
    for username in ("agent2", "manager2", "region2"):
        assert api(username).get("/api/v1/improvements").json()["count"] == 0
        assert api(username).get("/api/v1/cases").json() == []
    for username in ("agent1", "dept1", "region1", "crc1"):
        assert [c["id"] for c in api(username).get("/api/v1/cases").json()] == [closed.pk]
