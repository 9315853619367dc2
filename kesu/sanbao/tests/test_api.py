"""Repairs recorded and imported, the rights check through the API and on the complaint page."""

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone

from kesu.complaints.tests.factories import make_complaint
from kesu.customers.models import Vehicle
from kesu.sanbao.models import Repair
from kesu.tests.test_pages import client_for


def brake_repair(**extra: object) -> dict:
    return {
        "date_in": str(timezone.localdate() - timedelta(days=3)),
        "date_out": str(timezone.localdate() - timedelta(days=1)),
        "mileage_km": 2400,
        "system": "brakes",
        "problem": "制动模块失效",
        "serious_safety_fault": True,
        "system_failure": True,
        "parts": [{"name": "制动模块", "main": True}],
        "description": "高速上刹车踩不下去",
        **extra,
    }


def bought(complaint, days_ago: int, mileage: int | None = 2500) -> Vehicle:  # type: ignore[no-untyped-def]
    vehicle = Vehicle.objects.get(pk=complaint.vehicle_id)
    vehicle.purchase_date = timezone.localdate() - timedelta(days=days_ago)
    vehicle.mileage_km = mileage
    vehicle.save()
    return vehicle


def rights(body: dict) -> dict:
    return {r["right"]: r for r in body["rights"]}


def test_brake_failure_within_sixty_days_gives_return_or_exchange(demo, api):
    complaint = make_complaint(demo, 1, verbatim="刹车失灵，要求退车")
    vehicle = bought(complaint, days_ago=40)
    created = api("agent1").post(
        f"/api/v1/vehicles/{vehicle.pk}/repairs", brake_repair(complaint_id=complaint.pk)
    )
    assert created.status_code == 201, created.content
    repair = created.json()
    assert repair["days_in_workshop"] == 2 and repair["system_label"] == "制动系统"
    assert repair["dealer_id"] == complaint.dealer_id
    listed = api("agent1").get(f"/api/v1/vehicles/{vehicle.pk}/repairs").json()
    assert [r["id"] for r in listed] == [repair["id"]]
    body = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/sanbao").json()
    found = rights(body)
    assert found["return"]["may_apply"] == found["exchange"]["may_apply"] == "yes"
    ground = next(g for g in found["return"]["grounds"] if g["verdict"] == "yes")
    assert ground["article"] == "第二十三条" and ground["repair_ids"] == [repair["id"]] and ground["free"]
    assert found["usage_compensation"]["may_apply"] == "no"
    assert any(t["key"] == "sixty_days" and t["figure"] == "60" for t in found["return"]["thresholds"])
    assert body["start_basis"] == "invoice" and body["repairs"] == 1


def test_missing_purchase_date_is_named(demo, api):
    complaint = make_complaint(demo, 1)
    vehicle = Vehicle.objects.get(pk=complaint.vehicle_id or 0)
    api("agent1").post(f"/api/v1/vehicles/{vehicle.pk}/repairs", brake_repair())
    found = rights(api("agent1").get(f"/api/v1/complaints/{complaint.pk}/sanbao").json())
    assert found["return"]["may_apply"] == "unknown"
    assert "purchase_date" in found["return"]["missing"] and "purchase_date" in found["repair"]["missing"]


def test_sale_gives_the_compensation_amount_and_refuses_bad_rates(demo, api):
    complaint = make_complaint(demo, 1)
    vehicle = bought(complaint, days_ago=300, mileage=10000)
    bad = api("manager1").post(f"/api/v1/vehicles/{vehicle.pk}/sale", {"price": "-1", "usage_rate": "0.008"})
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"price", "usage_rate"}
    ok = api("manager1").post(
        f"/api/v1/vehicles/{vehicle.pk}/sale", {"price": "300000.00", "usage_rate": "0.004"}
    )
    assert ok.status_code == 200, ok.content
    for i in range(5):
        day = timezone.localdate() - timedelta(days=200 - 30 * i)
        api("agent1").post(
            f"/api/v1/vehicles/{vehicle.pk}/repairs",
            {"date_in": str(day), "days_in_workshop": 2, "system": "electrical", "problem": "中控黑屏"},
        )
    found = rights(api("agent1").get(f"/api/v1/complaints/{complaint.pk}/sanbao").json())
    assert found["exchange"]["may_apply"] == "yes"  # the same problem repaired more than 4 times
    assert found["usage_compensation"]["amount"] == "12000.00"


