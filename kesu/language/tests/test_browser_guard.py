"""The guard in a real browser: a seed forbidden phrase in a reply is highlighted with its polite
alternative and sending is refused; the polite alternative is accepted and lands on the timeline."""

import pytest

from kesu.complaints.tests.factories import make_complaint
from kesu.language.models import CustomerReply
from kesu.web.tests.browser import login, shot


def type_reply(page, text):  # type: ignore[no-untyped-def]
    """Type as an agent does (key by key), so the live check fires as it would for a person."""
    area = page.locator("[data-testid=reply-text]")
    area.fill("")
    area.press_sequentially(text, delay=5)


@pytest.mark.django_db(transaction=True)
def test_guard_blocks_a_forbidden_phrase_and_accepts_its_alternative(browser, live_server, demo):
    complaint = make_complaint(demo, 1, verbatim="空调不制冷，要求今天之内修好")
    agent = login(browser, live_server, "agent1")
    agent.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    type_reply(agent, "王先生，今天修好这个我真的做不到。")
    hit = agent.locator("[data-testid=guard-hit]")
    hit.wait_for()
    assert "做不到" in hit.inner_text()
    assert agent.locator("[data-testid=guard-suggestion]").first.inner_text() == "我一定尽力"
    assert agent.locator("[data-testid=guard-preview] mark.hit").count() >= 1
    shot(agent, "guard-01-highlighted")

    agent.click("[data-testid=reply-send]")
    agent.locator("[data-testid=reply-error]").wait_for()
    assert not CustomerReply.objects.exists()
    shot(agent, "guard-02-blocked")

    type_reply(agent, "王先生，您的要求我一定尽力，下午五点前给您答复。")
    agent.locator("[data-testid=guard-ok]").wait_for()
    agent.click("[data-testid=reply-send]")
    agent.wait_for_load_state("networkidle")
    agent.locator("[data-testid=replies] .reply-text").first.wait_for()
    saved = CustomerReply.objects.get()
    assert saved.text.startswith("王先生，您的要求我一定尽力") and saved.override_id is None
    assert "我一定尽力" in agent.locator("[data-testid=replies]").inner_text()
    shot(agent, "guard-03-sent")


@pytest.mark.django_db(transaction=True)
def test_override_with_a_reason_is_sent_and_logged(browser, live_server, demo):
    complaint = make_complaint(demo, 1, verbatim="保养等太久了")
    agent = login(browser, live_server, "agent1")
    agent.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    type_reply(agent, "不知道")
    agent.locator("[data-testid=override-reason]").fill("客户问的是竞品的价格，确实无从得知")
    agent.click("[data-testid=reply-send]")
    agent.wait_for_load_state("networkidle")
    agent.locator("[data-testid=replies] .reply-text").first.wait_for()
    saved = CustomerReply.objects.get()
    assert saved.override is not None and "竞品" in saved.override.reason
    assert saved.override.user == demo.users["agent1"] and "不知道" in saved.override.phrases
