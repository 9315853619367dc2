"""Walking a complaint to the point where its written answer can be sent, through the real flows."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint

VERBATIM = "发动机异响，修了三次还没有修好，我要求换车"
ROOT_CAUSE = "正时链条张紧器磨损导致异响"
PLAN = "免费更换正时链条及张紧器，提供代步车，本周五前完成"


def with_plan(demo: Any, **extra: Any) -> Complaint:
    """A complaint of dealer 1 whose department has proposed a plan (the internal step)."""
    complaint = make_complaint(demo, 1, verbatim=VERBATIM, facts="三次维修记录均为更换皮带", **extra)
    complaint.customer.consent_sms = True  # asked at intake; this customer agreed to SMS
    complaint.customer.save(update_fields=["consent_sms"])
    flows.transition(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        action="start_investigation",
        inputs={"promised_plan_at": timezone.now() + timedelta(days=2), "note": "已致歉"},
    )
    flows.transition(
        actor=demo.users["dept1"],
        complaint_id=complaint.pk,
        action="propose_plan",
        inputs={"root_cause": ROOT_CAUSE, "plan": PLAN},
    )
    complaint.refresh_from_db()
    return complaint
