"""One customer per person (issue 11, item 3): intake finds the caller by number and never makes
a second customer silently; the typeahead finds by phone tail, plate and name within the dealer;
consent is asked; a manager merges two records (everything moves, logged); customers and
vehicles are edited with intake's rules, version-checked and logged."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.validators import normalize_mobile, with_check_digit
from kesu.customers import services
from kesu.customers.models import Customer, CustomerChange, CustomerMerge, PhoneReveal, Vehicle
from kesu.flows import merge_customers

PASSWORD = "test-pass-123"
OTHER_VIN = "LGBH52E00KY000002"


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def intake_form(**values: str) -> dict[str, str]:
    return {
        "name": "张先生",
        "mobile": "138 1234 1234",
        "plate": "粤A12345",
        "consent_sms": "yes",
        "consent_calls": "no",
        "channel": "phone",
        "severity": "normal",
        "verbatim": "刹车又响了，第三次来修",
        **values,
    }


# --- intake: the caller's number ------------------------------------------------------------


def test_intake_page_uses_the_existing_customer_for_the_same_name_and_number(demo):
    existing = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    response = client_for("agent1").post("/complaints/new/", intake_form(plate="粤B54321"))
    assert response.status_code == 302
    assert Customer.objects.filter(dealer=demo.dealers["D1"]).count() == 1
    complaint = Complaint.objects.get()
    assert complaint.customer_id == existing.pk
    assert complaint.vehicle is not None and complaint.vehicle.plate == "粤B54321"  # a new car of theirs
    assert existing.vehicles.count() == 2
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "张先生" in said and "已有" in said


def test_intake_page_warns_for_another_name_with_a_known_number_and_offers_the_customer(demo):
    existing = make_customer(demo, 1, mobile="13812341234")
    agent = client_for("agent1")
    response = agent.post("/complaints/new/", intake_form(name="李女士"))
    page = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="duplicate-warning"' in page and "138****1234" in page
    assert "13812341234" not in page.replace('value="13812341234"', "")  # masked in the warning
    assert f'name="customer_id" value="{existing.pk}"' in page
    assert Customer.objects.count() == 1 and not Complaint.objects.exists()
    # the agent picks the existing customer from the warning
    picked = agent.post("/complaints/new/", intake_form(name="李女士", customer_id=str(existing.pk)))
    assert picked.status_code == 302
    assert Complaint.objects.get().customer_id == existing.pk and Customer.objects.count() == 1


def test_intake_page_asks_consent_and_records_the_answer(demo):
    agent = client_for("agent1")
    page = agent.get("/complaints/new/").content.decode()
    assert 'name="consent_sms"' in page and "checked" not in page.split('data-testid="consent"')[1][:2000]
    unanswered = agent.post("/complaints/new/", intake_form(consent_sms="", consent_calls=""))
    assert unanswered.status_code == 422
    assert 'data-testid="error-consent_sms"' in unanswered.content.decode()
    assert not Customer.objects.exists()
    agent.post("/complaints/new/", intake_form(mobile="13900001111"))
    customer = Customer.objects.get()
    assert (customer.consent_sms, customer.consent_calls) == (True, False)


def test_api_intake_uses_the_existing_customer_and_says_so(demo, api):
    existing = make_customer(demo, 1, mobile="13812341234")
    body = {
        "channel": "phone",
        "verbatim": "空调不制冷",
        "customer": {"name": "张 先生", "mobile": "+86 138-1234-1234", "vehicle": {"plate": "粤A12345"}},
    }
    created = api("agent1").post("/api/v1/complaints", body)
    assert created.status_code == 201, created.content
    assert created.json()["customer_resolution"] == "existing"
    assert created.json()["customer"]["id"] == existing.pk
    assert created.json()["vehicle"]["id"] == existing.vehicles.get().pk
    assert Customer.objects.count() == 1


def test_api_intake_refuses_another_name_with_a_known_number_naming_the_field(demo, api):
    existing = make_customer(demo, 1, mobile="13812341234")
    body = {
        "channel": "phone",
        "verbatim": "空调不制冷",
        "customer": {"name": "李女士", "mobile": "13812341234"},
    }
    response = api("agent1").post("/api/v1/complaints", body)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate_customer" and error["existing_customer_id"] == existing.pk
    assert "customer.mobile" in error["fields"]
    assert Customer.objects.count() == 1 and not Complaint.objects.exists()


def test_api_intake_creates_a_new_caller_with_consent_only_when_given(demo, api):
    body = {"channel": "phone", "verbatim": "异响", "customer": {"name": "王女士", "mobile": "13700001234"}}
    created = api("agent1").post("/api/v1/complaints", body)
    assert created.status_code == 201 and created.json()["customer_resolution"] == "created"
    customer = Customer.objects.get()
    assert (customer.consent_sms, customer.consent_calls) == (False, False)
    bad = {**body, "customer": {"name": "王女士", "mobile": "1370000"}}
    assert "customer.mobile" in api("agent1").post("/api/v1/complaints", bad).json()["error"]["fields"]


def test_the_same_number_at_another_dealer_is_another_customer(demo, api):
    make_customer(demo, 2, mobile="13812341234")
    body = {"channel": "phone", "verbatim": "异响", "customer": {"name": "李女士", "mobile": "13812341234"}}
    assert api("agent1").post("/api/v1/complaints", body).json()["customer_resolution"] == "created"


def test_post_customers_refuses_a_duplicate_number(demo, api):
    existing = make_customer(demo, 1, mobile="13812341234")
    response = api("agent1").post("/api/v1/customers", {"name": "赵先生", "mobile": "138 1234 1234"})
    assert response.status_code == 409 and response.json()["error"]["existing_customer_id"] == existing.pk
    assert "mobile" in response.json()["error"]["fields"]


@pytest.mark.django_db(transaction=True)
def test_two_agents_registering_one_new_caller_at_once_make_one_customer(demo):
    from django.db import connection

    errors: list[Exception] = []

    def register() -> None:
        try:
            services.intake_customer(actor=demo.users["agent1"], name="孙先生", mobile="13600001111")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Customer.objects.filter(mobile="13600001111").count() == 1
    assert not [e for e in errors if "locked" not in str(e)], errors


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(["", "+86", "0086", "+86 "]),
    sep=st.sampled_from(["", " ", "-"]),
    width=st.booleans(),
)
def test_any_way_of_writing_the_number_finds_the_same_customer(demo, prefix, sep, width):
    mobile = "13812345678"
    existing = Customer.objects.filter(mobile=mobile).first() or make_customer(demo, 1, mobile=mobile)
    typed = prefix + sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    if width:  # a Chinese IME's full-width digits
        typed = typed.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789+"})
    assert normalize_mobile(typed) == mobile
    found = services.intake_customer(actor=demo.users["agent1"], name="张先生", mobile=typed)
    assert found.existing and found.customer.pk == existing.pk


# --- the typeahead ---------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["1234", "138123", "粤A123", "a12345", "张先", "Y123450"])
def test_lookup_finds_by_phone_tail_plate_name_within_the_dealer(demo, term):
    mine = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    make_customer(demo, 2, mobile="13812341234", plate="粤A12346")  # another dealer's: never shown
    response = client_for("agent1").get("/customers/lookup/", {"lookup": term})
    page = response.content.decode()
    assert f'data-customer="{mine.pk}"' in page, page
    assert page.count("data-customer=") == 1
    assert "138****1234" in page and "13812341234" not in page


@pytest.mark.django_db(transaction=True)
def test_picking_a_match_fills_the_intake_form(demo, browser, live_server):
    from kesu.web.tests.browser import login

    customer = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    page = login(browser, live_server, "agent1")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("[data-testid=lookup]", "1234")
    page.click(f"button.match[data-customer='{customer.pk}']")
    assert page.input_value("#id_customer_id") == str(customer.pk)
    assert page.locator("#new-customer").is_hidden()


# --- merge -----------------------------------------------------------------------------------


def two_records(demo):  # type: ignore[no-untyped-def]
    kept = make_complaint(demo, 1, verbatim="刹车异响").customer
    duplicate = make_customer(
        demo, 1, mobile="13812341234", plate="粤B22222", vin=with_check_digit(OTHER_VIN)
    )
    other_complaint = make_complaint(demo, 1, verbatim="空调不冷", customer=duplicate)
    services.reveal_mobile(actor=demo.users["agent1"], customer_id=duplicate.pk)
    return kept, duplicate, other_complaint


def test_a_manager_merges_a_duplicate_everything_moves_and_is_logged(demo, api):
    kept, duplicate, moved_complaint = two_records(demo)
    duplicate_vehicle = duplicate.vehicles.get()
    response = api("manager1").post(f"/api/v1/customers/{kept.pk}/merge", {"other_id": duplicate.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["merged_id"] == duplicate.pk and body["moved"]["complaints"] == [moved_complaint.pk]
    assert body["moved"]["vehicles"] == [duplicate_vehicle.pk]
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert set(Complaint.objects.values_list("customer_id", flat=True)) == {kept.pk}
    assert set(Vehicle.objects.values_list("customer_id", flat=True)) == {kept.pk}
    assert PhoneReveal.objects.get().customer_id == kept.pk
    entry = TimelineEntry.objects.filter(complaint=moved_complaint).last()
    assert entry is not None and f"#{duplicate.pk}" in entry.note and f"#{kept.pk}" in entry.note
    log = CustomerMerge.objects.get()
    assert (log.kept_id, log.merged_id, log.actor.username) == (kept.pk, duplicate.pk, "manager1")
    page = client_for("manager1").get(f"/customers/{kept.pk}/").content.decode()
    assert f"#{duplicate.pk}" in page and str(moved_complaint.pk) in page  # the log shows what moved


def test_merge_folds_the_same_car_into_one_vehicle(demo):
    kept = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    duplicate = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    complaint = make_complaint(demo, 1, customer=duplicate)
    log = merge_customers(actor=demo.users["gm1"], customer_id=kept.pk, other_id=duplicate.pk)
    complaint.refresh_from_db()
    assert complaint.vehicle_id == kept.vehicles.get().pk and Vehicle.objects.count() == 1
    assert log.moved["vehicles_folded"]


@pytest.mark.parametrize(
    ("who", "other", "status", "code"),
    [
        ("manager1", "itself", 422, "invalid"),
        ("manager1", "other_dealer", 404, "not_found"),  # out of the manager's scope
        ("admin", "other_dealer", 422, "invalid"),  # seen, but another dealer's
        ("manager1", "absent", 404, "not_found"),
        ("agent1", "duplicate", 403, "forbidden"),
        ("manager2", "duplicate", 404, "not_found"),
    ],
)
def test_merge_errors_change_nothing(demo, api, who, other, status, code):
    kept, duplicate, _ = two_records(demo)
    foreign = make_customer(demo, 2, mobile="13812341234")
    other_id = {"itself": kept.pk, "other_dealer": foreign.pk, "absent": 999999, "duplicate": duplicate.pk}[
        other
    ]
    response = api(who).post(f"/api/v1/customers/{kept.pk}/merge", {"other_id": other_id})
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    if code in ("invalid",):
        assert "other_id" in response.json()["error"]["fields"]
    assert Customer.objects.count() == 3 and not CustomerMerge.objects.exists()


def test_merging_twice_says_it_was_already_merged(demo, api):
    kept, duplicate, _ = two_records(demo)
    manager = api("manager1")
    assert manager.post(f"/api/v1/customers/{kept.pk}/merge", {"other_id": duplicate.pk}).status_code == 200
    again = manager.post(f"/api/v1/customers/{kept.pk}/merge", {"other_id": duplicate.pk})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_merged"
    assert again.json()["error"]["kept_id"] == kept.pk


def test_merge_page_needs_the_confirmation_and_moves_everything(demo):
    kept, duplicate, moved_complaint = two_records(demo)
    manager = client_for("manager1")
    page = manager.get(f"/customers/{kept.pk}/").content.decode()
    assert 'data-testid="merge-form"' in page and f'value="{duplicate.pk}"' in page
    unconfirmed = manager.post(f"/customers/{kept.pk}/merge/", {"other_id": duplicate.pk})
    assert unconfirmed.status_code == 422 and Customer.objects.filter(pk=duplicate.pk).exists()
    done = manager.post(f"/customers/{kept.pk}/merge/", {"other_id": duplicate.pk, "confirm": "on"})
    assert done.status_code == 302
    moved_complaint.refresh_from_db()
    assert moved_complaint.customer_id == kept.pk
    assert (
        'data-testid="merge-form"' not in client_for("agent1").get(f"/customers/{kept.pk}/").content.decode()
    )


# --- edits -----------------------------------------------------------------------------------


def test_patch_customer_validates_like_intake_and_logs_the_change(demo, api):
    customer = make_customer(demo, 1, mobile="13812341234")
    make_customer(demo, 1, mobile="13900001111")
    agent = api("agent1")
    url = f"/api/v1/customers/{customer.pk}"
    assert "mobile" in agent.patch(url, {"version": 1, "mobile": "12345"}).json()["error"]["fields"]
    taken = agent.patch(url, {"version": 1, "mobile": "139 0000 1111"})
    assert taken.status_code == 409 and "mobile" in taken.json()["error"]["fields"]
    done = agent.patch(url, {"version": 1, "name": "张伟", "mobile": "13700001111", "consent_sms": True})
    assert done.status_code == 200 and done.json()["version"] == 2
    assert done.json()["mobile_masked"] == "137****1111"
    change = CustomerChange.objects.get()
    assert change.actor.username == "agent1"
    assert change.changes["name"] == ["张先生", "张伟"]
    assert change.changes["mobile"] == ["138****1234", "137****1111"]  # masked in the log too


def test_two_editors_never_overwrite_each_other(demo, api):
    customer = make_customer(demo, 1)
    vehicle = customer.vehicles.get()
    agent, manager = api("agent1"), api("manager1")
    assert (
        agent.patch(f"/api/v1/customers/{customer.pk}", {"version": 1, "notes": "喜欢下午来电"}).status_code
        == 200
    )
    stale = manager.patch(f"/api/v1/customers/{customer.pk}", {"version": 1, "notes": "只发短信"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    customer.refresh_from_db()
    assert customer.notes == "喜欢下午来电"
    assert (
        agent.patch(f"/api/v1/vehicles/{vehicle.pk}", {"version": 1, "mileage_km": 20000}).status_code == 200
    )
    stale = manager.patch(f"/api/v1/vehicles/{vehicle.pk}", {"version": 1, "mileage_km": 1})
    assert stale.status_code == 409


def test_patch_vehicle_validates_plate_and_vin(demo, api):
    vehicle = make_customer(demo, 1).vehicles.get()
    agent = api("agent1")
    url = f"/api/v1/vehicles/{vehicle.pk}"
    assert "plate" in agent.patch(url, {"version": 1, "plate": "粤O12345"}).json()["error"]["fields"]
    assert "vin" in agent.patch(url, {"version": 1, "vin": "LGBH52E05KY12345"}).json()["error"]["fields"]
    done = agent.patch(url, {"version": 1, "plate": "粤b 54321"})
    assert done.status_code == 200 and done.json()["plate"] == "粤B54321"
    assert CustomerChange.objects.get().vehicle_id == vehicle.pk


@pytest.mark.parametrize("stranger", ["agent2", "manager2", "crc1", "region2"])
def test_edits_and_merges_of_another_dealers_customer_are_404(demo, api, stranger):
    customer = make_customer(demo, 1)
    vehicle = customer.vehicles.get()
    client = api(stranger)
    for response in (
        client.patch(f"/api/v1/customers/{customer.pk}", {"version": 1, "notes": "x"}),
        client.patch(f"/api/v1/vehicles/{vehicle.pk}", {"version": 1, "model_name": "x"}),
        client.post(f"/api/v1/customers/{customer.pk}/merge", {"other_id": customer.pk + 1}),
    ):
        assert response.status_code == 404, response.content
    pages = client_for(stranger)
    assert pages.post(f"/customers/vehicles/{vehicle.pk}/edit/", {"version": 1}).status_code == 404
    customer.refresh_from_db()
    assert customer.version == 1 and not CustomerChange.objects.exists()


def test_edit_page_shows_errors_beside_the_field_and_saves(demo):
    customer = make_customer(demo, 1)
    make_customer(demo, 1, mobile="13900001111")
    agent = client_for("agent1")
    form = {"version": 1, "name": "张先生", "mobile": "13900001111"}
    taken = agent.post(f"/customers/{customer.pk}/edit/", form, HTTP_HX_REQUEST="true")
    assert taken.status_code == 409 and 'data-testid="error-mobile"' in taken.content.decode()
    saved = agent.post(
        f"/customers/{customer.pk}/edit/", {**form, "mobile": "", "is_vip": "on"}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 204 and saved["HX-Redirect"] == f"/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert customer.is_vip and customer.mobile == "13812341234" and customer.version == 2
    stale = agent.post(f"/customers/{customer.pk}/edit/", {**form, "mobile": "", "version": 1})
    assert stale.status_code == 409 and 'data-testid="form-error"' in stale.content.decode()


def test_merge_moves_the_calls_logged_for_the_duplicate(demo):
    """Apps that keep a customer without a reverse name (calls, appointments) move too: the
    duplicate's call log is the kept customer's, not orphaned."""
    from kesu.calls.models import Call
    from kesu.calls.services import CallInput, record_call

    kept = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    duplicate = make_customer(demo, 1, mobile="13812341234", plate="粤B54321")
    call = record_call(
        actor=demo.users["agent1"],
        data=CallInput(
            number="13812341234", purpose="enquiry", customer_id=duplicate.pk, customer_said="保养多少钱"
        ),
    )
    log = merge_customers(actor=demo.users["gm1"], customer_id=kept.pk, other_id=duplicate.pk)
    assert Call.objects.get(pk=call.pk).customer_id == kept.pk
    assert log.moved["calls.call"] == [call.pk]
