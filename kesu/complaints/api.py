"""Complaints API: intake, list/search, get/patch with version, transitions, timeline, actions."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile
from pydantic import AfterValidator, Field

from kesu.core.errors import invalid
from kesu.core.validators import mask_mobile
from kesu.organizations.permissions import actor

from . import attachments as attachment_services
from . import queries, services, workflow
from .choices import Category, Channel, Demand, Emotion, Nature, Severity, Status
from .models import Attachment, Complaint, TimelineEntry

router = Router(tags=["complaints"])

if TYPE_CHECKING:  # the choices are only known at run time; mypy sees plain strings
    ChannelValue: TypeAlias = str
    StatusValue: TypeAlias = str
    CategoryValue: TypeAlias = str
    NatureValue: TypeAlias = str
    SeverityValue: TypeAlias = str
    OptionalSeverity: TypeAlias = str
    EmotionValue: TypeAlias = str
    DemandValue: TypeAlias = str
else:  # enums in the OpenAPI schema, and 422s naming the allowed values
    ChannelValue = Literal[tuple(Channel.values)]
    StatusValue = Literal[tuple(Status.values)]
    CategoryValue = Literal[tuple(["", *Category.values])]
    NatureValue = Literal[tuple(["", *Nature.values])]
    SeverityValue = Literal[tuple(Severity.values)]
    OptionalSeverity = Literal[tuple(["", *Severity.values])]
    EmotionValue = Literal[tuple(["", *Emotion.values])]
    DemandValue = Literal[tuple(Demand.values)]


class ComplaintIn(Schema):
    customer_id: int
    vehicle_id: int | None = None
    channel: ChannelValue
    verbatim: str
    facts: str = ""
    emotion: EmotionValue = ""
    category: CategoryValue = ""
    nature: NatureValue = ""
    severity: SeverityValue = "normal"
    demands: list[DemandValue] = []
    department_id: int | None = None
    assignee_id: int | None = None
    received_at: datetime | None = None


class ComplaintPatch(Schema):
    version: int
    note: str = ""
    vehicle_id: int | None = None
    channel: ChannelValue | None = None
    verbatim: str | None = None
    facts: str | None = None
    emotion: EmotionValue | None = None
    category: CategoryValue | None = None
    nature: NatureValue | None = None
    severity: SeverityValue | None = None
    demands: list[DemandValue] | None = None
    department_id: int | None = None
    assignee_id: int | None = None


class TransitionIn(Schema):
    action: str
    note: str | None = None
    reason: str | None = None
    promised_plan_at: datetime | None = None
    root_cause: str | None = None
    plan: str | None = None
    satisfaction: str | None = None
    guard_override_reason: str | None = None
    version: int | None = None


class CustomerBrief(Schema):
    id: int
    name: str
    mobile_masked: str
    is_vip: bool


class VehicleBrief(Schema):
    id: int
    plate: str
    vin: str
    model_name: str


class ComplaintOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    version: int
    dealer_id: int
    channel: str
    received_at: datetime
    received_by_id: int
    customer: CustomerBrief
    vehicle: VehicleBrief | None
    verbatim: str
    facts: str
    emotion: str
    category: str
    nature: str
    severity: str
    demands: list[str]
    department_id: int | None
    assignee_id: int | None
    promised_plan_at: datetime | None
    root_cause: str
    plan: str
    refusal_reason: str
    satisfaction: str
    escalated_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ComplaintPage(Schema):
    count: int
    count_capped: bool = False  # true: there are more than ``count`` (counting stopped)
    page: int
    page_size: int
    results: list[ComplaintOut]


RowId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]  # what a database id column holds


def _plausible_time(value: datetime) -> datetime:
    if not 1970 <= value.year <= 2200:  # the same answer on SQLite and PostgreSQL
        raise ValueError(_("Give a time between 1970 and 2200."))
    return value


FilterTime = Annotated[datetime, AfterValidator(_plausible_time)]


class ListFilters(Schema):
    status: list[StatusValue] | None = None
    category: CategoryValue = ""
    severity: OptionalSeverity = ""
    dealer: RowId | None = None
    assignee: RowId | None = None
    department: RowId | None = None
    received_from: FilterTime | None = None
    received_to: FilterTime | None = None
    q: str = ""
    page: Annotated[int, Field(le=100_000)] = 1
    page_size: int = 25


class TimelineOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor: str
    kind: str
    action: str
    from_status: str
    to_status: str
    changes: dict[str, Any]
    note: str


class ActionOut(Schema):
    action: str
    label: str
    target: str
    requires: list[str]


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    kind: str
    uploaded_at: datetime


def complaint_out(c: Complaint) -> dict[str, Any]:
    customer, vehicle = c.customer, c.vehicle
    return {
        "id": c.pk,
        "number": c.number,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "version": c.version,
        "dealer_id": c.dealer_id,
        "channel": c.channel,
        "received_at": c.received_at,
        "received_by_id": c.received_by_id,
        "customer": {
            "id": customer.pk,
            "name": customer.name,
            "mobile_masked": mask_mobile(customer.mobile),
            "is_vip": customer.is_vip,
        },
        "vehicle": None
        if vehicle is None
        else {
            "id": vehicle.pk,
            "plate": vehicle.plate,
            "vin": vehicle.vin,
            "model_name": vehicle.model_name,
        },
        "verbatim": c.verbatim,
        "facts": c.facts,
        "emotion": c.emotion,
        "category": c.category,
        "nature": c.nature,
        "severity": c.severity,
        "demands": c.demands,
        "department_id": c.department_id,
        "assignee_id": c.assignee_id,
        "promised_plan_at": c.promised_plan_at,
        "root_cause": c.root_cause,
        "plan": c.plan,
        "refusal_reason": c.refusal_reason,
        "satisfaction": c.satisfaction,
        "escalated_at": c.escalated_at,
        "due_at": c.due_at,
        "closed_at": c.closed_at,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _load(request: HttpRequest, complaint_id: int) -> Complaint:
    complaint = services.get_complaint(actor=actor(request), complaint_id=complaint_id)
    return complaint


def _with_relations(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_related("customer", "vehicle").get(pk=complaint.pk)


@router.post("", response={201: ComplaintOut})
def create(request: HttpRequest, payload: ComplaintIn) -> Reply:
    draft = services.ComplaintDraft(**payload.model_dump())
    complaint = services.create_complaint(actor=actor(request), draft=draft)
    return Reply(201, complaint_out(complaint))


COUNT_CAP = 1000  # beyond this many rows after the page start, "count" is a lower bound


@router.get("", response=ComplaintPage)
def list_complaints(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    if not 1 <= filters.page_size <= 100:
        raise invalid("page_size", _("Between 1 and 100."))
    if filters.page < 1:
        raise invalid("page", _("Pages start at 1."))
    data = filters.model_dump(exclude={"page", "page_size"})
    start = (filters.page - 1) * filters.page_size
    # counting 100,000 matches of a frequent word costs more than the page: stop at the cap
    page = queries.queue_page(
        actor(request), queries.ComplaintFilters(**data), start=start, size=filters.page_size, cap=COUNT_CAP
    )
    return {
        "count": page.count,
        "count_capped": page.capped,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [complaint_out(c) for c in page.rows],
    }


@router.get("/{complaint_id}", response=ComplaintOut)
def get(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return complaint_out(_with_relations(_load(request, complaint_id)))


@router.patch("/{complaint_id}", response=ComplaintOut)
def patch(request: HttpRequest, complaint_id: int, payload: ComplaintPatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "note"})
    complaint = services.update_complaint(
        actor=actor(request),
        complaint_id=complaint_id,
        expected_version=payload.version,
        changes=changes,
        note=payload.note,
    )
    return complaint_out(_with_relations(complaint))


@router.post("/{complaint_id}/transitions", response=ComplaintOut)
def transition(request: HttpRequest, complaint_id: int, payload: TransitionIn) -> dict[str, Any]:
    inputs = payload.model_dump(exclude={"action", "version"}, exclude_none=True)
    complaint = services.transition(
        actor=actor(request),
        complaint_id=complaint_id,
        action=payload.action,
        inputs=inputs,
        expected_version=payload.version,
    )
    return complaint_out(_with_relations(complaint))


def timeline_out(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at,
        "actor_id": entry.actor_id,
        "actor": str(entry.actor) if entry.actor else "",
        "kind": entry.kind,
        "action": entry.action,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "changes": entry.changes,
        "note": entry.note,
    }


@router.get("/{complaint_id}/timeline", response=list[TimelineOut])
def timeline(request: HttpRequest, complaint_id: int) -> list[dict[str, Any]]:
    complaint = _load(request, complaint_id)
    return [timeline_out(e) for e in complaint.timeline.select_related("actor")]


@router.get("/{complaint_id}/actions", response=list[ActionOut])
def actions(request: HttpRequest, complaint_id: int) -> list[dict[str, Any]]:
    complaint = _load(request, complaint_id)
    allowed = services.available_actions(actor=actor(request), complaint=complaint)
    return [action_out(t) for t in allowed]


def action_out(t: workflow.Transition) -> dict[str, Any]:
    return {
        "action": t.action,
        "label": str(t.label),
        "target": t.target,
        "requires": list(t.requires),
    }


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "original_name": a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "kind": a.kind,
        "uploaded_at": a.uploaded_at,
    }


@router.post("/{complaint_id}/attachments", response={201: AttachmentOut})
def upload(request: HttpRequest, complaint_id: int, file: File[UploadedFile]) -> Reply:
    attachment = attachment_services.add_attachment(
        actor=actor(request),
        complaint_id=complaint_id,
        upload=file,
    )
    return Reply(201, attachment_out(attachment))


@router.get("/{complaint_id}/attachments", response=list[AttachmentOut])
def list_attachments(request: HttpRequest, complaint_id: int) -> list[dict[str, Any]]:
    return [attachment_out(a) for a in _load(request, complaint_id).attachments.all()]
