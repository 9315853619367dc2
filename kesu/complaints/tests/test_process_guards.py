"""The seeds' process guards, declared in the workflow table and enforced by prepare_transition:
who may close by severity, a manager's decision on a lukewarm rating, the escalation ladder and
who may hand an escalation back; the revisit call on a later day (sla.services)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kesu import flows
from kesu.complaints import workflow
from kesu.complaints.choices import EventKind, Rung, Satisfaction, Status
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.complaints.tests.test_workflow_properties import inputs_for
from kesu.core.errors import Forbidden, IllegalTransition, InvalidInput
from kesu.demo.builder import PATH_TO, DemoOrg
from kesu.notifications.models import Notification
from kesu.sla import services as sla_services
from kesu.sla.calendar import SHANGHAI
from kesu.sla.choices import ClockKind
from kesu.sla.models import Clock

WALKER = {"propose_plan": "dept1", "start_implementation": "dept1", "finish_implementation": "dept1"}


def at_follow_up(demo: DemoOrg, severity: str = "normal") -> Complaint:
    complaint = make_complaint(demo, severity=severity)
    for action in PATH_TO["follow_up"]:
        complaint = flows.transition(
            actor=demo.users[WALKER.get(action, "agent1")],
            complaint_id=complaint.pk,
            action=action,
            inputs=inputs_for(workflow.BY_ACTION[action]),
        )
    return complaint


def move(demo: DemoOrg, who: str, complaint: Complaint, action: str, **inputs: Any) -> Complaint:
    return flows.transition(actor=demo.users[who], complaint_id=complaint.pk, action=action, inputs=inputs)


def told(demo: DemoOrg, username: str, complaint: Complaint) -> list[str]:
    """The ladder's and the decision's notifications to this person (a crisis alert aside)."""
    return list(
        Notification.objects.filter(recipient=demo.users[username], complaint_id=complaint.pk)
        .exclude(dedupe_key__startswith="crisis:")
        .values_list("title", flat=True)
    )


def last_entry(complaint: Complaint, kind: str = EventKind.TRANSITION) -> TimelineEntry:
    entry = TimelineEntry.objects.filter(complaint_id=complaint.pk, kind=kind).order_by("pk").last()
    assert entry is not None
    return entry


def page(demo: DemoOrg, username: str, complaint: Complaint) -> str:
    client = Client()
    client.force_login(demo.users[username])
    response = client.get(reverse("complaints:complaint", args=[complaint.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- closing by severity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "refused", "allowed"),
    [
        ("major", ["agent1"], ["manager1", "gm1", "admin"]),
        ("crisis", ["agent1", "manager1"], ["gm1", "admin"]),
        ("normal", [], ["agent1"]),
    ],
)
def test_who_may_close_depends_on_severity(
    demo: DemoOrg, severity: str, refused: list, allowed: list
) -> None:
    complaint = at_follow_up(demo, severity)
    close = {"satisfaction": Satisfaction.SATISFIED, "note": "回访满意"}
    for who in refused:
        with pytest.raises(Forbidden) as info:
            move(demo, who, complaint, "close", **close)
        assert info.value.code == "severity_closer"
        complaint.refresh_from_db()
        assert complaint.status == Status.FOLLOW_UP
    for who in allowed:
        closed = move(demo, who, complaint, "close", **close)
        assert closed.status == Status.CLOSED
        move(demo, "agent1" if who == "agent1" else who, closed, "reopen", reason="再次确认")
        complaint = at_follow_up(demo, severity)


def test_an_agent_sees_why_and_asks_the_general_manager_to_close_a_crisis(demo: DemoOrg, api: Any) -> None:
    complaint = at_follow_up(demo, "crisis")
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/transitions",
        {"action": "close", "satisfaction": "satisfied", "note": "客户满意"},
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "severity_closer" and "总经理" in error["message"]
    actions = [a["action"] for a in api("agent1").get(f"/api/v1/complaints/{complaint.pk}/actions").json()]
    assert "close" not in actions and "request_close" in actions
    html = page(demo, "agent1", complaint)
    assert 'data-testid="guard-close"' in html and 'data-testid="action-request_close"' in html
    assert 'data-testid="action-close"' not in html
    assert 'data-testid="action-close"' in page(demo, "gm1", complaint)

    asked = move(demo, "agent1", complaint, "request_close", satisfaction="satisfied", note="请总经理结案")
    assert asked.status == Status.AWAITING_DECISION and asked.closed_at is None
    assert told(demo, "gm1", complaint) and not told(demo, "manager1", complaint)
    entry = last_entry(complaint, EventKind.ESCALATION)
    assert entry.changes["decision"] == [None, "requested"] and str(demo.users["gm1"]) in entry.note

    with pytest.raises(Forbidden):  # the service manager may not close a crisis either
        move(demo, "manager1", complaint, "decide_close", reason="已处理")
    closed = move(demo, "gm1", complaint, "decide_close", reason="总经理确认已解决")
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    assert last_entry(complaint).changes["decision"] == [None, "close"]
    # the close started the revisit call like any close
    assert Clock.objects.filter(complaint=complaint, kind=ClockKind.REVISIT, stopped_at__isnull=True).exists()


# --- a lukewarm rating is a manager's decision --------------------------------------------------


@pytest.mark.parametrize("rating", [Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED])
def test_an_agents_close_with_a_lukewarm_rating_asks_a_manager(demo: DemoOrg, rating: str) -> None:
    complaint = at_follow_up(demo)
    asked = move(demo, "agent1", complaint, "close", satisfaction=rating, note="客户说一般")
    assert asked.status == Status.AWAITING_DECISION and asked.satisfaction == rating
    assert asked.closed_at is None
    entry = last_entry(complaint)
    assert entry.action == "close" and entry.to_status == Status.AWAITING_DECISION
    assert entry.changes["decision"] == [None, "requested"]
    assert told(demo, "manager1", complaint)
    # the resolution clock keeps running: nothing was closed
    assert Clock.objects.filter(
        complaint=complaint, kind=ClockKind.RESOLUTION, stopped_at__isnull=True
    ).exists()
    with pytest.raises(Forbidden):
        move(demo, "agent1", complaint, "decide_close", reason="我来结案")

    kept = move(demo, "manager1", complaint, "keep_working", reason="再提一个方案")
    assert kept.status == Status.INVESTIGATING
    assert last_entry(complaint).changes["decision"] == [None, "keep_working"]


def test_a_manager_closes_a_lukewarm_case_only_with_a_reason(demo: DemoOrg, api: Any) -> None:
    complaint = at_follow_up(demo)
    url = f"/api/v1/complaints/{complaint.pk}/transitions"
    refused = api("manager1").post(url, {"action": "close", "satisfaction": "neutral", "note": "一般"})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "lukewarm_decision" and set(error["fields"]) == {"reason"}
    closed = api("manager1").post(
        url, {"action": "close", "satisfaction": "neutral", "note": "一般", "reason": "方案已尽，客户接受"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    entry = last_entry(complaint)
    assert entry.changes["decision"] == [None, "close"] and "方案已尽" in entry.note


def test_a_manager_sees_the_reason_field_on_close_an_agent_does_not(demo: DemoOrg) -> None:
    complaint = at_follow_up(demo)
    assert 'data-testid="form-close"' in page(demo, "manager1", complaint)
    manager_form = page(demo, "manager1", complaint).split('data-testid="form-close"')[1].split("</form>")[0]
    agent_form = page(demo, "agent1", complaint).split('data-testid="form-close"')[1].split("</form>")[0]
    assert 'name="reason"' in manager_form and 'name="reason"' not in agent_form


# --- the escalation ladder ----------------------------------------------------------------------


def test_escalation_climbs_one_rung_at_a_time(demo: DemoOrg, api: Any) -> None:
    complaint = make_complaint(demo)
    url = f"/api/v1/complaints/{complaint.pk}"
    c = move(demo, "agent1", complaint, "escalate", reason="客户要求见经理")
    assert (c.status, c.escalation_rung, c.escalated_at) == (Status.ESCALATED, Rung.SERVICE_MANAGER, None)
    assert told(demo, "manager1", complaint) and not told(demo, "gm1", complaint)
    assert api("crc1").get(url).status_code == 404  # the manufacturer does not see it yet
    with pytest.raises(Forbidden) as info:  # the agent cannot climb past the manager
        move(demo, "agent1", complaint, "escalate", reason="再升级")
    assert info.value.code == "escalation_ladder"

    c = move(demo, "manager1", complaint, "escalate", reason="经理无法解决")
    assert (c.escalation_rung, c.escalated_at) == (Rung.GENERAL_MANAGER, None)
    assert told(demo, "gm1", complaint)
    assert api("crc1").get(url).status_code == 404
    c = move(demo, "gm1", complaint, "escalate", reason="需要厂方支持")
    assert c.escalation_rung == Rung.REGION and c.escalated_at is not None
    assert told(demo, "region1", complaint) and not told(demo, "region2", complaint)
    assert api("crc1").get(url).json()["escalation_rung"] == "region_manager"  # now the carmaker sees it
    assert not told(demo, "crc1", complaint)
    c = move(demo, "region1", complaint, "escalate", reason="区域无法解决")
    assert c.escalation_rung == Rung.CRC and told(demo, "crc1", complaint)
    top = api("region1").post(f"{url}/transitions", {"action": "escalate", "reason": "再升级"})
    assert top.status_code == 403 and top.json()["error"]["code"] == "escalation_ladder"

    rungs = [
        e.changes["rung"][1]
        for e in TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.ESCALATION).order_by("pk")
    ]
    assert rungs == ["service_manager", "general_manager", "region_manager", "crc_agent"]
    region_entry = last_entry(complaint, EventKind.ESCALATION)
    assert str(demo.users["crc1"]) in region_entry.note


def test_a_crisis_goes_straight_to_the_carmaker(demo: DemoOrg) -> None:
    complaint = make_complaint(demo, severity="crisis")
    c = move(demo, "agent1", complaint, "escalate", reason="客户威胁曝光")
    assert c.escalation_rung == Rung.CRC and c.escalated_at is not None
    assert told(demo, "crc1", complaint)


def test_only_the_rung_escalated_to_or_above_hands_it_back(demo: DemoOrg, api: Any) -> None:
    complaint = make_complaint(demo)
    move(demo, "agent1", complaint, "escalate", reason="见经理")
    move(demo, "manager1", complaint, "escalate", reason="见总经理")
    move(demo, "gm1", complaint, "escalate", reason="见区域")
    url = f"/api/v1/complaints/{complaint.pk}/transitions"
    for who in ("manager1", "gm1"):
        response = api(who).post(url, {"action": "return_to_dealer", "note": "我们自己处理"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "escalation_hand_back"
    html = page(demo, "manager1", complaint)
    assert (
        'data-testid="action-return_to_dealer"' not in html and 'data-testid="guard-return_to_dealer"' in html
    )
    assert 'data-testid="action-return_to_dealer"' in page(demo, "region1", complaint)
    back = move(demo, "region1", complaint, "return_to_dealer", note="已协调配件，请经销商处理")
    assert back.status == Status.INVESTIGATING and back.escalation_rung == ""
    assert back.escalated_at is not None  # the manufacturer keeps seeing what reached it

    inside = make_complaint(demo)
    move(demo, "agent1", inside, "escalate", reason="见经理")
    assert (
        move(demo, "manager1", inside, "return_to_dealer", note="经理已处理").status == Status.INVESTIGATING
    )


# --- the revisit call on a later day ------------------------------------------------------------


def test_the_revisit_is_earliest_the_next_working_day(demo: DemoOrg) -> None:
    dealer = demo.dealers["D1"]
    friday = Complaint(dealer=dealer, closed_at=datetime(2025, 9, 30, 17, 0, tzinfo=SHANGHAI))
    # National Day and Mid-Autumn: 1-8 October 2025 are holidays
    assert sla_services.revisit_earliest(friday) == datetime(2025, 10, 9, 8, 30, tzinfo=SHANGHAI)
    evening = Complaint(dealer=dealer, closed_at=datetime(2025, 6, 10, 23, 50, tzinfo=SHANGHAI))
    assert sla_services.revisit_earliest(evening) == datetime(2025, 6, 11, 8, 30, tzinfo=SHANGHAI)
    assert sla_services.revisit_earliest(Complaint(dealer=dealer)) is None


def test_a_revisit_in_the_minute_of_the_close_needs_a_reason(
    demo: DemoOrg, api: Any, monkeypatch: Any
) -> None:
    complaint = move(demo, "agent1", at_follow_up(demo), "close", satisfaction="satisfied", note="满意")
    url = f"/api/v1/complaints/{complaint.pk}/revisit"
    early = api("agent1").post(url, {"note": "客户满意"})
    assert early.status_code == 422
    error = early.json()["error"]
    assert error["code"] == "revisit_too_early" and set(error["fields"]) == {"reason"}
    html = page(demo, "agent1", complaint)
    assert 'data-testid="revisit-earliest"' in html and 'name="reason"' in html
    assert Clock.objects.filter(complaint=complaint, kind=ClockKind.REVISIT, stopped_at__isnull=True).exists()
    done = api("agent1").post(url, {"note": "客户满意", "reason": "客户明天出国，今天回访"})
    assert done.status_code == 200
    entry = last_entry(complaint, EventKind.REVISIT)
    assert entry.changes["early_reason"] == [None, "客户明天出国，今天回访"]


def test_a_revisit_on_the_next_working_day_needs_no_reason(demo: DemoOrg, monkeypatch: Any) -> None:
    complaint = move(demo, "agent1", at_follow_up(demo), "close", satisfaction="satisfied", note="满意")
    earliest = sla_services.revisit_earliest(complaint)
    assert earliest is not None and earliest > timezone.now()
    later = earliest + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    sla_services.record_revisit(actor=demo.users["agent1"], complaint_id=complaint.pk, note="客户满意")
    entry = last_entry(complaint, EventKind.REVISIT)
    assert entry.changes == {}
    with pytest.raises(InvalidInput):  # nothing left to record
        sla_services.record_revisit(actor=demo.users["agent1"], complaint_id=complaint.pk, note="again")


def test_the_top_of_the_ladder_is_a_conflict_not_a_permission(demo: DemoOrg) -> None:
    complaint = make_complaint(demo, severity="crisis")
    move(demo, "agent1", complaint, "escalate", reason="曝光")
    with pytest.raises(IllegalTransition) as info:
        move(demo, "admin", complaint, "escalate", reason="再升级")
    assert info.value.code == "escalation_ladder"
