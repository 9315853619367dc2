"""Insights rules: analyse, store suggestions, check and record an agent's decision.

A leaf: what changes the complaint record as a result (an accepted category, a crisis) is
composed in ``kesu.flows``, which edits it through ``complaints.services.update_complaint`` so
scope, capability, version and the timeline hold exactly as for an edit by hand.
"""

import hashlib
import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import selectors as complaint_selectors
from kesu.complaints.choices import Category, Emotion, Nature, Severity
from kesu.complaints.models import Complaint
from kesu.core.errors import InvalidInput, not_one_of, one_of
from kesu.organizations.models import User

from . import training
from .analysis import Analysis, analyse
from .choices import FaultArea, SignalKind, SuggestionField
from .models import ClassificationFeedback, Suggestion
from .recurrence import link_complaint, link_pending

log = logging.getLogger(__name__)

ALLOWED: dict[str, list[str]] = {
    SuggestionField.CATEGORY: list(Category.values),
    SuggestionField.FAULT_AREA: ["", *FaultArea.values],
    SuggestionField.NATURE: list(Nature.values),
    SuggestionField.SEVERITY: list(Severity.values),
    SuggestionField.EMOTION: list(Emotion.values),
}


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


# --- analysing ----------------------------------------------------------------------------------


def analyse_text(*, actor: User | None, text: object, organization_id: int | None = None) -> Analysis:
    """The analysis of any text, with the model of ``organization_id`` (else of the actor's
    organisation) when one has been trained, else the rules."""
    model = (
        training.model_for_organization(organization_id)
        if organization_id is not None
        else training.model_for_user(actor)
    )
    return analyse(text, model=model)


def analyse_complaint(complaint: Complaint) -> Analysis:
    return analyse(complaint.verbatim, model=training.model_for_organization(complaint.dealer_id))


def store_suggestion(complaint: Complaint, result: Analysis) -> Suggestion:
    """Save the analysis as the complaint's suggestion; what agents decided stays decided. (A new
    complaint's first suggestion is written with it: ``hooks.intake_suggestion``.)"""
    suggestion = Suggestion.objects.filter(complaint=complaint).first() or Suggestion(complaint=complaint)
    fill_suggestion(suggestion, result)
    suggestion.save()
    return suggestion


def fill_suggestion(
    suggestion: Suggestion, result: Analysis, *, links_pending: bool | None = None
) -> Suggestion:
    """Copy the analysis onto ``suggestion`` without saving it; a fault area an agent chose stays."""
    complaint = suggestion.complaint
    if links_pending is not None:
        suggestion.links_pending = links_pending
    for name in ("category", "fault_area", "nature", "severity", "emotion"):
        top = result.top(name)
        if name == "fault_area" and name in suggestion.decisions:
            continue  # the agent's fault area drives recurrence; keep it
        setattr(suggestion, name, top.value if top else "")
        setattr(suggestion, f"{name}_confidence", top.confidence if top else 0.0)
    suggestion.is_crisis = result.is_crisis
    suggestion.signals = [s.as_dict() for s in result.signals]
    suggestion.analysis = result.as_dict()
    suggestion.source = result.source
    suggestion.model_version = result.model_version
    suggestion.text_hash = text_hash(complaint.verbatim)
    return suggestion


def intake_suggestion(complaint: Complaint) -> tuple[Suggestion | None, Analysis | None]:
    """The new complaint's suggestion, unsaved, for the intake to write with the complaint in
    one statement, and the analysis behind it.

    Linking it to related complaints and indexing it for near-duplicate search are left to the
    worker (:func:`kesu.insights.recurrence.link_pending`, queued by the tick, or done on first
    read): they are most of an intake's queries and nobody waits on them. The suggestion is
    marked ``links_pending`` and written in the intake transaction, so a crash loses none of it.

    A failure of the analysis is logged and gives no suggestion, never a lost complaint:
    registering what the customer said comes first.
    """
    try:
        result = analyse_complaint(complaint)
        suggestion = fill_suggestion(Suggestion(complaint=complaint), result, links_pending=True)
    except Exception:
        log.exception("insights: intake analysis failed for complaint %s", complaint.number)
        return None, None
    return suggestion, result


