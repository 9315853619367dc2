"""Registering a complaint names a customer and a vehicle by id: only the actor's scope counts,
and a refusal writes nothing and reveals nothing (the lookup is compiled once per scope)."""

from typing import Any

import pytest
from django.utils import timezone

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.services import _customer_and_vehicle
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.errors import NotFound
from kesu.customers.models import Customer, Vehicle
from kesu.sla.models import Clock


def _body(customer: Customer, vehicle: Vehicle | None) -> dict[str, Any]:
    body: dict[str, Any] = {"customer_id": customer.pk, "channel": "phone", "verbatim": "刹车失灵，要求退车"}
    if vehicle is not None:
        body["vehicle_id"] = vehicle.pk
    return body


def _written() -> tuple[int, int, int]:
    return Complaint.objects.count(), Clock.objects.count(), TimelineEntry.objects.count()


@pytest.mark.parametrize("with_vehicle", [True, False], ids=["with vehicle", "customer only"])
@pytest.mark.parametrize(
    ("stranger", "status"),
    [("agent2", 404), ("manager2", 404), ("gm3", 404), ("crc1", 404), ("region2", 403), ("pr1", 403)],
)
def test_another_dealers_customer_is_refused_and_nothing_written(demo, api, stranger, status, with_vehicle):
    customer = make_customer(demo, 1)
    before = _written()
    response = api(stranger).post(
        "/api/v1/complaints", _body(customer, customer.vehicles.first() if with_vehicle else None)
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] in {"not_found", "forbidden"}
    assert "张先生" not in response.content.decode()
    assert _written() == before


def test_a_vehicle_that_is_not_the_customers_is_refused_by_field(demo, api):
    mine = make_customer(demo, 1)
    neighbour = make_customer(demo, 1, mobile="13900001111", plate="粤B54321")
    elsewhere = make_customer(demo, 2, mobile="13700002222", plate="京A11111")
    before = _written()
    for vehicle in (neighbour.vehicles.first(), elsewhere.vehicles.first()):
        response = api("agent1").post("/api/v1/complaints", _body(mine, vehicle))
        assert response.status_code == 422
        assert set(response.json()["error"]["fields"]) == {"vehicle_id"}
        assert "京A11111" not in response.content.decode()
    assert _written() == before


def test_the_carmaker_registers_once_the_customer_is_escalated_and_admin_always(demo, api):
    earlier = make_complaint(demo, 1)
    customer, vehicle = earlier.customer, earlier.vehicle
    assert vehicle is not None
    assert api("crc1").post("/api/v1/complaints", _body(customer, vehicle)).status_code == 404
    Complaint.objects.filter(pk=earlier.pk).update(escalated_at=timezone.now())
    by_crc = api("crc1").post("/api/v1/complaints", _body(customer, vehicle))
    assert by_crc.status_code == 201 and by_crc.json()["vehicle"]["id"] == vehicle.pk
    assert by_crc.json()["escalated_at"] is not None
    assert api("admin").post("/api/v1/complaints", _body(customer, vehicle)).status_code == 201
    assert (
        api("agent1").post("/api/v1/complaints", _body(customer, vehicle)).json()["customer"]["id"]
        == customer.pk
    )


def _by_orm(user: Any, customer_id: int, vehicle_id: int) -> tuple[Customer, Vehicle | None] | None:
    vehicle = (
        Vehicle.objects.visible_to(user)
        .select_related("customer")
        .filter(pk=vehicle_id, customer_id=customer_id)
        .first()
    )
    if vehicle is not None:
        return vehicle.customer, vehicle
    customer = Customer.objects.visible_to(user).filter(pk=customer_id).first()
    return None if customer is None else (customer, None)


def _fields(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_compiled_lookup_answers_as_the_orm_for_every_user_and_vehicle(demo):
    customers = [make_customer(demo, i, mobile=f"1380000000{i}", plate=f"粤A0000{i}") for i in (1, 2, 3)]
    escalated = make_complaint(demo, 2, customer=customers[1])
    Complaint.objects.filter(pk=escalated.pk).update(escalated_at=timezone.now())
    pairs = [(c.pk, v.pk) for c in customers for v in Vehicle.objects.filter(customer__in=customers)]
    for user in demo.users.values():
        for customer_id, vehicle_id in pairs:
            expected = _by_orm(user, customer_id, vehicle_id)
            try:
                got: tuple[Customer, Vehicle | None] | None = _customer_and_vehicle(
                    user, customer_id, vehicle_id
                )
            except NotFound:
                got = None
            assert (got is None) == (expected is None), (user.username, customer_id, vehicle_id)
            if got is not None and expected is not None:
                assert [_fields(x) for x in got] == [_fields(x) for x in expected], user.username
                assert got[1] is None or got[1].customer is got[0]
