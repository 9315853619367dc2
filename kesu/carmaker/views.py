"""Pages: the carmaker card on the complaint page (instructions, help requests, PR on a crisis,
the incident report), and the help requests between dealers (both sides). Thin: parse, call,
render; a refused input comes back on the card naming the field."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, NotFound
from kesu.core.pdf import pdf_response
from kesu.organizations.permissions import actor, page
from kesu.organizations.scope import user_dealer_id

from . import services
from .choices import HelpKind, StatementState, Tone, Urgency
from .models import Statement


def _when(value: str | None) -> datetime | None:
    """A datetime-local input (local time), or None when empty or unreadable."""
    parsed = parse_datetime((value or "").strip())
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _refused(request: HttpRequest, error: DomainError) -> None:
    fields = "; ".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(
        request, f"{error.message} {fields}".strip() if fields and fields != error.message else error.message
    )


def _back(complaint_id: int) -> HttpResponse:
    return redirect(reverse("complaints:complaint", args=[complaint_id]) + "#carmaker")


def panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    user = actor(request)
    statements = services.statements_of(actor=user, complaint_id=complaint.pk)
    own_dealer = user_dealer_id(user) == complaint.dealer_id
    return {
        "c": complaint,
        "instructions": services.instructions_of(actor=user, complaint_id=complaint.pk),
        "can_instruct": services.can_instruct(user)
        and complaint.escalated_at is not None
        and complaint.is_open,
        "is_dealer": own_dealer or user.is_kesu_admin,
        "help_requests": services.help_requests_of(actor=user, complaint_id=complaint.pk),
        "can_ask_help": (own_dealer or user.is_kesu_admin) and complaint.is_open,
        "dealers": services.dealers_to_ask(complaint) if own_dealer or user.is_kesu_admin else [],
        "help_kinds": HelpKind.choices,
        "urgencies": Urgency.choices,
        "is_crisis": complaint.severity == "crisis",
        "takeover": services.takeover_of(complaint.pk),
        "is_pr": services.is_pr(user),
        "media": services.media_of(actor=user, complaint_id=complaint.pk),
        "tones": Tone.choices,
        "statements": statements,
        "decidable": {
            s.pk
            for s in statements
            if s.state == StatementState.DRAFT and services.may_decide_statement(user, s)
        },
        "report": services.incident_report_of(complaint.pk),
        "can_report": services.may_write_report(user),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


@page()
def panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the carmaker card of the complaint page."""
    complaint = get_complaint(actor=actor(request), complaint_id=complaint_id)
    return render(request, "carmaker/_panel.html", panel_context(request, complaint))


@require_POST
@page()
def instruct(request: HttpRequest, complaint_id: int) -> HttpResponse:
    get_complaint(actor=actor(request), complaint_id=complaint_id)  # 404 before anything else
    try:
        services.give_instruction(
            actor=actor(request),
            complaint_id=complaint_id,
            text=request.POST.get("text", ""),
            due_at=_when(request.POST.get("due_at")),
        )
        messages.success(request, _("Instruction sent to the dealer."))
    except NotFound:
        raise
    except DomainError as error:
        _refused(request, error)
    return _back(complaint_id)


@require_POST
@page()
def instruction_answer(request: HttpRequest, instruction_id: int) -> HttpResponse:
    user = actor(request)
    try:
        if request.POST.get("acknowledge"):
            instruction = services.acknowledge_instruction(actor=user, instruction_id=instruction_id)
        else:
            instruction = services.answer_instruction(
                actor=user, instruction_id=instruction_id, answer=request.POST.get("answer", "")
            )
        return _back(instruction.complaint_id)
    except NotFound:
        raise
    except DomainError as error:
        _refused(request, error)
        complaint_id = _int(request.POST.get("complaint_id"))
        return _back(complaint_id) if complaint_id else redirect("/")


