"""Recurrence: complaints of the same vehicle (VIN), customer or fault area linked within the
window, repeat repairs for the 三包 check, and near-identical texts at several dealers raising a
quality signal for the carmaker — always read within the reader's scope.

Everything goes through intake (``make_complaint``), the complaint workflow, ``services.decide``
and the API, as users would; the customers' words are written for these tests.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kesu import flows
from kesu.complaints import services as complaint_services
from kesu.complaints.models import Complaint
from kesu.customers import services as customer_services
from kesu.demo.builder import DemoOrg
from kesu.insights import recurrence
from kesu.insights.models import QualitySignal
from kesu.insights.recurrence import link_pending

from .conftest import customer, vin

pytestmark = pytest.mark.django_db

BRAKES_A = "刹车踩下去有吱吱的异响，刚换的刹车片，开了不到一百公里又响了"
BRAKES_B = "前轮刹车盘磨损很快，制动的时候方向盘跟着抖，希望店里尽快检查"
GEARBOX = "变速箱换挡顿挫，低速时一顿一顿的，担心开久了出问题"
VAGUE = "车子有问题，来店里好几次了，一直没有给我一个说法"


def person(
    demo: DemoOrg, dealer: int, n: int, *, vin_of: int | None = None, model: str = "轩逸 2023款"
) -> Any:
    """A customer with one vehicle; ``vin_of`` gives the vehicle the VIN of customer ``vin_of``."""
    return customer_services.create_customer(
        actor=demo.users[f"agent{dealer}"],
        name="李女士",
        mobile=f"1375555{n:04d}",
        vehicle=customer_services.VehicleInput(
            plate=f"粤B{n:05d}", vin=vin(vin_of if vin_of is not None else n), model_name=model
        ),
    )


def complain(
    demo: DemoOrg, dealer: int, who: Any, text: str, *, days_ago: float = 0, vehicle: Any = None
) -> Complaint:
    received = timezone.now() - timedelta(days=days_ago) if days_ago else None
    draft = complaint_services.ComplaintDraft(
        customer_id=who.pk,
        vehicle_id=(vehicle or who.vehicles.first()).pk,
        channel="phone",
        verbatim=text,
        received_at=received,
    )
    complaint = flows.create_complaint(actor=demo.users[f"agent{dealer}"], draft=draft)
    link_pending()  # what the worker does next (intake leaves the linking pending)
    return complaint


def related(api: Any, username: str, complaint: Complaint) -> dict[int, list[str]]:
    response = api(username).get(f"/api/v1/insights/complaints/{complaint.pk}/related")
    assert response.status_code == 200, response.content
    return {row["id"]: row["reasons"] for row in response.json()}


def repair(demo: DemoOrg, complaint: Complaint, dealer: int = 1) -> None:
    """Take the complaint to "implementing": the repair has been done."""
    agent = demo.users[f"agent{dealer}"]
    steps: list[tuple[str, dict[str, Any]]] = [
        ("start_investigation", {"promised_plan_at": timezone.now() + timedelta(hours=24), "note": "已致歉"}),
        ("propose_plan", {"root_cause": "刹车片质量问题", "plan": "免费更换刹车片"}),
        ("customer_agrees", {"note": "客户同意"}),
        ("start_implementation", {}),
    ]
    for action, inputs in steps:
        flows.transition(actor=agent, complaint_id=complaint.pk, action=action, inputs=inputs)


# --- links --------------------------------------------------------------------------------------


def test_second_complaint_of_the_same_customer_and_car_is_linked_both_ways(demo, api):
    owner = customer(demo, 1, 1)
    first = complain(demo, 1, owner, BRAKES_A, days_ago=10)
    second = complain(demo, 1, owner, GEARBOX)
    assert set(related(api, "agent1", second)[first.pk]) == {"same_vehicle", "same_customer"}
    assert set(related(api, "agent1", first)[second.pk]) == {"same_vehicle", "same_customer"}


def test_the_same_vin_under_another_customer_record_is_the_same_vehicle(demo, api):
    owner = person(demo, 1, 1)
    new_owner = person(demo, 1, 2, vin_of=1)  # the car was sold on; registered again
    first = complain(demo, 1, owner, BRAKES_A, days_ago=5)
    second = complain(demo, 1, new_owner, GEARBOX)
    assert related(api, "agent1", second) == {first.pk: ["same_vehicle"]}


def test_the_same_customer_with_another_car_is_linked_as_the_same_customer_only(demo, api):
    owner = person(demo, 1, 1)
    other_car = customer_services.add_vehicle(
        actor=demo.users["agent1"],
        customer_id=owner.pk,
        data=customer_services.VehicleInput(plate="粤B77777", vin=vin(77), model_name="奇骏 2024款"),
    )
    first = complain(demo, 1, owner, BRAKES_A, days_ago=3)
    second = complain(demo, 1, owner, GEARBOX, vehicle=other_car)
    assert related(api, "agent1", second) == {first.pk: ["same_customer"]}


def test_same_fault_on_the_same_model_at_the_same_dealer_is_linked(demo, api):
    first = complain(demo, 1, person(demo, 1, 1), BRAKES_A, days_ago=2)
    second = complain(demo, 1, person(demo, 1, 2), BRAKES_B)
    other_model = complain(demo, 1, person(demo, 1, 3, model="天籁 2022款"), BRAKES_B)
    other_fault = complain(demo, 1, person(demo, 1, 4), GEARBOX)
    links = related(api, "agent1", second)
    assert links == {first.pk: ["same_fault"]}
    assert other_model.pk not in links and other_fault.pk not in links
    assert related(api, "agent1", other_model) == {}


def test_complaints_outside_the_window_are_not_linked(demo, api, settings):
    owner = customer(demo, 1, 1)
    old = complain(demo, 1, owner, BRAKES_A, days_ago=120)
    new = complain(demo, 1, owner, GEARBOX)
    assert related(api, "agent1", new) == {}
    settings.KESU_INSIGHTS_LINK_WINDOW_DAYS = 150
    newer = complain(demo, 1, owner, VAGUE)
    assert set(related(api, "agent1", newer)) == {old.pk, new.pk}


def test_choosing_the_fault_area_links_complaints_the_words_did_not(demo, api):
    first = complain(demo, 1, person(demo, 1, 1), VAGUE, days_ago=1)
    second = complain(demo, 1, person(demo, 1, 2), VAGUE + "，很失望")
    assert related(api, "agent1", second) == {}
    for complaint in (first, second):
        flows.decide(
            actor=demo.users["agent1"], complaint_id=complaint.pk, field="fault_area", chosen="brakes"
        )
    assert related(api, "agent1", second) == {first.pk: ["same_fault"]}


# --- repeat repairs ---------------------------------------------------------------------------


def test_a_fault_back_after_a_repair_is_a_repeat_repair(demo, api):
    owner = customer(demo, 1, 1)
    car = owner.vehicles.get()
    first = complain(demo, 1, owner, BRAKES_A, days_ago=20)
    before_repair = complain(demo, 1, owner, BRAKES_B, days_ago=10)
    repair(demo, first)
    again = complain(demo, 1, owner, "刹车又开始异响了，上次换了刹车片也没用")
    gearbox = complain(demo, 1, owner, GEARBOX)

    def flagged(c: Complaint) -> bool:
        body = api("agent1").get(f"/api/v1/insights/complaints/{c.pk}/suggestions").json()
        return bool(body["repeat_repair"])

    assert flagged(again)
    assert not flagged(before_repair) and not flagged(first) and not flagged(gearbox)
    assert "repeat_repair" in related(api, "agent1", again)[first.pk]
    response = api("agent1").get(f"/api/v1/insights/vehicles/{car.pk}/repeat-repairs")
    assert response.status_code == 200
    rows = response.json()
    assert [r["fault_area"] for r in rows] == ["brakes"]
    assert rows[0]["complaint_ids"] == [first.pk, before_repair.pk, again.pk]
    assert rows[0]["repaired_ids"] == [first.pk]
    assert rows[0]["repeat_ids"] == [again.pk]
    assert rows[0]["repairs"] == 1


def test_no_repeat_repair_while_the_earlier_complaint_was_never_repaired(demo, api):
    owner = customer(demo, 1, 1)
    car = owner.vehicles.get()
    complain(demo, 1, owner, BRAKES_A, days_ago=20)
    again = complain(demo, 1, owner, BRAKES_B)
    assert (
        api("agent1").get(f"/api/v1/insights/complaints/{again.pk}/suggestions").json()["repeat_repair"]
        is False
    )
    assert api("agent1").get(f"/api/v1/insights/vehicles/{car.pk}/repeat-repairs").json() == []


def test_repeat_repairs_of_another_dealers_vehicle_are_not_found(demo, api):
    owner = customer(demo, 1, 1)
    complain(demo, 1, owner, BRAKES_A)
    car = owner.vehicles.get()
    assert api("agent2").get(f"/api/v1/insights/vehicles/{car.pk}/repeat-repairs").status_code == 404
    assert api("manager3").get(f"/api/v1/insights/vehicles/{car.pk}/repeat-repairs").status_code == 404
    assert api("agent1").get(f"/api/v1/insights/vehicles/{car.pk}/repeat-repairs").status_code == 200


def test_a_repair_at_another_dealer_counts_but_is_not_shown(demo, api):
    """The car was repaired for its brakes at dealer 1; its owner now complains at dealer 2."""
    at_dealer1 = person(demo, 1, 1)
    first = complain(demo, 1, at_dealer1, BRAKES_A, days_ago=20)
    repair(demo, first)
    at_dealer2 = person(demo, 2, 2, vin_of=1)
    again = complain(demo, 2, at_dealer2, "刹车又开始异响了，上次换了刹车片也没用")
    suggestion = api("agent2").get(f"/api/v1/insights/complaints/{again.pk}/suggestions").json()
    assert suggestion["repeat_repair"] is True
    car = at_dealer2.vehicles.get()
    rows = api("agent2").get(f"/api/v1/insights/vehicles/{car.pk}/repeat-repairs").json()
    assert [r["fault_area"] for r in rows] == ["brakes"]
    assert rows[0]["complaint_ids"] == [again.pk] and rows[0]["repeat_ids"] == [again.pk]
    assert rows[0]["repaired_ids"] == [] and rows[0]["repairs_elsewhere"] == 1
    assert rows[0]["repairs"] == 1
    assert first.pk not in related(api, "agent2", again)
    # dealer 1 sees its own repair, and nothing of dealer 2's complaint
    own = api("agent1").get(f"/api/v1/insights/vehicles/{at_dealer1.vehicles.get().pk}/repeat-repairs")
    assert own.json() == []


# --- near-duplicates and quality signals ------------------------------------------------------


def test_near_identical_complaints_at_two_dealers_raise_one_quality_signal(demo):
    first = complain(demo, 1, customer(demo, 1, 1, "轩逸 2023款"), BRAKES_A, days_ago=2)
    second = complain(demo, 2, customer(demo, 2, 2, "轩逸2022款"), BRAKES_A.replace("一百", "两百"))
    signal = QualitySignal.objects.get()
    assert signal.manufacturer == demo.manufacturer
    assert signal.model_name == "轩逸"
    assert signal.fault_area == "brakes"
    assert signal.status == "open"
    assert (signal.complaint_count, signal.dealer_count) == (2, 2)
    assert set(signal.complaints.all()) == {first, second}
    assert signal.first_seen == first.received_at and signal.last_seen == second.received_at
    assert signal.shared_terms
    assert all(term in first.verbatim and term in second.verbatim for term in signal.shared_terms)
    # the admin, who sees both dealers, sees them linked as near-duplicates
    links = {
        r.complaint.pk: r for r in recurrence.related_complaints(actor=demo.users["admin"], complaint=second)
    }
    assert links[first.pk].reasons == ["near_duplicate"]
    assert 0.5 <= links[first.pk].score <= 1


def test_a_third_dealer_grows_the_open_signal(demo):
    complain(demo, 1, customer(demo, 1, 1), BRAKES_A, days_ago=3)
    complain(demo, 2, customer(demo, 2, 2), BRAKES_A.replace("一百", "两百"), days_ago=2)
    third = complain(demo, 3, customer(demo, 3, 3), BRAKES_A.replace("一百", "三百"))
    signal = QualitySignal.objects.get()
    assert (signal.complaint_count, signal.dealer_count) == (3, 3)
    assert third in signal.complaints.all()
    assert signal.last_seen == third.received_at


@pytest.mark.parametrize(
    "second_model, second_text, days_between, third_matches",
    [
        ("天籁 2022款", BRAKES_A.replace("一百", "两百"), 0, "first"),  # another model
        ("轩逸 2023款", BRAKES_B, 0, "first"),  # the same fault in other words
        ("轩逸 2023款", BRAKES_A.replace("一百", "两百"), 40, "second"),  # outside the 30-day window
        ("轩逸 2023款", GEARBOX + "，" + BRAKES_A[:8], 0, "first"),  # another fault area
    ],
)
def test_no_signal_without_a_near_duplicate(demo, second_model, second_text, days_between, third_matches):
    first = complain(demo, 1, customer(demo, 1, 1), BRAKES_A, days_ago=days_between + 1)
    second = complain(demo, 2, customer(demo, 2, 2, second_model), second_text)
    assert not QualitySignal.objects.exists()
    admin_view = recurrence.related_complaints(actor=demo.users["admin"], complaint=second)
    assert first.pk not in {r.complaint.pk for r in admin_view}
    # a true near-duplicate at a third dealer today does raise one, with the one it matches
    third = complain(demo, 3, customer(demo, 3, 3), BRAKES_A.replace("一百", "三百"))
    matched = first if third_matches == "first" else second
    assert set(QualitySignal.objects.get().complaints.all()) == {matched, third}


def test_near_identical_complaints_at_one_dealer_are_no_quality_signal(demo, api):
    first = complain(demo, 1, customer(demo, 1, 1), BRAKES_A, days_ago=1)
    second = complain(demo, 1, customer(demo, 1, 2), BRAKES_A.replace("一百", "两百"))
    assert not QualitySignal.objects.exists()
    assert related(api, "agent1", second) == {first.pk: ["same_fault"]}


# --- scope: a dealer never learns of another dealer's complaints ------------------------------


def test_a_car_known_at_two_dealers_is_linked_but_each_dealer_sees_only_its_own(demo, api):
    at_one = complain(demo, 1, customer(demo, 1, 5), BRAKES_A, days_ago=4)
    at_two = complain(demo, 2, customer(demo, 2, 5), BRAKES_A.replace("一百", "两百"))  # same VIN
    other_number = at_one.number
    for username, complaint in (
        ("agent2", at_two),
        ("manager2", at_two),
        ("agent1", at_one),
        ("gm1", at_one),
    ):
        response = api(username).get(f"/api/v1/insights/complaints/{complaint.pk}/related")
        assert response.status_code == 200
        assert response.json() == []
    # the region manager over both dealers and the administrator see the link
    assert set(related(api, "region1", at_two)[at_one.pk]) >= {"same_vehicle", "near_duplicate"}
    assert at_one.pk in related(api, "admin", at_two)
    # the other dealer's suggestions and the panel do not name it either
    body = api("agent2").get(f"/api/v1/insights/complaints/{at_two.pk}/suggestions").content.decode()
    assert other_number not in body
    repeats = api("agent2").get(f"/api/v1/insights/vehicles/{at_two.vehicle_id}/repeat-repairs").json()
    assert all(at_one.pk not in r["complaint_ids"] for r in repeats)


def test_repeat_repair_at_another_dealer_is_not_listed_for_this_dealer(demo, api):
    first = complain(demo, 1, customer(demo, 1, 6), BRAKES_A, days_ago=20)
    repair(demo, first, 1)
    at_two = complain(demo, 2, customer(demo, 2, 6), BRAKES_B)  # same car, now at dealer 2
    listing = api("agent2").get(f"/api/v1/insights/vehicles/{at_two.vehicle_id}/repeat-repairs").json()
    assert all(first.pk not in r["complaint_ids"] + r["repaired_ids"] for r in listing)
    assert first.pk not in related(api, "agent2", at_two)
    # the region manager over both dealers sees the whole history
    assert "repeat_repair" in related(api, "region1", at_two)[first.pk]


def test_correcting_the_fault_area_drops_the_same_fault_link(demo, api):
    first = complain(demo, 1, person(demo, 1, 1), BRAKES_A, days_ago=2)
    second = complain(demo, 1, person(demo, 1, 2), BRAKES_B)
    assert related(api, "agent1", second) == {first.pk: ["same_fault"]}
    # the agent reads the complaint again: it is about the gearbox, not the brakes
    flows.decide(
        actor=demo.users["agent1"], complaint_id=second.pk, field="fault_area", chosen="transmission"
    )
    assert related(api, "agent1", second) == {}
    assert related(api, "agent1", first) == {}


def test_the_duplicate_window_holds_whichever_complaint_is_registered_first(demo):
    # the later complaint is registered first; those received 40 days earlier are recorded after
    later = complain(demo, 1, customer(demo, 1, 1), BRAKES_A)
    earlier = complain(demo, 2, customer(demo, 2, 2), BRAKES_A.replace("一百", "两百"), days_ago=40)
    also_earlier = complain(demo, 3, customer(demo, 3, 3), BRAKES_A.replace("一百", "三百"), days_ago=40)
    signal = QualitySignal.objects.get()
    assert set(signal.complaints.all()) == {earlier, also_earlier}  # 40 days apart from the later one
    admin_view = recurrence.related_complaints(actor=demo.users["admin"], complaint=earlier)
    assert {r.complaint.pk for r in admin_view} == {also_earlier.pk}
    assert later.pk not in {r.complaint.pk for r in admin_view}


def _register_only(demo: DemoOrg, dealer: int, who: Any, text: str) -> Complaint:
    draft = complaint_services.ComplaintDraft(
        customer_id=who.pk, vehicle_id=who.vehicles.first().pk, channel="phone", verbatim=text
    )
    return flows.create_complaint(actor=demo.users[f"agent{dealer}"], draft=draft)


def test_intake_leaves_the_links_to_the_worker_and_nothing_is_linked_twice(demo):
    from kesu.insights.models import ComplaintLink, Suggestion
    from kesu.insights.tasks import link_new_complaints

    who = customer(demo, 1, 1)
    first = _register_only(demo, 1, who, BRAKES_A)
    second = _register_only(demo, 1, who, BRAKES_B)
    assert Suggestion.objects.filter(links_pending=True).count() == 2
    assert not ComplaintLink.objects.exists()  # the intake itself did not link

    assert link_new_complaints.call() == 2  # the worker's periodic task
    links = set(ComplaintLink.objects.values_list("complaint_id", "other_id", "reason"))
    assert (second.pk, first.pk, "same_customer") in links
    assert not Suggestion.objects.filter(links_pending=True).exists()
    assert link_new_complaints.call() == 0  # nothing left, nothing doubled
    assert set(ComplaintLink.objects.values_list("complaint_id", "other_id", "reason")) == links


def test_a_reader_does_not_wait_for_the_worker_to_see_related_complaints(demo, api):
    who = customer(demo, 1, 1)
    first = _register_only(demo, 1, who, BRAKES_A)
    second = _register_only(demo, 1, who, BRAKES_B)
    assert first.pk in related(api, "agent1", second)  # linked on the spot by the read


def test_a_complaint_whose_fault_area_is_corrected_leaves_the_quality_signal(demo):
    first = complain(demo, 1, customer(demo, 1, 1, "轩逸 2023款"), BRAKES_A, days_ago=2)
    second = complain(demo, 2, customer(demo, 2, 2, "轩逸2022款"), BRAKES_A.replace("一百", "两百"))
    third = complain(demo, 3, customer(demo, 3, 3, "轩逸 2023款"), BRAKES_A.replace("一百", "三百"))
    signal = QualitySignal.objects.get()
    assert (signal.complaint_count, signal.dealer_count) == (3, 3)

    flows.decide(actor=demo.users["agent3"], complaint_id=third.pk, field="fault_area", chosen="transmission")
    signal.refresh_from_db()
    assert set(signal.complaints.all()) == {first, second}
    assert (signal.complaint_count, signal.dealer_count, signal.status) == (2, 2, "open")

    flows.decide(
        actor=demo.users["agent2"], complaint_id=second.pk, field="fault_area", chosen="transmission"
    )
    signal.refresh_from_db()  # one dealer left: no pattern across dealers any more
    assert (signal.complaint_count, signal.dealer_count, signal.status) == (1, 1, "closed")
