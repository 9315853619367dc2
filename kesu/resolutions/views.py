"""Pages of resolutions. Thin: parse, call, render. Each part keeps its views in its own section."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints import workflow
from kesu.complaints.choices import OPEN_STATES, Category, Status
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, InvalidInput
from kesu.core.pdf import pdf_response
from kesu.insights.choices import FaultArea
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.web.forms import apply_errors

from .choices import (
    ANSWERABLE_OPTION_STATES,
    CauseDimension,
    FindingsBasis,
    NoticeKind,
    NoticeState,
    OptionState,
    Remedy,
    ResponsibleKind,
    SheetState,
)
from .option_forms import AnswerForm, OptionForm, ProposeForm
from .services import accountability, routing
from .services import agreements as agreement_services
from .services import options as option_services
from .services import sheets as sheet_services

# --- countermeasure options, the customer's answer, the 处理协议 (R2) -------------------------------

EMPTY_LINES = 3  # blank remedy rows the add-option form offers


def _may(user: User, action: str) -> bool:
    return workflow.role_may(workflow.BY_ACTION[action], user.role, is_admin=user.is_kesu_admin)


def _line_rows(request: HttpRequest | None, errors: dict[str, str]) -> list[dict[str, str]]:
    """The remedy rows as typed (or blank ones), each with its errors."""
    rows: list[dict[str, str]] = []
    if request is not None and request.method == "POST":
        for remedy, amount, note in _posted(request):
            rows.append({"remedy": remedy, "amount": amount, "note": note})
    while len(rows) < EMPTY_LINES:
        rows.append({"remedy": "", "amount": "", "note": ""})
    for index, row in enumerate(rows):
        row["error"] = "；".join(
            message for name, message in errors.items() if name.startswith(f"lines.{index}.")
        )
    return rows


def _posted(request: HttpRequest) -> list[tuple[str, str, str]]:
    post = request.POST
    return list(zip(post.getlist("remedy"), post.getlist("amount"), post.getlist("note"), strict=False))


def _posted_lines(request: HttpRequest) -> list[option_services.LineInput]:
    lines = []
    for remedy, amount, note in _posted(request):
        if remedy or amount.strip() or note.strip():
            lines.append(option_services.LineInput(remedy=remedy, amount=amount, note=note))
    return lines


def _panel_context(
    request: HttpRequest,
    complaint: Complaint,
    *,
    option_form: OptionForm | None = None,
    propose_form: ProposeForm | None = None,
    answer_form: AnswerForm | None = None,
    error: DomainError | None = None,
    form_option_id: int | None = None,
    open_form: str = "",
) -> dict[str, Any]:
    user = actor(request)
    options = list(complaint.options.prefetch_related("lines", "answers"))
    errors = error.fields if error is not None else {}
    return {
        "c": complaint,
        "options": [
            {
                "o": option,
                "label": option_services.label(option),
                "total": option_services.yuan(option.total),
                "lines": [(line, option_services.yuan(line.amount)) for line in option.lines.all()],
            }
            for option in options
        ],
        "can_edit": complaint.status in OPEN_STATES and has_capability(user, Capability.EDIT_COMPLAINT),
        "can_propose": _may(user, "propose_plan") and complaint.status == Status.INVESTIGATING,
        "can_answer": _may(user, "customer_agrees"),
        "proposable": (OptionState.DRAFT, OptionState.APPROVED),
        "answerable": tuple(ANSWERABLE_OPTION_STATES),
        "chosen": (OptionState.PROPOSED, OptionState.ASKED_FOR_TIME, OptionState.AGREED),
        "remedies": Remedy.choices,
        "option_form": option_form or OptionForm(),
        "line_rows": _line_rows(request if open_form == "new" else None, errors),
        "propose_form": propose_form or ProposeForm(),
        "blank_propose_form": ProposeForm(),
        "answer_form": answer_form,
        "blank_answer_form": AnswerForm(initial={"customer_name": complaint.customer.name}),
        "error": error,
        "form_option_id": form_option_id,
        "open_form": open_form,
    }


def _back(complaint_id: int) -> str:
    return reverse("complaints:complaint", args=[complaint_id]) + "#options"


def _again(request: HttpRequest, complaint_id: int, error: DomainError, **forms: Any) -> HttpResponse:
    """The card again with the errors, on a page of its own (the complaint page links back)."""
    complaint = get_complaint(actor=actor(request), complaint_id=complaint_id)
    context = _panel_context(request, complaint, error=error, **forms)
    return render(request, "resolutions/options_page.html", context, status=error.status)


@page()
def options_panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the options card of the complaint page (steps 2 and 3)."""
    complaint = get_complaint(actor=actor(request), complaint_id=complaint_id)
    return render(request, "resolutions/_options.html", _panel_context(request, complaint))


