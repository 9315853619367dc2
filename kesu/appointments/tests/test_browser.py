"""An appointment in a real browser: booked on seed 004's form (the day's slots loaded as the
date is chosen, the last place marked), confirmed by the confirmation call, and on the welcome
board — which refreshes itself and shows the next booking without a reload. Screenshots land in
test-artifacts/."""

import pytest

from kesu.appointments import services
from kesu.appointments.models import Appointment
from kesu.appointments.services import BookingInput
from kesu.web.tests.browser import login, shot
from kesu.worklist.models import WorkItem

from .conftest import at


@pytest.mark.django_db(transaction=True)
def test_book_confirm_and_see_it_on_the_welcome_board(browser, live_server, demo, day):
    services.book(  # one place of 09:30 is taken already: the grid says it is the last one
        actor=demo.users["manager1"],
        data=BookingInput(
            plate="粤A88888",
            name="王芳",
            salutation="ms",
            mobile="13700000000",
            arrival_at=at(day, "09:30"),
            work_items=["repair"],
        ),
    )
    page = login(browser, live_server, "agent1")
    page.click("[data-testid=nav-appointments]")
    page.click("[data-testid=book]")
    page.wait_for_url("**/appointments/new/**")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=plate]", "粤A12345")
    page.fill("input[name=name]", "张伟")
    page.check("input[name=salutation][value=mr]")
    page.fill("input[name=mobile]", "139 1234 5678")
    page.fill("[data-testid=booking-day]", day.isoformat())
    page.dispatch_event("[data-testid=booking-day]", "change")
    # the grid of the page's first day is there already: wait for the chosen day's (its 09:30 is
    # the last place), not for any 09:30
    page.wait_for_selector("[data-testid=slot-09\\:30].last")
    last = page.locator("[data-testid=slot-09\\:30]")
    assert "仅剩1个" in last.inner_text() and "last" in (last.get_attribute("class") or "")
    shot(page, "appointments-01-form")
    last.click()
    page.check("input[name=work_items][value=maintenance]")
    page.fill("input[name=mileage_km]", "15000")
    page.select_option("select[name=advisor_id]", str(demo.users["dept1"].pk))
    page.click("[data-testid=booking-submit]")
    page.wait_for_url("**/appointments/*/")
    booked = Appointment.objects.get(plate="粤A12345")
    assert booked.slot_start == at(day, "09:30") and booked.advisor == demo.users["dept1"]
    assert page.locator("[data-testid=appointment-state]").inner_text() == "已预约"
    assert WorkItem.objects.get(ref_id=booked.pk).state == "open"
    shot(page, "appointments-02-booked")
    page.fill("input[name=note]", "客户说准时到")
    page.click("[data-testid=confirm]")
    page.wait_for_load_state("networkidle")
    assert "客户说准时到" in page.locator("[data-testid=appointment-confirmed]").inner_text()
    assert WorkItem.objects.get(ref_id=booked.pk).state == "done"

    board = page.context.new_page()
    board.goto(f"{live_server.url}/appointments/board/?date={day.isoformat()}")
    rows = board.locator("[data-testid=board-row]")
    assert rows.count() == 2
    first = board.locator("[data-testid=board-row]", has_text="粤A·***45").inner_text()
    assert "09:30" in first and "粤A·***45" in first and "张先生" in first and "对策单位1" in first
    assert "13912345678" not in board.content() and "张伟" not in board.content()
    shot(board, "appointments-03-board")
    # a booking made meanwhile appears by itself at the next poll (every 30 s)
    services.book(
        actor=demo.users["agent1"],
        data=BookingInput(
            plate="粤A66666",
            name="李娜",
            salutation="ms",
            mobile="13600000000",
            arrival_at=at(day, "13:30"),
            work_items=["inspection"],
        ),
    )
    board.wait_for_function(
        "document.querySelectorAll('[data-testid=board-row]').length === 3", timeout=40_000
    )
    assert "李女士" in board.locator("[data-testid=board-row]").nth(2).inner_text()
