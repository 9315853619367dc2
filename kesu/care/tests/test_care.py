"""Care lists end to end: generation (incremental), campaigns, outcomes, SMS and scope."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kesu.care.choices import CareKind, CareState
from kesu.care.models import CareItem, CareWatermark, ConsentLog, CustomerCare, VehicleCare
from kesu.care.services import generate_care_lists
from kesu.complaints.tests.factories import make_customer
from kesu.core.validators import with_check_digit
from kesu.customers.models import Customer, CustomerChange, Vehicle
from kesu.notifications.models import Delivery
from kesu.worklist.choices import WorkKind, WorkState
from kesu.worklist.models import WorkItem

TODAY = timezone.localdate()


def car(
    demo, dealer=1, *, mobile="13812341234", plate="粤A12345", sms=True, last_service=None, vin="", **facts
):  # type: ignore[no-untyped-def]
    customer = make_customer(demo, dealer, mobile=mobile, plate=plate, vin=vin)
    Customer.objects.filter(pk=customer.pk).update(consent_sms=sms)
    vehicle = customer.vehicles.get()
    Vehicle.objects.filter(pk=vehicle.pk).update(
        purchase_date=facts.get("purchase", date(2020, 1, 1)),
        mileage_km=facts.get("km", 30_000),
        last_service_date=last_service,
        warranty_end=facts.get("warranty"),
    )
    if "birthday" in facts:
        CustomerCare.objects.create(customer=customer, birthday=facts["birthday"])
    if "insurance" in facts:
        VehicleCare.objects.create(vehicle=vehicle, insurance_renewal=facts["insurance"])
    return Vehicle.objects.get(pk=vehicle.pk)


def due_for_service(demo, dealer=1, **kw):  # type: ignore[no-untyped-def]
    """A car whose 6-month service falls due in 3 days (slow driver: time decides)."""
    from kesu.care.rules import add_months

    target = TODAY + timedelta(days=3)
    last = add_months(target, -6)
    while add_months(last, 6) != target:  # a month-end clamp: step back to a date that maps
        last -= timedelta(days=1)
    return car(demo, dealer, last_service=last, km=5_000, **kw)


def test_each_kind_is_generated_with_its_work_item(demo):
    vehicle = car(
        demo,
        warranty=TODAY + timedelta(days=10),
        birthday=date(1985, TODAY.month, TODAY.day)
        if (TODAY.month, TODAY.day) != (2, 29)
        else date(1984, 2, 29),
        insurance=TODAY.replace(year=TODAY.year - 1) + timedelta(days=20)
        if (TODAY.month, TODAY.day) != (2, 29)
        else TODAY,
    )
    run = generate_care_lists(today=TODAY)
    kinds = set(CareItem.objects.filter(vehicle=vehicle).values_list("kind", flat=True))
    assert {CareKind.WARRANTY, CareKind.BIRTHDAY, CareKind.INSURANCE} <= kinds
    assert run.opened == CareItem.objects.count()
    work = WorkItem.objects.filter(kind=WorkKind.CARE_CALL, state=WorkState.OPEN)
    assert work.count() == run.opened
    assert all(w.dealer_id == demo.dealers[next(iter(demo.dealers))].pk for w in work)
    assert "保修到期" in work.get(ref_id=CareItem.objects.get(kind=CareKind.WARRANTY).pk).subject


def test_a_rerun_creates_nothing_new_and_a_changed_last_service_updates_the_item(demo):
    vehicle = due_for_service(demo)
    first = generate_care_lists(today=TODAY)
    item = CareItem.objects.get(vehicle=vehicle, kind=CareKind.MAINTENANCE)
    assert item.due_date == TODAY + timedelta(days=3) and first.opened >= 1
    again = generate_care_lists(today=TODAY)
    assert again.opened == 0 and again.vehicles == 0  # nothing changed, nothing woke: nothing read
    assert CareItem.objects.filter(vehicle=vehicle).count() == first.opened

    # the service date was entered two days too late: the reminder moves with it
    Vehicle.objects.filter(pk=vehicle.pk).update(
        last_service_date=vehicle.last_service_date - timedelta(days=2)
    )
    moved = generate_care_lists(today=TODAY)
    item.refresh_from_db()
    assert moved.vehicles == 1 and moved.updated == 1 and moved.opened == 0
    assert item.due_date == TODAY + timedelta(days=1) and item.state == CareState.OPEN
    work = WorkItem.objects.get(ref_model="care.careitem", ref_id=item.pk)
    assert timezone.localtime(work.due_at).date() == TODAY

    # the car was serviced today: the reminder is no longer due and its work item is cancelled
    Vehicle.objects.filter(pk=vehicle.pk).update(last_service_date=TODAY)
    done = generate_care_lists(today=TODAY)
    item.refresh_from_db()
    work.refresh_from_db()
    assert done.obsolete == 1 and item.state == CareState.OBSOLETE and work.state == WorkState.CANCELLED


def test_a_new_and_a_changed_vehicle_in_one_run_and_lost_watermarks_open_nothing_twice(demo):
    old = due_for_service(demo)
    first = generate_care_lists(today=TODAY)
    assert first.opened >= 1
    new = due_for_service(demo, mobile="13912345678", plate="粤B54321")
    Vehicle.objects.filter(pk=old.pk).update(last_service_date=old.last_service_date - timedelta(days=1))
    both = generate_care_lists(today=TODAY)  # one batch: a vehicle known (changed) and one new
    assert both.vehicles == 2 and both.updated == 1 and both.opened == 1
    assert CareItem.objects.get(vehicle=new, kind=CareKind.MAINTENANCE).due_date == TODAY + timedelta(days=3)
    assert generate_care_lists(today=TODAY).vehicles == 0  # both watermarks written

    CareWatermark.objects.all().delete()  # as on a first run: every vehicle read again
    items = set(CareItem.objects.values_list("vehicle_id", "kind", "due_date", "state"))
    again = generate_care_lists(today=TODAY)
    assert again.vehicles == Vehicle.objects.count() and again.opened == 0
    assert set(CareItem.objects.values_list("vehicle_id", "kind", "due_date", "state")) == items
    assert WorkItem.objects.filter(kind=WorkKind.CARE_CALL).count() == len(items)


def test_a_vehicle_wakes_on_its_day_without_being_changed(demo):
    vehicle = car(demo, warranty=TODAY + timedelta(days=40))
    assert generate_care_lists(today=TODAY).opened == 0
    assert generate_care_lists(today=TODAY + timedelta(days=9)).vehicles == 0
    woke = generate_care_lists(today=TODAY + timedelta(days=10))
    assert woke.vehicles == 1
    assert CareItem.objects.get(vehicle=vehicle, kind=CareKind.WARRANTY).due_date == TODAY + timedelta(
        days=40
    )


# --- campaigns ------------------------------------------------------------------------------

PREFIX = "LSVAB4BR0MN"  # 11 characters: maker/model (1-8), check digit (9), year and plant (10-11)


def vin(serial: str) -> str:
    return with_check_digit(PREFIX + serial)


def test_a_campaign_for_a_vin_range_opens_items_for_the_vehicles_in_it(demo, api):
    inside = car(demo, vin=vin("000120"), plate="粤A10001")
    car(demo, vin=vin("000500"), plate="粤A10002", mobile="13912345678")
    response = api("manager1").post(
        "/api/v1/campaigns",
        {
            "title": "刹车软管召回",
            "action": "recall",
            "due_date": str(TODAY + timedelta(days=30)),
            "vin_start": vin("000100"),
            "vin_end": vin("000200"),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["matched"] == 1
    item = CareItem.objects.get(kind=CareKind.CAMPAIGN)
    assert item.vehicle_id == inside.pk
    assert WorkItem.objects.get(ref_id=item.pk).subject.startswith("刹车软管召回")
    assert [c["title"] for c in api("agent1").get("/api/v1/campaigns").json()] == ["刹车软管召回"]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (vin("000200"), vin("000100"), "vin_end"),  # end before start
        (vin("000100"), with_check_digit("LSVAB4BR0PN000200"), "vin_end"),  # another model year
        ("LSVAB4BR0MN00010", vin("000200"), "vin_start"),  # 16 characters
        (vin("000100"), "", "vin_end"),
        ("", "", "model_name"),
    ],
)
def test_a_vin_range_that_is_not_a_range_is_refused_naming_the_field(demo, api, start, end, field):
    response = api("manager1").post(
        "/api/v1/campaigns",
        {"title": "召回", "action": "recall", "due_date": str(TODAY), "vin_start": start, "vin_end": end},
    )
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not CareItem.objects.exists()


# --- working items --------------------------------------------------------------------------


def test_list_sms_skips_opted_out_customers_and_the_outbox_has_nothing_for_them(demo, api):
    agreed = due_for_service(demo, mobile="13800000001", plate="粤A00001")
    refused = due_for_service(demo, mobile="13800000002", plate="粤A00002", sms=False)
    generate_care_lists(today=TODAY)
    listing = api("agent1").get(f"/api/v1/care-lists?kind=maintenance&date={TODAY}").json()
    assert listing["count"] == 2 and listing["counts"]["maintenance"] == 2
    response = api("agent1").post(
        "/api/v1/care-lists/sms",
        {
            "kind": "maintenance",
            "date": str(TODAY),
            "text": "{name}您好，您的爱车{plate}将于{due}到保养时间，欢迎预约。",
        },
    )
    assert response.status_code == 200, response.content
    skipped_item = CareItem.objects.get(vehicle=refused)
    assert response.json() == {"sent": 1, "skipped": 1, "skipped_items": [skipped_item.pk]}
    assert list(Delivery.objects.values_list("target", flat=True)) == ["13800000001"]
    assert "粤A00001" in Delivery.objects.get().body
    assert CareItem.objects.get(vehicle=agreed).state == CareState.DONE
    assert skipped_item.state == CareState.OPEN  # still to be called or written to
    one = api("agent1").post(f"/api/v1/care-items/{skipped_item.pk}/sms", {"text": "您好"})
    assert one.status_code == 422 and "consent_sms" in one.json()["error"]["fields"]
    assert Delivery.objects.count() == 1


def test_the_guard_blocks_a_forbidden_phrase_in_the_sms(demo, api):
    due_for_service(demo)
    generate_care_lists(today=TODAY)
    response = api("agent1").post(
        "/api/v1/care-lists/sms",
        {"kind": "maintenance", "date": str(TODAY), "text": "我们的程序就是这样，只有等。"},
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "forbidden_phrase"
    assert not Delivery.objects.exists()
    assert CareItem.objects.get().state == CareState.OPEN


def test_an_opt_out_heard_on_a_call_updates_consent_with_a_log(demo, api):
    vehicle = due_for_service(demo)
    generate_care_lists(today=TODAY)
    item = CareItem.objects.get()
    response = api("agent1").post(
        f"/api/v1/care-items/{item.pk}/outcome",
        {"outcome": "opted_out", "opt_out": ["sms"], "note": "不要再发短信"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "done" and response.json()["consent_sms"] is False
    customer = Customer.objects.get(pk=vehicle.customer_id)
    assert customer.consent_sms is False
    assert CustomerChange.objects.filter(customer=customer, changes__has_key="consent_sms").exists()
    assert ConsentLog.objects.get().field == "consent_sms"
    assert WorkItem.objects.get(ref_id=item.pk).state == WorkState.DONE
    from kesu.calls.models import Call

    call = Call.objects.get()  # the care call is in the call log too
    assert call.direction == "outbound" and call.customer_id == customer.pk
    assert "不要再发短信" in call.customer_said
    bad = api("agent1").post(f"/api/v1/care-items/{item.pk}/outcome", {"outcome": "maybe"})
    assert bad.status_code == 422 and "outcome" in bad.json()["error"]["fields"]


def test_not_reached_three_times_closes_the_item(demo, api):
    due_for_service(demo)
    generate_care_lists(today=TODAY)
    item = CareItem.objects.get()
    for expected in ("open", "open", "done"):
        reply = api("agent1").post(f"/api/v1/care-items/{item.pk}/outcome", {"outcome": "not_reached"})
        assert reply.json()["state"] == expected


# --- scope and permissions ------------------------------------------------------------------


def test_another_dealer_sees_nothing_and_gets_404_on_items(demo, api):
    due_for_service(demo)
    generate_care_lists(today=TODAY)
    item = CareItem.objects.get()
    assert api("agent2").get("/api/v1/care-lists").json()["count"] == 0
    assert (
        api("agent2").post(f"/api/v1/care-items/{item.pk}/outcome", {"outcome": "reached"}).status_code == 404
    )
    assert api("agent2").post(f"/api/v1/care-items/{item.pk}/sms", {"text": "您好"}).status_code == 404
    from kesu.tests.test_pages import client_for

    assert client_for("agent2").get(f"/care/items/{item.pk}/").status_code == 404
    assert (
        client_for("agent2").post(f"/care/items/{item.pk}/outcome/", {"outcome": "reached"}).status_code
        == 404
    )
    assert api("crc1").get("/api/v1/care-lists").json()["count"] == 0  # the CRC sees escalations only
    assert (
        api("crc1").post(f"/api/v1/care-items/{item.pk}/outcome", {"outcome": "reached"}).status_code == 404
    )
    assert api("admin").get("/api/v1/care-lists").json()["count"] == 1


ENDPOINTS = [
    ("get", "/api/v1/care-lists", None),
    ("post", "/api/v1/care-items/{i}/outcome", {"outcome": "reached"}),
    ("post", "/api/v1/care-lists/sms", {"kind": "maintenance", "text": "您好"}),
    ("get", "/api/v1/campaigns", None),
    (
        "post",
        "/api/v1/campaigns",
        {
            "title": "服务行动",
            "action": "service_action",
            "due_date": "2031-01-01",
            "model_name": "轩逸 2023款",
        },
    ),
]
ALLOWED = {  # user → the endpoints (by index) they may use
    "agent1": {0, 1, 2, 3},
    "manager1": {0, 1, 2, 3, 4},
    "gm1": {0, 1, 2, 3, 4},
    "dept1": set(),
    "region1": set(),
    "admin": {0, 1, 2, 3, 4},
    "pr1": set(),
    "quality1": set(),
}


@pytest.mark.parametrize("username", sorted(ALLOWED))
@pytest.mark.parametrize("index", range(len(ENDPOINTS)))
def test_permission_matrix(demo, api, username, index):
    due_for_service(demo)
    generate_care_lists(today=TODAY)
    method, path, body = ENDPOINTS[index]
    url = path.format(i=CareItem.objects.get().pk)
    response = api(username).get(url) if method == "get" else api(username).post(url, body)
    # an item out of the caller's scope does not exist for them (404) before their role counts
    expected = {200, 201} if index in ALLOWED[username] else ({403, 404} if "{i}" in path else {403})
    assert response.status_code in expected, (username, url, response.content)
    assert api(None).get("/api/v1/care-lists").status_code == 401


PAGES = [
    "/care/",
    "/care/?kind=maintenance",
    "/care/campaigns/",
    "/care/letters.csv?kind=maintenance",
    "/care/items/{i}/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("username", "allowed"), [("agent1", True), ("gm1", True), ("dept1", False), ("pr1", False)]
)
def test_pages_by_role(demo, path, username, allowed):
    from kesu.tests.test_pages import client_for

    due_for_service(demo)
    generate_care_lists(today=TODAY)
    response = client_for(username).get(path.format(i=CareItem.objects.get().pk))
    assert response.status_code == (200 if allowed else 403)
    if allowed and path == "/care/":
        assert "定保提醒" in response.content.decode()


def test_letter_list_is_a_csv_for_mail_merge(demo):
    from kesu.tests.test_pages import client_for

    due_for_service(demo)
    generate_care_lists(today=TODAY)
    body = client_for("agent1").get("/care/letters.csv?kind=maintenance").content.decode("utf-8-sig")
    assert "车牌" in body.splitlines()[0] and "到期日" in body.splitlines()[0]
    assert "粤A12345" in body and "张先生" in body
