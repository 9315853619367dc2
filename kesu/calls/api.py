"""The call log and the call audit over the API (mounted at ``/api/v1``): ``/calls`` and
``/call-audits``. Numbers are shown masked (138****1234); every call is in its dealer's scope."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.core.errors import invalid
from kesu.core.schemas import PageNumber, schema_of, to_dataclass
from kesu.organizations.permissions import actor

from . import selectors, services
from .models import Call, CallAudit

router = Router(tags=["calls"])

if TYPE_CHECKING:  # mypy reads the dataclasses themselves (see kesu.core.schemas)
    CallIn: TypeAlias = services.CallInput
    ConversionIn: TypeAlias = flows.calls.ConversionInput
    ScoreIn: TypeAlias = services.AuditScore
else:
    CallIn = schema_of(services.CallInput, name="CallIn")
    ConversionIn = schema_of(flows.calls.ConversionInput, name="CallConversionIn")
    ScoreIn = schema_of(services.AuditScore, name="CallAuditScoreIn")


class CallOut(Schema):
    id: int
    dealer_id: int
    at: datetime
    direction: str
    number_masked: str
    customer_id: int | None
    caller_name: str
    plate: str
    purpose: str
    customer_said: str
    reply: str
    override_reason: str
    duration_seconds: int
    taken_by_id: int
    for_user_id: int | None
    callback_for_id: int | None
    complaint_id: int | None
    converted_at: datetime | None
    followup_id: int | None


class CallPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CallOut]


class CallQuery(Schema):
    date_from: date | None = None
    date_to: date | None = None
    purpose: str = ""
    direction: str = ""
    agent_id: int | None = None
    customer_id: int | None = None
    number: str = ""  # the whole number or its last four digits
    complaint_id: int | None = None
    followup_id: int | None = None
    page: PageNumber = 1
    page_size: int = 50


class ConversionOut(Schema):
    complaint_id: int
    complaint_number: str
    call: CallOut


class SampleIn(Schema):
    date_from: date
    date_to: date
    per_agent: int = 5
    agent_id: int | None = None
    dealer_id: int | None = None


class AuditOut(Schema):
    id: int
    call_id: int
    dealer_id: int
    agent_id: int
    call_at: datetime
    sampled_by_id: int
    sampled_at: datetime
    scored_by_id: int | None
    scored_at: datetime | None
    greeting: int | None
    identity: int | None
    script_followed: int | None
    satisfaction_asked: int | None
    closing_courtesy: int | None
    total: int | None  # of 10
    comment: str


class AgentScoreOut(Schema):
    agent_id: int
    agent: str
    sampled: int
    scored: int
    average: float | None
    percent: float | None
    items: dict[str, float | None]


class ScoresOut(Schema):
    month: str
    agents: list[AgentScoreOut]


class ScoresQuery(Schema):
    month: str = ""
    dealer_id: int | None = None


def filters_of(query: CallQuery) -> selectors.CallFilters:
    return selectors.checked_filters(
        date_from=query.date_from,
        date_to=query.date_to,
        purpose=query.purpose,
        direction=query.direction,
        agent_id=query.agent_id,
        customer_id=query.customer_id,
        number=query.number,
        complaint_id=query.complaint_id,
        followup_id=query.followup_id,
    )


@router.post("/calls", response={201: CallOut})
def log_call(request: HttpRequest, payload: CallIn) -> Reply:
    """Log a call. The reply passes the language guard (422 ``forbidden_phrase`` naming
    ``reply``, with ``hits``) unless ``override_reason`` is given (logged)."""
    call = flows.calls.log_call(actor=actor(request), data=to_dataclass(services.CallInput, payload))
    return Reply(201, call)


@router.get("/calls", response=CallPage)
def list_calls(request: HttpRequest, query: Query[CallQuery]) -> dict[str, Any]:
    if not 1 <= query.page_size <= 200:
        raise invalid("page_size", _("Between 1 and 200."))
    if query.page < 1:
        raise invalid("page", _("Pages start at 1."))
    calls = selectors.calls_for(actor=actor(request), filters=filters_of(query))
    start = (query.page - 1) * query.page_size
    return {
        "count": calls.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": list(calls[start : start + query.page_size]),
    }


@router.get("/calls/{call_id}", response=CallOut)
def get_call(request: HttpRequest, call_id: int) -> Call:
    return selectors.get_call(actor=actor(request), call_id=call_id)


@router.post("/calls/{call_id}/to-complaint", response={201: ConversionOut})
def to_complaint(request: HttpRequest, call_id: int, payload: ConversionIn | None = None) -> Reply:
    """The call becomes a complaint (channel phone, the caller's words as the verbatim); 409
    ``already_converted`` the second time; a call not logged as 抱怨 needs ``confirm: true``."""
    data = (
        to_dataclass(flows.calls.ConversionInput, payload)
        if payload is not None
        else flows.calls.ConversionInput()
    )
    user = actor(request)
    complaint = flows.calls.call_to_complaint(actor=user, call_id=call_id, data=data)
    call = selectors.get_call(actor=user, call_id=call_id)
    return Reply(201, {"complaint_id": complaint.pk, "complaint_number": complaint.number, "call": call})


@router.post("/call-audits/sample", response={201: list[AuditOut]})
def sample(request: HttpRequest, payload: SampleIn) -> Reply:
    """A random sample of ``per_agent`` completed calls of each agent in the period, to score."""
    audits = services.sample_calls(actor=actor(request), **payload.model_dump())
    return Reply(201, audits)


@router.get("/call-audits/scores", response=ScoresOut)
def scores(request: HttpRequest, query: Query[ScoresQuery]) -> dict[str, Any]:
    """Per agent for the monthly review: calls sampled and scored, average points of 10."""
    month = selectors.parse_month(query.month)
    rows = services.monthly_scores(actor=actor(request), month=month, dealer_id=query.dealer_id)
    return {"month": month.strftime("%Y-%m"), "agents": rows}


@router.get("/call-audits/{audit_id}", response=AuditOut)
def get_audit(request: HttpRequest, audit_id: int) -> CallAudit:
    user = actor(request)
    audit = selectors.get_audit(actor=user, audit_id=audit_id)
    services.may_audit(user)
    return audit


@router.post("/call-audits/{audit_id}/score", response=AuditOut)
def score(request: HttpRequest, audit_id: int, payload: ScoreIn) -> CallAudit:
    data = to_dataclass(services.AuditScore, payload)
    return services.score_audit(actor=actor(request), audit_id=audit_id, score=data)