@require_POST
@page()
def ask_help(request: HttpRequest, complaint_id: int) -> HttpResponse:
    get_complaint(actor=actor(request), complaint_id=complaint_id)
    data = services.HelpInput(
        to_dealer_id=_int(request.POST.get("to_dealer_id")),
        kind=request.POST.get("kind", ""),
        what=request.POST.get("what", ""),
        part_number=request.POST.get("part_number", ""),
        quantity=_int(request.POST.get("quantity")),
        needed_by=_when(request.POST.get("needed_by")),
        urgency=request.POST.get("urgency", Urgency.NORMAL),
    )
    try:
        services.ask_for_help(actor=actor(request), complaint_id=complaint_id, data=data)
        messages.success(request, _("Help request sent."))
    except NotFound:
        raise
    except DomainError as error:
        _refused(request, error)
    return _back(complaint_id)


@page()
def help_requests(request: HttpRequest) -> HttpResponse:
    """Both sides: the requests asked of the caller's dealer (to answer) and the ones it asked."""
    user = actor(request)
    rows = services.help_requests_for(actor=user)
    own = user_dealer_id(user)
    incoming = [r for r in rows if own is None or r.to_dealer_id == own]
    outgoing = [r for r in rows if own is not None and r.from_dealer_id == own]
    return render(
        request,
        "carmaker/help_requests.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "answerable": {r.pk for r in rows if services.may_answer_help(user, r)},
            "closable": {r.pk for r in rows if services.may_close_help(user, r)},
        },
    )


@require_POST
@page()
def help_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        services.answer_help(
            actor=actor(request),
            request_id=request_id,
            decision=request.POST.get("decision", ""),
            reply=request.POST.get("reply", ""),
        )
        messages.success(request, _("Answer recorded."))
    except NotFound:
        raise
    except DomainError as error:
        _refused(request, error)
    return redirect("carmaker:help_requests")


def _crisis_post(request: HttpRequest, complaint_id: int, call: Any, done: str) -> HttpResponse:
    get_complaint(actor=actor(request), complaint_id=complaint_id)
    try:
        call()
        messages.success(request, done)
    except NotFound:
        raise
    except DomainError as error:
        _refused(request, error)
    return _back(complaint_id)


@require_POST
@page()
def take_over(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _crisis_post(
        request,
        complaint_id,
        lambda: services.take_over(
            actor=actor(request), complaint_id=complaint_id, note=request.POST.get("note", "")
        ),
        _("PR is now in charge."),
    )


@require_POST
@page()
def log_media(request: HttpRequest, complaint_id: int) -> HttpResponse:
    data = services.MediaInput(
        outlet=request.POST.get("outlet", ""),
        url=request.POST.get("url", ""),
        published_at=_when(request.POST.get("published_at")),
        reach=_int(request.POST.get("reach")),
        tone=request.POST.get("tone", ""),
        note=request.POST.get("note", ""),
    )
    return _crisis_post(
        request,
        complaint_id,
        lambda: services.log_media(actor=actor(request), complaint_id=complaint_id, data=data),
        _("Media report logged."),
    )


@require_POST
@page()
def draft_statement(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _crisis_post(
        request,
        complaint_id,
        lambda: flows.carmaker.draft_statement(
            actor=actor(request), complaint_id=complaint_id, text=request.POST.get("text", "")
        ),
        _("Statement drafted: another PR lead approves it."),
    )


@require_POST
@page()
def decide_statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = Statement.objects.filter(
        pk=statement_id, complaint__in=Complaint.objects.visible_to(actor(request))
    ).first()
    if statement is None:
        raise NotFound(_("No such statement."))
    return _crisis_post(
        request,
        statement.complaint_id,
        lambda: flows.carmaker.decide_statement(
            actor=actor(request),
            statement_id=statement_id,
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""),
        ),
        _("Decision recorded."),
    )


@require_POST
@page()
def incident_report(request: HttpRequest, complaint_id: int) -> HttpResponse:
    data = services.ReportInput(
        occurred_at=_when(request.POST.get("occurred_at")),
        location=request.POST.get("location", ""),
        injuries=request.POST.get("injuries", ""),
        damage=request.POST.get("damage", ""),
        actions_taken=request.POST.get("actions_taken", ""),
        next_steps=request.POST.get("next_steps", ""),
    )
    return _crisis_post(
        request,
        complaint_id,
        lambda: services.save_incident_report(actor=actor(request), complaint_id=complaint_id, data=data),
        _("Incident report saved."),
    )


@page()
def incident_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    content = services.incident_pdf(actor=actor(request), complaint_id=complaint_id)
    return pdf_response(content, f"incident-report-{complaint_id}.pdf")
