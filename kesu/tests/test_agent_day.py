"""agent1 works the demo's day in a real browser, in Chinese: lands on 我的一天 with counts per kind,
does a 3-day follow-up call with its script, sends the maintenance-reminder SMS (the customer who
opted out is skipped), books the last place of a slot (which then shows full), confirms a
booking from the day's list, and finds the booking on the welcome board. Screenshots land in
test-artifacts/."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kesu.appointments.models import Appointment
from kesu.demo.day import PEOPLE
from kesu.followups.choices import FollowUpState
from kesu.notifications.models import Delivery
from kesu.web.tests.browser import shot, zh

KINDS = {
    "follow_up": "跟进电话",
    "care_call": "关怀电访",
    "confirmation": "预约确认",
    "callback": "回电",
    "overdue_complaint": "超时客诉",
}


def count(page, kind):  # type: ignore[no-untyped-def]
    return int(page.inner_text(f"[data-testid=kind-{kind}] .count"))


def open_day(page, url):  # type: ignore[no-untyped-def]
    page.goto(f"{url}/worklist/")
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_agent1_works_the_demo_day(browser, live_server, demo):
    from conftest import PASSWORD

    call_command("demo", complaints=12, verbosity=0, stdout=StringIO())
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "agent1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/worklist/")  # the agent's home page is the day

    assert page.inner_text("h1").startswith("我的一天")
    tabs = page.inner_text("[data-testid=day-kinds]")
    before = {}
    for kind, label in KINDS.items():
        assert label in tabs
        before[kind] = count(page, kind)
        assert before[kind] > 0, kind
    assert page.locator("[data-testid=day-entry].late").count() > 0  # the overdue complaint at least
    shot(page, "agent-day-01-my-day")

    # a follow-up from the list, done with its script
    page.click("[data-testid=kind-follow_up]")
    entry = page.locator("[data-testid=day-entry]", has_text="周建国")
    assert "售后3日电访" in entry.inner_text()
    entry.locator("a").click()
    page.wait_for_url("**/followups/*/")
    script = page.inner_text("[data-testid=script]")
    assert "您好!请问是周建国吗?" in script and "10000公里保养" in script and "李工" in script
    page.check("[data-testid=answer-car_ok-yes]")
    page.check("[data-testid=answer-advisor_rating-very_good]")
    page.check("input[name=satisfaction][value=very_satisfied]")
    page.fill("textarea[name=comment]", "保养很及时，李工讲解很清楚")
    page.click("[data-testid=reached]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=followup-state]") == zh(FollowUpState.DONE.label)
    shot(page, "agent-day-02-follow-up-done")
    open_day(page, live_server.url)
    assert count(page, "follow_up") == before["follow_up"] - 1

    # the maintenance-reminder list by SMS: the opted-out owner is skipped and keeps the call
    page.click("[data-testid=nav-care]")
    page.click("[data-testid=care-tab-maintenance]")
    preview = page.inner_text("[data-testid=care-sms-preview]")
    assert "位客户将收到短信" in preview and "位未同意接收短信" in preview
    skipped = page.inner_text("[data-testid=care-sms-skipped]")
    assert "何永康" in skipped and PEOPLE["opted_out"].plate in skipped
    page.click("[data-testid=care-sms-form] button[type=submit]")
    page.wait_for_selector(".messages")
    assert "跳过" in page.inner_text(".messages")
    assert "何永康" in page.inner_text("[data-testid=care-items]")  # still on the list, to call
    shot(page, "agent-day-03-care-sms")
    sent = set(Delivery.objects.values_list("target", flat=True))
    assert {PEOPLE["maintenance1"].mobile, PEOPLE["maintenance2"].mobile} <= sent
    assert PEOPLE["opted_out"].mobile not in sent
    open_day(page, live_server.url)
    assert count(page, "care_call") <= before["care_call"] - 2

    # the last place of a slot on the next open day: booked, the slot then full
    booked = Appointment.objects.get(customer__mobile=PEOPLE["booking1"].mobile)
    day = timezone.localtime(booked.slot_start).date().isoformat()
    hhmm = timezone.localtime(booked.slot_start).strftime("%H:%M")
    css = hhmm.replace(":", "\\:")
    page.click("[data-testid=nav-appointments]")
    page.goto(f"{live_server.url}/appointments/slots/?date={day}")
    cell = page.locator(f"[data-testid=free-{css}]")
    assert cell.inner_text() == "仅剩1个"
    cell.locator("xpath=..").get_by_role("link", name="预约").click()
    page.wait_for_url("**/appointments/new/**")
    page.wait_for_load_state("networkidle")
    choice = page.locator(f"[data-testid=slot-{css}]")
    assert "仅剩1个" in choice.inner_text() and choice.locator("input").is_checked()
    page.fill("input[name=plate]", "粤A7Q8W2")
    page.fill("input[name=name]", "韩雪")
    page.check("input[name=salutation][value=ms]")
    page.fill("input[name=mobile]", "13926017788")
    page.check("input[name=work_items][value=maintenance]")
    page.click("[data-testid=booking-submit]")
    page.wait_for_url("**/appointments/*/")
    assert page.inner_text("[data-testid=appointment-state]") == "已预约"
    page.goto(f"{live_server.url}/appointments/slots/?date={day}")
    assert page.inner_text(f"[data-testid=free-{css}]") == "0"
    assert "full" in (cell.get_attribute("class") or "")
    page.goto(f"{live_server.url}/appointments/new/?date={day}")
    page.wait_for_load_state("networkidle")
    choice = page.locator(f"[data-testid=slot-{css}]")
    assert "已约满" in choice.inner_text() and choice.locator("input").is_disabled()
    shot(page, "agent-day-04-slot-full")

    # a confirmation call from the day's list (the new booking brought one more)
    open_day(page, live_server.url)
    assert count(page, "confirmation") == before["confirmation"] + 1
    page.click("[data-testid=kind-confirmation]")
    page.locator("[data-testid=day-entry]", has_text="曹立新").locator("a").click()
    page.wait_for_url(f"**/appointments/{booked.pk}/")
    page.fill("input[name=note]", "客户回复准时来厂")
    page.click("[data-testid=confirm]")
    page.wait_for_load_state("networkidle")
    assert "客户回复准时来厂" in page.inner_text("[data-testid=appointment-confirmed]")
    open_day(page, live_server.url)
    assert count(page, "confirmation") == before["confirmation"]

    # the welcome board of that day shows the new booking (plate masked, salutation)
    board = context.new_page()
    board.goto(f"{live_server.url}/appointments/board/?date={day}")
    row = board.locator("[data-testid=board-row]", has_text="粤A·***W2")
    assert hhmm in row.inner_text() and "韩女士" in row.inner_text()
    assert "13926017788" not in board.content()
    shot(board, "agent-day-05-welcome-board")
    context.close()
