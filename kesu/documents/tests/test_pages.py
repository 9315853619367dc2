"""The documents card of the complaint page (htmx), its PDFs for a logged-in user, the letter
template page, and the complaint page printed (Chromium with print media)."""

import pytest
from django.test import Client

from conftest import PASSWORD
from kesu.documents.models import WrittenAnswer
from kesu.documents.tests.helpers import VERBATIM, with_plan
from kesu.web.tests.browser import login, shot

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_complaint_page_links_the_documents_and_the_pdfs_open(demo):
    complaint = with_plan(demo)
    client = client_for("agent1")
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f"/documents/complaints/{complaint.pk}/panel/" in page
    panel = client.get(f"/documents/complaints/{complaint.pk}/panel/").content.decode()
    assert "客户抱怨登记表（PDF）" in panel and 'data-testid="written-answer-form"' in panel
    assert "送达客户才算按时" in panel  # the due time of the written answer, explained
    for document in ("registration.pdf", "letter.pdf"):
        response = client.get(f"/documents/complaints/{complaint.pk}/{document}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_sending_from_the_page_with_htmx_shows_errors_in_place_then_records(demo):
    complaint = with_plan(demo)
    client = client_for("agent1")
    url = f"/documents/complaints/{complaint.pk}/written-answer/"
    bad = client.post(
        url, {"channel": "email", "text": "尊敬的{customer_name}：已处理。"}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 200  # htmx swaps the card with the error beside the field
    html = bad.content.decode()
    assert 'data-testid="error-email"' in html and "请填写客户的电子邮箱地址" in html
    assert not WrittenAnswer.objects.exists()
    ok = client.post(
        url, {"channel": "printed", "text": "尊敬的{customer_name}：已处理。"}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 204 and ok["HX-Redirect"].endswith(f"/complaints/{complaint.pk}/#documents")
    assert WrittenAnswer.objects.get().text == "尊敬的张先生：已处理。"
    panel = client.get(f"/documents/complaints/{complaint.pk}/panel/").content.decode()
    assert "打印当面交付" in panel and "送达客户才算按时" not in panel  # the clock has stopped


def test_the_send_form_without_htmx_answers_422_naming_the_field(demo):
    complaint = with_plan(demo)
    response = client_for("agent1").post(
        f"/documents/complaints/{complaint.pk}/written-answer/", {"channel": "post", "text": "已处理。"}
    )
    assert response.status_code == 422 and 'data-testid="error-address"' in response.content.decode()


def test_the_region_manager_sees_the_documents_but_no_send_form(demo):
    complaint = with_plan(demo)
    client = client_for("region1")
    panel = client.get(f"/documents/complaints/{complaint.pk}/panel/").content.decode()
    assert "registration-pdf" in panel and "written-answer-form" not in panel
    response = client.post(f"/documents/complaints/{complaint.pk}/written-answer/", {"channel": "printed"})
    assert response.status_code == 403 and not WrittenAnswer.objects.exists()


def test_the_letter_template_page_is_for_the_dealers_managers(demo):
    manager = client_for("manager1")
    page = manager.get("/documents/letter-template/")
    assert page.status_code == 200 and "{findings}" in page.content.decode()
    saved = manager.post(
        "/documents/letter-template/", {"title": "书面答复函", "body": "{customer_name}：{plan}"}
    )
    assert saved.status_code == 302
    bad = manager.post(
        "/documents/letter-template/", {"title": "书面答复函", "body": "{customer_name}：{amount}"}
    )
    assert bad.status_code == 422 and 'data-testid="error-body"' in bad.content.decode()
    assert client_for("agent1").get("/documents/letter-template/").status_code == 403
    other = f"/documents/letter-template/?organization_id={demo.dealers['D2'].pk}"
    assert manager.get(other).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_printing_the_complaint_page_shows_the_record_without_buttons_or_reply_box(
    demo, browser, live_server
):
    complaint = with_plan(demo)
    page = login(browser, live_server, "agent1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.wait_for_selector('[data-testid="composer"]')  # the htmx cards have loaded
    page.wait_for_selector('[data-testid="documents"]')
    assert page.locator('[data-testid="reply-form"]').is_visible()
    assert page.locator('[data-testid="registration-pdf"]').is_visible()

    page.emulate_media(media="print")
    for hidden in (
        "header.top",
        '[data-testid="composer"]',
        '[data-testid="documents"] .doc-links',
        '[data-testid="written-answer-open"]',
        "#actions",
        '[data-testid="edit-form"]',
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    visible_buttons = page.locator(
        "button:visible, .button:visible, summary:visible, input:visible, textarea:visible"
    )
    assert visible_buttons.count() == 0
    for shown in (
        '[data-testid="verbatim"]',
        '[data-testid="timeline"]',
        '[data-testid="status"]',
        "dl.facts",
    ):
        assert page.locator(shown).first.is_visible(), shown
    body = page.locator("main").inner_text()
    assert VERBATIM in body and "138****1234" in body and "13812341234" not in body
    shot(page, "complaint-print")
    page.pdf(path=None)  # Chromium's own print of the page succeeds with print media
    page.context.close()
