"""In a real browser: the owner is the first thing on a complaint's page; a missing reason is
shown beside the field without leaving the page; reassigning and transferring take one form
each and land on the timeline."""

import pytest

from kesu.complaints.choices import EventKind
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.web.tests.browser import login, shot, zh


@pytest.mark.django_db(transaction=True)
def test_reassign_and_transfer_in_the_browser(browser, live_server, demo):
    complaint = make_complaint(demo, 1)
    page = login(browser, live_server, "agent1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.wait_for_load_state("networkidle")
    owner = page.locator("[data-testid=owner]")
    assert "客服专员1" in owner.inner_text()
    # at the top: above the customer's words, visible without scrolling
    owner_box = owner.bounding_box()
    assert (
        owner_box is not None and owner_box["y"] < page.locator("[data-testid=verbatim]").bounding_box()["y"]
    )
    assert owner_box["y"] < 900
    shot(page, "ownership-01-top")

    form = page.locator("[data-testid=reassign-form]")
    form.locator("select[name=assignee_id]").select_option(str(demo.users["manager1"].pk))
    form.locator("[data-testid=reassign-submit]").click()
    error = page.locator("[data-testid=reassign-form] [data-testid=error-reason]")
    error.wait_for()
    assert page.url.endswith(f"/complaints/{complaint.pk}/")  # swapped in place, no reload
    shot(page, "ownership-02-missing-reason")

    form = page.locator("[data-testid=reassign-form]")
    form.locator("input[name=reason]").fill("客户要求服务经理处理")
    form.locator("[data-testid=reassign-submit]").click()
    page.wait_for_function("document.querySelector('[data-testid=owner]').innerText.includes('服务经理1')")
    page.wait_for_load_state("networkidle")
    timeline = page.locator("[data-testid=timeline]")
    assert timeline.get_by_text("客户要求服务经理处理").count() == 1
    assert timeline.get_by_text(zh(EventKind.ASSIGNED.label)).count() == 2  # at intake, and now

    form = page.locator("[data-testid=transfer-form]")
    form.locator("select[name=department_id]").select_option(label="配件部")
    form.locator("input[name=reason]").fill("需要配件部确认到货时间")
    form.locator("[data-testid=transfer-submit]").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=owner-department]').innerText.includes('配件部')"
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=timeline]").get_by_text("需要配件部确认到货时间").count() == 1
    shot(page, "ownership-03-transferred")
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.assignee == demo.users["manager1"]
    assert complaint.department is not None and complaint.department.name == "配件部"
    page.context.close()
