"""A desk's first morning, in Chromium, at a laptop's width (1366 px) and a phone's (390 px):
log in, see 今天到期 and 我的, find a caller by the last four digits of the phone (and be warned
before making a second customer with a known number), register, print the registration form,
reassign, export the queue, and close a 危机 complaint only once the general manager confirms.
Then an administrator sets up a new dealer whose people see only their own complaints, and a
1,000-customer DMS file imports. Screenshots land in test-artifacts/."""

import ctypes
import io
from datetime import timedelta

import openpyxl
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.utils import timezone

from conftest import PASSWORD
from kesu import flows
from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.complaints.tests.test_browser import take
from kesu.customers.models import Customer
from kesu.exports.models import ExportLog
from kesu.organizations.models import User
from kesu.web.tests.browser import shot, zh

WIDTHS = {"laptop": 1366, "phone": 390}


def open_as(browser, live_server, username, width, password=PASSWORD):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # agents land on their day, others on the queue
    page.goto(f"{live_server.url}/queue/")
    return page


def fits(page, width):  # type: ignore[no-untyped-def]
    """Nothing wider than the screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def nav_count(page, testid):  # type: ignore[no-untyped-def]
    return int(page.locator(f"[data-testid={testid}] .count").inner_text().rstrip("+"))


def cjk_fonts(content: bytes) -> set[str]:
    """The fonts the PDF draws its Chinese characters with."""
    textpage = pdfium.PdfDocument(content)[0].get_textpage()
    text = textpage.get_text_range()
    fonts = set()
    for index, char in enumerate(text):
        if "\u4e00" <= char <= "\u9fff":
            buffer = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            pdfium_raw.FPDFText_GetFontInfo(textpage, index, buffer, 256, ctypes.byref(flags))
            fonts.add(buffer.value.decode().split("+")[-1])
    return fonts


def advance_to_follow_up(demo, complaint):  # type: ignore[no-untyped-def]
    agent, dept = demo.users["agent1"], demo.users["dept1"]
    steps: list[tuple[User, str, dict[str, object]]] = [
        (
            agent,
            "start_investigation",
            {"promised_plan_at": timezone.now() + timedelta(hours=20), "note": "已致歉"},
        ),
        (dept, "propose_plan", {"root_cause": "线束老化短路", "plan": "更换线束并全面检测"}),
        (agent, "customer_agrees", {"note": "客户同意"}),
        (agent, "start_implementation", {}),
        (agent, "finish_implementation", {"note": "已更换，试车正常"}),
    ]
    for actor, action, inputs in steps:
        flows.transition(actor=actor, complaint_id=complaint.pk, action=action, inputs=inputs)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", WIDTHS)
def test_a_desks_morning(browser, live_server, demo, device):
    width = WIDTHS[device]
    caller = make_customer(demo, 1, mobile="13912345678", plate="粤A66Q88")
    waiting = make_complaint(demo, 1, customer=caller, verbatim="上次保养后发动机故障灯又亮了")
    make_complaint(demo, 2, verbatim="另一家店的客户：空调不制冷")  # never shown here

    agent = open_as(browser, live_server, "agent1", width)
    assert fits(agent, width)
    assert nav_count(agent, "nav-mine") == 1  # the waiting complaint was given to agent1 at intake
    assert agent.locator("[data-testid=nav-due-today]").is_visible()
    agent.click("[data-testid=nav-mine]")
    agent.wait_for_url("**view=mine**")
    assert waiting.number in agent.content()
    assert "空调不制冷" not in agent.content()
    shot(agent, f"morning-{device}-01-mine")

    # A caller gives a new name with a number the dealer knows: warned, nothing created.
    agent.click("[data-testid=nav-intake]")
    agent.fill("input[name=name]", "李女士")
    agent.fill("input[name=mobile]", "13912345678")
    agent.check("input[name=consent_sms][value=yes]")
    agent.check("input[name=consent_calls][value=yes]")
    agent.fill("textarea[name=verbatim]", "车在高速上突然冒烟起火，差点出人命！")
    agent.click("[data-testid=intake-submit]")
    warning = agent.locator("[data-testid=duplicate-warning]")
    assert warning.is_visible() and "139****5678" in warning.inner_text()
    assert Complaint.objects.count() == 2 and Customer.objects.filter(mobile="13912345678").count() == 1
    shot(agent, f"morning-{device}-02-duplicate")

    # The known caller, found by the last four digits of the phone.
    agent.goto(f"{live_server.url}/complaints/new/")
    agent.locator("[data-testid=lookup]").press_sequentially("5678", delay=30)
    match = agent.locator("[data-testid=matches] button.match")
    match.first.wait_for()
    assert "139****5678" in match.first.inner_text()
    match.first.click()
    agent.fill("textarea[name=verbatim]", "车在高速上突然冒烟起火，差点出人命！")
    agent.select_option("select[name=severity]", "crisis")
    agent.click("[data-testid=intake-submit]")
    agent.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.exclude(pk=waiting.pk).get(dealer=demo.dealers["D1"])
    assert complaint.customer_id == caller.pk and complaint.severity == "crisis"
    assert agent.locator("[data-testid=owner]").inner_text().strip() != "—"  # an owner from the start
    assert fits(agent, width)
    shot(agent, f"morning-{device}-03-registered")

    # The registration form as PDF: Chinese drawn with the CJK font.
    href = agent.locator("[data-testid=registration-pdf]").first.get_attribute("href")
    pdf = agent.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(pdf.body())
    text = document[0].get_textpage().get_text_range()
    assert "客户抱怨登记表" in text and "冒烟起火" in text and complaint.number in text
    assert any("CJK" in font for font in cjk_fonts(pdf.body()))
    image = document[0].render(scale=1).to_pil().convert("L")
    assert sum(image.histogram()[:128]) > 2000  # ink on the page, not a blank sheet

    # Reassigned in one click, with a reason; the timeline says so.
    manager = demo.users["manager1"]
    form = agent.locator("[data-testid=reassign-form]")
    form.locator("[name=assignee_id]").select_option(str(manager.pk))
    form.locator("[name=reason]").fill("危机事件，由服务经理跟进")
    form.locator("[data-testid=reassign-submit]").click()
    agent.wait_for_selector(f"[data-testid=owner]:has-text('{manager.display_name}')")
    complaint.refresh_from_db()
    assert complaint.assignee_id == manager.pk

    # The queue exported as XLSX, opened with openpyxl: both complaints, the phone masked.
    agent.goto(f"{live_server.url}/queue/")
    with agent.expect_download() as download:
        agent.click("[data-testid=export-xlsx]")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert complaint.number in cells and waiting.number in cells
    assert not any("13912345678" in cell for cell in cells)
    assert ExportLog.objects.filter(user=demo.users["agent1"]).exists()

    # The 危机 complaint: the agent cannot close it; gm1 confirms the close.
    advance_to_follow_up(demo, complaint)
    agent.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    assert agent.locator("[data-testid=action-close]").count() == 0
    assert agent.locator("[data-testid=guard-close]").is_visible()
    take(agent, "request_close", {"note": "回访：客户认可处理结果"}, {"satisfaction": "satisfied"})
    assert agent.locator("[data-testid=status]").inner_text() == zh(Status.AWAITING_DECISION.label)
    gm = open_as(browser, live_server, "gm1", width)
    gm.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    take(gm, "decide_close", {"reason": "总经理确认，结案"})
    assert gm.locator("[data-testid=status]").inner_text() == zh(Status.CLOSED.label)
    assert fits(gm, width)
    shot(gm, f"morning-{device}-04-closed-by-gm")


@pytest.mark.django_db(transaction=True)
def test_a_new_dealer_is_set_up_and_sees_only_its_own(browser, live_server, demo):
    theirs = make_complaint(demo, 1, verbatim="老客户：变速箱顿挫")
    admin = open_as(browser, live_server, "admin", 1366)
    admin.click("[data-testid=nav-admin]")
    admin.click("text=华南区")
    form = admin.locator("[data-testid=child-form]")
    form.locator("input[name=name]").fill("佛山顺达4S店")
    form.locator("input[name=code]").fill("D8")
    form.locator("button[type=submit]").click()
    admin.wait_for_selector("[data-testid=org-name]:has-text('佛山顺达4S店')")
    for name, code in (("客服部", "D8-CS"), ("售后服务部", "D8-SVC")):
        form = admin.locator("[data-testid=child-form]")
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=code]").fill(code)
        form.locator("button[type=submit]").click()
        admin.wait_for_selector(f"[data-testid=org-name]:has-text('{name}')")
        admin.go_back()
        admin.reload()
    admin.click("[data-testid=add-user]")
    admin.fill("input[name=username]", "agent8")
    admin.fill("input[name=display_name]", "顺达客服")
    admin.select_option("select[name=role]", "agent")
    admin.select_option("select[name=organization_id]", label="D8-CS 客服部")
    admin.fill("input[name=mobile]", "13900008888")
    admin.click("[data-testid=user-form] button[type=submit]")
    password = admin.locator("[data-testid=new-password] code").inner_text().strip()

    newcomer = open_as(browser, live_server, "agent8", 390, password=password)
    assert newcomer.locator("[data-testid=queue-row]").count() == 0
    assert theirs.number not in newcomer.content()
    newcomer.goto(f"{live_server.url}/queue/?q={theirs.number}")  # searched for by number: not found
    assert newcomer.locator("[data-testid=queue-row]").count() == 0
    assert "变速箱" not in newcomer.content()
    assert newcomer.goto(f"{live_server.url}/complaints/{theirs.pk}/").status == 404
    shot(newcomer, "new-dealer-agent-queue")


@pytest.mark.django_db(transaction=True)
def test_a_thousand_customer_dms_file_imports(browser, live_server, demo, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["客户姓名", "手机", "车牌号", "车架号", "车型", "购车日期", "里程", "最近保养日期"])
    for index in range(1000):
        row = [
            f"客户{index}",
            f"137{index:08d}",
            f"粤E{index:05d}",
            "",
            "轩逸 2023款",
            "2024-03-01",
            12000 + index,
        ]
        sheet.append([*row, "2026-06-01"])
    path = tmp_path / "dms.xlsx"
    workbook.save(path)

    manager = open_as(browser, live_server, "manager1", 1366)
    manager.click("[data-testid=nav-import]")
    manager.set_input_files("[data-testid=import-form] input[type=file]", str(path))
    manager.click("[data-testid=import-form] button[type=submit]")
    manager.locator("[data-testid=import-preview]").wait_for()
    assert Customer.objects.filter(mobile__startswith="137").count() == 0  # nothing before confirming
    manager.click("[data-testid=import-confirm]")
    manager.locator("[data-testid=import-done]").wait_for()
    imported = Customer.objects.filter(mobile__startswith="137")
    assert imported.count() == 1000 and set(imported.values_list("dealer_id", flat=True)) == {
        demo.dealers["D1"].pk
    }
    shot(manager, "dms-import-done")
