"""The assistant against a local server that speaks the chat-completions protocol: off until a
dealer switches it on, nothing personal in what is sent, drafts guarded, failures quiet."""

import re
from typing import Any

import pytest

from kesu import flows
from kesu.assistant.models import AssistantExchange, AssistantSetting
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.validators import with_check_digit
from kesu.customers.models import Customer
from kesu.language.models import CustomerReply
from kesu.sla.services import pause

from .llm_server import RUDE_DRAFT, Delay, Trickle

VIN = with_check_digit("LSVAU2180N2183294")
NAME, MOBILE, PLATE = "王建国", "13912345678", "粤B12345"


def personal_complaint(demo: Any):  # type: ignore[no-untyped-def]
    """A complaint whose own words, facts and timeline repeat the customer's data, as people write."""
    customer = make_customer(demo, 1, mobile=MOBILE, plate=PLATE, vin=VIN)
    Customer.objects.filter(pk=customer.pk).update(name=NAME)
    customer.refresh_from_db()
    complaint = make_complaint(
        demo,
        1,
        customer=customer,
        verbatim=(
            f"我是{NAME}，手机 139 1234 5678，车牌{PLATE}的车刹车异响，修了三次还没修好！"
            f"VIN是{VIN.lower()}，再不解决就打12315。"
        ),
        facts=f"王先生称车辆({PLATE[:2]}·{PLATE[2:]})三次维修后仍异响，回电号码{MOBILE}。",
    )
    colleague = demo.users["dept1"].display_name  # never touched the complaint, named in a note
    reason = f"等{NAME}回电 {MOBILE}，车在{PLATE}，已请{colleague}查"
    pause(actor=demo.users["agent1"], complaint_id=complaint.pk, reason=reason)
    return complaint


def assert_nothing_personal(llm, demo) -> None:  # type: ignore[no-untyped-def]
    assert llm.requests, "nothing was sent"
    staff = [u.display_name for u in demo.users.values() if u.display_name]
    for request in llm.requests:
        text = request.text
        squeezed = re.sub(r"[\s\-·.,，]", "", text).upper()
        for value in (NAME, "王先生", MOBILE, PLATE, VIN):
            assert value.upper() not in squeezed, f"{value} was sent"
        assert "1234 5678" not in text
        for person in staff:
            assert person not in text, f"staff name {person} was sent"


def test_off_by_default_and_without_an_endpoint(demo, api, llm, settings):
    complaint = make_complaint(demo, 1)
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    assert response.status_code == 409 and response.json()["error"]["code"] == "assistant_off"
    AssistantSetting.objects.create(organization=demo.dealers["D1"], enabled=True)
    settings.KESU_LLM_BASE_URL = ""  # switched on, but no endpoint configured
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/draft")
    assert response.status_code == 409
    assert llm.requests == [] and not AssistantExchange.objects.exists()
    assert api("manager1").get("/api/v1/assistant/settings").json()["active"] is False


def test_a_manager_switches_it_on_for_their_own_dealer_only(demo, api, llm):
    assert api("manager1").get("/api/v1/assistant/settings").json()["enabled"] is False
    refused = api("agent1").patch("/api/v1/assistant/settings", {"enabled": True})
    assert refused.status_code == 403
    other = api("manager1").patch(
        "/api/v1/assistant/settings", {"enabled": True, "organization_id": demo.dealers["D2"].pk}
    )
    assert other.status_code == 404
    assert api("region1").patch("/api/v1/assistant/settings", {"enabled": True}).status_code == 403
    assert api(None).patch("/api/v1/assistant/settings", {"enabled": True}).status_code == 401
    assert not AssistantSetting.objects.exists()
    on = api("manager1").patch("/api/v1/assistant/settings", {"enabled": True})
    assert on.status_code == 200 and on.json()["active"] is True
    admin = api("admin").patch(
        "/api/v1/assistant/settings", {"enabled": True, "organization_id": demo.dealers["D3"].pk}
    )
    assert admin.status_code == 200
    on_codes = AssistantSetting.objects.filter(enabled=True).values_list("organization__code", flat=True)
    assert set(on_codes) == {"D1", "D3"}
    assert api("admin").get("/api/v1/assistant/settings").status_code == 422  # which dealer?


def test_summary_masks_every_personal_value_and_is_logged(demo, api, llm, switched_on):
    complaint = personal_complaint(demo)
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"].startswith("客户诉求")
    assert NAME in body["text"]  # 【客户】 put back locally, for the agent's eyes
    assert_nothing_personal(llm, demo)
    sent = llm.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["Authorization"] == "Bearer sk-test-key"
    assert sent.body["model"] == "fake-chat"
    assert "刹车异响" in sent.text and "【客户】" in sent.text and "【电话1】" in sent.text
    exchange = AssistantExchange.objects.get()
    assert (exchange.kind, exchange.status, exchange.user.username) == ("summary", "ok", "agent1")
    assert exchange.complaint_id == complaint.pk and exchange.request == sent.body
    assert "【客户】" in exchange.response and NAME not in str(exchange.request)
    assert "sk-test-key" not in str(exchange.request)  # the key is a header, never logged


