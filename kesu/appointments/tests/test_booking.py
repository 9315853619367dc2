"""Booking rules over the API as an integrator sees them: slots within business hours with their
capacity, booking and its bad input (each naming the field, nothing half-saved), 409 slot_full,
the advisor booked once per slot, the confirmation call per policy, cancel / reschedule /
no-show / arrival, the report and the welcome board."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kesu.appointments import services
from kesu.appointments.models import Appointment, SlotPlan
from kesu.appointments.selectors import PLANS
from kesu.appointments.services import BookingInput
from kesu.complaints.tests.factories import make_customer
from kesu.sla.models import CalendarOverride
from kesu.worklist.models import WorkItem

from .conftest import at


def body(day: date, hhmm: str = "09:30", **extra):  # type: ignore[no-untyped-def]
    return {
        "plate": "粤A12345",
        "name": "张先生",
        "mobile": "13912345678",
        "arrival_at": at(day, hhmm).isoformat(),
        "work_items": ["maintenance"],
        "mileage_km": 15000,
        **extra,
    }


def saved() -> tuple[int, int]:
    return Appointment.objects.count(), WorkItem.objects.count()


def test_slots_of_a_day_lie_within_business_hours_with_capacity(api, day):
    answer = api("agent1").get(f"/api/v1/appointment-slots?date={day}")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    starts = [slot["start"][11:16] for slot in data["slots"]]
    # 08:30–12:00: 08:30, 09:30, 10:30 (an 11:30 slot would end after noon); 13:30–18:00: four
    assert starts == ["08:30", "09:30", "10:30", "13:30", "14:30", "15:30", "16:30"]
    assert {(s["capacity"], s["booked"], s["free"]) for s in data["slots"]} == {(2, 0, 2)}
    assert data["slot_minutes"] == 60 and data["slots"][0]["start"].endswith("+08:00")


def test_a_statutory_holiday_and_a_closed_day_have_no_slots(api, hours):
    assert api("agent1").get("/api/v1/appointment-slots?date=2026-10-01").json()["slots"] == []  # 国庆
    closed = timezone.localdate() + timedelta(days=5)
    CalendarOverride.objects.create(organization=hours.dealers["D1"], date=closed, is_open=False)
    assert api("agent1").get(f"/api/v1/appointment-slots?date={closed}").json()["slots"] == []
    answer = api("agent1").post("/api/v1/appointments", body(closed))
    assert answer.status_code == 422 and set(answer.json()["error"]["fields"]) == {"arrival_at"}


def test_capacity_per_slot_is_min_of_bays_and_advisors_or_explicit(api, day, demo):
    SlotPlan.objects.filter(dealer=demo.dealers["D1"]).update(
        bays=5, advisors=3, slot_capacity={"13:30": 1, "14:30": 0}
    )
    PLANS.clear()  # an edit bypassing set_plan: this process's cached plan forgotten
    slots = {
        s["start"][11:16]: s["capacity"]
        for s in api("agent1").get(f"/api/v1/appointment-slots?date={day}").json()["slots"]
    }
    assert slots["08:30"] == 3 and slots["13:30"] == 1 and slots["14:30"] == 0
    closed = api("agent1").post("/api/v1/appointments", body(day, "14:30"))
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "slot_full"


def test_a_booking_links_the_customer_and_opens_the_confirmation_call(api, day, demo):
    customer = make_customer(demo, 1, mobile="13912345678", plate="粤A12345")
    answer = api("agent1").post("/api/v1/appointments", body(day, work_note="左前轮异响"))
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["customer_id"] == customer.pk and data["vehicle_id"] == customer.vehicles.get().pk
    assert data["mobile_masked"] == "139****5678" and "mobile" not in data
    assert data["arrival_at"] == at(day, "09:30").isoformat() and data["state"] == "booked"
    item = WorkItem.objects.get(kind="confirmation")
    # the default policy: the day before at 16:00, assigned to the agent who booked
    assert timezone.localtime(item.due_at) == at(day - timedelta(days=1), "16:00")
    assert item.assignee == demo.users["agent1"] and item.state == "open" and "粤A12345" in item.subject
    slots = api("agent1").get(f"/api/v1/appointment-slots?date={day}").json()["slots"]
    assert [(s["booked"], s["free"]) for s in slots if s["start"][11:16] == "09:30"] == [(1, 1)]


def test_fifteen_minutes_before_policy(api, day, demo):
    SlotPlan.objects.filter(dealer=demo.dealers["D1"]).update(confirm_policy="minutes_before")
    PLANS.clear()
    assert api("agent1").post("/api/v1/appointments", body(day, "13:30")).status_code == 201
    assert timezone.localtime(WorkItem.objects.get().due_at) == at(day, "13:15")


def test_a_stranger_without_a_match_books_without_a_customer(api, day):
    data = (
        api("agent1").post("/api/v1/appointments", body(day, mobile="13700000000", plate="粤A99999")).json()
    )
    assert data["customer_id"] is None and data["vehicle_id"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mobile": "call me"}, "mobile"),
        ({"mobile": "1391234"}, "mobile"),
        ({"plate": "粤A1234I"}, "plate"),
        ({"name": "  "}, "name"),
        ({"work_items": []}, "work_items"),
        ({"work_items": ["wash"]}, "work_items"),
        ({"work_items": ["other"]}, "work_note"),
        ({"mileage_km": -5}, "mileage_km"),
        ({"salutation": "dr"}, "salutation"),
        ({"arrival_at": "2020-01-06T09:30:00+08:00"}, "arrival_at"),
        ({"arrival_at": "tomorrow"}, "arrival_at"),
        ({"customer_id": 999999}, "customer_id"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(api, day, change, field):
    answer = api("agent1").post("/api/v1/appointments", body(day, **change))
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["error"]["fields"], answer.json()
    assert saved() == (0, 0)


@pytest.mark.parametrize(
    ("hhmm", "says"), [("19:00", "营业时间"), ("12:30", "营业时间"), ("09:45", "时段"), ("07:00", "营业时间")]
)
def test_outside_business_hours_or_between_slot_starts(api, day, hhmm, says):
    answer = api("agent1").post("/api/v1/appointments", body(day, hhmm))
    assert answer.status_code == 422
    assert says in answer.json()["error"]["fields"]["arrival_at"]
    assert saved() == (0, 0)


def test_a_past_slot_is_refused(api, hours):
    yesterday = timezone.localdate() - timedelta(days=1)
    answer = api("agent1").post("/api/v1/appointments", body(yesterday, "09:30"))
    assert answer.status_code == 422 and "arrival_at" in answer.json()["error"]["fields"]


def test_beyond_capacity_is_409_slot_full_and_a_cancellation_frees_the_place(api, day):
    client = api("agent1")
    first = client.post("/api/v1/appointments", body(day)).json()
    client.post("/api/v1/appointments", body(day, plate="粤A22222"))
    full = client.post("/api/v1/appointments", body(day, plate="粤A33333"))
    assert full.status_code == 409
    assert full.json()["error"]["code"] == "slot_full" and "arrival_at" in full.json()["error"]["fields"]
    assert saved() == (2, 2)
    assert (
        client.post(f"/api/v1/appointments/{first['id']}/cancel", {"reason": "客户有事"}).status_code == 200
    )
    assert WorkItem.objects.get(ref_id=first["id"]).state == "cancelled"
    again = client.post(f"/api/v1/appointments/{first['id']}/cancel")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_cancelled"
    assert client.post("/api/v1/appointments", body(day, plate="粤A33333")).status_code == 201


def test_an_advisor_is_booked_once_per_slot_and_must_be_of_the_dealer(api, day, demo):
    client = api("agent1")
    advisor = demo.users["manager1"].pk
    assert client.post("/api/v1/appointments", body(day, advisor_id=advisor)).status_code == 201
    busy = client.post("/api/v1/appointments", body(day, plate="粤A22222", advisor_id=advisor))
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "advisor_busy"
    assert "advisor_id" in busy.json()["error"]["fields"]
    other = client.post(
        "/api/v1/appointments", body(day, plate="粤A22222", advisor_id=demo.users["manager2"].pk)
    )
    assert other.status_code == 422 and set(other.json()["error"]["fields"]) == {"advisor_id"}
    assert client.post("/api/v1/appointments", body(day, "10:30", advisor_id=advisor)).status_code == 201
    assert saved() == (2, 2)


def test_reschedule_moves_the_place_and_the_confirmation_call(api, day, demo):
    client = api("agent1")
    made = client.post("/api/v1/appointments", body(day)).json()
    client.post(f"/api/v1/appointments/{made['id']}/confirm", {"note": "准时到"})
    later = day + timedelta(days=1)
    while not services.slots_of_day(dealer_id=demo.dealers["D1"].pk, day=later):
        later += timedelta(days=1)
    moved = client.post(
        f"/api/v1/appointments/{made['id']}/reschedule", {"arrival_at": at(later, "14:30").isoformat()}
    )
    assert moved.status_code == 200, moved.content
    data = moved.json()
    assert data["arrival_at"] == at(later, "14:30").isoformat() and data["rescheduled"] == 1
    assert data["confirmed_at"] is None  # the new time is confirmed again
    item = WorkItem.objects.get()
    assert item.state == "open" and timezone.localtime(item.due_at) == at(later - timedelta(days=1), "16:00")
    slots = {
        s["start"][11:16]: s["booked"]
        for s in client.get(f"/api/v1/appointment-slots?date={day}").json()["slots"]
    }
    assert slots["09:30"] == 0
    bad = client.post(
        f"/api/v1/appointments/{made['id']}/reschedule", {"arrival_at": at(later, "12:30").isoformat()}
    )
    assert bad.status_code == 422 and "arrival_at" in bad.json()["error"]["fields"]


def test_reschedule_into_a_full_slot_keeps_the_old_place(api, day):
    client = api("agent1")
    made = client.post("/api/v1/appointments", body(day)).json()
    for plate in ("粤A22222", "粤A33333"):
        client.post("/api/v1/appointments", body(day, "10:30", plate=plate))
    full = client.post(
        f"/api/v1/appointments/{made['id']}/reschedule", {"arrival_at": at(day, "10:30").isoformat()}
    )
    assert full.status_code == 409 and full.json()["error"]["code"] == "slot_full"
    assert Appointment.objects.get(pk=made["id"]).slot_start == at(day, "09:30")


def test_confirm_closes_the_work_item_once(api, day, demo):
    client = api("agent1")
    made = client.post("/api/v1/appointments", body(day)).json()
    done = client.post(f"/api/v1/appointments/{made['id']}/confirm", {"note": "准时到"})
    assert done.status_code == 200 and done.json()["confirmed_by_id"] == demo.users["agent1"].pk
    item = WorkItem.objects.get()
    assert item.state == "done" and item.done_by == demo.users["agent1"]
    assert (
        client.post(f"/api/v1/appointments/{made['id']}/confirm").json()["error"]["code"]
        == "already_confirmed"
    )


def test_no_show_only_after_the_time_and_arrival_only_on_the_day(api, day, demo):
    client = api("agent1")
    made = client.post("/api/v1/appointments", body(day)).json()
    early = client.post(f"/api/v1/appointments/{made['id']}/no-show")
    assert early.status_code == 422 and "state" in early.json()["error"]["fields"]
    assert client.post(f"/api/v1/appointments/{made['id']}/arrived").status_code == 422
    # the day came and went
    Appointment.objects.filter(pk=made["id"]).update(slot_start=timezone.now() - timedelta(hours=1))
    gone = client.post(f"/api/v1/appointments/{made['id']}/no-show")
    assert gone.status_code == 200 and gone.json()["state"] == "no_show"
    assert client.post(f"/api/v1/appointments/{made['id']}/cancel").status_code == 409


def test_the_report_counts_by_day_work_item_and_advisor(api, day, demo):
    client = api("agent1")
    advisor = demo.users["manager1"].pk
    ids = [
        client.post(
            "/api/v1/appointments", body(day, hhmm, plate=plate, advisor_id=adv, work_items=work)
        ).json()["id"]
        for hhmm, plate, adv, work in (
            ("08:30", "粤A11111", advisor, ["maintenance"]),
            ("09:30", "粤A22222", advisor, ["repair", "inspection"]),
            ("09:30", "粤A33333", None, ["maintenance"]),
        )
    ]
    client.post(f"/api/v1/appointments/{ids[2]}/cancel")
    client.post(f"/api/v1/appointments/{ids[0]}/confirm")
    Appointment.objects.filter(pk=ids[1]).update(state="arrived")
    report = client.get(
        f"/api/v1/appointment-report?date_from={day}&date_to={day + timedelta(days=1)}"
    ).json()
    first = report["days"][0]
    assert (first["total"], first["booked"], first["arrived"], first["cancelled"], first["confirmed"]) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert report["days"][1]["total"] == 0
    assert report["by_work_item"] == {"maintenance": 1, "repair": 1, "inspection": 1, "other": 0}
    assert report["by_advisor"] == [
        {"advisor_id": advisor, "advisor": "服务经理1", "total": 2, "arrived": 1, "no_show": 0}
    ]
    too_long = client.get(f"/api/v1/appointment-report?date_from={day}&date_to={day + timedelta(days=100)}")
    assert too_long.status_code == 422 and "date_to" in too_long.json()["error"]["fields"]


def test_plate_mask_and_greeting():
    assert services.mask_plate("粤A12345") == "粤A·***45"
    assert services.mask_plate("粤BD12345") == "粤B·****45"
    assert services.greeting("张伟", "mr") == "张先生" and services.greeting("李女士", "") == "李女士"
    assert services.greeting("王芳", "ms") == "王女士"


def test_the_plan_is_set_by_the_general_manager(api, hours, demo):
    plan = {
        "slot_minutes": 30,
        "bays": 6,
        "advisors": 4,
        "slot_capacity": {"9:00": 2},
        "confirm_policy": "minutes_before",
    }
    assert api("agent1")._send("put", "/api/v1/appointment-plan", plan).status_code == 403
    answer = api("gm1")._send("put", "/api/v1/appointment-plan", plan)
    assert answer.status_code == 200, answer.content
    assert answer.json()["capacity"] == 4 and answer.json()["slot_capacity"] == {"09:00": 2}
    assert api("agent1").get("/api/v1/appointment-plan").json()["slot_minutes"] == 30
    wrong = api("gm1")._send(
        "put", "/api/v1/appointment-plan", {**plan, "slot_minutes": 7, "confirm_policy": "never"}
    )
    assert wrong.status_code == 422 and set(wrong.json()["error"]["fields"]) == {
        "slot_minutes",
        "confirm_policy",
    }
    other = api("gm1")._send("put", f"/api/v1/appointment-plan?dealer={demo.dealers['D2'].pk}", plan)
    assert other.status_code == 404


def test_a_service_books_for_a_follow_up_call(demo, day):
    made = services.book(
        actor=demo.users["agent1"],
        data=BookingInput(
            plate="粤A12345",
            name="王芳",
            salutation="ms",
            mobile="13912345678",
            arrival_at=at(day, "15:30"),
            work_items=["maintenance"],
            followup_id=42,
        ),
    )
    assert made.followup_id == 42 and made.salutation == "ms"
