"""The administration API: who may call what (every endpoint × every kind of caller), the rules
on roles and organisations, deactivation, passwords — as an integrator would see them."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD, ApiClient
from kesu.administration.models import AdminLogEntry
from kesu.notifications.models import WebhookTarget
from kesu.organizations.choices import Role
from kesu.organizations.models import ApiToken, Organization, User
from kesu.sla.models import BusinessHours, CalendarOverride

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123"


@dataclass
class Endpoint:
    method: str
    path: str  # {dealer} D1, {dept} D1-CS, {agent} agent1, {robot} a robot of D1, {override} one of D1
    body: Any = None
    # the status each caller gets; callers not named get 403 (authenticated) / 401 (anonymous)
    expect: dict[str, int] = field(default_factory=dict)


READ = {"admin": 200, "gm1": 200, "gm2": 404, "region1": 200, "region2": 404}
WRITE = {"admin": 200, "gm1": 200, "gm2": 404, "region1": 403, "region2": 404}
CREATE = {"admin": 201, "gm1": 201, "gm2": 404, "region1": 403, "region2": 404}

ENDPOINTS = [
    Endpoint(
        "get",
        "/api/v1/organizations",
        expect={"admin": 200, "gm1": 200, "gm2": 200, "region1": 200, "region2": 200},
    ),
    Endpoint("get", "/api/v1/organizations/{dealer}", expect=READ),
    Endpoint("get", "/api/v1/organizations/{dept}", expect=READ),
    Endpoint(
        "post",
        "/api/v1/organizations",
        {"kind": "department", "name": "二手车部", "code": "D1-USED", "parent_id": "{dealer}"},
        # gm2 and region2 do not see D1: "no such organisation", naming parent_id
        {"admin": 201, "gm1": 201, "gm2": 403, "region1": 403, "region2": 403},
    ),
    Endpoint("patch", "/api/v1/organizations/{dept}", {"name": "客户服务部"}, WRITE),
    Endpoint("patch", "/api/v1/organizations/{dealer}", {"name": "改名"}, {**WRITE, "gm1": 403}),
    Endpoint("get", "/api/v1/organizations/{dealer}/business-hours", expect=READ),
    Endpoint(
        "put",
        "/api/v1/organizations/{dealer}/business-hours",
        {"monday": "09:00-17:00"},
        WRITE,
    ),
    Endpoint("get", "/api/v1/organizations/{dealer}/calendar-overrides", expect=READ),
    Endpoint(
        "post",
        "/api/v1/organizations/{dealer}/calendar-overrides",
        {"date": "2031-03-05", "is_open": False, "note": "店庆"},
        CREATE,
    ),
    Endpoint(
        "delete",
        "/api/v1/organizations/{dealer}/calendar-overrides/{override}",
        expect={**WRITE, "admin": 204, "gm1": 204},
    ),
    Endpoint("get", "/api/v1/organizations/{dealer}/robots", expect=READ),
    Endpoint("post", "/api/v1/organizations/{dealer}/robots", {"provider": "wecom", "url": WECOM}, CREATE),
    Endpoint("patch", "/api/v1/robots/{robot}", {"is_active": False}, WRITE),
    Endpoint(
        "get", "/api/v1/users", expect={"admin": 200, "gm1": 200, "gm2": 200, "region1": 200, "region2": 200}
    ),
    Endpoint("get", "/api/v1/users/{agent}", expect=READ),
    Endpoint(
        "post",
        "/api/v1/users",
        {"username": "newagent", "display_name": "新客服", "role": "agent", "organization_id": "{dept}"},
        # a stranger names an organisation they do not see: 422 naming organization_id
        {"admin": 201, "gm1": 201, "gm2": 422, "region1": 403, "region2": 403},
    ),
    Endpoint("patch", "/api/v1/users/{agent}", {"display_name": "改名"}, WRITE),
    Endpoint("patch", "/api/v1/users/{agent}", {"is_active": False}, WRITE),
    Endpoint("post", "/api/v1/users/{agent}/reset-password", {}, WRITE),
]
CALLERS = ["admin", "gm1", "gm2", "region1", "region2", "agent1", "manager1", "dept1", "crc1", None]


def _ids(demo: Any) -> dict[str, int]:
    dealer = demo.dealers["D1"]
    robot = WebhookTarget.objects.create(organization=dealer, provider="wecom", url=WECOM)
    override = CalendarOverride.objects.create(organization=dealer, date="2031-01-02", is_open=False)
    return {
        "dealer": dealer.pk,
        "dept": demo.departments[("D1", "CS")].pk,
        "agent": demo.users["agent1"].pk,
        "robot": robot.pk,
        "override": override.pk,
    }


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _state() -> tuple[Any, ...]:
    """Everything an administration call could change."""
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "name", "code", "parent_id")),
        list(User.objects.order_by("pk").values_list("pk", "display_name", "role", "is_active", "password")),
        list(BusinessHours.objects.values_list("organization_id", "weekday", "opens", "closes")),
        list(CalendarOverride.objects.order_by("pk").values_list("pk", "date")),
        list(WebhookTarget.objects.order_by("pk").values_list("pk", "is_active")),
        AdminLogEntry.objects.count(),
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path} {e.body or ''}")
@pytest.mark.parametrize("caller", CALLERS, ids=str)
def test_permission_matrix(demo, api, endpoint, caller):
    ids = _ids(demo)
    path = endpoint.path.format(**ids)
    expected = endpoint.expect.get(caller, 403) if caller else 401
    before = _state()
    client = api(caller)
    body = _fill(endpoint.body, ids)
    response = client._send(endpoint.method, path, body)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["error"]["code"]
        assert _state() == before, "a refused call changed something"
    elif endpoint.method != "get":
        assert _state() != before or endpoint.method == "delete"


def test_lists_are_scoped(demo, api):
    codes = {o["code"] for o in api("gm1").get("/api/v1/organizations").json()}
    assert "D1" in codes and "D1-CS" in codes
    assert not codes & {"D2", "D2-CS", "D3", "R-S", "MFR"}
    region = {o["code"] for o in api("region1").get("/api/v1/organizations").json()}
    assert {"R-S", "D1", "D2", "D2-CS"} <= region and not region & {"D3", "R-N", "MFR"}
    users = {u["username"] for u in api("gm1").get("/api/v1/users").json()}
    assert {"agent1", "manager1", "dept1", "gm1"} <= users
    assert not users & {"agent2", "gm2", "region1", "admin", "crc1"}
    everyone = {u["username"] for u in api("admin").get("/api/v1/users?limit=1000").json()}
    assert {"agent3", "crc1", "admin"} <= everyone


# --- roles ----------------------------------------------------------------------------------------


def _new_user(**overrides: Any) -> dict[str, Any]:
    return {"username": "zhang.san", "display_name": "张三", "role": "agent", **overrides}


@pytest.mark.parametrize("role", ["admin", "region_manager", "crc_agent", "pr", "quality"])
def test_general_manager_cannot_grant_a_role_above_their_own(demo, api, role):
    dealer = demo.dealers["D1"].pk
    response = api("gm1").post("/api/v1/users", _new_user(role=role, organization_id=dealer))
    assert response.status_code == 403
    assert "role" in response.json()["error"]["fields"]
    assert not User.objects.filter(username="zhang.san").exists()


@pytest.mark.parametrize("role", ["agent", "service_manager", "general_manager"])
def test_general_manager_grants_up_to_their_own_rank(demo, api, role):
    response = api("gm1").post(
        "/api/v1/users", _new_user(role=role, organization_id=demo.dealers["D1"].pk, password="Kesu-2026-ok!")
    )
    assert response.status_code == 201, response.content
    assert response.json()["password"] == ""  # chosen, not generated


def test_general_manager_cannot_promote_an_agent_to_admin_or_change_themselves(demo, api):
    agent = demo.users["agent1"]
    response = api("gm1").patch(f"/api/v1/users/{agent.pk}", {"role": "admin"})
    assert response.status_code == 403 and "role" in response.json()["error"]["fields"]
    gm = demo.users["gm1"]
    response = api("gm1").patch(f"/api/v1/users/{gm.pk}", {"role": "agent"})
    assert response.status_code == 403 and "role" in response.json()["error"]["fields"]
    response = api("gm1").patch(f"/api/v1/users/{gm.pk}", {"is_active": False})
    assert response.status_code == 403 and "is_active" in response.json()["error"]["fields"]
    agent.refresh_from_db()
    gm.refresh_from_db()
    assert agent.role == Role.AGENT and gm.role == Role.GENERAL_MANAGER and gm.is_active


@pytest.mark.parametrize(
    ("role", "org"),
    [
        ("general_manager", ("D1", "CS")),  # a GM belongs to the dealer, not a department
        ("department_staff", "D1"),  # department staff belong to a department
        ("region_manager", "D1"),
        ("crc_agent", "R-S"),
        ("agent", "R-S"),
        ("agent", "MFR"),
    ],
)
def test_role_must_fit_the_organisation(demo, api, role, org):
    if isinstance(org, tuple):
        org_id = demo.departments[org].pk
    elif org == "MFR":
        org_id = demo.manufacturer.pk
    elif org.startswith("R-"):
        org_id = demo.regions[org].pk
    else:
        org_id = demo.dealers[org].pk
    response = api("admin").post("/api/v1/users", _new_user(role=role, organization_id=org_id))
    assert response.status_code == 422
    assert "role" in response.json()["error"]["fields"]
    assert not User.objects.filter(username="zhang.san").exists()


def test_bad_user_fields_are_named_together(demo, api):
    response = api("admin").post(
        "/api/v1/users",
        _new_user(
            username="bad name!",
            display_name=" ",
            mobile="12345",
            email="not-an-email",
            agent_number="工号1",
            organization_id=demo.departments[("D1", "CS")].pk,
        ),
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert {"username", "display_name", "mobile", "email", "agent_number"} <= set(fields)


def test_weak_password_is_refused_by_the_validators(demo, api):
    dept = demo.departments[("D1", "CS")].pk
    response = api("admin").post("/api/v1/users", _new_user(organization_id=dept, password="12345678"))
    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]


def test_duplicate_username_and_agent_number(demo, api):
    dept = demo.departments[("D1", "CS")].pk
    response = api("admin").post("/api/v1/users", _new_user(username="AGENT1", organization_id=dept))
    assert response.status_code == 409 and "username" in response.json()["error"]["fields"]
    first = api("admin").post("/api/v1/users", _new_user(organization_id=dept, agent_number="A-07"))
    assert first.status_code == 201
    second = api("admin").post(
        "/api/v1/users", _new_user(username="li.si", organization_id=dept, agent_number="A-07")
    )
    assert second.status_code == 409 and "agent_number" in second.json()["error"]["fields"]
    # the same number at another dealer is fine
    other = api("admin").post(
        "/api/v1/users",
        _new_user(username="li.si", organization_id=demo.dealers["D2"].pk, agent_number="A-07"),
    )
    assert other.status_code == 201


def test_generated_password_works_once_and_is_not_stored_in_clear(demo, api):
    dept = demo.departments[("D1", "CS")].pk
    body = api("gm1").post("/api/v1/users", _new_user(organization_id=dept, mobile="138 0013 8000")).json()
    password = body["password"]
    assert len(password) >= 12 and body["mobile"] == "13800138000"
    user = User.objects.get(username="zhang.san")
    assert password not in user.password
    assert Client().login(username="zhang.san", password=password)
    assert api("gm1").get(f"/api/v1/users/{user.pk}").json().get("password") is None


# --- organisations --------------------------------------------------------------------------------


def test_admin_builds_region_dealer_departments(demo, api):
    admin = api("admin")
    region = admin.post(
        "/api/v1/organizations",
        {"kind": "region", "name": "西南区", "code": "r-sw", "parent_id": demo.manufacturer.pk},
    )
    assert region.status_code == 201 and region.json()["code"] == "R-SW"
    dealer = admin.post(
        "/api/v1/organizations",
        {
            "kind": "dealer",
            "name": "成都锦程4S店",
            "code": "D9",
            "parent_id": region.json()["id"],
            "phone": "028-8888 6666",
        },
    )
    assert dealer.status_code == 201
    dept = admin.post(
        "/api/v1/organizations",
        {"kind": "department", "name": "客服部", "code": "D9-CS", "parent_id": dealer.json()["id"]},
    )
    assert dept.status_code == 201
    listed = admin.get(f"/api/v1/organizations?parent_id={dealer.json()['id']}").json()
    assert [o["code"] for o in listed] == ["D9-CS"]


@pytest.mark.parametrize(
    ("body", "status", "field_name"),
    [
        ({"kind": "dealer", "name": "x", "code": "D1"}, 422, "parent_id"),  # no parent
        ({"kind": "dealer", "name": "x", "code": "D1", "parent_id": "R-S"}, 409, "code"),  # taken
        ({"kind": "dealer", "name": "x", "code": "d1", "parent_id": "R-S"}, 409, "code"),  # case
        ({"kind": "dealer", "name": "x", "code": "D 9", "parent_id": "R-S"}, 422, "code"),
        ({"kind": "dealer", "name": "x", "code": "", "parent_id": "R-S"}, 422, "code"),
        ({"kind": "dealer", "name": "x", "code": "D9", "parent_id": "MFR"}, 422, "parent_id"),
        ({"kind": "department", "name": "x", "code": "D9", "parent_id": "R-S"}, 422, "parent_id"),
        ({"kind": "region", "name": "x", "code": "R9", "parent_id": "D1"}, 422, "parent_id"),
        ({"kind": "shop", "name": "x", "code": "S9", "parent_id": "R-S"}, 422, "kind"),
        ({"kind": "dealer", "name": "  ", "code": "D9", "parent_id": "R-S"}, 422, "name"),
        ({"kind": "dealer", "name": "x", "code": "D9", "parent_id": "R-S", "phone": "call me"}, 422, "phone"),
        ({"kind": "department", "name": "客服部", "code": "D1-CS2", "parent_id": "D1"}, 409, "name"),
    ],
)
def test_organisation_errors_name_the_field(demo, api, body, status, field_name):
    known = {"R-S": demo.regions["R-S"].pk, "MFR": demo.manufacturer.pk, "D1": demo.dealers["D1"].pk}
    body = {**body, **({"parent_id": known[body["parent_id"]]} if "parent_id" in body else {})}
    count = Organization.objects.count()
    response = api("admin").post("/api/v1/organizations", body)
    assert response.status_code == status, response.content
    assert field_name in response.json()["error"]["fields"]
    assert Organization.objects.count() == count


def test_kind_and_code_never_change(demo, api):
    dept = demo.departments[("D1", "CS")].pk
    response = api("admin").patch(f"/api/v1/organizations/{dept}", {"code": "X"})
    assert response.status_code == 422 and "code" in response.json()["error"]["fields"]


def test_general_manager_adds_departments_to_own_dealer_only(demo, api):
    response = api("gm1").post(
        "/api/v1/organizations",
        {"kind": "dealer", "name": "私设门店", "code": "D1X", "parent_id": demo.regions["R-S"].pk},
    )
    assert response.status_code == 403 and "kind" in response.json()["error"]["fields"]
    response = api("gm1").post(
        "/api/v1/organizations",
        {"kind": "department", "name": "二手车部", "code": "D2-USED", "parent_id": demo.dealers["D2"].pk},
    )
    assert response.status_code == 403 and "parent_id" in response.json()["error"]["fields"]


def test_deactivate_organisation_only_when_empty_and_not_selectable_after(demo, api):
    admin = api("admin")
    dept = demo.departments[("D1", "PARTS")]
    busy = demo.departments[("D1", "CS")]
    response = admin.patch(f"/api/v1/organizations/{busy.pk}", {"is_active": False})
    assert response.status_code == 422 and "is_active" in response.json()["error"]["fields"]
    response = admin.patch(f"/api/v1/organizations/{dept.pk}", {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert Organization.objects.filter(pk=dept.pk).exists()  # never deleted
    response = admin.post("/api/v1/users", _new_user(role="department_staff", organization_id=dept.pk))
    assert response.status_code == 422 and "organization_id" in response.json()["error"]["fields"]
    active = admin.get("/api/v1/organizations?include_inactive=false").json()
    assert dept.code not in {o["code"] for o in active}
    assert admin.patch(f"/api/v1/organizations/{dept.pk}", {"is_active": True}).json()["is_active"] is True


def test_admin_moves_a_dealer_and_its_scope_follows(demo, api):
    d2 = demo.dealers["D2"]
    response = api("admin").patch(f"/api/v1/organizations/{d2.pk}", {"parent_id": demo.regions["R-N"].pk})
    assert response.status_code == 200
    assert "D2" in {o["code"] for o in api("region2").get("/api/v1/organizations").json()}
    assert api("region1").get(f"/api/v1/organizations/{d2.pk}").status_code == 404


# --- deactivation and passwords -------------------------------------------------------------------


def test_deactivated_user_cannot_log_in_and_their_token_stops_at_once(demo, api, settings):
    settings.KESU_TOKEN_CACHE_SECONDS = 300  # the lookup is cached: deactivation must still win
    agent = demo.users["agent1"]
    theirs = ApiClient(agent)
    assert theirs.get("/api/v1/complaints").status_code == 200  # token now cached
    browser = Client()
    assert browser.login(username="agent1", password=PASSWORD)
    response = api("gm1").patch(f"/api/v1/users/{agent.pk}", {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert theirs.get("/api/v1/complaints").status_code == 401
    assert not ApiToken.objects.filter(user=agent).exists()
    assert browser.get("/queue/").status_code == 302  # the open session ends too
    assert not Client().login(username="agent1", password=PASSWORD)
    token = Client().post(
        "/api/v1/auth/token", {"username": "agent1", "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code == 401
    # reactivated: they log in again (a new token; the old one stays revoked)
    assert api("gm1").patch(f"/api/v1/users/{agent.pk}", {"is_active": True}).status_code == 200
    assert Client().login(username="agent1", password=PASSWORD)
    assert theirs.get("/api/v1/complaints").status_code == 401


def test_reset_password_generated_or_chosen(demo, api):
    agent = demo.users["agent1"]
    theirs = ApiClient(agent)
    response = api("gm1").post(f"/api/v1/users/{agent.pk}/reset-password", {})
    generated = response.json()["password"]
    assert response.status_code == 200 and len(generated) >= 12
    assert not Client().login(username="agent1", password=PASSWORD)
    assert Client().login(username="agent1", password=generated)
    assert theirs.get("/api/v1/complaints").status_code == 401
    response = api("gm1").post(f"/api/v1/users/{agent.pk}/reset-password", {"password": "agent1"})
    assert response.status_code == 422 and "password" in response.json()["error"]["fields"]
    response = api("admin").post(f"/api/v1/users/{agent.pk}/reset-password", {"password": "Temp-Pass-2026"})
    assert response.status_code == 200 and response.json()["password"] == ""
    assert Client().login(username="agent1", password="Temp-Pass-2026")
    entries = AdminLogEntry.objects.filter(user=agent, action="password_reset")
    assert entries.count() == 2


# --- hours and robots -----------------------------------------------------------------------------


def test_business_hours_round_trip_and_errors_name_the_day(demo, api):
    dealer = demo.dealers["D1"].pk
    gm = api("gm1")
    response = gm._send(
        "put", f"/api/v1/organizations/{dealer}/business-hours", {"monday": "08:30-12:00，13:30-18:00"}
    )
    assert response.status_code == 200
    assert response.json()["monday"] == "08:30-12:00, 13:30-18:00" and response.json()["sunday"] == ""
    response = gm._send("put", f"/api/v1/organizations/{dealer}/business-hours", {"tuesday": "18:00-08:00"})
    assert response.status_code == 422 and "tuesday" in response.json()["error"]["fields"]
    dept = demo.departments[("D1", "CS")].pk
    response = gm._send("put", f"/api/v1/organizations/{dept}/business-hours", {"monday": "09:00-17:00"})
    assert response.status_code == 422


def test_robot_url_must_be_the_providers(demo, api):
    dealer = demo.dealers["D1"].pk
    gm = api("gm1")
    for url in (
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
        "https://evil.example.com/hook",
        "robot",
    ):
        response = gm.post(f"/api/v1/organizations/{dealer}/robots", {"provider": "wecom", "url": url})
        assert response.status_code == 422 and "url" in response.json()["error"]["fields"], url
    response = gm.post(
        f"/api/v1/organizations/{dealer}/robots",
        {
            "provider": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
            "secret": "SEC1",
        },
    )
    assert response.status_code == 201
    assert response.json()["has_secret"] is True and "secret" not in response.json()
    response = gm.post(f"/api/v1/organizations/{dealer}/robots", {"provider": "slack", "url": WECOM})
    assert response.status_code == 422 and "provider" in response.json()["error"]["fields"]
    assert WebhookTarget.objects.count() == 1
