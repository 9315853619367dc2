"""The phone desk in a real browser: a 抱怨 call logged number first (the customer found as the
agent types), a forbidden phrase in the reply refused, then the call turned into a complaint
that keeps the caller's words and says so on its timeline. Screenshots land in test-artifacts/."""

import pytest

from kesu.calls.models import Call
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_customer
from kesu.web.tests.browser import login, shot

SAID = "上周刚做的保养，现在发动机有异响，你们修了两次都没好，我要投诉！"


@pytest.mark.django_db(transaction=True)
def test_a_complaint_call_becomes_a_complaint_in_the_browser(browser, live_server, demo):
    customer = make_customer(demo, 1, mobile="13912345678", plate="粤A12345")
    page = login(browser, live_server, "agent1")
    page.click("[data-testid=nav-calls]")
    page.click("[data-testid=log-call]")
    page.wait_for_url("**/calls/new/")
    page.wait_for_load_state("networkidle")  # htmx ready before typing
    page.fill("[data-testid=call-number]", "1391234")
    page.wait_for_selector("[data-testid=call-matches] button.match")
    page.click("[data-testid=call-matches] button.match")
    assert page.input_value("input[name=caller_name]") == "张先生"
    assert page.input_value("input[name=plate]") == "粤A12345"
    page.fill("[data-testid=call-number]", "139 1234 5678")
    page.check("input[name=purpose][value=complaint]")
    page.fill("textarea[name=customer_said]", SAID)
    page.fill("textarea[name=reply]", "这不可能")
    page.fill("input[name=duration_seconds]", "185")
    page.click("[data-testid=call-submit]")
    assert page.locator("[data-testid=error-reply]").is_visible()  # the guard named the reply
    assert Call.objects.count() == 0
    shot(page, "calls-01-guard")
    page.fill("textarea[name=reply]", "非常抱歉给您带来不便，我马上为您登记，2小时内答复您。")
    page.click("[data-testid=call-submit]")
    page.wait_for_url("**/calls/*/")
    call = Call.objects.get()
    assert call.customer == customer and call.duration_seconds == 185
    assert page.locator("[data-testid=call-said]").inner_text().strip() == SAID
    assert page.locator("[data-testid=call-purpose]").inner_text() == "抱怨"
    shot(page, "calls-02-call")
    page.click("[data-testid=to-complaint]")
    page.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get()
    assert complaint.verbatim == SAID and complaint.channel == "phone"
    assert SAID in page.locator("[data-testid=verbatim]").inner_text()
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "由来电记录转为客诉" in timeline and "时长 3:05" in timeline
    shot(page, "calls-03-complaint")
    # the call now links to its complaint, and cannot be converted again
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    assert page.locator("[data-testid=call-complaint]").inner_text() == complaint.number
    assert page.locator("[data-testid=to-complaint]").count() == 0