def suggestion_for(*, actor: User, complaint_id: int) -> Suggestion:
    """The complaint's suggestion (analysed now if it has none yet), within the actor's scope."""
    complaint = complaint_selectors.get_complaint(actor=actor, complaint_id=complaint_id)
    suggestion = Suggestion.objects.filter(complaint=complaint).first()
    if suggestion is None:
        suggestion = store_suggestion(complaint, analyse_complaint(complaint))
    elif suggestion.links_pending:  # the worker has not got to it yet: the reader need not wait
        link_pending(complaint_ids=[complaint.pk])
        suggestion.refresh_from_db()
    return suggestion


# --- crisis -------------------------------------------------------------------------------------


def crisis_note(result: Analysis) -> str:
    parts = []
    for word in result.signal_words():
        kinds = {s.kind for s in result.signals if s.signal == word}
        labels = "、".join(str(SignalKind(k).label) for k in sorted(kinds))
        parts.append(f"“{word}”({labels})")
    return _("Crisis signals in the customer's words: %(words)s") % {"words": "; ".join(parts)}


def mark_crisis(complaint_id: int) -> None:
    """The complaint's suggestion records that it was raised to crisis."""
    Suggestion.objects.filter(complaint_id=complaint_id).update(is_crisis=True)


# --- agents accept or correct -----------------------------------------------------------------


def _suggested_value(suggestion: Suggestion, field_name: str) -> tuple[str, float]:
    value = getattr(suggestion, field_name, "")
    if field_name == SuggestionField.FAULT_AREA and field_name in suggestion.decisions:
        value = suggestion.decisions[field_name].get("suggested", value)
    return value or "", float(getattr(suggestion, f"{field_name}_confidence", 0.0) or 0.0)


def check_decision(field: str, chosen: str) -> str:
    """The chosen value, stripped, if ``field`` may take it (else 422 naming the field)."""
    if field not in ALLOWED:
        raise InvalidInput(
            _("Unknown field."),
            fields={"field": one_of(ALLOWED)},
        )
    chosen = (chosen or "").strip()
    if chosen not in ALLOWED[field]:
        allowed = ", ".join(v for v in ALLOWED[field] if v) + (
            _(" (or empty for none)") if "" in ALLOWED[field] else ""
        )
        raise InvalidInput(
            not_one_of(chosen, allowed),
            fields={"chosen": one_of(allowed)},
        )
    return chosen


def current_suggestion(complaint: Complaint) -> Suggestion:
    """The complaint's suggestion, analysed now if it has none yet."""
    return Suggestion.objects.filter(complaint=complaint).first() or store_suggestion(
        complaint, analyse_complaint(complaint)
    )


def decision_note(suggestion: Suggestion, field: str, chosen: str) -> str:
    """The timeline note of an edit made by accepting or correcting a suggestion."""
    suggested, _confidence = _suggested_value(suggestion, field)
    template = (
        _("Suggestion accepted: %(field)s") if chosen == suggested else _("Suggestion corrected: %(field)s")
    )
    return template % {"field": SuggestionField(field).label}


def record_decision(
    *, actor: User, complaint: Complaint, suggestion: Suggestion, field: str, chosen: str
) -> Suggestion:
    """Store an agent's accept or correct as ClassificationFeedback (training data) and on the
    suggestion; a chosen fault area drives recurrence links, so the complaint is linked now."""
    suggested, confidence = _suggested_value(suggestion, field)
    ClassificationFeedback.objects.create(
        complaint=complaint,
        field=field,
        suggested=suggested,
        chosen=chosen,
        confidence=confidence,
        model_version=suggestion.model_version,
        user=actor,
    )
    decision: dict[str, Any] = {
        "chosen": chosen,
        "suggested": suggested,
        "user": actor.pk,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    suggestion.decisions = {**suggestion.decisions, field: decision}
    if field == SuggestionField.FAULT_AREA:
        suggestion.fault_area = chosen
        suggestion.links_pending = False  # linked right here, on the fault area chosen
        suggestion.save()
        link_complaint(complaint, suggestion)
    else:
        suggestion.save()
    return suggestion
