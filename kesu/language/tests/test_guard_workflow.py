"""The plan explained to the customer and a refusal's reason are checked like replies: a
forbidden phrase is refused (422 naming the field, nothing changes) unless overridden with a reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.language.models import GuardOverride

pytestmark = pytest.mark.django_db


def investigating(demo, api) -> Complaint:  # type: ignore[no-untyped-def]
    complaint = make_complaint(demo, 1, verbatim="发动机异响，修了两次")
    promised = (timezone.now() + timedelta(days=2)).isoformat()
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/transitions",
        {"action": "start_investigation", "promised_plan_at": promised, "note": "已致歉"},
    )
    assert response.status_code == 200, response.json()
    return complaint


def test_forbidden_phrase_in_the_plan_is_refused_naming_the_field(demo, api):
    complaint = investigating(demo, api)
    response = api("dept1").post(
        f"/api/v1/complaints/{complaint.pk}/transitions",
        {"action": "propose_plan", "root_cause": "正时链条磨损", "plan": "更换链条。再多的这我做不到。"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "forbidden_phrase" and "plan" in error["fields"]
    complaint.refresh_from_db()
    assert complaint.status == "investigating" and complaint.plan == ""


def test_polite_plan_passes_and_an_override_is_logged(demo, api):
    complaint = investigating(demo, api)
    polite = api("dept1").post(
        f"/api/v1/complaints/{complaint.pk}/transitions",
        {
            "action": "propose_plan",
            "root_cause": "正时链条磨损",
            "plan": "免费更换正时链条，我一定尽力本周内完成。",
        },
    )
    assert polite.status_code == 200 and polite.json()["status"] == "plan_proposed"
    assert not GuardOverride.objects.exists()


def test_refusal_reason_is_guarded_and_can_be_overridden(demo, api):
    complaint = make_complaint(demo, 1, verbatim="要求赔偿误工费")
    body = {"action": "refuse", "reason": "我们的程序就是这样，只有等"}
    assert api("manager1").post(f"/api/v1/complaints/{complaint.pk}/transitions", body).status_code == 422
    body["guard_override_reason"] = "引用客户原话记录"
    response = api("manager1").post(f"/api/v1/complaints/{complaint.pk}/transitions", body)
    assert response.status_code == 200 and response.json()["status"] == "refused"
    override = GuardOverride.objects.get()
    assert override.user == demo.users["manager1"] and override.complaint_id == complaint.pk


def test_a_reply_with_an_unfilled_placeholder_is_refused(demo, api):
    complaint = make_complaint(demo, 1, verbatim="等了三天还没有答复")
    response = api("agent1").post(
        f"/api/v1/language/complaints/{complaint.pk}/replies",
        {"text": "您好，我是××号客服，我会在××之前答复您。", "channel": "phone"},
    )
    assert response.status_code == 422
    assert "text" in response.json()["error"]["fields"]
    assert not complaint.timeline.filter(kind="first_reply").exists()
