"""Issue 11 (4, 5) in a real browser: at 390 px no page scrolls sideways and the navigation
reads in words; a failed action's error appears beside its field in place (htmx), focused."""

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.tests.factories import make_complaint
from kesu.customers.models import Customer
from kesu.tests.test_pages import PAGES
from kesu.web.tests.browser import login, shot, zh

PHONE = {"width": 390, "height": 844}
# pages without an object id, beside those of PAGES that are read with GET
OTHER_PAGES = [
    "/queue/",
    "/reports/",
    "/reports/packs/",
    "/complaints/new/",
    "/notifications/",
    "/language/phrases/",
    "/no-such-page/",
    "/worklist/",
    "/calls/",
    "/calls/new/",
    "/calls/audits/",
    "/followups/",
    "/care/",
    "/care/campaigns/",
    "/approvals/",
    "/appointments/",
    "/appointments/new/",
    "/appointments/slots/",
    "/appointments/report/",
    "/appointments/board/",
    "/resolutions/penalty-notices/",
    "/carmaker/help-requests/",
    "/customers/import/",
    "/exports/logs/",
    "/manage/",
    "/assistant/settings/",
    "/assistant/exchanges/",
    "/improvements/",
    "/improvements/new/",
    "/improvements/cases/",
    "/insights/quality-signals/",
    "/manage/privacy/",
]


def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _narrowest_nav_link(page) -> tuple[float, float, str]:  # type: ignore[no-untyped-def]
    """(width, height, text) of the nav link whose text is drawn narrowest relative to its length."""
    return tuple(  # type: ignore[return-value]
        page.evaluate(
            """() => {
              const links = [...document.querySelectorAll('header.top nav a')];
              let worst = [1e9, 0, ''];
              for (const a of links) {
                const r = a.getBoundingClientRect();
                if (r.width < worst[0]) worst = [r.width, r.height, a.textContent.trim()];
              }
              return worst;
            }"""
        )
    )


@pytest.mark.parametrize("username", ["agent1", "manager1", "admin"])
def test_every_page_fits_a_phone_and_the_navigation_reads_in_words(browser, live_server, demo, username):
    complaint = make_complaint(demo, 1, verbatim="发动机漏油，车辆VIN LGBBBU739XJFMC9TY 多次维修，要求退车")
    customer = Customer.objects.get(pk=complaint.customer_id)
    page = login(browser, live_server, username)
    page.set_viewport_size(PHONE)
    pages = [p for method, p in PAGES if method == "get" and "{o}" not in p and not p.endswith(".pdf")]
    urls = OTHER_PAGES + [p.format(c=complaint.pk, cu=customer.pk) for p in pages]
    if username == "admin":
        urls += ["/sla/policies/", "/sla/calendar/", "/notifications/outbox/"]
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        width = _overflow(page)
        if width > PHONE["width"]:
            shot(page, f"phone-overflow-{username}{url.replace('/', '_')}")
        assert width <= PHONE["width"], f"{url} is {width} px wide at 390 px"
        if page.locator("header.top nav a").count():
            link_width, link_height, text = _narrowest_nav_link(page)
            # one word on one line: at least one CJK character or letter per 16 px, one line high
            assert link_height < 40, f"{url}: nav link {text!r} wraps ({link_height} px high)"
            assert link_width >= 13 * min(len(text), 2), f"{url}: nav link {text!r} is {link_width} px wide"
    page.context.close()


def test_a_failed_action_shows_the_error_beside_the_field_in_place(browser, live_server, demo):
    complaint = make_complaint(demo, 1)
    page = login(browser, live_server, "agent1")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.click('[data-testid="action-start_investigation"]')
    page.fill('#act-start_investigation textarea[name="note"]', "已致电客户，说明将安排检查")
    before = page.evaluate("window.scrollY")
    page.evaluate("window.__stayed = true")  # gone if the page reloads
    page.click('[data-testid="confirm-start_investigation"]')
    error = page.locator('#act-start_investigation [data-testid="error-promised_plan_at"]')
    error.wait_for()
    label = zh("Plan promised to the customer by")
    assert error.inner_text() == f"{label}：请填写此项"
    assert page.evaluate("window.__stayed === true")  # swapped in place, not a reload
    box = error.bounding_box()
    assert box is not None and 0 <= box["y"] <= PHONE["height"], (box, before)  # seen without scrolling
    focused = page.evaluate("document.activeElement && document.activeElement.name")
    assert focused == "promised_plan_at"
    # the note typed is still there, and the form still works: fill the field and confirm
    assert "安排检查" in page.input_value('#act-start_investigation textarea[name="note"]')
    page.fill('#act-start_investigation input[name="promised_plan_at"]', _tomorrow_input())
    page.click('[data-testid="confirm-start_investigation"]')
    page.wait_for_selector(f'[data-testid="status"]:has-text("{zh(Status.INVESTIGATING.label)}")')
    page.context.close()


def test_without_javascript_the_page_comes_back_at_the_error(browser, live_server, demo):
    complaint = make_complaint(demo, 1)
    page = login(browser, live_server, "agent1")
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, java_script_enabled=False, storage_state=page.context.storage_state()
    )
    page.context.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.click('[data-testid="action-start_investigation"]')
    page.click('[data-testid="confirm-start_investigation"]')
    error = page.locator('#act-start_investigation [data-testid="error-note"]')
    error.wait_for()
    assert error.inner_text() == f"{zh('Note')}：请填写此项"
    box = error.bounding_box()
    assert box is not None and 0 <= box["y"] <= PHONE["height"]  # scrolled to the form (#act-…)
    context.close()


def _tomorrow_input() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
