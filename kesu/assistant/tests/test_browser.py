"""The assistant in a real browser, against the local chat-completions server: the agent asks
for a summary and a draft, the draft lands in the reply box (masked data never sent), a rude
draft is shown marked and not offered clean, and with the server down the page works on."""

import re

import pytest

from kesu.assistant.models import AssistantSetting
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.language.models import CustomerReply
from kesu.web.tests.browser import login, shot

from .llm_server import RUDE_DRAFT

PHONE = {"width": 390, "height": 844}
MOBILE, PLATE = "13912345678", "粤B12345"


def open_complaint(browser, live_server, complaint):  # type: ignore[no-untyped-def]
    page = login(browser, live_server, "agent1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.wait_for_selector("[data-testid=assistant-panel]")
    page.wait_for_selector("[data-testid=reply-text]")
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.django_db(transaction=True)
def test_the_agent_gets_a_summary_and_a_draft_in_the_reply_box(browser, live_server, demo, llm):
    AssistantSetting.objects.create(organization=demo.dealers["D1"], enabled=True)
    customer = make_customer(demo, 1, mobile=MOBILE, plate=PLATE)
    complaint = make_complaint(
        demo, 1, customer=customer, verbatim=f"车牌{PLATE}，电话{MOBILE}，刹车异响三次没修好"
    )
    page = open_complaint(browser, live_server, complaint)
    page.click("text=生成摘要")
    page.wait_for_selector("[data-testid=assistant-summary]")
    assert "客户诉求" in page.inner_text("[data-testid=assistant-summary]")
    page.click("text=生成回复草稿")
    page.wait_for_selector("[data-testid=assistant-draft-clean]")
    page.wait_for_function("document.getElementById('reply-text').value.length > 0")
    draft = page.input_value("[data-testid=reply-text]")
    assert draft.startswith("张先生您好") and "刹车异响" in draft
    page.wait_for_selector("[data-testid=guard-ok]")  # the composer's own check ran on it
    for request in llm.requests:
        squeezed = re.sub(r"[\s\-·]", "", request.text)
        assert MOBILE not in squeezed and PLATE not in squeezed and "张先生" not in squeezed
    assert not CustomerReply.objects.exists()  # filled in, not sent
    shot(page, "assistant-01-draft")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=reply-send]")  # the agent sends it, through the reply flow
    page.wait_for_function("document.querySelectorAll('[data-testid=replies] .reply-text').length > 0")
    assert CustomerReply.objects.get().text == draft


@pytest.mark.django_db(transaction=True)
def test_a_rude_draft_is_shown_marked_and_only_put_in_the_box_on_request(browser, live_server, demo, llm):
    AssistantSetting.objects.create(organization=demo.dealers["D1"], enabled=True)
    complaint = make_complaint(demo, 1)
    llm.script = [RUDE_DRAFT, RUDE_DRAFT]
    page = open_complaint(browser, live_server, complaint)
    page.click("text=生成回复草稿")
    page.wait_for_selector("[data-testid=assistant-draft-flagged]")
    assert page.locator("[data-testid=assistant-draft-preview] mark.hit").count() >= 1
    assert page.input_value("[data-testid=reply-text]") == ""
    shot(page, "assistant-02-flagged")
    page.click("[data-testid=assistant-draft-use]")
    page.wait_for_selector("[data-testid=guard-blocked]")  # the composer blocks it until rephrased
    assert page.input_value("[data-testid=reply-text]") == RUDE_DRAFT


@pytest.mark.django_db(transaction=True)
def test_with_the_server_down_the_page_works_without_ai(browser, live_server, demo, settings):
    AssistantSetting.objects.create(organization=demo.dealers["D1"], enabled=True)
    settings.KESU_LLM_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens there
    settings.KESU_LLM_TIMEOUT_SECONDS = 1.0
    complaint = make_complaint(demo, 1)
    page = open_complaint(browser, live_server, complaint)
    page.click("text=生成回复草稿")
    page.wait_for_selector("[data-testid=assistant-unavailable]")
    assert "暂时不可用" in page.inner_text("[data-testid=assistant-output]")
    assert page.input_value("[data-testid=reply-text]") == ""
    shot(page, "assistant-03-down")
    page.fill("[data-testid=reply-text]", "您好，我们已安排技术经理复查，今天下午给您答复。")
    page.click("[data-testid=reply-send]")
    page.wait_for_function("document.querySelectorAll('[data-testid=replies] .reply-text').length > 0")
    assert CustomerReply.objects.count() == 1
