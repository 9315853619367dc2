"""Issue 16's failures in the complaints app: long attachment names, huge page numbers."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.models import Attachment
from kesu.complaints.tests.factories import make_complaint
from kesu.core.validators import safe_file_name


@pytest.mark.parametrize(
    "name",
    ["刹" * 84 + ".txt", "投诉" * 200 + ".txt", "a" * 300 + ".txt", "报告.完整版" * 60 + ".txt"],
)
def test_long_attachment_names_are_cut_by_bytes_keeping_the_extension(demo, api, name):
    """84 Chinese characters + .txt is 256 bytes: it used to be a 500 (File name too long)."""
    complaint = make_complaint(demo, 1)
    client = api("agent1")
    url = f"/api/v1/complaints/{complaint.pk}/attachments"
    answer = client.client.post(url, {"file": SimpleUploadedFile(name, b"plain words")}, **client.headers)
    assert answer.status_code == 201, answer.content
    stored = Attachment.objects.get(complaint=complaint)
    assert stored.original_name.endswith(".txt")
    base = os.path.basename(stored.file.name or "")
    assert base.endswith(".txt") and len(base.encode()) <= 255
    assert stored.file.read() == b"plain words"


def test_long_attachment_name_through_the_page(demo, client):
    complaint = make_complaint(demo, 1)
    client.force_login(demo.users["agent1"])
    upload = SimpleUploadedFile("发动机异响" * 20 + ".txt", b"words")
    answer = client.post(f"/complaints/{complaint.pk}/attach/", {"file": upload})
    assert answer.status_code < 500
    assert Attachment.objects.get(complaint=complaint).original_name.endswith(".txt")


def test_safe_file_name():
    assert safe_file_name("a" * 300 + ".pdf").endswith(".pdf")
    assert len(safe_file_name("刹" * 100 + ".txt").encode()) <= 200
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\x\\报告.pdf") == "报告.pdf"
    assert safe_file_name("") == "file"


HUGE = "1000000000000000000"


@pytest.mark.parametrize("path", ["/queue/", "/queue/?view=all&q=刹车", "/exports/logs/"])
def test_huge_page_number_on_a_page_is_a_clear_answer(demo, client, path):
    """``/queue/?page=10**18`` used to reach the database as an offset past 2**63: a 500."""
    client.force_login(demo.users["admin"])
    joiner = "&" if "?" in path else "?"
    answer = client.get(f"{path}{joiner}page={HUGE}")
    assert answer.status_code in (200, 404), answer.status_code
    assert client.get(f"{path}{joiner}page=abc").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/complaints", "/api/v1/calls", "/api/v1/care-lists", "/api/v1/exports/logs"],
)
def test_huge_page_number_in_the_api_is_a_422_naming_page(demo, api, path):
    answer = api("admin").get(f"{path}?page={HUGE}")
    assert answer.status_code == 422, answer.content
    assert "page" in answer.json()["error"]["fields"]
