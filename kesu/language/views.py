"""Pages: the reply composer on the complaint page (htmx), the phrase list, the reply library
and the override review. Thin: parse the request, call a service, render."""

from datetime import date
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
from kesu.core.errors import DomainError, InvalidInput
from kesu.organizations.models import Organization
from kesu.organizations.permissions import actor, page
from kesu.web.forms import apply_errors

from . import services
from .access import can_manage, can_propose, can_reply, list_owner_id, viewable_org_ids
from .choices import ObjectionContent, ObjectionNature, ReplyChannel, ReplyStatus, Situation
from .display import segments
from .forms import PhraseForm, TemplateForm
from .matcher import MAX_CHECK_CHARS, GuardResult
from .models import ForbiddenPhrase
from .services.library import placeholder_values

MAX_FORM_TEXT = 40_000  # more than can be checked; the service says so


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _org_for_page(request: HttpRequest) -> int | None:
    """The list a page shows: ?organization_id= (if visible) or the user's own."""
    return _int_or_none(request.GET.get("organization_id") or request.POST.get("organization_id"))


def _check_context(text: str, result: GuardResult | None, override_reason: str = "") -> dict[str, Any]:
    return {
        "result": result,
        "segments": segments(text, result) if result is not None else [],
        "override_reason": override_reason,
        "max_chars": MAX_CHECK_CHARS,
    }


# --- the reply composer ---------------------------------------------------------------------------


