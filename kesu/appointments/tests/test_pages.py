"""The appointment pages through Django's test client: the booking form's errors in place (and
nothing saved), the slots grid with its last place marked, the list, an appointment's actions,
the report, the welcome board (masked plate, surname + 先生/女士, no phone, polling every 30 s)
and the booking card a follow-up call includes."""

from django.test import Client

from conftest import PASSWORD
from kesu.appointments import services
from kesu.appointments.models import Appointment
from kesu.appointments.services import BookingInput
from kesu.complaints.tests.factories import make_customer
from kesu.worklist.models import WorkItem

from .conftest import at


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def form(day, hhmm="09:30", **extra):  # type: ignore[no-untyped-def]
    return {
        "plate": "粤A12345",
        "name": "张伟",
        "salutation": "mr",
        "mobile": "139 1234 5678",
        "day": day.isoformat(),
        "arrival_at": at(day, hhmm).isoformat(),
        "work_items": ["maintenance", "repair"],
        "work_note": "",
        "mileage_km": "15000",
        **extra,
    }


def test_the_booking_form_names_bad_fields_and_saves_nothing(demo, day):
    client = client_for("agent1")
    page = client.get(f"/appointments/new/?date={day}").content.decode()
    for label in ("车牌", "姓名", "联系方式", "来厂日期", "维修项目", "里程", "指定服专"):
        assert label in page, label
    bad = client.post("/appointments/new/", form(day, mobile="不是号码", arrival_at="", work_items=[]))
    assert bad.status_code == 422
    html = bad.content.decode()
    for field in ("mobile", "arrival_at", "work_items"):
        assert f'data-testid="error-{field}"' in html, field
    assert "请选择来厂时间" in html and Appointment.objects.count() == 0
    late = client.post("/appointments/new/", form(day, "19:00"))
    assert late.status_code == 422 and "不在营业时间内" in late.content.decode()


def test_booking_through_the_form_and_working_the_appointment(demo, day):
    client = client_for("agent1")
    done = client.post("/appointments/new/", form(day, advisor_id=str(demo.users["manager1"].pk)))
    assert done.status_code == 302, done.content.decode()[:2000]
    booked = Appointment.objects.get()
    assert booked.mobile == "13912345678" and booked.work_items == ["maintenance", "repair"]
    page = client.get(done["Location"]).content.decode()
    assert "预约成功" in page and "139****5678" in page and "13912345678" not in page
    assert client.post(f"/appointments/{booked.pk}/confirm/", {"note": "准时到"}).status_code == 302
    assert WorkItem.objects.get().state == "done"
    assert "准时到" in client.get(f"/appointments/{booked.pk}/").content.decode()
    again = client.post(f"/appointments/{booked.pk}/confirm/")
    assert again.status_code == 409 and "已确认" in again.content.decode()
    moved = client.post(
        f"/appointments/{booked.pk}/reschedule/",
        {"day": day.isoformat(), "arrival_at": at(day, "12:30").isoformat()},
    )
    assert moved.status_code == 422 and 'data-testid="error-arrival_at"' in moved.content.decode()
    assert (
        client.post(
            f"/appointments/{booked.pk}/reschedule/",
            {"day": day.isoformat(), "arrival_at": at(day, "13:30").isoformat()},
        ).status_code
        == 302
    )
    assert client.post(f"/appointments/{booked.pk}/cancel/", {"reason": "出差"}).status_code == 302
    twice = client.post(f"/appointments/{booked.pk}/cancel/")
    assert twice.status_code == 409 and "已取消" in twice.content.decode()


