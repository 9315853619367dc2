"""Recording a call: reached (satisfaction required) stops the revisit clock; a lukewarm revisit
reopens the complaint (or opens a linked one) and tells the service manager; not reached → the
next call at another time of day, three at most, then an SMS (consent) or a letter. Bad input is
named and leaves nothing half-saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.calls.models import Call
from kesu.complaints.choices import EventKind, Status
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.timeline import render
from kesu.followups.choices import FollowUpKind, FollowUpState, LukewarmAction
from kesu.followups.models import Attempt, FollowUp, FollowUpPolicy
from kesu.followups.services import day_part_of
from kesu.notifications.models import Delivery, Notification
from kesu.sla.choices import ClockKind, ClockState
from kesu.sla.models import Clock
from kesu.worklist.choices import WorkState
from kesu.worklist.models import WorkItem

from .helpers import closed_complaint, customer_with_consent, revisit_of

pytestmark = pytest.mark.django_db


def outcome(api, followup, body, user="agent1"):  # type: ignore[no-untyped-def]
    return api(user).post(f"/api/v1/followups/{followup.pk}/outcome", body)


def revisit_clock(complaint: Complaint) -> Clock:
    return Clock.objects.filter(complaint=complaint, kind=ClockKind.REVISIT).order_by("-cycle").first()  # type: ignore[return-value]


def item_of(followup: FollowUp) -> WorkItem:
    return WorkItem.objects.get(ref_model="followups.followup", ref_id=followup.pk)


def test_the_detail_has_the_script_with_names_filled_in(demo, api):
    complaint = closed_complaint(demo)
    followup = revisit_of(complaint)
    body = api("agent1").get(f"/api/v1/followups/{followup.pk}").json()
    assert body["script"]["title"] == "投诉结案回访"
    texts = [step["text"] for step in body["script"]["steps"]]
    assert texts[0] == "您好!请问是张先生吗?"
    assert "客户关系中心的" in texts[1] and "广州骏达4S店" in texts[1]
    assert complaint.number in texts[2]
    satisfaction = next(s for s in body["script"]["steps"] if s["key"] == "satisfaction")
    assert [label for _value, label in satisfaction["choices"]] == ["非常满意", "满意", "一般", "不满意"]
    assert body["plan"] == {
        "attempts": 0,
        "attempts_left": 3,
        "next_at": body["due_at"],
        "next_part": day_part_of(followup.due_at),
        "tried": [],
        "fallback_due": False,
        "sms_allowed": False,
    }
    listed = api("agent1").get("/api/v1/followups?due=overdue").json()
    assert [row["id"] for row in listed] == [followup.pk]
    assert api("agent1").get("/api/v1/followups?mine=desk").json() == []  # it is agent1's own


def test_reached_without_satisfaction_is_refused_naming_it_and_nothing_is_saved(demo, api):
    complaint = closed_complaint(demo)
    followup = revisit_of(complaint)
    response = outcome(api, followup, {"result": "reached", "answers": {"problem_solved": "yes"}})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["satisfaction"]
    followup.refresh_from_db()
    assert (followup.state, followup.attempts, followup.version) == (FollowUpState.OPEN, 0, 1)
    assert not Attempt.objects.exists()
    assert revisit_clock(complaint).stopped_at is None
    assert not TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.CALL).exists()
    bad = outcome(api, followup, {"result": "reached", "satisfaction": "happy"})
    assert bad.status_code == 422 and "satisfaction" in bad.json()["error"]["fields"]
    unknown = outcome(api, followup, {"result": "reached", "satisfaction": "satisfied", "answers": {"x": 1}})
    assert unknown.status_code == 422 and "answers.x" in unknown.json()["error"]["fields"]
    rating = outcome(
        api,
        followup,
        {"result": "reached", "satisfaction": "satisfied", "answers": {"problem_solved": "maybe"}},
    )
    assert rating.status_code == 422 and "answers.problem_solved" in rating.json()["error"]["fields"]


def test_a_satisfied_revisit_is_done_and_stops_the_revisit_clock(demo, api):
    complaint = closed_complaint(demo)
    followup = revisit_of(complaint)
    response = outcome(
        api,
        followup,
        {
            "result": "reached",
            "satisfaction": "very_satisfied",
            "answers": {"problem_solved": "yes"},
            "comment": "很好",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["satisfaction"], body["answers"]) == (
        "done",
        "very_satisfied",
        {"problem_solved": "yes"},
    )
    clock = revisit_clock(complaint)
    assert clock.stopped_at is not None and clock.state == ClockState.MET
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    kinds = list(TimelineEntry.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert EventKind.REVISIT in kinds and EventKind.CALL in kinds
    line = next(
        line
        for line in render(TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.CALL))
        if line.entry.action == "follow_up"
    )
    assert "投诉结案回访" in line.title or "Complaint revisit" in line.title
    assert item_of(followup).state == WorkState.DONE
    again = outcome(api, followup, {"result": "reached", "satisfaction": "satisfied"})
    assert again.status_code == 409 and "state" in again.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("satisfaction", "solved"), [("neutral", "yes"), ("dissatisfied", "yes"), ("satisfied", "no")]
)
def test_a_lukewarm_revisit_reopens_the_complaint_and_tells_the_service_manager(
    demo, api, satisfaction, solved
):
    complaint = closed_complaint(demo)
    followup = revisit_of(complaint)
    response = outcome(
        api,
        followup,
        {
            "result": "reached",
            "satisfaction": satisfaction,
            "answers": {"problem_solved": solved},
            "comment": "还有异响",
        },
    )
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    reopen = TimelineEntry.objects.get(complaint=complaint, action="reopen")
    assert "还有异响" in reopen.changes.get("reason", [None, ""])[1] or "还有异响" in reopen.note
    assert revisit_clock(complaint).stopped_at is not None  # the revisit was made
    told = Notification.objects.filter(recipient=demo.users["manager1"], complaint=complaint)
    assert told.count() == 1 and complaint.number in told.get().title
    assert not Notification.objects.filter(recipient=demo.users["manager2"]).exists()


def test_the_linked_policy_opens_a_new_complaint_and_leaves_the_closed_one(demo, api):
    FollowUpPolicy.objects.create(dealer=demo.dealers["D1"], on_lukewarm_revisit=LukewarmAction.LINKED)
    complaint = closed_complaint(demo)
    followup = revisit_of(complaint)
    response = outcome(
        api, followup, {"result": "reached", "satisfaction": "dissatisfied", "comment": "刹车还是响"}
    )
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    new = Complaint.objects.exclude(pk=complaint.pk).get()
    assert new.customer_id == complaint.customer_id and new.verbatim == "刹车还是响"
    assert complaint.number in new.facts
    assert Notification.objects.filter(recipient=demo.users["manager1"], complaint=new).exists()


def test_an_early_revisit_needs_a_reason_named_early_reason(demo, api):
    complaint = closed_complaint(demo, days_ago=0)
    followup = revisit_of(complaint)
    response = outcome(api, followup, {"result": "reached", "satisfaction": "satisfied"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "revisit_too_early"
    assert list(response.json()["error"]["fields"]) == ["early_reason"]
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.OPEN and not Attempt.objects.exists()
    ok = outcome(
        api, followup, {"result": "reached", "satisfaction": "satisfied", "early_reason": "客户明天出差"}
    )
    assert ok.status_code == 200


def test_not_reached_three_times_at_different_times_of_day_then_sms_or_letter(demo, api):
    customer = customer_with_consent(demo, consent_sms=True)
    complaint = closed_complaint(demo, customer=customer)
    followup = revisit_of(complaint)
    parts = []
    for n in (1, 2, 3):
        response = outcome(api, followup, {"result": "not_reached", "note": "无人接听"})
        assert response.status_code == 200, response.content
        body = response.json()
        parts.append(body["attempt_list"][-1]["day_part"])
        assert body["plan"]["attempts"] == n and body["state"] == "open"
        if n < 3:
            assert body["plan"]["next_part"] not in body["plan"]["tried"]
            followup.refresh_from_db()
            assert item_of(followup).due_at == followup.due_at > timezone.now()
            # the next call is made at its time of day (moved here, as the agent would)
            Attempt.objects.filter(followup=followup, number=n).update(day_part=body["plan"]["tried"][-1])
            FollowUp.objects.filter(pk=followup.pk).update(due_at=timezone.now())
    assert body["plan"]["fallback_due"] is True and body["plan"]["next_at"] is None
    fourth = outcome(api, followup, {"result": "not_reached"})
    assert fourth.status_code == 409
    assert fourth.json()["error"]["code"] == "attempts_exhausted"
    assert "result" in fourth.json()["error"]["fields"] and fourth.json()["error"]["plan"] == [
        "sms",
        "letter",
    ]
    also_reached = outcome(api, followup, {"result": "reached", "satisfaction": "satisfied"})
    assert also_reached.status_code == 409
    assert Attempt.objects.filter(followup=followup).count() == 3
    # each call is in the call log too (kesu.calls), outbound, linked to the follow-up
    logged = list(Call.objects.filter(followup_id=followup.pk).order_by("at"))
    assert [c.direction for c in logged] == ["outbound"] * 3
    assert [c.customer_said for c in logged] == ["无人接听"] * 3 and logged[0].customer_id == customer.pk
    linked = {a.call_id for a in Attempt.objects.filter(followup=followup)}
    assert linked == {c.pk for c in logged}
    sms = outcome(api, followup, {"result": "sms"})
    assert sms.status_code == 200, sms.content
    assert sms.json()["state"] == "failed" and sms.json()["fallback"] == "sms"
    (delivery,) = Delivery.objects.filter(channel="sms", target=customer.mobile)
    assert "张先生您好" in delivery.body
    assert revisit_clock(complaint).stopped_at is None  # nobody was reached: the revisit is still owed
    assert item_of(followup).state == WorkState.DONE
    calls = TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.CALL, action="follow_up")
    assert calls.count() == 4  # three calls and the SMS, each on the timeline


def test_sms_before_three_calls_or_to_an_opted_out_customer_is_refused(demo, api):
    customer = customer_with_consent(demo, consent_sms=False)
    complaint = closed_complaint(demo, customer=customer)
    followup = revisit_of(complaint)
    early = outcome(api, followup, {"result": "sms"})
    assert early.status_code == 409 and "result" in early.json()["error"]["fields"]
    FollowUp.objects.filter(pk=followup.pk).update(attempts=3)
    opted_out = outcome(api, followup, {"result": "sms", "sms_text": "您好,回访未接通。"})
    assert opted_out.status_code == 422
    assert list(opted_out.json()["error"]["fields"]) == ["consent_sms"]
    assert not Delivery.objects.filter(channel="sms").exists()
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.OPEN
    letter = outcome(api, followup, {"result": "letter"})
    assert letter.status_code == 200 and letter.json()["fallback"] == "letter"
    letters = api("agent1").get("/api/v1/followups?state=failed&fallback=letter").json()
    assert [row["id"] for row in letters] == [followup.pk]


def test_a_forbidden_phrase_in_the_sms_is_refused_naming_sms_text(demo, api):
    customer = customer_with_consent(demo, consent_sms=True)
    followup = revisit_of(closed_complaint(demo, customer=customer))
    FollowUp.objects.filter(pk=followup.pk).update(attempts=3)
    response = outcome(api, followup, {"result": "sms", "sms_text": "打不通,你急也没用,我们的程序就是这样"})
    assert response.status_code == 422, response.content
    assert "sms_text" in response.json()["error"]["fields"]
    assert not Delivery.objects.filter(channel="sms").exists()
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.OPEN


def test_a_service_call_reached_records_answers_without_touching_complaints(demo, api):
    from kesu.complaints.tests.factories import make_customer
    from kesu.followups.tasks import generate

    vehicle = make_customer(demo, 1).vehicles.get()
    api("agent1").post(
        f"/api/v1/vehicles/{vehicle.pk}/service-visits",
        {
            "finished_at": (timezone.now() - timedelta(days=3)).isoformat(),
            "work": "10000公里保养",
            "advisor": "李工",
        },
    )
    generate()
    followup = FollowUp.objects.get(kind=FollowUpKind.SERVICE_3D)
    script = api("agent1").get(f"/api/v1/followups/{followup.pk}").json()["script"]["steps"]
    assert any("10000公里保养" in s["text"] for s in script) and any("李工" in s["text"] for s in script)
    response = outcome(
        api,
        followup,
        {
            "result": "reached",
            "satisfaction": "neutral",
            "answers": {"car_ok": True, "advisor_rating": "good", "book_next": "no"},
            "comment": "等待时间有点长",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["answers"] == {"car_ok": "yes", "advisor_rating": "good", "book_next": "no"}
    assert not Complaint.objects.exists()  # lukewarm after a service visit is a signal, not a complaint
