"""Every appointment endpoint and page, every kind of stranger: another dealer's people, the
region above another dealer, the manufacturer, anonymous, a role without the capability. Each is
refused (404 where the appointment is out of scope, 403 where the role may not book) AND changes
nothing; lists show only what is in scope."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from conftest import PASSWORD
from kesu.appointments import services
from kesu.appointments.models import Appointment
from kesu.appointments.services import BookingInput
from kesu.worklist.models import WorkItem

from .conftest import at

# another dealer's people may book (404: not theirs); the others may not book at all (403)
OTHER_DEALER = ["agent2", "manager2", "gm2"]
NO_BOOKING = ["dept3", "region2", "crc1", "pr1", "quality1"]


@pytest.fixture
def appointment(demo, day):  # type: ignore[no-untyped-def]
    return services.book(
        actor=demo.users["agent1"],
        data=BookingInput(
            plate="粤A12345",
            name="张先生",
            mobile="13912345678",
            arrival_at=at(day, "09:30"),
            work_items=["repair"],
        ),
    )


def snapshot() -> tuple:  # type: ignore[type-arg]
    rows = list(Appointment.objects.values_list("pk", "state", "slot_start", "confirmed_at"))
    return rows, list(WorkItem.objects.values_list("pk", "state", "due_at"))


ACTIONS = [
    ("post", "/api/v1/appointments/{a}/cancel", {"reason": "越权"}),
    ("post", "/api/v1/appointments/{a}/confirm", {"note": "越权"}),
    ("post", "/api/v1/appointments/{a}/arrived", {}),
    ("post", "/api/v1/appointments/{a}/no-show", {}),
    ("post", "/api/v1/appointments/{a}/reschedule", {"arrival_at": "{later}"}),
]


@pytest.mark.parametrize(("method", "path", "payload"), [("get", "/api/v1/appointments/{a}", None), *ACTIONS])
@pytest.mark.parametrize("stranger", [*OTHER_DEALER, *NO_BOOKING, None])
def test_strangers_are_refused_on_every_appointment_endpoint_and_change_nothing(
    api, appointment, day, method, path, payload, stranger
):
    url = path.format(a=appointment.pk)
    body = {k: (at(day, "10:30").isoformat() if v == "{later}" else v) for k, v in (payload or {}).items()}
    before = snapshot()
    client = api(stranger)
    response = client.get(url) if method == "get" else client.post(url, body)
    expected = 401 if stranger is None else 403 if (stranger in NO_BOOKING and method == "post") else 404
    assert response.status_code == expected, (stranger, url, response.content)
    assert "13912345678" not in response.content.decode() and "张先生" not in response.content.decode()
    assert snapshot() == before


def test_every_appointment_endpoint_that_takes_an_id_is_in_the_matrix(api):
    spec = api(None).get("/api/openapi.json").json()
    listed = {(m, p) for m, p, _ in [("get", "/api/v1/appointments/{a}", None), *ACTIONS]}
    found = set()
    for path, operations in spec["paths"].items():
        if "{appointment_id}" in path:
            found |= {(method, path.replace("{appointment_id}", "{a}")) for method in operations}
    assert found == listed


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("agent1", 201),
        ("manager1", 201),
        ("gm1", 201),
        ("dept1", 403),
        ("region1", 403),
        ("crc1", 403),
        ("pr1", 403),
        ("quality1", 403),
        ("admin", 422),  # no dealer of their own: names one
        (None, 401),
    ],
)
def test_who_may_book(api, day, username, expected):
    body = {
        "plate": "粤A12345",
        "name": "张先生",
        "mobile": "13912345678",
        "arrival_at": at(day, "09:30").isoformat(),
        "work_items": ["maintenance"],
    }
    response = api(username).post("/api/v1/appointments", body)
    assert response.status_code == expected, response.content
    assert Appointment.objects.count() == (1 if expected == 201 else 0)


def test_an_administrator_books_for_a_named_dealer_and_an_agent_only_for_their_own(api, demo, day):
    body = {
        "plate": "粤B12345",
        "name": "李女士",
        "mobile": "13912345678",
        "arrival_at": at(day, "09:30").isoformat(),
        "work_items": ["maintenance"],
        "dealer_id": demo.dealers["D2"].pk,
    }
    assert api("admin").post("/api/v1/appointments", body).status_code == 201
    assert Appointment.objects.get().dealer == demo.dealers["D2"]
    refused = api("agent1").post("/api/v1/appointments", body)
    assert refused.status_code == 422 and set(refused.json()["error"]["fields"]) == {"dealer_id"}


def test_lists_slots_and_reports_show_only_what_is_in_scope(api, demo, appointment, day):
    theirs = demo.dealers["D2"].pk
    services.book(
        actor=demo.users["agent2"],
        data=BookingInput(
            plate="粤B12345",
            name="王女士",
            mobile="13700000000",
            arrival_at=at(day, "09:30"),
            work_items=["repair"],
        ),
    )
    count = {
        user: len(api(user).get(f"/api/v1/appointments?date={day}").json())
        for user in ("agent1", "agent2", "region1", "region2", "crc1", "dept1", "admin")
    }
    assert count == {"agent1": 1, "agent2": 1, "region1": 2, "region2": 0, "crc1": 0, "dept1": 1, "admin": 2}
    assert api("agent1").get(f"/api/v1/appointments?date={day}&dealer={theirs}").json() == []
    for path in (
        f"/api/v1/appointment-slots?date={day}&dealer={theirs}",
        f"/api/v1/appointment-report?dealer={theirs}",
        f"/api/v1/appointment-plan?dealer={theirs}",
    ):
        assert api("region2").get(path).status_code == 404, path
    # an agent naming another dealer gets 404 too; their own dealer without naming it
    assert api("agent1").get(f"/api/v1/appointment-slots?date={day}&dealer={theirs}").status_code == 404
    assert api("region1").get(f"/api/v1/appointment-slots?date={day}&dealer={theirs}").status_code == 200
    report = api("agent2").get(f"/api/v1/appointment-report?date_from={day}").json()
    assert report["days"][0]["total"] == 1 and report["dealer_id"] == theirs
    assert api("crc1").get(f"/api/v1/appointment-slots?date={day}").status_code == 422


# --- pages ---------------------------------------------------------------------------------------

PAGES = [
    ("get", "/appointments/{a}/"),
    ("post", "/appointments/{a}/confirm/"),
    ("post", "/appointments/{a}/cancel/"),
    ("post", "/appointments/{a}/reschedule/"),
    ("post", "/appointments/{a}/arrived/"),
    ("post", "/appointments/{a}/no-show/"),
]


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_every_appointment_page_that_takes_an_id_is_checked():
    found = set()

    def walk(patterns, prefix):  # type: ignore[no-untyped-def]
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif "appointment_id" in route:
                found.add("/" + route.replace("<int:appointment_id>", "{a}"))

    walk(get_resolver().url_patterns, "")
    found = {route for route in found if not route.startswith("/api/")}  # the API: above
    assert found == {path for _, path in PAGES}


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize("stranger", [*OTHER_DEALER, *NO_BOOKING])
def test_strangers_are_refused_on_every_appointment_page(appointment, day, method, path, stranger):
    url = path.format(a=appointment.pk)
    before = snapshot()
    client = client_for(stranger)
    data = {
        "reason": "越权",
        "note": "越权",
        "day": day.isoformat(),
        "arrival_at": at(day, "10:30").isoformat(),
    }
    response = client.get(url) if method == "get" else client.post(url, data)
    expected = 403 if (stranger in NO_BOOKING and method == "post") else 404
    assert response.status_code == expected, (stranger, url, response.status_code)
    assert "13912345678" not in response.content.decode() and "张先生" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/appointments/new/", {"agent1", "manager1", "gm1", "admin"}),
        ("/appointments/book-inline/", {"agent1", "manager1", "gm1", "admin"}),
        ("/appointments/", {"agent1", "manager1", "dept1", "gm1", "region1", "crc1", "admin"}),
        ("/appointments/report/", {"agent1", "manager1", "dept1", "gm1"}),
        ("/appointments/slots/", {"agent1", "manager1", "dept1", "gm1"}),
        ("/appointments/board/", {"agent1", "manager1", "dept1", "gm1"}),
        ("/appointments/board/rows/", {"agent1", "manager1", "dept1", "gm1"}),
    ],
)
def test_who_sees_each_page(demo, hours, path, allowed):
    for username in ("agent1", "manager1", "dept1", "gm1", "region1", "crc1", "admin"):
        status = client_for(username).get(path).status_code
        # without a dealer of their own (region, manufacturer, admin) the dealer pages ask for one
        assert (status == 200) == (username in allowed), (username, path, status)
        assert status in (200, 403, 422), (username, path, status)


def test_anonymous_is_sent_to_log_in(db):
    for path in ("/appointments/", "/appointments/board/", "/appointments/new/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_dealers_board_and_lists_never_show_the_booking(appointment, day, demo):
    for username in ("agent2", "gm2"):
        client = client_for(username)
        for path in (
            f"/appointments/board/?date={day}&dealer={demo.dealers['D1'].pk}",
            f"/appointments/?date={day}",
            f"/appointments/slots/?date={day}",
            f"/appointments/report/?date_from={day}",
        ):
            page = client.get(path).content.decode()
            assert "粤A·***45" not in page and "粤A12345" not in page, (username, path)
