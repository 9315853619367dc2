"""Replies to the customer from a complaint: the forbidden-phrase guard blocks them (422
``forbidden_phrase``) until rephrased or sent with a reason; overrides are counted per agent for
the monthly review; another dealer's people get 404 and change nothing."""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.language import services
from kesu.language.models import CustomerReply, GuardOverride, ReplyTemplate

pytestmark = pytest.mark.django_db

POLITE = "张先生您好，给您添麻烦了，我们今天下午给您回电。"
RUDE = "换车？这不可能，最多给您做个保养"


def complaint_at(demo, dealer: int = 1, n: int = 1) -> Complaint:
    person = make_customer(demo, dealer, mobile=f"1390000{n:04d}", plate=f"粤A{n:05d}")
    return make_complaint(demo, dealer, verbatim="发动机异响，修了两次还是响", customer=person)


def replies_url(complaint: Complaint) -> str:
    return f"/api/v1/language/complaints/{complaint.pk}/replies"


def state(complaint: Complaint) -> tuple[object, ...]:
    """What a reply could change: replies, overrides, the timeline, the clocks, library counts."""
    complaint.refresh_from_db()
    return (
        CustomerReply.objects.count(),
        GuardOverride.objects.count(),
        complaint.timeline.count(),
        complaint.version,
        list(complaint.clocks.values_list("stopped_at", flat=True).order_by("pk")),
        list(ReplyTemplate.objects.values_list("pk", "usage_count").order_by("pk")),
    )


def first_reply_clock(api: Any, complaint: Complaint) -> dict[str, Any]:
    clocks = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/sla").json()["clocks"]
    return next(c for c in clocks if c["kind"] == "first_reply")


# --- sending ------------------------------------------------------------------------------------


def test_a_polite_reply_is_recorded_on_the_timeline_and_stops_the_first_reply_clock(demo, api):
    complaint = complaint_at(demo)
    assert first_reply_clock(api, complaint)["state"] != "met"
    response = api("agent1").post(replies_url(complaint), {"text": POLITE, "channel": "phone"})
    assert response.status_code == 201
    body = response.json()
    assert (body["text"], body["channel"], body["overridden"]) == (POLITE, "phone", False)
    assert body["actor_id"] == demo.users["agent1"].pk
    listed = api("agent1").get(replies_url(complaint)).json()
    assert [r["id"] for r in listed] == [body["id"]]
    timeline = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/timeline").json()
    assert any(e["action"] == "reply" and POLITE in e["note"] for e in timeline)
    assert first_reply_clock(api, complaint)["state"] == "met"


def test_a_forbidden_phrase_blocks_the_reply_and_names_the_polite_alternative(demo, api):
    complaint = complaint_at(demo)
    before = state(complaint)
    response = api("agent1").post(replies_url(complaint), {"text": RUDE, "channel": "phone"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "forbidden_phrase"
    assert "text" in error["fields"]
    assert "这不可能" in error["fields"]["text"] and "我一定尽力" in error["fields"]["text"]
    assert state(complaint) == before
    assert first_reply_clock(api, complaint)["state"] != "met"
    # rephrased with the alternative, it goes through
    fixed = api("agent1").post(replies_url(complaint), {"text": "换车我一定尽力帮您申请，先给您做个全面检测"})
    assert fixed.status_code == 201


def test_sent_anyway_with_a_reason_it_is_logged_for_the_review(demo, api):
    complaint = complaint_at(demo)
    reason = "客户原话复述，需要记录"
    response = api("agent1").post(replies_url(complaint), {"text": RUDE, "override_reason": reason})
    assert response.status_code == 201
    assert response.json()["overridden"] is True
    override = GuardOverride.objects.get()
    assert override.user == demo.users["agent1"]
    assert override.complaint_id == complaint.pk
    assert override.reason == reason
    assert override.phrases == ["这不可能"]
    timeline = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/timeline").json()
    assert any(e["action"] == "reply" and reason in e["note"] for e in timeline)
    report = api("manager1").get("/api/v1/language/overrides").json()
    assert report["total"] == 1
    assert report["by_agent"] == [
        {"user_id": demo.users["agent1"].pk, "name": str(demo.users["agent1"]), "count": 1}
    ]
    assert report["recent"][0]["reason"] == reason
    assert report["recent"][0]["complaint_id"] == complaint.pk


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "   "}, "text"),
        ({"text": "您好" * 1001}, "text"),
        ({"text": POLITE, "channel": "fax"}, "channel"),
        ({"text": POLITE, "objection_content": "weather"}, "objection_content"),
        ({"text": POLITE, "objection_nature": "maybe"}, "objection_nature"),
        ({"text": RUDE, "override_reason": "理由" * 300}, "override_reason"),
        ({"text": "您好，我是××号，会在××前答复您"}, "text"),
    ],
)
def test_a_reply_with_a_problem_is_refused_naming_the_field(demo, api, body, field):
    complaint = complaint_at(demo)
    before = state(complaint)
    response = api("agent1").post(replies_url(complaint), body)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert state(complaint) == before
    assert api("agent1").post(replies_url(complaint), {"text": POLITE}).status_code == 201


