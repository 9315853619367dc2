"""The monthly review pack, made by the worker (Django's tasks API through django-tasks)."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from kesu.organizations.tree import dealer_ids_under

from . import facts, pack, sections, services
from .choices import JobStatus
from .models import ReportJob


def pack_folder(job: ReportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(job.pk)


def _progress(job_id: int, percent: int) -> None:
    ReportJob.objects.filter(pk=job_id).update(progress=max(0, min(100, percent)))


def make_pack(job_id: int) -> list[str]:
    """Count, write the XLSX and the PDF, and mark the job done (or failed, saying why)."""
    job = ReportJob.objects.select_related("organization").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return list(job.files)
    ReportJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, progress=1)
    try:
        with override(settings.LANGUAGE_CODE):
            facts.catch_up()
            org = job.organization
            dealers = sorted(dealer_ids_under(org))
            with services.planned_for_their_values():
                found = sections.collect(
                    organization_ids=dealers,
                    month=job.month,
                    progress=lambda percent: _progress(job_id, 5 + percent * 60 // 100),
                )
            title = _("Monthly complaint review")
            subtitle = f"{org.name} · {job.month:%Y-%m}"
            folder = pack_folder(job)
            folder.mkdir(parents=True, exist_ok=True)
            stem = f"review-{org.code}-{job.month:%Y-%m}"
            (folder / f"{stem}.xlsx").write_bytes(pack.xlsx(title=f"{title} {subtitle}", sections=found))
            _progress(job_id, 75)
            (folder / f"{stem}.pdf").write_bytes(pack.pdf(title=title, subtitle=subtitle, sections=found))
    except Exception as error:
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    files = [f"{stem}.xlsx", f"{stem}.pdf"]
    with transaction.atomic():
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE, progress=100, files=files, finished_at=timezone.now()
        )
    return files


@task()
def make_monthly_pack(job_id: int) -> list[str]:
    return make_pack(job_id)
