"""The options card on the complaint page, the 处理协议 PDF (its text read back with pypdfium2),
scope on every new page, and the arithmetic of amounts (hypothesis)."""

from datetime import timedelta
from decimal import Decimal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PASSWORD
from kesu.complaints.models import TimelineEntry
from kesu.complaints.timeline import render
from kesu.core.errors import InvalidInput
from kesu.resolutions.models import Option, OptionAnswer
from kesu.resolutions.services.options import MAX_AMOUNT, parse_amount

from .test_options_api import SIGNATURE, body, create, investigating, options_url, proposed, tiny_png


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "".join(page.get_textpage().get_text_range() for page in document)


def pdf_images(content: bytes) -> int:
    document = pdfium.PdfDocument(content)
    return sum(1 for page in document for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))


# --- the 处理协议 -------------------------------------------------------------------------------


def test_the_agreement_pdf_carries_the_parties_the_remedies_and_the_amounts(demo, api):
    complaint, option = proposed(demo, api, ("towing", "1250.5"), ("transport", "80"))
    response = api("agent1").get(options_url(complaint, option["id"], "/agreement.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in (
        "处理协议",
        complaint.number,
        "张先生",
        "粤A12345",
        "拖车费报销",
        "¥1,250.50",
        "¥80.00",
        "¥1,330.50",
    ):
        assert words in text, words
    assert "今天下午三点前完成维修" in text
    assert pdf_images(response.content) == 0  # not signed yet: an empty signature box


def test_the_signed_agreement_embeds_the_signature(demo, api):
    complaint, option = proposed(demo, api)
    api("agent1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "agreed", "method": "signature", "signature": SIGNATURE, "customer_name": "张伟"},
    )
    content = api("agent1").get(options_url(complaint, option["id"], "/agreement.pdf")).content
    assert pdf_images(content) == 1
    assert "张伟" in pdf_text(content)


def test_an_agreement_by_sms_says_how_it_was_confirmed(demo, api):
    complaint, option = proposed(demo, api)
    api("agent1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "agreed", "method": "sms", "sms_text": "同意方案一"},
    )
    text = pdf_text(
        client_for("agent1")
        .get(f"/resolutions/complaints/{complaint.pk}/options/{option['id']}/agreement.pdf")
        .content
    )
    assert "短信确认" in text and "处理协议" in text


# --- the card on the complaint page ------------------------------------------------------------


def test_the_complaint_page_loads_the_options_card(demo, api):
    complaint, option = proposed(demo, api)
    page = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert f"/resolutions/complaints/{complaint.pk}/options/" in page
    card = client_for("agent1").get(f"/resolutions/complaints/{complaint.pk}/options/").content.decode()
    assert "对策方案" in card and "方案一" in card and "¥300.00" in card
    assert "已向客户提出" in card and "agreement.pdf" in card and "记录客户答复" in card


def test_adding_an_option_on_the_page_and_errors_naming_the_line(demo, api):
    complaint = investigating(demo, api)
    client = client_for("manager1")
    url = f"/resolutions/complaints/{complaint.pk}/options/new/"
    bad = client.post(
        url,
        {
            "remedy": ["towing", "gift", ""],
            "amount": ["300", "-5", ""],
            "note": ["", "", ""],
            "schedule": "今天",
        },
    )
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "金额不能为负数" in page and 'value="300"' in page  # what was typed stays
    assert not Option.objects.exists()
    good = client.post(
        url,
        {
            "remedy": ["towing", "transport", ""],
            "amount": ["300", "50.5", ""],
            "note": ["高速拖车", "", ""],
            "schedule": "今天下午",
            "pros": "马上报销",
        },
    )
    assert good.status_code == 302 and good["Location"].endswith("#options")
    option = Option.objects.get()
    assert option.total == Decimal("350.50") and option.lines.count() == 2


def test_proposing_and_answering_on_the_page(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("towing", "300"))
    client = client_for("manager1")
    base = f"/resolutions/complaints/{complaint.pk}/options/{option['id']}"
    missing = client.post(base + "/propose/", {})
    assert missing.status_code == 422 and "根本原因" in missing.content.decode()
    assert client.post(base + "/propose/", {"root_cause": "油泵质量问题"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "plan_proposed"
    unsigned = client.post(base + "/answer/", {"answer": "agreed", "method": "signature", "signature": ""})
    assert unsigned.status_code == 422 and "签名板" in unsigned.content.decode()
    signed = client.post(
        base + "/answer/",
        {"answer": "agreed", "method": "signature", "signature": SIGNATURE, "customer_name": "张先生"},
    )
    assert signed.status_code == 302
    assert bytes(OptionAnswer.objects.get().signature_png or b"") == tiny_png()
    twice = client.post(base + "/answer/", {"answer": "agreed", "method": "phone", "call_note": "再次确认"})
    assert twice.status_code == 409
    complaint.refresh_from_db()
    assert complaint.status == "agreed"


def test_the_timeline_reads_the_option_steps_in_chinese(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("compensation", "5000"))
    api("manager1").post(options_url(complaint, option["id"], "/propose"), {"root_cause": "刹车故障"})
    lines = render(TimelineEntry.objects.filter(complaint=complaint, kind="option").select_related("actor"))
    titles = [line.title for line in lines]
    assert titles == ["拟定方案1：合计 ¥5,000.00", "方案1超出提出人的核决权限：已送核准（¥5,000.00）"]


PAGES = [
    ("get", "options/"),
    ("post", "options/new/"),
    ("post", "options/{o}/propose/"),
    ("post", "options/{o}/answer/"),
    ("get", "options/{o}/agreement.pdf"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize("stranger", ["agent2", "dept3", "region2", "crc1"])
def test_other_organisations_get_404_on_every_options_page(demo, api, method, path, stranger):
    complaint, option = proposed(demo, api)
    url = f"/resolutions/complaints/{complaint.pk}/" + path.format(o=option["id"])
    before = (Option.objects.count(), OptionAnswer.objects.count(), TimelineEntry.objects.count())
    data = {
        **body(("gift", "1")),
        "remedy": "gift",
        "amount": "1",
        "answer": "agreed",
        "method": "phone",
        "call_note": "越权",
        "root_cause": "越权",
    }
    data.pop("lines")
    response = getattr(client_for(stranger), method)(url, data)
    assert response.status_code == 404
    assert complaint.number not in response.content.decode()
    assert (Option.objects.count(), OptionAnswer.objects.count(), TimelineEntry.objects.count()) == before


# --- amounts (hypothesis) ----------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100))


@settings(max_examples=200, deadline=None)
@given(cents)
def test_any_amount_in_fen_is_read_back_exactly(value):
    amount = Decimal(value) / 100
    assert parse_amount(f"{amount:.2f}", "x") == amount
    assert parse_amount(str(amount), "x") == amount


@settings(max_examples=200, deadline=None)
@given(cents, st.integers(min_value=1, max_value=9))
def test_a_third_decimal_is_always_refused(value, third):
    text = f"{Decimal(value) / 100:.2f}{third}"
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text, "lines.0.amount")
    assert "lines.0.amount" in caught.value.fields


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=10**15))
def test_negative_or_absurd_amounts_are_refused(value):
    for text in (f"-{value / 100:.2f}", str(int(MAX_AMOUNT) + value)):
        with pytest.raises(InvalidInput):
            parse_amount(text, "x")


@pytest.mark.django_db
def test_totals_are_sums_of_lines(demo, api):
    complaint = investigating(demo, api)
    amounts = ["0.01", "1999.99", "300", "85.5", "0"]
    option = create(api, "manager1", complaint, *[("other", a) for a in amounts])
    assert Decimal(option["total"]) == sum(Decimal(a) for a in amounts)


def test_an_answer_expected_by_a_date_is_shown(demo, api):
    complaint, option = proposed(demo, api)
    until = timezone.localdate() + timedelta(days=3)
    api("agent1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "asked_for_time", "until": until.isoformat()},
    )
    card = client_for("agent1").get(f"/resolutions/complaints/{complaint.pk}/options/").content.decode()
    assert "要求考虑时间" in card and until.strftime("%Y-%m-%d") in card
