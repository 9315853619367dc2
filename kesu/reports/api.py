"""Reports API: the dashboard's figures, the monthly review pack's jobs and their files."""

from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja import Status as Reply

from kesu.core.errors import NotFound
from kesu.organizations.permissions import actor

from . import services, tasks
from .models import ReportJob

router = Router(tags=["reports"])


class PackIn(Schema):
    month: str  # YYYY-MM
    org: int | None = None  # the organisation (dealer, region, manufacturer); default: the user's


class PackOut(Schema):
    job: int


class JobFileOut(Schema):
    name: str
    url: str


class JobOut(Schema):
    id: int
    org: int
    month: str
    status: str
    progress: int
    error: str
    files: list[JobFileOut]


def job_out(job: ReportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "org": job.organization_id,
        "month": f"{job.month:%Y-%m}",
        "status": job.status,
        "progress": job.progress,
        "error": job.error,
        "files": [
            {"name": name, "url": reverse("api:report_job_file", args=[job.pk, name])} for name in job.files
        ],
    }


@router.get("/insights/dashboard", response=dict[str, Any])
def dashboard(request: HttpRequest, month: str, org: int | None = None) -> dict[str, Any]:
    """The figures behind every chart of the dashboard for one month and organisation (default:
    the user's own), this month against last month and the same month last year."""
    return services.dashboard(user=actor(request), month=services.parse_month(month), org_id=org)


@router.post("/reports/monthly", response={202: PackOut})
def request_monthly_pack(request: HttpRequest, payload: PackIn) -> Reply[dict[str, int]]:
    """Queue the monthly review pack (XLSX + PDF); asked twice while it is being made, the same job."""
    month = services.parse_month(payload.month)
    job, created = services.request_pack(user=actor(request), month=month, org_id=payload.org)
    if created:
        tasks.make_monthly_pack.enqueue(job.pk)
    return Reply(202, {"job": job.pk})


@router.get("/jobs", response=list[JobOut])
def list_jobs(request: HttpRequest) -> list[dict[str, Any]]:
    return [job_out(job) for job in services.jobs_visible_to(actor(request))[:50]]


@router.get("/jobs/{job_id}", response=JobOut)
def get_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return job_out(services.get_job(user=actor(request), job_id=job_id))


@router.get("/jobs/{job_id}/files/{name}", url_name="report_job_file")
def job_file(request: HttpRequest, job_id: int, name: str) -> FileResponse:
    job = services.get_job(user=actor(request), job_id=job_id)
    if name not in job.files:
        raise NotFound("No such file.")
    return FileResponse((tasks.pack_folder(job) / name).open("rb"), as_attachment=True, filename=name)
