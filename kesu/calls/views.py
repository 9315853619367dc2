"""Call pages: the phone desk's call form (number first), the call log, a call (and turning it
into a complaint), and the call audit (sample, score, monthly scores). Thin: parse, call, render."""

import contextlib
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.core.errors import DomainError, InvalidInput
from kesu.customers import services as customer_services
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.organizations.scope import scope_for, user_dealer_id
from kesu.web.forms import apply_errors

from . import selectors, services
from .choices import CallDirection, CallPurpose
from .forms import CallForm, ConvertForm, SampleForm, ScoreForm
from .models import CallAudit

PAGE_SIZE = 50


def _colleagues(user: User) -> list[User]:
    """The people of the actor's dealer (its departments too), for "for (colleague)"."""
    dealer_id = user_dealer_id(user)
    if dealer_id is None:
        return []
    people = User.objects.filter(is_active=True).select_related("organization").order_by("display_name", "pk")
    return [
        u
        for u in people.filter(organization_id__in=_dealer_org_ids(dealer_id))
        if user_dealer_id(u) == dealer_id
    ]


def _dealer_org_ids(dealer_id: int) -> list[int]:
    from kesu.organizations.models import Organization

    return [dealer_id, *Organization.objects.filter(parent_id=dealer_id).values_list("pk", flat=True)]


@page()
def call_list(request: HttpRequest) -> HttpResponse:
    """The call log with filters: date, purpose, agent, customer (number or its last 4 digits)."""
    user = actor(request)
    query = _ListQuery(request.GET)
    error = ""
    calls: Any = []
    try:
        filters = selectors.checked_filters(**vars(query))
    except InvalidInput as exc:
        error = "; ".join(exc.fields.values()) or exc.message
    else:
        calls = selectors.calls_for(actor=user, filters=filters)[:PAGE_SIZE]
    context = {
        "calls": calls,
        "q": request.GET,
        "error": error,
        "purposes": CallPurpose.choices,
        "agents": _colleagues(user),
        "can_log": has_capability(user, Capability.LOG_CALLS),
        "can_audit": has_capability(user, Capability.AUDIT_CALLS),
    }
    return render(request, "calls/list.html", context, status=422 if error else 200)


class _ListQuery:
    """The list page's query string as the API's filters read it (bad dates named)."""

    def __init__(self, data: Any):
        self.purpose = data.get("purpose", "")
        self.direction = data.get("direction", "")
        self.number = data.get("number", "")
        self.date_from = _date(data.get("date_from"))
        self.date_to = _date(data.get("date_to"))
        self.agent_id = _int(data.get("agent"))
        self.customer_id = _int(data.get("customer"))
        self.complaint_id = _int(data.get("complaint"))
        self.followup_id = _int(data.get("followup"))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@page(Capability.LOG_CALLS)
def lookup(request: HttpRequest) -> HttpResponse:
    """htmx: the dealer's customers matching the number (or plate, name) being typed."""
    term = (request.POST if request.method == "POST" else request.GET).get(
        "number", ""
    )  # POSTed: see customers
    found = customer_services.find_customers(actor=actor(request), term=term, limit=8)
    return render(request, "calls/_matches.html", {"customers": found, "term": term})


def _call_input(form: CallForm) -> services.CallInput:
    data = form.cleaned_data
    return services.CallInput(
        number=data["number"],
        purpose=data["purpose"],
        direction=data["direction"],
        caller_name=data["caller_name"],
        plate=data["plate"],
        customer_said=data["customer_said"],
        reply=data["reply"],
        duration_seconds=data["duration_seconds"],
        customer_id=data["customer_id"],
        for_user_id=data["for_user_id"],
        complaint_id=data["complaint_id"],
        callback_for_id=data["callback_for_id"],
        override_reason=data["override_reason"],
    )


@page(Capability.LOG_CALLS)
def call_new(request: HttpRequest) -> HttpResponse:
    """The call form. A flagged reply comes back with the phrases and a reason field; a saved
    抱怨 call opens its page (to turn it into a complaint), any other a fresh form."""
    user = actor(request)
    colleagues = _colleagues(user)
    status, hits = 200, False
    if request.method == "POST":
        form = CallForm(request.POST, colleagues=colleagues)
        status = 422
        if form.is_valid():
            try:
                call = flows.calls.log_call(actor=user, data=_call_input(form))
            except DomainError as exc:
                hits = exc.code == "forbidden_phrase"
                status = exc.status
                apply_errors(form, exc)
            else:
                link = reverse("calls:call", args=[call.pk])
                if call.purpose == CallPurpose.COMPLAINT:
                    messages.success(request, _("Call saved."))
                    return redirect(link)
                messages.success(request, _("Call saved: %(call)s") % {"call": call})
                return redirect("calls:new")
    else:
        initial = {
            key: request.GET[key]
            for key in ("number", "complaint_id", "callback_for_id")
            if key in request.GET
        }
        if "callback_for_id" in initial:
            initial["direction"] = CallDirection.OUTBOUND
            # the number to call back comes from the call itself, never through a (logged) URL
            raw = str(initial["callback_for_id"])
            if raw.isdigit() and "number" not in initial:
                with contextlib.suppress(DomainError):  # another dealer's call: nothing to fill
                    initial["number"] = selectors.get_call(actor=actor(request), call_id=int(raw)).number
        form = CallForm(initial=initial, colleagues=colleagues)
    context = {"form": form, "hits": hits, "for_someone": ["find_person", "message"]}
    return render(request, "calls/new.html", context, status=status)


