"""Scope and permissions of every follow-up endpoint and page: another dealer, the manufacturer,
a role that does not make calls, anonymous — refused, and nothing changes."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from kesu.followups.models import Attempt, FollowUp, VehicleEvent

from .helpers import closed_complaint, revisit_of

pytestmark = pytest.mark.django_db

STRANGERS = ["agent2", "dept3", "region2", "crc1", "pr1", "quality1"]


def _visit(_f: FollowUp) -> dict[str, Any]:
    return {"finished_at": (timezone.now() - timedelta(hours=1)).isoformat(), "work": "保养"}


def _delivery(_f: FollowUp) -> dict[str, Any]:
    return {"delivered_at": (timezone.now() - timedelta(hours=1)).isoformat()}


def _reached(_f: FollowUp) -> dict[str, Any]:
    return {"result": "reached", "satisfaction": "satisfied"}


# method, path ({f} follow-up, {v} vehicle), body, owner's status, region manager's, department's
ENDPOINTS = [
    ("get", "/api/v1/followups/{f}", None, 200, 200, 200),
    ("post", "/api/v1/followups/{f}/outcome", _reached, 200, 403, 403),
    ("post", "/api/v1/vehicles/{v}/service-visits", _visit, 201, 403, 403),
    ("post", "/api/v1/vehicles/{v}/deliveries", _delivery, 201, 403, 403),
]


def state_of(followup: FollowUp) -> tuple[Any, ...]:
    followup.refresh_from_db()
    return (followup.state, followup.version, Attempt.objects.count(), VehicleEvent.objects.count())


def url_of(path: str, followup: FollowUp) -> str:
    return path.format(f=followup.pk, v=followup.vehicle_id)


@pytest.fixture
def followup(demo: Any) -> FollowUp:
    return revisit_of(closed_complaint(demo))


@pytest.mark.parametrize(("method", "path", "body", "owner", "region", "department"), ENDPOINTS)
def test_permission_matrix(demo, api, followup, method, path, body, owner, region, department):
    url = url_of(path, followup)
    payload = body(followup) if body else None
    for stranger in STRANGERS:
        before = state_of(followup)
        response = getattr(api(stranger), method)(url, *([payload] if payload is not None else []))
        assert response.status_code == 404, (stranger, response.content)
        assert "张先生" not in response.content.decode()
        assert state_of(followup) == before
    anonymous = getattr(api(None), method)(url, *([payload] if payload is not None else []))
    assert anonymous.status_code == 401
    for user, expected in (("region1", region), ("dept1", department)):
        before = state_of(followup)
        response = getattr(api(user), method)(url, *([payload] if payload is not None else []))
        assert response.status_code == expected, (user, response.content)
        if expected != 200:
            assert state_of(followup) == before
    response = getattr(api("agent1"), method)(url, *([payload] if payload is not None else []))
    assert response.status_code == owner, response.content


@pytest.mark.parametrize("user", ["manager1", "gm1", "admin"])
def test_the_dealers_managers_and_the_admin_work_follow_ups(demo, api, followup, user):
    assert api(user).get(f"/api/v1/followups/{followup.pk}").status_code == 200
    response = api(user).post(f"/api/v1/followups/{followup.pk}/outcome", {"result": "not_reached"})
    assert response.status_code == 200, response.content


def test_the_list_shows_strangers_nothing(demo, api, followup):
    assert [r["id"] for r in api("agent1").get("/api/v1/followups").json()] == [followup.pk]
    assert [r["id"] for r in api("region1").get("/api/v1/followups").json()] == [followup.pk]
    for stranger in STRANGERS:
        assert api(stranger).get("/api/v1/followups").json() == []
    bad = api("agent1").get("/api/v1/followups?due=tomorrow")
    assert bad.status_code == 422 and "due" in bad.json()["error"]["fields"]


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


PAGES = [("get", "/followups/{f}/"), ("post", "/followups/{f}/outcome/")]


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize("stranger", STRANGERS)
def test_other_organisations_get_404_on_every_page(demo, followup, method, path, stranger):
    before = state_of(followup)
    response = getattr(client_for(stranger), method)(
        url_of(path, followup), {"result": "reached", "satisfaction": "satisfied"}
    )
    assert response.status_code == 404
    assert "张先生" not in response.content.decode()
    assert state_of(followup) == before


def test_the_list_page_shows_strangers_nothing(demo, followup):
    assert "张先生" in client_for("agent1").get("/followups/").content.decode()
    assert "张先生" not in client_for("agent2").get("/followups/").content.decode()


def test_a_department_cannot_record_an_outcome_on_the_page(demo, followup):
    before = state_of(followup)
    response = client_for("dept1").post(f"/followups/{followup.pk}/outcome/", {"result": "not_reached"})
    assert response.status_code == 403
    assert state_of(followup) == before
