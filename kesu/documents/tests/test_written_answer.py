"""The written answer (书面答复): what stops the 7-day clock is the letter reaching the customer,
not the plan typed inside; the letter passes the forbidden-phrase guard; SMS and email go through
the outbox once; printed and posted letters are recorded with who and when."""

import pytest

from kesu.complaints.tests.factories import make_complaint
from kesu.documents.models import WrittenAnswer
from kesu.documents.tests.helpers import PLAN, ROOT_CAUSE, VERBATIM, with_plan
from kesu.language.models import GuardOverride
from kesu.notifications.models import Delivery, Notification
from kesu.sla import services as sla_services
from kesu.sla.models import Clock

pytestmark = pytest.mark.django_db

FORBIDDEN = "我们的程序就是这样，只有等。"


def decision(complaint):  # type: ignore[no-untyped-def]
    return {r.kind: r for r in sla_services.readings(complaint)}["decision"]


def url(complaint) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/complaints/{complaint.pk}/written-answer"


def test_the_plan_typed_inside_does_not_meet_the_written_answer_deadline(demo):
    complaint = with_plan(demo)
    assert complaint.status == "plan_proposed"
    readings = {r.kind: r for r in sla_services.readings(complaint)}
    assert readings["first_reply"].state == "met"  # the customer was told what happens next
    assert readings["decision"].stopped_at is None
    assert readings["decision"].state in ("running", "warning")


