"""The customers API as an integrator and the intake desk use it: register a customer with their
car, wrong fields answered as JSON errors naming the field, search by phone / plate / VIN, another
vehicle, the full number only on request and logged, and another dealer's customer never shown."""

import pytest

from kesu.complaints.tests.factories import VALID_VIN, make_complaint, make_customer
from kesu.core.validators import with_check_digit
from kesu.customers.models import Customer, PhoneReveal, Vehicle

VIN = with_check_digit(VALID_VIN)


def error_fields(response, status=422):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["message"]
    return error["fields"]


def test_register_a_customer_with_their_car_and_read_it_back(demo, api):
    agent = api("agent1")
    created = agent.post(
        "/api/v1/customers",
        {
            "name": "李女士",
            "mobile": "+86 139-0013-8000",
            "is_vip": True,
            "consent_sms": False,
            "vehicle": {
                "plate": "粤b d12345",
                "vin": VIN.lower(),
                "model_name": "轩逸 2023款",
                "mileage_km": 18000,
                "purchase_date": "2023-05-01",
                "warranty_end": "2026-04-30",
            },
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["dealer_id"] == demo.dealers["D1"].pk
    assert body["mobile_masked"] == "139****8000" and "13900138000" not in created.content.decode()
    # consent is asked, never assumed: what was not sent is not given
    assert (body["is_vip"], body["consent_sms"], body["consent_calls"]) == (True, False, False)
    [vehicle] = body["vehicles"]
    assert vehicle["plate"] == "粤BD12345" and vehicle["vin"] == VIN
    assert vehicle["purchase_date"] == "2023-05-01" and vehicle["mileage_km"] == 18000
    assert agent.get(f"/api/v1/customers/{body['id']}").json() == body
    assert agent.get(f"/api/v1/vehicles/{vehicle['id']}").json() == vehicle
    assert Customer.objects.get().mobile == "13900138000"  # stored whole, shown masked


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mobile": "1380013800"}, "mobile"),
        ({"mobile": "138001380OO"}, "mobile"),
        ({"name": " "}, "name"),
        ({"vehicle": {"plate": "粤O12345"}}, "vehicle.plate"),
        ({"vehicle": {"plate": "A12345"}}, "vehicle.plate"),
        ({"vehicle": {"vin": VIN[:8] + "X" + VIN[9:]}}, "vehicle.vin"),
        ({"vehicle": {"vin": VIN[:16]}}, "vehicle.vin"),
        ({"vehicle": {"model_name": "轩逸"}}, "vehicle.plate"),  # neither plate nor VIN
        ({"vehicle": {"plate": "粤A12345", "mileage_km": 5_000_000}}, "vehicle.mileage_km"),
        ({"vehicle": {"plate": "粤A12345", "purchase_date": "2023-02-30"}}, "vehicle.purchase_date"),
        ({"dealer_id": "D2"}, "dealer_id"),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_saved(demo, api, change, field):
    body = {"name": "王先生", "mobile": "13800138000", "vehicle": {"plate": "粤A12345"}, **change}
    assert field in error_fields(api("agent1").post("/api/v1/customers", body))
    assert not Customer.objects.exists() and not Vehicle.objects.exists()


def test_all_wrong_fields_are_named_in_one_answer(demo, api):
    body = {"name": "王先生", "mobile": "12345", "vehicle": {"plate": "粤I12345", "vin": "LGBH52E05KY12345"}}
    fields = error_fields(api("agent1").post("/api/v1/customers", body))
    assert set(fields) == {"mobile", "vehicle.plate", "vehicle.vin"}
    assert "11" in fields["mobile"] and "17" in fields["vehicle.vin"]


def test_an_agent_registers_only_for_their_own_dealer(demo, api):
    body = {"name": "王先生", "mobile": "13800138000", "dealer_id": demo.dealers["D2"].pk}
    assert "dealer" in error_fields(api("agent1").post("/api/v1/customers", body))
    refused = api("region1").post("/api/v1/customers", {**body, "dealer_id": demo.dealers["D1"].pk})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert not Customer.objects.exists()
    by_admin = api("admin").post("/api/v1/customers", body)
    assert by_admin.status_code == 201 and by_admin.json()["dealer_id"] == demo.dealers["D2"].pk


def test_search_by_phone_plate_vin_or_what_the_agent_types(demo, api):
    wang = make_customer(
        demo, 1, mobile="13811112222", plate="粤A11111", vin=with_check_digit("LSVAB2BM0KN000001")
    )
    li = make_customer(
        demo, 1, mobile="13933334444", plate="粤B22222", vin=with_check_digit("LSVAB2BM0KN000002")
    )
    agent = api("agent1")

    def found(query: str) -> list[int]:
        response = agent.get("/api/v1/customers", private=query)  # phones never in the URL
        assert response.status_code == 200, (query, response.content)
        return [c["id"] for c in response.json()]

    assert found("phone=138 1111 2222") == [wang.pk]
    assert found("phone=%2B8613933334444") == [li.pk]  # +86 prefix
    assert found("plate=粤b22222") == [li.pk]
    assert found(f"vin={with_check_digit('LSVAB2BM0KN000001').lower()}") == [wang.pk]
    assert found("q=4444") == [li.pk]  # the last four digits of the number
    assert found("q=000001") == [wang.pk]  # the last six of the VIN
    assert found("q=粤A1") == [wang.pk]
    assert found("phone=13811112222&plate=粤B22222") == []  # both must hold
    assert found("phone=13700000000") == []
    by_name = agent.get("/api/v1/customers?q=张先").json()  # both are 张先生; numbers masked
    assert {c["mobile_masked"] for c in by_name} == {"138****2222", "139****4444"}
    assert [v["id"] for v in agent.get("/api/v1/vehicles?plate=粤a11111").json()] == [wang.vehicles.get().pk]


def test_a_search_without_terms_or_with_a_malformed_one_names_the_field(demo, api):
    agent = api("agent1")
    assert "q" in error_fields(agent.get("/api/v1/customers"))
    assert "phone" in error_fields(agent.get("/api/v1/customers?phone=12345"))
    assert "plate" in error_fields(agent.get("/api/v1/customers?plate=XX12345"))
    assert "vin" in error_fields(agent.get("/api/v1/customers?vin=123"))
    assert "plate" in error_fields(agent.get("/api/v1/vehicles"))
    assert "vin" in error_fields(agent.get("/api/v1/vehicles?vin=LGBH52E05KY12345"))


def test_another_vehicle_is_added_to_the_customer(demo, api):
    customer = make_customer(demo, 1)
    agent = api("agent1")
    added = agent.post(
        f"/api/v1/customers/{customer.pk}/vehicles", {"plate": "京a·f12345", "model_name": "艾瑞泽8"}
    )
    assert added.status_code == 201, added.content
    assert added.json()["plate"] == "京AF12345" and added.json()["customer_id"] == customer.pk
    plates = {v["plate"] for v in agent.get(f"/api/v1/customers/{customer.pk}").json()["vehicles"]}
    assert plates == {"粤A12345", "京AF12345"}
    bad = agent.post(f"/api/v1/customers/{customer.pk}/vehicles", {"plate": "京A1234", "vin": "123"})
    assert set(error_fields(bad)) == {"plate", "vin"}
    assert error_fields(agent.post(f"/api/v1/customers/{customer.pk}/vehicles", {}))["plate"]
    assert customer.vehicles.count() == 2


def test_revealing_the_full_number_answers_it_and_logs_who_asked(demo, api):
    customer = make_customer(demo, 1, mobile="13812341234")
    path = f"/api/v1/customers/{customer.pk}/reveal-phone"
    for username in ("agent1", "manager1", "agent1"):
        response = api(username).post(path)
        assert response.status_code == 200 and response.json() == {"mobile": "13812341234"}
    log = PhoneReveal.objects.filter(customer=customer).order_by("pk")
    assert [(r.user.username, r.channel) for r in log] == [
        ("agent1", "api"),
        ("manager1", "api"),
        ("agent1", "api"),
    ]
    refused = api("dept1").post(path)  # sees the customer, does not call customers
    assert refused.status_code == 403 and "13812341234" not in refused.content.decode()
    assert api(None).post(path).status_code == 401
    assert PhoneReveal.objects.count() == 3


# Every customers endpoint that takes an id, as (method, path, body).
WITH_IDS = [
    ("get", "/api/v1/customers/{customer_id}", None),
    ("post", "/api/v1/customers/{customer_id}/reveal-phone", None),
    ("post", "/api/v1/customers/{customer_id}/vehicles", {"plate": "粤B99999"}),
    ("get", "/api/v1/vehicles/{vehicle_id}", None),
    ("patch", "/api/v1/customers/{customer_id}", {"version": 1, "notes": "越权"}),
    ("post", "/api/v1/customers/{customer_id}/merge", {"other_id": 1}),
    ("post", "/api/v1/customers/{customer_id}/erase", {"reason": "越权"}),
    ("patch", "/api/v1/vehicles/{vehicle_id}", {"version": 1, "model_name": "越权"}),
]


def test_every_customers_endpoint_with_an_id_is_in_the_list(api):
    spec = api(None).get("/api/openapi.json").json()
    listed = {
        (method, path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if "customers" in operation.get("tags", []) and "{" in path
    }
    assert listed == {(method, path) for method, path, _ in WITH_IDS}


@pytest.mark.parametrize("stranger", ["agent2", "manager2", "gm3", "region2", "crc1"])
def test_another_dealers_customer_is_404_on_every_endpoint_and_never_found(demo, api, stranger):
    customer = make_customer(demo, 1, mobile="13812341234", plate="粤A12345")
    vehicle = customer.vehicles.get()
    client = api(stranger)
    for method, template, body in WITH_IDS:
        path = template.format(customer_id=customer.pk, vehicle_id=vehicle.pk)
        response = client.get(path) if method == "get" else getattr(client, method)(path, body)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["error"]["code"] == "not_found"
        assert "张先生" not in response.content.decode() and "1234" not in response.content.decode()
    for query in ("phone=13812341234", "plate=粤A12345", f"vin={vehicle.vin}", "q=1234", "q=张先"):
        assert client.get("/api/v1/customers", private=query).json() == [], query
    assert client.get("/api/v1/vehicles?plate=粤A12345").json() == []
    assert customer.vehicles.count() == 1 and not PhoneReveal.objects.exists()
    assert Customer.objects.count() == 1


def test_the_manufacturer_sees_a_customer_once_one_of_their_complaints_is_escalated(demo, api):
    complaint = make_complaint(demo, 1)
    crc = api("crc1")
    assert crc.get(f"/api/v1/customers/{complaint.customer_id}").status_code == 404
    assert crc.get("/api/v1/customers", private="phone=13812341234").json() == []
    # the GM's escalation reaches the region: from then on the carmaker sees it
    escalated = api("gm1").post(
        f"/api/v1/complaints/{complaint.pk}/transitions", {"action": "escalate", "reason": "客户要求厂方介入"}
    )
    assert escalated.status_code == 200, escalated.content
    assert crc.get(f"/api/v1/customers/{complaint.customer_id}").json()["name"] == "张先生"
    assert [c["id"] for c in crc.get("/api/v1/customers", private="phone=13812341234").json()] == [
        complaint.customer_id
    ]
    assert [v["id"] for v in crc.get("/api/v1/vehicles?plate=粤A12345").json()] == [complaint.vehicle_id]
    assert api("agent2").get(f"/api/v1/customers/{complaint.customer_id}").status_code == 404