def _detail_context(request: HttpRequest, call: Any, form: ConvertForm | None = None) -> dict[str, Any]:
    user = actor(request)
    return {
        "call": call,
        "callbacks": call.callbacks.select_related("taken_by").order_by("at"),
        "can_convert": call.complaint_id is None and has_capability(user, Capability.CREATE_COMPLAINT),
        "convert_form": form or ConvertForm(initial={"name": call.caller_name}),
        "can_call_back": call.for_user_id is not None and has_capability(user, Capability.LOG_CALLS),
    }


@page()
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.get_call(actor=actor(request), call_id=call_id)
    return render(request, "calls/call.html", _detail_context(request, call))


@require_POST
@page()
def call_to_complaint(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call becomes a complaint; its page opens. Mistakes come back beside the fields."""
    user = actor(request)
    call = selectors.get_call(actor=user, call_id=call_id)
    form = ConvertForm(request.POST)
    status = 422
    if form.is_valid():
        data = flows.calls.ConversionInput(
            confirm=form.cleaned_data["confirm"],
            name=form.cleaned_data["name"],
            consent_sms=form.answer("consent_sms"),
            consent_calls=form.answer("consent_calls"),
            category=form.cleaned_data["category"],
            severity=form.cleaned_data["severity"],
        )
        try:
            complaint = flows.calls.call_to_complaint(actor=user, call_id=call.pk, data=data)
        except InvalidInput as exc:
            apply_errors(form, exc, aliases={"mobile": "name"})
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            status = exc.status
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Complaint %(number)s registered from the call.") % {"number": complaint.number}
            )
            return redirect("complaints:complaint", complaint_id=complaint.pk)
    call.refresh_from_db()
    return render(request, "calls/call.html", _detail_context(request, call, form), status=status)


# --- the call audit (电访稽核) --------------------------------------------------------------------


@page(Capability.AUDIT_CALLS)
def audits(request: HttpRequest) -> HttpResponse:
    """Sample completed calls for scoring, and the audits waiting or done."""
    user = actor(request)
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        form = SampleForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                sampled = services.sample_calls(actor=user, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(n)d calls sampled for the audit.") % {"n": len(sampled)})
                return redirect("calls:audits")
    else:
        form = SampleForm(initial={"date_from": today.replace(day=1), "date_to": today, "per_agent": 5})
    listed = CallAudit.objects.visible_to(user).select_related("call", "agent", "scored_by")
    context = {
        "form": form,
        "waiting": listed.filter(scored_at__isnull=True).order_by("call_at")[:100],
        "scored": listed.filter(scored_at__isnull=False).order_by("-scored_at")[:50],
        "month": today.strftime("%Y-%m"),
    }
    return render(request, "calls/audits.html", context, status=status)


@page(Capability.AUDIT_CALLS)
def audit_score(request: HttpRequest, audit_id: int) -> HttpResponse:
    user = actor(request)
    audit = selectors.get_audit(actor=user, audit_id=audit_id)
    status = 200
    if request.method == "POST":
        form = ScoreForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                services.score_audit(
                    actor=user, audit_id=audit.pk, score=services.AuditScore(**form.cleaned_data)
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                status = exc.status
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Audit saved."))
                return redirect("calls:audits")
    else:
        form = ScoreForm(initial={**audit.points, "comment": audit.comment} if audit.scored_at else None)
    return render(
        request, "calls/audit.html", {"audit": audit, "call": audit.call, "form": form}, status=status
    )


@page(Capability.AUDIT_CALLS)
def audit_scores(request: HttpRequest) -> HttpResponse:
    """Scores per agent in a month, for the monthly review."""
    user = actor(request)
    try:
        month = selectors.parse_month(request.GET.get("month", ""))
        dealer_id = _int(request.GET.get("dealer")) if user_dealer_id(user) is None else None
        rows = services.monthly_scores(actor=user, month=month, dealer_id=dealer_id)
        error = ""
    except InvalidInput as exc:
        month, rows, error = timezone.localdate().replace(day=1), [], "; ".join(exc.fields.values())
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = {
        "rows": rows,
        "month": month,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "error": error,
        "dealers": sorted(scope_for(user).dealer_ids) if user_dealer_id(user) is None else [],
    }
    return render(request, "calls/scores.html", context, status=422 if error else 200)
