"""A crisis in the customer's words, end to end: severity raised at intake, the matching words on
the timeline, PR and the whole ladder told through the outbox once, the carmaker able to open it."""

import pytest
from django.db import transaction

from kesu import flows
from kesu.complaints.choices import EventKind, Severity
from kesu.complaints.models import Complaint
from kesu.notifications.choices import Kind
from kesu.notifications.models import Delivery, Notification

from .conftest import customer, make_complaint

pytestmark = pytest.mark.django_db


def crisis_recipients(complaint: Complaint) -> set[str]:
    return set(
        Notification.objects.filter(complaint=complaint, kind=Kind.CRISIS).values_list(
            "recipient__username", flat=True
        )
    )


def test_media_threat_at_intake_raises_crisis_and_tells_pr_and_the_ladder(demo, api):
    pr = demo.users["pr1"]
    pr.email, pr.mobile = "pr@example.com", "13900001111"
    pr.save()
    complaint = make_complaint(demo, 1, verbatim="三次没修好，再不解决我就找媒体曝光，还要打12315投诉！")
    complaint.refresh_from_db()
    assert complaint.severity == Severity.CRISIS
    assert complaint.escalated_at is not None
    raise_entry = complaint.timeline.filter(kind=EventKind.EDITED, changes__has_key="severity").get()
    assert "媒体" in raise_entry.note and "12315" in raise_entry.note
    assert complaint.timeline.filter(kind=EventKind.ESCALATION).count() == 1
    assert crisis_recipients(complaint) == {"manager1", "gm1", "region1", "crc1", "pr1"}
    # PR's notification goes out by email and SMS through the outbox.
    pr_channels = set(
        Delivery.objects.filter(notification__recipient__username="pr1").values_list("channel", flat=True)
    )
    assert pr_channels == {"email", "sms"}
    # Escalated: the carmaker's PR and CRC can open it; another dealer still cannot.
    assert api("pr1").get(f"/api/v1/complaints/{complaint.pk}").status_code == 200
    assert api("crc1").get(f"/api/v1/complaints/{complaint.pk}").status_code == 200
    assert api("agent2").get(f"/api/v1/complaints/{complaint.pk}").status_code == 404


def test_a_calm_complaint_is_not_a_crisis_and_tells_nobody(demo):
    complaint = make_complaint(demo, 1, verbatim="保养等了两个小时，希望下次快一点。")
    complaint.refresh_from_db()
    assert complaint.severity != Severity.CRISIS
    assert complaint.escalated_at is None
    assert not Notification.objects.filter(kind=Kind.CRISIS).exists()


def test_another_regions_manager_is_not_told(demo):
    complaint = make_complaint(demo, 3, verbatim="车在高速上突然起火了，差点出人命！")
    assert crisis_recipients(complaint) == {"manager3", "gm3", "region2", "crc1", "pr1"}


def test_crisis_alert_rolls_back_with_the_intake(demo):
    person = customer(demo, 1, 71)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_complaint(demo, 1, verbatim="刹车失灵，我要起诉你们！", customer=person)
        raise RuntimeError("the intake fails after the analysis")
    assert not Complaint.objects.exists()
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_crisis_chosen_by_the_agent_at_intake_alerts_the_ladder(demo):
    complaint = make_complaint(demo, 1, verbatim="客户情绪很激动，要求总经理出面。", severity=Severity.CRISIS)
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    assert crisis_recipients(complaint) == {"manager1", "gm1", "region1", "crc1", "pr1"}


def test_raising_severity_by_hand_alerts_once(demo):
    complaint = make_complaint(demo, 1, verbatim="保养后发动机有异响。")
    assert not crisis_recipients(complaint)
    edited = flows.update_complaint(
        actor=demo.users["manager1"],
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"severity": Severity.CRISIS},
        note="客户在抖音发视频",
    )
    assert crisis_recipients(complaint) == {"manager1", "gm1", "region1", "crc1", "pr1"}
    assert edited.timeline.filter(kind=EventKind.ESCALATION).count() == 1
    # Down and up again: the ladder already knows; nobody is told twice.
    for severity in (Severity.MAJOR, Severity.CRISIS):
        edited = flows.update_complaint(
            actor=demo.users["manager1"],
            complaint_id=complaint.pk,
            expected_version=edited.version,
            changes={"severity": severity},
        )
    assert Notification.objects.filter(complaint=complaint, kind=Kind.CRISIS).count() == 5
    assert edited.timeline.filter(kind=EventKind.ESCALATION).count() == 1


def test_crisis_words_added_in_an_edit_raise_the_complaint(demo):
    complaint = make_complaint(demo, 1, verbatim="空调不制冷。")
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"verbatim": "空调不制冷，修了三次，我已经请了律师准备起诉。"},
    )
    complaint.refresh_from_db()
    assert complaint.severity == Severity.CRISIS
    assert "律师" in complaint.timeline.filter(changes__has_key="severity").get().note
    assert "pr1" in crisis_recipients(complaint)
