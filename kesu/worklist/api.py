"""The agent's day over the API: ``GET /api/v1/worklist``."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from kesu.organizations.permissions import actor

from . import services
from .links import link_of

router = Router(tags=["worklist"])


class EntryOut(Schema):
    kind: str
    due_at: datetime
    subject: str
    overdue: bool
    item_id: int | None
    ref_model: str
    ref_id: int
    complaint_id: int | None
    customer_id: int | None
    url: str | None


class DayOut(Schema):
    counts: dict[str, int]
    overdue: int
    total: int
    items: list[EntryOut]


@router.get("", response=DayOut)
def worklist(request: HttpRequest, kind: str = "") -> dict[str, object]:
    """What the caller has to do, most urgent first (at most 100): follow-ups, care calls,
    confirmations, callbacks, approvals… and their overdue complaints; counts per kind."""
    day = services.day_of(user=actor(request), kind=kind)
    items = [{**entry.__dict__, "url": link_of(entry)} for entry in day.entries]
    return {"counts": day.counts, "overdue": day.overdue, "total": day.total, "items": items}
