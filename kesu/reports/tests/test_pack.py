"""The monthly review pack: one job per organisation and month while it is made, the worker's
files (XLSX with real numbers and the right totals, a PDF that shows Chinese), and who may ask."""

from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from openpyxl import load_workbook

from kesu.complaints.models import Complaint
from kesu.reports import sections, tasks
from kesu.reports.facts import month_of
from kesu.reports.models import ReportJob
from kesu.reports.selectors import Section

from .helpers import build_some, month_bounds

pytestmark = pytest.mark.django_db


def _request(api, username, month, org):
    return api(username).post("/api/v1/reports/monthly", {"month": f"{month:%Y-%m}", "org": org})


def test_a_pack_for_a_region_opens_with_the_right_totals_and_shows_chinese(demo, api, settings):
    complaints = build_some(demo, 9)
    month = month_of(complaints[0].received_at)
    region = demo.regions["R-S"]
    first = _request(api, "region1", month, region.pk)
    assert first.status_code == 202
    job_id = first.json()["job"]
    # asked again while queued: the same job
    assert _request(api, "region1", month, region.pk).json() == {"job": job_id}
    status = api("region1").get(f"/api/v1/jobs/{job_id}").json()
    assert status["status"] == "queued" and status["files"] == []

    tasks.make_pack(job_id)

    status = api("region1").get(f"/api/v1/jobs/{job_id}").json()
    assert status["status"] == "done" and status["progress"] == 100
    names = sorted(f["name"] for f in status["files"])
    assert names[0].endswith(".pdf") and names[1].endswith(".xlsx")
    xlsx_url = next(f["url"] for f in status["files"] if f["name"].endswith(".xlsx"))
    download = api("region1").get(xlsx_url)
    assert download.status_code == 200
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    start, end = month_bounds(month)
    expected = Complaint.objects.filter(
        dealer__parent=region, received_at__gte=start, received_at__lt=end
    ).count()
    assert book.sheetnames[0].startswith("上月整改")  # seed 003: last month's actions come first
    summary = next(book[name] for name in book.sheetnames if name.startswith("本月投诉"))
    assert summary.cell(row=2, column=3).value == expected  # this month, a number
    assert isinstance(summary.cell(row=2, column=3).value, int)
    by_category = next(book[name] for name in book.sheetnames if "类别" in name or "category" in name.lower())
    assert sum(row[1] for row in by_category.iter_rows(min_row=2, values_only=True)) == expected
    assert "2-3-7" in " ".join(book.sheetnames)

    # a new request once done: a new job
    again = _request(api, "region1", month, region.pk).json()["job"]
    assert again != job_id

    pdf_path = Path(settings.MEDIA_ROOT) / "reports" / str(job_id) / names[0]
    _assert_first_page_shows_chinese(pdf_path.read_bytes())


def _assert_first_page_shows_chinese(content: bytes) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(content)
    page = document[0]
    text = page.get_textpage().get_text_range()
    assert "投诉" in text or "检讨" in text or "客诉" in text, text[:200]
    image = page.render(scale=1).to_pil().convert("L")
    width, _height = image.size
    # the title's band (top of the page, inside the margins) is not blank: glyphs were drawn
    band = image.crop((40, 40, width - 40, 110))
    dark = sum(band.histogram()[:128])
    assert dark > 200, dark


def test_who_may_ask_for_a_pack(demo, api):
    month = month_of(timezone.now())
    d1, d3 = demo.dealers["D1"].pk, demo.dealers["D3"].pk
    assert _request(api, "manager1", month, d3).status_code == 404
    assert _request(api, "dept1", month, d1).status_code == 403
    assert _request(api, "crc1", month, demo.manufacturer.pk).status_code == 404  # sees escalated only
    assert _request(api, None, month, d1).status_code == 401
    assert ReportJob.objects.count() == 0
    assert _request(api, "manager1", month, d1).status_code == 202
    bad = api("manager1").post("/api/v1/reports/monthly", {"month": "2999-01", "org": d1})
    assert bad.status_code == 422 and "month" in bad.json()["error"]["fields"]
    job = ReportJob.objects.get()
    assert api("manager2").get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert api("region2").get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert api("region1").get(f"/api/v1/jobs/{job.pk}").status_code == 200
    assert [j["id"] for j in api("region1").get("/api/v1/jobs").json()] == [job.pk]
    assert api("manager2").get("/api/v1/jobs").json() == []


def test_sections_come_from_every_apps_config(demo, monkeypatch):
    """An app adds a section by naming it in its AppConfig; the pack never imports the app."""
    config = apps.get_app_config("complaints")
    monkeypatch.setattr(
        config, "review_pack_sections", ["kesu.reports.tests.test_pack.early_section"], raising=False
    )
    built = build_some(demo, 3)
    found = sections.collect(organization_ids=[demo.dealers["D1"].pk], month=month_of(built[0].received_at))
    keys = [s.key for s in found]
    assert found[0].key == "reviewed_first"  # order 1; complaints comes first in INSTALLED_APPS
    assert keys.index("reviewed_first") < keys.index("summary")


def early_section(*, organization_ids: list[int], month) -> Section:
    return Section(
        key="reviewed_first", title="上月整改回顾", columns=["项"], rows=[[len(organization_ids)]], order=1
    )


def test_the_improvement_actions_open_the_pack_and_this_months_follow_the_statistics(demo):
    """Seed 003: the meeting reviews last month's 整改 first. The improvements app gives its
    sections as plain dicts (it does not import reports); the pack orders them by their ``order``."""
    built = build_some(demo, 3)
    found = sections.collect(organization_ids=[demo.dealers["D1"].pk], month=month_of(built[0].received_at))
    keys = [s.key for s in found]
    assert keys[0] == "actions_last_month"
    assert keys.index("summary") < keys.index("actions_this_month")
    first = found[0]
    assert first.title.startswith(("上月", "Last month")) and first.columns
