"""Clocks across a complaint's life: closing, the revisit, reopening, and the policy version the
complaint keeps; how clocks read in the API (real seconds to the due time, recorded breaches);
and the queue order on every database."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kesu import flows
from kesu.complaints.tests.factories import make_complaint
from kesu.core.errors import InvalidInput
from kesu.organizations.models import User
from kesu.sla import services
from kesu.sla.models import Breach, Clock, EscalationStep, SlaPolicy
from kesu.sla.policies import POLICY_FIELDS, ensure_default_policy, forget_calendars, save_policy_version
from kesu.sla.sweep import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendars() -> None:
    forget_calendars()


def walk_to_closed(demo: Any, complaint_id: int) -> None:
    agent, dept = demo.users["agent1"], demo.users["dept1"]
    steps: list[tuple[User, str, dict[str, Any]]] = [
        (
            agent,
            "start_investigation",
            {"promised_plan_at": timezone.now() + timedelta(hours=4), "note": "致歉"},
        ),
        (dept, "propose_plan", {"root_cause": "继电器", "plan": "更换"}),
        (agent, "customer_agrees", {"note": "同意"}),
        (dept, "start_implementation", {}),
        (dept, "finish_implementation", {"note": "完成"}),
        (agent, "close", {"satisfaction": "satisfied", "note": "满意"}),
    ]
    for actor, action, inputs in steps:
        flows.transition(actor=actor, complaint_id=complaint_id, action=action, inputs=inputs)


def revisit_clocks(complaint: Any) -> list[Clock]:
    return list(Clock.objects.filter(complaint=complaint, kind="revisit").order_by("cycle"))


def test_reopening_ends_the_revisit_of_the_closed_cycle(demo):
    complaint = make_complaint(demo, 1)
    walk_to_closed(demo, complaint.pk)
    flows.transition(
        actor=demo.users["agent1"], complaint_id=complaint.pk, action="reopen", inputs={"reason": "又坏了"}
    )
    (old_revisit,) = revisit_clocks(complaint)
    assert old_revisit.stopped_at is not None and old_revisit.state == "met"
    # weeks later the sweep finds nothing of the old cycle to breach or escalate
    sweep(now=timezone.now() + timedelta(days=30))
    assert not Breach.objects.filter(clock=old_revisit).exists()
    assert not EscalationStep.objects.filter(clock=old_revisit).exists()
    assert not services.panel(complaint)["revisit_open"]  # no "record the revisit" button

    walk_to_closed(demo, complaint.pk)  # handled again and closed again: a new revisit is due
    old, new = revisit_clocks(complaint)
    assert new.cycle == 1 and new.stopped_at is None
    services.record_revisit(
        actor=demo.users["agent1"], complaint_id=complaint.pk, note="客户满意", reason="客户当天回电确认"
    )
    assert Clock.objects.get(pk=new.pk).state == "met"


def test_a_complaint_keeps_its_policy_version_when_closed_and_reopened(demo):
    complaint = make_complaint(demo, 1)
    started = Clock.objects.get(complaint=complaint, kind="first_reply").policy
    values = {name: getattr(started, name) for name in POLICY_FIELDS}
    newer = save_policy_version(
        actor=demo.users["admin"],
        family=started.family,
        organization_id=started.organization_id,
        values={**values, "revisit": 1440, "first_reply": 60},
    )
    walk_to_closed(demo, complaint.pk)
    (revisit,) = revisit_clocks(complaint)
    assert revisit.policy == started != newer
    assert revisit.due_at == revisit.started_at + timedelta(minutes=started.revisit)
    flows.transition(
        actor=demo.users["agent1"], complaint_id=complaint.pk, action="reopen", inputs={"reason": "又坏了"}
    )
    reopened = Clock.objects.filter(complaint=complaint, cycle=1)
    assert {c.policy_id for c in reopened} == {started.pk}
    # a complaint received now gets the new version
    assert Clock.objects.get(complaint=make_complaint(demo, 1), kind="first_reply").policy == newer


def test_remaining_seconds_count_to_the_due_time_and_breaches_are_listed(demo, api):
    received = timezone.now() - timedelta(days=10)
    complaint = make_complaint(demo, 1, received_at=received)
    sweep()
    body = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/sla").json()
    clocks = {c["kind"]: c for c in body["clocks"]}
    first = clocks["first_reply"]
    due = datetime.fromisoformat(first["due_at"])
    assert first["due_at"].endswith("+08:00") and first["state"] == "breached"
    late_by = (timezone.now() - due).total_seconds()
    assert abs(first["remaining_seconds"] + late_by) < 60  # about ten days late, in real seconds
    assert first["remaining_working_seconds"] < 0
    breaches = {b["kind"]: b for b in body["breaches"]}
    assert set(breaches) == {"first_reply", "resolution", "decision"}
    assert datetime.fromisoformat(breaches["first_reply"]["due_at"]) == due
    assert breaches["first_reply"]["overdue_seconds"] >= late_by - 60
    html = demo_client(demo).get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="breach-first_reply"' in html


def test_nothing_due_sorts_after_every_due_complaint(demo, api):
    overdue = make_complaint(demo, 1, received_at=timezone.now() - timedelta(days=5))
    paused = make_complaint(demo, 1)
    services.pause(actor=demo.users["agent1"], complaint_id=paused.pk, reason="等待客户提供发票")
    fresh = make_complaint(demo, 1)
    rows = api("agent1").get("/api/v1/complaints?page_size=100").json()["results"]
    order = [row["id"] for row in rows]
    assert order.index(overdue.pk) < order.index(fresh.pk) < order.index(paused.pk)
    assert all(row["due_at"] is None for row in rows[order.index(paused.pk) :])


def test_an_overdue_revisit_call_comes_back_to_the_open_queue(demo):
    complaint = make_complaint(demo, 1)
    walk_to_closed(demo, complaint.pk)
    Clock.objects.filter(complaint=complaint, kind="revisit").update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    services._refresh_due(complaint)
    client = demo_client(demo)
    html = client.get("/queue/").content.decode()
    assert complaint.number in html
    services.record_revisit(
        actor=demo.users["agent1"], complaint_id=complaint.pk, note="客户满意", reason="客户当天回电确认"
    )
    assert complaint.number not in client.get("/queue/").content.decode()


def demo_client(demo: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(demo.users["agent1"])
    return client


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": "urgentt"}, "severity"),
        ({"category": "nothing"}, "category"),
        ({"ladder": [{"role": "nobody_role", "after_minutes": 5}]}, "ladder"),
    ],
)
def test_a_policy_that_could_never_apply_is_refused(demo, change, field):
    base = {name: getattr(ensure_default_policy(), name) for name in POLICY_FIELDS}
    with pytest.raises(InvalidInput) as error:
        save_policy_version(
            actor=demo.users["admin"], family="odd", organization_id=None, values={**base, **change}
        )
    assert field in error.value.fields
    assert not SlaPolicy.objects.filter(family="odd").exists()


def test_calendar_dates_are_replaced_removed_and_need_both_times(demo):
    from datetime import date, time

    from kesu.sla.models import CalendarOverride
    from kesu.sla.policies import add_override, calendar_for, remove_override

    admin, day = demo.users["admin"], date(2027, 2, 6)  # a 2027 调休 Saturday the package may not know
    with pytest.raises(InvalidInput) as error:
        add_override(
            actor=admin, organization_id=None, day=day, is_open=True, opens=time(9), closes=None, note=""
        )
    assert "closes" in error.value.fields and not CalendarOverride.objects.exists()
    add_override(
        actor=admin, organization_id=None, day=day, is_open=False, opens=None, closes=None, note="停业"
    )
    first = add_override(
        actor=admin, organization_id=None, day=day, is_open=True, opens=time(9), closes=time(17), note="调休"
    )
    assert CalendarOverride.objects.get().pk == first.pk and first.is_open  # saved again: replaced
    assert calendar_for(demo.dealers["D1"].pk).hours_on(day) == ((9 * 3600, 17 * 3600),)
    remove_override(actor=admin, override_id=first.pk)
    assert not CalendarOverride.objects.exists()