def test_sms_answer_goes_through_the_outbox_once_and_meets_the_deadline(demo, api):
    complaint = with_plan(demo)
    response = api("agent1").post(url(complaint), {"channel": "sms"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "sms" and body["recipient"] == "138****1234"
    assert ROOT_CAUSE in body["text"] and PLAN in body["text"] and "尊敬的张先生" in body["text"]
    (delivery,) = Delivery.objects.all()
    assert delivery.pk == body["delivery_id"]
    assert (delivery.channel, delivery.target, delivery.status) == ("sms", "13812341234", "pending")
    assert PLAN in delivery.body and complaint.number in delivery.subject
    assert not Notification.objects.filter(complaint_id=complaint.pk, title__contains="书面答复").exists()
    reading = decision(complaint)
    assert reading.state == "met" and reading.stopped_at is not None
    entry = complaint.timeline.order_by("-at", "-pk")[0]
    assert "书面答复已送达客户" in entry.note and "短信" in entry.note
    assert entry.actor == demo.users["agent1"] and entry.kind == "reply"  # not logged as an edit


def test_printed_letter_is_recorded_with_who_and_when_and_sends_nothing(demo, api):
    complaint = with_plan(demo)
    response = api("manager1").post(url(complaint), {"channel": "printed"})
    assert response.status_code == 201
    answer = WrittenAnswer.objects.get()
    assert answer.sent_by == demo.users["manager1"] and answer.channel == "printed"
    assert decision(complaint).stopped_at == answer.sent_at
    assert not Delivery.objects.exists()
    listed = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/written-answers").json()
    assert [a["sent_by"] for a in listed] == [str(demo.users["manager1"])]
    pdf = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/letter.pdf?answer={answer.pk}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_second_letter_is_recorded_but_the_deadline_stays_as_first_met(demo, api):
    complaint = with_plan(demo)
    assert api("agent1").post(url(complaint), {"channel": "printed"}).status_code == 201
    first_stop = decision(complaint).stopped_at
    again = api("agent1").post(url(complaint), {"channel": "email", "email": "zhang@example.cn"})
    assert again.status_code == 201
    assert decision(complaint).stopped_at == first_stop
    assert WrittenAnswer.objects.count() == 2
    assert list(Delivery.objects.values_list("channel", "target")) == [("email", "zhang@example.cn")]


def test_a_late_letter_marks_the_deadline_breached(demo, api):
    complaint = with_plan(demo)
    clock = Clock.objects.get(complaint=complaint, kind="decision")
    Clock.objects.filter(pk=clock.pk).update(due_at=clock.started_at)  # already due at the start
    assert api("agent1").post(url(complaint), {"channel": "printed"}).status_code == 201
    assert decision(complaint).state == "breached"


def test_the_forbidden_phrase_guard_checks_the_letter(demo, api):
    complaint = with_plan(demo)
    text = f"尊敬的{{customer_name}}：关于投诉{{number}}，{FORBIDDEN}"
    blocked = api("agent1").post(url(complaint), {"channel": "sms", "text": text})
    assert blocked.status_code == 422
    error = blocked.json()["error"]
    assert error["code"] == "forbidden_phrase" and "text" in error["fields"]
    assert not WrittenAnswer.objects.exists() and not Delivery.objects.exists()
    assert decision(complaint).stopped_at is None  # nothing sent, the clock still runs

    overridden = api("agent1").post(
        url(complaint), {"channel": "sms", "text": text, "override_reason": "引用客户所述的原话"}
    )
    assert overridden.status_code == 201 and overridden.json()["overridden"] is True
    assert "尊敬的张先生：关于投诉" in overridden.json()["text"]  # placeholders filled in edited text
    assert GuardOverride.objects.get().complaint_id == complaint.pk
    assert Delivery.objects.count() == 1


def test_the_default_letter_passes_the_guard(demo, api):
    complaint = with_plan(demo)
    assert api("agent1").post(url(complaint), {"channel": "printed"}).status_code == 201
    assert not GuardOverride.objects.exists()


def test_a_letter_with_blanks_is_refused_before_the_plan_exists(demo, api):
    complaint = make_complaint(demo, 1, verbatim=VERBATIM)
    response = api("agent1").post(url(complaint), {"channel": "printed"})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert "text" in fields and "{findings}" in fields["text"]
    # the agent may write the letter by hand: then it goes
    ok = api("agent1").post(
        url(complaint), {"channel": "printed", "text": "尊敬的{customer_name}：已受理，三日内答复。"}
    )
    assert ok.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"channel": "email", "email": "not-an-address"}, "email"),
        ({"channel": "post", "address": "  "}, "address"),
        ({"channel": "printed", "text": "字" * 4001}, "text"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(demo, api, payload, field):
    complaint = with_plan(demo)
    response = api("agent1").post(url(complaint), payload)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not WrittenAnswer.objects.exists()
    assert decision(complaint).stopped_at is None


def test_sms_needs_the_customers_consent(demo, api):
    complaint = with_plan(demo)
    complaint.customer.consent_sms = False
    complaint.customer.save()
    response = api("agent1").post(url(complaint), {"channel": "sms"})
    assert response.status_code == 422 and "channel" in response.json()["error"]["fields"]
    posted = api("agent1").post(url(complaint), {"channel": "post", "address": "广州市天河区体育西路1号"})
    assert posted.status_code == 201 and posted.json()["recipient"] == "广州市天河区体育西路1号"


@pytest.mark.parametrize(("user", "status"), [("agent2", 404), ("crc1", 404), ("region1", 403), (None, 401)])
def test_strangers_cannot_send_and_nothing_changes(demo, api, user, status):
    complaint = with_plan(demo)
    response = api(user).post(url(complaint), {"channel": "sms"})
    assert response.status_code == status
    assert not WrittenAnswer.objects.exists() and not Delivery.objects.exists()
    assert decision(complaint).stopped_at is None
    if user:
        listed = api(user).get(f"/api/v1/complaints/{complaint.pk}/written-answers")
        assert listed.status_code == (200 if status == 403 else 404)


def test_closing_still_ends_the_deadline(demo):
    """A case closed with the customer's agreement needs no letter afterwards (the close stops it)."""
    from kesu.sla.tests.test_cycles import walk_to_closed

    complaint = make_complaint(demo, 1)
    walk_to_closed(demo, complaint.pk)
    assert decision(complaint).stopped_at is not None