@require_POST
@page()
def option_create(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = actor(request)
    get_complaint(actor=user, complaint_id=complaint_id)  # 404 before anything else
    form = OptionForm(request.POST)
    if not form.is_valid():
        error = DomainError(_("Check the fields marked."))
        error.status = 422
        return _again(request, complaint_id, error, option_form=form, open_form="new")
    data = form.cleaned_data
    try:
        option = flows.resolutions.save_option(
            actor=user,
            complaint_id=complaint_id,
            data=option_services.OptionInput(
                lines=_posted_lines(request),
                schedule=data["schedule"],
                title=data["title"],
                done_by=data["done_by"],
                pros=data["pros"],
                cons=data["cons"],
            ),
            override_reason=data["override_reason"] or None,
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        apply_errors(form, exc)
        return _again(request, complaint_id, exc, option_form=form, open_form="new")
    messages.success(request, _("%(option)s saved as a draft.") % {"option": option_services.label(option)})
    return redirect(_back(complaint_id))


@require_POST
@page()
def option_propose(request: HttpRequest, complaint_id: int, option_id: int) -> HttpResponse:
    user = actor(request)
    form = ProposeForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        proposal = flows.resolutions.propose_option(
            actor=user,
            complaint_id=complaint_id,
            option_id=option_id,
            root_cause=data.get("root_cause") or None,
            note=data.get("note", ""),
            override_reason=data.get("override_reason") or None,
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        apply_errors(form, exc)
        return _again(
            request, complaint_id, exc, propose_form=form, form_option_id=option_id, open_form="propose"
        )
    label = option_services.label(proposal.option)
    if proposal.waits_for_approval:
        messages.info(
            request,
            _("%(option)s is beyond your authority: it waits for approval before it is proposed.")
            % {"option": label},
        )
    else:
        messages.success(request, _("%(option)s proposed to the customer.") % {"option": label})
    return redirect(_back(complaint_id))


@require_POST
@page()
def option_answer(request: HttpRequest, complaint_id: int, option_id: int) -> HttpResponse:
    user = actor(request)
    get_complaint(actor=user, complaint_id=complaint_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        error = DomainError(_("Check the fields marked."))
        error.status = 422
        return _again(
            request, complaint_id, error, answer_form=form, form_option_id=option_id, open_form="answer"
        )
    data = form.cleaned_data
    try:
        flows.resolutions.record_answer(
            actor=user,
            complaint_id=complaint_id,
            option_id=option_id,
            data=option_services.AnswerInput(
                answer=data["answer"],
                customer_name=data["customer_name"],
                method=data["method"],
                signature=data["signature"],
                call_note=data["call_note"],
                sms_text=data["sms_text"],
                reason=data["reason"],
                until=data["until"],
            ),
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        apply_errors(form, exc)
        return _again(
            request, complaint_id, exc, answer_form=form, form_option_id=option_id, open_form="answer"
        )
    messages.success(request, _("The customer's answer is recorded."))
    return redirect(_back(complaint_id))


@page()
def agreement_pdf(request: HttpRequest, complaint_id: int, option_id: int) -> HttpResponse:
    content = agreement_services.agreement_pdf(
        actor=actor(request), complaint_id=complaint_id, option_id=option_id
    )
    return pdf_response(content, f"agreement-{complaint_id}-{option_id}.pdf")


# --- routing rules, contact sheets (联络单), the GM's findings, accountability (R1) ---------------


def _r1_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _r1_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _r1_back(complaint_id: int) -> str:
    return reverse("complaints:complaint", args=[complaint_id]) + "#investigation"


def _r1_panel_context(
    request: HttpRequest,
    complaint_id: int,
    *,
    error: DomainError | None = None,
    form: str = "",
    sheet_id: int = 0,
) -> dict[str, Any]:
    user = actor(request)
    complaint, found, decision = sheet_services.sheets_of(actor=user, complaint_id=complaint_id)
    responsibility = accountability.responsibility_of(actor=user, complaint_id=complaint.pk)
    answered = [sheet for sheet in found if sheet.state == SheetState.ANSWERED]
    return {
        "c": complaint,
        "sheets": found,
        "decision": decision,
        "answered": answered,
        "responsibility": responsibility,
        "notices": list(accountability.notices(actor=user, complaint_id=complaint.pk)),
        "departments": routing.departments(complaint.dealer_id),
        "people": list(
            User.objects.filter(is_active=True)
            .filter(Q(organization_id=complaint.dealer_id) | Q(organization__parent_id=complaint.dealer_id))
            .order_by("display_name", "username")
        ),
        "may_send": sheet_services.may_send(user, complaint) and complaint.is_open,
        "answerable": {
            sheet.pk for sheet in found if sheet.is_open and sheet_services.may_answer(user, sheet)
        },
        "may_decide": sheet_services.may_decide(user, complaint) and decision is None and bool(answered),
        "may_find": accountability.may_find_responsibility(user, complaint) and responsibility is None,
        "may_propose": accountability.may_propose(user, complaint),
        "dimensions": CauseDimension.choices,
        "bases": FindingsBasis.choices,
        "responsible_kinds": ResponsibleKind.choices,
        "notice_kinds": NoticeKind.choices,
        "error": error,
        "errors": error.fields if error is not None else {},
        "form": form,
        "form_sheet_id": sheet_id,
        "post": request.POST if error is not None else {},
    }


def _r1_done(request: HttpRequest, complaint_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    target = _r1_back(complaint_id)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _r1_again(
    request: HttpRequest, complaint_id: int, exc: DomainError, form: str, sheet_id: int = 0
) -> HttpResponse:
    if exc.status in (403, 404):
        raise exc
    context = _r1_panel_context(request, complaint_id, error=exc, form=form, sheet_id=sheet_id)
    if request.headers.get("HX-Request") == "true":  # htmx swaps only 2xx answers
        return render(request, "resolutions/_investigation.html", context)
    return render(request, "resolutions/investigation_page.html", context, status=exc.status)


@page()
def investigation_panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the contact sheets, the GM's findings decision and accountability of a complaint."""
    return render(request, "resolutions/_investigation.html", _r1_panel_context(request, complaint_id))


@require_POST
@page()
def sheet_send(request: HttpRequest, complaint_id: int) -> HttpResponse:
    raw_due = request.POST.get("due_date", "")
    try:
        due_date = _r1_date(raw_due)
        if raw_due and due_date is None:
            raise InvalidInput(
                _("Give a date such as 2026-05-01."),
                fields={"due_date": _("Give a date such as 2026-05-01.")},
            )
        flows.contact_sheets.send(
            actor=actor(request),
            complaint_id=complaint_id,
            department_ids=[int(v) for v in request.POST.getlist("department_ids") if v.isdigit()],
            question=request.POST.get("question", ""),
            due_date=due_date,
        )
    except DomainError as exc:
        return _r1_again(request, complaint_id, exc, "send")
    return _r1_done(request, complaint_id, _("Contact sheet sent."))


def _r1_sheet_complaint(request: HttpRequest, sheet_id: int) -> int:
    return sheet_services.get_sheet(actor=actor(request), sheet_id=sheet_id).complaint_id


@require_POST
@page()
def sheet_answer(request: HttpRequest, sheet_id: int) -> HttpResponse:
    complaint_id = _r1_sheet_complaint(request, sheet_id)
    raw = request.POST.get("in_house", "")
    answer = sheet_services.Answer(
        facts=request.POST.get("facts", ""),
        root_cause=request.POST.get("root_cause", ""),
        dimension=request.POST.get("dimension", ""),
        in_house=True if raw == "yes" else False if raw == "no" else None,
        supplier=request.POST.get("supplier", ""),
    )
    try:
        sheet_services.answer_sheet(actor=actor(request), sheet_id=sheet_id, answer=answer)
    except DomainError as exc:
        return _r1_again(request, complaint_id, exc, "answer", sheet_id)
    return _r1_done(request, complaint_id, _("Contact sheet answered."))


@require_POST
@page()
def sheet_rework(request: HttpRequest, sheet_id: int) -> HttpResponse:
    complaint_id = _r1_sheet_complaint(request, sheet_id)
    try:
        flows.contact_sheets.rework(
            actor=actor(request),
            sheet_id=sheet_id,
            reason=request.POST.get("reason", ""),
            due_date=_r1_date(request.POST.get("due_date", "")),
        )
    except DomainError as exc:
        return _r1_again(request, complaint_id, exc, "rework", sheet_id)
    return _r1_done(request, complaint_id, _("Contact sheet sent back for rework."))


@require_POST
@page()
def findings_decide(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        sheet_services.decide_findings(
            actor=actor(request),
            complaint_id=complaint_id,
            sheet_id=_r1_int(request.POST.get("sheet_id")),
            basis=request.POST.get("basis", ""),
            reason=request.POST.get("reason", ""),
            supplier=request.POST.get("supplier", ""),
        )
    except DomainError as exc:
        return _r1_again(request, complaint_id, exc, "decide")
    return _r1_done(request, complaint_id, _("The decision on the findings is recorded."))


@require_POST
@page()
def responsibility_record(request: HttpRequest, complaint_id: int) -> HttpResponse:
    finding = accountability.Finding(
        kind=request.POST.get("kind", ""),
        reason=request.POST.get("reason", ""),
        department_id=_r1_int(request.POST.get("department_id")),
        person_id=_r1_int(request.POST.get("person_id")),
        supplier=request.POST.get("supplier", ""),
    )
    try:
        accountability.record_responsibility(actor=actor(request), complaint_id=complaint_id, finding=finding)
    except DomainError as exc:
        return _r1_again(request, complaint_id, exc, "responsibility")
    return _r1_done(request, complaint_id, _("Responsibility recorded."))


@require_POST
@page()
def notice_propose(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        amount: Decimal | None = Decimal(request.POST.get("amount", "").strip())
    except InvalidOperation:
        amount = None
    data = accountability.NoticeInput(
        person_id=_r1_int(request.POST.get("person_id")),
        amount=amount,
        reason=request.POST.get("reason", ""),
        kind=request.POST.get("kind", NoticeKind.PENALTY),
    )
    try:
        accountability.propose_notice(actor=actor(request), complaint_id=complaint_id, data=data)
    except DomainError as exc:
        return _r1_again(request, complaint_id, exc, "notice")
    return _r1_done(request, complaint_id, _("Penalty notice proposed to the general manager."))


@page()
def notices_page(request: HttpRequest) -> HttpResponse:
    """The caller's penalty notices (a manager: the dealer's) and, for the managers, last
    month's serious complaints still awaiting an accountability decision."""
    user = actor(request)
    month = _r1_date((request.GET.get("month") or "") + "-01") if request.GET.get("month") else None
    pending = None
    if accountability.may_review(user):
        first, found = accountability.awaiting_decision(actor=user, month=month)
        pending = {"month": first, "complaints": found}
    notices = list(accountability.notices(actor=user)[:200])
    for notice in notices:
        notice.may_decide = (  # type: ignore[attr-defined]
            notice.state == NoticeState.PROPOSED
            and accountability.may_approve(user, notice)
            and user.pk not in (notice.person_id, notice.proposed_by_id)
        )
        notice.may_acknowledge = notice.state == NoticeState.APPROVED and notice.person_id == user.pk  # type: ignore[attr-defined]
    return render(request, "resolutions/notices.html", {"notices": notices, "pending": pending})


@require_POST
@page()
def notice_decide(request: HttpRequest, notice_id: int) -> HttpResponse:
    accountability.decide_notice(
        actor=actor(request),
        notice_id=notice_id,
        decision=request.POST.get("decision", ""),
        comment=request.POST.get("comment", ""),
    )
    messages.success(request, _("Decision recorded."))
    return redirect(reverse("resolutions:notices"))


@require_POST
@page()
def notice_acknowledge(request: HttpRequest, notice_id: int) -> HttpResponse:
    accountability.acknowledge_notice(actor=actor(request), notice_id=notice_id)
    messages.success(request, _("Acknowledged."))
    return redirect(reverse("resolutions:notices"))


@page()
def routing_rules(request: HttpRequest, dealer_id: int) -> HttpResponse:
    """A dealer's routing rules: read by its people, edited by its service manager or GM."""
    user = actor(request)
    rules = routing.rules_of(actor=user, dealer_id=dealer_id)  # 404 out of scope
    error: DomainError | None = None
    rows: list[dict[str, Any]] = [
        {"category": r.category, "fault_area": r.fault_area, "department_id": r.department_id} for r in rules
    ]
    if request.method == "POST":
        posted = zip(
            request.POST.getlist("category"),
            request.POST.getlist("fault_area"),
            request.POST.getlist("department_id"),
            strict=False,
        )
        rows = [
            {"category": c, "fault_area": f, "department_id": _r1_int(d)} for c, f, d in posted if c or f or d
        ]
        try:
            routing.set_rules(
                actor=user,
                dealer_id=dealer_id,
                rules=[
                    routing.RoutingInput(
                        category=row["category"],
                        fault_area=row["fault_area"],
                        department_id=row["department_id"] or 0,
                    )
                    for row in rows
                ],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            error = exc
        else:
            messages.success(request, _("Routing rules saved."))
            return redirect(reverse("resolutions:routing", args=[dealer_id]))
    return render(
        request,
        "resolutions/routing.html",
        {
            "dealer_id": dealer_id,
            "rows": [*rows, {"category": "", "fault_area": "", "department_id": None}],
            "may_edit": routing.may_keep_rules(user, dealer_id),
            "categories": Category.choices,
            "fault_areas": FaultArea.choices,
            "departments": routing.departments(dealer_id),
            "error": error,
            "errors": error.fields if error is not None else {},
        },
        status=error.status if error is not None else 200,
    )
