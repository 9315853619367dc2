"""Export pages: download the queue (or the customers) as XLSX/CSV; the export logs."""

from typing import cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from kesu.complaints import queries
from kesu.customers.models import Customer
from kesu.organizations.permissions import Capability, actor, page

from . import services
from .choices import ExportFormat, ExportList
from .models import ExportLog


def _format(fmt: str) -> ExportFormat:
    if fmt not in ExportFormat.values:
        raise Http404
    return ExportFormat(fmt)


def _download(log: ExportLog, table: services.Table) -> HttpResponse:
    """The file, streamed (typed as the page decorator's HttpResponse: Django serves both)."""
    response = StreamingHttpResponse(
        services.stream(log, table), content_type=services.CONTENT_TYPES[ExportFormat(log.format)]
    )
    response["Content-Disposition"] = f'attachment; filename="{services.file_name(log)}"'
    return cast(HttpResponse, response)


@page(Capability.EXPORT)
def export_complaints(request: HttpRequest, fmt: str) -> HttpResponse:
    """The queue as the user sees it (same view, filters and search), every row in scope."""
    user = actor(request)
    filters = queries.filters_from_query(request.GET)  # the queue page's own parameters
    log, masking = services.start_export(
        actor=user,
        list_name=ExportList.COMPLAINTS,
        fmt=_format(fmt),
        params=request.GET.dict(),
        full_phones=request.GET.get("phones") == "full",
    )
    return _download(log, services.complaint_table(queries.queue_for(user, filters), masking))


@page(Capability.EXPORT)
def export_customers(request: HttpRequest, fmt: str) -> HttpResponse:
    user = actor(request)
    log, masking = services.start_export(
        actor=user,
        list_name=ExportList.CUSTOMERS,
        fmt=_format(fmt),
        params=request.GET.dict(),
        full_phones=request.GET.get("phones") == "full",
    )
    return _download(log, services.customer_table(Customer.objects.visible_to(user), masking))


@page(Capability.VIEW_EXPORT_LOGS)
def export_logs(request: HttpRequest) -> HttpResponse:
    logs = ExportLog.objects.visible_to(actor(request)).select_related("user")
    listing = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(request, "exports/logs.html", {"logs": listing})
