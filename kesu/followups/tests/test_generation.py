"""The worker generates follow-up calls: one revisit per closed complaint (idempotent on rerun),
the 3-day call after a service visit, the 3- and 7-day calls after a delivery — due on the
dealer's working calendar — each on the worklist."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kesu import flows
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.followups import services
from kesu.followups.choices import FollowUpKind, FollowUpState
from kesu.followups.models import FollowUp, GenerationCursor, VehicleEvent
from kesu.followups.tasks import generate, generate_followups
from kesu.ops.management.commands.tick import PERIODIC
from kesu.sla import services as sla_services
from kesu.sla.policies import calendar_for, forget_calendars
from kesu.worklist.choices import WorkKind, WorkState
from kesu.worklist.models import WorkItem

from .helpers import closed_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendars() -> None:
    forget_calendars()


def items_of(followup: FollowUp) -> list[WorkItem]:
    return list(WorkItem.objects.filter(ref_model="followups.followup", ref_id=followup.pk))


def test_a_closed_complaint_gets_one_revisit_due_the_next_working_day_even_when_run_again(demo):
    complaint = closed_complaint(demo, days_ago=0)
    open_one = make_complaint(demo, 1, verbatim="空调不制冷")  # not closed: no revisit
    first = generate()
    assert first.revisits == 1
    (followup,) = FollowUp.objects.filter(kind=FollowUpKind.REVISIT)
    assert followup.complaint_id == complaint.pk and followup.customer_id == complaint.customer_id
    assert followup.state == FollowUpState.OPEN and followup.attempts == 0
    # the sla rule of the revisit: the first opening of the next working day after the close
    assert followup.due_at == sla_services.revisit_earliest(complaint)
    assert followup.assignee_id == complaint.assignee_id  # the agent who handled it
    (item,) = items_of(followup)
    assert (item.kind, item.state, item.due_at, item.complaint_id) == (
        WorkKind.FOLLOW_UP,
        WorkState.OPEN,
        followup.due_at,
        complaint.pk,
    )
    assert "投诉结案回访" in item.subject
    again = generate()
    assert again.revisits == 0
    assert FollowUp.objects.filter(kind=FollowUpKind.REVISIT).count() == 1
    assert WorkItem.objects.filter(kind=WorkKind.FOLLOW_UP).count() == 1
    assert not FollowUp.objects.filter(complaint=open_one).exists()


def test_rerun_from_an_old_cursor_creates_nothing_twice_and_a_reopened_cycle_gets_its_own(demo):
    complaint = closed_complaint(demo)
    generate()
    GenerationCursor.objects.update(position=0)  # a lost cursor: everything read again
    assert generate().revisits == 0
    # reopened (the old revisit clock stops) and closed again: a new revisit for the new cycle
    flows.transition(
        actor=demo.users["agent1"], complaint_id=complaint.pk, action="reopen", inputs={"reason": "又响了"}
    )
    agent = demo.users["agent1"]
    flows.transition(
        actor=agent,
        complaint_id=complaint.pk,
        action="start_investigation",
        inputs={"promised_plan_at": timezone.now() + timedelta(hours=4), "note": "再查"},
    )
    for actor, action, inputs in (
        (demo.users["dept1"], "propose_plan", {"root_cause": "卡钳", "plan": "更换卡钳"}),
        (agent, "customer_agrees", {"note": "同意"}),
        (demo.users["dept1"], "start_implementation", {}),
        (demo.users["dept1"], "finish_implementation", {"note": "完成"}),
        (agent, "close", {"satisfaction": "satisfied", "note": "满意"}),
    ):
        flows.transition(actor=actor, complaint_id=complaint.pk, action=action, inputs=inputs)
    assert generate().revisits == 1
    assert FollowUp.objects.filter(complaint=complaint, kind=FollowUpKind.REVISIT).count() == 2


def test_a_revisit_already_recorded_on_the_complaint_page_generates_no_call(demo):
    complaint = closed_complaint(demo)
    sla_services.record_revisit(actor=demo.users["agent1"], complaint_id=complaint.pk, note="已回访,满意")
    assert generate().revisits == 0


def test_service_visit_posted_by_the_dms_gets_the_3_day_call_on_the_working_calendar(demo, api):
    customer = make_customer(demo, 1)
    vehicle = customer.vehicles.get()
    finished = timezone.now() - timedelta(hours=1)
    body = {
        "finished_at": finished.isoformat(),
        "work": "10000公里保养",
        "advisor": "李工",
        "ro_number": "RO-1",
    }
    response = api("agent1").post(f"/api/v1/vehicles/{vehicle.pk}/service-visits", body)
    assert response.status_code == 201, response.content
    assert response.json()["generated"] is False
    again = api("agent1").post(f"/api/v1/vehicles/{vehicle.pk}/service-visits", body)  # the DMS retries
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert VehicleEvent.objects.count() == 1
    generate_followups.call()  # the task itself, as the worker runs it
    (followup,) = FollowUp.objects.all()
    assert followup.kind == FollowUpKind.SERVICE_3D and followup.vehicle_id == vehicle.pk
    calendar = calendar_for(demo.dealers["D1"].pk)
    assert followup.due_at == services.opening_of_working_day(calendar, finished, 3)
    assert len(items_of(followup)) == 1
    assert VehicleEvent.objects.get().generated_at is not None
    assert generate().after_events == 0  # idempotent


def test_a_delivery_gets_the_3_and_7_day_calls(demo, api):
    vehicle = make_customer(demo, 1).vehicles.get()
    delivered = timezone.now() - timedelta(hours=2)
    response = api("agent1").post(
        f"/api/v1/vehicles/{vehicle.pk}/deliveries",
        {"delivered_at": delivered.isoformat(), "advisor": "王顾问"},
    )
    assert response.status_code == 201, response.content
    generate()
    calls = {f.kind: f for f in FollowUp.objects.all()}
    assert set(calls) == {FollowUpKind.DELIVERY_3D, FollowUpKind.DELIVERY_7D}
    calendar = calendar_for(demo.dealers["D1"].pk)
    assert calls[FollowUpKind.DELIVERY_3D].due_at == services.opening_of_working_day(calendar, delivered, 3)
    assert calls[FollowUpKind.DELIVERY_7D].due_at == services.opening_of_working_day(calendar, delivered, 7)
    assert calls[FollowUpKind.DELIVERY_3D].due_at < calls[FollowUpKind.DELIVERY_7D].due_at
    assert WorkItem.objects.filter(kind=WorkKind.FOLLOW_UP, state=WorkState.OPEN).count() == 2


def test_a_national_holiday_moves_the_3_day_call_past_it(demo, api):
    """Delivered on 2026-09-29: 10-01..10-07 are the National Day holiday (chinesecalendar)."""
    calendar = calendar_for(demo.dealers["D1"].pk)
    delivered = datetime(2026, 9, 29, 15, 0, tzinfo=calendar.zone)
    due = services.opening_of_working_day(calendar, delivered, 3)
    assert due.astimezone(calendar.zone).date() > datetime(2026, 10, 7).date()
    assert calendar.is_open(due)  # type: ignore[attr-defined]


def test_generation_in_batches_is_set_based(demo, django_assert_max_num_queries):
    customer = make_customer(demo, 1)
    vehicle = customer.vehicles.get()
    now = timezone.now()
    VehicleEvent.objects.bulk_create(
        [
            VehicleEvent(
                dealer=demo.dealers["D1"],
                vehicle=vehicle,
                customer=customer,
                kind="delivery" if i % 2 else "service_visit",
                happened_at=now - timedelta(minutes=i),
                created_by=demo.users["agent1"],
            )
            for i in range(300)
        ]
    )
    with django_assert_max_num_queries(60):  # a few statements per batch, not per event (300)
        read, created = services.generate_from_events(calendar_of=calendar_for, batch=100)
    assert (read, created) == (300, 450)
    assert WorkItem.objects.filter(kind=WorkKind.FOLLOW_UP).count() == 450


def test_the_tick_queues_the_generation():
    assert generate_followups in PERIODIC


def test_bad_events_name_the_field_and_save_nothing(demo, api):
    vehicle = make_customer(demo, 1).vehicles.get()
    url = f"/api/v1/vehicles/{vehicle.pk}/service-visits"
    future = (timezone.now() + timedelta(days=1)).isoformat()
    cases = [
        ({"finished_at": future}, "finished_at"),
        ({"finished_at": "yesterday"}, "finished_at"),
        ({}, "finished_at"),
        ({"finished_at": timezone.now().isoformat(), "mileage_km": -5}, "mileage_km"),
        ({"finished_at": timezone.now().isoformat(), "assignee_id": demo.users["agent2"].pk}, "assignee_id"),
        ({"finished_at": timezone.now().isoformat(), "ro_number": "R" * 41}, "ro_number"),
    ]
    for body, field in cases:
        response = api("agent1").post(url, body)
        assert response.status_code == 422, (body, response.content)
        assert field in response.json()["error"]["fields"], response.json()
    assert VehicleEvent.objects.count() == 0
