"""Pages: the assistant's panel on the complaint page (htmx: a summary, a reply draft that fills
the reply box), the dealer's switch and the log. Thin: parse, call the use case, render.

Whatever goes wrong with the model, the fragment says so quietly and the page works on."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError
from kesu.language.display import segments
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization
from kesu.organizations.permissions import Capability, actor, page

from . import selectors, services
from .choices import ExchangeKind, ExchangeStatus


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@page()
def panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The buttons, or nothing at all while the assistant is off for the complaint's dealer."""
    user = actor(request)
    complaint = get_complaint(actor=user, complaint_id=complaint_id)
    if not services.may_use(actor=user, complaint=complaint):
        if services.may_switch_on(actor=user, complaint=complaint):  # where a manager finds it
            return render(request, "assistant/_off.html", {"c": complaint})
        return HttpResponse("")
    return render(request, "assistant/_panel.html", {"c": complaint})


def _unavailable(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "assistant/_unavailable.html", {"error": error})


@require_POST
@page()
def summary(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        result = flows.assistant.summarize(actor=actor(request), complaint_id=complaint_id)
    except (services.AssistantOff, services.AssistantUnavailable) as error:
        return _unavailable(request, error)
    return render(request, "assistant/_summary.html", {"summary": result})


@require_POST
@page()
def draft(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        result = flows.assistant.draft_reply(actor=actor(request), complaint_id=complaint_id)
    except (services.AssistantOff, services.AssistantUnavailable) as error:
        return _unavailable(request, error)
    return render(
        request,
        "assistant/_draft.html",
        {"draft": result, "segments": segments(result.text, result.guard)},
    )


@page(Capability.CONFIGURE_ASSISTANT)
def settings_page(request: HttpRequest) -> HttpResponse:
    """The dealer's switch: its managers turn it on or off; administrators pick the dealer."""
    user = actor(request)
    organization_id = _int_or_none(request.POST.get("organization_id") or request.GET.get("organization_id"))
    dealers: list[Organization] = []
    if user.is_kesu_admin:
        dealers = list(Organization.objects.filter(kind=OrgKind.DEALER).order_by("code"))
        if organization_id is None and dealers:
            organization_id = dealers[0].pk
    if request.method == "POST":
        enabled = request.POST.get("enabled") == "on"
        view = services.set_enabled(actor=user, enabled=enabled, organization_id=organization_id)
        messages.success(
            request, _("The AI assistant is on.") if view.enabled else _("The AI assistant is off.")
        )
        return redirect(f"{request.path}?organization_id={view.organization.pk}")
    view = services.get_setting(actor=user, organization_id=organization_id)
    return render(request, "assistant/settings.html", {"setting": view, "dealers": dealers})


@page(Capability.CONFIGURE_ASSISTANT)
def exchanges_page(request: HttpRequest) -> HttpResponse:
    """What was sent (masked) and returned, newest first."""
    user = actor(request)
    rows = selectors.exchanges_for(actor=user, complaint_id=_int_or_none(request.GET.get("complaint_id")))
    paginator = Paginator(rows, 50)
    page_obj = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page_obj,
        "kinds": ExchangeKind,
        "statuses": ExchangeStatus,
    }
    return render(request, "assistant/exchanges.html", context)
