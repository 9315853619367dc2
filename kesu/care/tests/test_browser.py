"""In a real browser: an agent works the maintenance-reminder list by SMS; the customer who did
not agree to SMS is shown as skipped and gets nothing."""

import pytest

from kesu.care.choices import CareState
from kesu.care.models import CareItem
from kesu.care.services import generate_care_lists
from kesu.notifications.models import Delivery

from .test_care import TODAY, due_for_service


@pytest.mark.django_db(transaction=True)
def test_work_a_maintenance_list_by_sms_skipping_the_opted_out(demo, browser, live_server):
    from kesu.web.tests.browser import login, shot

    due_for_service(demo, mobile="13800000001", plate="粤A00001")
    refused = due_for_service(demo, mobile="13800000002", plate="粤A00002", sms=False)
    generate_care_lists(today=TODAY)
    page = login(browser, live_server, "agent1")
    page.click("[data-testid=nav-care]")
    page.click("[data-testid=care-tab-maintenance]")
    assert "定保提醒 (2)" in page.inner_text("[data-testid=care-tabs]")
    preview = page.inner_text("[data-testid=care-sms-preview]")
    assert "1 位客户将收到短信" in preview and "1 位未同意接收短信" in preview
    assert "粤A00002" in page.inner_text("[data-testid=care-sms-skipped]")
    page.click("[data-testid=care-sms-form] button[type=submit]")
    page.wait_for_selector(".messages")
    assert "跳过 1 位" in page.inner_text(".messages")
    shot(page, "care-sms-list")
    assert list(Delivery.objects.values_list("target", flat=True)) == ["13800000001"]
    assert CareItem.objects.get(vehicle=refused).state == CareState.OPEN
    assert "粤A00002" in page.inner_text("[data-testid=care-items]")  # still on the list to call