def test_a_full_slot_through_the_form_is_409_and_the_grid_marks_the_last_place(demo, day):
    client = client_for("agent1")
    assert client.post("/appointments/new/", form(day)).status_code == 302
    grid = client.get(f"/appointments/slots/?date={day}").content.decode()
    assert 'data-testid="free-09:30"' in grid and "仅剩1个" in grid
    choices = client.get(f"/appointments/slot-choices/?day={day}").content.decode()
    assert 'class="last" data-testid="slot-09:30"' in choices
    assert client.post("/appointments/new/", form(day, plate="粤A22222")).status_code == 302
    full = client.post("/appointments/new/", form(day, plate="粤A33333"))
    assert full.status_code == 409 and "已约满" in full.content.decode()
    choices = client.get(f"/appointments/slot-choices/?day={day}").content.decode()
    assert 'class="full" data-testid="slot-09:30"' in choices and "disabled" in choices
    assert Appointment.objects.count() == 2


def test_the_welcome_board_masks_and_refreshes_itself(demo, day):
    services.book(
        actor=demo.users["agent1"],
        data=BookingInput(
            plate="粤A12345",
            name="张伟",
            salutation="mr",
            mobile="13912345678",
            arrival_at=at(day, "09:30"),
            work_items=["maintenance"],
            advisor_id=demo.users["manager1"].pk,
        ),
    )
    services.book(
        actor=demo.users["agent1"],
        data=BookingInput(
            plate="粤BD12345",
            name="李娜",
            salutation="ms",
            mobile="13700000000",
            arrival_at=at(day, "10:30"),
            work_items=["repair"],
        ),
    )
    client = client_for("agent1")
    board = client.get(f"/appointments/board/?date={day}").content.decode()
    assert 'hx-trigger="every 30s"' in board and "欢迎看板" in board
    for shown in ("09:30", "粤A·***45", "张先生", "服务经理1", "粤B·****45", "李女士"):
        assert shown in board, shown
    for hidden in ("13912345678", "139****5678", "张伟", "粤A12345", "李娜"):
        assert hidden not in board, hidden
    rows = client.get(f"/appointments/board/rows/?date={day}").content.decode()
    assert rows.lstrip().startswith("<tr") and "粤A·***45" in rows


def test_list_and_report_pages(demo, day):
    services.book(
        actor=demo.users["agent1"],
        data=BookingInput(
            plate="粤A12345",
            name="张伟",
            mobile="13912345678",
            arrival_at=at(day, "09:30"),
            work_items=["inspection"],
        ),
    )
    client = client_for("agent1")
    listing = client.get(f"/appointments/?date={day}").content.decode()
    assert "粤A12345" in listing and "139****5678" in listing and "检测" in listing
    report = client.get(f"/appointments/report/?date_from={day}&date_to={day}").content.decode()
    assert "预约报表" in report and 'data-testid="report-day"' in report and "检测" in report


def test_the_inline_booking_card_is_prefilled_and_books_in_place(demo, day):
    customer = make_customer(demo, 1, mobile="13912345678", plate="粤A12345")
    vehicle = customer.vehicles.get()
    client = client_for("agent1")
    card = client.get(
        f"/appointments/book-inline/?customer={customer.pk}&vehicle={vehicle.pk}&followup=7&date={day}"
    )
    html = card.content.decode()
    assert card.status_code == 200 and 'id="inline-booking"' in html
    assert 'value="粤A12345"' in html and 'value="张先生"' in html and f'value="{customer.pk}"' in html
    # another dealer's customer is never prefilled
    other = make_customer(demo, 2, mobile="13700000000", plate="粤B12345")
    assert "粤B12345" not in client.get(f"/appointments/book-inline/?customer={other.pk}").content.decode()
    data = form(day, name="张先生", customer_id=str(customer.pk), vehicle_id=str(vehicle.pk), followup_id="7")
    done = client.post("/appointments/book-inline/", data, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and 'data-testid="inline-booked"' in done.content.decode()
    booked = Appointment.objects.get()
    assert (booked.customer, booked.vehicle, booked.followup_id) == (customer, vehicle, 7)
    bad = client.post("/appointments/book-inline/", form(day, mobile="abc"), HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and 'data-testid="error-mobile"' in bad.content.decode()
