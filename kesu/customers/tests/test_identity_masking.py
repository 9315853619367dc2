"""Issue 16 (2), PIPL: customers' names, plates and VINs masked on every page and API answer for
the roles that work from statistics and the case (region, PR, quality), in full for those who
talk to the customer or work on the car; a masked role cannot recover them by fragment search."""

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.privacy import unmasked, viewing
from kesu.core.redact import mask_identifiers
from kesu.core.validators import mask_name, mask_plate, mask_vin
from kesu.customers.models import Customer, Vehicle

NAME, PLATE, MOBILE = "欧阳建国", "粤A12345", "13812341234"
MASKED_ROLES = ["region1", "pr1", "quality1"]
FULL_ROLES = ["agent1", "manager1", "gm1", "crc1", "admin"]
WORDS = f"我的车{PLATE}刹车异响，车架号{{vin}}，打{MOBILE}找我"


@pytest.fixture
def case(demo) -> Complaint:  # type: ignore[no-untyped-def]
    """A complaint escalated to the carmaker (so the manufacturer's roles see it), the customer's
    plate and VIN also quoted in their own words."""
    customer = make_customer(demo, 1)
    Customer.objects.filter(pk=customer.pk).update(name=NAME)
    vin = customer.vehicles.get().vin
    complaint = make_complaint(demo, 1, customer=customer, verbatim=WORDS.format(vin=vin))
    Complaint.objects.filter(pk=complaint.pk).update(escalated_at=timezone.now())
    return complaint


def _vin(case: Complaint) -> str:
    return Vehicle.objects.get(pk=case.vehicle_id or 0).vin


def _browser(username: str) -> Client:
    browser = Client()
    assert browser.login(username=username, password=PASSWORD)
    return browser


