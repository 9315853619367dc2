"""The desk in a real browser: intake → each of the four steps → close, in Chinese; another
dealer's agent cannot open the complaint. Screenshots land in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.choices import EventKind, Status
from kesu.complaints.models import Complaint
from kesu.web.tests.browser import login, shot, zh


def take(page, action, fields=None, select=None):  # type: ignore[no-untyped-def]
    page.wait_for_load_state("networkidle")  # the panels htmx loads after the page move it
    page.click(f"[data-testid=action-{action}]")
    form = page.locator(f"details:has([data-testid=confirm-{action}]) form")
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"[name={name}]").select_option(value)
    with page.expect_navigation():  # a success answers HX-Redirect to the complaint page
        form.locator(f"[data-testid=confirm-{action}]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_intake_to_close_in_the_browser(browser, live_server, demo):
    agent = login(browser, live_server, "agent1")
    shot(agent, "01-queue")
    agent.click("[data-testid=nav-intake]")
    # A wrong plate is refused with the field named, and nothing is saved.
    agent.fill("input[name=name]", "余先生")
    agent.fill("input[name=mobile]", "139 1234 5678")
    agent.fill("input[name=plate]", "粤A1234O")
    agent.check("input[name=consent_sms][value=yes]")  # consent is asked (no preselected answer)
    agent.check("input[name=consent_calls][value=no]")
    agent.fill("textarea[name=verbatim]", "车刚跑了不到一千公里，在高速公路上突然熄火，拖车费谁出？")
    agent.click("[data-testid=intake-submit]")
    assert agent.locator("[data-testid=error-plate]").is_visible()
    assert Complaint.objects.count() == 0
    shot(agent, "02-intake-error")
    agent.fill("input[name=plate]", "粤A12345")
    agent.select_option("select[name=severity]", "major")
    agent.click("[data-testid=intake-submit]")
    agent.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get()
    assert agent.locator("[data-testid=status]").inner_text() == zh(Status.RECEIVED.label)
    assert "高速公路上突然熄火" in agent.locator("[data-testid=verbatim]").inner_text()
    shot(agent, "03-received")

    promised = timezone.localtime() + timedelta(hours=24)
    take(
        agent,
        "start_investigation",
        {"promised_plan_at": promised.strftime("%Y-%m-%dT%H:%M"), "note": "已致歉，明天给方案"},
    )
    assert agent.locator("[data-testid=status]").inner_text() == zh(Status.INVESTIGATING.label)

    dept = login(browser, live_server, "dept1")
    dept.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    take(dept, "propose_plan", {"root_cause": "燃油泵继电器故障", "plan": "免费更换并报销拖车费"})
    assert dept.locator("[data-testid=status]").inner_text() == zh(Status.PLAN_PROPOSED.label)
    shot(dept, "04-plan")

    agent.reload()
    take(agent, "customer_agrees", {"note": "客户同意方案"})
    take(agent, "start_implementation")
    take(agent, "finish_implementation", {"note": "已更换，试车正常"})
    assert agent.locator("[data-testid=status]").inner_text() == zh(Status.FOLLOW_UP.label)
    # A crisis (stalling on the motorway) is closed by the general manager: the agent sees why
    # and asks; gm1 confirms.
    assert agent.locator("[data-testid=guard-close]").is_visible()
    assert agent.locator("[data-testid=action-close]").count() == 0
    take(agent, "request_close", {"note": "回访：问题解决"}, {"satisfaction": "satisfied"})
    assert agent.locator("[data-testid=status]").inner_text() == zh(Status.AWAITING_DECISION.label)
    gm = login(browser, live_server, "gm1")
    gm.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    take(gm, "decide_close", {"reason": "总经理确认客户满意，结案"})
    assert gm.locator("[data-testid=status]").inner_text() == zh(Status.CLOSED.label)
    agent.reload()
    timeline = agent.locator("[data-testid=timeline] li")
    # Registered, raised to crisis (stalling on the motorway), first reply, seven steps.
    assert agent.locator(f"[data-testid=timeline] li[data-kind={EventKind.TRANSITION}]").count() == 7
    assert agent.locator(f"[data-testid=timeline] li[data-kind={EventKind.CREATED}]").count() == 1
    assert timeline.filter(has_text="高速").count() >= 1
    shot(agent, "05-closed")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.plan == "免费更换并报销拖车费"

    # Another dealer's agent: a 404, and not a word of the complaint.
    stranger = login(browser, live_server, "agent2")
    response = stranger.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    assert response.status == 404
    assert "熄火" not in stranger.content()
    shot(stranger, "06-other-dealer-404")
    stranger.goto(f"{live_server.url}/queue/?status=any")
    assert complaint.number not in stranger.content()


@pytest.mark.django_db(transaction=True)
def test_find_existing_customer_while_typing(browser, live_server, demo):
    from kesu.complaints.tests.factories import make_customer

    customer = make_customer(demo, 1, mobile="13800138000", plate="粤B D1234".replace(" ", ""))
    agent = login(browser, live_server, "agent1")
    agent.goto(f"{live_server.url}/complaints/new/")
    agent.locator("[data-testid=lookup]").press_sequentially("粤BD12", delay=30)
    match = agent.locator("[data-testid=matches] button.match")
    match.first.wait_for()
    assert "138****8000" in match.first.inner_text()
    match.first.click()
    assert agent.locator("#new-customer").is_hidden()
    agent.fill("textarea[name=verbatim]", "换了零件以后平均油耗显示没有了")
    agent.click("[data-testid=intake-submit]")
    agent.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get()
    assert complaint.customer_id == customer.pk and complaint.vehicle_id == customer.vehicles.get().pk
    shot(agent, "07-existing-customer")


@pytest.mark.django_db(transaction=True)
def test_stale_edit_is_refused_in_the_page(browser, live_server, demo):
    from kesu.complaints.tests.factories import make_complaint

    complaint = make_complaint(demo, 1)
    first = login(browser, live_server, "agent1")
    second = login(browser, live_server, "manager1")
    for page in (first, second):
        page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
        page.click("[data-testid=edit-form] >> xpath=ancestor::details/summary")
    first.fill("[data-testid=edit-form] textarea[name=facts]", "第一位同事的记录")
    first.click("[data-testid=edit-form] button[type=submit]")
    second.fill("[data-testid=edit-form] textarea[name=facts]", "第二位同事的记录")
    second.click("[data-testid=edit-form] button[type=submit]")
    assert second.locator("[data-testid=edit-error]").is_visible()
    shot(second, "08-stale-edit")
    complaint.refresh_from_db()
    assert complaint.facts == "第一位同事的记录" and complaint.version == 2


@pytest.mark.django_db(transaction=True)
def test_overdue_complaint_tops_the_queue_with_its_breach_badge(browser, live_server, demo):
    from kesu.complaints.tests.factories import make_complaint, make_customer
    from kesu.sla.sweep import sweep

    fresh = make_complaint(demo, 1, verbatim="空调不制冷")
    late = make_complaint(
        demo,
        1,
        verbatim="刹车异响三次未修好",
        received_at=timezone.now() - timedelta(days=6),
        customer=make_customer(demo, 1, mobile="13700001111", plate="粤A77777"),
    )
    sweep()
    agent = login(browser, live_server, "agent1")
    rows = agent.locator("[data-testid=queue-table] tbody tr")
    assert rows.count() == 2
    assert late.number in rows.nth(0).inner_text() and fresh.number in rows.nth(1).inner_text()
    assert rows.nth(0).locator("[data-testid=breach-badge]").is_visible()
    assert rows.nth(1).locator("[data-testid=breach-badge]").count() == 0
    shot(agent, "09-overdue-first")
    agent.click(f"text={late.number}")
    assert agent.locator("[data-testid=clock-state-resolution]").inner_text() == zh("Breached")
    assert agent.locator("[data-testid=bell-count]").count() in (0, 1)
    shot(agent, "10-clocks")
