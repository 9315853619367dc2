"""The 2-3-7 clocks end to end: intake starts them, the workflow stops them, the sweep warns,
records breaches and climbs the ladder — once, however often it runs."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kesu import flows
from kesu.complaints.tests.factories import make_complaint
from kesu.core.errors import Forbidden, InvalidInput
from kesu.notifications.models import Delivery, Notification
from kesu.sla import services
from kesu.sla.calendar import SHANGHAI
from kesu.sla.models import Breach, Clock, EscalationStep, SlaPolicy
from kesu.sla.policies import forget_calendars, save_policy_version
from kesu.sla.sweep import sweep
from kesu.sla.tests.test_cycles import walk_to_closed

RECEIVED = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)  # a Tuesday, no holiday near


@pytest.fixture(autouse=True)
def _fresh_calendars():
    forget_calendars()


def clock(complaint, kind):
    return Clock.objects.filter(complaint=complaint, kind=kind).order_by("-cycle").first()


def test_intake_starts_the_clocks_from_received_at(demo):
    complaint = make_complaint(demo, 1, received_at=RECEIVED, assignee_id=demo.users["agent1"].pk)
    first, resolution, decision = (clock(complaint, k) for k in ("first_reply", "resolution", "decision"))
    assert first.due_at == datetime(2026, 3, 10, 11, 0, tzinfo=SHANGHAI)
    assert first.warn_at == datetime(2026, 3, 10, 10, 30, tzinfo=SHANGHAI)
    assert resolution.due_at == datetime(2026, 3, 13, 9, 0, tzinfo=SHANGHAI)
    assert decision.due_at == RECEIVED + timedelta(days=7)
    complaint.refresh_from_db()
    assert complaint.due_at == first.due_at
    assert first.policy.name == "2-3-7"


def test_first_reply_met_when_investigation_starts(demo):
    complaint = make_complaint(demo, 1)
    flows.transition(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        action="start_investigation",
        inputs={"promised_plan_at": timezone.now() + timedelta(days=1), "note": "已致歉"},
    )
    reading = {r.kind: r for r in services.readings(complaint)}
    assert reading["first_reply"].state == "met"
    assert reading["resolution"].state in ("running", "warning")
    assert complaint.timeline.filter(kind="first_reply").count() == 1


def test_sweep_warns_breaches_and_climbs_the_ladder_once(demo):
    demo.users["manager1"].email = "manager1@example.cn"
    demo.users["manager1"].save()
    complaint = make_complaint(demo, 1, received_at=RECEIVED, assignee_id=demo.users["agent1"].pk)
    first = clock(complaint, "first_reply")

    sweep(now=datetime(2026, 3, 10, 10, 31, tzinfo=SHANGHAI))
    first.refresh_from_db()
    assert first.state == "warning"
    assert Notification.objects.filter(recipient=demo.users["agent1"], kind="sla_warning").count() == 1

    at_breach = datetime(2026, 3, 10, 11, 5, tzinfo=SHANGHAI)
    for _ in range(3):  # a sweep that runs again (or on several workers) changes nothing more
        sweep(now=at_breach)
    first.refresh_from_db()
    breach = Breach.objects.get(clock=first)
    assert first.state == "breached" and breach.overdue_seconds_at_detection == 300
    assert list(EscalationStep.objects.filter(clock=first).values_list("role", flat=True)) == [
        "service_manager"
    ]
    manager_note = Notification.objects.get(recipient=demo.users["manager1"], kind="escalation")
    assert complaint.number in manager_note.title
    assert Delivery.objects.filter(notification=manager_note, channel="email").count() == 1
    assert complaint.timeline.filter(kind="sla_breach").count() == 1

    sweep(now=datetime(2026, 3, 10, 13, 1, tzinfo=SHANGHAI))  # +120 min: the general manager
    assert list(
        EscalationStep.objects.filter(clock=first).order_by("level").values_list("role", flat=True)
    ) == ["service_manager", "general_manager"]
    assert Notification.objects.filter(recipient=demo.users["gm1"], kind="escalation").count() == 1
    sweep(now=datetime(2026, 3, 13, 12, 0, tzinfo=SHANGHAI))  # a day later: region, then CRC
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None  # the manufacturer now sees it
    assert Notification.objects.filter(recipient=demo.users["region1"]).exists()
    assert not Notification.objects.filter(recipient=demo.users["region2"]).exists()


def test_breaches_stay_true_after_the_policy_changes(demo):
    complaint = make_complaint(demo, 1, received_at=RECEIVED)
    sweep(now=datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI))
    breach = Breach.objects.get(complaint=complaint, kind="first_reply")
    old_policy = breach.policy
    values = {
        f: getattr(old_policy, f)
        for f in (
            "name",
            "first_reply_unit",
            "resolution",
            "resolution_unit",
            "revisit",
            "revisit_unit",
            "decision",
            "decision_unit",
            "warning_fraction",
            "ladder",
        )
    }
    new = save_policy_version(
        actor=demo.users["admin"],
        family="default",
        organization_id=None,
        values={**values, "first_reply": 600},
    )
    assert new.version == 2 and not SlaPolicy.objects.get(pk=old_policy.pk).is_current
    sweep(now=datetime(2026, 3, 10, 12, 30, tzinfo=SHANGHAI))
    breach.refresh_from_db()
    assert breach.policy == old_policy and breach.overdue_seconds_at_detection == 3600
    assert clock(complaint, "first_reply").policy == old_policy  # clocks keep their version
    later = make_complaint(demo, 1, received_at=RECEIVED)
    assert clock(later, "first_reply").policy == new
    assert clock(later, "first_reply").due_at == datetime(2026, 3, 11, 9, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_reply": 0}, "first_reply"),
        ({"resolution": -3}, "resolution"),
        ({"revisit_unit": "fortnights"}, "revisit_unit"),
        ({"warning_fraction": Decimal("1.5")}, "warning_fraction"),
        ({"ladder": [{"role": "gm"}]}, "ladder"),
    ],
)
def test_bad_policies_name_the_field_and_save_nothing(demo, change, field):
    base = {
        "name": "x",
        "first_reply": 120,
        "first_reply_unit": "working_minutes",
        "resolution": 3,
        "resolution_unit": "working_days",
        "revisit": 10080,
        "revisit_unit": "calendar_minutes",
        "decision": 10080,
        "decision_unit": "calendar_minutes",
        "warning_fraction": Decimal("0.75"),
        "ladder": [],
    }
    with pytest.raises(InvalidInput) as error:
        save_policy_version(
            actor=demo.users["admin"], family="vip", organization_id=None, values={**base, **change}
        )
    assert field in error.value.fields
    assert not SlaPolicy.objects.filter(family="vip").exists()
    with pytest.raises(Forbidden):
        save_policy_version(actor=demo.users["manager1"], family="vip", organization_id=None, values=base)


def test_more_specific_policy_wins(demo):
    base = {
        "name": "危机 1h",
        "first_reply": 60,
        "first_reply_unit": "working_minutes",
        "resolution": 1,
        "resolution_unit": "working_days",
        "revisit": 1440,
        "revisit_unit": "calendar_minutes",
        "decision": 1440,
        "decision_unit": "calendar_minutes",
        "warning_fraction": Decimal("0.5"),
        "ladder": [],
    }
    save_policy_version(
        actor=demo.users["admin"],
        family="crisis-d1",
        organization_id=demo.dealers["D1"].pk,
        values={**base, "severity": "crisis"},
    )
    crisis = make_complaint(demo, 1, received_at=RECEIVED, severity="crisis")
    normal = make_complaint(demo, 1, received_at=RECEIVED)
    other_dealer = make_complaint(demo, 2, received_at=RECEIVED, severity="crisis")
    assert clock(crisis, "first_reply").due_at == datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
    assert clock(normal, "first_reply").due_at == datetime(2026, 3, 10, 11, 0, tzinfo=SHANGHAI)
    assert clock(other_dealer, "first_reply").due_at == datetime(2026, 3, 10, 11, 0, tzinfo=SHANGHAI)


def test_pause_and_resume(demo):
    complaint = make_complaint(demo, 1)
    agent = demo.users["agent1"]
    with pytest.raises(InvalidInput) as no_reason:
        services.pause(actor=agent, complaint_id=complaint.pk, reason="  ")
    assert "reason" in no_reason.value.fields
    with pytest.raises(InvalidInput):
        services.resume(actor=agent, complaint_id=complaint.pk)
    decision_due = clock(complaint, "decision").due_at
    services.pause(actor=agent, complaint_id=complaint.pk, reason="等待厂家技术支持")
    assert {r.state for r in services.readings(complaint)} == {"paused"}
    assert sweep(now=timezone.now() + timedelta(days=30)) == 0  # paused clocks are not on the list
    Clock.objects.filter(complaint=complaint).update(paused_at=timezone.now() - timedelta(hours=5))
    services.resume(actor=agent, complaint_id=complaint.pk, note="厂家已答复")
    moved = clock(complaint, "decision").due_at
    assert abs((moved - decision_due).total_seconds()) < 60  # nothing lost while paused
    assert complaint.timeline.filter(kind__in=["paused", "resumed"]).count() == 2
    with pytest.raises(Forbidden):
        services.pause(actor=demo.users["region1"], complaint_id=complaint.pk, reason="x")


def test_close_starts_the_revisit_clock_and_the_revisit_stops_it(demo):
    complaint = make_complaint(demo, 1)
    agent = demo.users["agent1"]
    walk_to_closed(demo, complaint.pk)
    states = {r.kind: r.state for r in services.readings(complaint)}
    assert states == {"first_reply": "met", "resolution": "met", "decision": "met", "revisit": "running"}
    complaint.refresh_from_db()
    revisit = next(r for r in services.readings(complaint) if r.kind == "revisit")
    assert complaint.due_at == revisit.due_at  # the revisit call is what the queue waits for now
    services.record_revisit(
        actor=agent, complaint_id=complaint.pk, note="客户表示问题已解决", reason="客户当天回电确认"
    )
    assert {r.kind: r.state for r in services.readings(complaint)}["revisit"] == "met"
    complaint.refresh_from_db()
    assert complaint.due_at is None  # nothing left in the queue's order
    with pytest.raises(InvalidInput):
        services.record_revisit(actor=agent, complaint_id=complaint.pk, note="again")
