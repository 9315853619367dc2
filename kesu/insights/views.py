"""Pages and htmx partials: the live intake panel, the complaint's suggestion panel with
accept/correct buttons, and the quality-signal list for the carmaker."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints.choices import Category, Emotion, Nature, Severity
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError, Forbidden
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.organizations.scope import user_dealer_id

from . import recurrence, services
from .analysis import label_of
from .choices import STANCES, Behaviour, FaultArea, LinkReason, SuggestionField
from .models import QUALITY_SIGNAL_ROLES, QualitySignal

LIVE_MAX_CHARS = 20_000
_CHOICES: dict[str, list[tuple[str, Any]]] = {
    SuggestionField.CATEGORY: list(Category.choices),
    SuggestionField.FAULT_AREA: [("", "—"), *FaultArea.choices],
    SuggestionField.NATURE: list(Nature.choices),
    SuggestionField.SEVERITY: list(Severity.choices),
    SuggestionField.EMOTION: list(Emotion.choices),
}


@require_POST
@page(Capability.CREATE_COMPLAINT)
def live(request: HttpRequest) -> HttpResponse:
    """htmx, while the agent types the verbatim: suggestions, crisis flags, emotion, stance."""
    user = actor(request)
    text = request.POST.get("verbatim", "")[:LIVE_MAX_CHARS]
    result = services.analyse_text(actor=user, text=text, organization_id=user_dealer_id(user))
    return render(request, "insights/_live_result.html", {"a": result})


def _panel_context(request: HttpRequest, complaint_id: int, **extra: Any) -> dict[str, Any]:
    user = actor(request)
    suggestion = services.suggestion_for(actor=user, complaint_id=complaint_id)
    complaint = suggestion.complaint
    analysis = suggestion.analysis or {}
    rows = []
    for name in SuggestionField.values:
        suggested = getattr(suggestion, name) or ""
        decided = suggestion.decisions.get(name)
        if name == SuggestionField.FAULT_AREA and decided:
            suggested = decided.get("suggested", suggested)
        options = [
            {"label": label_of(name, o.get("value", "")), "percent": round(o.get("confidence", 0) * 100)}
            for o in (analysis.get(name) or [] if name in ("category", "fault_area", "nature") else [])
        ]
        current = (
            getattr(complaint, name)
            if name != SuggestionField.FAULT_AREA
            else (suggestion.fault_area if decided else "")
        )
        rows.append(
            {
                "field": name,
                "label": SuggestionField(name).label,
                "suggested": suggested,
                "suggested_label": dict(_CHOICES[name]).get(suggested, suggested) or "—",
                "confidence": round(float(getattr(suggestion, f"{name}_confidence", 0.0)) * 100),
                "options": options,
                "current": current,
                "current_label": dict(_CHOICES[name]).get(current, current) or "—",
                "decided": decided,
                "choices": _CHOICES[name],
                "matches": bool(suggested) and current == suggested,
            }
        )
    related = recurrence.related_complaints(actor=user, complaint=complaint)
    reason_labels = dict(LinkReason.choices)
    return {
        "c": complaint,
        "s": suggestion,
        "rows": rows,
        "signals": suggestion.signals,
        "emotion": _emotion(analysis.get("emotion") or {}),
        "related": [
            {"c": r.complaint, "reasons": [reason_labels.get(x, x) for x in r.reasons]} for r in related
        ],
        "can_edit": has_capability(user, Capability.EDIT_COMPLAINT),
        **extra,
    }


def _emotion(stored: dict[str, Any]) -> dict[str, str]:
    """Labels and stance in the reader's language (the stored analysis keeps the codes)."""
    value, behaviour = stored.get("value", ""), stored.get("behaviour", "")
    if value not in Emotion.values or behaviour not in Behaviour.values:
        return {}
    return {
        "label": str(Emotion(value).label),
        "behaviour_label": str(Behaviour(behaviour).label),
        "stance": str(STANCES[Behaviour(behaviour)]),
    }


@page()
def panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The suggestion panel of the complaint page (loaded by htmx after the page)."""
    return render(request, "insights/_panel.html", _panel_context(request, complaint_id))


@require_POST
@page()  # the service checks scope (404) before the capability (403): nothing is revealed
def decide(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Accept or correct one suggestion; re-renders the panel (htmx) or goes back to the page."""
    error = ""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        flows.decide(
            actor=actor(request),
            complaint_id=complaint_id,
            field=request.POST.get("field", ""),
            chosen=request.POST.get("chosen", ""),
            expected_version=version,
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        error = exc.message
    if request.headers.get("HX-Request"):
        response = render(request, "insights/_panel.html", _panel_context(request, complaint_id, error=error))
        if not error:
            response["HX-Refresh"] = "true"  # the record above the panel changed: show it
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("complaints:complaint", complaint_id=complaint_id)


@page()
def quality_signals(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if not (user.is_kesu_admin or user.role in QUALITY_SIGNAL_ROLES):
        raise Forbidden("")
    signals = list(QualitySignal.objects.visible_to(user)[:200])
    visible = set(
        Complaint.objects.visible_to(user).filter(quality_signals__in=signals).values_list("pk", flat=True)
    )
    rows = [
        {
            "s": s,
            "fault_label": dict(FaultArea.choices).get(s.fault_area, s.fault_area),
            "complaints": [c for c in s.complaints.all() if c.pk in visible],
        }
        for s in signals
    ]
    return render(request, "insights/quality_signals.html", {"rows": rows})