def test_bad_repairs_name_the_field_and_save_nothing(demo, api):
    complaint = make_complaint(demo, 1)
    vehicle = bought(complaint, days_ago=40)
    future = str(timezone.localdate() + timedelta(days=2))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"date_out": str(timezone.localdate() - timedelta(days=5))}, "date_out"),
        ({"date_in": future, "date_out": None}, "date_in"),
        ({"system": "wheels"}, "system"),
        ({"problem": "  "}, "problem"),
        ({"days_in_workshop": 0}, "days_in_workshop"),
        ({"mileage_km": -5}, "mileage_km"),
        ({"parts": [{"name": ""}]}, "parts.0.name"),
    ]
    for change, field in cases:
        response = api("agent1").post(f"/api/v1/vehicles/{vehicle.pk}/repairs", brake_repair(**change))
        assert response.status_code == 422, (change, response.content)
        assert field in response.json()["error"]["fields"], (change, response.json())
    other = make_complaint(demo, 1)
    response = api("agent1").post(
        f"/api/v1/vehicles/{vehicle.pk}/repairs", brake_repair(complaint_id=other.pk)
    )
    assert response.status_code == 422 and "complaint_id" in response.json()["error"]["fields"]
    assert not Repair.objects.exists()


def test_another_dealer_sees_nothing(demo, api):
    complaint = make_complaint(demo, 1)
    api("agent1").post(f"/api/v1/vehicles/{complaint.vehicle_id}/repairs", brake_repair())
    assert api("agent2").get(f"/api/v1/complaints/{complaint.pk}/sanbao").status_code == 404
    assert api("agent2").get(f"/api/v1/vehicles/{complaint.vehicle_id}/repairs").status_code == 404
    response = api("agent2").post(f"/api/v1/vehicles/{complaint.vehicle_id}/repairs", brake_repair())
    assert response.status_code == 404 and Repair.objects.count() == 1


def test_import_lists_every_row_error_then_imports_a_clean_file(demo, api):
    complaint = make_complaint(demo, 1)
    vehicle = bought(complaint, days_ago=100)
    vehicle.vin = "LGBH52E05KY000002"
    vehicle.save()
    day = timezone.localdate() - timedelta(days=50)
    bad = (
        "车架号,进厂日期,出厂日期,故障系统,故障现象,更换零件,主要零部件,严重安全性能故障\n"
        f"{vehicle.vin},{day},{day + timedelta(days=3)},制动系统,刹车软,制动总泵,制动总泵,是\n"
        f"{vehicle.vin},昨天,,制动系统,刹车软,,,否\n"
        f"LSVAB2BM4KN000001,{day},,轮子,异响,,,否\n"
    )
    response = _upload(api("manager1"), bad)
    assert response.status_code == 422
    errors = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert (3, "进厂日期") in errors and (4, "故障系统") in errors
    assert len(errors) == 2, (
        response.json()
    )  # row 2 is clean; row 4's VIN is not the importer's, but its system is checked first
    assert not Repair.objects.exists()
    good = "\n".join(bad.splitlines()[:2]) + "\n"
    response = _upload(api("manager1"), good)
    assert response.status_code == 201, response.content
    repair = Repair.objects.get()
    assert repair.days_in_workshop == 3 and repair.main_parts == ["制动总泵"] and repair.serious_safety_fault
    assert _upload(api("agent1"), good).status_code == 403


def _upload(client, text: str):
    from django.test.client import encode_multipart

    boundary = "sanbao"
    file = io.BytesIO(text.encode("utf-8"))
    file.name = "repairs.csv"
    body = encode_multipart(boundary, {"file": file})
    return client.client.post(
        "/api/v1/imports/repairs",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        **client.headers,
    )


def test_the_complaint_page_shows_the_reasoning_in_chinese_and_records_a_repair(demo):
    complaint = make_complaint(demo, 1, verbatim="刹车失灵")
    bought(complaint, days_ago=30)
    client = client_for("agent1")
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="sanbao-slot"' in page
    day = timezone.localdate() - timedelta(days=2)
    bad = client.post(
        f"/sanbao/complaints/{complaint.pk}/repairs/",
        {"date_in": str(day), "system": "brakes"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200 and 'data-testid="error-problem"' in bad.content.decode()
    done = client.post(
        f"/sanbao/complaints/{complaint.pk}/repairs/",
        {
            "date_in": str(day),
            "days_in_workshop": 1,
            "mileage_km": 1800,
            "system": "brakes",
            "problem": "制动失效",
            "system_failure": "on",
            "quality_problem": "on",
            "fixed": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    html = done.content.decode()
    assert done.status_code == 200 and Repair.objects.get().complaint_id == complaint.pk
    assert 'data-testid="right-return" data-verdict="yes"' in html
    assert "第二十三条" in html and "退车" in html
    assert client_for("agent2").get(f"/sanbao/complaints/{complaint.pk}/panel/").status_code == 404