def test_a_draft_comes_from_the_library_and_the_facts_and_is_never_sent(demo, api, llm, switched_on):
    complaint = personal_complaint(demo)
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/draft")
    assert response.status_code == 200, response.content
    draft = response.json()
    assert draft["clean"] is True and draft["hits"] == []
    assert draft["text"].startswith(f"{NAME}您好")
    sent = llm.requests[0].text
    assert "标准应答语" in sent and "服务忌语" in sent  # the approved replies and the phrases to avoid
    assert_nothing_personal(llm, demo)
    assert not CustomerReply.objects.exists()  # only the agent sends
    assert AssistantExchange.objects.get().status == "ok"


def test_a_draft_with_forbidden_phrases_is_asked_again_then_shown_with_them(demo, api, llm, switched_on):
    complaint = make_complaint(demo, 1)
    llm.script = [RUDE_DRAFT]  # the second answer is the server's polite default
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/draft")
    draft = response.json()
    assert draft["clean"] is True and len(draft["exchange_ids"]) == 2
    assert "这不可能" in llm.requests[1].body["messages"][1]["content"]  # told what to avoid
    statuses = AssistantExchange.objects.order_by("pk").values_list("status", flat=True)
    assert list(statuses) == ["flagged", "ok"]

    llm.script = [RUDE_DRAFT, RUDE_DRAFT]
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/draft")
    draft = response.json()
    assert response.status_code == 200
    assert draft["clean"] is False and draft["text"] == RUDE_DRAFT
    assert {"这不可能"} <= {h["matched"] for h in draft["hits"]}
    assert not CustomerReply.objects.exists()


def test_a_timeout_or_a_failure_is_logged_and_answered_plainly(demo, api, llm, switched_on):
    complaint = make_complaint(demo, 1)
    llm.script = [Delay(3.0)]
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    assert response.status_code == 504 and response.json()["error"]["code"] == "assistant_timeout"
    llm.script = [500]
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/draft")
    assert response.status_code == 503 and response.json()["error"]["code"] == "assistant_unavailable"
    rows = list(AssistantExchange.objects.order_by("pk").values_list("kind", "status", "error"))
    assert rows == [("summary", "timeout", "timed out"), ("draft", "error", "HTTP 500")]


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_timeout(demo, api, llm, switched_on):
    """Each byte comes before the socket's timeout, the whole answer long after the deadline."""
    complaint = make_complaint(demo, 1)
    llm.script = [Trickle(0.3)]
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    assert response.status_code == 504
    assert AssistantExchange.objects.get().status == "timeout"


def test_a_server_that_is_down_is_a_quiet_503(demo, api, settings, switched_on):
    settings.KESU_LLM_BASE_URL = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
    settings.KESU_LLM_TIMEOUT_SECONDS = 1.0
    complaint = make_complaint(demo, 1)
    response = api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    assert response.status_code == 503
    assert AssistantExchange.objects.get().status == "error"


@pytest.mark.parametrize("username", ["agent2", "manager2", "region2", "crc1", "pr1"])
def test_strangers_get_404_and_nothing_is_sent(demo, api, llm, switched_on, username):
    complaint = make_complaint(demo, 1)
    AssistantSetting.objects.create(organization=demo.dealers["D2"], enabled=True)
    for kind in ("summary", "draft"):
        response = api(username).post(f"/api/v1/assistant/complaints/{complaint.pk}/{kind}")
        assert response.status_code == 404
    assert llm.requests == [] and not AssistantExchange.objects.exists()


def test_roles_that_do_not_work_complaints_are_refused(demo, api, llm, switched_on):
    complaint = make_complaint(demo, 1)
    response = api("region1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    assert response.status_code == 403
    assert api(None).post(f"/api/v1/assistant/complaints/{complaint.pk}/summary").status_code == 401
    assert llm.requests == []


def test_the_log_is_for_the_dealers_managers_and_administrators(demo, api, llm, switched_on):
    complaint = make_complaint(demo, 1)
    api("agent1").post(f"/api/v1/assistant/complaints/{complaint.pk}/summary")
    mine = api("manager1").get("/api/v1/assistant/exchanges").json()
    assert mine["count"] == 1 and mine["results"][0]["complaint_number"] == complaint.number
    assert mine["results"][0]["request"]["messages"][0]["role"] == "system"
    assert api("admin").get(f"/api/v1/assistant/exchanges?complaint_id={complaint.pk}").json()["count"] == 1
    assert api("manager2").get("/api/v1/assistant/exchanges").json()["count"] == 0
    assert api("agent1").get("/api/v1/assistant/exchanges").status_code == 403
    assert api("manager1").get("/api/v1/assistant/exchanges?page_size=0").status_code == 422


def test_the_draft_is_sent_by_the_agent_through_the_reply_flow(demo, llm, switched_on):
    complaint = make_complaint(demo, 1)
    draft = flows.assistant.draft_reply(actor=demo.users["agent1"], complaint_id=complaint.pk)
    reply = flows.send_reply(actor=demo.users["agent1"], complaint_id=complaint.pk, text=draft.text)
    assert reply.text == draft.text and reply.override_id is None
