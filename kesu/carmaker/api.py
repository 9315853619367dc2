"""The carmaker's endpoints (mounted at /api/v1): instructions, help between dealers, PR on a
crisis, the incident report (重大事故报告) as PDF."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.core.pdf import pdf_response
from kesu.organizations.permissions import actor
from kesu.organizations.scope import user_dealer_id

from . import services
from .models import HelpRequest, Instruction, MediaMention, PrTakeover, Statement

router = Router(tags=["carmaker"])


def _name(user: Any) -> str:
    return str(user) if user is not None else ""


# --- instructions --------------------------------------------------------------------------------


class InstructionIn(Schema):
    text: str
    due_at: datetime | None = None


class AnswerIn(Schema):
    answer: str = ""


class InstructionOut(Schema):
    id: int
    complaint_id: int
    text: str
    due_at: datetime
    state: str
    author: str
    created_at: datetime
    acknowledged_at: datetime | None
    answer: str
    answered_by: str
    answered_at: datetime | None

    @staticmethod
    def resolve_author(obj: Instruction) -> str:
        return _name(obj.author)

    @staticmethod
    def resolve_answered_by(obj: Instruction) -> str:
        return _name(obj.answered_by)


@router.get("/complaints/{complaint_id}/instructions", response=list[InstructionOut])
def instructions(request: HttpRequest, complaint_id: int) -> list[Instruction]:
    return services.instructions_of(actor=actor(request), complaint_id=complaint_id)


@router.post("/complaints/{complaint_id}/instructions", response={201: InstructionOut})
def give_instruction(request: HttpRequest, complaint_id: int, payload: InstructionIn) -> Reply:
    """The carmaker's people (region, CRC, PR, quality) instruct the dealer on an escalated
    complaint: 403 dealer roles, 409 ``not_escalated``, 422 ``text`` / ``due_at`` (in the future)."""
    instruction = services.give_instruction(
        actor=actor(request), complaint_id=complaint_id, **payload.model_dump()
    )
    return Reply(201, instruction)


@router.post("/instructions/{instruction_id}/acknowledge", response=InstructionOut)
def acknowledge_instruction(request: HttpRequest, instruction_id: int) -> Instruction:
    return services.acknowledge_instruction(actor=actor(request), instruction_id=instruction_id)


@router.post("/instructions/{instruction_id}/done", response=InstructionOut)
def instruction_done(request: HttpRequest, instruction_id: int, payload: AnswerIn) -> Instruction:
    """The dealer answers what it did (422 ``answer``; 409 when already answered)."""
    return services.answer_instruction(
        actor=actor(request), instruction_id=instruction_id, answer=payload.answer
    )


# --- help between dealers ------------------------------------------------------------------------


class HelpIn(Schema):
    to_dealer_id: int | None = None
    kind: str
    what: str = ""
    part_number: str = ""
    quantity: int | None = None
    needed_by: datetime | None = None
    urgency: str = "normal"


class HelpAnswerIn(Schema):
    decision: str
    reply: str = ""


class HelpOut(Schema):
    """What both dealers see. ``complaint_id`` only for the asking side: the asked dealer sees
    the vehicle model, the part and the urgency — never the customer's file."""

    id: int
    complaint_id: int | None
    from_dealer_id: int
    from_dealer: str
    to_dealer_id: int
    to_dealer: str
    kind: str
    what: str
    part_number: str
    quantity: int | None
    vehicle_model: str
    urgency: str
    needed_by: datetime
    status: str
    reply: str
    requested_by: str
    answered_by: str
    answered_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_complaint_id(obj: HelpRequest) -> int | None:
        return getattr(obj, "shown_complaint_id", None)

    @staticmethod
    def resolve_from_dealer(obj: HelpRequest) -> str:
        return obj.from_dealer.name

    @staticmethod
    def resolve_to_dealer(obj: HelpRequest) -> str:
        return obj.to_dealer.name

    @staticmethod
    def resolve_requested_by(obj: HelpRequest) -> str:
        return _name(obj.requested_by)

    @staticmethod
    def resolve_answered_by(obj: HelpRequest) -> str:
        return _name(obj.answered_by)


def _shown(request: HttpRequest, rows: list[HelpRequest]) -> list[HelpRequest]:
    """The complaint's id only for whoever may open the complaint (the asking dealer, or the
    region and the carmaker above it — they see its complaints by their own scope)."""
    user = actor(request)
    own = user_dealer_id(user)
    for row in rows:
        row.shown_complaint_id = row.complaint_id if own is None or own == row.from_dealer_id else None  # type: ignore[attr-defined]
    return rows


@router.get("/complaints/{complaint_id}/help-requests", response=list[HelpOut])
def complaint_help_requests(request: HttpRequest, complaint_id: int) -> list[HelpRequest]:
    return _shown(request, services.help_requests_of(actor=actor(request), complaint_id=complaint_id))


@router.post("/complaints/{complaint_id}/help-requests", response={201: HelpOut})
def ask_for_help(request: HttpRequest, complaint_id: int, payload: HelpIn) -> Reply:
    """Ask another dealer of the same carmaker for a part or a technician: 422 ``to_dealer_id``
    (the same dealer, another carmaker's), ``kind``, ``part_number``, ``quantity``, ``needed_by``."""
    help_request = services.ask_for_help(
        actor=actor(request), complaint_id=complaint_id, data=services.HelpInput(**payload.model_dump())
    )
    return Reply(201, _shown(request, [help_request])[0])


