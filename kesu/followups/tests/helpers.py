"""Test helpers that go through the real services and the real worker pass."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.customers.models import Customer
from kesu.followups.choices import FollowUpKind
from kesu.followups.models import FollowUp
from kesu.followups.tasks import generate
from kesu.organizations.models import User


def walk_to_closed(demo: Any, complaint_id: int, satisfaction: str = "satisfied") -> None:
    agent, dept = demo.users["agent1"], demo.users["dept1"]
    steps: list[tuple[User, str, dict[str, Any]]] = [
        (
            agent,
            "start_investigation",
            {"promised_plan_at": timezone.now() + timedelta(hours=4), "note": "致歉"},
        ),
        (dept, "propose_plan", {"root_cause": "刹车片磨损", "plan": "免费更换刹车片"}),
        (agent, "customer_agrees", {"note": "同意"}),
        (dept, "start_implementation", {}),
        (dept, "finish_implementation", {"note": "已更换"}),
        (agent, "close", {"satisfaction": satisfaction, "note": "满意"}),
    ]
    for actor, action, inputs in steps:
        flows.transition(actor=actor, complaint_id=complaint_id, action=action, inputs=inputs)


def closed_complaint(demo: Any, *, days_ago: int = 3, customer: Customer | None = None) -> Complaint:
    """A complaint of dealer 1 closed ``days_ago`` days ago (its revisit call is due)."""
    complaint = make_complaint(demo, 1, customer=customer)
    walk_to_closed(demo, complaint.pk)
    Complaint.objects.filter(pk=complaint.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    complaint.refresh_from_db()
    return complaint


def revisit_of(complaint: Complaint) -> FollowUp:
    generate()
    return FollowUp.objects.get(complaint=complaint, kind=FollowUpKind.REVISIT)


def customer_with_consent(demo: Any, *, consent_sms: bool, mobile: str = "13900001111") -> Customer:
    customer = make_customer(demo, 1, mobile=mobile)
    Customer.objects.filter(pk=customer.pk).update(consent_sms=consent_sms)
    customer.refresh_from_db()
    return customer
