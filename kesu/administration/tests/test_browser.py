"""In Chromium: the administrator adds a dealer under a region and its first agent through the
pages; the agent logs in with the password shown once."""

import pytest

from kesu.organizations.models import Organization, User
from kesu.web.tests.browser import login, shot


@pytest.mark.django_db(transaction=True)
def test_admin_sets_up_a_dealer_and_an_agent_in_the_browser(browser, live_server, demo):
    page = login(browser, live_server, "admin")
    page.click("[data-testid=nav-admin]")
    page.wait_for_url("**/manage/")
    page.click("text=华南区")
    form = page.locator("[data-testid=child-form]")
    form.locator("input[name=name]").fill("佛山顺达4S店")
    form.locator("input[name=code]").fill("d7")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=org-name]:has-text('佛山顺达4S店')")
    dealer = Organization.objects.get(code="D7")
    assert dealer.parent_id == demo.regions["R-S"].pk

    # a department, then a mistake shown beside the field: a code already taken
    form = page.locator("[data-testid=child-form]")
    form.locator("input[name=name]").fill("客服部")
    form.locator("input[name=code]").fill("D7-CS")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=org-name]:has-text('客服部')")
    page.go_back()
    page.reload()
    form = page.locator("[data-testid=child-form]")
    form.locator("input[name=name]").fill("售后服务部")
    form.locator("input[name=code]").fill("D7-CS")
    form.locator("button[type=submit]").click()
    assert "已被使用" in page.locator("[data-testid=error-code]").inner_text()

    page.click("[data-testid=add-user]")
    page.fill("input[name=username]", "agent7")
    page.fill("input[name=display_name]", "顺达客服")
    page.select_option("select[name=role]", "agent")
    page.select_option("select[name=organization_id]", label="D7-CS 客服部")
    page.fill("input[name=mobile]", "13900007777")
    page.click("[data-testid=user-form] button[type=submit]")
    password = page.locator("[data-testid=new-password] code").inner_text().strip()
    shot(page, "admin-user-created")
    assert User.objects.get(username="agent7").organization.code == "D7-CS"  # type: ignore[union-attr]

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    agent = context.new_page()
    agent.goto(f"{live_server.url}/login/")
    agent.fill("input[name=username]", "agent7")
    agent.fill("input[name=password]", password)
    agent.click("button[type=submit]")
    agent.wait_for_url(lambda url: "/login/" not in url)
    assert "顺达客服" in agent.content() or "agent7" in agent.content()
    assert agent.locator("[data-testid=nav-admin]").count() == 0
    context.close()
