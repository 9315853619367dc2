"""Approvals API: what waits for the caller, one request with its chain, deciding a step; the
authority limits (核决权限); the payment and gift tasks approved requests create."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from kesu import flows
from kesu.core.errors import invalid
from kesu.organizations.choices import Role
from kesu.organizations.permissions import actor
from kesu.resolutions.choices import Remedy

from . import services
from .choices import RequestStatus, TaskStatus
from .models import ApprovalRequest, PaymentTask

router = Router(tags=["approvals"])

MAX_PAGE = 100


class ApprovalRow(Schema):
    id: int
    complaint_id: int
    complaint_number: str
    total: Decimal
    remedies: list[str]
    summary: str
    requested_by: str
    status: str
    approver_role: str
    due_at: datetime | None
    overdue: bool
    created_at: datetime


class ApprovalPage(Schema):
    items: list[ApprovalRow]
    limit: int
    offset: int
    more: bool


class StepOut(Schema):
    position: int
    role: str
    role_label: str
    organization_id: int
    state: str
    due_at: datetime | None


class DecisionOut(Schema):
    position: int
    actor: str
    decision: str
    comment: str
    at: datetime


class ApprovalOut(ApprovalRow):
    subject_model: str
    subject_id: int
    amounts: dict[str, str]
    status_label: str
    decided_at: datetime | None
    steps: list[StepOut]
    decisions: list[DecisionOut]
    may_decide: bool


class DecideIn(Schema):
    decision: str
    comment: str = ""


class ApprovalFilters(Schema):
    box: Literal["waiting", "requested"] = "waiting"
    limit: int = 20
    offset: int = 0


def _rows(queryset: Any, now: datetime) -> list[dict[str, Any]]:
    rows = queryset.values(
        "id",
        "complaint_id",
        "total",
        "remedies",
        "summary",
        "status",
        "approver_role",
        "due_at",
        "created_at",
        complaint_number=F("complaint__number"),
        requester_name=F("requested_by__display_name"),
        requester_username=F("requested_by__username"),
    )
    return [
        {
            **row,
            "summary": row["summary"][:200],
            "requested_by": row.pop("requester_name") or row.pop("requester_username"),
            "overdue": row["status"] == RequestStatus.PENDING
            and row["due_at"] is not None
            and row["due_at"] < now,
        }
        for row in rows
    ]


@router.get("/approvals", response=ApprovalPage)
def list_approvals(request: HttpRequest, filters: Query[ApprovalFilters]) -> dict[str, Any]:
    """``box=waiting`` (default): the requests whose current step the caller decides, soonest due
    first; ``box=requested``: the caller's own requests, newest first."""
    if not 1 <= filters.limit <= MAX_PAGE:
        raise invalid("limit", _("Between 1 and %(n)d.") % {"n": MAX_PAGE})
    if filters.offset < 0:
        raise invalid("offset", _("At least %(limit)s.") % {"limit": 0})
    user = actor(request)
    queryset = services.waiting_for(user) if filters.box == "waiting" else services.requested_by(user)
    rows = _rows(queryset[filters.offset : filters.offset + filters.limit + 1], timezone.now())
    return {
        "items": rows[: filters.limit],
        "limit": filters.limit,
        "offset": filters.offset,
        "more": len(rows) > filters.limit,
    }


def _detail(approval: ApprovalRequest, user: Any) -> dict[str, Any]:
    steps = list(approval.steps.order_by("position"))
    current = steps[approval.current_position] if approval.status == RequestStatus.PENDING else None
    row = _rows(ApprovalRequest.objects.filter(pk=approval.pk), timezone.now())[0]
    return {
        **row,
        "summary": approval.summary,
        "subject_model": approval.subject_model,
        "subject_id": approval.subject_id,
        "amounts": approval.amounts,
        "status_label": approval.get_status_display(),
        "decided_at": approval.decided_at,
        "steps": [
            {
                "position": s.position,
                "role": s.role,
                "role_label": str(Role(s.role).label),
                "organization_id": s.organization_id,
                "state": s.state,
                "due_at": s.due_at,
            }
            for s in steps
        ],
        "decisions": [
            {
                "position": d.position,
                "actor": str(d.actor),
                "decision": d.decision,
                "comment": d.comment,
                "at": d.at,
            }
            for d in approval.decisions.select_related("actor")
        ],
        "may_decide": current is not None
        and approval.requested_by_id != user.pk
        and services.is_approver(user, role=current.role, organization_id=current.organization_id),
    }


