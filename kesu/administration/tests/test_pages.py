"""The administration pages through Django's test client: every page × every kind of caller, the
errors beside the field, Chinese text, and a new dealer set up end to end without a shell."""

from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from kesu.administration.models import AdminLogEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.notifications.models import WebhookTarget
from kesu.organizations.models import Organization, User
from kesu.sla.models import BusinessHours

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123"


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


VIEW = {"admin": 200, "gm1": 200, "gm2": 404, "region1": 200, "region2": 404}
CHANGE = {"admin": 302, "gm1": 302, "gm2": 404, "region1": 403, "region2": 404}

# (method, path, data, expected status by caller; anyone else 403). {dealer} D1, {dept} D1-CS,
# {agent} agent1, {robot} a robot of D1
PAGES: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
    ("get", "/manage/", {}, {"admin": 200, "gm1": 302, "gm2": 302, "region1": 302, "region2": 302}),
    ("get", "/manage/organizations/{dealer}/", {}, VIEW),
    # PIPL: reveals, exports and erasures — each general manager their dealer's, admins all
    ("get", "/manage/privacy/", {}, {"admin": 200, "gm1": 200, "gm2": 200}),
    ("get", "/manage/organizations/{dept}/", {}, VIEW),
    ("post", "/manage/organizations/{dept}/", {"form": "edit", "name": "客户服务部"}, CHANGE),
    ("post", "/manage/organizations/{parts}/", {"form": "deactivate"}, CHANGE),
    (
        "post",
        "/manage/organizations/{dealer}/",
        {"form": "child", "name": "二手车部", "code": "D1-USED"},
        {**CHANGE, "region1": 403},
    ),
    ("post", "/manage/organizations/{dealer}/", {"form": "edit", "name": "改名"}, {**CHANGE, "gm1": 403}),
    ("get", "/manage/organizations/{dealer}/hours/", {}, VIEW),
    (
        "post",
        "/manage/organizations/{dealer}/hours/",
        {"form": "hours", "organization_id": "{dealer}", "monday": "09:00-17:00"},
        CHANGE,
    ),
    (
        "post",
        "/manage/organizations/{dealer}/hours/",
        {"form": "override", "date": "2031-03-05", "note": "店庆"},
        CHANGE,
    ),
    ("get", "/manage/organizations/{dealer}/robots/", {}, VIEW),
    (
        "post",
        "/manage/organizations/{dealer}/robots/",
        {"form": "add", "provider": "wecom", "url": WECOM},
        CHANGE,
    ),
    ("post", "/manage/organizations/{dealer}/robots/", {"form": "off", "robot_id": "{robot}"}, CHANGE),
    ("get", "/manage/users/new/", {}, {"admin": 200, "gm1": 200, "gm2": 200}),
    (
        "post",
        "/manage/users/new/",
        {"username": "newagent", "display_name": "新客服", "role": "agent", "organization_id": "{dept}"},
        # gm2 cannot choose D1's department: the form refuses it beside the field
        {"admin": 201, "gm1": 201, "gm2": 422},
    ),
    ("get", "/manage/users/{agent}/", {}, VIEW),
    ("post", "/manage/users/{agent}/", {"form": "deactivate"}, CHANGE),
    ("post", "/manage/users/{agent}/", {"form": "password"}, {**CHANGE, "admin": 200, "gm1": 200}),
    (
        "post",
        "/manage/users/{agent}/",
        {"form": "edit", "display_name": "改名", "role": "agent", "organization_id": "{dept}"},
        CHANGE,
    ),
    ("get", "/manage/log/", {}, {"admin": 200, "gm1": 200, "gm2": 200}),
]
CALLERS = ["admin", "gm1", "gm2", "region1", "region2", "agent1", "manager1", "dept1", "crc1", "pr1"]


def _ids(demo: Any) -> dict[str, int]:
    dealer = demo.dealers["D1"]
    robot = WebhookTarget.objects.create(organization=dealer, provider="wecom", url=WECOM)
    return {
        "dealer": dealer.pk,
        "dept": demo.departments[("D1", "CS")].pk,
        "parts": demo.departments[("D1", "PARTS")].pk,  # no people: can be deactivated
        "agent": demo.users["agent1"].pk,
        "robot": robot.pk,
    }