def _composer_context(
    request: HttpRequest, complaint: Complaint, *, values: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    user = actor(request)
    values = values or {}
    text = values.get("text", "")
    allowed = can_reply(user)
    templates = []
    org_id = list_owner_id(user) or complaint.dealer_id
    if allowed:
        templates = services.library(actor=user, organization_id=org_id)
    result = services.check_text(organization_id=org_id, text=text) if text else None
    return {
        "c": complaint,
        "can_reply": allowed,
        "templates": templates,
        "replies": services.list_replies(actor=user, complaint_id=complaint.pk)[:20],
        "channels": ReplyChannel.choices,
        "natures": ObjectionNature.choices,
        "contents": ObjectionContent.choices,
        "values": values,
        "text": text,
        "placeholders": placeholder_values(complaint=complaint, actor=user),
        **_check_context(text, result, values.get("override_reason", "")),
        **extra,
    }


@page()
def composer(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = get_complaint(actor=actor(request), complaint_id=complaint_id)
    return render(request, "language/_composer.html", _composer_context(request, complaint))


@require_POST
@page()
def check(request: HttpRequest) -> HttpResponse:
    """htmx: the live check of the composer (or of the "try it" box of the phrase list)."""
    user = actor(request)
    text = request.POST.get("text", "")[:MAX_FORM_TEXT]
    organization_id = _org_for_page(request)
    try:
        result = services.check_for(actor=user, text=text, organization_id=organization_id)
    except InvalidInput:
        result = services.check_text(organization_id=None, text=text)
    context = _check_context(text, result if text else None, request.POST.get("override_reason", ""))
    context["show_override"] = request.POST.get("mode", "reply") == "reply"
    return render(request, "language/_check.html", context)


@page()
def insert(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: put a library entry, filled in for this complaint, into the reply text."""
    user = actor(request)
    complaint = get_complaint(actor=user, complaint_id=complaint_id)
    current = request.GET.get("text", "")[:MAX_FORM_TEXT]
    template_id = _int_or_none(request.GET.get("template_id"))
    values: dict[str, Any] = {"text": current}
    missing: list[str] = []
    if template_id is not None:
        template, rendered = services.render_template(
            actor=user, template_id=template_id, complaint=complaint
        )
        values = {
            "text": f"{current.rstrip()}\n{rendered.text}" if current.strip() else rendered.text,
            "template_id": template.pk,
            "objection_nature": template.objection_nature,
            "objection_content": template.objection_content,
        }
        missing = rendered.missing
    context = {
        "c": complaint,
        "values": values,
        "text": values["text"],
        "missing": missing,
        "natures": ObjectionNature.choices,
        "contents": ObjectionContent.choices,
    }
    return render(request, "language/_reply_fields.html", context)


@require_POST
@page()
def send(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = actor(request)
    complaint = get_complaint(actor=user, complaint_id=complaint_id)
    post = request.POST
    values: dict[str, Any] = {
        "text": post.get("text", "")[:MAX_FORM_TEXT],
        "channel": post.get("channel") or ReplyChannel.PHONE,
        "override_reason": post.get("override_reason", "")[:2000],
        "template_id": _int_or_none(post.get("template_id")),
        "objection_nature": post.get("objection_nature", ""),
        "objection_content": post.get("objection_content", ""),
    }
    try:
        reply = flows.send_reply(
            actor=user,
            complaint_id=complaint.pk,
            text=values["text"],
            channel=values["channel"],
            override_reason=values["override_reason"] or None,
            template_id=values["template_id"],
            objection_nature=values["objection_nature"],
            objection_content=values["objection_content"],
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        context = _composer_context(request, complaint, values=values, error=exc.message, error_code=exc.code)
        status = 200 if _is_htmx(request) else exc.status  # htmx swaps only 2xx answers
        template = "language/_composer.html" if _is_htmx(request) else "language/composer_page.html"
        return render(request, template, context, status=status)
    messages.success(request, _("Reply recorded on the timeline."))
    # A new query string each time: a redirect to the same URL plus only a #fragment would not
    # reload the page in the browser.
    target = reverse("complaints:complaint", args=[complaint.pk]) + f"?reply={reply.pk}#reply-composer"
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


# --- the forbidden-phrase list --------------------------------------------------------------------


def _organizations_for(request: HttpRequest) -> list[Organization]:
    ids = viewable_org_ids(actor(request))
    rows = Organization.objects.filter(kind__in=("manufacturer", "region", "dealer"))
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return list(rows.order_by("code"))


@page()
def phrases(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    org_id = _org_for_page(request)
    if org_id is None and list_owner_id(user) is None:
        orgs = _organizations_for(request)
        org_id = orgs[0].pk if orgs else None
    rows = services.list_phrases(actor=user, organization_id=org_id)
    org_id = org_id or list_owner_id(user)
    manage = org_id is not None and can_manage(user, org_id)
    form = PhraseForm(request.POST or None) if manage else None
    status = 200
    if request.method == "POST" and form is not None:
        status = 422
        if form.is_valid():
            try:
                services.create_phrase(actor=user, organization_id=org_id, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Phrase added."))
                return redirect(f"{reverse('language:phrases')}?organization_id={org_id}")
    context = {
        "rows": rows,
        "form": form,
        "can_manage": manage,
        "organization_id": org_id,
        "organization": Organization.objects.filter(pk=org_id or 0).first(),
        "organizations": _organizations_for(request),
    }
    return render(request, "language/phrases.html", context, status=status)


@page()
def phrase_edit(request: HttpRequest, phrase_id: int) -> HttpResponse:
    user = actor(request)
    entry: ForbiddenPhrase = services.get_phrase(actor=user, phrase_id=phrase_id)
    if not can_manage(user, entry.organization_id):
        return render(request, "web/forbidden.html", status=403)
    initial = {name: getattr(entry, name) for name in PhraseForm.base_fields}
    form = PhraseForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.update_phrase(actor=user, phrase_id=entry.pk, changes=form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{reverse('language:phrases')}?organization_id={entry.organization_id}")
    return render(request, "language/phrase_form.html", {"form": form, "entry": entry}, status=status)


@require_POST
@page()
def phrase_delete(request: HttpRequest, phrase_id: int) -> HttpResponse:
    user = actor(request)
    entry = services.get_phrase(actor=user, phrase_id=phrase_id)
    services.delete_phrase(actor=user, phrase_id=phrase_id)
    messages.success(request, _("Phrase removed."))
    return redirect(f"{reverse('language:phrases')}?organization_id={entry.organization_id}")


# --- the standard-reply library -----------------------------------------------------------------


@page()
def replies(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    org_id = _org_for_page(request)
    if org_id is None and list_owner_id(user) is None:
        orgs = _organizations_for(request)
        org_id = orgs[0].pk if orgs else None
    situation = request.GET.get("situation", "")
    situation = situation if situation in Situation.values else ""
    objection = request.GET.get("objection_content", "")
    objection = objection if objection in ObjectionContent.values else ""
    form = TemplateForm(request.POST or None) if can_propose(user) else None
    status = 200
    if request.method == "POST" and form is not None:
        status = 422
        if form.is_valid():
            try:
                template = services.propose_template(actor=user, organization_id=org_id, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Added to the library.")
                    if template.status == ReplyStatus.APPROVED
                    else _("Proposed: a manager will review it."),
                )
                query = f"?organization_id={org_id}" if org_id else ""
                return redirect(reverse("language:replies") + query)
    items = services.library(
        actor=user, organization_id=org_id, situation=situation, objection_content=objection
    )
    resolved = org_id or list_owner_id(user)
    manage = resolved is not None and can_manage(user, resolved)
    pending = services.library(actor=user, organization_id=org_id, status=ReplyStatus.PROPOSED)
    context = {
        "items": items,
        "pending": pending,
        "form": form,
        "can_manage": manage,
        "stats": services.objection_ranking(actor=user, organization_id=org_id),
        "situations": Situation.choices,
        "contents": ObjectionContent.choices,
        "situation": situation,
        "objection": objection,
        "organization_id": resolved,
        "organization": Organization.objects.filter(pk=resolved or 0).first(),
        "organizations": _organizations_for(request),
    }
    return render(request, "language/replies.html", context, status=status)


@require_POST
@page()
def reply_decide(request: HttpRequest, template_id: int, decision: str) -> HttpResponse:
    user = actor(request)
    try:
        template = services.decide_template(
            actor=user,
            template_id=template_id,
            approve=decision == "approve",
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("language:replies")
    messages.success(request, _("Approved.") if template.status == ReplyStatus.APPROVED else _("Rejected."))
    return redirect(f"{reverse('language:replies')}?organization_id={template.organization_id}")


# --- the monthly review -------------------------------------------------------------------------


@page()
def overrides(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    first = date.today().replace(day=1)
    raw = request.GET.get("month", "")
    if raw:
        try:
            year, month = (int(part) for part in raw.split("-"))
            first = date(year, month, 1) if 2000 <= year <= 2100 else first
        except ValueError:
            pass
    report = services.override_report(actor=user, month=first, organization_id=_org_for_page(request))
    return render(
        request,
        "language/overrides.html",
        {"report": report, "month": first.strftime("%Y-%m")},
    )
