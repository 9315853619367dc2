"""The 客户抱怨登记表 and the written answer as PDF: real PDFs, Chinese drawn with the Noto CJK
fonts of the machine (text extracted and page 1 rendered to pixels), scoped like the complaint."""

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from kesu.complaints.tests.factories import make_complaint
from kesu.documents.tests.helpers import PLAN, ROOT_CAUSE, VERBATIM, with_plan
from kesu.web.tests.browser import ARTIFACTS

pytestmark = pytest.mark.django_db


def fonts_of_chinese_text(content: bytes) -> set[str]:
    """The fonts (subset prefix dropped) the Chinese characters of page 1 are drawn with."""
    textpage = pdfium.PdfDocument(content)[0].get_textpage()
    text = textpage.get_text_range()
    fonts = set()
    for index, char in enumerate(text):
        if "\u4e00" <= char <= "\u9fff":
            buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            pdfium_raw.FPDFText_GetFontInfo(textpage, index, buffer, 256, ctypes.byref(flags))
            fonts.add(buffer.value.decode().split("+")[-1])
    return fonts


def pdf_text_and_ink(content: bytes, name: str) -> tuple[str, float]:
    """The text of every page, and the share of dark pixels on page 1 rendered at 100 dpi (kept
    in the test artifacts as ``name``.png for a person to look at)."""
    document = pdfium.PdfDocument(content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    image = document[0].render(scale=100 / 72).to_pil().convert("L")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / f"{name}.png")
    histogram = image.histogram()
    dark = sum(histogram[:128])
    return text, dark / (image.width * image.height)


def test_registration_form_is_a_pdf_with_the_record_in_chinese(demo, api):
    complaint = make_complaint(
        demo, 1, verbatim=VERBATIM, facts="三次维修记录均为更换皮带", category="product"
    )
    response = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/registration.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    fonts = fonts_of_chinese_text(content)  # the Noto CJK fonts installed on the machine
    assert fonts and all(font.startswith(("Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC")) for font in fonts), fonts
    text, ink = pdf_text_and_ink(content, "registration-pdf")
    for expected in (
        "客户抱怨登记表",
        VERBATIM,
        "三次维修记录均为更换皮带",
        complaint.number,
        "粤A12345",
        "广州骏达4S店",
    ):
        assert expected in text, expected
    assert "产品" in text  # the category, in the UI's language
    assert "138****1234" in text and "13812341234" not in text  # the phone masked, as on screen
    assert "签" in text  # the signature boxes of the form
    assert 0.005 < ink < 0.5  # page 1 has text drawn on it, and is not a black page


def test_letter_pdf_is_the_dealers_template_filled_with_the_plan(demo, api):
    complaint = with_plan(demo)
    response = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert any(font.startswith("Noto-Serif-CJK-SC") for font in fonts_of_chinese_text(response.content))
    text, ink = pdf_text_and_ink(response.content, "letter-pdf")
    for expected in ("书面答复", "尊敬的张先生", complaint.number, ROOT_CAUSE, PLAN, "广州骏达4S店"):
        assert expected in text, expected
    assert "{" not in text and ink > 0.003


@pytest.mark.parametrize("stranger", ["agent2", "region2", "crc1", "dept3"])
@pytest.mark.parametrize("document", ["registration.pdf", "letter.pdf"])
def test_documents_outside_the_scope_are_404(demo, api, stranger, document):
    complaint = make_complaint(demo, 1, verbatim=VERBATIM)
    response = api(stranger).get(f"/api/v1/complaints/{complaint.pk}/{document}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "发动机" not in response.content.decode()


def test_documents_need_a_token_and_exist_for_the_region(demo, api):
    complaint = make_complaint(demo, 1, verbatim=VERBATIM)
    assert api(None).get(f"/api/v1/complaints/{complaint.pk}/registration.pdf").status_code == 401
    response = api("region1").get(f"/api/v1/complaints/{complaint.pk}/registration.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
