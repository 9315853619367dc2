"""SLA endpoints under /api/v1/complaints/{id}/…: the clocks, pause/resume, the revisit."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from kesu.complaints.services import get_complaint
from kesu.organizations.permissions import actor

from . import services

router = Router(tags=["sla"])


class ClockOut(Schema):
    kind: str
    due_at: datetime
    state: str
    remaining_seconds: int
    started_at: datetime
    stopped_at: datetime | None
    remaining_working_seconds: int | None = None


class BreachOut(Schema):
    kind: str
    due_at: datetime
    detected_at: datetime
    overdue_seconds: int
    final: bool


class ClocksOut(Schema):
    clocks: list[ClockOut]
    breaches: list[BreachOut]


class ReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


def clocks_out(complaint: Any) -> dict[str, Any]:
    local = timezone.get_current_timezone()
    return {
        "clocks": [
            {
                **reading.__dict__,
                "due_at": reading.due_at.astimezone(local),
                "started_at": reading.started_at.astimezone(local),
                "stopped_at": reading.stopped_at.astimezone(local) if reading.stopped_at else None,
            }
            for reading in services.readings(complaint)
        ],
        "breaches": [
            {
                "kind": b.kind,
                "due_at": b.due_at.astimezone(local),
                "detected_at": b.detected_at.astimezone(local),
                "overdue_seconds": b.overdue_seconds,
                "final": b.final,
            }
            for b in services.breaches_of(complaint)
        ],
    }


@router.get("/{complaint_id}/sla", response=ClocksOut)
def sla(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return clocks_out(get_complaint(actor=actor(request), complaint_id=complaint_id))


@router.post("/{complaint_id}/sla/pause", response=ClocksOut)
def pause(request: HttpRequest, complaint_id: int, payload: ReasonIn) -> dict[str, Any]:
    complaint = services.pause(actor=actor(request), complaint_id=complaint_id, reason=payload.reason)
    return clocks_out(complaint)


@router.post("/{complaint_id}/sla/resume", response=ClocksOut)
def resume(request: HttpRequest, complaint_id: int, payload: NoteIn) -> dict[str, Any]:
    complaint = services.resume(actor=actor(request), complaint_id=complaint_id, note=payload.note)
    return clocks_out(complaint)


@router.post("/{complaint_id}/revisit", response=ClocksOut)
def revisit(request: HttpRequest, complaint_id: int, payload: NoteIn) -> dict[str, Any]:
    complaint = services.record_revisit(actor=actor(request), complaint_id=complaint_id, note=payload.note)
    return clocks_out(complaint)
