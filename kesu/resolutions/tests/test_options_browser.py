"""In a real browser: an option beyond the service manager's authority drafted on the complaint
page, sent for approval, approved by the general manager in the approvals inbox, agreed by the
customer signing on a tablet (the canvas signature pad), and the printed 处理协议 carrying the
amounts and the signature."""

import io
from datetime import timedelta

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.utils import timezone
from PIL import Image

from kesu import flows
from kesu.complaints.tests.factories import make_complaint
from kesu.resolutions.choices import OptionState
from kesu.resolutions.models import Option, OptionAnswer
from kesu.web.tests.browser import login, shot, zh


def open_card(page, live_server, complaint):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.locator("[data-testid=options]").wait_for()


@pytest.mark.django_db(transaction=True)
def test_an_over_limit_option_climbs_to_the_gm_and_ends_in_a_signed_agreement(browser, live_server, demo):
    complaint = make_complaint(demo, 1, verbatim="高速上突然熄火，拖车费谁出？明天出门办事的打车费也要赔")
    flows.transition(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        action="start_investigation",
        inputs={"promised_plan_at": timezone.now() + timedelta(hours=4), "note": "已致歉"},
    )
    manager = login(browser, live_server, "manager1")
    open_card(manager, live_server, complaint)
    manager.click("[data-testid=option-new-open]")
    manager.select_option("[data-testid=line-remedy-0]", "towing")
    manager.fill("[data-testid=line-amount-0]", "650")
    manager.select_option("[data-testid=line-remedy-1]", "compensation")
    manager.fill("[data-testid=line-amount-1]", "3000")
    manager.fill("textarea[name=schedule]", "今晚修好油泵，明早九点前送车到府")
    manager.fill("textarea[name=pros]", "拖车费全额报销，另给予补偿")
    manager.click("[data-testid=option-save]")
    manager.locator("[data-testid=option-1]").wait_for()
    assert "¥3,650.00" in manager.locator("[data-testid=option-total-1]").inner_text()
    manager.click("[data-testid=propose-open-1]")
    manager.fill("[data-testid=propose-form-1] textarea[name=root_cause]", "油泵质量问题，新车型无备货")
    manager.click("[data-testid=propose-1]")
    manager.locator("[data-testid=option-state-1]").wait_for()
    assert manager.locator("[data-testid=option-state-1]").inner_text() == zh(
        OptionState.PENDING_APPROVAL.label
    )
    assert "核准后才会向客户提出" in manager.content()
    shot(manager, "options-01-waiting-for-approval")

    gm = login(browser, live_server, "gm1")
    gm.goto(f"{live_server.url}/approvals/")
    row = gm.locator("[data-testid=approval-row]", has_text=complaint.number)
    row.locator("[data-testid=decide-approve]").click()
    row.locator("[data-testid=approval-status]").wait_for()
    shot(gm, "options-02-approved-by-gm")
    assert Option.objects.get().state == "proposed"

    tablet = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 1366}, has_touch=True)
    desk = tablet.new_page()
    desk.goto(f"{live_server.url}/login/")
    from conftest import PASSWORD

    desk.fill("input[name=username]", "agent1")
    desk.fill("input[name=password]", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(lambda url: "/login/" not in url)
    open_card(desk, live_server, complaint)
    desk.click("[data-testid=answer-open-1]")
    form = desk.locator("[data-testid=answer-form-1]")
    form.locator("select[name=answer]").select_option("agreed")
    form.locator("select[name=method]").select_option("signature")
    form.locator("[data-signature-pad][data-ready='1']").wait_for()  # the pad listens (under load: later)
    canvas = form.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    desk.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    desk.mouse.down()
    for step in range(1, 30):
        desk.mouse.move(box["x"] + 20 + step * 12, box["y"] + box["height"] * (0.7 - 0.4 * ((step % 6) / 6)))
    desk.mouse.up()
    shot(desk, "options-03-signed-on-the-tablet")
    form.locator("button[type=submit]").click()
    desk.locator("[data-testid=option-answers-1]").wait_for()
    shot(desk, "options-04-agreed")

    answer = OptionAnswer.objects.get()
    assert answer.method == "signature"
    signature = Image.open(io.BytesIO(bytes(answer.signature_png or b"")))
    assert signature.format == "PNG"
    inked = sum(signature.convert("RGBA").getchannel("A").histogram()[1:])
    assert inked > 100  # the stroke drawn, not an empty canvas
    complaint.refresh_from_db()
    assert complaint.status == "agreed"

    href = desk.locator("[data-testid=agreement-pdf-1]").get_attribute("href")
    pdf = desk.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(pdf.body())
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "处理协议" in text and "¥650.00" in text and "¥3,000.00" in text and "¥3,650.00" in text
    images = sum(1 for page in document for _ in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))
    assert images == 1
    tablet.close()
