"""Every call endpoint and page, every kind of stranger: another dealer's people, the region
above another dealer, the manufacturer, anonymous, a role without the capability. Each is
refused (404 where the object is out of scope, 403 where the role lacks the capability) AND
changes nothing."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from conftest import PASSWORD
from kesu.calls import services
from kesu.calls.models import Call, CallAudit
from kesu.calls.services import CallInput
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_customer
from kesu.worklist.models import WorkItem

STRANGERS = ["agent2", "manager2", "dept3", "region2", "crc1", "pr1"]


@pytest.fixture
def call(demo):  # type: ignore[no-untyped-def]
    make_customer(demo, 1, mobile="13912345678")
    return services.record_call(
        actor=demo.users["agent1"],
        data=CallInput(
            number="13912345678",
            purpose="complaint",
            customer_said="刹车异响三次没修好",
            duration_seconds=120,
        ),
    )


@pytest.fixture
def audit(demo, call):  # type: ignore[no-untyped-def]
    (made,) = services.sample_calls(
        actor=demo.users["manager1"],
        date_from=timezone.localdate(),
        date_to=timezone.localdate(),
        per_agent=1,
    )
    return made


SCORE = {"greeting": 2, "identity": 1, "script_followed": 2, "satisfaction_asked": 0, "closing_courtesy": 2}
OBJECT_ENDPOINTS = [
    ("get", "/api/v1/calls/{call}", None),
    ("post", "/api/v1/calls/{call}/to-complaint", {"severity": "normal"}),
    ("get", "/api/v1/call-audits/{audit}", None),
    ("post", "/api/v1/call-audits/{audit}/score", SCORE),
]


def snapshot() -> tuple:  # type: ignore[type-arg]
    audits = list(CallAudit.objects.values_list("pk", "scored_at", "greeting"))
    return (Call.objects.count(), Complaint.objects.count(), WorkItem.objects.count(), audits)


@pytest.mark.parametrize(("method", "path", "body"), OBJECT_ENDPOINTS)
@pytest.mark.parametrize("stranger", [*STRANGERS, None])
def test_strangers_get_404_on_every_call_endpoint_and_change_nothing(
    demo, api, audit, method, path, body, stranger
):
    url = path.format(call=audit.call_id, audit=audit.pk)
    before = snapshot()
    response = getattr(api(stranger), method)(url, body) if body else getattr(api(stranger), method)(url)
    assert response.status_code == (401 if stranger is None else 404), (stranger, url, response.content)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "expected"),
    [("agent1", 201), ("manager1", 201), ("gm1", 201), ("dept1", 403), ("region1", 403)],
)
def test_who_may_turn_a_call_into_a_complaint(demo, api, call, username, expected):
    response = api(username).post(f"/api/v1/calls/{call.pk}/to-complaint", {})
    assert response.status_code == expected, response.content
    assert Complaint.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("agent1", 201),
        ("manager1", 201),
        ("dept1", 201),
        ("gm1", 201),
        ("region1", 403),
        ("crc1", 403),
        ("pr1", 403),
        ("quality1", 403),
        ("admin", 422),  # no dealer of their own: must name one
        (None, 401),
    ],
)
def test_who_may_log_a_call(demo, api, username, expected):
    response = api(username).post(
        "/api/v1/calls", {"number": "13912345678", "purpose": "enquiry", "duration_seconds": 30}
    )
    assert response.status_code == expected, response.content
    assert Call.objects.count() == (1 if expected == 201 else 0)


def test_an_administrator_logs_a_call_for_a_named_dealer(demo, api):
    body = {"number": "13912345678", "purpose": "enquiry", "dealer_id": demo.dealers["D2"].pk}
    assert api("admin").post("/api/v1/calls", body).status_code == 201
    assert Call.objects.get().dealer == demo.dealers["D2"]
    assert api("agent1").post("/api/v1/calls", body).json()["error"]["fields"].keys() == {"dealer_id"}


@pytest.mark.parametrize(
    ("username", "sample", "score", "scores"),
    [
        ("agent1", 403, 403, 403),
        ("dept1", 403, 403, 403),
        ("region1", 403, 403, 403),
        ("manager1", 201, 200, 200),
        ("gm1", 201, 200, 200),
    ],
)
def test_who_may_audit(demo, api, audit, username, sample, score, scores):
    for supervisor in ("manager1", "gm1"):  # each has a call the other may sample
        services.record_call(
            actor=demo.users[supervisor],
            data=CallInput(number="13912345678", purpose="enquiry", duration_seconds=9),
        )
    day = timezone.localdate().isoformat()
    client = api(username)
    response = client.post("/api/v1/call-audits/sample", {"date_from": day, "date_to": day, "per_agent": 1})
    assert response.status_code == sample, response.content
    assert client.post(f"/api/v1/call-audits/{audit.pk}/score", SCORE).status_code == score
    assert client.get("/api/v1/call-audits/scores").status_code == scores


def test_the_list_shows_only_calls_in_scope(demo, api, call):
    services.record_call(actor=demo.users["agent2"], data=CallInput(number="13912345678", purpose="enquiry"))
    assert api("agent1").get("/api/v1/calls").json()["count"] == 1
    assert api("region1").get("/api/v1/calls").json()["count"] == 2  # both dealers of the region
    for stranger in ("agent3", "region2", "crc1"):
        assert api(stranger).get("/api/v1/calls").json()["count"] == 0, stranger
    assert api("agent2").get(f"/api/v1/calls?customer_id={call.customer_id}").json()["count"] == 0


# --- pages ---------------------------------------------------------------------------------------

PAGES = [
    ("get", "/calls/{call}/"),
    ("post", "/calls/{call}/to-complaint/"),
    ("get", "/calls/audits/{audit}/"),
    ("post", "/calls/audits/{audit}/"),
]


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_every_call_page_that_takes_an_id_is_checked():
    found = set()

    def walk(patterns, prefix):  # type: ignore[no-untyped-def]
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif "call_id" in route or "audit_id" in route:
                found.add("/" + route.replace("<int:call_id>", "{call}").replace("<int:audit_id>", "{audit}"))

    walk(get_resolver().url_patterns, "")
    found = {route for route in found if not route.startswith("/api/")}
    assert found <= {path for _, path in PAGES}, found - {path for _, path in PAGES}


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize("stranger", ["agent2", "manager2", "dept3", "region2", "crc1"])
def test_strangers_get_404_on_every_call_page(demo, audit, method, path, stranger):
    url = path.format(call=audit.call_id, audit=audit.pk)
    before = snapshot()
    data = {**SCORE, "severity": "normal", "confirm": "on"}
    response = (
        getattr(client_for(stranger), method)(url, data)
        if method == "post"
        else client_for(stranger).get(url)
    )
    # the audit pages check the role first (403): a supervisor of another dealer gets 404
    expected = 404 if "audits" not in url or stranger == "manager2" else 403
    assert response.status_code == expected, (stranger, url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/calls/", {"agent1", "manager1", "dept1", "gm1", "region1", "crc1", "admin"}),
        ("/calls/new/", {"agent1", "manager1", "dept1", "gm1", "admin"}),
        ("/calls/lookup/?number=139", {"agent1", "manager1", "dept1", "gm1", "admin"}),
        ("/calls/audits/", {"manager1", "gm1", "admin"}),
        ("/calls/audits/scores/", {"manager1", "gm1"}),
    ],
)
def test_page_permissions_by_role(demo, path, allowed):
    for username in ("agent1", "manager1", "dept1", "gm1", "region1", "crc1", "admin"):
        status = client_for(username).get(path).status_code
        if username in allowed:
            assert status == 200, (username, path, status)
        else:
            assert status in (403, 422), (username, path, status)


def test_the_call_pages_in_chinese(demo, call):
    agent = client_for("agent1")
    listed = agent.get("/calls/").content.decode()
    assert (
        "来电记录" in listed and "抱怨" in listed and "139****5678" in listed and "13912345678" not in listed
    )
    page = agent.get(f"/calls/{call.pk}/").content.decode()
    assert "转为客诉" in page and "刹车异响三次没修好" in page
    assert 'data-testid="nav-calls"' in agent.get("/queue/").content.decode()
    assert 'data-testid="nav-calls"' not in client_for("crc1").get("/queue/").content.decode()
    assert agent.get("/calls/?purpose=nonsense").status_code == 422
