"""SLA endpoints under /api/v1/complaints/{id}/…: the clocks, pause/resume, the revisit."""

from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest
from ninja import Router, Schema

from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.schemas import schema_of
from kesu.organizations.permissions import actor

from . import services

router = Router(tags=["sla"])


if TYPE_CHECKING:  # mypy reads the dataclass itself (see kesu.core.schemas)
    ClockOut: TypeAlias = services.ClockReading
else:  # a clock as services.read_clock reads it, field for field
    ClockOut = schema_of(services.ClockReading, name="ClockOut")


class BreachOut(Schema):
    kind: str
    due_at: datetime
    detected_at: datetime
    overdue_seconds: int
    final: bool


class ClocksOut(Schema):  # read from the complaint
    clocks: list[ClockOut]
    breaches: list[BreachOut]

    @staticmethod
    def resolve_clocks(complaint: Complaint) -> list[services.ClockReading]:
        return services.readings(complaint)

    @staticmethod
    def resolve_breaches(complaint: Complaint) -> list[services.BreachFact]:
        return services.breaches_of(complaint)


class ReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


@router.get("/{complaint_id}/sla", response=ClocksOut)
def sla(request: HttpRequest, complaint_id: int) -> Complaint:
    return get_complaint(actor=actor(request), complaint_id=complaint_id)


@router.post("/{complaint_id}/sla/pause", response=ClocksOut)
def pause(request: HttpRequest, complaint_id: int, payload: ReasonIn) -> Complaint:
    return services.pause(actor=actor(request), complaint_id=complaint_id, reason=payload.reason)


@router.post("/{complaint_id}/sla/resume", response=ClocksOut)
def resume(request: HttpRequest, complaint_id: int, payload: NoteIn) -> Complaint:
    return services.resume(actor=actor(request), complaint_id=complaint_id, note=payload.note)


class RevisitIn(Schema):
    note: str = ""
    reason: str = ""  # why the call is recorded before the next working day after the close


@router.post("/{complaint_id}/revisit", response=ClocksOut)
def revisit(request: HttpRequest, complaint_id: int, payload: RevisitIn) -> Complaint:
    return services.record_revisit(
        actor=actor(request), complaint_id=complaint_id, note=payload.note, reason=payload.reason
    )
