"""Follow-up calls: the desk's list, one call with its script and retry plan, its outcome; and the
vehicle events that generate calls (posted by the DMS integration or the desk)."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.organizations.permissions import actor

from . import selectors, services
from .choices import Fallback, FollowUpKind, FollowUpState, Result, VehicleEventKind
from .models import Attempt, FollowUp, VehicleEvent

router = Router(tags=["followups"])

MAX_LIST = 200


class FollowUpOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    due_at: datetime
    planned_at: datetime
    customer_id: int
    customer_name: str
    mobile_masked: str
    vehicle_id: int | None
    plate: str
    complaint_id: int | None
    complaint_number: str
    assignee_id: int | None
    attempts: int
    fallback: str
    version: int

    @staticmethod
    def resolve_kind_label(obj: FollowUp) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_customer_name(obj: FollowUp) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_mobile_masked(obj: FollowUp) -> str:
        return obj.customer.mobile_masked

    @staticmethod
    def resolve_plate(obj: FollowUp) -> str:
        return obj.vehicle.plate if obj.vehicle else ""

    @staticmethod
    def resolve_complaint_number(obj: FollowUp) -> str:
        return obj.complaint.number if obj.complaint else ""


class FollowUpStepOut(Schema):
    key: str
    text: str
    question: str
    choices: list[tuple[str, str]]


class ScriptOut(Schema):
    title: str
    purpose: str
    steps: list[FollowUpStepOut]


class FollowUpPlanOut(Schema):
    attempts: int
    attempts_left: int
    next_at: datetime | None
    next_part: str
    tried: list[str]
    fallback_due: bool
    sms_allowed: bool


class AttemptOut(Schema):
    number: int
    at: datetime
    actor_id: int
    result: str
    day_part: str
    note: str
    call_id: int | None


class FollowUpDetail(FollowUpOut):
    satisfaction: str
    answers: dict[str, Any]
    comment: str
    completed_at: datetime | None
    script: ScriptOut
    plan: FollowUpPlanOut
    attempt_list: list[AttemptOut]


def _detail(followup: FollowUp, request: HttpRequest) -> FollowUp:
    """The follow-up with its script (names filled in for the caller), plan and attempts."""
    script = services.scripts.script_for(followup.kind)
    lines = services.script_lines(followup, actor(request))
    followup.script = {  # type: ignore[attr-defined]
        "title": script.title,
        "purpose": script.purpose,
        "steps": [
            {"key": s.key, "text": s.text, "question": s.question, "choices": list(s.choices)} for s in lines
        ],
    }
    followup.plan = services.plan_of(followup)  # type: ignore[attr-defined]
    followup.attempt_list = list(Attempt.objects.filter(followup=followup).order_by("number"))  # type: ignore[attr-defined]
    return followup


def _fetch(request: HttpRequest, followup_id: int) -> FollowUp:
    followup = selectors.get_followup(actor=actor(request), followup_id=followup_id)
    return FollowUp.objects.select_related("customer", "vehicle", "complaint").get(pk=followup.pk)


class FollowUpFilters(Schema):
    mine: Literal["", "mine", "desk"] = ""
    due: Literal["", "today", "overdue"] = ""
    state: Literal["", "open", "done", "failed", "cancelled"] = "open"
    kind: Literal["", "revisit", "service_3d", "delivery_3d", "delivery_7d"] = ""
    fallback: Literal["", "sms", "letter"] = ""


assert {"", *FollowUpKind.values} == {"", "revisit", "service_3d", "delivery_3d", "delivery_7d"}
assert set(Fallback.values) == {"", "sms", "letter"}
assert {"", *FollowUpState.values} == {"", "open", "done", "failed", "cancelled"}


@router.get("/followups", response=list[FollowUpOut])
def list_followups(request: HttpRequest, filters: Query[FollowUpFilters]) -> list[FollowUp]:
    """Mine and the desk's (``mine``), due today or overdue (``due``), by due time."""
    return list(selectors.followup_list(actor=actor(request), **filters.dict())[:MAX_LIST])