def test_characters_that_cannot_be_stored_are_dropped_from_a_reply(demo, api):
    complaint = complaint_at(demo)
    response = api("agent1").post(
        replies_url(complaint),
        {"text": "张先生\x00您好\x07，今天下午\r\n给您回电。", "override_reason": None},
    )
    assert response.status_code == 201
    assert response.json()["text"] == "张先生您好，今天下午\n给您回电。"
    rude = api("agent1").post(replies_url(complaint), {"text": RUDE, "override_reason": "客户\x00原话"})
    assert rude.status_code == 201
    assert GuardOverride.objects.get().reason == "客户原话"


def test_a_standard_reply_from_another_dealers_library_is_refused(demo, api):
    complaint = complaint_at(demo)
    theirs = services.propose_template(
        actor=demo.users["manager2"], title="鹏程专用", text="您好，我马上为您查询。"
    )
    before = state(complaint)
    response = api("agent1").post(
        replies_url(complaint), {"text": "您好，我马上为您查询。", "template_id": theirs.pk}
    )
    assert response.status_code == 422 and "template_id" in response.json()["error"]["fields"]
    assert state(complaint) == before
    ours = services.propose_template(
        actor=demo.users["manager1"], title="骏达专用", text="您好，我马上为您查询。"
    )
    sent = api("agent1").post(
        replies_url(complaint), {"text": "您好，我马上为您查询。", "template_id": ours.pk}
    )
    assert sent.status_code == 201 and sent.json()["template_id"] == ours.pk


def test_department_staff_may_reply_but_the_region_manager_may_not(demo, api):
    complaint = complaint_at(demo)
    assert api("dept1").post(replies_url(complaint), {"text": POLITE}).status_code == 201
    before = state(complaint)
    refused = api("region1").post(replies_url(complaint), {"text": RUDE, "override_reason": "测试"})
    assert refused.status_code == 403
    assert state(complaint) == before
    assert api("region1").get(replies_url(complaint)).status_code == 200  # may read them


# --- the monthly review -----------------------------------------------------------------------


def override(demo, complaint: Complaint, username: str) -> None:
    flows.send_reply(
        actor=demo.users[username], complaint_id=complaint.pk, text=RUDE, override_reason="客户要求原话转达"
    )