@router.get("/approvals/{request_id}", response=ApprovalOut)
def get_approval(request: HttpRequest, request_id: int) -> dict[str, Any]:
    user = actor(request)
    return _detail(services.get_request(actor=user, request_id=request_id), user)


@router.post("/approvals/{request_id}/decide", response=ApprovalOut)
def decide(request: HttpRequest, request_id: int, payload: DecideIn) -> dict[str, Any]:
    """approve | reject | send_back (reject and send_back need a comment). 403 one's own request
    or not this step's approver; 409 ``already_decided`` / ``superseded``."""
    user = actor(request)
    approval = flows.approvals.decide(
        actor=user, request_id=request_id, decision=payload.decision, comment=payload.comment
    )
    return _detail(approval, user)


# --- authority limits --------------------------------------------------------------------------


class LimitIn(Schema):
    role: str
    max_total: Decimal
    remedies: list[str]


class LimitsIn(Schema):
    limits: list[LimitIn]


class LimitOut(Schema):
    role: str
    role_label: str
    max_total: Decimal
    remedies: list[str]
    remedy_labels: list[str]
    source_organization_id: int | None


class LimitsOut(Schema):
    organization_id: int | None
    limits: list[LimitOut]


def _limits_out(organization_id: int | None, found: dict[str, services.Authority]) -> dict[str, Any]:
    labels = dict(Remedy.choices)
    return {
        "organization_id": organization_id,
        "limits": [
            {
                **authority.as_dict(),
                "role_label": str(Role(role).label),
                "max_total": authority.max_total,
                "remedy_labels": [str(labels[c]) for c in Remedy.values if c in authority.remedies],
            }
            for role, authority in found.items()
        ],
    }


class OrgFilter(Schema):
    organization: int | None = None


@router.get("/authority-limits", response=LimitsOut)
def get_limits(request: HttpRequest, filters: Query[OrgFilter]) -> dict[str, Any]:
    """The effective limit of each role at ``organization`` (omitted: the installation's
    defaults), with the organisation each was set at (null: the default)."""
    found = services.read_limits(actor=actor(request), organization_id=filters.organization)
    return _limits_out(filters.organization, found)


@router.put("/authority-limits", response=LimitsOut)
def put_limits(request: HttpRequest, filters: Query[OrgFilter], payload: LimitsIn) -> dict[str, Any]:
    """Replace the organisation's own limits (administrators); roles left out fall back."""
    found = services.set_limits(
        actor=actor(request),
        organization_id=filters.organization,
        limits=[
            services.LimitInput(item.role, item.max_total, list(item.remedies)) for item in payload.limits
        ],
    )
    return _limits_out(filters.organization, found)


# --- payment and gift tasks ---------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    request_id: int
    complaint_id: int
    kind: str
    amount: Decimal
    description: str
    status: str
    voucher: str
    note: str
    created_at: datetime
    done_at: datetime | None


class TaskFilters(Schema):
    status: Literal["open", "done"] = "open"
    limit: int = 50


class PaidIn(Schema):
    voucher: str = ""
    note: str = ""


@router.get("/payments", response=list[TaskOut])
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> list[PaymentTask]:
    """The payment and gift tasks of the caller's dealers, oldest first."""
    if not 1 <= filters.limit <= MAX_PAGE:
        raise invalid("limit", _("Between 1 and %(n)d.") % {"n": MAX_PAGE})
    queryset = PaymentTask.objects.visible_to(actor(request)).filter(status=TaskStatus(filters.status))
    return list(queryset.order_by("created_at", "id")[: filters.limit])


@router.post("/payments/{task_id}/paid", response=TaskOut)
def mark_paid(request: HttpRequest, task_id: int, payload: PaidIn) -> PaymentTask:
    """Finance paid (``voucher`` required: the 凭证号) or the gift was handed over."""
    return flows.approvals.complete_task(
        actor=actor(request), task_id=task_id, voucher=payload.voucher, note=payload.note
    )
