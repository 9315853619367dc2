"""Seed 003's car fire in a real browser: PR takes the crisis over on the complaint page, logs the
reporter's article, drafts a statement (a forbidden phrase refused first), another PR lead approves
it, and the dealer sees PR in charge. Screenshots land in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.carmaker.models import MediaMention, PrTakeover, Statement
from kesu.carmaker.tests.test_carmaker import make_pr2
from kesu.complaints.tests.factories import make_complaint
from kesu.web.tests.browser import login, shot


def open_card(page, live_server, complaint):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.wait_for_selector("[data-testid=carmaker-panel]")


@pytest.mark.django_db(transaction=True)
def test_pr_handles_the_car_fire_in_the_browser(browser, live_server, demo):
    complaint = make_complaint(
        demo, 1, verbatim="车在高速上起火了，记者已经拍照，我要曝光！", severity="crisis"
    )
    make_pr2(demo)
    page = login(browser, live_server, "pr1")
    open_card(page, live_server, complaint)
    page.fill("[data-testid=takeover-form] input[name=note]", "公关部接手媒体沟通")
    page.click("[data-testid=takeover-form] button")
    page.wait_for_selector("[data-testid=pr-in-charge]")
    assert "公关部负责" in page.locator("[data-testid=pr-in-charge]").inner_text()
    assert PrTakeover.objects.filter(complaint=complaint).exists()

    published = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("[data-testid=media-form] input[name=outlet]", "大连晚报")
    page.fill("[data-testid=media-form] input[name=url]", "https://dlwb.example.cn/fire")
    page.fill("[data-testid=media-form] input[name=published_at]", published)
    page.fill("[data-testid=media-form] input[name=reach]", "80000")
    page.select_option("[data-testid=media-form] select[name=tone]", "negative")
    page.click("[data-testid=media-form] button")
    page.wait_for_selector("[data-testid=carmaker-panel]")
    assert "大连晚报" in page.locator("[data-testid=media]").inner_text()
    assert MediaMention.objects.get().reach == 80000

    page.fill("[data-testid=statement-form] textarea[name=text]", "我们的程序就是这样，只有等。")
    page.click("[data-testid=statement-form] button")
    page.wait_for_selector("ul.messages")
    assert "含服务忌语" in page.locator("ul.messages").inner_text()
    assert not Statement.objects.exists()
    page.fill("[data-testid=statement-form] textarea[name=text]", "我们已第一时间赶赴现场，积极配合调查。")
    page.click("[data-testid=statement-form] button")
    page.wait_for_selector("[data-testid=statements] li")
    assert "待审批" in page.locator("[data-testid=statements]").inner_text()
    assert page.locator("[data-testid=statements] button[value=approve]").count() == 0  # not its author
    shot(page, "carmaker-01-pr")

    lead = login(browser, live_server, "pr2")
    open_card(lead, live_server, complaint)
    lead.click("[data-testid=statements] button[value=approve]")
    lead.wait_for_selector("[data-testid=statements]")
    assert "已通过" in lead.locator("[data-testid=statements]").inner_text()
    assert Statement.objects.get().state == "approved"

    dealer = login(browser, live_server, "agent1")
    open_card(dealer, live_server, complaint)
    assert "公关部负责" in dealer.locator("[data-testid=pr-in-charge]").inner_text()
    assert dealer.locator("[data-testid=takeover-form]").count() == 0
    timeline = dealer.locator("[data-testid=timeline]").inner_text()
    assert "公关部接管危机" in timeline and "声明已批准" in timeline and "记录媒体报道" in timeline
    shot(dealer, "carmaker-02-dealer")