def test_the_review_counts_overrides_per_agent_most_first(demo, api):
    ours = complaint_at(demo, 1, 1)
    theirs = complaint_at(demo, 2, 2)
    override(demo, ours, "agent1")
    override(demo, ours, "agent1")
    override(demo, ours, "manager1")
    override(demo, theirs, "agent2")
    report = api("manager1").get("/api/v1/language/overrides").json()
    assert report["organization_id"] == demo.dealers["D1"].pk
    assert report["month"] == date.today().strftime("%Y-%m")
    assert report["total"] == 3
    assert [(row["user_id"], row["count"]) for row in report["by_agent"]] == [
        (demo.users["agent1"].pk, 2),
        (demo.users["manager1"].pk, 1),
    ]
    assert len(report["recent"]) == 3
    assert all(row["phrases"] == ["这不可能"] for row in report["recent"])
    assert {row["complaint_id"] for row in report["recent"]} == {ours.pk}
    # the general manager reads the same review; the other dealer's manager their own
    assert api("gm1").get("/api/v1/language/overrides").json()["total"] == 3
    there = api("manager2").get("/api/v1/language/overrides").json()
    assert there["total"] == 1 and there["by_agent"][0]["user_id"] == demo.users["agent2"].pk


def test_another_month_has_its_own_count(demo, api):
    override(demo, complaint_at(demo), "agent1")
    today = date.today()
    previous = date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)
    report = api("manager1").get(f"/api/v1/language/overrides?month={previous:%Y-%m}").json()
    assert report["month"] == f"{previous:%Y-%m}"
    assert (report["total"], report["by_agent"], report["recent"]) == (0, [], [])
    bad = api("manager1").get("/api/v1/language/overrides?month=last-month")
    assert bad.status_code == 422 and "month" in bad.json()["error"]["fields"]


@pytest.mark.parametrize(
    "username, status", [("agent1", 403), ("dept1", 403), ("region1", 403), ("manager2", 404)]
)
def test_the_review_is_for_the_dealers_managers_only(demo, api, username, status):
    override(demo, complaint_at(demo), "agent1")
    response = api(username).get(f"/api/v1/language/overrides?organization_id={demo.dealers['D1'].pk}")
    assert response.status_code == status
    assert "客户要求原话转达" not in response.content.decode()
    assert api("manager1").get("/api/v1/language/overrides").json()["total"] == 1


# --- scope: another dealer's people -------------------------------------------------------

OUTSIDERS = ["agent2", "manager2", "gm2", "dept2", "agent3", "region2", "crc1", "pr1", "quality1"]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_another_dealers_people_get_404_on_replies_and_nothing_changes(demo, api, username):
    complaint = complaint_at(demo, 1)
    flows.send_reply(actor=demo.users["agent1"], complaint_id=complaint.pk, text=POLITE)
    # a standard reply the outsider may use, to be filled in from somebody else's complaint
    own = services.library(actor=demo.users[username])[0]
    before = state(complaint)
    client = api(username)
    answers = [
        client.get(replies_url(complaint)),
        client.post(replies_url(complaint), {"text": POLITE}),
        client.post(replies_url(complaint), {"text": RUDE}),
        client.post(replies_url(complaint), {"text": RUDE, "override_reason": "就这么说"}),
    ]
    answers.append(client.get(f"/api/v1/language/replies/{own.pk}/render?complaint_id={complaint.pk}"))
    for response in answers:
        assert response.status_code == 404, response.content
        assert response.json()["error"]["code"] == "not_found"
        assert complaint.customer.name not in response.content.decode()
        assert POLITE not in response.content.decode()
    assert state(complaint) == before
    assert len(api("agent1").get(replies_url(complaint)).json()) == 1


@pytest.mark.parametrize("username", ["agent2", "manager2", "agent3"])
def test_another_dealers_people_get_404_on_the_composer_pages(demo, username):
    complaint = complaint_at(demo, 1)
    own = services.library(actor=demo.users[username])[0]
    before = state(complaint)
    browser = Client()
    browser.force_login(demo.users[username])
    base = f"/language/complaints/{complaint.pk}"
    assert browser.get(f"{base}/composer/").status_code == 404
    assert browser.get(f"{base}/insert/?template_id={own.pk}").status_code == 404
    assert browser.post(f"{base}/reply/", {"text": POLITE}).status_code == 404
    assert browser.post(f"{base}/reply/", {"text": RUDE, "override_reason": "就这么说"}).status_code == 404
    assert state(complaint) == before
    browser.force_login(demo.users["agent1"])
    assert browser.get(f"{base}/composer/").status_code == 200
