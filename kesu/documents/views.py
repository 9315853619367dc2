"""Pages: the documents panel on the complaint page (PDF links, the written-answer form, htmx),
the PDFs for a logged-in user, and the dealer's letter template. Thin: parse, call, render."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, Forbidden
from kesu.core.pdf import pdf_response
from kesu.organizations.permissions import actor, page
from kesu.sla.choices import ClockKind
from kesu.sla.models import Clock
from kesu.web.forms import apply_errors

from . import services
from .choices import PLACEHOLDERS, AnswerChannel
from .forms import AnswerForm, TemplateForm
from .models import WrittenAnswer


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _decision_due(complaint: Complaint) -> Clock | None:
    return (
        Clock.objects.filter(complaint=complaint, kind=ClockKind.DECISION, stopped_at__isnull=True)
        .order_by("-cycle")
        .first()
    )


def _panel_context(
    request: HttpRequest, complaint: Complaint, form: AnswerForm | None = None, **extra: Any
) -> dict[str, Any]:
    user = actor(request)
    allowed = services.can_send(user)
    letter = services.draft_letter(actor=user, complaint=complaint)
    if form is None:
        form = AnswerForm(initial={"channel": AnswerChannel.PRINTED, "text": letter.text})
    return {
        "c": complaint,
        "can_send": allowed,
        "form": form,
        "missing": letter.missing,
        "answers": WrittenAnswer.objects.filter(complaint=complaint).select_related("sent_by")[:20],
        "decision_clock": _decision_due(complaint),
        "can_edit_template": services.can_edit_template(user, complaint.dealer_id),
        **extra,
    }


@page()
def panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the documents card of the complaint page."""
    complaint = get_complaint(actor=actor(request), complaint_id=complaint_id)
    return render(request, "documents/_panel.html", _panel_context(request, complaint))


@require_POST
@page()
def send(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = actor(request)
    complaint = get_complaint(actor=user, complaint_id=complaint_id)
    if not services.can_send(user):
        raise Forbidden(_("Your role cannot send the written answer."))
    form = AnswerForm(request.POST)
    error: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            flows.send_written_answer(
                actor=user,
                complaint_id=complaint.pk,
                channel=data["channel"],
                text=data["text"],
                email=data["email"],
                address=data["address"],
                override_reason=data["override_reason"] or None,
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            error = exc
            apply_errors(form, exc)
        else:
            messages.success(request, _("Written answer recorded as sent to the customer."))
            target = reverse("complaints:complaint", args=[complaint.pk]) + "#documents"
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    context = _panel_context(request, complaint, form, error=error, open_form=True)
    if _is_htmx(request):  # htmx swaps only 2xx answers: the form comes back with its errors
        return render(request, "documents/_panel.html", context)
    status = error.status if error is not None else 422
    return render(request, "documents/panel_page.html", context, status=status)


@page()
def registration_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    content = services.registration_pdf(actor=actor(request), complaint_id=complaint_id)
    return pdf_response(content, f"registration-{complaint_id}.pdf")


@page()
def letter_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    raw = request.GET.get("answer", "")
    answer_id = int(raw) if raw.isdigit() else None
    content = services.letter_pdf(actor=actor(request), complaint_id=complaint_id, answer_id=answer_id)
    return pdf_response(content, f"letter-{complaint_id}.pdf")


@page()
def letter_template(request: HttpRequest) -> HttpResponse:
    """The dealer's 书面答复 template (managers edit it; the guard checks its words)."""
    user = actor(request)
    raw = request.GET.get("organization_id") or request.POST.get("organization_id") or ""
    dealer_id = services.editable_template_dealer(user, int(raw) if raw.isdigit() else None)
    template = services.template_for(dealer_id)
    form = TemplateForm(request.POST or None, initial={"title": template.title, "body": template.body})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                flows.save_letter_template(
                    actor=user,
                    organization_id=dealer_id,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Letter template saved."))
                return redirect(f"{reverse('documents:letter_template')}?organization_id={dealer_id}")
        status = 422
    return render(
        request,
        "documents/letter_template.html",
        {
            "form": form,
            "dealer_id": dealer_id,
            "is_default": template.pk is None,
            "placeholders": [f"{{{name}}}" for name in PLACEHOLDERS],
        },
        status=status,
    )
