"""Documents API: the registration form and the written answer as PDF, sending the written answer
(under /api/v1/complaints/{id}/…), and the dealer's letter template (/api/v1/documents/…)."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.core.pdf import pdf_response
from kesu.organizations.permissions import actor

from . import services
from .choices import PLACEHOLDERS
from .models import LetterTemplate, WrittenAnswer

router = Router(tags=["documents"])  # mounted at /v1/complaints
template_router = Router(tags=["documents"])  # mounted at /v1/documents


@router.get("/{complaint_id}/registration.pdf", response={200: None})
def registration_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """客户抱怨登记表 (application/pdf); 404 outside the caller's scope."""
    content = services.registration_pdf(actor=actor(request), complaint_id=complaint_id)
    return pdf_response(content, f"registration-{complaint_id}.pdf")


@router.get("/{complaint_id}/letter.pdf", response={200: None})
def letter_pdf(request: HttpRequest, complaint_id: int, answer: int | None = None) -> HttpResponse:
    """The written answer (书面答复): the draft from the dealer's template, or with ``answer=`` a
    written answer already sent."""
    content = services.letter_pdf(actor=actor(request), complaint_id=complaint_id, answer_id=answer)
    return pdf_response(content, f"letter-{complaint_id}.pdf")


class WrittenAnswerIn(Schema):
    channel: str
    text: str | None = None  # the letter as edited; default: the dealer's template, filled
    email: str = ""  # channel "email"
    address: str = ""  # channel "post"
    override_reason: str | None = None  # send despite a forbidden phrase (logged)


class WrittenAnswerOut(Schema):
    id: int
    complaint_id: int
    channel: str
    title: str
    text: str
    recipient: str
    delivery_id: int | None
    sent_by_id: int
    sent_by: str
    sent_at: datetime
    overridden: bool

    @staticmethod
    def resolve_sent_by(answer: WrittenAnswer) -> str:
        return str(answer.sent_by)

    @staticmethod
    def resolve_overridden(answer: WrittenAnswer) -> bool:
        return answer.override_id is not None


@router.post("/{complaint_id}/written-answer", response={201: WrittenAnswerOut})
def send_written_answer(request: HttpRequest, complaint_id: int, payload: WrittenAnswerIn) -> Reply:
    """Send the written answer (printed, sms, post, email): stops the 书面答复 clock."""
    answer = flows.send_written_answer(
        actor=actor(request), complaint_id=complaint_id, **payload.model_dump()
    )
    return Reply(201, answer)


@router.get("/{complaint_id}/written-answers", response=list[WrittenAnswerOut])
def written_answers(request: HttpRequest, complaint_id: int) -> list[WrittenAnswer]:
    return services.answers_of(actor=actor(request), complaint_id=complaint_id)


class LetterTemplateOut(Schema):
    organization_id: int
    title: str
    body: str
    placeholders: list[str]
    is_default: bool  # the dealer has not saved its own yet

    @staticmethod
    def resolve_placeholders(template: LetterTemplate) -> list[str]:
        return list(PLACEHOLDERS)

    @staticmethod
    def resolve_is_default(template: LetterTemplate) -> bool:
        return template.pk is None


class LetterTemplateIn(Schema):
    title: str
    body: str
    organization_id: int | None = None  # administrators name the dealer


@template_router.get("/letter-template", response=LetterTemplateOut)
def get_template(request: HttpRequest, organization_id: int | None = None) -> LetterTemplate:
    dealer_id = services.template_dealer_id(actor(request), organization_id)
    return services.template_for(dealer_id)


@template_router.put("/letter-template", response=LetterTemplateOut)
def put_template(request: HttpRequest, payload: LetterTemplateIn) -> LetterTemplate:
    """The dealer's service manager or general manager (or an administrator); 422 naming the
    field for unknown placeholders or a forbidden phrase."""
    return flows.save_letter_template(actor=actor(request), **payload.model_dump())
