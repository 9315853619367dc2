"""The outbox page in a browser at phone width: an uncertain delivery is shown with its
explanation, and the admin's 重发 sends it exactly once more."""

from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Delivery, WebhookTarget
from kesu.notifications.tests.test_uncertain import Robot
from kesu.web.tests.browser import login, shot


def test_an_admin_sees_an_uncertain_robot_message_and_resends_it_once(browser, live_server, demo, settings):
    settings.KESU_WEBHOOK_TRANSPORT = "http"
    robot = Robot()
    try:
        target = WebhookTarget.objects.create(
            organization=demo.dealers["D1"], provider="wecom", url=robot.url
        )
        delivery = Delivery.objects.create(
            channel="webhook",
            target=str(target.pk),
            subject="KS-2026-000123 危机：客户称要找媒体",
            body="请店总立即处理",
            idempotency_key="crisis:123:webhook",
            status="uncertain",
            attempts=1,
            next_attempt_at="2026-12-05T10:00:00Z",
            claimed_at="2026-12-05T10:00:00Z",
            last_error="The worker stopped while sending: it may or may not have arrived.",
        )
        page = login(browser, live_server, "admin")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/notifications/outbox/")
        table = page.get_by_test_id("uncertain")
        assert "KS-2026-000123 危机" in table.inner_text()
        assert "未确认的发送" in page.content() and "只再发一次" in page.content()
        assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
        shot(page, "outbox-uncertain-phone")
        table.get_by_role("checkbox").check()
        page.get_by_test_id("resend").click()
        page.wait_for_url("**/notifications/outbox/")
        assert "将再发送一次" in page.content()
        deliver_due()
        deliver_due()
        delivery.refresh_from_db()
        assert delivery.status == "sent" and delivery.attempts == 2
        assert robot.posts_about("KS-2026-000123") == 1
    finally:
        robot.close()
