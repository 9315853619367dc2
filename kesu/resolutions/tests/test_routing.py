"""Routing rules: category and fault area → department, applied at intake, editable by the
dealer's managers, scoped, overridable by a transfer."""

import json

import pytest
from django.test import Client

from kesu.complaints.tests.factories import make_complaint
from kesu.resolutions.models import RoutingRule


def put(api, username, dealer_id, rules):
    client = api(username)
    return client.client.put(
        f"/api/v1/routing-rules/{dealer_id}",
        data=json.dumps({"rules": rules}),
        content_type="application/json",
        **client.headers,
    )


@pytest.fixture
def d1(demo):
    return demo.dealers["D1"].pk


def dept(demo, code, dealer="D1"):
    return demo.departments[(dealer, code)].pk


def test_rules_route_a_new_complaint_most_specific_first(demo, api, d1):
    rules = [
        {"category": "repair_quality", "department_id": dept(demo, "SVC")},
        {"category": "parts", "department_id": dept(demo, "PARTS")},
        {"category": "product", "fault_area": "brakes", "department_id": dept(demo, "QA")},
        {"category": "", "fault_area": "", "department_id": dept(demo, "CS")},
    ]
    response = put(api, "manager1", d1, rules)
    assert response.status_code == 200, response.content
    assert response.json()["may_edit"] is True and len(response.json()["rules"]) == 4
    assert make_complaint(demo, 1, category="parts").department_id == dept(demo, "PARTS")
    assert make_complaint(demo, 1, category="repair_quality").department_id == dept(demo, "SVC")
    braking = make_complaint(demo, 1, category="product", verbatim="刹车失灵，踩不住")
    assert braking.insight.fault_area == "brakes"
    assert braking.department_id == dept(demo, "QA")
    assert make_complaint(demo, 1, category="reception", verbatim="接待太差").department_id == dept(
        demo, "CS"
    )
    # the intake's own choice stands
    chosen = make_complaint(demo, 1, category="parts", department_id=dept(demo, "SALES"))
    assert chosen.department_id == dept(demo, "SALES")
    # another dealer's complaints are not routed by D1's rules
    assert make_complaint(demo, 2, category="parts").department_id is None


def test_no_rule_no_department(demo):
    assert make_complaint(demo, 1, category="parts").department_id is None


def test_the_route_is_overridden_by_a_transfer(demo, api, d1):
    put(api, "gm1", d1, [{"category": "parts", "department_id": dept(demo, "PARTS")}])
    complaint = make_complaint(demo, 1, category="parts")
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/transfer",
        {"department_id": dept(demo, "SALES"), "reason": "订车时承诺的配件，属销售部"},
    )
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.department_id == dept(demo, "SALES")


def test_bad_rules_name_the_field_and_save_nothing(demo, api, d1):
    put(api, "manager1", d1, [{"category": "parts", "department_id": dept(demo, "PARTS")}])
    response = put(
        api,
        "manager1",
        d1,
        [
            {"category": "parts", "department_id": dept(demo, "PARTS", "D2")},
            {"category": "nonsense", "department_id": dept(demo, "QA")},
            {"fault_area": "wings", "department_id": dept(demo, "QA")},
            {"category": "sales", "department_id": dept(demo, "QA")},
        ],
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {
        "rules[0].department_id",
        "rules[1].category",
        "rules[2].fault_area",
        "rules[3].category",
    }
    assert list(RoutingRule.objects.values_list("category", flat=True)) == ["parts"]


def test_duplicate_rule_is_refused(demo, api, d1):
    rule = {"category": "parts", "department_id": dept(demo, "PARTS")}
    response = put(api, "manager1", d1, [rule, rule])
    assert response.status_code == 422 and "rules[1].category" in response.json()["error"]["fields"]


@pytest.mark.parametrize("username", ["agent1", "dept1", "region1"])
def test_others_may_read_but_not_edit(demo, api, d1, username):
    response = put(api, username, d1, [{"category": "parts", "department_id": dept(demo, "PARTS")}])
    assert response.status_code == 403
    assert not RoutingRule.objects.exists()
    read = api(username).get(f"/api/v1/routing-rules/{d1}")
    assert read.status_code == 200 and read.json()["may_edit"] is False


@pytest.mark.parametrize("username", ["agent2", "manager2", "gm3", "region2", "crc1"])
def test_another_dealer_gets_404(demo, api, d1, username):
    assert api(username).get(f"/api/v1/routing-rules/{d1}").status_code == 404
    response = put(api, username, d1, [{"category": "parts", "department_id": dept(demo, "PARTS")}])
    assert response.status_code == 404
    assert not RoutingRule.objects.exists()


def test_routing_page_edits_and_is_scoped(demo, d1):
    from conftest import PASSWORD

    manager = Client()
    manager.login(username="manager1", password=PASSWORD)
    page = manager.get(f"/resolutions/routing/{d1}/")
    assert page.status_code == 200 and "分派规则" in page.content.decode()
    saved = manager.post(
        f"/resolutions/routing/{d1}/",
        {
            "category": ["parts", "nonsense"],
            "fault_area": ["", ""],
            "department_id": [dept(demo, "PARTS"), ""],
        },
    )
    assert saved.status_code == 422
    assert not RoutingRule.objects.exists()
    saved = manager.post(
        f"/resolutions/routing/{d1}/",
        {"category": ["parts", ""], "fault_area": ["", ""], "department_id": [dept(demo, "PARTS"), ""]},
    )
    assert saved.status_code == 302
    assert RoutingRule.objects.get().department_id == dept(demo, "PARTS")
    stranger = Client()
    stranger.login(username="agent2", password=PASSWORD)
    assert stranger.get(f"/resolutions/routing/{d1}/").status_code == 404
    assert stranger.post(f"/resolutions/routing/{d1}/", {"category": ["sales"]}).status_code == 404
    agent = Client()
    agent.login(username="agent1", password=PASSWORD)
    assert agent.post(f"/resolutions/routing/{d1}/", {"category": ["sales"]}).status_code == 403
    assert RoutingRule.objects.count() == 1


def test_the_intake_lookup_is_cached(demo, api, d1, django_assert_num_queries):
    from kesu.resolutions.services.routing import department_for

    put(api, "manager1", d1, [{"category": "parts", "department_id": dept(demo, "PARTS")}])
    with django_assert_num_queries(1):  # the dealer's rules, once
        assert department_for(dealer_id=d1, category="parts", fault_area="") == dept(demo, "PARTS")
    with django_assert_num_queries(0):  # then from the process cache
        assert department_for(dealer_id=d1, category="product", fault_area="brakes") is None