@router.get("/followups/{followup_id}", response=FollowUpDetail)
def get_followup(request: HttpRequest, followup_id: int) -> FollowUp:
    """The call with its script (names filled in), its retry plan and its attempts."""
    return _detail(_fetch(request, followup_id), request)


class FollowUpOutcomeIn(Schema):
    result: Literal["reached", "not_reached", "sms", "letter"]
    satisfaction: str = ""
    answers: dict[str, Any] = {}
    comment: str = ""
    note: str = ""
    sms_text: str = ""
    early_reason: str = ""
    version: int | None = None


assert set(Result.values) == {"reached", "not_reached", "sms", "letter"}


@router.post("/followups/{followup_id}/outcome", response=FollowUpDetail)
def outcome(request: HttpRequest, followup_id: int, payload: FollowUpOutcomeIn) -> FollowUp:
    """Reached (answers, satisfaction — required —, comment); not reached (the next attempt at
    another time of day); after three, an SMS (consent needed) or a letter instead."""
    data = services.OutcomeInput(**payload.dict())
    flows.followups.record_outcome(actor=actor(request), followup_id=followup_id, data=data)
    return _detail(_fetch(request, followup_id), request)


class ServiceVisitIn(Schema):
    finished_at: datetime
    work: str = Field("", max_length=200)  # e.g. 10000公里保养
    advisor: str = Field("", max_length=60)  # 服务专员
    mileage_km: int | None = Field(None, ge=0, le=2_000_000)
    ro_number: str = Field("", max_length=40)  # the DMS repair order: posted again, the same visit
    assignee_id: int | None = None


class DeliveryIn(Schema):
    delivered_at: datetime
    advisor: str = Field("", max_length=60)  # 销售顾问
    mileage_km: int | None = Field(None, ge=0, le=2_000_000)
    delivery_number: str = Field("", max_length=40)
    assignee_id: int | None = None


class VehicleEventOut(Schema):
    id: int
    vehicle_id: int
    customer_id: int
    kind: str
    happened_at: datetime
    work: str
    advisor: str
    mileage_km: int | None
    external_ref: str
    generated: bool

    @staticmethod
    def resolve_generated(obj: VehicleEvent) -> bool:
        return obj.generated_at is not None


@router.post("/vehicles/{vehicle_id}/service-visits", response={200: VehicleEventOut, 201: VehicleEventOut})
def service_visit(request: HttpRequest, vehicle_id: int, payload: ServiceVisitIn) -> Reply:
    """A service visit finished: the worker generates the 3-day call (201; 200 when the same
    repair order number was posted before)."""
    event, created = services.record_vehicle_event(
        actor=actor(request),
        vehicle_id=vehicle_id,
        kind=VehicleEventKind.SERVICE_VISIT,
        time_field="finished_at",
        data=services.VehicleEventInput(
            happened_at=payload.finished_at,
            work=payload.work,
            advisor=payload.advisor,
            mileage_km=payload.mileage_km,
            external_ref=payload.ro_number,
            assignee_id=payload.assignee_id,
        ),
    )
    return Reply(201 if created else 200, event)


@router.post("/vehicles/{vehicle_id}/deliveries", response={200: VehicleEventOut, 201: VehicleEventOut})
def delivery(request: HttpRequest, vehicle_id: int, payload: DeliveryIn) -> Reply:
    """A new car delivered: the worker generates the 3- and 7-day calls."""
    event, created = services.record_vehicle_event(
        actor=actor(request),
        vehicle_id=vehicle_id,
        kind=VehicleEventKind.DELIVERY,
        time_field="delivered_at",
        data=services.VehicleEventInput(
            happened_at=payload.delivered_at,
            work="新车交付",
            advisor=payload.advisor,
            mileage_km=payload.mileage_km,
            external_ref=payload.delivery_number,
            assignee_id=payload.assignee_id,
        ),
    )
    return Reply(201 if created else 200, event)
