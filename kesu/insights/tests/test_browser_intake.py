"""Intake in a real browser: suggestions and crisis flags appear while the agent types."""

import pytest

from kesu.complaints.choices import Category, Severity
from kesu.complaints.models import Complaint
from kesu.insights.choices import FaultArea
from kesu.web.tests.browser import login, shot, zh


@pytest.mark.django_db(transaction=True)
def test_intake_shows_suggestions_and_crisis_flags_live(browser, live_server, demo):
    agent = login(browser, live_server, "agent1")
    agent.click("[data-testid=nav-intake]")
    words = agent.locator("textarea[name=verbatim]")
    words.press_sequentially("刹车异响，修了三次还没修好")
    category = agent.locator("[data-testid=suggest-category]").first
    category.wait_for()
    assert zh(Category.PRODUCT.label) in agent.locator("[data-testid=suggestions]").inner_text()
    assert agent.locator("[data-testid=crisis-flag]").count() == 0
    assert zh(FaultArea.BRAKES.label) in agent.locator("[data-testid=suggest-fault_area]").first.inner_text()
    shot(agent, "insights-01-suggestions")

    words.press_sequentially("，刹车失灵差点撞车，再不处理我就找媒体曝光！")
    flag = agent.locator("[data-testid=crisis-flag]")
    flag.wait_for()
    crisis_words = agent.locator("[data-testid=crisis-word]").all_inner_texts()
    assert any("媒体" in w or "曝光" in w for w in crisis_words)
    assert any("刹车失灵" in w for w in crisis_words)
    shot(agent, "insights-02-crisis")

    # Clicking a suggestion fills the form field; registering keeps the crisis severity.
    agent.locator("[data-testid=suggest-category]").first.click()
    assert agent.locator("select[name=category]").input_value() == "product"
    agent.fill("input[name=name]", "余先生")
    agent.fill("input[name=mobile]", "13912345678")
    agent.fill("input[name=plate]", "粤A12345")
    agent.check("input[name=consent_sms][value=yes]")  # consent is asked (no preselected answer)
    agent.check("input[name=consent_calls][value=no]")
    agent.click("[data-testid=intake-submit]")
    agent.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get()
    assert complaint.severity == Severity.CRISIS and complaint.category == "product"
    shot(agent, "insights-03-registered")
