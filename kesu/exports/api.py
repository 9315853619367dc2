"""Exports API: the complaint queue (and the customers) as XLSX or CSV; the export logs."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from kesu.complaints import queries
from kesu.complaints.api import ListFilters
from kesu.core.errors import Forbidden
from kesu.customers.models import Customer
from kesu.organizations.permissions import Capability, actor, has_capability

from . import services
from .choices import ExportFormat, ExportList
from .models import ExportLog

router = Router(tags=["exports"])


class ExportQuery(ListFilters):
    """The queue's filters (as ``GET /api/v1/complaints``), plus the file's format and whether
    full phone numbers are wanted (only the dealer's managers and the admin get them)."""

    format: Literal["xlsx", "csv"] = "xlsx"
    phones: Literal["masked", "full"] = "masked"


class CustomerExportQuery(Schema):
    format: Literal["xlsx", "csv"] = "xlsx"
    phones: Literal["masked", "full"] = "masked"


def response_for(log: ExportLog, table: services.Table) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        services.stream(log, table), content_type=services.CONTENT_TYPES[ExportFormat(log.format)]
    )
    response["Content-Disposition"] = f'attachment; filename="{services.file_name(log)}"'
    response["X-Export-Log"] = str(log.pk)
    return response


@router.get("/complaints/export")
def export_complaints(request: HttpRequest, filters: Query[ExportQuery]) -> StreamingHttpResponse:
    user = actor(request)
    data = filters.model_dump(exclude={"page", "page_size", "format", "phones"})
    params = {k: (str(v) if isinstance(v, datetime) else v) for k, v in data.items() if v not in (None, "")}
    log, masking = services.start_export(
        actor=user,
        list_name=ExportList.COMPLAINTS,
        fmt=ExportFormat(filters.format),
        params=params,
        full_phones=filters.phones == "full",
    )
    queryset = queries.queue_for(user, queries.ComplaintFilters(**data))
    return response_for(log, services.complaint_table(queryset, masking))


@router.get("/customers/export")
def export_customers(request: HttpRequest, filters: Query[CustomerExportQuery]) -> StreamingHttpResponse:
    user = actor(request)
    log, masking = services.start_export(
        actor=user,
        list_name=ExportList.CUSTOMERS,
        fmt=ExportFormat(filters.format),
        params={},
        full_phones=filters.phones == "full",
    )
    return response_for(log, services.customer_table(Customer.objects.visible_to(user), masking))


class ExportLogOut(Schema):
    id: int
    user_id: int
    user: str
    at: datetime
    list_name: str
    format: str
    params: dict[str, object]
    full_phones: bool
    names_masked: bool
    row_count: int
    finished_at: datetime | None

    @staticmethod
    def resolve_user(log: ExportLog) -> str:
        return str(log.user)


class LogPage(Schema):
    page: int
    results: list[ExportLogOut]


class LogQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)


@router.get("/exports/logs", response=LogPage)
def export_logs(request: HttpRequest, query: Query[LogQuery]) -> dict[str, object]:
    page = query.page
    user = actor(request)
    if not has_capability(user, Capability.VIEW_EXPORT_LOGS):
        raise Forbidden(_("Your role cannot see the export logs."))
    size = 50
    rows = ExportLog.objects.visible_to(user).select_related("user")[(page - 1) * size : page * size]
    return {"page": page, "results": list(rows)}
