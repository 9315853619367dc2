"""The standard-reply library (标准应答语): entries with placeholders filled in from the
complaint, proposed by agents and approved or rejected by the service manager or general
manager, counted when used, and ranked by how often their objection type is met."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from kesu.language import services
from kesu.language.models import CustomerReply, ReplyTemplate

pytestmark = pytest.mark.django_db

ALL_PLACEHOLDERS = (
    "{customer_name}您好，这里是{dealer}，{agent_number}号为您服务，我们会在{promised_time}前给您答复。"
)


def complaint_at(demo, dealer: int = 1, n: int = 1) -> Complaint:
    person = make_customer(demo, dealer, mobile=f"1380000{n:04d}", plate=f"粤A{n:05d}")
    return make_complaint(demo, dealer, verbatim="保养等了三个小时，没有人解释", customer=person)


def promise(demo, complaint: Complaint, at: datetime) -> Complaint:
    return flows.transition(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        action="start_investigation",
        inputs={"promised_plan_at": at, "note": "已向客户致歉"},
    )


def entry(demo, text: str = ALL_PLACEHOLDERS, **extra: Any) -> ReplyTemplate:
    """An entry the service manager adds (approved at once)."""
    return services.propose_template(
        actor=demo.users["manager1"], title=extra.pop("title", "测试应答"), text=text, **extra
    )


# --- placeholders ---------------------------------------------------------------------------


def test_an_entry_is_filled_in_from_the_complaint_and_the_agent(demo, api):
    agent = demo.users["agent1"]
    agent.agent_number = "0815"
    agent.save()
    promised = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=15, minute=30)
    complaint = promise(demo, complaint_at(demo), promised)
    template = entry(demo)
    response = api("agent1").get(f"/api/v1/language/replies/{template.pk}/render?complaint_id={complaint.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["missing"] == []
    text = body["text"]
    assert text.startswith(complaint.customer.name)
    assert demo.dealers["D1"].name in text
    assert "0815号" in text
    assert f"{promised.month}月" in text and "15:30" in text
    assert "{" not in text and "××" not in text


def test_what_is_not_known_stays_marked_and_is_listed(demo, api):
    complaint = complaint_at(demo)  # no promised time yet; agent1 has no agent number
    template = entry(demo)
    body = (
        api("agent1").get(f"/api/v1/language/replies/{template.pk}/render?complaint_id={complaint.pk}").json()
    )
    assert body["missing"] == ["agent_number", "promised_time"]
    assert body["text"].count("××") == 2
    assert complaint.customer.name in body["text"] and demo.dealers["D1"].name in body["text"]


def test_the_seed_library_ships_with_placeholders_and_approved_entries(demo, api):
    response = api("agent1").get("/api/v1/language/replies")
    assert response.status_code == 200
    items = response.json()
    assert items and all(item["status"] == "approved" for item in items)
    used = {name for item in items for name in item["placeholders"]}
    assert used == set(services.PLACEHOLDERS)
    assert {item["objection_content"] for item in items} >= {"price", "product", "staff"}


@pytest.mark.parametrize(
    "fields, named",
    [
        ({"text": "{customer_name}您好，您的车架号{vin}已登记"}, "text"),
        ({"text": "这不可能，您再等等吧"}, "text"),  # a forbidden phrase in a standard reply
        ({"text": "   "}, "text"),
        ({"title": ""}, "title"),
        ({"title": "长" * 81}, "title"),
        ({"situation": "party"}, "situation"),
        ({"objection_content": "weather"}, "objection_content"),
        ({"objection_nature": "maybe"}, "objection_nature"),
    ],
)
def test_an_entry_with_a_problem_is_refused_naming_the_field(demo, fields, named):
    values = {"title": "新的应答", "text": "{customer_name}您好，我马上为您查询。", **fields}
    services.library(actor=demo.users["agent1"])  # the seed entries are loaded on first use
    count = ReplyTemplate.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.propose_template(actor=demo.users["agent1"], **values)
    assert named in caught.value.fields
    assert ReplyTemplate.objects.count() == count
    services.propose_template(
        actor=demo.users["agent1"], title="新的应答", text="{customer_name}您好，我马上为您查询。"
    )
    assert ReplyTemplate.objects.count() == count + 1


def test_an_unknown_placeholder_is_named_in_the_message(demo, api):
    response = api("agent1").post(
        "/api/v1/language/replies", {"title": "车架号", "text": "您的车架号{vin}已登记，{customer_name}"}
    )
    assert response.status_code == 422
    assert "{vin}" in response.json()["error"]["fields"]["text"]


# --- propose, approve, reject ---------------------------------------------------------------


def test_an_agents_proposal_waits_for_the_manager_and_then_everybody_uses_it(demo, api):
    proposed = api("agent1").post(
        "/api/v1/language/replies",
        {
            "title": "等待配件",
            "text": "{customer_name}，配件已经在路上了，到店后我第一时间通知您。",
            "situation": "urging",
        },
    )
    assert proposed.status_code == 201
    body = proposed.json()
    assert body["status"] == "proposed" and body["decided_by_id"] is None
    assert body["placeholders"] == ["customer_name"]
    template_id = body["id"]

    def titles(username: str, status: str = "approved") -> set[str]:
        return {t["title"] for t in api(username).get(f"/api/v1/language/replies?status={status}").json()}

    assert "等待配件" not in titles("agent1")  # the library in use holds approved entries
    assert "等待配件" in titles("agent1", "")  # the proposer follows their own proposal
    assert "等待配件" not in titles("dept1", "")  # colleagues do not see it yet
    assert api("dept1").get(f"/api/v1/language/replies/{template_id}").status_code == 404
    assert "等待配件" in titles("manager1", "proposed")
    complaint = complaint_at(demo)
    not_yet = api("agent1").get(f"/api/v1/language/replies/{template_id}/render?complaint_id={complaint.pk}")
    assert not_yet.status_code == 404

    approved = api("gm1").post(f"/api/v1/language/replies/{template_id}/approve", {})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by_id"] == demo.users["gm1"].pk
    assert "等待配件" in titles("dept1")
    rendered = api("dept1").get(f"/api/v1/language/replies/{template_id}/render?complaint_id={complaint.pk}")
    assert rendered.status_code == 200
    assert rendered.json()["text"].startswith(complaint.customer.name)


def test_a_rejection_needs_a_reason_which_the_proposer_reads(demo, api):
    template = services.propose_template(actor=demo.users["agent1"], title="太随意", text="亲，稍等哈")
    no_reason = api("manager1").post(f"/api/v1/language/replies/{template.pk}/reject", {"note": "  "})
    assert no_reason.status_code == 422 and "note" in no_reason.json()["error"]["fields"]
    template.refresh_from_db()
    assert template.status == "proposed"
    rejected = api("manager1").post(
        f"/api/v1/language/replies/{template.pk}/reject", {"note": "用语不够正式"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    mine = api("agent1").get(f"/api/v1/language/replies/{template.pk}").json()
    assert (mine["status"], mine["decision_note"]) == ("rejected", "用语不够正式")
    assert api("dept1").get(f"/api/v1/language/replies/{template.pk}").status_code == 404
    # decided once: neither approved later nor rejected again
    again = api("manager1").post(f"/api/v1/language/replies/{template.pk}/approve", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_transition"


def test_only_the_owning_dealers_managers_decide(demo):
    template = services.propose_template(actor=demo.users["agent1"], title="新应答", text="我马上为您查询。")
    with pytest.raises(Forbidden):  # the proposer sees it, but does not approve their own words
        services.decide_template(actor=demo.users["agent1"], template_id=template.pk, approve=True)
    for username in ("dept1", "manager2", "gm2", "agent2", "region1"):
        with pytest.raises(NotFound):
            services.decide_template(actor=demo.users[username], template_id=template.pk, approve=True)
    template.refresh_from_db()
    assert template.status == "proposed" and template.decided_by is None
    services.decide_template(actor=demo.users["manager1"], template_id=template.pk, approve=True)
    with pytest.raises(IllegalTransition):
        services.decide_template(
            actor=demo.users["gm1"], template_id=template.pk, approve=False, note="再改改"
        )
    template.refresh_from_db()
    assert template.status == "approved" and template.decided_by == demo.users["manager1"]


def test_a_proposal_caught_by_a_phrase_added_since_is_not_approved(demo):
    template = services.propose_template(
        actor=demo.users["agent1"], title="转达厂家", text="这是厂家的事，我帮您转达给他们。"
    )
    services.create_phrase(
        actor=demo.users["manager1"], phrase="这是厂家的事", alternative="我马上帮您联系厂家，今天给您回复"
    )
    with pytest.raises(InvalidInput) as caught:
        services.decide_template(actor=demo.users["manager1"], template_id=template.pk, approve=True)
    assert "这是厂家的事" in caught.value.fields["text"]
    template.refresh_from_db()
    assert template.status == "proposed"


def test_a_managers_own_entry_is_in_the_library_at_once(demo):
    template = entry(demo, title="经理的应答")
    assert template.status == "approved" and template.decided_by == demo.users["manager1"]
    assert template in services.library(actor=demo.users["agent1"])


def test_a_dealers_library_is_its_own(demo):
    entry(demo, title="骏达专用")
    assert "骏达专用" not in {t.title for t in services.library(actor=demo.users["agent2"])}
    assert "骏达专用" not in {t.title for t in services.library(actor=demo.users["manager3"], status="")}
    with pytest.raises(NotFound):
        services.library(actor=demo.users["agent2"], organization_id=demo.dealers["D1"].pk)
    # the region manager over the dealer may read it, but proposes nothing
    assert "骏达专用" in {
        t.title for t in services.library(actor=demo.users["region1"], organization_id=demo.dealers["D1"].pk)
    }
    with pytest.raises(Forbidden):
        services.propose_template(
            actor=demo.users["region1"], title="区域", text="您好", organization_id=demo.dealers["D1"].pk
        )


# --- usage and objections -----------------------------------------------------------------


def send(demo, complaint: Complaint, text: str, username: str = "agent1", **extra: Any) -> CustomerReply:
    return flows.send_reply(actor=demo.users[username], complaint_id=complaint.pk, text=text, **extra)


def test_every_use_is_counted_and_the_most_used_come_first(demo, api):
    complaint = complaint_at(demo)
    often = entry(demo, title="常用", text="{customer_name}您好，我马上为您查询。")
    rarely = entry(demo, title="少用", text="{customer_name}您好，请稍等。")
    for _ in range(3):
        send(demo, complaint, "张先生您好，我马上为您查询。", template_id=often.pk)
    send(demo, complaint, "张先生您好，请稍等。", template_id=rarely.pk)
    shown = api("agent1").get(f"/api/v1/language/replies/{often.pk}").json()
    assert shown["usage_count"] == 3
    assert api("agent1").get(f"/api/v1/language/replies/{rarely.pk}").json()["usage_count"] == 1
    order = [t["title"] for t in api("agent1").get("/api/v1/language/replies?situation=other").json()]
    assert order.index("常用") < order.index("少用")


def test_objections_are_ranked_by_how_often_they_are_met(demo, api):
    complaint = complaint_at(demo)
    price = next(t for t in services.library(actor=demo.users["agent1"]) if t.objection_content == "price")
    send(demo, complaint, "张先生，费用明细我逐项给您说明。", template_id=price.pk)  # counts the entry's type
    send(demo, complaint, "费用方面我再帮您申请一下。", objection_content="price", objection_nature="true")
    send(demo, complaint, "非常抱歉，服务人员的态度我们一定改进。", objection_content="staff")
    # another dealer's replies count for that dealer only
    elsewhere = complaint_at(demo, 2, n=2)
    for _ in range(5):
        send(demo, elsewhere, "这个项目不是强制的。", username="agent2", objection_content="need")

    ranking = api("manager1").get("/api/v1/language/objections").json()
    assert [r["objection_content"] for r in ranking][:2] == ["price", "staff"]
    counts = {r["objection_content"]: r["count"] for r in ranking}
    assert counts["price"] == 2 and counts["staff"] == 1 and counts["need"] == 0
    assert len(ranking) == 7 and all(r["label"] for r in ranking)
    top_there = api("agent2").get("/api/v1/language/objections").json()[0]
    assert (top_there["objection_content"], top_there["count"]) == ("need", 5)
    # the library puts the entries for the most frequent objection first
    library = api("agent1").get("/api/v1/language/replies").json()
    assert library[0]["objection_content"] == "price"
    assert library[0]["objection_frequency"] == 2
    frequencies = [t["objection_frequency"] for t in library]
    assert frequencies == sorted(frequencies, reverse=True)
