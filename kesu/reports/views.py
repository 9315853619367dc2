"""Report pages: the dashboard (ECharts, figures embedded in the page), the monthly review
packs (request one, follow it, download its files). Thin: parse, call, render."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.core.errors import DomainError
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.organizations.scope import scope_for

from . import facts, services, tasks
from .choices import ACTIVE_JOB_STATES


def _organizations(user: User) -> list[Organization]:
    """What the organisation picker offers: the user's own and the dealers they see (everything
    but departments for an administrator)."""
    scope = scope_for(user)
    orgs = Organization.objects.exclude(kind=OrgKind.DEPARTMENT)
    if not scope.everything:
        own = services.reach_for(user=user, org_id=None).organization if user.organization else None
        ids = set(scope.dealer_ids | scope.escalated_dealer_ids) | ({own.pk} if own else set())
        orgs = orgs.filter(pk__in=ids)
    return list(orgs.order_by("kind", "name")[:300])


def _org_param(request: HttpRequest) -> int | None:
    try:
        value = int(request.GET.get("org") or 0)
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


@page()
def dashboard(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    raw_month = request.GET.get("month") or f"{facts.month_of(timezone.now()):%Y-%m}"
    try:
        month = services.parse_month(raw_month)
        figures = services.dashboard(user=user, month=month, org_id=_org_param(request))
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("reports:dashboard")
    context: dict[str, Any] = {
        "figures": figures,
        "month": figures["month"],
        "organizations": _organizations(user),
        "org_id": figures["org"]["id"] if figures["org"] else None,
        "may_pack": _may_pack(user, figures["org"]["id"] if figures["org"] else None),
    }
    return render(request, "reports/dashboard.html", context)


def _may_pack(user: User, org_id: int | None) -> bool:
    """The pack counts every complaint of the organisation: only for those who see them all."""
    if org_id is None or not has_capability(user, Capability.EXPORT):
        return False
    try:
        services.reach_for(user=user, org_id=org_id, full=True)
    except DomainError:
        return False
    return True


@page(Capability.EXPORT)
def jobs(request: HttpRequest) -> HttpResponse:
    listing = list(services.jobs_visible_to(actor(request))[:50])
    running = any(job.status in ACTIVE_JOB_STATES for job in listing)
    return render(request, "reports/jobs.html", {"jobs": listing, "running": running})


@require_POST
@page(Capability.EXPORT)
def request_pack(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    try:
        month = services.parse_month(request.POST.get("month"))
        job, created = services.request_pack(user=user, month=month, org_id=_org_param_post(request))
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("reports:jobs")
    if created:
        tasks.make_monthly_pack.enqueue(job.pk)
        messages.success(request, _("The pack is being made; it appears here when done."))
    else:
        messages.info(request, _("This pack is already being made."))
    return redirect("reports:jobs")


def _org_param_post(request: HttpRequest) -> int | None:
    try:
        value = int(request.POST.get("org") or 0)
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


@page(Capability.EXPORT)
def job_file(request: HttpRequest, job_id: int, name: str) -> HttpResponse:
    try:
        job = services.get_job(user=actor(request), job_id=job_id)
    except DomainError as error:
        raise Http404 from error
    if name not in job.files:
        raise Http404
    response = FileResponse((tasks.pack_folder(job) / name).open("rb"), as_attachment=True, filename=name)
    return response  # type: ignore[return-value]
