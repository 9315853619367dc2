"""Complaints API: intake, list/search, get/patch with version, transitions, timeline, actions."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile
from pydantic import AfterValidator, Field

from kesu import flows
from kesu.core.errors import invalid
from kesu.core.schemas import schema_of
from kesu.customers.api import CallerIn, caller_input
from kesu.organizations.permissions import actor

from . import attachments as attachment_services
from . import ownership, queries, selectors, services, workflow
from .inputs import (
    CategoryValue,
    ChannelValue,
    ComplaintDraft,
    DemandValue,
    EmotionValue,
    NatureValue,
    OptionalChannel,
    OptionalFaultArea,
    OptionalSeverity,
    SeverityValue,
    StatusValue,
)
from .models import Attachment, Complaint, TimelineEntry

router = Router(tags=["complaints"])

if TYPE_CHECKING:  # mypy reads the draft itself (see kesu.core.schemas)
    ComplaintIn: TypeAlias = ComplaintDraft
else:  # the request body: the fields of the draft intake takes, with their choices
    ComplaintIn = schema_of(ComplaintDraft, name="ComplaintIn")


class ComplaintCreateIn(ComplaintIn):  # type: ignore[misc]
    """The draft, for a known ``customer_id`` — or, instead, the caller as typed (``customer``):
    the dealer's customer with that number is used when the name is the same, a new one made
    when the number is new, 409 ``duplicate_customer`` (``customer.mobile``) otherwise."""

    customer_id: int | None = None  # type: ignore[assignment]
    customer: CallerIn | None = None


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
    mobile_masked: str  # Customer.mobile_masked: 138****1234
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
    # the rung it is escalated to: service_manager, general_manager, region_manager, crc_agent or ""
    escalation_rung: str
    due_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    # at registration: "existing" (the caller's number was a customer's), "created", "given"
    customer_resolution: str = ""

    @staticmethod
    def resolve_customer_resolution(complaint: Complaint) -> str:
        return str(getattr(complaint, "customer_resolution", ""))

    @staticmethod
    def resolve_status_label(complaint: Complaint) -> str:
        return str(complaint.get_status_display())


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
    fault_area: OptionalFaultArea = ""
    channel: OptionalChannel = ""
    model: Annotated[str, Field(max_length=60)] = ""  # the vehicle's model, exactly
    month: Annotated[str, Field(pattern=r"^(\d{4}-\d{2})?$")] = ""  # received in (Asia/Shanghai)
    org: RowId | None = None  # a region or manufacturer: its dealers' complaints
    q: str = ""  # number, customer name, plate/VIN fragment, phone's last 4 digits or words
    view: str = ""  # mine | due_today | overdue | department | all (complaints.queries.VIEWS)
    ordering: str = ""  # e.g. -received_at or customer,-due_at (complaints.queries.SORTS)
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

    @staticmethod
    def resolve_actor(entry: TimelineEntry) -> str:
        return str(entry.actor) if entry.actor else ""


class ActionOut(Schema):
    action: str
    label: str
    target: str
    requires: list[str]

    @staticmethod
    def resolve_label(transition: workflow.Transition) -> str:
        return str(transition.label)


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    kind: str
    uploaded_at: datetime


def _load(request: HttpRequest, complaint_id: int) -> Complaint:
    complaint = selectors.get_complaint(actor=actor(request), complaint_id=complaint_id)
    return complaint


def _with_relations(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_related("customer", "vehicle").get(pk=complaint.pk)


@router.post("", response={201: ComplaintOut})
def create(request: HttpRequest, payload: ComplaintCreateIn) -> Reply:
    values = dict(payload)  # type: ignore[call-overload]
    caller: CallerIn | None = values.pop("customer")
    if caller is None and not values["customer_id"]:
        raise invalid("customer_id", _("Give customer_id, or the caller as customer."))
    draft = services.ComplaintDraft(**{**values, "customer_id": values["customer_id"] or 0})
    if caller is None:
        complaint = flows.create_complaint(actor=actor(request), draft=draft)
        complaint.customer_resolution = "given"  # type: ignore[attr-defined]
        return Reply(201, complaint)
    found = flows.intake_for_caller(actor=actor(request), draft=draft, new_customer=caller_input(caller))
    complaint = found.complaint
    complaint.customer_resolution = "existing" if found.existing_customer else "created"  # type: ignore[attr-defined]
    return Reply(201, complaint)


COUNT_CAP = 1000  # beyond this many rows after the page start, "count" is a lower bound


@router.get("", response=ComplaintPage)
def list_complaints(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    if not 1 <= filters.page_size <= 100:
        raise invalid("page_size", _("Between 1 and 100."))
    if filters.page < 1:
        raise invalid("page", _("Pages start at 1."))
    data = filters.model_dump(exclude={"page", "page_size"})
    start = (filters.page - 1) * filters.page_size
    # counting every match of a frequent word costs more than the page: stop at the cap
    page = queries.queue_page(
        actor(request), queries.ComplaintFilters(**data), start=start, size=filters.page_size, cap=COUNT_CAP
    )
    return {
        "count": page.count,
        "count_capped": page.capped,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": page.rows,
    }


@router.get("/{complaint_id}", response=ComplaintOut)
def get(request: HttpRequest, complaint_id: int) -> Complaint:
    return _with_relations(_load(request, complaint_id))


@router.patch("/{complaint_id}", response=ComplaintOut)
def patch(request: HttpRequest, complaint_id: int, payload: ComplaintPatch) -> Complaint:
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "note"})
    complaint = flows.update_complaint(
        actor=actor(request),
        complaint_id=complaint_id,
        expected_version=payload.version,
        changes=changes,
        note=payload.note,
    )
    return _with_relations(complaint)


@router.post("/{complaint_id}/transitions", response=ComplaintOut)
def transition(request: HttpRequest, complaint_id: int, payload: TransitionIn) -> Complaint:
    inputs = payload.model_dump(exclude={"action", "version"}, exclude_none=True)
    complaint = flows.transition(
        actor=actor(request),
        complaint_id=complaint_id,
        action=payload.action,
        inputs=inputs,
        expected_version=payload.version,
    )
    return _with_relations(complaint)


@router.get("/{complaint_id}/timeline", response=list[TimelineOut])
def timeline(request: HttpRequest, complaint_id: int) -> list[TimelineEntry]:
    complaint = _load(request, complaint_id)
    return list(complaint.timeline.select_related("actor"))


@router.get("/{complaint_id}/actions", response=list[ActionOut])
def actions(request: HttpRequest, complaint_id: int) -> list[workflow.Transition]:
    complaint = _load(request, complaint_id)
    return selectors.available_actions(actor=actor(request), complaint=complaint)


@router.post("/{complaint_id}/attachments", response={201: AttachmentOut})
def upload(request: HttpRequest, complaint_id: int, file: File[UploadedFile]) -> Reply:
    attachment = attachment_services.add_attachment(
        actor=actor(request),
        complaint_id=complaint_id,
        upload=file,
    )
    return Reply(201, attachment)


@router.get("/{complaint_id}/attachments", response=list[AttachmentOut])
def list_attachments(request: HttpRequest, complaint_id: int) -> list[Attachment]:
    return list(_load(request, complaint_id).attachments.all())


# --- ownership: reassign, transfer, the dealer's assignment rules (complaints.ownership) ---------


class AssignIn(Schema):
    assignee_id: RowId | None = None
    reason: str = ""
    version: int | None = None  # the complaint's version as read: 409 when someone saved since


class TransferIn(Schema):
    department_id: RowId | None = None
    reason: str = ""
    version: int | None = None


@router.post("/{complaint_id}/assign", response=ComplaintOut)
def assign(request: HttpRequest, complaint_id: int, payload: AssignIn) -> Complaint:
    complaint = flows.reassign(
        actor=actor(request),
        complaint_id=complaint_id,
        assignee_id=payload.assignee_id,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _with_relations(complaint)


@router.post("/{complaint_id}/transfer", response=ComplaintOut)
def transfer_to_department(request: HttpRequest, complaint_id: int, payload: TransferIn) -> Complaint:
    complaint = flows.transfer(
        actor=actor(request),
        complaint_id=complaint_id,
        department_id=payload.department_id,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _with_relations(complaint)


rules_router = Router(tags=["assignment rules"])


class RuleIn(Schema):
    field: str  # channel | category
    value: str  # a channel or a category value
    assignee_id: RowId


class RulesIn(Schema):
    rules: list[RuleIn]


class RuleOut(Schema):
    field: str
    value: str
    assignee_id: int
    assignee: str

    @staticmethod
    def resolve_assignee(rule: Any) -> str:
        return ownership.display_name(rule.assignee)


class RulesOut(Schema):
    dealer_id: int
    may_edit: bool
    rules: list[RuleOut]


def _rules_answer(request: HttpRequest, dealer_id: int, rules: list[Any]) -> dict[str, Any]:
    return {
        "dealer_id": dealer_id,
        "may_edit": ownership.may_keep_rules(actor(request), dealer_id),
        "rules": rules,
    }


@rules_router.get("/{dealer_id}", response=RulesOut)
def get_rules(request: HttpRequest, dealer_id: RowId) -> dict[str, Any]:
    """The dealer's assignment rules; without a matching rule a new complaint goes to the active
    desk agent with the fewest open complaints."""
    return _rules_answer(request, dealer_id, ownership.rules_of(actor=actor(request), dealer_id=dealer_id))


@rules_router.put("/{dealer_id}", response=RulesOut)
def put_rules(request: HttpRequest, dealer_id: RowId, payload: RulesIn) -> dict[str, Any]:
    """Replace the dealer's rules (its service manager or general manager, or an admin)."""
    rules = [
        ownership.RuleInput(field=rule.field, value=rule.value, assignee_id=rule.assignee_id)
        for rule in payload.rules
    ]
    saved = ownership.set_rules(actor=actor(request), dealer_id=dealer_id, rules=rules)
    return _rules_answer(request, dealer_id, saved)
