"""PIPL erasure (issue 16): a customer's personal data anonymised in every table, the complaint
statistics unchanged; refused out of scope (404), without the capability (403), twice (409)."""

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.core.validators import with_check_digit
from kesu.customers import services
from kesu.customers.models import Customer, Erasure

NAME, MOBILE, PLATE = "欧阳娜娜", "13766668888", "粤B66688"
VIN = with_check_digit("LSVAB2BM0KN066688")


def _statistics() -> list[Any]:
    return list(
        Complaint.objects.annotate(month=TruncMonth("received_at"))
        .values("dealer_id", "category", "severity", "status", "month")
        .annotate(n=Count("pk"))
        .order_by("dealer_id", "category", "severity", "status", "month")
    )


def _leftovers(values: list[str]) -> list[str]:
    """Every text cell of every kesu table that still holds one of ``values``."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("kesu."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            for pk, value in model._base_manager.values_list("pk", field.attname):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                hits = [v for v in values if v in (text or "")]
                if hits:
                    found.append(f"{model._meta.label}.{field.name}#{pk}: {hits}")
    return found


@pytest.fixture
def person(demo, api):  # type: ignore[no-untyped-def]
    """One customer with what a year at the desk leaves behind: complaints that quote the name
    and number, an edit, a reveal, a logged call, a reply."""
    customer = services.create_customer(
        actor=demo.users["agent1"],
        name=NAME,
        mobile=MOBILE,
        vehicle=services.VehicleInput(plate=PLATE, vin=VIN, model_name="轩逸 2023款"),
    )
    first = make_complaint(
        demo,
        1,
        customer=customer,
        verbatim=f"我是{NAME}，电话{MOBILE}，车牌{PLATE}，刹车异响",
        category="product",
    )
    make_complaint(
        demo, 1, customer=customer, verbatim="服务态度差", facts=f"{NAME}来店", category="reception"
    )
    agent = api("agent1")
    edited = agent.patch(f"/api/v1/customers/{customer.pk}", {"version": 1, "notes": f"{NAME}喜欢周末来店"})
    assert edited.status_code == 200, edited.content
    assert agent.post(f"/api/v1/customers/{customer.pk}/reveal-phone").status_code == 200
    call = {"number": MOBILE, "purpose": "enquiry", "customer_said": f"{NAME}问进度", "reply": "好的"}
    assert agent.post("/api/v1/calls", call).status_code == 201
    edit = agent.patch(
        f"/api/v1/complaints/{first.pk}", {"version": first.version, "facts": f"{NAME} {PLATE}"}
    )
    assert edit.status_code == 200, edit.content
    make_complaint(demo, 1)  # another customer (张先生) of the same dealer: untouched
    make_complaint(demo, 2)
    return customer


def test_erasure_leaves_no_personal_value_and_the_statistics_unchanged(demo, api, person):
    before = _statistics()
    assert _leftovers([NAME, MOBILE, PLATE, VIN])  # the fixture did leave them around
    answer = api("gm1").post(f"/api/v1/customers/{person.pk}/erase", {"reason": "客户2026-12-05来电要求删除"})
    assert answer.status_code == 200, answer.content
    assert _leftovers([NAME, MOBILE, PLATE, VIN]) == []
    assert _statistics() == before
    assert Complaint.objects.filter(customer=person).count() == 2
    others = Customer.objects.exclude(pk=person.pk)
    assert set(others.values_list("name", flat=True)) == {"张先生"}
    assert set(others.values_list("mobile", flat=True)) == {"13812341234"}
    assert TimelineEntry.objects.filter(complaint__customer=person).exists()  # kept, scrubbed
    erasure = Erasure.objects.get()
    assert erasure.user == demo.users["gm1"] and erasure.rows["customers.Customer"] == 1
    # nothing found by the old values any more
    assert api("agent1").get("/api/v1/customers", private=f"phone={MOBILE}").json() == []
    assert api("agent1").get("/api/v1/complaints?q=刹车异响").json()["count"] == 0 or all(
        row["customer_id"] != person.pk
        for row in api("agent1").get("/api/v1/complaints?q=刹车异响").json()["results"]
        if "customer_id" in row
    )


def test_erasure_is_refused_to_strangers_roles_and_twice(demo, api, person):
    body = {"reason": "客户要求"}
    assert api("gm2").post(f"/api/v1/customers/{person.pk}/erase", body).status_code == 404
    assert api("agent1").post(f"/api/v1/customers/{person.pk}/erase", body).status_code == 403
    assert api(None).post(f"/api/v1/customers/{person.pk}/erase", body).status_code == 401
    missing = api("gm1").post(f"/api/v1/customers/{person.pk}/erase", {"reason": " "})
    assert missing.status_code == 422 and "reason" in missing.json()["error"]["fields"]
    assert not Erasure.objects.exists()
    assert Customer.objects.get(pk=person.pk).name == NAME
    assert api("gm1").post(f"/api/v1/customers/{person.pk}/erase", body).status_code == 200
    assert api("admin").post(f"/api/v1/customers/{person.pk}/erase", body).status_code == 409


def test_the_privacy_log_lists_reveals_exports_and_erasures_for_admins(demo, api, client, person):
    api("gm1").post(f"/api/v1/customers/{person.pk}/erase", {"reason": "客户要求删除"})
    client.force_login(demo.users["admin"])
    page = client.get("/manage/privacy/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "客户要求删除" in text and demo.users["agent1"].display_name in text  # the erasure, the reveal
    assert MOBILE not in text and NAME not in text
    client.force_login(demo.users["agent1"])
    assert client.get("/manage/privacy/").status_code == 403


def test_erasure_from_the_customer_page(demo, client, person):
    client.force_login(demo.users["gm1"])
    page = client.get(f"/customers/{person.pk}/").content.decode()
    assert 'data-testid="erase-customer"' in page
    answer = client.post(f"/customers/{person.pk}/erase/", {"reason": "客户来函要求删除"})
    assert answer.status_code == 302
    assert Customer.objects.get(pk=person.pk).name == "（已删除）"
    client.force_login(demo.users["agent1"])
    assert 'data-testid="erase-customer"' not in client.get(f"/customers/{person.pk}/").content.decode()
    assert client.post(f"/customers/{person.pk}/erase/", {"reason": "x"}).status_code == 403
    client.force_login(demo.users["gm2"])
    assert client.post(f"/customers/{person.pk}/erase/", {"reason": "x"}).status_code == 404
