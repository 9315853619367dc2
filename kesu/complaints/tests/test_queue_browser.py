"""The queue in a real browser: at 390 px it is cards and the page no wider than the phone; at
desktop width a header sorts it (htmx) and the search finds a caller by phone tail."""

import pytest

from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.web.tests.browser import login, shot


@pytest.mark.django_db(transaction=True)
def test_the_queue_is_cards_at_phone_width_and_sorts_by_a_header(browser, live_server, demo):
    first = make_complaint(demo, 1, verbatim="刹车有异响，修了三次还没有修好")
    second = make_complaint(
        demo,
        1,
        verbatim="空调不制冷",
        customer=make_customer(demo, 1, mobile="13900005678", plate="粤A54321"),
    )
    page = login(browser, live_server, "agent1")
    page.click("[data-testid=queue-table] th a[data-sort=number]")
    page.wait_for_url("**ordering=number**")
    numbers = page.locator("[data-testid=queue-row] td.number").all_inner_texts()
    assert numbers == [first.number, second.number]
    page.click("[data-testid=queue-table] th a[data-sort=number]")
    page.wait_for_url("**ordering=-number**")
    assert page.locator("[data-testid=queue-row] td.number").all_inner_texts() == [
        second.number,
        first.number,
    ]
    page.locator("[data-testid=queue-search]").press_sequentially("5678")
    page.wait_for_function("document.querySelectorAll('[data-testid=queue-row]').length === 1")
    assert "139****5678" in page.locator("[data-testid=queue-row]").inner_text()
    assert "ordering=-number" in page.url  # the sort is kept while searching

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/queue/")
    assert page.locator("[data-testid=queue-table] thead").is_hidden()
    rows = page.locator("[data-testid=queue-row]")
    assert rows.count() == 2
    box = rows.first.bounding_box()
    assert box is not None and box["width"] <= 390
    assert (
        page.evaluate("getComputedStyle(document.querySelector('[data-testid=queue-row]')).display") == "grid"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("[data-testid=nav-mine]").is_visible()
    shot(page, "queue-390-cards")