@router.get("/help-requests", response=list[HelpOut])
def help_requests(request: HttpRequest, direction: str = "") -> list[HelpRequest]:
    """The caller's dealer's requests: ``direction=incoming`` (asked of it), ``outgoing``, or both."""
    return _shown(request, services.help_requests_for(actor=actor(request), direction=direction))


@router.post("/help-requests/{request_id}/answer", response=HelpOut)
def answer_help(request: HttpRequest, request_id: int, payload: HelpAnswerIn) -> HelpRequest:
    """``decision``: accept or decline (the asked dealer; a refusal needs ``reply``), done (either
    dealer, once the help arrived)."""
    answered = services.answer_help(actor=actor(request), request_id=request_id, **payload.model_dump())
    return _shown(request, [answered])[0]


# --- PR on a crisis ------------------------------------------------------------------------------


class TakeoverIn(Schema):
    note: str = ""


class TakeoverOut(Schema):
    complaint_id: int
    taken_by: str
    taken_at: datetime
    note: str

    @staticmethod
    def resolve_taken_by(obj: PrTakeover) -> str:
        return _name(obj.taken_by)


@router.post("/complaints/{complaint_id}/pr/takeover", response={201: TakeoverOut})
def take_over(request: HttpRequest, complaint_id: int, payload: TakeoverIn) -> Reply:
    """PR takes charge of a crisis (403 other roles; 409 ``not_crisis``, ``already_taken_over``)."""
    return Reply(201, services.take_over(actor=actor(request), complaint_id=complaint_id, note=payload.note))


class MediaIn(Schema):
    outlet: str = ""
    url: str = ""
    published_at: datetime | None = None
    reach: int | None = None
    tone: str = ""
    note: str = ""


class MediaOut(Schema):
    id: int
    complaint_id: int
    outlet: str
    url: str
    published_at: datetime
    reach: int
    tone: str
    note: str
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_recorded_by(obj: MediaMention) -> str:
        return _name(obj.recorded_by)


@router.get("/complaints/{complaint_id}/media", response=list[MediaOut])
def media(request: HttpRequest, complaint_id: int) -> list[MediaMention]:
    return services.media_of(actor=actor(request), complaint_id=complaint_id)


@router.post("/complaints/{complaint_id}/media", response={201: MediaOut})
def log_media(request: HttpRequest, complaint_id: int, payload: MediaIn) -> Reply:
    """A media report (PR): 422 naming ``url`` (http/https), ``reach``, ``tone``, ``published_at``."""
    mention = services.log_media(
        actor=actor(request), complaint_id=complaint_id, data=services.MediaInput(**payload.model_dump())
    )
    return Reply(201, mention)


class StatementIn(Schema):
    text: str = ""


class StatementDecisionIn(Schema):
    decision: str
    comment: str = ""


class StatementOut(Schema):
    id: int
    complaint_id: int
    text: str
    state: str
    author: str
    created_at: datetime
    decided_by: str
    decided_at: datetime | None
    comment: str

    @staticmethod
    def resolve_author(obj: Statement) -> str:
        return _name(obj.author)

    @staticmethod
    def resolve_decided_by(obj: Statement) -> str:
        return _name(obj.decided_by)


@router.get("/complaints/{complaint_id}/statements", response=list[StatementOut])
def statements(request: HttpRequest, complaint_id: int) -> list[Statement]:
    return services.statements_of(actor=actor(request), complaint_id=complaint_id)


@router.post("/complaints/{complaint_id}/statements", response={201: StatementOut})
def draft_statement(request: HttpRequest, complaint_id: int, payload: StatementIn) -> Reply:
    """A statement drafted by PR (422 ``forbidden_phrase`` naming ``text``)."""
    statement = flows.carmaker.draft_statement(
        actor=actor(request), complaint_id=complaint_id, text=payload.text
    )
    return Reply(201, statement)


@router.post("/statements/{statement_id}/decide", response=StatementOut)
def decide_statement(request: HttpRequest, statement_id: int, payload: StatementDecisionIn) -> Statement:
    """approve | reject (with ``comment``) by another PR user: its author gets 403."""
    return flows.carmaker.decide_statement(
        actor=actor(request), statement_id=statement_id, **payload.model_dump()
    )


class ReportIn(Schema):
    occurred_at: datetime | None = None
    location: str = ""
    injuries: str = ""
    damage: str = ""
    actions_taken: str = ""
    next_steps: str = ""


class IncidentReportOut(Schema):
    complaint_id: int
    occurred_at: datetime
    location: str
    injuries: str
    damage: str
    actions_taken: str
    next_steps: str
    written_by: str
    written_at: datetime
    first_written_at: datetime
    same_day: bool

    @staticmethod
    def resolve_written_by(obj: Any) -> str:
        return _name(obj.written_by)

    @staticmethod
    def resolve_same_day(obj: Any) -> bool:
        return services.is_same_day(obj)


@router.post("/complaints/{complaint_id}/incident-report", response=IncidentReportOut)
def save_incident_report(request: HttpRequest, complaint_id: int, payload: ReportIn) -> Any:
    """Write or correct the incident report of a crisis (409 ``not_crisis``; 422 naming fields)."""
    return services.save_incident_report(
        actor=actor(request), complaint_id=complaint_id, data=services.ReportInput(**payload.model_dump())
    )


@router.get("/complaints/{complaint_id}/incident-report.pdf", response={200: None})
def incident_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """重大事故报告 (application/pdf) of a crisis; 409 ``not_crisis`` otherwise."""
    content = services.incident_pdf(actor=actor(request), complaint_id=complaint_id)
    return pdf_response(content, f"incident-report-{complaint_id}.pdf")