def _state() -> tuple[Any, ...]:
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "name")),
        list(User.objects.order_by("pk").values_list("pk", "display_name", "is_active", "password")),
        list(BusinessHours.objects.values_list("organization_id", "weekday")),
        list(WebhookTarget.objects.order_by("pk").values_list("pk", "is_active")),
        AdminLogEntry.objects.count(),
    )


@pytest.mark.parametrize(("method", "path", "data", "expect"), PAGES, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("caller", CALLERS)
def test_page_permission_matrix(demo, method, path, data, expect, caller):
    ids = _ids(demo)
    url = path.format(**ids)
    data = {k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in data.items()}
    before = _state()
    response = getattr(client_for(caller), method)(url, data)
    expected = expect.get(caller, 403)
    assert response.status_code == expected, response.content.decode()[:2000]
    if expected in (403, 404) or (method == "post" and expected == 422):
        assert _state() == before
    if expected == 404:  # a stranger learns nothing about D1 (their own header names their own)
        assert "广州骏达" not in response.content.decode()
        assert "agent1" not in response.content.decode()


def test_anonymous_is_sent_to_login(db):
    for path in ("/manage/", "/manage/users/new/", "/manage/log/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_navigation_shows_manage_to_admin_and_general_manager_only(demo):
    for username, shown in (("admin", True), ("gm1", True), ("agent1", False), ("region1", False)):
        page = client_for(username).get("/queue/").content.decode()
        assert ('data-testid="nav-admin"' in page) is shown, username
        if shown:
            assert "管理" in page


def test_general_manager_page_is_their_dealer_in_chinese(demo):
    response = client_for("gm1").get("/manage/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "广州骏达4S店" in page
    assert "客服部" in page and "agent1" in page and "添加人员" in page
    assert "深圳鹏程" not in page and "agent2" not in page


def test_role_choices_stop_at_the_general_manager(demo):
    page = client_for("gm1").get("/manage/users/new/").content.decode()
    assert 'value="general_manager"' in page and 'value="agent"' in page
    assert 'value="admin"' not in page and 'value="crc_agent"' not in page
    response = client_for("gm1").post(
        "/manage/users/new/",
        {
            "username": "boss",
            "display_name": "老板",
            "role": "admin",
            "organization_id": demo.dealers["D1"].pk,
        },
    )
    assert response.status_code == 422 and 'data-testid="error-role"' in response.content.decode()
    assert not User.objects.filter(username="boss").exists()


def test_errors_are_shown_beside_the_field(demo):
    response = client_for("admin").post(
        "/manage/users/new/",
        {
            "username": "zhao",
            "display_name": "赵六",
            "role": "general_manager",
            "organization_id": demo.departments[("D1", "CS")].pk,
            "mobile": "1234",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="error-role"' in page  # a GM works at the dealer, not a department
    response = client_for("admin").post(
        f"/manage/organizations/{demo.dealers['D1'].pk}/",
        {"form": "child", "name": "新部门", "code": "D1-CS"},
    )
    assert response.status_code == 422 and 'data-testid="error-code"' in response.content.decode()
    response = client_for("gm1").post(
        f"/manage/organizations/{demo.dealers['D1'].pk}/robots/",
        {"form": "add", "provider": "dingtalk", "url": "https://example.com/x"},
    )
    assert response.status_code == 422 and 'data-testid="error-url"' in response.content.decode()


def test_generated_password_is_shown_once(demo):
    client = client_for("gm1")
    response = client.post(
        "/manage/users/new/",
        {
            "username": "wang.wu",
            "display_name": "王五",
            "role": "agent",
            "organization_id": demo.departments[("D1", "CS")].pk,
        },
    )
    assert response.status_code == 201
    page = response.content.decode()
    user = User.objects.get(username="wang.wu")
    shown = page.split('<code class="new-password">')[1].split("</code>")[0]
    assert Client().login(username="wang.wu", password=shown)
    again = client.get(f"/manage/users/{user.pk}/").content.decode()
    assert shown not in again
    reset = client.post(f"/manage/users/{user.pk}/", {"form": "password"})
    fresh = reset.content.decode().split('<code class="new-password">')[1].split("</code>")[0]
    assert fresh != shown and Client().login(username="wang.wu", password=fresh)


def test_admin_sets_up_a_dealer_whose_people_see_only_their_dealer(demo):
    """Region → dealer → departments → people, all through the pages; the new agent logs in and
    sees their dealer's complaints and nobody else's."""
    admin = client_for("admin")
    mfr = demo.manufacturer.pk
    response = admin.post(
        f"/manage/organizations/{mfr}/", {"form": "child", "name": "西南区", "code": "R-SW"}
    )
    assert response.status_code == 302
    region = Organization.objects.get(code="R-SW")
    response = admin.post(
        f"/manage/organizations/{region.pk}/",
        {"form": "child", "name": "成都锦程4S店", "code": "D9", "phone": "028-88886666"},
    )
    dealer = Organization.objects.get(code="D9")
    assert response["Location"].endswith(f"/manage/organizations/{dealer.pk}/")
    for code, name in (("D9-CS", "客服部"), ("D9-SVC", "售后服务部")):
        admin.post(f"/manage/organizations/{dealer.pk}/", {"form": "child", "name": name, "code": code})
    cs = Organization.objects.get(code="D9-CS")
    made = admin.post(
        "/manage/users/new/",
        {
            "username": "gm9",
            "display_name": "锦程总经理",
            "role": "general_manager",
            "organization_id": dealer.pk,
            "password": "Jincheng-GM-2026",
        },
    )
    assert made.status_code == 201
    # the new GM adds their own agent
    gm9 = client_for_password("gm9", "Jincheng-GM-2026")
    made = gm9.post(
        "/manage/users/new/",
        {
            "username": "agent9",
            "display_name": "锦程客服",
            "role": "agent",
            "organization_id": cs.pk,
            "password": "Jincheng-Agent-2026",
            "agent_number": "9001",
        },
    )
    assert made.status_code == 201
    agent9 = User.objects.get(username="agent9")
    hours = gm9.post(
        f"/manage/organizations/{dealer.pk}/hours/",
        {
            "form": "hours",
            "organization_id": dealer.pk,
            **{d: "08:30-17:30" for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
        },
    )
    assert hours.status_code == 302 and BusinessHours.objects.filter(organization=dealer).count() == 5

    # a complaint at the new dealer, registered by its agent through the intake rules
    from kesu import flows
    from kesu.complaints import services as complaint_services
    from kesu.customers import services as customer_services

    customer = customer_services.create_customer(
        actor=agent9,
        name="刘女士",
        mobile="13900009999",
        vehicle=customer_services.VehicleInput(plate="川A12345", model_name="轩逸"),
    )
    draft = complaint_services.ComplaintDraft(
        customer_id=customer.pk,
        vehicle_id=customer.vehicles.first().pk,  # type: ignore[union-attr]
        channel="phone",
        verbatim="空调不制冷，来店三次没修好",
    )
    mine = flows.create_complaint(actor=agent9, draft=draft)
    other = make_complaint(demo, 1, verbatim="发动机漏油，要求退车")

    agent_page = client_for_password("agent9", "Jincheng-Agent-2026").get("/queue/").content.decode()
    assert mine.number in agent_page and other.number not in agent_page
    assert "漏油" not in agent_page
    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        {"username": "agent9", "password": "Jincheng-Agent-2026"},
        content_type="application/json",
    ).json()["token"]
    listed = api.get("/api/v1/complaints", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [c["number"] for c in listed["results"]] == [mine.number]
    assert client_for("agent1").get("/queue/").content.decode().count(mine.number) == 0
    log = admin.get("/manage/log/").content.decode()
    assert "锦程" in log and "agent9" in log


def client_for_password(username: str, password: str) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def test_every_administration_page_is_in_the_matrix():
    from kesu.administration.urls import urlpatterns

    checked = {path for _, path, _, _ in PAGES}
    for pattern in urlpatterns:
        route = "/manage/" + str(pattern.pattern)
        route = route.replace("<int:organization_id>", "{dealer}").replace("<int:user_id>", "{agent}")
        assert route in checked or route.replace("{dealer}", "{dept}") in checked, route