def _pages(case: Complaint, username: str) -> dict[str, str]:
    browser = _browser(username)
    pages = {
        "complaint": browser.get(f"/complaints/{case.pk}/"),
        "queue": browser.get("/queue/?view=all"),
        "customer": browser.get(f"/customers/{case.customer_id}/"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, (name, page.status_code)
    return {name: page.content.decode() for name, page in pages.items()}


def _answers(api, case: Complaint, username: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    client = api(username)
    answers = {
        "complaint": client.get(f"/api/v1/complaints/{case.pk}"),
        "complaints": client.get("/api/v1/complaints?view=all"),
        "customer": client.get(f"/api/v1/customers/{case.customer_id}"),
        "vehicle": client.get(f"/api/v1/vehicles/{case.vehicle_id}"),
        "timeline": client.get(f"/api/v1/complaints/{case.pk}/timeline"),
    }
    for name, answer in answers.items():
        assert answer.status_code == 200, (name, answer.content)
    return {name: answer.content.decode("unicode_escape") for name, answer in answers.items()}


def test_the_masks():
    assert mask_name("欧阳建国") == "欧***" and mask_name("张三") == "张*"
    assert mask_plate("粤A12345") == "粤A·***45" and mask_plate("粤BD12345") == "粤B·****45"
    assert mask_vin("LFV2A21K5N3123456") == "LFV2A21K5N3******"
    assert (
        mask_identifiers("粤B 12345 和 139-1234-5678，LFV2A21K5N3123456")
        == "粤B·***45 和 139****5678，LFV2A21K5N3******"
    )


@pytest.mark.parametrize("username", MASKED_ROLES)
def test_a_masked_role_never_sees_the_name_plate_or_vin(case, api, username):
    vin = _vin(case)
    shown = _pages(case, username) | {f"api {k}": v for k, v in _answers(api, case, username).items()}
    for where, text in shown.items():
        for value in (NAME, PLATE, vin):
            assert value not in text, (where, value)
    for where in ("complaint", "customer", "api complaint", "api customer"):
        assert "欧***" in shown[where], where
    for where in ("complaint", "api complaint", "api vehicle"):
        assert "粤A·***45" in shown[where] and f"{vin[:11]}******" in shown[where], where
    # the customer's own words: the plate, VIN and number they quoted are masked too
    assert f"我的车粤A·***45刹车异响，车架号{vin[:11]}******，打138****1234找我" in shown["api complaint"]


@pytest.mark.parametrize("username", FULL_ROLES)
def test_the_front_desk_and_the_crc_see_them_in_full(case, api, username):
    vin = _vin(case)
    page = _pages(case, username)["complaint"]
    answer = _answers(api, case, username)["complaint"]
    for value in (NAME, PLATE, vin, WORDS.format(vin=vin)):
        assert value in page and value in answer, value


def test_the_department_working_on_the_car_sees_them(demo, case, api):
    Complaint.objects.filter(pk=case.pk).update(department=demo.departments[("D1", "SVC")])
    answer = api("dept1").get(f"/api/v1/complaints/{case.pk}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    shown = (body["customer"]["name"], body["vehicle"]["plate"], body["vehicle"]["vin"])
    assert shown == (NAME, PLATE, _vin(case))


def test_a_masked_viewers_request_saves_the_stored_values(demo, case, api):
    """The region manager escalates (a write that saves the complaint while its words read
    masked): the stored words, name, plate and VIN are unchanged."""
    before = Complaint.objects.get(pk=case.pk).verbatim
    escalation = {"action": "escalate", "reason": "客户要求厂方介入"}
    answer = api("region1").post(f"/api/v1/complaints/{case.pk}/transitions", escalation)
    assert answer.status_code == 200, answer.content
    assert Complaint.objects.get(pk=case.pk).verbatim == before
    assert Customer.objects.get(pk=case.customer_id).name == NAME
    assert Vehicle.objects.filter(plate=PLATE, pk=case.vehicle_id).exists()
    with viewing(lambda: True):  # loaded masked, refreshed and saved: still the stored values
        vehicle = Vehicle.objects.get(pk=case.vehicle_id)
        assert vehicle.plate == "粤A·***45"
        vehicle.refresh_from_db()
        vehicle.save()
        with unmasked():
            assert vehicle.plate == PLATE
    assert Vehicle.objects.get(pk=case.vehicle_id).plate == PLATE


def _queue(api, username: str, term: str) -> list[int]:  # type: ignore[no-untyped-def]
    answer = api(username).get("/api/v1/complaints?view=all", private=f"q={term}")
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["results"]]


def _customers(api, username: str, term: str) -> list[int]:  # type: ignore[no-untyped-def]
    answer = api(username).get("/api/v1/customers", private=f"q={term}")
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()]


@pytest.mark.parametrize("username", ["region1", "quality1"])
def test_a_masked_role_finds_names_plates_and_vins_only_whole(case, api, username):
    vin = _vin(case)
    fragments = ["欧阳", "欧阳建", "粤A1", "粤A123", "A1234", "12345", vin[:12], vin[-6:], vin[-8:], vin[:-1]]
    for fragment in fragments:
        assert _queue(api, username, fragment) == [], fragment
        assert _customers(api, username, fragment) == [], fragment
    for whole in (NAME, PLATE, "粤a 12345", vin, vin.lower()):
        assert _queue(api, username, whole) == [case.pk], whole
        assert _customers(api, username, whole) == [case.customer_id], whole
    assert _queue(api, username, "刹车异响") == [case.pk]  # the customer's words still searched
    assert _queue(api, username, "1234") == [case.pk]  # the phone's last four, as before


def test_the_front_desk_still_finds_by_fragment(case, api):
    vin = _vin(case)
    for fragment in ("欧阳", "粤A123", vin[-6:]):
        assert _queue(api, "agent1", fragment) == [case.pk], fragment
        assert _customers(api, "agent1", fragment) == [case.customer_id], fragment


def test_the_queue_page_search_is_whole_only_for_a_masked_role(case):
    browser = _browser("region1")
    page = browser.get("/queue/?view=all", HTTP_X_KESU_QUERY="q=粤A123", HTTP_HX_REQUEST="true")
    assert case.number not in page.content.decode()
    page = browser.get("/queue/?view=all", HTTP_X_KESU_QUERY=f"q={PLATE}", HTTP_HX_REQUEST="true")
    assert case.number in page.content.decode()
